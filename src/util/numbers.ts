/**
 * Number parsing and formatting with Valkey 9.0's exact rules.
 *
 * All inputs are byte strings held as latin1 JS strings.
 *
 * Integers (string2ll):
 *   parseLongLong(s)   fast, returns a JS number; null when invalid OR when
 *                      valid but outside the safe-integer range.
 *   parseInt64(s)      bigint; null when not a valid int64.
 *
 * Doubles (string2d, as built by default: glibc strtod):
 *   parseDouble(s)     number | null. Accepts decimal, exponents, hex floats,
 *                      inf/infinity (any case, optional sign). Rejects "",
 *                      leading whitespace, trailing bytes, NaN, values that
 *                      overflow to +-inf and non-zero values that underflow to 0
 *                      (subnormals are accepted).
 *   parseDoubleStrtod(s) the looser check of score range bounds
 *                      (ZRANGEBYSCORE ...): bare strtod, "" -> 0, +-inf ok.
 *   formatDouble(d)    d2string()/addReplyDouble(): "inf", "-inf", "nan", "0",
 *                      "-0", plain integers up to 2^62, otherwise the output of
 *                      fpconv_dtoa (Grisu2, reproduced bit for bit; note that
 *                      Grisu2 is not always the shortest representation).
 *
 * Long doubles (string2ld / ld2string, INCRBYFLOAT and HINCRBYFLOAT):
 *   Valkey computes these in x87 80-bit extended precision (64-bit
 *   significand). JS has no such type, so two APIs are offered:
 *   - exact emulation: parseLongDoubleExact / addLongDouble /
 *     formatLongDoubleHuman / incrByFloatExact (software 80-bit arithmetic on
 *     BigInt; replies are byte-identical to Valkey on x86-64, e.g.
 *     0.1+0.2 -> "0.3", 1e400 is accepted);
 *   - double approximations: parseLongDouble / formatLongDouble.
 */

// ---------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * string2ll() returning a JS number. Returns null when `s` is not a valid
 * Valkey integer (no spaces, no '+', no leading zeros, "-0" invalid, at most
 * 20 bytes, must fit int64) and also when it is valid but its magnitude
 * exceeds Number.MAX_SAFE_INTEGER: callers then try parseInt64.
 */
export function parseLongLong(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return null;
    neg = true;
    i = 1;
    c = s.charCodeAt(1);
  }
  if (c < 49 || c > 57) {
    // First digit must be 1-9, unless the whole string is "0".
    return n === 1 && c === 48 ? 0 : null;
  }
  if (n - i > 16) return null; // 17+ digits: beyond 2^53 (or invalid)
  let v = c - 48;
  for (i++; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (v > MAX_SAFE) return null;
  return neg ? -v : v;
}

/** string2ll() returning a bigint, or null when `s` is not a valid int64. */
export function parseInt64(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45) {
    if (n === 1) return null;
    i = 1;
    c = s.charCodeAt(1);
  }
  if (c < 49 || c > 57) return n === 1 && c === 48 ? 0n : null;
  for (let j = i + 1; j < n; j++) {
    const d = s.charCodeAt(j);
    if (d < 48 || d > 57) return null;
  }
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) return null;
  return v;
}

// ---------------------------------------------------------------------------
// BigInt helpers and correct rounding to a binary format
// ---------------------------------------------------------------------------

function bitLength(x: bigint): number {
  // x > 0
  const h = x.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

/** A binary floating-point format: precision and exponent range. */
interface BinFormat {
  /** significand bits, including the leading one */
  prec: number;
  /** exponent of the least significant bit of the smallest subnormal */
  minUnit: number;
  /** exponent of the least significant bit of the largest finite value */
  maxUnit: number;
}

const DOUBLE_FMT: BinFormat = { prec: 53, minUnit: -1074, maxUnit: 971 };
/** x87 80-bit extended (long double on x86-64 Linux). */
const X87_FMT: BinFormat = { prec: 64, minUnit: -16445, maxUnit: 16320 };

/** Result registers of roundTo (avoids allocating). */
let rMant = 0n;
let rExp = 0;

/**
 * Round (q + f) * 2^e (q >= 0, 0 <= f < 1, f > 0 iff sticky) to the format,
 * ties to even. Sets rMant/rExp (value = rMant * 2^rExp, rMant may be 0) and
 * returns false on overflow to infinity.
 */
function roundTo(q: bigint, e: number, sticky: boolean, fmt: BinFormat): boolean {
  if (q === 0n) {
    rMant = 0n;
    rExp = fmt.minUnit;
    return true;
  }
  const bl = bitLength(q);
  let unit = e + bl - fmt.prec;
  if (unit < fmt.minUnit) unit = fmt.minUnit;
  const shift = unit - e;
  if (shift > 0) {
    const sh = BigInt(shift);
    const rem = q & ((1n << sh) - 1n);
    q >>= sh;
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) {
      q += 1n;
      if (bitLength(q) > fmt.prec) {
        q >>= 1n;
        unit++;
      }
    }
    e = unit;
  } else if (shift < 0) {
    // q fits: renormalise to `unit` so that results are canonical.
    q <<= BigInt(-shift);
    e = unit;
  }
  if (q !== 0n && e > fmt.maxUnit) return false;
  rMant = q;
  rExp = q === 0n ? fmt.minUnit : e;
  return true;
}

