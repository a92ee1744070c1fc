// The hash type: encodings "listpack" and "hashtable", as in Valkey 9.0.
//
// listpack:  one packed string (packed.ts) of field (key entry) / value (plain entry) pairs in
//            insertion order, plus the field count. Never holds TTLs.
// hashtable: a KeyTable<string> (field -> value; dense slots give cursor scans and O(1) random
//            picks) plus, while any field has a TTL, the TTL index (see HashTable).
//
// Conversion listpack -> hashtable happens, as in t_hash.c, when a command is about to add a
// field or value longer than hash-max-listpack-value (tryConversion, or set() itself), when the
// field count passes hash-max-listpack-entries, and when the first field TTL is set (Valkey
// 9.0 hash field expiration: a listpack hash never holds TTLs). It never converts back.
//
// Field expiration: every reader takes an optional `now` (ms). With now >= 0, fields whose TTL
// has passed (expireAt < now) are hidden, as Valkey's hashtable "validate" callback hides them;
// with now = -1 (loading, replication stream, import) everything is visible. `length` counts
// hidden fields too (HLEN does). Reclaiming them is active expiry's job (popExpired).

import { DataObject } from './object';
import { KeyTable, TABLE_BYTES, TABLE_ENTRY_BYTES } from '../db/keytable';
import { TypeLimits, LISTPACK_MAX_SAFE_BYTES } from './limits';
import {
  keyEntry,
  keyEquals,
  keyTag,
  holdsAt,
  ownString,
  plainEntry,
  readKey,
  readPlain,
  rPos,
  skipKey,
  skipPlain,
  splice,
  joinFlat,
} from './packed';
import { distinctIndexes, randomIndex, sortedDistinctIndexes } from './sample';

/** set(): the written field loses any TTL (HSET, HMSET, HSETNX, HINCRBY on a new field). */
export const TTL_CLEAR = -1;
/** set(): an overwritten field keeps its TTL (HSETEX KEEPTTL, HINCRBY on a live field). */
export const TTL_KEEP = -2;

/** fieldExpire(): the field exists and has no TTL. */
export const EXPIRE_NONE = -1;
/** fieldExpire(): no such field. */
export const EXPIRE_MISSING = -2;

// MEMORY USAGE estimates (64-bit V8): an object header, a KeyTable and its entries (keytable.ts),
// and the TTL index's arrays.
const OBJECT_BYTES = 32;

/** A sequential one-byte string: 16-byte header plus its bytes, rounded to 8. */
function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

/** How many random picks a sampler tries to find a live field (Valkey's limit). */
const RANDOM_LIVE_TRIES = 100;

/** The TTL-index time of a field without TTL: compares as "never expires". */
const NO_TTL = Infinity;

/**
 * The hashtable encoding: a KeyTable of field -> value (dense slots give cursor scans and O(1)
 * random picks) and, while some field has a TTL, the TTL index, three typed arrays:
 *
 *  - `at[slot]`: the slot's expire time (NO_TTL when none), 8 bytes per slot;
 *  - `heap`: the slots that have a TTL, as a binary min-heap ordered by their `at`, 4 bytes each;
 *  - `pos[slot]`: where the slot sits in the heap (-1 when not there), 4 bytes per slot.
 *
 * Readers check `at` in O(1); active expiry pops the earliest field in O(log n); a TTL change
 * moves the slot's heap entry in place (through `pos`), so the heap never holds stale entries.
 * `at` and `pos` follow KeyTable's swap-delete: when the last slot moves into a hole, its time,
 * its heap position and the heap entry pointing at it move too.
 */
class HashTable {
  readonly fields = new KeyTable<string>();
  /** expire-at ms per slot, or null while no field has a TTL */
  at: Float64Array | null = null;
  private pos: Int32Array = EMPTY_POS;
  private heap: Uint32Array = EMPTY_HEAP;
  /** heap entries: the number of fields with a TTL */
  volatile = 0;

  /** Is the field in `slot` past its TTL at `now` (now < 0: nothing is)? */
  hiddenAt(slot: number, now: number): boolean {
    return this.at !== null && now >= 0 && this.at[slot] < now;
  }

