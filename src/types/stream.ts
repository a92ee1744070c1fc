// The stream type, laid out as Valkey lays it out: a sorted index of nodes ("macro nodes"), each
// holding up to stream-node-max-entries entries / stream-node-max-bytes bytes in Valkey's
// listpack entry format, delta-encoded against the node's master ID (the ID of its first entry)
// and with the field names left out when they equal the master entry's. Deleted entries stay as
// tombstones (a flag) until their whole node goes. Consumer groups keep a pending entries list
// (PEL) ordered by ID, shared with per-consumer PELs.
//
// Node boundaries, trimming and the bytes of every node follow Valkey exactly: approximate
// trimming (~) removes whole nodes only, so which entries survive depends on them, and RDB/DUMP
// writes the nodes as they are.

import type { DataObject } from './object';
import {
  type U64,
  type I64,
  type StreamID,
  cmpId,
  addU64,
  deltaI64,
  idIsZero,
  idCmp,
  subI64,
  u64AsI64,
  incrI64,
  U64_MAX,
  MAX_ID,
  encodeIdBytes,
  parseI64,
} from './streamId';
import {
  elemSize,
  intElemSize,
  writeIntElem,
  writeStrElem,
  readInt,
  readSmall,
  nextPos,
  skipElem,
  prevElem,
  elemString,
} from './streamListpack';
import { IdMap } from './streamPel';
import { encodeBulk } from '../protocol/reply';

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/** STREAM_LISTPACK_MAX_SIZE: no node (nor entry) grows past 1 GB. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1;

const LP_HEADER = 6;
const LP_END = 1;
const LP_NUMELE_UNKNOWN = 65535;

/** One node: a master entry (its field names) and the entries that follow it. */
export class StreamNode {
  /** the node's key: the ID the entries' deltas are relative to */
  masterMs: U64;
  masterSeq: U64;
  /** ID of the last entry, tombstone or not */
  lastMs: U64;
  lastSeq: U64;
  /** the master entry's field names */
  fields: string[];
  /** bytes of the master entry after count/deleted: num-fields, the fields, the 0 terminator */
  fieldsBytes: number;
  /** the entries, in listpack element format */
  data: Buffer;
  /** bytes of `data` in use */
  len = 0;
  /** live entries */
  count = 0;
  /** tombstones */
  deleted = 0;
  /** listpack elements in `data` */
  elems = 0;
  /** the master fields as RESP bulk strings, built when the node is first read */
  fieldBulks: Buffer | null = null;
  /** where each field's bulk string ends in fieldBulks */
  fieldBulkEnds: number[] = [];

  constructor(masterMs: U64, masterSeq: U64, fields: string[], capacity: number) {
    this.masterMs = this.lastMs = masterMs;
    this.masterSeq = this.lastSeq = masterSeq;
    this.fields = fields;
    let fb = intElemSize(fields.length) + 2;
    for (const f of fields) fb += elemSize(f);
    this.fieldsBytes = fb;
    this.data = Buffer.allocUnsafeSlow(capacity);
  }

  encodeFieldBulks(): Buffer {
    let text = '';
    const ends: number[] = [];
    for (const f of this.fields) {
      text += encodeBulk(f);
      ends.push(text.length);
    }
    const b = Buffer.allocUnsafeSlow(text.length);
    b.latin1Write(text, 0);
    this.fieldBulks = b;
    this.fieldBulkEnds = ends;
    return b;
  }

