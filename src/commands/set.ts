// Set commands (Valkey's t_set.c): SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
// SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
//
// The data structure and its encoding rules live in types/set.ts; this file holds what Valkey
// does around them: argument checks in Valkey's order, replies (RESP3 sets where Valkey sends
// sets), keyspace events, WATCH signals, dirty counts and what gets propagated.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { WRONGTYPE, SYNTAX_ERR, NOT_INTEGER, dirty, is, parseScanOptions, replyOverLimit } from './util';
import { notify, signalModified, parseExactInt } from './string';
import { parseScanCursor } from './keys';
import { SetObject } from '../types/set';
import { typeLimits } from '../types/limitsCache';
import type { TypeLimits } from '../types/limits';
import { compileGlob } from '../util/glob';
import { registerValueDigest, xorElements } from '../util/digest';
import '../persistence/rdb/setRdb';

// DEBUG DIGEST: a set adds each member's SHA1 into the key digest, order-free.
registerValueDigest('set', (d, v) => {
  const members: string[] = [];
  (v as SetObject).forEach((m) => {
    members.push(m);
  });
  xorElements(d, members);
});

/** SPOP propagates the members it removed as SREM commands of at most this many members. */
const SPOP_SREM_BATCH = 1024;
const LONG_MAX = (1n << 63n) - 1n;
const POSITIVE_ERR = 'ERR value is out of range, must be positive';

