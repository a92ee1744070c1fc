// Stream IDs: two unsigned 64-bit numbers, <ms>-<seq>.
//
// JS numbers are exact only up to 2^53, and real IDs almost always fit (ms is a Unix time), so a
// 64-bit value is held as a number when it fits and as a bigint otherwise. The representation is
// normalized (below 2^53: always a number; from 2^53: always a bigint), which keeps `===` exact,
// and `<` / `>` compare numbers and bigints exactly even when mixed. Signed 64-bit counters
// (entries-read, delivery counts) use the same scheme.

import { writeDigits } from '../util/digits';

export type U64 = number | bigint;
/** A signed 64-bit value, normalized like U64. */
export type I64 = number | bigint;

export const U64_MAX = 0xffffffffffffffffn;
const TWO64 = 0x10000000000000000n;
const SAFE = Number.MAX_SAFE_INTEGER;
const SAFE_BIG = BigInt(SAFE);
const I64_MIN = -0x8000000000000000n;
const I64_MAX = 0x7fffffffffffffffn;

/** A bigint known to be in [0, 2^64) in the normalized form. */
export function normU64(v: bigint): U64 {
  return v <= SAFE_BIG ? Number(v) : v;
}

/** A bigint known to be in the int64 range, in the normalized form. */
export function normI64(v: bigint): I64 {
  return v <= SAFE_BIG && v >= -SAFE_BIG ? Number(v) : v;
}

/** Wrap a bigint to uint64 (C's unsigned arithmetic), normalized. */
export function wrapU64(v: bigint): U64 {
  return normU64(BigInt.asUintN(64, v));
}

/** Wrap a bigint to int64 (C's signed arithmetic on two's complement), normalized. */
export function wrapI64(v: bigint): I64 {
  return normI64(BigInt.asIntN(64, v));
}

/** a + d modulo 2^64 (d may be negative): how an entry ID is rebuilt from its node's master ID. */
export function addU64(a: U64, d: number | bigint): U64 {
  if (typeof a === 'number' && typeof d === 'number') {
    const s = a + d;
    if (s >= 0 && s <= SAFE) return s;
  }
  return wrapU64(BigInt(a) + BigInt(d));
}

/** a - b as the int64 C gets from uint64 subtraction (the delta stored for an entry). */
export function deltaI64(a: U64, b: U64): I64 {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return wrapI64(BigInt(a) - BigInt(b));
}

/** a + 1 for a uint64; null when it would wrap. */
export function incrU64(a: U64): U64 | null {
  if (typeof a === 'number') return a < SAFE ? a + 1 : BigInt(a) + 1n;
  return a === U64_MAX ? null : a + 1n;
}

/** a + 1 on an int64, with C's wrap-around. */
export function incrI64(a: I64): I64 {
  if (typeof a === 'number' && a < SAFE) return a + 1;
  return wrapI64(BigInt(a) + 1n);
}

/** a - b on int64 values, with C's wrap-around (lag = entries_added - entries_read). */
export function subI64(a: I64, b: I64): I64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (d >= -SAFE && d <= SAFE) return d;
  }
  return wrapI64(BigInt(a) - BigInt(b));
}

/** A uint64 counter seen as the long long Valkey prints (values past 2^63 turn negative). */
export function u64AsI64(a: U64): I64 {
  if (typeof a === 'number') return a;
  return a > I64_MAX ? normI64(a - TWO64) : a;
}

/** An int64 stored in a uint64 field (e.g. RETRYCOUNT into delivery_count). */
export function i64AsU64(a: I64): U64 {
  if (typeof a === 'number' && a >= 0) return a;
  return wrapU64(BigInt(a));
}

export function cmpU64(a: U64, b: U64): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare (ams, aseq) with (bms, bseq). */
export function cmpId(ams: U64, aseq: U64, bms: U64, bseq: U64): number {
  if (ams < bms) return -1;
  if (ams > bms) return 1;
  return aseq < bseq ? -1 : aseq > bseq ? 1 : 0;
}

export interface StreamID {
  ms: U64;
  seq: U64;
}

export const MIN_ID: Readonly<StreamID> = Object.freeze({ ms: 0, seq: 0 });
export const MAX_ID: Readonly<StreamID> = Object.freeze({ ms: U64_MAX, seq: U64_MAX });

export function idCmp(a: StreamID, b: StreamID): number {
  return cmpId(a.ms, a.seq, b.ms, b.seq);
}

export function idIsZero(id: StreamID): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function idIsMax(id: StreamID): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

/**
 * Write "<ms>-<seq>" as ASCII into `out` at `at` and return the position after it, or -1 when a
 * part is a bigint (then format it as a string).
 */
export function writeIdAscii(ms: U64, seq: U64, out: Buffer, at = 0): number {
  if (typeof ms !== 'number' || typeof seq !== 'number') return -1;
  const p = writeDigits(ms, out, at);
  out[p] = 45;
  return writeDigits(seq, out, p + 1);
}

export function formatId(ms: U64, seq: U64): string {
  return ms + '-' + seq;
}

export function idString(id: StreamID): string {
  return id.ms + '-' + id.seq;
}

