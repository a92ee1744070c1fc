// String commands: GET/SET and their variants, counters, ranges, LCS and DELIFEQ.
//
// A string value is stored either as a latin1 JS string (one char = one byte: what SET, MSET,
// INCR... store, Valkey's "int"/"embstr"/"raw" encodings by content) or, once a command edits it
// in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP's result), as a Buffer (Valkey's "raw").
// Every read path accepts both. The helpers for that live here and bitmap.ts uses them too.

import type { ArgDoc, CommandDef, KeySpec } from './table';
import { ks } from './table';
import { type Client, CF_PRIMARY } from '../server/client';
import { WRONGTYPE, SYNTAX_ERR, NOT_INTEGER, NOT_FLOAT, OVERFLOW, dirty, is } from './util';
import { typeOf, type Value } from '../db/database';
import { constants as bufferConstants } from 'node:buffer';
import { parseLongLong, parseInt64, parseLongDoubleExact, longDoubleFromNumber, incrByFloatExact } from '../util/numbers';

// ---------------------------------------------------------------------------------------------
// String values
// ---------------------------------------------------------------------------------------------

/** A string value as stored. */
export type StringValue = string | Buffer;

const BUFFER_MAX_LENGTH = bufferConstants.MAX_LENGTH;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export function isString(v: Value): v is StringValue {
  return typeOf(v) === 'string';
}

/**
 * Look up a key for reading (lazy expiry, hit/miss stats). Returns undefined if it is missing,
 * null after replying WRONGTYPE if it holds another type.
 */
export function readString(c: Client, key: string): StringValue | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!isString(v)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** Like readString, for commands that are about to modify the key (no hit/miss stats). */
export function writeString(c: Client, key: string): StringValue | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!isString(v)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

export function replyString(c: Client, v: StringValue): void {
  if (typeof v === 'string') c.reply.bulk(v);
  else c.reply.bulkBuffer(v);
}

/** The bytes of a value, for reading only (a Buffer value is returned as is, not copied). */
export function bytesOf(v: StringValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

/** The value as a latin1 JS string. */
export function textOf(v: StringValue): string {
  return typeof v === 'string' ? v : v.toString('latin1');
}

/** Binary equality of a value with an argument (compareStringObjects() == 0). */
export function sameBytes(v: StringValue, s: string): boolean {
  if (v.length !== s.length) return false;
  if (typeof v === 'string') return v === s;
  return v.toString('latin1') === s;
}

/** WATCH / client tracking: the key's value changed. */
export function signalModified(c: Client, key: string): void {
  c.db.ctx.hooks.keyModified(c.db, key);
}

export function notify(c: Client, cls: string, event: string, key: string): void {
  c.server.notifier.notify(cls, event, key, c.db.id);
}

/** Primary and AOF clients are obeyed without limit checks (Valkey's mustObeyClient). */
function mustObey(c: Client): boolean {
  return (c.flags & CF_PRIMARY) !== 0;
}

/**
 * The longest a string value may become: proto-max-bulk-len (not enforced for clients that must
 * be obeyed), and never more than a Buffer can hold, whatever the configuration says.
 */
export function maxStringLength(c: Client): number {
  if (mustObey(c)) return BUFFER_MAX_LENGTH;
  return Math.min(c.server.config.num('proto-max-bulk-len'), BUFFER_MAX_LENGTH);
}

/** Valkey's checkStringLength: a value may not grow past proto-max-bulk-len. */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  if (size + append > maxStringLength(c)) {
    c.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    return false;
  }
  return true;
}

// Buffers this module allocated, whose spare capacity beyond the value's length it may use to
// grow the value in place (as sds does). Pooled or foreign Buffers are never grown in place.
const OWNED_STORAGE = new WeakSet<ArrayBufferLike>();
/** sds's greedy growth: double up to 1 MB, then add 1 MB at a time. */
const MAX_PREALLOC = 1024 * 1024;

/** A zero-filled Buffer of `len` bytes that can later grow in place; `greedy` reserves room. */
export function newEditable(len: number, greedy = false): Buffer {
  const cap = greedy ? (len < MAX_PREALLOC ? len * 2 : len + MAX_PREALLOC) : len;
  const storage = Buffer.allocUnsafeSlow(Math.max(cap, 1));
  OWNED_STORAGE.add(storage.buffer);
  return storage.fill(0, 0, len).subarray(0, len);
}

/**
 * The value as an editable Buffer of at least `len` bytes (zero-padded), reusing the value's own
 * storage when it can: a Buffer value is edited in place, so whoever copies a value (COPY,
 * snapshots) must copy Buffers.
 */
