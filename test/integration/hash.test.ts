// Hash commands: behaviour through real clients (ioredis, node-redis), exact replies in RESP2 and
// RESP3, Valkey's error texts and argument order, encodings and their conversions, keyspace
// events, propagation, WATCH, field TTLs (hidden fields, overwrites, kept TTLs), RDB
// (DUMP/RESTORE byte equality with the reference, type 22 and the old ziplist / zipmap
// encodings, corrupt payloads), DEBUG DIGEST, HSCAN's guarantee, and a differential run of
// random hash commands against the reference redis-server that crosses the encoding thresholds.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, RawClient, startReference, referenceAvailable, type RunningServer, type ReferenceServer } from '../helpers';
import { runDifferential, seedFromEnv, rawReply, propagated as propagatedBy, keyspaceEvents, valuesBeforeChange, type Rng } from './differential';
import { RdbWriter } from '../../src/persistence/rdb/io';
import { encodeZiplist } from '../../src/persistence/rdb/ziplist';
import { encodeListpack } from '../../src/persistence/rdb/listpack';
import { decodeZipmap } from '../../src/persistence/rdb/hashRdb';
import { crc64 } from '../../src/util/crc64';
import { HashObject } from '../../src/types/hash';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';
const BAD_DATA = 'ERR Bad data format';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);

before(async () => {
  // DEBUG RELOAD writes dump.rdb: keep it out of the working directory.
  ({ srv, io, raw, raw3 } = await startWithClients({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-hash-')) }));
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

/** The hash object stored at `key` in db 0 (for checks of field TTLs). */
function hashAt(key: string): HashObject {
  const v = srv.server.dbs[0].data.get(key);
  assert.ok(v instanceof HashObject, `${key} holds a hash`);
  return v;
}

describe('reads and writes', () => {
  it('HSET / HGET / HMGET / HGETALL / HKEYS / HVALS / HLEN through ioredis', async () => {
    assert.equal(await io.hset('h:1', 'a', '1', 'b', '2'), 2);
    assert.equal(await io.hset('h:1', 'b', '3', 'c', '4'), 1);
    assert.equal(await io.hget('h:1', 'b'), '3');
    assert.equal(await io.hget('h:1', 'zz'), null);
    assert.equal(await io.hget('h:nokey', 'a'), null);
    assert.deepEqual(await io.hmget('h:1', 'a', 'zz', 'c'), ['1', null, '4']);
    assert.deepEqual(await io.hmget('h:nokey', 'a', 'b'), [null, null]);
    assert.deepEqual(await io.hgetall('h:1'), { a: '1', b: '3', c: '4' });
    assert.deepEqual(await io.hgetall('h:nokey'), {});
    // A listpack keeps insertion order.
    assert.deepEqual(await io.hkeys('h:1'), ['a', 'b', 'c']);
    assert.deepEqual(await io.hvals('h:1'), ['1', '3', '4']);
    assert.deepEqual(await io.hkeys('h:nokey'), []);
    assert.equal(await io.hlen('h:1'), 3);
    assert.equal(await io.hlen('h:nokey'), 0);
    assert.equal(await io.hexists('h:1', 'a'), 1);
    assert.equal(await io.hexists('h:1', 'zz'), 0);
    assert.equal(await io.hexists('h:nokey', 'a'), 0);
    assert.equal(await io.hstrlen('h:1', 'a'), 1);
    assert.equal(await io.hstrlen('h:1', 'zz'), 0);
    assert.equal(await io.hmset('h:1', 'd', '5', 'e', '6'), 'OK');
    assert.equal(await io.hlen('h:1'), 5);
  });

  it('HSETNX, HDEL and the deletion of an emptied hash through node-redis', async () => {
    const nr = createClient({ socket: { port: srv.port } });
    await nr.connect();
    try {
      await nr.del('h:2');
      assert.equal(Number(await nr.hSetNX('h:2', 'a', 'x')), 1);
      assert.equal(Number(await nr.hSetNX('h:2', 'a', 'y')), 0);
      assert.equal(await nr.hGet('h:2', 'a'), 'x');
      await nr.hSet('h:2', { b: '1', c: '2' });
      assert.equal(await nr.hDel('h:2', ['a', 'zz', 'b']), 2);
      assert.equal(await nr.hDel('h:nokey', 'a'), 0);
      assert.deepEqual(await nr.hGetAll('h:2'), { c: '2' });
      assert.equal(await nr.hDel('h:2', ['c', 'c']), 1);
      assert.equal(await nr.exists('h:2'), 0);
      assert.equal(await nr.hLen('h:2'), 0);
    } finally {
      await nr.quit();
    }
  });

  it('HINCRBY and HINCRBYFLOAT, with Valkey\'s long double results', async () => {
    await io.del('h:n');
    assert.equal(await io.hincrby('h:n', 'i', 5), 5);
    assert.equal(await io.hincrby('h:n', 'i', -7), -2);
    assert.equal(await raw.call('HINCRBY', 'h:n', 'big', '9223372036854775806'), 9223372036854775806);
    assert.equal(await rawReply(raw, 'HINCRBY', 'h:n', 'big', '1'), ':9223372036854775807\r\n');
    assert.deepEqual(await raw.call('HINCRBY', 'h:n', 'big', '1'), { error: 'ERR increment or decrement would overflow' });
    assert.equal(await io.hget('h:n', 'big'), '9223372036854775807');
    assert.equal(await rawReply(raw, 'HINCRBY', 'h:n', 'neg', '-9223372036854775808'), ':-9223372036854775808\r\n');
    assert.deepEqual(await raw.call('HINCRBY', 'h:n', 'neg', '-1'), { error: 'ERR increment or decrement would overflow' });
    assert.equal(await io.hincrbyfloat('h:n', 'f', '0.1'), '0.1');
    assert.equal(await io.hincrbyfloat('h:n', 'f', '0.2'), '0.3');
    assert.equal(await io.hincrbyfloat('h:n', 'f', '-0.3'), '0');
    assert.equal(await io.hincrbyfloat('h:n', 'g', '1e3'), '1000');
    assert.equal(await io.hincrbyfloat('h:n', 'i', '1.5'), '-0.5');
    assert.equal(await io.hincrbyfloat('h:n', 'h', '5.0e3'), '5000');
    // An integer left by HINCRBYFLOAT can be incremented by HINCRBY again.
    assert.equal(await io.hincrby('h:n', 'g', 1), 1001);
    await io.hset('h:n', 's', 'abc', 'sp', ' 1', 'fl', '1.5');
    assert.deepEqual(await raw.call('HINCRBY', 'h:n', 's', '1'), { error: 'ERR hash value is not an integer' });
    assert.deepEqual(await raw.call('HINCRBY', 'h:n', 'fl', '1'), { error: 'ERR hash value is not an integer' });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 's', '1'), { error: 'ERR hash value is not a float' });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 'sp', '1'), { error: 'ERR hash value is not a float' });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 'f', 'inf'), { error: 'ERR value is NaN or Infinity' });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 'f', 'nan'), { error: 'ERR value is not a valid float' });
    // Beyond the long double range: not a float at all.
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 'f', '1e5000'), { error: 'ERR value is not a valid float' });
    await io.hset('h:n', 'max', '1e4932');
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'h:n', 'max', '1e4932'), { error: 'ERR increment would produce NaN or Infinity' });
    // Beyond a double but within a long double.
    const huge = (await raw.call('HINCRBYFLOAT', 'h:n', 'huge', '1e400')) as string;
    assert.equal(huge.length, 401);
    assert.ok(huge.startsWith('10000000000000000000281880683947586514586453433629'), huge);
  });

  it('RESP3: HGETALL is a map, HRANDFIELD WITHVALUES pairs, nulls are _', async () => {
    await raw.call('DEL', 'h:3');
    await raw.call('HSET', 'h:3', 'a', '1', 'b', '2');
    assert.equal(await rawReply(raw3, 'HGETALL', 'h:3'), '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw, 'HGETALL', 'h:3'), '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw3, 'HGETALL', 'h:nokey'), '%0\r\n');
    assert.equal(await rawReply(raw, 'HGETALL', 'h:nokey'), '*0\r\n');
    assert.equal(await rawReply(raw3, 'HGET', 'h:3', 'zz'), '_\r\n');
    assert.equal(await rawReply(raw, 'HGET', 'h:3', 'zz'), '$-1\r\n');
    assert.equal(await rawReply(raw3, 'HMGET', 'h:3', 'zz', 'a'), '*2\r\n_\r\n$1\r\n1\r\n');
    assert.equal(await rawReply(raw3, 'HRANDFIELD', 'h:nokey'), '_\r\n');
    assert.equal(await rawReply(raw, 'HRANDFIELD', 'h:nokey'), '$-1\r\n');
    assert.equal(await rawReply(raw3, 'HRANDFIELD', 'h:nokey', '3', 'WITHVALUES'), '*0\r\n');
    assert.equal(await rawReply(raw3, 'HRANDFIELD', 'h:3', '2', 'WITHVALUES'), '*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw, 'HRANDFIELD', 'h:3', '2', 'WITHVALUES'), '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    const pairs = (await raw3.call('HRANDFIELD', 'h:3', '-5', 'WITHVALUES')) as string[][];
    assert.equal(pairs.length, 5);
    for (const p of pairs) assert.ok((p[0] === 'a' && p[1] === '1') || (p[0] === 'b' && p[1] === '2'), JSON.stringify(p));
    assert.equal(await rawReply(raw3, 'HSCAN', 'h:nokey', '0'), '*2\r\n$1\r\n0\r\n*0\r\n');
    assert.equal(await rawReply(raw3, 'HINCRBYFLOAT', 'h:3', 'a', '1.5'), '$3\r\n2.5\r\n');
  });

  it('binary-safe fields and values', async () => {
    const f = Buffer.from([0, 255, 13, 10, 128]);
    const v = Buffer.from([10, 0, 200]);
    await io.del('h:bin');
    assert.equal(await io.hset('h:bin', f, v), 1);
    assert.deepEqual(await io.hgetBuffer('h:bin', f), v);
    assert.deepEqual(await io.hkeysBuffer('h:bin'), [f]);
    assert.equal(await io.hstrlen('h:bin', f), 3);
  });
});

