// SORT and SORT_RO (Valkey's sort.c): sort the elements of a list, set or sorted set
// numerically or lexically, by themselves or by keys/hash fields named after them (BY), with
// LIMIT, ASC/DESC, GET patterns, and (SORT only) STORE into a list.
//
// Facts of Valkey's behaviour kept here on purpose:
// - BY with a pattern lacking '*' means "don't sort": lists and sorted sets keep their order
//   (DESC walks from the tail), sets their iteration order, except that a set is then sorted
//   ALPHA anyway when the result is stored or the caller is a script (for determinism).
// - Sorted sets are converted to the skiplist encoding by any SORT (Valkey does it destructively).
// - Numeric sort reads every weight with strtod(): trailing garbage, NaN, overflow or underflow
//   is "One or more scores can't be converted into double"; missing weights count as 0; equal
//   weights fall back to comparing the elements' bytes.
// - ALPHA compares bytes (the C locale's strcoll), stopping at a NUL byte unless storing.

import type { ArgDoc, CommandDef } from './table';
import type { Client } from '../server/client';
import type { Value } from '../db/database';
import { SYNTAX_ERR, WRONGTYPE, dirty, is } from './util';
import { notify, parseExactInt, textOf } from './string';
import { ListObject } from '../types/list';
import { SetObject } from '../types/set';
import { ZsetObject } from '../types/zset';
import { HashObject } from '../types/hash';
import { fieldClock } from '../db/fieldExpire';
import { typeLimits } from '../types/limitsCache';
import { parseDoubleStrtod } from '../util/numbers';
import { crc16, keyHashSlot } from '../util/crc16';

const NOT_DOUBLE = "ERR One or more scores can't be converted into double";
const DBL_MIN = 2.2250738585072014e-308;

