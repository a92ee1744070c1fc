// The stream type on its own: 64-bit IDs and their parsing (Valkey's string2ull quirks), the
// listpack element codec, the PEL map, nodes (splitting, deltas, tombstones, trimming) and the
// node listpacks that RDB writes, checked against the listpack encoder of the other types.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseU64,
  parseStreamId,
  parseIntervalId,
  parseI64,
  idIncr,
  idDecr,
  addU64,
  deltaI64,
  cmpId,
  nextAutoId,
  writeIdAscii,
  u64AsI64,
  encodeIdBytes,
  decodeIdBytes,
  U64_MAX,
  type U64,
} from '../../src/types/streamId';
import { writeIntElem, writeStrElem, readElem, elem, readInt, intElemSize, elemSize, prevElem, skipElem } from '../../src/types/streamListpack';
import { IdMap } from '../../src/types/streamPel';
import { StreamObject, StreamIterator, nodeFromListpack, StreamFormatError, FLAG_SAMEFIELDS } from '../../src/types/stream';
import { decodeListpack, encodeListpack } from '../../src/persistence/rdb/listpack';
import { seededRandom as prng } from '../helpers';

const MAXSTR = '18446744073709551615';

describe('stream IDs', () => {
  test('string2ull: canonical, leading zeros, spaces, signs, overflow', () => {
    assert.equal(parseU64('0'), 0);
    assert.equal(parseU64('123'), 123);
    assert.equal(parseU64('007'), 7);
    assert.equal(parseU64(' 5'), 5);
    assert.equal(parseU64('+5'), 5);
    assert.equal(parseU64('-0'), 0);
    assert.equal(parseU64('-5'), null);
    assert.equal(parseU64(''), null);
    assert.equal(parseU64('5 '), null);
    assert.equal(parseU64('1e3'), null);
    assert.equal(parseU64(MAXSTR), U64_MAX);
    assert.equal(parseU64('18446744073709551616'), null);
    assert.equal(parseU64('9007199254740991'), 9007199254740991);
    assert.equal(parseU64('9007199254740992'), 9007199254740992n);
    // Negative beyond long long: strtoull negates modulo 2^64.
    assert.equal(parseU64('-9223372036854775809'), 9223372036854775807n);
    assert.equal(parseU64('-9223372036854775808'), null);
  });

  test('stream ID forms', () => {
    assert.deepEqual(parseStreamId('5', 0, true), { ms: 5, seq: 0, seqGiven: true });
    assert.deepEqual(parseStreamId('5', U64_MAX, true), { ms: 5, seq: U64_MAX, seqGiven: true });
    assert.deepEqual(parseStreamId('5-3', 0, true), { ms: 5, seq: 3, seqGiven: true });
    assert.deepEqual(parseStreamId('-', 0, false), { ms: 0, seq: 0, seqGiven: true });
    assert.deepEqual(parseStreamId('+', 0, false), { ms: U64_MAX, seq: U64_MAX, seqGiven: true });
    assert.equal(parseStreamId('-', 0, true), null);
    assert.equal(parseStreamId('+', 0, true), null);
    assert.equal(parseStreamId('5-*', 0, true), null);
    assert.deepEqual(parseStreamId('5-*', 0, true, true), { ms: 5, seq: 0, seqGiven: false });
    assert.equal(parseStreamId('5-3-1', 0, true), null);
    assert.equal(parseStreamId('a-1', 0, true), null);
    // A C string ends at NUL: "5\0-3" is "5".
    assert.deepEqual(parseStreamId('5\0-3', 7, true), { ms: 5, seq: 7, seqGiven: true });
    assert.deepEqual(parseStreamId('1--0', 0, true), { ms: 1, seq: 0, seqGiven: true });
    assert.equal(parseStreamId('1'.repeat(128), 0, true), null);
    assert.deepEqual(parseIntervalId('(5', 0), { id: { ms: 5, seq: 0, seqGiven: true }, exclusive: true });
    assert.equal(parseIntervalId('(-', 0), null);
    assert.deepEqual(parseIntervalId('(', 0), null);
  });

  test('increment and decrement wrap like streamIncrID / streamDecrID', () => {
    assert.deepEqual(idIncr({ ms: 1, seq: U64_MAX }), { ms: 2, seq: 0 });
    assert.equal(idIncr({ ms: U64_MAX, seq: U64_MAX }), null);
    assert.deepEqual(idDecr({ ms: 2, seq: 0 }), { ms: 1, seq: U64_MAX });
    assert.equal(idDecr({ ms: 0, seq: 0 }), null);
    assert.deepEqual(idIncr({ ms: 9007199254740991, seq: 5 }), { ms: 9007199254740991, seq: 6 });
    assert.deepEqual(idIncr({ ms: 0, seq: 9007199254740991 }), { ms: 0, seq: 9007199254740992n });
  });

  test('deltas wrap at 64 bits and rebuild the ID', () => {
    const cases: [U64, U64][] = [
      [5, 3],
      [3, 5],
      [U64_MAX, 0],
      [0, U64_MAX],
      [9007199254740992n, 9007199254740990],
    ];
    for (const [a, b] of cases) assert.equal(addU64(b, deltaI64(a, b)), a);
    assert.equal(deltaI64(U64_MAX, 0), -1);
    assert.equal(cmpId(1, 5, 1n << 60n, 0), -1);
    assert.equal(cmpId(U64_MAX, 0, U64_MAX, 0), 0);
  });

  test('auto IDs never go back', () => {
    assert.deepEqual(nextAutoId({ ms: 10, seq: 4 }, 20), { ms: 20, seq: 0 });
    assert.deepEqual(nextAutoId({ ms: 10, seq: 4 }, 5), { ms: 10, seq: 5 });
    assert.equal(nextAutoId({ ms: U64_MAX, seq: U64_MAX }, 5), null);
  });

  test('binary and text forms', () => {
    const b = Buffer.alloc(16);
    encodeIdBytes(U64_MAX, 258, b, 0);
    assert.equal(b.toString('hex'), 'ffffffffffffffff0000000000000102');
    assert.deepEqual(decodeIdBytes(b, 0), { ms: U64_MAX, seq: 258 });
    const out = Buffer.alloc(48);
    assert.equal(out.toString('latin1', 0, writeIdAscii(1700000000000, 12, out)), '1700000000000-12');
    assert.equal(writeIdAscii(U64_MAX, 1, out), -1);
    assert.equal(u64AsI64(U64_MAX), -1);
    assert.equal(parseI64('9223372036854775807'), 9223372036854775807n);
    assert.equal(parseI64('-1'), -1);
    assert.equal(parseI64('01'), null);
  });
});

