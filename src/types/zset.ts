// The sorted set type: encodings "listpack" and "skiplist", as in Valkey 9.0 (t_zset.c).
//
// listpack: one packed string of (member key entry, score) pairs sorted by score, then member
//           bytes, plus the count. Scores are packed compactly: an integer (as most scores
//           are) as a tag and a varint, a short decimal (1.5, -0.25) as a tag holding its
//           number of decimals and a varint of its digits, anything else as a tag and the 8
//           IEEE-754 bytes.
// skiplist: Valkey's name for the big encoding. Here a SortedIndex (skiplist.ts: order, ranks
//           and ranges in O(log N), in cache-friendly sorted blocks) plus a KeyTable member ->
//           score (score lookups, and the dense slots that give ZSCAN its guarantee and
//           ZRANDMEMBER its O(1) picks).
//
// Conversions follow zsetAdd / zsetTypeCreate / zsetTypeMaybeConvert /
// zsetConvertToListpackIfNeeded: listpack while at most zset-max-listpack-entries members of at
// most zset-max-listpack-value bytes. Removing never converts back; *STORE commands call
// convertToListpackIfNeeded on their result.
//
// Scores are doubles, never NaN (the caller rejects NaN; add() reports a NaN result of INCR).
// Ordering is by score (-0 equals 0), then member bytes as memcmp.

import { DataObject } from './object';
import { NumberTable, TABLE_BYTES, TABLE_ENTRY_BYTES } from '../db/keytable';
import { TypeLimits, LISTPACK_MAX_SAFE_BYTES } from './limits';
import { SortedIndex } from './skiplist';
import { LexRange, ScoreRange, lexGteMin, lexLteMax, lexRangeEmpty, scoreGteMin, scoreLteMax, scoreRangeEmpty } from './ranges';
import { compareKey, encodeVarint, joinFlat, keyEntry, keyEquals, keyTag, ownString, readKey, readVarint, rPos, skipKey, splice } from './packed';
import { distinctIndexes, randomIndex, sortedDistinctIndexes } from './sample';

// ---- ZADD flags (as Valkey's ZADD_IN_* / ZADD_OUT_*) ----------------------------

export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;

/** The result score is NaN (only possible with INCR): nothing changed. */
export const ZADD_OUT_NAN = 1;
/** NX/XX/GT/LT prevented the operation. */
export const ZADD_OUT_NOP = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

export type ZsetEncoding = 'listpack' | 'skiplist';

export type ZsetVisitor = (member: string, score: number) => void;

// ---------------------------------------------------------------------------
// packed scores
// ---------------------------------------------------------------------------

const SCORE_DOUBLE = 0;
const SCORE_POS_INT = 1;
const SCORE_NEG_INT = 2;
const MAX_PACKED_INT = 2 ** 52;
/** Decimal scores m / 10^k, k = 1..MAX_DECIMALS: tag SCORE_POS_DEC + k - 1 (or NEG), then varint(m). */
const MAX_DECIMALS = 10;
const SCORE_POS_DEC = 3;
const SCORE_NEG_DEC = SCORE_POS_DEC + MAX_DECIMALS;
/** Digits below this take at most 6 varint bytes: the decimal form is then shorter than a double's 8. */
const MAX_DECIMAL_DIGITS = 2 ** 42;
/** Exact powers of ten (every one up to 10^22 is an exact double). */
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, k) => 10 ** k);

const f64 = new Float64Array(1);
const u8 = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A score as the listpack encoding holds it. An integral score loses the sign of a zero, as in
 * Valkey (zzlInsertAt stores integral scores as listpack integers): -0 becomes 0 there, while
 * the skiplist encoding keeps -0.
 */
function encodeScore(score: number): string {
  if (Number.isInteger(score) && Math.abs(score) < MAX_PACKED_INT) {
    return score >= 0
      ? String.fromCharCode(SCORE_POS_INT) + encodeVarint(score)
      : String.fromCharCode(SCORE_NEG_INT) + encodeVarint(-score);
  }
  const decimal = encodeDecimalScore(score);
  if (decimal !== null) return decimal;
  f64[0] = score;
  let s = String.fromCharCode(SCORE_DOUBLE);
  for (let i = 0; i < 8; i++) s += String.fromCharCode(u8[LITTLE_ENDIAN ? 7 - i : i]);
  return s;
}

