// Decimal digits of non-negative safe integers written straight into a Buffer: reply headers,
// integer replies and stream IDs are formatted this way, without building strings.

/** Digits of a non-negative safe integer. */
export function decimalLength(n: number): number {
  let digits = 1;
  if (n >= 1e9) {
    n = Math.floor(n / 1e9);
    digits = 10;
  }
  for (let t = 10; t <= n; t *= 10) digits++;
  return digits;
}

/**
 * Write a non-negative safe integer's digits at `p`; returns the position after them.
 * Millisecond times are past 2^31, where `%` and division on doubles are slow (fmod): the
 * number is split into int32 parts of at most 9 digits each.
 */
export function writeDigits(n: number, out: Buffer, p: number): number {
  if (n < 1e9) return writeInt32Digits(n | 0, out, p);
  const hi = Math.floor(n / 1e9);
  p = writeDigits(hi, out, p);
  let lo = (n - hi * 1e9) | 0;
  for (let i = p + 8; i >= p; i--) {
    const q = (lo / 10) | 0;
    out[i] = 48 + lo - q * 10;
    lo = q;
  }
  return p + 9;
}

function writeInt32Digits(n: number, out: Buffer, p: number): number {
  if (n < 10) {
    out[p] = 48 + n;
    return p + 1;
  }
  let digits = 2;
  for (let t = 100; t <= n; t *= 10) digits++;
  for (let i = p + digits - 1; i >= p; i--) {
    const q = (n / 10) | 0;
    out[i] = 48 + n - q * 10;
    n = q;
  }
  return p + digits;
}