const POW2 = new Float64Array(128);
for (let i = 0; i < 128; i++) POW2[i] = Math.pow(2, i);

/** mant * 2^exp as a double, mant < 2^53 and the value exactly representable. */
function bigToDouble(mant: bigint, exp: number): number {
  let x = Number(mant);
  // Scale in steps that keep every intermediate result exact.
  while (exp > 600) {
    x *= Math.pow(2, 600);
    exp -= 600;
  }
  while (exp < -600) {
    x *= Math.pow(2, -600);
    exp += 600;
  }
  return x * Math.pow(2, exp);
}

// ---------------------------------------------------------------------------
// strtod / strtold syntax
// ---------------------------------------------------------------------------

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^[+-]?inf(?:inity)?$/i;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const DEC_PARTS_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

function isCSpace(c: number): boolean {
  // isspace() in the C locale
  return c === 32 || (c >= 9 && c <= 13);
}

/** True if the mantissa part (before any exponent) has a non-zero digit. */
function decMantissaNonZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 101 || c === 69) return false; // e / E
    if (c >= 49 && c <= 57) return true;
  }
  return false;
}

/**
 * Parse a hex float (already matched by HEX_RE) exactly into the format.
 * Returns: number of the kind below and sets rMant/rExp.
 *   0 = finite (possibly zero), 1 = overflow, 2 = underflow to zero
 *   (non-zero input), 3 = syntax error (no digits).
 */
function parseHexInto(m: RegExpExecArray, fmt: BinFormat): number {
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.length + fracDigits.length === 0) return 3;
  const all = (intDigits + fracDigits).replace(/^0+/, '');
  if (all.length === 0) {
    rMant = 0n;
    rExp = fmt.minUnit;
    return 0;
  }
  let pexp = 0;
  if (m[4] !== undefined) {
    // Clamp absurd exponents: anything this large is over/underflow anyway.
    const t = m[4].replace(/^([+-]?)0+(?=\d)/, '$1');
    pexp = t.length > 9 ? (t[0] === '-' ? -1e9 : 1e9) : parseInt(t, 10);
  }
  const e = pexp - 4 * fracDigits.length;
  const q = BigInt('0x' + all);
  const top = e + bitLength(q);
  if (top > fmt.maxUnit + fmt.prec + 1) return 1;
  if (top < fmt.minUnit - 2) return 2;
  if (!roundTo(q, e, false, fmt)) return 1;
  return rMant === 0n ? 2 : 0;
}

/** Same contract as parseHexInto, for a decimal string matched by DEC_RE. */
function parseDecInto(s: string, fmt: BinFormat): number {
  const m = DEC_PARTS_RE.exec(s)!;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  let digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits.length === 0) {
    rMant = 0n;
    rExp = fmt.minUnit;
    return 0;
  }
  let e10 = -fracDigits.length;
  if (m[4] !== undefined) {
    const t = m[4].replace(/^([+-]?)0+(?=\d)/, '$1');
    e10 += t.length > 9 ? (t[0] === '-' ? -1e9 : 1e9) : parseInt(t, 10);
  }
  // Drop trailing zeros into the exponent.
  let z = digits.length;
  while (z > 1 && digits.charCodeAt(z - 1) === 48) z--;
  if (z < digits.length) {
    e10 += digits.length - z;
    digits = digits.slice(0, z);
  }
  // Decimal magnitude: value is in [10^(mag-1), 10^mag).
  const mag = digits.length + e10;
  // Bounds generous for the x87 range (max ~1.19e4932, min ~3.6e-4951).
  const log10Max = (fmt.maxUnit + fmt.prec) * Math.LOG10E * Math.LN2;
  const log10Min = (fmt.minUnit - 1) * Math.LOG10E * Math.LN2;
  if (mag > log10Max + 2) return 1;
  if (mag < log10Min - 2) return 2;
  const D = BigInt(digits);
  let ok: boolean;
  if (e10 >= 0) {
    ok = roundTo(D * 10n ** BigInt(e10), 0, false, fmt);
  } else {
    const den = 10n ** BigInt(-e10);
    // Enough quotient bits for a correctly rounded result.
    let k = fmt.prec + 3 - (bitLength(D) - bitLength(den));
    if (k < 0) k = 0;
    const num = D << BigInt(k);
    const q = num / den;
    const r = num - q * den;
    ok = roundTo(q, -k, r !== 0n, fmt);
  }
  if (!ok) return 1;
  return rMant === 0n ? 2 : 0;
}

