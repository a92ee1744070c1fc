// String commands: behaviour through real clients (ioredis, node-redis), exact protocol checks
// (RESP2 and RESP3) with RawClient, the side effects (TTL, propagation, notifications, storage)
// through the in-process server, and a differential run against the reference redis-server.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, startFjord, RawClient, startReference, referenceAvailable, sleep, type RunningServer, type ReferenceServer } from '../helpers';
import { runDifferential, seedFromEnv, ttlClass, rawReply, propagated as propagatedBy, keyspaceEvents, valuesBeforeChange, type Rng } from './differential';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

const db = () => srv.server.dbs[0];
const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);

/** Make `key` a list, for the WRONGTYPE paths. */
async function makeList(key: string): Promise<void> {
  await io.del(key);
  await io.rpush(key, 'x');
}

before(async () => {
  ({ srv, io, raw, raw3 } = await startWithClients({}, { stringNumbers: true }));
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

describe('GET / SET', () => {
  it('sets and gets binary-safe values', async () => {
    assert.equal(await io.set('s:a', 'hello'), 'OK');
    assert.equal(await io.get('s:a'), 'hello');
    assert.equal(await io.get('s:missing'), null);
    const bin = Buffer.from([0, 255, 13, 10, 128, 1]);
    await io.set('s:bin', bin);
    assert.deepEqual(await io.getBuffer('s:bin'), bin);
    await io.set('s:empty', '');
    assert.equal(await io.get('s:empty'), '');
  });

  it('NX, XX and GET', async () => {
    assert.equal(await io.set('s:nx', '1', 'NX'), 'OK');
    assert.equal(await io.set('s:nx', '2', 'NX'), null);
    assert.equal(await io.set('s:xx-missing', '1', 'XX'), null);
    assert.equal(await io.get('s:xx-missing'), null);
    assert.equal(await io.set('s:nx', '3', 'XX'), 'OK');
    assert.equal(await io.call('SET', 's:nx', '4', 'GET'), '3');
    assert.equal(await io.call('SET', 's:get-missing', 'v', 'GET'), null);
    assert.equal(await io.get('s:get-missing'), 'v');
    // NX with GET: the old value comes back even though nothing is set.
    assert.equal(await io.call('SET', 's:nx', '5', 'NX', 'GET'), '4');
    assert.equal(await io.get('s:nx'), '4');
  });

  it('IFEQ sets only on an equal current value', async () => {
    await io.set('s:ifeq', 'old');
    assert.equal(await io.call('SET', 's:ifeq', 'new', 'IFEQ', 'other'), null);
    assert.equal(await io.get('s:ifeq'), 'old');
    assert.equal(await io.call('SET', 's:ifeq', 'new', 'IFEQ', 'old'), 'OK');
    assert.equal(await io.get('s:ifeq'), 'new');
    assert.equal(await io.call('SET', 's:ifeq-missing', 'v', 'IFEQ', 'x'), null);
    assert.equal(db().peek('s:ifeq-missing'), undefined);
    assert.equal(await io.call('SET', 's:ifeq', 'newer', 'IFEQ', 'nope', 'GET'), 'new');
    assert.equal(await io.get('s:ifeq'), 'new');
    assert.equal(await io.call('SET', 's:ifeq', 'newer', 'IFEQ', 'new', 'GET', 'EX', '100'), 'new');
    assert.equal(await io.get('s:ifeq'), 'newer');
    assert.ok(db().getExpire('s:ifeq') > Date.now());
    for (const bad of [['NX', 'IFEQ', 'x'], ['IFEQ', 'x', 'XX'], ['IFEQ', 'x', 'IFEQ', 'y'], ['IFEQ']]) {
      await assert.rejects(io.call('SET', 's:ifeq', 'v', ...bad), { message: SYNTAX });
    }
    await makeList('s:ifeq-list');
    await assert.rejects(io.call('SET', 's:ifeq-list', 'v', 'IFEQ', 'x'), { message: WRONGTYPE });
    await assert.rejects(io.call('SET', 's:ifeq-list', 'v', 'IFEQ', 'x', 'GET'), { message: WRONGTYPE });
  });

  it('rejects conflicting and malformed options with a syntax error', async () => {
    const cases = [
      ['NX', 'XX'], ['XX', 'NX'], ['EX', '10', 'PX', '100'], ['PX', '10', 'EXAT', '100'], ['KEEPTTL', 'EX', '10'],
      ['EX', '10', 'KEEPTTL'], ['EX'], ['PERSIST'], ['FOO'], ['EXAT', '1', 'PXAT', '1'],
    ];
    for (const opts of cases) await assert.rejects(io.call('SET', 's:opt', 'v', ...opts), { message: SYNTAX }, opts.join(' '));
    // Repeating an option is fine; the last time wins.
    assert.equal(await io.call('SET', 's:opt', 'v', 'EX', '10', 'EX', '1000', 'NX', 'NX', 'GET', 'GET'), null);
    const ttl = db().getExpire('s:opt') - Date.now();
    assert.ok(ttl > 990_000 && ttl <= 1_000_000, String(ttl));
  });

  it('rejects invalid expire times', async () => {
    for (const [opt, v] of [['EX', '0'], ['PX', '-1'], ['EXAT', '0'], ['EX', '9223372036854775807'], ['PX', '9223372036854775807']]) {
      await assert.rejects(io.call('SET', 's:exp', 'v', opt, v), { message: "ERR invalid expire time in 'set' command" });
    }
    await assert.rejects(io.call('SET', 's:exp', 'v', 'EX', 'ten'), { message: NOT_INTEGER });
    await assert.rejects(io.call('SETEX', 's:exp', '0', 'v'), { message: "ERR invalid expire time in 'setex' command" });
    await assert.rejects(io.call('PSETEX', 's:exp', '-5', 'v'), { message: "ERR invalid expire time in 'psetex' command" });
    await assert.rejects(io.call('GETEX', 's:exp', 'EX', '0'), { message: "ERR invalid expire time in 'getex' command" });
    // The time is checked before the key is looked up, even for a missing key.
    await assert.rejects(io.call('GETEX', 's:exp-missing', 'EX', 'abc'), { message: NOT_INTEGER });
    assert.equal(await io.get('s:exp'), null);
  });

  it('sets expire times and keeps or drops them as Valkey does', async () => {
    const now = Date.now();
    await io.set('s:ttl', 'v', 'EX', 100);
    assert.ok(Math.abs(db().getExpire('s:ttl') - (now + 100_000)) < 2000);
    await io.set('s:ttl', 'v2', 'KEEPTTL');
    assert.ok(db().getExpire('s:ttl') > now);
    await io.incr('s:ttl-n');
    db().setExpire('s:ttl-n', now + 100_000);
    await io.incr('s:ttl-n');
    await io.append('s:ttl-n', '0');
    await io.call('INCRBYFLOAT', 's:ttl-n', '1.5');
    assert.ok(db().getExpire('s:ttl-n') > now, 'INCR, APPEND and INCRBYFLOAT keep the TTL');
    await io.set('s:ttl', 'v3');
    assert.equal(db().getExpire('s:ttl'), -1, 'a plain SET drops the TTL');
    await io.set('s:ttl', 'v', 'PX', 100000);
    await io.getset('s:ttl', 'x');
    assert.equal(db().getExpire('s:ttl'), -1, 'GETSET drops the TTL');
    await io.set('s:ttl', 'v', 'PX', 100000);
    await io.mset('s:ttl', 'y');
    assert.equal(db().getExpire('s:ttl'), -1, 'MSET drops the TTL');
    await io.call('SET', 's:ttl', 'v', 'EXAT', Math.floor(now / 1000) + 500);
    assert.equal(db().getExpire('s:ttl'), (Math.floor(now / 1000) + 500) * 1000);
    await io.call('SET', 's:ttl', 'v', 'PXAT', now + 12345);
    assert.equal(db().getExpire('s:ttl'), now + 12345);
    await io.setex('s:ttl2', 50, 'v');
    assert.ok(db().getExpire('s:ttl2') > now + 40_000);
    await io.psetex('s:ttl2', 50_000, 'w');
    assert.ok(db().getExpire('s:ttl2') < now + 60_000);
    assert.equal(await io.get('s:ttl2'), 'w');
  });

  it('a key set with a short TTL expires', async () => {
    await io.psetex('s:short', 60, 'v');
    await io.set('s:short2', 'v', 'PX', 60);
    assert.equal(await io.get('s:short'), 'v');
    await sleep(150);
    assert.equal(await io.get('s:short'), null);
    assert.equal(await io.get('s:short2'), null);
  });

  it('SET with a time already past deletes the key and replies OK', async () => {
    await io.set('s:past', 'v');
    assert.equal(await io.call('SET', 's:past', 'v2', 'PXAT', '1'), 'OK');
    assert.equal(db().peek('s:past'), undefined);
    assert.equal(await io.call('SET', 's:past', 'v3', 'EXAT', '1', 'GET'), null);
    await io.set('s:past', 'v4');
    assert.equal(await io.call('SET', 's:past', 'v5', 'EXAT', '1', 'GET'), 'v4');
    assert.equal(await io.get('s:past'), null);
  });

  it('replies WRONGTYPE on other types, except SET which overwrites them', async () => {
    await makeList('s:list');
    for (const cmd of [['GET'], ['GETEX'], ['GETDEL'], ['GETSET', 'v'], ['APPEND', 'v'], ['STRLEN'], ['GETRANGE', '0', '1'], ['SETRANGE', '0', 'v'], ['INCR'], ['DECRBY', '2'], ['INCRBYFLOAT', '1'], ['DELIFEQ', 'v'], ['SET', 'v', 'GET']]) {
      await assert.rejects(io.call(cmd[0], 's:list', ...cmd.slice(1)), { message: WRONGTYPE }, cmd[0]);
    }
    assert.deepEqual(await io.mget('s:list', 's:nx'), [null, '4']);
    assert.equal(await io.setnx('s:list', 'v'), '0');
    assert.equal(await io.call('MSETNX', 's:list', 'v', 's:list-other', 'w'), '0');
    await assert.rejects(io.call('LCS', 's:list', 's:nx'), { message: 'ERR The specified keys must contain string values' });
    assert.equal(await io.set('s:list', 'now a string'), 'OK');
    assert.equal(await io.get('s:list'), 'now a string');
  });
});

describe('GETEX / GETDEL / GETSET / SETNX / MSET family', () => {
  it('GETEX changes or removes the TTL', async () => {
    await io.set('s:gx', 'v');
    assert.equal(await io.call('GETEX', 's:gx'), 'v');
    assert.equal(db().getExpire('s:gx'), -1);
    assert.equal(await io.call('GETEX', 's:gx', 'EX', '200'), 'v');
    assert.ok(db().getExpire('s:gx') > Date.now() + 190_000);
    assert.equal(await io.call('GETEX', 's:gx', 'PERSIST'), 'v');
    assert.equal(db().getExpire('s:gx'), -1);
    assert.equal(await io.call('GETEX', 's:gx', 'PXAT', '1'), 'v');
    assert.equal(await io.get('s:gx'), null);
    assert.equal(await io.call('GETEX', 's:gx', 'EX', '10'), null);
    for (const bad of [['EX', '1', 'PERSIST'], ['PERSIST', 'PX', '5'], ['KEEPTTL'], ['NX'], ['GET'], ['EX']]) {
      await assert.rejects(io.call('GETEX', 's:gx', ...bad), { message: SYNTAX }, bad.join(' '));
    }
  });

  it('GETDEL, GETSET, SETNX', async () => {
    await io.set('s:gd', 'v');
    assert.equal(await io.getdel('s:gd'), 'v');
    assert.equal(await io.getdel('s:gd'), null);
    assert.equal(await io.getset('s:gs', 'a'), null);
    assert.equal(await io.getset('s:gs', 'b'), 'a');
    assert.equal(await io.setnx('s:sn', 'a'), '1');
    assert.equal(await io.setnx('s:sn', 'b'), '0');
    assert.equal(await io.get('s:sn'), 'a');
  });

  it('MSET, MSETNX, MGET', async () => {
    assert.equal(await io.mset('s:m1', 'a', 's:m2', 'b'), 'OK');
    assert.deepEqual(await io.mget('s:m1', 's:m2', 's:m3'), ['a', 'b', null]);
    assert.equal(await io.msetnx('s:m3', 'c', 's:m1', 'z'), '0');
    assert.equal(await io.get('s:m3'), null);
    assert.equal(await io.msetnx('s:m3', 'c', 's:m4', 'd', 's:m3', 'e'), '1');
    assert.deepEqual(await io.mget('s:m3', 's:m4'), ['e', 'd']);
    await assert.rejects(io.call('MSET', 's:m1', 'a', 's:m2'), { message: "ERR wrong number of arguments for 'mset' command" });
    await assert.rejects(io.call('MSETNX', 's:m1', 'a', 's:m2'), { message: "ERR wrong number of arguments for 'msetnx' command" });
  });

  it('DELIFEQ deletes only on an equal value', async () => {
    await io.set('s:di', 'v');
    assert.equal(await io.call('DELIFEQ', 's:di', 'w'), '0');
    assert.equal(await io.call('DELIFEQ', 's:di-missing', 'w'), '0');
    assert.equal(await io.get('s:di'), 'v');
    assert.equal(await io.call('DELIFEQ', 's:di', 'v'), '1');
    assert.equal(await io.get('s:di'), null);
    await io.append('s:di', 'buf'); // a Buffer value compares by bytes too
    assert.equal(await io.call('DELIFEQ', 's:di', 'buf'), '1');
    await assert.rejects(io.call('DELIFEQ', 's:di'), { message: "ERR wrong number of arguments for 'delifeq' command" });
  });
});

describe('APPEND / STRLEN / GETRANGE / SETRANGE', () => {
  it('APPEND creates, grows in place and keeps the bytes', async () => {
    assert.equal(await io.append('s:ap', 'abc'), '3');
    assert.equal(typeof db().peek('s:ap'), 'string', 'APPEND on a missing key stores the argument as is');
    assert.equal(await io.append('s:ap', 'de'), '5');
    assert.ok(db().peek('s:ap') instanceof Buffer, 'an appended value is raw');
    let expected = 'abcde';
    const pipe = io.pipeline();
    for (let i = 0; i < 2000; i++) {
      const part = String.fromCharCode(i % 256).repeat(i % 7);
      expected += part;
      pipe.append('s:ap', Buffer.from(part, 'latin1'));
    }
    await pipe.exec();
    const stored = db().peek('s:ap') as Buffer;
    assert.ok(stored.buffer.byteLength > stored.length, 'appends leave spare room, so most need no copy');
    assert.equal(String(await io.strlen('s:ap')), String(expected.length));
    assert.equal((await io.getBuffer('s:ap'))!.toString('latin1'), expected);
    assert.equal((db().peek('s:ap') as Buffer).length, expected.length);
  });

  it('GETRANGE / SUBSTR ranges', async () => {
    await io.set('s:gr', 'This is a string');
    const cases: [number, number, string][] = [
      [0, 3, 'This'], [-3, -1, 'ing'], [0, -1, 'This is a string'], [10, 100, 'string'], [5, 3, ''], [-1, -5, ''],
      [-100, 2, 'Thi'], [100, 200, ''], [-1, -1, 'g'], [3, -100, ''],
    ];
    for (const [s, e, want] of cases) {
      assert.equal(await io.getrange('s:gr', s, e), want, `${s} ${e}`);
      assert.equal(await io.call('SUBSTR', 's:gr', s, e), want);
    }
    assert.equal(await io.getrange('s:gr-missing', 0, -1), '');
    // int64 bounds are compared exactly, beyond the precision of doubles
    assert.equal(await io.call('GETRANGE', 's:gr', '-9007199254740993', '-9007199254740994'), '');
    assert.equal(await io.call('GETRANGE', 's:gr', '-9223372036854775807', '-9223372036854775808'), '');
    await assert.rejects(io.getrange('s:gr', 'a' as unknown as number, 1), { message: NOT_INTEGER });
    await io.append('s:gr', '!');
    assert.equal(await io.getrange('s:gr', -7, -1), 'string!');
  });

  it('SETRANGE pads with zeros and enforces limits', async () => {
    assert.equal(await io.setrange('s:sr', 5, 'ab'), '7');
    assert.deepEqual(await io.getBuffer('s:sr'), Buffer.from([0, 0, 0, 0, 0, 97, 98]));
    assert.equal(await io.setrange('s:sr', 1, 'X'), '7');
    assert.equal(await io.setrange('s:sr', 100, ''), '7');
    assert.equal(await io.setrange('s:sr-missing', 100, ''), '0');
    assert.equal(await io.get('s:sr-missing'), null);
    await io.set('s:sr2', 'Hello World');
    assert.equal(await io.setrange('s:sr2', 6, 'Redis'), '11');
    assert.equal(await io.get('s:sr2'), 'Hello Redis');
    await assert.rejects(io.setrange('s:sr', -1, 'x'), { message: 'ERR offset is out of range' });
    await assert.rejects(io.setrange('s:sr', 536870912, 'x'), { message: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)' });
    await assert.rejects(io.call('SETRANGE', 's:sr', 'x', 'x'), { message: NOT_INTEGER });
  });
});

describe('INCR / DECR / INCRBY / DECRBY / INCRBYFLOAT', () => {
  it('counts over the full int64 range', async () => {
    assert.equal(await io.incr('s:n'), '1');
    assert.equal(await io.decrby('s:n', 5), '-4');
    assert.equal(await io.incrby('s:n', '9223372036854775807'), '9223372036854775803');
    assert.equal(await io.incrby('s:n', 4), '9223372036854775807');
    await assert.rejects(io.incr('s:n'), { message: 'ERR increment or decrement would overflow' });
    assert.equal(await io.get('s:n'), '9223372036854775807');
    assert.equal(await io.decrby('s:n', '9223372036854775807'), '0');
    assert.equal(await io.decrby('s:n', '9223372036854775807'), '-9223372036854775807');
    assert.equal(await io.decr('s:n'), '-9223372036854775808');
    await assert.rejects(io.decr('s:n'), { message: 'ERR increment or decrement would overflow' });
    await assert.rejects(io.decrby('s:n', '-9223372036854775808'), { message: 'ERR decrement would overflow' });
    assert.equal(await io.incrby('s:n', '9007199254740993'), '-9214364837600034815');
  });

  it('refuses values that are not integers', async () => {
    for (const v of ['abc', ' 1', '1 ', '01', '+1', '-0', '1.0', '', '99999999999999999999']) {
      await io.set('s:bad', v);
      await assert.rejects(io.incr('s:bad'), { message: NOT_INTEGER }, JSON.stringify(v));
    }
    await assert.rejects(io.incrby('s:n2', 'x'), { message: NOT_INTEGER });
    await assert.rejects(io.incrby('s:n2', '9223372036854775808'), { message: NOT_INTEGER });
    await io.setrange('s:bufnum', 0, '41'); // a Buffer value holding an integer
    assert.equal(await io.incr('s:bufnum'), '42');
  });

  it('INCRBYFLOAT computes in long double and prints like Valkey', async () => {
    assert.equal(await io.incrbyfloat('s:f', '10.50'), '10.5');
    assert.equal(await io.incrbyfloat('s:f', '0.1'), '10.6');
    assert.equal(await io.incrbyfloat('s:f', '-10.6'), '0');
    assert.equal(await io.incrbyfloat('s:f', '5.0e3'), '5000');
    // 0.1 is not exact in binary: the long double sum shows it, as in Valkey.
    assert.equal(await io.incrbyfloat('s:f', '0.1'), '5000.10000000000000009');
    await io.set('s:f2', '1e400');
    assert.equal(await io.incrbyfloat('s:f2', '-1e400'), '0');
    await assert.rejects(io.incrbyfloat('s:f', 'inf'), { message: 'ERR increment would produce NaN or Infinity' });
    await assert.rejects(io.incrbyfloat('s:f', 'abc'), { message: 'ERR value is not a valid float' });
    await io.set('s:f3', 'abc');
    await assert.rejects(io.incrbyfloat('s:f3', '1'), { message: 'ERR value is not a valid float' });
    assert.equal(await io.get('s:f'), '5000.10000000000000009');
  });
});

describe('LCS', () => {
  before(async () => {
    await io.mset('s:l1', 'ohmytext', 's:l2', 'mynewtext');
  });

  it('returns the subsequence, its length, or the matching ranges', async () => {
    assert.equal(await io.call('LCS', 's:l1', 's:l2'), 'mytext');
    assert.equal(await io.call('LCS', 's:l1', 's:l2', 'LEN'), '6');
    assert.equal(await io.call('LCS', 's:l1', 's:missing'), '');
    assert.deepEqual(await io.call('LCS', 's:l1', 's:l2', 'IDX'), ['matches', [[['4', '7'], ['5', '8']], [['2', '3'], ['0', '1']]], 'len', '6']);
    assert.deepEqual(await io.call('LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'), ['matches', [[['4', '7'], ['5', '8'], '4']], 'len', '6']);
    await assert.rejects(io.call('LCS', 's:l1', 's:l2', 'LEN', 'IDX'), { message: 'ERR If you want both the length and indexes, please just use IDX.' });
    await assert.rejects(io.call('LCS', 's:l1', 's:l2', 'MINMATCHLEN'), { message: SYNTAX });
    await assert.rejects(io.call('LCS', 's:l1', 's:l2', 'MINMATCHLEN', 'x'), { message: NOT_INTEGER });
  });

  it('IDX is a map in RESP3 and a flat array in RESP2', async () => {
    const r2 = await rawReply(raw, 'LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '4');
    assert.equal(r2, '*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n');
    const r3 = await rawReply(raw3, 'LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '4');
    assert.equal(r3, '%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n');
  });

  it('refuses a table bigger than proto-max-bulk-len', async () => {
    const small = await startFjord({ 'proto-max-bulk-len': '1mb' });
    const c = await RawClient.connect(small.port);
    try {
      await c.call('SET', 'a', 'x'.repeat(600));
      await c.call('SET', 'b', 'y'.repeat(600));
      assert.deepEqual(await c.call('LCS', 'a', 'b'), { error: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len' });
      assert.deepEqual(await c.call('SETRANGE', 'a', 1048576, 'x'), { error: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)' });
      assert.deepEqual(await c.call('APPEND', 'a', 'z'.repeat(1048576 - 599)), { error: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)' });
      assert.equal(await c.call('APPEND', 'a', 'z'.repeat(1048576 - 600)), 1048576);
    } finally {
      c.close();
      await small.stop();
    }
  });
});

describe('protocol details', () => {
  it('null replies in RESP2 and RESP3', async () => {
    assert.equal(await rawReply(raw, 'GET', 's:nothing'), '$-1\r\n');
    assert.equal(await rawReply(raw3, 'GET', 's:nothing'), '_\r\n');
    assert.equal(await rawReply(raw, 'MGET', 's:nothing', 's:nothing'), '*2\r\n$-1\r\n$-1\r\n');
    assert.equal(await rawReply(raw3, 'SET', 's:p', 'v', 'XX'), '_\r\n');
    assert.equal(await rawReply(raw3, 'INCRBYFLOAT', 's:pf', '1.5'), '$3\r\n1.5\r\n');
    assert.equal(await rawReply(raw, 'GETRANGE', 's:nothing', '0', '-1'), '$0\r\n\r\n');
    assert.equal(await rawReply(raw, 'INCRBY', 's:pi', '-9223372036854775808'), ':-9223372036854775808\r\n');
  });

  it('key flags depend on GET and IFEQ (COMMAND GETKEYSANDFLAGS)', async () => {
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'EX', '5'), [['k', ['OW', 'update']]]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'get'), [['k', ['RW', 'access', 'update']]]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'IFEQ', 'x'), [['k', ['RW', 'access', 'update']]]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'DELIFEQ', 'k', 'v'), [['k', ['RM', 'access', 'delete']]]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2'), ['a', 'b']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'LCS', 'a', 'b', 'IDX'), ['a', 'b']);
  });

  it('arity errors', async () => {
    for (const [cmd, n] of [['get', 0], ['set', 1], ['setex', 2], ['getrange', 2], ['lcs', 1], ['mget', 0], ['incrbyfloat', 1]] as const) {
      const args = Array.from({ length: n }, (_, i) => `a${i}`);
      assert.deepEqual(await raw.call(cmd.toUpperCase(), ...args), { error: `ERR wrong number of arguments for '${cmd}' command` });
    }
  });
});

describe('node-redis', () => {
  it('works with the typed API in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const c = createClient({ socket: { port: srv.port }, RESP });
      c.on('error', () => {});
      await c.connect();
      try {
        const k = `s:nr${RESP}`;
        assert.equal(await c.set(k, '10', { expiration: { type: 'EX', value: 100 } }), 'OK');
        assert.equal(await c.incrBy(k, 5), 15);
        assert.equal(await c.incrByFloat(k, 0.5), '15.5');
        assert.equal(await c.append(k, 'x'), 5);
        assert.equal(await c.getRange(k, 0, 1), '15');
        assert.equal(await c.setRange(k, 0, 'ab'), 5);
        assert.equal(await c.getEx(k, { type: 'PERSIST' }), 'ab.5x');
        assert.equal(await c.getDel(k), 'ab.5x');
        assert.deepEqual(await c.mGet([k, 's:l1']), [null, 'ohmytext']);
        const idx = await c.sendCommand(['LCS', 's:l1', 's:l2', 'IDX', 'MINMATCHLEN', '4']);
        if (RESP === 3) assert.ok(!Array.isArray(idx));
        else assert.deepEqual(idx, ['matches', [[[4, 7], [5, 8]]], 'len', 6]);
      } finally {
        c.destroy();
      }
    }
  });
});

describe('side effects', () => {
  it('stores values the way OBJECT ENCODING will need them', async () => {
    await io.set('s:enc', '12345');
    assert.equal(db().peek('s:enc'), '12345');
    await io.incr('s:enc');
    assert.equal(db().peek('s:enc'), '12346');
    await io.setrange('s:enc', 0, '9');
    assert.ok(db().peek('s:enc') instanceof Buffer, 'SETRANGE makes the value raw');
    await io.setrange('s:enc-new', 2, 'x');
    assert.ok(db().peek('s:enc-new') instanceof Buffer);
    assert.equal(await io.get('s:enc'), '92346');
  });

  it('propagates effects in Valkey\'s rewritten forms', async () => {
    const now = Date.now();
    let p = await propagated(() => io.set('s:pr', 'v', 'EX', 100));
    assert.equal(p.length, 1);
    assert.deepEqual(p[0].slice(0, 4), ['SET', 's:pr', 'v', 'PXAT']);
    assert.ok(Math.abs(Number(p[0][4]) - (now + 100_000)) < 2000);
    p = await propagated(() => io.setex('s:pr', 100, 'w'));
    assert.deepEqual(p[0].slice(0, 4), ['SET', 's:pr', 'w', 'PXAT']);
    p = await propagated(() => io.call('SET', 's:pr', 'x', 'PXAT', String(now + 5000)));
    assert.deepEqual(p, [['SET', 's:pr', 'x', 'PXAT', String(now + 5000)]]);
    p = await propagated(() => io.call('SET', 's:pr', 'y', 'GET', 'XX', 'get'));
    assert.deepEqual(p, [['SET', 's:pr', 'y', 'XX']]);
    p = await propagated(() => io.call('SET', 's:pr', 'z', 'NX'));
    assert.deepEqual(p, []);
    p = await propagated(() => io.call('GETEX', 's:pr', 'EX', '50'));
    assert.equal(p[0][0], 'PEXPIREAT');
    assert.equal(p[0][1], 's:pr');
    p = await propagated(() => io.call('GETEX', 's:pr', 'PERSIST'));
    assert.deepEqual(p, [['PERSIST', 's:pr']]);
    p = await propagated(() => io.call('GETEX', 's:pr', 'PERSIST'));
    assert.deepEqual(p, [], 'nothing to persist, nothing propagated');
    p = await propagated(() => io.call('GETEX', 's:pr'));
    assert.deepEqual(p, []);
    p = await propagated(() => io.getset('s:pr', 'g'));
    assert.deepEqual(p, [['SET', 's:pr', 'g']]);
    p = await propagated(() => io.incrbyfloat('s:prf', '2.5'));
    assert.deepEqual(p, [['SET', 's:prf', '2.5', 'KEEPTTL']]);
    p = await propagated(() => io.getdel('s:pr'));
    assert.deepEqual(p, [['DEL', 's:pr']]);
    await io.set('s:pr', 'v');
    p = await propagated(() => io.call('SET', 's:pr', 'v', 'EXAT', '1'));
    assert.deepEqual(p, [[srv.server.ctx.lazyExpire ? 'UNLINK' : 'DEL', 's:pr']]);
    p = await propagated(() => io.call('SET', 's:pr', 'v', 'EXAT', '1'));
    assert.deepEqual(p, [], 'no key, nothing to delete');
    await io.set('s:pr', 'v');
    p = await propagated(() => io.call('GETEX', 's:pr', 'PXAT', '1'));
    assert.deepEqual(p, [[srv.server.ctx.lazyExpire ? 'UNLINK' : 'DEL', 's:pr']]);
    await io.set('s:pr', 'v');
    p = await propagated(() => io.call('DELIFEQ', 's:pr', 'v'));
    assert.deepEqual(p, [['DEL', 's:pr']]);
    p = await propagated(() => io.call('INCR', 's:prn'));
    assert.deepEqual(p, [['INCR', 's:prn']]);
    p = await propagated(() => io.call('APPEND', 's:prn', '0'));
    assert.deepEqual(p, [['APPEND', 's:prn', '0']]);
    p = await propagated(() => io.call('SETRANGE', 's:prn', '0', ''));
    assert.deepEqual(p, [], 'an empty SETRANGE changes nothing');
  });

  it('emits Valkey\'s keyspace events', async () => {
    assert.deepEqual(await events(() => io.set('s:ev', '1')), ['n:new:s:ev', '$:set:s:ev']);
    assert.deepEqual(await events(() => io.set('s:ev', '1', 'EX', 100)), ['$:set:s:ev', 'g:expire:s:ev']);
    assert.deepEqual(await events(() => io.incr('s:ev')), ['$:incrby:s:ev']);
    assert.deepEqual(await events(() => io.incrbyfloat('s:ev', 1)), ['$:incrbyfloat:s:ev']);
    assert.deepEqual(await events(() => io.append('s:ev', 'x')), ['$:append:s:ev']);
    assert.deepEqual(await events(() => io.setrange('s:ev', 0, 'y')), ['$:setrange:s:ev']);
    assert.deepEqual(await events(() => io.call('GETEX', 's:ev', 'PERSIST')), ['g:persist:s:ev']);
    assert.deepEqual(await events(() => io.call('GETEX', 's:ev', 'PX', '5000')), ['g:expire:s:ev']);
    assert.deepEqual(await events(() => io.mset('s:ev', 'a', 's:ev2', 'b')), ['$:set:s:ev', 'n:new:s:ev2', '$:set:s:ev2']);
    assert.deepEqual(await events(() => io.getdel('s:ev2')), ['g:del:s:ev2']);
    assert.deepEqual(await events(() => io.call('SET', 's:ev', 'v', 'PXAT', '1')), ['x:expired:s:ev']);
    assert.deepEqual(await events(() => io.set('s:ev', 'v', 'NX')), ['n:new:s:ev', '$:set:s:ev']);
    assert.deepEqual(await events(() => io.set('s:ev', 'v', 'NX')), []);
    assert.deepEqual(await events(() => io.call('DELIFEQ', 's:ev', 'v')), ['g:del:s:ev']);
    assert.deepEqual(await events(() => io.append('s:ev', 'v')), ['n:new:s:ev', '$:append:s:ev']);
    assert.deepEqual(await events(() => io.setrange('s:ev3', 2, 'v')), ['n:new:s:ev3', '$:setrange:s:ev3']);
    assert.deepEqual(await events(() => io.incrbyfloat('s:ev4', '1')), ['n:new:s:ev4', '$:incrbyfloat:s:ev4']);
  });

  it('lets a snapshot in progress save a value before it is edited in place', async () => {
    await io.set('s:snap', 'abc');
    await io.append('s:snap', 'd'); // now an editable Buffer with spare room
    const seen = await valuesBeforeChange(srv, async () => {
      await io.append('s:snap', 'e');
      await io.setrange('s:snap', 0, 'X');
    });
    assert.deepEqual(seen, [['s:snap', 'abcd'], ['s:snap', 'abcde']]);
    assert.equal(await io.get('s:snap'), 'Xbcde');
  });

  it('touches WATCHed keys', async () => {
    const touched: string[] = [];
    const hooks = srv.server.ctx.hooks;
    const original = hooks.keyModified;
    hooks.keyModified = (d, key) => {
      touched.push(key);
      original(d, key);
    };
    try {
      await io.append('s:w', 'a');
      await io.setrange('s:w', 3, 'b');
      await io.incr('s:w2');
      await io.call('GETEX', 's:w2', 'EX', '100');
    } finally {
      hooks.keyModified = original;
    }
    for (const k of ['s:w', 's:w2']) assert.ok(touched.includes(k), k);
    assert.ok(touched.filter((k) => k === 's:w').length >= 2);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential run against the reference redis-server 7.0
// ---------------------------------------------------------------------------------------------

const KEYS = ['d:k0', 'd:k1', 'd:k2', 'd:k3', 'd:list'];
const VALUES = [
  '', 'a', 'hello', 'hello world', '0', '1', '123', '-5', '10.5', '3.0', '1e3', '0x10', ' 1', '+1', '007', '-0',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'inf', '-inf', 'nan', '1e400',
  '\x00\xff\x80', 'x'.repeat(50), 'ohmytext', 'mynewtext', 'text', '0.1', '-0.1', '5.0e3',
];
const INTS = [
  '0', '1', '-1', '2', '3', '5', '-5', '7', '10', '-10', '100', '-100', '1000', '9223372036854775807',
  '-9223372036854775808', '-9223372036854775807', '-9007199254740993', '-9007199254740994', '9223372036854775808', '4294967296', 'abc', '', '1.5', '+1', '01', ' 1',
];
// Valid relative times are long (>= 100 s) so that no key expires between the two servers' replies.
const RELATIVE_SECONDS = ['100', '100000', '0', '-1', 'abc', '9223372036854775807', '9223372036854775', '1.5', ''];
const RELATIVE_MS = ['100000', '100000000', '0', '-1', 'abc', '9223372036854775807', '9223372036854775', '1.5', ''];
const ABSOLUTE_TIMES = ['1', '99999999999', '99999999999999', '9223372036854775', '0', '-5', 'abc'];
const FLOATS = ['0.1', '-0.1', '1', '1.5', '-2.25', '1e3', '5.0e3', '1e400', 'inf', 'nan', 'abc', '', ' 1', '0x1p3', '3', '1e-5'];

function timeOption(r: Rng): string[] {
  const opt = r.pick(['EX', 'PX', 'EXAT', 'PXAT', 'ex', 'pxat']);
  const absolute = opt.length === 4;
  const relative = opt.toUpperCase() === 'EX' ? RELATIVE_SECONDS : RELATIVE_MS;
  return r.chance(0.05) ? [opt] : [opt, r.pick(absolute ? ABSOLUTE_TIMES : relative)];
}

function setOptions(r: Rng): string[] {
  const out: string[] = [];
  for (let n = r.int(4); n > 0; n--) {
    const kind = r.int(8);
    if (kind === 0) out.push(r.pick(['NX', 'nx']));
    else if (kind === 1) out.push(r.pick(['XX', 'Xx']));
    else if (kind === 2) out.push(r.pick(['GET', 'get']));
    else if (kind === 3) out.push('KEEPTTL');
    else if (kind <= 5) out.push(...timeOption(r));
    else if (kind === 6) out.push(r.pick(['PERSIST', 'FOO', 'E', 'EXATT']));
    else out.push(...timeOption(r));
  }
  return out;
}

function generateStringCommand(r: Rng): string[] {
  const k = () => (r.chance(0.1) ? 'd:list' : r.pick(KEYS.slice(0, 4)));
  const v = () => r.pick(VALUES);
  switch (r.int(27)) {
    case 0: return ['GET', k()];
    case 1: case 2: return ['SET', k(), v(), ...setOptions(r)];
    case 3: return ['SETNX', k(), v()];
    case 4: {
      const cmd = r.pick(['SETEX', 'PSETEX']);
      return [cmd, k(), r.pick(cmd === 'SETEX' ? RELATIVE_SECONDS : RELATIVE_MS), v()];
    }
    case 5: {
      const opts: string[] = [];
      for (let n = r.int(3); n > 0; n--) opts.push(...(r.chance(0.3) ? [r.pick(['PERSIST', 'persist', 'NX', 'KEEPTTL', 'GET'])] : timeOption(r)));
      return ['GETEX', k(), ...opts];
    }
    case 6: return ['GETDEL', k()];
    case 7: return ['GETSET', k(), v()];
    case 8: return ['MGET', ...Array.from({ length: 1 + r.int(4) }, k)];
    case 9: case 10: {
      const args = Array.from({ length: 1 + r.int(3) }, () => [k(), v()]).flat();
      if (r.chance(0.1)) args.pop();
      return [r.pick(['MSET', 'MSETNX']), ...args];
    }
    case 11: return ['APPEND', k(), v()];
    case 12: return ['STRLEN', k()];
    case 13: return [r.pick(['GETRANGE', 'SUBSTR']), k(), r.pick(INTS), r.pick(INTS)];
    case 14: return ['SETRANGE', k(), r.pick(['0', '1', '3', '10', '-1', '536870912', '999999999999', 'x', '2']), r.chance(0.2) ? '' : v()];
    case 15: return [r.pick(['INCR', 'DECR']), k()];
    case 16: case 17: return [r.pick(['INCRBY', 'DECRBY']), k(), r.pick(INTS)];
    case 18: case 19: return ['INCRBYFLOAT', k(), r.pick(FLOATS)];
    case 20: {
      const opts: string[] = [];
      for (let n = r.int(4); n > 0; n--) opts.push(...(r.chance(0.3) ? ['MINMATCHLEN', r.pick(['0', '1', '2', '3', '-1', 'x'])] : [r.pick(['LEN', 'IDX', 'WITHMATCHLEN', 'idx', 'FOO'])]));
      if (r.chance(0.05)) opts.push('MINMATCHLEN');
      return ['LCS', k(), k(), ...opts];
    }
    case 21: return ['SET', k(), r.pick(['ohmytext', 'mynewtext', 'text', 'abcabc', 'cbacba', 'x'.repeat(30)])];
    case 23: return keyspaceProbe(r, k());
    case 22: {
      // wrong arity
      const cmd = r.pick(['GET', 'SET', 'SETNX', 'SETEX', 'GETDEL', 'APPEND', 'STRLEN', 'GETRANGE', 'SETRANGE', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'LCS', 'MGET', 'GETEX']);
      return [cmd, ...Array.from({ length: r.int(2) }, k)];
    }
    default: return keyspaceProbe(r, k());
  }
}

/** Reads that show a command's effect on the key itself: existence, type, TTL kept or dropped. */
function keyspaceProbe(r: Rng, key: string): string[] {
  return r.chance(0.1) ? ['DEL', key] : [r.pick(['TTL', 'TTL', 'EXISTS', 'TYPE']), key];
}

/** Valkey 9.0 checks GETEX's time before looking up the key (valkey#3116); Redis 7.0 after. */
function isGetexTimeCheckOrder(argv: string[], fjord: unknown, ref: unknown): boolean {
  const err = (x: unknown) => (x !== null && typeof x === 'object' && 'error' in x ? (x as { error: string }).error : null);
  const fe = err(fjord);
  const re = err(ref);
  return argv[0] === 'GETEX' && (fe === NOT_INTEGER || fe === "ERR invalid expire time in 'getex' command") && (ref === null || re === WRONGTYPE);
}

describe('differential: string commands against redis-server 7.0', () => {
  let ref: ReferenceServer | null = null;
  const available = referenceAvailable();

  before(async () => {
    if (available) ref = await startReference();
  });
  after(async () => {
    if (ref) await ref.stop();
  });

  it('gives the same replies to thousands of random commands', { skip: available ? false : 'redis-server is not installed: differential test skipped' }, async () => {
    for (const seed of [seedFromEnv(1), 2, 3]) {
      const result = await runDifferential({
        fjordPort: srv.port,
        refPort: ref!.port,
        seed,
        count: 1500,
        generate: generateStringCommand,
        resetEvery: 150,
        reset: async (...clients) => {
          // d:list is a list on both sides: the WRONGTYPE paths
          for (const c of clients) {
            await c.call('DEL', 'd:list');
            await c.call('RPUSH', 'd:list', 'x');
          }
        },
        knownDifference: isGetexTimeCheckOrder,
        normalize: ttlClass,
      });
      assert.equal(result.compared, 1500);
      if (process.env.FJORD_SEED) break;
    }
  });
});
