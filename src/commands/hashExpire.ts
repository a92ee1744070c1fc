// Hash field expiration commands (Valkey 9.0, 9.0.2+ behaviour): HEXPIRE HPEXPIRE HEXPIREAT
// HPEXPIREAT HPERSIST HTTL HPTTL HEXPIRETIME HPEXPIRETIME HSETEX HGETEX.
//
// Argument checks follow Valkey's order (FIELDS block, numfields, then the key's type, then the
// time). Times are absolute ms computed from the command's time snapshot (frozen in MULTI). A
// time at or before now deletes the fields at once (unless the caller is a stream that must be
// applied as is, see fieldTimeIsPast). What is propagated is always the deterministic form, and
// names only the fields that were actually changed: HPEXPIREAT with absolute ms, HPERSIST, HDEL
// for immediate deletions, HSETEX ... PXAT without FNX/FXX.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { WRONGTYPE, SYNTAX_ERR, NOT_INTEGER, dirty, is } from './util';
import { notify, signalModified } from './string';
import { HashObject, TTL_CLEAR, TTL_KEEP, EXPIRE_NONE, EXPIRE_MISSING, WRITE_REPLACED_EXPIRED } from '../types/hash';
import { typeLimits } from '../types/limitsCache';
import { parseInt64 } from '../util/numbers';
import { fieldClock, fieldTimeIsPast } from '../db/fieldExpire';

const NUMFIELDS_ERR = 'ERR numfields should be greater than 0 and match the provided number of fields';
const INT64_MAX = (1n << 63n) - 1n;

/** HEXPIRE-family reply codes. */
const NO_FIELD = -2;
const CONDITION_FAILED = 0;
const EXPIRE_SET = 1;
const DELETED_NOW = 2;
/** HPERSIST reply codes. */
const PERSIST_NO_TTL = -1;
const PERSISTED = 1;

// ---------------------------------------------------------------------------------------------
// Shared parsing
// ---------------------------------------------------------------------------------------------

/** Index of the first argument equal to FIELDS (any case) that has an argument after it, or -1. */
function findFieldsToken(argv: string[], from: number): number {
  for (let i = from; i < argv.length - 1; i++) if (is(argv[i], 'fields')) return i;
  return -1;
}

/** getLongLongFromObjectOrReply: an int64, or null after replying the integer error. */
function int64Arg(c: Client, s: string): bigint | null {
  const n = parseInt64(s);
  if (n === null) c.error(NOT_INTEGER);
  return n;
}

/**
 * numfields at argv[at] must equal the arguments after it divided by `perField` (1, or 2 for
 * field/value pairs) and be positive. Returns it, or null after replying (`mismatchError`).
 */
function numFieldsArg(c: Client, argv: string[], at: number, perField: number, mismatchError: string): number | null {
  const n = int64Arg(c, argv[at]);
  if (n === null) return null;
  const rest = BigInt(argv.length - at - 1);
  if (n <= 0n || n > INT64_MAX / BigInt(perField) || n * BigInt(perField) !== rest) {
    c.error(mismatchError);
    return null;
  }
  return Number(n);
}

/**
 * Valkey's convertExpireArgumentToUnixTime: the absolute expire time in ms of a relative
 * (basetime = now) or absolute (basetime = 0) time argument, or null after replying.
 * Negative times and int64 overflow are "invalid expire time in '<cmd>' command".
 */
function expireTimeArg(c: Client, arg: string, basetime: number, seconds: boolean): number | null {
  let when = int64Arg(c, arg);
  if (when === null) return null;
  const invalid = () => {
    c.error(`ERR invalid expire time in '${c.cmd ? c.cmd.fullName : 'hexpire'}' command`);
    return null;
  };
  if (when < 0n) return invalid();
  if (seconds) {
    if (when > INT64_MAX / 1000n) return invalid();
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(basetime)) return invalid();
  return Number(when + BigInt(basetime));
}

