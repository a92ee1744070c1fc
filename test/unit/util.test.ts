import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { stringMatch, stringMatchRange, patternIsLiteral, compileGlob } from '../../src/util/glob';
import {
  parseLongLong,
  parseInt64,
  parseDouble,
  parseDoubleStrtod,
  parseLongDouble,
  formatDouble,
  fpconvDtoa,
  formatLongDouble,
  parseLongDoubleExact,
  addLongDouble,
  formatLongDoubleHuman,
  incrByFloatExact,
  longDoubleFromNumber,
  longDoubleFromBigInt,
  longDoubleToNumber,
  longDoubleIsFinite,
} from '../../src/util/numbers';
import { crc16, crc16Buffer, keyHashSlot, keyHashSlotBuffer } from '../../src/util/crc16';
import {
  crc64,
  crc64Buffer,
  Crc64,
  writeCrc64LE,
  crc64ToBufferLE,
  readCrc64LE,
} from '../../src/util/crc64';
import { lzfCompress, lzfDecompress, lzf_compress, lzf_decompress } from '../../src/util/lzf';
import { seededRandom as rng } from '../helpers';

// ---------------------------------------------------------------------------
// glob
// ---------------------------------------------------------------------------

/*
 * Independent reference: parse the pattern into tokens (with Valkey's bracket
 * rules), then match with plain memoised backtracking. Valkey's semantics are
 * ordinary glob semantics except that an empty subject only matches an
 * empty pattern (and the nesting limit, tested separately).
 */
type Tok =
  | { k: 'star' }
  | { k: 'any' }
  | { k: 'lit'; c: number }
  | { k: 'cls'; neg: boolean; items: Array<{ t: 'esc'; c: number } | { t: 'chr'; c: number } | { t: 'rng'; a: number; b: number }> };

