// DEBUG DIGEST / DEBUG DIGEST-VALUE: a SHA1-based signature of a dataset that does not depend
// on the order keys (or set members, hash fields) are stored in, computed the way Valkey does
// so that equal datasets give equal digests on Fjord and on Valkey/Redis.
//
// Two primitives combine SHA1s into a 20-byte digest:
//   xorDigest(d, data): d ^= SHA1(data)            -- order-free ("add" an element)
//   mixDigest(d, data): d = SHA1(d ^ SHA1(data))   -- order-sensitive ("append" an element)
// A key contributes, starting from 20 zero bytes: mix(key), mix(type code as 4 big-endian bytes),
// the value's own contribution (per type, see registerValueDigest), and xor("!!expire!!") if the
// key has a TTL (the time itself is not part of it). Each database that holds keys first mixes
// its index (4 big-endian bytes) into the result, then xorDigest adds every key digest to it.
// An empty dataset is 20 zero bytes.

import { createHash } from 'node:crypto';
import type { Database, Value, TypeName } from '../db/database';
import { typeOf } from '../db/database';

export const DIGEST_LEN = 20;

/** Valkey's object type codes (OBJ_STRING...), which are part of each key's digest. */
export const TYPE_CODES: Record<TypeName, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

export function newDigest(): Buffer {
  return Buffer.alloc(DIGEST_LEN);
}

function sha1(data: string | Buffer): Buffer {
  const h = createHash('sha1');
  if (typeof data === 'string') h.update(data, 'latin1');
  else h.update(data);
  return h.digest();
}

/** d ^= SHA1(data). Strings are byte strings (latin1). */
export function xorDigest(d: Buffer, data: string | Buffer): void {
  const h = sha1(data);
  for (let i = 0; i < DIGEST_LEN; i++) d[i] ^= h[i];
}

/** d = SHA1(d ^ SHA1(data)). */
export function mixDigest(d: Buffer, data: string | Buffer): void {
  xorDigest(d, data);
  sha1(d).copy(d);
}

export function digestHex(d: Buffer): string {
  return d.toString('hex');
}

function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

// ---------------------------------------------------------------- per-type value digests

/** Adds a value's contents to the key digest `d`. */
export type ValueDigester = (d: Buffer, value: Value) => void;

const digesters = new Map<TypeName, ValueDigester>();

/**
 * Register how values of a type enter the digest. Valkey's rules, for type authors:
 * - list: mixDigest each element, head to tail (see mixElements)
 * - set: xorDigest each member (see xorElements)
 * - hash: per field, e = 20 zero bytes; mix(e, field); mix(e, value); xorDigest(d, e) (see xorPairs;
 *   note xorDigest adds SHA1(e), not e itself)
 * - zset: like hash with (member, score) where the score is written as the shortest decimal
 *   text that reads back as the same double (Valkey's fpconv_dtoa, e.g. "1.5", "3", "1e+20")
 * - stream: per entry mix "<ms>.<seq>", then mix each field and value in order
 */
export function registerValueDigest(type: TypeName, fn: ValueDigester): void {
  digesters.set(type, fn);
}

/** Order-sensitive elements (lists). */
export function mixElements(d: Buffer, elements: Iterable<string | Buffer>): void {
  for (const e of elements) mixDigest(d, e);
}

/** Order-free elements (sets). */
export function xorElements(d: Buffer, elements: Iterable<string | Buffer>): void {
  for (const e of elements) xorDigest(d, e);
}

/** Order-free pairs (hash field/value, zset member/score text). */
export function xorPairs(d: Buffer, pairs: Iterable<readonly [string | Buffer, string | Buffer]>): void {
  const e = newDigest();
  for (const [a, b] of pairs) {
    e.fill(0);
    mixDigest(e, a);
    mixDigest(e, b);
    xorDigest(d, e);
  }
}

// Strings: the value's bytes (Valkey digests integer-encoded strings by their decimal text,
// which is what Fjord stores anyway).
registerValueDigest('string', (d, v) => mixDigest(d, v as string | Buffer));

/** Valkey's xorObjectDigest: type code, value, and the TTL marker. */
export function addValueDigest(d: Buffer, value: Value, hasExpire: boolean): void {
  const type = typeOf(value);
  const fn = digesters.get(type);
  if (fn === undefined) throw new Error(`no digest function registered for type ${type}`);
  mixDigest(d, uint32be(TYPE_CODES[type]));
  fn(d, value);
  if (hasExpire) xorDigest(d, '!!expire!!');
}

/** DEBUG DIGEST: the whole dataset. Logically expired keys not yet deleted are included, as in Valkey. */
export function datasetDigest(dbs: readonly Database[]): Buffer {
  const final = newDigest();
  const keyDigest = newDigest();
  for (let j = 0; j < dbs.length; j++) {
    const db = dbs[j];
    if (db.size === 0) continue;
    mixDigest(final, uint32be(j));
    db.data.forEach((key, value) => {
      keyDigest.fill(0);
      mixDigest(keyDigest, key);
      addValueDigest(keyDigest, value, db.expires.has(key));
      xorDigest(final, keyDigest);
    });
  }
  return final;
}

/** DEBUG DIGEST-VALUE: one key's value (without its name); all zeros for a missing key. */
export function valueDigest(db: Database, key: string): Buffer {
  const d = newDigest();
  const v = db.data.get(key);
  if (v !== undefined) addValueDigest(d, v, db.expires.has(key));
  return d;
}