// ---------------------------------------------------------------------------
// Doubles: parsing (string2d)
// ---------------------------------------------------------------------------

/**
 * string2d()/getDoubleFromObject(): the double value of `s`, or null when it
 * is not a valid float argument ("value is not a valid float").
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  if (isPlainDecimal(s) || DEC_RE.test(s)) {
    const v = Number(s);
    if (v === Infinity || v === -Infinity) return null; // ERANGE overflow
    if (v === 0 && decMantissaNonZero(s)) return null; // ERANGE underflow to 0
    return v;
  }
  return parseDoubleSlow(s);
}

/**
 * [+-]digits[.digits] without an exponent (scores, coordinates: the usual float arguments),
 * checked by a scan that is several times cheaper than DEC_RE; false sends anything else to it.
 */
function isPlainDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 || c === 43) i++; // - +
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

function parseDoubleSlow(s: string): number | null {
  const c0 = s.charCodeAt(0);
  if (isCSpace(c0)) return null;
  if (INF_RE.test(s)) return c0 === 45 ? -Infinity : Infinity;
  const m = HEX_RE.exec(s);
  if (m === null) return null;
  const r = parseHexInto(m, DOUBLE_FMT);
  if (r !== 0) return null;
  const v = bigToDouble(rMant, rExp);
  return m[1] === '-' ? -v : v;
}

/**
 * The looser check some commands apply to score arguments (ZRANGEBYSCORE,
 * ZCOUNT, ZREMRANGEBYSCORE, ... range bounds after any "(" is removed):
 * plain strtod() on the C string, accepted when it consumed everything up to
 * the first NUL byte and the result is not NaN. Unlike parseDouble this
 * accepts leading whitespace, overflow (+-inf), underflow (0), bytes after a
 * NUL, and the empty string (as 0).
 */
export function parseDoubleStrtod(s: string): number | null {
  const z = s.indexOf('\0');
  if (z >= 0) s = s.slice(0, z);
  if (s.length === 0) return 0; // no conversion, end pointer at the NUL
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return null; // no conversion: end pointer at a space
  const t = i === 0 ? s : s.slice(i);
  if (DEC_RE.test(t)) return Number(t);
  if (INF_RE.test(t)) return t.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const m = HEX_RE.exec(t);
  if (m === null) return null;
  const r = parseHexInto(m, DOUBLE_FMT);
  if (r === 3) return null;
  const neg = m[1] === '-';
  if (r === 1) return neg ? -Infinity : Infinity;
  if (r === 2) return neg ? -0 : 0;
  const v = bigToDouble(rMant, rExp);
  return neg ? -v : v;
}

// ---------------------------------------------------------------------------
// Doubles: formatting (d2string / fpconv_dtoa)
// ---------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

const TWO32 = 4294967296;
const TWO62 = 4611686018427387904; // 2^62 == (double)(LLONG_MAX / 2)

/*
 * 64-bit unsigned arithmetic on (hi, lo) pairs of uint32 held in Numbers.
 * Results go to the registers RH / RL. All operations wrap modulo 2^64 as
 * C's uint64_t does.
 */
let RH = 0;
let RL = 0;

function add64(ah: number, al: number, bh: number, bl: number): void {
  let l = al + bl;
  let h = ah + bh;
  if (l >= TWO32) {
    l -= TWO32;
    h += 1;
  }
  if (h >= TWO32) h -= TWO32;
  RH = h;
  RL = l;
}

function sub64(ah: number, al: number, bh: number, bl: number): void {
  let l = al - bl;
  let h = ah - bh;
  if (l < 0) {
    l += TWO32;
    h -= 1;
  }
  if (h < 0) h += TWO32;
  RH = h;
  RL = l;
}

function lt64(ah: number, al: number, bh: number, bl: number): boolean {
  return ah < bh || (ah === bh && al < bl);
}

/** (0:x) << n, x < 2^32, 0 <= n < 64, wrapping. */
function shl64small(x: number, n: number): void {
  if (n >= 32) {
    RH = (x << (n - 32)) >>> 0;
    RL = 0;
  } else if (n === 0) {
    RH = 0;
    RL = x;
  } else {
    RH = x >>> (32 - n);
    RL = (x << n) >>> 0;
  }
}

