// The hash type: encodings "listpack" and "hashtable", as in Valkey 9.0.
//
// listpack:  one packed string (packed.ts) of field (key entry) / value (plain entry) pairs in
//            insertion order, plus the field count. Never holds TTLs.
// hashtable: a KeyTable<string> (field -> value; dense slots give cursor scans and O(1) random
//            picks) plus, once any field has a TTL, a Map field -> expire-at ms.
//
// Conversion listpack -> hashtable happens, as in t_hash.c, when a command is about to add a
// field or value longer than hash-max-listpack-value (tryConversion, or set() itself), when the
// field count passes hash-max-listpack-entries, and when the first field TTL is set (Valkey
// 9.0 hash field expiration: a listpack hash never holds TTLs). It never converts back.
//
// Field expiration: every reader takes an optional `now` (ms). With now >= 0, fields whose TTL
// has passed (expireAt < now) are hidden, as Valkey's hashtable "validate" callback hides them;
// with now = -1 (loading, replication stream, import) everything is visible. `length` counts
// hidden fields too (HLEN does). Reclaiming them is the caller's job (collectExpired + delete).

import { DataObject } from './object';
import { KeyTable } from '../db/keytable';
import { TypeLimits, LISTPACK_MAX_SAFE_BYTES } from './limits';
import {
  keyEntry,
  keyEquals,
  keyTag,
  ownString,
  plainEntry,
  readKey,
  readPlain,
  rPos,
  skipKey,
  skipPlain,
  splice,
  flatten,
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

// MEMORY USAGE estimates (64-bit V8): an object header, a KeyTable (Map + two arrays + meta),
// one table entry (Map entry, two array slots, meta), one Map entry of the TTL index.
const OBJECT_BYTES = 32;
const TABLE_BYTES = 160;
const TABLE_ENTRY_BYTES = 56;
const EXPIRE_ENTRY_BYTES = 40;

/** A sequential one-byte string: 16-byte header plus its bytes, rounded to 8. */
function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

/** How many random picks a sampler tries to find a live field (Valkey's limit). */
const RANDOM_LIVE_TRIES = 100;

/** The hashtable encoding. */
class HashTable {
  readonly fields = new KeyTable<string>();
  /** field -> expire-at ms, for the fields that have a TTL; null when none has. */
  expires: Map<string, number> | null = null;

  isHidden(field: string, now: number): boolean {
    if (this.expires === null || now < 0) return false;
    const at = this.expires.get(field);
    return at !== undefined && at < now;
  }
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
    let lp = '';
    for (let i = 0; i + 1 < flat.length; i += 2) lp += keyEntry(flat[i]) + plainEntry(flat[i + 1]);
    h.data = flatten(lp);
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
    if (d.isHidden(field, now)) return undefined;
    return d.fields.get(field);
  }

  has(field: string, now = -1): boolean {
    const d = this.data;
    if (typeof d === 'string') return findField(d, field) >= 0;
    return d.fields.has(field) && !d.isHidden(field, now);
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
    const value = d.fields.get(field);
    if (value === undefined) return undefined;
    const at = d.expires === null ? undefined : d.expires.get(field);
    return { value, expireAt: at === undefined ? EXPIRE_NONE : at };
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
    if (d.expires === null || now < 0) {
      d.fields.forEach(fn);
      return;
    }
    d.fields.forEach((f, v) => {
      if (!d.isHidden(f, now)) fn(f, v);
    });
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
    const expires = d.expires;
    d.fields.forEach((f, v) => {
      const at = expires === null ? undefined : expires.get(f);
      fn(f, v, at === undefined ? EXPIRE_NONE : at);
    });
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
   * A field that is physically present but expired counts as overwritten here; the command
   * layer decides how to report it (Valkey 9.0.2 counts it as created).
   */
  set(field: string, value: string, limits: TypeLimits, ttl = TTL_CLEAR): boolean {
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
      return created;
    }
    const created = !d.fields.has(field);
    d.fields.set(field, value);
    if (ttl >= 0) {
      if (d.expires === null) d.expires = new Map();
      d.expires.set(field, ttl);
    } else if (d.expires !== null && (ttl === TTL_CLEAR || created)) {
      removeExpire(d, field);
    }
    return created;
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
    if (!d.fields.delete(field)) return false;
    if (d.expires !== null) removeExpire(d, field);
    return true;
  }

  // ---- field expiration (Valkey 9.0 HFE) --------------------------------

  /** The field's absolute expire time in ms, EXPIRE_NONE, or EXPIRE_MISSING. */
  fieldExpire(field: string): number {
    const d = this.data;
    if (typeof d === 'string') return findField(d, field) >= 0 ? EXPIRE_NONE : EXPIRE_MISSING;
    if (!d.fields.has(field)) return EXPIRE_MISSING;
    const at = d.expires === null ? undefined : d.expires.get(field);
    return at === undefined ? EXPIRE_NONE : at;
  }

  /**
   * Give an existing field an absolute expire time (ms). The first TTL converts a listpack to
   * hashtable. Returns false (and changes nothing) when the field does not exist.
   */
  setExpire(field: string, expireAt: number): boolean {
    if (!this.has(field)) return false;
    this.toHashtable();
    const d = this.data as HashTable;
    if (d.expires === null) d.expires = new Map();
    d.expires.set(field, expireAt);
    return true;
  }

  /** HPERSIST: drop a field's TTL. Returns true when it had one. */
  persist(field: string): boolean {
    const d = this.data;
    if (typeof d === 'string' || d.expires === null || !d.expires.has(field)) return false;
    removeExpire(d, field);
    return true;
  }

  /** Is the field present but past its TTL at `now`? */
  isExpired(field: string, now: number): boolean {
    const d = this.data;
    return typeof d !== 'string' && d.fields.has(field) && d.isHidden(field, now);
  }

  /** Number of fields that carry a TTL (0 for a listpack). */
  volatileCount(): number {
    const d = this.data;
    return typeof d === 'string' || d.expires === null ? 0 : d.expires.size;
  }

  /** The earliest field expire time, or EXPIRE_NONE. O(volatile fields). */
  minExpire(): number {
    const d = this.data;
    if (typeof d === 'string' || d.expires === null) return EXPIRE_NONE;
    let min = Infinity;
    for (const at of d.expires.values()) if (at < min) min = at;
    return min;
  }

  /**
   * Up to `max` fields whose TTL has passed at `now` (for active expiry, which then deletes
   * them and propagates HDEL). O(volatile fields) in the worst case.
   */
  collectExpired(now: number, max: number): string[] {
    const d = this.data;
    const out: string[] = [];
    if (typeof d === 'string' || d.expires === null) return out;
    for (const [field, at] of d.expires) {
      if (out.length >= max) break;
      if (at < now) out.push(field);
    }
    return out;
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
      const field = d.fields.keyAt(slot);
      if (!d.isHidden(field, now)) return [field, d.fields.valueAt(slot)];
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
    if (d.expires !== null && now >= 0) return randomLivePairs(d, count, now);
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
    return d.fields.scan(cursor, count, (f, v) => {
      if (!d.isHidden(f, now)) fn(f, v);
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
    if (d.expires !== null) bytes += TABLE_BYTES + d.expires.size * EXPIRE_ENTRY_BYTES;
    if (n === 0) return bytes;
    const sampled = samples <= 0 || samples > n ? n : samples;
    let strings = 0;
    for (let i = 0; i < sampled; i++) strings += stringBytes(d.fields.keyAt(i).length) + stringBytes(d.fields.valueAt(i).length);
    return bytes + Math.round((strings / sampled) * n);
  }

  clone(): HashObject {
    const copy = new HashObject();
    const d = this.data;
    if (typeof d === 'string') {
      copy.data = d; // strings are immutable: share
      copy.n = this.n;
      return copy;
    }
    const table = new HashTable();
    d.fields.forEach((f, v) => {
      table.fields.set(f, v);
    });
    if (d.expires !== null) table.expires = new Map(d.expires);
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
      if (end - rPos !== value.length || lp.substring(rPos, end) !== value) this.data = splice(lp, vpos, end, plainEntry(value));
      return false;
    }
    this.data = flatten(lp + keyEntry(field) + plainEntry(value));
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
    if (!d.isHidden(d.fields.keyAt(slot), now)) live.push(slot);
  }
  const out: string[] = [];
  const n = Math.min(count, live.length);
  for (const i of distinctIndexes(live.length, n)) out.push(d.fields.keyAt(live[i]), d.fields.valueAt(live[i]));
  return out;
}

function removeExpire(d: HashTable, field: string): void {
  const expires = d.expires as Map<string, number>;
  expires.delete(field);
  if (expires.size === 0) d.expires = null;
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