function editable(v: StringValue, len: number): Buffer {
  const old = v.length;
  if (typeof v !== 'string' && v.byteOffset === 0 && OWNED_STORAGE.has(v.buffer)) {
    if (len <= old) return v;
    if (v.buffer.byteLength >= len) return Buffer.from(v.buffer, 0, len).fill(0, old);
  }
  const out = newEditable(Math.max(len, old), len > old);
  if (typeof v === 'string') out.write(v, 0, 'latin1');
  else v.copy(out, 0);
  return out;
}

/**
 * Make the string at `key` (existing value `v`, or missing) editable with at least `len` bytes,
 * store it in the keyspace (keeping the TTL) and return it. Like Valkey's dbUnshareStringValue
 * plus sdsgrowzero: the value becomes "raw" even if nothing is written afterwards.
 */
export function editableValue(c: Client, key: string, v: StringValue | undefined, len: number): Buffer {
  if (v === undefined) {
    const buf = newEditable(len);
    c.db.add(key, buf);
    return buf;
  }
  // (A snapshot in progress already saved the value when the key was looked up for writing.)
  const buf = editable(v, len);
  if (buf !== v) c.db.overwrite(key, buf);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Argument parsing
// ---------------------------------------------------------------------------------------------

/** An exact signed 64-bit integer: a number when it is a safe integer, else a bigint. */
export type Int64 = number | bigint;

/** string2ll() exactly, or null. */
export function parseExactInt(s: string): Int64 | null {
  const n = parseLongLong(s);
  if (n !== null) return n;
  return parseInt64(s);
}

/** getLongLongFromObjectOrReply() with the exact value. */
export function exactIntArg(c: Client, s: string, err = NOT_INTEGER): Int64 | null {
  const n = parseExactInt(s);
  if (n === null) c.error(err);
  return n;
}

/** The integer held by a string value (getLongLongFromObject), or null if it is not one. */
function intValueOf(v: StringValue): Int64 | null {
  if (v.length > 20) return null;
  return parseExactInt(textOf(v));
}

/** a + b if it fits in int64, else null. Safe-integer sums stay numbers. */
function addInt64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  const r = BigInt(a) + BigInt(b);
  if (r < INT64_MIN || r > INT64_MAX) return null;
  const n = Number(r);
  return Number.isSafeInteger(n) ? n : r;
}

// Flags of the SET / GETEX options (Valkey's OBJ_* / ARGS_* flags).
const F_NX = 1 << 0;
const F_XX = 1 << 1;
const F_EX = 1 << 2;
const F_PX = 1 << 3;
const F_KEEPTTL = 1 << 4;
const F_GET = 1 << 5;
const F_EXAT = 1 << 6;
const F_PXAT = 1 << 7;
const F_PERSIST = 1 << 8;
const F_IFEQ = 1 << 9;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

interface StringOptions {
  flags: number;
  /** the EX/PX/EXAT/PXAT argument */
  expire: string | null;
  /** the IFEQ comparison value */
  compare: string | null;
  /** argv positions of GET tokens (dropped when the command is propagated) */
  getTokens: number[];
}

/**
 * Parse SET options (from argv[3]) or GETEX options (from argv[2]) with Valkey's rules: any
 * conflicting pair, unknown word or option missing its value is a syntax error; repeating a
 * compatible option is accepted (the last value wins).
 */
