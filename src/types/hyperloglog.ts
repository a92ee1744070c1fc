// HyperLogLog values: Valkey's exact byte layout, so that an HLL moves between Fjord and Valkey
// (or Redis) with GET / SET and counts the same on both sides.
//
// An HLL is a string value:
//   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality (u64 LE; its top
//   bit set = stale) | registers
// Dense: 16384 registers of 6 bits, packed from the least significant bit of each byte upward
// (12288 bytes). Sparse: run-length opcodes
//   ZERO  00xxxxxx           1..64 zero registers
//   XZERO 01xxxxxx yyyyyyyy  1..16384 zero registers
//   VAL   1vvvvvxx           1..4 registers holding 1..32
// An element is hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register,
// the position of the lowest set bit among the other 50 (counted from 1, at most 51) is its value.
//
// This module knows nothing of clients or RESP. Values being modified are held in an HllRef, since
// a sparse value may grow (or be replaced by its dense form) while it is being edited.

export const HLL_HEADER_SIZE = 16;
export const HLL_REGISTERS = 16384;
const HLL_P_MASK = HLL_REGISTERS - 1;
/** the largest count a 64-bit hash can give: 64 - 14 + 1 */
const HLL_Q_PLUS_1 = 51;
export const HLL_DENSE_SIZE = HLL_HEADER_SIZE + (HLL_REGISTERS * 6) / 8;
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const ENCODING_BYTE = 4;
const CARD_OFFSET = 8;
/** byte holding the cached cardinality's top bit (the "stale" flag) */
const CARD_TOP = 15;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

/**
 * An HLL value being modified. Buffer values belong to their key alone (whoever copies a value
 * copies its Buffer), so the bytes are edited in place; a value that grows is copied into new
 * storage, with room to spare when it grows again within the same command.
 */
export class HllRef {
  /** bytes available from buf's start in storage this ref allocated (0: none, must copy to grow) */
  private capacity = 0;
  constructor(public buf: Buffer) {}

  /** Resize the value to `len` bytes (keeping its first bytes); buf is replaced. */
  resize(len: number): void {
    const buf = this.buf;
    if (len <= buf.length) {
      this.buf = buf.subarray(0, len);
      return;
    }
    if (len <= this.capacity) {
      this.buf = Buffer.from(buf.buffer, buf.byteOffset, len);
      return;
    }
    // The first growth in a command allocates just enough (the usual one-element PFADD); later
    // ones reserve room as Valkey's sparse growth does (double, at most +300 bytes).
    const capacity = this.capacity === 0 ? len : len + Math.min(len, 300);
    const storage = Buffer.allocUnsafe(capacity);
    buf.copy(storage, 0);
    this.capacity = capacity;
    this.buf = storage.subarray(0, len);
  }
}

