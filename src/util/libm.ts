// Correctly rounded sin, cos and asin for the ranges geo distances use.
//
// V8's Math.sin/cos/asin (fdlibm) are within one ulp but not always correctly rounded; glibc's,
// which Valkey's haversine uses, practically always are. A stored distance (GEO ... STOREDIST)
// shows all 17 digits, so the last bit matters: these compute in double-double arithmetic
// (about 32 significant digits) and round once.

// ---- double-double arithmetic: results in R -------------------------

/** Results (a typed array keeps them unboxed): [0] the rounded value, [1] the remainder. */
const R = new Float64Array(2);

const SPLITTER = 134217729; // 2^27 + 1

/** Exact a * b as R[0] + R[1] (Dekker's product). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R[0] = p;
  R[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah, al) + (bh, bl) */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  R[0] = s + e;
  R[1] = e - (R[0] - s);
}

/** (ah, al) * (bh, bl) */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = R[0];
  const e = R[1] + (ah * bl + al * bh);
  R[0] = p + e;
  R[1] = e - (R[0] - p);
}

/** (ah, al) / b */
function ddDiv(ah: number, al: number, b: number): void {
  const q1 = ah / b;
  twoProd(q1, b);
  const q2 = (ah - R[0] - R[1] + al) / b;
  R[0] = q1 + q2;
  R[1] = q2 - (R[0] - q1);
}

// ---- sine and cosine -----------------------------------------------------------------------

// pi/2 as the sum of three doubles.
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
const TWO_OVER_PI = 0.6366197723675814;

/**
 * Taylor coefficients, as double-doubles: SIN_C[k] = (-1)^(k+1) / (2k+1)!, COS_C[k] =
 * (-1)^(k+1) / (2k)! for k >= 1. For |r| <= pi/4 the terms past DD_TERMS are below 1e-16 of
 * the sum's leading part and are summed in plain doubles.
 */
const TERMS = 15;
const DD_TERMS = 8;
const SIN_H: number[] = [];
const SIN_L: number[] = [];
const COS_H: number[] = [];
const COS_L: number[] = [];
(() => {
  let fh = 1; // 1/n! as a double-double
  let fl = 0;
  for (let n = 1; n <= 2 * TERMS + 1; n++) {
    ddDiv(fh, fl, n);
    fh = R[0];
    fl = R[1];
    const k = n >> 1;
    const sign = k % 2 === 1 ? -1 : 1;
    if (n % 2 === 1 && k >= 1) {
      SIN_H[k] = sign * fh;
      SIN_L[k] = sign * fl;
    } else if (n % 2 === 0) {
      COS_H[k] = sign * fh;
      COS_L[k] = sign * fl;
    }
  }
})();

/**
 * P(x2) = sum over k >= 1 of C[k] * x2^(k-1) in (R[0], R[1]): the tail in doubles, the leading
 * terms in double-double (Horner).
 */
function series(ch: number[], cl: number[], x2h: number, x2l: number): void {
  let tail = 0;
  for (let k = TERMS; k > DD_TERMS; k--) tail = tail * x2h + ch[k];
  let ah = tail;
  let al = 0;
  for (let k = DD_TERMS; k >= 1; k--) {
    ddMul(ah, al, x2h, x2l);
    ddAdd(R[0], R[1], ch[k], cl[k]);
    ah = R[0];
    al = R[1];
  }
}

/** sin of the double-double r, |r| <= pi/4, into (R[0], R[1]): r + r * x2 * P(x2). */
function sinReduced(rh: number, rl: number): void {
  ddMul(rh, rl, rh, rl);
  const x2h = R[0];
  const x2l = R[1];
  series(SIN_H, SIN_L, x2h, x2l);
  ddMul(R[0], R[1], x2h, x2l);
  ddMul(R[0], R[1], rh, rl);
  ddAdd(rh, rl, R[0], R[1]);
}

/** cos of the double-double r, |r| <= pi/4, into (R[0], R[1]): 1 + x2 * P(x2). */
function cosReduced(rh: number, rl: number): void {
  ddMul(rh, rl, rh, rl);
  const x2h = R[0];
  const x2l = R[1];
  series(COS_H, COS_L, x2h, x2l);
  ddMul(R[0], R[1], x2h, x2l);
  ddAdd(1, 0, R[0], R[1]);
}

/** x - k*pi/2 as a double-double in (R[0], R[1]); returns the quadrant k mod 4. */
function reduce(x: number): number {
  const k = Math.round(x * TWO_OVER_PI);
  if (k === 0) {
    R[0] = x;
    R[1] = 0;
    return 0;
  }
  twoProd(k, PIO2_1);
  ddAdd(x, 0, -R[0], -R[1]);
  const rh = R[0];
  const rl = R[1];
  twoProd(k, PIO2_2);
  ddAdd(rh, rl, -R[0], -R[1] - k * PIO2_3);
  return ((k % 4) + 4) % 4;
}

/** Largest argument reduced accurately (the geo formulas stay within +-2*pi). */
const MAX_ARG = 100;

/** sin(x) correctly rounded (Math.sin beyond +-100, never reached by the geo code). */
export function sinExact(x: number): number {
  if (!(Math.abs(x) <= MAX_ARG)) return Math.sin(x);
  if (x === 0) return x;
  const q = reduce(x);
  const rh = R[0];
  const rl = R[1];
  if (q === 0) sinReduced(rh, rl);
  else if (q === 1) cosReduced(rh, rl);
  else if (q === 2) sinReduced(-rh, -rl);
  else cosReduced(rh, rl);
  return q === 3 ? -R[0] : R[0];
}

/** cos(x) correctly rounded (Math.cos beyond +-100). */
export function cosExact(x: number): number {
  if (!(Math.abs(x) <= MAX_ARG)) return Math.cos(x);
  const q = reduce(x);
  const rh = R[0];
  const rl = R[1];
  if (q === 0) cosReduced(rh, rl);
  else if (q === 1) sinReduced(-rh, -rl);
  else if (q === 2) cosReduced(rh, rl);
  else sinReduced(rh, rl);
  return q === 2 ? -R[0] : R[0];
}

/**
 * asin(y) correctly rounded: Newton steps on sin(x) = y from Math.asin, with the sine and
 * cosine in double-double. Near +-1 (where the slope vanishes) Math.asin is kept.
 */
export function asinExact(y: number): number {
  let x = Math.asin(y);
  if (!(Math.abs(y) < 0.9999999) || y === 0) return x;
  // One step: Math.asin is within an ulp, so the step's quadratic error is far below one.
  {
    const q = reduce(x);
    const rh = R[0];
    const rl = R[1];
    // |x| < pi/2 here, so the quadrant is 0 or +-1 (q 0, 1 or 3).
    let sh: number, sl: number, c: number;
    if (q === 0) {
      sinReduced(rh, rl);
      sh = R[0];
      sl = R[1];
      cosReduced(rh, rl);
      c = R[0];
    } else {
      cosReduced(rh, rl);
      sh = q === 1 ? R[0] : -R[0];
      sl = q === 1 ? R[1] : -R[1];
      sinReduced(rh, rl);
      c = q === 1 ? -R[0] : R[0];
    }
    ddAdd(sh, sl, -y, 0);
    const delta = R[0] / c;
    x -= delta;
  }
  return x;
}