function parseStringOptions(c: Client, argv: string[], forSet: boolean): StringOptions | null {
  const o: StringOptions = { flags: 0, expire: null, compare: null, getTokens: [] };
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const arg = argv[j];
    const opt = arg.length <= 7 ? arg.toLowerCase() : '';
    const hasNext = j < argv.length - 1;
    const f = o.flags;
    if (opt === 'nx' && forSet && !(f & (F_XX | F_IFEQ))) {
      o.flags |= F_NX;
    } else if (opt === 'xx' && forSet && !(f & (F_NX | F_IFEQ))) {
      o.flags |= F_XX;
    } else if (opt === 'ifeq' && forSet && hasNext && !(f & (F_NX | F_XX | F_IFEQ))) {
      o.flags |= F_IFEQ;
      o.compare = argv[++j];
    } else if (opt === 'get' && forSet) {
      o.flags |= F_GET;
      o.getTokens.push(j);
    } else if (opt === 'keepttl' && forSet && !(f & (F_PERSIST | F_ANY_EXPIRE))) {
      o.flags |= F_KEEPTTL;
    } else if (opt === 'persist' && !forSet && !(f & (F_ANY_EXPIRE | F_KEEPTTL))) {
      o.flags |= F_PERSIST;
    } else if (opt === 'ex' && hasNext && !(f & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT))) {
      o.flags |= F_EX;
      o.expire = argv[++j];
    } else if (opt === 'px' && hasNext && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT))) {
      o.flags |= F_PX;
      o.expire = argv[++j];
    } else if (opt === 'exat' && hasNext && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT))) {
      o.flags |= F_EXAT;
      o.expire = argv[++j];
    } else if (opt === 'pxat' && hasNext && !(f & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX))) {
      o.flags |= F_PXAT;
      o.expire = argv[++j];
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

/**
 * The absolute expire time (ms) an EX/PX/EXAT/PXAT argument asks for, or null after replying
 * the error (Valkey's getExpireMillisecondsOrReply). Relative times count from the command's
 * time snapshot.
 */
function expireAtOrReply(c: Client, arg: string, flags: number): Int64 | null {
  const n = parseExactInt(arg);
  if (n === null) {
    c.error(NOT_INTEGER);
    return null;
  }
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  const relative = (flags & (F_EX | F_PX)) !== 0;
  if (typeof n === 'number' && n > 0) {
    // The common case, exact in doubles.
    const ms = (seconds ? n * 1000 : n) + (relative ? c.server.ctx.now : 0);
    if (Number.isSafeInteger(ms)) return ms;
  }
  let ms = BigInt(n);
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) ms = -1n;
  else {
    if (seconds) ms *= 1000n;
    if (relative) ms += BigInt(c.server.ctx.now);
    // Valkey detects the signed overflow of the addition by the result turning non-positive.
    if (ms > INT64_MAX) ms = -1n;
  }
  if (ms <= 0n) {
    c.error(`ERR invalid expire time in '${c.cmd ? c.cmd.fullName : 'set'}' command`);
    return null;
  }
  return ms;
}

/** Valkey's checkAlreadyExpired: a time not in the future deletes, except on replicas/loading. */
function alreadyExpired(c: Client, when: Int64): boolean {
  const ctx = c.server.ctx;
  return Number(when) <= ctx.now && !ctx.expiryDisabledForWrites;
}

/**
 * A write gave a key an expire time already past: delete it as expired, propagated as DEL or
 * UNLINK instead of the command (deleteExpiredKeyFromOverwriteAndPropagate).
 */
function deleteAsExpired(c: Client, key: string): void {
  c.db.deleteExpired(key); // notifies "expired", signals WATCH, propagates the deletion
  c.propagateArgv = null;
  dirty(c);
}

// ---------------------------------------------------------------------------------------------
// GET / SET family
// ---------------------------------------------------------------------------------------------

/** Reply the value of `key` (null if missing); false after a WRONGTYPE error. */
function getGeneric(c: Client, key: string): boolean {
  const v = readString(c, key);
  if (v === null) return false;
  if (v === undefined) c.reply.nullBulk();
  else replyString(c, v);
  return true;
}

function get(c: Client, argv: string[]): void {
  getGeneric(c, argv[1]);
}

/** What a SET variant replies when it sets / when NX, XX or IFEQ stops it (null: OK / nil). */
interface SetReplies {
  ok: number | null;
  abort: number | null;
}
const SET_REPLIES: SetReplies = { ok: null, abort: null };
const SETNX_REPLIES: SetReplies = { ok: 1, abort: 0 };

/** The reply when NX, XX or IFEQ stops a SET variant (nothing when GET already replied). */
function replyNotSet(c: Client, withGet: boolean, replies: SetReplies): void {
  if (withGet) return;
  if (replies.abort === null) c.reply.nullBulk();
  else c.reply.int(replies.abort);
}

