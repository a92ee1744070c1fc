// DEBUG: the introspection and test-support subcommands of Valkey's debug.c that have a meaning
// in Fjord. It is a "protected" command (enable-debug-command), one entry with arity -2 whose
// subcommands are parsed here, as in Valkey, so a wrong subcommand or argument count gets
// "unknown subcommand or wrong number of arguments for '<sub>'. Try DEBUG HELP.".
//
// Left out on purpose (they answer that same error): the crash helpers (SEGFAULT, PANIC, ASSERT,
// OOM), jemalloc (MALLCTL*), fork/AOF/RDB internals (RESTART,
// CRASH-AND-RECOVER, AOF-FLUSH-SLEEP, PAUSE-AFTER-FORK, DELAY-RDB-CLIENT-FREE-SECONDS: they need
// persistence), REPLICATE, cluster-bus filters, HTSTATS, STRUCTSIZE (C structures), LEAK.

import { randomBytes } from 'node:crypto';
import type { CommandDef } from './table';
import type { Client } from '../server/client';
import type { Server } from '../server/server';
import type { Value } from '../db/database';
import type { DataObject } from '../types/object';
import { typeOf } from '../db/database';
import { is, replyHelp, subcommandSyntaxError, NO_SUCH_KEY, NOT_INTEGER } from './util';
import { parseInt64, parseLongLong } from '../util/numbers';
import { parseMemory } from '../server/config';
import { stringMatch } from '../util/glob';
import { datasetDigest, valueDigest, digestHex } from '../util/digest';
import { lfuDecrAndReturn } from '../db/lfu';
import { stringEncoding } from './keys';
import { serializedLength, v8StringBytes } from './introspection';

type Handler = (c: Client, argv: string[]) => void;

interface Sub {
  /** argument count check on the whole argv (DEBUG and the subcommand included) */
  argc: (n: number) => boolean;
  run: Handler;
}

const exactly = (k: number) => (n: number) => n === k;
const between = (lo: number, hi: number) => (n: number) => n >= lo && n <= hi;
const atLeast = (k: number) => (n: number) => n >= k;

// ---------------------------------------------------------------- small helpers

/** C atoi(): optional blanks and sign, then digits; anything else stops it (0 if none). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  const n = Number(m[1]);
  // (int)strtol(): an out-of-range value keeps its low 32 bits
  return Number.isFinite(n) ? n | 0 : 0;
}

/** C strtod() on the longest valid prefix (0 when there is none), as DEBUG SLEEP reads it. */
function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan))/i.exec(s);
  if (m === null) return 0;
  const t = m[1].toLowerCase();
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t.includes('nan')) return NaN;
  return Number(t);
}

/** OBJECT ENCODING of the value at `key` (strings depend on the key and TTL, as in Valkey). */
function encodingOf(c: Client, key: string, v: Value): string {
  if (typeof v === 'string' || v instanceof Buffer) return stringEncoding(v, key.length, c.db.getExpire(key) !== -1);
  return (v as DataObject).encoding();
}

/** A stable stand-in for the object address Valkey prints (FNV-1a of db and key). */
function fakeAddress(dbid: number, key: string): string {
  let h = 0x811c9dc5 ^ dbid;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return '0x7f' + (h >>> 0).toString(16).padStart(8, '0') + '00';
}

const LRU_CLOCK_MAX = 0xffffff;

/** Seconds since the key was last touched, from the LRU clock in its metadata (24 bits, wrapping). */
function lruIdleSeconds(lru: number, nowMs: number): number {
  const clock = Math.floor(nowMs / 1000) & LRU_CLOCK_MAX;
  return clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
}

/** DEBUG OBJECT / SDSLEN see a key even if it is logically expired, without touching it (dbFind). */
function findAny(c: Client, key: string): Value | undefined {
  return c.db.data.get(key);
}

// ---------------------------------------------------------------- subcommands

