// `npm run bench`: Fjord against a reference redis-server on the same machine.
//
// Both servers run as child processes (Fjord gets its own Node process and core), and the same
// redis-benchmark invocations are run against each, alternating, best of ROUNDS. Then both are loaded
// with the same small string keys and their memory growth is compared.
//
//   npm run bench                 full run (a few minutes)
//   BENCH_QUICK=1 npm run bench   short run, for a smoke test
//   npm run bench -- --write      also write the tables to BENCHMARKS.md
//   node dist/bench/run.js --memory-only   only the memory measurements (string keys, collections)
//
// To benchmark more commands (for example when a new data type lands), add entries to CASES.
// To profile one command or compare two builds, bench/inprocess.ts measures the command path
// alone, in CPU time, which is much steadier on a shared machine.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FJORD_MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
const QUICK = process.env.BENCH_QUICK === '1';
const WRITE = process.argv.includes('--write');
const CLIENTS = 50;
const PIPELINES = [1, 16];
/**
 * Requests per redis-benchmark test, by pipeline depth (pipelined runs go much faster). Sized so
 * that the full run stays within a few minutes on a quiet 2-core machine as CASES grows.
 */
const REQUESTS: Record<number, number> = QUICK ? { 1: 10_000, 16: 50_000 } : { 1: 50_000, 16: 250_000 };
const MEMORY_KEYS = QUICK ? 100_000 : 1_000_000;
/** Keys per collection shape in the collection memory measurement (issue 3: 100,000). */
const COLLECTION_KEYS = QUICK ? 10_000 : 100_000;
/** `--memory-only`: skip the throughput runs (the tables are printed, never written). */
const MEMORY_ONLY = process.argv.includes('--memory-only');
/** In BENCHMARKS.md, what follows this line comes from the standalone benchmarks and is kept. */
const OTHER_BENCHMARKS_MARKER = '<!-- standalone benchmarks below: bench/hfe.ts, bench/persistence.ts, bench/aof.ts -->';
/** redis-benchmark runs per case and server; the best of them is reported */
const ROUNDS = QUICK ? 1 : 3;
/** a single redis-benchmark run that takes longer than this counts as a failure (hung server) */
const RUN_TIMEOUT_MS = 180_000;

/**
 * One benchmark case: either built-in redis-benchmark tests (`tests`, as for `-t`) or one
 * arbitrary command (`command`, which may use __rand_int__). `keyspace` adds `-r N` so keys
 * are random among N. `name` labels a command row (default: the command line). `setup` is
 * sent to both servers before the case runs (its replies are not checked).
 */
export interface BenchCase {
  tests?: string[];
  command?: string[];
  name?: string;
  keyspace?: number;
  setup?: string[][];
}