/** lookupKeyWrite + checkType. undefined when missing, null after replying WRONGTYPE. */
function writeHash(c: Client, key: string): HashObject | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined || v instanceof HashObject) return v;
  c.error(WRONGTYPE);
  return null;
}

/** lookupKeyRead + checkType. undefined when missing, null after replying WRONGTYPE. */
function readHash(c: Client, key: string): HashObject | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined || v instanceof HashObject) return v;
  c.error(WRONGTYPE);
  return null;
}

/** A snapshot in progress must save the value before a read-path command changes it in place. */
function beforeInPlaceChange(c: Client, key: string): void {
  if (c.db.guard !== null) c.db.guard.beforeChange(c.db, key);
}

/**
 * The common tail of a command that changed a hash: keys_with_volatile_items, WATCH, and the
 * deletion (with its "del" event) of a hash left without fields.
 */
function afterHashChange(c: Client, key: string, h: HashObject): void {
  signalModified(c, key);
  if (h.length === 0) {
    c.db.delete(key);
    notify(c, 'g', 'del', key);
  } else {
    c.db.trackVolatileItems(key, h);
  }
}

// ---------------------------------------------------------------------------------------------
// HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT
// ---------------------------------------------------------------------------------------------

const COND_NX = 1;
const COND_XX = 2;
const COND_GT = 4;
const COND_LT = 8;

/** parseExtendedExpireArgumentsOrReply over argv[3..end): condition flags, or null. */
function expireConditions(c: Client, argv: string[], end: number): number | null {
  let flags = 0;
  for (let j = 3; j < end; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'nx') flags |= COND_NX;
    else if (opt === 'xx') flags |= COND_XX;
    else if (opt === 'gt') flags |= COND_GT;
    else if (opt === 'lt') flags |= COND_LT;
    else {
      c.error(`ERR Unsupported option ${argv[j]}`);
      return null;
    }
  }
  if (flags & COND_NX && flags & (COND_XX | COND_GT | COND_LT)) {
    c.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if (flags & COND_GT && flags & COND_LT) {
    c.error('ERR GT and LT options at the same time are not compatible');
    return null;
  }
  return flags;
}

/**
 * Does a new expire time `when` pass the conditions for a field whose current TTL is `current`
 * (EXPIRE_NONE = no TTL, which counts as infinite)?
 */
function conditionHolds(flags: number, current: number, when: number): boolean {
  const persistent = current === EXPIRE_NONE;
  if (flags & COND_NX && !persistent) return false;
  if (flags & COND_XX && persistent) return false;
  if (flags & COND_GT && (persistent || when <= current)) return false;
  if (flags & COND_LT && !persistent && when >= current) return false;
  return true;
}

function hexpireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const fieldsAt = findFieldsToken(argv, 3);
  if (fieldsAt < 0) {
    c.error(NUMFIELDS_ERR);
    return;
  }
  const flags = expireConditions(c, argv, fieldsAt);
  if (flags === null) return;
  const n = numFieldsArg(c, argv, fieldsAt + 1, 1, NUMFIELDS_ERR);
  if (n === null) return;
  const when = expireTimeArg(c, argv[2], relative ? c.db.ctx.now : 0, seconds);
  if (when === null) return;
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  const first = fieldsAt + 2;
  c.reply.array(n);
  if (h === undefined) {
    for (let i = 0; i < n; i++) c.reply.int(NO_FIELD);
    return;
  }
  const deleteNow = fieldTimeIsPast(c, when);
  const now = fieldClock(c);
  const changed: string[] = [];
  for (let i = first; i < argv.length; i++) {
    const code = expireOneField(h, argv[i], when, flags, deleteNow, now);
    if (code === EXPIRE_SET || code === DELETED_NOW) changed.push(argv[i]);
    c.reply.int(code);
  }
  if (changed.length === 0) return;
  if (deleteNow) {
    c.db.ctx.stats.expiredFields += changed.length;
    c.propagateArgv = ['HDEL', key, ...changed];
    notify(c, 'h', 'hexpired', key);
  } else {
    c.propagateArgv = ['HPEXPIREAT', key, String(when), ...argv.slice(3, fieldsAt), 'FIELDS', String(changed.length), ...changed];
    notify(c, 'h', 'hexpire', key);
  }
  dirty(c, changed.length);
  afterHashChange(c, key, h);
}

