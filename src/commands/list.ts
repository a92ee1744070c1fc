// List commands (Valkey's t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
// LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP and the blocking BLPOP BRPOP BLMOVE BRPOPLPUSH
// BLMPOP.
//
// The data structure and its encoding rules live in types/list.ts; this file holds what Valkey
// does around it: argument checks in Valkey's order, replies, keyspace events, WATCH signals,
// dirty counts, what gets propagated (a served blocking pop goes out as the pop it did), and
// blocking through server/blocking.ts.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { WRONGTYPE, SYNTAX_ERR, NOT_INTEGER, OUT_OF_RANGE, NO_SUCH_KEY, dirty, is, blockTimeoutArg, rangeLongArg, parseMpopArgs } from './util';
import { notify, signalModified, parseExactInt } from './string';
import { ListObject } from '../types/list';
import { typeLimits } from '../types/limitsCache';
import type { TypeLimits } from '../types/limits';
import { registerValueDigest, mixElements } from '../util/digest';
import '../persistence/rdb/listRdb';

// DEBUG DIGEST: a list mixes its elements in order, head to tail.
registerValueDigest('list', (d, v) => {
  mixElements(d, (v as ListObject).toArray());
});

const LONG_MAX = (1n << 63n) - 1n;
const POSITIVE_ERR = 'ERR value is out of range, must be positive';
const RANK_ZERO_ERR =
  'ERR RANK can\'t be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list';

function limits(c: Client): TypeLimits {
  return typeLimits(c.server);
}

// ---------------------------------------------------------------------------------------------
// Argument parsing (getLongFromObjectOrReply and friends, 64-bit `long`)
// ---------------------------------------------------------------------------------------------

/** getLongFromObjectOrReply: any 64-bit integer (indexes are then compared with lengths). */
function longArg(c: Client, s: string): number | null {
  const v = parseExactInt(s);
  if (v === null) {
    c.error(NOT_INTEGER);
    return null;
  }
  return Number(v);
}

/** getPositiveLongFromObjectOrReply: 0..LONG_MAX; `msg` for every failure. */
function positiveArg(c: Client, s: string, msg = POSITIVE_ERR): number | null {
  return rangeLongArg(c, s, 0n, LONG_MAX, msg);
}

/** LEFT / RIGHT: true for the head. Null after a syntax error. */
function whereArg(c: Client, s: string): boolean | null {
  if (is(s, 'left')) return true;
  if (is(s, 'right')) return false;
  c.error(SYNTAX_ERR);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Lookups and shared effects
// ---------------------------------------------------------------------------------------------

/** lookupKeyRead + checkType: undefined when missing, null after replying WRONGTYPE. */
function readList(c: Client, key: string): ListObject | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** lookupKeyWrite + checkType (the value may then be changed in place). */
function writeList(c: Client, key: string): ListObject | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListObject)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/**
 * listElementsRemoved: after popping `count` elements from one end, the pop event, the key's
 * deletion when it emptied (or the shrinking conversion), the WATCH signal and dirty.
 */
function elementsRemoved(c: Client, key: string, head: boolean, list: ListObject, count: number): void {
  notify(c, 'l', head ? 'lpop' : 'rpop', key);
  if (list.length === 0) {
    c.db.delete(key); // signals the modification itself
    notify(c, 'g', 'del', key);
  } else {
    list.tryConvertAfterShrink(limits(c));
    signalModified(c, key);
  }
  dirty(c, count);
}

