// RDB completeness: files written by the reference redis-server 7.0 load with the same DEBUG
// DIGEST (every type and encoding, LFU/LRU metadata), streams in all three listpack formats,
// truncated and corrupted files never load (fuzzed, rdbchecksum on and off), and the save
// triggers around the file: SHUTDOWN SAVE/NOSAVE, SIGTERM with save points, FLUSHALL with save
// points, rdb-key-save-delay and rdb-del-sync-files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { startFjord, RawClient, referenceAvailable, startReference, freePort, sleep, type RunningServer } from '../helpers';
import { TestFixtures } from './support';
import { loadRdbBuffer, RdbLoadError } from '../../src/persistence/rdb/file';
import { RdbWriter } from '../../src/persistence/rdb/io';
import { saveStream } from '../../src/persistence/rdb/streamRdb';
import { crc64Buffer } from '../../src/util/crc64';
import type { StreamObject } from '../../src/types/stream';
import { Snapshot } from '../../src/persistence/snapshot';

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'main.js');
const noReference = !referenceAvailable() && 'redis-server not installed';

const fixtures = new TestFixtures('fjord-rdbc-', { dbfilename: 'dump.rdb' });
const tmpDir = () => fixtures.tmpDir();
const fjordIn = (dir: string, extra: Record<string, string> = {}) => fixtures.fjordIn(dir, extra);
const stopFjord = (srv: RunningServer) => fixtures.stop(srv);

/** Fill a server with every type in every encoding (the same commands work on both servers). */
async function fillAllTypes(c: RawClient): Promise<void> {
  const cmds: string[][] = [
    ['SET', 's:int', '12345'],
    ['SET', 's:min', '-9223372036854775808'],
    ['SET', 's:short', 'hello'],
    ['SET', 's:lzf', 'abcdefgh'.repeat(200)],
    ['SET', 's:bin', '\x00\x01\xfe\xff binary'],
    ['SET', 's:ttl', 'expiring', 'PX', '500000'],
    ['RPUSH', 'l:small', 'a', 'b', '1', '-2', '70000'],
    ['RPUSH', 'l:big', ...Array.from({ length: 400 }, (_, i) => `element-${i}-${'x'.repeat(i % 50)}`)],
    ['SADD', 'set:int', '1', '2', '3', '-100000', '5000000000'],
    ['SADD', 'set:str', 'red', 'green', 'blue'],
    ['SADD', 'set:big', ...Array.from({ length: 600 }, (_, i) => String(i * 7))],
    ['HSET', 'h:small', 'name', 'fjord', 'n', '1'],
    ['HSET', 'h:big', ...Array.from({ length: 200 }, (_, i) => [`field${i}`, `value${i}`]).flat()],
    ['ZADD', 'z:small', '1', 'a', '2.5', 'b', '-inf', 'low', '+inf', 'high'],
    // Scores whose %.17g (Redis 7.0's digest) and shortest form (Valkey's) agree, for DEBUG DIGEST.
    ['ZADD', 'z:big', ...Array.from({ length: 200 }, (_, i) => [String(i / 4), `m${i}`]).flat()],
    ['XADD', 'st', '1-1', 'f', 'v1'],
    ['XADD', 'st', '1-2', 'f', 'v2', 'g', 'w'],
    ['XADD', 'st', '2-1', 'f', 'v3'],
    ['XADD', 'st', '3-1', 'other', 'fields'],
    ['XDEL', 'st', '1-2'],
    ['XGROUP', 'CREATE', 'st', 'g1', '0'],
    ['XGROUP', 'CREATE', 'st', 'g2', '$'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'st', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '1', 'STREAMS', 'st', '>'],
    ['XGROUP', 'CREATECONSUMER', 'st', 'g2', 'idle'],
    ['SELECT', '2'],
    ['SET', 'in:db2', 'two'],
    ['SELECT', '0'],
  ];
  for (const cmd of cmds) {
    const r = await c.call(...cmd);
    assert.ok(!(r && typeof r === 'object' && 'error' in r), `${cmd.join(' ').slice(0, 60)}: ${JSON.stringify(r)}`);
  }
}

