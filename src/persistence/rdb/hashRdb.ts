// Hashes in RDB form (DUMP payloads and RDB files), as Valkey 9.0's rdbSaveObject / rdbLoadObject:
//   RDB_TYPE_HASH_LISTPACK (16)  the listpack bytes as one string             (listpack encoding)
//   RDB_TYPE_HASH (4)            pair count, then field and value strings     (hashtable encoding)
//   RDB_TYPE_HASH_2 (22)         pair count, then field, value, 8-byte LE expire time in ms
//                                (-1 = none) per pair                          (hashtable with TTLs)
// and, for payloads and files of older versions:
//   RDB_TYPE_HASH_ZIPLIST (13)   a ziplist of field, value, field, value...
//   RDB_TYPE_HASH_ZIPMAP (9)     a zipmap (Redis 2.4 and older, see decodeZipmap)
// Loading picks the encoding by the current thresholds as Valkey does, and refuses corrupt
// input (broken listpacks, ziplists or zipmaps, odd element counts, duplicate fields, bad
// expire times) with RdbFormatError. A value that would be empty loads as null.

import { HashObject, TTL_CLEAR } from '../../types/hash';
import { DEFAULT_LIMITS, LISTPACK_MAX_SAFE_BYTES, type TypeLimits } from '../../types/limits';
import { RdbFormatError, type RdbReader, type RdbWriter } from './io';
import { registerRdbLoader, registerRdbSaver, type RdbLoadOptions } from './valueEncoding';
import { RDB_TYPE_HASH, RDB_TYPE_HASH_2, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_HASH_ZIPMAP } from './constants';
import { decodeListpack, encodeListpack } from './listpack';
import { decodeZiplist } from './ziplist';

const DUPLICATE = 'Duplicate hash fields detected';
/** RDB_TYPE_HASH_2's "no expire time" (Valkey's EXPIRY_NONE). */
const NO_EXPIRY = -1;

export function saveHash(h: HashObject, out: RdbWriter): void {
  if (h.encoding() === 'listpack') {
    out.byte(RDB_TYPE_HASH_LISTPACK);
    out.string(encodeListpack(h.toPairs()));
    return;
  }
  // Fields past their TTL but not yet reclaimed are saved too, as Valkey does.
  const withTtl = h.volatileCount() > 0;
  out.byte(withTtl ? RDB_TYPE_HASH_2 : RDB_TYPE_HASH);
  out.len(h.length);
  h.forEachWithExpiry((field, value, expireAt) => {
    out.string(field);
    out.string(value);
    if (withTtl) out.millis(expireAt);
  });
}

export function loadHash(type: number, r: RdbReader, opts: RdbLoadOptions): HashObject | null {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  switch (type) {
    case RDB_TYPE_HASH_LISTPACK:
      return fromPackedPairs(decodeListpack(r.stringBuffer()), limits, false);
    case RDB_TYPE_HASH_ZIPLIST:
      return fromPackedPairs(decodeZiplist(r.stringBuffer()), limits, false);
    case RDB_TYPE_HASH_ZIPMAP:
      return fromPackedPairs(decodeZipmap(r.stringBuffer()), limits, true);
    default:
      return loadPairs(type, r, limits);
  }
}

/**
 * A hash from a listpack, ziplist or zipmap's flat pairs: kept as a listpack unless it has too
 * many fields (zipmaps, converted by Valkey pair by pair, also convert on a long element).
 */
function fromPackedPairs(flat: string[], limits: TypeLimits, checkLengths: boolean): HashObject | null {
  if (flat.length % 2 !== 0) throw new RdbFormatError('hash with an odd number of elements');
  if (flat.length === 0) return null;
  assertDistinctFields(flat);
  const h = HashObject.fromListpack(flat);
  if (flat.length / 2 > limits.hashMaxListpackEntries || (checkLengths && longestElement(flat) > limits.hashMaxListpackValue)) {
    h.toHashtable();
  }
  return h;
}

function assertDistinctFields(flat: readonly string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) {
    if (seen.has(flat[i])) throw new RdbFormatError(DUPLICATE);
    seen.add(flat[i]);
  }
}

function longestElement(flat: readonly string[]): number {
  let max = 0;
  for (const s of flat) if (s.length > max) max = s.length;
  return max;
}

