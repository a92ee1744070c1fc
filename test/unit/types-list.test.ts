import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ListObject, listpackEntryBytes, setQuicklistPackedThreshold } from '../../src/types/list';
import { DEFAULT_LIMITS, TypeLimits, withLimits } from '../../src/types/limits';
import { normalizeIndexRange } from '../../src/types/ranges';
import { seededRandom as prng } from '../helpers';

function lim(size: number): TypeLimits {
  return withLimits({ listMaxListpackSize: size });
}

/** rpush one element at a time, as the Valkey tests' create_listpack / create_quicklist do. */
function build(items: string[], limits: TypeLimits): ListObject {
  const l = new ListObject();
  for (const v of items) l.pushValues([v], 0, false, limits);
  return l;
}

/** Structural invariants: no empty node, exact byte sizes, plain nodes hold one element. */
function checkNodes(l: ListObject): void {
  const info = l.nodeInfo();
  let total = 0;
  const items = l.toArray();
  let at = 0;
  for (const n of info) {
    if (l.encoding() === 'quicklist') assert.ok(n.count > 0, 'empty quicklist node');
    const mine = items.slice(at, at + n.count);
    at += n.count;
    total += n.count;
    if (n.plain) {
      assert.equal(n.count, 1);
      assert.equal(n.bytes, mine[0].length);
    } else {
      assert.equal(n.bytes, 7 + mine.reduce((s, v) => s + listpackEntryBytes(v), 0), 'node byte size drifted');
    }
  }
  assert.equal(total, l.length);
  if (l.encoding() === 'listpack') assert.equal(info.length, 1);
}

describe('listpack entry sizes (Valkey listpack encoding)', () => {
  test('integers and strings', () => {
    assert.equal(listpackEntryBytes('0'), 2); // 7-bit uint + backlen
    assert.equal(listpackEntryBytes('127'), 2);
    assert.equal(listpackEntryBytes('128'), 3); // 13-bit int
    assert.equal(listpackEntryBytes('-4096'), 3);
    assert.equal(listpackEntryBytes('32767'), 4); // 16-bit
    assert.equal(listpackEntryBytes('8388607'), 5); // 24-bit
    assert.equal(listpackEntryBytes('2147483647'), 6); // 32-bit
    assert.equal(listpackEntryBytes('9223372036854775807'), 10); // 64-bit
    assert.equal(listpackEntryBytes('9223372036854775808'), 1 + 19 + 1); // not an int64: string
    assert.equal(listpackEntryBytes('007'), 1 + 3 + 1); // leading zero: string
    assert.equal(listpackEntryBytes('-0'), 1 + 2 + 1);
    assert.equal(listpackEntryBytes(''), 2);
    assert.equal(listpackEntryBytes('x'.repeat(63)), 1 + 63 + 1);
    assert.equal(listpackEntryBytes('x'.repeat(64)), 2 + 64 + 1);
    assert.equal(listpackEntryBytes('x'.repeat(200)), 2 + 200 + 2);
    assert.equal(listpackEntryBytes('x'.repeat(5000)), 5 + 5000 + 2);
  });
});

