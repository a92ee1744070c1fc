// The RDB value encoding behind DUMP/RESTORE: lengths, Valkey's string encodings (integers,
// LZF), payload footers, the type registry, and robustness against corrupt input. The expected
// bytes are what the reference server writes for the same values.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RdbReader, RdbWriter, RdbFormatError } from '../../src/persistence/rdb/io';
import { encodeValue, decodeValue, registerRdbLoader, readValueType } from '../../src/persistence/rdb/valueEncoding';
import { createDumpPayload, verifyDumpPayload } from '../../src/persistence/rdb/dump';
import { RDB_VERSION, rdbIsObjectType, rdbIsVersionAccepted } from '../../src/persistence/rdb/constants';
import { crc64 } from '../../src/util/crc64';
import { lzfDecompress } from '../../src/util/lzf';
import { lzfCompress as liblzfCompress } from '../../src/util/lzf';
import { lfuDecrAndReturn, lfuInitial, lfuLogIncr, lfuTouch, lfuWithCounter, LFU_INIT_VAL, isLfuPolicy } from '../../src/db/lfu';

const LOAD_OPTS = { deepSanitize: false, rdbVersion: RDB_VERSION, now: Date.now() };

function encode(v: string | Buffer, compress = true): string {
  const w = new RdbWriter(compress);
  encodeValue(v, w);
  return w.toBuffer().toString('hex');
}

function decodeHex(hex: string): unknown {
  return decodeValue(new RdbReader(Buffer.from(hex, 'hex')), LOAD_OPTS);
}

// Body bytes (type byte + encoding) of the reference server's DUMP for each value.
const REFERENCE_BODIES: [string, string][] = [
  ['hello', '000568656c6c6f'],
  ['0', '00c000'],
  ['-1', '00c0ff'],
  ['127', '00c07f'],
  ['128', '00c18000'],
  ['-128', '00c080'],
  ['-129', '00c17fff'],
  ['32767', '00c1ff7f'],
  ['32768', '00c200800000'],
  ['-32768', '00c10080'],
  ['-32769', '00c2ff7fffff'],
  ['2147483647', '00c2ffffff7f'],
  ['2147483648', '000a32313437343833363438'],
  ['-2147483648', '00c200000080'],
  ['-2147483649', '000b2d32313437343833363439'],
  ['12345678901', '000b3132333435363738393031'],
  ['01', '00023031'],
  ['-0', '00022d30'],
  [' 1', '00022031'],
  ['+1', '00022b31'],
  ['', '0000'],
  ['a'.repeat(20), '0014' + '61'.repeat(20)],
  ['a'.repeat(21), '00c30615016161e00a00'],
  ['abcabcabcabcabcabcabcabcabc', '00c30b1b0361626361e00c02016263'],
  ['x'.repeat(100), '00c3094064017878e05700017878'],
  [
    'The quick brown fox jumps over the lazy dog, the quick brown fox.',
    '00c33540411f54686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e086c617a7920646f672c600de0052c01782e',
  ],
];

test('strings are encoded byte for byte as the reference server does', () => {
  for (const [value, hex] of REFERENCE_BODIES) {
    assert.equal(encode(value), hex, `encoding of ${JSON.stringify(value)}`);
    assert.equal(encode(Buffer.from(value, 'latin1')), hex, `encoding of Buffer ${JSON.stringify(value)}`);
  }
});

test('every reference encoding decodes back to the original string', () => {
  for (const [value, hex] of REFERENCE_BODIES) assert.equal(decodeHex(hex), value);
});

test('rdbcompression off stores long strings verbatim', () => {
  assert.equal(encode('x'.repeat(100), false), '0040' + '64' + '78'.repeat(100));
});

test('incompressible long strings are stored verbatim', () => {
  let s = '';
  for (let i = 0; i < 200; i++) s += String.fromCharCode((i * 7919 + 13) % 251);
  const hex = encode(s);
  assert.equal(hex.slice(0, 2), '00');
  assert.equal(hex.slice(2, 6), '40c8'); // 14-bit length 200, no LZF marker
  assert.equal(decodeHex(hex), s);
});

test('length encodings use 6, 14, 32 and 64 bits at the right boundaries', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [63, '3f'],
    [64, '4040'],
    [16383, '7fff'],
    [16384, '8000004000'],
    [0xffffffff, '80ffffffff'],
    [0x100000000, '810000000100000000'],
  ];
  for (const [n, hex] of cases) {
    const w = new RdbWriter();
    w.len(n);
    assert.equal(w.toBuffer().toString('hex'), hex, `length ${n}`);
    assert.equal(new RdbReader(Buffer.from(hex, 'hex')).len(), n);
  }
});

