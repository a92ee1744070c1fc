// The append-only file: the multi-part layout (manifest, base, incr), what the propagation
// channel records, rewrites with and without the RDB preamble, every type surviving a rewrite and
// a restart, MULTI/EXEC and blocked pops replayed, CONFIG SET appendonly at run time, DEBUG
// LOADAOF, INFO fields, BGSAVE/BGREWRITEAOF exclusion, torn tails, old single-file AOFs, bad
// manifests, and an AOF written by the reference redis-server loading with the same digest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startFjord, RawClient, referenceAvailable, startReference, sleep, type RunningServer } from '../helpers';
import { TestFixtures } from './support';

const fixtures = new TestFixtures('fjord-aof-', { appendonly: 'yes' });
const tmpDir = () => fixtures.tmpDir();
const fjordIn = (dir: string, extra: Record<string, string> = {}) => fixtures.fjordIn(dir, extra);

async function stop(srv: RunningServer, c?: RawClient): Promise<void> {
  c?.close();
  await srv.stop();
}

const aofDir = (dir: string) => path.join(dir, 'appendonlydir');
const readManifest = (dir: string) => fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1');

function resp(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('');
}

async function infoField(c: RawClient, field: string): Promise<string> {
  const text = (await c.call('INFO', 'persistence')) as string;
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  assert.ok(m, `INFO has ${field}`);
  return m[1].trim();
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function waitRewriteDone(c: RawClient): Promise<void> {
  await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0' && (await infoField(c, 'aof_rewrite_scheduled')) === '0', 'the AOF rewrite');
}

async function logHas(file: string, text: string, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'latin1').includes(text)) return true;
    await sleep(20);
  }
  return false;
}

