// HyperLogLog commands: behaviour through ioredis and node-redis, exact replies with RawClient in
// RESP2 and RESP3, side effects seen inside the in-process server (events, propagation, WATCH,
// snapshots), and differential runs against the reference redis-server: random PFADD / PFCOUNT /
// PFMERGE traffic compared reply by reply and byte by byte (GET of the raw HLL), HLLs moved
// between the two servers, crafted register sets, and a fuzz of corrupted HLLs.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, RawClient, startReference, referenceAvailable, type RunningServer, type ReferenceServer } from '../helpers';
import { runDifferential, seedFromEnv, propagated as propagatedBy, keyspaceEvents, valuesBeforeChange, Rng } from './differential';
import { HLL_DENSE_SIZE, HllRef, addElement, createHll, denseSetRaw } from '../../src/types/hyperloglog';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const INVALID = 'INVALIDOBJ Corrupted HLL object detected';
const needsReference = { skip: !referenceAvailable() && 'redis-server not installed' };

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;
const db = () => srv.server.dbs[0];
const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);

/** The raw bytes of a key (latin1). */
async function bytes(c: RawClient, key: string): Promise<string> {
  return (await c.call('GET', key)) as string;
}

async function encoding(key: string): Promise<string> {
  return (await raw.call('PFDEBUG', 'ENCODING', key)) as string;
}

