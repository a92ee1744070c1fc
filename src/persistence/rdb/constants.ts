// RDB format constants shared by DUMP/RESTORE payloads and RDB files (Valkey 9.0, RDB version 80).
// The numbers are part of the on-disk format and must never change.

/** RDB version written by Valkey 9.0 (DUMP footer and the "VALKEY080" file header). */
export const RDB_VERSION = 80;
/** Versions 12..79 belong to RDB formats we do not speak (non-open-source Redis). */
export const RDB_FOREIGN_VERSION_MIN = 12;
export const RDB_FOREIGN_VERSION_MAX = 79;

// Length encoding: the two high bits of the first byte say how the length is stored.
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
/** 11xxxxxx: a specially encoded string follows; the low six bits are one of RDB_ENC_*. */
export const RDB_ENCVAL = 3;

// Special string encodings.
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Object type bytes.
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE_PRE_GA = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
export const RDB_TYPE_SET_LISTPACK = 20;
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;
/** hash with field expiration (RDB 80, Valkey 9.0) */
export const RDB_TYPE_HASH_2 = 22;
/** one past the last object type Valkey 9.0 knows */
export const RDB_TYPE_LAST = 23;

/** Types 22..243 may mean something else in a foreign (12..79) format, so they are refused there. */
export const RDB_FOREIGN_TYPE_MIN = 22;
export const RDB_FOREIGN_TYPE_MAX = 243;

// Opcodes of RDB files (they count down from 255).
export const RDB_OPCODE_SLOT_IMPORT = 243;
export const RDB_OPCODE_SLOT_INFO = 244;
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

/** Is this byte an object type (as opposed to an opcode or an unused number)? */
export function rdbIsObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t < RDB_TYPE_LAST);
}

export function rdbIsForeignVersion(v: number): boolean {
  return v >= RDB_FOREIGN_VERSION_MIN && v <= RDB_FOREIGN_VERSION_MAX;
}

/**
 * Valkey's rdbIsVersionAccepted. `strict` is rdb-version-check=strict (the default): future and
 * foreign versions are refused; relaxed accepts them on a best-effort basis. A file's magic
 * string constrains the version further (DUMP payloads have none: pass 'none').
 */
export function rdbIsVersionAccepted(version: number, strict: boolean, magic: 'valkey' | 'redis' | 'none' = 'none'): boolean {
  if (version < 1) return false;
  if (magic === 'valkey' && version <= RDB_FOREIGN_VERSION_MAX) return false;
  if (magic === 'redis' && version > RDB_FOREIGN_VERSION_MAX) return false;
  if (strict && (version > RDB_VERSION || rdbIsForeignVersion(version))) return false;
  return true;
}