/** Every type, with encodings small and large, TTLs and several databases. */
async function populate(c: RawClient): Promise<void> {
  await c.call('SET', 'str', 'hello');
  await c.call('SET', 'int', '12345');
  await c.call('SET', 'bin', Buffer.from([0, 1, 2, 0xff, 13, 10]));
  await c.call('APPEND', 'raw', 'abc');
  await c.call('SETRANGE', 'raw', '10', 'z');
  const many = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  await c.call('RPUSH', 'list', 'a', 'b', 'c');
  await c.call('RPUSH', 'biglist', ...many(150, 'item-'));
  await c.call('SADD', 'intset', '1', '2', '3', '-7');
  await c.call('SADD', 'set', 'x', 'y');
  await c.call('SADD', 'bigset', ...many(200, 'm'));
  // Scores whose shortest form is also their %.17g form: Redis 7.0's DEBUG DIGEST prints
  // scores with %.17g, Valkey 9.0's (and Fjord's) with the shortest round-trip form.
  await c.call('ZADD', 'zset', '1.5', 'a', '-inf', 'b', '2', 'c', '0.25', 'd');
  const zargs: string[] = [];
  for (let i = 0; i < 140; i++) zargs.push(String(i / 4), `z${i}`);
  await c.call('ZADD', 'bigzset', ...zargs);
  await c.call('HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
  const hargs: string[] = [];
  for (let i = 0; i < 100; i++) hargs.push(`field${i}`, `value${i}`);
  await c.call('HSET', 'bighash', ...hargs);
  await c.call('XADD', 'stream', '1-1', 'f', 'v1');
  await c.call('XADD', 'stream', '2-1', 'f', 'v2', 'g', 'w');
  await c.call('XADD', 'stream', '3-1', 'f', 'v3');
  await c.call('XGROUP', 'CREATE', 'stream', 'g1', '0');
  await c.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
  await c.call('XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob');
  await c.call('XGROUP', 'CREATE', 'stream', 'g2', '$');
  await c.call('XDEL', 'stream', '2-1');
  await c.call('XADD', 'emptystream', 'MAXLEN', '0', '5-5', 'a', 'b');
  await c.call('SET', 'ttl', 'v', 'PX', '100000');
  await c.call('RPUSH', 'listttl', 'q');
  await c.call('PEXPIRE', 'listttl', '200000');
  await c.call('SELECT', '5');
  await c.call('SET', 'db5', 'five');
  await c.call('SELECT', '0');
}

async function digest(c: RawClient): Promise<string> {
  return (await c.call('DEBUG', 'DIGEST')) as string;
}

async function ttlOf(c: RawClient, key: string): Promise<number> {
  return (await c.call('PTTL', key)) as number;
}

// ---------------------------------------------------------------- layout and recording

test('startup creates the manifest, a base and an incr file; writes are recorded as RESP with SELECT', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'aof-use-rdb-preamble': 'yes' });
  assert.deepEqual(fs.readdirSync(aofDir(dir)).sort(), ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
  assert.equal(readManifest(dir), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  assert.equal(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.rdb')).latin1Slice(0, 9), 'VALKEY080');
  await c.call('SET', 'k', 'v');
  await c.call('SELECT', '3');
  await c.call('INCR', 'n');
  await c.call('EXPIRE', 'n', '100');
  const pexpireat = Date.now();
  const incr = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
  const prefix = resp('SELECT', '0') + resp('SET', 'k', 'v') + resp('SELECT', '3') + resp('INCR', 'n');
  assert.ok(incr.startsWith(prefix), JSON.stringify(incr));
  // EXPIRE is recorded as the PEXPIREAT it amounts to.
  const m = /\*3\r\n\$9\r\nPEXPIREAT\r\n\$1\r\nn\r\n\$13\r\n(\d{13})\r\n$/.exec(incr.slice(prefix.length));
  assert.ok(m, JSON.stringify(incr.slice(prefix.length)));
  assert.ok(Math.abs(Number(m[1]) - (pexpireat + 100_000)) < 5000);
  // A read is not recorded.
  await c.call('GET', 'k');
  assert.equal(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1'), incr);
  await stop(srv, c);
});

test('every type survives a restart from the incr file, with the same digest and TTLs', async () => {
  const dir = tmpDir();
  const first = await fjordIn(dir);
  await populate(first.c);
  const before = await digest(first.c);
  assert.notEqual(before, '0000000000000000000000000000000000000000');
  await stop(first.srv, first.c);

  const again = await fjordIn(dir);
  assert.equal(await digest(again.c), before);
  const ttl = await ttlOf(again.c, 'ttl');
  assert.ok(ttl > 90_000 && ttl <= 100_000, `ttl ${ttl}`);
  // XDEL leaves the deleted entry in the PEL.
  assert.deepEqual(await again.c.call('XPENDING', 'stream', 'g1'), [2, '1-1', '2-1', [['alice', '2']]]);
  assert.equal(await again.c.call('OBJECT', 'ENCODING', 'raw'), 'raw');
  await stop(again.srv, again.c);
});

for (const preamble of ['yes', 'no']) {
  test(`BGREWRITEAOF with aof-use-rdb-preamble ${preamble}: new base, history deleted, every type survives`, async () => {
    const dir = tmpDir();
    const { srv, c } = await fjordIn(dir, { 'aof-use-rdb-preamble': preamble });
    await populate(c);
    const before = await digest(c);
    assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
    await waitRewriteDone(c);
    const ext = preamble === 'yes' ? 'rdb' : 'aof';
    assert.equal(readManifest(dir), `file appendonly.aof.2.base.${ext} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n`);
    await waitFor(async () => fs.readdirSync(aofDir(dir)).length === 3, 'history files to be deleted');
    assert.deepEqual(fs.readdirSync(aofDir(dir)).sort(), [`appendonly.aof.2.base.${ext}`, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const base = fs.readFileSync(path.join(aofDir(dir), `appendonly.aof.2.base.${ext}`), 'latin1');
    if (preamble === 'yes') {
      assert.equal(base.slice(0, 9), 'VALKEY080');
    } else {
      assert.ok(base.startsWith(resp('SELECT', '0')), base.slice(0, 40));
      // At most 64 items per variadic command.
      const rpushes = [...base.matchAll(/\*(\d+)\r\n\$5\r\nRPUSH\r\n\$7\r\nbiglist\r\n/g)].map((x) => Number(x[1]) - 2);
      assert.deepEqual(rpushes, [64, 64, 22]);
      assert.ok(base.includes(resp('XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob')));
      assert.ok(base.includes(resp('SELECT', '5') + resp('SET', 'db5', 'five')));
      assert.match(base, /\$9\r\nPEXPIREAT\r\n\$3\r\nttl\r\n/);
    }
    await c.call('SET', 'after', 'rewrite');
    const incr = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.incr.aof'), 'latin1');
    assert.equal(incr, resp('SELECT', '0') + resp('SET', 'after', 'rewrite'));
    const withAfter = await digest(c);
    assert.notEqual(withAfter, before);
    await stop(srv, c);

    const again = await fjordIn(dir, { 'aof-use-rdb-preamble': preamble });
    assert.equal(await digest(again.c), withAfter);
    const ttl = await ttlOf(again.c, 'listttl');
    assert.ok(ttl > 150_000, `ttl ${ttl}`);
    await stop(again.srv, again.c);
  });
}

test('a rewrite is a point-in-time cut: writes during it land in the new incr file', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'aof-use-rdb-preamble': 'no', 'rdb-key-save-delay': '2000' });
  for (let i = 0; i < 300; i++) c.send('SET', `k${i}`, `old${i}`);
  for (let i = 0; i < 300; i++) await c.read();
  assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.equal(await infoField(c, 'aof_rewrite_in_progress'), '1');
  for (let i = 0; i < 300; i += 7) await c.call('SET', `k${i}`, `new${i}`);
  await c.call('DEL', 'k1');
  await c.call('SET', 'fresh', '1');
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await waitRewriteDone(c);
  const base = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'), 'latin1');
  assert.ok(base.includes(resp('SET', 'k7', 'old7')), 'base holds the value at the cut');
  assert.ok(!base.includes('new7') && !base.includes('fresh'));
  assert.ok(base.includes(resp('SET', 'k1', 'old1')));
  const d = await digest(c);
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await digest(again.c), d);
  assert.equal(await again.c.call('GET', 'k7'), 'new7');
  assert.equal(await again.c.call('GET', 'k1'), null);
  await stop(again.srv, again.c);
});

