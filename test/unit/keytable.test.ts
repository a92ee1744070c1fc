// KeyTable against a Map model: random sets, deletes, lookups and scans, including lookups of
// the same key again (the table remembers the last key it found) across deletes that move slots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyTable } from '../../src/db/keytable';
import { seededRandom } from '../helpers';

test('KeyTable matches a Map under random operations', () => {
  const rnd = seededRandom(7);
  const table = new KeyTable<number>();
  const model = new Map<string, number>();
  const keyOf = () => 'k' + Math.floor(rnd() * 200);
  for (let i = 0; i < 50_000; i++) {
    const key = keyOf();
    const op = rnd();
    if (op < 0.35) {
      table.set(key, i);
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
    } else if (op < 0.99) {
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
