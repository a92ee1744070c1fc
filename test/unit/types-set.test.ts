import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SetObject } from '../../src/types/set';
import { DEFAULT_LIMITS, TypeLimits, withLimits } from '../../src/types/limits';
import { seededRandom as prng } from '../helpers';

const SMALL: TypeLimits = withLimits({ setMaxIntsetEntries: 20, setMaxListpackEntries: 8, setMaxListpackValue: 10 });

function sadd(s: SetObject, limits: TypeLimits, ...members: string[]): number {
  s.maybeConvert(members.length, limits);
  let added = 0;
  for (const m of members) if (s.add(m, limits)) added++;
  return added;
}

function create(limits: TypeLimits, ...members: string[]): SetObject {
  const s = SetObject.create(members[0], members.length, limits);
  sadd(s, limits, ...members);
  return s;
}

describe('set encodings', () => {
  test('intset while all members are integers, sorted', () => {
    const s = create(DEFAULT_LIMITS, '5', '-3', '100', '0', '-32768', '32767');
    assert.equal(s.encoding(), 'intset');
    assert.deepEqual(s.members(), ['-32768', '-3', '0', '5', '100', '32767']);
    // widening to 32 and 64 bits keeps order
    sadd(s, DEFAULT_LIMITS, '40000', '-2147483649', '9223372036854775807', '-9223372036854775808', '9007199254740993');
    assert.equal(s.encoding(), 'intset');
    assert.deepEqual(s.members(), [
      '-9223372036854775808',
      '-2147483649',
      '-32768',
      '-3',
      '0',
      '5',
      '100',
      '32767',
      '40000',
      '9007199254740993',
      '9223372036854775807',
    ]);
    assert.ok(s.has('9007199254740993'));
    assert.ok(!s.has('9007199254740992'));
    assert.ok(s.has('-9223372036854775808'));
    assert.ok(!s.has('9223372036854775808')); // out of int64: not an integer member
    assert.ok(s.remove('9223372036854775807'));
    assert.ok(!s.has('9223372036854775807'));
  });

  test('non-canonical integers are strings (string2ll rules)', () => {
    for (const m of ['007', '+1', ' 1', '1 ', '-0', '1.0', '9223372036854775808', '']) {
      const s = create(DEFAULT_LIMITS, '1', m);
      assert.equal(s.encoding(), 'listpack', `member ${JSON.stringify(m)}`);
      assert.ok(s.has(m));
      assert.ok(s.has('1'));
    }
  });

  test('intset -> listpack -> hashtable thresholds', () => {
    const s = create(SMALL, '1', '2', '3');
    assert.equal(s.encoding(), 'intset');
    sadd(s, SMALL, 'abc');
    assert.equal(s.encoding(), 'listpack');
    assert.deepEqual(s.members(), ['1', '2', '3', 'abc']);
    sadd(s, SMALL, 'd', 'e', 'f', 'g');
    assert.equal(s.encoding(), 'listpack');
    sadd(s, SMALL, 'h');
    assert.equal(s.encoding(), 'hashtable');

    const big = create(SMALL, '1');
    for (let i = 2; i <= 8; i++) sadd(big, SMALL, String(i));
    sadd(big, SMALL, 'x'); // an intset of 8 cannot become a listpack of 9
    assert.equal(big.encoding(), 'hashtable');

    const wide = create(SMALL, '12345678901');
    sadd(wide, SMALL, 'a'); // an 11-digit integer exceeds set-max-listpack-value 10
    assert.equal(wide.encoding(), 'hashtable');

    const long = create(SMALL, 'a');
    sadd(long, SMALL, 'x'.repeat(11));
    assert.equal(long.encoding(), 'hashtable');
  });

  test('intset holds at most set-max-intset-entries', () => {
    const s = create(SMALL, '0');
    for (let i = 1; i < 20; i++) sadd(s, SMALL, String(i));
    assert.equal(s.encoding(), 'intset');
    sadd(s, SMALL, '20');
    assert.equal(s.encoding(), 'hashtable');
  });

  test('create / maybeConvert use the size hint', () => {
    assert.equal(SetObject.create('1', 20, SMALL).encoding(), 'intset');
    assert.equal(SetObject.create('1', 21, SMALL).encoding(), 'hashtable');
    assert.equal(SetObject.create('a', 8, SMALL).encoding(), 'listpack');
    assert.equal(SetObject.create('a', 9, SMALL).encoding(), 'hashtable');
    const s = create(SMALL, 'a');
    s.maybeConvert(9, SMALL);
    assert.equal(s.encoding(), 'hashtable');
  });

  test('removing never converts back; SINTERSTORE-style intset conversion', () => {
    const s = create(SMALL, 'a', '1', '2');
    s.remove('a');
    assert.equal(s.encoding(), 'listpack');
    s.convertToIntsetIfPossible(SMALL);
    assert.equal(s.encoding(), 'intset');
    assert.deepEqual(s.members(), ['1', '2']);
    const t = create(SMALL, 'a', 'b');
    t.convertToIntsetIfPossible(SMALL);
    assert.equal(t.encoding(), 'listpack');
  });
});

