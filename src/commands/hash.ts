// Hash commands (Valkey's t_hash.c): HSET HSETNX HMSET HGET HMGET HGETALL HKEYS HVALS HLEN
// HEXISTS HDEL HINCRBY HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN.
//
// The data structure, its encodings and its per-field TTLs live in types/hash.ts; this file holds
// what Valkey does around it: argument checks in Valkey's order, replies (RESP3 maps and pairs),
// keyspace events, WATCH signals, dirty counts and what gets propagated.
//
// Field expiration (Valkey 9.0): reads hide fields whose TTL has passed (they pass `now`, see
// fieldClock); writes that overwrite such a field treat it as new and emit "hexpired". HSET,
// HSETNX and HMSET drop a field's TTL, HINCRBY / HINCRBYFLOAT keep it.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { WRONGTYPE, SYNTAX_ERR, NOT_INTEGER, NOT_FLOAT, OVERFLOW, dirty, is, parseScanOptions, replyOverLimit } from './util';
import { notify, signalModified, parseExactInt, exactIntArg, type Int64 } from './string';
import { parseScanCursor } from './keys';
import { HashObject, TTL_CLEAR, TTL_KEEP, EXPIRE_NONE, WRITE_CREATED, WRITE_REPLACED_EXPIRED } from '../types/hash';
import { fieldClock } from '../db/fieldExpire';
import { typeLimits } from '../types/limitsCache';
import { randomIndex } from '../types/sample';
import { parseLongDoubleExact, longDoubleFromNumber, incrByFloatExact, parseInt64 } from '../util/numbers';
import { compileGlob } from '../util/glob';
import { registerValueDigest, xorPairs } from '../util/digest';
import '../persistence/rdb/hashRdb';

// DEBUG DIGEST: per field, a digest of (field, value) is added order-free to the key's digest.
// Like Valkey's iterator, it skips fields past their TTL; the TTLs themselves are not part of it.
registerValueDigest('hash', (d, v) => {
  const pairs: [string, string][] = [];
  (v as HashObject).forEach((f, val) => {
    pairs.push([f, val]);
  }, Date.now());
  xorPairs(d, pairs);
});

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** HRANDFIELD's count must be within +-LONG_MAX (so LLONG_MIN is refused)... */
const LONG_MAX = INT64_MAX;
/** ...and within +-LONG_MAX/2 with WITHVALUES (the reply holds twice as many elements). */
const LONG_MAX_HALF = INT64_MAX / 2n;
/** HRANDFIELD with a negative count writes its random picks in batches of this many. */
const RANDOM_BATCH = 1000;

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

/** lookupKeyRead + checkType: undefined when missing, null after replying WRONGTYPE. */
function readHash(c: Client, key: string): HashObject | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof HashObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** lookupKeyWrite + checkType (the value may then be changed in place). */
function writeHash(c: Client, key: string): HashObject | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof HashObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** hashTypeLookupWriteOrCreate: the hash at `key`, created empty (dbAdd) when missing. */
function writeOrCreateHash(c: Client, key: string): HashObject | null {
  const h = writeHash(c, key);
  if (h !== undefined) return h;
  const created = new HashObject();
  c.db.add(key, created);
  return created;
}

/**
 * The events of a write that may have replaced fields already past their TTL (Valkey 9.0.2+:
 * each counts as an expiry, and "hexpired" comes before the command's own event). A write that
 * took away the last field TTL (or gave the first) updates keys_with_volatile_items.
 */
function notifyWrite(c: Client, key: string, h: HashObject, event: string, expiredOverwritten: number, hadVolatile: boolean): void {
  signalModified(c, key);
  if (expiredOverwritten > 0) {
    c.db.ctx.stats.expiredFields += expiredOverwritten;
    notify(c, 'h', 'hexpired', key);
  }
  notify(c, 'h', event, key);
  if (hadVolatile !== h.volatileCount() > 0) c.db.trackVolatileItems(key, h);
}

// ---------------------------------------------------------------------------------------------
// HSET HMSET HSETNX
// ---------------------------------------------------------------------------------------------

