// Hash field expiration internals: the TTL index of a hash (checked against a plain model under
// random operations) and the active field expiry job, run with an injected clock and time budget.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { HashObject, EXPIRE_NONE, TTL_CLEAR } from '../../src/types/hash';
import { withLimits } from '../../src/types/limits';
import { Database, KeyspaceContext, type KeyspaceHooks } from '../../src/db/database';
import { FieldExpireJob, reclaimExpiredFields, EXPIRE_BULK_LIMIT, type FieldJobBudget } from '../../src/db/fieldExpire';
import { seededRandom as prng } from '../helpers';

const LIMITS = withLimits({ hashMaxListpackEntries: 8, hashMaxListpackValue: 64 });

describe('the TTL index of a hash', () => {
  test('matches a model under random sets, TTL changes, persists, deletes and pops', () => {
    const rnd = prng(7);
    const h = new HashObject();
    const model = new Map<string, number>(); // field -> expire time or EXPIRE_NONE
    let now = 1000;
    for (let step = 0; step < 20_000; step++) {
      const field = 'f' + Math.floor(rnd() * 300);
      const op = rnd();
      if (op < 0.3) {
        const ttl = rnd() < 0.5 ? now + Math.floor(rnd() * 500) : TTL_CLEAR;
        h.set(field, 'v', LIMITS, ttl);
        model.set(field, ttl === TTL_CLEAR ? EXPIRE_NONE : ttl);
      } else if (op < 0.55) {
        const at = now + Math.floor(rnd() * 500) - 50;
        assert.equal(h.setExpire(field, at), model.has(field));
        if (model.has(field)) model.set(field, at);
      } else if (op < 0.65) {
        assert.equal(h.persist(field), model.has(field) && model.get(field) !== EXPIRE_NONE);
        if (model.has(field)) model.set(field, EXPIRE_NONE);
      } else if (op < 0.8) {
        assert.equal(h.delete(field), model.has(field));
        model.delete(field);
      } else {
        now += Math.floor(rnd() * 40);
        const max = 1 + Math.floor(rnd() * 20);
        const due = [...model].filter(([, at]) => at !== EXPIRE_NONE && at < now).sort((a, b) => a[1] - b[1]);
        const popped = h.popExpired(now, max);
        assert.equal(popped.length, Math.min(max, due.length));
        // Earliest first: the popped times are the smallest due times, in order.
        const times = popped.map((f) => model.get(f) as number);
        assert.deepEqual(times, due.slice(0, popped.length).map(([, at]) => at));
        for (const f of popped) model.delete(f);
      }
      if (step % 97 === 0) checkAgainstModel(h, model);
    }
    checkAgainstModel(h, model);
  });

  test('the heap holds exactly the volatile fields, however often TTLs change', () => {
    const h = new HashObject();
    for (let i = 0; i < 100; i++) h.set('f' + i, 'v', LIMITS, 1_000_000);
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 100; i++) h.setExpire('f' + i, 1_000_000 + round * 100 + i);
      assert.equal(h.ttlIndexEntries(), 100);
    }
    for (let i = 0; i < 50; i++) h.delete('f' + i);
    assert.equal(h.ttlIndexEntries(), 50);
    assert.equal(h.minExpire(), 1_000_000 + 199 * 100 + 50);
    for (let i = 50; i < 100; i++) h.persist('f' + i);
    assert.equal(h.volatileCount(), 0);
    assert.equal(h.ttlIndexEntries(), 0);
    assert.equal(h.minExpire(), EXPIRE_NONE);
    assert.equal(h.encoding(), 'hashtable');
  });

  test('popExpired on a hash with many fields due at the same time, and clone(now)', () => {
    const h = new HashObject();
    for (let i = 0; i < 1000; i++) h.set('f' + i, 'v' + i, LIMITS, i < 600 ? 500 : 5000);
    const copy = h.clone(1000);
    assert.equal(copy.length, 400);
    assert.equal(copy.fieldExpire('f700'), 5000);
    assert.equal(copy.fieldExpire('f10'), -2);
    const first = h.popExpired(1000, 250);
    assert.equal(first.length, 250);
    assert.equal(h.popExpired(1000, 1000).length, 350);
    assert.equal(h.popExpired(1000, 1000).length, 0);
    assert.equal(h.length, 400);
    assert.equal(h.get('f700', 1000), 'v700');
    // The listpack never holds TTLs: nothing to pop.
    const lp = new HashObject();
    lp.set('a', '1', LIMITS);
    assert.deepEqual(lp.popExpired(1e15, 10), []);
  });
});

function checkAgainstModel(h: HashObject, model: Map<string, number>): void {
  assert.equal(h.length, model.size);
  let volatile = 0;
  let min = Infinity;
  for (const [f, at] of model) {
    assert.equal(h.fieldExpire(f), at, `ttl of ${f}`);
    if (at !== EXPIRE_NONE) {
      volatile++;
      min = Math.min(min, at);
    }
  }
  assert.equal(h.volatileCount(), volatile);
  assert.equal(h.minExpire(), volatile === 0 ? EXPIRE_NONE : min);
  assert.equal(h.ttlIndexEntries(), volatile);
}

// ---------------------------------------------------------------------------------------------

interface Recorded {
  events: string[];
  propagated: string[][];
  modified: string[];
}