describe('list encoding conversions (Valkey tests/unit/type/list.tcl)', () => {
  const large8k = 'x'.repeat(8192);

  for (const [size, large] of [
    [3, 'hello'],
    [-1, large8k],
  ] as const) {
    test(`listpack -> quicklist, list-max-listpack-size ${size}`, () => {
      const limits = lim(size);
      let l = build(['a', 'b', 'c'], limits);
      assert.equal(l.encoding(), 'listpack');
      l.pushValues([large], 0, false, limits);
      assert.equal(l.encoding(), 'quicklist');

      l = build(['a', 'b', 'c'], limits);
      assert.ok(l.linsert('b', large, true, limits));
      assert.equal(l.encoding(), 'quicklist');
      assert.deepEqual(l.toArray(), ['a', 'b', large, 'c']);

      l = build(['a', 'b', 'c'], limits);
      assert.ok(l.lset(0, large, limits));
      assert.equal(l.encoding(), 'quicklist');

      const src = build(['a', 'b', 'c', large], limits);
      assert.equal(src.encoding(), 'quicklist');
      const dst = build(['d', 'e', 'f'], limits);
      const v = src.pop(false) as string;
      dst.pushOne(v, false, limits);
      src.tryConvertAfterShrink(limits);
      assert.equal(dst.encoding(), 'quicklist');
      assert.deepEqual(dst.toArray(), ['d', 'e', 'f', large]);
    });
  }

  test('quicklist -> listpack when shrinking', () => {
    let limits = lim(3);
    let l = build(['a', 'b', 'c', 'd'], limits);
    assert.equal(l.encoding(), 'quicklist');
    assert.deepEqual(l.popMany(false, 3, limits), ['d', 'c', 'b']);
    assert.equal(l.encoding(), 'listpack');

    l = build(['a', 'a', 'a', 'd'], limits);
    assert.equal(l.lrem('a', 3, limits), 3);
    assert.equal(l.encoding(), 'listpack');

    l = build(['a', 'b', 'c', 'd'], limits);
    assert.equal(l.ltrim(1, 1, limits), 3);
    assert.deepEqual(l.toArray(), ['b']);
    assert.equal(l.encoding(), 'listpack');

    limits = lim(-1);
    l = build(['a', 'b', 'c', large8k], limits);
    assert.equal(l.encoding(), 'quicklist');
    l.popMany(false, 1, limits);
    assert.equal(l.encoding(), 'listpack');

    l = build(['a', large8k], limits);
    assert.equal(l.lrem(large8k, 1, limits), 1);
    assert.equal(l.encoding(), 'listpack');

    l = build(['a', 'b', large8k], limits);
    l.ltrim(0, 1, limits);
    assert.equal(l.encoding(), 'listpack');

    l = build([large8k, 'a', 'b'], limits);
    l.popMany(false, 2, limits);
    assert.equal(l.encoding(), 'quicklist'); // one node left, but a plain one
    assert.ok(l.lset(-1, 'c', limits));
    assert.equal(l.encoding(), 'listpack');
    assert.deepEqual(l.toArray(), ['c']);
  });

  test('no conversion back until below half the limits', () => {
    const limits = lim(4);
    const l = build(['a', 'b', 'c', 'd', 'e'], limits);
    assert.deepEqual(l.nodeInfo().map((n) => n.count), [4, 1]);
    l.pop(false);
    l.tryConvertAfterShrink(limits);
    assert.equal(l.encoding(), 'quicklist'); // one node of 4 > 4/2
    l.popOne(true, limits);
    assert.equal(l.encoding(), 'quicklist'); // 3 > 2
    l.popOne(true, limits);
    assert.equal(l.encoding(), 'listpack'); // 2 <= 2
  });

  test('list-max-listpack-size 0 behaves as 1, below -5 as -5', () => {
    let limits = lim(0);
    const l = build(['a'], limits);
    assert.equal(l.encoding(), 'listpack');
    l.pushValues(['b'], 0, false, limits);
    assert.equal(l.encoding(), 'quicklist');

    limits = lim(-6);
    const m = build(['x'.repeat(60000)], limits);
    assert.equal(m.encoding(), 'listpack');
    m.pushValues(['x'.repeat(5536)], 0, false, limits);
    assert.equal(m.encoding(), 'quicklist');
  });

  test('RDB-style rebuild picks the encoding by the full limits', () => {
    const limits = lim(3);
    assert.equal(ListObject.fromNodes([{ items: ['a', 'b', 'c'], plain: false }], limits).encoding(), 'listpack');
    const two = ListObject.fromNodes(
      [
        { items: ['a', 'b', 'c'], plain: false },
        { items: ['d'], plain: false },
      ],
      limits,
    );
    assert.equal(two.encoding(), 'quicklist');
    assert.deepEqual(two.toArray(), ['a', 'b', 'c', 'd']);
    assert.equal(ListObject.from(['a', 'b', 'c'], limits).encoding(), 'listpack');
    assert.equal(ListObject.from(['a', 'b', 'c', 'd'], limits).encoding(), 'quicklist');
  });

  test('node layout: Valkey adds 8 bytes to its estimate before filling a node', () => {
    // 1019-byte strings take 1023 listpack bytes. The listpack check has no slack, so four fit
    // (4099 > 4096 only once the fourth is in); a quicklist node estimates +8 and takes three.
    const limits = lim(-1);
    const l = new ListObject();
    for (let i = 0; i < 4; i++) l.pushValues(['y'.repeat(1019)], 0, false, limits);
    assert.equal(l.encoding(), 'listpack');
    for (let i = 0; i < 4; i++) l.pushValues(['y'.repeat(1019)], 0, false, limits);
    assert.deepEqual(
      l.nodeInfo().map((n) => n.count),
      [4, 3, 1],
    );
  });

  test('node layout: LINSERT splits a full node and merges the pieces', () => {
    const limits = lim(5);
    const l = new ListObject();
    for (const v of ['e', 'd', 'c', 'b', 'a', 'p']) l.pushValues([v], 0, true, limits);
    assert.deepEqual(
      l.nodeInfo().map((n) => n.count),
      [1, 5],
    );
    assert.ok(l.linsert('b', 'x', false, limits));
    // split [a | b c d e], x appended to [a], then [p] merges with [a x]
    assert.deepEqual(
      l.nodeInfo().map((n) => n.count),
      [3, 4],
    );
    assert.deepEqual(l.toArray(), ['p', 'a', 'x', 'b', 'c', 'd', 'e']);
    assert.ok(l.linsert('e', 'y', true, limits)); // room in the node
    assert.ok(l.linsert('y', 'w', true, limits)); // at the tail of a full last node: new node
    assert.deepEqual(
      l.nodeInfo().map((n) => n.count),
      [3, 5, 1],
    );
    assert.ok(l.linsert('p', 'z', false, limits)); // at the head, room in the same node
    assert.deepEqual(
      l.nodeInfo().map((n) => n.count),
      [4, 5, 1],
    );
    assert.deepEqual(l.toArray(), ['z', 'p', 'a', 'x', 'b', 'c', 'd', 'e', 'y', 'w']);
  });

  test('default limits: 8 KB listpack', () => {
    const l = new ListObject();
    for (let i = 0; i < 100; i++) l.pushValues(['v' + i], 0, false, DEFAULT_LIMITS);
    assert.equal(l.encoding(), 'listpack');
    l.pushValues(['x'.repeat(8192)], 0, false, DEFAULT_LIMITS);
    assert.equal(l.encoding(), 'quicklist');
  });
});

