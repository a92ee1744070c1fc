// DUMP payloads: a value in RDB form followed by a footer of the 2-byte little-endian RDB version
// and the 8-byte little-endian CRC64 (Jones) of everything before the CRC.
//
//   ... RDB value | RDB version (2) | CRC64 (8)
//
// Unlike RDB files, a zero CRC is not special here: the checksum is always verified unless it
// was switched off for debugging (DEBUG SET-SKIP-CHECKSUM-VALIDATION).

import type { Value } from '../../db/database';
import { crc64 } from '../../util/crc64';
import { RdbReader, RdbWriter } from './io';
import { encodeValue } from './valueEncoding';
import { RDB_VERSION, rdbIsVersionAccepted } from './constants';

const FOOTER_LEN = 10;

/** Serialize a value as a DUMP payload. `compress` is rdbcompression. */
export function createDumpPayload(value: Value, compress: boolean): Buffer {
  const out = new RdbWriter(compress);
  encodeValue(value, out);
  out.byte(RDB_VERSION & 0xff);
  out.byte((RDB_VERSION >> 8) & 0xff);
  const body = out.toBuffer();
  const crc = Buffer.allocUnsafe(8);
  crc.writeBigUInt64LE(crc64(0n, body), 0);
  return Buffer.concat([body, crc]);
}

/**
 * Check a payload's footer (Valkey's verifyDumpPayload). Returns its RDB version, or null when
 * the payload is too short, its version is not accepted (`strict` is rdb-version-check=strict)
 * or its checksum is wrong. `skipChecksum` is DEBUG SET-SKIP-CHECKSUM-VALIDATION.
 */
export function verifyDumpPayload(p: Buffer, strict: boolean, skipChecksum = false): number | null {
  if (p.length < FOOTER_LEN) return null;
  const footer = p.length - FOOTER_LEN;
  const version = p[footer] | (p[footer + 1] << 8);
  if (!rdbIsVersionAccepted(version, strict)) return null;
  if (skipChecksum) return version;
  const expected = p.readBigUInt64LE(footer + 2);
  return crc64(0n, p.subarray(0, p.length - 8)) === expected ? version : null;
}

/**
 * A reader over a verified payload. Like Valkey it spans the footer too: a value whose encoding
 * runs into the footer is read as far as the bytes go, and trailing bytes are ignored.
 */
export function dumpPayloadReader(p: Buffer): RdbReader {
  return new RdbReader(p);
}
