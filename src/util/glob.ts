/**
 * Glob-style pattern matching with the exact semantics of Valkey's
 * `stringmatchlen()` (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET, ACL key
 * patterns, ...).
 *
 * Patterns and subjects are byte strings held as latin1 JS strings.
 *
 * Syntax:
 *   *        any sequence of bytes
 *   ?        any single byte
 *   [abc]    one byte out of the set; [^abc] negates; [a-z] is a range (the
 *            ends may be given in either order); `\x` inside brackets is the
 *            literal x. A bracket that is never closed runs to the end of
 *            the pattern.
 *   \x       the literal x; a backslash at the very end of the pattern is a
 *            literal backslash.
 *
 * Quirks reproduced on purpose (they are what Valkey does):
 *   - An empty subject is only matched by an empty pattern ("*" does not
 *     match ""). KEYS/SCAN special-case the pattern "*" before calling us.
 *   - Byte comparisons inside ranges are made on *signed* chars, as C does on
 *     x86: bytes 0x80..0xff sort below 0x00.
 *   - With nocase, only ASCII A-Z are folded, the range ends are swapped
 *     (if reversed) before folding, and an escaped byte inside brackets is
 *     compared case-sensitively.
 *   - `[a-]` consumes the `]` as the end of the range and so leaves the
 *     bracket open (it then runs to the end of the pattern).
 *   - Recursion on `*` is limited to a nesting of 1000: a match that needs to
 *     go through more than 1000 (non-consecutive, non-final) stars fails.
 *   - Once the text after a `*` failed to match at every later position, the
 *     whole match fails at once (this is what keeps it polynomial).
 */

const STAR = 42; // *
const QMARK = 63; // ?
const LBRACKET = 91; // [
const RBRACKET = 93; // ]
const BACKSLASH = 92; // \
const CARET = 94; // ^
const DASH = 45; // -

const MAX_NESTING = 1000;

/** C `tolower` in the "C" locale. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A latin1 byte as a (signed) C `char`. */
function sch(c: number): number {
  return c > 127 ? c - 256 : c;
}

/**
 * Set when a `*` has tried every remaining position of the subject without
 * success: no earlier `*` can do better by consuming more, so the whole match
 * fails. Module level (rather than threaded through) because matching is
 * synchronous and never re-entered.
 */
let giveUp = false;

function matchFrom(
  pat: string,
  pi: number,
  pend: number,
  str: string,
  si: number,
  send: number,
  nocase: boolean,
  depth: number,
): boolean {
  if (depth > MAX_NESTING) return false;

  while (pi < pend && si < send) {
    let pc = pat.charCodeAt(pi);
    if (pc === STAR) {
      // A run of stars is one star.
      while (pi + 1 < pend && pat.charCodeAt(pi + 1) === STAR) pi++;
      if (pi + 1 === pend) return true; // trailing star eats the rest
      for (; si < send; si++) {
        if (matchFrom(pat, pi + 1, pend, str, si, send, nocase, depth + 1)) return true;
        if (giveUp) return false;
      }
      giveUp = true;
      return false;
    } else if (pc === QMARK) {
      si++;
    } else if (pc === LBRACKET) {
      const c = str.charCodeAt(si);
      pi++;
      const negate = pi < pend && pat.charCodeAt(pi) === CARET;
      if (negate) pi++;
      let hit = false;
      for (;;) {
        if (pend - pi >= 2 && pat.charCodeAt(pi) === BACKSLASH) {
          pi++;
          if (pat.charCodeAt(pi) === c) hit = true;
        } else if (pi >= pend) {
          // Unclosed bracket: step back so the increment below lands on the end.
          pi--;
          break;
        } else if (pat.charCodeAt(pi) === RBRACKET) {
          break;
        } else if (pend - pi >= 3 && pat.charCodeAt(pi + 1) === DASH) {
          let lo = sch(pat.charCodeAt(pi));
          let hi = sch(pat.charCodeAt(pi + 2));
          let x = sch(c);
          if (lo > hi) {
            const t = lo;
            lo = hi;
            hi = t;
          }
          if (nocase) {
            lo = lower(lo);
            hi = lower(hi);
            x = lower(x);
          }
          pi += 2;
          if (x >= lo && x <= hi) hit = true;
        } else {
          const b = pat.charCodeAt(pi);
          if (nocase ? lower(b) === lower(c) : b === c) hit = true;
        }
        pi++;
      }
      if (negate) hit = !hit;
      if (!hit) return false;
      si++;
    } else {
      if (pc === BACKSLASH && pend - pi >= 2) {
        pi++;
        pc = pat.charCodeAt(pi);
      }
      const c = str.charCodeAt(si);
      if (nocase ? lower(pc) !== lower(c) : pc !== c) return false;
      si++;
    }
    pi++;
    if (si === send) {
      while (pi < pend && pat.charCodeAt(pi) === STAR) pi++;
      break;
    }
  }
  return pi === pend && si === send;
}

/**
 * Does `str` match the glob `pattern`? Exactly Valkey's `stringmatchlen`.
 * Both are latin1 byte strings.
 */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  giveUp = false;
  return matchFrom(pattern, 0, pattern.length, str, 0, str.length, nocase, 0);
}

/**
 * Like stringMatch, on sub-ranges [pStart, pEnd) of the pattern and
 * [sStart, sEnd) of the subject (avoids slicing).
 */
export function stringMatchRange(
  pattern: string,
  pStart: number,
  pEnd: number,
  str: string,
  sStart: number,
  sEnd: number,
  nocase = false,
): boolean {
  giveUp = false;
  return matchFrom(pattern, pStart, pEnd, str, sStart, sEnd, nocase, 0);
}

/**
 * True when the pattern has none of `* ? [ \`, i.e. it matches exactly one
 * string: itself (case-sensitively; with nocase, any ASCII case variant).
 * Lets callers replace a scan with a lookup.
 */
export function patternIsLiteral(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === STAR || c === QMARK || c === LBRACKET || c === BACKSLASH) return false;
  }
  return true;
}

/**
 * A compiled matcher for one pattern, for scanning many subjects (KEYS,
 * SCAN MATCH). Picks a fast path for the common shapes and falls back to
 * stringMatch otherwise; the result is always identical to stringMatch.
 */
export function compileGlob(pattern: string, nocase = false): (s: string) => boolean {
  if (!nocase) {
    if (patternIsLiteral(pattern)) {
      // Empty pattern matches only the empty string, which equality covers.
      return (s) => s === pattern;
    }
    // Shapes "lit*", "*lit" and "*lit*" with a non-empty literal part.
    const n = pattern.length;
    let start = 0;
    while (start < n && pattern.charCodeAt(start) === STAR) start++;
    let end = n;
    while (end > start && pattern.charCodeAt(end - 1) === STAR) end--;
    if (end > start) {
      const lit = pattern.slice(start, end);
      if (patternIsLiteral(lit)) {
        const lead = start > 0;
        const trail = end < n;
        // Trailing stars are skipped once the subject is used up, so "abc*"
        // matches "abc"; a leading star may match zero bytes. The empty
        // subject never matches (lit is non-empty).
        if (lead && trail) return (s) => s.includes(lit);
        if (lead) return (s) => s.endsWith(lit);
        if (trail) return (s) => s.startsWith(lit);
      }
    }
  }
  return (s) => stringMatch(pattern, s, nocase);
}