test('MULTI/EXEC is recorded as one transaction and replays exactly; a torn transaction is reverted', async () => {
  const dir = tmpDir();
  const logfile = path.join(dir, 'log.txt');
  const { srv, c } = await fjordIn(dir, { logfile });
  await c.call('MULTI');
  await c.call('SET', 'a', '1');
  await c.call('INCR', 'a');
  await c.call('LPUSH', 'l', 'x');
  assert.deepEqual(await c.call('EXEC'), ['OK', 2, 1]);
  const incrFile = path.join(aofDir(dir), 'appendonly.aof.1.incr.aof');
  const text = fs.readFileSync(incrFile, 'latin1');
  assert.equal(text, resp('SELECT', '0') + resp('MULTI') + resp('SET', 'a', '1') + resp('INCR', 'a') + resp('LPUSH', 'l', 'x') + resp('EXEC'));
  await stop(srv, c);
  // A transaction cut off before its EXEC is dropped (the file is truncated before MULTI).
  fs.appendFileSync(incrFile, resp('MULTI') + resp('SET', 'a', '100'));
  const again = await fjordIn(dir, { logfile });
  assert.equal(await again.c.call('GET', 'a'), '2');
  assert.equal(await again.c.call('LRANGE', 'l', '0', '-1').then((x) => JSON.stringify(x)), '["x"]');
  assert.equal(fs.readFileSync(incrFile, 'latin1'), text);
  assert.ok(await logHas(logfile, 'Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof'));
  await stop(again.srv, again.c);
});

test('a blocked BLPOP served later is recorded as the pop it did', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  const waiter = await RawClient.connect(srv.port);
  fixtures.adoptClient(waiter);
  waiter.send('BLPOP', 'q', '0');
  await sleep(50);
  await c.call('RPUSH', 'q', 'first', 'second');
  assert.deepEqual(await waiter.read(), ['q', 'first']);
  const text = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
  assert.ok(!text.includes('BLPOP'), text);
  const d = await digest(c);
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.deepEqual(await again.c.call('LRANGE', 'q', '0', '-1'), ['second']);
  assert.equal(await digest(again.c), d);
  await stop(again.srv, again.c);
});