export const CASES: BenchCase[] = [
  { tests: ['ping', 'set', 'get', 'incr', 'mset'] },
  { tests: ['set', 'get', 'incr', 'mset'], keyspace: 100_000 },
  { tests: ['lpush', 'rpush', 'lpop', 'rpop', 'lrange_100'] },
  { tests: ['sadd', 'spop'] },
  { tests: ['hset'] },
  // after HSET: redis-benchmark's hset test writes field element:000000000000 of myhash
  { command: ['HGET', 'myhash', 'element:__rand_int__'], name: 'HGET' },
  { tests: ['zadd'], keyspace: 100_000 },
  // after ZADD -r: myzset holds tens of thousands of members (a skiplist); ZPOPMIN then empties it
  { command: ['ZRANGE', 'myzset', '0', '9'], name: 'ZRANGE 0 9' },
  { tests: ['zpopmin'] },
  { command: ['XADD', 'mystream', '*', 'field', 'value'], name: 'XADD' },
  // after XADD: mystream holds every entry added so far; each XREADGROUP delivers one more
  { command: ['XRANGE', 'mystream', '-', '+', 'COUNT', '10'], name: 'XRANGE COUNT 10' },
  { command: ['XREADGROUP', 'GROUP', 'mygroup', 'consumer', 'COUNT', '1', 'STREAMS', 'mystream', '>'], name: 'XREADGROUP COUNT 1', setup: [['XGROUP', 'CREATE', 'mystream', 'mygroup', '0']] },
  // random elements into one HLL: sparse at first, dense after a few thousand
  { command: ['PFADD', 'myhll', 'element:__rand_int__'], name: 'PFADD', keyspace: 100_000 },
  // after PFADD: a dense HLL whose cached cardinality is recomputed once, then reused
  { command: ['PFCOUNT', 'myhll'], name: 'PFCOUNT' },
  // random members at one point (redis-benchmark cannot randomize coordinates)
  { command: ['GEOADD', 'mygeo', '13.361389', '38.115556', 'member:__rand_int__'], name: 'GEOADD', keyspace: 100_000 },
  // a 40x40 grid over Europe (1600 points, a skiplist); about 60 of them within 100 km
  {
    command: ['GEOSEARCH', 'geogrid', 'FROMLONLAT', '10.3', '47.2', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST', 'COUNT', '20'],
    name: 'GEOSEARCH BYRADIUS COUNT 20',
    setup: [['GEOADD', 'geogrid', ...Array.from({ length: 1600 }, (_, i) => [String(-5 + (i % 40) * 0.75), String(36 + Math.floor(i / 40) * 0.5), `p${i}`]).flat()]],
  },
  // hash field expiration: the same 1000-field hashtable hash with and without field TTLs
  ...hashTtlCases(),
];

/**
 * HGET / HSET on a 1000-field hash whose fields carry TTLs (far in the future) against the same
 * hash without TTLs (issue target: at least 0.9x). HSET writes other fields ("new:N"), so the
 * TTLs read by HGET stay in place. The reference (Redis 7.0) has no HSETEX: its TTL rows fail.
 */
function hashTtlCases(): BenchCase[] {
  const fields: string[] = [];
  for (let i = 0; i < 1000; i++) fields.push(`element:${String(i).padStart(12, '0')}`, 'value');
  const plain = [['DEL', 'hfe:plain'], ['HSET', 'hfe:plain', ...fields]];
  const volatile = [['DEL', 'hfe:ttl'], ['HSETEX', 'hfe:ttl', 'PX', '100000000', 'FIELDS', '1000', ...fields]];
  return [
    { command: ['HGET', 'hfe:plain', 'element:__rand_int__'], name: 'HGET (no field TTLs)', keyspace: 1000, setup: plain },
    { command: ['HGET', 'hfe:ttl', 'element:__rand_int__'], name: 'HGET (field TTLs)', keyspace: 1000, setup: volatile },
    { command: ['HSET', 'hfe:plain', 'new:__rand_int__', 'value'], name: 'HSET (no field TTLs)', keyspace: 1000 },
    { command: ['HSET', 'hfe:ttl', 'new:__rand_int__', 'value'], name: 'HSET (field TTLs)', keyspace: 1000 },
  ];
}

interface Row {
  test: string;
  pipeline: number;
  fjord: number | null;
  reference: number | null;
}

export interface Running {
  name: string;
  port: number;
  child: ChildProcess;
  stderr: string[];
}

// ------------------------------------------------------------------ servers

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Every server child, so none outlives the bench however it ends (error, Ctrl-C, closed pipe). */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => process.exit(1));
process.stdout.on('error', () => process.exit(1)); // e.g. `npm run bench | head`

