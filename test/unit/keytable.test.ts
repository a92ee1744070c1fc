// Both key tables against a Map model: random sets, deletes, lookups and scans, including
// lookups of the same key again (a table remembers the last key it found) across deletes that
// move slots, over key counts that make the index grow and shrink.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyTable, NumberTable, hashKey, hashBytes } from '../../src/db/keytable';
import { RequestParser } from '../../src/protocol/parser';
import { seededRandom } from '../helpers';

function checkAgainstModel(table: KeyTable<number> | NumberTable, distinctKeys: number, ops: number, seed: number): void {
  const rnd = seededRandom(seed);
  const model = new Map<string, number>();
  const keyOf = () => 'k' + Math.floor(rnd() * distinctKeys);
  for (let i = 0; i < ops; i++) {
    const key = keyOf();
    const op = rnd();
    if (op < 0.35) {
      assert.equal(table.keyAt(table.set(key, i)), key);
      model.set(key, i);
    } else if (op < 0.6) {
      assert.equal(table.delete(key), model.delete(key));
    } else if (op < 0.8) {
      assert.equal(table.get(key), model.get(key));
      const slot = table.slotOf(key);
      assert.equal(slot >= 0, model.has(key));
      if (slot >= 0) {
        assert.equal(table.keyAt(slot), key);
        assert.equal(table.valueAt(slot), model.get(key));
      }
    } else if (op < 0.9995) {
      // the same key again, from a different string object with the same text
      const again = (' ' + key).slice(1);
      assert.equal(table.has(again), model.has(key));
      assert.equal(table.get(again), model.get(key));
    } else {
      table.clear();
      model.clear();
    }
    assert.equal(table.size, model.size);
  }
  const seen = new Map<string, number>();
  table.forEach((k, v) => seen.set(k, v));
  assert.deepEqual([...seen].sort(), [...model].sort());
  assert.deepEqual(table.keyList().sort(), [...model.keys()].sort());
}

test('KeyTable matches a Map under random operations', () => {
  checkAgainstModel(new KeyTable<number>(), 200, 50_000, 7);
  checkAgainstModel(new KeyTable<number>(), 5000, 100_000, 8);
});

test('NumberTable matches a Map under random operations', () => {
  checkAgainstModel(new NumberTable(), 200, 50_000, 9);
  checkAgainstModel(new NumberTable(), 5000, 100_000, 10);
});

test('KeyTable grows to many keys and shrinks back to none', () => {
  const table = new KeyTable<number>();
  const n = 20_000;
  for (let i = 0; i < n; i++) table.set('key:' + i, i);
  for (let i = 0; i < n; i++) assert.equal(table.get('key:' + i), i);
  for (let i = 0; i < n; i += 2) assert.equal(table.delete('key:' + i), true);
  for (let i = 0; i < n; i++) assert.equal(table.get('key:' + i), i % 2 === 0 ? undefined : i);
  for (let i = 1; i < n; i += 2) assert.equal(table.delete('key:' + i), true);
  assert.equal(table.size, 0);
  assert.equal(table.get('key:1'), undefined);
  table.set('again', 1);
  assert.equal(table.get('again'), 1);
});

test('KeyTable keeps per-slot metadata through swap-deletes', () => {
  const table = new KeyTable<string>();
  for (let i = 0; i < 100; i++) table.set('k' + i, 'v' + i, 1000 + i);
  table.setMetaAt(table.slotOf('k99'), 5);
  table.delete('k0');
  assert.equal(table.metaAt(table.slotOf('k99')), 5);
  for (let i = 1; i < 99; i++) assert.equal(table.metaAt(table.slotOf('k' + i)), 1000 + i);
  const plain = new KeyTable<null>();
  plain.set('m', null);
  assert.equal(plain.metaAt(plain.slotOf('m')), 0);
});

test('hashKey depends on every character', () => {
  const base = 'abcdefghijklmnopq';
  const h = hashKey(base);
  for (let i = 0; i < base.length; i++) {
    const changed = base.slice(0, i) + String.fromCharCode(base.charCodeAt(i) ^ 1) + base.slice(i + 1);
    assert.notEqual(hashKey(changed), h, `character ${i}`);
  }
  assert.notEqual(hashKey(''), hashKey('\0'));
});

test('KeyTable: a slot read after a delete that moved the last entry is the moved entry', () => {
  const table = new KeyTable<string>();
  table.set('a', 'A');
  table.set('b', 'B');
  table.set('c', 'C');
  assert.equal(table.slotOf('c'), 2);
  table.delete('a');
  assert.equal(table.slotOf('c'), 0);
  assert.equal(table.valueAt(table.slotOf('c')), 'C');
  assert.equal(table.get('a'), undefined);
});

test('hashBytes gives hashKey of the same bytes as a latin1 string', () => {
  const rnd = seededRandom(11);
  for (let i = 0; i < 2000; i++) {
    const len = Math.floor(rnd() * 40);
    const bytes = Buffer.alloc(len + 6);
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd() * 256);
    assert.equal(hashBytes(bytes, 3, 3 + len), hashKey(bytes.latin1Slice(3, 3 + len)));
  }
});

test('RequestParser.peekSecondArgHashes sees the keys of complete commands and consumes nothing', () => {
  const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, authRequired: false });
  const pipeline = '*2\r\n$3\r\nGET\r\n$2\r\nk1\r\n*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$2\r\nk3';
  parser.feed(Buffer.from(pipeline, 'latin1'));
  const out = new Int32Array(8);
  // GET k1 and SET k2 are seen, PING has no key, GET k3 is not complete (its CRLF is missing)
  assert.equal(parser.peekSecondArgHashes(hashBytes, out), 2);
  assert.deepEqual([out[0], out[1]], [hashKey('k1'), hashKey('k2')]);
  assert.deepEqual(parser.next(), ['GET', 'k1']);
  assert.deepEqual(parser.next(), ['PING']);
  assert.equal(parser.peekSecondArgHashes(hashBytes, out), 1);
  assert.equal(out[0], hashKey('k2'));
  assert.deepEqual(parser.next(), ['SET', 'k2', 'v']);
  assert.equal(parser.next(), null);
  parser.feed(Buffer.from('\r\n', 'latin1'));
  assert.deepEqual(parser.next(), ['GET', 'k3']);
  // malformed input: nothing seen, and the parser still reports the error itself
  parser.feed(Buffer.from('*2\r\n$x\r\n', 'latin1'));
  assert.equal(parser.peekSecondArgHashes(hashBytes, out), 0);
  assert.throws(() => parser.next(), /Protocol error/);
});
