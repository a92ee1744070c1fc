// Byte-level reading and writing of the RDB format: lengths, strings (with Valkey's integer and
// LZF encodings), times and doubles. Used by DUMP/RESTORE payloads and by RDB files alike.
//
// The reader never trusts its input: every malformed or truncated field throws RdbFormatError,
// which callers turn into "ERR Bad data format" (RESTORE) or a load failure (RDB files).

import { parseLongLong } from '../../util/numbers';
import { lzfCompress, lzfDecompress } from '../../util/lzf';
import {
  RDB_6BITLEN,
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENCVAL,
  RDB_ENC_INT8,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_LZF,
} from './constants';

export class RdbFormatError extends Error {}

const INITIAL_SIZE = 256;
/** Integer encoding is only tried on strings this short ("-2147483648" is 11 bytes). */
const INT_ENCODING_MAX_LEN = 11;
/** LZF cannot shrink anything this short, so Valkey does not try. */
const LZF_MIN_LEN = 21;
const TWO_POW_32 = 0x100000000;

export class RdbWriter {
  private buf = Buffer.allocUnsafe(INITIAL_SIZE);
  private pos = 0;

  /** `compress` is rdbcompression: long strings are LZF-compressed when that saves space. */
  constructor(readonly compress = true) {}

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view: copy it if the writer is used again). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Bytes the writer can hold before it must grow. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Start over, keeping the buffer (views from toBuffer() become invalid). */
  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
  }

  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  /** Raw latin1 bytes (one char = one byte). */
  latin1(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }

  /** Valkey's rdbSaveLen: 6, 14, 32 or 64 bit lengths (the wide ones big-endian). */
  len(n: number): void {
    if (n < 1 << 6) {
      this.byte((RDB_6BITLEN << 6) | n);
    } else if (n < 1 << 14) {
      this.byte((RDB_14BITLEN << 6) | (n >> 8));
      this.byte(n & 0xff);
    } else if (n < TWO_POW_32) {
      this.byte(RDB_32BITLEN);
      this.ensure(4);
      this.buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      this.byte(RDB_64BITLEN);
      this.ensure(8);
      this.buf.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** A signed 64-bit little-endian millisecond time (expires, stream times). */
  millis(t: number): void {
    this.ensure(8);
    // Expire times are JS numbers: above 2^53 they are rounded, and the largest int64 rounds up
    // to 2^63, which does not fit. Clamp to the int64 range.
    const v = t >= 9223372036854775807 ? 9223372036854775807n : t <= -9223372036854775808 ? -9223372036854775808n : BigInt(Math.trunc(t));
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
  }

  binaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  binaryFloat(f: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(f, this.pos);
    this.pos += 4;
  }

  /**
   * A string as Valkey's rdbSaveRawString writes it: as an 8/16/32-bit integer when it is the
   * canonical form of one, LZF-compressed when long and compressible, else length + bytes.
   */
  string(s: string | Buffer): void {
    const len = s.length;
    if (len <= INT_ENCODING_MAX_LEN) {
      const text = typeof s === 'string' ? s : s.latin1Slice(0, len);
      const n = parseLongLong(text);
      if (n !== null && this.intEncoded(n)) return;
    }
    if (this.compress && len >= LZF_MIN_LEN && this.lzf(typeof s === 'string' ? Buffer.from(s, 'latin1') : s)) return;
    this.len(len);
    if (typeof s === 'string') this.latin1(s);
    else this.bytes(s);
  }

  /** rdbSaveLongLongAsStringObject: an integer value, encoded if it fits 32 bits. */
  integerString(n: number): void {
    if (!this.intEncoded(n)) {
      const digits = String(n);
      this.len(digits.length);
      this.latin1(digits);
    }
  }

  /** rdbEncodeInteger: writes and returns true when `n` fits one of the integer encodings. */
  private intEncoded(n: number): boolean {
    if (n >= -128 && n <= 127) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
      this.byte(n & 0xff);
    } else if (n >= -32768 && n <= 32767) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
      this.byte(n & 0xff);
      this.byte((n >> 8) & 0xff);
    } else if (n >= -2147483648 && n <= 2147483647) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
      this.ensure(4);
      this.buf.writeInt32LE(n, this.pos);
      this.pos += 4;
    } else {
      return false;
    }
    return true;
  }

  /** rdbSaveLzfStringObject: only kept when the result is at least 4 bytes shorter. */
  private lzf(data: Buffer): boolean {
    const compressed = lzfCompress(data, data.length - 4);
    if (compressed === null) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.len(compressed.length);
    this.len(data.length);
    this.bytes(compressed);
    return true;
  }
}

