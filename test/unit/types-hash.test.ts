import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { HashObject, TTL_CLEAR, TTL_KEEP, EXPIRE_MISSING, EXPIRE_NONE } from '../../src/types/hash';
import { DEFAULT_LIMITS, TypeLimits, withLimits } from '../../src/types/limits';
import { seededRandom as prng } from '../helpers';

const SMALL: TypeLimits = withLimits({ hashMaxListpackEntries: 8, hashMaxListpackValue: 16 });

function pairsOf(h: HashObject, now = -1): Map<string, string> {
  const m = new Map<string, string>();
  h.forEach((f, v) => {
    assert.ok(!m.has(f), `duplicate field ${f}`);
    m.set(f, v);
  }, now);
  return m;
}

describe('hash encodings', () => {
  test('listpack until hash-max-listpack-entries, then hashtable for good', () => {
    const h = new HashObject();
    for (let i = 0; i < 8; i++) assert.equal(h.set('f' + i, 'v', SMALL), true);
    assert.equal(h.encoding(), 'listpack');
    assert.equal(h.set('f0', 'again', SMALL), false);
    assert.equal(h.encoding(), 'listpack');
    h.set('f8', 'v', SMALL);
    assert.equal(h.encoding(), 'hashtable');
    for (let i = 0; i < 9; i++) h.delete('f' + i);
    assert.equal(h.length, 0);
    assert.equal(h.encoding(), 'hashtable');
  });

  test('a field or value longer than hash-max-listpack-value converts', () => {
    const a = new HashObject();
    a.set('f', 'x'.repeat(16), SMALL);
    assert.equal(a.encoding(), 'listpack');
    a.set('g', 'x'.repeat(17), SMALL);
    assert.equal(a.encoding(), 'hashtable');
    assert.equal(a.get('f'), 'x'.repeat(16));
    const b = new HashObject();
    b.set('y'.repeat(17), 'v', SMALL);
    assert.equal(b.encoding(), 'hashtable');
  });

  test('tryConversion: too many pairs (even repeated) or a long argument', () => {
    const h = new HashObject();
    const args = ['HSET', 'k'];
    for (let i = 0; i < 9; i++) args.push('same', 'v');
    h.tryConversion(args, 2, args.length - 1, SMALL);
    assert.equal(h.encoding(), 'hashtable');
    const g = new HashObject();
    g.tryConversion(['f', 'v', 'g', 'x'.repeat(17)], 0, 3, SMALL);
    assert.equal(g.encoding(), 'hashtable');
    const k = new HashObject();
    k.tryConversion(['f', 'v', 'g', 'x'.repeat(16)], 0, 3, SMALL);
    assert.equal(k.encoding(), 'listpack');
  });

  test('default limits are Valkey 9.0 compiled defaults', () => {
    const h = new HashObject();
    for (let i = 0; i < 512; i++) h.set('field:' + i, 'value', DEFAULT_LIMITS);
    assert.equal(h.encoding(), 'listpack');
    h.set('field:512', 'value', DEFAULT_LIMITS);
    assert.equal(h.encoding(), 'hashtable');
  });

  test('binary-safe fields and values', () => {
    const h = new HashObject();
    const f = '\x00\xff\x80\n';
    const v = '\xff'.repeat(10) + '\x00';
    h.set(f, v, SMALL);
    h.set('\x00', '', SMALL);
    assert.equal(h.get(f), v);
    assert.equal(h.get('\x00'), '');
    assert.equal(h.get('\x00\xff\x80'), undefined);
    assert.equal(h.valueLength(f), 11);
  });
});

