// The reply writer's hand-written fast paths (integers and short bulks written byte by byte)
// against the plain string forms they replace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyWriter } from '../../src/protocol/reply';
import { seededRandom } from '../helpers';

test('integer replies equal ":" + n + CRLF for every magnitude and sign', () => {
  const rnd = seededRandom(11);
  const values: (number | bigint)[] = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 99999, 100000, 2 ** 31, 2 ** 32 + 5, 1e15 - 1, 1e15, 2 ** 53, -1, -12345, 9007199254740993n, -(2n ** 63n)];
  for (let i = 0; i < 2000; i++) values.push(Math.floor(rnd() * 10 ** Math.floor(rnd() * 16)));
  const w = new ReplyWriter();
  for (const v of values) w.int(v);
  const expected = values.map((v) => `:${v}\r\n`).join('');
  assert.equal(w.take()?.toString('latin1'), expected);
});

test('short and long bulks, muted writers and views', () => {
  const w = new ReplyWriter();
  const items = ['', 'a', 'x'.repeat(9), 'y'.repeat(10), 'z'.repeat(63), 'w'.repeat(64), '\u00ff\u0000\r\n'];
  for (const s of items) w.bulk(s);
  w.muted++;
  w.int(5);
  w.bulk('hidden');
  w.muted--;
  const view = w.view();
  assert.equal(view?.toString('latin1'), items.map((s) => `$${s.length}\r\n${s}\r\n`).join(''));
  w.clear();
  assert.equal(w.length, 0);
  w.int(42);
  assert.equal(w.take()?.toString('latin1'), ':42\r\n');
});

test('short bulks carry every byte value at every length and alignment', () => {
  const rnd = seededRandom(12);
  const w = new ReplyWriter();
  const items: string[] = [];
  for (let len = 0; len < 70; len++) {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
    items.push(s);
  }
  // growing past the initial storage moves the writer to new memory mid-way
  for (let round = 0; round < 40; round++) for (const s of items) w.bulk(s);
  const expected = items.map((s) => `$${s.length}\r\n${s}\r\n`).join('').repeat(40);
  assert.equal(w.take()?.toString('latin1'), expected);
});