/**
 * Upper 64 bits of the 128-bit product a*b, rounded the way fpconv's
 * multiply() does: floor((floor(a*b / 2^32) + 2^31) / 2^32).
 */
function mulHi64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const a2 = ah & 0xffff;
  const a3 = ah >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const b2 = bh & 0xffff;
  const b3 = bh >>> 16;
  let t = a0 * b0;
  let carry = (t / 65536) | 0;
  t = a0 * b1 + a1 * b0 + carry;
  carry = (t / 65536) | 0;
  t = a0 * b2 + a1 * b1 + a2 * b0 + carry;
  carry = (t / 65536) | 0;
  t = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + carry;
  carry = (t / 65536) | 0;
  const x3 = t - carry * 65536;
  t = a1 * b3 + a2 * b2 + a3 * b1 + carry;
  carry = (t / 65536) | 0;
  const x4 = t - carry * 65536;
  t = a2 * b3 + a3 * b2 + carry;
  carry = (t / 65536) | 0;
  const x5 = t - carry * 65536;
  t = a3 * b3 + carry;
  carry = (t / 65536) | 0;
  const x6 = t - carry * 65536;
  const x7 = carry; // < 65536
  let h = x7 * 65536 + x6;
  let l = x5 * 65536 + x4;
  if (x3 >= 0x8000) {
    l += 1;
    if (l === TWO32) {
      l = 0;
      h += 1;
    }
  }
  RH = h;
  RL = l;
}

/*
 * Cached powers of ten for Grisu: 10^k for k = -348, -340, ..., 340, each as
 * a 64-bit significand f (2^63 <= f < 2^64, rounded to nearest) and binary
 * exponent e with 10^k ~= f * 2^e. Computed here rather than tabulated.
 */
const NPOWERS = 87;
const CP_HI = new Float64Array(NPOWERS);
const CP_LO = new Float64Array(NPOWERS);
const CP_EXP = new Int32Array(NPOWERS);
(function initCachedPowers(): void {
  for (let i = 0; i < NPOWERS; i++) {
    const k = -348 + 8 * i;
    let f: bigint;
    let e: number;
    if (k >= 0) {
      const p = 10n ** BigInt(k);
      e = bitLength(p) - 64;
      if (e <= 0) {
        f = p << BigInt(-e);
      } else {
        const sh = BigInt(e);
        f = p >> sh;
        const rem = p & ((1n << sh) - 1n);
        const half = 1n << (sh - 1n);
        if (rem > half || (rem === half && (f & 1n) === 1n)) f += 1n;
      }
    } else {
      const den = 10n ** BigInt(-k);
      // 2^s / den lies in [2^63, 2^64) for this s
      const s = 63 + bitLength(den);
      const num = 1n << BigInt(s);
      f = num / den;
      const r2 = (num - f * den) * 2n;
      if (r2 > den || (r2 === den && (f & 1n) === 1n)) f += 1n;
      e = -s;
    }
    if (f >= 1n << 64n) {
      f >>= 1n;
      e += 1;
    }
    CP_HI[i] = Number(f >> 32n);
    CP_LO[i] = Number(f & 0xffffffffn);
    CP_EXP[i] = e;
  }
})();

/** Digit values (0..9; C would turn a decremented 0 into '/', i.e. -1). */
const DIGITS = new Int8Array(32);
const POW10_INT = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/** Set by grisu2: decimal exponent of the last digit. */
let gK = 0;

/**
 * Grisu2 as in fpconv_dtoa: writes the digits of |d| (finite, non-zero) to
 * DIGITS and returns their count; gK receives the decimal exponent.
 */