describe('plain nodes (DEBUG QUICKLIST-PACKED-THRESHOLD)', () => {
  test('LSET packed/plain combinations and split in the middle', () => {
    try {
      setQuicklistPackedThreshold(5);
      const limits = lim(4);
      const l = build(['aa', 'bb', 'cc', 'dd', 'ee'], limits);
      assert.equal(l.encoding(), 'quicklist');
      assert.ok(l.lset(2, 'e'.repeat(10), limits));
      checkNodes(l);
      assert.deepEqual(
        l.nodeInfo().map((n) => [n.count, n.plain]),
        [
          [2, false],
          [1, true],
          [2, false],
        ],
      );
      assert.deepEqual(l.toArray(), ['aa', 'bb', 'e'.repeat(10), 'dd', 'ee']);

      const m = build(['aa', 'bb'], lim(1));
      for (const v of ['d'.repeat(50), 'e'.repeat(50), 'bb', 'cc']) {
        assert.ok(m.lset(0, v, lim(1)));
        checkNodes(m);
        assert.equal(m.index(0), v);
      }
    } finally {
      setQuicklistPackedThreshold(0);
    }
  });

  for (const [size, enc] of [
    [-2, 'listpack'],
    [1, 'quicklist'],
  ] as const) {
    test(`LSET of the last element with a large one (${enc})`, () => {
      try {
        setQuicklistPackedThreshold(100);
        const limits = lim(size);
        const small = 'x'.repeat(32);
        const big = 'x'.repeat(100);
        const l = build([big, small, small], limits);
        assert.equal(l.encoding(), enc);
        assert.ok(l.lset(-1, big, limits));
        checkNodes(l);
        assert.deepEqual(l.toArray(), [big, small, big]);
      } finally {
        setQuicklistPackedThreshold(0);
      }
    });
  }

  test('elements above the node limit get their own node', () => {
    const limits = lim(-2);
    const l = build(['a', 'x'.repeat(9000), 'b', 'c'], limits);
    assert.deepEqual(
      l.nodeInfo().map((n) => [n.count, n.plain]),
      [
        [1, false],
        [1, true],
        [2, false],
      ],
    );
  });
});

