// Generic keyspace commands: DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX MOVE COPY SWAPDB KEYS
// SCAN RANDOMKEY DBSIZE OBJECT EXPIRE PEXPIRE EXPIREAT PEXPIREAT PERSIST TTL PTTL EXPIRETIME
// PEXPIRETIME FLUSHDB FLUSHALL DUMP RESTORE.

import type { CommandDef } from './table';
import { ks } from './table';
import { type Client, CF_PRIMARY, CF_REPLICA } from '../server/client';
import { type Database, type Value, typeOf } from '../db/database';
import { NOT_INTEGER, SYNTAX_ERR, DB_OUT_OF_RANGE, NO_SUCH_KEY, intArg, rangeArg, is, replyHelp, dirty, parseScanOptions } from './util';
import { parseLongLong, parseInt64 } from '../util/numbers';
import { compileGlob, patternIsLiteral } from '../util/glob';
import { lfuDecrAndReturn, lfuWithCounter } from '../db/lfu';
import { createDumpPayload, verifyDumpPayload, dumpPayloadReader } from '../persistence/rdb/dump';
import { canEncode, readValueType, decodeValueOfType } from '../persistence/rdb/valueEncoding';
import { RdbFormatError } from '../persistence/rdb/io';
import { RDB_FOREIGN_TYPE_MIN, rdbIsForeignVersion } from '../persistence/rdb/constants';
import { typeLimits } from '../types/limitsCache';
import { HashObject } from '../types/hash';
import { fieldClock } from '../db/fieldExpire';

const SAME_OBJECT = 'ERR source and destination objects are the same';
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const BAD_DATA_FORMAT = 'ERR Bad data format';

// ------------------------------------------------------------------ shared helpers

/** Valkey's signalModifiedKey: WATCH (and later client tracking) learn the key changed. */
function signalModified(db: Database, key: string): void {
  db.ctx.hooks.keyModified(db, key);
}

/** A generic-class keyspace event (del, rename_from, expire, ...). */
function notifyGeneric(c: Client, event: string, key: string, dbid: number): void {
  c.server.notifier.notify('g', event, key, dbid);
}

/** Valkey's dbAdd: create a key that does not exist (fresh access metadata, a "new" event). */
function addKey(c: Client, db: Database, key: string, value: Value, expire: number): void {
  db.add(key, value);
  if (expire !== -1) db.setExpire(key, expire);
}

/** getIntFromObjectOrReply: a C int, else `err`. */
function int32Arg(c: Client, s: string, err = NOT_INTEGER): number | null {
  return rangeArg(c, s, INT_MIN, INT_MAX, err);
}

/** The database with index `id`, or null after replying the out-of-range error. */
function dbByIndex(c: Client, id: number): Database | null {
  if (id < 0 || id >= c.server.dbs.length) {
    c.error(DB_OUT_OF_RANGE);
    return null;
  }
  return c.server.dbs[id];
}

/** A copy that shares nothing mutable with the original (COPY). */
function duplicate(v: Value): Value {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  return v.clone();
}

// ------------------------------------------------------------------ DEL UNLINK EXISTS TOUCH TYPE

function deleteKeys(c: Client, argv: string[]): void {
  const db = c.db;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j];
    // An expired key is reclaimed as an expiry (and propagated as such), not counted as deleted.
    if (!db.ctx.expiryDisabledForWrites && db.expireIfNeeded(key)) continue;
    if (db.delete(key)) {
      notifyGeneric(c, 'del', key, db.id);
      dirty(c);
      deleted++;
    }
  }
  c.reply.int(deleted);
}

function exists(c: Client, argv: string[]): void {
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j], false) !== undefined) count++;
  c.reply.int(count);
}

function touch(c: Client, argv: string[]): void {
  // TOUCH refreshes the access time even for a CLIENT NO-TOUCH client (dispatch lets it).
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j], true) !== undefined) count++;
  c.reply.int(count);
}

function type(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1], false);
  c.reply.simple(v === undefined ? 'none' : typeOf(v));
}

function dbsize(c: Client): void {
  c.reply.int(c.db.size);
}

function randomkey(c: Client): void {
  c.reply.bulkOrNull(c.db.randomKey());
}

// ------------------------------------------------------------------ RENAME RENAMENX MOVE COPY SWAPDB

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const [, src, dst] = argv;
  const value = db.lookupWrite(src);
  if (value === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  // Renaming a key to itself changes nothing, but the key must exist.
  if (src === dst) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.reply.int(0);
      return;
    }
    db.delete(dst);
  }
  db.delete(src);
  addKey(c, db, dst, value, expire);
  signalModified(db, src);
  signalModified(db, dst);
  notifyGeneric(c, 'rename_from', src, db.id);
  notifyGeneric(c, 'rename_to', dst, db.id);
  dirty(c);
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

