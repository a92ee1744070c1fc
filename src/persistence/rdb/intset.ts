// Valkey's intset byte format, the body of RDB_TYPE_SET_INTSET (11) values:
//
//   encoding (u32 LE: 2, 4 or 8 = bytes per element) | length (u32 LE) | elements
//
// The elements are signed little-endian integers of `encoding` bytes, strictly ascending. The
// width only ever grows in Valkey (an intset keeps the width of the widest value it has held),
// so a payload may use a wider encoding than its values need; that is valid and is kept.

import { RdbFormatError } from './io';

export type IntsetWidth = 2 | 4 | 8;

/** An intset's contents: element width and the values in ascending order. */
export interface IntsetContents {
  width: IntsetWidth;
  /** numbers when within ±2^53, bigints beyond */
  values: (number | bigint)[];
}

const HEADER_SIZE = 8;
const SAFE_HI = 2097152; // 2^21: a 64-bit value whose high word is below this is a safe number

/** Serialize an intset: `values` must be strictly ascending and fit `width` bytes each. */
export function encodeIntset(width: IntsetWidth, values: readonly (number | bigint)[]): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE + width * values.length);
  buf.writeUInt32LE(width, 0);
  buf.writeUInt32LE(values.length, 4);
  let pos = HEADER_SIZE;
  for (const v of values) {
    if (width === 2) buf.writeInt16LE(Number(v), pos);
    else if (width === 4) buf.writeInt32LE(Number(v), pos);
    else buf.writeBigInt64LE(BigInt(v), pos);
    pos += width;
  }
  return buf;
}

/**
 * Parse and validate an intset as Valkey's intsetValidateIntegrity does with deep checking:
 * a known width, a length that matches the size exactly, at least one element, and strictly
 * ascending values (no duplicates). Throws RdbFormatError otherwise.
 */
export function decodeIntset(buf: Buffer): IntsetContents {
  if (buf.length < HEADER_SIZE) throw new RdbFormatError('intset too short');
  const width = buf.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbFormatError(`invalid intset encoding ${width}`);
  const count = buf.readUInt32LE(4);
  if (HEADER_SIZE + count * width !== buf.length) throw new RdbFormatError('intset length does not match its size');
  if (count === 0) throw new RdbFormatError('empty intset');
  const values = new Array<number | bigint>(count);
  let pos = HEADER_SIZE;
  for (let i = 0; i < count; i++, pos += width) {
    const v = readElement(buf, pos, width);
    if (i > 0 && !(v > values[i - 1])) throw new RdbFormatError('intset values not strictly ascending');
    values[i] = v;
  }
  return { width, values };
}

function readElement(buf: Buffer, pos: number, width: IntsetWidth): number | bigint {
  if (width === 2) return buf.readInt16LE(pos);
  if (width === 4) return buf.readInt32LE(pos);
  const hi = buf.readInt32LE(pos + 4);
  if (hi >= -SAFE_HI && hi < SAFE_HI) return hi * 4294967296 + buf.readUInt32LE(pos);
  return buf.readBigInt64LE(pos);
}