describe('errors in Valkey order', () => {
  it('arity, types, numbers', async () => {
    await raw.call('SET', 'e:str', 'x');
    await raw.call('DEL', 'e:h');
    await raw.call('HSET', 'e:h', 'f', 'v', 'n', '10');
    assert.deepEqual(await raw.call('HSET', 'e:h', 'a', 'b', 'c'), { error: "ERR wrong number of arguments for 'hset' command" });
    assert.deepEqual(await raw.call('HMSET', 'e:h', 'a', 'b', 'c'), { error: "ERR wrong number of arguments for 'hmset' command" });
    assert.deepEqual(await raw.call('HSET', 'e:h', 'a'), { error: "ERR wrong number of arguments for 'hset' command" });
    assert.deepEqual(await raw.call('HGET', 'e:h'), { error: "ERR wrong number of arguments for 'hget' command" });
    for (const argv of [
      ['HSET', 'e:str', 'a', 'b'], ['HSETNX', 'e:str', 'a', 'b'], ['HGET', 'e:str', 'a'], ['HMGET', 'e:str', 'a'],
      ['HGETALL', 'e:str'], ['HKEYS', 'e:str'], ['HVALS', 'e:str'], ['HLEN', 'e:str'], ['HEXISTS', 'e:str', 'a'],
      ['HDEL', 'e:str', 'a'], ['HINCRBY', 'e:str', 'a', '1'], ['HINCRBYFLOAT', 'e:str', 'a', '1'], ['HSTRLEN', 'e:str', 'a'],
      ['HRANDFIELD', 'e:str'], ['HRANDFIELD', 'e:str', '0'], ['HSCAN', 'e:str', '0'], ['HSCAN', 'e:str', '0', 'COUNT', '0'],
    ]) {
      assert.deepEqual(await raw.call(...argv), { error: WRONGTYPE }, argv.join(' '));
    }
    // The increment is parsed before the key is looked up.
    assert.deepEqual(await raw.call('HINCRBY', 'e:str', 'a', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('HINCRBY', 'e:h', 'n', '1.5'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'e:str', 'a', 'x'), { error: 'ERR value is not a valid float' });
    assert.deepEqual(await raw.call('HINCRBYFLOAT', 'e:str', 'a', '-inf'), { error: 'ERR value is NaN or Infinity' });
    // HRANDFIELD: count, then syntax, then the WITHVALUES range, then the key.
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:str', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:str', '1', 'foo'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '1', 'WITHVALUES', 'x'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '-9223372036854775808'), {
      error: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '-9223372036854775808', 'WITHVALUES'), {
      error: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:str', '-9223372036854775807', 'withvalues'), { error: 'ERR value is out of range' });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '4611686018427387904', 'withvalues'), { error: 'ERR value is out of range' });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '-4611686018427387904', 'withvalues'), { error: 'ERR value is out of range' });
    assert.deepEqual(await raw.call('HRANDFIELD', 'e:h', '9223372036854775807'), ['f', 'n']);
    // HSCAN: the cursor first, then the key, then the options.
    assert.deepEqual(await raw.call('HSCAN', 'e:str', 'abc'), { error: 'ERR invalid cursor' });
    assert.deepEqual(await raw.call('HSCAN', 'e:nokey', '0', 'COUNT', '0'), ['0', []]);
    assert.deepEqual(await raw.call('HSCAN', 'e:h', '0', 'COUNT', '0'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HSCAN', 'e:h', '0', 'COUNT', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('HSCAN', 'e:h', '0', 'MATCH'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HSCAN', 'e:h', '0', 'TYPE', 'hash'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HSCAN', 'e:h', '0', 'NOSCORES'), { error: 'ERR NOSCORES option can only be used in ZSCAN' });
    // Nothing was created by the failing commands.
    assert.equal(await raw.call('EXISTS', 'e:nokey'), 0);
  });
});

describe('HRANDFIELD', () => {
  it('follows Valkey\'s cases: whole hash, distinct picks, repeats', async () => {
    for (const [enc, n] of [['listpack', 20], ['hashtable', 600]] as const) {
      const key = `r:${enc}`;
      await raw.call('DEL', key);
      const fields = Array.from({ length: n }, (_, i) => `f${i}`);
      await raw.call('HSET', key, ...fields.flatMap((f) => [f, `v${f}`]));
      assert.equal(await raw.call('OBJECT', 'ENCODING', key), enc);
      // count >= size: the whole hash.
      const all = (await raw.call('HRANDFIELD', key, String(n + 5))) as string[];
      assert.deepEqual([...all].sort(), [...fields].sort());
      // Positive counts: distinct fields, as many as asked.
      for (const count of [1, 2, 5, n - 1, Math.floor(n / 3), Math.floor(n / 2)]) {
        const got = (await raw.call('HRANDFIELD', key, String(count), 'WITHVALUES')) as string[];
        assert.equal(got.length, count * 2, `${enc} count ${count}`);
        const picked = got.filter((_, i) => i % 2 === 0);
        assert.equal(new Set(picked).size, count);
        for (let i = 0; i < got.length; i += 2) assert.equal(got[i + 1], `v${got[i]}`);
      }
      // Negative counts: exactly that many, repeats allowed, every one a field.
      const rep = (await raw.call('HRANDFIELD', key, '-3000')) as string[];
      assert.equal(rep.length, 3000);
      assert.ok(rep.every((f) => f.startsWith('f')));
      assert.ok(new Set(rep).size < 3000);
      // Every field can come out.
      assert.equal(new Set(rep).size > Math.min(n, 500) * 0.8, true);
      assert.deepEqual(await raw.call('HRANDFIELD', key, '0'), []);
      const one = (await raw.call('HRANDFIELD', key)) as string;
      assert.ok(fields.includes(one));
    }
  });

  it('a listpack answers a positive count in listpack order', async () => {
    await raw.call('DEL', 'r:order');
    await raw.call('HSET', 'r:order', ...Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']).flat());
    for (let i = 0; i < 10; i++) {
      const got = (await raw.call('HRANDFIELD', 'r:order', '10')) as string[];
      assert.deepEqual(got, [...got].sort());
    }
  });

  it('a huge negative count ends at the output buffer limit, the server lives on', async () => {
    await raw.call('DEL', 'r:huge');
    await raw.call('HSET', 'r:huge', 'a', '1', 'b', '2');
    await raw.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0');
    try {
      const c = await RawClient.connect(srv.port);
      c.send('HRANDFIELD', 'r:huge', '-4611686018427387903', 'WITHVALUES');
      await c.waitClose(10000);
      c.close();
      assert.equal(await raw.call('HLEN', 'r:huge'), 2);
    } finally {
      await raw.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    }
  });
});

describe('HSCAN', () => {
  it('a listpack comes back whole with cursor 0, MATCH and NOVALUES apply', async () => {
    await raw.call('DEL', 's:small');
    await raw.call('HSET', 's:small', 'a1', 'x', 'b1', 'y', 'a2', 'z');
    assert.deepEqual(await raw.call('HSCAN', 's:small', '0', 'COUNT', '1'), ['0', ['a1', 'x', 'b1', 'y', 'a2', 'z']]);
    assert.deepEqual(await raw.call('HSCAN', 's:small', '0', 'MATCH', 'a*'), ['0', ['a1', 'x', 'a2', 'z']]);
    assert.deepEqual(await raw.call('HSCAN', 's:small', '0', 'MATCH', 'a*', 'NOVALUES'), ['0', ['a1', 'a2']]);
    assert.deepEqual(await raw.call('HSCAN', 's:small', '0', 'novalues', 'MATCH', '*'), ['0', ['a1', 'b1', 'a2']]);
  });

  it('a hashtable: bounded work per call and every field present throughout is returned', async () => {
    await raw.call('DEL', 's:big');
    const n = 2000;
    await raw.call('HSET', 's:big', ...Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`]).flat());
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    let removed = 0;
    do {
      const [next, items] = (await raw.call('HSCAN', 's:big', cursor, 'COUNT', '25')) as [string, string[]];
      assert.ok(items.length <= 50, `call ${calls} returned ${items.length} items`);
      for (let i = 0; i < items.length; i += 2) {
        assert.equal(items[i + 1], items[i].startsWith('new') ? 'x' : 'v' + items[i].slice(1));
        seen.add(items[i]);
      }
      // Meanwhile fields 1500.. come and go.
      await raw.call('HDEL', 's:big', `f${1500 + (calls % 500)}`);
      removed++;
      await raw.call('HSET', 's:big', `new${calls}`, 'x');
      cursor = next;
      calls++;
    } while (cursor !== '0' && calls < 1000);
    assert.equal(cursor, '0');
    assert.ok(calls >= 2000 / 25, `${calls} calls`);
    for (let i = 0; i < 1500; i++) assert.ok(seen.has(`f${i}`), `f${i} was not returned`);
    const keysOnly = (await raw.call('HSCAN', 's:big', '0', 'COUNT', '10', 'NOVALUES')) as [string, string[]];
    assert.ok(keysOnly[1].length <= 10 && keysOnly[1].length > 0);
    assert.ok(removed > 0);
  });
});

describe('encodings', () => {
  it('listpack up to hash-max-listpack-entries / -value, then hashtable for good; CONFIG SET applies', async () => {
    await raw.call('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
    await raw.call('CONFIG', 'SET', 'hash-max-listpack-value', '8');
    try {
      await raw.call('DEL', 'c:1', 'c:2', 'c:3', 'c:4', 'c:5');
      await raw.call('HSET', 'c:1', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:1'), 'listpack');
      await raw.call('HSET', 'c:1', 'e', '5');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:1'), 'hashtable');
      await raw.call('HDEL', 'c:1', 'a', 'b', 'c', 'd');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:1'), 'hashtable');
      // A long value or field converts; exactly the limit does not.
      await raw.call('HSET', 'c:2', 'f', '12345678');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:2'), 'listpack');
      await raw.call('HSET', 'c:2', '123456789', 'x');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:2'), 'hashtable');
      // HSET with more pairs than the limit converts even if they repeat.
      await raw.call('HSET', 'c:3', 'a', '1', 'a', '2', 'a', '3', 'a', '4', 'a', '5');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:3'), 'hashtable');
      assert.equal(await raw.call('HLEN', 'c:3'), 1);
      // An increment producing a value longer than the limit converts.
      await raw.call('HSET', 'c:4', 'f', '1');
      await raw.call('HINCRBYFLOAT', 'c:4', 'f', '0.000001');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:4'), 'listpack');
      await raw.call('HINCRBYFLOAT', 'c:4', 'f', '0.0000001');
      assert.equal(await raw.call('HGET', 'c:4', 'f'), '1.0000011');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:4'), 'hashtable');
      await raw.call('HINCRBY', 'c:5', 'i', '12345678');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:5'), 'listpack');
      await raw.call('HINCRBY', 'c:5', 'i', '100000000');
      assert.equal(await raw.call('OBJECT', 'ENCODING', 'c:5'), 'hashtable');
    } finally {
      await raw.call('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      await raw.call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
    }
  });

  it('MEMORY USAGE grows with the hash', async () => {
    await raw.call('DEL', 'm:1');
    await raw.call('HSET', 'm:1', 'a', '1');
    const small = (await raw.call('MEMORY', 'USAGE', 'm:1')) as number;
    await raw.call('HSET', 'm:1', ...Array.from({ length: 100 }, (_, i) => [`field${i}`, 'x'.repeat(50)]).flat());
    const mid = (await raw.call('MEMORY', 'USAGE', 'm:1')) as number;
    await raw.call('HSET', 'm:1', ...Array.from({ length: 1000 }, (_, i) => [`field${i}`, 'x'.repeat(50)]).flat());
    const big = (await raw.call('MEMORY', 'USAGE', 'm:1', 'SAMPLES', '0')) as number;
    assert.ok(small > 0 && mid > small + 100 * 50 && big > mid * 5, `${small} ${mid} ${big}`);
  });
});

describe('side effects', () => {
  it('keyspace events with Valkey names and order', async () => {
    await raw.call('DEL', 'n:a');
    const got = await events(async () => {
      await raw.call('HSET', 'n:a', 'f', '1');
      await raw.call('HMSET', 'n:a', 'g', '2');
      await raw.call('HSETNX', 'n:a', 'f', 'x');
      await raw.call('HSETNX', 'n:a', 'h', 'x');
      await raw.call('HINCRBY', 'n:a', 'f', '2');
      await raw.call('HINCRBYFLOAT', 'n:a', 'f', '2.5');
      await raw.call('HINCRBY', 'n:a', 'h', '1');
      await raw.call('HDEL', 'n:a', 'zz');
      await raw.call('HDEL', 'n:a', 'f', 'g');
      await raw.call('HGET', 'n:a', 'h');
      await raw.call('HDEL', 'n:a', 'h');
    });
    assert.deepEqual(got, [
      'n:new:n:a', 'h:hset:n:a', 'h:hset:n:a', 'h:hset:n:a', 'h:hincrby:n:a', 'h:hincrbyfloat:n:a',
      'h:hdel:n:a', 'h:hdel:n:a', 'g:del:n:a',
    ]);
  });

  it('propagates HINCRBYFLOAT as the HSET of its result, the others as they are', async () => {
    await raw.call('DEL', 'p:a');
    const out = await propagated(async () => {
      await raw.call('HSET', 'p:a', 'f', '1');
      await raw.call('HINCRBYFLOAT', 'p:a', 'f', '0.5');
      await raw.call('HINCRBY', 'p:a', 'i', '3');
      await raw.call('HSETNX', 'p:a', 'f', 'no');
      await raw.call('HSETNX', 'p:a', 'g', 'yes');
      await raw.call('HDEL', 'p:a', 'zz');
      await raw.call('HDEL', 'p:a', 'g');
      await raw.call('HGET', 'p:a', 'f');
      await raw.call('HINCRBYFLOAT', 'p:a', 'f', 'x');
    });
    assert.deepEqual(out, [
      ['HSET', 'p:a', 'f', '1'],
      ['HSET', 'p:a', 'f', '1.5'],
      ['HINCRBY', 'p:a', 'i', '3'],
      ['HSETNX', 'p:a', 'g', 'yes'],
      ['HDEL', 'p:a', 'g'],
    ]);
  });

  it('dirty counts writes', async () => {
    await raw.call('DEL', 'd:a');
    const before = srv.server.dirty;
    await raw.call('HSET', 'd:a', 'a', '1', 'b', '2', 'a', '3');
    await raw.call('HDEL', 'd:a', 'a', 'b');
    await raw.call('HSETNX', 'd:a', 'x', '1');
    await raw.call('HSETNX', 'd:a', 'x', '1');
    await raw.call('HINCRBY', 'd:a', 'x', '1');
    assert.equal(srv.server.dirty - before, 3 + 2 + 1 + 1);
  });

  it('WATCH sees hash changes, not failed or empty ones', async () => {
    await raw.call('DEL', 'w:a');
    await raw.call('HSET', 'w:a', 'f', 'x');
    const w = await RawClient.connect(srv.port);
    try {
      await w.call('WATCH', 'w:a');
      await raw.call('HDEL', 'w:a', 'nothing');
      await raw.call('HSETNX', 'w:a', 'f', 'y');
      await raw.call('HINCRBY', 'w:a', 'f', '1');
      await w.call('MULTI');
      await w.call('HLEN', 'w:a');
      assert.deepEqual(await w.call('EXEC'), [1]);
      await w.call('WATCH', 'w:a');
      await raw.call('HSET', 'w:a', 'f', 'y');
      await w.call('MULTI');
      await w.call('HLEN', 'w:a');
      assert.equal(await w.call('EXEC'), null);
      await w.call('WATCH', 'w:a');
      await raw.call('HDEL', 'w:a', 'f');
      await w.call('MULTI');
      await w.call('HLEN', 'w:a');
      assert.equal(await w.call('EXEC'), null);
    } finally {
      w.close();
    }
  });

  it('a snapshot sees the value before an in-place change', async () => {
    await raw.call('DEL', 'g:a', 'g:b');
    await raw.call('HSET', 'g:a', 'f', 'x');
    await raw.call('HSET', 'g:b', 'f', 'x', 'i', '1');
    const seen = await valuesBeforeChange(srv, async () => {
      await raw.call('HSET', 'g:a', 'f', 'y');
      await raw.call('HDEL', 'g:b', 'f');
      await raw.call('HINCRBY', 'g:a', 'i', '1');
      await raw.call('HINCRBYFLOAT', 'g:b', 'i', '1');
      await raw.call('HSETNX', 'g:a', 'n', '1');
      await raw.call('HGET', 'g:b', 'i');
    });
    assert.deepEqual(seen.map((s) => s[0]), ['g:a', 'g:b', 'g:a', 'g:b', 'g:a']);
  });
});

// ---------------------------------------------------------------------------------------------
// Field TTLs (Valkey 9.0 hash field expiration, loaded through RDB type 22)
// ---------------------------------------------------------------------------------------------

/** A DUMP payload around a hand-built body (type byte + encoding). */
function payload(body: Buffer, version = 9): Buffer {
  const head = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(0n, head));
  return Buffer.concat([head, crc]);
}

function body(fn: (w: RdbWriter) => void): Buffer {
  const w = new RdbWriter(false);
  fn(w);
  return Buffer.from(w.toBuffer());
}

/** An RDB_TYPE_HASH_2 body: [field, value, expire-at ms or -1]. */
function hash2(entries: [string, string, number][]): Buffer {
  return body((w) => {
    w.byte(22);
    w.len(entries.length);
    for (const [f, v, at] of entries) {
      w.string(f);
      w.string(v);
      w.millis(at);
    }
  });
}

describe('field TTLs', () => {
  // These tests look at expired fields that are still there: keep active expiry from reclaiming them.
  before(async () => {
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  });
  after(async () => {
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  });
  const later = () => Date.now() + 3_600_000;
  const past = () => Date.now() - 10_000;

  async function restoreVolatile(key: string): Promise<number> {
    const keep = later();
    await raw.call('DEL', key);
    const p = payload(hash2([['plain', '1', -1], ['live', '5', keep], ['gone', '7', past()]]), 80);
    assert.equal(await raw.call('RESTORE', key, '0', p), 'OK');
    return keep;
  }

  it('reads hide fields past their TTL; HLEN still counts them', async () => {
    await restoreVolatile('t:r');
    assert.equal(await raw.call('OBJECT', 'ENCODING', 't:r'), 'hashtable');
    assert.equal(await raw.call('HLEN', 't:r'), 3);
    assert.equal(await raw.call('HGET', 't:r', 'gone'), null);
    assert.equal(await raw.call('HGET', 't:r', 'live'), '5');
    assert.deepEqual(await raw.call('HMGET', 't:r', 'gone', 'plain'), [null, '1']);
    assert.equal(await raw.call('HEXISTS', 't:r', 'gone'), 0);
    assert.equal(await raw.call('HSTRLEN', 't:r', 'gone'), 0);
    assert.equal(await rawReply(raw3, 'HGETALL', 't:r'), '%2\r\n$5\r\nplain\r\n$1\r\n1\r\n$4\r\nlive\r\n$1\r\n5\r\n');
    assert.deepEqual(await raw.call('HKEYS', 't:r'), ['plain', 'live']);
    assert.deepEqual(await raw.call('HVALS', 't:r'), ['1', '5']);
    const [, scanned] = (await raw.call('HSCAN', 't:r', '0', 'COUNT', '100')) as [string, string[]];
    assert.deepEqual([...scanned].sort(), ['1', '5', 'live', 'plain']);
    assert.deepEqual([...((await raw.call('HRANDFIELD', 't:r', '10')) as string[])].sort(), ['live', 'plain']);
    assert.deepEqual([...((await raw.call('HRANDFIELD', 't:r', '2')) as string[])].sort(), ['live', 'plain']);
    const reps = (await raw.call('HRANDFIELD', 't:r', '-50')) as string[];
    assert.equal(reps.length, 50);
    assert.ok(reps.every((f) => f === 'plain' || f === 'live'));
    for (let i = 0; i < 20; i++) assert.notEqual(await raw.call('HRANDFIELD', 't:r'), 'gone');
    // HDEL does not find it either.
    assert.equal(await raw.call('HDEL', 't:r', 'gone'), 0);
    assert.equal(await raw.call('HLEN', 't:r'), 3);
  });

  it('HSET replaces an expired field as a new one and clears TTLs; HINCRBY keeps a TTL', async () => {
    const keep = await restoreVolatile('t:w');
    let reply: unknown;
    const got = await events(async () => {
      reply = await raw.call('HSET', 't:w', 'gone', 'back', 'plain', '2');
    });
    assert.equal(reply, 1);
    assert.deepEqual(got, ['h:hexpired:t:w', 'h:hset:t:w']);
    assert.equal(hashAt('t:w').fieldExpire('gone'), -1);
    assert.equal(await raw.call('HGET', 't:w', 'gone'), 'back');
    // HINCRBY keeps the TTL of a live field and is propagated with it.
    const out = await propagated(async () => {
      assert.equal(await raw.call('HINCRBY', 't:w', 'live', '10'), 15);
    });
    assert.deepEqual(out, [['HSETEX', 't:w', 'PXAT', String(keep), 'FIELDS', '1', 'live', '15']]);
    assert.equal(hashAt('t:w').fieldExpire('live'), keep);
    assert.equal(await raw.call('HINCRBYFLOAT', 't:w', 'live', '0.5'), '15.5');
    assert.equal(hashAt('t:w').fieldExpire('live'), keep);
    // HSET clears it.
    await raw.call('HSET', 't:w', 'live', 'x');
    assert.equal(hashAt('t:w').fieldExpire('live'), -1);
  });

  it('increments and HSETNX treat an expired field as missing', async () => {
    await restoreVolatile('t:i');
    assert.equal(await raw.call('HINCRBY', 't:i', 'gone', '1'), 1);
    assert.equal(hashAt('t:i').fieldExpire('gone'), -1);
    await restoreVolatile('t:i');
    assert.equal(await raw.call('HINCRBYFLOAT', 't:i', 'gone', '1.5'), '1.5');
    await restoreVolatile('t:i');
    let out: string[][] = [];
    const got = await events(async () => {
      out = await propagated(async () => {
        assert.equal(await raw.call('HSETNX', 't:i', 'gone', 'new'), 1);
        assert.equal(await raw.call('HSETNX', 't:i', 'live', 'new'), 0);
        // A hash with TTLs propagates HINCRBY as the HSET of its result.
        assert.equal(await raw.call('HINCRBY', 't:i', 'plain', '2'), 3);
      });
    });
    assert.deepEqual(out, [['HSET', 't:i', 'gone', 'new'], ['HSET', 't:i', 'plain', '3']]);
    assert.deepEqual(got, ['h:hexpired:t:i', 'h:hset:t:i', 'h:hincrby:t:i']);
  });

  it('DUMP keeps the TTLs (type 22) and RESTORE brings them back', async () => {
    const keep = await restoreVolatile('t:d');
    const dump = Buffer.from((await raw.call('DUMP', 't:d')) as string, 'latin1');
    assert.equal(dump[0], 22);
    assert.equal(await raw.call('RESTORE', 't:d2', '0', dump, 'REPLACE'), 'OK');
    assert.equal(hashAt('t:d2').fieldExpire('live'), keep);
    assert.equal(hashAt('t:d2').fieldExpire('plain'), -1);
    assert.equal(await raw.call('HLEN', 't:d2'), 3);
    assert.equal(await raw.call('HGET', 't:d2', 'gone'), null);
    assert.equal((await raw.call('DUMP', 't:d2')) as string, dump.toString('latin1'));
    // Without TTLs left, a hashtable is saved as type 4 again.
    await raw.call('HSET', 't:d2', 'live', '1', 'gone', '2');
    assert.equal(Buffer.from((await raw.call('DUMP', 't:d2')) as string, 'latin1')[0], 4);
  });

  it('refuses a bad type 22 expire time', async () => {
    const p = payload(hash2([['a', '1', -2]]), 80);
    assert.deepEqual(await raw.call('RESTORE', 't:bad', '0', p), { error: BAD_DATA });
  });
});

// ---------------------------------------------------------------------------------------------
// RDB: DUMP / RESTORE
// ---------------------------------------------------------------------------------------------

/** A zipmap (Redis 2.4's hash encoding) of the pairs, lengths < 254. */
function zipmap(pairs: [string, string][], countByte = pairs.length): Buffer {
  const parts: number[] = [countByte];
  for (const [f, v] of pairs) {
    parts.push(f.length, ...Buffer.from(f, 'latin1'));
    parts.push(v.length, 2, ...Buffer.from(v, 'latin1'), 0, 0);
  }
  parts.push(255);
  return Buffer.from(parts);
}

describe('RDB encodings', () => {
  it('RESTOREs old hash encodings (hash, ziplist, zipmap) and picks the encoding by the limits', async () => {
    const pairs: [string, string][] = [['a', '1'], ['b', 'hello'], ['-5', '70000'], ['big', '9223372036854775807']];
    const flat = pairs.flat();
    const cases: [string, Buffer, string][] = [
      ['hash', body((w) => { w.byte(4); w.len(pairs.length); for (const s of flat) w.string(s); }), 'listpack'],
      ['ziplist', body((w) => { w.byte(13); w.string(encodeZiplist(flat)); }), 'listpack'],
      ['zipmap', body((w) => { w.byte(9); w.string(zipmap(pairs)); }), 'listpack'],
      ['zipmap, unknown count', body((w) => { w.byte(9); w.string(zipmap(pairs, 254)); }), 'listpack'],
      ['listpack', body((w) => { w.byte(16); w.string(encodeListpack(flat)); }), 'listpack'],
    ];
    for (const [name, b, encoding] of cases) {
      await io.del('o:old');
      assert.equal(await io.call('RESTORE', 'o:old', '0', payload(b)), 'OK', name);
      assert.deepEqual(await raw.call('HGETALL', 'o:old'), flat, name);
      assert.equal(await io.call('OBJECT', 'ENCODING', 'o:old'), encoding, name);
    }
    // Too many fields for a listpack: loaded as a hashtable.
    await raw.call('CONFIG', 'SET', 'hash-max-listpack-entries', '3');
    try {
      for (const [name, b] of cases) {
        await io.del('o:old');
        assert.equal(await io.call('RESTORE', 'o:old', '0', payload(b)), 'OK', name);
        assert.equal(await io.call('OBJECT', 'ENCODING', 'o:old'), 'hashtable', name);
        assert.equal(await io.hlen('o:old'), 4);
      }
    } finally {
      await raw.call('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
    }
    // A long value: type 4 and zipmap convert, a listpack or ziplist is kept as it is (Valkey
    // checks only the count there).
    const long: [string, string][] = [['f', 'x'.repeat(100)]];
    const longCases: [string, Buffer, string][] = [
      ['hash', body((w) => { w.byte(4); w.len(1); w.string('f'); w.string('x'.repeat(100)); }), 'hashtable'],
      ['zipmap', body((w) => { w.byte(9); w.string(zipmap(long)); }), 'hashtable'],
      ['listpack', body((w) => { w.byte(16); w.string(encodeListpack(long.flat())); }), 'listpack'],
      ['ziplist', body((w) => { w.byte(13); w.string(encodeZiplist(long.flat())); }), 'listpack'],
    ];
    for (const [name, b, encoding] of longCases) {
      await io.del('o:long');
      assert.equal(await io.call('RESTORE', 'o:long', '0', payload(b)), 'OK', name);
      assert.equal(await io.call('OBJECT', 'ENCODING', 'o:long'), encoding, name);
      assert.equal(await io.hget('o:long', 'f'), 'x'.repeat(100));
    }
  });

  it('decodes zipmaps with long lengths and free space', () => {
    const f = 'k'.repeat(300);
    const zm = Buffer.concat([
      Buffer.from([1, 254]), Buffer.from([44, 1, 0, 0]), Buffer.from(f, 'latin1'),
      Buffer.from([3, 4]), Buffer.from('abc'), Buffer.alloc(4), Buffer.from([255]),
    ]);
    assert.deepEqual(decodeZipmap(zm), [f, 'abc']);
  });

  it('refuses corrupt, duplicate and empty hash payloads', async () => {
    const bad: [string, Buffer][] = [
      ['empty type 4', body((w) => { w.byte(4); w.len(0); })],
      ['dup type 4', body((w) => { w.byte(4); w.len(2); w.string('a'); w.string('1'); w.string('a'); w.string('2'); })],
      ['truncated type 4', body((w) => { w.byte(4); w.len(3); w.string('a'); w.string('1'); })],
      ['empty listpack', body((w) => { w.byte(16); w.string(encodeListpack([])); })],
      ['odd listpack', body((w) => { w.byte(16); w.string(encodeListpack(['a', '1', 'b'])); })],
      ['dup listpack', body((w) => { w.byte(16); w.string(encodeListpack(['a', '1', 'a', '2'])); })],
      ['broken listpack', body((w) => { w.byte(16); w.string(Buffer.from('0b00000002008161ff', 'hex')); })],
      ['odd ziplist', body((w) => { w.byte(13); w.string(encodeZiplist(['a'])); })],
      ['dup ziplist', body((w) => { w.byte(13); w.string(encodeZiplist(['a', '1', 'a', '1'])); })],
      ['empty zipmap', body((w) => { w.byte(9); w.string(Buffer.from([0, 255])); })],
      ['zipmap count', body((w) => { w.byte(9); w.string(zipmap([['a', '1']], 3)); })],
      ['zipmap dup', body((w) => { w.byte(9); w.string(zipmap([['a', '1'], ['a', '2']])); })],
      ['zipmap overrun', body((w) => { w.byte(9); w.string(Buffer.from([1, 5, 97, 255])); })],
      ['zipmap no end', body((w) => { w.byte(9); w.string(Buffer.from([1, 1, 97, 1, 0, 98])); })],
      ['zipmap big length', body((w) => { w.byte(9); w.string(Buffer.from([1, 254, 255, 255, 255, 127, 97, 255])); })],
      ['type 22 truncated', hash2([['a', '1', 5]]).subarray(0, -3)],
    ];
    for (const [name, b] of bad) {
      assert.deepEqual(await raw.call('RESTORE', 'o:bad', '0', payload(b, 80), 'REPLACE'), { error: BAD_DATA }, name);
    }
    assert.equal(await raw.call('EXISTS', 'o:bad'), 0);
  });

  it('DUMP / RESTORE round trip keeps fields and encoding; DEBUG RELOAD too', async () => {
    await raw.call('DEL', 'o:lp', 'o:ht');
    await raw.call('HSET', 'o:lp', 'a', '1', 'b', '-300', 'c', 'text');
    await raw.call('HSET', 'o:ht', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, String(i * 7)]).flat());
    for (const key of ['o:lp', 'o:ht']) {
      const dump = (await raw.call('DUMP', key)) as string;
      await raw.call('RESTORE', key + ':copy', '0', Buffer.from(dump, 'latin1'), 'REPLACE');
      assert.deepEqual(await raw.call('HGETALL', key + ':copy'), await raw.call('HGETALL', key));
      assert.equal(await raw.call('OBJECT', 'ENCODING', key + ':copy'), await raw.call('OBJECT', 'ENCODING', key));
      assert.equal(await raw.call('DUMP', key + ':copy'), dump);
    }
    const digest = await raw.call('DEBUG', 'DIGEST');
    assert.equal(await raw.call('DEBUG', 'RELOAD'), 'OK');
    assert.equal(await raw.call('DEBUG', 'DIGEST'), digest);
    assert.equal(await raw.call('OBJECT', 'ENCODING', 'o:lp'), 'listpack');
    assert.equal(await raw.call('OBJECT', 'ENCODING', 'o:ht'), 'hashtable');
  });
});

// ---------------------------------------------------------------------------------------------
// Against the reference server
// ---------------------------------------------------------------------------------------------

const available = referenceAvailable();

describe('against the reference redis-server', { skip: available ? false : 'redis-server is not installed' }, () => {
  let ref: ReferenceServer;
  let r: RawClient;

  before(async () => {
    ref = await startReference();
    r = await RawClient.connect(ref.port);
  });

  after(async () => {
    r.close();
    await ref.stop();
  });

  /** Run the same commands on both servers. */
  async function both(...argv: (string | number | Buffer)[]): Promise<[unknown, unknown]> {
    return Promise.all([raw.call(...argv), r.call(...argv)]);
  }

  it('DUMP of a listpack hash is byte-identical, and each side RESTOREs the other\'s payload', async () => {
    const shapes: string[][] = [
      ['a', '1', 'b', '2'],
      ['n', '-1', 'm', '127', 'o', '128', 'p', '-4096', 'q', '70000', 'r', '-2147483649', 's', '9223372036854775807', 't', '007', 'u', '-0', 'v', ''],
      Array.from({ length: 100 }, (_, i) => [`field:${i}`, 'v'.repeat(i % 60)]).flat(),
      ['long', 'x'.repeat(60), 'longer', 'y'.repeat(63)],
    ];
    for (const flat of shapes) {
      await both('DEL', 'x:d', 'x:d2');
      await both('HSET', 'x:d', ...flat);
      const [encA, encB] = await both('OBJECT', 'ENCODING', 'x:d');
      assert.equal(encA, 'listpack');
      assert.equal(encB, 'listpack');
      const [a, b] = await both('DUMP', 'x:d');
      assert.equal(Buffer.from(a as string, 'latin1').subarray(0, -10).toString('hex'), Buffer.from(b as string, 'latin1').subarray(0, -10).toString('hex'));
      assert.equal(await raw.call('RESTORE', 'x:d2', '0', Buffer.from(b as string, 'latin1')), 'OK');
      // 7.0 refuses RDB version 80 footers: re-wrap the same body with its own version.
      assert.equal(await r.call('RESTORE', 'x:d2', '0', payload(Buffer.from(a as string, 'latin1').subarray(0, -10), 10)), 'OK');
      const [ha, hb] = await both('HGETALL', 'x:d2');
      assert.deepEqual(ha, flat);
      assert.deepEqual(hb, flat);
      const [da, db] = await both('DEBUG', 'DIGEST-VALUE', 'x:d');
      assert.deepEqual(da, db);
    }
  });

  it('a hashtable hash RESTOREs across both ways with equal digests', async () => {
    await both('DEL', 'x:h', 'x:h2');
    await both('HSET', 'x:h', ...Array.from({ length: 700 }, (_, i) => [`f${i}`, i % 3 ? String(i) : 'text' + i]).flat());
    const [a, b] = await both('DUMP', 'x:h');
    assert.equal(Buffer.from(a as string, 'latin1')[0], 4);
    assert.equal(await raw.call('RESTORE', 'x:h2', '0', Buffer.from(b as string, 'latin1')), 'OK');
    assert.equal(await r.call('RESTORE', 'x:h2', '0', payload(Buffer.from(a as string, 'latin1').subarray(0, -10), 10)), 'OK');
    const [da, db] = await both('DEBUG', 'DIGEST-VALUE', 'x:h2');
    assert.deepEqual(da, db);
    const [ea, eb] = await both('OBJECT', 'ENCODING', 'x:h2');
    assert.equal(ea, eb);
  });

  it('random hash commands give the reference\'s replies, crossing the encoding thresholds', async () => {
    const fjordClient = raw;
    // DEBUG DIGEST covers the whole dataset: start both from nothing.
    await both('FLUSHALL');
    const settings: [string, string][] = [['8', '16'], ['512', '64'], ['2', '4']];
    for (const [si, [entries, value]] of settings.entries()) {
      await both('CONFIG', 'SET', 'hash-max-listpack-entries', entries);
      await both('CONFIG', 'SET', 'hash-max-listpack-value', value);
      const seed = seedFromEnv(4242 + si);
      await both('DEL', ...HASH_KEYS, ...OTHER_KEYS);
      const result = await runDifferential({
        fjordPort: srv.port,
        refPort: ref.port,
        seed,
        count: 1500,
        generate: generateHashCommand,
        resetEvery: 300,
        reset: async (refClient) => {
          for (const c of [refClient, fjordClient]) {
            await c.call('DEL', 'k:str', 'k:set');
            await c.call('SET', 'k:str', 'text');
            await c.call('SADD', 'k:set', '3', '1', '20');
          }
        },
        knownDifference: isKnownDifference,
        normalize: normalizeReply,
      });
      assert.equal(result.compared, 1500);
      const [da, db] = await both('DEBUG', 'DIGEST');
      assert.equal(da, db, `seed ${seed}: dataset digests differ`);
      if (process.env.FJORD_SEED) break;
    }
    await both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
    await both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
  });
});

const HASH_KEYS = ['k:a', 'k:b', 'k:c'];
const OTHER_KEYS = ['k:str', 'k:set', 'k:none'];

function key(rng: Rng): string {
  return rng.chance(0.92) ? rng.pick(HASH_KEYS) : rng.pick(OTHER_KEYS);
}

function field(rng: Rng): string {
  const r = rng.int(20);
  if (r < 14) return `f${rng.int(12)}`;
  if (r < 16) return String(rng.int(40) - 10);
  if (r < 18) return rng.pick(['', '007', '-0', 'f*', 'a?b']);
  return 'F'.repeat(rng.int(80));
}

function value(rng: Rng): string {
  const r = rng.int(20);
  if (r < 6) return rng.pick(['a', 'b', 'hello']);
  if (r < 12) return String(rng.int(200) - 100);
  if (r < 14) return rng.pick(['1.5', '-0.25', '1e3', '3.0', '9223372036854775807', '-9223372036854775808', '18446744073709551616', ' 5', 'inf']);
  if (r < 17) return 'v'.repeat(rng.int(30));
  return 'w'.repeat(rng.int(120));
}

function pairs(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => [field(rng), value(rng)]).flat();
}

function increment(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(['x', '1.5', '9223372036854775807', '-9223372036854775808', '', ' 1']);
  return String(rng.int(2000) - 1000);
}

function floatIncrement(rng: Rng): string {
  if (rng.chance(0.15)) return rng.pick(['x', 'inf', '-inf', 'nan', '1e400', '1e5000', '0x10', '', '.5', '5.']);
  return rng.pick(['0.1', '-0.2', '1.5', '3', '-7.25', '1e3', '2.5e-3', '10.00']);
}

function generateHashCommand(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(26)) {
    case 0:
    case 1:
    case 2:
      return ['HSET', k, ...pairs(rng, 1 + rng.int(4)), ...(rng.chance(0.03) ? ['odd'] : [])];
    case 3:
      return ['HMSET', k, ...pairs(rng, 1 + rng.int(3))];
    case 4:
      return ['HSETNX', k, field(rng), value(rng)];
    case 5:
    case 6:
      return ['HGET', k, field(rng)];
    case 7:
      return ['HMGET', k, ...Array.from({ length: 1 + rng.int(4) }, () => field(rng))];
    case 8:
      return [rng.pick(['HGETALL', 'HKEYS', 'HVALS']), k];
    case 9:
      return ['HLEN', k];
    case 10:
      return ['HEXISTS', k, field(rng)];
    case 11:
    case 12:
      return ['HDEL', k, ...Array.from({ length: 1 + rng.int(4) }, () => field(rng))];
    case 13:
    case 14:
      return ['HINCRBY', k, field(rng), increment(rng)];
    case 15:
    case 16:
      return ['HINCRBYFLOAT', k, field(rng), floatIncrement(rng)];
    case 17:
      return ['HSTRLEN', k, field(rng)];
    case 18:
    case 19: {
      const argv = ['HRANDFIELD', k];
      if (rng.chance(0.8)) argv.push(rng.pick(['0', '1', '2', '3', '5', '20', '-1', '-3', '-10', 'x', '-9223372036854775808', '4611686018427387904']));
      if (argv.length === 3 && rng.chance(0.5)) argv.push(rng.chance(0.95) ? 'WITHVALUES' : 'bad');
      return argv;
    }
    case 20: {
      // (Cursors other than 0 mean different things in a dict and in Fjord's table.)
      const argv = ['HSCAN', k, rng.chance(0.95) ? '0' : rng.pick(['x', '0x1', ''])];
      argv.push('COUNT', rng.chance(0.95) ? '1000' : rng.pick(['0', 'x']));
      if (rng.chance(0.4)) argv.push('MATCH', rng.pick(['f1*', '*', 'f?', '[a-f]*', '-*']));
      if (rng.chance(0.1)) argv.push(rng.pick(['NOSCORES', 'TYPE']));
      return argv;
    }
    case 21:
      return ['OBJECT', 'ENCODING', k];
    case 22:
      return ['DEBUG', 'DIGEST-VALUE', k];
    case 23:
      return ['DUMP', k];
    default:
      return [rng.pick(['TYPE', 'EXISTS']), k];
  }
}

/** Valkey 9.0 vs Redis 7.0 differences that are documented. */
function isKnownDifference(argv: string[], fjord: unknown, ref: unknown): boolean {
  // ZSCAN's NOSCORES came with Valkey 8.0: 7.0 calls it a syntax error anywhere.
  const error = (x: unknown) => (typeof x === 'object' && x !== null ? (x as { error?: string }).error : undefined);
  // Valkey's string2ull refuses an empty cursor; 7.0's strtoull read it as 0.
  if (argv[0] === 'HSCAN' && argv[2] === '') return error(fjord) === 'ERR invalid cursor';
  if (argv[0] === 'HSCAN' && argv.includes('NOSCORES')) return error(fjord) === 'ERR NOSCORES option can only be used in ZSCAN' && error(ref) === SYNTAX;
  return false;
}

function sortedPairs(flat: string[]): string[] {
  const pairsOf: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairsOf.push([flat[i], flat[i + 1]]);
  pairsOf.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return pairsOf.flat();
}

/**
 * Order-free comparisons where the order is the hashtable's own (HGETALL, HKEYS, HVALS, HSCAN),
 * random replies by shape, DUMP by body (the footer's RDB version differs; a hashtable's body
 * by its length only, its order being the table's).
 */
function normalizeReply(argv: string[], reply: unknown): unknown {
  const cmd = argv[0].toUpperCase();
  const isTagged = (x: unknown): x is { type: string; value: unknown[] } => typeof x === 'object' && x !== null && 'type' in x;
  if (cmd === 'HGETALL' && isTagged(reply)) return { type: reply.type, pairs: sortedPairs(reply.value as string[]) };
  if (cmd === 'HGETALL' && Array.isArray(reply)) return { type: 'array', pairs: sortedPairs(reply as string[]) };
  if ((cmd === 'HKEYS' || cmd === 'HVALS') && Array.isArray(reply)) return [...(reply as string[])].sort();
  if (cmd === 'HSCAN' && Array.isArray(reply)) {
    const [cursor, items] = reply as [string, string[]];
    const noValues = argv.some((a) => a.toUpperCase() === 'NOVALUES');
    return [cursor, noValues ? [...items].sort() : sortedPairs(items)];
  }
  if (cmd === 'HRANDFIELD' && Array.isArray(reply)) {
    // Shape only: how many, and (for positive counts) that they are distinct.
    const flat = (reply as unknown[]).flatMap((x) => (Array.isArray(x) ? ['[', ...x] : [x]));
    const fields = argv.length === 4 ? (reply as unknown[]).map((x, i) => (Array.isArray(x) ? x[0] : i % 2 === 0 ? x : null)).filter((x) => x !== null) : reply;
    const distinct = new Set(fields as string[]).size === (fields as string[]).length;
    return { length: flat.length, distinct: Number(argv[2]) > 0 ? distinct : 'n/a' };
  }
  if (cmd === 'HRANDFIELD' && typeof reply === 'string') return 'a field';
  if (cmd === 'DUMP' && typeof reply === 'string') {
    const b = Buffer.from(reply, 'latin1').subarray(0, -10);
    return b[0] === 16 ? b.toString('hex') : `type ${b[0]}, ${b.length} bytes`;
  }
  return reply;
}