/** The successor of an ID (streamIncrID); null when `id` is the last possible one. */
export function idIncr(id: StreamID): StreamID | null {
  const seq = incrU64(id.seq);
  if (seq !== null) return { ms: id.ms, seq };
  const ms = incrU64(id.ms);
  return ms === null ? null : { ms, seq: 0 };
}

/** The predecessor of an ID (streamDecrID); null when `id` is 0-0. */
export function idDecr(id: StreamID): StreamID | null {
  if (id.seq !== 0) return { ms: id.ms, seq: typeof id.seq === 'number' ? id.seq - 1 : normU64(id.seq - 1n) };
  if (id.ms === 0) return null;
  return { ms: typeof id.ms === 'number' ? id.ms - 1 : normU64(id.ms - 1n), seq: U64_MAX };
}

/** Valkey's streamNextID: the current time as ms, or the last ID's successor if time went back. */
export function nextAutoId(last: StreamID, nowMs: number): StreamID | null {
  if (nowMs > last.ms) return { ms: nowMs, seq: 0 };
  return idIncr(last);
}

// ------------------------------------------------------------------ parsing

/** The bytes a C string sees: everything before the first NUL (strcmp, strchr, %s). */
export function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

const NEGATIVE_LL = /^-[1-9][0-9]*$/;
const STRTOULL = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * Valkey's string2ull: a canonical int64 is accepted only if it is not negative; anything else
 * goes through strtoull, which takes leading spaces, a sign, leading zeros, and negates modulo
 * 2^64 ("-0" is 0).
 */
export function parseU64(s: string): U64 | null {
  const n = s.length;
  if (n > 0 && n <= 15) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === n) return v;
  }
  if (NEGATIVE_LL.test(s) && BigInt(s) >= I64_MIN) return null;
  const m = STRTOULL.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]);
  if (v > U64_MAX) return null;
  return normU64(m[1] === '-' ? (TWO64 - v) % TWO64 : v);
}

export interface ParsedId extends StreamID {
  /** false for the `<ms>-*` form (XADD only) */
  seqGiven: boolean;
}

const STREAM_ID_BUF = 128;

/**
 * streamGenericParseIDOrReply without the reply: "-" and "+" (unless strict), <ms>, <ms>-<seq>,
 * and <ms>-* when `allowSeqWildcard`. A missing sequence becomes `missingSeq`. Null if invalid.
 */
export function parseStreamId(arg: string, missingSeq: U64, strict: boolean, allowSeqWildcard = false): ParsedId | null {
  if (arg.length > STREAM_ID_BUF - 1) return null;
  const buf = cstr(arg);
  if (buf === '-') return strict ? null : { ms: 0, seq: 0, seqGiven: true };
  if (buf === '+') return strict ? null : { ms: U64_MAX, seq: U64_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = parseU64(dash < 0 ? buf : buf.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { ms, seq: missingSeq, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowSeqWildcard && rest === '*') return { ms, seq: 0, seqGiven: false };
  const seq = parseU64(rest);
  return seq === null ? null : { ms, seq, seqGiven: true };
}

/** An interval bound: "(" makes it exclusive (and strict); the caller moves it by one. */
export function parseIntervalId(arg: string, missingSeq: U64): { id: StreamID; exclusive: boolean } | null {
  const exclusive = arg.length > 1 && arg.charCodeAt(0) === 40;
  const id = exclusive ? parseStreamId(arg.slice(1), missingSeq, true) : parseStreamId(arg, missingSeq, false);
  return id === null ? null : { id, exclusive };
}

/**
 * A long long argument (getLongLongFromObjectOrReply) in the normalized I64 form, for values that
 * are stored and printed back (so 2^53 and beyond stay exact). Null if not a valid int64.
 */
export function parseI64(s: string): I64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45) {
    if (n === 1) return null;
    i = 1;
    c = s.charCodeAt(1);
  }
  if (c < 49 || c > 57) return n === 1 && c === 48 ? 0 : null;
  for (let k = i + 1; k < n; k++) {
    const d = s.charCodeAt(k);
    if (d < 48 || d > 57) return null;
  }
  if (n - i <= 15) return Number(s);
  const v = BigInt(s);
  return v < I64_MIN || v > I64_MAX ? null : normI64(v);
}

// ------------------------------------------------------------------ binary form

/** The 16-byte big-endian form of an ID (rax keys, RDB PEL entries). */
export function encodeIdBytes(ms: U64, seq: U64, out: Buffer, at: number): void {
  writeU64BE(ms, out, at);
  writeU64BE(seq, out, at + 8);
}

export function decodeIdBytes(b: Buffer, at: number): StreamID {
  return { ms: readU64BE(b, at), seq: readU64BE(b, at + 8) };
}

function writeU64BE(v: U64, out: Buffer, at: number): void {
  if (typeof v === 'number') {
    out.writeUInt32BE(Math.floor(v / 4294967296), at);
    out.writeUInt32BE(v >>> 0, at + 4);
  } else {
    out.writeBigUInt64BE(v, at);
  }
}

function readU64BE(b: Buffer, at: number): U64 {
  const hi = b.readUInt32BE(at);
  const lo = b.readUInt32BE(at + 4);
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return normU64((BigInt(hi) << 32n) | BigInt(lo));
}