describe('hash field expiration shape', () => {
  test('the first TTL converts a listpack hash; it never converts back', () => {
    const h = new HashObject();
    h.set('a', '1', SMALL);
    h.set('b', '2', SMALL);
    assert.equal(h.fieldExpire('a'), EXPIRE_NONE);
    assert.equal(h.fieldExpire('zz'), EXPIRE_MISSING);
    assert.equal(h.setExpire('zz', 1000), false);
    assert.equal(h.encoding(), 'listpack');
    assert.equal(h.setExpire('a', 1000), true);
    assert.equal(h.encoding(), 'hashtable');
    assert.equal(h.fieldExpire('a'), 1000);
    assert.deepEqual(h.getWithExpiry('a'), { value: '1', expireAt: 1000 });
    assert.deepEqual(h.getWithExpiry('b'), { value: '2', expireAt: EXPIRE_NONE });
    assert.equal(h.persist('a'), true);
    assert.equal(h.persist('a'), false);
    assert.equal(h.volatileCount(), 0);
    assert.equal(h.encoding(), 'hashtable');
  });

  test('set with a TTL converts; TTL_CLEAR drops and TTL_KEEP keeps a TTL', () => {
    const h = new HashObject();
    h.set('a', '1', SMALL, 5000);
    assert.equal(h.encoding(), 'hashtable');
    assert.equal(h.fieldExpire('a'), 5000);
    h.set('a', '2', SMALL, TTL_KEEP);
    assert.equal(h.fieldExpire('a'), 5000);
    h.set('a', '3', SMALL, TTL_CLEAR);
    assert.equal(h.fieldExpire('a'), EXPIRE_NONE);
    h.set('b', '1', SMALL, TTL_KEEP);
    assert.equal(h.fieldExpire('b'), EXPIRE_NONE);
    h.setExpire('b', 7000);
    h.delete('b');
    h.set('b', 'again', SMALL);
    assert.equal(h.fieldExpire('b'), EXPIRE_NONE);
  });

  test('expired fields are hidden from readers given `now`, but counted by length', () => {
    const h = new HashObject();
    for (let i = 0; i < 5; i++) h.set('f' + i, 'v' + i, SMALL);
    h.setExpire('f1', 100);
    h.setExpire('f3', 300);
    const now = 200;
    assert.equal(h.length, 5);
    assert.equal(h.get('f1', now), undefined);
    assert.equal(h.get('f1'), 'v1'); // no `now`: loading / replication view
    assert.equal(h.has('f1', now), false);
    assert.equal(h.get('f3', now), 'v3');
    assert.equal(h.isExpired('f1', now), true);
    assert.equal(h.isExpired('f3', now), false);
    assert.equal(h.isExpired('f1', 100), false); // expired only when now > expireAt
    assert.deepEqual([...pairsOf(h, now).keys()].sort(), ['f0', 'f2', 'f3', 'f4']);
    const seen: string[] = [];
    let cursor = 0;
    do {
      cursor = h.scan(cursor, 2, (f) => seen.push(f), now);
    } while (cursor !== 0);
    assert.deepEqual(seen.sort(), ['f0', 'f2', 'f3', 'f4']);
    // popExpired deletes what it returns: work on copies (earliest TTL first).
    assert.deepEqual(h.clone().popExpired(now, 10), ['f1']);
    assert.deepEqual(h.clone().popExpired(1000, 10), ['f1', 'f3']);
    assert.deepEqual(h.clone().popExpired(1000, 1), ['f1']);
    assert.equal(h.minExpire(), 100);
    const withTtl: [string, number][] = [];
    h.forEachWithExpiry((f, _v, at) => withTtl.push([f, at]));
    assert.deepEqual(
      withTtl.sort(),
      [
        ['f0', EXPIRE_NONE],
        ['f1', 100],
        ['f2', EXPIRE_NONE],
        ['f3', 300],
        ['f4', EXPIRE_NONE],
      ],
    );
    for (let i = 0; i < 50; i++) {
      const r = h.randomField(now);
      assert.ok(r !== undefined && r[0] !== 'f1');
    }
    const all = new HashObject();
    all.set('x', '1', SMALL, 10);
    assert.equal(all.randomField(20), undefined);
    assert.deepEqual(all.randomPairsWithRepeats(5, 20), []);
  });

  test('clone copies TTLs independently', () => {
    const h = new HashObject();
    h.set('a', '1', SMALL, 100);
    const c = h.clone();
    c.persist('a');
    assert.equal(h.fieldExpire('a'), 100);
    assert.equal(c.fieldExpire('a'), EXPIRE_NONE);
  });
});

