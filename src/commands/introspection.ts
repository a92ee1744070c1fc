// Server introspection: SLOWLOG and COMMANDLOG (over server.commandLog), LATENCY (over
// server.latency and the per-command latency histograms) and MEMORY.

import * as v8 from 'node:v8';
import type { CommandDef, ArgDoc, Command } from './table';
import { ks } from './table';
import { type Client, CF_REPLICA } from '../server/client';
import type { Server } from '../server/server';
import type { Value } from '../db/database';
import { replyHelp, subcommandSyntaxError, SYNTAX_ERR, is } from './util';
import { parseInt64 } from '../util/numbers';
import { COMMANDLOG_TYPES, type CommandLogType, type CommandLogEntry } from '../server/commandlog';
import { latencyDoctorReport } from '../server/latency';
import { fullGc } from '../server/idleMemory';
import { RdbWriter } from '../persistence/rdb/io';
import { canEncode, encodeValue } from '../persistence/rdb/valueEncoding';

const COUNT_ERR = 'ERR count should be greater than or equal to -1';

/** getRangeLongFromObjectOrReply(-1, LONG_MAX) with the "count" message. */
function countArg(c: Client, s: string): number | null {
  const n = parseInt64(s);
  if (n === null || n < -1n) {
    c.error(COUNT_ERR);
    return null;
  }
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

// ================================================================ SLOWLOG / COMMANDLOG

function replyLogEntries(c: Client, entries: CommandLogEntry[]): void {
  c.reply.array(entries.length);
  for (const e of entries) {
    c.reply.array(6);
    c.reply.int(e.id);
    c.reply.int(e.time);
    c.reply.int(e.value);
    c.reply.bulkArray(e.argv);
    c.reply.bulk(e.peer);
    c.reply.bulk(e.name);
  }
}

function slowlogGet(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    const n = countArg(c, argv[2]);
    if (n === null) return;
    count = n;
  }
  replyLogEntries(c, c.server.commandLog.get('slow', count));
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

/** The log type argument of COMMANDLOG, or null after replying the error. */
function logTypeArg(c: Client, s: string): CommandLogType | null {
  const t = s.toLowerCase() as CommandLogType;
  if (COMMANDLOG_TYPES.includes(t)) return t;
  c.error('ERR type should be one of the following: slow, large-request, large-reply');
  return null;
}

function commandlogGet(c: Client, argv: string[]): void {
  const count = countArg(c, argv[2]);
  if (count === null) return;
  const type = logTypeArg(c, argv[3]);
  if (type === null) return;
  replyLogEntries(c, c.server.commandLog.get(type, count));
}

function commandlogLen(c: Client, argv: string[]): void {
  const type = logTypeArg(c, argv[2]);
  if (type !== null) c.reply.int(c.server.commandLog.len(type));
}

function commandlogReset(c: Client, argv: string[]): void {
  const type = logTypeArg(c, argv[2]);
  if (type === null) return;
  c.server.commandLog.reset(type);
  c.reply.ok();
}

const COMMANDLOG_HELP = [
  'GET <count> <type>',
  '    Return top <count> entries of the specified <type> from the commandlog (-1 mean all).',
  '    Entries are made of:',
  '    id, timestamp,',
  '        time in microseconds for type of slow,',
  '        or size in bytes for type of large-request,',
  '        or size in bytes for type of large-reply',
  '    arguments array, client IP and port,',
  '    client name',
  'LEN <type>',
  '    Return the length of the specified type of commandlog.',
  'RESET <type>',
  '    Reset the specified type of commandlog.',
];

// ================================================================ LATENCY

function latencyLatest(c: Client): void {
  const events = c.server.latency.events;
  c.reply.array(events.size);
  for (const [event, ts] of events) {
    const last = ts.last();
    c.reply.array(6);
    c.reply.bulk(event);
    c.reply.int(last.time);
    c.reply.int(last.latency);
    c.reply.int(ts.max);
    c.reply.int(ts.sum);
    c.reply.int(ts.cnt);
  }
}

function latencyHistory(c: Client, argv: string[]): void {
  const ts = c.server.latency.events.get(argv[2]);
  const samples = ts ? ts.ordered() : [];
  c.reply.array(samples.length);
  for (const s of samples) {
    c.reply.array(2);
    c.reply.int(s.time);
    c.reply.int(s.latency);
  }
}

function latencyGraph(c: Client, argv: string[]): void {
  const graph = c.server.latency.graph(argv[2]);
  if (graph === null) c.error(`ERR No samples available for event '${argv[2]}'`);
  else c.reply.verbatim(graph);
}

function latencyDoctor(c: Client): void {
  const cfg = c.server.config;
  const report = latencyDoctorReport(c.server.latency, {
    slowThresholdUsec: cfg.num('commandlog-execution-slower-than'),
    slowMaxLen: cfg.num('commandlog-slow-execution-max-len'),
    hz: cfg.num('hz'),
  });
  c.reply.verbatim(report);
}

function latencyReset(c: Client, argv: string[]): void {
  const mon = c.server.latency;
  if (argv.length === 2) {
    c.reply.int(mon.reset());
    return;
  }
  let resets = 0;
  for (let j = 2; j < argv.length; j++) resets += mon.reset(argv[j]);
  c.reply.int(resets);
}

/** Number of calls recorded in a command's latency histogram (0: no histogram yet). */
function histogramCalls(cmd: Command): number {
  let n = 0;
  for (const v of cmd.stats.histogram) n += v ?? 0;
  return n;
}

/**
 * One command's cumulative latency distribution, in Valkey's layout:
 * {calls: N, histogram_usec: {<bucket upper bound in usec>: <calls that took at most that>}}.
 * Buckets are powers of two of microseconds; only buckets where the count grows are listed.
 */
function replyCommandCdf(c: Client, cmd: Command): void {
  const hist = cmd.stats.histogram;
  const points: [number, number][] = [];
  let cumulative = 0;
  for (let b = 0; b < hist.length; b++) {
    const n = hist[b] ?? 0;
    if (n === 0) continue;
    cumulative += n;
    points.push([2 ** b, cumulative]);
  }
  c.reply.map(2);
  c.reply.bulk('calls');
  c.reply.int(cumulative);
  c.reply.bulk('histogram_usec');
  c.reply.map(points.length);
  for (const [usec, count] of points) {
    c.reply.int(usec);
    c.reply.int(count);
  }
}

/** Commands with a histogram: all of them (and their subcommands), or the named ones. */
function histogramCommands(server: Server, names: string[]): Command[] {
  const out: Command[] = [];
  const addWithSubs = (cmd: Command, recurse: boolean) => {
    if (histogramCalls(cmd) > 0) out.push(cmd);
    if (cmd.subcommands && recurse) for (const sub of cmd.subcommands.values()) if (histogramCalls(sub) > 0) out.push(sub);
  };
  if (names.length === 0) {
    for (const cmd of server.commands.values()) addWithSubs(cmd, true);
    return out;
  }
  for (const name of names) {
    const cmd = lookupCommandByFullName(server, name);
    if (cmd !== undefined) addWithSubs(cmd, true);
  }
  return out;
}

function latencyHistogram(c: Client, argv: string[]): void {
  const cmds = histogramCommands(c.server, argv.slice(2));
  c.reply.map(cmds.length);
  for (const cmd of cmds) {
    c.reply.bulk(cmd.fullName);
    replyCommandCdf(c, cmd);
  }
}

/** "get" or "config|get" to a command (Valkey's lookupCommandBySds), any case. */
export function lookupCommandByFullName(server: Server, name: string): Command | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const base = server.lookupCommand(parts[0]);
  if (base === undefined) return undefined;
  if (parts.length === 1) return base;
  return base.subcommands?.get(parts[1].toLowerCase());
}

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