/**
 * A non-integral score as (digits m, decimals k) when m / 10^k gives back exactly this double:
 * the decoder computes the same correctly rounded division, so the round trip is exact.
 */
function encodeDecimalScore(score: number): string | null {
  const abs = Math.abs(score);
  if (!Number.isFinite(abs)) return null;
  for (let k = 1; k <= MAX_DECIMALS; k++) {
    const digits = Math.round(abs * POW10[k]);
    if (digits >= MAX_DECIMAL_DIGITS) return null;
    if (digits / POW10[k] === abs) return String.fromCharCode((score < 0 ? SCORE_NEG_DEC : SCORE_POS_DEC) + k - 1) + encodeVarint(digits);
  }
  return null;
}

/** Decode the score at `pos`; the next entry's position goes to scoreEnd. */
let scoreEnd = 0;
function decodeScore(lp: string, pos: number): number {
  const tag = lp.charCodeAt(pos);
  if (tag === SCORE_DOUBLE) {
    for (let i = 0; i < 8; i++) u8[LITTLE_ENDIAN ? 7 - i : i] = lp.charCodeAt(pos + 1 + i);
    scoreEnd = pos + 9;
    return f64[0];
  }
  const v = readVarint(lp, pos + 1);
  scoreEnd = rPos;
  if (tag === SCORE_POS_INT) return v;
  if (tag === SCORE_NEG_INT) return -v;
  if (tag < SCORE_NEG_DEC) return v / POW10[tag - SCORE_POS_DEC + 1];
  return -(v / POW10[tag - SCORE_NEG_DEC + 1]);
}

/** Position after the score at `pos`: every form but the double is a tag and a varint. */
function skipScore(lp: string, pos: number): number {
  if (lp.charCodeAt(pos) === SCORE_DOUBLE) return pos + 9;
  readVarint(lp, pos + 1);
  return rPos;
}

function packEntry(member: string, score: number): string {
  return keyEntry(member) + encodeScore(score);
}

/** Positions of the n entries of a packed zset (each at its member). */
function entryPositions(lp: string, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0, p = 0; i < n; i++) {
    out[i] = p;
    p = skipScore(lp, skipKey(lp, p));
  }
  return out;
}

function scoreAt(lp: string, pos: number): number {
  return decodeScore(lp, skipKey(lp, pos));
}

/** Position of `member`'s entry in a packed zset, or -1. */
function findMember(lp: string, member: string): number {
  const tag = keyTag(member);
  for (let p = 0; p < lp.length; ) {
    if (keyEquals(lp, p, member, tag)) return p;
    p = skipScore(lp, rPos);
  }
  return -1;
}

/** Position at which (member, score) belongs in a packed zset (zzlInsert's search). */
function insertPosition(lp: string, member: string, score: number): number {
  for (let p = 0; p < lp.length; ) {
    const s = scoreAt(lp, p);
    if (s > score) return p;
    if (s === score && compareKey(lp, p, member) > 0) return p;
    p = scoreEnd;
  }
  return lp.length;
}

// ---------------------------------------------------------------------------
// memory estimates (V8, pointer compression)
// ---------------------------------------------------------------------------

const OBJECT_BYTES = 32;
/** SortedIndex object and its block arrays */
const INDEX_BYTES = 200;
/** per member in the SortedIndex: a double and a pointer in its block, block overhead */
const INDEX_ENTRY_BYTES = 14;

function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

// ---------------------------------------------------------------------------
// skiplist encoding
// ---------------------------------------------------------------------------

class SortedTable {
  readonly index: SortedIndex;
  readonly dict = new NumberTable();

  constructor(index = new SortedIndex()) {
    this.index = index;
  }

  insert(member: string, score: number): void {
    this.dict.set(member, score);
    this.index.insert(score, member);
  }

  remove(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.index.remove(score, member);
    return true;
  }

  /** Removed from the index by a range delete: drop from the member table too. */
  readonly forget = (member: string): void => {
    this.dict.delete(member);
  };

  /** Ranks [from, to) removed; returns how many. */
  deleteRanks(from: number, to: number): number {
    return this.index.deleteRange(from, to, this.forget);
  }
}

/**
 * Visit the ranks [lo, hi) of a range as ZRANGE BYSCORE/BYLEX LIMIT does on Valkey's skiplist:
 * skip `offset` from the start (or, reversed, from the end) and visit at most `limit` (< 0 = no
 * limit). A negative offset is not refused: as in Valkey 9.0 (zslNthInRange) it counts from the
 * other end of the range, and the walk then goes on in the requested direction.
 */