/** A private, editable copy of a string value's bytes (Valkey's dbUnshareStringValue). */
export function editableCopy(v: string): Buffer {
  return Buffer.from(v, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------------------------

/**
 * Valkey's isHLLObjectOrReply for a string value: long enough for the header, "HYLL", a known
 * encoding, and exactly the dense size when dense. (Sparse opcodes are checked when used.)
 */
export function isValidHll(v: string | Buffer): boolean {
  const len = v.length;
  if (len < HLL_HEADER_SIZE) return false;
  let encoding: number;
  if (typeof v === 'string') {
    if (!v.startsWith('HYLL')) return false;
    encoding = v.charCodeAt(ENCODING_BYTE);
  } else {
    if (v[0] !== 0x48 || v[1] !== 0x59 || v[2] !== 0x4c || v[3] !== 0x4c) return false;
    encoding = v[ENCODING_BYTE];
  }
  if (encoding > HLL_SPARSE) return false;
  return encoding === HLL_SPARSE || len === HLL_DENSE_SIZE;
}

export function encodingOf(v: Buffer): number {
  return v[ENCODING_BYTE];
}

/** An empty HLL: sparse, one XZERO opcode covering every register. */
export function createHll(): Buffer {
  const v = Buffer.allocUnsafe(EMPTY_HLL.length);
  EMPTY_HLL.copy(v, 0);
  return v;
}

const EMPTY_HLL = Buffer.alloc(HLL_HEADER_SIZE + 2);
EMPTY_HLL.latin1Write('HYLL', 0);
EMPTY_HLL[ENCODING_BYTE] = HLL_SPARSE;
EMPTY_HLL[HLL_HEADER_SIZE] = 0x40 | ((HLL_REGISTERS - 1) >>> 8);
EMPTY_HLL[HLL_HEADER_SIZE + 1] = (HLL_REGISTERS - 1) & 0xff;

/** An empty dense HLL (all registers zero, cached cardinality 0). */
function createDenseHll(): Buffer {
  const v = Buffer.alloc(HLL_DENSE_SIZE);
  v.latin1Write('HYLL', 0);
  v[ENCODING_BYTE] = HLL_DENSE;
  return v;
}

export function isCacheValid(v: Buffer): boolean {
  return (v[CARD_TOP] & 0x80) === 0;
}

export function invalidateCache(v: Buffer): void {
  v[CARD_TOP] |= 0x80;
}

/** The cached cardinality (meaningful when isCacheValid). */
export function cachedCard(v: Buffer): number | bigint {
  // Read byte by byte: small enough to be inlined into PFCOUNT, where it is the whole job.
  const lo = (v[CARD_OFFSET] | (v[CARD_OFFSET + 1] << 8) | (v[CARD_OFFSET + 2] << 16) | (v[CARD_OFFSET + 3] << 24)) >>> 0;
  const hi = (v[CARD_OFFSET + 4] | (v[CARD_OFFSET + 5] << 8) | (v[CARD_OFFSET + 6] << 16) | (v[CARD_OFFSET + 7] << 24)) >>> 0;
  return hi < 0x200000 ? hi * 0x100000000 + lo : v.readBigUInt64LE(CARD_OFFSET);
}

export function setCachedCard(v: Buffer, card: number | bigint): void {
  if (typeof card === 'bigint') {
    v.writeBigUInt64LE(card, CARD_OFFSET);
    return;
  }
  v.writeUInt32LE(card % 0x100000000, CARD_OFFSET);
  v.writeUInt32LE(Math.floor(card / 0x100000000), CARD_OFFSET + 4);
}

// ---------------------------------------------------------------------------------------------
// MurmurHash64A on 32-bit halves (no BigInt on the hot path)
// ---------------------------------------------------------------------------------------------

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;
const TWO_POW_MINUS_32 = 2 ** -32;

/**
 * The high half of (hi:lo) * M modulo 2^64; its low half is Math.imul(lo, M_LO). Returning one
 * half and computing the other at the call site keeps every value in a local: no pair object,
 * no state to load back after each product.
 *
 * The high half of lo * M_LO (both unsigned) comes from the double product, which is within
 * 2^11 of the exact one (a 63-bit value held in 53 bits): minus the exact low half (Math.imul),
 * it is a multiple of 2^32 give or take 2^12, so rounding its quotient by 2^32 is exact. (Small
 * enough to be inlined at every call site, which 16-bit partial products were not.)
 */
function mulMHigh(hi: number, lo: number): number {
  const lowProduct = Math.imul(lo, M_LO) >>> 0;
  const highOfLoMLo = Math.round(((lo >>> 0) * M_LO - lowProduct) * TWO_POW_MINUS_32);
  return (highOfLoMLo + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) | 0;
}

// The last hash computed (hi, lo). Kept in a typed array: module-level numbers above 2^30 would
// be boxed on every store.
const STATE = new Int32Array(2);
const HASH_HI = 0;
const HASH_LO = 1;

/**
 * Mix the tail (the last `rest` bytes, already gathered into tailHi:tailLo) into h and finish
 * MurmurHash64A, leaving the hash in STATE.
 */
function hashFinish(hHi: number, hLo: number, rest: number, tailHi: number, tailLo: number): void {
  if (rest > 0) {
    hHi ^= tailHi;
    hLo ^= tailLo;
    hHi = mulMHigh(hHi, hLo); // h *= m
    hLo = Math.imul(hLo, M_LO);
  }
  hLo ^= hHi >>> 15; // h ^= h >> 47
  hHi = mulMHigh(hHi, hLo); // h *= m
  hLo = Math.imul(hLo, M_LO);
  STATE[HASH_HI] = hHi;
  STATE[HASH_LO] = hLo ^ (hHi >>> 15); // h ^= h >> 47
}

/** MurmurHash64A of a latin1 string's bytes, into STATE. */
function hashString(s: string): void {
  const len = s.length;
  let hHi = mulMHigh(0, len); // h = seed ^ (len * m)
  let hLo = Math.imul(len, M_LO) ^ SEED;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let kLo = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    let kHi = s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24);
    kHi = mulMHigh(kHi, kLo); // k *= m
    kLo = Math.imul(kLo, M_LO);
    kLo ^= kHi >>> 15; // k ^= k >> 47
    kHi = mulMHigh(kHi, kLo); // k *= m
    kLo = Math.imul(kLo, M_LO);
    hHi ^= kHi; // h ^= k
    hLo ^= kLo;
    hHi = mulMHigh(hHi, hLo); // h *= m
    hLo = Math.imul(hLo, M_LO);
  }
  // The tail, little endian: bytes i..i+3 in tailLo, the rest in tailHi.
  let tailLo = 0;
  let tailHi = 0;
  for (let j = len - 1; j >= i + 4; j--) tailHi = (tailHi << 8) | s.charCodeAt(j);
  for (let j = Math.min(len, i + 4) - 1; j >= i; j--) tailLo = (tailLo << 8) | s.charCodeAt(j);
  hashFinish(hHi, hLo, len - i, tailHi, tailLo);
}