/** Valkey's setGenericCommand, shared by SET, SETNX, SETEX and PSETEX. */
function setGeneric(c: Client, o: StringOptions, key: string, val: string, replies: SetReplies): void {
  const flags = o.flags;
  const withGet = (flags & F_GET) !== 0;
  let when: Int64 | null = null;
  if (o.expire !== null) {
    when = expireAtOrReply(c, o.expire, flags);
    if (when === null) return;
  }
  if (withGet && !getGeneric(c, key)) return;
  const db = c.db;
  const existing = db.lookupWrite(key);
  const found = existing !== undefined;
  if (flags & F_IFEQ) {
    if (!found) return replyNotSet(c, withGet, replies);
    if (!withGet && !isString(existing)) {
      c.error(WRONGTYPE);
      return;
    }
    if (!sameBytes(existing as StringValue, o.compare!)) return replyNotSet(c, withGet, replies);
  }
  if ((flags & F_NX && found) || (flags & F_XX && !found)) return replyNotSet(c, withGet, replies);

  if (when !== null && alreadyExpired(c, when)) {
    // Setting a key that is already expired: just make sure no old value survives.
    if (found) deleteAsExpired(c, key);
    if (!withGet) c.reply.ok();
    return;
  }
  db.setKey(key, val, (flags & F_KEEPTTL) !== 0 || when !== null);
  if (when !== null) db.setExpire(key, Number(when));
  dirty(c);
  notify(c, '$', 'set', key);
  if (when !== null) {
    // Relative times are propagated as the absolute time they resolved to.
    if (!(flags & F_PXAT)) c.propagateArgv = ['SET', key, val, 'PXAT', when.toString()];
    notify(c, 'g', 'expire', key);
  } else if (withGet) {
    c.propagateArgv = c.argv.filter((_, i) => !o.getTokens.includes(i));
  }
  if (withGet) return;
  if (replies.ok === null) c.reply.ok();
  else c.reply.int(replies.ok);
}

/**
 * COMMAND GETKEYSANDFLAGS for SET (Valkey's setGetKeys): the key is only overwritten, unless
 * GET (or IFEQ, which also reads the current value) is given.
 */
function setKeysAndFlags(argv: string[]): [number, string[]][] {
  for (let j = 3; j < argv.length; j++) {
    if (is(argv[j], 'get') || is(argv[j], 'ifeq')) return [[1, ['RW', 'ACCESS', 'UPDATE']]];
  }
  return [[1, ['OW', 'UPDATE']]];
}

const NO_OPTIONS: StringOptions = { flags: 0, expire: null, compare: null, getTokens: [] };
const NX_OPTION: StringOptions = { flags: F_NX, expire: null, compare: null, getTokens: [] };

function set(c: Client, argv: string[]): void {
  const o = argv.length === 3 ? NO_OPTIONS : parseStringOptions(c, argv, true);
  if (o === null) return;
  setGeneric(c, o, argv[1], argv[2], SET_REPLIES);
}

function setnx(c: Client, argv: string[]): void {
  setGeneric(c, NX_OPTION, argv[1], argv[2], SETNX_REPLIES);
}

function setex(c: Client, argv: string[]): void {
  setGeneric(c, { flags: F_EX, expire: argv[2], compare: null, getTokens: [] }, argv[1], argv[3], SET_REPLIES);
}

function psetex(c: Client, argv: string[]): void {
  setGeneric(c, { flags: F_PX, expire: argv[2], compare: null, getTokens: [] }, argv[1], argv[3], SET_REPLIES);
}

/** GETEX is never propagated as is: it becomes PEXPIREAT, PERSIST, DEL/UNLINK or nothing. */
function getex(c: Client, argv: string[]): void {
  const o = parseStringOptions(c, argv, false);
  if (o === null) return;
  const key = argv[1];
  let when: Int64 | null = null;
  if (o.expire !== null) {
    // The time is validated before the key is looked up (valkey#3116).
    when = expireAtOrReply(c, o.expire, o.flags);
    if (when === null) return;
  }
  const v = readString(c, key);
  if (v === null) return;
  if (v === undefined) {
    c.reply.nullBulk();
    return;
  }
  replyString(c, v);
  const db = c.db;
  if (o.flags & (F_EXAT | F_PXAT) && alreadyExpired(c, when!)) {
    deleteAsExpired(c, key);
  } else if (when !== null) {
    db.setExpire(key, Number(when));
    c.propagateArgv = ['PEXPIREAT', key, when.toString()];
    signalModified(c, key);
    notify(c, 'g', 'expire', key);
    dirty(c);
  } else if (o.flags & F_PERSIST) {
    if (db.removeExpire(key)) {
      signalModified(c, key);
      c.propagateArgv = ['PERSIST', key];
      notify(c, 'g', 'persist', key);
      dirty(c);
    }
  }
}

function getdel(c: Client, argv: string[]): void {
  const key = argv[1];
  if (!getGeneric(c, key)) return;
  if (c.db.delete(key)) {
    c.propagateArgv = ['DEL', key];
    notify(c, 'g', 'del', key);
    dirty(c);
  }
}

function getset(c: Client, argv: string[]): void {
  const key = argv[1];
  if (!getGeneric(c, key)) return;
  c.db.setKey(key, argv[2]);
  notify(c, '$', 'set', key);
  dirty(c);
  c.propagateArgv = ['SET', key, argv[2]];
}

