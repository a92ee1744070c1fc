// Key tables: maps from key to value that can also be scanned with a cursor and sampled at
// random, the two things a JS Map cannot do, built to touch little memory per lookup: a random
// lookup in a big keyspace costs its cache and TLB misses, not its instructions.
//
// Entries live in dense slots 0..size-1. Deleting swaps the last slot into the hole. Cursors walk
// the slots from the top down, so a swap only ever moves an entry from the already-visited top
// into the hole: an entry present for the whole scan is returned at least once (Valkey's SCAN
// guarantee), and each call does work bounded by its COUNT, not by the size of the table.
//
// The index is open addressing with linear probing over one Int32Array of (hash, slot + 1)
// pairs, 0 marking a free position. A probe reads one cache line of it; the key itself is only
// compared when the 32-bit hashes agree. Deletion shifts the following run back (no tombstones).
//
// Two storages share the index: KeyTable keeps key and value side by side in one array (one
// cache line holds both), NumberTable keeps number values unboxed in a Float64Array (TTLs, zset
// scores).

const MIN_CAPACITY = 8;

// MEMORY USAGE estimates (64-bit V8) of a table: the objects with their empty index and arrays,
// and per entry its two 8-byte storage slots plus its share of the index (at 3/8 to 3/4 load).
export const TABLE_BYTES = 240;
export const TABLE_ENTRY_BYTES = 32;

/** Per-process random seed, so that which keys collide cannot be known in advance. */
const HASH_SEED = (Math.random() * 0x100000000) | 0;

/** 32-bit hash of a latin1 string, four characters per multiply. */
export function hashKey(s: string): number {
  const n = s.length;
  let h = HASH_SEED ^ n;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    h = Math.imul(h ^ w, 0x5bd1e995);
    h ^= h >>> 15;
  }
  for (; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
  h ^= h >>> 13;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 16);
}

/** hashKey of the latin1 string of bytes [start, end): the same number, without the string. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x5bd1e995);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ b[i], 0x5bd1e995);
  h ^= h >>> 13;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 16);
}

/** See worthPrefetching. */
const PREFETCH_MIN_KEYS = 32768;

/** Scratch index slots for prefetch(). */
const prefetchSlots = new Int32Array(64);

abstract class SlotTable<V> {
  /** (hash, slot + 1) pairs; capacity is a power of two, at most 3/4 of it in use */
  private index = new Int32Array(2 * MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;
  /** per-slot 32-bit metadata (LRU clock or LFU counter); allocated on first non-zero use */
  private meta: Uint32Array | null = null;
  /**
   * The last key found and its slot. A command mostly looks its key up several times in a row
   * (INCR: the read, then the store). Forgotten whenever slots move (delete, clear).
   */
  private lastKey: string | null = null;
  private lastSlot = -1;

  abstract keyAt(slot: number): string;
  abstract valueAt(slot: number): V;
  abstract setValueAt(slot: number, v: V): void;
  /** storage: append an entry at slot `size` */
  protected abstract pushEntry(key: string, v: V): void;
  /** storage: copy the entry of slot `from` over slot `to` */
  protected abstract moveEntry(from: number, to: number): void;
  /** storage: drop the entry of the last slot */
  protected abstract popEntry(): void;
  protected abstract clearEntries(): void;

  get size(): number {
    return this.count;
  }

  /** Index position holding `key`, or the free position where it would go (as ~position). */
  private probe(key: string, h: number): number {
    const index = this.index;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = index[2 * i + 1];
      if (s === 0) return ~i;
      if (index[2 * i] === h && this.keyAt(s - 1) === key) return i;
    }
  }

  private find(key: string): number {
    if (key === this.lastKey) return this.lastSlot;
    const i = this.probe(key, hashKey(key));
    if (i < 0) return -1;
    const slot = this.index[2 * i + 1] - 1;
    this.lastKey = key;
    this.lastSlot = slot;
    return slot;
  }