test('expired keys are recorded as DEL and keys with past TTLs replay as they were', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  await c.call('SET', 'short', 'v', 'PX', '30');
  await c.call('SET', 'keep', 'x');
  await sleep(120);
  assert.equal(await c.call('GET', 'short'), null);
  const text = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
  assert.ok(/\$(3|6)\r\n(DEL|UNLINK)\r\n\$5\r\nshort\r\n/.test(text), text);
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await again.c.call('EXISTS', 'short'), 0);
  assert.equal(await again.c.call('GET', 'keep'), 'x');
  await stop(again.srv, again.c);

  // An AOF where a later command needs a key whose TTL has passed since: it is still there while loading.
  const dir2 = tmpDir();
  fs.mkdirSync(aofDir(dir2));
  fs.writeFileSync(path.join(aofDir(dir2), 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const past = String(Date.now() - 60_000);
  fs.writeFileSync(
    path.join(aofDir(dir2), 'appendonly.aof.1.incr.aof'),
    resp('SELECT', '0') + resp('SET', 'old', 'v') + resp('PEXPIREAT', 'old', past) + resp('RENAME', 'old', 'moved') + resp('PERSIST', 'moved'),
  );
  const third = await fjordIn(dir2);
  assert.equal(await third.c.call('GET', 'moved'), 'v');
  await stop(third.srv, third.c);
});

// ---------------------------------------------------------------- run-time control

test('CONFIG SET appendonly yes starts a rewrite that creates the base; no turns it off', async () => {
  const dir = tmpDir();
  const srv = await startFjord({ dir });
  fixtures.adoptServer(srv);
  const c = await RawClient.connect(srv.port);
  fixtures.adoptClient(c);
  assert.equal(await infoField(c, 'aof_enabled'), '0');
  assert.ok(!((await c.call('INFO', 'persistence')) as string).includes('aof_current_size'));
  await c.call('SET', 'before', '1');
  await c.call('RPUSH', 'l', 'a', 'b');
  assert.equal(await c.call('CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
  assert.equal(await infoField(c, 'aof_enabled'), '1');
  await c.call('SET', 'during', '2');
  await waitRewriteDone(c);
  assert.equal(readManifest(dir), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  assert.equal(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
  assert.equal(await infoField(c, 'aof_rewrites'), '1');
  assert.ok(Number(await infoField(c, 'aof_current_size')) > 0);
  assert.ok(Number(await infoField(c, 'aof_base_size')) > 0);
  await c.call('SET', 'after', '3');
  const d = await digest(c);
  assert.equal(await c.call('CONFIG', 'SET', 'appendonly', 'no'), 'OK');
  assert.equal(await infoField(c, 'aof_enabled'), '0');
  await c.call('SET', 'notlogged', '4');
  await stop(srv, c);

  const again = await fjordIn(dir);
  assert.equal(await digest(again.c), d);
  assert.equal(await again.c.call('GET', 'notlogged'), null);
  await stop(again.srv, again.c);
});

test('DEBUG LOADAOF empties the dataset and loads it back from the AOF', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  await populate(c);
  const d = await digest(c);
  assert.equal(await c.call('DEBUG', 'LOADAOF'), 'OK');
  assert.equal(await digest(c), d);
  // Keys that are only in memory (written with the AOF off) are gone after the reload.
  await c.call('CONFIG', 'SET', 'appendonly', 'no');
  await c.call('SET', 'memonly', '1');
  assert.equal(await c.call('DEBUG', 'LOADAOF'), 'OK');
  assert.equal(await c.call('EXISTS', 'memonly'), 0);
  assert.equal(await digest(c), d);
  assert.deepEqual(await c.call('DEBUG', 'LOADAOF', 'x'), { error: "ERR unknown subcommand or wrong number of arguments for 'LOADAOF'. Try DEBUG HELP." });
  await stop(srv, c);
  // No AOF at all: an error, and the dataset is empty.
  const other = await startFjord({ dir: tmpDir() });
  fixtures.adoptServer(other);
  const o = await RawClient.connect(other.port);
  fixtures.adoptClient(o);
  await o.call('SET', 'x', '1');
  assert.deepEqual(await o.call('DEBUG', 'LOADAOF'), { error: 'ERR Error trying to load the AOF files, check server logs.' });
  assert.equal(await o.call('DBSIZE'), 0);
  await stop(other, o);
});

test('BGSAVE and BGREWRITEAOF exclude each other with Valkey\'s replies; INFO shows the state', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'rdb-key-save-delay': '3000' });
  for (let i = 0; i < 200; i++) c.send('SET', `k${i}`, 'v');
  for (let i = 0; i < 200; i++) await c.read();
  assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.deepEqual(await c.call('BGREWRITEAOF'), { error: 'ERR Background append only file rewriting already in progress' });
  assert.deepEqual(await c.call('BGSAVE'), {
    error: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  });
  assert.equal(await infoField(c, 'aof_rewrite_in_progress'), '1');
  assert.ok(Number(await infoField(c, 'aof_current_rewrite_time_sec')) >= 0);
  assert.equal(await c.call('BGSAVE', 'SCHEDULE'), 'Background saving scheduled');
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await waitRewriteDone(c);
  // The scheduled BGSAVE runs once the rewrite is over.
  await waitFor(async () => fs.existsSync(path.join(dir, 'dump.rdb')), 'the scheduled BGSAVE');
  assert.equal(await infoField(c, 'aof_last_rewrite_time_sec') !== '-1', true);
  assert.equal(await infoField(c, 'aof_current_rewrite_time_sec'), '-1');

  // A rewrite asked for during a BGSAVE is scheduled.
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '3000');
  await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting scheduled');
  assert.equal(await infoField(c, 'aof_rewrite_scheduled'), '1');
  assert.equal(await infoField(c, 'aof_pending_rewrite'), '1');
  assert.equal(await infoField(c, 'aof_rewrite_in_progress'), '0');
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await waitFor(async () => (await infoField(c, 'aof_rewrites')) === '2', 'the scheduled rewrite');
  await waitRewriteDone(c);
  assert.equal(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
  for (const f of ['aof_rewrites_consecutive_failures', 'aof_buffer_length', 'aof_pending_bio_fsync', 'aof_delayed_fsync']) {
    assert.equal(await infoField(c, f), '0', f);
  }
  assert.equal(await infoField(c, 'aof_last_write_status'), 'ok');
  await stop(srv, c);
});