/** MurmurHash64A of bytes, into STATE (the same steps as hashString). */
function hashBytes(b: Uint8Array, start: number, len: number): void {
  let hHi = mulMHigh(0, len);
  let hLo = Math.imul(len, M_LO) ^ SEED;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const p = start + i;
    let kLo = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
    let kHi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
    kHi = mulMHigh(kHi, kLo);
    kLo = Math.imul(kLo, M_LO);
    kLo ^= kHi >>> 15;
    kHi = mulMHigh(kHi, kLo);
    kLo = Math.imul(kLo, M_LO);
    hHi ^= kHi;
    hLo ^= kLo;
    hHi = mulMHigh(hHi, hLo);
    hLo = Math.imul(hLo, M_LO);
  }
  let tailLo = 0;
  let tailHi = 0;
  for (let j = len - 1; j >= i + 4; j--) tailHi = (tailHi << 8) | b[start + j];
  for (let j = Math.min(len, i + 4) - 1; j >= i; j--) tailLo = (tailLo << 8) | b[start + j];
  hashFinish(hHi, hLo, len - i, tailHi, tailLo);
}

/** MurmurHash64A (seed 0xadc83b19) of a latin1 string as a 64-bit bigint, for tests. */
export function murmurHash64A(s: string): bigint {
  hashString(s);
  return (BigInt(STATE[HASH_HI] >>> 0) << 32n) | BigInt(STATE[HASH_LO] >>> 0);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Register index and count of the last hash, packed as count << 14 | index: the count is 1 + the
 * number of zero bits above the 14 index bits before the first 1 (bit 50 of the rest forced on).
 */
function patternOfHash(): number {
  const hashLo = STATE[HASH_LO];
  const hashHi = STATE[HASH_HI];
  const index = hashLo & HLL_P_MASK;
  const low = hashLo >>> 14; // hash bits 14..31
  let count: number;
  if (low !== 0) count = 1 + ctz32(low);
  else if (hashHi !== 0) count = 1 + 18 + ctz32(hashHi);
  else count = HLL_Q_PLUS_1;
  return (count << 14) | index;
}

/** hllPatLen of an element: count << 14 | register index. */
export function elementPattern(s: string): number {
  hashString(s);
  return patternOfHash();
}

function bytesPattern(b: Uint8Array, start: number, len: number): number {
  hashBytes(b, start, len);
  return patternOfHash();
}

// ---------------------------------------------------------------------------------------------
// Dense registers (register r at bit 6r of the data, least significant bits first)
// ---------------------------------------------------------------------------------------------

/** Register `r` of the registers starting at byte `base`. */
export function denseGet(v: Uint8Array, base: number, r: number): number {
  const bit = r * 6;
  const b = base + (bit >>> 3);
  const fb = bit & 7;
  // With fb <= 2 the 6 bits lie in one byte (and the last register never needs the next one).
  const val = fb <= 2 ? v[b] >>> fb : (v[b] >>> fb) | (v[b + 1] << (8 - fb));
  return val & 63;
}

export function denseSetRaw(v: Uint8Array, base: number, r: number, val: number): void {
  const bit = r * 6;
  const b = base + (bit >>> 3);
  const fb = bit & 7;
  v[b] = (v[b] & ~(63 << fb)) | (val << fb);
  if (fb > 2) v[b + 1] = (v[b + 1] & ~(63 >>> (8 - fb))) | (val >>> (8 - fb));
}

/** Raise register `r` of a dense value to `count`; true if it changed. */
function denseSet(v: Uint8Array, r: number, count: number): boolean {
  if (count <= denseGet(v, HLL_HEADER_SIZE, r)) return false;
  denseSetRaw(v, HLL_HEADER_SIZE, r, count);
  return true;
}

/** Count, per register value, how many registers hold it. */
function denseHistogram(v: Uint8Array, base: number, hist: Float64Array): void {
  // 4 registers per 3 bytes.
  for (let p = base, end = base + (HLL_REGISTERS * 6) / 8; p < end; p += 3) {
    const b0 = v[p];
    const b1 = v[p + 1];
    const b2 = v[p + 2];
    hist[b0 & 63]++;
    hist[((b0 >>> 6) | (b1 << 2)) & 63]++;
    hist[((b1 >>> 4) | (b2 << 4)) & 63]++;
    hist[b2 >>> 2]++;
  }
}

// ---------------------------------------------------------------------------------------------
// Sparse opcodes
// ---------------------------------------------------------------------------------------------

const isZero = (op: number) => (op & 0xc0) === 0;
const isXzero = (op: number) => (op & 0xc0) === 0x40;
const isVal = (op: number) => (op & 0x80) !== 0;
const zeroLen = (op: number) => (op & 0x3f) + 1;
const valValue = (op: number) => ((op >>> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 3) + 1;
const valOp = (value: number, len: number) => 0x80 | ((value - 1) << 2) | (len - 1);

/** XZERO run length at p; a byte past the end reads as 0 (sds strings end with a NUL). */
function xzeroLen(v: Uint8Array, p: number, end: number): number {
  return (((v[p] & 0x3f) << 8) | (p + 1 < end ? v[p + 1] : 0)) + 1;
}

function writeXzero(v: Uint8Array, p: number, len: number): void {
  v[p] = 0x40 | ((len - 1) >>> 8);
  v[p + 1] = (len - 1) & 0xff;
}

/**
 * Walk the sparse opcodes of `v`, calling onVal(firstRegister, value, runLength) for VAL runs.
 * False if the opcodes do not cover exactly 16384 registers (a corrupted HLL).
 */
function walkSparse(v: Uint8Array, end: number, onVal: ((r: number, value: number, len: number) => void) | null): boolean {
  let idx = 0;
  let p = HLL_HEADER_SIZE;
  while (p < end) {
    const op = v[p];
    let runlen: number;
    let value = 0;
    if (isZero(op)) {
      runlen = zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      runlen = xzeroLen(v, p, end);
      p += 2;
    } else {
      runlen = valLen(op);
      value = valValue(op);
      p++;
    }
    if (runlen + idx > HLL_REGISTERS) return false;
    if (value !== 0 && onVal !== null) onVal(idx, value, runlen);
    idx += runlen;
  }
  return idx === HLL_REGISTERS;
}

function sparseHistogram(v: Uint8Array, end: number, hist: Float64Array): boolean {
  let zeros = HLL_REGISTERS;
  const ok = walkSparse(v, end, (_r, value, len) => {
    hist[value] += len;
    zeros -= len;
  });
  if (ok) hist[0] += zeros;
  return ok;
}

/**
 * Convert a sparse value to dense (hllSparseToDense). The header (magic, unused bytes, cached
 * cardinality) is kept. False, and nothing changed, if the sparse value is corrupted.
 */
export function sparseToDense(ref: HllRef): boolean {
  const sparse = ref.buf;
  if (sparse[ENCODING_BYTE] === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  sparse.copy(dense, 0, 0, HLL_HEADER_SIZE);
  dense[ENCODING_BYTE] = HLL_DENSE;
  const ok = walkSparse(sparse, sparse.length, (r, value, len) => {
    for (let i = 0; i < len; i++) denseSetRaw(dense, HLL_HEADER_SIZE, r + i, value);
  });
  if (!ok) return false;
  ref.buf = dense;
  return true;
}

// Scratch for the opcodes that replace one opcode (at most XZERO VAL XZERO = 5 bytes).
const SEQ = new Uint8Array(5);

/** Write a zero run of `len` registers at SEQ[n]; returns the next position. */
function seqZeros(n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    writeXzero(SEQ, n, len);
    return n + 2;
  }
  SEQ[n] = len - 1;
  return n + 1;
}

/**
 * Raise register `index` of a sparse value to `count` (hllSparseSet): 1 if it changed, 0 if not,
 * -1 if the value is corrupted. Promotes the value to dense when the count does not fit a VAL
 * opcode or the value would grow past `maxBytes`.
 */
export function sparseSet(ref: HllRef, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(ref, index, count);
  let v = ref.buf;
  let end = v.length;

  // Step 1: find the opcode covering the register.
  let p = HLL_HEADER_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = v[p];
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(v, p, end);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = v[p];
  const opIsXzero = isXzero(op);
  const next = opIsXzero ? p + 2 : p + 1;
  const hasNext = next < end;
  const runlen = isZero(op) ? zeroLen(op) : opIsXzero ? xzeroLen(v, p, end) : valLen(op);

  // Step 2: the trivial in-place updates.
  if (isVal(op)) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      v[p] = valOp(count, 1);
      return mergeAdjacentVals(ref, v, prev, end);
    }
  }
  if (isZero(op) && runlen === 1) {
    v[p] = valOp(count, 1);
    return mergeAdjacentVals(ref, v, prev, end);
  }

  // The general case: split the opcode around our register.
  const last = first + span - 1;
  let n = 0;
  if (isVal(op)) {
    const cur = valValue(op);
    if (index !== first) SEQ[n++] = valOp(cur, index - first);
    SEQ[n++] = valOp(count, 1);
    if (index !== last) SEQ[n++] = valOp(cur, last - index);
  } else {
    if (index !== first) n = seqZeros(n, index - first);
    SEQ[n++] = valOp(count, 1);
    if (index !== last) n = seqZeros(n, last - index);
  }

  // Step 3: put the new opcodes in place of the old one.
  const delta = n - (opIsXzero ? 2 : 1);
  if (delta > 0 && end + delta > maxBytes) return promote(ref, index, count);
  const newEnd = end + delta;
  if (delta > 0) {
    ref.resize(newEnd);
    v = ref.buf;
  }
  if (delta !== 0 && hasNext) v.copyWithin(next + delta, next, end);
  if (delta < 0) v = v.subarray(0, newEnd);
  // (Only a truncated last XZERO can make the new opcodes reach past the end: they are cut.)
  for (let i = 0; i < n && p + i < newEnd; i++) v[p + i] = SEQ[i];
  end = newEnd;
  return mergeAdjacentVals(ref, v, prev, end);
}

