// Set commands: behaviour through real clients (ioredis, node-redis), exact protocol checks
// (RESP2 and RESP3) with RawClient, the side effects (encodings, propagation, notifications,
// WATCH, snapshots), the RDB encodings (intset bytes, DUMP/RESTORE both ways with the reference,
// corrupt payloads), DEBUG DIGEST, and a differential run of random commands against the
// reference redis-server 7.0.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { startWithClients, stopWithClients, RawClient, startReference, referenceAvailable, type RunningServer, type ReferenceServer } from '../helpers';
import { rawReply, propagated as propagatedBy, keyspaceEvents, seedFromEnv, Rng } from './differential';
import { SetObject } from '../../src/types/set';
import { encodeIntset, decodeIntset } from '../../src/persistence/rdb/intset';
import { RdbFormatError } from '../../src/persistence/rdb/io';
import { crc64 } from '../../src/util/crc64';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';
const POSITIVE = 'ERR value is out of range, must be positive';
const BAD_DATA = 'ERR Bad data format';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

const db = () => srv.server.dbs[0];
const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);
const encoding = async (key: string) => io.call('OBJECT', 'ENCODING', key);
const sorted = (xs: unknown) => [...(xs as string[])].sort();
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

before(async () => {
  // No automatic BGSAVE: a snapshot would take over the write guard some tests observe.
  ({ srv, io, raw, raw3 } = await startWithClients({ save: '' }));
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

/** A DUMP payload: the value's body, the RDB version and the CRC64 of both. */
function payload(body: Buffer, rdbVersion = 80): Buffer {
  const withVersion = Buffer.concat([body, Buffer.from([rdbVersion, 0])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(0n, withVersion));
  return Buffer.concat([withVersion, crc]);
}

/** Reset the encoding thresholds to Valkey's defaults. */
async function defaultLimits(): Promise<void> {
  await io.call('CONFIG', 'SET', 'set-max-intset-entries', '512', 'set-max-listpack-entries', '128', 'set-max-listpack-value', '64');
}

describe('SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS', () => {
  it('adds, counts and removes members (ioredis)', async () => {
    assert.equal(await io.sadd('b:s', 'a', 'b', 'c', 'a'), 3);
    assert.equal(await io.sadd('b:s', 'c', 'd'), 1);
    assert.equal(await io.scard('b:s'), 4);
    assert.equal(await io.sismember('b:s', 'd'), 1);
    assert.equal(await io.sismember('b:s', 'z'), 0);
    assert.deepEqual(await io.smismember('b:s', 'a', 'z', 'd'), [1, 0, 1]);
    assert.deepEqual(sorted(await io.smembers('b:s')), ['a', 'b', 'c', 'd']);
    assert.equal(await io.srem('b:s', 'a', 'z', 'b'), 2);
    assert.equal(await io.srem('b:missing', 'a'), 0);
    assert.equal(await io.scard('b:missing'), 0);
    assert.equal(await io.sismember('b:missing', 'a'), 0);
    assert.deepEqual(await io.smismember('b:missing', 'a', 'b'), [0, 0]);
    assert.deepEqual(await io.smembers('b:missing'), []);
  });

  it('deletes the key when the last member goes', async () => {
    await io.sadd('b:gone', 'x', 'y');
    assert.equal(await io.srem('b:gone', 'x', 'y', 'z'), 2);
    assert.equal(await io.exists('b:gone'), 0);
  });

  it('is binary safe (node-redis with Buffers)', async () => {
    const client = createClient({ socket: { port: srv.port } });
    await client.connect();
    try {
      const bin = Buffer.from([0, 255, 13, 10, 128]);
      assert.equal(await client.sAdd('b:bin', [bin, 'plain', '']), 3);
      assert.equal(await client.sIsMember('b:bin', bin), 1);
      assert.equal(await client.sIsMember('b:bin', ''), 1);
      const members = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).sMembers('b:bin');
      assert.equal(members.length, 3);
      assert.ok(members.some((m) => Buffer.compare(m as unknown as Buffer, bin) === 0));
    } finally {
      await client.quit();
    }
  });

  it('answers WRONGTYPE and arity errors', async () => {
    await io.set('b:str', 'v');
    for (const cmd of [
      ['SADD', 'b:str', 'a'],
      ['SREM', 'b:str', 'a'],
      ['SCARD', 'b:str'],
      ['SISMEMBER', 'b:str', 'a'],
      ['SMISMEMBER', 'b:str', 'a'],
      ['SMEMBERS', 'b:str'],
    ]) {
      assert.deepEqual(await raw.call(...cmd), { error: WRONGTYPE }, cmd.join(' '));
    }
    assert.deepEqual(await raw.call('SADD', 'b:s'), { error: "ERR wrong number of arguments for 'sadd' command" });
    assert.deepEqual(await raw.call('SMISMEMBER', 'b:s'), { error: "ERR wrong number of arguments for 'smismember' command" });
    assert.deepEqual(await raw.call('SISMEMBER', 'b:s', 'a', 'b'), { error: "ERR wrong number of arguments for 'sismember' command" });
  });

  it('replies with RESP3 sets where Valkey sends sets', async () => {
    await io.del('b:r3');
    await io.sadd('b:r3', '1', '2');
    assert.equal(await rawReply(raw3, 'SMEMBERS', 'b:r3'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw, 'SMEMBERS', 'b:r3'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw3, 'SMEMBERS', 'b:nokey'), '~0\r\n');
    assert.equal(await rawReply(raw3, 'SMISMEMBER', 'b:r3', '1', '3'), '*2\r\n:1\r\n:0\r\n');
    assert.equal(await rawReply(raw3, 'SINTER', 'b:r3', 'b:nokey'), '~0\r\n');
    assert.equal(await rawReply(raw3, 'SUNION', 'b:r3'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw3, 'SDIFF', 'b:nokey'), '~0\r\n');
    assert.equal(await rawReply(raw3, 'SPOP', 'b:nokey'), '_\r\n');
    assert.equal(await rawReply(raw, 'SPOP', 'b:nokey'), '$-1\r\n');
    assert.equal(await rawReply(raw3, 'SPOP', 'b:nokey', '2'), '~0\r\n');
    assert.equal(await rawReply(raw3, 'SRANDMEMBER', 'b:nokey'), '_\r\n');
    assert.equal(await rawReply(raw3, 'SRANDMEMBER', 'b:nokey', '2'), '*0\r\n');
    assert.equal(await rawReply(raw3, 'SRANDMEMBER', 'b:r3', '5'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    assert.equal(await rawReply(raw3, 'SSCAN', 'b:nokey', '0'), '*2\r\n$1\r\n0\r\n*0\r\n');
    assert.equal(await rawReply(raw3, 'SPOP', 'b:r3', '5'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
  });
});

describe('encodings', () => {
  after(defaultLimits);

  it('intset while integers, listpack while small, hashtable beyond', async () => {
    await defaultLimits();
    await io.sadd('e:s', '1', '-5', '100000');
    assert.equal(await encoding('e:s'), 'intset');
    // An intset replies in ascending order.
    assert.deepEqual(await io.smembers('e:s'), ['-5', '1', '100000']);
    await io.sadd('e:s', 'a');
    assert.equal(await encoding('e:s'), 'listpack');
    await io.sadd('e:s', 'x'.repeat(65));
    assert.equal(await encoding('e:s'), 'hashtable');
    // Removing never converts back.
    await io.srem('e:s', 'x'.repeat(65), 'a');
    assert.equal(await encoding('e:s'), 'hashtable');
  });

  it('follows CONFIG SET of the thresholds at once', async () => {
    await io.call('CONFIG', 'SET', 'set-max-intset-entries', '4', 'set-max-listpack-entries', '3', 'set-max-listpack-value', '4');
    await io.del('e:a', 'e:b', 'e:c');
    await io.sadd('e:a', '1', '2', '3', '4');
    assert.equal(await encoding('e:a'), 'intset');
    await io.sadd('e:a', '5');
    assert.equal(await encoding('e:a'), 'hashtable');
    await io.sadd('e:b', 'ab', 'cd');
    assert.equal(await encoding('e:b'), 'listpack');
    await io.sadd('e:b', 'abcde');
    assert.equal(await encoding('e:b'), 'hashtable', 'a member longer than set-max-listpack-value');
    // SADD with more arguments than the listpack allows converts up front.
    await io.sadd('e:c', 'a', 'b', 'c', 'd');
    assert.equal(await encoding('e:c'), 'hashtable');
    // An intset that receives a string becomes a listpack only if it has room.
    await io.del('e:d');
    await io.sadd('e:d', '1', '2', '3');
    await io.sadd('e:d', 'x');
    assert.equal(await encoding('e:d'), 'hashtable');
    await defaultLimits();
  });

  it('*STORE results take the encoding Valkey gives them', async () => {
    await defaultLimits();
    await io.del('e:i1', 'e:i2', 'e:l1', 'e:h1', 'e:dst');
    await io.sadd('e:i1', '1', '2', '3', '4');
    await io.sadd('e:i2', '3', '4', '5');
    await io.sadd('e:l1', '3', '4', 'z');
    await io.sadd('e:h1', ...range(0, 300), 'w');
    assert.equal(await encoding('e:l1'), 'listpack');
    assert.equal(await encoding('e:h1'), 'hashtable');
    assert.equal(await io.sinterstore('e:dst', 'e:i1', 'e:i2'), 2);
    assert.equal(await encoding('e:dst'), 'intset');
    // Smallest set is a listpack but the common members are integers: converted to an intset.
    assert.equal(await io.sinterstore('e:dst', 'e:l1', 'e:h1'), 2);
    assert.equal(await encoding('e:dst'), 'intset');
    assert.equal(await io.sinterstore('e:dst', 'e:l1', 'e:l1'), 3);
    assert.equal(await encoding('e:dst'), 'listpack');
    assert.equal(await io.sunionstore('e:dst', 'e:i1', 'e:i2'), 5);
    assert.equal(await encoding('e:dst'), 'intset');
    assert.equal(await io.sunionstore('e:dst', 'e:i1', 'e:l1'), 5);
    assert.equal(await encoding('e:dst'), 'listpack');
    assert.equal(await io.sunionstore('e:dst', 'e:h1', 'e:i1'), 301);
    assert.equal(await encoding('e:dst'), 'hashtable');
    assert.equal(await io.sdiffstore('e:dst', 'e:h1', 'e:l1', 'e:i1'), 297);
    assert.equal(await encoding('e:dst'), 'hashtable');
    assert.equal(await io.sdiffstore('e:dst', 'e:i1', 'e:i2'), 2);
    assert.equal(await encoding('e:dst'), 'intset');
  });

  it('SPOP that keeps few members rebuilds the set, which may shrink its encoding', async () => {
    await defaultLimits();
    await io.del('e:pop');
    await io.sadd('e:pop', ...range(0, 200), 'str');
    assert.equal(await encoding('e:pop'), 'hashtable');
    const popped = (await io.call('SPOP', 'e:pop', '199')) as string[];
    assert.equal(popped.length, 199);
    assert.equal(await io.scard('e:pop'), 2);
    assert.equal(await encoding('e:pop'), 'listpack');
  });
});

describe('SPOP', () => {
  it('pops distinct members that were in the set', async () => {
    await io.del('p:s');
    const all = range(0, 50).map((n) => `m${n}`);
    await io.sadd('p:s', ...all);
    const one = (await io.spop('p:s')) as string;
    assert.ok(all.includes(one));
    const some = (await io.spop('p:s', 10)) as string[];
    assert.equal(some.length, 10);
    assert.equal(new Set(some).size, 10);
    assert.ok(!some.includes(one));
    for (const m of some) assert.equal(await io.sismember('p:s', m), 0);
    assert.equal(await io.scard('p:s'), 39);
    // A count close to the size takes the rebuild path.
    const most = (await io.spop('p:s', 38)) as string[];
    assert.equal(new Set(most).size, 38);
    assert.equal(await io.scard('p:s'), 1);
    const last = (await io.spop('p:s', 5)) as string[];
    assert.equal(last.length, 1);
    assert.equal(await io.exists('p:s'), 0);
  });

  it('checks the count before the key, with Valkey errors', async () => {
    await io.set('p:str', 'v');
    assert.deepEqual(await raw.call('SPOP', 'p:str', 'x'), { error: POSITIVE });
    assert.deepEqual(await raw.call('SPOP', 'p:str', '-1'), { error: POSITIVE });
    assert.deepEqual(await raw.call('SPOP', 'p:str', '1'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SPOP', 'p:str'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SPOP', 'p:s', '1', '2'), { error: SYNTAX });
    await io.sadd('p:zero', 'a');
    assert.deepEqual(await raw.call('SPOP', 'p:zero', '0'), []);
    assert.equal(await io.scard('p:zero'), 1);
  });

  it('is propagated as SREM, batches of SREM, or the deletion of the key', async () => {
    await io.del('p:prop');
    await io.sadd('p:prop', 'a', 'b', 'c');
    let out = await propagated(() => io.spop('p:prop'));
    assert.equal(out.length, 1);
    assert.equal(out[0][0], 'SREM');
    assert.equal(out[0][1], 'p:prop');
    out = await propagated(() => io.spop('p:prop', 1));
    assert.deepEqual(out.map((a) => a.slice(0, 2)), [['SREM', 'p:prop']]);
    out = await propagated(() => io.spop('p:prop', 5));
    assert.deepEqual(out, [['UNLINK', 'p:prop']]);
    await io.call('CONFIG', 'SET', 'lazyfree-lazy-server-del', 'no');
    await io.sadd('p:prop', 'a');
    out = await propagated(() => io.spop('p:prop', 1));
    assert.deepEqual(out, [['DEL', 'p:prop']]);
    await io.call('CONFIG', 'SET', 'lazyfree-lazy-server-del', 'yes');
    // A big pop goes out in SREMs of at most 1024 members, wrapped in MULTI/EXEC.
    await io.sadd('p:prop', ...range(0, 3000));
    out = await propagated(() => io.spop('p:prop', 2100));
    assert.deepEqual(out.map((a) => a[0]), ['MULTI', 'SREM', 'SREM', 'SREM', 'EXEC']);
    assert.deepEqual(out.slice(1, 4).map((a) => a.length - 2), [1024, 1024, 52]);
    const removed = out.slice(1, 4).flatMap((a) => a.slice(2));
    assert.equal(new Set(removed).size, 2100);
    for (const m of removed.slice(0, 50)) assert.equal(await io.sismember('p:prop', m), 0);
    // Popping nothing propagates nothing.
    out = await propagated(() => io.spop('p:prop', 0));
    assert.deepEqual(out, []);
  });

  it('emits spop, then del when the set empties', async () => {
    await io.del('p:ev');
    await io.sadd('p:ev', 'a', 'b');
    assert.deepEqual(await events(() => io.spop('p:ev')), ['s:spop:p:ev']);
    assert.deepEqual(await events(() => io.spop('p:ev')), ['s:spop:p:ev', 'g:del:p:ev']);
    await io.sadd('p:ev', 'a', 'b');
    assert.deepEqual(await events(() => io.spop('p:ev', 10)), ['s:spop:p:ev', 'g:del:p:ev']);
  });
});

describe('SRANDMEMBER', () => {
  it('follows Valkey case analysis: unique up to the size, repeats with a negative count', async () => {
    await io.del('r:s');
    await io.sadd('r:s', 'a', 'b', 'c', 'd', 'e');
    const one = (await io.srandmember('r:s')) as string;
    assert.ok('abcde'.includes(one));
    assert.deepEqual(sorted(await io.srandmember('r:s', 10)), ['a', 'b', 'c', 'd', 'e']);
    const three = (await io.srandmember('r:s', 3)) as string[];
    assert.equal(new Set(three).size, 3);
    const many = (await io.srandmember('r:s', -100)) as string[];
    assert.equal(many.length, 100);
    assert.ok(many.every((m) => 'abcde'.includes(m)));
    assert.ok(new Set(many).size > 1, 'repeats come from the whole set');
    assert.deepEqual(await io.srandmember('r:s', 0), []);
    assert.equal(await io.scard('r:s'), 5, 'nothing is removed');
  });

  it('samples large sets of every encoding', async () => {
    await io.del('r:h', 'r:i');
    await io.sadd('r:h', ...range(0, 1000).map((n) => `h${n}`));
    await io.sadd('r:i', ...range(0, 400));
    for (const key of ['r:h', 'r:i']) {
      for (const count of [1, 10, 300, 399, 999]) {
        const got = (await io.srandmember(key, count)) as string[];
        const size = await io.scard(key);
        assert.equal(got.length, Math.min(count, size));
        assert.equal(new Set(got).size, got.length);
        const member = await io.smismember(key, ...got);
        assert.ok(member.every((x) => x === 1));
      }
    }
  });

  it('errors: count range, syntax, WRONGTYPE after the count', async () => {
    await io.set('r:str', 'v');
    assert.deepEqual(await raw.call('SRANDMEMBER', 'r:s', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('SRANDMEMBER', 'r:s', '-9223372036854775808'), {
      error: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    });
    assert.deepEqual(await raw.call('SRANDMEMBER', 'r:s', '1', '2'), { error: SYNTAX });
    assert.deepEqual(await raw.call('SRANDMEMBER', 'r:str', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('SRANDMEMBER', 'r:str', '1'), { error: WRONGTYPE });
  });

  it('a negative count too large for any reply closes that client, not the server', async () => {
    await io.del('r:big');
    await io.sadd('r:big', 'a');
    await io.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 1mb 0');
    try {
      const c = await RawClient.connect(srv.port);
      c.send('SRANDMEMBER', 'r:big', '-9223372036854775807');
      await c.waitClose(10000);
      assert.equal(await io.scard('r:big'), 1);
    } finally {
      await io.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    }
  });

  it('does not propagate nor notify', async () => {
    assert.deepEqual(await propagated(() => io.srandmember('r:s', 2)), []);
    assert.deepEqual(await events(() => io.srandmember('r:s', -2)), []);
  });
});

describe('SMOVE', () => {
  it('moves a member, creating and deleting keys as needed', async () => {
    await io.del('m:a', 'm:b', 'm:c');
    await io.sadd('m:a', '1', 'x');
    assert.equal(await io.smove('m:a', 'm:b', '1'), 1);
    assert.equal(await encoding('m:b'), 'intset');
    assert.equal(await io.smove('m:a', 'm:b', 'nope'), 0);
    assert.equal(await io.smove('m:a', 'm:b', 'x'), 1);
    assert.equal(await io.exists('m:a'), 0);
    assert.deepEqual(sorted(await io.smembers('m:b')), ['1', 'x']);
    // Same source and destination: only a membership test.
    assert.equal(await io.smove('m:b', 'm:b', 'x'), 1);
    assert.equal(await io.smove('m:b', 'm:b', 'y'), 0);
    // Already in the destination: removed from the source all the same.
    await io.sadd('m:c', 'x');
    assert.equal(await io.smove('m:c', 'm:b', 'x'), 1);
    assert.equal(await io.exists('m:c'), 0);
  });

  it('a missing source answers 0 before any type check', async () => {
    await io.set('m:str', 'v');
    assert.equal(await io.smove('m:none', 'm:str', 'a'), 0);
    assert.deepEqual(await raw.call('SMOVE', 'm:str', 'm:b', 'a'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SMOVE', 'm:b', 'm:str', 'x'), { error: WRONGTYPE });
  });

  it('notifies srem, del, sadd and dirties once per changed key', async () => {
    await io.del('m:e1', 'm:e2');
    await io.sadd('m:e1', 'a');
    await io.sadd('m:e2', 'b');
    const before = srv.server.dirty;
    assert.deepEqual(await events(() => io.smove('m:e1', 'm:e2', 'a')), ['s:srem:m:e1', 'g:del:m:e1', 's:sadd:m:e2']);
    assert.equal(srv.server.dirty - before, 2);
    assert.deepEqual(await propagated(() => io.smove('m:e2', 'm:e3', 'a')), [['smove', 'm:e2', 'm:e3', 'a']]);
  });
});

describe('SINTER / SUNION / SDIFF / SINTERCARD and the STORE forms', () => {
  before(async () => {
    await io.del('a:1', 'a:2', 'a:3', 'a:str');
    await io.sadd('a:1', '1', '2', '3', 'x', 'y');
    await io.sadd('a:2', '2', '3', '4', 'y');
    await io.sadd('a:3', '3', 'y', 'z');
    await io.set('a:str', 'v');
  });

  it('computes the algebra', async () => {
    assert.deepEqual(sorted(await io.sinter('a:1', 'a:2')), ['2', '3', 'y']);
    assert.deepEqual(sorted(await io.sinter('a:1', 'a:2', 'a:3')), ['3', 'y']);
    assert.deepEqual(await io.sinter('a:1', 'a:none'), []);
    assert.deepEqual(sorted(await io.sunion('a:1', 'a:none', 'a:3')), ['1', '2', '3', 'x', 'y', 'z']);
    assert.deepEqual(sorted(await io.sdiff('a:1', 'a:2')), ['1', 'x']);
    assert.deepEqual(sorted(await io.sdiff('a:1', 'a:none', 'a:3')), ['1', '2', 'x']);
    assert.deepEqual(await io.sdiff('a:none', 'a:1'), []);
    assert.deepEqual(await io.sdiff('a:1', 'a:2', 'a:1'), []);
    assert.equal(await io.call('SINTERCARD', '2', 'a:1', 'a:2'), 3);
    assert.equal(await io.call('SINTERCARD', '2', 'a:1', 'a:2', 'LIMIT', '2'), 2);
    assert.equal(await io.call('SINTERCARD', '2', 'a:1', 'a:2', 'LIMIT', '0'), 3);
    assert.equal(await io.call('SINTERCARD', '2', 'a:1', 'a:none'), 0);
  });

  it('both SDIFF algorithms agree', async () => {
    await io.del('a:big', 'a:small1', 'a:small2');
    await io.sadd('a:big', ...range(0, 600));
    await io.sadd('a:small1', ...range(0, 10));
    await io.sadd('a:small2', ...range(590, 610));
    // 5 sets: half of algorithm 1's work (5 * 600 / 2) exceeds algorithm 2's (600 + 10 + 20 + 5 + 4).
    const expected = range(10, 590);
    assert.deepEqual(sorted(await io.sdiff('a:big', 'a:small1', 'a:small2', 'a:1', 'a:2')), sorted(expected));
    assert.deepEqual(sorted(await io.sdiff('a:big', 'a:small1', 'a:small2')), sorted(expected));
  });

  it('replies intset results in ascending order', async () => {
    await io.del('a:i1', 'a:i2');
    await io.sadd('a:i1', '30', '-2', '10', '7');
    await io.sadd('a:i2', '10', '7', '99', '-2');
    assert.deepEqual(await io.sinter('a:i1', 'a:i2'), ['-2', '7', '10']);
    assert.deepEqual(await io.sunion('a:i1', 'a:i2'), ['-2', '7', '10', '30', '99']);
    assert.deepEqual(await io.sdiff('a:i1', 'a:i2'), ['30']);
  });

  it('stores results, drops the TTL, and deletes the destination for an empty result', async () => {
    await io.set('a:dst', 'old', 'EX', 100);
    assert.equal(await io.sinterstore('a:dst', 'a:1', 'a:2'), 3);
    assert.equal(await io.ttl('a:dst'), -1);
    assert.deepEqual(sorted(await io.smembers('a:dst')), ['2', '3', 'y']);
    assert.equal(await io.sunionstore('a:dst', 'a:2', 'a:3'), 5);
    assert.equal(await io.sdiffstore('a:dst', 'a:2', 'a:3'), 2);
    assert.deepEqual(sorted(await io.smembers('a:dst')), ['2', '4']);
    for (const cmd of [['SINTERSTORE', 'a:dst', 'a:1', 'a:none'], ['SDIFFSTORE', 'a:dst', 'a:3', 'a:3'], ['SUNIONSTORE', 'a:dst', 'a:none']]) {
      await io.sadd('a:dst', 'q');
      assert.equal(await io.call(...(cmd as [string, ...string[]])), 0);
      assert.equal(await io.exists('a:dst'), 0, cmd.join(' '));
    }
    // The destination may be one of the sources.
    await io.del('a:self');
    await io.sadd('a:self', '1', '2');
    assert.equal(await io.sunionstore('a:self', 'a:self', 'a:3'), 5);
  });

  it('notifies and propagates the STORE forms as Valkey', async () => {
    await io.del('a:d');
    assert.deepEqual(await events(() => io.sinterstore('a:d', 'a:1', 'a:2')), ['n:new:a:d', 's:sinterstore:a:d']);
    assert.deepEqual(await events(() => io.sunionstore('a:d', 'a:1', 'a:2')), ['s:sunionstore:a:d']);
    assert.deepEqual(await events(() => io.sdiffstore('a:d', 'a:1', 'a:2')), ['s:sdiffstore:a:d']);
    assert.deepEqual(await events(() => io.sdiffstore('a:d', 'a:1', 'a:1')), ['g:del:a:d']);
    assert.deepEqual(await events(() => io.sdiffstore('a:d', 'a:1', 'a:1')), []);
    let out = await propagated(() => io.sunionstore('a:d', 'a:1'));
    assert.deepEqual(out, [['sunionstore', 'a:d', 'a:1']]);
    // An empty result with no destination to delete changes nothing: nothing to propagate.
    await io.del('a:d');
    out = await propagated(() => io.sinterstore('a:d', 'a:1', 'a:none'));
    assert.deepEqual(out, []);
  });

  it('errors in Valkey order', async () => {
    assert.deepEqual(await raw.call('SINTER', 'a:none', 'a:str'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SUNION', 'a:1', 'a:str'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SDIFFSTORE', 'a:d', 'a:1', 'a:str'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SINTERCARD', '0', 'a:1'), { error: 'ERR numkeys should be greater than 0' });
    assert.deepEqual(await raw.call('SINTERCARD', 'x', 'a:1'), { error: 'ERR numkeys should be greater than 0' });
    assert.deepEqual(await raw.call('SINTERCARD', '3', 'a:1', 'a:2'), { error: "ERR Number of keys can't be greater than number of args" });
    assert.deepEqual(await raw.call('SINTERCARD', '1', 'a:1', 'LIMIT', '-1'), { error: "ERR LIMIT can't be negative" });
    assert.deepEqual(await raw.call('SINTERCARD', '1', 'a:1', 'LIMIT', 'x'), { error: "ERR LIMIT can't be negative" });
    assert.deepEqual(await raw.call('SINTERCARD', '1', 'a:1', 'LIMIT'), { error: SYNTAX });
    assert.deepEqual(await raw.call('SINTERCARD', '1', 'a:1', 'a:2'), { error: SYNTAX });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'), ['a', 'b']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'SDIFFSTORE', 'd', 'a', 'b'), ['d', 'a', 'b']);
  });
});

describe('SSCAN', () => {
  it('returns small encodings whole with cursor 0, filtered by MATCH', async () => {
    await io.del('c:s');
    await io.sadd('c:s', 'apple', 'banana', 'avocado', '1');
    const [cursor, members] = (await io.sscan('c:s', '0', 'MATCH', 'a*', 'COUNT', '1')) as [string, string[]];
    assert.equal(cursor, '0');
    assert.deepEqual(sorted(members), ['apple', 'avocado']);
    assert.deepEqual(await io.sscan('c:missing', '0', 'COUNT', '0'), ['0', []], 'a missing key ignores the options');
  });

  it('walks a hashtable in COUNT-sized steps and keeps the SCAN guarantee', async () => {
    await io.del('c:h');
    const all = range(0, 1000).map((n) => `m${n}`);
    await io.sadd('c:h', ...all);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, members] = (await io.sscan('c:h', cursor, 'COUNT', '50')) as [string, string[]];
      assert.ok(members.length <= 50);
      for (const m of members) seen.add(m);
      cursor = next;
      calls++;
      // Changes during the walk: members present the whole time must still be returned.
      if (calls === 5) await io.srem('c:h', 'm999', 'm998', 'm1', 'm2');
      if (calls === 8) await io.sadd('c:h', 'new1', 'new2');
    } while (cursor !== '0');
    for (const m of all) if (!['m999', 'm998', 'm1', 'm2'].includes(m)) assert.ok(seen.has(m), m);
    assert.ok(calls >= 19, `${calls} calls`);
  });

  it('errors: cursor first, then the key, then the options', async () => {
    await io.set('c:str', 'v');
    assert.deepEqual(await raw.call('SSCAN', 'c:str', 'x'), { error: 'ERR invalid cursor' });
    assert.deepEqual(await raw.call('SSCAN', 'c:str', '0', 'COUNT', '0'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'COUNT', '0'), { error: SYNTAX });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'COUNT', 'x'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'MATCH'), { error: SYNTAX });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'TYPE', 'set'), { error: SYNTAX });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'NOVALUES'), { error: 'ERR NOVALUES option can only be used in HSCAN' });
    assert.deepEqual(await raw.call('SSCAN', 'c:s', '0', 'NOSCORES'), { error: 'ERR NOSCORES option can only be used in ZSCAN' });
  });
});

describe('keyspace side effects', () => {
  it('SADD / SREM notify, signal WATCH and count dirty per member', async () => {
    await io.del('k:s');
    assert.deepEqual(await events(() => io.sadd('k:s', 'a', 'b')), ['n:new:k:s', 's:sadd:k:s']);
    assert.deepEqual(await events(() => io.sadd('k:s', 'a')), []);
    assert.deepEqual(await events(() => io.srem('k:s', 'z')), []);
    assert.deepEqual(await events(() => io.srem('k:s', 'a', 'b')), ['s:srem:k:s', 'g:del:k:s']);
    const before = srv.server.dirty;
    await io.sadd('k:s', 'a', 'b', 'c', 'a');
    assert.equal(srv.server.dirty - before, 3);
    assert.deepEqual(await propagated(() => io.sadd('k:s', 'a')), [], 'no change, nothing propagated');
    assert.deepEqual(await propagated(() => io.sadd('k:s', 'd')), [['sadd', 'k:s', 'd']]);

    const watcher = new Redis({ port: srv.port, lazyConnect: true, enableReadyCheck: false });
    await watcher.connect();
    try {
      await watcher.watch('k:s');
      await io.sadd('k:s', 'e');
      assert.equal(await watcher.multi().get('x').exec(), null, 'SADD aborts a WATCHing transaction');
      await watcher.watch('k:s');
      await io.sadd('k:s', 'e');
      assert.notEqual(await watcher.multi().get('x').exec(), null, 'a SADD that adds nothing does not');
    } finally {
      watcher.disconnect();
    }
  });

  it('a snapshot in progress is told before a set changes in place', async () => {
    await io.del('k:g');
    await io.sadd('k:g', 'a', 'c');
    // What a snapshot's write guard sees: the members just before each change.
    const seen: string[] = [];
    db().guard = {
      beforeChange: (d, key) => {
        const v = d.data.get(key);
        seen.push(`${key}=${v instanceof SetObject ? v.members().sort().join(',') : String(v)}`);
      },
      afterDelete: () => {},
      beforeWholeDb: () => {},
    };
    try {
      await io.sadd('k:g', 'b');
      await io.srem('k:g', 'a');
      await io.sinterstore('k:g', 'k:g', 'k:g');
    } finally {
      db().guard = null;
    }
    assert.deepEqual(seen.slice(0, 3), ['k:g=a,c', 'k:g=a,b,c', 'k:g=b,c']);
  });

  it('MEMORY USAGE grows with the set', async () => {
    await io.del('k:m');
    await io.sadd('k:m', 'a');
    const small = Number(await io.call('MEMORY', 'USAGE', 'k:m'));
    await io.sadd('k:m', ...range(0, 2000).map((n) => `member-${n}`));
    const big = Number(await io.call('MEMORY', 'USAGE', 'k:m', 'SAMPLES', '0'));
    assert.ok(small > 0 && big > small * 50, `${small} -> ${big}`);
  });

  it('COPY keeps the encoding and copies deeply', async () => {
    await io.del('k:c1', 'k:c2');
    await io.sadd('k:c1', ...range(0, 300).map((n) => `c${n}`));
    await io.copy('k:c1', 'k:c2');
    await io.srem('k:c1', 'c5');
    assert.equal(await io.scard('k:c2'), 300);
    assert.equal(await encoding('k:c2'), 'hashtable');
  });
});

describe('RDB encodings', () => {
  const restore = (key: string, p: Buffer) => raw.call('RESTORE', key, '0', p, 'REPLACE');
  const str = (b: Buffer) => Buffer.concat([Buffer.from([b.length]), b]); // b.length < 64

  it('intset bytes: width, length, little-endian ascending values', () => {
    assert.equal(encodeIntset(2, [1, 2]).toString('hex'), '02000000020000000100' + '0200');
    assert.equal(encodeIntset(8, [-1n, 5000000000]).toString('hex'), '0800000002000000' + 'ffffffffffffffff' + '00f2052a01000000');
    assert.deepEqual(decodeIntset(Buffer.from('0400000002000000fbffffffa0860100', 'hex')), { width: 4, values: [-5, 100000] });
    assert.deepEqual(decodeIntset(encodeIntset(8, [-(2n ** 63n), 2n ** 63n - 1n])).values, [-(2n ** 63n), 2n ** 63n - 1n]);
    for (const bad of ['', '03000000', '030000000100000001', '020000000200000001000100', '0200000002000000020001', '0200000000000000', '02000000020000000200010000']) {
      assert.throws(() => decodeIntset(Buffer.from(bad, 'hex')), RdbFormatError, bad);
    }
  });

  it('round-trips every encoding through DUMP / RESTORE', async () => {
    await defaultLimits();
    const cases: [string, string[], string][] = [
      ['d:int', ['1', '-5', '100000', '9223372036854775807'], 'intset'],
      ['d:lp', ['a', '1', 'b', ''], 'listpack'],
      ['d:ht', range(0, 200).map((n) => `v${n}`), 'hashtable'],
    ];
    for (const [key, members, enc] of cases) {
      await io.del(key);
      await io.sadd(key, ...members);
      const dump = await io.dumpBuffer(key);
      await io.del(key);
      assert.equal(await io.restore(key, 0, dump), 'OK');
      assert.equal(await encoding(key), enc);
      assert.deepEqual(sorted(await io.smembers(key)), sorted(members));
      assert.deepEqual(await io.dumpBuffer(key), dump, 'a listpack or intset dumps back to the same bytes');
    }
  });

  it('keeps an intset wider than its values, as Valkey does', async () => {
    await io.del('d:wide');
    await io.sadd('d:wide', '1', '100000');
    await io.srem('d:wide', '100000');
    const dump = await io.dumpBuffer('d:wide');
    assert.equal(dump.subarray(0, 14).toString('hex'), '0b0c0400000001000000' + '01000000');
  });

  it('converts loaded values by the current thresholds', async () => {
    await defaultLimits();
    await io.del('d:t1', 'd:t2');
    await io.sadd('d:t1', ...range(0, 20));
    await io.sadd('d:t2', ...range(0, 20).map((n) => `s${n}`));
    const d1 = await io.dumpBuffer('d:t1');
    const d2 = await io.dumpBuffer('d:t2');
    await io.call('CONFIG', 'SET', 'set-max-intset-entries', '10', 'set-max-listpack-entries', '10');
    try {
      await io.restore('d:t1', 0, d1, 'REPLACE');
      await io.restore('d:t2', 0, d2, 'REPLACE');
      assert.equal(await encoding('d:t1'), 'hashtable');
      assert.equal(await encoding('d:t2'), 'hashtable');
    } finally {
      await defaultLimits();
    }
    // RDB_TYPE_SET: members loaded one by one become an intset or a listpack when they fit.
    assert.equal(await restore('d:t3', payload(Buffer.concat([Buffer.from([2, 3]), str(Buffer.from('7')), str(Buffer.from('3')), str(Buffer.from('5'))]))), 'OK');
    assert.equal(await encoding('d:t3'), 'intset');
    assert.deepEqual(await io.smembers('d:t3'), ['3', '5', '7']);
    assert.equal(await restore('d:t4', payload(Buffer.concat([Buffer.from([2, 2]), str(Buffer.from('7')), str(Buffer.from('x'))]))), 'OK');
    assert.equal(await encoding('d:t4'), 'listpack');
  });

  it('refuses corrupt payloads with "Bad data format"', async () => {
    const intset = (hex: string) => payload(Buffer.concat([Buffer.from([11]), str(Buffer.from(hex, 'hex'))]));
    const listpack = (hex: string) => payload(Buffer.concat([Buffer.from([20]), str(Buffer.from(hex, 'hex'))]));
    const bad = [
      intset('0300000001000000010000'), // width 3
      intset('02000000020000000200010000'), // length / size mismatch
      intset('020000000200000002000100'), // descending
      intset('020000000200000001000100'), // duplicate
      intset('0200000000000000'), // empty
      listpack('0b000000020001010101ff'), // duplicate member 1
      listpack('0700000000 00ff'.replace(' ', '')), // empty listpack
      listpack('0b00000002000101020100'), // no end marker
      payload(Buffer.from([2, 0])), // empty set
      payload(Buffer.concat([Buffer.from([2, 2]), str(Buffer.from('a')), str(Buffer.from('a'))])), // duplicate
      payload(Buffer.concat([Buffer.from([2, 3]), str(Buffer.from('a'))])), // truncated
    ];
    for (const p of bad) assert.deepEqual(await restore('d:bad', p), { error: BAD_DATA }, p.toString('hex'));
    assert.equal(await io.exists('d:bad'), 0);
    assert.equal(await io.ping(), 'PONG');
  });

  it('DEBUG DIGEST-VALUE does not depend on the encoding', async () => {
    await io.del('d:g1', 'd:g2');
    await io.sadd('d:g1', '1', '2', '3');
    await io.sadd('d:g2', '1', '2', '3', 'x');
    await io.srem('d:g2', 'x');
    assert.equal(await encoding('d:g2'), 'listpack');
    const [a, b] = (await io.call('DEBUG', 'DIGEST-VALUE', 'd:g1', 'd:g2')) as string[];
    assert.equal(a, b);
    assert.notEqual(a, '0'.repeat(40));
  });
});

// -------------------------------------------------------------------------------------------
// Against the reference redis-server 7.0
// -------------------------------------------------------------------------------------------

const available = referenceAvailable();

describe('against the reference redis-server', { skip: available ? false : 'redis-server is not installed' }, () => {
  let ref: ReferenceServer;
  let refc: RawClient;
  let fj: RawClient;

  before(async () => {
    ref = await startReference();
    refc = await RawClient.connect(ref.port);
    fj = await RawClient.connect(srv.port);
  });

  after(async () => {
    refc.close();
    fj.close();
    await ref.stop();
    await defaultLimits();
  });

  const dumpBody = async (c: RawClient, key: string): Promise<string> => {
    const d = Buffer.from((await c.call('DUMP', key)) as string, 'latin1');
    return d.subarray(0, d.length - 10).toString('hex');
  };

  it('DUMP of an intset is byte for byte the reference one', async () => {
    const sets = [['1'], ['1', '2', '3'], ['-5', '100000'], ['1', '5000000000'], ['-9223372036854775808', '9223372036854775807'], range(0, 40), range(-300, 0)];
    for (const members of sets) {
      for (const c of [fj, refc]) {
        await c.call('DEL', 'x:int');
        await c.call('SADD', 'x:int', ...members);
      }
      assert.equal(await dumpBody(fj, 'x:int'), await dumpBody(refc, 'x:int'), members.join(' '));
    }
  });

  it('RESTORE works both ways (7.0 writes type 2 for non-intsets)', async () => {
    await defaultLimits();
    const cases = [range(0, 10), ['a', 'b', '1'], range(0, 300).map((n) => `e${n}`), range(0, 600)];
    for (const members of cases) {
      await refc.call('DEL', 'x:r');
      await refc.call('SADD', 'x:r', ...members);
      const refDump = (await refc.call("DUMP", "x:r")) as string;
      assert.equal(await fj.call('RESTORE', 'x:r', '0', Buffer.from(refDump, 'latin1'), 'REPLACE'), 'OK');
      assert.deepEqual(sorted(await fj.call('SMEMBERS', 'x:r')), sorted(members));
      assert.equal(await fj.call('DEBUG', 'DIGEST-VALUE', 'x:r').then((r) => (r as string[])[0]), await refc.call('DEBUG', 'DIGEST-VALUE', 'x:r').then((r) => (r as string[])[0]));
      // The body of Fjord's dump of a non-listpack set loads on 7.0 (which refuses RDB version 80
      // payloads as such: the body gets 7.0's footer).
      if ((await fj.call('OBJECT', 'ENCODING', 'x:r')) !== 'listpack') {
        const fjDump = Buffer.from((await fj.call('DUMP', 'x:r')) as string, 'latin1');
        const body = fjDump.subarray(0, fjDump.length - 10);
        assert.equal(await refc.call('RESTORE', 'x:r2', '0', payload(body, 10), 'REPLACE'), 'OK');
        assert.deepEqual(sorted(await refc.call('SMEMBERS', 'x:r2')), sorted(members));
      }
    }
  });

  it('gives the same replies to thousands of random commands', async () => {
    for (const [seed, small] of [[seedFromEnv(1), true], [2, false], [3, true]] as [number, boolean][]) {
      await runSetDifferential(fj, refc, srv.port, ref.port, seed, small);
      if (process.env.FJORD_SEED) break;
    }
  });
});

// -------------------------------------------------------------------------------------------
// The random differential run
// -------------------------------------------------------------------------------------------

const KEYS = ['s0', 's1', 's2', 's3', 's4'];
const MEMBERS = [
  ...range(0, 30),
  '-1', '-300', '100000', '5000000000', '-9223372036854775808', '9223372036854775807', '9223372036854775808',
  '01', '+1', ' 1', '-0', '1.5', 'a', 'b', 'c', 'd', 'abcdefghi', 'x'.repeat(70), '',
];
const SET_COMMANDS_ORDERED = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF']);

function pickKey(rng: Rng): string {
  return rng.chance(0.06) ? 'str' : rng.chance(0.05) ? 'none' : rng.pick(KEYS);
}

function pickMembers(rng: Rng, max: number): string[] {
  const n = 1 + rng.int(max);
  return Array.from({ length: n }, () => rng.pick(MEMBERS));
}

function pickCount(rng: Rng): string {
  return rng.pick(['0', '1', '2', '3', '5', '10', '40', '-1', '-3', '-20', 'x', '1.5', '9223372036854775807', '-9223372036854775808', '-9223372036854775807']);
}

function generateSetCommand(rng: Rng): string[] {
  const r = rng.int(100);
  const k = () => pickKey(rng);
  const keys = (max: number) => Array.from({ length: 1 + rng.int(max) }, k);
  if (r < 22) return ['SADD', k(), ...pickMembers(rng, 6)];
  if (r < 32) return ['SREM', k(), ...pickMembers(rng, 4)];
  if (r < 36) return ['SMOVE', k(), k(), rng.pick(MEMBERS)];
  if (r < 40) return ['SISMEMBER', k(), rng.pick(MEMBERS)];
  if (r < 43) return ['SMISMEMBER', k(), ...pickMembers(rng, 4)];
  if (r < 46) return ['SCARD', k()];
  if (r < 50) return ['SMEMBERS', k()];
  if (r < 56) return rng.chance(0.3) ? ['SPOP', k()] : ['SPOP', k(), pickCount(rng)];
  // (no -LONG_MAX here: both servers would try to build an endless reply)
  if (r < 61) return rng.chance(0.3) ? ['SRANDMEMBER', k()] : ['SRANDMEMBER', k(), pickCount(rng).replace(/^-9223372036854775807$/, '-7')];
  if (r < 64) return ['SINTER', ...keys(3)];
  if (r < 67) return ['SUNION', ...keys(3)];
  if (r < 70) return ['SDIFF', ...keys(4)];
  if (r < 73) return ['SINTERSTORE', k(), ...keys(3)];
  if (r < 76) return ['SUNIONSTORE', k(), ...keys(3)];
  if (r < 79) return ['SDIFFSTORE', k(), ...keys(4)];
  if (r < 83) {
    const ks = keys(3);
    const numkeys = rng.chance(0.1) ? rng.pick(['0', '-1', 'x', String(ks.length + 1)]) : String(ks.length);
    const tail = rng.chance(0.4) ? ['LIMIT', rng.pick(['0', '1', '2', '-1', 'x'])] : rng.chance(0.05) ? ['LIMIT'] : [];
    return ['SINTERCARD', numkeys, ...ks, ...tail];
  }
  if (r < 88) {
    const opts: string[] = [];
    if (rng.chance(0.4)) opts.push('MATCH', rng.pick(['*', '1*', '[a-c]', '?', '*0']));
    if (rng.chance(0.4)) opts.push('COUNT', rng.pick(['1', '5', '100', '0', 'x']));
    return ['SSCAN', k(), rng.chance(0.05) ? 'x' : '0', ...opts];
  }
  if (r < 93) return ['OBJECT', 'ENCODING', k()];
  if (r < 95) return ['DEL', k()];
  if (r < 97) return ['EXISTS', k()];
  // wrong arities
  return rng.pick([['SADD', k()], ['SREM', k()], ['SMOVE', k(), k()], ['SCARD'], ['SINTERSTORE', k()], ['SPOP', k(), '1', '2'], ['SRANDMEMBER', k(), '1', '2'], ['SINTERCARD', '1']]);
}

/** Sort the members of replies whose order depends on the hashtable layout. */
function normalizeSetReply(argv: string[], reply: unknown): unknown {
  const cmd = argv[0].toUpperCase();
  if (SET_COMMANDS_ORDERED.has(cmd) && Array.isArray(reply)) return sorted(reply);
  if (SET_COMMANDS_ORDERED.has(cmd) && unwrapSet(reply) !== reply) return { type: 'set', value: sorted(unwrapSet(reply)) };
  if (cmd === 'OBJECT' && reply === 'listpack') return 'hashtable'; // 7.0 has no set listpack
  return reply;
}

function isError(v: unknown): v is { error: string } {
  return typeof v === 'object' && v !== null && 'error' in v;
}

async function runSetDifferential(fj: RawClient, refc: RawClient, fjPort: number, refPort: number, seed: number, small: boolean): Promise<void> {
  const rng = new Rng(seed);
  const fjord = { 2: fj, 3: await RawClient.connect(fjPort) };
  const ref = { 2: refc, 3: await RawClient.connect(refPort) };
  await fjord[3].call('HELLO', '3');
  await ref[3].call('HELLO', '3');
  const mismatches: string[] = [];
  const fail = (i: number, argv: string[], what: string, a: unknown, b: unknown) =>
    mismatches.push(`#${i} ${JSON.stringify(argv)} ${what}\n    fjord:     ${JSON.stringify(a)?.slice(0, 300)}\n    reference: ${JSON.stringify(b)?.slice(0, 300)}`);
  try {
    await fj.call('FLUSHALL');
    await refc.call('FLUSHALL');
    // Small thresholds cross the encodings often; 7.0 has no set-max-listpack-* parameters.
    const intsetMax = small ? '16' : '512';
    await fj.call('CONFIG', 'SET', 'set-max-intset-entries', intsetMax, 'set-max-listpack-entries', small ? '8' : '128', 'set-max-listpack-value', small ? '8' : '64');
    await refc.call('CONFIG', 'SET', 'set-max-intset-entries', intsetMax);
    for (const c of [fj, refc]) {
      await c.call('SET', 'str', 'v');
      // A set past the default intset limit, built on a fresh key on both sides.
      await c.call('SADD', 's4', ...range(0, 600));
    }
    const count = 2500;
    const encodingsSeen = new Set<string>();
    for (let i = 0; i < count && mismatches.length < 10; i++) {
      const argv = generateSetCommand(rng);
      const resp = rng.chance(0.3) ? 3 : 2;
      const cmd = argv[0].toUpperCase();
      if (cmd === 'SPOP') {
        await spopStep(i, argv, fjord[resp], ref[resp], refc, fail);
        continue;
      }
      if (cmd === 'SRANDMEMBER') {
        await srandmemberStep(i, argv, fjord[resp], ref[resp], refc, fail);
        continue;
      }
      if (cmd === 'SSCAN') {
        await sscanStep(i, argv, fjord[resp], ref[resp], fail);
        continue;
      }
      const [a, b] = await Promise.all([fjord[resp].call(...argv), ref[resp].call(...argv)]);
      if (cmd === 'OBJECT' && typeof a === 'string') encodingsSeen.add(a);
      const na = normalizeSetReply(argv, a);
      const nb = normalizeSetReply(argv, b);
      if (!isDeepEqual(na, nb)) fail(i, argv, `RESP${resp}`, na, nb);
    }
    // The run must have seen sets of every encoding (it exists to cross the thresholds).
    for (const enc of ['intset', 'listpack', 'hashtable']) assert.ok(encodingsSeen.has(enc), `seed ${seed}: no ${enc} set seen`);
    const [da, dbb] = await Promise.all([fj.call('DEBUG', 'DIGEST'), refc.call('DEBUG', 'DIGEST')]);
    if (da !== dbb) mismatches.push(`DEBUG DIGEST differs: ${da} / ${dbb}`);
  } finally {
    fjord[3].close();
    ref[3].close();
  }
  assert.equal(mismatches.length, 0, `seed ${seed}: replies differ from the reference:\n  ${mismatches.join('\n  ')}`);
}

type Fail = (i: number, argv: string[], what: string, a: unknown, b: unknown) => void;

/**
 * SPOP runs on Fjord only; its effect reaches the reference as the SREM Valkey propagates, so
 * both keep the same members. Errors (which change nothing) are compared with the reference's.
 */
async function spopStep(i: number, argv: string[], fj: RawClient, ref: RawClient, refAux: RawClient, fail: Fail): Promise<void> {
  const key = argv[1];
  const refMembers = (await refAux.call('SMEMBERS', key)) as string[] | { error: string };
  const a = unwrapSet(await fj.call(...argv));
  if (isError(a) || isError(refMembers)) {
    const b = unwrapSet(await ref.call(...argv));
    if (!isDeepEqual(a, b)) fail(i, argv, 'error', a, b);
    return;
  }
  const before = Array.isArray(refMembers) ? refMembers : [];
  const popped = argv.length === 2 ? (a === null ? [] : [a as string]) : (a as string[]);
  const expected = argv.length === 2 ? Math.min(1, before.length) : Math.min(Number(argv[2]), before.length);
  if (argv.length === 2 && before.length === 0 && a !== null) fail(i, argv, 'SPOP of a missing key', a, null);
  if (popped.length !== expected || new Set(popped).size !== popped.length || !popped.every((m) => before.includes(m))) {
    fail(i, argv, `popped members (expected ${expected} of the set)`, a, before);
  }
  if (popped.length > 0) await refAux.call('SREM', key, ...popped);
}

/** SRANDMEMBER is random: compared by length, distinctness and membership. */
async function srandmemberStep(i: number, argv: string[], fj: RawClient, ref: RawClient, refAux: RawClient, fail: Fail): Promise<void> {
  const [a, b] = await Promise.all([fj.call(...argv), ref.call(...argv)]);
  if (isError(a) || isError(b) || a === null || b === null) {
    if (!isDeepEqual(a, b)) fail(i, argv, 'reply', a, b);
    return;
  }
  const members = (await refAux.call('SMEMBERS', argv[1])) as string[];
  const got = argv.length === 2 ? [a as string] : (a as string[]);
  const other = argv.length === 2 ? [b as string] : (b as string[]);
  const unique = argv.length === 2 || !argv[2].startsWith('-');
  if (got.length !== other.length || !got.every((m) => members.includes(m)) || (unique && new Set(got).size !== got.length)) {
    fail(i, argv, 'random members', a, b);
  }
}

/** SSCAN cursors depend on the table layout: walk to the end on both and compare what came back. */
async function sscanStep(i: number, argv: string[], fj: RawClient, ref: RawClient, fail: Fail): Promise<void> {
  const walk = async (c: RawClient): Promise<unknown> => {
    const seen = new Set<string>();
    let cursor = argv[2];
    for (let n = 0; n < 10000; n++) {
      const r = await c.call('SSCAN', argv[1], cursor, ...argv.slice(3));
      if (isError(r)) return r;
      const [next, members] = r as [string, string[]];
      for (const m of members) seen.add(m);
      cursor = next;
      if (cursor === '0') break;
    }
    return [...seen].sort();
  };
  const [a, b] = [await walk(fj), await walk(ref)];
  if (!isDeepEqual(a, b)) fail(i, argv, 'members walked', a, b);
}

/** A RESP3 set reply as a plain array (other replies as they are). */
function unwrapSet(v: unknown): unknown {
  return typeof v === 'object' && v !== null && (v as { type?: string }).type === 'set' ? (v as { value: unknown }).value : v;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('SetObject raw access used by the RDB code', () => {
  it('intsetValues / fromIntset / fromListpack keep members and encodings', () => {
    const s = SetObject.fromIntset(8, [1, 2, 3]);
    assert.equal(s.encoding(), 'intset');
    assert.equal(s.intsetWidth(), 8);
    assert.deepEqual(s.intsetValues(), [1, 2, 3]);
    assert.ok(s.has('2') && !s.has('4'));
    const lp = SetObject.fromListpack(['b', 'a', '7']);
    assert.equal(lp.encoding(), 'listpack');
    assert.deepEqual(lp.members(), ['b', 'a', '7']);
  });
});
