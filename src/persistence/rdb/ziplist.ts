// Valkey's (Redis's) older ziplist byte format. Valkey no longer writes it, but RDB files and
// DUMP payloads from Redis < 7.0 hold lists (RDB_TYPE_LIST_ZIPLIST, quicklist nodes), hashes
// and sorted sets in it, so it must be read, and validated as strictly as Valkey does.
//
// Layout:  zlbytes (u32 LE) | zltail (u32 LE, offset of the last entry) | zllen (u16 LE,
//          65535 = "unknown") | entries | 0xFF
// Entry:   prevlen (1 byte < 254, or 0xFE + u32 LE) | encoding | data
// Encodings:
//   00pppppp              string, 6-bit length
//   01pppppp qqqqqqqq     string, 14-bit length (big-endian)
//   10xxxxxx + u32 BE     string, 32-bit length
//   0xC0 / 0xD0 / 0xE0    int16 / int32 / int64 (LE)
//   0xF0                  int24 (LE)
//   0xFE                  int8
//   0xF1 .. 0xFD          immediate 0 .. 12

import { RdbFormatError } from './io';

const HEADER_SIZE = 10;
const LEN_UNKNOWN = 0xffff;
const END = 0xff;
const BIG_PREVLEN = 0xfe;

const INT_16 = 0xc0;
const INT_32 = 0xd0;
const INT_64 = 0xe0;
const INT_24 = 0xf0;
const INT_8 = 0xfe;
const IMM_MIN = 0xf1;
const IMM_MAX = 0xfd;

function fail(why: string): never {
  throw new RdbFormatError(`ziplist: ${why}`);
}

/**
 * Decode a ziplist into its elements (integers as decimal strings). Validates header sizes,
 * every entry's bounds and prevlen, the tail offset, the count and the end marker, as Valkey's
 * deep ziplistValidateIntegrity does; throws RdbFormatError on any inconsistency.
 */
export function decodeZiplist(buf: Buffer): string[] {
  if (buf.length < HEADER_SIZE + 1) fail('too short');
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) fail('size mismatch');
  const tail = buf.readUInt32LE(4);
  const declared = buf.readUInt16LE(8);
  const end = total - 1;
  if (buf[end] !== END) fail('no end marker');
  if (tail > end) fail('tail offset out of range');
  const out: string[] = [];
  let pos = HEADER_SIZE;
  let prevSize = 0;
  let lastStart = HEADER_SIZE;
  while (pos < end) {
    lastStart = pos;
    const next = readEntry(buf, pos, end, prevSize, out);
    prevSize = next - pos;
    pos = next;
  }
  if (pos !== end) fail('entries overrun');
  if (tail !== lastStart) fail('tail offset mismatch');
  if (declared !== LEN_UNKNOWN && declared !== out.length) fail('count mismatch');
  return out;
}

function need(pos: number, n: number, end: number): void {
  if (pos + n > end) fail('entry out of range');
}

/** Read one entry at `pos` into `out`; returns the position after it. */
function readEntry(buf: Buffer, pos: number, end: number, prevSize: number, out: string[]): number {
  need(pos, 1, end);
  let prevlen = buf[pos];
  if (prevlen === BIG_PREVLEN) {
    need(pos, 5, end);
    prevlen = buf.readUInt32LE(pos + 1);
    pos += 5;
  } else {
    pos += 1;
  }
  if (prevlen !== prevSize) fail('prevlen mismatch');
  need(pos, 1, end);
  const enc = buf[pos];
  const kind = enc >> 6;
  if (kind === 0) return readString(buf, pos + 1, enc & 0x3f, end, out);
  if (kind === 1) {
    need(pos, 2, end);
    return readString(buf, pos + 2, ((enc & 0x3f) << 8) | buf[pos + 1], end, out);
  }
  if (kind === 2) {
    need(pos, 5, end);
    return readString(buf, pos + 5, buf.readUInt32BE(pos + 1), end, out);
  }
  return readInt(buf, pos, enc, end, out);
}

