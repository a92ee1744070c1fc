// The set type: encodings "intset", "listpack" and "hashtable", as in Valkey 9.0 (t_set.c).
//
// intset:    one string of fixed-width integers in ascending order. Each integer is 2, 4 or 8
//            chars (Valkey's int16/int32/int64 encodings, upgraded when a wider value
//            arrives), big-endian with the sign bit flipped, so string order is numeric order
//            and a lookup is a binary search.
// listpack:  one packed string of key entries (packed.ts) in insertion order.
// hashtable: a KeyTable (dense slots: cursor scans and O(1) random picks).
//
// Conversions follow setTypeAdd / setTypeCreate / setTypeMaybeConvert: intset while every
// member is a string2ll integer and there are at most set-max-intset-entries; listpack while
// at most set-max-listpack-entries members of at most set-max-listpack-value bytes; hashtable
// otherwise. Removing never converts back; SPOP with a large count rebuilds the set from the
// members it keeps (as Valkey does), which can give a smaller encoding, and SINTERSTORE's
// result may become an intset (convertToIntsetIfPossible).

import { DataObject } from './object';
import { KeyTable, TABLE_BYTES, TABLE_ENTRY_BYTES } from '../db/keytable';
import { TypeLimits, LISTPACK_MAX_SAFE_BYTES } from './limits';
import { keyEntry, keyEquals, keyTag, ownString, readKey, rPos, skipKey, splice, joinFlat } from './packed';
import { distinctIndexes, randomIndex, sortedDistinctIndexes } from './sample';
import { parseInt64, parseLongLong } from '../util/numbers';

/** How many more members than SPOP's count must stay for the "pop one by one" strategy. */
const SPOP_MOVE_STRATEGY_MUL = 5;

// Memory estimates (64-bit V8): the SetObject itself, and a KeyTable with its entries (keytable.ts).
const OBJECT_BYTES = 32;

export type SetEncoding = 'intset' | 'listpack' | 'hashtable';

// ---------------------------------------------------------------------------
// intset encoding helpers
// ---------------------------------------------------------------------------

const TWO32 = 4294967296;
const TWO31 = 2147483648;

/** A member parsed as an int64: a number when safe, a bigint otherwise; null if not an integer. */
function parseMemberInt(s: string): number | bigint | null {
  const v = parseLongLong(s);
  if (v !== null) return v;
  return s.length >= 16 ? parseInt64(s) : null;
}

