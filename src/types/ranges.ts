// Range specifications shared by lists and sorted sets: rank (index) ranges, score ranges
// ("(1.5", "-inf", ...) and lex ranges ("[a", "(b", "-", "+"). The parse functions return null
// on invalid input so the command layer can send Valkey's errors:
//   score: "ERR min or max is not a float"
//   lex:   "ERR min or max not valid string range item"

import { parseDouble } from '../util/numbers';

// ---------------------------------------------------------------------------
// Index ranges (LRANGE, ZRANGE by rank, LTRIM, ZREMRANGEBYRANK)
// ---------------------------------------------------------------------------

/**
 * Valkey's start/stop normalization: negative indexes count from the end, start is clamped
 * at 0 and stop at length-1. Returns [start, stop] (inclusive) or null for an empty range.
 */
export function normalizeIndexRange(start: number, stop: number, length: number): [number, number] | null {
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return null;
  if (stop >= length) stop = length - 1;
  return [start, stop];
}

// ---------------------------------------------------------------------------
// Score ranges
// ---------------------------------------------------------------------------

export interface ScoreRange {
  min: number;
  max: number;
  /** min is exclusive ("(") */
  minex: boolean;
  /** max is exclusive ("(") */
  maxex: boolean;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * strtod() over a whole C string, as zslParseRange uses it: leading whitespace is skipped,
 * an empty string is 0, overflow gives +-inf and underflow 0 (errno is not checked), and the
 * parse must reach the end of the string (or an embedded NUL, where a C string ends).
 * NaN is rejected. Returns null when invalid.
 */
export function parseStrtodWhole(s: string): number | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.substring(0, nul);
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return null; // nothing converted: endptr stays on the first space
  const rest = i === 0 ? s : s.substring(i);
  const v = parseDouble(rest);
  if (v !== null) return v;
  if (DECIMAL_RE.test(rest)) return Number(rest); // out of double range: inf or 0
  return null;
}

function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; /* ( */
  const v = parseStrtodWhole(ex ? s.substring(1) : s);
  if (v === null || Number.isNaN(v)) return null;
  return { v, ex };
}

/** zslParseRange: "(" makes a bound exclusive. Null when either bound is not a float. */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const lo = parseScoreBound(min);
  if (lo === null) return null;
  const hi = parseScoreBound(max);
  if (hi === null) return null;
  return { min: lo.v, max: hi.v, minex: lo.ex, maxex: hi.ex };
}

export function scoreGteMin(value: number, r: ScoreRange): boolean {
  return r.minex ? value > r.min : value >= r.min;
}

export function scoreLteMax(value: number, r: ScoreRange): boolean {
  return r.maxex ? value < r.max : value <= r.max;
}

/** True when no score can fall in the range. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

// ---------------------------------------------------------------------------
// Lex ranges
// ---------------------------------------------------------------------------

/** A lex bound: "-" (below everything), "+" (above everything) or a byte string. */
export const LEX_MINUS = -1;
export const LEX_PLUS = 1;
export const LEX_VALUE = 0;

export interface LexRange {
  minKind: number;
  min: string;
  minex: boolean;
  maxKind: number;
  max: string;
  maxex: boolean;
}

interface LexBound {
  kind: number;
  value: string;
  ex: boolean;
}

/** zslParseLexRangeItem: "+" / "-" alone, or "[" / "(" followed by the bytes. */
function parseLexBound(s: string): LexBound | null {
  const c = s.charCodeAt(0);
  // "+" and "-" must end there (a C string also ends at an embedded NUL).
  const alone = s.length === 1 || s.charCodeAt(1) === 0;
  if (c === 43 /* + */) return alone ? { kind: LEX_PLUS, value: '', ex: true } : null;
  if (c === 45 /* - */) return alone ? { kind: LEX_MINUS, value: '', ex: true } : null;
  if (c === 40 /* ( */) return { kind: LEX_VALUE, value: s.substring(1), ex: true };
  if (c === 91 /* [ */) return { kind: LEX_VALUE, value: s.substring(1), ex: false };
  return null;
}

/** zslParseLexRange. Null when either bound is invalid. */
export function parseLexRange(min: string, max: string): LexRange | null {
  const lo = parseLexBound(min);
  if (lo === null) return null;
  const hi = parseLexBound(max);
  if (hi === null) return null;
  return { minKind: lo.kind, min: lo.value, minex: lo.ex, maxKind: hi.kind, max: hi.value, maxex: hi.ex };
}

/** sdscmplex: compare two lex bounds/values where "-" < every string < "+". */
function compareLex(aKind: number, a: string, bKind: number, b: string): number {
  if (aKind !== LEX_VALUE && aKind === bKind) return 0;
  if (aKind === LEX_MINUS || bKind === LEX_PLUS) return -1;
  if (aKind === LEX_PLUS || bKind === LEX_MINUS) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function lexGteMin(value: string, r: LexRange): boolean {
  const c = compareLex(LEX_VALUE, value, r.minKind, r.min);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(value: string, r: LexRange): boolean {
  const c = compareLex(LEX_VALUE, value, r.maxKind, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no string can fall in the range. */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = compareLex(r.minKind, r.min, r.maxKind, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}