test('BGREWRITEAOF inside MULTI is scheduled and then runs', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  await c.call('SET', 'x', '1');
  await c.call('MULTI');
  await c.call('BGREWRITEAOF');
  assert.deepEqual(await c.call('EXEC'), ['Background append only file rewriting scheduled']);
  await waitFor(async () => (await infoField(c, 'aof_rewrites')) === '1', 'the scheduled rewrite');
  await waitRewriteDone(c);
  assert.match(readManifest(dir), /^file appendonly\.aof\.2\.base\.rdb seq 2 type b\n/);
  await stop(srv, c);
});

test('automatic rewrite on auto-aof-rewrite-percentage growth', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'auto-aof-rewrite-min-size': '1000', 'auto-aof-rewrite-percentage': '100' });
  for (let i = 0; i < 100; i++) c.send('SET', `key${i}`, 'x'.repeat(50));
  for (let i = 0; i < 100; i++) await c.read();
  await waitFor(async () => Number(await infoField(c, 'aof_rewrites')) >= 1, 'an automatic rewrite');
  await waitRewriteDone(c);
  assert.ok(Number(await infoField(c, 'aof_base_size')) > 1000);
  await stop(srv, c);
});

test('aof-timestamp-enabled writes #TS annotations that load back', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no' });
  await c.call('SET', 'a', '1');
  const text = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
  const m = /^#TS:(\d+)\r\n/.exec(text);
  assert.ok(m, text);
  assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 5);
  assert.match(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), 'latin1'), /^#TS:\d+\r\n$/);
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await again.c.call('GET', 'a'), '1');
  await stop(again.srv, again.c);
});