before(async () => {
  ({ srv, io, raw, raw3 } = await startWithClients());
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

describe('PFADD / PFCOUNT', () => {
  it('creates the key, reports register changes and counts (ioredis)', async () => {
    assert.equal(await io.pfadd('h:new'), 1, 'PFADD without elements creates an empty HLL');
    assert.equal(await io.exists('h:new'), 1);
    assert.equal(await io.type('h:new'), 'string');
    assert.equal(await io.pfcount('h:new'), 0);
    assert.equal(await io.pfadd('h:new'), 0);
    assert.equal(await io.pfadd('h:new', 'a', 'b', 'c'), 1);
    assert.equal(await io.pfadd('h:new', 'a', 'b', 'c'), 0);
    assert.equal(await io.pfadd('h:new', ''), 1, 'the empty string is an element too');
    assert.equal(await io.pfcount('h:new'), 4);
    await io.del('h:n');
    await io.pfadd('h:n', '1', '2', '3', '4', '5');
    assert.equal(await io.pfcount('h:n'), 5);
    await io.pfadd('h:n', '6', '7', '8', '8', '9', '10');
    assert.equal(await io.pfcount('h:n'), 10, 'the cached count is invalidated by PFADD');
    assert.equal(await io.pfcount('h:missing'), 0);
    assert.equal(await io.object('ENCODING', 'h:n'), 'raw');
  });

  it('keeps Valkey\'s bytes: header, sparse opcodes and the cached cardinality', async () => {
    await io.del('h:b');
    await io.pfadd('h:b', 'a', 'b', 'c');
    const v = (await io.getBuffer('h:b'))!;
    assert.equal(v.toString('latin1', 0, 4), 'HYLL');
    assert.equal(v[4], 1, 'sparse');
    assert.equal(v[15], 0x80, 'the cached cardinality is stale after a change');
    assert.equal(await raw.call('PFDEBUG', 'DECODE', 'h:b'), 'Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603');
    assert.equal(await io.pfcount('h:b'), 3);
    assert.equal((await io.getBuffer('h:b'))!.readBigUInt64LE(8), 3n, 'PFCOUNT stores what it computed');
    await io.pfadd('h:b', 'a', 'b', 'c');
    assert.equal(await io.getrange('h:b', 15, 15), '\x00', 'no change, the cache stays valid');
    await io.pfadd('h:b', '1', '2', '3');
    assert.equal((await io.getrangeBuffer('h:b', 15, 15))[0], 0x80);
  });

  it('counts the union of several keys without changing them', async () => {
    await io.del('h:u1', 'h:u2', 'h:u3');
    await io.pfadd('h:u1', 'a', 'b', 'c');
    await io.pfadd('h:u2', 'b', 'c', 'd');
    await io.pfadd('h:u3', 'c', 'd', 'e');
    const before = await io.getBuffer('h:u1');
    assert.equal(await io.pfcount('h:u1', 'h:u2', 'h:u3', 'h:none'), 5);
    assert.deepEqual(await io.getBuffer('h:u1'), before, 'a multi-key count caches nothing');
    assert.equal(await io.pfcount('h:none', 'h:none2'), 0);
    const adds = io.pipeline();
    for (let x = 1; x < 2000; x++) adds.pfadd('h:u1', `foo-${x}`).pfadd('h:u2', `bar-${x}`);
    await adds.exec();
    const card = await io.pfcount('h:u1', 'h:u2');
    assert.ok(Math.abs(card - 4001) < 4001 * 0.05, `union of ~4001 counted as ${card}`);
  });

  it('works through node-redis', async () => {
    const nr = createClient({ socket: { port: srv.port } });
    await nr.connect();
    try {
      await nr.del(['h:nr1', 'h:nr2', 'h:nr3']);
      assert.equal(await nr.pfAdd('h:nr1', ['x', 'y', 'z']), 1);
      assert.equal(await nr.pfAdd('h:nr1', 'x'), 0);
      assert.equal(await nr.pfAdd('h:nr2', ['z', 'w']), 1);
      assert.equal(await nr.pfCount('h:nr1'), 3);
      assert.equal(await nr.pfCount(['h:nr1', 'h:nr2']), 4);
      assert.equal(await nr.pfMerge('h:nr3', ['h:nr1', 'h:nr2']), 'OK');
      assert.equal(await nr.pfCount('h:nr3'), 4);
      const bin = Buffer.from([0, 255, 13, 10]);
      assert.equal(await nr.pfAdd('h:nr3', bin), 1);
      assert.equal(await nr.pfAdd('h:nr3', bin), 0, 'binary elements hash by their bytes');
    } finally {
      await nr.quit();
    }
  });

  it('replies the same in RESP3', async () => {
    await raw3.call('DEL', 'h:r3');
    assert.equal(await raw3.call('PFADD', 'h:r3', 'a'), 1);
    assert.equal(await raw3.call('PFCOUNT', 'h:r3'), 1);
    assert.equal(await raw3.call('PFMERGE', 'h:r3', 'h:r3'), 'OK');
    assert.deepEqual(await raw3.call('PFADD', 'h:r3x'), 1);
    const regs = (await raw3.call('PFDEBUG', 'GETREG', 'h:r3')) as number[];
    assert.equal(regs.length, 16384);
    assert.equal(regs.filter((r) => r !== 0).length, 1);
  });
});

describe('errors', () => {
  it('rejects other types and strings that are not HLLs', async () => {
    await io.del('h:list', 'h:str');
    await io.rpush('h:list', 'x');
    await io.set('h:str', 'bar');
    for (const argv of [
      ['PFADD', 'h:list', 'a'],
      ['PFCOUNT', 'h:list'],
      ['PFCOUNT', 'h:ok', 'h:list'],
      ['PFMERGE', 'h:list', 'h:ok'],
      ['PFMERGE', 'h:ok', 'h:list'],
      ['PFDEBUG', 'ENCODING', 'h:list'],
    ]) {
      assert.deepEqual(await raw.call(...argv), { error: WRONGTYPE }, argv.join(' '));
    }
    for (const argv of [
      ['PFADD', 'h:str', 'a'],
      ['PFCOUNT', 'h:str'],
      ['PFCOUNT', 'h:str', 'h:str'],
      ['PFMERGE', 'h:str'],
      ['PFMERGE', 'h:dst', 'h:str'],
      ['PFDEBUG', 'GETREG', 'h:str'],
    ]) {
      assert.deepEqual(await raw.call(...argv), { error: NOT_HLL }, argv.join(' '));
    }
    assert.equal(await io.exists('h:dst'), 0, 'a failed PFMERGE creates nothing');
    await io.set('h:int', '12345678901234567890');
    assert.deepEqual(await raw.call('PFCOUNT', 'h:int'), { error: NOT_HLL });
  });

  it('detects broken headers and corrupted opcodes', async () => {
    const fresh = async (key: string) => {
      await io.del(key);
      await io.pfadd(key, 'a', 'b', 'c');
    };
    await fresh('h:c');
    await io.append('h:c', 'hello');
    await assert.rejects(io.pfcount('h:c'), { message: INVALID });
    await fresh('h:c');
    await io.setrange('h:c', 0, '0123');
    await assert.rejects(io.pfcount('h:c'), { message: NOT_HLL }, 'broken magic');
    await fresh('h:c');
    await io.setrange('h:c', 4, 'x');
    await assert.rejects(io.pfcount('h:c'), { message: NOT_HLL }, 'unknown encoding');
    await fresh('h:c');
    await io.setrange('h:c', 4, '\x00');
    await assert.rejects(io.pfcount('h:c'), { message: NOT_HLL }, 'dense with the sparse length');
    await io.set('h:c', Buffer.concat([Buffer.from('HYLL\x01'), Buffer.alloc(11), Buffer.from([0x7f, 0xff, 0xff])]));
    await assert.rejects(io.pfcount('h:c', 'h:c'), { message: INVALID }, 'more than 16384 registers');
    await assert.rejects(raw.call('PFDEBUG', 'GETREG', 'h:c').then((r) => Promise.reject(new Error((r as { error: string }).error))), { message: INVALID });
    assert.equal(await io.ping(), 'PONG');
  });

  it('checks arity and counts errors by code', async () => {
    await io.config('RESETSTAT');
    assert.deepEqual(await raw.call('PFADD'), { error: "ERR wrong number of arguments for 'pfadd' command" });
    assert.deepEqual(await raw.call('PFCOUNT'), { error: "ERR wrong number of arguments for 'pfcount' command" });
    assert.deepEqual(await raw.call('PFMERGE'), { error: "ERR wrong number of arguments for 'pfmerge' command" });
    assert.deepEqual(await raw.call('PFDEBUG', 'GETREG'), { error: "ERR wrong number of arguments for 'pfdebug' command" });
    assert.deepEqual(await raw.call('PFDEBUG', 'GETREG', 'a', 'b'), { error: "ERR wrong number of arguments for 'pfdebug' command" });
    assert.deepEqual(await raw.call('PFSELFTEST', 'x'), { error: "ERR wrong number of arguments for 'pfselftest' command" });
    await io.set('h:e', 'nope');
    await raw.call('PFCOUNT', 'h:e');
    const info = await io.info('errorstats');
    assert.match(info, /errorstat_WRONGTYPE:count=1\r\n/);
  });
});

describe('PFMERGE', () => {
  it('stores the union, creating the destination when needed', async () => {
    await io.del('h:m', 'h:m1', 'h:m2', 'h:m3');
    await io.pfadd('h:m1', 'a', 'b', 'c');
    await io.pfadd('h:m2', 'b', 'c', 'd');
    await io.pfadd('h:m3', 'c', 'd', 'e');
    assert.equal(await io.pfmerge('h:m', 'h:m1', 'h:m2', 'h:m3'), 'OK');
    assert.equal(await io.pfcount('h:m'), 5);
    assert.equal(await encoding('h:m'), 'sparse', 'sparse inputs give a sparse result');
    await io.del('h:e1', 'h:e2');
    assert.equal(await io.pfmerge('h:e1', 'h:none1'), 'OK');
    assert.equal(await io.exists('h:e1'), 1);
    assert.equal(await io.pfcount('h:e1'), 0);
    assert.equal(await io.call('PFMERGE', 'h:e2'), 'OK', 'the destination alone');
    assert.equal(await io.pfcount('h:e2'), 0);
    await io.del('h:self');
    await io.pfadd('h:self', 'a', 'b', 'c');
    assert.equal(await io.call('PFMERGE', 'h:self'), 'OK');
    assert.equal(await io.pfcount('h:self'), 3, 'the destination is one of the inputs');
  });

  it('gives a dense result when an input is dense', async () => {
    await io.del('h:d', 'h:d1', 'h:d2');
    await io.pfadd('h:d1', 'a');
    await io.pfadd('h:d2', 'b');
    assert.equal(await raw.call('PFDEBUG', 'TODENSE', 'h:d2'), 1);
    assert.equal(await raw.call('PFDEBUG', 'TODENSE', 'h:d2'), 0);
    await io.pfmerge('h:d', 'h:d1', 'h:d2');
    assert.equal(await encoding('h:d'), 'dense');
    assert.equal((await io.getBuffer('h:d'))!.length, HLL_DENSE_SIZE);
    assert.equal(await io.pfcount('h:d'), 2);
  });
});

describe('encodings', () => {
  it('promotes from sparse to dense past hll-sparse-max-bytes', async () => {
    await io.del('h:p');
    await io.pfadd('h:p');
    let n = 0;
    while ((await encoding('h:p')) === 'sparse') {
      assert.ok((await io.strlen('h:p')) <= 3000);
      const batch = Array.from({ length: 50 }, () => `e${n++}`);
      await io.pfadd('h:p', ...batch);
    }
    assert.ok(n > 1000 && n < 6000, `promoted after ${n} elements`);
    assert.equal(await io.strlen('h:p'), HLL_DENSE_SIZE);
    const card = await io.pfcount('h:p');
    assert.ok(Math.abs(card - n) < n * 0.05, `${card} for ${n}`);
  });

  it('follows a lowered hll-sparse-max-bytes', async () => {
    try {
      await io.del('h:cfg');
      await io.pfadd('h:cfg', 'a', 'b', 'c', 'd', 'e', 'd', 'g', 'h', 'i', 'j', 'k');
      assert.equal(await encoding('h:cfg'), 'sparse');
      await io.config('SET', 'hll-sparse-max-bytes', '30');
      await io.pfadd('h:cfg', 'new_element');
      assert.equal(await encoding('h:cfg'), 'dense');
    } finally {
      await io.config('SET', 'hll-sparse-max-bytes', '3000');
    }
  });

  it('PFDEBUG subcommands', async () => {
    await io.del('h:dbg');
    assert.deepEqual(await raw.call('PFDEBUG', 'ENCODING', 'h:dbg'), { error: 'ERR The specified key does not exist' });
    await io.pfadd('h:dbg', 'a', 'b', 'c');
    assert.equal(await raw.call('pfdebug', 'encoding', 'h:dbg'), 'sparse');
    assert.deepEqual(await raw.call('PFDEBUG', 'NOPE', 'h:dbg'), { error: "ERR Unknown PFDEBUG subcommand 'NOPE'" });
    const regs = (await raw.call('PFDEBUG', 'GETREG', 'h:dbg')) as number[];
    assert.deepEqual(
      regs.map((r, i) => [i, r]).filter(([, r]) => r !== 0),
      [[8436, 1], [12711, 2], [15780, 1]],
    );
    assert.equal(await encoding('h:dbg'), 'dense', 'GETREG converts to dense');
    assert.deepEqual(await raw.call('PFDEBUG', 'DECODE', 'h:dbg'), { error: 'ERR HLL encoding is not sparse' });
    assert.equal(await io.pfcount('h:dbg'), 3);
  });

  it('PFDEBUG SIMD answers disabled, and a bad argument gets the error alone', async () => {
    assert.equal(await raw.call('PFDEBUG', 'SIMD', 'ON'), 'disabled');
    assert.equal(await raw.call('PFDEBUG', 'simd', 'off'), 'disabled');
    const c = await RawClient.connect(srv.port);
    try {
      assert.deepEqual(await c.call('PFDEBUG', 'SIMD', 'maybe'), { error: 'ERR Argument must be ON or OFF' });
      assert.equal(await c.call('PING'), 'PONG', 'the next reply belongs to the next command');
    } finally {
      c.close();
    }
  });

  it('PFSELFTEST passes', async () => {
    // Ten million additions: seconds on a loaded machine.
    raw.send('PFSELFTEST');
    assert.equal(await raw.read(120_000), 'OK');
  });
});

describe('side effects', () => {
  it('emits pfadd events for PFADD and PFMERGE only', async () => {
    await io.del('h:ev', 'h:ev2');
    assert.deepEqual(await events(() => io.pfadd('h:ev', 'a')), ['n:new:h:ev', '$:pfadd:h:ev']);
    assert.deepEqual(await events(() => io.pfadd('h:ev', 'a')), []);
    assert.deepEqual(await events(() => io.pfcount('h:ev')), []);
    assert.deepEqual(await events(() => io.pfmerge('h:ev2', 'h:ev')), ['n:new:h:ev2', '$:pfadd:h:ev2']);
    assert.deepEqual(await events(() => io.pfmerge('h:ev2', 'h:ev')), ['$:pfadd:h:ev2']);
  });

  it('propagates changes, including the cardinality PFCOUNT caches', async () => {
    await io.del('h:pr');
    assert.deepEqual(await propagated(() => io.pfadd('h:pr', 'a', 'b')), [['pfadd', 'h:pr', 'a', 'b']]);
    assert.deepEqual(await propagated(() => io.pfadd('h:pr', 'a')), []);
    assert.deepEqual(await propagated(() => io.pfcount('h:pr')), [['pfcount', 'h:pr']]);
    assert.deepEqual(await propagated(() => io.pfcount('h:pr')), [], 'a valid cache changes nothing');
    assert.deepEqual(await propagated(() => io.pfcount('h:pr', 'h:pr')), []);
    assert.deepEqual(await propagated(() => raw.call('PFDEBUG', 'ENCODING', 'h:pr')), []);
    assert.deepEqual(await propagated(() => raw.call('PFDEBUG', 'TODENSE', 'h:pr')), [['PFDEBUG', 'TODENSE', 'h:pr']]);
    assert.deepEqual(await propagated(() => io.pfmerge('h:pr2', 'h:pr')), [['pfmerge', 'h:pr2', 'h:pr']]);
  });

  it('counts dirty changes per register', async () => {
    await io.del('h:dirty');
    const changes = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(await io.info('persistence'))![1]);
    let before = await changes();
    await io.pfadd('h:dirty', 'a', 'b', 'c');
    assert.equal((await changes()) - before, 4, 'creation plus three registers');
    before = await changes();
    await io.pfcount('h:dirty');
    assert.equal((await changes()) - before, 1);
    before = await changes();
    await io.pfcount('h:dirty');
    assert.equal((await changes()) - before, 0);
  });

  it('PFCOUNT that refreshes the cache touches WATCHed keys; a cached one does not', async () => {
    await io.del('h:w');
    await io.pfadd('h:w', 'a');
    const watcher = new Redis({ port: srv.port, lazyConnect: true });
    await watcher.connect();
    try {
      await watcher.watch('h:w');
      await io.pfcount('h:w');
      assert.equal(await watcher.multi().ping().exec(), null, 'the cached cardinality changed the value');
      await watcher.watch('h:w');
      await io.pfcount('h:w');
      assert.deepEqual(await watcher.multi().ping().exec(), [[null, 'PONG']]);
    } finally {
      watcher.disconnect();
    }
  });

  it('tells a snapshot in progress before changing a value in place', async () => {
    await io.del('h:snap');
    await io.pfadd('h:snap', 'a');
    const old = await bytes(raw, 'h:snap');
    assert.deepEqual(await valuesBeforeChange(srv, () => io.pfcount('h:snap')), [['h:snap', old]]);
    const cached = await bytes(raw, 'h:snap');
    // (The value may be announced again once grown: a snapshot saves a key only the first time.)
    const seen = await valuesBeforeChange(srv, () => io.pfadd('h:snap', 'b'));
    assert.deepEqual(seen[0], ['h:snap', cached]);
    assert.notEqual(await bytes(raw, 'h:snap'), cached);
  });

  it('keeps the TTL of the key it edits, and survives DEBUG RELOAD', async () => {
    await io.del('h:ttl', 'h:ttl2');
    await io.pfadd('h:ttl', 'a');
    await io.expire('h:ttl', 1000);
    await io.pfadd('h:ttl', ...Array.from({ length: 3000 }, (_, i) => `t${i}`));
    assert.equal(await encoding('h:ttl'), 'dense');
    await io.pfcount('h:ttl');
    await io.pfadd('h:ttl2', 'x');
    await io.expire('h:ttl2', 1000);
    await io.pfmerge('h:ttl2', 'h:ttl');
    assert.ok((await io.ttl('h:ttl')) > 900);
    assert.ok((await io.ttl('h:ttl2')) > 900);
    const v = await bytes(raw, 'h:ttl');
    const card = await io.pfcount('h:ttl');
    assert.equal(await io.call('DEBUG', 'RELOAD'), 'OK');
    assert.equal(await bytes(raw, 'h:ttl'), v);
    assert.equal(await io.pfcount('h:ttl'), card);
    assert.equal(await io.pfadd('h:ttl', 'a'), 0);
    const dumped = await io.dumpBuffer('h:ttl');
    await io.restore('h:restored', 0, dumped!, 'REPLACE');
    assert.equal(await io.pfcount('h:restored'), card);
  });

  it('one-element PFADD to a dense HLL edits it in place with every side effect', async () => {
    await io.del('h:dn', 'h:dn2');
    await io.pfadd('h:dn', 'a');
    await raw.call('PFDEBUG', 'TODENSE', 'h:dn');
    await io.pfcount('h:dn'); // a valid cache, to see it invalidated
    const stored = db().peek('h:dn');
    assert.ok(stored instanceof Buffer && stored.length === HLL_DENSE_SIZE);
    const cached = await bytes(raw, 'h:dn');
    assert.equal(cached.charCodeAt(15) & 0x80, 0);

    // A register that changes: reply 1, event, propagation, cache marked stale, same storage.
    let reply: unknown;
    const seen = await propagated(async () => {
      assert.deepEqual(await events(async () => (reply = await raw.call('PFADD', 'h:dn', 'b'))), ['$:pfadd:h:dn']);
    });
    assert.equal(reply, 1);
    assert.deepEqual(seen, [['PFADD', 'h:dn', 'b']]);
    assert.equal(db().peek('h:dn'), stored, 'edited in place, not copied');
    const changed = await bytes(raw, 'h:dn');
    assert.notEqual(changed.charCodeAt(15) & 0x80, 0, 'the cached cardinality is stale');
    assert.equal(await io.pfcount('h:dn'), 2);

    // No register changes: reply 0, nothing signalled, the bytes untouched.
    const before = await bytes(raw, 'h:dn');
    assert.deepEqual(await propagated(() => events(() => raw.call('PFADD', 'h:dn', 'b')).then((e) => assert.deepEqual(e, []))), []);
    assert.equal(await raw.call('PFADD', 'h:dn', 'a'), 0);
    assert.equal(await bytes(raw, 'h:dn'), before);

    // A dense value SET by a client (a plain string) takes the general path and counts alike.
    await io.set('h:dn2', Buffer.from(before, 'latin1'));
    assert.equal(await raw.call('PFADD', 'h:dn2', 'c'), 1);
    assert.equal(await raw.call('PFADD', 'h:dn', 'c'), 1);
    assert.equal(await bytes(raw, 'h:dn2'), await bytes(raw, 'h:dn'));
    assert.ok(db().peek('h:dn2') instanceof Buffer);
  });

  it('edits a copy of a value shared with another key', async () => {
    await io.del('h:orig', 'h:copy');
    await io.pfadd('h:orig', 'a');
    await io.copy('h:orig', 'h:copy');
    const v = await bytes(raw, 'h:orig');
    await io.pfadd('h:copy', 'b', 'c');
    await io.pfcount('h:copy');
    assert.equal(await bytes(raw, 'h:orig'), v);
    assert.ok(db().peek('h:copy') instanceof Buffer);
  });
});

describe('command table', () => {
  it('declares Valkey\'s arity, flags, keys and categories', async () => {
    const info = (await raw.call('COMMAND', 'INFO', 'pfadd', 'pfcount', 'pfmerge', 'pfdebug', 'pfselftest')) as unknown[][];
    const brief = info.map((e) => e.slice(0, 7));
    assert.deepEqual(brief, [
      ['pfadd', -2, ['write', 'denyoom', 'fast'], 1, 1, 1, ['@write', '@hyperloglog', '@fast']],
      ['pfcount', -2, ['readonly'], 1, -1, 1, ['@read', '@hyperloglog', '@slow']],
      ['pfmerge', -2, ['write', 'denyoom'], 1, -1, 1, ['@write', '@hyperloglog', '@slow']],
      ['pfdebug', 3, ['write', 'denyoom', 'admin'], 2, 2, 1, ['@write', '@hyperloglog', '@admin', '@slow', '@dangerous']],
      ['pfselftest', 1, ['admin'], 0, 0, 0, ['@hyperloglog', '@admin', '@slow', '@dangerous']],
    ]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'PFMERGE', 'd', 's1', 's2'), ['d', 's1', 's2']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'PFCOUNT', 'a', 'b'), [['a', ['RW', 'access']], ['b', ['RW', 'access']]]);
  });
});