function grisu2(d: number): number {
  F64[0] = d;
  const hiBits = U32[HI]!;
  const loBits = U32[LO]!;
  const be = (hiBits >>> 20) & 0x7ff;
  let fh = hiBits & 0xfffff;
  let exp: number;
  if (be !== 0) {
    fh += 0x100000;
    exp = be - 1075;
  } else {
    exp = -1074;
  }
  const f = fh * TWO32 + loBits;
  const bl = fh !== 0 ? 64 - Math.clz32(fh) : 32 - Math.clz32(loBits);
  const sh = 63 - bl; // upper boundary (2f+1) is shifted left by sh
  const upperExp = exp - 1 - sh;

  // w = f << (sh + 1), normalised (bit 63 set)
  const wx = f * POW2[sh + 1]!;
  const wh = Math.floor(wx / TWO32);
  const wl = wx - wh * TWO32;
  // upper = w + 2^sh
  shl64small(1, sh);
  add64(wh, wl, RH, RL);
  let uh = RH;
  let ul = RL;
  // lower = w - 2^(sh + 1 - lshift)
  const lshift = f === 4503599627370496 ? 2 : 1;
  shl64small(1, sh + 1 - lshift);
  sub64(wh, wl, RH, RL);
  let lh = RH;
  let ll = RL;

  // cached power
  const approx = Math.trunc(-(upperExp + NPOWERS) * 0.30102999566398114);
  let idx = Math.trunc((approx + 348) / 8);
  let cur: number;
  for (;;) {
    cur = upperExp + CP_EXP[idx]! + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const k = -348 + idx * 8;
  const ch = CP_HI[idx]!;
  const cl = CP_LO[idx]!;

  mulHi64(wh, wl, ch, cl);
  const w2h = RH;
  const w2l = RL;
  mulHi64(uh, ul, ch, cl);
  uh = RH;
  ul = RL;
  mulHi64(lh, ll, ch, cl);
  lh = RH;
  ll = RL;
  add64(lh, ll, 0, 1);
  lh = RH;
  ll = RL;
  sub64(uh, ul, 0, 1);
  uh = RH;
  ul = RL;

  let K = -k;

  // generate_digits
  const s = -cur; // 32..60
  const s32 = s - 32;
  sub64(uh, ul, w2h, w2l);
  let wfh = RH;
  let wfl = RL;
  sub64(uh, ul, lh, ll);
  let dh = RH;
  let dl = RL;
  let part1 = uh >>> s32;
  const mask = s32 === 0 ? 0 : POW2[s32]! - 1;
  let p2h = s32 === 0 ? 0 : uh & mask;
  let p2l = ul;

  let n = 0;
  let kappa = 10;
  for (let di = 9; kappa > 0; di--) {
    const div = POW10_INT[di]!;
    const digit = Math.floor(part1 / div);
    if (digit !== 0 || n !== 0) DIGITS[n++] = digit;
    part1 -= digit * div;
    kappa--;
    const th = part1 * POW2[s32]! + p2h;
    const tl = p2l;
    if (!lt64(dh, dl, th, tl)) {
      K += kappa;
      shl64small(div, s);
      roundDigit(n, dh, dl, th, tl, RH, RL, wfh, wfl);
      gK = K;
      return n;
    }
  }
  if (s <= 49) {
    // Every quantity below stays under 11 * 2^49 < 2^53 (delta < 2^s on
    // entry, since the integer phase did not stop): plain doubles are exact.
    const one = POW2[s]!;
    let p2 = p2h * TWO32 + p2l;
    let dd = dh * TWO32 + dl;
    let wf = wfh * TWO32 + wfl;
    for (;;) {
      p2 *= 10;
      dd *= 10;
      wf *= 10;
      kappa--;
      const digit = Math.floor(p2 / one);
      if (digit !== 0 || n !== 0) DIGITS[n++] = digit;
      p2 -= digit * one;
      if (p2 < dd) {
        K += kappa;
        // round_digit
        while (p2 < wf && dd - p2 >= one && (p2 + one < wf || wf - p2 > p2 + one - wf)) {
          if (n > 0) DIGITS[n - 1]!--;
          p2 += one;
        }
        gK = K;
        return n;
      }
    }
  }
  const kh = POW2[s32]!; // kappa = one.frac = 2^s
  for (;;) {
    // p2, delta and wfrac * 10^n times ten (mod 2^64)
    let t = p2l * 10;
    p2l = t >>> 0;
    p2h = (p2h * 10 + (t - p2l) / TWO32) >>> 0;
    t = dl * 10;
    dl = t >>> 0;
    dh = (dh * 10 + (t - dl) / TWO32) >>> 0;
    t = wfl * 10;
    wfl = t >>> 0;
    wfh = (wfh * 10 + (t - wfl) / TWO32) >>> 0;
    kappa--;
    const digit = p2h >>> s32;
    if (digit !== 0 || n !== 0) DIGITS[n++] = digit;
    p2h = p2h & mask;
    if (lt64(p2h, p2l, dh, dl)) {
      K += kappa;
      roundDigit(n, dh, dl, p2h, p2l, kh, 0, wfh, wfl);
      gK = K;
      return n;
    }
  }
}

function roundDigit(
  n: number,
  dh: number,
  dl: number,
  remh: number,
  reml: number,
  kh: number,
  kl: number,
  fh: number,
  fl: number,
): void {
  for (;;) {
    if (!lt64(remh, reml, fh, fl)) return;
    sub64(dh, dl, remh, reml);
    if (lt64(RH, RL, kh, kl)) return;
    add64(remh, reml, kh, kl);
    const rkh = RH;
    const rkl = RL;
    if (!lt64(rkh, rkl, fh, fl)) {
      sub64(rkh, rkl, fh, fl);
      const ah = RH;
      const al = RL;
      sub64(fh, fl, remh, reml);
      if (!lt64(ah, al, RH, RL)) return;
    }
    if (n > 0) DIGITS[n - 1]!--;
    remh = rkh;
    reml = rkl;
  }
}

/** Digits [from, to) as a string, built through numbers (faster than by chars). */
function digitString(from: number, to: number): string {
  let a = 0;
  let b = 0;
  let nb = 0;
  for (let i = from; i < to; i++) {
    const v = DIGITS[i]!;
    if (v < 0 || v > 9) return digitStringC(from, to);
    if (i - from < 15) a = a * 10 + v;
    else {
      b = b * 10 + v;
      nb++;
    }
  }
  const sa = String(a);
  const lead = to - from - nb - sa.length; // leading zeros (fraction parts)
  const head = lead > 0 ? '0'.repeat(lead) + sa : sa;
  if (nb === 0) return head;
  const t = String(b);
  return head + (t.length < nb ? '0'.repeat(nb - t.length) + t : t);
}

/** Char by char, as C would print a digit that left 0..9. */
function digitStringC(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode((48 + DIGITS[i]!) & 0xff);
  return s;
}

/** emit_digits() of fpconv_dtoa. */
function emitDigits(nd: number, K: number, neg: boolean): string {
  let exp = K + nd - 1;
  if (exp < 0) exp = -exp;
  if (K >= 0 && exp < nd + 7) {
    const ds = digitString(0, nd);
    return K === 0 ? ds : ds + '0'.repeat(K);
  }
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = nd + K;
    if (offset <= 0) return '0.' + '0'.repeat(-offset) + digitString(0, nd);
    return digitString(0, offset) + '.' + digitString(offset, nd);
  }
  const limit = neg ? 17 : 18;
  if (nd > limit) nd = limit;
  let out = digitString(0, 1);
  if (nd > 1) out += '.' + digitString(1, nd);
  out += K + nd - 1 < 0 ? 'e-' : 'e+';
  let cent = 0;
  if (exp > 99) {
    cent = Math.floor(exp / 100);
    out += String.fromCharCode(48 + cent);
    exp -= cent * 100;
  }
  if (exp > 9) {
    const dec = Math.floor(exp / 10);
    out += String.fromCharCode(48 + dec);
    exp -= dec * 10;
  } else if (cent) {
    out += '0';
  }
  return out + String.fromCharCode(48 + (exp % 10));
}