describe('SPOP with count', () => {
  test('everything when count >= size', () => {
    const s = create(SMALL, 'a', 'b', 'c');
    assert.deepEqual(s.popMany(5, SMALL).sort(), ['a', 'b', 'c']);
    assert.equal(s.length, 0);
  });

  for (const [name, members] of [
    ['intset', Array.from({ length: 20 }, (_, i) => String(i))],
    ['listpack', 'abcdefgh'.split('')],
    ['hashtable', Array.from({ length: 40 }, (_, i) => 'm' + i)],
  ] as const) {
    for (const count of [1, 3, members.length - 2, members.length - 1]) {
      test(`${name}: pop ${count} of ${members.length}`, () => {
        const s = create(SMALL, ...members);
        assert.equal(s.encoding(), name);
        const popped = s.popMany(count, SMALL);
        assert.equal(popped.length, count);
        assert.equal(new Set(popped).size, count);
        const rest = s.members();
        assert.equal(rest.length, members.length - count);
        assert.deepEqual([...popped, ...rest].sort(), [...members].sort());
      });
    }
  }

  test('a hashtable set popped down to a few members is rebuilt smaller, as Valkey does', () => {
    const s = create(SMALL, ...Array.from({ length: 40 }, (_, i) => 'm' + i));
    s.popMany(38, SMALL);
    assert.equal(s.encoding(), 'listpack');
    const n = create(DEFAULT_LIMITS, ...Array.from({ length: 600 }, (_, i) => String(i)));
    assert.equal(n.encoding(), 'hashtable');
    n.popMany(590, DEFAULT_LIMITS);
    assert.equal(n.encoding(), 'listpack'); // members came out of a hashtable as strings
  });
});

describe('sampling and scans', () => {
  for (const [name, members] of [
    ['intset', ['1', '2', '3', '4', '5', '6']],
    ['listpack', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['hashtable', ['a', 'b', 'c', 'd', 'e', 'x'.repeat(20)]],
  ] as const) {
    test(`random members (${name})`, () => {
      const s = create(SMALL, ...members);
      assert.equal(s.encoding(), name);
      const u = s.randomMembersUnique(4);
      assert.equal(u.length, 4);
      assert.equal(new Set(u).size, 4);
      for (const m of u) assert.ok((members as readonly string[]).includes(m));
      const r = s.randomMembersWithRepeats(60);
      assert.equal(r.length, 60);
      assert.ok(new Set(r).size >= 4);
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const m = s.randomMember() as string;
        counts.set(m, (counts.get(m) ?? 0) + 1);
      }
      assert.equal(counts.size, 6);
      for (const c of counts.values()) assert.ok(c > 300, 'random member is far from uniform');
    });
  }

  test('small encodings scan whole with cursor 0; hashtable keeps the SCAN guarantee', () => {
    const small = create(SMALL, '1', '2');
    const got: string[] = [];
    assert.equal(small.scan(99, 1, (m) => got.push(m)), 0);
    assert.deepEqual(got, ['1', '2']);

    const s = create(SMALL, ...Array.from({ length: 200 }, (_, i) => 'm' + i));
    const seen = new Set<string>();
    let cursor = 0;
    let n = 0;
    do {
      cursor = s.scan(cursor, 7, (m) => seen.add(m));
      s.remove('m' + (2 * n + 1)); // odd members may go
      s.add('new' + n++, SMALL);
    } while (cursor !== 0);
    for (let i = 0; i < 200; i += 2) assert.ok(seen.has('m' + i), `missed m${i}`);
  });
});

