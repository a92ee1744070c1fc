// Valkey's listpack byte format, used by RDB/DUMP for small hashes, sets, sorted sets and list
// nodes. The bytes must be exactly Valkey's so payloads move both ways between Fjord and Valkey.
//
// Layout:  total-bytes (u32 LE) | element count (u16 LE, 65535 = "unknown") | entries | 0xFF
// Entry:   encoding (+ data) | backlen (the size of encoding + data, 1-5 bytes, readable
//          right to left: the last byte holds the low 7 bits and has bit 7 set when more bytes
//          precede it)
// Encodings, chosen as Valkey does: a string that is the canonical decimal form of an int64
// (no sign but '-', no leading zeros, not "-0") is stored as the smallest integer encoding
// that holds it, anything else as a string with a 6, 12 or 32 bit length.
//   0xxxxxxx             7-bit unsigned int
//   10xxxxxx             string, 6-bit length
//   110xxxxx yyyyyyyy    13-bit signed int
//   1110xxxx yyyyyyyy    string, 12-bit length
//   0xF0 + u32 len       string, 32-bit length
//   0xF1/F2/F3/F4        16/24/32/64-bit signed int, little-endian

import { RdbFormatError } from './io';

const HEADER_SIZE = 6;
const NUM_UNKNOWN = 0xffff;
const EOF = 0xff;
/** Strings this long or longer can never be an int64 (Valkey's LONG_STR_SIZE). */
const LONG_STR_SIZE = 21;

const ENC_6BIT_STR = 0x80;
const ENC_13BIT_INT = 0xc0;
const ENC_12BIT_STR = 0xe0;
const ENC_32BIT_STR = 0xf0;
const ENC_16BIT_INT = 0xf1;
const ENC_24BIT_INT = 0xf2;
const ENC_32BIT_INT = 0xf3;
const ENC_64BIT_INT = 0xf4;

const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN_ABS = 0x8000000000000000n;

/**
 * lpStringToInt64: the int64 value of `s` when `s` is its canonical decimal form, else null.
 * Values within ±2^53 come back as numbers, larger ones as bigints.
 */
