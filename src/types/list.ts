// The list type: encodings "listpack" and "quicklist", as in Valkey 9.0.
//
// A list is a sequence of chunks (Valkey's quicklist nodes). Each chunk is a ring buffer of
// strings, so pushes and pops at either end are O(1); indexing walks chunks from the nearer
// end, O(number of chunks), as Valkey's quicklist does.
//
// The "listpack" encoding is a single chunk; "quicklist" is a ring of chunks. Each chunk keeps
// the byte size Valkey's listpack for the same elements would have (`sz`), because Valkey
// decides on those bytes when to start a new node, when to merge nodes and when to convert
// between the encodings (list-max-listpack-size). Mirroring its node layout operation by
// operation (push, pop, insert with split and merge, replace, range delete) makes OBJECT
// ENCODING answer exactly as Valkey does.
//
// Conversions are explicit, as in t_list.c: the command layer calls tryConvertForAppend()
// before adding, tryConvertAfterShrink() after removing (Valkey only converts a quicklist back
// when it is down to one node under half the limits). The l*() convenience methods run the
// exact sequences of Valkey's list commands.

import { DataObject } from './object';
import { Ring } from './ring';
import { TypeLimits } from './limits';
import { parseInt64, parseLongLong } from '../util/numbers';

// ---------------------------------------------------------------------------
// Valkey's listpack / quicklist size rules
// ---------------------------------------------------------------------------

/** Node limit for positive fill (count-limited nodes still stop at 8 KB). */
const SIZE_SAFETY_LIMIT = 8192;
/** Bytes Valkey adds to an element's length when estimating its listpack cost. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Node byte limits for fill -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** Listpack header (6) plus end marker (1). */
const LP_OVERHEAD = 7;
/** Largest positive fill a quicklist stores. */
const FILL_MAX = 32767;
/** MEMORY USAGE: Valkey's robj, quicklist and quicklistNode struct sizes. */
const OBJECT_BYTES = 16;
const QUICKLIST_BYTES = 40;
const QUICKLIST_NODE_BYTES = 32;

/** DEBUG QUICKLIST-PACKED-THRESHOLD: 0 = elements are "large" by the fill rule. */
let packedThreshold = 0;

/** Set the plain-node threshold (DEBUG QUICKLIST-PACKED-THRESHOLD); false when refused. */
export function setQuicklistPackedThreshold(bytes: number): boolean {
  if (bytes > 2 ** 32 - 2 ** 20) return false;
  packedThreshold = bytes;
  return true;
}

function negFillLimit(fill: number): number {
  let offset = -fill - 1;
  if (offset >= OPTIMIZATION_LEVEL.length) offset = OPTIMIZATION_LEVEL.length - 1;
  return OPTIMIZATION_LEVEL[offset];
}

/** quicklistNodeLimit: [size limit, count limit] (Infinity = none). */
function nodeLimits(fill: number): [number, number] {
  if (fill >= 0) return [Infinity, fill === 0 ? 1 : fill];
  return [negFillLimit(fill), Infinity];
}

/** quicklistNodeExceedsLimit */
function exceedsLimit(fill: number, newBytes: number, newCount: number): boolean {
  if (fill < 0) return newBytes > negFillLimit(fill);
  if (newBytes > SIZE_SAFETY_LIMIT) return true;
  return newCount > (fill === 0 ? 1 : fill);
}

/** isLargeElement: such an element lives alone in a "plain" node. */
function isLargeElement(bytes: number, fill: number): boolean {
  if (packedThreshold !== 0) return bytes >= packedThreshold;
  if (fill >= 0) return bytes > SIZE_SAFETY_LIMIT;
  return bytes > negFillLimit(fill);
}

function clampFill(fill: number): number {
  return fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
}

function integerEncodingBytes(v: number): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