function limits(c: Client): TypeLimits {
  return typeLimits(c.server);
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

/** lookupKeyRead + checkType: undefined when missing, null after replying WRONGTYPE. */
function readSet(c: Client, key: string): SetObject | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof SetObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** lookupKeyWrite + checkType (the value may then be changed in place). */
function writeSet(c: Client, key: string): SetObject | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof SetObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** Delete a set its command emptied: the key goes, with the generic "del" event. */
function deleteEmptied(c: Client, key: string): void {
  c.db.delete(key);
  notify(c, 'g', 'del', key);
}

/**
 * Store a *STORE result (Valkey's setKey: an expired destination is reclaimed first, the TTL is
 * dropped, WATCH is signalled) or, when the result is empty, delete the destination.
 * Returns nothing; replies the size.
 */
function storeResult(c: Client, dst: string, result: SetObject, event: string): void {
  const db = c.db;
  if (result.length > 0) {
    db.lookupWrite(dst);
    db.setKey(dst, result);
    c.reply.int(result.length);
    notify(c, 's', event, dst);
    dirty(c);
    return;
  }
  c.reply.int(0);
  deleteDestination(c, dst);
}

/** An empty *STORE result deletes the destination (with "del" and a dirty count if it existed). */
function deleteDestination(c: Client, dst: string): void {
  if (c.db.delete(dst)) {
    dirty(c);
    notify(c, 'g', 'del', dst);
  }
}

function replyMembers(c: Client, members: readonly string[]): void {
  for (const m of members) c.reply.bulk(m);
}

// ---------------------------------------------------------------------------------------------
// SADD SREM SMOVE
// ---------------------------------------------------------------------------------------------

function sadd(c: Client, argv: string[]): void {
  const key = argv[1];
  const found = c.db.lookupWrite(key);
  const lim = limits(c);
  let set: SetObject;
  if (found === undefined) {
    set = SetObject.create(argv[2], argv.length - 2, lim);
    c.db.add(key, set);
  } else if (found instanceof SetObject) {
    set = found;
    set.maybeConvert(argv.length - 2, lim);
  } else {
    c.error(WRONGTYPE);
    return;
  }
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (set.add(argv[j], lim)) added++;
  if (added > 0) {
    signalModified(c, key);
    notify(c, 's', 'sadd', key);
  }
  dirty(c, added);
  c.reply.int(added);
}

function srem(c: Client, argv: string[]): void {
  const key = argv[1];
  const set = writeSet(c, key);
  if (set === null) return;
  if (set === undefined) {
    c.reply.int(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (!set.remove(argv[j])) continue;
    deleted++;
    if (set.length === 0) {
      c.db.delete(key); // signals the modification itself
      keyRemoved = true;
      break;
    }
  }
  if (deleted > 0) {
    if (!keyRemoved) signalModified(c, key);
    notify(c, 's', 'srem', key);
    if (keyRemoved) notify(c, 'g', 'del', key);
    dirty(c, deleted);
  }
  c.reply.int(deleted);
}

function smove(c: Client, argv: string[]): void {
  const [, srcKey, dstKey, member] = argv;
  const db = c.db;
  const src = db.lookupWrite(srcKey);
  const dst = db.lookupWrite(dstKey);
  // A missing source answers 0 before any type check, as Valkey does.
  if (src === undefined) {
    c.reply.int(0);
    return;
  }
  if (!(src instanceof SetObject) || (dst !== undefined && !(dst instanceof SetObject))) {
    c.error(WRONGTYPE);
    return;
  }
  if (src === dst) {
    c.reply.int(src.has(member) ? 1 : 0);
    return;
  }
  if (!src.remove(member)) {
    c.reply.int(0);
    return;
  }
  notify(c, 's', 'srem', srcKey);
  if (src.length === 0) deleteEmptied(c, srcKey);
  else signalModified(c, srcKey);
  const lim = limits(c);
  let target = dst as SetObject | undefined;
  if (target === undefined) {
    target = SetObject.create(member, 1, lim);
    db.add(dstKey, target);
  }
  dirty(c);
  if (target.add(member, lim)) {
    dirty(c);
    signalModified(c, dstKey);
    notify(c, 's', 'sadd', dstKey);
  }
  c.reply.int(1);
}

// ---------------------------------------------------------------------------------------------
// SISMEMBER SMISMEMBER SCARD
// ---------------------------------------------------------------------------------------------

function sismember(c: Client, argv: string[]): void {
  const set = readSet(c, argv[1]);
  if (set === null) return;
  c.reply.int(set !== undefined && set.has(argv[2]) ? 1 : 0);
}

function smismember(c: Client, argv: string[]): void {
  // A missing key is an empty set: a zero for every member.
  const set = readSet(c, argv[1]);
  if (set === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.int(set !== undefined && set.has(argv[j]) ? 1 : 0);
}

function scard(c: Client, argv: string[]): void {
  const set = readSet(c, argv[1]);
  if (set === null) return;
  c.reply.int(set === undefined ? 0 : set.length);
}

// ---------------------------------------------------------------------------------------------
// SPOP
// ---------------------------------------------------------------------------------------------

function spop(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.error(SYNTAX_ERR);
    return;
  }
  const key = argv[1];
  const set = writeSet(c, key);
  if (set === null) return;
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  const member = set.popRandom() as string;
  notify(c, 's', 'spop', key);
  // Replicas and the AOF get the removal of this very member.
  c.propagateArgv = ['SREM', key, member];
  c.reply.bulk(member);
  if (set.length === 0) deleteEmptied(c, key);
  else signalModified(c, key);
  dirty(c);
}

/** getPositiveLongFromObjectOrReply without a message: both failures say "must be positive". */
function positiveCountArg(c: Client, s: string): number | null {
  const n = parseExactInt(s);
  if (n === null || n < 0) {
    c.error(POSITIVE_ERR);
    return null;
  }
  return Number(n);
}

function spopWithCount(c: Client, argv: string[]): void {
  const count = positiveCountArg(c, argv[2]);
  if (count === null) return;
  const key = argv[1];
  const set = writeSet(c, key);
  if (set === null) return;
  if (set === undefined || count === 0) {
    c.reply.set(0);
    return;
  }
  const size = set.length;
  notify(c, 's', 'spop', key);
  dirty(c, Math.min(count, size));
  if (count >= size) {
    // The whole set goes: it is propagated as the deletion of the key.
    const all = set.members();
    c.reply.set(all.length);
    replyMembers(c, all);
    deleteEmptied(c, key);
    c.propagateArgv = [c.server.config.bool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key];
    return;
  }
  const popped = set.popMany(count, limits(c));
  c.reply.set(popped.length);
  replyMembers(c, popped);
  // Propagated as SREMs of the popped members, never as the SPOP itself.
  for (let i = 0; i < popped.length; i += SPOP_SREM_BATCH) {
    c.server.propagation.add(c.db.id, ['SREM', key, ...popped.slice(i, i + SPOP_SREM_BATCH)]);
  }
  c.propagateArgv = null;
  signalModified(c, key);
}

// ---------------------------------------------------------------------------------------------
// SRANDMEMBER
// ---------------------------------------------------------------------------------------------

function srandmember(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.error(SYNTAX_ERR);
    return;
  }
  const set = readSet(c, argv[1]);
  if (set === null) return;
  if (set === undefined) c.reply.nullBulk();
  else c.reply.bulk(set.randomMember() as string);
}

/** SRANDMEMBER's count: an integer in [-LONG_MAX, LONG_MAX] (getRangeLongFromObjectOrReply). */
function randCountArg(c: Client, s: string): number | bigint | null {
  const n = parseExactInt(s);
  if (n === null) {
    c.error(NOT_INTEGER);
    return null;
  }
  if (typeof n === 'bigint' && n < -LONG_MAX) {
    c.error(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
    return null;
  }
  return n;
}

function srandmemberWithCount(c: Client, argv: string[]): void {
  const arg = randCountArg(c, argv[2]);
  if (arg === null) return;
  const unique = arg >= 0;
  const count = Number(unique ? arg : -arg);
  const set = readSet(c, argv[1]);
  if (set === null) return;
  if (set === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  const size = set.length;
  // CASE 1: repeats allowed (negative count), or a single member.
  if (!unique || count === 1) {
    const mark = c.reply.mark();
    c.reply.array(count);
    const pick = set.randomPicker();
    for (let i = 0; i < count; i++) {
      c.reply.bulk(pick());
      if ((i & 1023) === 1023 && replyOverLimit(c, mark)) return;
    }
    return;
  }
  // CASE 2: the whole set.
  if (count >= size) {
    c.reply.array(size);
    set.forEach((m) => c.reply.bulk(m));
    return;
  }
  // CASES 2.5 / 3 / 4: `count` distinct members (in set order for a listpack).
  const picked = set.randomMembersUnique(count);
  c.reply.array(picked.length);
  replyMembers(c, picked);
}

// ---------------------------------------------------------------------------------------------
// SINTER SMEMBERS SINTERCARD SINTERSTORE
// ---------------------------------------------------------------------------------------------

/**
 * Valkey's sinterGenericCommand. `dst` set: SINTERSTORE; `cardinalityOnly`: SINTERCARD, which
 * stops counting at `limit` (0 = no limit).
 */
function sinterGeneric(c: Client, keys: string[], dst: string | null, cardinalityOnly: boolean, limit: number): void {
  const sets: SetObject[] = [];
  let anyMissing = false;
  for (const key of keys) {
    const set = readSet(c, key);
    if (set === null) return;
    if (set === undefined) anyMissing = true;
    else sets.push(set);
  }
  // An intersection with an empty set is empty.
  if (anyMissing) {
    if (dst !== null) {
      deleteDestination(c, dst);
      c.reply.int(0);
    } else if (cardinalityOnly) {
      c.reply.int(0);
    } else {
      c.reply.set(0);
    }
    return;
  }
  // Smallest first (a stable sort, as glibc's qsort is in practice): fewer membership tests.
  sets.sort((a, b) => a.length - b.length);
  const first = sets[0];
  const inAll = (m: string): boolean => {
    for (let j = 1; j < sets.length; j++) if (sets[j] !== first && !sets[j].has(m)) return false;
    return true;
  };
  if (cardinalityOnly) {
    let n = 0;
    first.every((m) => {
      if (inAll(m)) n++;
      return limit === 0 || n < limit;
    });
    c.reply.int(n);
    return;
  }
  if (dst === null) {
    const out: string[] = [];
    first.forEach((m) => {
      if (inAll(m)) out.push(m);
    });
    c.reply.set(out.length);
    replyMembers(c, out);
    return;
  }
  // The result starts as an intset when the smallest set is one, else as a listpack; it is
  // converted as members arrive, and to an intset at the end if every member is an integer.
  const lim = limits(c);
  const result = SetObject.empty(first.encoding() === 'intset' ? 'intset' : 'listpack');
  let onlyIntegers = true;
  first.forEach((m) => {
    if (!inAll(m)) return;
    if (onlyIntegers && parseExactInt(m) === null) onlyIntegers = false;
    result.add(m, lim);
  });
  if (result.length > 0 && onlyIntegers) result.convertToIntsetIfPossible(lim);
  storeResult(c, dst, result, 'sinterstore');
}

function sinter(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null, false, 0);
}

function sinterstore(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(2), argv[1], false, 0);
}

function sintercard(c: Client, argv: string[]): void {
  const numkeys = parseExactInt(argv[1]);
  if (numkeys === null || numkeys < 1) {
    c.error('ERR numkeys should be greater than 0');
    return;
  }
  if (numkeys > argv.length - 2) {
    c.error("ERR Number of keys can't be greater than number of args");
    return;
  }
  const first = 2 + Number(numkeys);
  let limit = 0;
  for (let j = first; j < argv.length; j++) {
    if (is(argv[j], 'limit') && j < argv.length - 1) {
      j++;
      const n = parseExactInt(argv[j]);
      if (n === null || n < 0) {
        c.error("ERR LIMIT can't be negative");
        return;
      }
      limit = Number(n);
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  sinterGeneric(c, argv.slice(2, first), null, true, limit);
}

// ---------------------------------------------------------------------------------------------
// SUNION SDIFF and their STORE forms
// ---------------------------------------------------------------------------------------------

const enum SetOp {
  Union,
  Diff,
}

/** Valkey's sunionDiffGenericCommand. */
function sunionDiffGeneric(c: Client, keys: string[], dst: string | null, op: SetOp): void {
  const sets: (SetObject | null)[] = [];
  // The result is built as an intset, except for a plain SUNION/SDIFF over some non-intset
  // set, where Valkey goes straight to a hashtable.
  let resultEncoding: 'intset' | 'hashtable' = 'intset';
  let sameAsFirst = false;
  for (let j = 0; j < keys.length; j++) {
    const set = readSet(c, keys[j]);
    if (set === null) return;
    if (set === undefined) {
      sets.push(null);
      continue;
    }
    if (dst === null && set.encoding() !== 'intset') resultEncoding = 'hashtable';
    if (j > 0 && set === sets[0]) sameAsFirst = true;
    sets.push(set);
  }
  const lim = limits(c);
  const result = SetObject.empty(resultEncoding);
  if (op === SetOp.Union) {
    for (const set of sets) set?.forEach((m) => result.add(m, lim));
  } else if (sets[0] !== null && !sameAsFirst) {
    if (chooseDiffAlgorithm(sets) === 1) diffByLookup(sets, result, lim);
    else diffBySubtraction(sets, result, lim);
  }
  if (dst === null) {
    c.reply.set(result.length);
    result.forEach((m) => c.reply.bulk(m));
    return;
  }
  storeResult(c, dst, result, op === SetOp.Union ? 'sunionstore' : 'sdiffstore');
}

/**
 * Valkey's choice between its two SDIFF algorithms: 1 (test each member of the first set
 * against the others, O(N*M)) unless half its work exceeds that of 2 (add the first set,
 * remove every other, O(total)). Both give the same members; the encoding of a stored result
 * can differ, as in Valkey, since algorithm 2 may grow the result past a threshold first.
 */
function chooseDiffAlgorithm(sets: (SetObject | null)[]): 1 | 2 {
  const firstSize = (sets[0] as SetObject).length;
  let one = 0;
  let two = 0;
  for (const set of sets) {
    if (set === null) continue;
    one += firstSize;
    two += set.length;
  }
  return Math.floor(one / 2) <= two ? 1 : 2;
}

function diffByLookup(sets: (SetObject | null)[], result: SetObject, lim: TypeLimits): void {
  // Larger sets first: a member present elsewhere is found sooner.
  const first = sets[0] as SetObject;
  const others = sets.slice(1).filter((s): s is SetObject => s !== null);
  others.sort((a, b) => b.length - a.length);
  first.forEach((m) => {
    for (const s of others) if (s.has(m)) return;
    result.add(m, lim);
  });
}

function diffBySubtraction(sets: (SetObject | null)[], result: SetObject, lim: TypeLimits): void {
  (sets[0] as SetObject).forEach((m) => result.add(m, lim));
  for (let j = 1; j < sets.length && result.length > 0; j++) {
    sets[j]?.forEach((m) => result.remove(m));
  }
}

function sunion(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, SetOp.Union);
}

function sunionstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1], SetOp.Union);
}

