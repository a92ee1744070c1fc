// Persistence benchmarks: Fjord against a reference redis-server, both as child processes.
//
//   npx tsc -p . && node dist/bench/persistence.js            full run (1,000,000 keys, ~1 GB)
//   BENCH_QUICK=1 node dist/bench/persistence.js              small numbers, for a smoke test
//
// 1. Save and load speed: the same 1,000,000 mixed keys (strings, small hashes, lists, sets and
//    sorted sets) go into each server; SAVE is timed from the client, and the startup load is the
//    time from process start until PING answers +PONG, minus the same time with no file.
// 2. Latency under BGSAVE: a GET/SET load (several connections, one request in flight each) runs
//    while a BGSAVE of ~1 GB of 1 KB strings is taken, then for as long again without one; the
//    p50/p99/max of each window and the extra memory the snapshot used are printed. Redis forks,
//    so its extra memory is the child's copy-on-write (rdb_last_cow_size); Fjord snapshots on the
//    event loop, so its extra memory is the growth of its own RSS and used_memory during the save.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FJORD_MAIN,
  type Running,
  freePort,
  hasCommand,
  startServer,
  stopServer,
  sendCommands,
  info,
  rssBytes,
  fmtOps,
  ratio,
  mb,
  markdownTable,
  machine,
  referenceVersion,
  sleep,
} from './run';

const QUICK = process.env.BENCH_QUICK === '1';
/** keys of the save/load dataset */
const MIXED_KEYS = QUICK ? 50_000 : 1_000_000;
/** bytes of string values behind the BGSAVE latency test */
const BGSAVE_BYTES = QUICK ? 64 * 1024 * 1024 : 1024 * 1024 * 1024;
const VALUE_SIZE = 1000;
/** concurrent connections of the GET/SET load, one request in flight each */
const LOAD_CONNECTIONS = 8;
/** the latency window without BGSAVE lasts as long as the BGSAVE did, but at least this */
const MIN_WINDOW_MS = 2000;
/** commands per pipelined batch when filling a server */
const FILL_BATCH = 2000;
/** startup (with a big file to load) may take this long before we give up */
const START_TIMEOUT_MS = 300_000;
/** Fjord keeps the ~1 GB dataset on the V8 heap: give it room (the default limit may be lower). */
const FJORD_NODE_ARGS = ['--max-old-space-size=16384'];

type Kind = 'fjord' | 'reference';

// ------------------------------------------------------------------ servers with a data dir

interface DataServer extends Running {
  kind: Kind;
  dir: string;
}

function serverCommand(kind: Kind, port: number, dir: string): { cmd: string; args: string[] } {
  const common = ['--port', String(port), '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no'];
  if (kind === 'fjord') return { cmd: process.execPath, args: [...FJORD_NODE_ARGS, FJORD_MAIN, ...common] };
  return { cmd: 'redis-server', args: common };
}

/** Start a server on `dir` and wait until it answers +PONG (not -LOADING); returns the ms it took. */
async function startOn(kind: Kind, dir: string): Promise<{ server: DataServer; ms: number }> {
  const port = await freePort();
  const { cmd, args } = serverCommand(kind, port, dir);
  const t0 = performance.now();
  const running = await startServer(kind, cmd, args, port, 5, START_TIMEOUT_MS);
  for (;;) {
    const reply = await sendCommands(port, [['PING']]);
    if (reply.startsWith('+PONG')) break;
    await sleep(5);
  }
  return { server: { ...running, kind, dir }, ms: performance.now() - t0 };
}

function tempDir(kind: Kind): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `fjord-bench-${kind}-`));
}

// ------------------------------------------------------------------ a persistent connection

/**
 * One connection with one request in flight: enough for timing single requests. Understands
 * the replies used here (status, error, integer, bulk).
 */
class Conn {
  private buf = '';
  private waiting: ((reply: string) => void) | null = null;