describe('randomized against an array model', () => {
  const configs: [string, TypeLimits, number][] = [
    ['count 3', lim(3), 0],
    ['count 1', lim(1), 0],
    ['count 7', lim(7), 0],
    ['bytes -1', lim(-1), 0],
    ['bytes -2 default', DEFAULT_LIMITS, 0],
    ['count 5, plain threshold 12', lim(5), 12],
  ];

  for (const [name, limits, threshold] of configs) {
    test(name, () => {
      const seed = (Math.random() * 2 ** 31) | 0;
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const value = (): string => {
        const r = rnd();
        if (r < 0.3) return String(int(20));
        if (r < 0.5) return String(int(100000) - 50000);
        if (r < 0.8) return 'v' + int(30);
        if (r < 0.95) return 'w'.repeat(int(60));
        return 'L'.repeat(500 + int(5000));
      };
      setQuicklistPackedThreshold(threshold);
      try {
        let list = new ListObject();
        let model: string[] = [];
        for (let step = 0; step < 3000; step++) {
          const op = int(14);
          const ctx = `seed ${seed} step ${step} op ${op}`;
          const len = model.length;
          switch (op) {
            case 0:
            case 1: {
              const vals = Array.from({ length: 1 + int(4) }, value);
              const head = op === 0;
              list.pushValues(vals, 0, head, limits);
              for (const v of vals) {
                if (head) model.unshift(v);
                else model.push(v);
              }
              break;
            }
            case 2: {
              const head = rnd() < 0.5;
              assert.equal(list.popOne(head, limits), head ? model.shift() : model.pop(), ctx);
              break;
            }
            case 3: {
              const head = rnd() < 0.5;
              const n = 1 + int(5);
              const expect = head ? model.splice(0, n) : model.splice(Math.max(0, len - n)).reverse();
              assert.deepEqual(list.popMany(head, n, limits), expect, ctx);
              break;
            }
            case 4: {
              const i = int(len + 4) - 2 - (rnd() < 0.3 ? len : 0);
              const j = i < 0 ? i + len : i;
              assert.equal(list.index(i), j >= 0 && j < len ? model[j] : undefined, ctx);
              break;
            }
            case 5: {
              const i = int(len + 2) - 1;
              const v = value();
              const ok = list.lset(i, v, limits);
              const j = i < 0 ? i + len : i;
              assert.equal(ok, j >= 0 && j < len, ctx);
              if (ok) model[j] = v;
              break;
            }
            case 6: {
              const pivot = len > 0 && rnd() < 0.8 ? model[int(len)] : value();
              const v = value();
              const after = rnd() < 0.5;
              const at = model.indexOf(pivot);
              assert.equal(list.linsert(pivot, v, after, limits), at >= 0, ctx);
              if (at >= 0) model.splice(after ? at + 1 : at, 0, v);
              break;
            }
            case 7: {
              const target = len > 0 && rnd() < 0.8 ? model[int(len)] : value();
              const count = int(5) - 2;
              let removed = 0;
              if (count >= 0) {
                model = model.filter((v) => {
                  if (v === target && (count === 0 || removed < count)) {
                    removed++;
                    return false;
                  }
                  return true;
                });
              } else {
                const rev = model.slice().reverse().filter((v) => {
                  if (v === target && removed < -count) {
                    removed++;
                    return false;
                  }
                  return true;
                });
                model = rev.reverse();
              }
              assert.equal(list.lrem(target, count, limits), removed, ctx);
              break;
            }
            case 8: {
              const start = int(len + 4) - 2;
              const stop = int(len + 4) - 2;
              const r = normalizeIndexRange(start, stop, len);
              const expect = r === null ? [] : model.slice(r[0], r[1] + 1);
              assert.equal(list.ltrim(start, stop, limits), len - expect.length, ctx);
              model = expect;
              break;
            }
            case 9: {
              const start = int(len + 6) - 3;
              const stop = int(len + 6) - 3;
              const r = normalizeIndexRange(start, stop, len);
              assert.deepEqual(r === null ? [] : list.range(r[0], r[1]), r === null ? [] : model.slice(r[0], r[1] + 1), ctx);
              if (r !== null) {
                assert.deepEqual(list.range(r[0], r[1], true), model.slice(r[0], r[1] + 1).reverse(), ctx);
              }
              break;
            }
            case 10: {
              const target = len > 0 && rnd() < 0.7 ? model[int(len)] : value();
              const rank = (int(3) + 1) * (rnd() < 0.5 ? 1 : -1);
              const num = int(3);
              const maxlen = int(3) === 0 ? 0 : int(len + 2);
              const expect: number[] = [];
              const order = rank > 0 ? model.map((_, i) => i) : model.map((_, i) => len - 1 - i);
              let matches = 0;
              for (let k = 0; k < order.length && (maxlen === 0 || k < maxlen); k++) {
                if (model[order[k]] !== target) continue;
                matches++;
                if (matches >= Math.abs(rank)) {
                  expect.push(order[k]);
                  if (num !== 0 && expect.length >= num) break;
                }
              }
              assert.deepEqual(list.positions(target, rank, num, maxlen), expect, ctx);
              break;
            }
            case 11: {
              const c = list.clone();
              assert.deepEqual(c.toArray(), model, ctx);
              assert.equal(c.encoding(), list.encoding(), ctx);
              list = c;
              break;
            }
            case 12: {
              const start = int(len + 4) - 2;
              const count = int(6);
              const s = start < 0 ? start + len : start;
              let expect = 0;
              if (count > 0 && s >= 0 && s < len) {
                expect = start >= 0 ? Math.min(count, len - s) : Math.min(count, -start);
                model.splice(s, expect);
              }
              assert.equal(list.deleteRange(start, count), expect, ctx);
              list.tryConvertAfterShrink(limits);
              break;
            }
            default: {
              if (len > 200) {
                list.ltrim(0, 50, limits);
                model = model.slice(0, 51);
              }
            }
          }
          assert.equal(list.length, model.length, ctx);
          if (step % 10 === 0 || list.length < 20) {
            assert.deepEqual(list.toArray(), model, ctx);
            checkNodes(list);
          }
          if (model.length === 0) {
            list = new ListObject();
          }
        }
      } finally {
        setQuicklistPackedThreshold(0);
      }
    });
  }
});