function readString(buf: Buffer, pos: number, len: number, end: number, out: string[]): number {
  need(pos, len, end);
  out.push(buf.latin1Slice(pos, pos + len));
  return pos + len;
}

function readInt(buf: Buffer, pos: number, enc: number, end: number, out: string[]): number {
  const at = pos + 1;
  if (enc >= IMM_MIN && enc <= IMM_MAX) {
    out.push(String((enc & 0x0f) - 1));
    return at;
  }
  switch (enc) {
    case INT_8:
      need(at, 1, end);
      out.push(String(buf.readInt8(at)));
      return at + 1;
    case INT_16:
      need(at, 2, end);
      out.push(String(buf.readInt16LE(at)));
      return at + 2;
    case INT_24:
      need(at, 3, end);
      out.push(String(buf.readIntLE(at, 3)));
      return at + 3;
    case INT_32:
      need(at, 4, end);
      out.push(String(buf.readInt32LE(at)));
      return at + 4;
    case INT_64:
      need(at, 8, end);
      out.push(String(buf.readBigInt64LE(at)));
      return at + 8;
    default:
      return fail(`invalid encoding 0x${enc.toString(16)}`);
  }
}

// ---------------------------------------------------------------------------
// Encoder: Valkey never writes ziplists; this exists so tests (ours and the other types'
// loaders) can build the payloads old servers wrote, with Redis's encoding choices.
// ---------------------------------------------------------------------------

/** zipTryEncoding: strings of 1..31 bytes that are canonical int64s are stored as integers. */
function ziplistInt(s: string): bigint | null {
  if (s.length === 0 || s.length >= 32) return null;
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return null;
  return v;
}

function encodeEntryBody(s: string): Buffer {
  const v = ziplistInt(s);
  if (v !== null) {
    if (v >= 0n && v <= 12n) return Buffer.from([IMM_MIN + Number(v)]);
    const n = Number(v);
    if (v >= -128n && v <= 127n) return Buffer.from([INT_8, n & 0xff]);
    const b = Buffer.alloc(9);
    if (v >= -32768n && v <= 32767n) {
      b[0] = INT_16;
      b.writeInt16LE(n, 1);
      return b.subarray(0, 3);
    }
    if (v >= -8388608n && v <= 8388607n) {
      b[0] = INT_24;
      b.writeIntLE(n, 1, 3);
      return b.subarray(0, 4);
    }
    if (v >= -2147483648n && v <= 2147483647n) {
      b[0] = INT_32;
      b.writeInt32LE(n, 1);
      return b.subarray(0, 5);
    }
    b[0] = INT_64;
    b.writeBigInt64LE(v, 1);
    return b;
  }
  const data = Buffer.from(s, 'latin1');
  const len = data.length;
  if (len <= 0x3f) return Buffer.concat([Buffer.from([len]), data]);
  if (len <= 0x3fff) return Buffer.concat([Buffer.from([0x40 | (len >> 8), len & 0xff]), data]);
  const head = Buffer.alloc(5);
  head[0] = 0x80;
  head.writeUInt32BE(len, 1);
  return Buffer.concat([head, data]);
}

/** Build a ziplist as Redis < 7.0 wrote it (for tests and compatibility fixtures). */
export function encodeZiplist(entries: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  let prevSize = 0;
  let offset = HEADER_SIZE;
  let tail = HEADER_SIZE;
  for (const s of entries) {
    const body = encodeEntryBody(s);
    let prev: Buffer;
    if (prevSize < BIG_PREVLEN) {
      prev = Buffer.from([prevSize]);
    } else {
      prev = Buffer.alloc(5);
      prev[0] = BIG_PREVLEN;
      prev.writeUInt32LE(prevSize, 1);
    }
    tail = offset;
    parts.push(prev, body);
    prevSize = prev.length + body.length;
    offset += prevSize;
  }
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(offset + 1, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(entries.length < LEN_UNKNOWN ? entries.length : LEN_UNKNOWN, 8);
  return Buffer.concat([header, ...parts, Buffer.from([END])]);
}