  /** lpBytes(): the size of this node as a Valkey listpack. */
  lpBytes(): number {
    return LP_HEADER + intElemSize(this.count) + intElemSize(this.deleted) + this.fieldsBytes + this.len + LP_END;
  }

  ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.data.length) return;
    const nb = Buffer.allocUnsafeSlow(Math.max(need, this.data.length * 2, 128));
    this.data.copy(nb, 0, 0, this.len);
    this.data = nb;
  }

  /** Drop the spare capacity once the node is full (lpShrinkToFit). */
  shrink(): void {
    if (this.data.length === this.len) return;
    const nb = Buffer.allocUnsafeSlow(this.len);
    this.data.copy(nb, 0, 0, this.len);
    this.data = nb;
  }

  /** The whole node as the listpack Valkey stores (RDB, DUMP). */
  toListpack(): Buffer {
    const total = this.lpBytes();
    const out = Buffer.allocUnsafe(total);
    out.writeUInt32LE(total, 0);
    const numele = 2 + 1 + this.fields.length + 1 + this.elems;
    out.writeUInt16LE(numele < LP_NUMELE_UNKNOWN ? numele : LP_NUMELE_UNKNOWN, 4);
    let p = writeIntElem(out, LP_HEADER, this.count);
    p = writeIntElem(out, p, this.deleted);
    p = writeIntElem(out, p, this.fields.length);
    for (const f of this.fields) p = writeStrElem(out, p, f);
    p = writeIntElem(out, p, 0);
    this.data.copy(out, p, 0, this.len);
    out[p + this.len] = 0xff;
    return out;
  }

  clone(): StreamNode {
    const n = new StreamNode(this.masterMs, this.masterSeq, this.fields, this.len);
    this.data.copy(n.data, 0, 0, this.len);
    n.lastMs = this.lastMs;
    n.lastSeq = this.lastSeq;
    n.len = this.len;
    n.count = this.count;
    n.deleted = this.deleted;
    n.elems = this.elems;
    return n;
  }

  /** Position after the entry whose flags element is at `pos`. */
  entryEnd(pos: number): number {
    const buf = this.data;
    const flags = readSmall(buf, pos);
    let p = skipElem(buf, skipElem(buf, nextPos));
    let n: number;
    if (flags & FLAG_SAMEFIELDS) {
      n = this.fields.length;
    } else {
      n = readSmall(buf, p) * 2;
      p = nextPos;
    }
    for (let i = 0; i < n; i++) p = skipElem(buf, p);
    return skipElem(buf, p); // lp-count
  }
}

/** A node's listpack did not hold a valid stream node. */
export class StreamFormatError extends Error {}

function lpInt(elements: string[], i: number, what: string): number | bigint {
  if (i >= elements.length) throw new StreamFormatError(`stream listpack: missing ${what}`);
  const v = parseI64(elements[i]);
  if (v === null) throw new StreamFormatError(`stream listpack: ${what} is not an integer`);
  return v;
}

function lpCount(elements: string[], i: number, what: string): number {
  const v = lpInt(elements, i, what);
  if (typeof v !== 'number' || v < 0) throw new StreamFormatError(`stream listpack: bad ${what}`);
  return v;
}

/**
 * Rebuild a node from the elements of a listpack Valkey saved (streamValidateListpackIntegrity,
 * deep): the master entry, then count + deleted entries, each with a consistent lp-count. Also
 * checked, as Fjord relies on them: the live/deleted counts agree with the flags and IDs strictly
 * increase (each node's first is `after`, the previous node's last, exclusive).
 */
export function nodeFromListpack(masterMs: U64, masterSeq: U64, elements: string[], after: StreamID | null): StreamNode {
  if (elements.length === 0) throw new StreamFormatError('Empty listpack inside stream');
  const count = lpCount(elements, 0, 'entry count');
  const deleted = lpCount(elements, 1, 'deleted count');
  const nf = lpCount(elements, 2, 'master field count');
  if (3 + nf >= elements.length) throw new StreamFormatError('stream listpack: truncated master entry');
  const fields = elements.slice(3, 3 + nf);
  if (lpInt(elements, 3 + nf, 'master terminator') !== 0) throw new StreamFormatError('stream listpack: bad master terminator');
  const node = new StreamNode(masterMs, masterSeq, fields, 64);
  let i = 4 + nf;
  let live = 0;
  let dead = 0;
  let prev = after;
  for (let e = 0; e < count + deleted; e++) {
    const start = i;
    const flags = lpCount(elements, i++, 'flags');
    if (flags > 3) throw new StreamFormatError('stream listpack: bad flags');
    const msd = lpInt(elements, i++, 'ms delta');
    const seqd = lpInt(elements, i++, 'seq delta');
    const same = (flags & FLAG_SAMEFIELDS) !== 0;
    let n = nf;
    if (!same) n = lpCount(elements, i++, 'field count');
    const items = same ? n : 2 * n;
    if (i + items >= elements.length) throw new StreamFormatError('stream listpack: truncated entry');
    const valuesAt = i;
    i += items;
    if (lpInt(elements, i++, 'lp-count') !== i - 1 - start) throw new StreamFormatError('stream listpack: bad lp-count');
    const id = { ms: addU64(masterMs, msd), seq: addU64(masterSeq, seqd) };
    if (prev !== null && idCmp(id, prev) <= 0) throw new StreamFormatError('stream listpack: IDs out of order');
    prev = id;
    if (flags & FLAG_DELETED) dead++;
    else live++;
    const argv = same ? interleave(fields, elements, valuesAt, n) : elements.slice(valuesAt, valuesAt + items);
    writeEntry(node, id, argv, 0, n, same, flags);
  }
  if (i !== elements.length) throw new StreamFormatError('stream listpack: trailing elements');
  if (live !== count || dead !== deleted) throw new StreamFormatError('stream listpack: entry counts do not match the flags');
  node.shrink();
  return node;
}