const DIGEST_KEYS = ['s:int', 's:min', 's:short', 's:lzf', 's:bin', 's:ttl', 'l:small', 'l:big', 'set:int', 'set:str', 'set:big', 'h:small', 'h:big', 'z:small', 'z:big', 'st'];

test('files the reference redis-server writes load with the same DEBUG DIGEST, type by type', { skip: noReference }, async () => {
  const ref = await startReference();
  const r = await RawClient.connect(ref.port);
  await fillAllTypes(r);
  const digest = await r.call('DEBUG', 'DIGEST');
  const perKey = await r.call('DEBUG', 'DIGEST-VALUE', ...DIGEST_KEYS);
  const encodings: unknown[] = [];
  for (const k of DIGEST_KEYS) encodings.push(await r.call('OBJECT', 'ENCODING', k));
  // Fractional scores: DEBUG DIGEST prints them with %.17g in Redis 7.0 but in shortest form in
  // Valkey, so this one is compared by value and left out of the digests.
  await r.call('ZADD', 'z:thirds', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `t${i}`]).flat());
  const thirds = await r.call('ZRANGE', 'z:thirds', '0', '-1', 'WITHSCORES');
  const refDir = ((await r.call('CONFIG', 'GET', 'dir')) as string[])[1];
  assert.equal(await r.call('SAVE'), 'OK');
  r.close();
  const dir = tmpDir();
  fs.copyFileSync(path.join(refDir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
  await ref.stop();

  const { c } = await fjordIn(dir);
  // (Valkey also replies with the shortest form, so the scores are compared as numbers.)
  const asNumbers = (v: unknown) => (v as string[]).map((x, i) => (i % 2 ? Number(x) : x));
  assert.deepEqual(asNumbers(await c.call('ZRANGE', 'z:thirds', '0', '-1', 'WITHSCORES')), asNumbers(thirds));
  await c.call('DEL', 'z:thirds');
  assert.deepEqual(await c.call('DEBUG', 'DIGEST-VALUE', ...DIGEST_KEYS), perKey);
  assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
  const fjordEncodings: unknown[] = [];
  for (const k of DIGEST_KEYS) fjordEncodings.push(await c.call('OBJECT', 'ENCODING', k));
  // Redis 7.0 has no listpack sets or lists: Valkey 9.0 turns small ones into listpacks on load.
  const expected = encodings.map((e, i) => (DIGEST_KEYS[i] === 'set:str' || DIGEST_KEYS[i] === 'l:small' ? 'listpack' : e));
  assert.deepEqual(fjordEncodings, expected);
  assert.ok(((await c.call('PTTL', 's:ttl')) as number) > 400000);
  const groups = (await c.call('XINFO', 'GROUPS', 'st')) as unknown[][];
  assert.deepEqual(
    groups.map((g) => [g[1], g[3], g[5]]),
    [
      ['g1', 2, 3],
      ['g2', 1, 0],
    ],
  );
  c.close();
});

