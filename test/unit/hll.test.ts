// The HyperLogLog codec (src/types/hyperloglog.ts): hashing, dense registers, sparse opcodes,
// promotion, the estimator, merging and validation, checked against independent oracles written
// here (a BigInt MurmurHash64A, plain register arrays).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HEADER_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  HllRef,
  addElement,
  cachedCard,
  countHll,
  countRegisters,
  createHll,
  decodeSparse,
  denseCompress,
  denseGet,
  denseRegisters,
  denseSetRaw,
  elementPattern,
  encodingOf,
  estimate,
  isCacheValid,
  isValidHll,
  mergeInto,
  murmurHash64A,
  setCachedCard,
  sparseSet,
  sparseToDense,
} from '../../src/types/hyperloglog';
import { seededRandom as prng } from '../helpers';

const MASK64 = (1n << 64n) - 1n;

/** MurmurHash64A with BigInt arithmetic, straight from the algorithm's description. */
function murmurOracle(bytes: Buffer, seed: bigint): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const r = 47n;
  let h = (seed ^ ((BigInt(bytes.length) * m) & MASK64)) & MASK64;
  const blocks = bytes.length - (bytes.length % 8);
  for (let i = 0; i < blocks; i += 8) {
    let k = bytes.readBigUInt64LE(i);
    k = (k * m) & MASK64;
    k ^= k >> r;
    k = (k * m) & MASK64;
    h ^= k;
    h = (h * m) & MASK64;
  }
  const rest = bytes.length % 8;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(bytes[blocks + j]) << BigInt(8 * j);
    h = (h * m) & MASK64;
  }
  h ^= h >> r;
  h = (h * m) & MASK64;
  h ^= h >> r;
  return h;
}

function randomBytes(rnd: () => number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode((rnd() * 256) | 0);
  return s;
}

/** The registers of any valid HLL value, one number each. */
function registersOf(v: Buffer): number[] {
  const ref = new HllRef(v);
  assert.ok(sparseToDense(ref));
  return denseRegisters(ref.buf);
}

describe('hashing', () => {
  test('MurmurHash64A matches a BigInt implementation for every tail length', () => {
    const rnd = prng(7);
    for (let len = 0; len < 40; len++) {
      for (let n = 0; n < 20; n++) {
        const s = randomBytes(rnd, len);
        assert.equal(murmurHash64A(s), murmurOracle(Buffer.from(s, 'latin1'), 0xadc83b19n), JSON.stringify(s));
      }
    }
  });

  test('the pattern is the register index and 1 + the zero run above it', () => {
    const rnd = prng(11);
    for (let n = 0; n < 2000; n++) {
      const s = randomBytes(rnd, 1 + (n % 30));
      const h = murmurOracle(Buffer.from(s, 'latin1'), 0xadc83b19n);
      const rest = (h >> 14n) | (1n << 50n);
      let zeros = 0;
      while (((rest >> BigInt(zeros)) & 1n) === 0n) zeros++;
      const p = elementPattern(s);
      assert.equal(p & 0x3fff, Number(h & 0x3fffn));
      assert.equal(p >>> 14, zeros + 1);
    }
  });
});

describe('dense registers', () => {
  test('set and get every register without disturbing neighbours', () => {
    const rnd = prng(3);
    const v = new Uint8Array(HLL_DENSE_SIZE);
    const expect = new Array<number>(HLL_REGISTERS).fill(0);
    for (let round = 0; round < 3; round++) {
      for (let r = 0; r < HLL_REGISTERS; r++) {
        expect[r] = (rnd() * 64) | 0;
        denseSetRaw(v, HLL_HEADER_SIZE, r, expect[r]);
      }
      for (let r = 0; r < HLL_REGISTERS; r++) assert.equal(denseGet(v, HLL_HEADER_SIZE, r), expect[r]);
    }
  });

  test('the layout is least significant bits first', () => {
    const v = new Uint8Array(HLL_DENSE_SIZE);
    denseSetRaw(v, HLL_HEADER_SIZE, 0, 0b111111);
    denseSetRaw(v, HLL_HEADER_SIZE, 1, 0b000011);
    assert.deepEqual([...v.subarray(16, 19)], [0b11111111, 0, 0]);
    denseSetRaw(v, HLL_HEADER_SIZE, 16383, 63);
    assert.equal(v[HLL_DENSE_SIZE - 1], 0b11111100);
  });
});