function interleave(fields: string[], elements: string[], at: number, n: number): string[] {
  const out = new Array<string>(2 * n);
  for (let k = 0; k < n; k++) {
    out[2 * k] = fields[k];
    out[2 * k + 1] = elements[at + k];
  }
  return out;
}

export class Nack {
  constructor(
    /** last delivery, ms */
    public deliveryTime: number,
    /** deliveries so far (uint64) */
    public deliveryCount: U64,
    public consumer: Consumer | null,
  ) {}
}

export class Consumer {
  readonly pel = new IdMap<Nack>();
  /** last time it tried anything; -1 in active-time: never read or claimed anything */
  seenTime: number;
  activeTime = -1;
  constructor(readonly name: string, now: number) {
    this.seenTime = now;
  }
}

export class ConsumerGroup {
  readonly pel = new IdMap<Nack>();
  readonly consumers = new Map<string, Consumer>();
  constructor(
    public lastId: StreamID,
    /** the logical read counter; INVALID_ENTRIES_READ when unknown */
    public entriesRead: I64,
  ) {}

  /** A new consumer, or null if the name is taken. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const c = new Consumer(name, now);
    this.consumers.set(name, c);
    return c;
  }

  /** Remove a consumer and its pending entries from the group PEL (streamDelConsumer). */
  deleteConsumer(c: Consumer): void {
    c.pel.forEach((ms, seq) => {
      this.pel.delete(ms, seq);
    });
    this.consumers.delete(c.name);
  }

  /** Consumers in name order (the order of Valkey's rax). */
  sortedConsumers(): Consumer[] {
    const names = [...this.consumers.keys()].sort();
    return names.map((n) => this.consumers.get(n)!);
  }

  /** Drop a pending entry from the group and its owner. */
  ack(ms: U64, seq: U64): boolean {
    const nack = this.pel.delete(ms, seq);
    if (nack === undefined) return false;
    nack.consumer?.pel.delete(ms, seq);
    return true;
  }
}

export type TrimStrategy = 'maxlen' | 'minid';

export interface TrimArgs {
  strategy: TrimStrategy;
  maxlen: number;
  minid: StreamID;
  /** '~': only whole nodes go */
  approx: boolean;
  /** at most this many entries go (0: no limit) */
  limit: number;
}

export class StreamObject implements DataObject {
  readonly type = 'stream' as const;
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamID = { ms: 0, seq: 0 };
  /** first live entry's ID when trimmed or deleted from the front (recorded-first-entry-id) */
  firstId: StreamID = { ms: 0, seq: 0 };
  maxDeletedId: StreamID = { ms: 0, seq: 0 };
  /** entries ever added (uint64) */
  entriesAdded: U64 = 0;
  groups: Map<string, ConsumerGroup> | null = null;
  /** cached radix-tree-nodes; -1 when the node set changed */
  private raxNodes = -1;
  /** cached last live entry ID; null when it must be looked up */
  private lastValid: StreamID | null = null;
  /**
   * Where a forward walk last read an entry: a later walk starting at or after that ID in the
   * same node resumes there instead of walking the node from its start (consumers reading new
   * entries one by one). Entries never move inside a node, so it stays right while the node lives.
   */
  readonly seekHint = { node: null as StreamNode | null, pos: 0, ms: 0 as U64, seq: 0 as U64 };

  encoding(): string {
    return 'stream';
  }