/**
 * Step 4 of hllSparseSet: merge adjacent VAL opcodes of equal value, scanning at most 5 opcodes
 * from the one before the change; then store the value and mark the cached cardinality stale.
 */
function mergeAdjacentVals(ref: HllRef, v: Buffer, prev: number, end: number): number {
  let p = prev >= 0 ? prev : HLL_HEADER_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const op = v[p];
    if (isXzero(op)) {
      p += 2;
      continue;
    }
    if (isZero(op)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(v[p + 1])) {
      const value = valValue(op);
      const len = valLen(op) + valLen(v[p + 1]);
      if (value === valValue(v[p + 1]) && len <= SPARSE_VAL_MAX_LEN) {
        v[p + 1] = valOp(value, len);
        v.copyWithin(p, p + 1, end);
        end--;
        v = v.subarray(0, end);
        continue; // try the merged opcode with the next one too
      }
    }
    p++;
  }
  invalidateCache(v);
  ref.buf = v;
  return 1;
}

function promote(ref: HllRef, index: number, count: number): number {
  if (!sparseToDense(ref)) return -1;
  denseSet(ref.buf, index, count);
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Adding, counting, merging
// ---------------------------------------------------------------------------------------------

/** Raise the register an element's pattern (count << 14 | index) points to: 1, 0 or -1 (corrupted). */
export function addPattern(ref: HllRef, pattern: number, maxBytes: number): number {
  const index = pattern & HLL_P_MASK;
  const count = pattern >>> 14;
  if (ref.buf[ENCODING_BYTE] === HLL_DENSE) return denseSet(ref.buf, index, count) ? 1 : 0;
  return sparseSet(ref, index, count, maxBytes);
}

/**
 * hllDenseAdd: raise the register an element's pattern points to in a dense value, which never
 * grows or moves; true if it changed.
 */
export function denseAddPattern(v: Uint8Array, pattern: number): boolean {
  return denseSet(v, pattern & HLL_P_MASK, pattern >>> 14);
}

/** hllAdd: add one element (a latin1 string) to the HLL. */
export function addElement(ref: HllRef, element: string, maxBytes: number): number {
  return addPattern(ref, elementPattern(element), maxBytes);
}

const ALPHA_INF = 0.72134752044448170368; // 0.5 / ln(2)
const TWO_63 = 2 ** 63;

/** Ertl's sigma function (arXiv:1702.01284). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrev: number;
  do {
    x *= x;
    zPrev = z;
    z += x * y;
    y += y;
  } while (zPrev !== z);
  return z;
}

/** Ertl's tau function (arXiv:1702.01284). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrev: number;
  do {
    x = Math.sqrt(x);
    zPrev = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrev !== z);
  return z / 3;
}

/**
 * The cardinality estimate from a register histogram (Ertl's improved estimator, as hllCount),
 * as the unsigned 64-bit value Valkey computes: a number, or a bigint beyond 2^53. An estimate
 * that does not fit a signed 64-bit integer becomes 2^63 (llroundl's overflow value).
 */
export function estimate(hist: Float64Array): number | bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - hist[HLL_Q_PLUS_1]) / m);
  for (let j = HLL_Q_PLUS_1 - 1; j >= 1; j--) {
    z += hist[j];
    z *= 0.5;
  }
  z += m * sigma(hist[0] / m);
  const e = (ALPHA_INF * m * m) / z;
  if (!(e < TWO_63)) return 1n << 63n;
  const rounded = Math.round(e);
  return rounded <= Number.MAX_SAFE_INTEGER ? rounded : BigInt(rounded);
}