function visitRanks(index: SortedIndex, lo: number, hi: number, reverse: boolean, offset: number, limit: number, fn: ZsetVisitor): void {
  if (lo >= hi) return;
  const n = reverse ? -offset - 1 : offset;
  const start = n >= 0 ? lo + n : hi + n;
  if (start < lo || start >= hi) return;
  const available = reverse ? start - lo + 1 : hi - start;
  index.visit(start, limit < 0 || limit > available ? available : limit, reverse, fn);
}

// ---------------------------------------------------------------------------
// ZsetObject
// ---------------------------------------------------------------------------

export class ZsetObject implements DataObject {
  /** Packed listpack, or the skiplist encoding. */
  private data: string | SortedTable = '';
  /** Member count of the listpack encoding. */
  private n = 0;
  /**
   * The score the last add() call (on any zset) left its member with: ZADD INCR's reply.
   * Static, so a zset does not carry a boxed double for it.
   */
  static lastScore = 0;

  get type(): 'zset' {
    return 'zset';
  }

  encoding(): ZsetEncoding {
    return typeof this.data === 'string' ? 'listpack' : 'skiplist';
  }

  get length(): number {
    return typeof this.data === 'string' ? this.n : this.data.dict.size;
  }

  static empty(encoding: ZsetEncoding = 'listpack'): ZsetObject {
    const z = new ZsetObject();
    if (encoding === 'skiplist') z.data = new SortedTable();
    return z;
  }

  /**
   * zsetTypeCreate: the zset a command creates before adding about `sizeHint` members of which
   * the longest has `valueLengthHint` bytes.
   */
  static create(sizeHint: number, valueLengthHint: number, limits: TypeLimits): ZsetObject {
    const small = sizeHint <= limits.zsetMaxListpackEntries && valueLengthHint <= limits.zsetMaxListpackValue;
    return ZsetObject.empty(small ? 'listpack' : 'skiplist');
  }

  /**
   * A zset of distinct members in the given encoding whatever the limits (RDB loading keeps a
   * loaded listpack as it is). The pairs may come in any order.
   */
  static fromPairs(pairs: readonly (readonly [string, number])[], encoding: ZsetEncoding): ZsetObject {
    const z = new ZsetObject();
    const sorted = [...pairs].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (encoding === 'skiplist') {
      const members = sorted.map((e) => ownString(e[0]));
      const scores = sorted.map((e) => e[1]);
      const table = new SortedTable(SortedIndex.fromSorted(scores, members));
      for (let i = 0; i < members.length; i++) table.dict.set(members[i], scores[i]);
      z.data = table;
      return z;
    }
    const entries: string[] = [];
    for (const [m, s] of sorted) entries.push(keyEntry(m), encodeScore(s));
    z.data = joinFlat(entries);
    z.n = sorted.length;
    return z;
  }

  /** A zset of (member, score) pairs, as ZADD would build it (loading, tests). */
  static fromEntries(entries: readonly (readonly [string, number])[], limits: TypeLimits): ZsetObject {
    let maxLen = 0;
    for (const [m] of entries) if (m.length > maxLen) maxLen = m.length;
    const z = ZsetObject.create(entries.length, maxLen, limits);
    for (const [m, s] of entries) z.add(m, s, 0, limits);
    return z;
  }

  // ---- conversions ------------------------------------------------------

  /** zsetTypeMaybeConvert: before ZADD adds `sizeHint` members, the longest `valueLengthHint` bytes. */
  maybeConvert(sizeHint: number, valueLengthHint: number, limits: TypeLimits): void {
    if (
      typeof this.data === 'string' &&
      (sizeHint > limits.zsetMaxListpackEntries || valueLengthHint > limits.zsetMaxListpackValue)
    ) {
      this.toSkiplist();
    }
  }

  /**
   * zsetConvertToListpackIfNeeded (the *STORE commands): back to listpack when the count and
   * the longest member (`maxMemberLength`) fit, and the total (`totalLength`) is safe.
   */
  convertToListpackIfNeeded(maxMemberLength: number, totalLength: number, limits: TypeLimits): void {
    const d = this.data;
    if (typeof d === 'string') return;
    if (
      d.dict.size <= limits.zsetMaxListpackEntries &&
      maxMemberLength <= limits.zsetMaxListpackValue &&
      totalLength < LISTPACK_MAX_SAFE_BYTES
    ) {
      const entries: string[] = [];
      d.index.forEach((m, s) => {
        entries.push(keyEntry(m), encodeScore(s));
      });
      this.data = joinFlat(entries);
      this.n = d.dict.size;
    }
  }