function hsetGeneric(c: Client, argv: string[], replyOk: boolean): void {
  if (argv.length % 2 === 1) {
    c.error(`ERR wrong number of arguments for '${replyOk ? 'hmset' : 'hset'}' command`);
    return;
  }
  const key = argv[1];
  const h = writeOrCreateHash(c, key);
  if (h === null) return;
  const limits = typeLimits(c.server);
  h.tryConversion(argv, 2, argv.length - 1, limits);
  const hadVolatile = h.volatileCount() > 0;
  const now = hadVolatile ? fieldClock(c) : -1;
  let created = 0;
  let expiredOverwritten = 0;
  for (let i = 2; i < argv.length; i += 2) {
    // A field past its TTL is replaced as if it did not exist (Valkey counts it as created).
    const result = h.write(argv[i], argv[i + 1], limits, TTL_CLEAR, now);
    if (result === WRITE_CREATED) created++;
    else if (result === WRITE_REPLACED_EXPIRED) {
      created++;
      expiredOverwritten++;
    }
  }
  notifyWrite(c, key, h, 'hset', expiredOverwritten, hadVolatile);
  dirty(c, (argv.length - 2) / 2);
  if (replyOk) c.reply.ok();
  else c.reply.int(created);
}

function hset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, false);
}

function hmset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, true);
}

function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1];
  const field = argv[2];
  const h = writeOrCreateHash(c, key);
  if (h === null) return;
  const now = fieldClock(c);
  if (h.has(field, now)) {
    c.reply.int(0);
    return;
  }
  const hadVolatile = h.volatileCount() > 0;
  const expired = hadVolatile && h.isExpired(field, now);
  h.tryConversion(argv, 2, 3, typeLimits(c.server));
  h.set(field, argv[3], typeLimits(c.server), TTL_CLEAR);
  notifyWrite(c, key, h, 'hset', expired ? 1 : 0, hadVolatile);
  dirty(c);
  // A replica might still see the field (its TTL not yet passed there): send the overwrite.
  if (hadVolatile) c.propagateArgv = ['HSET', key, field, argv[3]];
  c.reply.int(1);
}

// ---------------------------------------------------------------------------------------------
// HGET HMGET HGETALL HKEYS HVALS HLEN HEXISTS HSTRLEN
// ---------------------------------------------------------------------------------------------

function hget(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.reply.bulkOrNull(h === undefined ? undefined : h.get(argv[2], fieldClock(c)));
}

function hmget(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  const now = fieldClock(c);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(h === undefined ? undefined : h.get(argv[i], now));
}

const WANT_FIELDS = 1;
const WANT_VALUES = 2;

/** HGETALL (a map), HKEYS, HVALS (arrays): the visible fields in the hash's order. */
function hgetallGeneric(c: Client, key: string, what: number): void {
  const both = what === (WANT_FIELDS | WANT_VALUES);
  const h = readHash(c, key);
  if (h === null) return;
  if (h === undefined) {
    if (both) c.reply.map(0);
    else c.reply.array(0);
    return;
  }
  const now = fieldClock(c);
  // The count goes first: with TTLs some fields may be hidden, so count the visible ones.
  let n = h.length;
  if (now >= 0 && h.volatileCount() > 0) {
    n = 0;
    h.forEach(() => {
      n++;
    }, now);
  }
  const r = c.reply;
  if (both) r.map(n);
  else r.array(n);
  h.forEach((f, v) => {
    if (what & WANT_FIELDS) r.bulk(f);
    if (what & WANT_VALUES) r.bulk(v);
  }, now);
}

function hgetall(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv[1], WANT_FIELDS | WANT_VALUES);
}

function hkeys(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv[1], WANT_FIELDS);
}

function hvals(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv[1], WANT_VALUES);
}

/** HLEN counts every field, including those past their TTL not yet reclaimed (as Valkey). */
function hlen(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.reply.int(h === undefined ? 0 : h.length);
}

function hexists(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.reply.int(h !== undefined && h.has(argv[2], fieldClock(c)) ? 1 : 0);
}

function hstrlen(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.reply.int(h === undefined ? 0 : h.valueLength(argv[2], fieldClock(c)));
}

// ---------------------------------------------------------------------------------------------
// HDEL
// ---------------------------------------------------------------------------------------------

function hdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  if (h === undefined) {
    c.reply.int(0);
    return;
  }
  // A field past its TTL is not found (Valkey's table hides it from deletes too).
  const hadVolatile = h.volatileCount() > 0;
  const now = hadVolatile ? fieldClock(c) : -1;
  let deleted = 0;
  let removed = false;
  const gone: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    if (now >= 0 && h.isExpired(argv[i], now)) continue;
    if (!h.delete(argv[i])) continue;
    deleted++;
    if (hadVolatile) gone.push(argv[i]);
    if (h.length === 0) {
      c.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    if (!removed) {
      signalModified(c, key);
      if (hadVolatile) c.db.trackVolatileItems(key, h);
    }
    notify(c, 'h', 'hdel', key);
    if (removed) notify(c, 'g', 'del', key);
    dirty(c, deleted);
    // Only the fields really deleted: a replica may still see a hidden one as live.
    if (hadVolatile && gone.length < argv.length - 2) c.propagateArgv = ['HDEL', key, ...gone];
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------------------------
// HINCRBY HINCRBYFLOAT
// ---------------------------------------------------------------------------------------------

/** The field's current value and TTL for an increment; an expired field counts as missing. */
interface CurrentField {
  value: string | undefined;
  /** absolute expire time of a live field, or EXPIRE_NONE */
  expireAt: number;
  /** the field was there but past its TTL */
  expired: boolean;
}

function currentField(c: Client, h: HashObject, field: string): CurrentField {
  const cur = h.getWithExpiry(field);
  if (cur === undefined) return { value: undefined, expireAt: EXPIRE_NONE, expired: false };
  const now = fieldClock(c);
  if (cur.expireAt !== EXPIRE_NONE && now >= 0 && cur.expireAt < now) {
    return { value: undefined, expireAt: EXPIRE_NONE, expired: true };
  }
  return { value: cur.value, expireAt: cur.expireAt, expired: false };
}

/**
 * Store an increment's result: a live field keeps its TTL, a new or expired one has none.
 * Propagation: HSET, or HSETEX ... PXAT when the field keeps a TTL (`always` = HINCRBYFLOAT;
 * HINCRBY only rewrites when the hash had TTLs, as a replica may disagree on what expired).
 */
function storeIncrement(c: Client, h: HashObject, argv: string[], result: string, cur: CurrentField, event: string, always: boolean): void {
  const key = argv[1];
  const field = argv[2];
  const hadVolatile = h.volatileCount() > 0;
  h.set(field, result, typeLimits(c.server), cur.expired ? TTL_CLEAR : TTL_KEEP);
  notifyWrite(c, key, h, event, cur.expired ? 1 : 0, hadVolatile);
  dirty(c);
  if (!always && !hadVolatile) return;
  if (cur.expireAt === EXPIRE_NONE) c.propagateArgv = ['HSET', key, field, result];
  else c.propagateArgv = ['HSETEX', key, 'PXAT', String(cur.expireAt), 'FIELDS', '1', field, result];
}

function hincrby(c: Client, argv: string[]): void {
  const incr = exactIntArg(c, argv[3]);
  if (incr === null) return;
  const h = writeOrCreateHash(c, argv[1]);
  if (h === null) return;
  const cur = currentField(c, h, argv[2]);
  let value: Int64 = 0;
  if (cur.value !== undefined) {
    const parsed = parseExactInt(cur.value);
    if (parsed === null) {
      c.error('ERR hash value is not an integer');
      return;
    }
    value = parsed;
  }
  const sum = addInt64(value, incr);
  if (sum === null) {
    c.error(OVERFLOW);
    return;
  }
  storeIncrement(c, h, argv, String(sum), cur, 'hincrby', false);
  c.reply.int(sum);
}

/** a + b when it fits in int64 (numbers while exact, bigints beyond), else null. */
function addInt64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a + b)) return a + b;
  const r = BigInt(a) + BigInt(b);
  if (r < INT64_MIN || r > INT64_MAX) return null;
  const n = Number(r);
  return Number.isSafeInteger(n) ? n : r;
}

/** In x87 80-bit long double arithmetic, exactly as Valkey computes and formats it. */
function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = parseLongDoubleExact(argv[3]);
  if (incr === null) {
    c.error(NOT_FLOAT);
    return;
  }
  if (incr.kind !== 0) {
    c.error('ERR value is NaN or Infinity');
    return;
  }
  const h = writeOrCreateHash(c, argv[1]);
  if (h === null) return;
  const cur = currentField(c, h, argv[2]);
  const value = cur.value === undefined ? longDoubleFromNumber(0) : parseLongDoubleExact(cur.value);
  if (value === null) {
    c.error('ERR hash value is not a float');
    return;
  }
  const result = incrByFloatExact(value, incr);
  if (result === null) {
    c.error('ERR increment would produce NaN or Infinity');
    return;
  }
  // Always propagated as the value it produced, so formatting can never differ on a replica.
  storeIncrement(c, h, argv, result, cur, 'hincrbyfloat', true);
  c.reply.bulk(result);
}

// ---------------------------------------------------------------------------------------------
// HRANDFIELD
// ---------------------------------------------------------------------------------------------

