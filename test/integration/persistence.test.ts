// RDB persistence: SAVE/BGSAVE files load back, a BGSAVE is a point-in-time cut while writes go
// on, files written by the reference redis-server load into Fjord, bad files stop the load.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFjord, RawClient, referenceAvailable, startReference, sleep, type RunningServer } from '../helpers';
import { TestFixtures } from './support';

const fixtures = new TestFixtures('fjord-rdb-', { dbfilename: 'dump.rdb' });
const tmpDir = () => fixtures.tmpDir();
const fjordIn = (dir: string, extra: Record<string, string> = {}) => fixtures.fjordIn(dir, extra);

test('SAVE writes a VALKEY080 file that loads back with TTLs and databases', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  await c.call('SET', 'plain', 'hello');
  await c.call('SET', 'num', '12345');
  await c.call('SET', 'big', 'x'.repeat(5000));
  await c.call('SET', 'ttl', 'v', 'EX', '1000');
  await c.call('SELECT', '3');
  await c.call('SET', 'in3', 'three');
  assert.equal(await c.call('SAVE'), 'OK');
  const head = fs.readFileSync(path.join(dir, 'dump.rdb')).subarray(0, 9).toString('latin1');
  assert.equal(head, 'VALKEY080');
  const lastsave = (await c.call('LASTSAVE')) as number;
  assert.ok(Math.abs(lastsave - Date.now() / 1000) < 5);
  c.close();
  await srv.stop();

  const again = await fjordIn(dir);
  const d = again.c;
  assert.equal(await d.call('GET', 'plain'), 'hello');
  assert.equal(await d.call('GET', 'num'), '12345');
  assert.equal(await d.call('GET', 'big'), 'x'.repeat(5000));
  const ttl = (await d.call('TTL', 'ttl')) as number;
  assert.ok(ttl > 990 && ttl <= 1000, `ttl ${ttl}`);
  assert.equal(await d.call('DBSIZE'), 4);
  await d.call('SELECT', '3');
  assert.equal(await d.call('GET', 'in3'), 'three');
  d.close();
});

test('BGSAVE saves the dataset as it was at the cut while writes continue', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  const n = 3000;
  for (let i = 0; i < n; i++) c.send('SET', `k${i}`, `old${i}`);
  for (let i = 0; i < n; i++) await c.read();
  // Slow the walk down so our writes land while it runs.
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '200');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  assert.deepEqual(await c.call('BGSAVE'), { error: 'ERR Background save already in progress' });
  for (let i = 0; i < n; i += 7) c.send('SET', `k${i}`, `new${i}`);
  for (let i = 1; i < n; i += 11) c.send('DEL', `k${i}`);
  for (let i = 0; i < 500; i++) c.send('SET', `post${i}`, 'x');
  c.send('PING');
  for (;;) if ((await c.read()) === 'PONG') break;
  for (let tries = 0; ; tries++) {
    const info = (await c.call('INFO', 'persistence')) as string;
    if (info.includes('rdb_bgsave_in_progress:0')) {
      assert.match(info, /rdb_last_bgsave_status:ok/);
      break;
    }
    assert.ok(tries < 500, 'bgsave did not finish');
    await sleep(20);
  }
  c.close();
  await srv.stop();

  const again = await fjordIn(dir);
  const d = again.c;
  assert.equal(await d.call('DBSIZE'), n, 'exactly the keys at the cut');
  for (let i = 0; i < n; i++) d.send('GET', `k${i}`);
  for (let i = 0; i < n; i++) assert.equal(await d.read(), `old${i}`);
  assert.equal(await d.call('EXISTS', 'post1'), 0);
  d.close();
});

test('BGSAVE CANCEL stops a running save', async () => {
  const dir = tmpDir();
  const { c } = await fjordIn(dir);
  for (let i = 0; i < 200; i++) c.send('SET', `k${i}`, 'v');
  for (let i = 0; i < 200; i++) await c.read();
  await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '100000');
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  assert.equal(await c.call('BGSAVE', 'CANCEL'), 'Background saving cancelled');
  assert.deepEqual(await c.call('BGSAVE', 'CANCEL'), { error: 'ERR Background saving is currently not in progress or scheduled' });
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('temp-')).length, 0, 'temp file removed');
  c.close();
});