function rename(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

function renamenx(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

function move(c: Client, argv: string[]): void {
  const src = c.db;
  const key = argv[1];
  const id = int32Arg(c, argv[2]);
  if (id === null) return;
  const dst = dbByIndex(c, id);
  if (dst === null) return;
  if (dst === src) {
    c.error(SAME_OBJECT);
    return;
  }
  const value = src.lookupWrite(key);
  if (value === undefined) {
    c.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.lookupWrite(key) !== undefined) {
    c.reply.int(0);
    return;
  }
  src.delete(key);
  addKey(c, dst, key, value, expire);
  signalModified(src, key);
  signalModified(dst, key);
  notifyGeneric(c, 'move_from', key, src.id);
  notifyGeneric(c, 'move_to', key, dst.id);
  dirty(c);
  c.reply.int(1);
}

function copy(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (is(argv[j], 'replace')) {
      replace = true;
    } else if (is(argv[j], 'db') && more >= 1) {
      const id = int32Arg(c, argv[j + 1]);
      if (id === null) return;
      const target = dbByIndex(c, id);
      if (target === null) return;
      dst = target;
      j++;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  const [, key, newkey] = argv;
  if (src === dst && key === newkey) {
    c.error(SAME_OBJECT);
    return;
  }
  const value = src.lookupRead(key);
  if (value === undefined) {
    c.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) {
      c.reply.int(0);
      return;
    }
    dst.delete(newkey);
  }
  addKey(c, dst, newkey, value instanceof HashObject ? copyHash(c, value) : duplicate(value), expire);
  signalModified(dst, newkey);
  notifyGeneric(c, 'copy_to', newkey, dst.id);
  dirty(c);
  c.reply.int(1);
}

/**
 * COPY of a hash: field TTLs go along; fields already past their TTL are left out, as Valkey's
 * validating iterator does (unless that leaves nothing, which would make an empty key).
 */
function copyHash(c: Client, h: HashObject): HashObject {
  const copy = h.clone(fieldClock(c));
  return copy.length > 0 ? copy : h.clone();
}

function swapdb(c: Client, argv: string[]): void {
  if (c.server.config.bool('cluster-enabled')) {
    c.error('ERR SWAPDB is not allowed in cluster mode');
    return;
  }
  const id1 = int32Arg(c, argv[1], 'ERR invalid first DB index');
  if (id1 === null) return;
  const id2 = int32Arg(c, argv[2], 'ERR invalid second DB index');
  if (id2 === null) return;
  const dbs = c.server.dbs;
  if (id1 < 0 || id1 >= dbs.length || id2 < 0 || id2 >= dbs.length) {
    c.error(DB_OUT_OF_RANGE);
    return;
  }
  if (id1 !== id2) {
    const a = dbs[id1];
    const b = dbs[id2];
    // A transaction WATCHing a key that exists on either side sees it change.
    c.server.watchers.touchAllInDb(a, b);
    c.server.watchers.touchAllInDb(b, a);
    a.swapContents(b);
    // Clients blocked on a key that exists after the swap may now be served.
    c.server.blocking.signalExistingKeys(a);
    c.server.blocking.signalExistingKeys(b);
  }
  dirty(c);
  c.reply.ok();
}

// ------------------------------------------------------------------ KEYS SCAN

function keys(c: Client, argv: string[]): void {
  const db = c.db;
  const pattern = argv[1];
  const found: string[] = [];
  if (patternIsLiteral(pattern)) {
    // Only one key can match: look it up instead of walking the keyspace.
    if (db.data.has(pattern) && !db.isExpired(pattern)) found.push(pattern);
  } else {
    const all = pattern === '*';
    const matches = all ? null : compileGlob(pattern);
    const volatile = db.expires.size > 0;
    db.data.forEach((key) => {
      if (matches !== null && !matches(key)) return;
      if (volatile && db.isExpired(key)) return;
      found.push(key);
    });
  }
  c.reply.bulkArray(found);
}


/**
 * string2ull as SCAN uses it: a canonical non-negative integer, or anything strtoull takes in
 * full (leading blanks, a sign, leading zeros; a minus wraps around). Bytes after a NUL are
 * ignored, as C does. Returns null for an invalid cursor.
 */
export function parseScanCursor(arg: string): number | null {
  const nul = arg.indexOf('\0');
  const s = nul >= 0 ? arg.slice(0, nul) : arg;
  const ll = parseInt64(s);
  if (ll !== null) return ll < 0n ? null : Number(ll);
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return null;
  let v = BigInt(m[2]);
  if (v >= 1n << 64n) return null;
  if (m[1] === '-' && v !== 0n) v = (1n << 64n) - v;
  return Number(v);
}

function scan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) {
    c.error('ERR invalid cursor');
    return;
  }
  const opts = parseScanOptions(c, argv, 2, 'keys');
  if (opts === null) return;
  const db = c.db;
  const matches = opts.pattern === null ? null : compileGlob(opts.pattern);
  const found: string[] = [];
  const expired: string[] = [];
  // KeyTable.scan visits `count` entries and guarantees that an entry present during the whole
  // iteration is returned at least once. Filters apply in Valkey's order: type, pattern, expiry
  // (so an expired key of another type is left alone).
  const next = db.data.scan(cursor, opts.count, (key, value) => {
    if (opts.type !== null && typeOf(value) !== opts.type) return;
    if (matches !== null && !matches(key)) return;
    if (db.isExpired(key)) {
      expired.push(key);
      return;
    }
    found.push(key);
  });
  // Reclaim after the walk: deleting only moves entries inside the visited part of the table.
  for (const key of expired) db.expireIfNeeded(key);
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(found);
}

