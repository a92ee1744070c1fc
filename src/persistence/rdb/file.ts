// Whole RDB files: the VALKEY080 header, aux fields, database sections (SELECTDB, RESIZEDB),
// keys with their expire and LRU/LFU metadata, the EOF opcode and the CRC64 trailer.
// The writer streams to a file descriptor in chunks; the loader reads a complete buffer and
// never loads half a database silently: any malformed byte stops it with an error.

import * as fs from 'node:fs';
import type { Value } from '../../db/database';
import { crc64Buffer, Crc64 } from '../../util/crc64';
import { RdbReader, RdbWriter, RdbFormatError } from './io';
import { encodeValue, decodeValueOfType, readValueType } from './valueEncoding';
import type { TypeLimits } from '../../types/limits';
import {
  RDB_VERSION,
  RDB_TYPE_STRING,
  RDB_TYPE_MODULE_PRE_GA,
  RDB_TYPE_MODULE_2,
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
/** A buffer grown past this by one huge value is dropped after use rather than kept. */
const KEEP_BUFFER_MAX = 8 << 20;
/**
 * Like Valkey's rdb-save-incremental-fsync: every this many bytes the file is synced in the
 * background, so the final fsync (on the event loop) has little left to write.
 */
const AUTOSYNC_BYTES = 4 << 20;

export class RdbFileWriter {
  private out: RdbWriter;
  private readonly crc = new Crc64();
  private unsynced = 0;
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
    if (this.checksum) this.crc.update(b);
    writeAll(this.fd, b);
    this.bytesWritten += b.length;
    this.unsynced += b.length;
    // The write was synchronous: the buffer can take the next chunk.
    if (this.out.capacity > KEEP_BUFFER_MAX) this.out = new RdbWriter(this.compress);
    else this.out.reset();
    if (this.unsynced >= AUTOSYNC_BYTES) {
      this.unsynced = 0;
      // Errors here surface in the final fsync; a late callback after close is harmless.
      fs.fdatasync(this.fd, () => {});
    }
  }

  /** EOF opcode and checksum (zero when rdbchecksum is off), then everything is written. */
  finish(): void {
    this.out.byte(RDB_OPCODE_EOF);
    this.flush();
    const trailer = Buffer.alloc(8);
    if (this.checksum) this.crc.writeLE(trailer, 0);
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

/** Scratch writers for a collection's encoding (by rdbcompression), reused from key to key. */
const scratch: { on: RdbWriter | null; off: RdbWriter | null } = { on: null, off: null };

function scratchWriter(compress: boolean): RdbWriter {
  const which = compress ? 'on' : 'off';
  let w = scratch[which];
  if (w === null || w.capacity > KEEP_BUFFER_MAX) w = scratch[which] = new RdbWriter(compress);
  w.reset();
  return w;
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
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    out.byte(RDB_TYPE_STRING);
    out.string(key);
    out.string(value);
    return;
  }
  // encodeValue writes the type byte first; the key goes between the type and the value.
  const typed = scratchWriter(out.compress);
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
export function loadRdbBuffer(buf: Buffer, sink: RdbLoadSink, opts: RdbLoadOptions): { version: number; keys: number; end: number } {
  if (buf.length < 9) throw new RdbLoadError('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  const magic = buf.latin1Slice(0, 9);
  let kind: 'valkey' | 'redis';
  if (magic.startsWith('VALKEY')) {
    kind = 'valkey';
  } else if (magic.startsWith('REDIS')) {
    kind = 'redis';
  } else {
    throw new RdbLoadError('Wrong signature trying to load DB from file');
  }
  // atoi(): the leading digits, 0 when there are none.
  const version = Number(/^\d*/.exec(magic.slice(kind === 'valkey' ? 6 : 5))![0] || '0');
  if (!rdbIsVersionAccepted(version, opts.strictVersion, kind)) {
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
          // Fjord has no modules, so no module can claim its data: refuse, as Valkey does.
          throw new RdbLoadError(`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeName(readLen64(r))}'`);
        case RDB_OPCODE_FUNCTION2:
          throw new RdbLoadError(`Failed loading library, ${functionLoadError(r.string())}`);
        case RDB_OPCODE_FUNCTION_PRE_GA:
          throw new RdbLoadError('Pre-release function format not supported.');
        case RDB_OPCODE_SLOT_IMPORT:
          throw new RdbLoadError(`Unsupported RDB opcode ${type} (slot import state is not supported yet)`);
        default:
          break;
      }
      if (foreign && type >= RDB_FOREIGN_TYPE_MIN && type <= RDB_FOREIGN_TYPE_MAX) {
        throw new RdbLoadError(`Unknown RDB encoding type ${type}`);
      }
      r.pos--; // let readValueType validate the byte
      const vt = readValueType(r);
      const key = r.string();
      if (vt === RDB_TYPE_MODULE_PRE_GA) throw new RdbLoadError('Pre-release module format not supported');
      if (vt === RDB_TYPE_MODULE_2) {
        throw new RdbLoadError(`The RDB file contains module data I can't load: no matching module type '${moduleTypeName(readLen64(r))}'`);
      }
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
  // `end`: where the RDB stops (an old-style AOF continues with commands after its preamble)
  return { version, keys, end: version >= 5 ? end + 8 : end };
}

/** A length as a full uint64 (module IDs use all 64 bits). */
function readLen64(r: RdbReader): bigint {
  const first = r.buf[r.pos];
  if (first === 0x81) {
    r.pos++;
    return r.bytes(8).readBigUInt64BE(0);
  }
  return BigInt(r.len());
}

const MODULE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-character module type name inside a module ID (the low 10 bits are its encoding version). */
export function moduleTypeName(id: bigint): string {
  let rest = id >> 10n;
  let name = '';
  for (let i = 0; i < 9; i++) {
    name = MODULE_NAME_CHARSET[Number(rest & 63n)] + name;
    rest >>= 6n;
  }
  return name;
}

/** Why a function library cannot be loaded: Fjord has no function engine yet. */
function functionLoadError(code: string): string {
  const shebang = /^#!(\S+)/.exec(code);
  if (shebang === null) return 'Missing library metadata';
  return `Engine '${shebang[1]}' not found`;
}