/** One element being sorted: the element, its numeric weight or its ALPHA comparison string. */
interface SortItem {
  value: string;
  score: number;
  /** BY pattern + ALPHA: the looked-up string, null when missing */
  cmp: string | null;
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  sortBy: string | null;
  dontSort: boolean;
  getPatterns: string[];
  storeKey: string | null;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** The slot every key a pattern can produce hashes to, or -1 when they may differ. */
function patternHashSlot(pattern: string): number {
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' || ch === '?' || ch === '[' || ch === '\\') return -1;
    if (open === -1 && ch === '{') open = i;
    else if (open >= 0 && ch === '}') {
      if (i === open + 1) open = -2; // "{}": the whole key is hashed
      else return crc16(pattern, open + 1, i) & 0x3fff;
    }
  }
  return crc16(pattern) & 0x3fff;
}

/** In cluster mode BY/GET patterns must stay in the sorted key's slot. */
function crossSlotPattern(c: Client, pattern: string, key: string): boolean {
  return c.server.config.bool('cluster-enabled') && patternHashSlot(pattern) !== keyHashSlot(key);
}

/** getLongFromObjectOrReply */
function limitArg(c: Client, s: string): number | null {
  const v = parseExactInt(s);
  if (v === null) {
    c.error('ERR value is not an integer or out of range');
    return null;
  }
  return Number(v);
}

function parseSortOptions(c: Client, argv: string[], readonly: boolean): SortOptions | null {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    sortBy: null,
    dontSort: false,
    getPatterns: [],
    storeKey: null,
  };
  for (let j = 2; j < argv.length; j++) {
    const arg = argv[j];
    const left = argv.length - j - 1;
    if (is(arg, 'asc')) o.desc = false;
    else if (is(arg, 'desc')) o.desc = true;
    else if (is(arg, 'alpha')) o.alpha = true;
    else if (is(arg, 'limit') && left >= 2) {
      const start = limitArg(c, argv[j + 1]);
      if (start === null) return null;
      const count = limitArg(c, argv[j + 2]);
      if (count === null) return null;
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && is(arg, 'store') && left >= 1) {
      o.storeKey = argv[++j];
    } else if (is(arg, 'by') && left >= 1) {
      const pattern = argv[++j];
      o.sortBy = pattern;
      if (!pattern.includes('*')) {
        o.dontSort = true;
      } else if (crossSlotPattern(c, pattern, argv[1])) {
        c.error('ERR BY option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.');
        return null;
      }
    } else if (is(arg, 'get') && left >= 1) {
      const pattern = argv[++j];
      if (crossSlotPattern(c, pattern, argv[1])) {
        c.error('ERR GET option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.');
        return null;
      }
      o.getPatterns.push(pattern);
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Pattern lookups (lookupKeyByPattern)
// ---------------------------------------------------------------------------------------------

/**
 * The value a GET/BY pattern names for `element`: "#" is the element itself; otherwise the
 * first '*' is replaced by the element, and a "->field" after it (non-empty field) reads that
 * field of a hash. Anything missing, of the wrong type, or a pattern without '*' is null.
 */
function lookupByPattern(c: Client, pattern: string, element: string): string | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const v: Value | undefined = c.db.lookupRead(key);
  if (v === undefined) return null;
  if (hasField) {
    if (!(v instanceof HashObject)) return null;
    return v.get(pattern.slice(arrow + 2), fieldClock(c)) ?? null;
  }
  if (typeof v !== 'string' && !Buffer.isBuffer(v)) return null;
  return textOf(v);
}

// ---------------------------------------------------------------------------------------------
// Weights and comparison
// ---------------------------------------------------------------------------------------------

/**
 * strtod() as SORT checks it: the whole C string (up to a NUL) must be consumed, and NaN and
 * ERANGE (overflow of a finite number, or an underflow to a subnormal/zero) are errors.
 */
function sortWeight(s: string): number | null {
  const d = parseDoubleStrtod(s);
  if (d === null || Number.isNaN(d)) return null;
  if (!Number.isFinite(d)) return /^\s*[+-]?inf/i.test(s) ? d : null;
  if (Math.abs(d) < DBL_MIN && /[1-9]/.test(mantissaOf(s))) return null;
  return d;
}

/** The digits before any exponent (hex: before 'p'), to tell an underflow from a real zero. */
function mantissaOf(s: string): string {
  const text = s.split('\0', 1)[0].trim();
  const hex = /^[+-]?0x/i.test(text);
  const body = hex ? text.replace(/^[+-]?0x/i, '') : text;
  const cut = body.search(hex ? /p/i : /e/i);
  return cut < 0 ? body : body.slice(0, cut);
}

/** Byte comparison (compareStringObjects / memcmp then length). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll() in the C locale: bytes up to the first NUL. */
function compareCString(a: string, b: string): number {
  const za = a.indexOf('\0');
  const zb = b.indexOf('\0');
  return compareBytes(za < 0 ? a : a.slice(0, za), zb < 0 ? b : b.slice(0, zb));
}

function comparator(o: SortOptions, byPattern: boolean): (x: SortItem, y: SortItem) => number {
  const store = o.storeKey !== null;
  const text = store ? compareBytes : compareCString;
  let cmp: (x: SortItem, y: SortItem) => number;
  if (!o.alpha) {
    cmp = (x, y) => (x.score > y.score ? 1 : x.score < y.score ? -1 : compareBytes(x.value, y.value));
  } else if (byPattern) {
    cmp = (x, y) => {
      if (x.cmp === null || y.cmp === null) return x.cmp === y.cmp ? 0 : x.cmp === null ? -1 : 1;
      return text(x.cmp, y.cmp);
    };
  } else {
    cmp = (x, y) => text(x.value, y.value);
  }
  return o.desc ? (x, y) => -cmp(x, y) : cmp;
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

type Sortable = ListObject | SetObject | ZsetObject;

function item(value: string): SortItem {
  return { value, score: 0, cmp: null };
}

/** Load the elements to sort; with dontSort lists and zsets load only [start, end], in order. */
function loadItems(source: Sortable, o: SortOptions, start: number, end: number): SortItem[] {
  const items: SortItem[] = [];
  const len = source.length;
  if (source instanceof ListObject) {
    if (!o.dontSort) {
      source.forEach((v) => items.push(item(v)));
    } else if (end >= start) {
      const from = o.desc ? len - start - 1 : start;
      source.visit(from, end - start + 1, o.desc, (v) => items.push(item(v)));
    }
  } else if (source instanceof SetObject) {
    source.forEach((m) => items.push(item(m)));
  } else if (!o.dontSort) {
    source.forEach((m) => items.push(item(m)));
  } else if (end >= start) {
    source.rangeByRank(start, end, o.desc, (m) => items.push(item(m)));
  }
  return items;
}

/** Fill in weights; returns false when one cannot be read as a double (numeric sort only). */
function loadWeights(c: Client, items: SortItem[], o: SortOptions): boolean {
  let ok = true;
  for (const it of items) {
    let by: string | null = it.value;
    if (o.sortBy !== null) {
      by = lookupByPattern(c, o.sortBy, it.value);
      if (by === null) continue;
    }
    if (o.alpha) {
      if (o.sortBy !== null) it.cmp = by;
      continue;
    }
    const w = sortWeight(by);
    if (w === null) ok = false;
    else it.score = w;
  }
  return ok;
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseSortOptions(c, argv, readonly);
  if (o === null) return;
  const found = c.db.lookupRead(argv[1]);
  if (found !== undefined && !(found instanceof ListObject || found instanceof SetObject || found instanceof ZsetObject)) {
    c.error(WRONGTYPE);
    return;
  }
  const source: Sortable = found ?? new ListObject();
  // A set has no order of its own: stored or scripted results are sorted for determinism.
  if (o.dontSort && source instanceof SetObject && (o.storeKey !== null || c.server.blocking.inScript)) {
    o.dontSort = false;
    o.alpha = true;
    o.sortBy = null;
  }
  if (source instanceof ZsetObject) source.toSkiplist();

  const len = source.length;
  let start = Math.min(Math.max(o.limitStart, 0), len);
  const limitCount = Math.min(Math.max(o.limitCount, -1), len);
  let end = limitCount < 0 ? len - 1 : start + limitCount - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  let items = loadItems(source, o, start, end);
  if (o.dontSort && !(source instanceof SetObject)) {
    // Only the range was loaded: the output below starts at 0.
    end -= start;
    start = 0;
  }
  let weightsOk = true;
  if (!o.dontSort) {
    weightsOk = loadWeights(c, items, o);
    items = items.sort(comparator(o, o.sortBy !== null));
  }
  const rows = end - start + 1;
  const outputLen = o.getPatterns.length > 0 ? o.getPatterns.length * rows : rows;
  if (!weightsOk) {
    c.error(NOT_DOUBLE);
    return;
  }
  if (o.storeKey === null) replySorted(c, items, start, end, o, outputLen);
  else storeSorted(c, items, start, end, o, outputLen);
}

function replySorted(c: Client, items: SortItem[], start: number, end: number, o: SortOptions, outputLen: number): void {
  c.reply.array(outputLen);
  for (let j = start; j <= end; j++) {
    const value = items[j].value;
    if (o.getPatterns.length === 0) c.reply.bulk(value);
    for (const p of o.getPatterns) c.reply.bulkOrNull(lookupByPattern(c, p, value));
  }
}

/** STORE: the result as a list (missing GET values as ""), or the destination deleted. */
function storeSorted(c: Client, items: SortItem[], start: number, end: number, o: SortOptions, outputLen: number): void {
  const dst = o.storeKey as string;
  const out: string[] = [];
  for (let j = start; j <= end; j++) {
    const value = items[j].value;
    if (o.getPatterns.length === 0) out.push(value);
    for (const p of o.getPatterns) out.push(lookupByPattern(c, p, value) ?? '');
  }
  const db = c.db;
  if (outputLen > 0) {
    db.lookupWrite(dst); // an expired destination is reclaimed first, as setKey does
    db.setKey(dst, ListObject.from(out, typeLimits(c.server)));
    notify(c, 'l', 'sortstore', dst);
    dirty(c, outputLen);
  } else if (db.delete(dst)) {
    notify(c, 'g', 'del', dst);
    dirty(c);
  }
  c.reply.int(outputLen);
}

// ---------------------------------------------------------------------------------------------
// Keys (sortGetKeys) and the command table
// ---------------------------------------------------------------------------------------------

/** The sorted key, and the last STORE destination (LIMIT/GET/BY arguments are skipped). */
function sortKeys(argv: string[]): [number, string[]][] {
  const keys: [number, string[]][] = [[1, ['RO', 'ACCESS']]];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (is(a, 'limit')) i += 2;
    else if (is(a, 'get') || is(a, 'by')) i += 1;
    else if (is(a, 'store') && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) keys.push([store, ['OW', 'UPDATE']]);
  return keys;
}

const SORT_ARGS: ArgDoc[] = [
  { name: 'key', type: 'key', key_spec_index: 0 },
  { name: 'pattern', type: 'pattern', key_spec_index: 1, token: 'BY', optional: true },
  {
    name: 'offset_count', type: 'block', token: 'LIMIT', optional: true,
    arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }],
  },
  { name: 'pattern', type: 'pattern', key_spec_index: 1, token: 'GET', optional: true, multiple: true, multiple_token: true },
  {
    name: 'order', type: 'oneof', optional: true,
    arguments: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }],
  },
  { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
];