// ================================================================ MEMORY

// MEMORY USAGE estimates what a key and its value take in the V8 heap of a 64-bit Node (no
// pointer compression): a byte string is a SeqOneByteString (16-byte header: map, hash, length)
// plus its bytes, rounded to 8; a Buffer is a Uint8Array and an ArrayBuffer object (about 160
// bytes together) plus its backing store. Each key also costs its entry in the keyspace table:
// the Map entry (key, value, chain: 3 words) with its share of the bucket array, the key and
// value slots of the dense arrays and the 4-byte access metadata, about 56 bytes. Other types
// report their own size through a `memoryUsage(samples)` method (sampling like Valkey's
// objectComputeSize when they are large); the fallback for a type without it is a bare object.
const V8_STRING_HEADER = 16;
const V8_BUFFER_OBJECTS = 160;
const V8_OBJECT_HEADER = 64;
const KEYTABLE_ENTRY = 56;
/** Valkey's OBJ_COMPUTE_SIZE_DEF_SAMPLES */
const DEFAULT_SAMPLES = 5;

function align8(n: number): number {
  return (n + 7) & ~7;
}

export function v8StringBytes(len: number): number {
  return align8(V8_STRING_HEADER + len);
}

interface MemoryMeasurable {
  memoryUsage(samples: number): number;
}