const HIST = new Float64Array(64);

/** hllCount of a dense or sparse value; null if a sparse value is corrupted. */
export function countHll(v: Buffer): number | bigint | null {
  HIST.fill(0);
  if (v[ENCODING_BYTE] === HLL_DENSE) denseHistogram(v, HLL_HEADER_SIZE, HIST);
  else if (!sparseHistogram(v, v.length, HIST)) return null;
  return estimate(HIST);
}

/** hllCount of one byte per register (the union computed by PFCOUNT / PFMERGE). */
export function countRegisters(max: Uint8Array): number | bigint {
  HIST.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) HIST[max[i]]++;
  return estimate(HIST);
}

/**
 * Raise `max` (one byte per register) to the registers of a valid-looking HLL value (hllMerge).
 * False if a sparse value is corrupted.
 */
export function mergeInto(max: Uint8Array, v: Buffer): boolean {
  if (v[ENCODING_BYTE] === HLL_DENSE) {
    // 4 registers per 3 bytes.
    for (let p = HLL_HEADER_SIZE, r = 0; r < HLL_REGISTERS; p += 3, r += 4) {
      const b0 = v[p];
      const b1 = v[p + 1];
      const b2 = v[p + 2];
      raiseTo(max, r, b0 & 63);
      raiseTo(max, r + 1, ((b0 >>> 6) | (b1 << 2)) & 63);
      raiseTo(max, r + 2, ((b1 >>> 4) | (b2 << 4)) & 63);
      raiseTo(max, r + 3, b2 >>> 2);
    }
    return true;
  }
  return walkSparse(v, v.length, (r, value, len) => {
    for (let i = r; i < r + len; i++) if (value > max[i]) max[i] = value;
  });
}