const SORTED_KEY_SPEC = { flags: ['RO', 'ACCESS'], bs: { index: 1 }, fk: { range: { lastkey: 0, step: 1, limit: 0 } } };
const PATTERN_KEY_SPEC = {
  flags: ['RO', 'ACCESS'], bs: { unknown: true as const }, fk: { unknown: true as const },
  notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
};
const STORE_KEY_SPEC = {
  flags: ['OW', 'UPDATE'], bs: { unknown: true as const }, fk: { unknown: true as const },
  notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
};
const SORT_COMPLEXITY =
  'O(N+M*log(M)) for N elements in the list, set or sorted set and M elements returned; O(N) when not sorting.';

export const sortCommands: CommandDef[] = [
  {
    name: 'sort', arity: -2, flags: ['write', 'denyoom'], acl: ['set', 'sortedset', 'list', 'dangerous'],
    keySpecs: [SORTED_KEY_SPEC, PATTERN_KEY_SPEC, STORE_KEY_SPEC], getKeysAndFlags: sortKeys,
    handler: (c, argv) => sortGeneric(c, argv, false),
    summary: 'Sorts the elements of a list, set or sorted set, optionally storing the result as a list.', since: '1.0.0',
    group: 'generic', complexity: SORT_COMPLEXITY,
    args: [...SORT_ARGS, { name: 'destination', type: 'key', key_spec_index: 2, token: 'STORE', optional: true }],
  },
  {
    name: 'sort_ro', arity: -2, flags: ['readonly'], acl: ['set', 'sortedset', 'list', 'dangerous'],
    keySpecs: [SORTED_KEY_SPEC, PATTERN_KEY_SPEC], getKeysAndFlags: () => [[1, ['RO', 'ACCESS']]],
    handler: (c, argv) => sortGeneric(c, argv, true),
    summary: 'Sorts the elements of a list, set or sorted set (the read-only variant of SORT).', since: '7.0.0',
    group: 'generic', complexity: SORT_COMPLEXITY, args: SORT_ARGS,
  },
];