function sdiff(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, SetOp.Diff);
}

function sdiffstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1], SetOp.Diff);
}

// ---------------------------------------------------------------------------------------------
// SSCAN
// ---------------------------------------------------------------------------------------------

function sscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error('ERR invalid cursor');
    return;
  }
  // The key is looked up before the options are parsed: a missing key ignores them.
  const set = readSet(c, argv[1]);
  if (set === null) return;
  if (set === undefined) {
    c.reply.array(2);
    c.reply.bulk('0');
    c.reply.array(0);
    return;
  }
  const opts = parseScanOptions(c, argv, 3, 'set');
  if (opts === null) return;
  const matches = opts.pattern === null ? null : compileGlob(opts.pattern);
  const found: string[] = [];
  // Intset and listpack sets come back whole with cursor 0; a hashtable walks COUNT members.
  const next = set.scan(cursor, opts.count, (m) => {
    if (matches === null || matches(m)) found.push(m);
  });
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(found.length);
  replyMembers(c, found);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const STORE_ARGS: ArgDoc[] = [
  { name: 'destination', type: 'key', key_spec_index: 0 },
  { name: 'key', type: 'key', key_spec_index: 1, multiple: true },
];
const MEMBER: ArgDoc = { name: 'member', type: 'string' };
const MEMBERS: ArgDoc = { name: 'member', type: 'string', multiple: true };
const ORDER_TIP = ['nondeterministic_output_order'];