/** Timeout reply of every blocking list command (also BLMOVE: a null array, as Valkey). */
function replyTimeout(c: Client): void {
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------------------------
// LPUSH RPUSH LPUSHX RPUSHX
// ---------------------------------------------------------------------------------------------

function pushGeneric(c: Client, argv: string[], head: boolean, onlyExisting: boolean): void {
  const key = argv[1];
  const found = writeList(c, key);
  if (found === null) return;
  let list = found;
  if (list === undefined) {
    if (onlyExisting) {
      c.reply.int(0);
      return;
    }
    list = new ListObject();
    c.db.add(key, list);
  }
  const length = list.pushValues(argv, 2, head, limits(c));
  dirty(c, argv.length - 2);
  signalModified(c, key);
  notify(c, 'l', head ? 'lpush' : 'rpush', key);
  c.reply.int(length);
}

// ---------------------------------------------------------------------------------------------
// LPOP RPOP LMPOP
// ---------------------------------------------------------------------------------------------

function popGeneric(c: Client, argv: string[], head: boolean): void {
  const hasCount = argv.length === 3;
  if (argv.length > 3) {
    c.error(`ERR wrong number of arguments for '${argv[0].toLowerCase()}' command`);
    return;
  }
  let count = 0;
  if (hasCount) {
    const n = positiveArg(c, argv[2]);
    if (n === null) return;
    count = n;
  }
  const key = argv[1];
  const list = writeList(c, key);
  if (list === null) return;
  if (list === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (hasCount && count === 0) {
    c.reply.array(0);
    return;
  }
  if (!hasCount) {
    const value = list.pop(head) as string;
    elementsRemoved(c, key, head, list, 1);
    c.reply.bulk(value);
    return;
  }
  const items = takeRange(list, head, count);
  c.reply.bulkArray(items);
  elementsRemoved(c, key, head, list, items.length);
}

/** Remove up to `count` elements from one end, returned in pop order (no conversion yet). */
function takeRange(list: ListObject, head: boolean, count: number): string[] {
  const n = Math.min(count, list.length);
  const items = head ? list.range(0, n - 1) : list.range(list.length - n, list.length - 1, true);
  list.deleteRange(head ? 0 : -n, n);
  return items;
}

/**
 * Pop up to `count` elements from the first non-empty list of `keys`, replying [key, [elements]]
 * and propagating it as LPOP/RPOP key count. Returns false (nothing replied) when every key is
 * missing, true when it replied (elements or WRONGTYPE).
 */
function popFromFirstList(c: Client, keys: readonly string[], head: boolean, count: number): boolean {
  for (const key of keys) {
    const list = writeList(c, key);
    if (list === null) return true;
    if (list === undefined || list.length === 0) continue;
    const items = takeRange(list, head, count);
    c.reply.array(2);
    c.reply.bulk(key);
    c.reply.bulkArray(items);
    elementsRemoved(c, key, head, list, items.length);
    c.propagateArgv = [head ? 'LPOP' : 'RPOP', key, String(items.length)];
    return true;
  }
  return false;
}

function lmpop(c: Client, argv: string[]): void {
  const args = parseMpopArgs(c, argv, 1, ['left', 'right']);
  if (args === null) return;
  if (!popFromFirstList(c, args.keys, !args.secondEnd, args.count)) c.reply.nullArray();
}

// ---------------------------------------------------------------------------------------------
// LLEN LRANGE LINDEX LPOS
// ---------------------------------------------------------------------------------------------

function llen(c: Client, argv: string[]): void {
  const list = readList(c, argv[1]);
  if (list === null) return;
  c.reply.int(list === undefined ? 0 : list.length);
}

function lrange(c: Client, argv: string[]): void {
  let start = longArg(c, argv[2]);
  if (start === null) return;
  let end = longArg(c, argv[3]);
  if (end === null) return;
  const list = readList(c, argv[1]);
  if (list === null) return;
  if (list === undefined) {
    c.reply.array(0);
    return;
  }
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  c.reply.array(end - start + 1);
  replyRange(c, list, start, end - start + 1);
}

/** Reply `count` elements from `start` as bulk strings (the array header is the caller's). */
function replyRange(c: Client, list: ListObject, start: number, count: number): void {
  list.visit(start, count, false, (v) => c.reply.bulk(v));
}

function lindex(c: Client, argv: string[]): void {
  const list = readList(c, argv[1]);
  if (list === null) return;
  if (list === undefined) {
    c.reply.nullBulk();
    return;
  }
  const index = longArg(c, argv[2]);
  if (index === null) return;
  c.reply.bulkOrNull(list.index(index));
}

function lpos(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1; // -1: COUNT not given
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const more = j + 1 < argv.length;
    if (is(opt, 'rank') && more) {
      const n = rangeLongArg(c, argv[++j], -LONG_MAX, LONG_MAX);
      if (n === null) return;
      if (n === 0) {
        c.error(RANK_ZERO_ERR);
        return;
      }
      rank = n;
    } else if (is(opt, 'count') && more) {
      const n = positiveArg(c, argv[++j], "ERR COUNT can't be negative");
      if (n === null) return;
      count = n;
    } else if (is(opt, 'maxlen') && more) {
      const n = positiveArg(c, argv[++j], "ERR MAXLEN can't be negative");
      if (n === null) return;
      maxlen = n;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  const list = readList(c, argv[1]);
  if (list === null) return;
  if (list === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.nullBulk();
    return;
  }
  const found = list.positions(argv[2], rank, count === -1 ? 1 : count, maxlen);
  if (count !== -1) {
    c.reply.array(found.length);
    for (const i of found) c.reply.int(i);
  } else if (found.length > 0) {
    c.reply.int(found[0]);
  } else {
    c.reply.nullBulk();
  }
}

// ---------------------------------------------------------------------------------------------
// LSET LINSERT LREM LTRIM
// ---------------------------------------------------------------------------------------------

function lset(c: Client, argv: string[]): void {
  const key = argv[1];
  const list = writeList(c, key);
  if (list === null) return;
  if (list === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const index = longArg(c, argv[2]);
  if (index === null) return;
  if (!list.lset(index, argv[3], limits(c))) {
    c.error(OUT_OF_RANGE);
    return;
  }
  signalModified(c, key);
  notify(c, 'l', 'lset', key);
  dirty(c);
  c.reply.ok();
}

function linsert(c: Client, argv: string[]): void {
  let after: boolean;
  if (is(argv[2], 'after')) after = true;
  else if (is(argv[2], 'before')) after = false;
  else {
    c.error(SYNTAX_ERR);
    return;
  }
  const key = argv[1];
  const list = writeList(c, key);
  if (list === null) return;
  if (list === undefined) {
    c.reply.int(0);
    return;
  }
  if (!list.linsert(argv[3], argv[4], after, limits(c))) {
    c.reply.int(-1);
    return;
  }
  signalModified(c, key);
  notify(c, 'l', 'linsert', key);
  dirty(c);
  c.reply.int(list.length);
}

function lrem(c: Client, argv: string[]): void {
  const count = rangeLongArg(c, argv[2], -LONG_MAX, LONG_MAX);
  if (count === null) return;
  const key = argv[1];
  const list = writeList(c, key);
  if (list === null) return;
  if (list === undefined) {
    c.reply.int(0);
    return;
  }
  const removed = list.lrem(argv[3], count, limits(c));
  if (removed > 0) {
    notify(c, 'l', 'lrem', key);
    if (list.length === 0) {
      c.db.delete(key);
      notify(c, 'g', 'del', key);
    } else {
      signalModified(c, key);
    }
    dirty(c, removed);
  }
  c.reply.int(removed);
}

function ltrim(c: Client, argv: string[]): void {
  const start = longArg(c, argv[2]);
  if (start === null) return;
  const end = longArg(c, argv[3]);
  if (end === null) return;
  const key = argv[1];
  const list = writeList(c, key);
  if (list === null) return;
  if (list === undefined) {
    c.reply.ok();
    return;
  }
  const removed = list.ltrim(start, end, limits(c));
  notify(c, 'l', 'ltrim', key);
  if (list.length === 0) {
    c.db.delete(key);
    notify(c, 'g', 'del', key);
  } else if (removed > 0) {
    signalModified(c, key);
  }
  dirty(c, removed);
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------
// LMOVE RPOPLPUSH
// ---------------------------------------------------------------------------------------------

/**
 * lmoveGenericCommand: pop from argv[1], push to argv[2], reply the element. The push side
 * (and its event) comes before the pop side's events, as in Valkey. True when it moved one.
 */
function moveGeneric(c: Client, argv: string[], fromHead: boolean, toHead: boolean): boolean {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const src = writeList(c, srcKey);
  if (src === null) return false;
  if (src === undefined || src.length === 0) {
    c.reply.nullBulk();
    return false;
  }
  const dst = writeList(c, dstKey);
  if (dst === null) return false;
  const value = src.pop(fromHead) as string;
  pushMoved(c, dstKey, dst, value, toHead);
  elementsRemoved(c, srcKey, fromHead, src, 1);
  return true;
}

/** lmoveHandlePush: the destination side of LMOVE (created when missing). */
function pushMoved(c: Client, key: string, found: ListObject | undefined, value: string, head: boolean): void {
  let list = found;
  if (list === undefined) {
    list = new ListObject();
    c.db.add(key, list);
  }
  list.pushOne(value, head, limits(c));
  signalModified(c, key);
  notify(c, 'l', head ? 'lpush' : 'rpush', key);
  c.reply.bulk(value);
}

function lmove(c: Client, argv: string[]): void {
  const from = whereArg(c, argv[3]);
  if (from === null) return;
  const to = whereArg(c, argv[4]);
  if (to === null) return;
  moveGeneric(c, argv, from, to);
}

function rpoplpush(c: Client, argv: string[]): void {
  moveGeneric(c, argv, false, true);
}

// ---------------------------------------------------------------------------------------------
// Blocking: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH
// ---------------------------------------------------------------------------------------------

/**
 * blockingPopGenericCommand. `count` -1: a single element replied as [key, element] and
 * propagated as LPOP/RPOP key; otherwise BLMPOP's [key, [elements]] (LPOP/RPOP key count).
 * When nothing can be served the client blocks (or, where it may not, gets the timeout reply).
 * On a re-run for a blocked client the same code serves it or leaves it blocked.
 */
function blockingPop(c: Client, keys: string[], head: boolean, timeoutArg: string, count: number): void {
  const timeout = blockTimeoutArg(c, timeoutArg);
  if (timeout === null) return;
  const blocking = c.server.blocking;
  if (count !== -1) {
    if (popFromFirstList(c, keys, head, count)) {
      blocking.markServed();
      return;
    }
  } else {
    for (const key of keys) {
      const list = writeList(c, key);
      if (list === null) {
        blocking.markServed();
        return;
      }
      if (list === undefined || list.length === 0) continue;
      const value = list.pop(head) as string;
      elementsRemoved(c, key, head, list, 1);
      c.reply.array(2);
      c.reply.bulk(key);
      c.reply.bulk(value);
      c.propagateArgv = [head ? 'LPOP' : 'RPOP', key];
      blocking.markServed();
      return;
    }
  }
  if (!blocking.canBlock(c)) {
    replyTimeout(c);
    return;
  }
  blocking.block(c, keys, timeout, replyTimeout);
}

function blpop(c: Client, argv: string[]): void {
  blockingPop(c, argv.slice(1, -1), true, argv[argv.length - 1], -1);
}

function brpop(c: Client, argv: string[]): void {
  blockingPop(c, argv.slice(1, -1), false, argv[argv.length - 1], -1);
}

function blmpop(c: Client, argv: string[]): void {
  const args = parseMpopArgs(c, argv, 2, ['left', 'right']);
  if (args === null) return;
  blockingPop(c, args.keys, !args.secondEnd, argv[1], args.count);
}

/** blmoveGenericCommand: LMOVE when the source has elements, else block on the source. */
function blockingMove(c: Client, argv: string[], fromHead: boolean, toHead: boolean, timeout: number, rewrite: string[]): void {
  const src = writeList(c, argv[1]);
  if (src === null) {
    c.server.blocking.markServed();
    return;
  }
  if (src !== undefined) {
    // Propagated as the non-blocking command; the reply (element or error) serves the client.
    if (moveGeneric(c, argv, fromHead, toHead)) c.propagateArgv = rewrite;
    c.server.blocking.markServed();
    return;
  }
  if (!c.server.blocking.canBlock(c)) {
    c.reply.nullBulk();
    return;
  }
  c.server.blocking.block(c, [argv[1]], timeout, replyTimeout);
}

function blmove(c: Client, argv: string[]): void {
  const from = whereArg(c, argv[3]);
  if (from === null) return;
  const to = whereArg(c, argv[4]);
  if (to === null) return;
  const timeout = blockTimeoutArg(c, argv[5]);
  if (timeout === null) return;
  blockingMove(c, argv, from, to, timeout, ['LMOVE', argv[1], argv[2], argv[3], argv[4]]);
}

function brpoplpush(c: Client, argv: string[]): void {
  const timeout = blockTimeoutArg(c, argv[3]);
  if (timeout === null) return;
  blockingMove(c, argv, false, true, timeout, ['RPOPLPUSH', argv[1], argv[2]]);
}

// ---------------------------------------------------------------------------------------------
// The command table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const ELEMENTS: ArgDoc = { name: 'element', type: 'string', multiple: true };
const SIDE = (name: string): ArgDoc => ({
  name,
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
});
const MOVE_ARGS: ArgDoc[] = [
  { name: 'source', type: 'key', key_spec_index: 0 },
  { name: 'destination', type: 'key', key_spec_index: 1 },
  SIDE('wherefrom'),
  SIDE('whereto'),
];
const MPOP_ARGS: ArgDoc[] = [
  { name: 'numkeys', type: 'integer' },
  KEYS,
  SIDE('where'),
  { name: 'count', type: 'integer', token: 'COUNT', optional: true },
];
const TIMEOUT: ArgDoc = { name: 'timeout', type: 'double' };
const TIMEOUT_HISTORY: [string, string][] = [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']];

const PUSH_SPEC = [ks.one(1, 'RW', 'INSERT')];
const POP_SPEC = [ks.one(1, 'RW', 'ACCESS', 'DELETE')];
const MOVE_SPECS = [ks.one(1, 'RW', 'ACCESS', 'DELETE'), ks.one(2, 'RW', 'INSERT')];
const PUSH_COMPLEXITY = 'O(1) per element added: O(N) for N elements.';
const MPOP_COMPLEXITY = 'O(N+M) for N keys given and M elements returned.';

export const listCommands: CommandDef[] = [
  {
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'], keySpecs: PUSH_SPEC,
    handler: (c, argv) => pushGeneric(c, argv, true, false),
    summary: 'Adds elements to the head of a list, creating the list if needed.', since: '1.0.0', group: 'list',
    complexity: PUSH_COMPLEXITY, history: [['2.4.0', 'Takes several `element` arguments.']], args: [KEY, ELEMENTS],
  },
  {
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'], keySpecs: PUSH_SPEC,
    handler: (c, argv) => pushGeneric(c, argv, false, false),
    summary: 'Adds elements to the tail of a list, creating the list if needed.', since: '1.0.0', group: 'list',
    complexity: PUSH_COMPLEXITY, history: [['2.4.0', 'Takes several `element` arguments.']], args: [KEY, ELEMENTS],
  },
  {
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'], keySpecs: PUSH_SPEC,
    handler: (c, argv) => pushGeneric(c, argv, true, true),
    summary: 'Adds elements to the head of a list, only when the list exists.', since: '2.2.0', group: 'list',
    complexity: PUSH_COMPLEXITY, history: [['4.0.0', 'Takes several `element` arguments.']], args: [KEY, ELEMENTS],
  },
  {
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'], keySpecs: PUSH_SPEC,
    handler: (c, argv) => pushGeneric(c, argv, false, true),
    summary: 'Adds elements to the tail of a list, only when the list exists.', since: '2.2.0', group: 'list',
    complexity: PUSH_COMPLEXITY, history: [['4.0.0', 'Takes several `element` arguments.']], args: [KEY, ELEMENTS],
  },
  {
    name: 'lpop', arity: -2, flags: ['write', 'fast'], acl: ['list'], keySpecs: POP_SPEC,
    handler: (c, argv) => popGeneric(c, argv, true),
    summary: 'Removes and returns the first elements of a list; the key goes when the list empties.', since: '1.0.0',
    group: 'list', complexity: 'O(N) for N elements returned.', history: [['6.2.0', 'The `count` argument was added.']],
    args: [KEY, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }],
  },
  {
    name: 'rpop', arity: -2, flags: ['write', 'fast'], acl: ['list'], keySpecs: POP_SPEC,
    handler: (c, argv) => popGeneric(c, argv, false),
    summary: 'Removes and returns the last elements of a list; the key goes when the list empties.', since: '1.0.0',
    group: 'list', complexity: 'O(N) for N elements returned.', history: [['6.2.0', 'The `count` argument was added.']],
    args: [KEY, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }],
  },
  {
    name: 'lmpop', arity: -4, flags: ['write'], acl: ['list'], keySpecs: [ks.numkeys(1, 'RW', 'ACCESS', 'DELETE')], handler: lmpop,
    summary: 'Removes and returns elements from the first non-empty list of several.', since: '7.0.0', group: 'list',
    complexity: MPOP_COMPLEXITY, args: MPOP_ARGS,
  },
  {
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], acl: ['list'], keySpecs: [ks.one(1, 'RO')], handler: llen,
    summary: 'Returns the number of elements of a list.', since: '1.0.0', group: 'list', complexity: 'O(1)', args: [KEY],
  },
  {
    name: 'lrange', arity: 4, flags: ['readonly'], acl: ['list'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: lrange,
    summary: 'Returns the elements of a list between two indexes.', since: '1.0.0', group: 'list',
    complexity: 'O(S+N): S to reach the start offset (from the nearer end on large lists), N elements returned.',
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  },
  {
    name: 'lindex', arity: 3, flags: ['readonly'], acl: ['list'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: lindex,
    summary: 'Returns the element of a list at an index.', since: '1.0.0', group: 'list',
    complexity: 'O(N) for the N elements walked to reach the index; O(1) for the first and last.',
    args: [KEY, { name: 'index', type: 'integer' }],
  },
  {
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], acl: ['list'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: lset,
    summary: 'Replaces the element of a list at an index.', since: '1.0.0', group: 'list',
    complexity: 'O(N) for a list of N elements; O(1) for the first and last.',
    args: [KEY, { name: 'index', type: 'integer' }, { name: 'element', type: 'string' }],
  },
  {
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], acl: ['list'], keySpecs: [ks.one(1, 'RW', 'INSERT')], handler: linsert,
    summary: 'Inserts an element before or after the first occurrence of a pivot element.', since: '2.2.0', group: 'list',
    complexity: 'O(N) for the N elements walked before the pivot is found.',
    args: [
      KEY,
      { name: 'where', type: 'oneof', arguments: [{ name: 'before', type: 'pure-token', token: 'BEFORE' }, { name: 'after', type: 'pure-token', token: 'AFTER' }] },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
  },
  {
    name: 'lrem', arity: 4, flags: ['write'], acl: ['list'], keySpecs: [ks.one(1, 'RW', 'DELETE')], handler: lrem,
    summary: 'Removes occurrences of an element from a list; the key goes when the list empties.', since: '1.0.0', group: 'list',
    complexity: 'O(N+M) for a list of N elements and M elements removed.',
    args: [KEY, { name: 'count', type: 'integer' }, { name: 'element', type: 'string' }],
  },
  {
    name: 'ltrim', arity: 4, flags: ['write'], acl: ['list'], keySpecs: [ks.one(1, 'RW', 'DELETE')], handler: ltrim,
    summary: 'Keeps only the elements of a list between two indexes; the key goes when nothing is left.', since: '1.0.0',
    group: 'list', complexity: 'O(N) for N elements removed.',
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  },
  {
    name: 'lpos', arity: -3, flags: ['readonly'], acl: ['list'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: lpos,
    summary: 'Returns the indexes of the elements of a list equal to a value.', since: '6.0.6', group: 'list',
    complexity: 'O(N) for a list of N elements in general; close to O(1) for matches near the start of the search or with MAXLEN.',
    args: [
      KEY,
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', optional: true },
      { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
      { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
    ],
  },
  {
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], acl: ['list'], keySpecs: MOVE_SPECS, handler: lmove,
    summary: 'Pops an element from one end of a list and pushes it to an end of another list; returns it.', since: '6.2.0',
    group: 'list', complexity: 'O(1)', args: MOVE_ARGS,
  },
  {
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], acl: ['list'], keySpecs: MOVE_SPECS, handler: rpoplpush,
    summary: 'Pops the last element of a list and pushes it to the head of another list; returns it.', since: '1.2.0',
    group: 'list', complexity: 'O(1)', docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    args: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }],
  },
  {
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], acl: ['list'], keySpecs: [ks.allButLast(1, 'RW', 'ACCESS', 'DELETE')],
    handler: blpop,
    summary: 'Removes and returns the first element of the first non-empty list of several, or blocks until one has one.',
    since: '2.0.0', group: 'list', complexity: 'O(N) for N keys given.', history: TIMEOUT_HISTORY, args: [KEYS, TIMEOUT],
  },
  {
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], acl: ['list'], keySpecs: [ks.allButLast(1, 'RW', 'ACCESS', 'DELETE')],
    handler: brpop,
    summary: 'Removes and returns the last element of the first non-empty list of several, or blocks until one has one.',
    since: '2.0.0', group: 'list', complexity: 'O(N) for N keys given.', history: TIMEOUT_HISTORY, args: [KEYS, TIMEOUT],
  },
  {
    name: 'blmpop', arity: -5, flags: ['write', 'blocking'], acl: ['list'], keySpecs: [ks.numkeys(2, 'RW', 'ACCESS', 'DELETE')], handler: blmpop,
    summary: 'Removes and returns elements from the first non-empty list of several, or blocks until one has some.',
    since: '7.0.0', group: 'list', complexity: MPOP_COMPLEXITY, args: [TIMEOUT, ...MPOP_ARGS],
  },
  {
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], acl: ['list'], keySpecs: MOVE_SPECS, handler: blmove,
    summary: 'Pops an element from a list and pushes it to another list, or blocks until the source has one; returns it.',
    since: '6.2.0', group: 'list', complexity: 'O(1)', args: [...MOVE_ARGS, TIMEOUT],
  },
  {
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], acl: ['list'], keySpecs: MOVE_SPECS,
    handler: brpoplpush,
    summary: 'Pops the last element of a list and pushes it to the head of another, or blocks until the source has one.',
    since: '2.2.0', group: 'list', complexity: 'O(1)', docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments', history: TIMEOUT_HISTORY,
    args: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, TIMEOUT],
  },
];