function hrandfield(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const count = parseInt64(argv[2]);
    if (count === null) {
      c.error(NOT_INTEGER);
      return;
    }
    if (count < -LONG_MAX) {
      c.error(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withvalues'))) {
      c.error(SYNTAX_ERR);
      return;
    }
    const withValues = argv.length === 4;
    if (withValues && (count < -LONG_MAX_HALF || count > LONG_MAX_HALF)) {
      c.error('ERR value is out of range');
      return;
    }
    hrandfieldWithCount(c, argv[1], count, withValues);
    return;
  }
  const h = readHash(c, argv[1]);
  if (h === null) return;
  const pick = h === undefined ? undefined : h.randomField(fieldClock(c));
  c.reply.bulkOrNull(pick === undefined ? undefined : pick[0]);
}

/** Write flat [field, value, ...] pairs: RESP3 pairs are 2-element arrays, RESP2 is flat. */
function replyPairs(c: Client, pairs: readonly string[], withValues: boolean): void {
  const r = c.reply;
  for (let i = 0; i < pairs.length; i += 2) {
    if (withValues && r.resp === 3) r.array(2);
    r.bulk(pairs[i]);
    if (withValues) r.bulk(pairs[i + 1]);
  }
}

function replyPairsHeader(c: Client, pairCount: number, withValues: boolean): void {
  c.reply.array(withValues && c.reply.resp === 2 ? pairCount * 2 : pairCount);
}

function hrandfieldWithCount(c: Client, key: string, count: bigint, withValues: boolean): void {
  const h = readHash(c, key);
  if (h === null) return;
  if (h === undefined || count === 0n) {
    c.reply.array(0);
    return;
  }
  const now = fieldClock(c);
  // Negative count (or 1): independent picks, repeats allowed, in random order.
  if (count < 0n || count === 1n) {
    randomPicksWithRepeats(c, h, count < 0n ? -count : count, withValues, now);
    return;
  }
  const n = Number(count);
  // Asking for at least the whole hash: every visible field, in the hash's order.
  const pairs = n >= h.length ? h.toPairs(now) : h.randomPairsUnique(n, now);
  replyPairsHeader(c, pairs.length / 2, withValues);
  replyPairs(c, pairs, withValues);
}

/**
 * HRANDFIELD with a negative count: `count` picks written in batches, so that a huge count hits
 * the output limit instead of exhausting memory first. With field TTLs the picks are made among
 * the visible fields (Valkey samples the table and skips expired ones).
 */
function randomPicksWithRepeats(c: Client, h: HashObject, count: bigint, withValues: boolean, now: number): void {
  const live = now >= 0 && h.volatileCount() > 0 ? h.toPairs(now) : null;
  if (live !== null && live.length === 0) {
    c.reply.array(0);
    return;
  }
  const mark = c.reply.mark();
  // The count is below 2^63 here; the header takes the exact figure.
  c.reply.raw('*' + (withValues && c.reply.resp === 2 ? count * 2n : count) + '\r\n');
  for (let left = count; left > 0n; ) {
    const batch = left > BigInt(RANDOM_BATCH) ? RANDOM_BATCH : Number(left);
    replyPairs(c, live === null ? h.randomPairsWithRepeats(batch, now) : picksFrom(live, batch), withValues);
    if (replyOverLimit(c, mark)) return;
    left -= BigInt(batch);
  }
}