export function listpackInt(s: string): number | bigint | null {
  const len = s.length;
  if (len === 0 || len >= LONG_STR_SIZE) return null;
  let i = 0;
  const negative = s.charCodeAt(0) === 45;
  if (negative) {
    i = 1;
    if (len === 1) return null;
  }
  let c = s.charCodeAt(i);
  if (c === 48) return len === 1 ? 0 : null; // "0" alone; "-0" and "01" are strings
  if (c < 49 || c > 57) return null;
  for (let k = i + 1; k < len; k++) {
    c = s.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  if (len - i <= 15) return Number(s); // at most 15 digits: exact as a double
  const big = BigInt(s);
  if (negative ? -big > INT64_MIN_ABS : big > INT64_MAX) return null;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Bytes of the encoding + data of an integer entry. */
export function intEncodedSize(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes of the encoding + data of a string entry. */
export function strEncodedSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Bytes of the backlen of an entry whose encoding + data take `l` bytes. */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Bytes one element takes in a listpack (encoding, data and backlen). */
export function listpackEntrySize(s: string): number {
  const v = listpackInt(s);
  const enc = v === null ? strEncodedSize(s.length) : intEncodedSize(v);
  return enc + backlenSize(enc);
}

/** Encode `entries` as one listpack (lpNew + lpAppend of each, as Valkey builds them). */
export function encodeListpack(entries: readonly string[]): Buffer {
  const ints: (number | bigint | null)[] = new Array(entries.length);
  let total = HEADER_SIZE + 1;
  for (let i = 0; i < entries.length; i++) {
    const v = listpackInt(entries[i]);
    ints[i] = v;
    const enc = v === null ? strEncodedSize(entries[i].length) : intEncodedSize(v);
    total += enc + backlenSize(enc);
  }
  if (total > 0xffffffff) throw new RangeError('listpack too large');
  const buf = Buffer.allocUnsafe(total);
  buf.writeUInt32LE(total, 0);
  buf.writeUInt16LE(entries.length < NUM_UNKNOWN ? entries.length : NUM_UNKNOWN, 4);
  let pos = HEADER_SIZE;
  for (let i = 0; i < entries.length; i++) {
    const v = ints[i];
    const start = pos;
    pos = v === null ? writeString(buf, pos, entries[i]) : writeInt(buf, pos, v);
    pos = writeBacklen(buf, pos, pos - start);
  }
  buf[pos] = EOF;
  return buf;
}

/** Write a string element's encoding and bytes (no backlen); returns the position after them. */
export function writeString(buf: Buffer, pos: number, s: string): number {
  const len = s.length;
  if (len < 64) {
    buf[pos++] = ENC_6BIT_STR | len;
  } else if (len < 4096) {
    buf[pos++] = ENC_12BIT_STR | (len >> 8);
    buf[pos++] = len & 0xff;
  } else {
    buf[pos++] = ENC_32BIT_STR;
    buf.writeUInt32LE(len, pos);
    pos += 4;
  }
  return pos + buf.latin1Write(s, pos);
}

/** Write an integer element's encoding (no backlen); returns the position after it. */
export function writeInt(buf: Buffer, pos: number, v: number | bigint): number {
  if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
    buf[pos] = ENC_64BIT_INT;
    buf.writeBigInt64LE(BigInt(v), pos + 1);
    return pos + 9;
  }
  if (v >= 0 && v <= 127) {
    buf[pos] = v;
    return pos + 1;
  }
  if (v >= -4096 && v <= 4095) {
    const u = v < 0 ? v + 8192 : v; // 13-bit two's complement
    buf[pos] = ENC_13BIT_INT | (u >> 8);
    buf[pos + 1] = u & 0xff;
    return pos + 2;
  }
  if (v >= -32768 && v <= 32767) {
    buf[pos] = ENC_16BIT_INT;
    buf.writeInt16LE(v, pos + 1);
    return pos + 3;
  }
  if (v >= -8388608 && v <= 8388607) {
    buf[pos] = ENC_24BIT_INT;
    buf.writeIntLE(v, pos + 1, 3);
    return pos + 4;
  }
  buf[pos] = ENC_32BIT_INT;
  buf.writeInt32LE(v, pos + 1);
  return pos + 5;
}

/** lpEncodeBacklen: most significant group first, every byte but the first has bit 7 set. */
export function writeBacklen(buf: Buffer, pos: number, l: number): number {
  const n = backlenSize(l);
  for (let k = n - 1; k >= 0; k--) {
    const group = Math.floor(l / 2 ** (7 * k)) & 127;
    buf[pos++] = k === n - 1 ? group : group | 128;
  }
  return pos;
}

/**
 * Decode a listpack into its elements (integers as their decimal strings). Validates the whole
 * structure as Valkey's deep lpValidateIntegrity does (header size, entry bounds, backlens,
 * element count, end marker) and throws RdbFormatError on any inconsistency.
 */
export function decodeListpack(buf: Buffer): string[] {
  const out: string[] = [];
  forEachListpackEntry(buf, (s) => {
    out.push(s);
  });
  return out;
}

/** Number of elements of a valid listpack, validating it as decodeListpack does. */
export function listpackLength(buf: Buffer): number {
  let n = 0;
  forEachListpackEntry(buf, () => {
    n++;
  });
  return n;
}

/** Walk a listpack's elements in order, validating as decodeListpack does. */
export function forEachListpackEntry(buf: Buffer, fn: (s: string) => void): void {
  if (buf.length < HEADER_SIZE + 1) throw new RdbFormatError('listpack too short');
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) throw new RdbFormatError('listpack size mismatch');
  const declared = buf.readUInt16LE(4);
  const end = total - 1; // position of the EOF byte
  if (buf[end] !== EOF) throw new RdbFormatError('listpack without end marker');
  let pos = HEADER_SIZE;
  let count = 0;
  while (pos < end) {
    const start = pos;
    pos = readEntry(buf, pos, end, fn);
    const encLen = pos - start;
    pos = checkBacklen(buf, pos, end, encLen);
    count++;
  }
  if (pos !== end) throw new RdbFormatError('listpack entries overrun');
  if (declared !== NUM_UNKNOWN && declared !== count) throw new RdbFormatError('listpack count mismatch');
}

function need(pos: number, n: number, end: number): void {
  if (pos + n > end) throw new RdbFormatError('listpack entry out of range');
}

/** Decode the entry at `pos`, hand it to `fn`, return the position after its data. */
function readEntry(buf: Buffer, pos: number, end: number, fn: (s: string) => void): number {
  const b = buf[pos];
  if ((b & 0x80) === 0) {
    fn(String(b));
    return pos + 1;
  }
  if ((b & 0xc0) === ENC_6BIT_STR) return readStr(buf, pos + 1, b & 0x3f, end, fn);
  if ((b & 0xe0) === ENC_13BIT_INT) {
    need(pos, 2, end);
    const u = ((b & 0x1f) << 8) | buf[pos + 1];
    fn(String(u >= 4096 ? u - 8192 : u));
    return pos + 2;
  }
  if ((b & 0xf0) === ENC_12BIT_STR) {
    need(pos, 2, end);
    return readStr(buf, pos + 2, ((b & 0x0f) << 8) | buf[pos + 1], end, fn);
  }
  switch (b) {
    case ENC_32BIT_STR:
      need(pos, 5, end);
      return readStr(buf, pos + 5, buf.readUInt32LE(pos + 1), end, fn);
    case ENC_16BIT_INT:
      need(pos, 3, end);
      fn(String(buf.readInt16LE(pos + 1)));
      return pos + 3;
    case ENC_24BIT_INT:
      need(pos, 4, end);
      fn(String(buf.readIntLE(pos + 1, 3)));
      return pos + 4;
    case ENC_32BIT_INT:
      need(pos, 5, end);
      fn(String(buf.readInt32LE(pos + 1)));
      return pos + 5;
    case ENC_64BIT_INT:
      need(pos, 9, end);
      fn(String(buf.readBigInt64LE(pos + 1)));
      return pos + 9;
    default:
      throw new RdbFormatError(`invalid listpack encoding 0x${b.toString(16)}`);
  }
}

function readStr(buf: Buffer, pos: number, len: number, end: number, fn: (s: string) => void): number {
  need(pos, len, end);
  fn(buf.latin1Slice(pos, pos + len));
  return pos + len;
}

/** Check that the backlen at `pos` encodes `encLen` in Valkey's canonical form. */
function checkBacklen(buf: Buffer, pos: number, end: number, encLen: number): number {
  const n = backlenSize(encLen);
  need(pos, n, end);
  let value = 0;
  for (let k = 0; k < n; k++) {
    const byte = buf[pos + k];
    const last = k === n - 1;
    // The first byte has bit 7 clear (it ends the right-to-left walk), the others set.
    if (((byte & 0x80) !== 0) !== (k !== 0)) {
      throw new RdbFormatError('invalid listpack backlen');
    }
    value = value * 128 + (byte & 0x7f);
    if (last && value !== encLen) throw new RdbFormatError('listpack backlen mismatch');
  }
  return pos + n;
}
