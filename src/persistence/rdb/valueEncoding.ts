// Values in RDB form: a type byte followed by the type's encoding. This is the body of a DUMP
// payload and of every key in an RDB file.
//
// Strings are handled here. Every other type plugs in through the registry when it is
// implemented: a saver by TYPE name (it picks the RDB type byte from the value's encoding, as
// Valkey's rdbSaveObjectType does) and a loader per RDB type byte it understands (old type
// bytes included, so older payloads and files still load).

import type { Value } from '../../db/database';
import type { DataObject } from '../../types/object';
import type { TypeLimits } from '../../types/limits';
import { RdbReader, RdbWriter, RdbFormatError } from './io';
import { RDB_TYPE_STRING, rdbIsObjectType } from './constants';

/** Options a loader may need. */
export interface RdbLoadOptions {
  /** sanitize-dump-payload (RESTORE) / deep integrity validation of compact encodings */
  deepSanitize: boolean;
  /** RDB version of the payload or file being read */
  rdbVersion: number;
  /** current time (ms), for types with their own expiring parts (hash fields) */
  now: number;
  /** the encoding thresholds loaded values are converted by (DEFAULT_LIMITS when absent) */
  limits?: TypeLimits;
}

/** Writes `value` as type byte + encoding. */
export type RdbSaver = (value: DataObject, out: RdbWriter) => void;
/**
 * Reads the encoding that follows type byte `type`. Returns null when the value is empty once
 * loaded (e.g. every hash field already expired): callers then skip the key. Throws
 * RdbFormatError on malformed input.
 */
export type RdbLoader = (type: number, r: RdbReader, opts: RdbLoadOptions) => Value | null;

const savers = new Map<string, RdbSaver>();
const loaders = new Map<number, RdbLoader>();

/** Register the saver of a value type ('list', 'set', 'zset', 'hash', 'stream'). */
export function registerRdbSaver(typeName: DataObject['type'], saver: RdbSaver): void {
  savers.set(typeName, saver);
}

/** Register the loader of one or more RDB type bytes. */
export function registerRdbLoader(types: number[], loader: RdbLoader): void {
  for (const t of types) {
    if (!rdbIsObjectType(t)) throw new Error(`${t} is not an RDB object type`);
    loaders.set(t, loader);
  }
}

/** True when a value of this kind can be serialized (strings always can). */
export function canEncode(value: Value): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value) || savers.has(value.type);
}

/** Serialize a value: its RDB type byte, then its encoding. */
export function encodeValue(value: Value, out: RdbWriter): void {
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    out.byte(RDB_TYPE_STRING);
    out.string(value);
    return;
  }
  const saver = savers.get(value.type);
  if (saver === undefined) throw new Error(`no RDB encoding registered for type ${value.type}`);
  saver(value, out);
}

/**
 * Read the type byte of a value (rdbLoadObjectType). Throws RdbFormatError when it is not an
 * object type.
 */
export function readValueType(r: RdbReader): number {
  const t = r.byte();
  if (!rdbIsObjectType(t)) throw new RdbFormatError(`invalid object type ${t}`);
  return t;
}

/** Read the encoding of a value of RDB type `type` (rdbLoadObject). */
export function decodeValueOfType(type: number, r: RdbReader, opts: RdbLoadOptions): Value | null {
  if (type === RDB_TYPE_STRING) return r.string();
  const loader = loaders.get(type);
  if (loader === undefined) throw new RdbFormatError(`unsupported object type ${type}`);
  return loader(type, r, opts);
}

/** Read a whole value: type byte and encoding. */
export function decodeValue(r: RdbReader, opts: RdbLoadOptions): Value | null {
  return decodeValueOfType(readValueType(r), r, opts);
}
