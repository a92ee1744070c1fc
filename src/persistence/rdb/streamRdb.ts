// Streams in RDB form (DUMP payloads and RDB files), as Valkey's rdbSaveObject / rdbLoadObject:
//
//   node count, then per node: its 16-byte big-endian master ID, its listpack (as strings)
//   length, last ID (ms, seq)
//   [19+] first ID, max deleted entry ID, entries added
//   group count, then per group: name, last delivered ID, [19+] entries read (-1 as 2^64-1),
//     the group PEL (count, then 16-byte ID + delivery time (ms, int64 LE) + delivery count),
//     the consumers (count, then name, seen time, [21] active time, and the IDs of its PEL)
//
// Fjord writes RDB_TYPE_STREAM_LISTPACKS_3 (21) like Valkey 9.0 and reads 15, 19 and 21. The
// listpacks are Valkey's bytes; loading checks them fully (a corrupt payload is refused with
// RdbFormatError, never half loaded).

import {
  StreamObject,
  ConsumerGroup,
  Nack,
  Consumer,
  nodeFromListpack,
  StreamFormatError,
} from '../../types/stream';
import { type U64, type StreamID, normU64, u64AsI64, i64AsU64, decodeIdBytes, encodeIdBytes, idCmp } from '../../types/streamId';
import { RdbFormatError, type RdbReader, type RdbWriter } from './io';
import { registerRdbLoader, registerRdbSaver } from './valueEncoding';
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3 } from './constants';
import { decodeListpack } from './listpack';

/** Write `s` in the body format of RDB type `type` (21 normally; 19 or 15 for older readers). */
export function saveStream(s: StreamObject, out: RdbWriter, type = RDB_TYPE_STREAM_LISTPACKS_3): void {
  out.len(s.nodes.length);
  const key = Buffer.allocUnsafe(16);
  for (const n of s.nodes) {
    encodeIdBytes(n.masterMs, n.masterSeq, key, 0);
    out.string(key);
    out.string(n.toListpack());
  }
  out.len(s.length);
  lenU64(out, s.lastId.ms);
  lenU64(out, s.lastId.seq);
  if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
    lenU64(out, s.firstId.ms);
    lenU64(out, s.firstId.seq);
    lenU64(out, s.maxDeletedId.ms);
    lenU64(out, s.maxDeletedId.seq);
    lenU64(out, s.entriesAdded);
  }
  const groups = s.sortedGroups();
  out.len(groups.length);
  for (const [name, g] of groups) {
    out.string(name);
    lenU64(out, g.lastId.ms);
    lenU64(out, g.lastId.seq);
    if (type >= RDB_TYPE_STREAM_LISTPACKS_2) lenU64(out, i64AsU64(g.entriesRead));
    savePel(out, g, key);
    const consumers = g.sortedConsumers();
    out.len(consumers.length);
    for (const c of consumers) {
      out.string(c.name);
      out.millis(c.seenTime);
      if (type >= RDB_TYPE_STREAM_LISTPACKS_3) out.millis(c.activeTime);
      out.len(c.pel.size);
      c.pel.forEach((ms, seq) => {
        encodeIdBytes(ms, seq, key, 0);
        out.bytes(key);
      });
    }
  }
}

function savePel(out: RdbWriter, g: ConsumerGroup, key: Buffer): void {
  out.len(g.pel.size);
  g.pel.forEach((ms, seq, nack) => {
    encodeIdBytes(ms, seq, key, 0);
    out.bytes(key);
    out.millis(nack.deliveryTime);
    lenU64(out, nack.deliveryCount);
  });
}