function mget(c: Client, argv: string[]): void {
  c.reply.array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]);
    if (v === undefined || !isString(v)) c.reply.nullBulk();
    else replyString(c, v);
  }
}

function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) {
    c.error(`ERR wrong number of arguments for '${c.cmd ? c.cmd.fullName : 'mset'}' command`);
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(argv[j]) !== undefined) {
        c.reply.int(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.setKey(argv[j], argv[j + 1]);
    notify(c, '$', 'set', argv[j]);
  }
  dirty(c, (argv.length - 1) / 2);
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

function mset(c: Client, argv: string[]): void {
  msetGeneric(c, argv, false);
}

function msetnx(c: Client, argv: string[]): void {
  msetGeneric(c, argv, true);
}

function delifeq(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = writeString(c, key);
  if (v === null) return;
  if (v === undefined || !sameBytes(v, argv[2])) {
    c.reply.int(0);
    return;
  }
  c.db.delete(key);
  c.propagateArgv = ['DEL', key];
  notify(c, 'g', 'del', key);
  dirty(c);
  c.reply.int(1);
}

// ---------------------------------------------------------------------------------------------
// Editing: APPEND, SETRANGE; reading: STRLEN, GETRANGE
// ---------------------------------------------------------------------------------------------

function append(c: Client, argv: string[]): void {
  const key = argv[1];
  const extra = argv[2];
  const v = writeString(c, key);
  if (v === null) return;
  let total: number;
  if (v === undefined) {
    c.db.add(key, extra);
    total = extra.length;
  } else {
    if (!checkStringLength(c, v.length, extra.length)) return;
    const old = v.length;
    // Appending is amortised O(1): editable() grows with spare room, like sds.
    const buf = editableValue(c, key, v, old + extra.length);
    buf.write(extra, old, 'latin1');
    total = buf.length;
  }
  signalModified(c, key);
  notify(c, '$', 'append', key);
  dirty(c);
  c.reply.int(total);
}

function strlen(c: Client, argv: string[]): void {
  const v = readString(c, argv[1]);
  if (v === null) return;
  c.reply.int(v === undefined ? 0 : v.length);
}

/** getLongFromObjectOrReply for offsets: the exact value as a number (huge ones only compare). */
function offsetArg(c: Client, s: string): number | null {
  const n = exactIntArg(c, s);
  return n === null ? null : Number(n);
}

function setrange(c: Client, argv: string[]): void {
  const key = argv[1];
  const value = argv[3];
  const offset = offsetArg(c, argv[2]);
  if (offset === null) return;
  if (offset < 0) {
    c.error('ERR offset is out of range');
    return;
  }
  const v = writeString(c, key);
  if (v === null) return;
  if (value.length === 0) {
    // Writing nothing changes nothing, not even a missing key.
    c.reply.int(v === undefined ? 0 : v.length);
    return;
  }
  if (!checkStringLength(c, offset, value.length)) return;
  const buf = editableValue(c, key, v, offset + value.length);
  buf.write(value, offset, 'latin1');
  signalModified(c, key);
  notify(c, '$', 'setrange', key);
  dirty(c);
  c.reply.int(buf.length);
}

function getrange(c: Client, argv: string[]): void {
  const startArg = exactIntArg(c, argv[2]);
  if (startArg === null) return;
  const endArg = exactIntArg(c, argv[3]);
  if (endArg === null) return;
  const v = readString(c, argv[1]);
  if (v === null) return;
  if (v === undefined) {
    c.reply.bulk('');
    return;
  }
  // Compared exactly (int64 values beyond 2^53 are bigints); offsets then only need numbers.
  if (startArg < 0 && endArg < 0 && startArg > endArg) {
    c.reply.bulk('');
    return;
  }
  const len = v.length;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    c.reply.bulk('');
    return;
  }
  if (typeof v === 'string') c.reply.bulk(v.slice(start, end + 1));
  else c.reply.bulkBuffer(v.subarray(start, end + 1));
}

// ---------------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------------

function incrDecr(c: Client, key: string, incr: Int64): void {
  const v = writeString(c, key);
  if (v === null) return;
  let current: Int64 = 0;
  if (v !== undefined) {
    const n = intValueOf(v);
    if (n === null) {
      c.error(NOT_INTEGER);
      return;
    }
    current = n;
  }
  const result = addInt64(current, incr);
  if (result === null) {
    c.error(OVERFLOW);
    return;
  }
  // Stored as its decimal text, which is what Valkey's "int" encoding shows.
  c.db.setKey(key, String(result), true);
  notify(c, '$', 'incrby', key);
  dirty(c);
  c.reply.int(result);
}