  isHidden(field: string, now: number): boolean {
    if (this.at === null || now < 0) return false;
    const slot = this.fields.slotOf(field);
    return slot >= 0 && this.at[slot] < now;
  }

  /** The slot's expire time, or NO_TTL. */
  expireAt(slot: number): number {
    return this.at === null ? NO_TTL : this.at[slot];
  }

  /** Insert a field that is not there; returns its slot (the last one). */
  insert(field: string, value: string): number {
    const slot = this.fields.set(field, value);
    if (this.at !== null) {
      if (slot >= this.at.length) this.growSlots(slot + 1);
      this.at[slot] = NO_TTL;
      this.pos[slot] = -1;
    }
    return slot;
  }

  /** Delete a field with its TTL; false when missing. Follows KeyTable's swap-delete. */
  remove(field: string): boolean {
    const slot = this.fields.slotOf(field);
    if (slot < 0) return false;
    const last = this.fields.size - 1;
    this.fields.delete(field);
    const at = this.at;
    if (at === null) return true;
    const pos = this.pos;
    if (pos[slot] >= 0) this.heapRemoveAt(pos[slot]);
    if (this.volatile === 0) {
      this.dropIndex();
      return true;
    }
    if (slot !== last) {
      // The last field moved into the hole: its time and its heap entry follow it.
      at[slot] = at[last];
      pos[slot] = pos[last];
      if (pos[slot] >= 0) this.heap[pos[slot]] = slot;
    }
    at[last] = NO_TTL;
    pos[last] = -1;
    return true;
  }

  /** Give the field in `slot` a TTL (an absolute time in ms), or remove it (NO_TTL). */
  setExpireAt(slot: number, t: number): void {
    if (this.at === null) {
      if (t === NO_TTL) return;
      this.at = new Float64Array(this.fields.size).fill(NO_TTL);
      this.pos = new Int32Array(this.fields.size).fill(-1);
    }
    const at = this.at;
    const old = at[slot];
    if (old === t) return;
    at[slot] = t;
    if (t === NO_TTL) {
      this.heapRemoveAt(this.pos[slot]);
      if (this.volatile === 0) this.dropIndex();
    } else if (old === NO_TTL) {
      this.heapPush(slot);
    } else if (t < old) {
      this.siftUp(this.pos[slot]);
    } else {
      this.siftDown(this.pos[slot]);
    }
  }

  /** Remove and return up to `max` fields whose TTL has passed at `now`, earliest first. */
  popExpired(now: number, max: number): string[] {
    const out: string[] = [];
    while (out.length < max && this.volatile > 0 && (this.at as Float64Array)[this.heap[0]] < now) {
      const field = this.fields.keyAt(this.heap[0]);
      out.push(field);
      this.remove(field);
    }
    return out;
  }

  /** The earliest expire time of any field, or NO_TTL. */
  nextExpire(): number {
    return this.volatile === 0 ? NO_TTL : (this.at as Float64Array)[this.heap[0]];
  }

  /** Bytes held by the TTL index: its three arrays, with their spare room. */
  indexBytes(): number {
    if (this.at === null) return 0;
    return this.at.byteLength + this.pos.byteLength + this.heap.byteLength + 3 * TYPED_ARRAY_BYTES;
  }

  /** Copy the TTLs into `dst`, whose slots are `slotMap[slot]` (-1: the field was not copied). */
  copyInto(dst: HashTable, slotMap: Int32Array): void {
    if (this.at === null) return;
    for (let slot = 0; slot < slotMap.length; slot++) {
      const to = slotMap[slot];
      if (to >= 0 && this.at[slot] !== NO_TTL) dst.setExpireAt(to, this.at[slot]);
    }
  }

  private dropIndex(): void {
    this.at = null;
    this.pos = EMPTY_POS;
    this.heap = EMPTY_HEAP;
    this.volatile = 0;
  }

  /** Room in `at` and `pos` for `min` slots (growing by half: less spare room than doubling). */
  private growSlots(min: number): void {
    const cap = grownCapacity(this.at!.length, min);
    const at = new Float64Array(cap).fill(NO_TTL);
    at.set(this.at!);
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    this.at = at;
    this.pos = pos;
  }

  // ---- the heap (of slots, keyed by at[slot]) ----