/** rdbSaveLen of a full uint64. */
function lenU64(out: RdbWriter, v: U64): void {
  if (typeof v === 'number') {
    out.len(v);
    return;
  }
  const b = Buffer.allocUnsafe(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(v, 1);
  out.bytes(b);
}

/** rdbLoadLen as a full uint64 (an encoded-string marker reads as its 6-bit value, as in Valkey). */
function readLenU64(r: RdbReader): U64 {
  const first = r.byte();
  const kind = first >> 6;
  if (kind === 0 || kind === 3) return first & 0x3f;
  if (kind === 1) return ((first & 0x3f) << 8) | r.byte();
  if (first === 0x80) return r.bytes(4).readUInt32BE(0);
  if (first === 0x81) return normU64(r.bytes(8).readBigUInt64BE(0));
  throw new RdbFormatError(`unknown length encoding ${first}`);
}

/** A length that must fit a JS number (counts of things that follow). */
function readCount(r: RdbReader): number {
  const v = readLenU64(r);
  if (typeof v !== 'number') throw new RdbFormatError('stream: length out of range');
  return v;
}

function readId(r: RdbReader): StreamID {
  return { ms: readLenU64(r), seq: readLenU64(r) };
}

export function loadStream(type: number, r: RdbReader): StreamObject {
  const s = new StreamObject();
  try {
    loadNodes(s, r);
    loadMetadata(s, type, r);
    loadGroups(s, type, r);
  } catch (e) {
    if (e instanceof StreamFormatError) throw new RdbFormatError(e.message);
    throw e;
  }
  return s;
}

function loadNodes(s: StreamObject, r: RdbReader): void {
  const n = readCount(r);
  let prev: StreamID | null = null;
  for (let i = 0; i < n; i++) {
    const key = r.stringBuffer();
    if (key.length !== 16) throw new RdbFormatError('Stream node key entry is not the size of a stream ID');
    const master = decodeIdBytes(key, 0);
    if (prev !== null && idCmp(master, prev) <= 0) throw new RdbFormatError('Stream node keys out of order');
    const node = nodeFromListpack(master.ms, master.seq, decodeListpack(r.stringBuffer()), prev);
    s.pushNode(node);
    prev = { ms: node.lastMs, seq: node.lastSeq };
  }
}

function loadMetadata(s: StreamObject, type: number, r: RdbReader): void {
  const length = readCount(r);
  let live = 0;
  for (const n of s.nodes) live += n.count;
  if (length !== live) throw new RdbFormatError('Stream length inconsistent with its entries');
  s.length = length;
  s.lastId = readId(r);
  const tail = s.nodes.length > 0 ? s.nodes[s.nodes.length - 1] : null;
  if (tail !== null && idCmp(s.lastId, { ms: tail.lastMs, seq: tail.lastSeq }) < 0) throw new RdbFormatError('Stream last ID below its entries');
  if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = readId(r);
    s.maxDeletedId = readId(r);
    s.entriesAdded = readLenU64(r);
  } else {
    // Older streams: the offset starts at the length, with no tombstones known.
    s.maxDeletedId = { ms: 0, seq: 0 };
    s.entriesAdded = s.length;
    s.firstId = s.edgeId(true, true);
  }
}

function loadGroups(s: StreamObject, type: number, r: RdbReader): void {
  const n = readCount(r);
  const idBuf = (): StreamID => decodeIdBytes(r.bytes(16), 0);
  for (let i = 0; i < n; i++) {
    const name = r.string();
    const lastId = readId(r);
    const entriesRead = type >= RDB_TYPE_STREAM_LISTPACKS_2 ? u64AsI64(readLenU64(r)) : s.estimateDistanceFromFirstEverEntry(lastId);
    const g = s.createGroup(name, lastId, entriesRead);
    if (g === null) throw new RdbFormatError(`Duplicated consumer group name ${name}`);
    const pelSize = readCount(r);
    for (let k = 0; k < pelSize; k++) {
      const id = idBuf();
      const nack = new Nack(r.millis(), readLenU64(r), null);
      if (!g.pel.tryInsert(id.ms, id.seq, nack)) throw new RdbFormatError('Duplicated global PEL entry loading stream consumer group');
    }
    loadConsumers(g, type, r, idBuf);
    // Fjord needs an owner for every pending entry (Valkey checks this when sanitizing).
    g.pel.forEach((_ms, _seq, nack) => {
      if (nack.consumer === null) throw new RdbFormatError('Stream CG PEL entry without consumer');
    });
  }
}

function loadConsumers(g: ConsumerGroup, type: number, r: RdbReader, idBuf: () => StreamID): void {
  const n = readCount(r);
  for (let i = 0; i < n; i++) {
    const name = r.string();
    if (g.consumers.has(name)) throw new RdbFormatError('Duplicate stream consumer detected.');
    const c = new Consumer(name, r.millis());
    c.activeTime = type >= RDB_TYPE_STREAM_LISTPACKS_3 ? r.millis() : c.seenTime;
    g.consumers.set(name, c);
    const pelSize = readCount(r);
    for (let k = 0; k < pelSize; k++) {
      const id = idBuf();
      const nack = g.pel.get(id.ms, id.seq);
      if (nack === undefined) throw new RdbFormatError('Consumer entry not found in group global PEL');
      if (nack.consumer !== null) throw new RdbFormatError('Stream PEL entry owned by two consumers');
      nack.consumer = c;
      if (!c.pel.tryInsert(id.ms, id.seq, nack)) throw new RdbFormatError('Duplicated consumer PEL entry loading a stream consumer group');
    }
  }
}

registerRdbSaver('stream', (value, out) => {
  out.byte(RDB_TYPE_STREAM_LISTPACKS_3);
  saveStream(value as StreamObject, out);
});
registerRdbLoader([RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3], (type, r) => loadStream(type, r));