  /** Convert to skiplist now (DEBUG, loading). */
  toSkiplist(): void {
    const lp = this.data;
    if (typeof lp !== 'string') return;
    // The listpack is in order already: the index is built in one pass.
    const scores: number[] = [];
    const members: string[] = [];
    for (let p = 0; p < lp.length; ) {
      members.push(ownString(readKey(lp, p)));
      scores.push(decodeScore(lp, rPos));
      p = scoreEnd;
    }
    const table = new SortedTable(SortedIndex.fromSorted(scores, members));
    for (let i = 0; i < members.length; i++) table.dict.set(members[i], scores[i]);
    this.data = table;
    this.n = 0;
  }

  // ---- single members ---------------------------------------------------

  /** ZSCORE: the member's score, or undefined. */
  score(member: string): number | undefined {
    const d = this.data;
    if (typeof d !== 'string') return d.dict.get(member);
    const p = findMember(d, member);
    return p < 0 ? undefined : scoreAt(d, p);
  }

  has(member: string): boolean {
    return this.score(member) !== undefined;
  }

  /**
   * zsetAdd: add or update a member with ZADD_IN_* flags. Returns ZADD_OUT_* flags; the
   * member's resulting score (INCR's reply) is left in ZsetObject.lastScore. A NaN `score` or a NaN
   * INCR result gives ZADD_OUT_NAN and changes nothing.
   */
  add(member: string, score: number, flags: number, limits: TypeLimits): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    // One member-table lookup for the skiplist encoding: the slot serves the update too.
    const d = this.data;
    const slot = typeof d === 'string' ? -1 : d.dict.slotOf(member);
    const cur = typeof d === 'string' ? this.score(member) : slot < 0 ? undefined : d.dict.valueAt(slot);
    if (cur !== undefined) {
      if (flags & ZADD_IN_NX) return ZADD_OUT_NOP;
      if (flags & ZADD_IN_INCR) {
        score += cur;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_OUT_NOP;
      ZsetObject.lastScore = score;
      if (score === cur) return 0;
      if (typeof d === 'string') {
        this.remove(member);
        this.insertNew(member, score);
      } else {
        d.index.updateScore(member, cur, score);
        d.dict.setValueAt(slot, score);
      }
      return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_IN_XX) return ZADD_OUT_NOP;
    if (typeof this.data === 'string') {
      if (
        this.n + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue ||
        this.data.length + member.length > LISTPACK_MAX_SAFE_BYTES
      ) {
        this.toSkiplist();
      }
    }
    this.insertNew(member, score);
    ZsetObject.lastScore = score;
    return ZADD_OUT_ADDED;
  }

  /** ZREM one member. Returns true when it was there. */
  remove(member: string): boolean {
    const d = this.data;
    if (typeof d !== 'string') return d.remove(member);
    const p = findMember(d, member);
    if (p < 0) return false;
    this.data = splice(d, p, skipScore(d, skipKey(d, p)), '');
    this.n--;
    return true;
  }

  /** ZRANK / ZREVRANK: 0-based rank, or -1 when the member is absent. */
  rank(member: string, reverse = false): number {
    const d = this.data;
    let r: number;
    if (typeof d !== 'string') {
      const score = d.dict.get(member);
      if (score === undefined) return -1;
      r = d.index.rankOf(score, member);
    } else {
      r = -1;
      const tag = keyTag(member);
      for (let p = 0, i = 0; p < d.length; i++) {
        if (keyEquals(d, p, member, tag)) {
          r = i;
          break;
        }
        p = skipScore(d, rPos);
      }
      if (r < 0) return -1;
    }
    return reverse ? this.length - 1 - r : r;
  }

  // ---- rank ranges ------------------------------------------------------

  /**
   * ZRANGE by rank: visit ranks start..stop (0-based, inclusive, already normalized with
   * normalizeIndexRange). `reverse` counts ranks from the highest score (ZREVRANGE).
   */
  rangeByRank(start: number, stop: number, reverse: boolean, fn: ZsetVisitor): void {
    const d = this.data;
    const len = this.length;
    if (start < 0 || stop >= len || start > stop) return;
    const count = stop - start + 1;
    if (typeof d !== 'string') {
      d.index.visit(reverse ? len - 1 - start : start, count, reverse, fn);
      return;
    }
    const pos = entryPositions(d, len);
    for (let i = 0; i < count; i++) {
      const p = pos[reverse ? len - 1 - start - i : start + i];
      const member = readKey(d, p);
      fn(member, decodeScore(d, rPos));
    }
  }

