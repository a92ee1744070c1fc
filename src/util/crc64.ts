/**
 * CRC-64 as used by Valkey/Redis for RDB files and DUMP payloads:
 * CRC-64/Jones — polynomial 0xad93d23594c935a9, reflected input and output,
 * initial value 0, no final xor. crc64(0, "123456789") === 0xe9c6d914c4b8d9can.
 *
 * The value is chained like Redis's crc64(crc, buf, len): feeding the output
 * of one call as the seed of the next equals one call over both inputs.
 *
 * Implemented slice-by-8 on 32-bit halves (no BigInt per byte); the 64-bit
 * state is kept as two uint32 (hi, lo). BigInt appears only at the API edge.
 */

/** bit-reversed polynomial 0xad93d23594c935a9 -> 0x95ac9329ac4bc9b5 */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/* 8 tables of 256 entries, low and high 32-bit halves. T[k*256 + i]. */
const TLO = new Int32Array(8 * 256);
const THI = new Int32Array(8 * 256);

(function init(): void {
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let j = 0; j < 8; j++) {
      const lsb = lo & 1;
      lo = (lo >>> 1) | ((hi & 1) << 31);
      hi = hi >>> 1;
      if (lsb) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TLO[i] = lo;
    THI[i] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const plo = TLO[(k - 1) * 256 + i]!;
      const phi = THI[(k - 1) * 256 + i]!;
      const idx = plo & 0xff;
      // (prev >> 8) ^ T0[prev & 0xff]
      TLO[k * 256 + i] = ((plo >>> 8) | (phi << 24)) ^ TLO[idx]!;
      THI[k * 256 + i] = (phi >>> 8) ^ THI[idx]!;
    }
  }
})();

/**
 * Incremental CRC-64 with the state in two 32-bit halves. Use this in
 * streaming writers (RDB) to avoid BigInt on every chunk.
 */
export class Crc64 {
  lo = 0;
  hi = 0;

  constructor(seed: bigint | number = 0) {
    if (seed !== 0) this.set(seed);
  }

  set(seed: bigint | number): this {
    const v = BigInt.asUintN(64, BigInt(seed));
    this.lo = Number(v & 0xffffffffn) | 0;
    this.hi = Number(v >> 32n) | 0;
    return this;
  }

  /** Feed bytes [start, end) of a buffer. */
  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    // 8-byte blocks, then the tail a byte at a time.
    const blockEnd = end - ((end - start) & 7);
    while (i < blockEnd) {
      const l = lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
      const h = hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24));
      const a7 = 7 * 256 + (l & 0xff);
      const a6 = 6 * 256 + ((l >>> 8) & 0xff);
      const a5 = 5 * 256 + ((l >>> 16) & 0xff);
      const a4 = 4 * 256 + (l >>> 24);
      const a3 = 3 * 256 + (h & 0xff);
      const a2 = 2 * 256 + ((h >>> 8) & 0xff);
      const a1 = 256 + ((h >>> 16) & 0xff);
      const a0 = h >>> 24;
      lo =
        TLO[a7]! ^ TLO[a6]! ^ TLO[a5]! ^ TLO[a4]! ^ TLO[a3]! ^ TLO[a2]! ^ TLO[a1]! ^ TLO[a0]!;
      hi =
        THI[a7]! ^ THI[a6]! ^ THI[a5]! ^ THI[a4]! ^ THI[a3]! ^ THI[a2]! ^ THI[a1]! ^ THI[a0]!;
      i += 8;
    }
    for (; i < end; i++) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TLO[idx]!;
      hi = (hi >>> 8) ^ THI[idx]!;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** Feed bytes [start, end) of a latin1 byte string. */
  updateString(s: string, start = 0, end = s.length): this {
    if (end - start > 64) {
      return this.update(Buffer.from(start === 0 && end === s.length ? s : s.slice(start, end), 'latin1'));
    }
    let lo = this.lo;
    let hi = this.hi;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ s.charCodeAt(i)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TLO[idx]!;
      hi = (hi >>> 8) ^ THI[idx]!;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The current value as an unsigned 64-bit bigint. */
  digest(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** Write the current value little-endian (as in RDB/DUMP footers). */
  writeLE(buf: Uint8Array, offset = 0): void {
    writeU32LE(buf, this.lo >>> 0, offset);
    writeU32LE(buf, this.hi >>> 0, offset + 4);
  }

  /** Does the 8 bytes little-endian at buf[offset] equal the current value? */
  equalsLE(buf: Uint8Array, offset = 0): boolean {
    return readU32LE(buf, offset) === this.lo >>> 0 && readU32LE(buf, offset + 4) === this.hi >>> 0;
  }
}

function writeU32LE(buf: Uint8Array, v: number, o: number): void {
  buf[o] = v & 0xff;
  buf[o + 1] = (v >>> 8) & 0xff;
  buf[o + 2] = (v >>> 16) & 0xff;
  buf[o + 3] = v >>> 24;
}

function readU32LE(buf: Uint8Array, o: number): number {
  return (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> 0;
}

const shared = new Crc64();

/**
 * Redis's crc64(crc, s, l): continue the CRC `crc` over `s` (a Buffer /
 * Uint8Array, or a latin1 byte string). Returns an unsigned 64-bit bigint.
 */
export function crc64(crc: bigint | number, s: string | Uint8Array): bigint {
  shared.set(crc);
  if (typeof s === 'string') shared.updateString(s);
  else shared.update(s);
  return shared.digest();
}

/** CRC-64 of buf[start, end), continuing from `seed` (default 0). */
export function crc64Buffer(buf: Uint8Array, start = 0, end = buf.length, seed: bigint = 0n): bigint {
  shared.set(seed);
  shared.update(buf, start, end);
  return shared.digest();
}

/** Write a CRC-64 value as 8 bytes little-endian. */
export function writeCrc64LE(crc: bigint, buf: Uint8Array, offset = 0): void {
  const v = BigInt.asUintN(64, crc);
  writeU32LE(buf, Number(v & 0xffffffffn), offset);
  writeU32LE(buf, Number(v >> 32n), offset + 4);
}

/** A CRC-64 value as a new 8-byte little-endian Buffer. */
export function crc64ToBufferLE(crc: bigint): Buffer {
  const b = Buffer.alloc(8);
  writeCrc64LE(crc, b, 0);
  return b;
}

/** Read 8 bytes little-endian as an unsigned 64-bit bigint. */
export function readCrc64LE(buf: Uint8Array, offset = 0): bigint {
  return (BigInt(readU32LE(buf, offset + 4)) << 32n) | BigInt(readU32LE(buf, offset));
}