function signed(c: number): number {
  return c > 127 ? c - 256 : c;
}
function low(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function tokenize(p: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = p.length;
  while (i < n) {
    const c = p.charCodeAt(i);
    if (c === 42) {
      out.push({ k: 'star' });
      i++;
    } else if (c === 63) {
      out.push({ k: 'any' });
      i++;
    } else if (c === 91) {
      i++;
      const neg = i < n && p[i] === '^';
      if (neg) i++;
      const items: Extract<Tok, { k: 'cls' }>['items'] = [];
      for (;;) {
        if (i >= n) break; // unclosed: the class runs to the end
        if (p[i] === '\\' && i + 1 < n) {
          items.push({ t: 'esc', c: p.charCodeAt(i + 1) });
          i += 2;
        } else if (p[i] === ']') {
          i++;
          break;
        } else if (i + 2 < n && p[i + 1] === '-') {
          items.push({ t: 'rng', a: p.charCodeAt(i), b: p.charCodeAt(i + 2) });
          i += 3;
        } else {
          items.push({ t: 'chr', c: p.charCodeAt(i) });
          i++;
        }
      }
      out.push({ k: 'cls', neg, items });
    } else if (c === 92 && i + 1 < n) {
      out.push({ k: 'lit', c: p.charCodeAt(i + 1) });
      i += 2;
    } else {
      out.push({ k: 'lit', c });
      i++;
    }
  }
  return out;
}

function tokMatches(t: Tok, c: number, nocase: boolean): boolean {
  if (t.k === 'any') return true;
  if (t.k === 'lit') return nocase ? low(t.c) === low(c) : t.c === c;
  if (t.k === 'cls') {
    let hit = false;
    for (const it of t.items) {
      if (it.t === 'esc') {
        if (it.c === c) hit = true;
      } else if (it.t === 'chr') {
        if (nocase ? low(it.c) === low(c) : it.c === c) hit = true;
      } else {
        let a = signed(it.a);
        let b = signed(it.b);
        let x = signed(c);
        if (a > b) [a, b] = [b, a];
        if (nocase) {
          a = low(a);
          b = low(b);
          x = low(x);
        }
        if (x >= a && x <= b) hit = true;
      }
    }
    return t.neg ? !hit : hit;
  }
  return false;
}

function refMatch(p: string, s: string, nocase: boolean): boolean {
  const toks = tokenize(p);
  if (s.length === 0) return toks.length === 0;
  const memo = new Map<number, boolean>();
  const go = (ti: number, si: number): boolean => {
    const key = ti * 1000 + si;
    const m = memo.get(key);
    if (m !== undefined) return m;
    let r: boolean;
    if (ti === toks.length) r = si === s.length;
    else {
      const t = toks[ti]!;
      if (t.k === 'star') r = go(ti + 1, si) || (si < s.length && go(ti, si + 1));
      else r = si < s.length && tokMatches(t, s.charCodeAt(si), nocase) && go(ti + 1, si + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('glob stringMatch', () => {
  test('basics', () => {
    assert.equal(stringMatch('', ''), true);
    assert.equal(stringMatch('', 'a'), false);
    assert.equal(stringMatch('a', 'a'), true);
    assert.equal(stringMatch('a', 'b'), false);
    assert.equal(stringMatch('h?llo', 'hello'), true);
    assert.equal(stringMatch('h?llo', 'hllo'), false);
    assert.equal(stringMatch('h*llo', 'hllo'), true);
    assert.equal(stringMatch('h*llo', 'heeeello'), true);
    assert.equal(stringMatch('h[ae]llo', 'hallo'), true);
    assert.equal(stringMatch('h[ae]llo', 'hillo'), false);
    assert.equal(stringMatch('h[^e]llo', 'hallo'), true);
    assert.equal(stringMatch('h[^e]llo', 'hello'), false);
    assert.equal(stringMatch('h[a-b]llo', 'hbllo'), true);
    assert.equal(stringMatch('h[a-b]llo', 'hcllo'), false);
    assert.equal(stringMatch('*', 'anything'), true);
    assert.equal(stringMatch('a*', 'a'), true);
    assert.equal(stringMatch('a*', 'abc'), true);
    assert.equal(stringMatch('*c', 'abc'), true);
    assert.equal(stringMatch('*c', 'abd'), false);
    assert.equal(stringMatch('a*b*c', 'axxbyyc'), true);
    assert.equal(stringMatch('a*b*c', 'axxbyy'), false);
    assert.equal(stringMatch('a**b', 'ab'), true);
    assert.equal(stringMatch('a***', 'a'), true);
    assert.equal(stringMatch('user:*:name', 'user:1000:name'), true);
  });

  test('empty subject matches only the empty pattern', () => {
    assert.equal(stringMatch('*', ''), false);
    assert.equal(stringMatch('**', ''), false);
    assert.equal(stringMatch('?', ''), false);
    assert.equal(stringMatch('', ''), true);
  });

  test('escapes', () => {
    assert.equal(stringMatch('\\*', '*'), true);
    assert.equal(stringMatch('\\*', 'a'), false);
    assert.equal(stringMatch('\\?', '?'), true);
    assert.equal(stringMatch('\\[a]', '[a]'), true);
    assert.equal(stringMatch('a\\\\b', 'a\\b'), true);
    assert.equal(stringMatch('\\a', 'a'), true);
    // trailing backslash is a literal backslash
    assert.equal(stringMatch('a\\', 'a\\'), true);
    assert.equal(stringMatch('\\', '\\'), true);
    assert.equal(stringMatch('a\\', 'a'), false);
    // escapes inside brackets
    assert.equal(stringMatch('[\\]]', ']'), true);
    assert.equal(stringMatch('[\\^a]', '^'), true);
    assert.equal(stringMatch('[a\\-z]', '-'), true);
    assert.equal(stringMatch('[a\\-z]', 'b'), false);
    assert.equal(stringMatch('[\\\\]', '\\'), true);
  });

  test('brackets: ranges, negation, odd forms', () => {
    assert.equal(stringMatch('[z-a]', 'm'), true); // reversed range
    assert.equal(stringMatch('[z-a]', 'A'), false);
    assert.equal(stringMatch('[a-a]', 'a'), true);
    assert.equal(stringMatch('[^a-c]x', 'dx'), true);
    assert.equal(stringMatch('[^a-c]x', 'bx'), false);
    assert.equal(stringMatch('[]', ']'), false);
    // "[]" is an empty class (it fails on any byte), followed by "a"
    assert.equal(stringMatch('[]a', 'a'), false);
    assert.equal(stringMatch('[]a', 'xa'), false);
    assert.equal(stringMatch('[-a]', '-'), true);
    assert.equal(stringMatch('[a-]', 'a'), true); // range a..']', bracket left open
    assert.equal(stringMatch('[a-]', '^'), true); // ']' (93) <= '^' (94) <= 'a' (97)
    assert.equal(stringMatch('[a-]', '-'), false);
    assert.equal(stringMatch('[a-]b', 'ab'), false); // "b" is inside the open bracket
    assert.equal(stringMatch('[a-]b', 'b'), true);
    assert.equal(stringMatch('[^]', 'x'), true); // negated empty class
  });

  test('unclosed brackets run to the end of the pattern', () => {
    assert.equal(stringMatch('[abc', 'a'), true);
    assert.equal(stringMatch('[abc', 'c'), true);
    assert.equal(stringMatch('[abc', 'd'), false);
    assert.equal(stringMatch('[abc', 'ab'), false);
    assert.equal(stringMatch('x[', 'x'), false);
    assert.equal(stringMatch('x[', 'xa'), false); // "[" alone never matches
    assert.equal(stringMatch('[', '['), false);
    assert.equal(stringMatch('[^', 'a'), true); // negated empty open class
    assert.equal(stringMatch('[^', 'ab'), false);
    assert.equal(stringMatch('[\\', '\\'), true);
    assert.equal(stringMatch('*[a', 'xxa'), true);
  });

  test('nocase', () => {
    assert.equal(stringMatch('HeLLo', 'hello', true), true);
    assert.equal(stringMatch('HeLLo', 'hello', false), false);
    assert.equal(stringMatch('h[A-Z]llo', 'hello', true), true);
    assert.equal(stringMatch('h[a-z]llo', 'hEllo', true), true);
    assert.equal(stringMatch('[abc]', 'B', true), true);
    assert.equal(stringMatch('[^abc]', 'B', true), false);
    // escaped bytes in brackets compare exactly, even with nocase
    assert.equal(stringMatch('[\\a]', 'A', true), false);
    assert.equal(stringMatch('[\\a]', 'a', true), true);
    // ranges are swapped before folding: [Z-a] folds to z..a, which is empty
    assert.equal(stringMatch('[Z-a]', 'z', true), false);
    assert.equal(stringMatch('[Z-a]', '_', true), false);
    assert.equal(stringMatch('[Z-a]', '_', false), true);
    // only ASCII letters fold
    assert.equal(stringMatch('\xc0', '\xe0', true), false);
    assert.equal(stringMatch('\\A', 'a', true), true);
  });

  test('ranges compare bytes as signed chars', () => {
    // 0x80..0xff sort below 0x00 (signed char), as in C on x86
    assert.equal(stringMatch('[a-\xff]', '\x80'), false);
    assert.equal(stringMatch('[a-\xff]', '0'), true); // -1..97
    assert.equal(stringMatch('[\x80-\xff]', '\x90'), true);
    assert.equal(stringMatch('[\x80-\xff]', 'a'), false);
    assert.equal(stringMatch('[\x00-\x7f]', '\x80'), false);
    assert.equal(stringMatch('\xff*', '\xff\x00'), true);
  });

  test('binary safety', () => {
    assert.equal(stringMatch('a\x00*', 'a\x00bc'), true);
    assert.equal(stringMatch('a?c', 'a\x00c'), true);
    assert.equal(stringMatch('*\x00', 'abc\x00'), true);
  });

  test('nesting limit: more than 1000 stars in play fails', () => {
    const s = 'a'.repeat(1100);
    assert.equal(stringMatch('a*'.repeat(999), s), true);
    assert.equal(stringMatch('a*'.repeat(1000), s), true);
    // logically a match, but the 1001st non-final star exceeds the limit
    assert.equal(stringMatch('a*'.repeat(1001) + 'a', s), false);
    assert.equal(stringMatch('*a'.repeat(1001), s), false);
    assert.equal(stringMatch('*a'.repeat(1000), s), true);
    // a final star does not recurse
    assert.equal(stringMatch('a*'.repeat(1001), s), true);
  });

  test('pathological patterns are not exponential', () => {
    const t0 = Date.now();
    const s = 'a'.repeat(5000);
    assert.equal(stringMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', s), false);
    assert.equal(stringMatch('a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', s), false);
    assert.equal(stringMatch('*?*?*?*?*?*?*?*?*?*?*?*?*b', s), false);
    assert.equal(stringMatch('*a*a*a*a*a*a*a*a*a*a*a*a*a', s), true);
    assert.equal(stringMatch('*a'.repeat(500) + 'b', 'a'.repeat(2000)), false);
    assert.ok(Date.now() - t0 < 3000, 'took too long');
  });

  test('random cross-check against an independent reference', () => {
    const rnd = rng(12345);
    const PA = ['a', 'b', 'A', 'z', '*', '*', '?', '[', ']', '^', '-', '\\', '\x80', '\xff', '\x00'];
    const SA = ['a', 'b', 'A', 'B', 'z', ']', '-', '^', '\\', '[', '*', '?', '\x80', '\xff', '\x00', '_'];
    const pick = (al: string[]) => al[Math.floor(rnd() * al.length)]!;
    let matches = 0;
    for (let i = 0; i < 60000; i++) {
      let p = '';
      const pl = Math.floor(rnd() * 9);
      for (let j = 0; j < pl; j++) p += pick(PA);
      let s = '';
      const sl = Math.floor(rnd() * 8);
      for (let j = 0; j < sl; j++) s += pick(SA);
      const nocase = rnd() < 0.3;
      const want = refMatch(p, s, nocase);
      const got = stringMatch(p, s, nocase);
      if (got !== want) {
        assert.fail(`pattern ${JSON.stringify(p)} subject ${JSON.stringify(s)} nocase=${nocase}: got ${got}, want ${want}`);
      }
      if (got) matches++;
      assert.equal(compileGlob(p, nocase)(s), got, `compileGlob ${JSON.stringify(p)} ${JSON.stringify(s)}`);
    }
    assert.ok(matches > 1000, 'test should exercise matches too');
  });

  test('cases confirmed against a real server (KEYS)', () => {
    // pattern, subject, match
    const cases: Array<[string, string, boolean]> = [
      ['*a', 'a', true],
      ['[a-]', ']', true],
      ['[]-a]', 'b', false],
      ['\\', '\\', true],
      ['[^', 'z', true],
      ['*[', 'a[', false],
      ['?*', 'ab', true],
      ['[]a', 'a', false],
      ['[a-]b', 'b', true],
      ['[a-]', '^', true],
      ['[^]', 'x', true],
      ['x[', 'xa', false],
      ['[a\\-z]', '-', true],
      ['[a-\xff]', '0', true],
      ['[a-\xff]', '\x80', false],
      ['**', '', false],
    ];
    for (const [p, s, m] of cases) assert.equal(stringMatch(p, s), m, `${p} ${s}`);
  });

  test('stringMatchRange', () => {
    assert.equal(stringMatchRange('xxa*yy', 2, 4, 'zzabczz', 2, 5), true);
    assert.equal(stringMatchRange('xxa*yy', 2, 4, 'zzbbczz', 2, 5), false);
  });

  test('patternIsLiteral and compileGlob', () => {
    assert.equal(patternIsLiteral('abc'), true);
    assert.equal(patternIsLiteral(''), true);
    assert.equal(patternIsLiteral('a]b^-'), true);
    assert.equal(patternIsLiteral('a*'), false);
    assert.equal(patternIsLiteral('a?'), false);
    assert.equal(patternIsLiteral('a['), false);
    assert.equal(patternIsLiteral('a\\b'), false);
    const m = compileGlob('user:*');
    assert.equal(m('user:'), true);
    assert.equal(m('user:1'), true);
    assert.equal(m('use'), false);
    assert.equal(compileGlob('abc')('abc'), true);
    assert.equal(compileGlob('abc')('abcd'), false);
    assert.equal(compileGlob('')(''), true);
    assert.equal(compileGlob('*')(''), false);
    assert.equal(compileGlob('ABC', true)('abc'), true);
    // fast shapes agree with stringMatch
    const subjects = ['', 'a', 'ab', 'abc', 'xabc', 'abcx', 'xabcx', 'ababc', 'b', 'ABC'];
    for (const p of ['abc*', '*abc', '*abc*', '**abc**', 'a**', '**c', '*b*', 'abc', '*', '**', '']) {
      const f = compileGlob(p);
      for (const s of subjects) assert.equal(f(s), stringMatch(p, s), `${p} ${s}`);
    }
  });
});

// ---------------------------------------------------------------------------
// integers
// ---------------------------------------------------------------------------

describe('integers (string2ll)', () => {
  test('parseLongLong valid', () => {
    assert.equal(parseLongLong('0'), 0);
    assert.equal(parseLongLong('1'), 1);
    assert.equal(parseLongLong('-1'), -1);
    assert.equal(parseLongLong('1234567890'), 1234567890);
    assert.equal(parseLongLong('9007199254740991'), 9007199254740991);
    assert.equal(parseLongLong('-9007199254740991'), -9007199254740991);
  });

  test('parseLongLong invalid or outside the safe range', () => {
    for (const s of [
      '', '-', '+1', ' 1', '1 ', '01', '-0', '00', '1.0', '1e3', 'abc', '0x10', '١',
      '9007199254740992', '-9007199254740992', '9223372036854775807', '12345678901234567890',
      '123456789012345678901', '1\x00', '--1', '-01',
    ]) {
      assert.equal(parseLongLong(s), null, JSON.stringify(s));
    }
  });

  test('parseInt64', () => {
    assert.equal(parseInt64('0'), 0n);
    assert.equal(parseInt64('-1'), -1n);
    assert.equal(parseInt64('9223372036854775807'), 9223372036854775807n);
    assert.equal(parseInt64('-9223372036854775808'), -9223372036854775808n);
    assert.equal(parseInt64('9223372036854775808'), null);
    assert.equal(parseInt64('-9223372036854775809'), null);
    assert.equal(parseInt64('18446744073709551615'), null);
    assert.equal(parseInt64('99999999999999999999'), null);
    assert.equal(parseInt64('-99999999999999999999'), null); // 21 chars
    for (const s of ['', '-', '+5', '05', '-0', ' 5', '5 ', '5a', '1.5', '0x1']) {
      assert.equal(parseInt64(s), null, JSON.stringify(s));
    }
    // agrees with parseLongLong wherever that one answers
    const rnd = rng(7);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor((rnd() - 0.5) * 2 * Number.MAX_SAFE_INTEGER);
      assert.equal(parseLongLong(String(n)), n);
      assert.equal(parseInt64(String(n)), BigInt(n));
    }
  });
});

// ---------------------------------------------------------------------------
// doubles
// ---------------------------------------------------------------------------

describe('parseDouble (string2d)', () => {
  test('accepted', () => {
    const ok: Array<[string, number]> = [
      ['0', 0],
      ['1', 1],
      ['-1', -1],
      ['+1', 1],
      ['1.5', 1.5],
      ['.5', 0.5],
      ['5.', 5],
      ['-.5e1', -5],
      ['1e3', 1000],
      ['1E+3', 1000],
      ['1e-3', 0.001],
      ['00012', 12],
      ['1e0000000000000000000003', 1000],
      ['inf', Infinity],
      ['+inf', Infinity],
      ['-inf', -Infinity],
      ['INF', Infinity],
      ['Infinity', Infinity],
      ['-iNfInItY', -Infinity],
      ['0x10', 16],
      ['0x1p3', 8],
      ['0X1.8P1', 3],
      ['-0x.8', -0.5],
      ['0x1p-1074', 5e-324],
      ['1e-310', 1e-310], // subnormal: accepted
      ['1.7976931348623157e308', 1.7976931348623157e308],
      ['0e-99999', 0],
      ['0.0e400', 0],
    ];
    for (const [s, v] of ok) assert.equal(parseDouble(s), v, JSON.stringify(s));
    assert.ok(Object.is(parseDouble('-0'), -0));
    assert.ok(Object.is(parseDouble('-0.0e5'), -0));
  });

  test('rejected', () => {
    for (const s of [
      '', ' 1', '1 ', '\t1', '\n1', '1\n', 'a', '1a', '1e', '1e+', '1e-', 'e1', '.', '-', '+', '+-1',
      'nan', 'NaN', '-nan', 'nan(123)', 'infinit', 'infinityx', 'inf ', '0x', '0x.', '0xp1', '0x1p',
      '0xg', '1e400', '-1e400', '1e-400', '2e-324', '1.8e308', '0x1p1024', '0x1p-1076', '1_000',
      '0b101', '0o7', '1..2', '1.2.3', '1e5e5', '\x001', '1\x00', '٣', '１',
    ]) {
      assert.equal(parseDouble(s), null, JSON.stringify(s));
    }
  });
});

describe('parseDoubleStrtod (score range bounds)', () => {
  test('strtod up to the first NUL, NaN rejected', () => {
    assert.equal(parseDoubleStrtod('1.5'), 1.5);
    assert.equal(parseDoubleStrtod(''), 0);
    assert.equal(parseDoubleStrtod(' 1'), 1);
    assert.equal(parseDoubleStrtod('\t\n 2'), 2);
    assert.equal(parseDoubleStrtod(' '), null);
    assert.equal(parseDoubleStrtod('1 '), null);
    assert.equal(parseDoubleStrtod('1\x00junk'), 1);
    assert.equal(parseDoubleStrtod('\x001'), 0);
    assert.equal(parseDoubleStrtod('1e400'), Infinity);
    assert.equal(parseDoubleStrtod('-1e400'), -Infinity);
    assert.equal(parseDoubleStrtod('1e-400'), 0);
    assert.ok(Object.is(parseDoubleStrtod('-1e-400'), -0));
    assert.equal(parseDoubleStrtod('0x1p1030'), Infinity);
    assert.equal(parseDoubleStrtod('0x1p-1080'), 0);
    assert.equal(parseDoubleStrtod('0x10'), 16);
    assert.equal(parseDoubleStrtod('-inf'), -Infinity);
    assert.equal(parseDoubleStrtod('+inf'), Infinity);
    assert.equal(parseDoubleStrtod('nan'), null);
    assert.equal(parseDoubleStrtod('x'), null);
    assert.equal(parseDoubleStrtod('1x'), null);
  });
});

describe('formatDouble (d2string / fpconv_dtoa)', () => {
  test('specials and integers', () => {
    assert.equal(formatDouble(NaN), 'nan');
    assert.equal(formatDouble(Infinity), 'inf');
    assert.equal(formatDouble(-Infinity), '-inf');
    assert.equal(formatDouble(0), '0');
    assert.equal(formatDouble(-0), '-0');
    assert.equal(formatDouble(1), '1');
    assert.equal(formatDouble(-42), '-42');
    assert.equal(formatDouble(1e15), '1000000000000000');
    assert.equal(formatDouble(2 ** 53 + 2), '9007199254740994');
    assert.equal(formatDouble(2 ** 62), '4611686018427387904');
    assert.equal(formatDouble(-(2 ** 62)), '-4611686018427387904');
    assert.equal(formatDouble(2 ** 62 + 1024), '4611686018427389000');
    assert.equal(formatDouble(2 ** 63), '9223372036854776000');
  });

  // expected values produced by fpconv_dtoa itself
  const vectors: Array<[string, string]> = [
    ['0.1', '0.1'],
    ['0.2', '0.2'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['1.5', '1.5'],
    ['-1.5', '-1.5'],
    ['3.14159', '3.14159'],
    ['2.5e-5', '0.000025'],
    ['0.0001', '0.0001'],
    ['0.00001', '0.00001'],
    ['0.000001', '0.000001'],
    ['0.0000001', '1e-7'],
    ['1.5e-7', '1.5e-7'],
    ['0.001234', '0.001234'],
    ['0.0001234', '1.234e-4'],
    ['123.456', '123.456'],
    ['-123.456', '-123.456'],
    ['12345.678901234567', '1.2345678901234567e+4'],
    ['1234.5678901234567', '1234.5678901234567'],
    ['123456.789', '123456.789'],
    ['1e21', '1e+21'],
    ['1e22', '1e+22'],
    ['1.5e300', '1.5e+300'],
    ['-1.5e300', '-1.5e+300'],
    ['5e-324', '5e-324'],
    ['-5e-324', '-5e-324'],
    ['2.2250738585072014e-308', '2.2250738585072014e-308'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['-1.7976931348623157e308', '-1.7976931348623157e+308'],
    ['9223372036854775807', '9223372036854776000'],
    ['18446744073709551616', '18446744073709552000'],
    ['1e100', '1e+100'],
    ['1e-100', '1e-100'],
    ['1.2345678901234567e-300', '1.2345678901234568e-300'],
    ['6.02214076e23', '6.02214076e+23'],
    ['1.602176634e-19', '1.602176634e-19'],
    ['2.675', '2.675'],
    ['1e-5', '0.00001'],
    ['9.999999999999999e22', '99999999999999990000000'],
    ['1e23', '99999999999999990000000'],
    ['8.41e21', '8409999999999999000000'],
    ['5e-310', '5e-310'],
    ['0.1e-6', '1e-7'],
    ['1.7e308', '1.7e+308'],
    ['123456789.123', '123456789.123'],
    ['99.99', '99.99'],
    ['-0.001', '-0.001'],
    ['1.5e19', '1.5e+19'],
    ['1.25e20', '1.25e+20'],
    ['1.234e19', '1.234e+19'],
    ['7.0e-10', '7e-10'],
    ['33.333333333333336', '33.333333333333336'],
    ['0.6666666666666666', '0.6666666666666666'],
    ['1.0000000000000002', '1.0000000000000002'],
    ['0.9999999999999999', '0.9999999999999999'],
    ['5e-5', '0.00005'],
    ['123e-9', '1.23e-7'],
    ['1.23e-6', '1.23e-6'],
    ['1.2345e-5', '1.2345e-5'],
    ['1e300', '1e+300'],
    ['2e-320', '2e-320'],
    // Grisu2 is not always shortest / closest:
    ['5.5043254024209595e+166', '5.5043254024209594e+166'],
    ['-8.643916370983982e+14', '-864391637098398.3'],
    ['3.186214827577083e-47', '3.1862148275770828e-47'],
    ['-1.6638870584133626e+300', '-1.6638870584133627e+300'],
    ['-5.291895020955297e-34', '-5.2918950209552966e-34'],
    ['6.4453026037308774e-273', '6.4453026037308775e-273'],
    ['-2.3680165988613188e-114', '-2.3680165988613187e-114'],
  ];

  test('vectors from fpconv_dtoa', () => {
    for (const [lit, want] of vectors) {
      assert.equal(formatDouble(Number(lit)), want, lit);
      assert.equal(formatDouble(Number(lit)), want, lit + ' (cached)');
    }
  });

  test('fpconvDtoa integer layout (d2string prefers ll2string up to 2^62)', () => {
    assert.equal(fpconvDtoa(2.500897697667636e17), '250089769766763580');
    assert.equal(formatDouble(2.500897697667636e17), '250089769766763584');
    assert.equal(fpconvDtoa(-0), '-0');
    assert.equal(fpconvDtoa(1), '1');
  });

  test('random doubles round-trip and mostly equal the shortest form', () => {
    const rnd = rng(99);
    const b = Buffer.alloc(8);
    let differ = 0;
    const N = 50000;
    for (let i = 0; i < N; i++) {
      b.writeUInt32LE(Math.floor(rnd() * 4294967296), 0);
      b.writeUInt32LE(Math.floor(rnd() * 4294967296), 4);
      let d = b.readDoubleLE(0);
      if (!Number.isFinite(d)) continue;
      if (i % 2) d = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 15);
      const s = formatDouble(d);
      assert.equal(Number(s), d, `${d} -> ${s}`);
      assert.match(s, /^-?(\d+(\.\d+)?|\d(\.\d+)?e[+-]\d{1,3})$/);
      if (s.includes('e')) {
        // exponent form only outside the plain ranges
        const e = Number(s.split('e')[1]);
        assert.ok(Math.abs(e) >= 4, s);
      }
      const ds = s.replace('-', '').split('e')[0]!.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      const js = Math.abs(d).toExponential().split('e')[0]!.replace('.', '').replace(/0+$/, '');
      if (ds !== js && !(Number.isInteger(d) && Math.abs(d) <= 2 ** 62)) differ++;
    }
    assert.ok(differ < N / 100, `too many non-shortest outputs: ${differ}`);
  });
});

// ---------------------------------------------------------------------------
// long doubles
// ---------------------------------------------------------------------------

describe('long double (string2ld / INCRBYFLOAT)', () => {
  // [current, increment, reply]; reply 'ERR' = not a valid float,
  // 'NANINF' = increment would produce NaN or Infinity. Produced with x87
  // long double strtold + addition + "%.17Lf" trimmed.
  const vectors: Array<[string, string, string]> = [
    ['0', '0.1', '0.1'],
    ['0.1', '0.1', '0.2'],
    ['0.2', '0.1', '0.3'],
    ['0.1', '0.2', '0.3'],
    ['10.5', '0.1', '10.6'],
    ['1', '-1.1', '-0.1'],
    ['10', '-10', '0'],
    ['-0', '-0', '0'],
    ['-0', '0', '0'],
    ['5.0e3', '2.0e2', '5200'],
    ['1e4932', '1e4932', 'NANINF'],
    ['inf', '1', 'NANINF'],
    ['-inf', 'inf', 'NANINF'],
    ['0', '1e-20', '0'],
    ['1', '1e-17', '1.00000000000000001'],
    ['1', '5e-18', '1'],
    ['1', '1.5e-17', '1.00000000000000001'],
    ['0', '-1e-18', '0'],
    ['3.0e3', '0', '3000'],
    ['9223372036854775807', '1', '9223372036854775808'],
    ['18446744073709551615', '1', '18446744073709551616'],
    ['0.1', '-0.1', '0'],
    ['1.23456789012345678', '0', '1.23456789012345678'],
    ['0x1p-1', '0', '0.5'],
    ['1e20', '0.5', '100000000000000000000'],
    ['123456789012345678901234567890', '0.1', '123456789012345678899921813504'],
    ['0', '2.5e-17', '0.00000000000000002'],
    ['0', '7.5e-17', '0.00000000000000007'],
    ['0', '0x1p-57', '0.00000000000000001'],
    ['-1.5', '0.25', '-1.25'],
    ['1e-4950', '0', '0'],
    ['1e-4960', '0', 'ERR'],
    ['0', '1e5000', 'ERR'],
    ['1', ' 1', 'ERR'],
    ['1', '1 ', 'ERR'],
    ['1', 'nan', 'ERR'],
    ['1', '0x', 'ERR'],
    ['1', '+.5', '1.5'],
    ['1', '.', 'ERR'],
    ['', '1', 'ERR'],
    ['1', '1e', 'ERR'],
    ['0', '3.6e-4951', '0'],
    ['0', '1.8e-4951', 'ERR'],
  ];

  test('vectors', () => {
    for (const [a, b, want] of vectors) {
      const x = parseLongDoubleExact(a);
      const y = parseLongDoubleExact(b);
      const got = x === null || y === null ? 'ERR' : (incrByFloatExact(x, y) ?? 'NANINF');
      assert.equal(got, want, `${a} + ${b}`);
    }
  });

  test('values beyond the double range', () => {
    const x = parseLongDoubleExact('1e400')!;
    assert.ok(x !== null && longDoubleIsFinite(x));
    const s = incrByFloatExact(parseLongDoubleExact('0')!, x)!;
    assert.equal(s.length, 401);
    assert.ok(s.startsWith('10000000000000000000281880683947586514586453433629'));
    assert.equal(longDoubleToNumber(x), Infinity);
    assert.equal(parseLongDouble('1e400'), Infinity);
    assert.equal(parseLongDouble('1e-400'), 0);
    assert.equal(parseLongDouble('1e5000'), null);
    assert.equal(parseLongDouble('1e-5000'), null);
  });

  test('repeated INCRBYFLOAT 0.1 stays decimal', () => {
    let cur = '0';
    for (let i = 1; i <= 30; i++) {
      cur = incrByFloatExact(parseLongDoubleExact(cur)!, parseLongDoubleExact('0.1')!)!;
    }
    assert.equal(cur, '3');
  });

  test('parse/format basics', () => {
    assert.equal(parseLongDoubleExact(''), null);
    assert.equal(parseLongDoubleExact(' 1'), null);
    assert.equal(parseLongDoubleExact('nan'), null);
    assert.equal(parseLongDoubleExact('0'.repeat(5119) + '1'), null); // too long
    assert.equal(formatLongDoubleHuman(parseLongDoubleExact('0'.repeat(5118) + '1')!), '1');
    assert.equal(formatLongDoubleHuman(parseLongDoubleExact('-inf')!), '-inf');
    assert.equal(formatLongDoubleHuman(parseLongDoubleExact('3.25')!), '3.25');
    assert.equal(formatLongDoubleHuman(parseLongDoubleExact('-3.25')!), '-3.25');
    assert.equal(formatLongDoubleHuman(parseLongDoubleExact('100')!), '100');
    assert.equal(formatLongDoubleHuman(longDoubleFromNumber(0.1)), '0.10000000000000001');
    assert.equal(formatLongDoubleHuman(longDoubleFromBigInt(-12n)), '-12');
    assert.equal(formatLongDoubleHuman(addLongDouble(longDoubleFromBigInt(5n), longDoubleFromNumber(-0.5))), '4.5');
    assert.equal(longDoubleToNumber(parseLongDoubleExact('0.1')!), 0.1);
    assert.ok(Object.is(longDoubleToNumber(parseLongDoubleExact('-0')!), -0));
  });

  test('parseLongDouble (number API)', () => {
    assert.equal(parseLongDouble('1.5'), 1.5);
    assert.equal(parseLongDouble('+1.5'), 1.5);
    assert.equal(parseLongDouble('0x10'), 16);
    assert.equal(parseLongDouble('inf'), Infinity);
    assert.equal(parseLongDouble(' 1.5'), null);
    assert.equal(parseLongDouble('1.5 '), null);
    assert.equal(parseLongDouble('nan'), null);
    assert.equal(parseLongDouble(''), null);
  });

  test('formatLongDouble (number API)', () => {
    assert.equal(formatLongDouble(10.5 + 0.1), '10.6');
    assert.equal(formatLongDouble(1e21), '1000000000000000000000');
    assert.equal(formatLongDouble(1e-7), '0.0000001');
    assert.equal(formatLongDouble(0), '0');
    assert.equal(formatLongDouble(-0), '0');
    assert.equal(formatLongDouble(-1.5), '-1.5');
    assert.equal(formatLongDouble(3), '3');
    assert.equal(formatLongDouble(0.30000000000000004), '0.30000000000000004');
    assert.equal(formatLongDouble(1e-20), '0');
    assert.equal(formatLongDouble(-1e-20), '0');
    assert.equal(formatLongDouble(1.5e-17), '0.00000000000000002');
    assert.equal(formatLongDouble(123456789.125), '123456789.125');
    assert.equal(formatLongDouble(2 ** 70), '1180591620717411303424');
    assert.equal(formatLongDouble(Infinity), 'inf');
    assert.equal(formatLongDouble(-Infinity), '-inf');
    assert.ok(!formatLongDouble(1.2345e-300).includes('e'));
    for (const d of [0.1, 1 / 3, 12345.678, 1e-5, 5e-324, 1.7976931348623157e308, -2.5e-3]) {
      assert.ok(!/e/.test(formatLongDouble(d)), String(d));
    }
  });
});

// ---------------------------------------------------------------------------
// crc16 / hash slots
// ---------------------------------------------------------------------------

describe('crc16 and keyHashSlot', () => {
  test('check value', () => {
    assert.equal(crc16('123456789'), 0x31c3);
    assert.equal(crc16(''), 0);
    assert.equal(crc16Buffer(Buffer.from('123456789')), 0x31c3);
    assert.equal(crc16('xx123456789yy', 2, 11), 0x31c3);
  });

  test('slots (confirmed with CLUSTER KEYSLOT)', () => {
    const cases: Array<[string, number]> = [
      ['', 0],
      ['{', 4092],
      ['}', 12090],
      ['{}', 15257],
      ['{}{a}', 13650],
      ['a{}', 6082],
      ['{a}', 15495],
      ['a{b}c', 3300],
      ['a{b{c}d}', 15725],
      ['{{a}}', 10276],
      ['foo', 12182],
      ['bar', 5061],
      ['{user1000}.following', 3443],
      ['user1000', 3443],
      ['a{', 14311],
      ['a}b{c}', 7365],
      ['}{a}', 15495],
    ];
    for (const [k, slot] of cases) {
      assert.equal(keyHashSlot(k), slot, JSON.stringify(k));
      assert.equal(keyHashSlotBuffer(Buffer.from(k, 'latin1')), slot, JSON.stringify(k));
    }
  });

  test('buffer and string forms agree on random keys', () => {
    const rnd = rng(5);
    const al = 'ab{}\x00\xff';
    for (let i = 0; i < 5000; i++) {
      let k = '';
      const n = Math.floor(rnd() * 10);
      for (let j = 0; j < n; j++) k += al[Math.floor(rnd() * al.length)];
      const slot = keyHashSlot(k);
      assert.ok(slot >= 0 && slot < 16384);
      assert.equal(keyHashSlotBuffer(Buffer.from(k, 'latin1')), slot);
      const padded = Buffer.from('##' + k + '##', 'latin1');
      assert.equal(keyHashSlotBuffer(padded, 2, 2 + k.length), slot);
    }
  });
});

// ---------------------------------------------------------------------------
// crc64
// ---------------------------------------------------------------------------

/** Bit-by-bit reference (reflected Jones polynomial). */
function crc64Ref(crc: bigint, data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n; // bit-reversed 0xad93d23594c935a9
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('crc64', () => {
  test('check value', () => {
    assert.equal(crc64(0, '123456789'), 0xe9c6d914c4b8d9can);
    assert.equal(crc64(0n, Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
    assert.equal(crc64Buffer(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
    assert.equal(crc64(0, ''), 0n);
    // the check string used by Redis's own crc64 test
    assert.equal(
      crc64(0, "This is a test of the emergency broadcast system."),
      crc64Ref(0n, Buffer.from("This is a test of the emergency broadcast system.")),
    );
  });

  test('matches the bitwise reference on random data and splits', () => {
    const rnd = rng(3);
    for (let i = 0; i < 200; i++) {
      const n = Math.floor(rnd() * 300);
      const b = randomBytes(n);
      const want = crc64Ref(0n, b);
      assert.equal(crc64Buffer(b), want);
      assert.equal(crc64(0, b.toString('latin1')), want);
      const cut = Math.floor(rnd() * (n + 1));
      assert.equal(crc64(crc64(0, b.subarray(0, cut)), b.subarray(cut)), want);
      assert.equal(crc64Buffer(b, cut, n, crc64Buffer(b, 0, cut)), want);
      const c = new Crc64();
      c.update(b, 0, cut).updateString(b.toString('latin1', cut));
      assert.equal(c.digest(), want);
    }
    const big = randomBytes(100003);
    assert.equal(crc64Buffer(big), crc64Ref(0n, big));
    assert.equal(crc64(0, big.toString('latin1')), crc64Ref(0n, big));
  });

  test('little-endian helpers', () => {
    const v = 0xe9c6d914c4b8d9can;
    const b = crc64ToBufferLE(v);
    assert.equal(b.toString('hex'), 'cad9b8c414d9c6e9');
    assert.equal(readCrc64LE(b), v);
    const buf = Buffer.alloc(10);
    writeCrc64LE(v, buf, 1);
    assert.equal(buf.subarray(1, 9).toString('hex'), 'cad9b8c414d9c6e9');
    const c = new Crc64().updateString('123456789');
    const out = Buffer.alloc(8);
    c.writeLE(out);
    assert.equal(out.toString('hex'), 'cad9b8c414d9c6e9');
    assert.ok(c.equalsLE(out));
    assert.equal(new Crc64(v).digest(), v);
  });

  test('real DUMP payload footer', () => {
    // DUMP of a 363-byte string (LZF-compressed), as produced by a server:
    // payload, 2-byte RDB version, CRC-64 of everything before it (LE).
    const dump = Buffer.from(
      '00c31d416b0361626361e01102052d68656c6c6fe010050078e0ff00e01a0001797a0a00ca0d5237c1c8739d',
      'hex',
    );
    assert.equal(readCrc64LE(dump, dump.length - 8), crc64Buffer(dump, 0, dump.length - 8));
  });
});

// ---------------------------------------------------------------------------
// lzf
// ---------------------------------------------------------------------------

describe('lzf', () => {
  test('decompresses real liblzf output', () => {
    // from an RDB written by a server (clen 29, len 363)
    const z = Buffer.from('0361626361e01102052d68656c6c6fe010050078e0ff00e01a0001797a', 'hex');
    const want = 'abcabcabcabcabcabcabcabcabcabc-hello-hello-hello-hello-hello-' + 'x'.repeat(300) + 'yz';
    const out = lzfDecompress(z, 363);
    assert.ok(out);
    assert.equal(out.toString('latin1'), want);
    // wrong expected length is an error either way
    assert.equal(lzfDecompress(z, 362), null);
    assert.equal(lzfDecompress(z, 364), null);
  });

  test('compress: small/incompressible inputs', () => {
    assert.equal(lzfCompress(Buffer.alloc(0)), null);
    assert.equal(lzfCompress(Buffer.from('a')), null);
    assert.equal(lzfCompress(Buffer.from('abc')), null);
    assert.equal(lzfCompress(randomBytes(1000)), null);
    const z = lzfCompress(Buffer.alloc(1000, 0x61))!;
    assert.ok(z.length < 40);
    assert.deepEqual(lzfDecompress(z, 1000), Buffer.alloc(1000, 0x61));
    // maxOutLen is honoured
    const s = Buffer.from('abcdefabcdefabcdefabcdefabcdef');
    const zz = lzfCompress(s)!;
    assert.ok(zz);
    // liblzf checks the room left conservatively (a few bytes early), as Valkey relies on
    assert.ok(lzfCompress(s, zz.length + 4)!.equals(zz));
    assert.equal(lzfCompress(s, zz.length - 1), null);
    assert.equal(lzf_compress, lzfCompress);
    assert.equal(lzf_decompress, lzfDecompress);
  });

  test('randomized round trips', () => {
    const rnd = rng(42);
    const gens: Array<(n: number) => Buffer> = [
      (n) => randomBytes(n),
      (n) => Buffer.alloc(n, Math.floor(rnd() * 256)),
      (n) => {
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i++) b[i] = 97 + Math.floor(rnd() * 3);
        return b;
      },
      (n) => {
        const words = ['foo', 'bar', 'bazinga', '\x00\x01', 'hello world', '\xff\xfe\xfd'];
        let s = '';
        while (s.length < n) s += words[Math.floor(rnd() * words.length)];
        return Buffer.from(s.slice(0, n), 'latin1');
      },
      (n) => {
        // long-distance repeats (beyond the 8 KiB window too)
        const blk = randomBytes(Math.max(1, Math.floor(rnd() * 9000)));
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i++) b[i] = blk[i % blk.length]!;
        return b;
      },
    ];
    let compressed = 0;
    for (let i = 0; i < 600; i++) {
      const big = rnd() < 0.1;
      const n = Math.floor(rnd() * (big ? 70000 : 600));
      const input = gens[i % gens.length]!(n);
      const z = lzfCompress(input, input.length + (input.length >> 4) + 16); // room for incompressible data
      if (input.length < 3) {
        // liblzf does not compress fewer than 3 bytes
        assert.equal(z, null);
        continue;
      }
      assert.ok(z, `no output for n=${n}`);
      if (z.length < input.length) compressed++;
      const back = lzfDecompress(z, input.length);
      assert.ok(back && back.equals(input), `round trip failed for generator ${i % gens.length}, n=${n}`);
      // the default (must be smaller) agrees
      const z2 = lzfCompress(input);
      if (z2 !== null) assert.ok(z2.equals(z));
      if (z.length < input.length - 8) assert.ok(z2 !== null, 'compressible input compresses under the default bound');
    }
    assert.ok(compressed > 300);
  });

  test('corrupt input never throws and is rejected', () => {
    const rnd = rng(77);
    // truncations and bit flips of valid streams
    for (let i = 0; i < 300; i++) {
      const input = Buffer.from(('lorem ipsum dolor ' + i).repeat(2 + (i % 20)), 'latin1');
      const z = lzfCompress(input)!;
      const cut = Math.floor(rnd() * z.length);
      assert.equal(lzfDecompress(z.subarray(0, cut), input.length), null);
      const flipped = Buffer.from(z);
      flipped[Math.floor(rnd() * flipped.length)] ^= 1 << Math.floor(rnd() * 8);
      const r = lzfDecompress(flipped, input.length); // may or may not decode
      if (r !== null) assert.equal(r.length, input.length);
    }
    // pure garbage
    for (let i = 0; i < 3000; i++) {
      const g = randomBytes(Math.floor(rnd() * 40));
      const r = lzfDecompress(g, Math.floor(rnd() * 100));
      if (r !== null) assert.equal(r.length >= 0, true);
    }
    // specific bad forms
    assert.equal(lzfDecompress(Buffer.from([0x20, 0x00]), 3), null); // ref before start
    assert.equal(lzfDecompress(Buffer.from([0x20]), 3), null); // missing offset
    assert.equal(lzfDecompress(Buffer.from([0xe0, 0x01]), 10), null); // missing offset after len
    assert.equal(lzfDecompress(Buffer.from([0x05, 0x61]), 6), null); // literal past input
    assert.equal(lzfDecompress(Buffer.from([0x00, 0x61]), 0), null); // output overflow
    // "a" then 3 bytes back-referenced at offset 1: "aaaa"
    assert.deepEqual(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x00]), 4), Buffer.from('aaaa'));
    assert.equal(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x00]), 3), null); // overflow
    assert.equal(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x00]), 5), null); // short
    assert.deepEqual(lzfDecompress(Buffer.alloc(0), 0), Buffer.alloc(0));
    assert.equal(lzfDecompress(Buffer.alloc(0), 1), null);
    assert.equal(lzfDecompress(Buffer.from([0x00, 0x61]), -1), null);
  });

  test('overlapping back references', () => {
    // "ab" then copy 8 bytes from offset 2 -> "ababababab"
    const z = Buffer.from([0x01, 0x61, 0x62, 0xc0, 0x01]);
    assert.equal(lzfDecompress(z, 10)!.toString(), 'ababababab');
  });
});