/*
 * A small direct-mapped cache of recent conversions: replies tend to print
 * the same scores again and again (ZRANGE ... WITHSCORES on a hot key).
 */
const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
const cacheKeys = new Float64Array(1 << CACHE_BITS); // 0 = empty (0 never cached)
const cacheVals: string[] = new Array<string>(1 << CACHE_BITS).fill('');

/** fpconv_dtoa(): Grisu2 digits in fpconv's layout. */
export function fpconvDtoa(d: number): string {
  if (d !== d) return 'nan';
  const neg = d < 0 || (d === 0 && 1 / d < 0);
  const sign = neg ? '-' : '';
  if (d === 0) return sign + '0';
  if (d === Infinity || d === -Infinity) return sign + 'inf';
  F64[0] = d;
  const slot = (U32[0]! ^ U32[1]! ^ (U32[1]! >>> 13)) & CACHE_MASK;
  if (cacheKeys[slot] === d) return cacheVals[slot]!;
  const nd = grisu2(d);
  const out = sign + emitDigits(nd, gK, neg);
  cacheKeys[slot] = d;
  cacheVals[slot] = out;
  return out;
}

/**
 * d2string(): how Valkey 9.0 prints a double reply (RESP2 bulk and RESP3
 * double alike), and zset scores in listpacks.
 */
export function formatDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  if (d >= -TWO62 && d <= TWO62 && Math.floor(d) === d) {
    if (d <= MAX_SAFE && d >= -MAX_SAFE) return String(d);
    return BigInt(d).toString();
  }
  return fpconvDtoa(d);
}

// ---------------------------------------------------------------------------
// Long doubles (x87 80-bit extended), exact emulation
// ---------------------------------------------------------------------------