function incr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], 1);
}

function decr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], -1);
}

function incrby(c: Client, argv: string[]): void {
  const n = exactIntArg(c, argv[2]);
  if (n !== null) incrDecr(c, argv[1], n);
}

function decrby(c: Client, argv: string[]): void {
  const n = exactIntArg(c, argv[2]);
  if (n === null) return;
  if (typeof n === 'bigint' && n === INT64_MIN) {
    c.error('ERR decrement would overflow');
    return;
  }
  incrDecr(c, argv[1], -n);
}

/** Long double arithmetic exactly as Valkey does it (x87 80-bit), formatted with %.17Lf. */
function incrbyfloat(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = writeString(c, key);
  if (v === null) return;
  const current = v === undefined ? longDoubleFromNumber(0) : parseLongDoubleExact(textOf(v));
  const increment = current === null ? null : parseLongDoubleExact(argv[2]);
  if (current === null || increment === null) {
    c.error(NOT_FLOAT);
    return;
  }
  const result = incrByFloatExact(current, increment);
  if (result === null) {
    c.error('ERR increment would produce NaN or Infinity');
    return;
  }
  c.db.setKey(key, result, true);
  notify(c, '$', 'incrbyfloat', key);
  dirty(c);
  c.reply.bulk(result);
  // Replicas get the result, not the operation, so float formatting can never diverge.
  c.propagateArgv = ['SET', key, result, 'KEEPTTL'];
}

// ---------------------------------------------------------------------------------------------
// LCS
// ---------------------------------------------------------------------------------------------

interface LcsOptions {
  getLen: boolean;
  getIdx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

function parseLcsOptions(c: Client, argv: string[]): LcsOptions | null {
  const o: LcsOptions = { getLen: false, getIdx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].length <= 12 ? argv[j].toLowerCase() : '';
    const moreArgs = argv.length - 1 - j;
    if (opt === 'idx') o.getIdx = true;
    else if (opt === 'len') o.getLen = true;
    else if (opt === 'withmatchlen') o.withMatchLen = true;
    else if (opt === 'minmatchlen' && moreArgs > 0) {
      const n = exactIntArg(c, argv[j + 1]);
      if (n === null) return null;
      o.minMatchLen = n < 0 ? 0 : Number(n);
      j++;
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  if (o.getLen && o.getIdx) {
    c.error('ERR If you want both the length and indexes, please just use IDX.');
    return null;
  }
  return o;
}

function lcs(c: Client, argv: string[]): void {
  const va = c.db.lookupRead(argv[1]);
  const vb = c.db.lookupRead(argv[2]);
  if ((va !== undefined && !isString(va)) || (vb !== undefined && !isString(vb))) {
    c.error('ERR The specified keys must contain string values');
    return;
  }
  const o = parseLcsOptions(c, argv);
  if (o === null) return;
  const a = va === undefined ? Buffer.alloc(0) : bytesOf(va as StringValue);
  const b = vb === undefined ? Buffer.alloc(0) : bytesOf(vb as StringValue);
  if (a.length >= 0xffffffff - 1 || b.length >= 0xffffffff - 1) {
    c.error('ERR String too long for LCS');
    return;
  }
  const cells = (a.length + 1) * (b.length + 1);
  if (cells * 4 > c.server.config.num('proto-max-bulk-len')) {
    c.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
    return;
  }
  let table: Uint32Array;
  try {
    table = lcsTable(a, b);
  } catch {
    c.error('ERR Insufficient memory, failed allocating transient memory for LCS');
    return;
  }
  const total = table[cells - 1];
  if (o.getLen) {
    c.reply.int(total);
    return;
  }
  const walk = lcsWalk(a, b, table, total, o.minMatchLen);
  if (!o.getIdx) {
    c.reply.bulkBuffer(walk.common);
    return;
  }
  c.reply.map(2);
  c.reply.bulk('matches');
  c.reply.array(walk.ranges.length / 5);
  for (let r = 0; r < walk.ranges.length; r += 5) {
    const [aStart, aEnd, bStart, bEnd, len] = walk.ranges.slice(r, r + 5);
    c.reply.array(o.withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.int(aStart);
    c.reply.int(aEnd);
    c.reply.array(2);
    c.reply.int(bStart);
    c.reply.int(bEnd);
    if (o.withMatchLen) c.reply.int(len);
  }
  c.reply.bulk('len');
  c.reply.int(total);
}

/** The dynamic-programming table: cell (i, j) holds the LCS length of a[0..i) and b[0..j). */
function lcsTable(a: Buffer, b: Buffer): Uint32Array {
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = 1; i <= a.length; i++) {
    const row = i * w;
    const prev = row - w;
    const ch = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      if (ch === b[j - 1]) t[row + j] = t[prev + j - 1] + 1;
      else {
        const up = t[prev + j];
        const left = t[row + j - 1];
        t[row + j] = up > left ? up : left;
      }
    }
  }
  return t;
}

/**
 * Walk the table back from the end, as Valkey does (same tie-breaking, so the same string and
 * ranges): the common subsequence, and the matching ranges as flat
 * [aStart, aEnd, bStart, bEnd, len] groups, last match first.
 */
function lcsWalk(a: Buffer, b: Buffer, t: Uint32Array, total: number, minMatchLen: number): { common: Buffer; ranges: number[] } {
  const w = b.length + 1;
  const common = Buffer.allocUnsafe(total);
  const ranges: number[] = [];
  let idx = total;
  let i = a.length;
  let j = b.length;
  let aStart = -1; // -1: no range being tracked
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      common[idx - 1] = a[i - 1];
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        // contiguous with the range we track: extend it backwards
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const len = aEnd - aStart + 1;
      if (minMatchLen === 0 || len >= minMatchLen) ranges.push(aStart, aEnd, bStart, bEnd, len);
      aStart = -1;
    }
  }
  return { common, ranges };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const KEY_ARG: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const RW_ACCESS_UPDATE: KeySpec = ks.one(1, 'RW', 'ACCESS', 'UPDATE');