// ------------------------------------------------------------------ EXPIRE family, TTL family, PERSIST

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const LLONG_MAX = (1n << 63n) - 1n;
const LLONG_MIN = -(1n << 63n);

/** NX/XX/GT/LT from argv[3...]; null after replying an error. */
function parseExpireFlags(c: Client, argv: string[]): number | null {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    if (is(opt, 'nx')) flags |= EXPIRE_NX;
    else if (is(opt, 'xx')) flags |= EXPIRE_XX;
    else if (is(opt, 'gt')) flags |= EXPIRE_GT;
    else if (is(opt, 'lt')) flags |= EXPIRE_LT;
    else {
      c.error(`ERR Unsupported option ${opt}`);
      return null;
    }
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    c.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    c.error('ERR GT and LT options at the same time are not compatible');
    return null;
  }
  return flags;
}

/** Do the NX/XX/GT/LT conditions allow replacing `current` (-1: none) by `when`? */
function expireConditionsHold(flags: number, current: number, when: bigint): boolean {
  if (flags & EXPIRE_NX && current !== -1) return false;
  if (flags & EXPIRE_XX && current === -1) return false;
  // No TTL counts as an infinite one: GT always fails, LT always passes.
  if (flags & EXPIRE_GT && (current === -1 || when <= BigInt(current))) return false;
  if (flags & EXPIRE_LT && current !== -1 && when >= BigInt(current)) return false;
  return true;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. `base` is the time the argument is relative to (0 for
 * the *AT forms), `unitMs` 1000 for seconds. Propagated as PEXPIREAT with the absolute time, or
 * as a DEL/UNLINK when the time is already past.
 */
function expireGeneric(c: Client, argv: string[], base: number, unitMs: number): void {
  const flags = parseExpireFlags(c, argv);
  if (flags === null) return;
  const arg = parseInt64(argv[2]);
  if (arg === null) {
    c.error(NOT_INTEGER);
    return;
  }
  const timeError = `ERR invalid expire time in '${c.cmd ? c.cmd.fullName : argv[0].toLowerCase()}' command`;
  let when = arg;
  if (unitMs === 1000) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) {
      c.error(timeError);
      return;
    }
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(base)) {
    c.error(timeError);
    return;
  }
  when += BigInt(base);
  // A negative time expires the key at once; 0 keeps it representable.
  if (when < 0n) when = 0n;

  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined) {
    c.reply.int(0);
    return;
  }
  if (flags !== 0 && !expireConditionsHold(flags, db.getExpire(key), when)) {
    c.reply.int(0);
    return;
  }
  const whenMs = Number(when);
  if (whenMs <= db.ctx.now && !db.ctx.expiryDisabledForWrites) {
    // Already past: the key expires now (an "expired" event, propagated as DEL/UNLINK).
    db.deleteExpired(key);
    dirty(c);
    c.propagateArgv = null;
    c.reply.int(1);
    return;
  }
  db.setExpire(key, whenMs);
  signalModified(db, key);
  notifyGeneric(c, 'expire', key, db.id);
  dirty(c);
  c.reply.int(1);
  const rewritten = argv.slice();
  if (!(base === 0 && unitMs === 1)) {
    rewritten[0] = 'PEXPIREAT';
    rewritten[2] = when.toString();
  }
  c.propagateArgv = rewritten;
}