  /**
   * Bring into the cache what lookups of keys with these hashes will read (index position,
   * entry, key and value), a whole pipeline at a time: in a big table each of these reads is a
   * cache (and TLB) miss, and issued together their latencies overlap instead of adding up.
   * Only a hint: it changes nothing.
   */
  prefetch(hashes: Int32Array, n: number): void {
    const index = this.index;
    const mask = this.mask;
    const slots = prefetchSlots;
    const count = Math.min(n, slots.length);
    let touched = 0;
    for (let j = 0; j < count; j++) touched += index[2 * (hashes[j] & mask) + 1];
    for (let j = 0; j < count; j++) {
      const h = hashes[j];
      let i = h & mask;
      while (index[2 * i + 1] !== 0 && index[2 * i] !== h) i = (i + 1) & mask;
      slots[j] = index[2 * i + 1];
      if (slots[j] !== 0) touched += this.touchEntry(slots[j] - 1, false);
    }
    for (let j = 0; j < count; j++) if (slots[j] !== 0) touched += this.touchEntry(slots[j] - 1, true);
    this.prefetchSink = touched;
  }

  /**
   * Is the table big enough for a prefetch() before a batch of lookups to pay? Below this size it
   * mostly sits in the CPU caches already.
   */
  get worthPrefetching(): boolean {
    return this.count >= PREFETCH_MIN_KEYS;
  }

  /** Kept so that the reads of prefetch() are not optimized away. */
  private prefetchSink = 0;

  /** Read the entry of a slot; with `deep`, also the key and value objects it points to. */
  protected abstract touchEntry(slot: number, deep: boolean): number;

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  get(key: string): V | undefined {
    const slot = this.find(key);
    return slot < 0 ? undefined : this.valueAt(slot);
  }

  /** Slot of a key, or -1. Valid until the next delete. */
  slotOf(key: string): number {
    return this.find(key);
  }

  metaAt(slot: number): number {
    return this.meta === null ? 0 : this.meta[slot];
  }

  setMetaAt(slot: number, m: number): void {
    if (this.meta === null || slot >= this.meta.length) {
      if (m === 0 && this.meta === null) return;
      this.growMeta(slot + 1);
    }
    this.meta![slot] = m;
  }

  private growMeta(atLeast: number): void {
    let n = this.meta === null ? 16 : this.meta.length;
    while (n < atLeast) n *= 2;
    const m = new Uint32Array(n);
    if (this.meta !== null) m.set(this.meta);
    this.meta = m;
  }

  /** Insert or overwrite; returns the slot. New entries get `meta`. */
  set(key: string, v: V, meta = 0): number {
    if (key === this.lastKey) {
      this.setValueAt(this.lastSlot, v);
      return this.lastSlot;
    }
    const h = hashKey(key);
    let i = this.probe(key, h);
    if (i >= 0) {
      const found = this.index[2 * i + 1] - 1;
      this.setValueAt(found, v);
      return found;
    }
    if ((this.count + 1) * 4 > this.capacity * 3) {
      this.resize(this.capacity * 2);
      i = this.probe(key, h);
    }
    const slot = this.count++;
    this.pushEntry(key, v);
    this.index[2 * ~i] = h;
    this.index[2 * ~i + 1] = slot + 1;
    if (meta !== 0 || this.meta !== null) this.setMetaAt(slot, meta);
    return slot;
  }

  delete(key: string): boolean {
    const i = this.probe(key, hashKey(key));
    if (i < 0) return false;
    this.lastKey = null;
    const slot = this.index[2 * i + 1] - 1;
    this.unlinkPosition(i);
    const last = --this.count;
    if (slot !== last) {
      // The last entry fills the hole; its index pair must point at its new slot.
      const moved = this.probe(this.keyAt(last), hashKey(this.keyAt(last)));
      this.index[2 * moved + 1] = slot + 1;
      this.moveEntry(last, slot);
      if (this.meta !== null) this.meta[slot] = this.meta[last];
    }
    this.popEntry();
    if (this.count === 0) this.meta = null;
    if (this.capacity > MIN_CAPACITY && this.count * 8 < this.capacity) this.resize(this.capacity / 2);
    return true;
  }