  private constructor(private readonly sock: net.Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.deliver();
    });
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new Conn(sock)));
      sock.once('error', reject);
    });
  }

  call(argv: string[]): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      let s = `*${argv.length}\r\n`;
      for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
      this.sock.write(s, 'latin1');
    });
  }

  private deliver(): void {
    const end = replyEnd(this.buf);
    if (end < 0 || this.waiting === null) return;
    const reply = this.buf.slice(0, end);
    this.buf = this.buf.slice(end);
    const w = this.waiting;
    this.waiting = null;
    w(reply);
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Length of the first complete reply in `s`, or -1. */
function replyEnd(s: string): number {
  const nl = s.indexOf('\r\n');
  if (nl < 0) return -1;
  if (s[0] !== '$') return nl + 2;
  const len = Number(s.slice(1, nl));
  if (len < 0) return nl + 2;
  const end = nl + 2 + len + 2;
  return s.length >= end ? end : -1;
}

// ------------------------------------------------------------------ datasets

/** A deterministic pseudo-random generator (so both servers get the same data). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Text that LZF cannot shrink much, sliced into values. */
export function randomPool(bytes: number, seed: number): string {
  const r = rng(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < bytes; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** The command that creates mixed key number `i`: 60% strings, 10% each of the collections. */
export function mixedCommand(i: number, pool: string): string[] {
  const slice = (len: number) => pool.substr((i * 7919) % (pool.length - len), len);
  switch (i % 10) {
    case 6:
      return ['HSET', `hash:${i}`, 'name', slice(12), 'email', slice(20), 'age', String(i % 90), 'city', slice(8), 'visits', String(i)];
    case 7:
      return ['RPUSH', `list:${i}`, slice(10), slice(15), String(i), slice(30), 'tail'];
    case 8:
      return ['SADD', `set:${i}`, 'red', 'green', slice(6), slice(9), `m${i}`];
    case 9:
      return ['ZADD', `zset:${i}`, '1', 'one', '2.5', 'two', String(i), slice(7), '-3', slice(11), '1e10', 'big'];
    default:
      return ['SET', `string:${i}`, i % 3 === 0 ? String(i * 31) : slice(20 + (i % 80))];
  }
}

export async function fill(port: number, count: number, command: (i: number) => string[]): Promise<void> {
  for (let start = 0; start < count; start += FILL_BATCH) {
    const cmds: string[][] = [];
    for (let i = start; i < Math.min(count, start + FILL_BATCH); i++) cmds.push(command(i));
    const reply = await sendCommands(port, cmds);
    if (reply.includes('-ERR') || reply.includes('-OOM')) throw new Error(`filling failed: ${reply.slice(0, 200)}`);
  }
}

async function dbsize(port: number): Promise<number> {
  return Number(/^:(\d+)/.exec(await sendCommands(port, [['DBSIZE']]))?.[1] ?? NaN);
}

// ------------------------------------------------------------------ 1. save and load speed

interface SpeedResult {
  kind: Kind;
  keys: number;
  fileBytes: number;
  saveMs: number;
  loadMs: number;
  emptyStartMs: number;
  loadedKeys: number;
}

async function saveLoadSpeed(kind: Kind): Promise<SpeedResult> {
  const dir = tempDir(kind);
  try {
    const empty = await startOn(kind, dir);
    const emptyStartMs = empty.ms;
    const pool = randomPool(1 << 16, 42);
    await fill(empty.server.port, MIXED_KEYS, (i) => mixedCommand(i, pool));
    const keys = await dbsize(empty.server.port);
    const conn = await Conn.open(empty.server.port);
    const t0 = performance.now();
    const saved = await conn.call(['SAVE']);
    const saveMs = performance.now() - t0;
    conn.close();
    if (!saved.startsWith('+OK')) throw new Error(`${kind} SAVE failed: ${saved}`);
    const fileBytes = fs.statSync(path.join(dir, 'dump.rdb')).size;
    await stopServer(empty.server);

    const loaded = await startOn(kind, dir);
    const loadedKeys = await dbsize(loaded.server.port);
    await stopServer(loaded.server);
    if (loadedKeys !== keys) throw new Error(`${kind} loaded ${loadedKeys} keys of ${keys}`);
    return { kind, keys, fileBytes, saveMs, loadMs: Math.max(1, loaded.ms - emptyStartMs), emptyStartMs, loadedKeys };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function speedTable(results: SpeedResult[]): string {
  const fj = results.find((r) => r.kind === 'fjord');
  const ref = results.find((r) => r.kind === 'reference');
  const keysPerSec = (r: SpeedResult | undefined, ms: 'saveMs' | 'loadMs') => (r ? r.keys / (r[ms] / 1000) : null);
  const mbPerSec = (r: SpeedResult | undefined, ms: 'saveMs' | 'loadMs') => (r ? r.fileBytes / (1024 * 1024) / (r[ms] / 1000) : null);
  const rows: string[][] = [];
  for (const op of ['saveMs', 'loadMs'] as const) {
    const label = op === 'saveMs' ? 'SAVE' : 'startup load';
    rows.push([`${label} keys/s`, fmtOps(keysPerSec(fj, op)), fmtOps(keysPerSec(ref, op)), ratio(keysPerSec(fj, op), keysPerSec(ref, op))]);
    const fmb = mbPerSec(fj, op);
    const rmb = mbPerSec(ref, op);
    rows.push([`${label} MB/s`, fmb === null ? '-' : fmb.toFixed(1), rmb === null ? '-' : rmb.toFixed(1), ratio(fmb, rmb)]);
    rows.push([`${label} ms`, fj ? fj[op].toFixed(0) : '-', ref ? ref[op].toFixed(0) : '-', ratio(fj?.[op] ?? null, ref?.[op] ?? null)]);
  }
  rows.push(['RDB file size', fj ? mb(fj.fileBytes) : '-', ref ? mb(ref.fileBytes) : '-', ratio(fj?.fileBytes ?? null, ref?.fileBytes ?? null)]);
  rows.push(['empty start ms', fj ? fj.emptyStartMs.toFixed(0) : '-', ref ? ref.emptyStartMs.toFixed(0) : '-', '']);
  return markdownTable(['measure', 'fjord', 'reference', 'ratio'], rows, 1);
}

// ------------------------------------------------------------------ 2. latency during BGSAVE

interface LatencyWindow {
  requests: number;
  ms: number;
  p50: number;
  p99: number;
  max: number;
}

interface BgsaveResult {
  kind: Kind;
  keys: number;
  usedMemory: number;
  during: LatencyWindow;
  without: LatencyWindow;
  bgsaveMs: number;
  rssPeakExtra: number;
  usedMemoryPeakExtra: number;
  cowSize: number;
}

/**
 * GET/SET (half each, random keys among `keys`) on LOAD_CONNECTIONS connections until `stop()`
 * says so; returns every request's latency in ms.
 */
async function runLoad(port: number, keys: number, value: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const conns = await Promise.all(Array.from({ length: LOAD_CONNECTIONS }, () => Conn.open(port)));
  const r = rng(7);
  await Promise.all(
    conns.map(async (conn) => {
      while (!stop()) {
        const key = `big:${Math.floor(r() * keys)}`;
        const argv = r() < 0.5 ? ['GET', key] : ['SET', key, value];
        const t0 = performance.now();
        const reply = await conn.call(argv);
        latencies.push(performance.now() - t0);
        if (reply[0] === '-') throw new Error(`load request failed: ${reply}`);
      }
      conn.close();
    }),
  );
  return latencies;
}

function summarize(latencies: number[], ms: number): LatencyWindow {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { requests: sorted.length, ms, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

async function persistenceInfo(port: number): Promise<Map<string, string>> {
  return info(port, 'persistence');
}

async function bgsaveLatency(kind: Kind): Promise<BgsaveResult> {
  const dir = tempDir(kind);
  const { server } = await startOn(kind, dir);
  try {
    const keys = Math.floor(BGSAVE_BYTES / VALUE_SIZE);
    const pool = randomPool(1 << 16, 99);
    await fill(server.port, keys, (i) => ['SET', `big:${i}`, pool.substr((i * 104729) % (pool.length - VALUE_SIZE), VALUE_SIZE)]);
    await sleep(1000); // let the allocator / GC settle before the "before" numbers
    const value = pool.slice(0, VALUE_SIZE);
    const usedBefore = Number((await info(server.port, 'memory')).get('used_memory'));
    const rssBefore = rssBytes(server.child.pid!);

    // With BGSAVE: the load runs from the BGSAVE command until the save reports it is done.
    let saving = true;
    let rssPeak = rssBefore;
    let usedPeak = usedBefore;
    const loadDuring = runLoad(server.port, keys, value, () => !saving);
    await sleep(200); // the load is up to speed before the save starts
    const t0 = performance.now();
    const started = await sendCommands(server.port, [['BGSAVE']]);
    if (!started.startsWith('+Background saving started')) throw new Error(`${kind} BGSAVE: ${started}`);
    for (;;) {
      rssPeak = Math.max(rssPeak, rssBytes(server.child.pid!));
      usedPeak = Math.max(usedPeak, Number((await info(server.port, 'memory')).get('used_memory')));
      const p = await persistenceInfo(server.port);
      if (p.get('rdb_bgsave_in_progress') === '0') {
        if (p.get('rdb_last_bgsave_status') !== 'ok') throw new Error(`${kind} BGSAVE failed`);
        break;
      }
      await sleep(20);
    }
    const bgsaveMs = performance.now() - t0;
    saving = false;
    const during = summarize(await loadDuring, bgsaveMs);
    const cowSize = Number((await persistenceInfo(server.port)).get('rdb_last_cow_size') ?? 0);

    // Without: the same load for as long again.
    const windowMs = Math.max(MIN_WINDOW_MS, bgsaveMs);
    const deadline = performance.now() + windowMs;
    const without = summarize(await runLoad(server.port, keys, value, () => performance.now() >= deadline), windowMs);
    return {
      kind,
      keys,
      usedMemory: usedBefore,
      during,
      without,
      bgsaveMs,
      rssPeakExtra: rssPeak - rssBefore,
      usedMemoryPeakExtra: usedPeak - usedBefore,
      cowSize,
    };
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function latencyTable(results: BgsaveResult[]): string {
  const ms = (n: number) => n.toFixed(2);
  const rows: string[][] = [];
  for (const r of results) {
    for (const [label, w] of [['without BGSAVE', r.without], ['during BGSAVE', r.during]] as const) {
      rows.push([r.kind, label, fmtOps(w.requests / (w.ms / 1000)), ms(w.p50), ms(w.p99), ms(w.max)]);
    }
  }
  let text = markdownTable(['server', 'window', 'req/s', 'p50 ms', 'p99 ms', 'max ms'], rows, 2);
  text += '\n\np99 during BGSAVE / p99 without: ' + results.map((r) => `${r.kind} ${ratio(r.during.p99, r.without.p99)}`).join(', ');
  return text;
}

function bgsaveMemoryTable(results: BgsaveResult[]): string {
  const rows = results.map((r) => [
    r.kind,
    r.keys.toLocaleString('en-US'),
    mb(r.usedMemory),
    (r.bgsaveMs / 1000).toFixed(1) + ' s',
    mb(Math.max(0, r.rssPeakExtra)),
    mb(Math.max(0, r.usedMemoryPeakExtra)),
    mb(r.cowSize),
  ]);
  return markdownTable(['server', 'keys', 'used_memory', 'BGSAVE took', 'RSS peak extra', 'used_memory peak extra', 'rdb_last_cow_size'], rows, 1);
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  if (!fs.existsSync(FJORD_MAIN)) throw new Error(`${FJORD_MAIN} not found: run npx tsc -p . first`);
  const kinds: Kind[] = hasCommand('redis-server') ? ['fjord', 'reference'] : ['fjord'];
  if (kinds.length === 1) process.stderr.write('warning: no redis-server found; reference columns will be empty\n');
  const started = Date.now();

  process.stdout.write(`Save/load speed: ${MIXED_KEYS.toLocaleString('en-US')} mixed keys (${QUICK ? 'quick' : 'full'} run)\n`);
  const speed: SpeedResult[] = [];
  for (const k of kinds) speed.push(await saveLoadSpeed(k));

  process.stdout.write(`Latency during BGSAVE of ${mb(BGSAVE_BYTES)} of ${VALUE_SIZE}-byte strings\n`);
  const latency: BgsaveResult[] = [];
  for (const k of kinds) latency.push(await bgsaveLatency(k));

  const text = [
    '## Persistence',
    '',
    `- machine: ${machine()}`,
    `- node: ${process.version}, reference redis-server: ${referenceVersion()}${QUICK ? ' (BENCH_QUICK)' : ''}`,
    '',
    `### SAVE and startup load, ${MIXED_KEYS.toLocaleString('en-US')} mixed keys`,
    '',
    '60% strings, 10% each hashes (5 fields), lists (5 elements), sets (5 members), sorted sets (5 members).',
    'Load time = process start until PING answers +PONG, minus the same with no file.',
    '',
    speedTable(speed),
    '',
    `### GET/SET latency during BGSAVE (${LOAD_CONNECTIONS} connections, one request in flight each)`,
    '',
    latencyTable(latency),
    '',
    bgsaveMemoryTable(latency),
    '',
    'Extra memory: peak growth during the BGSAVE. Redis forks, so its copy lives in the child',
    '(rdb_last_cow_size); Fjord keeps old values of keys written ahead of the walk in its own heap.',
    '',
  ].join('\n');
  process.stdout.write('\n' + text + `(finished in ${Math.round((Date.now() - started) / 1000)} s)\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