const RANGE_COMPLEXITY = 'O(N) where N is the length of the returned string. Creating a substring is cheap, so for short strings this is close to O(1).';
const GETEX_EXPIRATION: ArgDoc = {
  name: 'expiration', type: 'oneof', optional: true,
  arguments: [
    { name: 'seconds', type: 'integer', token: 'EX' },
    { name: 'milliseconds', type: 'integer', token: 'PX' },
    { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
    { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
    { name: 'persist', type: 'pure-token', token: 'PERSIST' },
  ],
};
const KEY_VALUE_PAIRS: ArgDoc = {
  name: 'data', type: 'block', multiple: true,
  arguments: [KEY_ARG, { name: 'value', type: 'string' }],
};

export const stringCommands: CommandDef[] = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], acl: ['string'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: get,
    summary: 'Returns the string value stored at a key.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG],
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], acl: ['string'],
    keySpecs: [{ ...ks.one(1, 'RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'), notes: 'RW and ACCESS due to the optional `GET` argument' }],
    getKeysAndFlags: setKeysAndFlags,
    handler: set,
    summary: 'Sets a key to a string value, whatever it held before; creates the key if needed.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
      ['8.1.0', 'Added the `IFEQ` option.'],
    ],
    args: [
      KEY_ARG,
      { name: 'value', type: 'string' },
      {
        name: 'condition', type: 'oneof', optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX', since: '2.6.12' },
          { name: 'xx', type: 'pure-token', token: 'XX', since: '2.6.12' },
          { name: 'comparison-value', type: 'string', token: 'IFEQ', since: '8.1.0', summary: 'Sets the value only if the current value equals this one.' },
        ],
      },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true, since: '6.2.0' },
      {
        name: 'expiration', type: 'oneof', optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
          { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
        ],
      },
    ],
  },
  {
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [ks.one(1, 'OW', 'INSERT')], handler: setnx,
    summary: 'Sets a key to a string value only if the key does not exist yet.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
  },
  {
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keySpecs: [ks.one(1, 'OW', 'UPDATE')], handler: setex,
    summary: 'Sets a key to a string value with a time to live in seconds.', since: '2.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'seconds', type: 'integer' }, { name: 'value', type: 'string' }],
  },
  {
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keySpecs: [ks.one(1, 'OW', 'UPDATE')], handler: psetex,
    summary: 'Sets a key to a string value with a time to live in milliseconds.', since: '2.6.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'milliseconds', type: 'integer' }, { name: 'value', type: 'string' }],
  },
  {
    name: 'getex', arity: -2, flags: ['write', 'fast'], acl: ['string'],
    keySpecs: [{ ...RW_ACCESS_UPDATE, notes: 'RW and UPDATE because it changes the TTL' }], handler: getex,
    summary: 'Returns the string value of a key, optionally changing its expiration.', since: '6.2.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, GETEX_EXPIRATION],
  },
  {
    name: 'getdel', arity: 2, flags: ['write', 'fast'], acl: ['string'], keySpecs: [ks.one(1, 'RW', 'ACCESS', 'DELETE')], handler: getdel,
    summary: 'Returns the string value of a key and deletes the key.', since: '6.2.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG],
  },
  {
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: getset,
    summary: 'Sets a key to a string value and returns the value it held before.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`SET` with the `!GET` argument',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
  },
  {
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], acl: ['string'], keySpecs: [ks.rest(1, 1, 'RO', 'ACCESS')], handler: mget,
    summary: 'Returns the string values of one or more keys.', since: '1.0.0', group: 'string', complexity: 'O(N) where N is the number of keys to retrieve.',
    tips: ['request_policy:multi_shard'],
    args: [{ ...KEY_ARG, multiple: true }],
  },
  {
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keySpecs: [ks.rest(1, 2, 'OW', 'UPDATE')], handler: mset,
    summary: 'Sets several keys to string values in one atomic step.', since: '1.0.1', group: 'string', complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    args: [KEY_VALUE_PAIRS],
  },
  {
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keySpecs: [ks.rest(1, 2, 'OW', 'INSERT')], handler: msetnx,
    summary: 'Sets several keys to string values in one atomic step, only if none of them exists.', since: '1.0.1', group: 'string', complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    args: [KEY_VALUE_PAIRS],
  },
  {
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [ks.one(1, 'RW', 'INSERT')], handler: append,
    summary: 'Appends a string to the value of a key; creates the key if needed.', since: '2.0.0', group: 'string',
    complexity: 'O(1). Amortized: the string keeps spare room that doubles on each reallocation, so appending small values is constant time whatever the current size.',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
  },
  {
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], acl: ['string'], keySpecs: [ks.one(1, 'RO')], handler: strlen,
    summary: 'Returns the length of the string value of a key.', since: '2.2.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG],
  },
  {
    name: 'getrange', arity: 4, flags: ['readonly'], acl: ['string'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: getrange,
    summary: 'Returns a substring of the string value of a key.', since: '2.4.0', group: 'string', complexity: RANGE_COMPLEXITY,
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
  },
  {
    name: 'substr', arity: 4, flags: ['readonly'], acl: ['string'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: getrange,
    summary: 'Returns a substring of the string value of a key.', since: '1.0.0', group: 'string', complexity: RANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`',
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
  },
  {
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: setrange,
    summary: 'Overwrites part of the string value of a key from an offset; creates the key if needed.', since: '2.2.0', group: 'string',
    complexity: 'O(1), not counting the copy of the new bytes; O(M) for a value argument of length M.',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }, { name: 'value', type: 'string' }],
  },
  {
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: incr,
    summary: 'Adds one to the integer value of a key; a missing key counts as 0.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG],
  },
  {
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: decr,
    summary: 'Subtracts one from the integer value of a key; a missing key counts as 0.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG],
  },
  {
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: incrby,
    summary: 'Adds a number to the integer value of a key; a missing key counts as 0.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'increment', type: 'integer' }],
  },
  {
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: decrby,
    summary: 'Subtracts a number from the integer value of a key; a missing key counts as 0.', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'decrement', type: 'integer' }],
  },
  {
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keySpecs: [RW_ACCESS_UPDATE], handler: incrbyfloat,
    summary: 'Adds a floating point number to the value of a key; a missing key counts as 0.', since: '2.6.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'increment', type: 'double' }],
  },
  {
    name: 'lcs', arity: -3, flags: ['readonly'], acl: ['string'],
    keySpecs: [{ flags: ['RO', 'ACCESS'], bs: { index: 1 }, fk: { range: { lastkey: 1, step: 1, limit: 0 } } }],
    handler: lcs,
    summary: 'Finds the longest common subsequence of two string values.', since: '7.0.0', group: 'string',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    args: [
      { name: 'key1', type: 'key', key_spec_index: 0 },
      { name: 'key2', type: 'key', key_spec_index: 0 },
      { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
      { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
      { name: 'min-match-len', type: 'integer', token: 'MINMATCHLEN', optional: true },
      { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
    ],
  },
  {
    name: 'delifeq', arity: 3, flags: ['write'], acl: ['string'], keySpecs: [ks.one(1, 'RM', 'ACCESS', 'DELETE')], handler: delifeq,
    summary: 'Deletes a key only if its string value equals the given one.', since: '9.0.0', group: 'string', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
  },
];
