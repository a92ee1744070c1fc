// Sorted sets in RDB form (DUMP payloads and RDB files), as Valkey 9.0's rdbSaveObject /
// rdbLoadObject:
//   RDB_TYPE_ZSET_LISTPACK (17)  the listpack bytes as one string: member, score, member...
//                                (scores as Valkey prints them, integers in integer encodings)
//   RDB_TYPE_ZSET_2 (5)          member count, then member string + binary double per member,
//                                from the highest score down (Valkey saves the skiplist from its
//                                tail so loading inserts at the head)
// and, loading only, the older forms:
//   RDB_TYPE_ZSET (3)            as 5 with scores as length-prefixed text
//   RDB_TYPE_ZSET_ZIPLIST (12)   a ziplist of member, score pairs (Redis < 7.0)
// Loading converts by the current thresholds as Valkey does: packed forms stay listpack unless
// they have more members than zset-max-listpack-entries; member-by-member forms become a
// listpack when count and member sizes fit. Corrupt input (odd pair counts, bad or NaN scores,
// duplicate members) is refused with RdbFormatError; an empty zset loads as nothing.

import { ZsetObject } from '../../types/zset';
import { DEFAULT_LIMITS, LISTPACK_MAX_SAFE_BYTES, type TypeLimits } from '../../types/limits';
import { parseStrtodWhole } from '../../types/ranges';
import { formatDouble } from '../../util/numbers';
import { RdbFormatError, type RdbReader, type RdbWriter } from './io';
import { registerRdbLoader, registerRdbSaver, type RdbLoadOptions } from './valueEncoding';
import { RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_ZIPLIST } from './constants';
import { decodeListpack, encodeListpack } from './listpack';
import { decodeZiplist } from './ziplist';

const DUPLICATE = 'Duplicate zset fields detected';
const NAN_SCORE = 'Zset with NAN score detected';

export function saveZset(z: ZsetObject, out: RdbWriter): void {
  if (z.encoding() === 'listpack') {
    const entries: string[] = [];
    z.forEach((m, s) => {
      entries.push(m, formatDouble(s));
    });
    out.byte(RDB_TYPE_ZSET_LISTPACK);
    out.string(encodeListpack(entries));
    return;
  }
  const n = z.length;
  out.byte(RDB_TYPE_ZSET_2);
  out.len(n);
  z.rangeByRank(0, n - 1, true, (m, s) => {
    out.string(m);
    out.binaryDouble(s);
  });
}

export function loadZset(type: number, r: RdbReader, opts: RdbLoadOptions): ZsetObject | null {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  if (type === RDB_TYPE_ZSET_LISTPACK) return loadPacked(decodeListpack(r.stringBuffer()), limits);
  if (type === RDB_TYPE_ZSET_ZIPLIST) return loadPacked(decodeZiplist(r.stringBuffer()), limits);
  return loadMembers(r, type === RDB_TYPE_ZSET_2, limits);
}

/** A score as stored in a listpack or ziplist (Valkey's zzlStrtod); NaN and garbage refused. */
function packedScore(text: string): number {
  const v = parseStrtodWhole(text);
  if (v === null || text.length === 0) throw new RdbFormatError('invalid zset score');
  return v;
}

/** RDB_TYPE_ZSET_LISTPACK / RDB_TYPE_ZSET_ZIPLIST: alternating member and score entries. */
function loadPacked(entries: string[], limits: TypeLimits): ZsetObject | null {
  if (entries.length % 2 !== 0) throw new RdbFormatError('zset listpack with an odd number of entries');
  if (entries.length === 0) return null;
  const pairs: [string, number][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i += 2) {
    const member = entries[i];
    if (seen.has(member)) throw new RdbFormatError(DUPLICATE);
    seen.add(member);
    pairs.push([member, packedScore(entries[i + 1])]);
  }
  return ZsetObject.fromPairs(pairs, pairs.length > limits.zsetMaxListpackEntries ? 'skiplist' : 'listpack');
}

/** RDB_TYPE_ZSET_2 / RDB_TYPE_ZSET: member count, then member + score, in any order. */
function loadMembers(r: RdbReader, binaryScores: boolean, limits: TypeLimits): ZsetObject | null {
  const len = r.len();
  if (len === 0) return null;
  const pairs: [string, number][] = [];
  const seen = new Set<string>();
  let maxLen = 0;
  let total = 0;
  for (let i = 0; i < len; i++) {
    const member = r.string();
    const score = binaryScores ? r.binaryDouble() : r.textDouble();
    if (Number.isNaN(score)) throw new RdbFormatError(NAN_SCORE);
    if (seen.has(member)) throw new RdbFormatError(DUPLICATE);
    seen.add(member);
    pairs.push([member, score]);
    if (member.length > maxLen) maxLen = member.length;
    total += member.length;
  }
  // Converted after loading, as the pairs are not stored in order.
  const small = len <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue && total < LISTPACK_MAX_SAFE_BYTES;
  return ZsetObject.fromPairs(pairs, small ? 'listpack' : 'skiplist');
}

registerRdbSaver('zset', (value, out) => saveZset(value as ZsetObject, out));
registerRdbLoader([RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK], loadZset);