export async function startServer(name: string, cmd: string, args: string[], port: number, pollMs = 50, timeoutMs = 15_000): Promise<Running> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: os.tmpdir() });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at startup (code ${child.exitCode}): ${stderr.join('')}`);
    if ((await sendCommands(port, [['PING']]).catch(() => null)) !== null) break;
    if (Date.now() > deadline) throw new Error(`${name} did not start on port ${port}`);
    await sleep(pollMs);
  }
  return { name, port, child, stderr };
}

async function startFjord(): Promise<Running> {
  const port = await freePort();
  return startServer('fjord', process.execPath, [FJORD_MAIN, '--port', String(port), '--save', '', '--appendonly', 'no'], port);
}

async function startReference(): Promise<Running | null> {
  if (!hasCommand('redis-server')) return null;
  const port = await freePort();
  return startServer('reference', 'redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], port);
}

export async function stopServer(s: Running | null): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGKILL');
  await exited;
}

// ------------------------------------------------------------------ a tiny RESP client

export function encode(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/**
 * Send commands on a fresh connection and return the raw reply text once `expectLines` reply
 * lines arrived (default: one per command, right for status/integer replies). For a single
 * bulk reply (INFO) pass expectBulk.
 */
export function sendCommands(port: number, cmds: string[][], expectBulk = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ port, host: '127.0.0.1' });
    let got = '';
    sock.setTimeout(10_000, () => {
      sock.destroy();
      reject(new Error('timeout'));
    });
    sock.on('connect', () => sock.write(cmds.map(encode).join(''), 'latin1'));
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (expectBulk ? bulkComplete(got) : countLines(got) >= cmds.length) {
        sock.destroy();
        resolve(got);
      }
    });
    sock.on('error', reject);
  });
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function bulkComplete(s: string): boolean {
  const nl = s.indexOf('\r\n');
  if (nl < 0) return false;
  if (s[0] !== '$') return true; // an error or another type: take it as is
  const len = Number(s.slice(1, nl));
  return len < 0 || s.length >= nl + 2 + len + 2;
}

export async function info(port: number, section: string): Promise<Map<string, string>> {
  const text = await sendCommands(port, [['INFO', section]], true);
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) fields.set(line.slice(0, i), line.slice(i + 1));
  }
  return fields;
}

// ------------------------------------------------------------------ throughput

/** redis-benchmark arguments of one case (without -p and -P). */
function caseArgs(c: BenchCase): string[] {
  const args: string[] = [];
  if (c.keyspace) args.push('-r', String(c.keyspace));
  if (c.tests) args.push('-t', c.tests.join(','));
  if (c.command) args.push(...c.command);
  return args;
}

function caseLabel(c: BenchCase, csvTest: string): string {
  const base = c.command && c.name ? c.name : csvTest;
  return c.keyspace ? `${base} (-r ${c.keyspace})` : base;
}

/** Runs redis-benchmark once; returns test name -> ops/s (empty on failure). */
export function runBenchmark(port: number, pipeline: number, c: BenchCase): Map<string, number> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-n', String(REQUESTS[pipeline]), '-P', String(pipeline), '--csv', ...caseArgs(c)];
  const r = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  const out = new Map<string, number>();
  if (r.status !== 0) {
    // e.g. a command Fjord does not have yet: redis-benchmark stops at the first error reply
    const why = r.error?.message ?? `status ${r.status}`;
    const detail = r.stderr.split('\n').filter((l) => l && !l.startsWith('WARNING: Could not fetch server CONFIG')).join(' ');
    process.stderr.write(`  (redis-benchmark -p ${port} -P ${pipeline} ${caseArgs(c).join(' ')} failed: ${why} ${detail})\n`);
  }
  for (const line of (r.stdout ?? '').split('\n')) {
    const cols = parseCsvLine(line);
    if (cols.length < 2 || cols[0] === 'test') continue;
    const rps = Number(cols[1]);
    if (Number.isFinite(rps)) out.set(cols[0], rps);
  }
  return out;
}

function parseCsvLine(line: string): string[] {
  const cols: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^,]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) cols.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  return cols;
}

/** Merge one run's ops/s into `best`, keeping the higher figure per test. */
function keepBest(best: Map<string, number>, run: Map<string, number>): void {
  for (const [test, ops] of run) best.set(test, Math.max(best.get(test) ?? 0, ops));
}

async function throughput(fjord: Running, reference: Running | null): Promise<Row[]> {
  const rows: Row[] = [];
  // One redis-benchmark run per built-in test: a failing test then costs only its own row.
  const cases = CASES.flatMap((c) => (c.tests ? c.tests.map((t) => ({ ...c, tests: [t] })) : [c]));
  for (const pipeline of PIPELINES) {
    for (const c of cases) {
      if (c.setup) for (const s of reference ? [fjord, reference] : [fjord]) await sendCommands(s.port, c.setup);
      const f = new Map<string, number>();
      const r = new Map<string, number>();
      // Rounds alternate between the servers and each keeps its best: interference from the
      // rest of a shared machine only ever slows a run down.
      for (let round = 0; round < ROUNDS; round++) {
        keepBest(f, runBenchmark(fjord.port, pipeline, c));
        if (reference) keepBest(r, runBenchmark(reference.port, pipeline, c));
      }
      const names = [...new Set([...f.keys(), ...r.keys()])];
      for (const test of names) {
        const row: Row = { test: caseLabel(c, test), pipeline, fjord: f.get(test) ?? null, reference: r.get(test) ?? null };
        rows.push(row);
        process.stdout.write(`  ${row.test.padEnd(28)} -P ${String(pipeline).padEnd(3)} fjord ${fmtOps(row.fjord).padStart(11)}  reference ${fmtOps(row.reference).padStart(11)}\n`);
      }
      if (fjord.child.exitCode !== null) throw new Error(`Fjord died during the benchmark: ${fjord.stderr.join('')}`);
    }
  }
  return rows;
}

// ------------------------------------------------------------------ memory

interface MemoryResult {
  name: string;
  keys: number;
  rssBefore: number;
  rssAfter: number;
  usedMemoryBefore: number | null;
  usedMemoryAfter: number | null;
}

/** One collection shape measured in both servers. */
interface CollectionMemory {
  shape: string;
  fjord: MemoryResult;
  reference: MemoryResult | null;
}

const rssPerKey = (m: MemoryResult): number => (m.rssAfter - m.rssBefore) / m.keys;
const usedPerKey = (m: MemoryResult | null): number | null =>
  m === null || m.usedMemoryBefore === null || m.usedMemoryAfter === null ? null : (m.usedMemoryAfter - m.usedMemoryBefore) / m.keys;

export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

async function usedMemory(port: number): Promise<number | null> {
  const v = (await info(port, 'memory')).get('used_memory');
  return v === undefined ? null : Number(v);
}

/** What one memory measurement loads: `keys` keys, key number i written by `command(i)`. */
interface MemoryShape {
  name: string;
  keys: number;
  command(i: number): string[];
}

function keyName(prefix: string, i: number): string {
  return `${prefix}:${String(i).padStart(12, '0')}`;
}

/** Small string keys, a 3-byte value each (as redis-benchmark's SET writes them). */
const STRING_KEYS: MemoryShape = { name: 'string', keys: MEMORY_KEYS, command: (i) => ['SET', keyName('key', i), 'xxx'] };

/** Issue 3's small collections (listpack in both servers): 10 fields or members each, small values and scores. */
const COLLECTIONS: MemoryShape[] = [
  { name: 'hash, 10 fields', keys: COLLECTION_KEYS, command: (i) => ['HSET', keyName('hash', i), ...tenOf((j) => [`f${j}`, `v${(i + j) % 1000}`])] },
  { name: 'set, 10 members', keys: COLLECTION_KEYS, command: (i) => ['SADD', keyName('set', i), ...tenOf((j) => [`member:${(i + j) % 1000}`])] },
  // scores 0, 1.5, 3, 4.5 ...: half integers, half decimals
  { name: 'zset, 10 members', keys: COLLECTION_KEYS, command: (i) => ['ZADD', keyName('zset', i), ...tenOf((j) => [String(j * 1.5), `member:${(i + j) % 1000}`])] },
];

function tenOf(item: (j: number) => string[]): string[] {
  const out: string[] = [];
  for (let j = 0; j < 10; j++) out.push(...item(j));
  return out;
}

/** Write every key of `shape`, pipelined in batches; any error reply stops the bench. */
async function loadKeys(port: number, shape: MemoryShape): Promise<void> {
  const batch = 10_000;
  for (let start = 0; start < shape.keys; start += batch) {
    const cmds: string[][] = [];
    for (let i = start; i < Math.min(shape.keys, start + batch); i++) cmds.push(shape.command(i));
    const reply = await sendCommands(port, cmds);
    if (/^-/m.test(reply)) throw new Error(`loading ${shape.name} keys failed: ${/^-.*$/m.exec(reply)![0]}`);
  }
}

/**
 * Idle time before memory is read: what a user sees after a load and a quiet period. V8 keeps its
 * young generation (up to 32 MB after a burst of commands: a fixed cost, not a per-key one) until
 * a collection after 5 s of little allocation; an idle Fjord runs that collection itself about
 * 6.6 s after the last command (src/server/idleMemory.ts). redis-server likewise returns its dirty
 * pages at MEMORY PURGE.
 */
const SETTLE_MS = 8000;

interface MemorySample {
  rss: number;
  usedMemory: number | null;
}

/** Freed pages are unmapped by background threads (late on a busy machine): RSS is watched this long. */
const UNMAP_WAIT_MS = 2000;

/**
 * After SETTLE_MS idle, MEMORY PURGE (in Fjord full garbage collections) each server, then read
 * its used_memory and its lowest RSS over UNMAP_WAIT_MS: live data, not garbage or allocator caches.
 */
async function settledSamples(servers: Running[]): Promise<MemorySample[]> {
  await sleep(SETTLE_MS);
  for (const s of servers) await sendCommands(s.port, [['MEMORY', 'PURGE']]);
  const rss = servers.map((s) => rssBytes(s.child.pid!));
  for (let waited = 0; waited < UNMAP_WAIT_MS; waited += 250) {
    await sleep(250);
    servers.forEach((s, i) => (rss[i] = Math.min(rss[i], rssBytes(s.child.pid!))));
  }
  const out: MemorySample[] = [];
  for (let i = 0; i < servers.length; i++) out.push({ rss: rss[i], usedMemory: await usedMemory(servers[i].port) });
  return out;
}

async function keyCount(s: Running, loaded: number): Promise<number> {
  const dbsize = await sendCommands(s.port, [['DBSIZE']]);
  return Number(/^:(\d+)/.exec(dbsize)?.[1] ?? loaded); // trust the loader if DBSIZE is missing
}

/**
 * Fresh servers, sampled idle, `shape` loaded into each in turn, sampled idle again (one settle
 * period serves both servers): Fjord's result first.
 */
function memoryRun(shape: MemoryShape): Promise<MemoryResult[]> {
  return withServers(async (fjord, reference) => {
    const servers = reference ? [fjord, reference] : [fjord];
    const before = await settledSamples(servers);
    for (const s of servers) await loadKeys(s.port, shape);
    const after = await settledSamples(servers);
    const results: MemoryResult[] = [];
    for (let i = 0; i < servers.length; i++) {
      results.push({
        name: servers[i].name,
        keys: await keyCount(servers[i], shape.keys),
        rssBefore: before[i].rss,
        rssAfter: after[i].rss,
        usedMemoryBefore: before[i].usedMemory,
        usedMemoryAfter: after[i].usedMemory,
      });
    }
    return results;
  });
}

async function collectionMemory(): Promise<CollectionMemory[]> {
  const out: CollectionMemory[] = [];
  for (const shape of COLLECTIONS) {
    const [fjord, reference] = await memoryRun(shape);
    out.push({ shape: shape.name, fjord, reference: reference ?? null });
    const row = collectionRow(out[out.length - 1]);
    process.stdout.write(`  ${row[0].padEnd(18)} used_memory/key fjord ${row[2]} reference ${row[3]} (${row[4]}x)  RSS/key fjord ${row[5]} reference ${row[6]} (${row[7]}x)\n`);
  }
  return out;
}

// ------------------------------------------------------------------ report

export function fmtOps(n: number | null): string {
  return n === null ? '-' : Math.round(n).toLocaleString('en-US');
}

export function ratio(a: number | null, b: number | null): string {
  return a === null || b === null || b === 0 ? '-' : (a / b).toFixed(2);
}

export function mb(n: number): string {
  return (n / (1024 * 1024)).toFixed(1) + ' MB';
}

export function markdownTable(header: string[], rows: string[][], rightAlignFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const sep = '|' + widths.map((w, i) => (i >= rightAlignFrom ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(header), sep, ...rows.map(line)].join('\n');
}

function throughputTable(rows: Row[]): string {
  return markdownTable(
    ['test', 'pipeline', 'fjord ops/s', 'reference ops/s', 'ratio'],
    rows.map((r) => [r.test, String(r.pipeline), fmtOps(r.fjord), fmtOps(r.reference), ratio(r.fjord, r.reference)]),
    1,
  );
}

function memoryTable(results: MemoryResult[]): string {
  const rows = results.map((m) => {
    const u = usedPerKey(m);
    return [m.name, m.keys.toLocaleString('en-US'), mb(m.rssBefore), mb(m.rssAfter), rssPerKey(m).toFixed(1), u === null ? '-' : u.toFixed(1)];
  });
  let text = markdownTable(['server', 'keys', 'RSS before', 'RSS after', 'RSS bytes/key', 'used_memory bytes/key'], rows, 1);
  if (results.length === 2) {
    const [f, r] = results;
    const uf = usedPerKey(f);
    const ur = usedPerKey(r);
    text += `\n\nRSS growth per key, fjord / reference: ${ratio(rssPerKey(f), rssPerKey(r))}`;
    text += `\nused_memory growth per key, fjord / reference: ${ratio(uf, ur)}`;
  }
  return text;
}

function bytesPerKey(n: number | null): string {
  return n === null ? '-' : n.toFixed(1);
}

function collectionRow(c: CollectionMemory): string[] {
  const uf = usedPerKey(c.fjord);
  const ur = usedPerKey(c.reference);
  const rf = rssPerKey(c.fjord);
  const rr = c.reference && rssPerKey(c.reference);
  return [c.shape, c.fjord.keys.toLocaleString('en-US'), bytesPerKey(uf), bytesPerKey(ur), ratio(uf, ur), bytesPerKey(rf), bytesPerKey(rr), ratio(rf, rr)];
}

function collectionTable(results: CollectionMemory[]): string {
  const header = ['collection', 'keys', 'fjord used_memory/key', 'reference used_memory/key', 'ratio', 'fjord RSS/key', 'reference RSS/key', 'ratio'];
  return markdownTable(header, results.map(collectionRow), 1);
}

export function machine(): string {
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.cpus().length);
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    // not Linux
  }
  const memGb = (os.totalmem() / 1024 ** 3).toFixed(1);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${nproc} CPUs (${model}), ${memGb} GB RAM, ${os.type()} ${os.release()}, load average ${load} at the end of the run`;
}

