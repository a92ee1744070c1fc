// An ordered map keyed by stream ID, for pending entries lists (a consumer group's PEL and each
// consumer's). Entries live in sorted blocks of at most BLOCK_MAX: lookups and inserts are a
// binary search over blocks then inside one, appends at the end (the usual case: deliveries come
// in ID order) are O(1), and deleting anywhere moves at most one block's tail.

import { type U64, cmpId } from './streamId';

const BLOCK_MAX = 128;

class Block<V> {
  ms: U64[] = [];
  seq: U64[] = [];
  vals: V[] = [];
}

export interface IdEntry<V> {
  ms: U64;
  seq: U64;
  value: V;
}

export class IdMap<V> {
  private blocks: Block<V>[] = [];
  size = 0;

  /** Index of the block that would hold (ms, seq): the last whose first key is <= it. */
  private blockFor(ms: U64, seq: U64): number {
    const bl = this.blocks;
    let lo = 0;
    let hi = bl.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const b = bl[mid];
      if (cmpId(b.ms[0], b.seq[0], ms, seq) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First index in block b with key >= (ms, seq) (may be b.ms.length). */
  private static lowerBound<V>(b: Block<V>, ms: U64, seq: U64): number {
    let lo = 0;
    let hi = b.ms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(b.ms[mid], b.seq[mid], ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(ms: U64, seq: U64): V | undefined {
    if (this.size === 0) return undefined;
    const b = this.blocks[this.blockFor(ms, seq)];
    const i = IdMap.lowerBound(b, ms, seq);
    return i < b.ms.length && b.ms[i] === ms && b.seq[i] === seq ? b.vals[i] : undefined;
  }

  has(ms: U64, seq: U64): boolean {
    return this.get(ms, seq) !== undefined;
  }

  /** Insert unless present (raxTryInsert); returns true when inserted. */
  tryInsert(ms: U64, seq: U64, v: V): boolean {
    const bl = this.blocks;
    if (bl.length === 0) {
      const b = new Block<V>();
      b.ms.push(ms);
      b.seq.push(seq);
      b.vals.push(v);
      bl.push(b);
      this.size = 1;
      return true;
    }
    // Fast path: after the last key.
    const last = bl[bl.length - 1];
    const n = last.ms.length;
    const c = cmpId(last.ms[n - 1], last.seq[n - 1], ms, seq);
    if (c < 0) {
      if (n >= BLOCK_MAX) {
        const b = new Block<V>();
        b.ms.push(ms);
        b.seq.push(seq);
        b.vals.push(v);
        bl.push(b);
      } else {
        last.ms.push(ms);
        last.seq.push(seq);
        last.vals.push(v);
      }
      this.size++;
      return true;
    }
    if (c === 0) return false;
    const bi = this.blockFor(ms, seq);
    const b = bl[bi];
    const i = IdMap.lowerBound(b, ms, seq);
    if (i < b.ms.length && b.ms[i] === ms && b.seq[i] === seq) return false;
    b.ms.splice(i, 0, ms);
    b.seq.splice(i, 0, seq);
    b.vals.splice(i, 0, v);
    this.size++;
    if (b.ms.length > BLOCK_MAX) this.split(bi);
    return true;
  }

  /** Insert or replace. */
  set(ms: U64, seq: U64, v: V): void {
    if (!this.tryInsert(ms, seq, v)) {
      const b = this.blocks[this.blockFor(ms, seq)];
      b.vals[IdMap.lowerBound(b, ms, seq)] = v;
    }
  }

  private split(bi: number): void {
    const b = this.blocks[bi];
    const half = b.ms.length >> 1;
    const nb = new Block<V>();
    nb.ms = b.ms.splice(half);
    nb.seq = b.seq.splice(half);
    nb.vals = b.vals.splice(half);
    this.blocks.splice(bi + 1, 0, nb);
  }

  /** Remove a key; returns its value or undefined. */
  delete(ms: U64, seq: U64): V | undefined {
    if (this.size === 0) return undefined;
    const bi = this.blockFor(ms, seq);
    const b = this.blocks[bi];
    const i = IdMap.lowerBound(b, ms, seq);
    if (i >= b.ms.length || b.ms[i] !== ms || b.seq[i] !== seq) return undefined;
    const v = b.vals[i];
    if (b.ms.length === 1) {
      this.blocks.splice(bi, 1);
    } else if (i === 0) {
      b.ms.shift();
      b.seq.shift();
      b.vals.shift();
    } else {
      b.ms.splice(i, 1);
      b.seq.splice(i, 1);
      b.vals.splice(i, 1);
    }
    this.size--;
    return v;
  }

  first(): IdEntry<V> | null {
    if (this.size === 0) return null;
    const b = this.blocks[0];
    return { ms: b.ms[0], seq: b.seq[0], value: b.vals[0] };
  }

  last(): IdEntry<V> | null {
    if (this.size === 0) return null;
    const b = this.blocks[this.blocks.length - 1];
    const i = b.ms.length - 1;
    return { ms: b.ms[i], seq: b.seq[i], value: b.vals[i] };
  }

  /** The first entry with key >= (ms, seq), or null. */
  ceil(ms: U64, seq: U64): IdEntry<V> | null {
    if (this.size === 0) return null;
    let bi = this.blockFor(ms, seq);
    let b = this.blocks[bi];
    let i = IdMap.lowerBound(b, ms, seq);
    if (i >= b.ms.length) {
      bi++;
      if (bi >= this.blocks.length) return null;
      b = this.blocks[bi];
      i = 0;
    }
    return { ms: b.ms[i], seq: b.seq[i], value: b.vals[i] };
  }

  /**
   * Visit entries in order from the first key >= (ms, seq) until `fn` returns false. The map must
   * not change during the walk (use ceil() to walk while deleting).
   */
  forEachFrom(ms: U64, seq: U64, fn: (ms: U64, seq: U64, v: V) => boolean | void): void {
    if (this.size === 0) return;
    const bl = this.blocks;
    let bi = this.blockFor(ms, seq);
    let i = IdMap.lowerBound(bl[bi], ms, seq);
    for (; bi < bl.length; bi++, i = 0) {
      const b = bl[bi];
      for (; i < b.ms.length; i++) if (fn(b.ms[i], b.seq[i], b.vals[i]) === false) return;
    }
  }

  /** Visit every entry in order until `fn` returns false. */
  forEach(fn: (ms: U64, seq: U64, v: V) => boolean | void): void {
    for (const b of this.blocks) {
      for (let i = 0; i < b.ms.length; i++) if (fn(b.ms[i], b.seq[i], b.vals[i]) === false) return;
    }
  }

  /** Rough heap bytes (MEMORY USAGE). */
  memoryUsage(): number {
    return 64 + this.blocks.length * 120 + this.size * 24;
  }
}