/** One field of HEXPIRE: conditions first (9.0.2+), then set the TTL or delete the field. */
function expireOneField(h: HashObject, field: string, when: number, flags: number, deleteNow: boolean, now: number): number {
  const current = h.liveExpire(field, now);
  if (current === EXPIRE_MISSING) return NO_FIELD;
  if (!conditionHolds(flags, current, when)) return CONDITION_FAILED;
  if (deleteNow) {
    h.delete(field);
    return DELETED_NOW;
  }
  h.setExpire(field, when);
  return EXPIRE_SET;
}

function hexpire(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, true, true);
}

function hpexpire(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, true, false);
}

function hexpireat(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, false, true);
}

function hpexpireat(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, false, false);
}

// ---------------------------------------------------------------------------------------------
// HPERSIST
// ---------------------------------------------------------------------------------------------

/** argv[2] is not checked to be FIELDS (as in Valkey); numfields is argv[3]. */
function hpersist(c: Client, argv: string[]): void {
  const n = numFieldsArg(c, argv, 3, 1, NUMFIELDS_ERR);
  if (n === null) return;
  const key = argv[1];
  // The type is checked before the array header (Valkey 9.0.0-9.0.4 wrote the header first).
  const h = writeHash(c, key);
  if (h === null) return;
  c.reply.array(n);
  const now = fieldClock(c);
  const changed: string[] = [];
  for (let i = 4; i < argv.length; i++) {
    const current = h === undefined ? EXPIRE_MISSING : h.liveExpire(argv[i], now);
    if (current === EXPIRE_MISSING) c.reply.int(NO_FIELD);
    else if (current === EXPIRE_NONE) c.reply.int(PERSIST_NO_TTL);
    else {
      (h as HashObject).persist(argv[i]);
      changed.push(argv[i]);
      c.reply.int(PERSISTED);
    }
  }
  if (h === undefined || changed.length === 0) return;
  c.propagateArgv = ['HPERSIST', key, 'FIELDS', String(changed.length), ...changed];
  notify(c, 'h', 'hpersist', key);
  dirty(c, changed.length);
  afterHashChange(c, key, h);
}

// ---------------------------------------------------------------------------------------------
// HTTL HPTTL HEXPIRETIME HPEXPIRETIME
// ---------------------------------------------------------------------------------------------

/** `relative`: remaining time (HTTL, HPTTL) rather than the absolute time; seconds round half up. */
function httlGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const n = numFieldsArg(c, argv, 3, 1, SYNTAX_ERR);
  if (n === null) return;
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.reply.array(n);
  const now = fieldClock(c);
  const base = relative ? c.db.ctx.now : 0;
  for (let i = 4; i < argv.length; i++) {
    const at = h === undefined ? EXPIRE_MISSING : h.liveExpire(argv[i], now);
    if (at === EXPIRE_MISSING || at === EXPIRE_NONE) {
      c.reply.int(at);
      continue;
    }
    const ms = Math.max(0, at - base);
    c.reply.int(seconds ? Math.floor((ms + 500) / 1000) : ms);
  }
}

function httl(c: Client, argv: string[]): void {
  httlGeneric(c, argv, true, true);
}

function hpttl(c: Client, argv: string[]): void {
  httlGeneric(c, argv, true, false);
}

function hexpiretime(c: Client, argv: string[]): void {
  httlGeneric(c, argv, false, true);
}

function hpexpiretime(c: Client, argv: string[]): void {
  httlGeneric(c, argv, false, false);
}