function valueBytes(v: Value, samples: number): number {
  if (typeof v === 'string') return v8StringBytes(v.length);
  if (v instanceof Buffer) return V8_BUFFER_OBJECTS + align8(v.buffer.byteLength);
  const m = v as unknown as Partial<MemoryMeasurable>;
  return typeof m.memoryUsage === 'function' ? m.memoryUsage(samples) : V8_OBJECT_HEADER;
}

/** Estimated bytes of one key in the keyspace: entry, key string and value. */
export function keyMemoryUsage(key: string, v: Value, samples = DEFAULT_SAMPLES): number {
  return KEYTABLE_ENTRY + v8StringBytes(key.length) + valueBytes(v, samples);
}

function memoryUsage(c: Client, argv: string[]): void {
  let samples = DEFAULT_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (is(argv[j], 'samples') && j + 1 < argv.length) {
      const n = parseInt64(argv[j + 1]);
      if (n === null) {
        c.error('ERR value is not an integer or out of range');
        return;
      }
      if (n < 0n) {
        c.error(SYNTAX_ERR);
        return;
      }
      samples = n === 0n ? Number.MAX_SAFE_INTEGER : Number(n);
      j++;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  // Valkey's dbFind: no expiry check, no access-time update.
  const v = c.db.data.get(argv[2]);
  if (v === undefined) c.reply.nullBulk();
  else c.reply.int(keyMemoryUsage(argv[2], v, samples));
}

/** Memory at the time this module was loaded: the process before any data (startup.allocated). */
const STARTUP_ALLOCATED = allocatedBytes();
const peaks = new WeakMap<Server, number>();

/** What the process allocated for JS (V8 heap in use plus Buffers and other external memory). */
function allocatedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Bytes held for clients: unsent replies, socket buffers and unparsed input. */
function clientBytes(cl: Client): number {
  return cl.reply.length + cl.outputPending + cl.parser.pendingBytes;
}

export interface MemoryOverhead {
  peakAllocated: number;
  totalAllocated: number;
  startupAllocated: number;
  replicationBacklog: number;
  clientsReplicas: number;
  clientsNormal: number;
  dbs: { id: number; main: number; expires: number }[];
  lut: number;
  overheadTotal: number;
  keys: number;
  dataset: number;
  rss: number;
  heapTotal: number;
}

/** Valkey's getMemoryOverheadData over what Node can tell (see memoryStats for the mapping). */
export function memoryOverhead(server: Server): MemoryOverhead {
  const m = process.memoryUsage();
  const total = m.heapUsed + m.external;
  const peak = Math.max(peaks.get(server) ?? 0, total);
  peaks.set(server, peak);
  let clientsNormal = 0;
  let clientsReplicas = 0;
  for (const cl of server.clients.values()) {
    if (cl.flags & CF_REPLICA) clientsReplicas += clientBytes(cl);
    else clientsNormal += clientBytes(cl);
  }
  const dbs: MemoryOverhead['dbs'] = [];
  let keys = 0;
  let lut = 0;
  let overhead = STARTUP_ALLOCATED + clientsNormal + clientsReplicas;
  for (const db of server.dbs) {
    if (db.size === 0) continue;
    keys += db.size;
    const main = db.size * KEYTABLE_ENTRY;
    const expires = db.expires.size * KEYTABLE_ENTRY;
    dbs.push({ id: db.id, main, expires });
    // the Map's bucket array: about one pointer per entry
    lut += (db.size + db.expires.size) * 8;
    overhead += main + expires;
  }
  return {
    peakAllocated: peak,
    totalAllocated: total,
    startupAllocated: STARTUP_ALLOCATED,
    replicationBacklog: 0,
    clientsReplicas,
    clientsNormal,
    dbs,
    lut,
    overheadTotal: overhead,
    keys,
    dataset: Math.max(0, total - overhead),
    rss: m.rss,
    heapTotal: m.heapTotal + m.external,
  };
}

/**
 * MEMORY STATS with Valkey's field list. Node's figures stand in for the allocator's:
 * allocated = V8 heap used + external memory, active = heap reserved + external,
 * resident = the process RSS (so rss-overhead is 1 and the fragmentation is RSS / allocated).
 */
function memoryStats(c: Client): void {
  const mh = memoryOverhead(c.server);
  const r = c.reply;
  const allocated = mh.totalAllocated;
  const active = mh.heapTotal;
  const resident = mh.rss;
  const net = mh.totalAllocated > mh.startupAllocated ? mh.totalAllocated - mh.startupAllocated : 1;
  const pairs: [string, () => void][] = [
    ['peak.allocated', () => r.int(mh.peakAllocated)],
    ['total.allocated', () => r.int(mh.totalAllocated)],
    ['startup.allocated', () => r.int(mh.startupAllocated)],
    ['replication.backlog', () => r.int(mh.replicationBacklog)],
    ['clients.slaves', () => r.int(mh.clientsReplicas)],
    ['clients.normal', () => r.int(mh.clientsNormal)],
    ['cluster.links', () => r.int(0)],
    ['aof.buffer', () => r.int(0)],
    ['lua.caches', () => r.int(0)],
    ['functions.caches', () => r.int(0)],
  ];
  for (const db of mh.dbs) {
    pairs.push([
      `db.${db.id}`,
      () => {
        r.map(2);
        r.bulk('overhead.hashtable.main');
        r.int(db.main);
        r.bulk('overhead.hashtable.expires');
        r.int(db.expires);
      },
    ]);
  }
  pairs.push(
    ['overhead.db.hashtable.lut', () => r.int(mh.lut)],
    ['overhead.db.hashtable.rehashing', () => r.int(0)],
    ['overhead.total', () => r.int(mh.overheadTotal)],
    ['db.dict.rehashing.count', () => r.int(0)],
    ['keys.count', () => r.int(mh.keys)],
    ['keys.bytes-per-key', () => r.int(mh.keys ? Math.floor(mh.dataset / mh.keys) : 0)],
    ['dataset.bytes', () => r.int(mh.dataset)],
    ['dataset.percentage', () => r.double(f32((mh.dataset * 100) / net))],
    ['peak.percentage', () => r.double(f32((mh.totalAllocated * 100) / mh.peakAllocated))],
    ['allocator.allocated', () => r.int(allocated)],
    ['allocator.active', () => r.int(active)],
    ['allocator.resident', () => r.int(resident)],
    ['allocator.muzzy', () => r.int(0)],
    ['allocator-fragmentation.ratio', () => r.double(f32(active / allocated))],
    ['allocator-fragmentation.bytes', () => r.int(active - allocated)],
    ['allocator-rss.ratio', () => r.double(f32(resident / active))],
    ['allocator-rss.bytes', () => r.int(resident - active)],
    ['rss-overhead.ratio', () => r.double(1)],
    ['rss-overhead.bytes', () => r.int(0)],
    ['fragmentation', () => r.double(f32(resident / allocated))],
    ['fragmentation.bytes', () => r.int(resident - allocated)],
  );
  r.map(pairs.length);
  for (const [name, value] of pairs) {
    r.bulk(name);
    value();
  }
}

/** Valkey computes these ratios as C floats. */
function f32(x: number): number {
  return Math.fround(x);
}

/** MEMORY DOCTOR: Valkey's checks on the figures above; the findings are in our own words. */
function memoryDoctor(c: Client): void {
  const mh = memoryOverhead(c.server);
  const findings: string[] = [];
  let empty = false;
  if (mh.totalAllocated < 5 * 1024 * 1024) {
    empty = true;
  } else {
    if (mh.peakAllocated / mh.totalAllocated > 1.5) {
      findings.push(' * Peak memory: the instance once used more than 150% of the memory it uses now. The heap usually keeps memory after a peak, which shows as fragmentation; it will be reused as data grows. MEMORY PURGE may give some of it back.');
    }
    if (mh.rss / mh.totalAllocated > 1.4 && mh.rss - mh.totalAllocated > 10 << 20) {
      findings.push(' * High total RSS: the resident set of the process is more than 1.4 times what it has allocated. This usually follows a memory peak (see above) or a workload that fragments the heap.');
    }
    const normalClients = [...c.server.clients.values()].filter((cl) => !(cl.flags & CF_REPLICA)).length || 1;
    if (mh.clientsNormal / normalClients > 200 * 1024) {
      findings.push(' * Big client buffers: clients hold more than 200K of buffers each on average, for example Pub/Sub subscribers that do not read fast enough or very large replies or pipelines. CLIENT LIST shows which clients they are.');
    }
  }
  let s: string;
  if (empty) {
    s = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  } else if (findings.length === 0) {
    s = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  } else {
    s = 'Sam, I detected a few issues in this Valkey instance memory implants:\n\n' + findings.map((f) => f + '\n\n').join('') + "I'm here to keep you safe, Sam. I want to help you.\n";
  }
  c.reply.verbatim(s);
}

/** MEMORY MALLOC-STATS: the V8 heap spaces stand in for the allocator's report. */
function memoryMallocStats(c: Client): void {
  const h = v8.getHeapStatistics();
  let out = '___ Begin V8 heap statistics ___\n';
  out += `total_heap_size: ${h.total_heap_size}\nused_heap_size: ${h.used_heap_size}\nheap_size_limit: ${h.heap_size_limit}\n`;
  out += `malloced_memory: ${h.malloced_memory}\npeak_malloced_memory: ${h.peak_malloced_memory}\nexternal_memory: ${h.external_memory}\n`;
  for (const sp of v8.getHeapSpaceStatistics()) {
    out += `${sp.space_name}: size ${sp.space_size} used ${sp.space_used_size} available ${sp.space_available_size} physical ${sp.physical_space_size}\n`;
  }
  out += '--- End V8 heap statistics ---\n';
  c.reply.verbatim(out);
}

/**
 * MEMORY PURGE: full garbage collections, so V8 can give freed pages back. One collection compacts
 * only some of the pages a burst of writes left half empty (after loading 100,000 small sets the
 * old space stayed 0.7 to 5 MB over its live data, varying from run to run); a second one right
 * after it consistently left 1 MB or less. (The young generation is shrunk only after a quiet
 * period: the server cron does that, see server/idleMemory.ts.)
 */
function memoryPurge(c: Client): void {
  try {
    fullGc();
    fullGc();
    c.reply.ok();
  } catch {
    c.error('ERR Error purging dirty pages');
  }
}

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

// ================================================================ RDB size (DEBUG OBJECT)

/** Bytes the value takes in an RDB file or DUMP payload, without its type byte (rdbSavedObjectLen). */
export function serializedLength(v: Value, compress: boolean): number {
  if (!canEncode(v)) return 0;
  const w = new RdbWriter(compress);
  encodeValue(v, w);
  return w.length - 1;
}

// ================================================================ the table

const ADMIN = ['admin', 'loading', 'stale'];
const ADMIN_NOSCRIPT = ['admin', 'noscript', 'loading', 'stale'];
const HELP_FLAGS = ['loading', 'stale'];
const ALL_NODES_SPECIAL = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];
const ALL_SHARDS_SPECIAL = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];