test('hash fields with TTLs are rewritten as HSETEX PXAT and survive a restart', async (t) => {
  const probe = await startFjord();
  const pc = await RawClient.connect(probe.port);
  const info = (await pc.call('COMMAND', 'INFO', 'HSETEX')) as unknown[];
  pc.close();
  await probe.stop();
  if (info[0] === null) {
    t.skip('HSETEX is not implemented yet');
    return;
  }
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { 'aof-use-rdb-preamble': 'no' });
  await c.call('HSET', 'h', 'plain', '1', 'vol', '2');
  await c.call('HPEXPIRE', 'h', '500000', 'FIELDS', '1', 'vol');
  assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  await waitRewriteDone(c);
  const base = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.aof'), 'latin1');
  assert.match(base, /\*8\r\n\$6\r\nHSETEX\r\n\$1\r\nh\r\n\$4\r\nPXAT\r\n\$13\r\n\d{13}\r\n\$6\r\nFIELDS\r\n\$1\r\n1\r\n\$3\r\nvol\r\n\$1\r\n2\r\n/);
  assert.ok(base.includes(resp('HMSET', 'h', 'plain', '1')));
  await stop(srv, c);
  const again = await fjordIn(dir);
  const ttl = (await again.c.call('HPTTL', 'h', 'FIELDS', '1', 'vol')) as number[];
  assert.ok(ttl[0] > 400_000, String(ttl));
  assert.deepEqual(await again.c.call('HPTTL', 'h', 'FIELDS', '1', 'plain'), [-1]);
  await stop(again.srv, again.c);
});

// ---------------------------------------------------------------- loading edge cases

test('a torn last command is truncated with aof-load-truncated yes and refused with no', async () => {
  const dir = tmpDir();
  const logfile = path.join(dir, 'log.txt');
  const { srv, c } = await fjordIn(dir);
  await c.call('SET', 'a', '1');
  await c.call('SET', 'b', '2');
  await stop(srv, c);
  const incrFile = path.join(aofDir(dir), 'appendonly.aof.1.incr.aof');
  const good = fs.readFileSync(incrFile, 'latin1');
  fs.appendFileSync(incrFile, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhal');

  await assert.rejects(startFjord({ dir, appendonly: 'yes', 'aof-load-truncated': 'no', logfile }));
  assert.ok(
    await logHas(
      logfile,
      "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    ),
  );
  assert.notEqual(fs.readFileSync(incrFile, 'latin1'), good);

  const again = await fjordIn(dir, { 'aof-load-truncated': 'yes', logfile });
  assert.equal(await again.c.call('GET', 'a'), '1');
  assert.equal(await again.c.call('GET', 'b'), '2');
  assert.equal(await again.c.call('EXISTS', 'c'), 0);
  assert.ok(await logHas(logfile, '!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!'));
  assert.ok(await logHas(logfile, `!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${good.length} !!!`));
  assert.ok(await logHas(logfile, 'AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled'));
  // New writes follow the truncated tail (after a SELECT, as after any start) and load back.
  await again.c.call('SET', 'c', '3');
  assert.equal(fs.readFileSync(incrFile, 'latin1'), good + resp('SELECT', '0') + resp('SET', 'c', '3'));
  await stop(again.srv, again.c);
});

test('bad files stop loading with Valkey\'s messages', async () => {
  const cases: { files: Record<string, string>; manifest: string; log: string }[] = [
    { manifest: 'file appendonly.aof.1.incr.aof seq 1 type i\n', files: { 'appendonly.aof.1.incr.aof': '+OK\r\n' }, log: 'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>' },
    { manifest: 'file appendonly.aof.1.incr.aof seq 1 type i\n', files: { 'appendonly.aof.1.incr.aof': resp('NOSUCHCMD', 'x') }, log: "Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof" },
    { manifest: 'file appendonly.aof.1.incr.aof seq 1 type i\n', files: {}, log: 'Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory' },
    { manifest: 'file appendonly.aof.1.incr.aof seq 1\n', files: {}, log: 'Invalid AOF manifest file format' },
    { manifest: 'file a.aof seq 1 type b\nfile b.aof seq 2 type b\n', files: {}, log: 'Found duplicate base file information' },
    { manifest: 'file a.aof seq 2 type i\nfile b.aof seq 2 type i\n', files: {}, log: 'Found a non-monotonic sequence number' },
    { manifest: 'file a.aof seq 2 type x\n', files: {}, log: 'Unknown AOF file type' },
    { manifest: 'file ../a.aof seq 2 type i\n', files: {}, log: "File can't be a path, just a filename" },
    { manifest: '', files: {}, log: 'Found an empty AOF manifest' },
    { manifest: 'file a.aof seq 2 type i', files: {}, log: 'The AOF manifest file contains too long line' },
    {
      manifest: 'file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
      files: { 'appendonly.aof.1.incr.aof': resp('SET', 'a', '1') + '*2\r\n$3\r\nGET', 'appendonly.aof.2.incr.aof': resp('SET', 'b', '1') },
      log: 'Fatal error: the truncated file is not the last file',
    },
  ];
  for (const k of cases) {
    const dir = tmpDir();
    const logfile = path.join(dir, 'log.txt');
    fs.mkdirSync(aofDir(dir));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), k.manifest);
    for (const [name, body] of Object.entries(k.files)) fs.writeFileSync(path.join(aofDir(dir), name), body, 'latin1');
    await assert.rejects(startFjord({ dir, appendonly: 'yes', logfile }), `manifest ${JSON.stringify(k.manifest)}`);
    assert.ok(await logHas(logfile, k.log), `log for ${JSON.stringify(k)}:\n${fs.existsSync(logfile) ? fs.readFileSync(logfile, 'latin1') : ''}`);
  }
});