/** An 80-bit extended value: (-1)^neg * mant * 2^exp, or inf / nan. */
export interface LongDouble {
  readonly neg: boolean;
  /** 0 = finite (mant may be 0n), 1 = infinity, 2 = NaN */
  readonly kind: 0 | 1 | 2;
  readonly mant: bigint;
  readonly exp: number;
}

function ld(neg: boolean, kind: 0 | 1 | 2, mant: bigint, exp: number): LongDouble {
  return { neg, kind, mant, exp };
}

/** Longest string string2ld() accepts is MAX_LONG_DOUBLE_CHARS - 1. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * string2ld() (glibc strtold, x87): the exact long double value of `s`, or
 * null if Valkey rejects it (empty, too long, leading space, trailing bytes,
 * NaN, overflow, non-zero underflowing to zero).
 */
export function parseLongDoubleExact(s: string): LongDouble | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  const c0 = s.charCodeAt(0);
  if (isCSpace(c0)) return null;
  const neg = c0 === 45;
  if (DEC_RE.test(s)) {
    const r = parseDecInto(s, X87_FMT);
    if (r !== 0) return null;
    return ld(neg, 0, rMant, rExp);
  }
  if (INF_RE.test(s)) return ld(neg, 1, 0n, 0);
  const m = HEX_RE.exec(s);
  if (m === null) return null;
  const r = parseHexInto(m, X87_FMT);
  if (r !== 0) return null;
  return ld(neg, 0, rMant, rExp);
}

/** The exact long double value of a double (always representable). */
export function longDoubleFromNumber(d: number): LongDouble {
  if (d !== d) return ld(false, 2, 0n, 0);
  const neg = d < 0 || (d === 0 && 1 / d < 0);
  if (d === Infinity || d === -Infinity) return ld(neg, 1, 0n, 0);
  if (d === 0) return ld(neg, 0, 0n, X87_FMT.minUnit);
  F64[0] = d;
  const hiBits = U32[HI]!;
  const loBits = U32[LO]!;
  const be = (hiBits >>> 20) & 0x7ff;
  let fh = hiBits & 0xfffff;
  let e: number;
  if (be !== 0) {
    fh += 0x100000;
    e = be - 1075;
  } else {
    e = -1074;
  }
  const m = (BigInt(fh) << 32n) | BigInt(loBits);
  roundTo(m, e, false, X87_FMT);
  return ld(neg, 0, rMant, rExp);
}

/** The long double value of an integer (exact for |n| < 2^64). */
export function longDoubleFromBigInt(n: bigint): LongDouble {
  const neg = n < 0n;
  const a = neg ? -n : n;
  if (a === 0n) return ld(false, 0, 0n, X87_FMT.minUnit);
  roundTo(a, 0, false, X87_FMT);
  return ld(neg, 0, rMant, rExp);
}

/** a + b in x87 extended precision, round to nearest even. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 2 || b.kind === 2) return ld(false, 2, 0n, 0);
  if (a.kind === 1 || b.kind === 1) {
    if (a.kind === 1 && b.kind === 1 && a.neg !== b.neg) return ld(false, 2, 0n, 0);
    return a.kind === 1 ? a : b;
  }
  if (a.mant === 0n && b.mant === 0n) {
    return ld(a.neg && b.neg, 0, 0n, X87_FMT.minUnit);
  }
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  let x = a.mant << BigInt(a.exp - e);
  let y = b.mant << BigInt(b.exp - e);
  if (a.neg) x = -x;
  if (b.neg) y = -y;
  const sum = x + y;
  if (sum === 0n) return ld(false, 0, 0n, X87_FMT.minUnit);
  const neg = sum < 0n;
  if (!roundTo(neg ? -sum : sum, e, false, X87_FMT)) return ld(neg, 1, 0n, 0);
  return ld(neg, 0, rMant, rExp);
}

export function longDoubleIsFinite(x: LongDouble): boolean {
  return x.kind === 0;
}

/** Nearest double to a long double. */
export function longDoubleToNumber(x: LongDouble): number {
  if (x.kind === 2) return NaN;
  if (x.kind === 1) return x.neg ? -Infinity : Infinity;
  if (x.mant === 0n) return x.neg ? -0 : 0;
  let v: number;
  if (!roundTo(x.mant, x.exp, false, DOUBLE_FMT)) v = Infinity;
  else v = bigToDouble(rMant, rExp);
  return x.neg ? -v : v;
}

const TEN17 = 10n ** 17n;