/** A length field: either a plain length or (encoded = true) one of the RDB_ENC_* kinds. */
export interface RdbLen {
  value: number;
  encoded: boolean;
}

export class RdbReader {
  pos: number;

  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw new RdbFormatError('unexpected end of data');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** rdbLoadLenByRef. */
  lenField(): RdbLen {
    const first = this.byte();
    const kind = first >> 6;
    if (kind === RDB_ENCVAL) return { value: first & 0x3f, encoded: true };
    if (kind === RDB_6BITLEN) return { value: first & 0x3f, encoded: false };
    if (kind === RDB_14BITLEN) return { value: ((first & 0x3f) << 8) | this.byte(), encoded: false };
    if (first === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return { value: v, encoded: false };
    }
    if (first === RDB_64BITLEN) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      // Anything past 2^53 cannot be a real length here; keep it huge so size checks fail.
      return { value: v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v), encoded: false };
    }
    throw new RdbFormatError(`unknown length encoding ${first}`);
  }

  /** A plain length (an encoded-string marker here is a format error). */
  len(): number {
    const l = this.lenField();
    if (l.encoded) throw new RdbFormatError('unexpected encoded length');
    return l.value;
  }

  /** A string as raw bytes (rdbGenericLoadStringObject with RDB_LOAD_PLAIN). */
  stringBuffer(): Buffer {
    const l = this.lenField();
    if (!l.encoded) return this.bytes(l.value);
    switch (l.value) {
      case RDB_ENC_INT8:
      case RDB_ENC_INT16:
      case RDB_ENC_INT32:
        return Buffer.from(String(this.encodedInt(l.value)), 'latin1');
      case RDB_ENC_LZF:
        return this.lzfString();
      default:
        throw new RdbFormatError(`unknown string encoding ${l.value}`);
    }
  }

  /** A string as a latin1 JS string (the keyspace's representation of bytes). */
  string(): string {
    const b = this.stringBuffer();
    return b.latin1Slice(0, b.length);
  }

  private encodedInt(kind: number): number {
    if (kind === RDB_ENC_INT8) {
      const b = this.byte();
      return b > 127 ? b - 256 : b;
    }
    if (kind === RDB_ENC_INT16) {
      this.need(2);
      const v = this.buf.readInt16LE(this.pos);
      this.pos += 2;
      return v;
    }
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  private lzfString(): Buffer {
    const compressedLen = this.len();
    const originalLen = this.len();
    const compressed = this.bytes(compressedLen);
    const out = lzfDecompress(compressed, originalLen);
    if (out === null || out.length !== originalLen) throw new RdbFormatError('invalid LZF compressed string');
    return out;
  }

  /** rdbLoadMillisecondTime (little-endian since RDB 9). */
  millis(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** rdbLoadTime: the old 32-bit seconds expire. */
  seconds32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  binaryFloat(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadDoubleValue: the old text doubles (length byte, 253 NaN, 254 +inf, 255 -inf). */
  textDouble(): number {
    const len = this.byte();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    const text = this.bytes(len).latin1Slice(0, len);
    const d = parseScanfDouble(text);
    if (d === null) throw new RdbFormatError('invalid double');
    return d;
  }
}

/** sscanf("%lg") accepts a leading number and ignores what follows. */
function parseScanfDouble(s: string): number | null {
  const m = /^\s*[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(s);
  if (!m) return null;
  const t = m[0].trim().toLowerCase();
  if (t.endsWith('nan')) return NaN;
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}