test('a truncated or corrupt RDB file stops the load', async () => {
  const dir = tmpDir();
  const { srv, c } = await fjordIn(dir);
  for (let i = 0; i < 100; i++) await c.call('SET', `k${i}`, `value-${i}`);
  await c.call('SAVE');
  c.close();
  await srv.stop();
  const file = path.join(dir, 'dump.rdb');
  const good = fs.readFileSync(file);
  fs.writeFileSync(file, good.subarray(0, good.length - 30));
  await assert.rejects(startFjord({ dir, dbfilename: 'dump.rdb' }), /Short read|checksum/);
  const flipped = Buffer.from(good);
  flipped[40] ^= 0xff;
  fs.writeFileSync(file, flipped);
  await assert.rejects(startFjord({ dir, dbfilename: 'dump.rdb' }), /checksum|Short read|Bad|invalid/i);
});

test('a dump.rdb written by the reference redis-server loads into Fjord', { skip: !referenceAvailable() && 'redis-server not installed' }, async () => {
  const ref = await startReference();
  const r = await RawClient.connect(ref.port);
  await r.call('SET', 'a', '1');
  await r.call('SET', 'b', 'y'.repeat(300));
  await r.call('SET', 'c', 'z', 'PX', '100000');
  await r.call('SET', 'n', '-9223372036854775808');
  await r.call('SELECT', '5');
  await r.call('SET', 'five', '5');
  const refDir = ((await r.call('CONFIG', 'GET', 'dir')) as string[])[1];
  assert.equal(await r.call('SAVE'), 'OK');
  r.close();
  const dir = tmpDir();
  fs.copyFileSync(path.join(refDir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
  await ref.stop();
  const { c } = await fjordIn(dir);
  assert.equal(await c.call('GET', 'a'), '1');
  assert.equal(await c.call('GET', 'b'), 'y'.repeat(300));
  assert.equal(await c.call('GET', 'n'), '-9223372036854775808');
  const pttl = (await c.call('PTTL', 'c')) as number;
  assert.ok(pttl > 90000, `pttl ${pttl}`);
  await c.call('SELECT', '5');
  assert.equal(await c.call('GET', 'five'), '5');
  c.close();
});

test('DEBUG RELOAD saves, flushes and loads the dataset again; MERGE and NOFLUSH options', async () => {
  const dir = tmpDir();
  const { c } = await fjordIn(dir);
  await c.call('SET', 'a', '1');
  await c.call('SET', 'b', '2', 'PX', '500000');
  assert.equal(await c.call('DEBUG', 'RELOAD'), 'OK');
  assert.equal(await c.call('GET', 'a'), '1');
  assert.ok(((await c.call('PTTL', 'b')) as number) > 400000);
  // NOSAVE: the file still holds a=1; a later write is lost by the reload
  await c.call('SET', 'a', 'changed');
  await c.call('SET', 'c', 'only-in-memory');
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), 'OK');
  assert.equal(await c.call('GET', 'a'), '1');
  assert.equal(await c.call('EXISTS', 'c'), 0);
  // NOFLUSH MERGE: keys from the file are added, memory-only keys stay
  await c.call('SET', 'd', 'kept');
  await c.call('SET', 'a', 'overwritten-by-file');
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'), 'OK');
  assert.equal(await c.call('GET', 'd'), 'kept');
  assert.equal(await c.call('GET', 'a'), '1');
  assert.deepEqual(await c.call('DEBUG', 'RELOAD', 'BOGUS'), { error: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' });
  c.close();
});

test('a failed BGSAVE refuses writes (and PING) with MISCONF until a save succeeds', async () => {
  const dir = tmpDir();
  const { c } = await fjordIn(dir, { save: '3600 1' });
  await c.call('SET', 'a', '1');
  fs.rmSync(dir, { recursive: true, force: true }); // the next save cannot create its file
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  const info = (await c.call('INFO', 'persistence')) as string;
  assert.match(info, /rdb_last_bgsave_status:err/);
  const misconf = (await c.call('SET', 'b', '2')) as { error: string };
  assert.match(misconf.error, /^MISCONF Valkey is configured to save RDB snapshots/);
  assert.match(((await c.call('PING')) as { error: string }).error, /^MISCONF/);
  assert.equal(await c.call('GET', 'a'), '1', 'reads still work');
  await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
  assert.equal(await c.call('SET', 'b', '2'), 'OK');
  await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes');
  fs.mkdirSync(dir);
  assert.equal(await c.call('SAVE'), 'OK');
  assert.equal(await c.call('SET', 'c', '3'), 'OK', 'a successful save clears MISCONF');
  c.close();
});