test('LFU counters and LRU idle times in reference files survive the load', { skip: noReference }, async () => {
  const lfuRef = await startReference(['--maxmemory-policy', 'allkeys-lfu']);
  const lruRef = await startReference(['--maxmemory-policy', 'allkeys-lru']);
  const lfu = await RawClient.connect(lfuRef.port);
  const lru = await RawClient.connect(lruRef.port);
  await lfu.call('SET', 'hot', 'x');
  for (let i = 0; i < 200; i++) await lfu.call('GET', 'hot');
  await lfu.call('SET', 'cold', 'y');
  const hotFreq = (await lfu.call('OBJECT', 'FREQ', 'hot')) as number;
  assert.ok(hotFreq > 5, `freq ${hotFreq}`);
  await lru.call('SET', 'old', 'z');
  await sleep(2100);
  await lru.call('SET', 'new', 'w');
  const copy = async (client: RawClient): Promise<string> => {
    const refDir = ((await client.call('CONFIG', 'GET', 'dir')) as string[])[1];
    assert.equal(await client.call('SAVE'), 'OK');
    const dir = tmpDir();
    fs.copyFileSync(path.join(refDir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    client.close();
    return dir;
  };
  const lfuDir = await copy(lfu);
  const lruDir = await copy(lru);
  await lfuRef.stop();
  await lruRef.stop();

  const a = await fjordIn(lfuDir, { 'maxmemory-policy': 'allkeys-lfu' });
  assert.equal(await a.c.call('OBJECT', 'FREQ', 'hot'), hotFreq);
  assert.ok(((await a.c.call('OBJECT', 'FREQ', 'cold')) as number) < hotFreq);
  a.c.close();
  const b = await fjordIn(lruDir, { 'maxmemory-policy': 'allkeys-lru' });
  const oldIdle = (await b.c.call('OBJECT', 'IDLETIME', 'old')) as number;
  assert.ok(oldIdle >= 2 && oldIdle < 30, `idle ${oldIdle}`);
  assert.ok(((await b.c.call('OBJECT', 'IDLETIME', 'new')) as number) < oldIdle);
  b.c.close();
});

/** An RDB file holding one stream key, written in the body format of RDB type `type`. */
function streamFile(magic: string, type: number, s: StreamObject): Buffer {
  const w = new RdbWriter(true);
  w.latin1(magic);
  w.byte(254);
  w.len(0);
  w.byte(type);
  w.string('st');
  saveStream(s, w, type);
  w.byte(255);
  const body = Buffer.from(w.toBuffer());
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64Buffer(body), 0);
  return Buffer.concat([body, crc]);
}

test('streams load from all three listpack formats (types 15, 19 and 21)', async () => {
  const { srv, c } = await fjordIn(tmpDir());
  await fillAllTypes(c);
  const stream = srv.server.dbs[0].peek('st') as StreamObject;
  const full = await c.call('XINFO', 'STREAM', 'st', 'FULL');
  const range = await c.call('XRANGE', 'st', '-', '+');
  const pending = await c.call('XPENDING', 'st', 'g1', '-', '+', '10');
  const groups = await c.call('XINFO', 'GROUPS', 'st');
  c.close();
  const formats: [string, number][] = [
    ['REDIS0009', 15],
    ['REDIS0010', 19],
    ['REDIS0011', 21],
  ];
  for (const [magic, type] of formats) {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'dump.rdb'), streamFile(magic, type, stream));
    const { srv: s2, c: d } = await fjordIn(dir);
    assert.deepEqual(await d.call('XRANGE', 'st', '-', '+'), range, `type ${type}`);
    const p = (await d.call('XPENDING', 'st', 'g1', '-', '+', '10')) as unknown[][];
    // [id, consumer, idle ms, deliveries]: idle grows while the test runs
    assert.deepEqual(
      p.map((e) => [e[0], e[1], e[3]]),
      (pending as unknown[][]).map((e) => [e[0], e[1], e[3]]),
    );
    // Times are absolute in the file, so type 21 (everything Valkey 9.0 keeps) loads identically.
    if (type === 21) assert.deepEqual(await d.call('XINFO', 'STREAM', 'st', 'FULL'), full);
    if (type >= 19) assert.deepEqual(await d.call('XINFO', 'GROUPS', 'st'), groups);
    if (type === 15) {
      // Before type 19 there was no tombstone bookkeeping: it starts over from the entries.
      const info = (await d.call('XINFO', 'STREAM', 'st')) as unknown[];
      assert.equal(info[info.indexOf('entries-added') + 1], 3);
      assert.equal(info[info.indexOf('max-deleted-entry-id') + 1], '0-0');
    }
    d.close();
    await stopFjord(s2);
  }
});

// ------------------------------------------------------------------ corruption