function raiseTo(max: Uint8Array, r: number, val: number): void {
  if (val > max[r]) max[r] = val;
}

/** Write one byte per register into the registers of a dense value (hllDenseCompress). */
export function denseCompress(v: Buffer, max: Uint8Array): void {
  for (let r = 0; r < HLL_REGISTERS; r++) denseSetRaw(v, HLL_HEADER_SIZE, r, max[r]);
}

/** Set register `r` to `count` if higher, whatever the encoding (PFMERGE's sparse path). */
export function raiseRegister(ref: HllRef, r: number, count: number, maxBytes: number): void {
  if (ref.buf[ENCODING_BYTE] === HLL_DENSE) denseSet(ref.buf, r, count);
  else sparseSet(ref, r, count, maxBytes);
}

/** The 16384 registers of a dense value. */
export function denseRegisters(v: Buffer): number[] {
  const out = new Array<number>(HLL_REGISTERS);
  for (let r = 0; r < HLL_REGISTERS; r++) out[r] = denseGet(v, HLL_HEADER_SIZE, r);
  return out;
}

/** PFDEBUG DECODE: the sparse opcodes as "Z:n" (XZERO), "z:n" (ZERO), "v:value,len" (VAL). */
export function decodeSparse(v: Buffer): string {
  const parts: string[] = [];
  const end = v.length;
  let p = HLL_HEADER_SIZE;
  while (p < end) {
    const op = v[p];
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXzero(op)) {
      parts.push(`Z:${xzeroLen(v, p, end)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// PFSELFTEST
// ---------------------------------------------------------------------------------------------

const SELFTEST_CYCLES = 1000;

/** Valkey's PFSELFTEST checks; returns null on success or the error text (without "ERR "). */
export function selfTest(sparseMaxBytes: number): string | null {
  return selfTestRegisters() ?? selfTestEstimates(sparseMaxBytes);
}

/** Test 1: registers keep the values set and do not disturb their neighbours. */
function selfTestRegisters(): string | null {
  const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
  const bytes = new Uint8Array(HLL_REGISTERS);
  let x = (Math.random() * 0x7fffffff) | 1; // xorshift32: millions of values, cheaply
  for (let cycle = 0; cycle < SELFTEST_CYCLES; cycle++) {
    for (let r = 0; r < HLL_REGISTERS; r++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const val = x & 63;
      bytes[r] = val;
      denseSetRaw(dense, HLL_HEADER_SIZE, r, val);
    }
    for (let r = 0; r < HLL_REGISTERS; r++) {
      const val = denseGet(dense, HLL_HEADER_SIZE, r);
      if (val !== bytes[r]) return `TESTFAILED Register ${r} should be ${bytes[r]} but is ${val}`;
    }
  }
  return null;
}

/**
 * Test 2: add up to 10M distinct elements to a dense and a sparse HLL at once; at powers of ten
 * the sparse one must still be sparse while small, both must agree, and the error must stay
 * within 6 standard errors.
 */
function selfTestEstimates(sparseMaxBytes: number): string | null {
  const dense = createDenseHll();
  const sparse = new HllRef(createHll());
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const ele = new Uint8Array(8);
  const seedLo = (Math.random() * 0x100000000) >>> 0;
  const seedHi = (Math.random() * 0x100000000) >>> 0;
  let checkpoint = 1;
  for (let j = 1; j <= 10_000_000; j++) {
    // The element: the 64-bit integer j ^ seed, little endian.
    const lo = (j ^ seedLo) >>> 0;
    ele[0] = lo;
    ele[1] = lo >>> 8;
    ele[2] = lo >>> 16;
    ele[3] = lo >>> 24;
    ele[4] = seedHi;
    ele[5] = seedHi >>> 8;
    ele[6] = seedHi >>> 16;
    ele[7] = seedHi >>> 24;
    const pattern = bytesPattern(ele, 0, 8);
    denseSet(dense, pattern & HLL_P_MASK, pattern >>> 14);
    addPattern(sparse, pattern, sparseMaxBytes);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && sparse.buf[ENCODING_BYTE] !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
    const card = countHll(dense) as number;
    if (card !== countHll(sparse.buf)) return 'TESTFAILED dense/sparse disagree';
    let maxerr = Math.ceil(relerr * 6 * checkpoint);
    // At 10 a collision is likely enough to give a larger error now and then.
    if (j === 10) maxerr = 1;
    const abserr = Math.abs(checkpoint - card);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}