function expire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.ctx.now, 1000);
}

function pexpire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.ctx.now, 1);
}

function expireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, 1000);
}

function pexpireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, 1);
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 no key, -1 no expire. */
function ttlGeneric(c: Client, argv: string[], inMs: boolean, absolute: boolean): void {
  const db = c.db;
  if (db.lookupRead(argv[1], false) === undefined) {
    c.reply.int(-2);
    return;
  }
  const at = db.getExpire(argv[1]);
  if (at === -1) {
    c.reply.int(-1);
    return;
  }
  const t = Math.max(0, absolute ? at : at - db.ctx.now);
  c.reply.int(inMs ? t : Math.floor((t + 500) / 1000));
}

function ttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, false);
}

function pttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, false);
}

function expiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, true);
}

function pexpiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, true);
}

function persist(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined || !db.removeExpire(key)) {
    c.reply.int(0);
    return;
  }
  signalModified(db, key);
  notifyGeneric(c, 'persist', key, db.id);
  dirty(c);
  c.reply.int(1);
}

// ------------------------------------------------------------------ OBJECT

const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
/** Valkey embeds a short string, its key and its expire time in one 64-byte allocation. */
const EMBEDDED_OBJECT_MAX = 64;
const ROBJ_HEADER = 16;

/** Bytes an sds string of `len` bytes takes (header + data + NUL), as sdsReqType picks it. */
function sdsSize(len: number): number {
  const header = len < 32 ? 1 : len < 253 ? 3 : len < 65530 ? 5 : 9;
  return header + len + 1;
}

/**
 * OBJECT ENCODING of a string value: "int" when it is the canonical form of a 64-bit integer,
 * "embstr" when value, key and expire fit Valkey's 64-byte embedded object, else "raw" (as is
 * every string modified in place).
 */