/** A deterministic generator for the fuzzing below (failures must be reproducible). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function tryLoad(buf: Buffer, checksum: boolean): { ok: true; keys: number } | { ok: false; error: unknown } {
  let keys = 0;
  try {
    loadRdbBuffer(
      buf,
      { aux: () => {}, selectDb: () => {}, resizeDb: () => {}, key: () => void keys++ },
      { strictVersion: true, checksum, now: Date.now(), deepSanitize: false },
    );
    return { ok: true, keys };
  } catch (error) {
    return { ok: false, error };
  }
}

test('truncated or corrupted files never load, with rdbchecksum on or off (fuzz)', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  await fillAllTypes(c);
  await c.call('HSET', 'h:ttl', 'a', '1', 'b', '2');
  await c.call('HPEXPIRE', 'h:ttl', '500000', 'FIELDS', '1', 'a');
  await c.call('SAVE');
  const total = (await c.call('DBSIZE')) as number;
  c.close();
  await stopFjord(srv);
  const good = fs.readFileSync(path.join(dir, 'dump.rdb'));
  assert.ok(good.length > 10000, `a file of ${good.length} bytes`);
  const whole = tryLoad(good, true);
  assert.ok(whole.ok && whole.keys === total + 1, 'the intact file loads every key (db 2 included)');

  const clear = (r: ReturnType<typeof tryLoad>, what: string) => {
    assert.ok(!r.ok, `${what} loaded`);
    assert.ok(r.error instanceof RdbLoadError, `${what}: ${(r.error as Error).stack}`);
  };
  // Every ~100th offset, and every offset of the first and last 64 bytes (header and trailer).
  const offsets = new Set<number>();
  for (let len = 0; len < good.length; len += 100) offsets.add(len);
  for (let k = 0; k < 64; k++) offsets.add(k).add(good.length - 1 - k);
  for (const len of offsets) {
    clear(tryLoad(good.subarray(0, len), true), `truncated at ${len}`);
    clear(tryLoad(good.subarray(0, len), false), `truncated at ${len}, no checksum`);
  }
  const rand = rng(0x5eed);
  let loadedWithoutChecksum = 0;
  for (let i = 0; i < 400; i++) {
    const bad = Buffer.from(good);
    const at = Math.floor(rand() * bad.length);
    bad[at] ^= 1 + Math.floor(rand() * 255);
    clear(tryLoad(bad, true), `byte ${at} flipped`);
    // Without the checksum a flip inside a string goes unnoticed (as in Valkey), but a broken
    // structure is still refused cleanly: never a crash of another kind.
    const r = tryLoad(bad, false);
    if (r.ok) loadedWithoutChecksum++;
    else clear(r, `byte ${at} flipped, no checksum`);
  }
  assert.ok(loadedWithoutChecksum < 400, 'some flips are caught by the structure checks alone');

  // At startup a damaged file stops the server before it serves anything.
  fs.writeFileSync(path.join(dir, 'dump.rdb'), good.subarray(0, good.length >> 1));
  await assert.rejects(startFjord({ dir, dbfilename: 'dump.rdb' }), RdbLoadError);
});

// ------------------------------------------------------------------ save triggers

interface Child {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** fjord-server as its own process (for SHUTDOWN and signals). */
async function startProcess(dir: string, args: string[] = []): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, '--port', String(port), '--dir', dir, '--dbfilename', 'dump.rdb', ...args], { stdio: 'ignore' });
  fixtures.adopt(child);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    assert.equal(child.exitCode, null, 'fjord-server exited at startup');
    try {
      const c = await RawClient.connect(port);
      await c.call('PING');
      c.close();
      return { child, port, exited };
    } catch {
      assert.ok(Date.now() < deadline, 'fjord-server did not start');
      await sleep(50);
    }
  }
}

async function keysIn(dir: string): Promise<string[]> {
  const { srv, c } = await fjordIn(dir);
  const keys = ((await c.call('KEYS', '*')) as string[]).sort();
  c.close();
  await stopFjord(srv);
  return keys;
}