describe('randomized against a Set model', () => {
  for (const limits of [SMALL, DEFAULT_LIMITS, withLimits({ setMaxIntsetEntries: 5, setMaxListpackEntries: 3 })]) {
    test(`intset ${limits.setMaxIntsetEntries} / listpack ${limits.setMaxListpackEntries}`, () => {
      const seed = (Math.random() * 2 ** 31) | 0;
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const member = (): string => {
        const r = rnd();
        if (r < 0.5) return String(int(80) - 40);
        if (r < 0.6) return String(int(2 ** 40) * (rnd() < 0.5 ? -1 : 1));
        if (r < 0.65) return (rnd() < 0.5 ? '-' : '') + '92233720368547758' + int(10);
        if (r < 0.9) return 's' + int(40);
        return '\x00\xff'.repeat(int(8));
      };
      let s = SetObject.empty();
      let model = new Set<string>();
      let rank = 0; // intset 0 < listpack 1 < hashtable 2: only SPOP may lower it
      const rankOf = (e: string) => ['intset', 'listpack', 'hashtable'].indexOf(e);
      for (let step = 0; step < 4000; step++) {
        const ctx = `seed ${seed} step ${step}`;
        const op = int(8);
        let spop = false;
        if (op <= 2) {
          const m = member();
          assert.equal(s.add(m, limits), !model.has(m), ctx);
          model.add(m);
        } else if (op === 3) {
          const m = rnd() < 0.7 && model.size > 0 ? [...model][int(model.size)] : member();
          assert.equal(s.remove(m), model.delete(m), ctx);
        } else if (op === 4) {
          const m = member();
          assert.equal(s.has(m), model.has(m), ctx);
        } else if (op === 5) {
          const count = int(model.size + 2);
          const popped = s.popMany(count, limits);
          assert.equal(popped.length, Math.min(count, model.size), ctx);
          for (const m of popped) assert.ok(model.delete(m), `${ctx}: popped ${m}`);
          spop = true;
        } else if (op === 6) {
          const c = s.clone();
          assert.equal(c.encoding(), s.encoding(), ctx);
          s = c;
        } else if (model.size > 60 || model.size === 0) {
          s = SetObject.empty();
          model = new Set();
          rank = 0;
        }
        assert.equal(s.length, model.size, ctx);
        const r = rankOf(s.encoding());
        if (!spop && model.size > 0) assert.ok(r >= rank, `${ctx}: ${s.encoding()} converted back`);
        rank = r;
        if (s.encoding() === 'intset') {
          const ms = s.members().map(BigInt);
          for (let i = 1; i < ms.length; i++) assert.ok(ms[i - 1] < ms[i], `${ctx}: intset order`);
          assert.ok(ms.length <= limits.setMaxIntsetEntries || ms.length === 0, ctx);
        }
        if (s.encoding() === 'listpack') assert.ok(s.length <= limits.setMaxListpackEntries, ctx);
        if (step % 20 === 0) assert.deepEqual(new Set(s.members()), model, ctx);
      }
    });
  }
});