export function stringEncoding(v: string | Buffer, keyLen: number, volatile: boolean): string {
  if (Buffer.isBuffer(v)) return 'raw';
  if (v.length <= 20 && (parseLongLong(v) !== null || parseInt64(v) !== null)) return 'int';
  if (v.length > OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return 'raw';
  const size = ROBJ_HEADER + 1 + sdsSize(keyLen) + (volatile ? 8 : 0) + 3 + v.length + 1;
  return size <= EMBEDDED_OBJECT_MAX ? 'embstr' : 'raw';
}

/** OBJECT subcommands look keys up without touching them. */
function objectLookup(c: Client, key: string): Value | undefined {
  const v = c.db.lookupRead(key, false);
  if (v === undefined) c.reply.nullBulk();
  return v;
}

function objectEncoding(c: Client, argv: string[]): void {
  const key = argv[2];
  const v = objectLookup(c, key);
  if (v === undefined) return;
  if (typeof v === 'string' || Buffer.isBuffer(v)) c.reply.bulk(stringEncoding(v, key.length, c.db.getExpire(key) !== -1));
  else c.reply.bulk(v.encoding());
}

function objectRefcount(c: Client, argv: string[]): void {
  // Values stored in the keyspace are never shared in Valkey 9 (each embeds its key).
  if (objectLookup(c, argv[2]) !== undefined) c.reply.int(1);
}

function objectIdletime(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === undefined) return;
  const ctx = c.db.ctx;
  if (ctx.lfu !== null) {
    c.error(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    return;
  }
  c.reply.int(Math.max(0, ctx.lruClock() - c.db.metaOf(argv[2])));
}

function objectFreq(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === undefined) return;
  const ctx = c.db.ctx;
  if (ctx.lfu === null) {
    c.error(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    return;
  }
  c.reply.int(lfuDecrAndReturn(c.db.metaOf(argv[2]), ctx.now, ctx.lfu.decayTime));
}

function objectHelp(c: Client): void {
  replyHelp(c, 'object', [
    'ENCODING <key>',
    '    Return the kind of internal representation used in order to store the value',
    '    associated with a <key>.',
    'FREQ <key>',
    '    Return the access frequency index of the <key>. The returned integer is',
    '    proportional to the logarithm of the recent access frequency of the key.',
    'IDLETIME <key>',
    '    Return the idle time of the <key>, that is the approximated number of',
    '    seconds elapsed since the last access to the key.',
    'REFCOUNT <key>',
    '    Return the number of references of the value associated with the specified',
    '    <key>.',
  ]);
}

// ------------------------------------------------------------------ FLUSHDB FLUSHALL

/** SYNC / ASYNC / nothing; false after replying a syntax error. Both modes free at once here. */
function flushArgsValid(c: Client, argv: string[]): boolean {
  if (argv.length === 1 || (argv.length === 2 && (is(argv[1], 'sync') || is(argv[1], 'async')))) return true;
  c.error(SYNTAX_ERR);
  return false;
}

/** Empty one database: WATCHers of keys that existed see a change. Returns the keys removed. */
function emptyDb(c: Client, db: Database): number {
  c.server.watchers.touchAllInDb(db);
  c.server.blocking.signalFlushedDb(db);
  return db.flush();
}

/** FLUSH* are propagated even when there was nothing to remove. */
function propagateFlush(c: Client, argv: string[]): void {
  c.server.propagation.add(c.db.id, argv);
  c.propagateArgv = null;
}

function flushdb(c: Client, argv: string[]): void {
  if (!flushArgsValid(c, argv)) return;
  c.server.tracking.invalidateAll();
  dirty(c, emptyDb(c, c.db));
  propagateFlush(c, argv);
  c.reply.ok();
}

function flushall(c: Client, argv: string[]): void {
  if (!flushArgsValid(c, argv)) return;
  c.server.tracking.invalidateAll();
  // A running BGSAVE is stopped (Valkey kills its child): it would write the flushed data back.
  c.server.persistence.cancel();
  let removed = 0;
  for (const db of c.server.dbs) removed += emptyDb(c, db);
  dirty(c, removed);
  // With save points configured Valkey snapshots the now empty dataset right away, which also
  // resets the changes-since-last-save counter.
  const server = c.server;
  const savePoints = server.config.raw<unknown[]>('save');
  if (server.saver !== null && Array.isArray(savePoints) && savePoints.length > 0) server.saver();
  propagateFlush(c, argv);
  c.reply.ok();
}

// ------------------------------------------------------------------ DUMP RESTORE

function dump(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (!canEncode(v)) {
    c.error(`ERR DUMP is not supported for values of type ${typeOf(v)}`);
    return;
  }
  c.reply.bulkBuffer(createDumpPayload(v, c.server.config.bool('rdbcompression')));
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  /** -1 when not given */
  idletime: number;
  freq: number;
}

/** RESTORE's options from argv[4]; null after replying an error. */
function parseRestoreOptions(c: Client, argv: string[]): RestoreOptions | null {
  const o: RestoreOptions = { replace: false, absttl: false, idletime: -1, freq: -1 };
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const opt = argv[j];
    if (is(opt, 'replace')) {
      o.replace = true;
    } else if (is(opt, 'absttl')) {
      o.absttl = true;
    } else if (is(opt, 'idletime') && more >= 1 && o.freq === -1) {
      const n = intArg(c, argv[j + 1]);
      if (n === null) return null;
      if (n < 0) {
        c.error('ERR Invalid IDLETIME value, must be >= 0');
        return null;
      }
      o.idletime = n;
      j++;
    } else if (is(opt, 'freq') && more >= 1 && o.idletime === -1) {
      const n = intArg(c, argv[j + 1]);
      if (n === null) return null;
      if (n < 0 || n > 255) {
        c.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
        return null;
      }
      o.freq = n;
      j++;
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

/** sanitize-dump-payload: "yes" always, "clients" for everyone but our primary and replicas. */
function deepSanitize(c: Client): boolean {
  const mode = c.server.config.str('sanitize-dump-payload');
  return mode === 'yes' || (mode === 'clients' && !(c.flags & (CF_PRIMARY | CF_REPLICA)));
}

/** Decode a verified payload; null after replying an error. Corrupt input never throws out. */
function decodePayload(c: Client, payload: Buffer, version: number): Value | null {
  const r = dumpPayloadReader(payload);
  try {
    const type = readValueType(r);
    if (rdbIsForeignVersion(version) && type >= RDB_FOREIGN_TYPE_MIN) {
      c.error(`ERR Unsupported foreign data type: ${type}`);
      return null;
    }
    const v = decodeValueOfType(type, r, { deepSanitize: deepSanitize(c), rdbVersion: version, now: c.db.ctx.now, limits: typeLimits(c.server) });
    if (v === null) c.error(BAD_DATA_FORMAT);
    return v;
  } catch (e) {
    // A client's bytes must never take the server down, whatever a type's loader trips on.
    if (!(e instanceof RdbFormatError)) c.server.log('verbose', `RESTORE: unexpected error decoding payload: ${(e as Error).message}`);
    c.error(BAD_DATA_FORMAT);
    return null;
  }
}

/** Access metadata for a restored key: FREQ under an LFU policy, IDLETIME otherwise. */
function applyRestoredAccess(db: Database, key: string, o: RestoreOptions): void {
  const ctx = db.ctx;
  if (ctx.lfu !== null) {
    if (o.freq >= 0) db.setMeta(key, lfuWithCounter(o.freq, ctx.now));
  } else if (o.idletime >= 0) {
    db.setMeta(key, Math.max(0, ctx.lruClock() - o.idletime));
  }
}

function restore(c: Client, argv: string[]): void {
  const o = parseRestoreOptions(c, argv);
  if (o === null) return;
  const db = c.db;
  const key = argv[1];
  if (!o.replace && db.lookupWrite(key) !== undefined) {
    c.error('BUSYKEY Target key name already exists.');
    return;
  }
  const ttlArg = parseInt64(argv[2]);
  if (ttlArg === null) {
    c.error(NOT_INTEGER);
    return;
  }
  if (ttlArg < 0n) {
    c.error('ERR Invalid TTL value, must be >= 0');
    return;
  }
  const payload = Buffer.from(argv[3], 'latin1');
  const version = verifyDumpPayload(payload, c.server.config.str('rdb-version-check') === 'strict', c.server.debug.skipChecksumValidation);
  if (version === null) {
    c.error('ERR DUMP payload version or checksum are wrong');
    return;
  }
  const value = decodePayload(c, payload, version);
  if (value === null) return;

  const deleted = o.replace && db.delete(key);
  let ttl = ttlArg;
  if (ttl !== 0n && !o.absttl) ttl += BigInt(db.ctx.now);
  const ttlMs = Number(ttl);
  if (ttl !== 0n && ttlMs <= db.ctx.now && !db.ctx.expiryDisabledForWrites) {
    // Restored already expired: nothing is created; a replaced key is simply gone.
    if (deleted) {
      c.propagateArgv = [c.server.config.bool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key];
      notifyGeneric(c, 'del', key, db.id);
      dirty(c);
    }
    c.reply.ok();
    return;
  }
  addKey(c, db, key, value, ttl === 0n ? -1 : ttlMs);
  if (ttl !== 0n && !o.absttl) {
    // Replicas and the AOF get the absolute time.
    const rewritten = argv.slice();
    rewritten[2] = ttl.toString();
    rewritten.push('ABSTTL');
    c.propagateArgv = rewritten;
  }
  applyRestoredAccess(db, key, o);
  signalModified(db, key);
  notifyGeneric(c, 'restore', key, db.id);
  c.reply.ok();
  dirty(c);
}

// ------------------------------------------------------------------ the table

const KEY = (i = 0) => ({ name: 'key', type: 'key' as const, key_spec_index: i });
const KEYS_MULTI = { name: 'key', type: 'key' as const, key_spec_index: 0, multiple: true };
const EXPIRE_CONDITION = {
  name: 'condition',
  type: 'oneof' as const,
  since: '7.0.0',
  optional: true,
  arguments: [
    { name: 'nx', type: 'pure-token' as const, token: 'NX' },
    { name: 'xx', type: 'pure-token' as const, token: 'XX' },
    { name: 'gt', type: 'pure-token' as const, token: 'GT' },
    { name: 'lt', type: 'pure-token' as const, token: 'LT' },
  ],
};
const EXPIRE_HISTORY: [string, string][] = [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']];
const FLUSH_MODE = {
  name: 'flush-type',
  type: 'oneof' as const,
  optional: true,
  arguments: [
    { name: 'async', type: 'pure-token' as const, token: 'ASYNC', since: '4.0.0' },
    { name: 'sync', type: 'pure-token' as const, token: 'SYNC', since: '6.2.0' },
  ],
};
const FLUSH_HISTORY: [string, string][] = [
  ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
  ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
];
const MULTI_KEY_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];

function objectSub(name: string, handler: (c: Client, argv: string[]) => void, summary: string, since: string): CommandDef {
  return {
    name, arity: 3, flags: ['readonly'], acl: ['keyspace'], keySpecs: [ks.one(2, 'RO')], handler,
    summary, since, group: 'generic', complexity: 'O(1)', tips: ['nondeterministic_output'], args: [KEY()],
  };
}

export const keyCommands: CommandDef[] = [
  {
    name: 'del', arity: -2, flags: ['write'], acl: ['keyspace'], keySpecs: [ks.rest(1, 1, 'RM', 'DELETE')], handler: deleteKeys,
    summary: 'Removes one or more keys.', since: '1.0.0', group: 'generic', tips: MULTI_KEY_TIPS,
    complexity: 'O(N) where N is the number of keys removed; removing a collection is O(M) in its number of elements.', args: [KEYS_MULTI],
  },
  {
    name: 'unlink', arity: -2, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.rest(1, 1, 'RM', 'DELETE')], handler: deleteKeys,
    summary: 'Removes one or more keys, reclaiming their memory without blocking.', since: '4.0.0', group: 'generic', tips: MULTI_KEY_TIPS,
    complexity: 'O(1) per key removed; the memory is reclaimed afterwards.', args: [KEYS_MULTI],
  },
  {
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.rest(1, 1, 'RO')], handler: exists,
    summary: 'Counts how many of the given keys exist.', since: '1.0.0', group: 'generic', tips: MULTI_KEY_TIPS,
    complexity: 'O(N) where N is the number of keys to check.', history: [['3.0.3', 'Accepts multiple `key` arguments.']], args: [KEYS_MULTI],
  },
  {
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.rest(1, 1, 'RO')], handler: touch,
    summary: 'Refreshes the last access time of keys and counts those that exist.', since: '3.2.1', group: 'generic', tips: MULTI_KEY_TIPS,
    complexity: 'O(N) where N is the number of keys touched.', args: [KEYS_MULTI],
  },
  {
    name: 'type', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO')], handler: type,
    summary: 'Tells the type of the value stored at a key.', since: '1.0.0', group: 'generic', complexity: 'O(1)', args: [KEY()],
  },
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], acl: ['keyspace'], handler: dbsize,
    summary: 'Returns the number of keys in the selected database.', since: '1.0.0', group: 'server', complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  },
  {
    name: 'randomkey', arity: 1, flags: ['readonly'], acl: ['keyspace'], handler: randomkey,
    summary: 'Returns the name of a random key.', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
  },
  {
    name: 'rename', arity: 3, flags: ['write'], acl: ['keyspace'], handler: rename,
    keySpecs: [ks.one(1, 'RW', 'ACCESS', 'DELETE'), ks.one(2, 'OW', 'UPDATE')],
    summary: 'Gives a key a new name, replacing any key of that name.', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: [KEY(0), { name: 'newkey', type: 'key', key_spec_index: 1 }],
  },
  {
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], acl: ['keyspace'], handler: renamenx,
    keySpecs: [ks.one(1, 'RW', 'ACCESS', 'DELETE'), ks.one(2, 'OW', 'INSERT')],
    summary: 'Gives a key a new name only if no key has that name yet.', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    args: [KEY(0), { name: 'newkey', type: 'key', key_spec_index: 1 }],
  },
  {
    name: 'move', arity: 3, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'ACCESS', 'UPDATE')], handler: move,
    summary: 'Moves a key to another database.', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: [KEY(), { name: 'db', type: 'integer' }],
  },
  {
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], acl: ['keyspace'], handler: copy,
    keySpecs: [ks.one(1, 'RO', 'ACCESS'), ks.one(2, 'OW', 'UPDATE')],
    summary: 'Copies the value of a key to another key.', since: '6.2.0', group: 'generic',
    complexity: 'O(1) for strings, O(N) for collections of N elements.',
    args: [
      { name: 'source', type: 'key', key_spec_index: 0 },
      { name: 'destination', type: 'key', key_spec_index: 1 },
      { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
    ],
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'dangerous'], handler: swapdb,
    summary: 'Exchanges the contents of two databases.', since: '4.0.0', group: 'server',
    complexity: 'O(N) where N is the number of clients watching or blocked on keys of either database.',
    args: [{ name: 'index1', type: 'integer' }, { name: 'index2', type: 'integer' }],
  },
  {
    name: 'keys', arity: 2, flags: ['readonly'], acl: ['keyspace', 'dangerous'], handler: keys,
    summary: 'Lists every key name matching a glob pattern.', since: '1.0.0', group: 'generic',
    complexity: 'O(N) where N is the number of keys in the database.',
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'], args: [{ name: 'pattern', type: 'pattern' }],
  },
  {
    name: 'scan', arity: -2, flags: ['readonly'], acl: ['keyspace'], handler: scan,
    summary: 'Walks the key names of the database incrementally with a cursor.', since: '2.8.0', group: 'generic',
    complexity: 'O(1) per call; O(N) for a complete iteration over N keys.',
    history: [['6.0.0', 'Added the `TYPE` subcommand.']], tips: ['nondeterministic_output', 'request_policy:special'],
    args: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'type', type: 'string', token: 'TYPE', optional: true, since: '6.0.0' },
    ],
  },
  {
    name: 'expire', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: expire,
    summary: 'Sets a time to live in seconds on a key.', since: '1.0.0', group: 'generic', complexity: 'O(1)', history: EXPIRE_HISTORY,
    args: [KEY(), { name: 'seconds', type: 'integer' }, EXPIRE_CONDITION],
  },
  {
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: pexpire,
    summary: 'Sets a time to live in milliseconds on a key.', since: '2.6.0', group: 'generic', complexity: 'O(1)', history: EXPIRE_HISTORY,
    args: [KEY(), { name: 'milliseconds', type: 'integer' }, EXPIRE_CONDITION],
  },
  {
    name: 'expireat', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: expireat,
    summary: 'Makes a key expire at a Unix time in seconds.', since: '1.2.0', group: 'generic', complexity: 'O(1)', history: EXPIRE_HISTORY,
    args: [KEY(), { name: 'unix-time-seconds', type: 'unix-time' }, EXPIRE_CONDITION],
  },
  {
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: pexpireat,
    summary: 'Makes a key expire at a Unix time in milliseconds.', since: '2.6.0', group: 'generic', complexity: 'O(1)', history: EXPIRE_HISTORY,
    args: [KEY(), { name: 'unix-time-milliseconds', type: 'unix-time' }, EXPIRE_CONDITION],
  },
  {
    name: 'persist', arity: 2, flags: ['write', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: persist,
    summary: 'Removes the time to live of a key.', since: '2.2.0', group: 'generic', complexity: 'O(1)', args: [KEY()],
  },
  {
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: ttl,
    summary: 'Returns the remaining time to live of a key in seconds.', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    history: [['2.8.0', 'Added the -2 reply.']], tips: ['nondeterministic_output'], args: [KEY()],
  },
  {
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: pttl,
    summary: 'Returns the remaining time to live of a key in milliseconds.', since: '2.6.0', group: 'generic', complexity: 'O(1)',
    history: [['2.8.0', 'Added the -2 reply.']], tips: ['nondeterministic_output'], args: [KEY()],
  },
  {
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: expiretime,
    summary: 'Returns the Unix time in seconds at which a key expires.', since: '7.0.0', group: 'generic', complexity: 'O(1)', args: [KEY()],
  },
  {
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: pexpiretime,
    summary: 'Returns the Unix time in milliseconds at which a key expires.', since: '7.0.0', group: 'generic', complexity: 'O(1)', args: [KEY()],
  },
  {
    name: 'object', arity: -2, flags: [], acl: [], summary: 'Inspects the internals of stored values.', since: '2.2.3', group: 'generic',
    complexity: 'Depends on subcommand.',
    subcommands: [
      objectSub('encoding', objectEncoding, 'Returns the internal encoding of a value.', '2.2.3'),
      objectSub('freq', objectFreq, 'Returns the logarithmic access frequency counter of a key.', '4.0.0'),
      objectSub('idletime', objectIdletime, 'Returns the seconds since a key was last accessed.', '2.2.3'),
      objectSub('refcount', objectRefcount, 'Returns the reference count of a value.', '2.2.3'),
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], acl: ['keyspace'], handler: objectHelp,
        summary: 'Lists the OBJECT subcommands.', since: '6.2.0', group: 'generic', complexity: 'O(1)',
      },
    ],
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'], handler: flushdb,
    summary: 'Removes every key of the selected database.', since: '1.0.0', group: 'server',
    complexity: 'O(N) where N is the number of keys in the database.', history: FLUSH_HISTORY,
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], args: [FLUSH_MODE],
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'], handler: flushall,
    summary: 'Removes every key of every database.', since: '1.0.0', group: 'server',
    complexity: 'O(N) where N is the number of keys in all databases.', history: FLUSH_HISTORY,
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], args: [FLUSH_MODE],
  },
  {
    name: 'dump', arity: 2, flags: ['readonly'], acl: ['keyspace'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: dump,
    summary: 'Serializes the value of a key in the RDB format.', since: '2.6.0', group: 'generic',
    complexity: 'O(1) to find the key, plus O(N*M) to serialize N elements of average size M.',
    tips: ['nondeterministic_output'], args: [KEY()],
  },
  {
    name: 'restore', arity: -4, flags: ['write', 'denyoom'], acl: ['keyspace', 'dangerous'], keySpecs: [ks.one(1, 'OW', 'UPDATE')], handler: restore,
    summary: 'Creates a key from a value serialized by DUMP.', since: '2.6.0', group: 'generic',
    complexity: 'O(1) to create the key, plus O(N*M) to rebuild N elements of average size M (O(N*M*log(N)) for sorted sets).',
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    args: [
      KEY(),
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true, since: '5.0.0' },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true, since: '5.0.0' },
      { name: 'frequency', type: 'integer', token: 'FREQ', optional: true, since: '5.0.0' },
    ],
  },
];