describe('listpack elements', () => {
  test('integers and strings round-trip with the listpack encoder bytes', () => {
    const rnd = prng(3);
    const values: string[] = [];
    for (let i = 0; i < 500; i++) {
      const k = Math.floor(rnd() * 6);
      if (k === 0) values.push(String(Math.floor(rnd() * 256) - 128));
      else if (k === 1) values.push(String(Math.floor(rnd() * 2 ** 40) - 2 ** 39));
      else if (k === 2) values.push('x'.repeat(Math.floor(rnd() * 5000)));
      else if (k === 3) values.push('9223372036854775807');
      else if (k === 4) values.push('007');
      else values.push('v' + i);
    }
    const buf = Buffer.alloc(values.reduce((n, v) => n + elemSize(v), 0));
    let p = 0;
    for (const v of values) p = writeStrElem(buf, p, v);
    assert.equal(p, buf.length);
    // Same bytes as a whole listpack made by the shared encoder (header and end byte aside).
    assert.deepEqual(buf, encodeListpack(values).subarray(6, -1));
    // Forward and backward walks.
    const back: string[] = [];
    for (let end = buf.length; end > 0; ) {
      const start = prevElem(buf, end);
      readElem(buf, start);
      back.push(elem.isInt ? String(elem.int) : buf.latin1Slice(elem.start, elem.end));
      assert.equal(skipElem(buf, start), end);
      end = start;
    }
    assert.deepEqual(back.reverse(), values);
  });

  test('integer elements', () => {
    for (const v of [0, 127, 128, -1, -4096, 4095, 4096, -32768, 32767, 8388607, -8388608, 2147483647, -2147483648, 2 ** 40, -(2 ** 52), 9223372036854775807n]) {
      const b = Buffer.alloc(16);
      const end = writeIntElem(b, 0, v);
      assert.equal(end, intElemSize(v));
      assert.equal(readInt(b, 0), v);
    }
  });
});