function backlenBytes(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/**
 * Bytes one element takes in a Valkey listpack: its encoding (integers that string2ll accepts
 * are stored as integers) plus the back-length.
 */
export function listpackEntryBytes(s: string): number {
  const n = s.length;
  let enc: number;
  const c = s.charCodeAt(0);
  if (n <= 20 && (c === 45 || (c >= 48 && c <= 57))) {
    const v = parseLongLong(s);
    if (v !== null) enc = integerEncodingBytes(v);
    else if (n >= 16 && parseInt64(s) !== null) enc = 9;
    else enc = 1 + n;
  } else {
    enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  }
  return enc + backlenBytes(enc);
}

// ---------------------------------------------------------------------------
// Chunk: one listpack / quicklist node
// ---------------------------------------------------------------------------

class Chunk extends Ring<string> {
  /** Valkey's node->sz: listpack bytes, or the element's length for a plain node. */
  sz = LP_OVERHEAD;
  /** A plain node holds one large element outside any listpack. */
  plain = false;

  static ofPlain(v: string): Chunk {
    const c = new Chunk(1);
    c.push(v);
    c.plain = true;
    c.sz = v.length;
    return c;
  }

  static ofItems(items: readonly string[]): Chunk {
    const c = new Chunk(items.length);
    for (const v of items) c.push(v);
    c.recomputeSize();
    return c;
  }

  recomputeSize(): void {
    if (this.plain) {
      this.sz = this.length === 0 ? 0 : this.at(0).length;
      return;
    }
    let sz = LP_OVERHEAD;
    for (let i = 0; i < this.length; i++) sz += listpackEntryBytes(this.at(i));
    this.sz = sz;
  }

  addHead(v: string): void {
    this.unshift(v);
    this.sz += listpackEntryBytes(v);
  }

  addTail(v: string): void {
    this.push(v);
    this.sz += listpackEntryBytes(v);
  }

  addAt(i: number, v: string): void {
    this.insert(i, v);
    this.sz += listpackEntryBytes(v);
  }

  takeHead(): string {
    const v = this.shift() as string;
    if (!this.plain) this.sz -= listpackEntryBytes(v);
    return v;
  }

  takeTail(): string {
    const v = this.pop() as string;
    if (!this.plain) this.sz -= listpackEntryBytes(v);
    return v;
  }

  deleteAt(i: number): void {
    const v = this.removeAt(i);
    if (!this.plain) this.sz -= listpackEntryBytes(v);
  }

  deleteRange(i: number, count: number): void {
    if (!this.plain) {
      const end = Math.min(this.length, i + count);
      for (let k = i; k < end; k++) this.sz -= listpackEntryBytes(this.at(k));
    }
    this.removeRange(i, count);
  }

  replaceAt(i: number, v: string): void {
    if (this.plain) {
      this.setAt(i, v);
      this.sz = v.length;
      return;
    }
    this.sz += listpackEntryBytes(v) - listpackEntryBytes(this.at(i));
    this.setAt(i, v);
  }

  copy(): Chunk {
    const c = new Chunk(this.length);
    for (let i = 0; i < this.length; i++) c.push(this.at(i));
    c.sz = this.sz;
    c.plain = this.plain;
    return c;
  }
}

/** _quicklistNodeAllowInsert */
function allowInsert(node: Chunk | null, fill: number, bytes: number): boolean {
  if (node === null || node.plain || isLargeElement(bytes, fill)) return false;
  return !exceedsLimit(fill, node.sz + bytes + SIZE_ESTIMATE_OVERHEAD, node.length + 1);
}

/** _quicklistNodeAllowMerge */
function allowMerge(a: Chunk, b: Chunk, fill: number): boolean {
  if (a.plain || b.plain) return false;
  return !exceedsLimit(fill, a.sz + b.sz - LP_OVERHEAD, a.length + b.length);
}

// ---------------------------------------------------------------------------
// ListObject
// ---------------------------------------------------------------------------

/** Result registers of locate(). */
let locNode = 0;
let locOffset = 0;

export interface ListNodeInfo {
  count: number;
  /** Valkey's node size: listpack bytes, or the element length of a plain node. */
  bytes: number;
  plain: boolean;
}

/** One saved node (RDB): its elements, and whether it is a plain (single large element) node. */
export interface ListNodeData {
  items: readonly string[];
  plain: boolean;
}

export class ListObject implements DataObject {
  /** The single chunk of the listpack encoding (null when quicklist). */
  private lp: Chunk | null;
  /** The nodes of the quicklist encoding (null when listpack). */
  private nodes: Ring<Chunk> | null = null;
  /** The quicklist's fill, fixed when it was created (quicklistNew). */
  private fill = -2;
  private count = 0;

  constructor() {
    this.lp = new Chunk();
  }

  get type(): 'list' {
    return 'list';
  }

  encoding(): string {
    return this.lp !== null ? 'listpack' : 'quicklist';
  }

  get length(): number {
    return this.count;
  }

  /**
   * A list holding `items`, built as Valkey builds one (SORT ... STORE): pushed into a
   * quicklist, then LIST_CONV_AUTO picks the encoding.
   */
  static from(items: readonly string[], limits: TypeLimits): ListObject {
    const list = new ListObject();
    list.toQuicklist(limits.listMaxListpackSize);
    for (const v of items) list.push(v, false);
    list.tryConvertAuto(limits);
    return list;
  }

  /**
   * A list rebuilt from saved nodes (RDB quicklist 2): each packed node is kept as one node,
   * empty ones are dropped, then LIST_CONV_AUTO picks the encoding.
   */
  static fromNodes(nodes: readonly ListNodeData[], limits: TypeLimits): ListObject {
    const list = new ListObject();
    list.toQuicklist(limits.listMaxListpackSize);
    const ring = list.nodes as Ring<Chunk>;
    for (const n of nodes) {
      if (n.items.length === 0) continue;
      ring.push(n.plain ? Chunk.ofPlain(n.items[0]) : Chunk.ofItems(n.items));
      list.count += n.plain ? 1 : n.items.length;
    }
    list.tryConvertAuto(limits);
    return list;
  }

  // ---- conversions ------------------------------------------------------

  /**
   * listTypeTryConversionAppend: before adding `addCount` elements of `addBytes` total length,
   * a listpack that would exceed list-max-listpack-size becomes a quicklist.
   */
  tryConvertForAppend(limits: TypeLimits, addBytes: number, addCount: number): void {
    const lp = this.lp;
    if (lp === null) return;
    const fill = limits.listMaxListpackSize;
    if (exceedsLimit(fill, lp.sz + addBytes, lp.length + addCount)) this.toQuicklist(fill);
  }

  /** tryConvertForAppend for values[from..to] (inclusive), as Valkey sums argv lengths. */
  tryConvertForValues(limits: TypeLimits, values: readonly string[], from: number, to: number): void {
    if (this.lp === null) return;
    let bytes = 0;
    for (let i = from; i <= to; i++) bytes += values[i].length;
    this.tryConvertForAppend(limits, bytes, to - from + 1);
  }

  /**
   * LIST_CONV_SHRINKING, after elements were removed: a quicklist down to one packed node under
   * half the limits becomes a listpack again.
   */
  tryConvertAfterShrink(limits: TypeLimits): void {
    if (this.nodes !== null) this.tryConvertQuicklist(limits.listMaxListpackSize, true);
  }

  /** LIST_CONV_AUTO, after building a list: pick the encoding by the full limits. */
  tryConvertAuto(limits: TypeLimits): void {
    if (this.nodes !== null) this.tryConvertQuicklist(limits.listMaxListpackSize, false);
    else this.tryConvertForAppend(limits, 0, 0);
  }

  private tryConvertQuicklist(fill: number, shrinking: boolean): void {
    const nodes = this.nodes as Ring<Chunk>;
    if (nodes.length !== 1 || nodes.first().plain) return;
    let [szLimit, countLimit] = nodeLimits(fill);
    if (shrinking) {
      szLimit = Math.floor(szLimit / 2);
      countLimit = Math.floor(countLimit / 2);
    }
    const node = nodes.first();
    if (node.sz > szLimit || this.count > countLimit) return;
    this.lp = node;
    this.nodes = null;
  }

  private toQuicklist(fill: number): void {
    const lp = this.lp as Chunk;
    this.nodes = new Ring<Chunk>();
    if (lp.length > 0) this.nodes.push(lp);
    this.fill = clampFill(fill);
    this.lp = null;
  }

  // ---- primitive operations (no encoding conversion) ----------------------

  /** LPUSH (head) / RPUSH (tail) one element. */
  push(value: string, head: boolean): void {
    if (this.lp !== null) {
      if (head) this.lp.addHead(value);
      else this.lp.addTail(value);
    } else if (head) {
      this.qlPushHead(value);
    } else {
      this.qlPushTail(value);
    }
    this.count++;
  }

  /** Remove and return the first (head) or last element; undefined when empty. */
  pop(head: boolean): string | undefined {
    if (this.count === 0) return undefined;
    this.count--;
    const lp = this.lp;
    if (lp !== null) return head ? lp.takeHead() : lp.takeTail();
    const nodes = this.nodes as Ring<Chunk>;
    const node = head ? nodes.first() : nodes.last();
    const v = head ? node.takeHead() : node.takeTail();
    if (node.length === 0) {
      if (head) nodes.shift();
      else nodes.pop();
    }
    return v;
  }

  /** LINDEX: element at `index` (negative counts from the tail), or undefined. */
  index(index: number): string | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    if (this.lp !== null) return this.lp.at(index);
    this.locate(index);
    return (this.nodes as Ring<Chunk>).at(locNode).at(locOffset);
  }

  /** Replace the element at `index` (negative allowed); false when out of range. */
  set(index: number, value: string): boolean {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return false;
    if (this.lp !== null) this.lp.replaceAt(index, value);
    else this.qlReplace(index, value);
    return true;
  }

  /** Insert `value` before or after the first element equal to `pivot`; false if none. */
  insert(pivot: string, value: string, after: boolean): boolean {
    if (this.lp !== null) {
      const lp = this.lp;
      for (let i = 0; i < lp.length; i++) {
        if (lp.at(i) === pivot) {
          lp.addAt(after ? i + 1 : i, value);
          this.count++;
          return true;
        }
      }
      return false;
    }
    const nodes = this.nodes as Ring<Chunk>;
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes.at(k);
      for (let i = 0; i < node.length; i++) {
        if (node.at(i) === pivot) {
          this.qlInsert(k, i, value, after);
          this.count++;
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Visit `count` elements starting at index `from` (0 <= from < length), going towards the
   * tail, or towards the head when `reverse`. The visitor gets the element and its index.
   */
  visit(from: number, count: number, reverse: boolean, fn: (value: string, index: number) => void): void {
    if (count <= 0) return;
    if (this.lp !== null) {
      const lp = this.lp;
      const step = reverse ? -1 : 1;
      for (let i = from, n = 0; n < count; n++, i += step) fn(lp.at(i), i);
      return;
    }
    const nodes = this.nodes as Ring<Chunk>;
    this.locate(from);
    let k = locNode;
    let off = locOffset;
    let index = from;
    for (let n = 0; n < count; n++) {
      let node = nodes.at(k);
      if (off >= node.length) {
        node = nodes.at(++k);
        off = 0;
      } else if (off < 0) {
        node = nodes.at(--k);
        off = node.length - 1;
      }
      fn(node.at(off), index);
      if (reverse) {
        off--;
        index--;
      } else {
        off++;
        index++;
      }
    }
  }

  /** Elements start..stop (inclusive, already normalized), for LRANGE. */
  range(start: number, stop: number, reverse = false): string[] {
    const out: string[] = [];
    const count = stop - start + 1;
    this.visit(reverse ? stop : start, count, reverse, (v) => {
      out.push(v);
    });
    return out;
  }

  /**
   * Delete `count` elements from index `start` (negative counts from the tail), as
   * listTypeDelRange / quicklistDelRange. Returns how many were deleted.
   */
  deleteRange(start: number, count: number): number {
    if (count <= 0 || this.count === 0) return 0;
    let extent = count;
    if (start >= 0) {
      if (start >= this.count) return 0;
      if (extent > this.count - start) extent = this.count - start;
    } else {
      if (-start > this.count) return 0;
      if (extent > -start) extent = -start;
      start += this.count;
    }
    if (this.lp !== null) {
      this.lp.deleteRange(start, extent);
    } else {
      this.qlDeleteRange(start, extent);
    }
    this.count -= extent;
    return extent;
  }

  /**
   * LREM: remove elements equal to `value`; count > 0 from the head, < 0 from the tail, 0 all.
   * Returns how many were removed.
   */
  removeValue(value: string, count: number): number {
    const fromTail = count < 0;
    const limit = fromTail ? -count : count;
    let removed = 0;
    if (this.lp !== null) {
      removed = removeInChunk(this.lp, value, limit, fromTail);
    } else {
      const nodes = this.nodes as Ring<Chunk>;
      if (!fromTail) {
        for (let k = 0; k < nodes.length && (limit === 0 || removed < limit); ) {
          const node = nodes.at(k);
          removed += removeInChunk(node, value, limit === 0 ? 0 : limit - removed, false);
          if (node.length === 0) nodes.removeAt(k);
          else k++;
        }
      } else {
        for (let k = nodes.length - 1; k >= 0 && (limit === 0 || removed < limit); k--) {
          const node = nodes.at(k);
          removed += removeInChunk(node, value, limit === 0 ? 0 : limit - removed, true);
          if (node.length === 0) nodes.removeAt(k);
        }
      }
    }
    this.count -= removed;
    return removed;
  }

  /**
   * LPOS: indexes of elements equal to `value`. `rank` (non-zero) picks the first match to
   * report, negative = search from the tail; `numMatches` 0 = all; `maxlen` 0 = no limit on
   * the number of elements compared.
   */
  positions(value: string, rank: number, numMatches: number, maxlen: number): number[] {
    const out: number[] = [];
    const reverse = rank < 0;
    const skip = (reverse ? -rank : rank) - 1;
    const scan = maxlen === 0 || maxlen > this.count ? this.count : maxlen;
    let matches = 0;
    let stopped = false;
    this.visitWhile(reverse ? this.count - 1 : 0, scan, reverse, (v, i) => {
      if (v !== value) return true;
      if (matches++ < skip) return true;
      out.push(i);
      stopped = numMatches !== 0 && out.length >= numMatches;
      return !stopped;
    });
    return out;
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    return this.count === 0 ? [] : this.range(0, this.count - 1);
  }

  forEach(fn: (value: string, index: number) => void): void {
    this.visit(0, this.count, false, fn);
  }

  clone(): ListObject {
    const copy = new ListObject();
    copy.count = this.count;
    copy.fill = this.fill;
    if (this.lp !== null) {
      copy.lp = this.lp.copy();
    } else {
      copy.lp = null;
      const nodes = new Ring<Chunk>(this.nodes!.length);
      for (let k = 0; k < this.nodes!.length; k++) nodes.push(this.nodes!.at(k).copy());
      copy.nodes = nodes;
    }
    return copy;
  }

  /** The node layout (DEBUG LISTPACK / QUICKLIST, tests). A listpack is one node. */
  nodeInfo(): ListNodeInfo[] {
    return this.chunks().map((c) => ({ count: c.length, bytes: c.sz, plain: c.plain }));
  }

  /**
   * MEMORY USAGE estimate, as Valkey's objectComputeSize: the object header plus the listpack
   * bytes, or for a quicklist its header plus the average size of up to `samples` nodes (node
   * header + listpack bytes) times the node count (0 samples = all nodes).
   */
  memoryUsage(samples = 5): number {
    if (this.lp !== null) return OBJECT_BYTES + this.lp.sz;
    const nodes = this.nodes as Ring<Chunk>;
    const n = nodes.length;
    if (n === 0) return OBJECT_BYTES + QUICKLIST_BYTES;
    const sampled = samples <= 0 || samples > n ? n : samples;
    let bytes = 0;
    for (let k = 0; k < sampled; k++) bytes += QUICKLIST_NODE_BYTES + nodes.at(k).sz;
    return OBJECT_BYTES + QUICKLIST_BYTES + Math.round((bytes / sampled) * n);
  }

  /** The elements node by node (RDB saving). A listpack is one node. */
  exportNodes(): ListNodeData[] {
    return this.chunks().map((c) => ({ items: c.toArray(), plain: c.plain }));
  }

  private chunks(): Chunk[] {
    return this.lp !== null ? [this.lp] : (this.nodes as Ring<Chunk>).toArray();
  }

  // ---- Valkey command sequences -----------------------------------------

  /** LPUSH/RPUSH values[from..]: convert first (sizes of all values), then push each. */
  pushValues(values: readonly string[], from: number, head: boolean, limits: TypeLimits): number {
    this.tryConvertForValues(limits, values, from, values.length - 1);
    for (let i = from; i < values.length; i++) this.push(values[i], head);
    return this.count;
  }

  /**
   * Push one element with the growing conversion check: LMOVE's destination side. Valkey's
   * LMOVE order is: source.pop(), destination.pushOne(), then source.tryConvertAfterShrink()
   * when the source is not empty (the two may be the same list).
   */
  pushOne(value: string, head: boolean, limits: TypeLimits): void {
    this.tryConvertForAppend(limits, value.length, 1);
    this.push(value, head);
  }

  /** LPOP/RPOP without count: pop, then the shrinking conversion if anything is left. */
  popOne(head: boolean, limits: TypeLimits): string | undefined {
    const v = this.pop(head);
    if (this.count > 0) this.tryConvertAfterShrink(limits);
    return v;
  }

  /**
   * LPOP/RPOP with count: up to `count` elements in pop order (from the tail for RPOP), then
   * the shrinking conversion if anything is left.
   */
  popMany(head: boolean, count: number, limits: TypeLimits): string[] {
    const n = Math.min(count, this.count);
    if (n <= 0) return [];
    const out = head ? this.range(0, n - 1) : this.range(this.count - n, this.count - 1, true);
    this.deleteRange(head ? 0 : -n, n);
    if (this.count > 0) this.tryConvertAfterShrink(limits);
    return out;
  }

  /** LSET: growing check for the new value, replace, then the shrinking check. */
  lset(index: number, value: string, limits: TypeLimits): boolean {
    this.tryConvertForAppend(limits, value.length, 1);
    if (!this.set(index, value)) return false;
    this.tryConvertAfterShrink(limits);
    return true;
  }

  /** LINSERT: Valkey converts for the new element before it even looks for the pivot. */
  linsert(pivot: string, value: string, after: boolean, limits: TypeLimits): boolean {
    this.tryConvertForAppend(limits, value.length, 1);
    return this.insert(pivot, value, after);
  }

  /** LREM, with the shrinking check when something was removed. */
  lrem(value: string, count: number, limits: TypeLimits): number {
    const removed = this.removeValue(value, count);
    if (removed > 0 && this.count > 0) this.tryConvertAfterShrink(limits);
    return removed;
  }

  /** LTRIM start stop (raw indexes). Returns how many elements were removed. */
  ltrim(start: number, stop: number, limits: TypeLimits): number {
    const len = this.count;
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > stop || start >= len) {
      ltrim = len;
      rtrim = 0;
    } else {
      if (stop >= len) stop = len - 1;
      ltrim = start;
      rtrim = len - stop - 1;
    }
    this.deleteRange(0, ltrim);
    this.deleteRange(-rtrim, rtrim);
    if (this.count > 0) this.tryConvertAfterShrink(limits);
    return ltrim + rtrim;
  }

  // ---- quicklist internals ---------------------------------------------

  /** Find the node and offset of element `index` (0 <= index < count), from the nearer end. */
  private locate(index: number): void {
    const nodes = this.nodes as Ring<Chunk>;
    if (index <= (this.count - 1) / 2) {
      let acc = 0;
      for (let k = 0; k < nodes.length; k++) {
        const n = nodes.at(k).length;
        if (acc + n > index) {
          locNode = k;
          locOffset = index - acc;
          return;
        }
        acc += n;
      }
    } else {
      let acc = this.count;
      for (let k = nodes.length - 1; k >= 0; k--) {
        const n = nodes.at(k).length;
        acc -= n;
        if (acc <= index) {
          locNode = k;
          locOffset = index - acc;
          return;
        }
      }
    }
    throw new Error('list index out of range');
  }

  /** Like visit(), but the visitor returns false to stop. */
  private visitWhile(from: number, count: number, reverse: boolean, fn: (v: string, i: number) => boolean): void {
    if (count <= 0) return;
    const chunks = this.lp !== null ? null : (this.nodes as Ring<Chunk>);
    if (chunks === null) {
      const lp = this.lp as Chunk;
      const step = reverse ? -1 : 1;
      for (let i = from, n = 0; n < count; n++, i += step) if (!fn(lp.at(i), i)) return;
      return;
    }
    this.locate(from);
    let k = locNode;
    let off = locOffset;
    let index = from;
    for (let n = 0; n < count; n++) {
      let node = chunks.at(k);
      if (off >= node.length) {
        node = chunks.at(++k);
        off = 0;
      } else if (off < 0) {
        node = chunks.at(--k);
        off = node.length - 1;
      }
      if (!fn(node.at(off), index)) return;
      off += reverse ? -1 : 1;
      index += reverse ? -1 : 1;
    }
  }

  private qlPushHead(v: string): void {
    const nodes = this.nodes as Ring<Chunk>;
    const bytes = v.length;
    if (isLargeElement(bytes, this.fill)) {
      nodes.unshift(Chunk.ofPlain(v));
      return;
    }
    const head = nodes.length > 0 ? nodes.first() : null;
    if (allowInsert(head, this.fill, bytes)) {
      (head as Chunk).addHead(v);
    } else {
      const c = new Chunk();
      c.addHead(v);
      nodes.unshift(c);
    }
  }

  private qlPushTail(v: string): void {
    const nodes = this.nodes as Ring<Chunk>;
    const bytes = v.length;
    if (isLargeElement(bytes, this.fill)) {
      nodes.push(Chunk.ofPlain(v));
      return;
    }
    const tail = nodes.length > 0 ? nodes.last() : null;
    if (allowInsert(tail, this.fill, bytes)) {
      (tail as Chunk).addTail(v);
    } else {
      const c = new Chunk();
      c.addTail(v);
      nodes.push(c);
    }
  }

  /** quicklistDelRange for 0 <= start, 0 < extent <= count - start. */
  private qlDeleteRange(start: number, extent: number): void {
    const nodes = this.nodes as Ring<Chunk>;
    this.locate(start);
    let k = locNode;
    let off = locOffset;
    while (extent > 0) {
      const node = nodes.at(k);
      let del: number;
      if (off === 0 && extent >= node.length) {
        del = node.length;
        nodes.removeAt(k);
      } else {
        del = Math.min(node.length - off, extent);
        node.deleteRange(off, del);
        if (node.length === 0) nodes.removeAt(k);
        else k++;
      }
      extent -= del;
      off = 0;
    }
  }

  /** _quicklistInsert: insert `v` before/after element `off` of node `k`. */
  private qlInsert(k: number, off: number, v: string, after: boolean): void {
    const nodes = this.nodes as Ring<Chunk>;
    const fill = this.fill;
    const node = nodes.at(k);
    const bytes = v.length;
    const prev = k > 0 ? nodes.at(k - 1) : null;
    const next = k + 1 < nodes.length ? nodes.at(k + 1) : null;
    const full = !allowInsert(node, fill, bytes);
    const atTail = after && off === node.length - 1;
    const atHead = !after && off === 0;
    const availNext = atTail && allowInsert(next, fill, bytes);
    const availPrev = atHead && allowInsert(prev, fill, bytes);

    if (isLargeElement(bytes, fill)) {
      if (node.plain || atTail || atHead) {
        nodes.insert(after ? k + 1 : k, Chunk.ofPlain(v));
      } else {
        const split = this.splitNode(k, off, after);
        if (after) {
          nodes.insert(k + 1, Chunk.ofPlain(v));
          nodes.insert(k + 2, split);
        } else {
          nodes.insert(k, Chunk.ofPlain(v));
          nodes.insert(k, split);
        }
      }
      return;
    }

    if (!full) {
      node.addAt(after ? off + 1 : off, v);
    } else if (atTail && availNext) {
      (next as Chunk).addHead(v);
    } else if (atHead && availPrev) {
      (prev as Chunk).addTail(v);
    } else if (atTail || atHead) {
      const c = new Chunk();
      c.addTail(v);
      nodes.insert(after ? k + 1 : k, c);
    } else {
      const split = this.splitNode(k, off, after);
      if (after) {
        split.addHead(v);
        nodes.insert(k + 1, split);
        this.mergeAround(k);
      } else {
        split.addTail(v);
        nodes.insert(k, split);
        this.mergeAround(k + 1);
      }
    }
  }

  /**
   * quicklistReplaceEntry (Valkey 9.0): replace in place unless the new element is large;
   * a large one goes into its own plain node, splitting the packed node around it.
   */
  private qlReplace(index: number, v: string): void {
    const nodes = this.nodes as Ring<Chunk>;
    this.locate(index);
    const k = locNode;
    const off = locOffset;
    const node = nodes.at(k);
    const large = isLargeElement(v.length, this.fill);
    if (!node.plain && !large) {
      node.replaceAt(off, v);
      return;
    }
    if (node.plain) {
      if (large) {
        node.replaceAt(0, v);
      } else {
        this.qlInsert(k, 0, v, true);
        nodes.removeAt(k);
      }
      return;
    }
    const split = off !== node.length - 1 ? this.splitNode(k, off, true) : null;
    nodes.insert(k + 1, Chunk.ofPlain(v));
    if (split !== null) nodes.insert(k + 2, split);
    if (node.length === 1) {
      nodes.removeAt(k);
    } else {
      node.takeTail();
      this.mergeAround(k + 1);
    }
  }

  /**
   * _quicklistSplitNode: with `after`, node k keeps [0, off] and the returned node holds the
   * rest; otherwise the returned node holds [0, off) and node k keeps the rest.
   */
  private splitNode(k: number, off: number, after: boolean): Chunk {
    const node = (this.nodes as Ring<Chunk>).at(k);
    let taken: string[];
    if (after) {
      taken = node.slice(off + 1, node.length);
      node.deleteRange(off + 1, node.length - off - 1);
    } else {
      taken = node.slice(0, off);
      node.deleteRange(0, off);
    }
    return Chunk.ofItems(taken);
  }

  /** _quicklistMergeNodes around node `c`: the pairs before, after, then c with its neighbours. */
  private mergeAround(c: number): void {
    const nodes = this.nodes as Ring<Chunk>;
    const fill = this.fill;
    if (c >= 2 && allowMerge(nodes.at(c - 1), nodes.at(c - 2), fill)) {
      this.mergePair(c - 2);
      c--;
    }
    if (c + 2 < nodes.length && allowMerge(nodes.at(c + 1), nodes.at(c + 2), fill)) {
      this.mergePair(c + 1);
    }
    let target = c;
    if (c >= 1 && allowMerge(nodes.at(c), nodes.at(c - 1), fill)) {
      this.mergePair(c - 1);
      target = c - 1;
    }
    if (target + 1 < nodes.length && allowMerge(nodes.at(target), nodes.at(target + 1), fill)) {
      this.mergePair(target);
    }
  }

  /** Merge nodes i and i+1 into one at i. */
  private mergePair(i: number): void {
    const nodes = this.nodes as Ring<Chunk>;
    const a = nodes.at(i);
    const b = nodes.at(i + 1);
    const sz = a.sz + b.sz - LP_OVERHEAD;
    for (let j = 0; j < b.length; j++) a.push(b.at(j));
    a.sz = sz;
    nodes.removeAt(i + 1);
  }
}

/** Remove up to `limit` (0 = all) elements equal to `value` from one chunk. */
function removeInChunk(chunk: Chunk, value: string, limit: number, fromTail: boolean): number {
  let removed = 0;
  if (!fromTail) {
    for (let i = 0; i < chunk.length && (limit === 0 || removed < limit); ) {
      if (chunk.at(i) === value) {
        chunk.deleteAt(i);
        removed++;
      } else {
        i++;
      }
    }
  } else {
    for (let i = chunk.length - 1; i >= 0 && (limit === 0 || removed < limit); i--) {
      if (chunk.at(i) === value) {
        chunk.deleteAt(i);
        removed++;
      }
    }
  }
  return removed;
}