/** `n` random pairs of flat [field, value, ...] `pairs`, repeats allowed. */
function picksFrom(pairs: readonly string[], n: number): string[] {
  const out: string[] = [];
  const size = pairs.length / 2;
  for (let i = 0; i < n; i++) {
    const j = 2 * randomIndex(size);
    out.push(pairs[j], pairs[j + 1]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HSCAN
// ---------------------------------------------------------------------------------------------

function hscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error('ERR invalid cursor');
    return;
  }
  // The key is looked up before the options are parsed: a missing key ignores them.
  const h = readHash(c, argv[1]);
  if (h === null) return;
  if (h === undefined) {
    c.reply.array(2);
    c.reply.bulk('0');
    c.reply.array(0);
    return;
  }
  const opts = parseScanOptions(c, argv, 3, 'hash');
  if (opts === null) return;
  const matches = opts.pattern === null ? null : compileGlob(opts.pattern);
  const found: string[] = [];
  // A listpack comes back whole with cursor 0; a hashtable walks COUNT fields per call.
  const next = h.scan(
    cursor,
    opts.count,
    (f, v) => {
      if (matches !== null && !matches(f)) return;
      found.push(f);
      if (!opts.noValues) found.push(v);
    },
    fieldClock(c),
  );
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(found);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const FIELD: ArgDoc = { name: 'field', type: 'string' };
const FIELDS: ArgDoc = { name: 'field', type: 'string', multiple: true };
const FIELD_VALUE_PAIRS: ArgDoc = {
  name: 'data',
  type: 'block',
  multiple: true,
  arguments: [FIELD, { name: 'value', type: 'string' }],
};
const RO = ks.one(1, 'RO');
const RO_ACCESS = ks.one(1, 'RO', 'ACCESS');
const RW_UPDATE = ks.one(1, 'RW', 'UPDATE');
const RW_ACCESS_UPDATE = ks.one(1, 'RW', 'ACCESS', 'UPDATE');
const WHOLE_HASH = 'O(N) where N is the size of the hash.';

export const hashCommands: CommandDef[] = [
  {
    name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [RW_UPDATE], handler: hset,
    summary: 'Sets fields of a hash to values; creates the hash if needed.', since: '2.0.0', group: 'hash',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    args: [KEY, FIELD_VALUE_PAIRS],
  },
  {
    name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [ks.one(1, 'RW', 'INSERT')], handler: hsetnx,
    summary: 'Sets a field of a hash to a value only when the field is not there yet.', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD, { name: 'value', type: 'string' }],
  },
  {
    name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [RW_UPDATE], handler: hmset,
    summary: 'Sets several fields of a hash to values (replies OK).', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields being set.',
    docFlags: ['deprecated'], deprecatedSince: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs',
    args: [KEY, FIELD_VALUE_PAIRS],
  },
  {
    name: 'hget', arity: 3, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hget,
    summary: 'Returns the value of one field of a hash.', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD],
  },
  {
    name: 'hmget', arity: -3, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hmget,
    summary: 'Returns the values of the given fields of a hash.', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields being requested.',
    args: [KEY, FIELDS],
  },
  {
    name: 'hgetall', arity: 2, flags: ['readonly'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hgetall,
    summary: 'Returns every field of a hash with its value.', since: '2.0.0', group: 'hash', complexity: WHOLE_HASH,
    tips: ['nondeterministic_output_order'], args: [KEY],
  },
  {
    name: 'hkeys', arity: 2, flags: ['readonly'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hkeys,
    summary: 'Returns the field names of a hash.', since: '2.0.0', group: 'hash', complexity: WHOLE_HASH,
    tips: ['nondeterministic_output_order'], args: [KEY],
  },
  {
    name: 'hvals', arity: 2, flags: ['readonly'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hvals,
    summary: 'Returns the values of a hash.', since: '2.0.0', group: 'hash', complexity: WHOLE_HASH,
    tips: ['nondeterministic_output_order'], args: [KEY],
  },
  {
    name: 'hlen', arity: 2, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO], handler: hlen,
    summary: 'Returns how many fields a hash has.', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: [KEY],
  },
  {
    name: 'hexists', arity: 3, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO], handler: hexists,
    summary: 'Tells whether a field exists in a hash.', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD],
  },
  {
    name: 'hdel', arity: -3, flags: ['write', 'fast'], acl: ['hash'], keySpecs: [ks.one(1, 'RW', 'DELETE')], handler: hdel,
    summary: 'Removes fields from a hash; the hash goes when its last field does.', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields to be removed.',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    args: [KEY, FIELDS],
  },
  {
    name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [RW_ACCESS_UPDATE], handler: hincrby,
    summary: 'Adds an integer to the integer value of a hash field; a missing field counts as 0.', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD, { name: 'increment', type: 'integer' }],
  },
  {
    name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [RW_ACCESS_UPDATE], handler: hincrbyfloat,
    summary: 'Adds a floating point number to the value of a hash field; a missing field counts as 0.', since: '2.6.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD, { name: 'increment', type: 'double' }],
  },
  {
    name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO], handler: hstrlen,
    summary: 'Returns the length in bytes of the value of a hash field.', since: '3.2.0', group: 'hash', complexity: 'O(1)',
    args: [KEY, FIELD],
  },
  {
    name: 'hrandfield', arity: -2, flags: ['readonly'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hrandfield,
    summary: 'Returns random fields of a hash, optionally with their values.', since: '6.2.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields returned',
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      {
        name: 'options', type: 'block', optional: true,
        arguments: [
          { name: 'count', type: 'integer' },
          { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
        ],
      },
    ],
  },
  {
    name: 'hscan', arity: -3, flags: ['readonly'], acl: ['hash'], keySpecs: [RO_ACCESS], handler: hscan,
    summary: 'Walks the fields and values of a hash incrementally with a cursor.', since: '2.8.0', group: 'hash',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'novalues', type: 'pure-token', token: 'NOVALUES', optional: true },
    ],
  },
];
