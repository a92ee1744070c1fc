// Giving V8's young generation back when the server goes quiet.
//
// During a burst of commands V8 grows its young generation (two semi-spaces, up to 32 MB in all)
// and keeps it committed afterwards, although nothing lives there. It shrinks it at a collection
// only if its allocation samples covering the last 5 s show less than 1 KB/ms. A sample runs from
// one collection to the next and also counts what the earlier one promoted to the old generation.
// Once commands stop no collection happens at all, and the first one that does (MEMORY PURGE, or
// V8's own) is judged on a sample that holds the burst's tail, up to a whole 16 MB semi-space:
// whether it shrinks is luck (in the bench, 100,000 keys' RSS varied by up to 320 bytes a key).
//
// So, once the server has been quiet for FLUSH_AFTER_MS, young collections empty the young
// generation (the first copies the survivors, the second promotes them, the third closes the
// sample that counted those promotions); SHRINK_AFTER_MS later (more than V8's 5 s window) one
// more sees only quiet time and shrinks the young generation. A young collection costs what
// survives in the young generation: 0.1 to 8 ms measured here, even with a 240 MB heap. Nothing
// happens while traffic flows, and nothing at all if the young generation is already small. A full
// collection is never started here (its cost grows with the whole heap): MEMORY PURGE does that.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { ServerStats } from './stats';

type GcFunction = (options?: { type: 'minor' | 'major' }) => void;
let gcFunction: GcFunction | null = null;

/** V8's gc(), obtained once without starting Node with --expose-gc. */
function v8Gc(): GcFunction {
  if (gcFunction === null) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as GcFunction;
  }
  return gcFunction;
}

/**
 * A full (mark-compact) collection. In Node 20 gc() with any argument collects only the young
 * generation, so the full one is the call without arguments.
 */
export function fullGc(): void {
  v8Gc()();
}

/** A young-generation collection (scavenge): cheap, its cost is what survives in the young generation. */
export function youngGc(): void {
  v8Gc()({ type: 'minor' });
}

/** Committed bytes of V8's young generation (both semi-spaces). */
export function youngGenerationBytes(): number {
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') return space.space_size;
  }
  return 0;
}

/** Quiet time before the young collections that close the burst's allocation sample. */
export const FLUSH_AFTER_MS = 1000;
/** Young collections that empty the young generation and close the samples counting the burst. */
export const FLUSH_COLLECTIONS = 3;
/** Time after the flush before the collection that shrinks: V8 looks at the last 5 s of allocation. */
export const SHRINK_AFTER_MS = 5500;
/** A young generation at or under this size is left alone (V8 starts at 1 MB and shrinks to 1-2 MB). */
export const SMALL_YOUNG_GENERATION = 4 << 20;
/** Shrink attempts per quiet period (a background job may keep allocating: then V8 keeps the space). */
const MAX_SHRINK_ATTEMPTS = 3;

const enum Stage {
  /** commands arrived since the last tick, or the quiet time is still short */
  Active,
  /** the burst's allocation sample is closed; waiting SHRINK_AFTER_MS */
  Flushed,
  /** shrunk, already small, or given up: nothing more until commands arrive */
  Done,
}

/**
 * Called from the server cron. Watches the traffic counters; after a quiet period it shrinks the
 * young generation as described above. Costs one comparison per tick while commands arrive.
 */
export class IdleMemory {
  private lastActivity = -1;
  private quietSince = 0;
  private stage = Stage.Active;
  private flushedAt = 0;
  private attempts = 0;
  /** young collections run so far (for tests) */
  collections = 0;

  constructor(
    private readonly collectYoung: () => void = youngGc,
    private readonly youngBytes: () => number = youngGenerationBytes,
  ) {}

  tick(now: number, stats: ServerStats): void {
    const activity = stats.totalCommandsProcessed + stats.netInputBytes + stats.netOutputBytes;
    if (activity !== this.lastActivity) {
      this.lastActivity = activity;
      this.quietSince = now;
      this.stage = Stage.Active;
      return;
    }
    if (this.stage === Stage.Active && now - this.quietSince >= FLUSH_AFTER_MS) this.flush(now);
    else if (this.stage === Stage.Flushed && now - this.flushedAt >= SHRINK_AFTER_MS) this.shrink(now);
  }

  private flush(now: number): void {
    if (this.youngBytes() <= SMALL_YOUNG_GENERATION) {
      this.stage = Stage.Done;
      return;
    }
    for (let i = 0; i < FLUSH_COLLECTIONS; i++) this.collect();
    this.stage = Stage.Flushed;
    this.flushedAt = now;
    this.attempts = 0;
  }

  private shrink(now: number): void {
    this.collect();
    this.attempts++;
    if (this.youngBytes() <= SMALL_YOUNG_GENERATION || this.attempts >= MAX_SHRINK_ATTEMPTS) this.stage = Stage.Done;
    else this.flushedAt = now; // still allocating in the background: look again after another window
  }

  private collect(): void {
    this.collectYoung();
    this.collections++;
  }
}
