// Sets in RDB form (DUMP payloads and RDB files), as Valkey 9.0's rdbSaveObject / rdbLoadObject:
//   RDB_TYPE_SET_INTSET (11)    the intset bytes as one string          (intset encoding)
//   RDB_TYPE_SET_LISTPACK (20)  the listpack bytes as one string        (listpack encoding)
//   RDB_TYPE_SET (2)            member count, then each member string   (hashtable encoding)
// Loading converts by the current thresholds as Valkey does, and refuses corrupt input (bad
// intsets or listpacks, duplicate members, empty sets) with RdbFormatError.

import { SetObject } from '../../types/set';
import { DEFAULT_LIMITS, type TypeLimits } from '../../types/limits';
import { RdbFormatError, type RdbReader, type RdbWriter } from './io';
import { registerRdbLoader, registerRdbSaver, type RdbLoadOptions } from './valueEncoding';
import { RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK } from './constants';
import { decodeIntset, encodeIntset, type IntsetWidth } from './intset';
import { decodeListpack, encodeListpack } from './listpack';

const DUPLICATE = 'Duplicate set members detected';

export function saveSet(set: SetObject, out: RdbWriter): void {
  switch (set.encoding()) {
    case 'intset':
      out.byte(RDB_TYPE_SET_INTSET);
      out.string(encodeIntset(set.intsetWidth() as IntsetWidth, set.intsetValues()));
      return;
    case 'listpack':
      out.byte(RDB_TYPE_SET_LISTPACK);
      out.string(encodeListpack(set.members()));
      return;
    default:
      out.byte(RDB_TYPE_SET);
      out.len(set.length);
      set.forEach((m) => out.string(m));
  }
}

export function loadSet(type: number, r: RdbReader, opts: RdbLoadOptions): SetObject | null {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  if (type === RDB_TYPE_SET_INTSET) return loadIntset(r, limits);
  if (type === RDB_TYPE_SET_LISTPACK) return loadListpack(r, limits);
  return loadMembers(r, limits);
}

/** RDB_TYPE_SET: members one by one, encoded as SADD would (intset, listpack, hashtable). */
function loadMembers(r: RdbReader, limits: TypeLimits): SetObject | null {
  const len = r.len();
  if (len === 0) return null;
  const maxIntset = Math.min(limits.setMaxIntsetEntries, 1 << 30);
  const set = SetObject.empty(len > maxIntset ? 'hashtable' : 'intset');
  for (let i = 0; i < len; i++) {
    if (!set.add(r.string(), limits)) throw new RdbFormatError(DUPLICATE);
  }
  return set;
}

/** RDB_TYPE_SET_INTSET: kept as an intset (width included) unless it has too many entries. */
function loadIntset(r: RdbReader, limits: TypeLimits): SetObject {
  const { width, values } = decodeIntset(r.stringBuffer());
  const set = SetObject.fromIntset(width, values);
  if (values.length > limits.setMaxIntsetEntries) set.toHashtable();
  return set;
}

/** RDB_TYPE_SET_LISTPACK: kept as a listpack unless it has too many entries. */
function loadListpack(r: RdbReader, limits: TypeLimits): SetObject | null {
  const members = decodeListpack(r.stringBuffer());
  if (members.length === 0) return null;
  if (new Set(members).size !== members.length) throw new RdbFormatError(DUPLICATE);
  const set = SetObject.fromListpack(members);
  if (members.length > limits.setMaxListpackEntries) set.toHashtable();
  return set;
}

registerRdbSaver('set', (value, out) => saveSet(value as SetObject, out));
registerRdbLoader([RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK], loadSet);