export function referenceVersion(): string {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (/v=(\S+)/.exec(r.stdout)?.[1] ?? r.stdout.trim()) : 'not installed';
}

function report(rows: Row[], memory: MemoryResult[], collections: CollectionMemory[]): string {
  const date = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [
    '# Fjord benchmarks',
    '',
    'Produced by `npm run bench -- --write` (bench/run.ts). Fjord runs as its own process',
    "(`node dist/src/main.js --port P --save '' --appendonly no`) next to a reference",
    "`redis-server --port Q --save '' --appendonly no` on the same machine; the same",
    `\`redis-benchmark -c ${CLIENTS} -n N -P pipeline --csv\` runs are made against each, alternating, ${ROUNDS} per case and`,
    'server; the best run of each is reported.',
    'Numbers from a shared or busy machine are noisy: compare the ratio column, not the absolute values.',
    '',
    `- date: ${date}`,
    `- machine: ${machine()}`,
    `- node: ${process.version}, reference redis-server: ${referenceVersion()}`,
    `- requests per test: ${PIPELINES.map((p) => `${REQUESTS[p].toLocaleString('en-US')} at -P ${p}`).join(', ')}${QUICK ? ' (BENCH_QUICK)' : ''}`,
    '',
    '## Throughput',
    '',
    rows.length ? throughputTable(rows) : '(not measured)',
    '',
    '## Memory per key',
    '',
    `${MEMORY_KEYS.toLocaleString('en-US')} keys \`SET key:<12 digits> xxx\`, loaded pipelined into a fresh server.`,
    "RSS is the process's VmRSS (/proc/PID/status) before and after loading, each the lowest seen in the",
    '2 s after 8 s idle and MEMORY PURGE (in Fjord full garbage collections; by then the idle server has',
    "also given back V8's young generation: up to 32 MB while commands run, a fixed cost, not a per-key one),",
    "the same way for both servers; used_memory is each server's own INFO memory figure (Fjord's is V8",
    'heapUsed + external: live data only, after that collection; RSS adds heap slack and fragmentation).',
    '',
    memory.length ? memoryTable(memory) : '(not measured)',
    '',
    '## Memory per collection',
    '',
    `${COLLECTION_KEYS.toLocaleString('en-US')} keys of each shape, loaded pipelined into fresh servers (one pair per shape), measured`,
    'as above: `HSET hash:<12 digits> f0 v.. f9 v..`, `SADD set:<12 digits> member:N x10`, and',
    '`ZADD zset:<12 digits>` with 10 members scored 0, 1.5, 3 .. 13.5. Bytes per key include the key.',
    'Issue 3 target: at most 2x the reference.',
    '',
    collections.length ? collectionTable(collections) : '(not measured)',
    '',
  ].join('\n');
}