/** Width in chars (2, 4 or 8) needed for an integer. */
function widthFor(v: number | bigint): number {
  if (typeof v === 'bigint') return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

function u32Chars(u: number): string {
  return String.fromCharCode((u >>> 24) & 255, (u >>> 16) & 255, (u >>> 8) & 255, u & 255);
}

/** Fixed-width, order-preserving encoding of an integer. */
function encodeInt(v: number | bigint, w: number): string {
  if (w === 2) {
    const u = (v as number) + 32768;
    return String.fromCharCode(u >> 8, u & 255);
  }
  if (w === 4) return u32Chars(((v as number) + TWO31) >>> 0);
  let hi: number;
  let lo: number;
  if (typeof v === 'bigint') {
    hi = Number(v >> 32n);
    lo = Number(BigInt.asUintN(32, v));
  } else {
    hi = Math.floor(v / TWO32);
    lo = v - hi * TWO32;
  }
  return u32Chars((hi + TWO31) >>> 0) + u32Chars(lo);
}

function readU32(s: string, p: number): number {
  return (
    s.charCodeAt(p) * 16777216 + ((s.charCodeAt(p + 1) << 16) | (s.charCodeAt(p + 2) << 8) | s.charCodeAt(p + 3))
  );
}

/** The integer at element i of an intset string, as a number when it is exact. */
function intAt(s: string, i: number, w: number): number | bigint {
  const p = i * w;
  if (w === 2) return ((s.charCodeAt(p) << 8) | s.charCodeAt(p + 1)) - 32768;
  if (w === 4) return readU32(s, p) - TWO31;
  const hi = readU32(s, p) - TWO31;
  const lo = readU32(s, p + 4);
  if (hi >= -2097152 && hi < 2097152) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

/** Element i of an intset string as its decimal member string. */
function memberAt(s: string, i: number, w: number): string {
  return String(intAt(s, i, w));
}

/** Binary search: index of `key` (an encoded element) or -(insertion point) - 1. */
function intsetSearch(s: string, key: string, w: number): number {
  let lo = 0;
  let hi = s.length / w - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareElement(s, mid * w, key, w);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function compareElement(s: string, p: number, key: string, w: number): number {
  for (let i = 0; i < w; i++) {
    const d = s.charCodeAt(p + i) - key.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}

/** Re-encode an intset string with a wider element width. */
function widenIntset(s: string, from: number, to: number): string {
  const n = s.length / from;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = encodeInt(intAt(s, i, from), to);
  return joinFlat(out);
}

/** sdigits10: characters of an integer's decimal form, sign included. */
function decimalLength(v: number | bigint): number {
  return String(v).length;
}

// ---------------------------------------------------------------------------
// listpack encoding helpers
// ---------------------------------------------------------------------------

/** Position of `member`'s entry in a packed set, or -1. */
function findMember(lp: string, member: string): number {
  const tag = keyTag(member);
  for (let p = 0; p < lp.length; p = rPos) {
    if (keyEquals(lp, p, member, tag)) return p;
  }
  return -1;
}

/** Positions of all n entries of a packed set. */
function entryPositions(lp: string, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0, p = 0; i < n; i++) {
    out[i] = p;
    p = skipKey(lp, p);
  }
  return out;
}

/** A packed set without the entries at the given ascending positions. */
function deleteEntries(lp: string, positions: readonly number[]): string {
  const kept: string[] = [];
  let from = 0;
  for (const p of positions) {
    kept.push(lp.substring(from, p));
    from = skipKey(lp, p);
  }
  kept.push(lp.substring(from));
  return joinFlat(kept);
}

// ---------------------------------------------------------------------------
// SetObject
// ---------------------------------------------------------------------------

export class SetObject implements DataObject {
  /** intset or listpack string, or the hashtable encoding. */
  private data: string | KeyTable<null> = '';
  /** intset: -(element width); listpack: member count. */
  private info = -2;

  get type(): 'set' {
    return 'set';
  }

  encoding(): SetEncoding {
    if (typeof this.data !== 'string') return 'hashtable';
    return this.info < 0 ? 'intset' : 'listpack';
  }

  get length(): number {
    const d = this.data;
    if (typeof d !== 'string') return d.size;
    return this.info < 0 ? d.length / -this.info : this.info;
  }

  /** An empty set in the given encoding. */
  static empty(encoding: SetEncoding = 'intset'): SetObject {
    const s = new SetObject();
    if (encoding === 'listpack') s.info = 0;
    else if (encoding === 'hashtable') s.data = new KeyTable<null>();
    return s;
  }

  /**
   * setTypeCreate: the set a command creates before adding about `sizeHint` members, the first
   * being `first`: intset if `first` is an integer and the hint fits set-max-intset-entries,
   * else listpack if it fits set-max-listpack-entries, else hashtable.
   */
  static create(first: string, sizeHint: number, limits: TypeLimits): SetObject {
    if (parseMemberInt(first) !== null && sizeHint <= limits.setMaxIntsetEntries) return SetObject.empty('intset');
    if (sizeHint <= limits.setMaxListpackEntries) return SetObject.empty('listpack');
    return SetObject.empty('hashtable');
  }

  /** A set of `members` (duplicates ignored), as SADD would build it (loading, tests). */
  static fromMembers(members: readonly string[], limits: TypeLimits): SetObject {
    const s = members.length === 0 ? SetObject.empty() : SetObject.create(members[0], members.length, limits);
    for (const m of members) s.add(m, limits);
    return s;
  }

  // ---- conversions ------------------------------------------------------

  /** setTypeMaybeConvert: before adding about `sizeHint` members (SADD with many arguments). */
  maybeConvert(sizeHint: number, limits: TypeLimits): void {
    const enc = this.encoding();
    if (
      (enc === 'listpack' && sizeHint > limits.setMaxListpackEntries) ||
      (enc === 'intset' && sizeHint > limits.setMaxIntsetEntries)
    ) {
      this.toHashtable();
    }
  }

  /**
   * maybeConvertToIntset (SINTERSTORE when every member is an integer): become an intset if
   * the size allows it. Does nothing if some member is not an integer.
   */
  convertToIntsetIfPossible(limits: TypeLimits): void {
    if (this.encoding() === 'intset' || this.length > intsetMaxEntries(limits)) return;
    const values: (number | bigint)[] = [];
    let ok = true;
    this.forEach((m) => {
      const v = parseMemberInt(m);
      if (v === null) ok = false;
      else values.push(v);
    });
    if (!ok) return;
    const set = SetObject.empty('intset');
    for (const v of values) set.addIntsetValue(v);
    this.data = set.data;
    this.info = set.info;
  }

  /** Convert to hashtable now (DEBUG, loading). */
  toHashtable(): void {
    if (typeof this.data !== 'string') return;
    const table = new KeyTable<null>();
    this.forEach((m) => {
      table.set(ownString(m), null);
    });
    this.data = table;
    this.info = 0;
  }

  private intsetToListpack(): void {
    const entries: string[] = [];
    this.forEach((m) => {
      entries.push(keyEntry(m));
    });
    this.info = this.length;
    this.data = joinFlat(entries);
  }

  // ---- membership -------------------------------------------------------

  has(member: string): boolean {
    const d = this.data;
    if (typeof d !== 'string') return d.has(member);
    if (this.info >= 0) return findMember(d, member) >= 0;
    const v = parseMemberInt(member);
    if (v === null) return false;
    const w = -this.info;
    if (widthFor(v) > w) return false;
    return intsetSearch(d, encodeInt(v, w), w) >= 0;
  }

  /** setTypeAdd: add a member, converting as Valkey does. Returns true when added. */
  add(member: string, limits: TypeLimits): boolean {
    const d = this.data;
    if (typeof d !== 'string') {
      if (d.has(member)) return false;
      d.set(member, null);
      return true;
    }
    if (this.info >= 0) return this.addToListpack(d, member, limits);
    const v = parseMemberInt(member);
    if (v !== null) {
      if (!this.addIntsetValue(v)) return false;
      if (this.length > intsetMaxEntries(limits)) this.toHashtable();
      return true;
    }
    if (this.intsetFitsListpack(member, limits)) {
      this.intsetToListpack();
      this.data = joinFlat([this.data as string, keyEntry(member)]);
      this.info++;
    } else {
      this.toHashtable();
      (this.data as KeyTable<null>).set(member, null);
    }
    return true;
  }

  /** Remove a member. Returns true when it was there. */
  remove(member: string): boolean {
    const d = this.data;
    if (typeof d !== 'string') return d.delete(member);
    if (this.info >= 0) {
      const p = findMember(d, member);
      if (p < 0) return false;
      this.data = splice(d, p, skipKey(d, p), '');
      this.info--;
      return true;
    }
    const v = parseMemberInt(member);
    if (v === null) return false;
    const w = -this.info;
    if (widthFor(v) > w) return false;
    const i = intsetSearch(d, encodeInt(v, w), w);
    if (i < 0) return false;
    this.data = splice(d, i * w, i * w + w, '');
    return true;
  }

  // ---- iteration --------------------------------------------------------

  /** Visit every member: ascending for an intset, insertion order for a listpack. */
  forEach(fn: (member: string) => void): void {
    const d = this.data;
    if (typeof d !== 'string') {
      d.forEach((m) => fn(m));
      return;
    }
    if (this.info >= 0) {
      // rPos is read before calling fn: fn may walk another packed string (SINTER's lookups).
      for (let p = 0; p < d.length; ) {
        const m = readKey(d, p);
        p = rPos;
        fn(m);
      }
      return;
    }
    const w = -this.info;
    const n = d.length / w;
    for (let i = 0; i < n; i++) fn(memberAt(d, i, w));
  }

  /** Like forEach, stopping early when `fn` returns false; returns false if it stopped. */
  every(fn: (member: string) => boolean): boolean {
    const d = this.data;
    if (typeof d !== 'string') {
      for (let i = 0; i < d.size; i++) if (!fn(d.keyAt(i))) return false;
      return true;
    }
    if (this.info >= 0) {
      for (let p = 0; p < d.length; ) {
        const m = readKey(d, p);
        p = rPos;
        if (!fn(m)) return false;
      }
      return true;
    }
    const w = -this.info;
    const n = d.length / w;
    for (let i = 0; i < n; i++) if (!fn(memberAt(d, i, w))) return false;
    return true;
  }

  members(): string[] {
    const out: string[] = [];
    this.forEach((m) => {
      out.push(m);
    });
    return out;
  }

  /**
   * SSCAN step: visit up to `count` members from `cursor`; returns the next cursor (0 = done).
   * Intset and listpack sets are returned whole with cursor 0, as Valkey does.
   */
  scan(cursor: number, count: number, fn: (member: string) => void): number {
    const d = this.data;
    if (typeof d === 'string') {
      this.forEach(fn);
      return 0;
    }
    return d.scan(cursor, count, (m) => fn(m));
  }

  // ---- random sampling --------------------------------------------------

  /** A random member (SRANDMEMBER without count); undefined when empty. */
  randomMember(): string | undefined {
    const n = this.length;
    if (n === 0) return undefined;
    return this.memberAtIndex(randomIndex(n));
  }

  /** SRANDMEMBER with a negative count: `count` random members, repeats allowed. */
  randomMembersWithRepeats(count: number): string[] {
    const n = this.length;
    const out = new Array<string>(count);
    if (n === 0) return [];
    const d = this.data;
    if (typeof d === 'string' && this.info >= 0) {
      const pos = entryPositions(d, n);
      for (let i = 0; i < count; i++) out[i] = readKey(d, pos[randomIndex(n)]);
      return out;
    }
    for (let i = 0; i < count; i++) out[i] = this.memberAtIndex(randomIndex(n));
    return out;
  }

  /**
   * A function that returns a uniformly random member on each call (SRANDMEMBER with a negative
   * count, which may ask for more members than fit in an array): O(n) setup for a listpack,
   * O(1) per call. The set must not change while the picker is used.
   */
  randomPicker(): () => string {
    const n = this.length;
    const d = this.data;
    if (typeof d === 'string' && this.info >= 0) {
      const pos = entryPositions(d, n);
      return () => readKey(d, pos[randomIndex(n)]);
    }
    return () => this.memberAtIndex(randomIndex(n));
  }

  /**
   * SRANDMEMBER with a positive count below the size: `count` distinct random members (in set
   * order for a listpack, random order otherwise).
   */
  randomMembersUnique(count: number): string[] {
    const n = this.length;
    if (count > n) count = n;
    const d = this.data;
    if (typeof d === 'string' && this.info >= 0) {
      const pos = entryPositions(d, n);
      return sortedDistinctIndexes(n, count).map((i) => readKey(d, pos[i]));
    }
    return distinctIndexes(n, count).map((i) => this.memberAtIndex(i));
  }

  /** SPOP without count: remove and return a random member; undefined when empty. */
  popRandom(): string | undefined {
    const m = this.randomMember();
    if (m !== undefined) this.remove(m);
    return m;
  }

  /**
   * SPOP with count, with Valkey's strategies: everything when count >= size (the set is left
   * empty: delete the key); pop one by one when many members stay; otherwise rebuild the set
   * from the members that stay (which may change its encoding, as in Valkey). Returns the
   * popped members.
   */
  popMany(count: number, limits: TypeLimits): string[] {
    const size = this.length;
    if (count <= 0 || size === 0) return [];
    if (count >= size) {
      const all = this.members();
      this.data = '';
      this.info = -2;
      return all;
    }
    const remaining = size - count;
    const d = this.data;
    const listpack = typeof d === 'string' && this.info >= 0;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      if (listpack) return this.popListpackSample(count, true);
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(this.popRandom() as string);
      return out;
    }
    if (listpack) return this.popListpackSample(remaining, false);
    // Move `remaining` random members into a new set; what is left is popped.
    let kept: SetObject | null = null;
    for (let i = 0; i < remaining; i++) {
      const m = this.randomMember() as string;
      if (kept === null) kept = SetObject.empty(this.encoding() === 'intset' ? 'intset' : 'listpack');
      kept.add(m, limits);
      this.remove(m);
    }
    const popped = this.members();
    this.data = (kept as SetObject).data;
    this.info = (kept as SetObject).info;
    return popped;
  }

  // ---- raw access for RDB -------------------------------------------------

  /** The intset element width in bytes (2, 4 or 8), or 0 when the set is not an intset. */
  intsetWidth(): number {
    return typeof this.data === 'string' && this.info < 0 ? -this.info : 0;
  }

  /** The values of an intset-encoded set in ascending order (numbers, bigints past 2^53). */
  intsetValues(): (number | bigint)[] {
    const d = this.data as string;
    const w = -this.info;
    const n = d.length / w;
    const out = new Array<number | bigint>(n);
    for (let i = 0; i < n; i++) out[i] = intAt(d, i, w);
    return out;
  }

  /**
   * An intset-encoded set holding `values` (strictly ascending, as a validated RDB intset) with
   * elements of `width` bytes, kept even if narrower would do: Valkey never narrows an intset.
   */
  static fromIntset(width: number, values: readonly (number | bigint)[]): SetObject {
    const s = new SetObject();
    s.data = joinFlat(values.map((v) => encodeInt(v, width)));
    s.info = -width;
    return s;
  }

  /**
   * A listpack-encoded set of `members` in this order (distinct, as a validated RDB listpack),
   * kept whatever their lengths: Valkey only converts a loaded listpack by its entry count.
   */
  static fromListpack(members: readonly string[]): SetObject {
    const s = new SetObject();
    s.data = joinFlat(members.map(keyEntry));
    s.info = members.length;
    return s;
  }

  // ---- memory -------------------------------------------------------------

  /**
   * Estimated bytes in the V8 heap (MEMORY USAGE): the object, plus the packed string, or for a
   * hashtable its per-entry cost and the member strings, averaged over `samples` members as
   * Valkey's objectComputeSize samples (0 = all of them).
   */
  memoryUsage(samples = 5): number {
    const d = this.data;
    if (typeof d === 'string') return OBJECT_BYTES + stringBytes(d.length);
    const n = d.size;
    if (n === 0) return OBJECT_BYTES + TABLE_BYTES;
    const sampled = samples <= 0 || samples > n ? n : samples;
    let bytes = 0;
    for (let i = 0; i < sampled; i++) bytes += stringBytes(d.keyAt(i).length);
    return OBJECT_BYTES + TABLE_BYTES + n * TABLE_ENTRY_BYTES + Math.round((bytes / sampled) * n);
  }

  clone(): SetObject {
    const copy = new SetObject();
    copy.info = this.info;
    const d = this.data;
    if (typeof d === 'string') {
      copy.data = d;
      return copy;
    }
    const table = new KeyTable<null>();
    d.forEach((m) => {
      table.set(m, null);
    });
    copy.data = table;
    return copy;
  }

  // ---- internals ----------------------------------------------------------

  private memberAtIndex(i: number): string {
    const d = this.data;
    if (typeof d !== 'string') return d.keyAt(i);
    if (this.info < 0) return memberAt(d, i, -this.info);
    return readKey(d, entryPositions(d, i + 1)[i]);
  }

  /** Add an integer to the intset encoding; false if present. */
  private addIntsetValue(v: number | bigint): boolean {
    let d = this.data as string;
    let w = -this.info;
    const need = widthFor(v);
    if (need > w) {
      d = widenIntset(d, w, need);
      w = need;
      this.info = -w;
    }
    const key = encodeInt(v, w);
    const i = intsetSearch(d, key, w);
    if (i >= 0) {
      this.data = d;
      return false;
    }
    const at = (-i - 1) * w;
    this.data = splice(d, at, at, key);
    return true;
  }

  /** The intset -> listpack check of setTypeAddAux for a non-integer member. */
  private intsetFitsListpack(member: string, limits: TypeLimits): boolean {
    const d = this.data as string;
    const w = -this.info;
    const n = d.length / w;
    let maxLen = 0;
    if (n > 0) maxLen = Math.max(decimalLength(intAt(d, 0, w)), decimalLength(intAt(d, n - 1, w)));
    return (
      n < limits.setMaxListpackEntries &&
      member.length <= limits.setMaxListpackValue &&
      maxLen <= limits.setMaxListpackValue &&
      n * (maxLen + 3) + member.length < LISTPACK_MAX_SAFE_BYTES
    );
  }

  private addToListpack(lp: string, member: string, limits: TypeLimits): boolean {
    if (findMember(lp, member) >= 0) return false;
    if (
      this.info < limits.setMaxListpackEntries &&
      member.length <= limits.setMaxListpackValue &&
      lp.length + member.length < LISTPACK_MAX_SAFE_BYTES
    ) {
      this.data = joinFlat([lp, keyEntry(member)]);
      this.info++;
    } else {
      this.toHashtable();
      (this.data as KeyTable<null>).set(member, null);
    }
    return true;
  }

  /**
   * Pick `k` random entries of a listpack set in order. With `popPicked` the picked entries
   * are removed and returned; otherwise the picked entries stay and the rest is removed and
   * returned (SPOP's two listpack strategies).
   */
  private popListpackSample(k: number, popPicked: boolean): string[] {
    const lp = this.data as string;
    const n = this.info;
    const pos = entryPositions(lp, n);
    const picked = sortedDistinctIndexes(n, k);
    let removeIdx: number[];
    if (popPicked) {
      removeIdx = picked;
    } else {
      removeIdx = [];
      let j = 0;
      for (let i = 0; i < n; i++) {
        if (j < picked.length && picked[j] === i) j++;
        else removeIdx.push(i);
      }
    }
    const removePos = removeIdx.map((i) => pos[i]);
    const popped = removePos.map((p) => readKey(lp, p));
    this.data = deleteEntries(lp, removePos);
    this.info = n - removePos.length;
    return popped;
  }
}

/** A one-byte string in V8: 16 bytes of header, the bytes, rounded up to 8. */
function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

/** Valkey caps intsets at 2^30 entries whatever set-max-intset-entries says. */
function intsetMaxEntries(limits: TypeLimits): number {
  return Math.min(limits.setMaxIntsetEntries, 1 << 30);
}