// ---------------------------------------------------------------------------------------------
// Against the reference server
// ---------------------------------------------------------------------------------------------

describe('differential against redis-server', needsReference, () => {
  let ref: ReferenceServer;
  let refc: RawClient;
  let fj: RawClient;

  before(async () => {
    ref = await startReference();
    refc = await RawClient.connect(ref.port);
    fj = await RawClient.connect(srv.port);
  });

  after(async () => {
    refc?.close();
    fj?.close();
    await ref?.stop();
  });

  /** Run the same command on both servers; the replies must be equal. */
  async function both(...argv: (string | number | Buffer)[]): Promise<unknown> {
    const [a, b] = await Promise.all([fj.call(...argv), refc.call(...argv)]);
    assert.deepEqual(a, b, `${argv.map((x) => (Buffer.isBuffer(x) ? `<${x.length} bytes>` : String(x).slice(0, 40))).join(' ')}`);
    return a;
  }

  /** Send commands in one go and read all the replies. */
  async function pipeline(c: RawClient, script: (string | number | Buffer)[][]): Promise<unknown[]> {
    for (const argv of script) c.send(...argv);
    const out: unknown[] = [];
    for (let i = 0; i < script.length; i++) out.push(await c.read());
    return out;
  }

  const KEYS = ['d:h1', 'd:h2', 'd:h3', 'd:h4'];

  function element(rng: Rng): string {
    const r = rng.next();
    if (r < 0.6) return `m${rng.int(20000)}`;
    if (r < 0.8) return String(rng.int(1000));
    let s = '';
    for (let i = rng.int(20); i > 0; i--) s += String.fromCharCode(rng.int(256));
    return s;
  }

  it('random PFADD / PFCOUNT / PFMERGE traffic replies alike and leaves the same bytes', async () => {
    await runDifferential({
      fjordPort: srv.port,
      refPort: ref.port,
      seed: seedFromEnv(5150),
      count: 2500,
      resetEvery: 400,
      reset: async (r, f) => {
        for (const c of [r, f]) {
          await c.call('DEL', ...KEYS, 'd:list', 'd:str');
          await c.call('RPUSH', 'd:list', 'x');
          await c.call('SET', 'd:str', 'HYLL-not-really');
        }
      },
      generate: (rng) => {
        const key = () => (rng.chance(0.03) ? rng.pick(['d:list', 'd:str']) : rng.pick(KEYS));
        const r = rng.next();
        if (r < 0.45) {
          // Mostly small batches; sometimes big ones, to cross from sparse to dense.
          const n = rng.chance(0.08) ? 200 + rng.int(1500) : rng.int(8);
          return ['PFADD', key(), ...Array.from({ length: n }, () => element(rng))];
        }
        if (r < 0.6) return ['PFCOUNT', key()];
        if (r < 0.68) return ['PFCOUNT', ...Array.from({ length: 2 + rng.int(3) }, key)];
        if (r < 0.76) return ['PFMERGE', key(), ...Array.from({ length: rng.int(3) }, key)];
        if (r < 0.88) return ['GET', key()];
        if (r < 0.92) return ['PFDEBUG', 'ENCODING', key()];
        if (r < 0.95) return ['PFDEBUG', 'DECODE', key()];
        if (r < 0.97) return ['PFDEBUG', 'TODENSE', key()];
        if (r < 0.98) return ['PFDEBUG', 'GETREG', key()];
        return ['STRLEN', key()];
      },
    });
  });

  it('HLLs move both ways with GET and SET and keep counting the same', async () => {
    const rng = new Rng(seedFromEnv(77));
    for (let round = 0; round < 40; round++) {
      const n = rng.chance(0.5) ? rng.int(300) : rng.int(20000);
      const elements = Array.from({ length: n }, () => element(rng));
      const [from, to] = round % 2 === 0 ? [refc, fj] : [fj, refc];
      await from.call('DEL', 'mv:a');
      for (let i = 0; i < elements.length; i += 500) await from.call('PFADD', 'mv:a', ...elements.slice(i, i + 500));
      if (rng.chance(0.5)) await from.call('PFADD', 'mv:a');
      if (rng.chance(0.5)) await from.call('PFCOUNT', 'mv:a'); // a valid cache travels too
      const v = (await from.call('GET', 'mv:a')) as string;
      await to.call('SET', 'mv:a', Buffer.from(v, 'latin1'));
      assert.equal(await to.call('PFCOUNT', 'mv:a'), await from.call('PFCOUNT', 'mv:a'), `round ${round}: ${n} elements`);
      const more = Array.from({ length: rng.int(50) }, () => element(rng));
      await both('PFADD', 'mv:a', ...more);
      await both('GET', 'mv:a');
      await both('PFCOUNT', 'mv:a');
      await both('PFCOUNT', 'mv:a', 'mv:none');
    }
  });

  it('crafted register sets (any value 0..63) count alike', async () => {
    const rng = new Rng(seedFromEnv(91));
    for (let round = 0; round < 60; round++) {
      const v = Buffer.alloc(HLL_DENSE_SIZE);
      v.write('HYLL', 0, 'latin1');
      v[15] = 0x80;
      const high = rng.int(64);
      const density = rng.next();
      for (let r = 0; r < 16384; r++) if (rng.chance(density)) denseSetRaw(v, 16, r, rng.chance(0.5) ? rng.int(high + 1) : high);
      await both('SET', 'cr:a', v);
      await both('PFCOUNT', 'cr:a');
      await both('GET', 'cr:a');
      await both('PFCOUNT', 'cr:a', 'cr:a');
      await both('PFADD', 'cr:a', 'x', 'y');
      await both('PFMERGE', 'cr:b', 'cr:a');
      await both('GET', 'cr:b');
    }
  });

  it('corrupted HLLs get the same error or result and never crash the server', async () => {
    const rng = new Rng(seedFromEnv(2024));
    const ops: ((k: string) => (string | number)[])[] = [
      (k) => ['PFCOUNT', k],
      (k) => ['PFCOUNT', k, 'fz:other'],
      (k) => ['PFADD', k, ...Array.from({ length: 1 + rng.int(30) }, () => element(rng))],
      (k) => ['PFMERGE', 'fz:dst', k],
      (k) => ['PFMERGE', k, 'fz:other'],
      (k) => ['PFDEBUG', 'GETREG', k],
      (k) => ['PFDEBUG', 'DECODE', k],
      (k) => ['PFDEBUG', 'TODENSE', k],
    ];
    await both('DEL', 'fz:other', 'fz:dst');
    await both('PFADD', 'fz:other', 'o1', 'o2', 'o3');
    const outcomes = new Map<string, number>();
    for (let it = 0; it < 2500; it++) {
      // A fresh HLL, sparse or dense (built here with the codec the other tests check)...
      const hll = new HllRef(createHll());
      const n = rng.chance(0.8) ? rng.int(400) : rng.int(4000);
      for (let i = 0; i < n; i++) addElement(hll, element(rng), 3000);
      // ...then corrupted: random bytes changed, cut short, or grown.
      let bad: Buffer = Buffer.from(hll.buf);
      const how = rng.next();
      if (how < 0.6) {
        for (let i = 0; i < 1 + rng.int(5); i++) bad[rng.int(bad.length)] = rng.int(256);
      } else if (how < 0.75) {
        bad = bad.subarray(0, rng.int(bad.length));
      } else if (how < 0.85) {
        bad = Buffer.concat([bad, Buffer.from(Array.from({ length: 1 + rng.int(6) }, () => rng.int(256)))]);
      } else {
        // Only the opcodes / registers, keeping a valid header.
        for (let i = 0; i < 1 + rng.int(3); i++) if (bad.length > 16) bad[16 + rng.int(bad.length - 16)] = rng.int(256);
      }
      const op = rng.pick(ops)('fz:k');
      const script: (string | number | Buffer)[][] = [['SET', 'fz:k', bad], op, ['GET', 'fz:k']];
      if (rng.chance(0.2)) script.push(['GET', 'fz:dst']);
      const [a, b] = await Promise.all([pipeline(fj, script), pipeline(refc, script)]);
      assert.deepEqual(a, b, `iteration ${it}: ${String(op[0])} ${String(op[1])} on ${bad.length} bytes`);
      const outcome = `${String(op[0])} ${typeof a[1] === 'object' && a[1] !== null && 'error' in a[1] ? (a[1] as { error: string }).error.split(' ')[0] : 'ok'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    if (process.env.DIFF_DEBUG) console.log(outcomes);
    // The fuzz reaches both outcomes: errors and corrupted values that still work.
    assert.ok((outcomes.get('PFCOUNT INVALIDOBJ') ?? 0) > 20 && (outcomes.get('PFCOUNT WRONGTYPE') ?? 0) > 20 && (outcomes.get('PFADD ok') ?? 0) > 20);
    assert.equal(await fj.call('PING'), 'PONG');
  });
});