function keyspace(dbCount = 2): { dbs: Database[]; rec: Recorded } {
  const rec: Recorded = { events: [], propagated: [], modified: [] };
  const hooks: KeyspaceHooks = {
    keyModified: (_db, key) => rec.modified.push(key),
    notify: (cls, event, key) => rec.events.push(`${cls}:${event}:${key}`),
    keyCreated: () => {},
    propagate: (_dbid, argv) => rec.propagated.push(argv),
  };
  const ctx = new KeyspaceContext(hooks);
  ctx.lazyExpire = false;
  const dbs: Database[] = [];
  for (let i = 0; i < dbCount; i++) dbs.push(new Database(i, ctx));
  return { dbs, rec };
}

function volatileHash(fields: number, at: (i: number) => number): HashObject {
  const h = new HashObject();
  for (let i = 0; i < fields; i++) h.set('f' + i, 'v', LIMITS, at(i));
  return h;
}

/** A budget whose clock advances `tick` ms each time it is read. */
function budget(now: number, timeLimitMs: number, tick = 0): FieldJobBudget & { reads: number } {
  const b = {
    keysPerLoop: 20,
    acceptableStale: 10,
    timeLimitMs,
    now,
    reads: 0,
    elapsedMs: () => b.reads++ * tick,
  };
  return b;
}

const units = { depth: 0, opened: 0, begin() { this.depth++; this.opened++; }, end() { this.depth--; } };

describe('active field expiry', () => {
  test('reclaimExpiredFields: HDEL batches of at most 1024 fields, then DEL of the emptied key', () => {
    const { dbs, rec } = keyspace(1);
    const db = dbs[0];
    db.add('big', volatileHash(3000, () => 100));
    assert.equal(db.volatileKeys.size, 1);
    assert.equal(reclaimExpiredFields(db, 'big', db.data.get('big') as HashObject, 200, 5000), 3000);
    assert.deepEqual(rec.propagated.map((a) => (a[0] === 'HDEL' ? a.length - 2 : a[0])), [EXPIRE_BULK_LIMIT, EXPIRE_BULK_LIMIT, 952, 'DEL']);
    assert.deepEqual(rec.events, ['x:hexpired:big', 'x:hexpired:big', 'x:hexpired:big', 'g:del:big']);
    assert.equal(db.size, 0);
    assert.equal(db.volatileKeys.size, 0);
    assert.equal(db.ctx.stats.expiredFields, 3000);
  });

  test('the job reclaims only due fields, keysPerLoop*4 per visit, revisiting a hash with more', () => {
    const { dbs, rec } = keyspace(2);
    dbs[0].add('a', volatileHash(300, (i) => (i < 200 ? 100 : 10_000)));
    dbs[0].add('b', volatileHash(5, () => 10_000));
    dbs[1].add('c', volatileHash(3, () => 50));
    const job = new FieldExpireJob();
    job.run(dbs, units, budget(1000, 1000));
    assert.equal((dbs[0].data.get('a') as HashObject).length, 100);
    assert.equal((dbs[0].data.get('b') as HashObject).length, 5);
    assert.equal(dbs[1].size, 0);
    const hdelSizes = rec.propagated.filter((a) => a[0] === 'HDEL' && a[1] === 'a').map((a) => a.length - 2);
    assert.deepEqual(hdelSizes, [80, 80, 40]);
    assert.equal(units.depth, 0);
    assert.equal(dbs[0].volatileKeys.size, 2);
    assert.equal(dbs[1].volatileKeys.size, 0);
    // Nothing is due any more: a new run changes nothing.
    const before = rec.propagated.length;
    job.run(dbs, units, budget(1000, 1000));
    assert.equal(rec.propagated.length, before);
    // Later, everything is due.
    job.run(dbs, units, budget(20_000, 1000));
    assert.equal(dbs[0].size, 0);
    assert.equal(dbs[0].volatileKeys.size, 0);
  });

  test('the time limit is checked after every key: a run stops, counts the cap, the next goes on', () => {
    const { dbs } = keyspace(1);
    for (let k = 0; k < 50; k++) dbs[0].add('k' + k, volatileHash(2, () => 10));
    const job = new FieldExpireJob();
    const b = budget(100, 4, 1); // 1 ms per clock read, 4 ms allowed
    job.run(dbs, units, b);
    const left = dbs[0].size;
    assert.ok(left > 0 && left < 50, `left ${left}`);
    assert.equal(dbs[0].ctx.stats.expiredTimeCapReachedCount, 1);
    for (let i = 0; i < 100 && dbs[0].size > 0; i++) job.run(dbs, units, budget(100, 4, 1));
    assert.equal(dbs[0].size, 0);
  });

  test('a tracked key that no longer holds a volatile hash is dropped from the tracking', () => {
    const { dbs } = keyspace(1);
    const db = dbs[0];
    const h = volatileHash(1, () => 10_000);
    db.add('x', h);
    h.persist('f0'); // changed behind the tracking's back
    new FieldExpireJob().run(dbs, units, budget(100, 10));
    assert.equal(db.volatileKeys.size, 0);
    db.setKey('y', volatileHash(1, () => 10_000));
    assert.equal(db.volatileKeys.size, 1);
    db.setKey('y', 'a string now');
    assert.equal(db.volatileKeys.size, 0);
  });
});