  private heapPush(slot: number): void {
    const i = this.volatile++;
    if (i >= this.heap.length) {
      const heap = new Uint32Array(grownCapacity(this.heap.length, i + 1));
      heap.set(this.heap);
      this.heap = heap;
    }
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.siftUp(i);
  }

  private heapRemoveAt(i: number): void {
    const heap = this.heap;
    const last = --this.volatile;
    this.pos[heap[i]] = -1;
    if (i === last) return;
    const moved = heap[last];
    heap[i] = moved;
    this.pos[moved] = i;
    this.siftUp(i);
    this.siftDown(this.pos[moved]);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const at = this.at as Float64Array;
    const pos = this.pos;
    const slot = heap[i];
    const t = at[slot];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (at[p] <= t) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const at = this.at as Float64Array;
    const pos = this.pos;
    const n = this.volatile;
    const slot = heap[i];
    const t = at[slot];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && at[heap[child + 1]] < at[heap[child]]) child++;
      const c = heap[child];
      if (at[c] >= t) break;
      heap[i] = c;
      pos[c] = i;
      i = child;
    }
    heap[i] = slot;
    pos[slot] = i;
  }
}

const EMPTY_POS = new Int32Array(0);
const EMPTY_HEAP = new Uint32Array(0);
/** A typed array object with its backing store header in V8 (MEMORY USAGE estimate). */
const TYPED_ARRAY_BYTES = 96;

/** Capacity for at least `min` entries, growing by half from `current` (at least 8). */
function grownCapacity(current: number, min: number): number {
  let cap = Math.max(8, current);
  while (cap < min) cap = Math.ceil(cap * 1.5);
  return cap;
}

/** write(): an existing, live field got the new value. */
export const WRITE_UPDATED = 0;
/** write(): the field was created. */
export const WRITE_CREATED = 1;
/** write(): the field was there but past its TTL; it was replaced as a new one (no TTL kept). */
export const WRITE_REPLACED_EXPIRED = 2;

/** A TTL-index time as the API reports it (EXPIRE_NONE for none). */
function reported(t: number): number {
  return t === NO_TTL ? EXPIRE_NONE : t;
}

export interface FieldWithExpiry {
  value: string;
  /** Absolute expire time in ms, or EXPIRE_NONE. */
  expireAt: number;
}

export class HashObject implements DataObject {
  /** Packed listpack, or the hashtable encoding. */
  private data: string | HashTable = '';
  /** Field count of the listpack encoding. */
  private n = 0;

  get type(): 'hash' {
    return 'hash';
  }

  encoding(): string {
    return typeof this.data === 'string' ? 'listpack' : 'hashtable';
  }

  /** Number of fields, including expired fields not yet reclaimed (HLEN). */
  get length(): number {
    return typeof this.data === 'string' ? this.n : this.data.fields.size;
  }

