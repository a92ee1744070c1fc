// Whole RDB files: the VALKEY080 header, aux fields, database sections (SELECTDB, RESIZEDB),
// keys with their expire and LRU/LFU metadata, the EOF opcode and the CRC64 trailer.
// The writer streams to a file descriptor in chunks; the loader reads a complete buffer and
// never loads half a database silently: any malformed byte stops it with an error.

import * as fs from 'node:fs';
import type { Value } from '../../db/database';
import { crc64Buffer } from '../../util/crc64';
import { RdbReader, RdbWriter, RdbFormatError } from './io';
import { encodeValue, decodeValueOfType, readValueType } from './valueEncoding';
import type { TypeLimits } from '../../types/limits';
import {
  RDB_VERSION,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_SLOT_INFO,
  RDB_OPCODE_SLOT_IMPORT,
  rdbIsVersionAccepted,
  RDB_FOREIGN_TYPE_MIN,
  RDB_FOREIGN_TYPE_MAX,
  rdbIsForeignVersion,
} from './constants';

/** Bytes buffered before a write to the file. */
const CHUNK = 1 << 20;

export class RdbFileWriter {
  private out: RdbWriter;
  private crc = 0n;
  bytesWritten = 0;

  constructor(private readonly fd: number, private readonly compress: boolean, private readonly checksum: boolean) {
    this.out = new RdbWriter(compress);
  }

  header(aux: [string, string | number][]): void {
    this.out.latin1(`VALKEY${String(RDB_VERSION).padStart(3, '0')}`);
    for (const [k, v] of aux) {
      this.out.byte(RDB_OPCODE_AUX);
      this.out.string(k);
      if (typeof v === 'number') this.out.integerString(v);
      else this.out.string(v);
    }
  }

  selectDb(id: number, size: number, expires: number): void {
    this.out.byte(RDB_OPCODE_SELECTDB);
    this.out.len(id);
    this.out.byte(RDB_OPCODE_RESIZEDB);
    this.out.len(size);
    this.out.len(expires);
  }

  /**
   * One key. `idle` (seconds, LRU policies) or `freq` (LFU policies) are written when >= 0,
   * as Valkey does for the active maxmemory-policy.
   */
  key(key: string, value: Value, expireMs: number, idle: number, freq: number): void {
    writeKeyEntry(this.out, key, value, expireMs, idle, freq);
    if (this.out.length >= CHUNK) this.flush();
  }

  /** Raw bytes prepared elsewhere (keys serialized ahead of their database section). */
  raw(b: Buffer): void {
    this.out.bytes(b);
    if (this.out.length >= CHUNK) this.flush();
  }

  flush(): void {
    const b = this.out.toBuffer();
    if (b.length === 0) return;
    if (this.checksum) this.crc = crc64Buffer(b, 0, b.length, this.crc);
    writeAll(this.fd, b);
    this.bytesWritten += b.length;
    this.out = new RdbWriter(this.compress);
  }

  /** EOF opcode and checksum (zero when rdbchecksum is off), then everything is written. */
  finish(): void {
    this.out.byte(RDB_OPCODE_EOF);
    this.flush();
    const trailer = Buffer.alloc(8);
    if (this.checksum) trailer.writeBigUInt64LE(this.crc, 0);
    writeAll(this.fd, trailer);
    this.bytesWritten += 8;
  }
}

/** Serialize one key entry (expire, metadata, type, key, value) into a standalone buffer. */
export function encodeKeyEntry(key: string, value: Value, expireMs: number, idle: number, freq: number, compress: boolean): Buffer {
  const w = new RdbWriter(compress);
  writeKeyEntry(w, key, value, expireMs, idle, freq);
  return Buffer.from(w.toBuffer());
}

/** The entry of one key as Valkey's rdbSaveKeyValuePair writes it. */
function writeKeyEntry(out: RdbWriter, key: string, value: Value, expireMs: number, idle: number, freq: number): void {
  if (expireMs >= 0) {
    out.byte(RDB_OPCODE_EXPIRETIME_MS);
    out.millis(expireMs);
  }
  if (idle >= 0) {
    out.byte(RDB_OPCODE_IDLE);
    out.len(idle);
  }
  if (freq >= 0) {
    out.byte(RDB_OPCODE_FREQ);
    out.byte(freq);
  }
  // encodeValue writes the type byte first; the key goes between the type and the value.
  const typed = new RdbWriter(out.compress);
  encodeValue(value, typed);
  const body = typed.toBuffer();
  out.byte(body[0]);
  out.string(key);
  out.bytes(body.subarray(1));
}

function writeAll(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}

// ------------------------------------------------------------------------------- loading

export class RdbLoadError extends Error {}