function help(name: string, lines: string[], since: string): CommandDef {
  return {
    name: 'help', arity: 2, flags: HELP_FLAGS, acl: [], handler: (c) => replyHelp(c, name, lines),
    summary: 'Returns helpful text about the different subcommands.', since, group: 'server', complexity: 'O(1)',
  };
}

const LOG_TYPE_ARG: ArgDoc = {
  name: 'type',
  type: 'oneof',
  arguments: [
    { name: 'slow', type: 'string' },
    { name: 'large-request', type: 'string' },
    { name: 'large-reply', type: 'string' },
  ],
};

const slowlogCommand: CommandDef = {
  name: 'slowlog', arity: -2, flags: [], acl: [],
  summary: 'A container for slow log commands.', since: '2.2.12', group: 'server', complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'get', arity: -2, flags: ADMIN, acl: [], handler: slowlogGet,
      summary: 'Returns the slow log\'s entries.', since: '2.2.12', group: 'server', complexity: 'O(N) where N is the number of entries returned',
      history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
      args: [{ name: 'count', type: 'integer', optional: true }],
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    },
    {
      name: 'len', arity: 2, flags: ADMIN, acl: [], handler: (c) => c.reply.int(c.server.commandLog.len('slow')),
      summary: 'Returns the number of entries in the slow log.', since: '2.2.12', group: 'server', complexity: 'O(1)',
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
    },
    {
      name: 'reset', arity: 2, flags: ADMIN, acl: [],
      handler: (c) => {
        c.server.commandLog.reset('slow');
        c.reply.ok();
      },
      summary: 'Clears all entries from the slow log.', since: '2.2.12', group: 'server', complexity: 'O(N) where N is the number of entries in the slowlog',
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    },
    help('SLOWLOG', SLOWLOG_HELP, '6.2.0'),
  ],
};

