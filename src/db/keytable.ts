// KeyTable: a map from key to value that can also be scanned with a cursor and sampled at
// random, the two things a JS Map cannot do.
//
// Lookup goes through a Map<key, slot>; the slots are dense parallel arrays. Deleting swaps the
// last slot into the hole. Cursors walk the dense arrays from the top down, so a swap only ever
// moves an entry from the already-visited top into the hole: an entry present for the whole
// scan is returned at least once (Valkey's SCAN guarantee), and each call does work bounded by
// its COUNT, not by the size of the table.

export class KeyTable<V> {
  private readonly index = new Map<string, number>();
  private keys: string[] = [];
  private vals: V[] = [];
  /** Per-entry 32-bit metadata (LRU clock or LFU counter), kept beside the entry. */
  private meta = new Uint32Array(16);
  /**
   * The last key found and its slot. A command mostly looks its key up several times in a row
   * (INCR: the read, then the store), and in a big table each Map lookup of a key costs cache
   * misses. Forgotten whenever slots move (delete, clear).
   */
  private lastKey: string | null = null;
  private lastSlot = -1;

  get size(): number {
    return this.keys.length;
  }

  private find(key: string): number | undefined {
    if (key === this.lastKey) return this.lastSlot;
    const i = this.index.get(key);
    if (i !== undefined) {
      this.lastKey = key;
      this.lastSlot = i;
    }
    return i;
  }

  has(key: string): boolean {
    return this.find(key) !== undefined;
  }

  get(key: string): V | undefined {
    const i = this.find(key);
    return i === undefined ? undefined : this.vals[i];
  }

  /** Slot of a key, or -1. Valid until the next delete. */
  slotOf(key: string): number {
    const i = this.find(key);
    return i === undefined ? -1 : i;
  }

  keyAt(slot: number): string {
    return this.keys[slot];
  }

  valueAt(slot: number): V {
    return this.vals[slot];
  }

  setValueAt(slot: number, v: V): void {
    this.vals[slot] = v;
  }

  metaAt(slot: number): number {
    return this.meta[slot];
  }

  setMetaAt(slot: number, m: number): void {
    this.meta[slot] = m;
  }

  /** Insert or overwrite; returns the slot. New entries get `meta`. */
  set(key: string, v: V, meta = 0): number {
    const i = this.find(key);
    if (i !== undefined) {
      this.vals[i] = v;
      return i;
    }
    const slot = this.keys.length;
    this.index.set(key, slot);
    this.keys.push(key);
    this.vals.push(v);
    if (slot >= this.meta.length) {
      const m = new Uint32Array(this.meta.length * 2);
      m.set(this.meta);
      this.meta = m;
    }
    this.meta[slot] = meta;
    return slot;
  }

  delete(key: string): boolean {
    const i = this.find(key);
    if (i === undefined) return false;
    this.lastKey = null;
    this.index.delete(key);
    const last = this.keys.length - 1;
    if (i !== last) {
      const movedKey = this.keys[last];
      this.keys[i] = movedKey;
      this.vals[i] = this.vals[last];
      this.meta[i] = this.meta[last];
      this.index.set(movedKey, i);
    }
    this.keys.pop();
    this.vals.pop();
    if (this.keys.length === 0 && this.meta.length > 1024) this.meta = new Uint32Array(16);
    return true;
  }

  clear(): void {
    this.lastKey = null;
    this.index.clear();
    this.keys = [];
    this.vals = [];
    this.meta = new Uint32Array(16);
  }

  /** A uniformly random slot, or -1 when empty. */
  randomSlot(): number {
    const n = this.keys.length;
    return n === 0 ? -1 : Math.floor(Math.random() * n);
  }

  /**
   * Visit up to `count` entries from `cursor` (0 = start). Returns the next cursor, 0 when done.
   * The cursor is the number of slots below the visited region.
   */
  scan(cursor: number, count: number, visit: (key: string, value: V, slot: number) => void): number {
    let p = cursor === 0 ? this.keys.length : Math.min(cursor, this.keys.length);
    let budget = count;
    while (p > 0 && budget > 0) {
      p--;
      visit(this.keys[p], this.vals[p], p);
      budget--;
    }
    return p;
  }

  /** Iterate all entries (the callback must not delete). */
  forEach(fn: (key: string, value: V) => void): void {
    const keys = this.keys;
    const vals = this.vals;
    for (let i = 0; i < keys.length; i++) fn(keys[i], vals[i]);
  }

  keyList(): string[] {
    return this.keys.slice();
  }
}
