// Ring: a growable circular buffer (deque). O(1) push/pop at both ends and O(1) indexing;
// inserting or removing in the middle shifts the shorter side, O(min(i, n - i)).
// Used for the elements of a list chunk and for the chunk sequence of a quicklist.

export class Ring<T> {
  protected buf: (T | undefined)[];
  protected head = 0;
  protected len = 0;

  constructor(capacity = 4) {
    let cap = 4;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<T | undefined>(cap);
  }

  get length(): number {
    return this.len;
  }

  /** Element i (0 = first); the caller keeps 0 <= i < length. */
  at(i: number): T {
    return this.buf[(this.head + i) & (this.buf.length - 1)] as T;
  }

  setAt(i: number, v: T): void {
    this.buf[(this.head + i) & (this.buf.length - 1)] = v;
  }

  first(): T {
    return this.buf[this.head] as T;
  }

  last(): T {
    return this.buf[(this.head + this.len - 1) & (this.buf.length - 1)] as T;
  }

  push(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) & (this.buf.length - 1)] = v;
    this.len++;
  }

  unshift(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.len++;
  }

  /** Remove and return the last element (undefined when empty). */
  pop(): T | undefined {
    if (this.len === 0) return undefined;
    this.len--;
    const i = (this.head + this.len) & (this.buf.length - 1);
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.maybeShrink();
    return v;
  }

  /** Remove and return the first element (undefined when empty). */
  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Insert v so that it becomes element i (0 <= i <= length). */
  insert(i: number, v: T): void {
    if (i === 0) return this.unshift(v);
    if (i === this.len) return this.push(v);
    if (this.len === this.buf.length) this.grow();
    const mask = this.buf.length - 1;
    if (i < this.len >> 1) {
      // Shift the first i elements one slot to the left.
      this.head = (this.head - 1) & mask;
      for (let k = 0; k < i; k++) {
        this.buf[(this.head + k) & mask] = this.buf[(this.head + k + 1) & mask];
      }
    } else {
      // Shift elements i..len-1 one slot to the right.
      for (let k = this.len; k > i; k--) {
        this.buf[(this.head + k) & mask] = this.buf[(this.head + k - 1) & mask];
      }
    }
    this.buf[(this.head + i) & mask] = v;
    this.len++;
  }

  /** Remove and return element i. */
  removeAt(i: number): T {
    const v = this.at(i);
    this.removeRange(i, 1);
    return v;
  }

  /** Remove `count` elements starting at i (clamped to the end). */
  removeRange(i: number, count: number): void {
    if (count > this.len - i) count = this.len - i;
    if (count <= 0) return;
    const mask = this.buf.length - 1;
    const after = this.len - i - count;
    if (i < after) {
      // Move the i leading elements right by `count`.
      for (let k = i - 1; k >= 0; k--) {
        this.buf[(this.head + k + count) & mask] = this.buf[(this.head + k) & mask];
      }
      for (let k = 0; k < count; k++) this.buf[(this.head + k) & mask] = undefined;
      this.head = (this.head + count) & mask;
    } else {
      // Move the `after` trailing elements left by `count`.
      for (let k = 0; k < after; k++) {
        this.buf[(this.head + i + k) & mask] = this.buf[(this.head + i + count + k) & mask];
      }
      for (let k = this.len - count; k < this.len; k++) this.buf[(this.head + k) & mask] = undefined;
    }
    this.len -= count;
    this.maybeShrink();
  }

  /** A copy of elements [from, to). */
  slice(from: number, to: number): T[] {
    const out = new Array<T>(Math.max(0, to - from));
    for (let k = from; k < to; k++) out[k - from] = this.at(k);
    return out;
  }

  toArray(): T[] {
    return this.slice(0, this.len);
  }

  clear(): void {
    this.buf = new Array<T | undefined>(4);
    this.head = 0;
    this.len = 0;
  }

  private grow(): void {
    this.resize(this.buf.length * 2);
  }

  /** Give memory back after a big shrink (a popped-down list should not keep its peak size). */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > 64 && this.len < cap >> 2) this.resize(cap >> 1);
  }

  private resize(cap: number): void {
    const next = new Array<T | undefined>(cap);
    const mask = this.buf.length - 1;
    for (let k = 0; k < this.len; k++) next[k] = this.buf[(this.head + k) & mask];
    this.buf = next;
    this.head = 0;
  }
}