describe('PEL map', () => {
  test('behaves as a sorted map under random operations', () => {
    const rnd = prng(11);
    const m = new IdMap<number>();
    const ref = new Map<string, number>();
    const key = (ms: number, seq: number): string => `${String(ms).padStart(6, '0')}-${String(seq).padStart(3, '0')}`;
    for (let i = 0; i < 20000; i++) {
      const ms = Math.floor(rnd() * 2000);
      const seq = Math.floor(rnd() * 3);
      const k = key(ms, seq);
      const op = rnd();
      if (op < 0.5) {
        assert.equal(m.tryInsert(ms, seq, i), !ref.has(k));
        if (!ref.has(k)) ref.set(k, i);
      } else if (op < 0.8) {
        assert.equal(m.delete(ms, seq), ref.get(k));
        ref.delete(k);
      } else {
        assert.equal(m.get(ms, seq), ref.get(k));
        const ceil = m.ceil(ms, seq);
        const expected = [...ref.keys()].sort().find((x) => x >= k);
        assert.equal(ceil === null ? undefined : key(ceil.ms as number, ceil.seq as number), expected);
      }
      assert.equal(m.size, ref.size);
    }
    const keys: string[] = [];
    m.forEach((ms, seq) => {
      keys.push(key(ms as number, seq as number));
    });
    assert.deepEqual(keys, [...ref.keys()].sort());
    const first = m.first()!;
    const last = m.last()!;
    assert.equal(key(first.ms as number, first.seq as number), keys[0]);
    assert.equal(key(last.ms as number, last.seq as number), keys[keys.length - 1]);
  });

  test('appends in order and walks from a key', () => {
    const m = new IdMap<string>();
    for (let i = 0; i < 1000; i++) assert.ok(m.tryInsert(i, 0, 'v' + i));
    const seen: number[] = [];
    m.forEachFrom(500, 1, (ms) => {
      seen.push(ms as number);
      return seen.length < 3;
    });
    assert.deepEqual(seen, [501, 502, 503]);
  });
});

function add(s: StreamObject, ms: U64, seq: U64, fv: string[], maxBytes = 4096, maxEntries = 100): void {
  assert.ok(s.append({ ms, seq }, ['XADD', 'k', 'id', ...fv], 3, maxBytes, maxEntries));
}

function ids(s: StreamObject, rev = false, skipTombstones = true): string[] {
  const out: string[] = [];
  const it = new StreamIterator(s, null, null, rev, skipTombstones);
  while (it.next()) out.push(`${it.ms}-${it.seq}`);
  return out;
}