test('times and doubles round-trip', () => {
  const w = new RdbWriter();
  w.millis(1700000000123);
  w.millis(-5);
  w.binaryDouble(3.25);
  w.binaryFloat(1.5);
  const r = new RdbReader(w.toBuffer());
  assert.equal(r.millis(), 1700000000123);
  assert.equal(r.millis(), -5);
  assert.equal(r.binaryDouble(), 3.25);
  assert.equal(r.binaryFloat(), 1.5);
  assert.equal(r.remaining, 0);
  // the old text doubles: length byte, or 253/254/255 for nan/+inf/-inf
  const t = new RdbReader(Buffer.concat([Buffer.from([4]), Buffer.from('2.5x'), Buffer.from([254, 255, 253])]));
  assert.equal(t.textDouble(), 2.5);
  assert.equal(t.textDouble(), Infinity);
  assert.equal(t.textDouble(), -Infinity);
  assert.ok(Number.isNaN(t.textDouble()));
});

test('malformed input throws RdbFormatError, never anything else', () => {
  const bad = [
    '', // no type byte
    '08', // 8 is not an object type
    'ff', // an opcode, not a type
    '0005616263', // string shorter than its length
    '00c4', // unknown string encoding 4
    '00c1ff', // truncated INT16
    '00c3', // LZF without lengths
    '00c3050a0102030405', // LZF that does not decompress to 10 bytes
    '00810000000000000010', // 64-bit length far beyond the data
    '00c0', // truncated INT8
  ];
  for (const hex of bad) {
    assert.throws(() => decodeHex(hex), RdbFormatError, `input ${hex}`);
  }
});

test('random corruption of valid encodings is rejected cleanly or decodes to a string', () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const [, hex] = REFERENCE_BODIES[rand(REFERENCE_BODIES.length)];
    const b = Buffer.from(hex, 'hex');
    const mutated = Buffer.from(b);
    const edits = 1 + rand(3);
    for (let e = 0; e < edits; e++) mutated[rand(mutated.length)] = rand(256);
    const cut = rand(3) === 0 ? mutated.subarray(0, rand(mutated.length + 1)) : mutated;
    try {
      const v = decodeValue(new RdbReader(cut), LOAD_OPTS);
      assert.ok(typeof v === 'string' || v === null || typeof v === 'object');
    } catch (e) {
      assert.ok(e instanceof RdbFormatError, `unexpected ${(e as Error).stack}`);
      rejected++;
    }
  }
  assert.ok(rejected > 100, 'mutations should often be rejected');
});

test('a DUMP payload is the value, version 80 little-endian, then the CRC64 of all that', () => {
  const p = createDumpPayload('hello', true);
  assert.equal(p.subarray(0, 7).toString('hex'), '000568656c6c6f');
  assert.equal(p.readUInt16LE(7), RDB_VERSION);
  assert.equal(p.readBigUInt64LE(9), crc64(0n, p.subarray(0, 9)));
  assert.equal(p.length, 17);
  assert.equal(verifyDumpPayload(p, true), RDB_VERSION);
});