function debugObject(c: Client, argv: string[]): void {
  const key = argv[2];
  const v = findAny(c, key);
  if (v === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const fast = argv.length === 4 && is(argv[3], 'fast');
  const server = c.server;
  const meta = c.db.metaOf(key) >>> 0;
  const lru = meta & LRU_CLOCK_MAX;
  const now = server.cachedNow;
  let line = `Value at:${fakeAddress(c.db.id, key)} refcount:1 encoding:${encodingOf(c, key, v)}`;
  if (!fast) line += ` serializedlength:${serializedLength(v, server.config.bool('rdbcompression'))}`;
  line += ` lru:${lru} lru_seconds_idle:${lruIdleSeconds(lru, now)}`;
  // Valkey prints both readings of the same 24 bits, whichever the policy uses.
  line += ` lfu_freq:${lfuDecrAndReturn(meta, now, server.config.num('lfu-decay-time'))} lfu_access_time_minutes:${lru >>> 8}`;
  c.reply.simple(line);
}

function debugSdslen(c: Client, argv: string[]): void {
  const key = argv[2];
  const v = findAny(c, key);
  if (v === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  if (typeOf(v) !== 'string' || encodingOf(c, key, v) === 'int') {
    c.error('ERR Not an sds encoded string.');
    return;
  }
  const s = v as string | Buffer;
  // A Buffer from the string module may have spare room to grow into (like sds "avail").
  const avail = typeof s === 'string' || s.byteOffset !== 0 ? 0 : s.buffer.byteLength - s.length;
  const objAlloc = v8StringBytes(key.length);
  const valAlloc = encodingOf(c, key, v) === 'raw' ? s.length + avail : 0;
  c.reply.simple(`key_sds_len:${key.length} key_sds_avail:0 obj_alloc:${objAlloc} val_sds_len:${s.length} val_sds_avail:${avail} val_alloc:${valAlloc}`);
}

function debugEncodedStructure(c: Client, argv: string[], encoding: 'listpack' | 'quicklist'): void {
  const v = c.db.lookupRead(argv[2], false);
  if (v === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  if (encodingOf(c, argv[2], v) !== encoding) {
    c.error(`ERR Not a ${encoding} encoded object.`);
    return;
  }
  // Valkey dumps the raw structure on the server's stdout; we log a summary instead.
  c.server.log('notice', `DEBUG ${encoding.toUpperCase()} ${argv[2]}: ${typeOf(v)} value, ${encoding} encoding`);
  c.reply.simple(encoding === 'listpack' ? 'Listpack structure printed on stdout' : 'Quicklist structure printed on stdout');
}

function debugDigest(c: Client): void {
  c.reply.simple(digestHex(datasetDigest(c.server.dbs)));
}

function debugDigestValue(c: Client, argv: string[]): void {
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.simple(digestHex(valueDigest(c.db, argv[j])));
}

const PROTOCOL_TYPES_ERR =
  'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';

/** DEBUG PROTOCOL <type>: a sample reply of each RESP type, for client library tests. */
function debugProtocol(c: Client, argv: string[]): void {
  const r = c.reply;
  switch (argv[2].toLowerCase()) {
    case 'string':
      return r.bulk('Hello World');
    case 'integer':
      return r.int(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      return r.bigNumber('1234567999999999999999999999999999999');
    case 'null':
      return r.nullBulk();
    case 'array':
    case 'set':
      if (argv[2].toLowerCase() === 'array') r.array(3);
      else r.set(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.map(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      // An attribute is not a reply of its own: a normal reply follows (RESP2 sees only that).
      if (r.resp === 3) {
        r.attribute(1);
        r.bulk('key-popularity');
        r.array(2);
        r.bulk('key:123');
        r.int(90);
      }
      return r.bulk('Some real reply following the attribute');
    case 'push':
      if (r.resp < 3) {
        c.error('ERR RESP2 is not supported by this command');
        return;
      }
      r.push(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      return r.bulk('Some real reply following the push reply');
    case 'true':
      return r.bool(true);
    case 'false':
      return r.bool(false);
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring', 'txt');
    default:
      c.error(PROTOCOL_TYPES_ERR);
  }
}

/** DEBUG SLEEP <seconds>: block the whole server, as Valkey's nanosleep does. */
function debugSleep(c: Client, argv: string[]): void {
  const seconds = strtod(argv[2]);
  const ms = Math.trunc(seconds * 1e6) / 1000;
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  c.reply.ok();
}

function debugQuicklistPackedThreshold(c: Client, argv: string[]): void {
  const size = parseMemory(argv[2]);
  // Valkey's quicklistSetPackedThreshold: 0 restores the 1GB default; up to 4GB - 1MB.
  if (size === null || size > 2 ** 32 - 2 ** 20) {
    c.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    return;
  }
  c.server.debug.quicklistPackedThreshold = size === 0 ? 1 << 30 : size;
  c.reply.ok();
}

function debugChangeReplId(c: Client): void {
  const server = c.server;
  server.log('notice', 'Changing replication IDs after receiving DEBUG change-repl-id');
  server.replId = randomBytes(20).toString('hex');
  server.replId2 = '0'.repeat(40);
  c.reply.ok();
}

/** Valkey's stringmatchlen fuzz test: random patterns against random strings must not crash. */
function debugStringmatchTest(c: Client): void {
  const rnd = (n: number) => Math.floor(Math.random() * n);
  const randomBytesString = (max: number) => {
    let s = '';
    for (let i = rnd(max); i > 0; i--) s += String.fromCharCode(rnd(256));
    return s;
  };
  for (let i = 0; i < 100000; i++) stringMatch(randomBytesString(32), randomBytesString(32), rnd(2) === 1);
  c.reply.simple('Apparently the server did not crash: test passed');
}

/** DEBUG POPULATE <count> [<prefix>] [<size>]: create string keys prefix:N = "value:N". */
function debugPopulate(c: Client, argv: string[]): void {
  const count = positiveLong(c, argv[2]);
  if (count === null) return;
  const server = c.server;
  if (server.loading) {
    c.error('LOADING Valkey is loading the dataset in memory');
    return;
  }
  let size = 0;
  if (argv.length === 5) {
    const s = positiveLong(c, argv[4]);
    if (s === null) return;
    size = s;
  }
  const prefix = argv.length >= 4 ? argv[3] : 'key';
  const db = c.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.lookupWrite(key) !== undefined) continue;
    const text = `value:${j}`;
    // With a size, the value is that many bytes: the text, cut or padded with zero bytes.
    const value = size === 0 ? text : size <= text.length ? text.slice(0, size) : text + '\0'.repeat(size - text.length);
    db.setKey(key, value);
  }
  c.reply.ok();
}

/** getPositiveLongFromObjectOrReply */
function positiveLong(c: Client, s: string): number | null {
  const n = parseInt64(s);
  if (n === null) {
    c.error(NOT_INTEGER);
    return null;
  }
  if (n < 0n) {
    c.error('ERR value is out of range, must be positive');
    return null;
  }
  return Number(n);
}

// Client eviction pools: memory buckets from 32KB (2^15) to 8GB (2^33), as Valkey's.
const CLIENT_MEM_BUCKET_MIN_LOG = 15;
const CLIENT_MEM_BUCKET_MAX_LOG = 33;

function clientMemory(cl: Client): number {
  return cl.reply.length + cl.outputPending + cl.parser.pendingBytes;
}

function debugClientEviction(c: Client): void {
  const server = c.server;
  if (server.config.num('maxmemory-clients') === 0) {
    c.error('ERR maxmemory-clients is disabled.');
    return;
  }
  const n = CLIENT_MEM_BUCKET_MAX_LOG - CLIENT_MEM_BUCKET_MIN_LOG + 1;
  const mem = new Array<number>(n).fill(0);
  const clients = new Array<number>(n).fill(0);
  for (const cl of server.clients.values()) {
    const used = clientMemory(cl);
    const bits = Math.min(Math.max(used === 0 ? 0 : Math.floor(Math.log2(used)) + 1, CLIENT_MEM_BUCKET_MIN_LOG), CLIENT_MEM_BUCKET_MAX_LOG);
    mem[bits - CLIENT_MEM_BUCKET_MIN_LOG] += used;
    clients[bits - CLIENT_MEM_BUCKET_MIN_LOG]++;
  }
  let out = '';
  for (let j = 0; j < n; j++) {
    out += j === 0 ? 'bucket          0' : `bucket ${String(2 ** (j - 1 + CLIENT_MEM_BUCKET_MIN_LOG)).padStart(10)}`;
    out += j === n - 1 ? '+            : ' : ` - ${String(2 ** (j + CLIENT_MEM_BUCKET_MIN_LOG) - 1).padStart(10)}: `;
    out += `tot-mem: ${String(mem[j]).padStart(10)}, clients: ${clients[j]}\n`;
  }
  c.reply.verbatim(out);
}

function debugReplyBuffer(c: Client, argv: string[]): void {
  const knobs = c.server.debug;
  if (is(argv[2], 'peak-reset-time')) {
    if (is(argv[3], 'never')) knobs.replyBufferPeakResetTime = -1;
    else if (is(argv[3], 'reset')) knobs.replyBufferPeakResetTime = 5000;
    else {
      const n = parseLongLong(argv[3]);
      if (n === null) {
        c.error(NOT_INTEGER);
        return;
      }
      knobs.replyBufferPeakResetTime = n;
    }
  } else if (is(argv[2], 'resizing')) {
    knobs.replyBufferResizing = atoi(argv[3]) !== 0;
  } else {
    subcommandSyntaxError(c, argv);
    return;
  }
  c.reply.ok();
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB file (unless NOSAVE), empty the
 * databases (unless NOFLUSH) and load the file again (MERGE: loaded keys replace existing ones).
 */
function debugReload(c: Client, argv: string[]): void {
  let flush = true;
  let save = true;
  let merge = false;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else {
      c.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const p = c.server.persistence;
  if (save && !p.saveSync()) {
    c.error('ERR Error trying to save the DB, check server logs.');
    return;
  }
  try {
    p.reload({ flush, merge });
  } catch (e) {
    c.server.log('warning', `DEBUG RELOAD failed: ${(e as Error).message}`);
    c.error('ERR Error trying to load the RDB dump, check server logs.');
    return;
  }
  c.server.log('notice', 'DB reloaded by DEBUG RELOAD');
  c.reply.ok();
}

/** DEBUG LOADAOF: flush the AOF buffer, empty the dataset and load it back from the AOF. */
function debugLoadAof(c: Client): void {
  if (!c.server.aof.debugLoad()) {
    c.error('ERR Error trying to load the AOF files, check server logs.');
    return;
  }
  // What was loaded is not a change to save or propagate.
  c.server.dirty = 0;
  c.propagateArgv = null;
  c.server.log('notice', 'Append Only File loaded by DEBUG LOADAOF');
  c.reply.ok();
}

/** Sets a DEBUG knob from atoi(argv[2]) and replies OK. */
function knob(set: (server: Server, n: number) => void): Sub {
  return {
    argc: exactly(3),
    run: (c, argv) => {
      set(c.server, atoi(argv[2]));
      c.reply.ok();
    },
  };
}

// Valkey's help lines, for the subcommands Fjord has (in Valkey's order).
const HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a RESP protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate error replies.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'OBJECT <key> [fast]',
  '    Show low level info about `key` and associated value.',
  '    Some fields of the default behavior may be time consuming to fetch,',
  '    and `fast` can be passed to avoid fetching them.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'DICT-RESIZING <0|1>',
  '    Enable or disable the main dict and expire dict resizing.',
];

const SUBCOMMANDS = new Map<string, Sub>(Object.entries({
  help: { argc: exactly(2), run: (c) => replyHelp(c, 'DEBUG', HELP) },
  log: {
    argc: exactly(3),
    run: (c, argv) => {
      c.server.log('warning', `DEBUG LOG: ${argv[2]}`);
      c.reply.ok();
    },
  },
  // Not an error reply of the server's own: it is not counted in errorstats (as in Valkey).
  error: { argc: exactly(3), run: (c, argv) => c.reply.error(argv[2]) },
  object: { argc: between(3, 4), run: debugObject },
  sdslen: { argc: exactly(3), run: debugSdslen },
  listpack: { argc: exactly(3), run: (c, argv) => debugEncodedStructure(c, argv, 'listpack') },
  quicklist: { argc: between(3, 4), run: (c, argv) => debugEncodedStructure(c, argv, 'quicklist') },
  populate: { argc: between(3, 5), run: debugPopulate },
  digest: { argc: exactly(2), run: debugDigest },
  reload: { argc: atLeast(2), run: debugReload },
  loadaof: { argc: exactly(2), run: debugLoadAof },
  'digest-value': { argc: atLeast(2), run: debugDigestValue },
  protocol: { argc: exactly(3), run: debugProtocol },
  sleep: { argc: exactly(3), run: debugSleep },
  'set-active-expire': knob((s, n) => (s.activeExpireEnabled = n !== 0)),
  'quicklist-packed-threshold': { argc: exactly(3), run: debugQuicklistPackedThreshold },
  'set-skip-checksum-validation': knob((s, n) => (s.debug.skipChecksumValidation = n !== 0)),
  'change-repl-id': { argc: exactly(2), run: debugChangeReplId },
  'stringmatch-test': { argc: exactly(2), run: debugStringmatchTest },
  'client-eviction': { argc: exactly(2), run: debugClientEviction },
  'pause-cron': knob((s, n) => (s.debug.pauseCron = n !== 0)),
  replybuffer: { argc: exactly(4), run: debugReplyBuffer },
  'dict-resizing': knob((s, n) => (s.debug.dictResizing = n !== 0)),
} satisfies Record<string, Sub>));

function debug(c: Client, argv: string[]): void {
  const sub = SUBCOMMANDS.get(argv[1].toLowerCase());
  if (sub === undefined || !sub.argc(argv.length)) {
    subcommandSyntaxError(c, argv);
    return;
  }
  sub.run(c, argv);
}

export const debugCommands: CommandDef[] = [
  {
    name: 'debug',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale', 'protected'],
    acl: [],
    handler: debug,
    summary: 'Runs a debugging or test-support subcommand.',
    since: '1.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    docFlags: ['syscmd'],
  },
];