describe('stream nodes', () => {
  test('entries, same-field compression, both directions, ranges', () => {
    const s = new StreamObject();
    add(s, 1, 0, ['a', '1', 'b', '2']);
    add(s, 1, 1, ['a', '3', 'b', '4']);
    add(s, 2, 0, ['c', 'x']);
    add(s, U64_MAX - 1n, U64_MAX, ['a', '5', 'b', '6']);
    assert.equal(s.length, 4);
    assert.deepEqual(ids(s), ['1-0', '1-1', '2-0', `${U64_MAX - 1n}-${U64_MAX}`]);
    assert.deepEqual(ids(s, true), ['18446744073709551614-18446744073709551615', '2-0', '1-1', '1-0']);
    assert.deepEqual(s.entries()[2], [2, 0, ['c', 'x']]);
    const it = new StreamIterator(s, { ms: 1, seq: 1 }, { ms: 2, seq: 0 }, false);
    assert.ok(it.next());
    assert.equal(it.flags & FLAG_SAMEFIELDS, FLAG_SAMEFIELDS);
    assert.deepEqual(it.fieldValues(), ['a', '3', 'b', '4']);
    assert.ok(it.next());
    assert.equal(it.flags & FLAG_SAMEFIELDS, 0);
    assert.equal(it.next(), false);
    assert.equal(s.nodes.length, 1);
  });

  test('a new node starts at stream-node-max-entries (tombstones count) and max-bytes', () => {
    const s = new StreamObject();
    for (let i = 1; i <= 10; i++) add(s, i, 0, ['f', 'v'], 4096, 3);
    assert.deepEqual(
      s.nodes.map((n) => n.count),
      [3, 3, 3, 1],
    );
    const b = new StreamObject();
    for (let i = 1; i <= 6; i++) add(b, i, 0, ['f', 'x'.repeat(40)], 130, 0);
    // A node of 68 bytes takes a second entry (68 + 41 < 130); at 118 bytes it does not.
    assert.deepEqual(
      b.nodes.map((n) => n.count),
      [2, 2, 2],
    );
    for (const n of b.nodes) assert.equal(n.lpBytes(), 118);
  });

  test('deletes leave tombstones; the last live entry of a node takes the node', () => {
    const s = new StreamObject();
    for (let i = 1; i <= 6; i++) add(s, i, 0, ['f', String(i)], 4096, 3);
    assert.ok(s.deleteEntry(2, 0));
    assert.equal(s.deleteEntry(2, 0), false);
    assert.equal(s.deleteEntry(9, 0), false);
    assert.deepEqual(ids(s), ['1-0', '3-0', '4-0', '5-0', '6-0']);
    assert.deepEqual(ids(s, false, false), ['1-0', '2-0', '3-0', '4-0', '5-0', '6-0']);
    assert.ok(s.deleteEntry(1, 0));
    assert.ok(s.deleteEntry(3, 0));
    assert.equal(s.nodes.length, 1);
    assert.ok(s.entryExists(4, 0));
    assert.equal(s.entryExists(3, 0), false);
    assert.deepEqual(s.lastValidId(), { ms: 6, seq: 0 });
    assert.ok(s.deleteEntry(6, 0));
    assert.deepEqual(s.lastValidId(), { ms: 5, seq: 0 });
    assert.deepEqual(s.edgeId(false, false), { ms: 6, seq: 0 });
  });

  test('trimming: whole nodes with ~, entries too without, LIMIT', () => {
    const make = (): StreamObject => {
      const s = new StreamObject();
      for (let i = 1; i <= 10; i++) add(s, i, 0, ['f', 'v'], 4096, 3);
      return s;
    };
    let s = make();
    assert.equal(s.trim({ strategy: 'maxlen', maxlen: 5, minid: { ms: 0, seq: 0 }, approx: true, limit: 0 }), 3);
    assert.equal(s.length, 7);
    s = make();
    assert.equal(s.trim({ strategy: 'maxlen', maxlen: 5, minid: { ms: 0, seq: 0 }, approx: false, limit: 0 }), 5);
    assert.deepEqual(ids(s), ['6-0', '7-0', '8-0', '9-0', '10-0']);
    assert.deepEqual(s.firstId, { ms: 6, seq: 0 });
    s = make();
    assert.equal(s.trim({ strategy: 'minid', maxlen: 0, minid: { ms: 8, seq: 0 }, approx: false, limit: 0 }), 7);
    assert.deepEqual(ids(s), ['8-0', '9-0', '10-0']);
    s = make();
    assert.equal(s.trim({ strategy: 'maxlen', maxlen: 0, minid: { ms: 0, seq: 0 }, approx: true, limit: 5 }), 3);
    s = make();
    assert.equal(s.trim({ strategy: 'maxlen', maxlen: 0, minid: { ms: 0, seq: 0 }, approx: false, limit: 0 }), 10);
    assert.equal(s.nodes.length, 0);
    assert.deepEqual(s.firstId, { ms: 0, seq: 0 });
  });

  test('a MINID trim can leave a node of tombstones only', () => {
    const s = new StreamObject();
    for (let i = 1; i <= 4; i++) add(s, i, 0, ['f', 'v']);
    s.deleteEntry(4, 0);
    assert.equal(s.trim({ strategy: 'minid', maxlen: 0, minid: { ms: 4, seq: 0 }, approx: false, limit: 0 }), 3);
    assert.equal(s.length, 0);
    assert.equal(s.nodes.length, 1);
    assert.equal(s.nodes[0].count, 0);
    assert.deepEqual(ids(s), []);
    assert.deepEqual(ids(s, true), []);
    add(s, 5, 0, ['f', 'v']);
    assert.deepEqual(ids(s), ['5-0']);
  });

  test('nodes turn into Valkey listpacks and back', () => {
    const s = new StreamObject();
    add(s, 100, 5, ['name', 'x', 'age', '42']);
    add(s, 100, 6, ['name', 'y', 'age', '-7']);
    add(s, 101, 0, ['other', 'z']);
    s.deleteEntry(100, 6);
    const n = s.nodes[0];
    const lp = n.toListpack();
    const expected = [
      '2', '1', '2', 'name', 'age', '0',
      '2', '0', '0', 'x', '42', '5',
      '3', '0', '1', 'y', '-7', '5',
      '0', '1', '-5', '1', 'other', 'z', '6',
    ];
    assert.deepEqual(decodeListpack(lp), expected);
    assert.deepEqual(lp, encodeListpack(expected));
    assert.equal(lp.length, n.lpBytes());
    const back = nodeFromListpack(100, 5, decodeListpack(lp), null);
    assert.deepEqual(back.toListpack(), lp);
    assert.equal(back.count, 2);
    assert.equal(back.deleted, 1);
  });

  test('invalid node listpacks are refused', () => {
    const bad: string[][] = [
      [],
      ['1', '0', '1', 'f'],
      ['1', '0', '1', 'f', '0', '2', '0', '0', 'v', '5'],
      ['1', '0', '1', 'f', '0', '2', '0', '0', 'v', '3', 'extra'],
      ['2', '0', '1', 'f', '0', '2', '0', '0', 'v', '3'],
      ['1', '0', '-1', '0'],
      ['1', '0', '1', 'f', '0', '9', '0', '0', 'v', '3'],
      ['1', '1', '1', 'f', '0', '2', '0', '0', 'v', '3', '2', '0', '0', 'w', '3'],
      ['2', '0', '1', 'f', '0', '2', '0', '5', 'v', '3', '2', '0', '5', 'w', '3'],
    ];
    for (const els of bad) assert.throws(() => nodeFromListpack(1, 0, els, null), StreamFormatError, JSON.stringify(els));
  });

  test('radix tree node count of the node index', () => {
    const s = new StreamObject();
    assert.equal(s.radixTreeNodes(), 1);
    add(s, 1, 0, ['f', 'v'], 4096, 1);
    assert.equal(s.radixTreeNodes(), 2);
    add(s, 2, 0, ['f', 'v'], 4096, 1);
    // a compressed prefix, a branch on the 8th byte, then two leaves (one compressed chain each)
    assert.equal(s.radixTreeNodes(), 6);
  });

  test('clone is deep', () => {
    const s = new StreamObject();
    add(s, 1, 0, ['f', 'v']);
    const g = s.createGroup('g', { ms: 0, seq: 0 }, 0)!;
    const c = g.createConsumer('c', 5)!;
    const copy = s.clone();
    s.deleteEntry(1, 0);
    c.name.toString();
    assert.equal(copy.length, 1);
    assert.equal(copy.lookupGroup('g')!.consumers.get('c')!.seenTime, 5);
    assert.notEqual(copy.lookupGroup('g'), g);
  });
});
