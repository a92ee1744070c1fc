// The element codec of stream nodes. A stream node keeps its entries in Valkey's listpack
// element format (the same bytes Valkey has after its master entry), so a node turns into the
// listpack Valkey saves by adding the listpack header and master entry around it, and its size
// is Valkey's to the byte (that size decides when a new node starts).
//
// Elements: an encoding byte (+ data) then a backlen, exactly as in src/persistence/rdb/listpack.ts
// (which encodes whole listpacks for the other types); here elements are read and written one
// at a time in place, integers without going through strings.

import {
  listpackInt,
  intEncodedSize,
  strEncodedSize,
  backlenSize,
  writeInt,
  writeString,
  writeBacklen,
} from '../persistence/rdb/listpack';

const ENC_6BIT_STR = 0x80;
const ENC_13BIT_INT = 0xc0;
const ENC_12BIT_STR = 0xe0;
const ENC_32BIT_STR = 0xf0;
const ENC_16BIT_INT = 0xf1;
const ENC_24BIT_INT = 0xf2;
const ENC_32BIT_INT = 0xf3;
const ENC_64BIT_INT = 0xf4;

/** Bytes of an integer element (encoding, data, backlen: always one byte for integers). */
export function intElemSize(v: number | bigint): number {
  return intEncodedSize(v) + 1;
}

/** Bytes of a string element stored as a string. */
export function strElemSize(len: number): number {
  const enc = strEncodedSize(len);
  return enc + backlenSize(enc);
}

/** Bytes of an element holding `s` (a canonical integer string is stored as an integer). */
export function elemSize(s: string): number {
  if (s.length < 21) {
    const v = listpackInt(s);
    if (v !== null) return intElemSize(v);
  }
  return strElemSize(s.length);
}

/** Write an integer element at `pos`; returns the position after it. */
export function writeIntElem(buf: Buffer, pos: number, v: number | bigint): number {
  const end = writeInt(buf, pos, v);
  buf[end] = end - pos;
  return end + 1;
}

/** Write a string element (as an integer when it is one); returns the position after it. */
export function writeStrElem(buf: Buffer, pos: number, s: string): number {
  if (s.length < 21) {
    const v = listpackInt(s);
    if (v !== null) return writeIntElem(buf, pos, v);
  }
  const len = s.length;
  if (len < 64) {
    // 6-bit length string: written here in JS, cheaper for short values than latin1Write.
    buf[pos] = ENC_6BIT_STR | len;
    for (let i = 0; i < len; i++) buf[pos + 1 + i] = s.charCodeAt(i);
    buf[pos + 1 + len] = len + 1; // backlen
    return pos + len + 2;
  }
  const end = writeString(buf, pos, s);
  const l = end - pos;
  if (l <= 127) {
    buf[end] = l;
    return end + 1;
  }
  return writeBacklen(buf, end, l);
}

/** Position after the element read by the last readInt / readElem call. */
export let nextPos = 0;

/** Read an integer element (the stream's own metadata elements always are). */
export function readInt(buf: Buffer, pos: number): number | bigint {
  const b = buf[pos];
  if (b < 0x80) {
    nextPos = pos + 2;
    return b;
  }
  if ((b & 0xe0) === ENC_13BIT_INT) {
    const u = ((b & 0x1f) << 8) | buf[pos + 1];
    nextPos = pos + 3;
    return u >= 4096 ? u - 8192 : u;
  }
  switch (b) {
    case ENC_16BIT_INT:
      nextPos = pos + 4;
      return buf.readInt16LE(pos + 1);
    case ENC_24BIT_INT:
      nextPos = pos + 5;
      return buf.readIntLE(pos + 1, 3);
    case ENC_32BIT_INT:
      nextPos = pos + 6;
      return buf.readInt32LE(pos + 1);
    case ENC_64BIT_INT: {
      nextPos = pos + 10;
      const v = buf.readBigInt64LE(pos + 1);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    default:
      throw new Error('stream node: integer element expected');
  }
}

/** Read a small non-negative integer element (flags, counts) as a number. */
export function readSmall(buf: Buffer, pos: number): number {
  const v = readInt(buf, pos);
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Decoded element of the last readElem call: an integer (`isInt`, `int`) or the bytes
 * [start, end) of a string.
 */
export const elem = { isInt: false, int: 0 as number | bigint, start: 0, end: 0 };

/** Read any element at `pos` into `elem`; returns the position after it. */
export function readElem(buf: Buffer, pos: number): number {
  const b = buf[pos];
  let enc: number;
  let len: number;
  if ((b & 0xc0) === ENC_6BIT_STR) {
    len = b & 0x3f;
    elem.start = pos + 1;
    enc = 1 + len;
  } else if ((b & 0xf0) === ENC_12BIT_STR) {
    len = ((b & 0x0f) << 8) | buf[pos + 1];
    elem.start = pos + 2;
    enc = 2 + len;
  } else if (b === ENC_32BIT_STR) {
    len = buf.readUInt32LE(pos + 1);
    elem.start = pos + 5;
    enc = 5 + len;
  } else {
    elem.isInt = true;
    elem.int = readInt(buf, pos);
    return nextPos;
  }
  elem.isInt = false;
  elem.end = elem.start + len;
  return pos + enc + backlenSize(enc);
}

/** The element at `pos` as a latin1 string (integers as their decimal text). */
export function elemString(buf: Buffer, pos: number): string {
  nextPos = readElem(buf, pos);
  return elem.isInt ? String(elem.int) : buf.latin1Slice(elem.start, elem.end);
}

/** Position after the element at `pos`. */
export function skipElem(buf: Buffer, pos: number): number {
  const b = buf[pos];
  if (b < 0x80) return pos + 2;
  if ((b & 0xc0) === ENC_6BIT_STR) {
    const enc = 1 + (b & 0x3f);
    return pos + enc + backlenSize(enc);
  }
  if ((b & 0xe0) === ENC_13BIT_INT) return pos + 3;
  if ((b & 0xf0) === ENC_12BIT_STR) {
    const enc = 2 + (((b & 0x0f) << 8) | buf[pos + 1]);
    return pos + enc + backlenSize(enc);
  }
  switch (b) {
    case ENC_32BIT_STR: {
      const enc = 5 + buf.readUInt32LE(pos + 1);
      return pos + enc + backlenSize(enc);
    }
    case ENC_16BIT_INT:
      return pos + 4;
    case ENC_24BIT_INT:
      return pos + 5;
    case ENC_32BIT_INT:
      return pos + 6;
    case ENC_64BIT_INT:
      return pos + 10;
    default:
      throw new Error('stream node: invalid element');
  }
}

/** Start of the element that ends right before `end` (walks its backlen right to left). */
export function prevElem(buf: Buffer, end: number): number {
  let p = end - 1;
  let l = buf[p] & 127;
  let shift = 7;
  while (buf[p] & 128) {
    p--;
    l += (buf[p] & 127) * 2 ** shift;
    shift += 7;
  }
  return p - l;
}