test('a manifest with quoted names and unknown keys loads; names with spaces are written quoted', async () => {
  const dir = tmpDir();
  fs.mkdirSync(aofDir(dir));
  fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), '# comment\nfile "my file.aof" seq 3 type i future x\n');
  fs.writeFileSync(path.join(aofDir(dir), 'my file.aof'), resp('SET', 'q', 'quoted'));
  const { srv, c } = await fjordIn(dir);
  assert.equal(await c.call('GET', 'q'), 'quoted');
  assert.equal(readManifest(dir), 'file "my file.aof" seq 3 type i\n');
  await c.call('SET', 'more', '1');
  assert.match(fs.readFileSync(path.join(aofDir(dir), 'my file.aof'), 'latin1'), /more/);
  await stop(srv, c);
});

test('an old single-file appendonly.aof (with or without RDB preamble) is moved into the directory and loaded', async () => {
  const dir = tmpDir();
  const logfile = path.join(dir, 'log.txt');
  fs.writeFileSync(path.join(dir, 'appendonly.aof'), resp('SELECT', '0') + resp('SET', 'legacy', 'yes') + resp('RPUSH', 'l', '1', '2'));
  const { srv, c } = await fjordIn(dir, { logfile });
  assert.equal(await c.call('GET', 'legacy'), 'yes');
  assert.ok(!fs.existsSync(path.join(dir, 'appendonly.aof')));
  assert.equal(readManifest(dir), 'file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  assert.ok(await logHas(logfile, 'Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).'));
  await c.call('SET', 'new', '1');
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await again.c.call('GET', 'legacy'), 'yes');
  assert.equal(await again.c.call('GET', 'new'), '1');
  // An old-style file with an RDB preamble followed by commands.
  assert.equal(await again.c.call('SAVE'), 'OK');
  await stop(again.srv, again.c);
  const dir2 = tmpDir();
  const rdb = fs.readFileSync(path.join(dir, 'dump.rdb'));
  fs.writeFileSync(path.join(dir2, 'appendonly.aof'), Buffer.concat([rdb, Buffer.from(resp('SET', 'tail', 't'), 'latin1')]));
  const third = await fjordIn(dir2, { logfile: path.join(dir2, 'log.txt') });
  assert.equal(await third.c.call('GET', 'legacy'), 'yes');
  assert.equal(await third.c.call('GET', 'tail'), 't');
  assert.ok(await logHas(path.join(dir2, 'log.txt'), 'Reading the remaining AOF tail...'));
  await stop(third.srv, third.c);
});

