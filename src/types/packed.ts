// The packed form of small hashes, sets and sorted sets: Fjord's "listpack".
//
// A JS array of strings costs a pointer plus a 16+ byte string header per element, several
// times Valkey's listpack bytes. Packing every element into one latin1 string costs one string
// header per collection and ~2 bytes of framing per element, as in Valkey. Lookups walk the
// string, as Valkey walks its listpack (the thresholds keep these strings small).
//
// Entry layouts (all lengths as varints, see below):
//   key entry    varint(len) tag bytes   a hash field, set member or zset member; `tag` is an
//                                        8-bit hash of the bytes so a lookup compares few keys
//   plain entry  varint(len) bytes       a hash value
// Sorted sets add a score after each key (see zset.ts).
//
// Varint: base-128, least significant group first, high bit = "more follows". Lengths < 128
// take one char.
//
// Strings returned by readers are substrings of the packed string. V8 may represent a
// substring of 13+ chars as a slice that keeps the whole packed string alive; callers that
// keep such a string inside a large structure for long use ownString() first.
//
// Packed strings are built with joinFlat(), never kept as `a + b`: V8 makes a concatenation of
// 13+ chars a rope (ConsString), and flattening a rope copies its content into a new string but
// leaves the 32-byte rope object in front of it for as long as the value lives.

/** Position after the last varint read (a register, so readers allocate nothing). */
export let rPos = 0;

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

export function encodeVarint(n: number): string {
  if (n < 128) return String.fromCharCode(n);
  let out = '';
  while (n >= 128) {
    out += String.fromCharCode(0x80 | n % 128);
    n = Math.floor(n / 128);
  }
  return out + String.fromCharCode(n);
}

/** Decode the varint at `pos`; the position after it goes to rPos. */
export function readVarint(lp: string, pos: number): number {
  let c = lp.charCodeAt(pos);
  if (c < 128) {
    rPos = pos + 1;
    return c;
  }
  let n = c & 0x7f;
  let mul = 128;
  for (;;) {
    c = lp.charCodeAt(++pos);
    n += (c & 0x7f) * mul;
    if (c < 128) break;
    mul *= 128;
  }
  rPos = pos + 1;
  return n;
}

/**
 * The lookup tag of a key entry: 8 bits from the length and four of the bytes (first, middle,
 * last two), mixed by one multiply. Keys of a collection mostly differ in their length or their
 * last bytes (f0..f9, member:1234), and a tag that does not read the whole key costs a lookup
 * next to nothing: a scan compares the bytes of a key only when the tags agree anyway.
 */
export function keyTag(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const mixed = n ^ (s.charCodeAt(0) << 8) ^ (s.charCodeAt(n >> 1) << 16) ^ (s.charCodeAt(n - 1) << 24) ^ (s.charCodeAt(n < 2 ? 0 : n - 2) << 4);
  return Math.imul(mixed, 0x9e3779b1) >>> 24;
}

export function keyEntry(s: string): string {
  return encodeVarint(s.length) + String.fromCharCode(keyTag(s)) + s;
}

export function plainEntry(s: string): string {
  return encodeVarint(s.length) + s;
}

/** Position of the entry after the key entry at `pos`. */
export function skipKey(lp: string, pos: number): number {
  const len = readVarint(lp, pos);
  return rPos + 1 + len;
}

/** Position of the entry after the plain entry at `pos`. */
export function skipPlain(lp: string, pos: number): number {
  const len = readVarint(lp, pos);
  return rPos + len;
}

/** The bytes of the key entry at `pos`; the next entry's position goes to rPos. */
export function readKey(lp: string, pos: number): string {
  const len = readVarint(lp, pos);
  const start = rPos + 1;
  rPos = start + len;
  return lp.substring(start, start + len);
}

/** The bytes of the plain entry at `pos`; the next entry's position goes to rPos. */
export function readPlain(lp: string, pos: number): string {
  const len = readVarint(lp, pos);
  const start = rPos;
  rPos = start + len;
  return lp.substring(start, start + len);
}

/**
 * Does the key entry at `pos` hold `key` (whose tag is `tag`)? Checks length, then tag,
 * then bytes. Sets rPos to the entry after it either way.
 */
export function keyEquals(lp: string, pos: number, key: string, tag: number): boolean {
  const len = readVarint(lp, pos);
  const start = rPos + 1;
  rPos = start + len;
  return len === key.length && lp.charCodeAt(start - 1) === tag && holdsAt(lp, start, key);
}

/** Are the bytes of lp from `start` those of s (lp being long enough)? Without a substring. */
export function holdsAt(lp: string, start: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (lp.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Compare the key entry at `pos` with `key` as Valkey compares members (memcmp, then length).
 * Returns <0, 0 or >0; sets rPos to the entry after it.
 */
export function compareKey(lp: string, pos: number, key: string): number {
  const len = readVarint(lp, pos);
  const start = rPos + 1;
  rPos = start + len;
  const n = len < key.length ? len : key.length;
  for (let i = 0; i < n; i++) {
    const d = lp.charCodeAt(start + i) - key.charCodeAt(i);
    if (d !== 0) return d;
  }
  return len - key.length;
}

/** V8 makes no rope or slice shorter than this: shorter strings are always their own copy. */
const MIN_SHARED_LENGTH = 13;

/**
 * `parts` concatenated into one sequential string of its own (see the header note). Array join
 * writes a fresh flat string, except that with at most one non-empty part V8 hands back that
 * part as it is (maybe a rope or a slice): that case is copied.
 */
export function joinFlat(parts: string[]): string {
  const s = parts.join('');
  if (s.length < MIN_SHARED_LENGTH) return s;
  let nonEmpty = 0;
  for (let i = 0; i < parts.length; i++) if (parts[i].length !== 0) nonEmpty++;
  return nonEmpty >= 2 ? s : ownString(s);
}

/** Replace lp[from, to) with `insert`, returning the new flat string. */
export function splice(lp: string, from: number, to: number, insert: string): string {
  return joinFlat([lp.substring(0, from), insert, lp.substring(to)]);
}

/**
 * A flat copy of `s` that shares no memory with a larger string and carries no rope (see the
 * header note). Short strings are always copies already.
 */
export function ownString(s: string): string {
  if (s.length < MIN_SHARED_LENGTH) return s;
  return [s.substring(0, 1), s.substring(1)].join('');
}

/** Lexicographic byte comparison of two latin1 strings (memcmp, then length), as sdscmp. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