  /** Free index position `i`, moving back the pairs after it that probed past it. */
  private unlinkPosition(i: number): void {
    const index = this.index;
    const mask = this.mask;
    let hole = i;
    for (let j = (i + 1) & mask; index[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = index[2 * j] & mask;
      // The pair at j may move into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      index[2 * hole] = index[2 * j];
      index[2 * hole + 1] = index[2 * j + 1];
      hole = j;
    }
    index[2 * hole] = 0;
    index[2 * hole + 1] = 0;
  }

  private get capacity(): number {
    return this.mask + 1;
  }

  private resize(capacity: number): void {
    const old = this.index;
    const index = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    for (let p = 0; p < old.length; p += 2) {
      if (old[p + 1] === 0) continue;
      let i = old[p] & mask;
      while (index[2 * i + 1] !== 0) i = (i + 1) & mask;
      index[2 * i] = old[p];
      index[2 * i + 1] = old[p + 1];
    }
    this.index = index;
    this.mask = mask;
  }

  clear(): void {
    this.lastKey = null;
    this.index = new Int32Array(2 * MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
    this.meta = null;
    this.clearEntries();
  }

  /** A uniformly random slot, or -1 when empty. */
  randomSlot(): number {
    const n = this.count;
    return n === 0 ? -1 : Math.floor(Math.random() * n);
  }

  /**
   * Visit up to `count` entries from `cursor` (0 = start). Returns the next cursor, 0 when done.
   * The cursor is the number of slots below the visited region.
   */
  scan(cursor: number, count: number, visit: (key: string, value: V, slot: number) => void): number {
    let p = cursor === 0 ? this.count : Math.min(cursor, this.count);
    let budget = count;
    while (p > 0 && budget > 0) {
      p--;
      visit(this.keyAt(p), this.valueAt(p), p);
      budget--;
    }
    return p;
  }

  /** Iterate all entries (the callback must not delete). */
  forEach(fn: (key: string, value: V) => void): void {
    for (let i = 0; i < this.count; i++) fn(this.keyAt(i), this.valueAt(i));
  }

  keyList(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.keyAt(i);
    return out;
  }
}

/** Keys with values of any type, each key beside its value. */
export class KeyTable<V> extends SlotTable<V> {
  /** key of slot s at 2s, its value at 2s + 1 */
  private entries: unknown[] = [];

  keyAt(slot: number): string {
    return this.entries[2 * slot] as string;
  }

  valueAt(slot: number): V {
    return this.entries[2 * slot + 1] as V;
  }

  setValueAt(slot: number, v: V): void {
    this.entries[2 * slot + 1] = v;
  }

  protected touchEntry(slot: number, deep: boolean): number {
    const key = this.entries[2 * slot] as string;
    const v = this.entries[2 * slot + 1];
    if (!deep) return key === v ? 1 : 0;
    return key.length + (typeof v === 'string' ? v.length : 0);
  }

  protected pushEntry(key: string, v: V): void {
    this.entries.push(key, v);
  }

  protected moveEntry(from: number, to: number): void {
    this.entries[2 * to] = this.entries[2 * from];
    this.entries[2 * to + 1] = this.entries[2 * from + 1];
  }

  protected popEntry(): void {
    this.entries.pop();
    this.entries.pop();
  }

  protected clearEntries(): void {
    this.entries = [];
  }
}

/** Keys with number values (TTLs, scores), kept unboxed. */
export class NumberTable extends SlotTable<number> {
  private keys: string[] = [];
  private values = new Float64Array(4);

  keyAt(slot: number): string {
    return this.keys[slot];
  }

  valueAt(slot: number): number {
    return this.values[slot];
  }

  setValueAt(slot: number, v: number): void {
    this.values[slot] = v;
  }

  protected touchEntry(slot: number, deep: boolean): number {
    const key = this.keys[slot];
    return deep ? key.length + this.values[slot] : key === undefined ? 1 : 0;
  }

  protected pushEntry(key: string, v: number): void {
    const slot = this.keys.length;
    this.keys.push(key);
    if (slot === this.values.length) {
      const grown = new Float64Array(slot * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[slot] = v;
  }

  protected moveEntry(from: number, to: number): void {
    this.keys[to] = this.keys[from];
    this.values[to] = this.values[from];
  }

  protected popEntry(): void {
    this.keys.pop();
    // Give back the value array of a table that shrank a lot.
    if (this.values.length > 64 && this.keys.length * 4 < this.values.length) this.values = this.values.slice(0, this.values.length / 2);
  }

  protected clearEntries(): void {
    this.keys = [];
    this.values = new Float64Array(4);
  }
}