/**
 * RDB_TYPE_HASH / RDB_TYPE_HASH_2: pairs one by one. Like Valkey: a hashtable from the start when
 * there are too many pairs or any TTLs (type 22), else a listpack that converts on the first
 * element longer than hash-max-listpack-value.
 */
function loadPairs(type: number, r: RdbReader, limits: TypeLimits): HashObject | null {
  const len = r.len();
  if (len === 0) return null;
  const withTtl = type === RDB_TYPE_HASH_2;
  const flat: string[] = [];
  const expires: number[] = [];
  let longest = 0;
  let bytes = 0;
  for (let i = 0; i < len; i++) {
    const field = r.string();
    const value = r.string();
    flat.push(field, value);
    longest = Math.max(longest, field.length, value.length);
    bytes += field.length + value.length;
    if (withTtl) expires.push(readExpire(r));
  }
  assertDistinctFields(flat);
  const asListpack = !withTtl && len <= limits.hashMaxListpackEntries && longest <= limits.hashMaxListpackValue && bytes < LISTPACK_MAX_SAFE_BYTES;
  if (asListpack) return HashObject.fromListpack(flat);
  const h = new HashObject();
  h.toHashtable();
  for (let i = 0; i < len; i++) {
    const at = withTtl ? expires[i] : NO_EXPIRY;
    h.set(flat[2 * i], flat[2 * i + 1], limits, at === NO_EXPIRY ? TTL_CLEAR : at);
  }
  return h;
}

function readExpire(r: RdbReader): number {
  const at = r.millis();
  if (at < NO_EXPIRY) throw new RdbFormatError('invalid hash field expire time');
  return at;
}

// ---------------------------------------------------------------------------------------------
// Zipmap (RDB_TYPE_HASH_ZIPMAP), the hash encoding of Redis 2.4 and older:
//
//   count (1 byte, 254 = unknown) | entries | 0xFF
//   entry: len(field) field len(value) free value <free unused bytes>
//   len:   1 byte when < 254, else 0xFE (or 0xFF) followed by a 4-byte little-endian length
//   free:  1 byte, the number of unused bytes after the value
//
// Validated as Valkey's deep zipmapValidateIntegrity: every length within the buffer, at least
// one entry, the count byte (when known) equal to the entries.
// ---------------------------------------------------------------------------------------------

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/** Decode a zipmap into flat field, value pairs; throws RdbFormatError when it is invalid. */
export function decodeZipmap(zm: Buffer): string[] {
  const size = zm.length;
  if (size < 2 || zm[size - 1] !== ZIPMAP_END) throw new RdbFormatError('zipmap: bad size or end marker');
  const last = size - 1;
  const out: string[] = [];
  let p = 1;
  let count = 0;
  while (zm[p] !== ZIPMAP_END) {
    const fieldLen = zipmapLength(zm, p, last);
    p += lengthSize(zm[p]);
    inRange(p + fieldLen, last);
    const field = zm.latin1Slice(p, p + fieldLen);
    p += fieldLen;
    const valueLen = zipmapLength(zm, p, last);
    p += lengthSize(zm[p]);
    const free = zm[p++];
    inRange(p + valueLen + free, last);
    out.push(field, zm.latin1Slice(p, p + valueLen));
    p += valueLen + free;
    count++;
  }
  if (count === 0) throw new RdbFormatError('zipmap: empty');
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== count) throw new RdbFormatError('zipmap: count mismatch');
  return out;
}

function lengthSize(first: number): number {
  return first < ZIPMAP_BIGLEN ? 1 : 5;
}

/** The length encoded at `p` (checking that its encoding lies within the zipmap). */
function zipmapLength(zm: Buffer, p: number, last: number): number {
  const first = zm[p];
  inRange(p + lengthSize(first), last);
  return first < ZIPMAP_BIGLEN ? first : zm.readUInt32LE(p + 1);
}

/** Valkey's OUT_OF_RANGE: a position must stay within the entries (before the end marker). */
function inRange(p: number, last: number): void {
  if (p < 2 || p > last) throw new RdbFormatError('zipmap: entry out of range');
}

registerRdbSaver('hash', (value, out) => saveHash(value as HashObject, out));
registerRdbLoader([RDB_TYPE_HASH, RDB_TYPE_HASH_2, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_HASH_ZIPMAP], loadHash);