// ------------------------------------------------------------------ main

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function withServers<T>(fn: (fjord: Running, reference: Running | null) => Promise<T>): Promise<T> {
  const fjord = await startFjord();
  let reference: Running | null = null;
  try {
    reference = await startReference();
    return await fn(fjord, reference);
  } finally {
    await stopServer(fjord);
    await stopServer(reference);
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(FJORD_MAIN)) throw new Error(`${FJORD_MAIN} not found: run npm run build first`);
  if (!MEMORY_ONLY && !hasCommand('redis-benchmark')) throw new Error('redis-benchmark not found (apt-get install redis-tools)');
  if (!hasCommand('redis-server')) process.stderr.write('warning: no redis-server found; reference columns will be empty\n');
  const started = Date.now();

  let rows: Row[] = [];
  if (!MEMORY_ONLY) {
    process.stdout.write(`Throughput (${QUICK ? 'quick' : 'full'} run)\n`);
    rows = await withServers((fjord, reference) => throughput(fjord, reference));
  }

  process.stdout.write(`Memory: loading ${MEMORY_KEYS.toLocaleString('en-US')} keys into fresh servers\n`);
  const memory = await memoryRun(STRING_KEYS);
  process.stdout.write(`Memory: ${COLLECTION_KEYS.toLocaleString('en-US')} collections of each shape\n`);
  const collections = await collectionMemory();

  const text = report(rows, memory, collections);
  process.stdout.write('\n' + text + `\n(finished in ${Math.round((Date.now() - started) / 1000)} s)\n`);
  if (WRITE && MEMORY_ONLY) process.stdout.write('--memory-only: BENCHMARKS.md not written\n');
  else if (WRITE) {
    // The standalone benchmarks' sections (hfe, persistence, aof) follow a marker: keep them.
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const at = old.indexOf(OTHER_BENCHMARKS_MARKER);
    fs.writeFileSync(file, at >= 0 ? text.trimEnd() + '\n\n' + old.slice(at) : text);
    process.stdout.write('wrote BENCHMARKS.md\n');
  }
}

// Other bench modules (bench/persistence.ts) import the helpers above without running this.
if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