const commandlogCommand: CommandDef = {
  name: 'commandlog', arity: -2, flags: [], acl: [],
  summary: 'A container for command log commands.', since: '8.1.0', group: 'server', complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'get', arity: 4, flags: ADMIN, acl: [], handler: commandlogGet,
      summary: 'Returns the entries of one of the command logs.', since: '8.1.0', group: 'server', complexity: 'O(N) where N is the number of entries returned',
      args: [{ name: 'count', type: 'integer' }, LOG_TYPE_ARG],
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    },
    {
      name: 'len', arity: 3, flags: ADMIN, acl: [], handler: commandlogLen,
      summary: 'Returns the number of entries in one of the command logs.', since: '8.1.0', group: 'server', complexity: 'O(1)',
      args: [LOG_TYPE_ARG],
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
    },
    {
      name: 'reset', arity: 3, flags: ADMIN, acl: [], handler: commandlogReset,
      summary: 'Clears one of the command logs.', since: '8.1.0', group: 'server', complexity: 'O(N) where N is the number of entries in the commandlog',
      args: [LOG_TYPE_ARG],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    },
    help('COMMANDLOG', COMMANDLOG_HELP, '8.1.0'),
  ],
};

const EVENT_ARG: ArgDoc = { name: 'event', type: 'string' };