test('SHUTDOWN NOSAVE skips the save even with save points; SHUTDOWN SAVE saves without them', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'dump.rdb');
  const a = await startProcess(dir, ['--save', '3600 1']);
  let c = await RawClient.connect(a.port);
  await c.call('SET', 'k', 'v');
  c.send('SHUTDOWN', 'NOSAVE');
  assert.equal(await a.exited, 0);
  assert.equal(fs.existsSync(file), false, 'NOSAVE wrote no file');

  const b = await startProcess(dir, ['--save', '']);
  c = await RawClient.connect(b.port);
  await c.call('SET', 'k', 'v');
  c.send('SHUTDOWN');
  assert.equal(await b.exited, 0);
  assert.equal(fs.existsSync(file), false, 'no save points, no save');

  const d = await startProcess(dir, ['--save', '']);
  c = await RawClient.connect(d.port);
  await c.call('SET', 'k', 'v');
  c.send('SHUTDOWN', 'SAVE');
  assert.equal(await d.exited, 0);
  assert.deepEqual(await keysIn(dir), ['k']);
});

test('SIGTERM saves when save points are configured, and only then', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'dump.rdb');
  const plain = await startProcess(dir, ['--save', '']);
  let c = await RawClient.connect(plain.port);
  await c.call('SET', 'lost', '1');
  c.close();
  plain.child.kill('SIGTERM');
  assert.equal(await plain.exited, 0);
  assert.equal(fs.existsSync(file), false);

  const saving = await startProcess(dir, ['--save', '3600 1000']);
  c = await RawClient.connect(saving.port);
  await c.call('SET', 'kept', '1');
  await c.call('SELECT', '1');
  await c.call('SET', 'kept1', '1');
  c.close();
  saving.child.kill('SIGTERM');
  assert.equal(await saving.exited, 0);
  assert.deepEqual(await keysIn(dir), ['kept']);

  // A BGSAVE still running is stopped, the final save made, and no temp file left behind.
  const busy = await startProcess(dir, ['--save', '3600 1000', '--rdb-key-save-delay', '100000']);
  c = await RawClient.connect(busy.port);
  await c.call('SET', 'late', '1');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('temp-')), 'the BGSAVE is running');
  c.close();
  busy.child.kill('SIGTERM');
  assert.equal(await busy.exited, 0);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('temp-')), []);
  assert.deepEqual(await keysIn(dir), ['kept', 'late']);
});

test('FLUSHALL with save points saves the empty dataset and stops a running BGSAVE', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'dump.rdb');
  const { c } = await fjordIn(dir, { save: '3600 1' });
  for (let i = 0; i < 50; i++) await c.call('SET', `k${i}`, 'v');
  assert.equal(await c.call('SAVE'), 'OK');
  assert.equal(await keysIn(dir).then((k) => k.length), 50);
  // A slow BGSAVE is running when FLUSHALL comes: it must not write the old keys back later.
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '100000');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  assert.equal(await c.call('FLUSHALL'), 'OK');
  const info = (await c.call('INFO', 'persistence')) as string;
  assert.match(info, /rdb_bgsave_in_progress:0/);
  assert.match(info, /rdb_last_bgsave_status:ok/);
  assert.match(info, /rdb_changes_since_last_save:0/);
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await sleep(300);
  assert.deepEqual(await keysIn(dir), []);
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('temp-')).length, 0, 'no temp file left');

  // Without save points FLUSHALL leaves the file alone.
  const dir2 = tmpDir();
  const other = await fjordIn(dir2);
  await other.c.call('SET', 'a', '1');
  await other.c.call('SAVE');
  await other.c.call('FLUSHALL');
  assert.deepEqual(await keysIn(dir2), ['a']);
  other.c.close();
  c.close();
});