  /** ZREMRANGEBYRANK start stop (0-based, inclusive, normalized). Returns how many went. */
  removeRangeByRank(start: number, stop: number): number {
    const d = this.data;
    if (start < 0 || stop >= this.length || start > stop) return 0;
    if (typeof d !== 'string') return d.deleteRanks(start, stop + 1);
    const pos = entryPositions(d, this.n);
    const end = stop + 1 < this.n ? pos[stop + 1] : d.length;
    this.data = splice(d, pos[start], end, '');
    this.n -= stop - start + 1;
    return stop - start + 1;
  }

  // ---- score ranges -----------------------------------------------------

  /**
   * ZRANGE BYSCORE: visit members in range, skipping `offset` of them and visiting at most
   * `limit` (negative = no limit). `reverse` walks from max to min (ZREVRANGEBYSCORE).
   */
  rangeByScore(r: ScoreRange, reverse: boolean, offset: number, limit: number, fn: ZsetVisitor): void {
    if (limit === 0) return;
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.scoreRanks(r);
      visitRanks(d.index, lo, hi, reverse, offset, limit, fn);
      return;
    }
    // Valkey's listpack walk steps `offset` times first: a negative one runs off the end.
    if (offset < 0 || scoreRangeEmpty(r)) return;
    const pos = entryPositions(d, this.n);
    const [lo, hi] = this.packedScoreBounds(d, pos, r);
    this.visitPacked(d, pos, lo, hi, reverse, offset, limit, fn);
  }

  /**
   * The members with min <= score < max in order: rangeByScore over a half-open range without
   * offset or limit (a geo search's cells), walked straight in the skiplist encoding.
   */
  visitScoreSpan(min: number, max: number, fn: ZsetVisitor): void {
    const d = this.data;
    if (typeof d !== 'string') d.index.visitScoreSpan(min, max, fn);
    else this.rangeByScore({ min, max, minex: false, maxex: true }, false, 0, -1, fn);
  }

  /** ZCOUNT */
  countInScoreRange(r: ScoreRange): number {
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.scoreRanks(r);
      return hi > lo ? hi - lo : 0;
    }
    if (scoreRangeEmpty(r)) return 0;
    const [lo, hi] = this.packedScoreBounds(d, entryPositions(d, this.n), r);
    return hi - lo;
  }

  /** ZREMRANGEBYSCORE. Returns how many members went. */
  removeRangeByScore(r: ScoreRange): number {
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.scoreRanks(r);
      return d.deleteRanks(lo, hi);
    }
    if (scoreRangeEmpty(r)) return 0;
    const pos = entryPositions(d, this.n);
    const [lo, hi] = this.packedScoreBounds(d, pos, r);
    return this.deletePackedSpan(d, pos, lo, hi);
  }

  // ---- lex ranges -------------------------------------------------------

  /** ZRANGE BYLEX, as rangeByScore (meaningful when all scores are equal). */
  rangeByLex(r: LexRange, reverse: boolean, offset: number, limit: number, fn: ZsetVisitor): void {
    if (limit === 0) return;
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.lexRanks(r);
      visitRanks(d.index, lo, hi, reverse, offset, limit, fn);
      return;
    }
    if (offset < 0 || lexRangeEmpty(r)) return;
    const pos = entryPositions(d, this.n);
    const [lo, hi] = this.packedLexBounds(d, pos, r, reverse);
    this.visitPacked(d, pos, lo, hi, reverse, offset, limit, fn);
  }

  /** ZLEXCOUNT */
  countInLexRange(r: LexRange): number {
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.lexRanks(r);
      return hi > lo ? hi - lo : 0;
    }
    if (lexRangeEmpty(r)) return 0;
    const [lo, hi] = this.packedLexBounds(d, entryPositions(d, this.n), r);
    return hi - lo;
  }

  /** ZREMRANGEBYLEX. Returns how many members went. */
  removeRangeByLex(r: LexRange): number {
    const d = this.data;
    if (typeof d !== 'string') {
      const [lo, hi] = d.index.lexRanks(r);
      return d.deleteRanks(lo, hi);
    }
    if (lexRangeEmpty(r)) return 0;
    const pos = entryPositions(d, this.n);
    const [lo, hi] = this.packedLexBounds(d, pos, r);
    return this.deletePackedSpan(d, pos, lo, hi);
  }

  // ---- pops, iteration, sampling ------------------------------------------

  /** ZPOPMIN / ZPOPMAX: remove up to `count` members from the low (or high) end, in pop order. */
  pop(count: number, max: boolean, fn: ZsetVisitor): number {
    const len = this.length;
    if (count > len) count = len;
    if (count <= 0) return 0;
    // Highest first for ZPOPMAX: reverse ranks 0..count-1 are ranks len-count..len-1.
    this.rangeByRank(0, count - 1, max, fn);
    if (max) this.removeRangeByRank(len - count, len - 1);
    else this.removeRangeByRank(0, count - 1);
    return count;
  }

  /** Visit every member in order (lowest score first). */
  forEach(fn: ZsetVisitor): void {
    const d = this.data;
    if (typeof d !== 'string') {
      d.index.forEach(fn);
      return;
    }
    for (let p = 0; p < d.length; ) {
      const member = readKey(d, p);
      const score = decodeScore(d, rPos);
      p = scoreEnd;
      fn(member, score);
    }
  }

  /** [member, score] pairs in order. */
  entries(): [string, number][] {
    const out: [string, number][] = [];
    this.forEach((m, s) => {
      out.push([m, s]);
    });
    return out;
  }

  /**
   * ZSCAN step: visit up to `count` members from `cursor`; returns the next cursor (0 = done).
   * A listpack zset is returned whole with cursor 0, as Valkey does.
   */
  scan(cursor: number, count: number, fn: ZsetVisitor): number {
    const d = this.data;
    if (typeof d === 'string') {
      this.forEach(fn);
      return 0;
    }
    return d.dict.scan(cursor, count, fn);
  }

  /** ZRANDMEMBER without count: a random member, or undefined when empty. */
  randomMember(): [string, number] | undefined {
    const n = this.length;
    if (n === 0) return undefined;
    const d = this.data;
    if (typeof d !== 'string') {
      const i = randomIndex(n);
      return [d.dict.keyAt(i), d.dict.valueAt(i)];
    }
    const p = entryPositions(d, n)[randomIndex(n)];
    const member = readKey(d, p);
    return [member, decodeScore(d, rPos)];
  }

  /** ZRANDMEMBER with a negative count: `count` random picks, repeats allowed. */
  randomWithRepeats(count: number, fn: ZsetVisitor): void {
    const n = this.length;
    if (n === 0) return;
    const d = this.data;
    if (typeof d !== 'string') {
      for (let i = 0; i < count; i++) {
        const i = randomIndex(n);
        fn(d.dict.keyAt(i), d.dict.valueAt(i));
      }
      return;
    }
    const pos = entryPositions(d, n);
    for (let i = 0; i < count; i++) {
      const member = readKey(d, pos[randomIndex(n)]);
      fn(member, decodeScore(d, rPos));
    }
  }

  /**
   * ZRANDMEMBER with a positive count below the size: `count` distinct members (in order for a
   * listpack, random order otherwise).
   */
  randomUnique(count: number, fn: ZsetVisitor): void {
    const n = this.length;
    if (count > n) count = n;
    const d = this.data;
    if (typeof d !== 'string') {
      for (const i of distinctIndexes(n, count)) {
        fn(d.dict.keyAt(i), d.dict.valueAt(i));
      }
      return;
    }
    const pos = entryPositions(d, n);
    for (const i of sortedDistinctIndexes(n, count)) {
      const member = readKey(d, pos[i]);
      fn(member, decodeScore(d, rPos));
    }
  }

  /**
   * Estimated bytes in the V8 heap (MEMORY USAGE): the object and its packed string, or for the
   * skiplist encoding the member table, the index and the member strings, their size averaged
   * over `samples` members as Valkey's objectComputeSize samples (0 = all).
   */
  memoryUsage(samples = 5): number {
    const d = this.data;
    if (typeof d === 'string') return OBJECT_BYTES + stringBytes(d.length);
    const n = d.dict.size;
    const fixed = OBJECT_BYTES + TABLE_BYTES + INDEX_BYTES;
    if (n === 0) return fixed;
    const sampled = samples <= 0 || samples > n ? n : samples;
    let bytes = 0;
    for (let i = 0; i < sampled; i++) bytes += stringBytes(d.dict.keyAt(i).length);
    return fixed + n * (TABLE_ENTRY_BYTES + INDEX_ENTRY_BYTES) + Math.round((bytes / sampled) * n);
  }

  clone(): ZsetObject {
    const copy = new ZsetObject();
    const d = this.data;
    if (typeof d === 'string') {
      copy.data = d;
      copy.n = this.n;
      return copy;
    }
    const table = new SortedTable(d.index.clone());
    d.dict.forEach((m, s) => {
      table.dict.set(m, s);
    });
    copy.data = table;
    return copy;
  }

  /** Check internal consistency (tests). */
  verify(): void {
    const d = this.data;
    if (typeof d === 'string') {
      let prev: [string, number] | null = null;
      let n = 0;
      this.forEach((m, s) => {
        if (prev !== null && (prev[1] > s || (prev[1] === s && prev[0] >= m))) throw new Error('zset: bad order');
        prev = [m, s];
        n++;
      });
      if (n !== this.n) throw new Error('zset: bad count');
      return;
    }
    d.index.verify();
    if (d.index.length !== d.dict.size) throw new Error('zset: index size mismatch');
    d.dict.forEach((m, s) => {
      if (d.index.rankOf(s, m) < 0) throw new Error(`zset: member ${m} with score ${s} missing from the index`);
    });
  }

  // ---- internals ----------------------------------------------------------

  private insertNew(member: string, score: number): void {
    const d = this.data;
    if (typeof d !== 'string') {
      d.insert(member, score);
      return;
    }
    const at = insertPosition(d, member, score);
    this.data = splice(d, at, at, packEntry(member, score));
    this.n++;
  }

  /**
   * [lo, hi): the entries of a packed zset inside a score range (binary searches: the entries
   * are sorted by score).
   */
  private packedScoreBounds(lp: string, pos: number[], r: ScoreRange): [number, number] {
    let lo = 0;
    let hi = pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scoreGteMin(scoreAt(lp, pos[mid]), r)) hi = mid;
      else lo = mid + 1;
    }
    const first = lo;
    hi = pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scoreLteMax(scoreAt(lp, pos[mid]), r)) lo = mid + 1;
      else hi = mid;
    }
    return [first, lo];
  }

  /**
   * [lo, hi) for a lex range, found as Valkey's listpack code finds it (the members are only
   * sorted when all scores are equal): after zzlIsInLexRange's check on the first and last
   * members, forwards from the first entry >= min while <= max, or (reverse) backwards from
   * the last entry <= max while >= min.
   */
  private packedLexBounds(lp: string, pos: number[], r: LexRange, reverse = false): [number, number] {
    const n = pos.length;
    if (n === 0 || !lexGteMin(readKey(lp, pos[n - 1]), r) || !lexLteMax(readKey(lp, pos[0]), r)) return [0, 0];
    if (!reverse) {
      let lo = 0;
      while (lo < n && !lexGteMin(readKey(lp, pos[lo]), r)) lo++;
      let hi = lo;
      while (hi < n && lexLteMax(readKey(lp, pos[hi]), r)) hi++;
      return [lo, hi];
    }
    let hi = n;
    while (hi > 0 && !lexLteMax(readKey(lp, pos[hi - 1]), r)) hi--;
    let lo = hi;
    while (lo > 0 && lexGteMin(readKey(lp, pos[lo - 1]), r)) lo--;
    return [lo, hi];
  }

  private visitPacked(
    lp: string,
    pos: number[],
    lo: number,
    hi: number,
    reverse: boolean,
    offset: number,
    limit: number,
    fn: ZsetVisitor,
  ): void {
    const count = hi - lo - offset;
    const n = limit < 0 || limit > count ? count : limit;
    for (let i = 0; i < n; i++) {
      const p = pos[reverse ? hi - 1 - offset - i : lo + offset + i];
      const member = readKey(lp, p);
      fn(member, decodeScore(lp, rPos));
    }
  }

  private deletePackedSpan(lp: string, pos: number[], lo: number, hi: number): number {
    if (hi <= lo) return 0;
    const end = hi < pos.length ? pos[hi] : lp.length;
    this.data = splice(lp, pos[lo], end, '');
    this.n -= hi - lo;
    return hi - lo;
  }
}