const latencyCommand: CommandDef = {
  name: 'latency', arity: -2, flags: [], acl: [],
  summary: 'A container for latency diagnostics commands.', since: '2.8.13', group: 'server', complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'doctor', arity: 2, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyDoctor,
      summary: 'Returns a human-readable analysis of the latency events.', since: '2.8.13', group: 'server', complexity: 'O(1)', tips: ALL_NODES_SPECIAL,
    },
    {
      name: 'graph', arity: 3, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyGraph,
      summary: 'Returns an ASCII graph of the latency samples of an event.', since: '2.8.13', group: 'server', complexity: 'O(1)',
      args: [EVENT_ARG], tips: ALL_NODES_SPECIAL,
    },
    {
      name: 'histogram', arity: -2, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyHistogram,
      summary: 'Returns the cumulative latency distribution of some or all commands.', since: '7.0.0', group: 'server',
      complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
      args: [{ name: 'command', type: 'string', optional: true, multiple: true }], tips: ALL_NODES_SPECIAL,
    },
    {
      name: 'history', arity: 3, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyHistory,
      summary: 'Returns the time and latency of the samples of an event.', since: '2.8.13', group: 'server', complexity: 'O(1)',
      args: [EVENT_ARG], tips: ALL_NODES_SPECIAL,
    },
    {
      name: 'latest', arity: 2, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyLatest,
      summary: 'Returns the latest latency sample of every event.', since: '2.8.13', group: 'server', complexity: 'O(1)', tips: ALL_NODES_SPECIAL,
    },
    {
      name: 'reset', arity: -2, flags: ADMIN_NOSCRIPT, acl: [], handler: latencyReset,
      summary: 'Forgets the latency samples of some or all events.', since: '2.8.13', group: 'server', complexity: 'O(1)',
      args: [{ name: 'event', type: 'string', optional: true, multiple: true }],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    },
    help('LATENCY', LATENCY_HELP, '2.8.13'),
  ],
};