test('SHUTDOWN fsyncs the AOF; appendonly yes ignores the RDB file', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { appendfsync: 'no' });
  await c.call('SET', 'k', 'v');
  await c.call('SAVE');
  await c.call('SET', 'k2', 'v2');
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await again.c.call('GET', 'k2'), 'v2');
  await again.c.call('CONFIG', 'SET', 'appendonly', 'no');
  await again.c.call('SET', 'rdbonly', '1');
  await again.c.call('SAVE');
  await stop(again.srv, again.c);
  const third = await fjordIn(dir);
  assert.equal(await third.c.call('EXISTS', 'rdbonly'), 0);
  await stop(third.srv, third.c);
});

test('SHUTDOWN is refused while the first AOF is being written, unless FORCE', async () => {
  const dir = tmpDir();
  const logfile = path.join(dir, 'log.txt');
  const srv = await startFjord({ dir, logfile, 'rdb-key-save-delay': '5000' });
  fixtures.adoptServer(srv);
  const c = await RawClient.connect(srv.port);
  fixtures.adoptClient(c);
  for (let i = 0; i < 100; i++) c.send('SET', `k${i}`, 'v');
  for (let i = 0; i < 100; i++) await c.read();
  assert.equal(await c.call('CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
  assert.equal(await infoField(c, 'aof_rewrite_in_progress'), '1');
  assert.deepEqual(await c.call('SHUTDOWN', 'NOSAVE'), { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
  assert.ok(await logHas(logfile, "Writing initial AOF, can't exit."));
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await waitRewriteDone(c);
  assert.equal(await infoField(c, 'aof_enabled'), '1');
  await stop(srv, c);
});

test('BGREWRITEAOF with appendonly no writes a base from the dataset', async () => {
  const dir = tmpDir();
  const srv = await startFjord({ dir, 'aof-use-rdb-preamble': 'no' });
  fixtures.adoptServer(srv);
  const c = await RawClient.connect(srv.port);
  fixtures.adoptClient(c);
  await c.call('SET', 'k', 'v');
  assert.equal(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0', 'the rewrite');
  assert.equal(readManifest(dir), 'file appendonly.aof.1.base.aof seq 1 type b\n');
  assert.equal(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), 'latin1'), resp('SELECT', '0') + resp('SET', 'k', 'v'));
  assert.equal(await infoField(c, 'aof_enabled'), '0');
  await stop(srv, c);
  const again = await fjordIn(dir);
  assert.equal(await again.c.call('GET', 'k'), 'v');
  await stop(again.srv, again.c);
});

test('ioredis and node-redis writes are on disk with appendfsync always', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir, { appendfsync: 'always' });
  const io = new Redis({ port: srv.port, lazyConnect: true });
  await io.connect();
  const pipeline = io.pipeline();
  for (let i = 0; i < 50; i++) pipeline.incr('counter');
  await pipeline.exec();
  const { createClient } = await import('redis');
  const nr = createClient({ socket: { port: srv.port } });
  await nr.connect();
  await nr.hSet('nr', { a: '1', b: '2' });
  const text = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
  assert.equal(text.split('INCR').length - 1 + text.split('incr').length - 1, 50);
  assert.match(text, /HSET|hSet|hset/i);
  io.disconnect();
  await nr.quit();
  await stop(srv, c);
});

// ---------------------------------------------------------------- files from the reference server

test('an AOF written by redis-server 7.0 loads with the same DEBUG DIGEST', { skip: !referenceAvailable() }, async () => {
  const dir = tmpDir();
  const ref = await startReference(['--appendonly', 'yes', '--dir', dir, '--appendfsync', 'always']);
  const r = await RawClient.connect(ref.port);
  await populate(r);
  assert.equal(await r.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  await waitFor(async () => /aof_rewrite_in_progress:0/.test((await r.call('INFO', 'persistence')) as string), 'the reference rewrite');
  await sleep(200);
  await r.call('SET', 'afterwards', 'incr');
  await r.call('MULTI');
  await r.call('INCR', 'counter');
  await r.call('HSET', 'hash', 'f3', 'v3');
  await r.call('EXEC');
  const refDigest = (await r.call('DEBUG', 'DIGEST')) as string;
  r.close();
  await ref.stop();
  const manifest = readManifest(dir);
  assert.match(manifest, /type b/);
  const { srv, c } = await fjordIn(dir);
  assert.equal(await digest(c), refDigest);
  await stop(srv, c);
});