// ---------------------------------------------------------------------------------------------
// HSETEX / HGETEX options (Valkey's parseExtendedCommandArgumentsOrReply)
// ---------------------------------------------------------------------------------------------

const OPT_FNX = 1;
const OPT_FXX = 2;
const OPT_KEEPTTL = 4;
const OPT_PERSIST = 8;

interface TimeOptions {
  flags: number;
  /** the time argument of EX/PX/EXAT/PXAT, or null */
  time: string | null;
  /** the time is absolute (EXAT, PXAT) */
  absolute: boolean;
  /** the time is in seconds (EX, EXAT) */
  seconds: boolean;
}

const TIME_TOKENS: Record<string, [absolute: boolean, seconds: boolean]> = {
  ex: [false, true],
  px: [false, false],
  exat: [true, true],
  pxat: [true, false],
};

/**
 * The options in argv[2..end): FNX|FXX (HSETEX only), one of EX/PX/EXAT/PXAT with a value,
 * KEEPTTL (HSETEX) or PERSIST (HGETEX). A conflict, an unknown token or a missing value is a
 * syntax error; repeating the same time token is accepted (the last value wins).
 */
function timeOptions(c: Client, argv: string[], end: number, forSet: boolean): TimeOptions | null {
  const o: TimeOptions = { flags: 0, time: null, absolute: false, seconds: false };
  let timeToken: string | null = null;
  for (let j = 2; j < end; j++) {
    const opt = argv[j].toLowerCase();
    const timeKind = TIME_TOKENS[opt];
    const exclusive = o.flags & (OPT_KEEPTTL | OPT_PERSIST);
    if (forSet && opt === 'fnx' && !(o.flags & OPT_FXX)) o.flags |= OPT_FNX;
    else if (forSet && opt === 'fxx' && !(o.flags & OPT_FNX)) o.flags |= OPT_FXX;
    else if (forSet && opt === 'keepttl' && timeToken === null) o.flags |= OPT_KEEPTTL;
    else if (!forSet && opt === 'persist' && timeToken === null) o.flags |= OPT_PERSIST;
    else if (timeKind !== undefined && !exclusive && (timeToken === null || timeToken === opt) && j + 1 < end) {
      timeToken = opt;
      [o.absolute, o.seconds] = timeKind;
      o.time = argv[++j];
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

/** The options and the FIELDS block of HSETEX / HGETEX, checked in Valkey's order. */
interface OptionsAndFields {
  o: TimeOptions;
  /** numfields */
  n: number;
  /** index of the first field */
  first: number;
}

function parseOptionsAndFields(c: Client, argv: string[], forSet: boolean): OptionsAndFields | null {
  // FIELDS is looked for after the key (Valkey 9.0 started at argv[0], so a key named "fields"
  // was taken for the token; the spec allows the correct scan).
  const fieldsAt = findFieldsToken(argv, 2);
  if (fieldsAt < 0) {
    c.error(NUMFIELDS_ERR);
    return null;
  }
  const o = timeOptions(c, argv, fieldsAt, forSet);
  if (o === null) return null;
  const n = numFieldsArg(c, argv, fieldsAt + 1, forSet ? 2 : 1, NUMFIELDS_ERR);
  if (n === null) return null;
  return { o, n, first: fieldsAt + 2 };
}

/** The absolute expire time EX/PX/EXAT/PXAT asked for, EXPIRE_NONE without one; null after an error. */
function optionExpireAt(c: Client, o: TimeOptions): number | null {
  if (o.time === null) return EXPIRE_NONE;
  return expireTimeArg(c, o.time, o.absolute ? 0 : c.db.ctx.now, o.seconds);
}

// ---------------------------------------------------------------------------------------------
// HSETEX
// ---------------------------------------------------------------------------------------------

function hsetex(c: Client, argv: string[]): void {
  const args = parseOptionsAndFields(c, argv, true);
  if (args === null) return;
  const { o, first } = args;
  const key = argv[1];
  const existing = writeHash(c, key);
  if (existing === null) return;
  const when = optionExpireAt(c, o);
  if (when === null) return;
  const now = fieldClock(c);
  if (!fieldConditionsHold(existing, argv, first, o.flags, now)) {
    c.reply.int(0);
    return;
  }
  if (when !== EXPIRE_NONE && fieldTimeIsPast(c, when)) hsetexPast(c, key, existing, argv, first);
  else hsetexStore(c, key, existing, argv, first, o, when, now);
  c.reply.int(1);
}

/** FNX: none of the fields may exist; FXX: all must (a missing key has none). */
function fieldConditionsHold(h: HashObject | undefined, argv: string[], first: number, flags: number, now: number): boolean {
  if (!(flags & (OPT_FNX | OPT_FXX))) return true;
  for (let i = first; i < argv.length; i += 2) {
    const exists = h !== undefined && h.has(argv[i], now);
    if (flags & OPT_FNX && exists) return false;
    if (flags & OPT_FXX && !exists) return false;
  }
  return true;
}

/**
 * HSETEX with a time at or before now: the listed fields that exist are deleted (an expiry), the
 * key goes if left empty. Events are emitted whatever was deleted (9.0.2+): hset, hexpire,
 * hexpired, then del. Propagated as the HDEL of the fields that were there.
 */
function hsetexPast(c: Client, key: string, h: HashObject | undefined, argv: string[], first: number): void {
  const deleted: string[] = [];
  if (h !== undefined) {
    const now = fieldClock(c);
    for (let i = first; i < argv.length; i += 2) {
      if (h.has(argv[i], now) && h.delete(argv[i])) deleted.push(argv[i]);
    }
  }
  c.db.ctx.stats.expiredFields += deleted.length;
  notify(c, 'h', 'hset', key);
  notify(c, 'h', 'hexpire', key);
  notify(c, 'h', 'hexpired', key);
  if (h === undefined) {
    c.propagateArgv = null;
    return;
  }
  if (deleted.length === 0) return;
  c.propagateArgv = ['HDEL', key, ...deleted];
  dirty(c, deleted.length);
  afterHashChange(c, key, h);
}

/**
 * HSETEX storing the fields: with a future time every field gets it; with KEEPTTL an overwritten
 * live field keeps its TTL; without either the fields lose their TTLs (like HSET). A field
 * that was there but expired is replaced as new: it counts as an expiry and, with KEEPTTL, is
 * first propagated as an HDEL so a replica does not keep its stale TTL.
 */
function hsetexStore(c: Client, key: string, existing: HashObject | undefined, argv: string[], first: number, o: TimeOptions, when: number, now: number): void {
  let h = existing;
  if (h === undefined) {
    h = new HashObject();
    c.db.add(key, h);
  }
  const limits = typeLimits(c.server);
  h.tryConversion(argv, first, argv.length - 1, limits);
  const ttl = when !== EXPIRE_NONE ? when : o.flags & OPT_KEEPTTL ? TTL_KEEP : TTL_CLEAR;
  const replacedExpired: string[] = [];
  for (let i = first; i < argv.length; i += 2) {
    if (h.write(argv[i], argv[i + 1], limits, ttl, now) === WRITE_REPLACED_EXPIRED) replacedExpired.push(argv[i]);
  }
  c.db.ctx.stats.expiredFields += replacedExpired.length;
  if (replacedExpired.length > 0) notify(c, 'h', 'hexpired', key);
  notify(c, 'h', 'hset', key);
  if (when !== EXPIRE_NONE) notify(c, 'h', 'hexpire', key);
  if (o.flags & OPT_KEEPTTL && replacedExpired.length > 0) c.server.propagation.add(c.db.id, ['HDEL', key, ...replacedExpired]);
  const timeArgs = when !== EXPIRE_NONE ? ['PXAT', String(when)] : o.flags & OPT_KEEPTTL ? ['KEEPTTL'] : [];
  c.propagateArgv = ['HSETEX', key, ...timeArgs, ...argv.slice(first - 2)];
  dirty(c, (argv.length - first) / 2);
  afterHashChange(c, key, h);
}

// ---------------------------------------------------------------------------------------------
// HGETEX
// ---------------------------------------------------------------------------------------------

function hgetex(c: Client, argv: string[]): void {
  const args = parseOptionsAndFields(c, argv, false);
  if (args === null) return;
  const { o, n, first } = args;
  const key = argv[1];
  const h = readHash(c, key);
  if (h === null) return;
  const when = optionExpireAt(c, o);
  if (when === null) return;
  const now = fieldClock(c);
  // The values are those before any change.
  c.reply.array(n);
  for (let i = first; i < argv.length; i++) c.reply.bulkOrNull(h === undefined ? undefined : h.get(argv[i], now));
  if (h === undefined || (when === EXPIRE_NONE && !(o.flags & OPT_PERSIST))) return;
  beforeInPlaceChange(c, key);
  if (o.flags & OPT_PERSIST) hgetexPersist(c, key, h, argv, first, now);
  else if (fieldTimeIsPast(c, when)) hgetexDelete(c, key, h, argv, first, now);
  else hgetexExpire(c, key, h, argv, first, now, when);
}

/** The tail of an HGETEX that changed `changed` (propagated as `argv`, with event `event`). */
function hgetexChanged(c: Client, key: string, h: HashObject, changed: number, propagate: string[], event: string): void {
  if (changed === 0) {
    c.propagateArgv = null;
    return;
  }
  c.propagateArgv = propagate;
  notify(c, 'h', event, key);
  dirty(c, changed);
  afterHashChange(c, key, h);
}

function hgetexPersist(c: Client, key: string, h: HashObject, argv: string[], first: number, now: number): void {
  const changed: string[] = [];
  for (let i = first; i < argv.length; i++) {
    if (h.liveExpire(argv[i], now) >= 0 && h.persist(argv[i])) changed.push(argv[i]);
  }
  hgetexChanged(c, key, h, changed.length, ['HPERSIST', key, 'FIELDS', String(changed.length), ...changed], 'hpersist');
}

function hgetexDelete(c: Client, key: string, h: HashObject, argv: string[], first: number, now: number): void {
  const changed: string[] = [];
  for (let i = first; i < argv.length; i++) {
    if (h.has(argv[i], now) && h.delete(argv[i])) changed.push(argv[i]);
  }
  c.db.ctx.stats.expiredFields += changed.length;
  hgetexChanged(c, key, h, changed.length, ['HDEL', key, ...changed], 'hexpired');
}

function hgetexExpire(c: Client, key: string, h: HashObject, argv: string[], first: number, now: number, when: number): void {
  const changed: string[] = [];
  for (let i = first; i < argv.length; i++) {
    if (h.has(argv[i], now) && h.setExpire(argv[i], when)) changed.push(argv[i]);
  }
  hgetexChanged(c, key, h, changed.length, ['HPEXPIREAT', key, String(when), 'FIELDS', String(changed.length), ...changed], 'hexpire');
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const NUMFIELDS: ArgDoc = { name: 'numfields', type: 'integer' };
const FIELD_LIST: ArgDoc = {
  name: 'fields', type: 'block', token: 'FIELDS',
  arguments: [NUMFIELDS, { name: 'field', type: 'string', multiple: true }],
};
const CONDITION: ArgDoc = {
  name: 'condition', type: 'oneof', optional: true,
  arguments: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};
const TIME_CHOICES: ArgDoc[] = [
  { name: 'seconds', type: 'integer', token: 'EX' },
  { name: 'milliseconds', type: 'integer', token: 'PX' },
  { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
  { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
];
const PER_FIELD = 'O(N) where N is the number of specified fields.';
const RW_UPDATE = ks.one(1, 'RW', 'UPDATE');
const RO_ACCESS = ks.one(1, 'RO', 'ACCESS');

function expireDef(name: string, handler: (c: Client, argv: string[]) => void, time: ArgDoc, summary: string): CommandDef {
  return {
    name, arity: -6, flags: ['write', 'fast'], acl: ['hash'], keySpecs: [RW_UPDATE], handler,
    summary, since: '9.0.0', group: 'hash', complexity: PER_FIELD,
    args: [KEY, time, CONDITION, FIELD_LIST],
  };
}

function ttlDef(name: string, handler: (c: Client, argv: string[]) => void, summary: string): CommandDef {
  return {
    name, arity: -5, flags: ['readonly', 'fast'], acl: ['hash'], keySpecs: [RO_ACCESS], handler,
    summary, since: '9.0.0', group: 'hash', complexity: PER_FIELD,
    args: [KEY, FIELD_LIST],
  };
}

export const hashExpireCommands: CommandDef[] = [
  expireDef('hexpire', hexpire, { name: 'seconds', type: 'integer' }, 'Gives hash fields a time to live in seconds.'),
  expireDef('hpexpire', hpexpire, { name: 'milliseconds', type: 'integer' }, 'Gives hash fields a time to live in milliseconds.'),
  expireDef('hexpireat', hexpireat, { name: 'unix-time-seconds', type: 'unix-time' }, 'Makes hash fields expire at a Unix time in seconds.'),
  expireDef('hpexpireat', hpexpireat, { name: 'unix-time-milliseconds', type: 'unix-time' }, 'Makes hash fields expire at a Unix time in milliseconds.'),
  {
    name: 'hpersist', arity: -5, flags: ['write', 'fast'], acl: ['hash'], keySpecs: [RW_UPDATE], handler: hpersist,
    summary: 'Takes the time to live away from hash fields.', since: '9.0.0', group: 'hash', complexity: PER_FIELD,
    args: [KEY, FIELD_LIST],
  },
  ttlDef('httl', httl, 'Returns the remaining time to live of hash fields, in seconds.'),
  ttlDef('hpttl', hpttl, 'Returns the remaining time to live of hash fields, in milliseconds.'),
  ttlDef('hexpiretime', hexpiretime, 'Returns the Unix time in seconds at which hash fields expire.'),
  ttlDef('hpexpiretime', hpexpiretime, 'Returns the Unix time in milliseconds at which hash fields expire.'),
  {
    name: 'hsetex', arity: -6, flags: ['write', 'denyoom', 'fast'], acl: ['hash'], keySpecs: [ks.one(1, 'RW', 'INSERT')], handler: hsetex,
    summary: 'Sets hash fields to values, optionally with a time to live for them.', since: '9.0.0', group: 'hash', complexity: PER_FIELD,
    args: [
      KEY,
      {
        name: 'fields-condition', type: 'oneof', optional: true,
        arguments: [
          { name: 'fnx', type: 'pure-token', token: 'FNX' },
          { name: 'fxx', type: 'pure-token', token: 'FXX' },
        ],
      },
      { name: 'expiration', type: 'oneof', optional: true, arguments: [...TIME_CHOICES, { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' }] },
      {
        name: 'fields', type: 'block', token: 'FIELDS',
        arguments: [
          NUMFIELDS,
          { name: 'data', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] },
        ],
      },
    ],
  },
  {
    name: 'hgetex', arity: -5, flags: ['write', 'fast'], acl: ['hash'], keySpecs: [ks.one(1, 'RW', 'ACCESS')], handler: hgetex,
    summary: 'Returns the values of hash fields, optionally changing their time to live.', since: '9.0.0', group: 'hash', complexity: PER_FIELD,
    args: [KEY, { name: 'expiration', type: 'oneof', optional: true, arguments: [...TIME_CHOICES, { name: 'persist', type: 'pure-token', token: 'PERSIST' }] }, FIELD_LIST],
  },
];
