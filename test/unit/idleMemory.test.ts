import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';

import { IdleMemory, FLUSH_AFTER_MS, FLUSH_COLLECTIONS, SHRINK_AFTER_MS, SMALL_YOUNG_GENERATION, fullGc, youngGc, youngGenerationBytes } from '../../src/server/idleMemory';
import { ServerStats } from '../../src/server/stats';

/** An IdleMemory whose collections only count and whose young generation size is set by the test. */
function fakeIdle(youngBytes: number): { idle: IdleMemory; setYoung(n: number): void } {
  let young = youngBytes;
  const idle = new IdleMemory(
    () => {},
    () => young,
  );
  return { idle, setYoung: (n) => (young = n) };
}

const BIG = 32 << 20;

describe('IdleMemory (server cron, quiet-time young generation shrink)', () => {
  test('nothing while commands keep arriving', () => {
    const { idle } = fakeIdle(BIG);
    const stats = new ServerStats();
    for (let now = 0; now < 60_000; now += 100) {
      stats.totalCommandsProcessed++;
      idle.tick(now, stats);
    }
    assert.equal(idle.collections, 0);
  });

  test('a quiet period: the flush after FLUSH_AFTER_MS, one collection SHRINK_AFTER_MS later, then none', () => {
    const { idle, setYoung } = fakeIdle(BIG);
    const stats = new ServerStats();
    stats.netInputBytes = 100;
    idle.tick(0, stats); // the last traffic seen at t=0
    idle.tick(FLUSH_AFTER_MS - 100, stats);
    assert.equal(idle.collections, 0);
    idle.tick(FLUSH_AFTER_MS, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS);
    idle.tick(FLUSH_AFTER_MS + SHRINK_AFTER_MS - 100, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS, 'the shrinking collection waits for a whole quiet window');
    setYoung(1 << 20); // V8 shrank it
    idle.tick(FLUSH_AFTER_MS + SHRINK_AFTER_MS, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS + 1);
    for (let now = FLUSH_AFTER_MS + SHRINK_AFTER_MS; now < 120_000; now += 100) idle.tick(now, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS + 1, 'done until traffic resumes');
  });

  test('traffic in between starts over; output bytes count as traffic too', () => {
    const { idle } = fakeIdle(BIG);
    const stats = new ServerStats();
    idle.tick(0, stats);
    idle.tick(FLUSH_AFTER_MS, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS);
    stats.netOutputBytes += 5; // e.g. a Pub/Sub message delivered
    idle.tick(FLUSH_AFTER_MS + SHRINK_AFTER_MS, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS, 'no shrink right after traffic');
    idle.tick(2 * FLUSH_AFTER_MS + SHRINK_AFTER_MS, stats);
    assert.equal(idle.collections, 2 * FLUSH_COLLECTIONS, 'a new burst is flushed after its own quiet time');
  });

  test('a small young generation is left alone', () => {
    const { idle } = fakeIdle(SMALL_YOUNG_GENERATION);
    const stats = new ServerStats();
    for (let now = 0; now < 60_000; now += 100) idle.tick(now, stats);
    assert.equal(idle.collections, 0);
  });

  test('V8 keeping the space (background allocation): a few more attempts, then it gives up', () => {
    const { idle } = fakeIdle(BIG);
    const stats = new ServerStats();
    for (let now = 0; now < 120_000; now += 100) idle.tick(now, stats);
    assert.equal(idle.collections, FLUSH_COLLECTIONS + 3, 'the flush and three shrink attempts');
  });
});

describe('V8 collections', () => {
  /** The kinds of the collections `run` performs, as perf_hooks reports them. */
  async function gcKinds(run: () => void): Promise<number[]> {
    const kinds: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) kinds.push((e as unknown as { detail: { kind: number } }).detail.kind);
    });
    obs.observe({ entryTypes: ['gc'] });
    run();
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    return kinds;
  }

  test('youngGc is a young-generation collection only, fullGc a full one', async () => {
    assert.deepEqual(await gcKinds(youngGc), [perfConstants.NODE_PERFORMANCE_GC_MINOR]);
    assert.ok((await gcKinds(fullGc)).includes(perfConstants.NODE_PERFORMANCE_GC_MAJOR));
  });

  test('fullGc frees unreachable objects', async () => {
    let ref: WeakRef<object> | null = null;
    (() => {
      ref = new WeakRef({ payload: 'x'.repeat(1000) });
    })();
    await new Promise((r) => setImmediate(r)); // WeakRef targets stay alive until the job ends
    fullGc();
    assert.equal(ref!.deref(), undefined);
  });

  test('youngGenerationBytes reports the committed young generation', () => {
    const n = youngGenerationBytes();
    assert.ok(n > 0 && n <= 64 << 20, String(n));
  });

  // The premise of IdleMemory, on this Node's V8: after a burst that grew the young generation,
  // the quiet-time collections give it back (about 6.6 s; the deadline leaves room for a retry).
  test('a burst grows the young generation; IdleMemory shrinks it once quiet', async () => {
    const live: object[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      live.push({ i, s: 'v' + i }); // survivors make V8 grow the young generation
      if (live.length > 200_000) live.splice(0, 100_000);
    }
    assert.ok(youngGenerationBytes() > SMALL_YOUNG_GENERATION, `young generation ${youngGenerationBytes()} after the burst`);
    const idle = new IdleMemory();
    const stats = new ServerStats();
    const started = Date.now();
    while (youngGenerationBytes() > SMALL_YOUNG_GENERATION && Date.now() - started < 15_000) {
      idle.tick(Date.now(), stats);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(youngGenerationBytes() <= SMALL_YOUNG_GENERATION, `still ${youngGenerationBytes()} after ${Date.now() - started} ms`);
    assert.ok(live.length > 0);
  });
});