  /**
   * A hash holding the pairs of `flat` (field, value, field, value...), encoded as Valkey
   * loads one: listpack while within the limits. Later duplicates overwrite earlier ones.
   */
  static fromPairs(flat: readonly string[], limits: TypeLimits): HashObject {
    const h = new HashObject();
    h.tryConversion(flat, 0, flat.length - 1, limits);
    for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i], flat[i + 1], limits);
    return h;
  }

  /**
   * A listpack hash holding the pairs of `flat` as they are, whatever their lengths (RDB
   * loading of a listpack keeps it so, as Valkey does). The fields must be distinct.
   */
  static fromListpack(flat: readonly string[]): HashObject {
    const h = new HashObject();
    const entries: string[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push(keyEntry(flat[i]), plainEntry(flat[i + 1]));
    h.data = joinFlat(entries);
    h.n = flat.length >> 1;
    return h;
  }

  // ---- conversions ------------------------------------------------------

  /**
   * hashTypeTryConversion, before a write of args[start..end] (field/value pairs): more pairs
   * than hash-max-listpack-entries (even if some repeat) or any argument longer than
   * hash-max-listpack-value converts to hashtable.
   */
  tryConversion(args: readonly string[], start: number, end: number, limits: TypeLimits): void {
    if (typeof this.data !== 'string') return;
    if ((end - start + 1) >> 1 > limits.hashMaxListpackEntries) {
      this.toHashtable();
      return;
    }
    let sum = 0;
    for (let i = start; i <= end; i++) {
      const len = args[i].length;
      if (len > limits.hashMaxListpackValue) {
        this.toHashtable();
        return;
      }
      sum += len;
    }
    if (this.data.length + sum > LISTPACK_MAX_SAFE_BYTES) this.toHashtable();
  }

  /** Convert to the hashtable encoding now (HFE, DEBUG, loading). */
  toHashtable(): void {
    const lp = this.data;
    if (typeof lp !== 'string') return;
    const table = new HashTable();
    for (let p = 0; p < lp.length; ) {
      const field = readKey(lp, p);
      const value = readPlain(lp, rPos);
      p = rPos;
      table.fields.set(ownString(field), ownString(value));
    }
    this.data = table;
    this.n = 0;
  }

  // ---- reads --------------------------------------------------------------

  /** The value of `field`, or undefined (also when hidden as expired at `now`). */
  get(field: string, now = -1): string | undefined {
    const d = this.data;
    if (typeof d === 'string') {
      const p = findField(d, field);
      return p < 0 ? undefined : readPlain(d, skipKey(d, p));
    }
    const slot = d.fields.slotOf(field);
    if (slot < 0 || d.hiddenAt(slot, now)) return undefined;
    return d.fields.valueAt(slot);
  }

  has(field: string, now = -1): boolean {
    const d = this.data;
    if (typeof d === 'string') return findField(d, field) >= 0;
    const slot = d.fields.slotOf(field);
    return slot >= 0 && !d.hiddenAt(slot, now);
  }

  /** HSTRLEN: length of the value, 0 when missing. */
  valueLength(field: string, now = -1): number {
    const v = this.get(field, now);
    return v === undefined ? 0 : v.length;
  }

  /** Value and TTL of a field, visible or not (the caller decides on expiry). */
  getWithExpiry(field: string): FieldWithExpiry | undefined {
    const d = this.data;
    if (typeof d === 'string') {
      const p = findField(d, field);
      return p < 0 ? undefined : { value: readPlain(d, skipKey(d, p)), expireAt: EXPIRE_NONE };
    }
    const slot = d.fields.slotOf(field);
    if (slot < 0) return undefined;
    return { value: d.fields.valueAt(slot), expireAt: reported(d.expireAt(slot)) };
  }

  /** Visit every field in order (HGETALL, HKEYS, HVALS), skipping hidden ones. */
  forEach(fn: (field: string, value: string) => void, now = -1): void {
    const d = this.data;
    if (typeof d === 'string') {
      for (let p = 0; p < d.length; ) {
        const field = readKey(d, p);
        const value = readPlain(d, rPos);
        p = rPos;
        fn(field, value);
      }
      return;
    }
    if (d.at === null || now < 0) {
      d.fields.forEach(fn);
      return;
    }
    const at = d.at;
    const fields = d.fields;
    for (let slot = 0; slot < fields.size; slot++) {
      if (!(at[slot] < now)) fn(fields.keyAt(slot), fields.valueAt(slot));
    }
  }

  /**
   * Visit every field with its TTL (EXPIRE_NONE when it has none), hidden or not: for RDB
   * saving (type 22 keeps expired-unreclaimed fields) and AOF rewrite.
   */
  forEachWithExpiry(fn: (field: string, value: string, expireAt: number) => void): void {
    const d = this.data;
    if (typeof d === 'string') {
      this.forEach((f, v) => fn(f, v, EXPIRE_NONE));
      return;
    }
    const fields = d.fields;
    for (let slot = 0; slot < fields.size; slot++) fn(fields.keyAt(slot), fields.valueAt(slot), reported(d.expireAt(slot)));
  }

  /** [field, value, field, value, ...] of the visible fields. */
  toPairs(now = -1): string[] {
    const out: string[] = [];
    this.forEach((f, v) => {
      out.push(f, v);
    }, now);
    return out;
  }

  // ---- writes -------------------------------------------------------------

  /**
   * hashTypeSet: write a field. `ttl` is TTL_CLEAR (drop any TTL), TTL_KEEP (keep the TTL of
   * an overwritten field) or an absolute expire time in ms (converts a listpack to hashtable).
   * A field longer than hash-max-listpack-value, or a field count above
   * hash-max-listpack-entries, converts too. Returns true when the field was created.
   *
   * A field that is physically present but expired counts as overwritten here; write() tells the
   * caller about it.
   */
  set(field: string, value: string, limits: TypeLimits, ttl = TTL_CLEAR): boolean {
    return this.write(field, value, limits, ttl, -1) === WRITE_CREATED;
  }

  /**
   * set() that also reports whether it replaced a field hidden as expired at `now` (which then
   * counts as new: an expired field's TTL is never kept). One lookup on the hot path.
   * Returns WRITE_UPDATED, WRITE_CREATED or WRITE_REPLACED_EXPIRED.
   */
  write(field: string, value: string, limits: TypeLimits, ttl: number, now: number): number {
    let d = this.data;
    if (typeof d === 'string') {
      const max = limits.hashMaxListpackValue;
      if (ttl >= 0 || field.length > max || value.length > max) {
        this.toHashtable();
        d = this.data;
      }
    }
    if (typeof d === 'string') {
      const created = this.setInListpack(d, field, value);
      if (this.n > limits.hashMaxListpackEntries) this.toHashtable();
      return created ? WRITE_CREATED : WRITE_UPDATED;
    }
    let slot = d.fields.slotOf(field);
    let result = WRITE_UPDATED;
    if (slot < 0) {
      slot = d.insert(field, value);
      result = WRITE_CREATED;
    } else {
      d.fields.setValueAt(slot, value);
      if (d.hiddenAt(slot, now)) result = WRITE_REPLACED_EXPIRED;
    }
    if (ttl >= 0) d.setExpireAt(slot, ttl);
    else if (ttl === TTL_CLEAR || result === WRITE_REPLACED_EXPIRED) d.setExpireAt(slot, NO_TTL);
    return result;
  }

  /** HDEL one field (and its TTL). Returns true when it was there. */
  delete(field: string): boolean {
    const d = this.data;
    if (typeof d === 'string') {
      const p = findField(d, field);
      if (p < 0) return false;
      const end = skipPlain(d, skipKey(d, p));
      this.data = splice(d, p, end, '');
      this.n--;
      return true;
    }
    return d.remove(field);
  }

  // ---- field expiration (Valkey 9.0 HFE) --------------------------------

  /** The field's absolute expire time in ms, EXPIRE_NONE, or EXPIRE_MISSING (hidden or not). */
  fieldExpire(field: string): number {
    const d = this.data;
    if (typeof d === 'string') return findField(d, field) >= 0 ? EXPIRE_NONE : EXPIRE_MISSING;
    const slot = d.fields.slotOf(field);
    return slot < 0 ? EXPIRE_MISSING : reported(d.expireAt(slot));
  }

  /**
   * The TTL of a field as commands see it at `now`: EXPIRE_MISSING for a missing field or one
   * hidden as expired, EXPIRE_NONE, or the absolute expire time in ms.
   */
  liveExpire(field: string, now: number): number {
    const d = this.data;
    if (typeof d === 'string') return findField(d, field) >= 0 ? EXPIRE_NONE : EXPIRE_MISSING;
    const slot = d.fields.slotOf(field);
    if (slot < 0 || d.hiddenAt(slot, now)) return EXPIRE_MISSING;
    return reported(d.expireAt(slot));
  }

  /**
   * Give an existing field an absolute expire time (ms). The first TTL converts a listpack to
   * hashtable. Returns false (and changes nothing) when the field does not exist.
   */
  setExpire(field: string, expireAt: number): boolean {
    if (!this.has(field)) return false;
    this.toHashtable();
    const d = this.data as HashTable;
    d.setExpireAt(d.fields.slotOf(field), expireAt);
    return true;
  }

  /** HPERSIST: drop a field's TTL. Returns true when it had one. */
  persist(field: string): boolean {
    const d = this.data;
    if (typeof d === 'string' || d.at === null) return false;
    const slot = d.fields.slotOf(field);
    if (slot < 0 || d.at[slot] === NO_TTL) return false;
    d.setExpireAt(slot, NO_TTL);
    return true;
  }

  /** Is the field present but past its TTL at `now`? */
  isExpired(field: string, now: number): boolean {
    const d = this.data;
    return typeof d !== 'string' && d.isHidden(field, now);
  }

  /** Number of fields that carry a TTL (0 for a listpack). */
  volatileCount(): number {
    const d = this.data;
    return typeof d === 'string' ? 0 : d.volatile;
  }

  /** The keyspace's view of volatile items (Database tracks keys whose count is above 0). */
  volatileItemCount(): number {
    return this.volatileCount();
  }

  /** The earliest field expire time, or EXPIRE_NONE. O(1) amortized (the TTL index's top). */
  minExpire(): number {
    const d = this.data;
    if (typeof d === 'string') return EXPIRE_NONE;
    return reported(d.nextExpire());
  }

  /**
   * Active expiry: delete up to `max` fields whose TTL has passed at `now` (expire time < now)
   * and return them, earliest first. O(log n) per field through the TTL index.
   */
  popExpired(now: number, max: number): string[] {
    const d = this.data;
    if (typeof d === 'string' || d.at === null) return [];
    return d.popExpired(now, max);
  }

  /** Entries of the TTL index's heap, stale ones included (tests check its bound). */
  ttlIndexEntries(): number {
    const d = this.data;
    return typeof d === 'string' ? 0 : d.volatile;
  }

  // ---- random sampling and scans ------------------------------------------

  /**
   * HRANDFIELD without count: a random visible field with its value, or undefined (a hash whose
   * fields all look expired gives up after Valkey's 100 tries).
   */
  randomField(now = -1): [string, string] | undefined {
    const d = this.data;
    if (typeof d === 'string') {
      if (this.n === 0) return undefined;
      const p = nthField(d, randomIndex(this.n));
      const field = readKey(d, p);
      return [field, readPlain(d, rPos)];
    }
    for (let tries = 0; tries < RANDOM_LIVE_TRIES; tries++) {
      const slot = d.fields.randomSlot();
      if (slot < 0) return undefined;
      if (!d.hiddenAt(slot, now)) return [d.fields.keyAt(slot), d.fields.valueAt(slot)];
    }
    return undefined;
  }

  /**
   * HRANDFIELD with a negative count: `count` random picks, repeats allowed, as flat
   * [field, value, ...]. Stops early when no visible field turns up in 100 tries.
   */
  randomPairsWithRepeats(count: number, now = -1): string[] {
    const out: string[] = [];
    const d = this.data;
    if (typeof d === 'string') {
      const pos = fieldPositions(d, this.n);
      for (let i = 0; i < count; i++) {
        const field = readKey(d, pos[randomIndex(this.n)]);
        out.push(field, readPlain(d, rPos));
      }
      return out;
    }
    for (let i = 0; i < count; i++) {
      const pick = this.randomField(now);
      if (pick === undefined) break;
      out.push(pick[0], pick[1]);
    }
    return out;
  }

  /**
   * HRANDFIELD with a positive count below the size: `count` distinct random fields as flat
   * [field, value, ...] (listpack order for a listpack, random order otherwise). Fields hidden
   * as expired are never picked; as in Valkey, fewer come back only when fewer are visible.
   */
  randomPairsUnique(count: number, now = -1): string[] {
    const out: string[] = [];
    const d = this.data;
    const size = this.length;
    if (count > size) count = size;
    if (typeof d === 'string') {
      const pos = fieldPositions(d, this.n);
      for (const i of sortedDistinctIndexes(size, count)) {
        const field = readKey(d, pos[i]);
        out.push(field, readPlain(d, rPos));
      }
      return out;
    }
    if (d.at !== null && now >= 0) return randomLivePairs(d, count, now);
    for (const slot of distinctIndexes(size, count)) out.push(d.fields.keyAt(slot), d.fields.valueAt(slot));
    return out;
  }

  /**
   * HSCAN step: visit up to `count` fields from `cursor`, return the next cursor (0 = done).
   * A listpack is returned whole with cursor 0, as Valkey does. Hidden fields are skipped.
   */
  scan(cursor: number, count: number, fn: (field: string, value: string) => void, now = -1): number {
    const d = this.data;
    if (typeof d === 'string') {
      this.forEach(fn);
      return 0;
    }
    return d.fields.scan(cursor, count, (f, v, slot) => {
      if (!d.hiddenAt(slot, now)) fn(f, v);
    });
  }

  /**
   * MEMORY USAGE estimate in V8 bytes: the packed string of a listpack; for a hashtable the
   * table, its entries and the field and value strings, averaged over the first `samples`
   * fields (0 = all) as Valkey's objectComputeSize samples, plus the TTL index.
   */
  memoryUsage(samples = 5): number {
    const d = this.data;
    if (typeof d === 'string') return OBJECT_BYTES + stringBytes(d.length);
    const n = d.fields.size;
    let bytes = OBJECT_BYTES + TABLE_BYTES + n * TABLE_ENTRY_BYTES;
    bytes += d.indexBytes();
    if (n === 0) return bytes;
    const sampled = samples <= 0 || samples > n ? n : samples;
    let strings = 0;
    for (let i = 0; i < sampled; i++) strings += stringBytes(d.fields.keyAt(i).length) + stringBytes(d.fields.valueAt(i).length);
    return bytes + Math.round((strings / sampled) * n);
  }

  /**
   * A deep copy (COPY) with the field TTLs. Given `now` (>= 0), fields hidden as expired at that
   * time are left out, as Valkey's validating iterator leaves them out of hashTypeDup.
   */
  clone(now = -1): HashObject {
    const copy = new HashObject();
    const d = this.data;
    if (typeof d === 'string') {
      copy.data = d; // strings are immutable: share
      copy.n = this.n;
      return copy;
    }
    const table = new HashTable();
    const fields = d.fields;
    const slotMap = new Int32Array(fields.size);
    for (let slot = 0; slot < fields.size; slot++) {
      slotMap[slot] = d.hiddenAt(slot, now) ? -1 : table.insert(fields.keyAt(slot), fields.valueAt(slot));
    }
    d.copyInto(table, slotMap);
    copy.data = table;
    return copy;
  }

  // ---- listpack internals -------------------------------------------------

  private setInListpack(lp: string, field: string, value: string): boolean {
    const p = findField(lp, field);
    if (p >= 0) {
      const vpos = skipKey(lp, p);
      const end = skipPlain(lp, vpos);
      // Rewriting the same value would only copy the packed string.
      if (end - rPos !== value.length || !holdsAt(lp, rPos, value)) this.data = splice(lp, vpos, end, plainEntry(value));
      return false;
    }
    this.data = joinFlat([lp, keyEntry(field), plainEntry(value)]);
    this.n++;
    return true;
  }
}