test('the reference CRC64 of a known payload verifies (Jones polynomial, little-endian)', () => {
  // The reference server's DUMP of "hello": RDB version 10 footer.
  const ref = Buffer.from('000568656c6c6f' + '0a006372df766534200a', 'hex');
  assert.equal(verifyDumpPayload(ref, true), 10);
  // The standard CRC-64/Jones check value of "123456789".
  assert.equal(crc64(0n, Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
});

test('payload verification: short, corrupt, future and foreign versions', () => {
  const good = createDumpPayload('some value', true);
  assert.equal(verifyDumpPayload(good.subarray(0, 9), true), null);
  const flipped = Buffer.from(good);
  flipped[1] ^= 1;
  assert.equal(verifyDumpPayload(flipped, true), null);
  const badCrc = Buffer.from(good);
  badCrc[badCrc.length - 1] ^= 0x80;
  assert.equal(verifyDumpPayload(badCrc, true), null);
  // A zero CRC is not special for DUMP payloads.
  const zeroCrc = Buffer.from(good);
  zeroCrc.fill(0, zeroCrc.length - 8);
  assert.equal(verifyDumpPayload(zeroCrc, true), null);

  const withVersion = (v: number) => {
    const body = Buffer.concat([Buffer.from('0001', 'hex').subarray(0, 1), Buffer.from([1, 0x41]), Buffer.from([v & 0xff, v >> 8])]);
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(0n, body));
    return Buffer.concat([body, crc]);
  };
  assert.equal(verifyDumpPayload(withVersion(81), true), null, 'future version under strict');
  assert.equal(verifyDumpPayload(withVersion(81), false), 81, 'future version under relaxed');
  assert.equal(verifyDumpPayload(withVersion(12), true), null, 'foreign version under strict');
  assert.equal(verifyDumpPayload(withVersion(79), false), 79, 'foreign version under relaxed');
  assert.equal(verifyDumpPayload(withVersion(0), false), null, 'version 0 is never valid');
  assert.equal(verifyDumpPayload(withVersion(1), true), 1);
  assert.equal(verifyDumpPayload(withVersion(11), true), 11);
  assert.equal(verifyDumpPayload(withVersion(80), true), 80);
});

test('skip-checksum-validation accepts a bad CRC but still checks the version', () => {
  const p = createDumpPayload('v', true);
  p[p.length - 1] ^= 0xff;
  assert.equal(verifyDumpPayload(p, true), null);
  assert.equal(verifyDumpPayload(p, true, true), RDB_VERSION);
  p[p.length - 10] = 99;
  assert.equal(verifyDumpPayload(p, true, true), null);
});

test('version acceptance follows the magic string rules', () => {
  assert.equal(rdbIsVersionAccepted(11, true, 'redis'), true);
  assert.equal(rdbIsVersionAccepted(80, true, 'redis'), false);
  assert.equal(rdbIsVersionAccepted(11, true, 'valkey'), false);
  assert.equal(rdbIsVersionAccepted(80, true, 'valkey'), true);
});

test('object types: 0-7 and 9-22 are values, 8 and the opcodes are not', () => {
  for (let t = 0; t < 256; t++) {
    const expected = (t >= 0 && t <= 7) || (t >= 9 && t <= 22);
    assert.equal(rdbIsObjectType(t), expected, `type ${t}`);
  }
});

test('the loader registry dispatches on the type byte and refuses non-object types', () => {
  assert.throws(() => registerRdbLoader([250], () => null));
  // Nothing is registered for type 7 (modules): a clean format error.
  assert.throws(() => decodeHex('07'), RdbFormatError);
  registerRdbLoader([11], (type, r) => {
    assert.equal(type, 11);
    return 'loaded:' + r.string();
  });
  assert.equal(decodeHex('0b0178'), 'loaded:x');
  const r = new RdbReader(Buffer.from('0b', 'hex'));
  assert.equal(readValueType(r), 11);
});

test('LFU: new keys start at LFU_INIT_VAL and the counter decays one step per decay period', () => {
  const now = 1_700_000_000_000;
  const m = lfuInitial(now);
  assert.equal(m & 0xff, LFU_INIT_VAL);
  assert.equal(lfuDecrAndReturn(m, now, 1), LFU_INIT_VAL);
  assert.equal(lfuDecrAndReturn(m, now + 3 * 60_000, 1), LFU_INIT_VAL - 3);
  assert.equal(lfuDecrAndReturn(m, now + 3 * 60_000, 2), LFU_INIT_VAL - 1);
  assert.equal(lfuDecrAndReturn(m, now + 100 * 60_000, 1), 0);
  assert.equal(lfuDecrAndReturn(m, now + 100 * 60_000, 0), LFU_INIT_VAL, 'decay time 0 never decays');
  // The 16-bit minutes clock wraps: 65535 - then + now.
  const wrapped = lfuWithCounter(200, 65534 * 60_000);
  assert.equal(lfuDecrAndReturn(wrapped, 65536 * 60_000 + 1 * 60_000, 1), 200 - (65535 - 65534 + 1));
});

test('LFU: increments are logarithmic and saturate at 255', () => {
  assert.equal(lfuLogIncr(255, 10, () => 0), 255);
  assert.equal(lfuLogIncr(3, 10, () => 0.99), 4, 'below LFU_INIT_VAL the increment is certain');
  // counter 15: p = 1 / (10 * 10 + 1)
  assert.equal(lfuLogIncr(15, 10, () => 1 / 101 - 1e-9), 16);
  assert.equal(lfuLogIncr(15, 10, () => 1 / 101 + 1e-9), 15);
  const now = 1_700_000_000_000;
  let meta = lfuInitial(now);
  for (let i = 0; i < 1000; i++) meta = lfuTouch(meta, now, { logFactor: 10, decayTime: 1 });
  const counter = meta & 0xff;
  assert.ok(counter > LFU_INIT_VAL && counter < 40, `1000 hits give a small logarithmic counter, got ${counter}`);
  assert.ok(isLfuPolicy('allkeys-lfu') && isLfuPolicy('volatile-lfu') && !isLfuPolicy('allkeys-lru'));
});

test('liblzf-exact compression always decompresses to the input and respects the size limit', () => {
  let seed = 99;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let compressed = 0;
  for (let i = 0; i < 500; i++) {
    const len = 21 + rand(i < 400 ? 300 : 20000);
    const alphabet = [2, 3, 5, 26, 256][rand(5)];
    const input = Buffer.alloc(len);
    for (let j = 0; j < len; j++) input[j] = alphabet === 256 ? rand(256) : 97 + rand(alphabet);
    const out = liblzfCompress(input, len - 4);
    if (out === null) continue;
    compressed++;
    assert.ok(out.length <= len - 4);
    assert.deepEqual(lzfDecompress(out, len), input);
  }
  assert.ok(compressed > 250, `most low-entropy inputs compress (${compressed})`);
});