describe('sparse representation', () => {
  test('an empty HLL is one XZERO opcode and counts 0', () => {
    const v = createHll();
    assert.equal(v.length, 18);
    assert.equal(v.toString('latin1', 0, 4), 'HYLL');
    assert.equal(encodingOf(v), HLL_SPARSE);
    assert.equal(decodeSparse(v), 'Z:16384');
    assert.equal(countHll(v), 0);
  });

  test('splitting and merging opcodes keeps the registers right', () => {
    const rnd = prng(5);
    for (let trial = 0; trial < 200; trial++) {
      const ref = new HllRef(createHll());
      const expect = new Array<number>(HLL_REGISTERS).fill(0);
      const n = 1 + ((rnd() * 300) | 0);
      for (let i = 0; i < n; i++) {
        // Clustered registers exercise ZERO, VAL runs and their merging.
        const r = ((rnd() * 64) | 0) + (trial % 4) * 4000;
        const count = 1 + ((rnd() * 32) | 0);
        const changed = sparseSet(ref, r, count, 100000);
        assert.equal(changed, count > expect[r] ? 1 : 0);
        if (count > expect[r]) expect[r] = count;
      }
      assert.equal(encodingOf(ref.buf), HLL_SPARSE);
      assert.deepEqual(registersOf(ref.buf), expect);
      // No two adjacent VAL opcodes with the same value and room to merge, in the touched area.
      assert.doesNotMatch(decodeSparse(ref.buf), /v:(\d+),1 v:\1,1 v:\1,1 v:\1,1 v:\1,1/);
    }
  });

  test('a count above 32 promotes to dense', () => {
    const ref = new HllRef(createHll());
    assert.equal(sparseSet(ref, 100, 5, 3000), 1);
    assert.equal(sparseSet(ref, 200, 33, 3000), 1);
    assert.equal(encodingOf(ref.buf), HLL_DENSE);
    assert.equal(ref.buf.length, HLL_DENSE_SIZE);
    assert.equal(denseGet(ref.buf, HLL_HEADER_SIZE, 100), 5);
    assert.equal(denseGet(ref.buf, HLL_HEADER_SIZE, 200), 33);
  });

  test('growing past the size limit promotes to dense', () => {
    const ref = new HllRef(createHll());
    let i = 0;
    while (encodingOf(ref.buf) === HLL_SPARSE) {
      const before = ref.buf.length;
      addElement(ref, `e${i++}`, 100);
      if (encodingOf(ref.buf) === HLL_SPARSE) assert.ok(ref.buf.length <= 100, `length ${ref.buf.length} after ${before}`);
    }
    assert.ok(i > 5 && i < 60, `promoted after ${i} elements`);
  });

  test('corrupted opcodes are detected by every reader', () => {
    const bad = Buffer.concat([createHll().subarray(0, 16), Buffer.from([0x7f, 0xff, 0x80])]); // 16385 registers
    assert.equal(countHll(bad), null);
    assert.equal(mergeInto(new Uint8Array(HLL_REGISTERS), bad), false);
    assert.equal(sparseToDense(new HllRef(bad)), false);
    const short = Buffer.concat([createHll().subarray(0, 16), Buffer.from([0x7f, 0xfe])]); // 16383 registers
    assert.equal(countHll(short), null);
    // Setting a register past the covered ones is an error; one inside still works.
    assert.equal(sparseSet(new HllRef(Buffer.from(short)), 16383, 3, 3000), -1);
    assert.equal(sparseSet(new HllRef(Buffer.from(short)), 5, 3, 3000), 1);
  });
});

describe('estimates and merging', () => {
  test('small sets are counted exactly and the sparse and dense forms agree', () => {
    for (const n of [1, 5, 10, 100, 1000]) {
      const sparse = new HllRef(createHll());
      const dense = new HllRef(createHll());
      assert.ok(sparseToDense(dense));
      for (let i = 0; i < n; i++) {
        addElement(sparse, `m:${i}`, 1 << 30);
        addElement(dense, `m:${i}`, 1 << 30);
      }
      assert.equal(encodingOf(sparse.buf), HLL_SPARSE);
      const card = countHll(sparse.buf) as number;
      assert.equal(countHll(dense.buf), card);
      if (n <= 100) assert.equal(card, n);
      else assert.ok(Math.abs(card - n) < n * 0.05, `${card} for ${n}`);
    }
  });

  test('merging gives the union and compresses back to the same registers', () => {
    const a = new HllRef(createHll());
    const b = new HllRef(createHll());
    for (let i = 0; i < 3000; i++) addElement(a, `a${i}`, 3000);
    for (let i = 0; i < 50; i++) addElement(b, `b${i}`, 3000);
    const max = new Uint8Array(HLL_REGISTERS);
    assert.ok(mergeInto(max, a.buf));
    assert.ok(mergeInto(max, b.buf));
    const ra = registersOf(a.buf);
    const rb = registersOf(b.buf);
    for (let r = 0; r < HLL_REGISTERS; r++) assert.equal(max[r], Math.max(ra[r], rb[r]));
    const out = new HllRef(createHll());
    assert.ok(sparseToDense(out));
    denseCompress(out.buf, max);
    assert.deepEqual(registersOf(out.buf), [...max]);
    assert.equal(countHll(out.buf), countRegisters(max));
  });

  test('degenerate histograms give the values Valkey computes', () => {
    const hist = new Float64Array(64);
    hist[0] = HLL_REGISTERS;
    assert.equal(estimate(hist), 0);
    // Every register above 51: nothing is counted and llroundl overflows to 2^63.
    hist.fill(0);
    hist[60] = HLL_REGISTERS;
    assert.equal(estimate(hist), 1n << 63n);
  });

  test('the cached cardinality round-trips and its top bit means stale', () => {
    const v = createHll();
    assert.ok(isCacheValid(v));
    setCachedCard(v, 123456789012);
    assert.equal(cachedCard(v), 123456789012);
    setCachedCard(v, 1n << 62n);
    assert.equal(cachedCard(v), 1n << 62n);
    assert.ok(isCacheValid(v));
    setCachedCard(v, 1n << 63n);
    assert.ok(!isCacheValid(v));
  });
});

describe('validation', () => {
  test('header checks', () => {
    const sparse = createHll();
    const dense = new HllRef(createHll());
    sparseToDense(dense);
    assert.ok(isValidHll(sparse));
    assert.ok(isValidHll(sparse.toString('latin1')));
    assert.ok(isValidHll(dense.buf));
    assert.ok(!isValidHll(sparse.subarray(0, 15)));
    assert.ok(isValidHll(sparse.subarray(0, 16)), 'a sparse header alone passes the type check');
    assert.ok(!isValidHll(dense.buf.subarray(0, HLL_DENSE_SIZE - 1)));
    const wrongMagic = Buffer.from(sparse);
    wrongMagic[3] = 0x6c;
    assert.ok(!isValidHll(wrongMagic));
    const wrongEncoding = Buffer.from(sparse);
    wrongEncoding[4] = 2;
    assert.ok(!isValidHll(wrongEncoding));
    assert.ok(!isValidHll('HYLL'));
  });
});