  // ---------------------------------------------------------------- nodes

  /** Index of the last node whose master ID is <= (ms, seq); -1 if none. */
  nodeIndexFor(ms: U64, seq: U64): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = nodes[mid];
      if (cmpId(n.masterMs, n.masterSeq, ms, seq) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Add a node loaded from RDB (in key order). */
  pushNode(n: StreamNode): void {
    this.nodes.push(n);
    this.raxNodes = -1;
    this.lastValid = null;
  }

  private removeNodes(at: number, n: number): void {
    if (n === 0) return;
    this.nodes.splice(at, n);
    this.raxNodes = -1;
  }

  // ---------------------------------------------------------------- adding

  /**
   * Append an entry with fields/values argv[from..] under `id` (already checked to be greater
   * than lastId). Returns false when the elements are too large to be stored (nothing changes).
   */
  append(id: StreamID, argv: readonly string[], from: number, nodeMaxBytes: number, nodeMaxEntries: number): boolean {
    const numFields = (argv.length - from) >> 1;
    let totElemLen = 0;
    for (let i = from; i < argv.length; i++) totElemLen += argv[i].length;
    if (totElemLen > STREAM_LISTPACK_MAX_SIZE) return false;

    let node: StreamNode | null = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1] : null;
    if (node !== null && this.nodeIsFull(node, totElemLen, nodeMaxBytes, nodeMaxEntries)) {
      node.shrink();
      node = null;
    }
    let same = true;
    if (node === null) {
      const fields = new Array<string>(numFields);
      for (let i = 0; i < numFields; i++) fields[i] = argv[from + 2 * i];
      node = new StreamNode(id.ms, id.seq, fields, 128);
      this.nodes.push(node);
      this.raxNodes = -1;
    } else {
      same = sameFields(node.fields, argv, from, numFields);
    }
    writeEntry(node, id, argv, from, numFields, same);
    this.length++;
    this.entriesAdded = typeof this.entriesAdded === 'number' && this.entriesAdded < Number.MAX_SAFE_INTEGER ? this.entriesAdded + 1 : BigInt(this.entriesAdded) + 1n;
    this.lastId = id;
    this.lastValid = id;
    if (this.length === 1) this.firstId = id;
    return true;
  }

  private nodeIsFull(node: StreamNode, totElemLen: number, maxBytes: number, maxEntries: number): boolean {
    const limit = maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : maxBytes;
    if (node.lpBytes() + totElemLen >= limit) return true;
    return maxEntries > 0 && node.count + node.deleted >= maxEntries;
  }

  // ---------------------------------------------------------------- removing