export const setCommands: CommandDef[] = [
  {
    name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RW', 'INSERT')], handler: sadd,
    summary: 'Adds members to a set, creating the key when it is missing.', since: '1.0.0', group: 'set',
    complexity: 'O(1) per member added: O(N) for N members.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']], args: [KEY, MEMBERS],
  },
  {
    name: 'srem', arity: -3, flags: ['write', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RW', 'DELETE')], handler: srem,
    summary: 'Removes members from a set, deleting the key when it empties.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the number of members to remove.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']], args: [KEY, MEMBERS],
  },
  {
    name: 'smembers', arity: 2, flags: ['readonly'], acl: ['set'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: sinter,
    summary: 'Returns every member of a set.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the number of members of the set.', tips: ORDER_TIP, args: [KEY],
  },
  {
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RO')], handler: sismember,
    summary: 'Tells whether a value is a member of a set.', since: '1.0.0', group: 'set', complexity: 'O(1)', args: [KEY, MEMBER],
  },
  {
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: smismember,
    summary: 'Tells, for each of several values, whether it is a member of a set.', since: '6.2.0', group: 'set',
    complexity: 'O(N) where N is the number of values checked.', args: [KEY, MEMBERS],
  },
  {
    name: 'scard', arity: 2, flags: ['readonly', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RO')], handler: scard,
    summary: 'Returns the number of members of a set.', since: '1.0.0', group: 'set', complexity: 'O(1)', args: [KEY],
  },
  {
    name: 'spop', arity: -2, flags: ['write', 'fast'], acl: ['set'], keySpecs: [ks.one(1, 'RW', 'ACCESS', 'DELETE')], handler: spop,
    summary: 'Removes and returns random members of a set, deleting the key when it empties.', since: '1.0.0', group: 'set',
    complexity: 'O(1) without a count; O(N) with a count of N.',
    history: [['3.2.0', 'Added the `count` argument.']], tips: ['nondeterministic_output'],
    args: [KEY, { name: 'count', type: 'integer', optional: true, since: '3.2.0' }],
  },
  {
    name: 'srandmember', arity: -2, flags: ['readonly'], acl: ['set'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: srandmember,
    summary: 'Returns random members of a set without removing them.', since: '1.0.0', group: 'set',
    complexity: 'O(1) without a count; O(N) with a count whose absolute value is N.',
    history: [['2.6.0', 'Added the optional `count` argument.']], tips: ['nondeterministic_output'],
    args: [KEY, { name: 'count', type: 'integer', optional: true, since: '2.6.0' }],
  },
  {
    name: 'smove', arity: 4, flags: ['write', 'fast'], acl: ['set'], handler: smove,
    keySpecs: [ks.one(1, 'RW', 'ACCESS', 'DELETE'), ks.one(2, 'RW', 'INSERT')],
    summary: 'Moves a member from one set to another.', since: '1.0.0', group: 'set', complexity: 'O(1)',
    args: [
      { name: 'source', type: 'key', key_spec_index: 0 },
      { name: 'destination', type: 'key', key_spec_index: 1 },
      MEMBER,
    ],
  },
  {
    name: 'sinter', arity: -2, flags: ['readonly'], acl: ['set'], keySpecs: [ks.rest(1, 1, 'RO', 'ACCESS')], handler: sinter,
    summary: 'Returns the members common to every given set.', since: '1.0.0', group: 'set',
    complexity: 'O(N*M) at worst, N being the size of the smallest set and M the number of sets.', tips: ORDER_TIP, args: [KEYS],
  },
  {
    name: 'sintercard', arity: -3, flags: ['readonly'], acl: ['set'], keySpecs: [ks.numkeys(1, 'RO', 'ACCESS')], handler: sintercard,
    summary: 'Counts the members common to every given set, optionally up to a limit.', since: '7.0.0', group: 'set',
    complexity: 'O(N*M) at worst, N being the size of the smallest set and M the number of sets.',
    args: [{ name: 'numkeys', type: 'integer' }, KEYS, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
  },
  {
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], acl: ['set'], handler: sinterstore,
    keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.rest(2, 1, 'RO', 'ACCESS')],
    summary: 'Stores the intersection of sets in a key.', since: '1.0.0', group: 'set',
    complexity: 'O(N*M) at worst, N being the size of the smallest set and M the number of sets.', args: STORE_ARGS,
  },
  {
    name: 'sunion', arity: -2, flags: ['readonly'], acl: ['set'], keySpecs: [ks.rest(1, 1, 'RO', 'ACCESS')], handler: sunion,
    summary: 'Returns the members of the union of sets.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of members of the given sets.', tips: ORDER_TIP, args: [KEYS],
  },
  {
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], acl: ['set'], handler: sunionstore,
    keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.rest(2, 1, 'RO', 'ACCESS')],
    summary: 'Stores the union of sets in a key.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of members of the given sets.', args: STORE_ARGS,
  },
  {
    name: 'sdiff', arity: -2, flags: ['readonly'], acl: ['set'], keySpecs: [ks.rest(1, 1, 'RO', 'ACCESS')], handler: sdiff,
    summary: 'Returns the members of the first set that are in none of the others.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of members of the given sets.', tips: ORDER_TIP, args: [KEYS],
  },
  {
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], acl: ['set'], handler: sdiffstore,
    keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.rest(2, 1, 'RO', 'ACCESS')],
    summary: 'Stores the difference of sets in a key.', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of members of the given sets.', args: STORE_ARGS,
  },
  {
    name: 'sscan', arity: -3, flags: ['readonly'], acl: ['set'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: sscan,
    summary: 'Walks the members of a set incrementally with a cursor.', since: '2.8.0', group: 'set',
    complexity: 'O(1) per call; O(N) for a complete iteration over N members.', tips: ['nondeterministic_output'],
    args: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
];