/**
 * ld2string(..., LD_STR_HUMAN): "%.17Lf", trailing zeros and a trailing dot
 * removed, "-0" printed as "0". inf/nan print as "inf", "-inf", "nan".
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.kind === 1) return x.neg ? '-inf' : 'inf';
  if (x.kind === 2) return 'nan';
  if (x.mant === 0n) return '0';
  let N: bigint;
  if (x.exp >= 0) {
    N = (x.mant << BigInt(x.exp)) * TEN17;
  } else {
    const num = x.mant * TEN17;
    const sh = BigInt(-x.exp);
    N = num >> sh;
    const rem = num - (N << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (N & 1n) === 1n)) N += 1n;
  }
  if (N === 0n) return '0';
  return (x.neg ? '-' : '') + fixed17(N.toString());
}

/** Insert the decimal point 17 digits from the right, strip zeros. */
function fixed17(digits: string): string {
  if (digits.length <= 17) digits = '0'.repeat(18 - digits.length) + digits;
  const ip = digits.slice(0, digits.length - 17);
  let fp = digits.slice(digits.length - 17);
  let z = fp.length;
  while (z > 0 && fp.charCodeAt(z - 1) === 48) z--;
  fp = fp.slice(0, z);
  return fp.length ? ip + '.' + fp : ip;
}

/**
 * The INCRBYFLOAT / HINCRBYFLOAT step: current + increment in long double,
 * formatted as Valkey stores and replies it. Returns null when the result
 * is NaN or infinite ("increment would produce NaN or Infinity").
 */
export function incrByFloatExact(current: LongDouble, increment: LongDouble): string | null {
  const r = addLongDouble(current, increment);
  if (r.kind !== 0) return null;
  return formatLongDoubleHuman(r);
}

// ---------------------------------------------------------------------------
// Long doubles as JS numbers (approximation)
// ---------------------------------------------------------------------------

/**
 * string2ld() acceptance with a JS number result. Values beyond the double
 * range that a long double holds (e.g. "1e400") come back as +-Infinity;
 * use parseLongDoubleExact when that matters.
 */
export function parseLongDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  if (DEC_RE.test(s)) {
    const v = Number(s);
    if (v !== 0 && v !== Infinity && v !== -Infinity) return v; // within double range
    // Zero, or beyond the double range: the long double range decides.
    return parseLongDoubleExact(s) === null ? null : v;
  }
  const x = parseLongDoubleExact(s);
  return x === null ? null : longDoubleToNumber(x);
}

/**
 * ld2string(LD_STR_HUMAN) applied to a double: fixed-point, at most 17
 * digits after the point, trailing zeros stripped, never an exponent. The
 * digits are those of the shortest round-trip form of `d` when it has at
 * most 17 decimals (so 10.5+0.1 prints "10.6"), otherwise the exact value
 * rounded to 17 decimals as %.17Lf does.
 */
export function formatLongDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return '0';
  if (Number.isInteger(d)) {
    if (Math.abs(d) <= MAX_SAFE) return String(d);
    return BigInt(d).toString();
  }
  const neg = d < 0;
  const t = (neg ? -d : d).toExponential(); // shortest round-trip digits
  const ePos = t.indexOf('e');
  const mant = t.slice(0, ePos);
  const e10 = parseInt(t.slice(ePos + 1), 10);
  const digits = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  // value = 0.digits * 10^(e10 + 1)
  const fracDigits = digits.length - 1 - e10; // digits after the point
  if (fracDigits > 17) return formatLongDoubleHuman(longDoubleFromNumber(d));
  let out: string;
  if (e10 < 0) {
    out = '0.' + '0'.repeat(-e10 - 1) + digits;
  } else if (digits.length <= e10 + 1) {
    out = digits + '0'.repeat(e10 + 1 - digits.length);
  } else {
    out = digits.slice(0, e10 + 1) + '.' + digits.slice(e10 + 1);
  }
  return neg ? '-' + out : out;
}

/**
 * printf("%.<digits>f") of a double as glibc prints it: the exact binary value rounded to
 * `digits` decimals, ties to even; "inf", "-inf", "nan"; a negative zero keeps its sign.
 */
export function formatFixed(d: number, digits: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || (d === 0 && 1 / d < 0);
  const a = Math.abs(d);
  let n: bigint;
  if (Number.isInteger(a)) {
    n = BigInt(a) * 10n ** BigInt(digits);
  } else {
    // a = m / 2^k exactly, with k the number of binary fraction digits.
    let k = 0;
    let m = a;
    while (!Number.isInteger(m)) {
      m *= 2;
      k++;
    }
    const num = BigInt(m) * 10n ** BigInt(digits);
    const sh = BigInt(k);
    n = num >> sh;
    const rem = num - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  }
  let s = n.toString();
  if (digits > 0) {
    if (s.length <= digits) s = '0'.repeat(digits + 1 - s.length) + s;
    s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  }
  return (neg ? '-' : '') + s;
}