  /** streamTrim: returns how many entries were removed. */
  trim(a: TrimArgs): number {
    const maxlen = a.strategy === 'maxlen';
    let deleted = 0;
    let removed = 0;
    for (let i = 0; i < this.nodes.length; i++) {
      if (maxlen && this.length <= a.maxlen) break;
      const node = this.nodes[i];
      const entries = node.count;
      if (a.limit && deleted + entries > a.limit) break;
      const removeNode = maxlen ? this.length - entries >= a.maxlen : cmpId(node.lastMs, node.lastSeq, a.minid.ms, a.minid.seq) < 0;
      if (removeNode) {
        this.length -= entries;
        deleted += entries;
        removed++;
        continue;
      }
      if (a.approx) break;
      deleted += this.trimInsideNode(node, a);
      break;
    }
    this.removeNodes(0, removed);
    if (deleted) this.lastValid = null;
    if (this.length === 0) this.firstId = { ms: 0, seq: 0 };
    else if (deleted) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** Mark entries of `node` deleted from its start until the trim condition stops holding. */
  private trimInsideNode(node: StreamNode, a: TrimArgs): number {
    const buf = node.data;
    let removedHere = 0;
    for (let p = 0; p < node.len; ) {
      const flags = readSmall(buf, p);
      const msd = readInt(buf, nextPos);
      const seqd = readInt(buf, nextPos);
      let stop: boolean;
      if (a.strategy === 'maxlen') stop = this.length <= a.maxlen;
      else stop = cmpId(addU64(node.masterMs, msd), addU64(node.masterSeq, seqd), a.minid.ms, a.minid.seq) >= 0;
      if (stop) break;
      const next = node.entryEnd(p);
      if (!(flags & FLAG_DELETED)) {
        buf[p] = flags | FLAG_DELETED; // flags stay one byte: 0..3
        removedHere++;
        this.length--;
      }
      p = next;
    }
    node.count -= removedHere;
    node.deleted += removedHere;
    return removedHere;
  }

  /** Delete one live entry (XDEL); false if there is no such entry. */
  deleteEntry(ms: U64, seq: U64): boolean {
    const ni = this.nodeIndexFor(ms, seq);
    if (ni < 0) return false;
    const node = this.nodes[ni];
    const pos = findEntry(node, ms, seq);
    if (pos < 0) return false;
    if (node.count === 1) {
      this.removeNodes(ni, 1);
    } else {
      node.data[pos] |= FLAG_DELETED;
      node.count--;
      node.deleted++;
    }
    this.length--;
    this.lastValid = null;
    return true;
  }

  /** streamEntryExists: a live entry with this ID. */
  entryExists(ms: U64, seq: U64): boolean {
    const ni = this.nodeIndexFor(ms, seq);
    return ni >= 0 && findEntry(this.nodes[ni], ms, seq) >= 0;
  }

  // ---------------------------------------------------------------- edges

  /** streamLastValidID: the last live entry's ID (0-0 for an empty stream). */
  lastValidId(): StreamID {
    if (this.lastValid === null) {
      const it = new StreamIterator(this, null, null, true);
      this.lastValid = it.next() ? { ms: it.ms, seq: it.seq } : { ms: 0, seq: 0 };
    }
    return this.lastValid;
  }

  /** streamGetEdgeID: first or last entry, tombstones included unless skipped; MAX / 0-0 if none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamID {
    const it = new StreamIterator(this, null, null, !first, skipTombstones);
    if (it.next()) return { ms: it.ms, seq: it.seq };
    return first ? { ms: U64_MAX, seq: U64_MAX } : { ms: 0, seq: 0 };
  }

  // ---------------------------------------------------------------- counters

  /** streamRangeHasTombstones; `start`/`end` null mean the stream's edges. */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    const md = this.maxDeletedId;
    if (this.length === 0 || idIsZero(md)) return false;
    if (idCmp(this.firstId, md) > 0) return false;
    const s = start ?? { ms: 0, seq: 0 };
    const e = end ?? MAX_ID;
    return idCmp(s, md) <= 0 && idCmp(md, e) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id`, or -1. */
  estimateDistanceFromFirstEverEntry(id: StreamID): I64 {
    if (this.entriesAdded === 0) return 0;
    const added = u64AsI64(this.entriesAdded);
    if (this.length === 0 && idCmp(id, this.lastId) < 1) return added;
    const cmpLast = idCmp(id, this.lastId);
    if (cmpLast === 0) return added;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = idCmp(id, this.firstId);
    if (idIsZero(this.maxDeletedId) || idCmp(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return subI64(added, this.length);
      if (cmpFirst === 0) return incrI64(subI64(added, this.length));
    }
    return INVALID_ENTRIES_READ;
  }

  /** streamReplyWithCGLag: entries not yet delivered to the group, or null when unknown. */
  groupLag(g: ConsumerGroup): I64 | null {
    if (this.entriesAdded === 0) return 0;
    const added = u64AsI64(this.entriesAdded);
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId, null)) return subI64(added, g.entriesRead);
    const read = this.estimateDistanceFromFirstEverEntry(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : subI64(added, read);
  }

  /** A group read moves its last-delivered ID forward to `id` (part of streamReplyWithRange). */
  advanceGroup(g: ConsumerGroup, id: StreamID): void {
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(id, null)) g.entriesRead = incrI64(g.entriesRead);
    else if (this.entriesAdded !== 0) g.entriesRead = this.estimateDistanceFromFirstEverEntry(id);
    g.lastId = id;
  }

  // ---------------------------------------------------------------- groups

  lookupGroup(name: string): ConsumerGroup | null {
    return this.groups?.get(name) ?? null;
  }

  /** streamCreateCG: null if the name is taken. */
  createGroup(name: string, id: StreamID, entriesRead: I64): ConsumerGroup | null {
    if (this.groups === null) this.groups = new Map();
    if (this.groups.has(name)) return null;
    const g = new ConsumerGroup(id, entriesRead);
    this.groups.set(name, g);
    return g;
  }

  /** Groups as [name, group] in name order. */
  sortedGroups(): [string, ConsumerGroup][] {
    if (this.groups === null) return [];
    return [...this.groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  // ---------------------------------------------------------------- introspection

  /**
   * The rax->numnodes of Valkey's radix tree keyed by the nodes' 16-byte master IDs
   * (radix-tree-nodes): the root, every branching point, every child of one, and the nodes that
   * end compressed chains.
   */
  radixTreeNodes(): number {
    if (this.raxNodes >= 0) return this.raxNodes;
    const keys: Buffer[] = this.nodes.map((n) => {
      const b = Buffer.allocUnsafe(16);
      encodeIdBytes(n.masterMs, n.masterSeq, b, 0);
      return b;
    });
    this.raxNodes = keys.length === 0 ? 1 : raxSubtree(keys, 0, keys.length, 0);
    return this.raxNodes;
  }

  /** Every live entry as [ms, seq, fields/values] (tests, debugging). */
  entries(): [U64, U64, string[]][] {
    const out: [U64, U64, string[]][] = [];
    const it = new StreamIterator(this, null, null, false);
    while (it.next()) out.push([it.ms, it.seq, it.fieldValues()]);
    return out;
  }

  clone(): StreamObject {
    const s = new StreamObject();
    s.nodes = this.nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    s.lastValid = this.lastValid;
    if (this.groups !== null) {
      s.groups = new Map();
      for (const [name, g] of this.groups) s.groups.set(name, cloneGroup(g));
    }
    return s;
  }

  /** Estimated bytes (MEMORY USAGE): nodes, the index, groups and their PELs. */
  memoryUsage(): number {
    let bytes = 96 + this.nodes.length * 160;
    for (const n of this.nodes) bytes += n.data.length;
    if (this.groups !== null) {
      for (const [name, g] of this.groups) {
        bytes += 128 + name.length + g.pel.memoryUsage() + g.pel.size * 40;
        for (const c of g.consumers.values()) bytes += 96 + c.name.length + c.pel.memoryUsage();
      }
    }
    return bytes;
  }
}

function cloneGroup(g: ConsumerGroup): ConsumerGroup {
  const ng = new ConsumerGroup(g.lastId, g.entriesRead);
  const copies = new Map<Nack, Nack>();
  g.pel.forEach((ms, seq, nack) => {
    const n = new Nack(nack.deliveryTime, nack.deliveryCount, null);
    copies.set(nack, n);
    ng.pel.tryInsert(ms, seq, n);
  });
  for (const c of g.consumers.values()) {
    const nc = new Consumer(c.name, c.seenTime);
    nc.activeTime = c.activeTime;
    c.pel.forEach((ms, seq, nack) => {
      const n = copies.get(nack)!;
      n.consumer = nc;
      nc.pel.tryInsert(ms, seq, n);
    });
    ng.consumers.set(c.name, nc);
  }
  return ng;
}

function sameFields(fields: string[], argv: readonly string[], from: number, numFields: number): boolean {
  if (fields.length !== numFields) return false;
  for (let i = 0; i < numFields; i++) if (fields[i] !== argv[from + 2 * i]) return false;
  return true;
}

/** Append one entry's elements to `node` (flags, ID deltas, [fields], values, lp-count). */
function writeEntry(node: StreamNode, id: StreamID, argv: readonly string[], from: number, numFields: number, same: boolean, flags = same ? FLAG_SAMEFIELDS : 0): void {
  const msd = deltaI64(id.ms, node.masterMs);
  const seqd = deltaI64(id.seq, node.masterSeq);
  const lpCount = same ? numFields + 3 : 2 * numFields + 4;
  let size = 2 + intElemSize(msd) + intElemSize(seqd) + intElemSize(lpCount);
  if (same) {
    for (let i = 0; i < numFields; i++) size += elemSize(argv[from + 2 * i + 1]);
  } else {
    size += intElemSize(numFields);
    for (let i = from; i < argv.length; i++) size += elemSize(argv[i]);
  }
  node.ensure(size);
  const buf = node.data;
  let p = node.len;
  buf[p] = flags;
  buf[p + 1] = 1;
  p = writeIntElem(buf, p + 2, msd);
  p = writeIntElem(buf, p, seqd);
  if (same) {
    for (let i = 0; i < numFields; i++) p = writeStrElem(buf, p, argv[from + 2 * i + 1]);
  } else {
    p = writeIntElem(buf, p, numFields);
    for (let i = from; i < argv.length; i++) p = writeStrElem(buf, p, argv[i]);
  }
  p = writeIntElem(buf, p, lpCount);
  node.len = p;
  if (flags & FLAG_DELETED) node.deleted++;
  else node.count++;
  node.elems += lpCount + 1;
  node.lastMs = id.ms;
  node.lastSeq = id.seq;
}

/** Position of the live entry (ms, seq) in `node`, or -1. */
function findEntry(node: StreamNode, ms: U64, seq: U64): number {
  if (cmpId(node.lastMs, node.lastSeq, ms, seq) < 0) return -1;
  const buf = node.data;
  for (let p = 0; p < node.len; ) {
    const flags = readSmall(buf, p);
    const msd = readInt(buf, nextPos);
    const seqd = readInt(buf, nextPos);
    const c = cmpId(addU64(node.masterMs, msd), addU64(node.masterSeq, seqd), ms, seq);
    if (c > 0) return -1;
    if (c === 0) return flags & FLAG_DELETED ? -1 : p;
    p = node.entryEnd(p);
  }
  return -1;
}

/** Rax nodes below a node that starts at byte `depth` and holds keys[lo..hi). */
function raxSubtree(keys: Buffer[], lo: number, hi: number, depth: number): number {
  if (hi - lo === 1) return depth === 16 ? 1 : 2;
  const common = commonPrefix(keys[lo], keys[hi - 1], depth);
  return common > depth ? 1 + raxBranch(keys, lo, hi, common) : raxBranch(keys, lo, hi, depth);
}

/** A branching node at `depth` (its keys differ in that byte) plus its children. */
function raxBranch(keys: Buffer[], lo: number, hi: number, depth: number): number {
  let n = 1;
  let start = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i === hi || keys[i][depth] !== keys[start][depth]) {
      n += raxSubtree(keys, start, i, depth + 1);
      start = i;
    }
  }
  return n;
}

function commonPrefix(a: Buffer, b: Buffer, from: number): number {
  let i = from;
  while (i < 16 && a[i] === b[i]) i++;
  return i;
}

/**
 * Walks entries in ID order (or reverse) within [start, end], skipping tombstones unless told
 * otherwise. After next() returns true, ms/seq/flags describe the entry and its fields can be read.
 */
export class StreamIterator {
  ms: U64 = 0;
  seq: U64 = 0;
  flags = 0;
  numFields = 0;
  /** the node of the current entry and the position of its flags element */
  node: StreamNode | null = null;
  entryPos = 0;
  /** position of the current entry's first field (or value, with SAMEFIELDS) */
  fieldPos = 0;
  private ni: number;
  /** forward: where the next entry starts; reverse: where the previous entry ends */
  private pos = 0;
  private done = false;
  private readonly sms: U64;
  private readonly sseq: U64;
  /**
   * The end bound as compared with `> 0`, a U64_MAX sequence (and ms, when both are) held as
   * Infinity: no ID is above either, so the outcome is the same, and the usual "+" / open end
   * stays a number, sparing a number-vs-bigint comparison per entry.
   */
  private readonly ems: U64;
  private readonly eseq: U64;

  constructor(
    private readonly s: StreamObject,
    start: StreamID | null,
    end: StreamID | null,
    private readonly rev: boolean,
    private readonly skipTombstones = true,
  ) {
    this.sms = start ? start.ms : 0;
    this.sseq = start ? start.seq : 0;
    const endSeqMax = end === null || end.seq === U64_MAX;
    this.eseq = endSeqMax ? Infinity : end.seq;
    this.ems = end === null || (endSeqMax && end.ms === U64_MAX) ? Infinity : end.ms;
    if (!rev) {
      const i = start ? s.nodeIndexFor(this.sms, this.sseq) : -1;
      this.ni = Math.max(i, 0) - 1;
      const h = s.seekHint;
      if (i >= 0 && h.node === s.nodes[i] && cmpId(h.ms, h.seq, this.sms, this.sseq) <= 0) {
        this.ni = i;
        this.node = h.node;
        this.pos = h.pos;
      }
    } else {
      // Nothing at or below `end` when it precedes every node.
      const i = end ? s.nodeIndexFor(end.ms, end.seq) : s.nodes.length - 1;
      this.ni = i + 1;
      if (i < 0) this.done = true;
    }
  }

  next(): boolean {
    if (this.done) return false;
    const nodes = this.s.nodes;
    for (;;) {
      let node = this.node;
      if (this.pos === -1) this.pos = node!.entryEnd(this.entryPos);
      if (node === null || (this.rev ? this.pos <= 0 : this.pos >= node.len)) {
        this.ni += this.rev ? -1 : 1;
        if (this.ni < 0 || this.ni >= nodes.length) {
          this.done = true;
          this.node = null;
          return false;
        }
        node = this.node = nodes[this.ni];
        this.pos = this.rev ? node.len : 0;
        // A node of tombstones only has nothing to give.
        if (this.skipTombstones && node.count === 0) {
          this.pos = this.rev ? 0 : node.len;
          continue;
        }
        continue;
      }
      const buf = node.data;
      let p: number;
      if (!this.rev) {
        p = this.pos;
      } else {
        // lp-count says how many elements precede it in the entry: walk back over them.
        const lpc = prevElem(buf, this.pos);
        let back = readSmall(buf, lpc);
        p = lpc;
        while (back-- > 0) p = prevElem(buf, p);
        this.pos = p;
      }
      const flags = readSmall(buf, p);
      const msd = readInt(buf, nextPos);
      const seqd = readInt(buf, nextPos);
      let q = nextPos;
      let nf: number;
      if (flags & FLAG_SAMEFIELDS) {
        nf = node.fields.length;
      } else {
        nf = readSmall(buf, q);
        q = nextPos;
      }
      const ms = addU64(node.masterMs, msd);
      const seq = addU64(node.masterSeq, seqd);
      if (!this.rev) {
        const h = this.s.seekHint;
        h.node = node;
        h.pos = p;
        h.ms = ms;
        h.seq = seq;
        // Where the next entry starts: found now for a skipped entry, or by fieldsRead.
        this.pos = -1;
        if ((this.skipTombstones && flags & FLAG_DELETED) || cmpId(ms, seq, this.sms, this.sseq) < 0) {
          this.pos = node.entryEnd(p);
          continue;
        }
        if (cmpId(ms, seq, this.ems, this.eseq) > 0) break;
      } else {
        if (this.skipTombstones && flags & FLAG_DELETED) continue;
        if (cmpId(ms, seq, this.ems, this.eseq) > 0) continue;
        if (cmpId(ms, seq, this.sms, this.sseq) < 0) break;
      }
      this.ms = ms;
      this.seq = seq;
      this.flags = flags;
      this.numFields = nf;
      this.entryPos = p;
      this.fieldPos = q;
      this.node = node;
      return true;
    }
    // Out of range: the walk is over.
    this.done = true;
    return false;
  }

  /**
   * The caller read the current entry's fields and values up to `p`, its lp-count element: a
   * forward walk goes on right after it (instead of walking the entry again).
   */
  fieldsRead(p: number): void {
    if (!this.rev) this.pos = skipElem(this.node!.data, p);
  }

  /** Call fn(field, value) for each pair of the current entry. */
  forEachField(fn: (field: string, value: string) => void): void {
    const node = this.node!;
    const buf = node.data;
    let p = this.fieldPos;
    const same = (this.flags & FLAG_SAMEFIELDS) !== 0;
    for (let i = 0; i < this.numFields; i++) {
      let field: string;
      if (same) {
        field = node.fields[i];
      } else {
        field = elemString(buf, p);
        p = nextPos;
      }
      const value = elemString(buf, p);
      p = nextPos;
      fn(field, value);
    }
    if (!this.rev) this.pos = skipElem(buf, p);
  }

  /** The current entry's fields and values, interleaved. */
  fieldValues(): string[] {
    const out: string[] = [];
    this.forEachField((f, v) => {
      out.push(f, v);
    });
    return out;
  }
}