/**
 * `count` distinct visible fields of a hashtable with TTLs, at random. O(size): Valkey samples
 * the table and skips expired entries; with TTLs in play we filter first so the pick is uniform
 * over the visible fields and returns `count` of them whenever that many are visible.
 */
function randomLivePairs(d: HashTable, count: number, now: number): string[] {
  const live: number[] = [];
  for (let slot = 0; slot < d.fields.size; slot++) {
    if (!d.hiddenAt(slot, now)) live.push(slot);
  }
  const out: string[] = [];
  const n = Math.min(count, live.length);
  for (const i of distinctIndexes(live.length, n)) out.push(d.fields.keyAt(live[i]), d.fields.valueAt(live[i]));
  return out;
}

/** Position of the field's key entry in a packed hash, or -1. */
function findField(lp: string, field: string): number {
  const tag = keyTag(field);
  for (let p = 0; p < lp.length; ) {
    if (keyEquals(lp, p, field, tag)) return p;
    p = skipPlain(lp, rPos);
  }
  return -1;
}

/** Position of the i-th field (0-based) in a packed hash. */
function nthField(lp: string, i: number): number {
  let p = 0;
  for (; i > 0; i--) p = skipPlain(lp, skipKey(lp, p));
  return p;
}

/** Positions of all n fields in a packed hash. */
function fieldPositions(lp: string, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0, p = 0; i < n; i++) {
    out[i] = p;
    p = skipPlain(lp, skipKey(lp, p));
  }
  return out;
}