test('rdb-key-save-delay slows SAVE and BGSAVE down per key (microseconds)', async () => {
  const { c } = await fjordIn(tmpDir());
  for (let i = 0; i < 40; i++) await c.call('SET', `k${i}`, 'v');
  assert.equal(await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '5000'), 'OK');
  assert.deepEqual(await c.call('CONFIG', 'GET', 'rdb-key-save-delay'), ['rdb-key-save-delay', '5000']);
  let t0 = Date.now();
  assert.equal(await c.call('SAVE'), 'OK');
  assert.ok(Date.now() - t0 >= 190, `SAVE took ${Date.now() - t0} ms for 40 keys at 5 ms each`);
  t0 = Date.now();
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  // The server keeps answering while the slowed-down save runs.
  assert.equal(await c.call('PING'), 'PONG');
  assert.match((await c.call('INFO', 'persistence')) as string, /rdb_bgsave_in_progress:1/);
  for (;;) {
    const info = (await c.call('INFO', 'persistence')) as string;
    if (info.includes('rdb_bgsave_in_progress:0')) break;
    assert.ok(Date.now() - t0 < 20_000, 'BGSAVE did not finish');
    await sleep(20);
  }
  assert.ok(Date.now() - t0 >= 190, `BGSAVE took ${Date.now() - t0} ms`);
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  t0 = Date.now();
  assert.equal(await c.call('SAVE'), 'OK');
  assert.ok(Date.now() - t0 < 190, 'no delay once reset');
  c.close();
});

test('rdb-del-sync-files only concerns files made for replicas: a SAVE file stays', async () => {
  const dir = tmpDir();
  const { c } = await fjordIn(dir, { 'rdb-del-sync-files': 'yes' });
  assert.deepEqual(await c.call('CONFIG', 'GET', 'rdb-del-sync-files'), ['rdb-del-sync-files', 'yes']);
  await c.call('SET', 'a', '1');
  assert.equal(await c.call('SAVE'), 'OK');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  await sleep(1200); // past a few cron runs, where Valkey deletes replication files
  assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
  assert.equal(await c.call('CONFIG', 'SET', 'rdb-del-sync-files', 'no'), 'OK');
  assert.deepEqual(await c.call('CONFIG', 'GET', 'rdb-del-sync-files'), ['rdb-del-sync-files', 'no']);
  c.close();
});

test('a BGSAVE step stops after about a millisecond however many keys its budget allows', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  const db = srv.server.dbs[0];
  const value = 'q'.repeat(1000);
  for (let i = 0; i < 20000; i++) db.setKey(`big:${i}`, `${i}:${value}`);
  const snap = new Snapshot(srv.server.dbs, {
    file: path.join(dir, 'step.rdb'),
    compress: true,
    checksum: true,
    aux: [],
    keysPerStep: 2000,
    keySaveDelayUs: 0,
    keyMeta: () => ({ idle: -1, freq: -1 }),
  });
  snap.begin();
  let steps = 0;
  while (!snap.step(1_000_000)) steps++;
  snap.finish();
  // 20,000 keys of 1 KB take far longer than a millisecond: the budget alone would be one step.
  assert.ok(steps >= 5, `${steps} steps`);
  assert.equal(snap.keysSaved, 20000);
  const loaded = tryLoad(fs.readFileSync(path.join(dir, 'step.rdb')), true);
  assert.ok(loaded.ok && loaded.keys === 20000);
  c.close();
});

test('fjord-server refuses to start on a damaged file and says why', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  for (let i = 0; i < 100; i++) await c.call('SET', `k${i}`, `v${i}`);
  await c.call('SAVE');
  c.close();
  await stopFjord(srv);
  const file = path.join(dir, 'dump.rdb');
  const good = fs.readFileSync(file);
  const run = (): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [MAIN, '--port', '0', '--dir', dir, '--dbfilename', 'dump.rdb'], { stdio: ['ignore', 'pipe', 'pipe'] });
      fixtures.adopt(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
  fs.writeFileSync(file, good.subarray(0, good.length - 20));
  let r = await run();
  assert.equal(r.code, 1);
  assert.match(r.out, /Short read or OOM loading DB\. Unrecoverable error, aborting now\./);
  const flipped = Buffer.from(good);
  flipped[good.length - 3] ^= 0x40; // inside the CRC64 trailer
  fs.writeFileSync(file, flipped);
  r = await run();
  assert.equal(r.code, 1);
  assert.match(r.out, /Wrong RDB checksum expected: \([0-9a-f]+\) got: \([0-9a-f]+\)\. Aborting now\./);
});