export interface RdbLoadSink {
  aux(key: string, value: string): void;
  /** a database section starts (SELECTDB); sizes are hints from RESIZEDB */
  selectDb(id: number): void;
  resizeDb(size: number, expires: number): void;
  key(key: string, value: Value, expireMs: number, idle: number, freq: number): void;
}

export interface RdbLoadOptions {
  /** rdb-version-check strict */
  strictVersion: boolean;
  /** verify the CRC64 trailer (rdbchecksum, and a zero trailer means "not computed") */
  checksum: boolean;
  now: number;
  deepSanitize: boolean;
  /** the encoding thresholds loaded values are converted by */
  limits?: TypeLimits;
}

/** Parse a whole RDB file. Throws RdbLoadError with a message for the log on any problem. */
export function loadRdbBuffer(buf: Buffer, sink: RdbLoadSink, opts: RdbLoadOptions): { version: number; keys: number } {
  if (buf.length < 9) throw new RdbLoadError('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  const magic = buf.latin1Slice(0, 9);
  let kind: 'valkey' | 'redis';
  let version: number;
  if (magic.startsWith('VALKEY')) {
    kind = 'valkey';
    version = Number(magic.slice(6));
  } else if (magic.startsWith('REDIS')) {
    kind = 'redis';
    version = Number(magic.slice(5));
  } else {
    throw new RdbLoadError('Wrong signature trying to load DB from file');
  }
  if (!Number.isInteger(version) || !rdbIsVersionAccepted(version, opts.strictVersion, kind)) {
    throw new RdbLoadError(`Can't handle RDB format version ${version}`);
  }
  const foreign = kind === 'redis' && rdbIsForeignVersion(version);
  const r = new RdbReader(buf, 9);
  let expireMs = -1;
  let idle = -1;
  let freq = -1;
  let keys = 0;
  const valueOpts = { deepSanitize: opts.deepSanitize, rdbVersion: version, now: opts.now, limits: opts.limits };
  try {
    for (;;) {
      const type = r.byte();
      if (type === RDB_OPCODE_EOF) break;
      switch (type) {
        case RDB_OPCODE_EXPIRETIME_MS:
          expireMs = r.millis();
          continue;
        case RDB_OPCODE_EXPIRETIME:
          expireMs = r.bytes(4).readInt32LE(0) * 1000;
          continue;
        case RDB_OPCODE_IDLE:
          idle = r.len();
          continue;
        case RDB_OPCODE_FREQ:
          freq = r.byte();
          continue;
        case RDB_OPCODE_SELECTDB:
          sink.selectDb(r.len());
          continue;
        case RDB_OPCODE_RESIZEDB: {
          const size = r.len();
          const exp = r.len();
          sink.resizeDb(size, exp);
          continue;
        }
        case RDB_OPCODE_AUX: {
          const k = r.string();
          const v = r.string();
          sink.aux(k, v);
          continue;
        }
        case RDB_OPCODE_SLOT_INFO:
          // slot id, slot size, expires slot size: hints only
          r.len();
          r.len();
          r.len();
          continue;
        case RDB_OPCODE_MODULE_AUX:
        case RDB_OPCODE_FUNCTION2:
        case RDB_OPCODE_FUNCTION_PRE_GA:
        case RDB_OPCODE_SLOT_IMPORT:
          throw new RdbLoadError(`Unsupported RDB opcode ${type} (modules, functions and slot imports are not supported yet)`);
        default:
          break;
      }
      if (foreign && type >= RDB_FOREIGN_TYPE_MIN && type <= RDB_FOREIGN_TYPE_MAX) {
        throw new RdbLoadError(`Unknown RDB encoding type ${type}`);
      }
      r.pos--; // let readValueType validate the byte
      const vt = readValueType(r);
      const key = r.string();
      const value = decodeValueOfType(vt, r, valueOpts);
      if (value !== null) {
        sink.key(key, value, expireMs, idle, freq);
        keys++;
      }
      expireMs = -1;
      idle = -1;
      freq = -1;
    }
  } catch (e) {
    if (e instanceof RdbLoadError) throw e;
    if (e instanceof RdbFormatError || e instanceof RangeError) {
      throw new RdbLoadError(`Short read or OOM loading DB. Unrecoverable error, aborting now. (${(e as Error).message})`);
    }
    throw e;
  }
  const end = r.pos;
  if (version >= 5) {
    if (buf.length < end + 8) throw new RdbLoadError('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    const expected = buf.readBigUInt64LE(end);
    if (opts.checksum && expected !== 0n) {
      const got = crc64Buffer(buf, 0, end, 0n);
      if (got !== expected) {
        throw new RdbLoadError(`Wrong RDB checksum expected: (${expected.toString(16)}) got: (${got.toString(16)}). Aborting now.`);
      }
    }
  }
  return { version, keys };
}