describe('hash sampling and scans', () => {
  for (const limits of [SMALL, withLimits({ hashMaxListpackEntries: 0 })]) {
    test(`random picks (${limits === SMALL ? 'listpack' : 'hashtable'})`, () => {
      const h = new HashObject();
      for (let i = 0; i < 6; i++) h.set('f' + i, 'v' + i, limits);
      const unique = h.randomPairsUnique(4);
      assert.equal(unique.length, 8);
      const fields = unique.filter((_, i) => i % 2 === 0);
      assert.equal(new Set(fields).size, 4);
      for (let i = 0; i < unique.length; i += 2) assert.equal(unique[i + 1], 'v' + unique[i].slice(1));
      const rep = h.randomPairsWithRepeats(50);
      assert.equal(rep.length, 100);
      const hit = new Set(rep.filter((_, i) => i % 2 === 0));
      assert.ok(hit.size >= 3, 'repeated picks should spread');
      assert.equal(h.randomPairsUnique(10).length, 12);
    });
  }

  test('listpack scan returns everything with cursor 0', () => {
    const h = new HashObject();
    for (let i = 0; i < 5; i++) h.set('f' + i, 'v', SMALL);
    const seen: string[] = [];
    assert.equal(h.scan(12345, 1, (f) => seen.push(f)), 0);
    assert.equal(seen.length, 5);
  });

  test('hashtable scan: every field present for the whole scan is returned, work bounded by COUNT', () => {
    for (let round = 0; round < 20; round++) {
      const rnd = prng(round);
      const h = new HashObject();
      for (let i = 0; i < 300; i++) h.set('f' + i, 'v', SMALL);
      const stable = new Set<string>();
      for (let i = 0; i < 300; i += 3) stable.add('f' + i);
      const seen = new Set<string>();
      let cursor = 0;
      let next = 1000;
      do {
        let visited = 0;
        cursor = h.scan(cursor, 10, (f) => {
          visited++;
          seen.add(f);
        });
        assert.ok(visited <= 10);
        // churn: delete and add fields that are not in the stable set
        for (let k = 0; k < 5; k++) {
          const i = Math.floor(rnd() * 300);
          if (i % 3 !== 0) h.delete('f' + i);
          h.set('n' + next++, 'v', SMALL);
        }
      } while (cursor !== 0);
      for (const f of stable) assert.ok(seen.has(f), `scan missed ${f}`);
    }
  });
});

describe('randomized against a Map model', () => {
  const configs: TypeLimits[] = [SMALL, withLimits({ hashMaxListpackEntries: 30, hashMaxListpackValue: 40 }), DEFAULT_LIMITS];
  for (const limits of configs) {
    test(`entries ${limits.hashMaxListpackEntries} / value ${limits.hashMaxListpackValue}`, () => {
      const seed = (Math.random() * 2 ** 31) | 0;
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const str = (): string => {
        const r = rnd();
        if (r < 0.6) return 'k' + int(60);
        if (r < 0.8) return String(int(1000));
        if (r < 0.95) return '\x00\xfe'.repeat(int(12));
        return 'L'.repeat(int(200));
      };
      let h = new HashObject();
      let model = new Map<string, string>();
      let wasHashtable = false;
      for (let step = 0; step < 4000; step++) {
        const ctx = `seed ${seed} step ${step}`;
        const op = int(8);
        if (op <= 2) {
          const f = str();
          const v = str();
          if (rnd() < 0.3) h.tryConversion([f, v], 0, 1, limits);
          assert.equal(h.set(f, v, limits), !model.has(f), ctx);
          model.set(f, v);
        } else if (op === 3) {
          const f = rnd() < 0.7 && model.size > 0 ? [...model.keys()][int(model.size)] : str();
          assert.equal(h.delete(f), model.delete(f), ctx);
        } else if (op === 4) {
          const f = str();
          assert.equal(h.get(f), model.get(f), ctx);
          assert.equal(h.has(f), model.has(f), ctx);
        } else if (op === 5) {
          if (model.size > 0) {
            const r = h.randomField() as [string, string];
            assert.equal(model.get(r[0]), r[1], ctx);
            const k = int(model.size + 2);
            const u = h.randomPairsUnique(k);
            assert.equal(u.length, 2 * Math.min(k, model.size), ctx);
          }
        } else if (op === 6) {
          const c = h.clone();
          assert.equal(c.encoding(), h.encoding(), ctx);
          h = c;
        } else if (model.size > 70) {
          h = new HashObject();
          model = new Map();
          wasHashtable = false;
        }
        assert.equal(h.length, model.size, ctx);
        if (wasHashtable) assert.equal(h.encoding(), 'hashtable', `${ctx}: converted back`);
        wasHashtable = h.encoding() === 'hashtable';
        if (h.encoding() === 'listpack') {
          assert.ok(h.length <= limits.hashMaxListpackEntries, ctx);
        }
        if (step % 25 === 0) assert.deepEqual(pairsOf(h), model, ctx);
      }
    });
  }
});