const memoryCommand: CommandDef = {
  name: 'memory', arity: -2, flags: [], acl: [],
  summary: 'A container for memory diagnostics commands.', since: '4.0.0', group: 'server', complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'doctor', arity: 2, flags: [], acl: [], handler: memoryDoctor,
      summary: 'Reports memory problems.', since: '4.0.0', group: 'server', complexity: 'O(1)', tips: ALL_SHARDS_SPECIAL,
    },
    {
      name: 'malloc-stats', arity: 2, flags: [], acl: [], handler: memoryMallocStats,
      summary: 'Returns the statistics of the memory allocator.', since: '4.0.0', group: 'server',
      complexity: 'Depends on how much memory is allocated, could be slow', tips: ALL_SHARDS_SPECIAL,
    },
    {
      name: 'purge', arity: 2, flags: [], acl: [], handler: memoryPurge,
      summary: 'Asks the allocator to release memory.', since: '4.0.0', group: 'server',
      complexity: 'Depends on how much memory is allocated, could be slow', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    },
    {
      name: 'stats', arity: 2, flags: [], acl: [], handler: memoryStats,
      summary: 'Returns details about the memory usage of the server.', since: '4.0.0', group: 'server', complexity: 'O(1)', tips: ALL_SHARDS_SPECIAL,
    },
    {
      name: 'usage', arity: -3, flags: ['readonly'], acl: [], handler: memoryUsage, keySpecs: [ks.one(2, 'RO')],
      summary: 'Estimates how many bytes a key and its value take.', since: '4.0.0', group: 'server', complexity: 'O(N) where N is the number of samples.',
      args: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', token: 'SAMPLES', optional: true }],
    },
    help('MEMORY', MEMORY_HELP, '4.0.0'),
  ],
};

export const introspectionCommands: CommandDef[] = [slowlogCommand, commandlogCommand, latencyCommand, memoryCommand];

