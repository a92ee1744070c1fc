// Shared pieces of the integration tests (not a test file itself):
// - probes into an in-process Fjord: exact reply bytes, what it propagates, the keyspace events
//   it emits, what a snapshot in progress is told before changes;
// - differential testing against the reference redis-server: the same random commands go to
//   Fjord and to the reference, over RESP2 and RESP3, and every reply must be identical. The
//   <area>.test.ts files bring their own command generators.
//   Environment: FJORD_SEED=n replays one seed; DIFF_DEBUG=1 prints counts per seed;
//   DIFF_TRACE=<arg> prints every command that has that argument (e.g. a key) with both replies.

import * as assert from 'node:assert/strict';
import { RawClient, parseReply, sleep, type RunningServer, seededRandom } from '../helpers';

/** Send a command and return the reply's exact bytes (as latin1 text). */
export async function rawReply(c: RawClient, ...args: (string | number)[]): Promise<string> {
  c.send(...args);
  for (let i = 0; i < 2500; i++) {
    const text = c.pending();
    if (text.length > 0 && parseReply(Buffer.from(text, 'latin1'), 0) !== null) {
      await c.read();
      return text;
    }
    await sleep(2);
  }
  throw new Error('no reply');
}

/** Record what the server propagates (replication / AOF stream) while `fn` runs. */
export async function propagated(srv: RunningServer, fn: () => Promise<unknown>): Promise<string[][]> {
  const out: string[][] = [];
  const stop = srv.server.propagation.subscribe((_db, argv) => out.push(argv));
  try {
    await fn();
  } finally {
    stop();
  }
  return out;
}

/**
 * Record, as a snapshot in progress would see them, the values keys hold just before each change
 * (the database's WriteGuard is told before every change, in place or not); repeats of the same
 * announcement are recorded once.
 */
export async function valuesBeforeChange(srv: RunningServer, fn: () => Promise<unknown>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const db = srv.server.dbs[0];
  const show = (v: unknown) => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('latin1') : String(v));
  db.guard = {
    beforeChange: (d, key) => {
      // A change may be announced more than once (lookup for writing, then the store).
      const entry: [string, string] = [key, show(d.data.get(key))];
      const last = out[out.length - 1];
      if (!last || last[0] !== entry[0] || last[1] !== entry[1]) out.push(entry);
    },
    afterDelete: () => {},
    beforeWholeDb: () => {},
  };
  try {
    await fn();
  } finally {
    db.guard = null;
  }
  return out;
}

/** Record the keyspace events emitted while `fn` runs, as "class:event:key". */
export async function keyspaceEvents(srv: RunningServer, fn: () => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  const notifier = srv.server.notifier;
  const original = notifier.notify;
  notifier.notify = (cls, event, key, dbid) => {
    out.push(`${cls}:${event}:${key}`);
    original.call(notifier, cls, event, key, dbid);
  };
  try {
    await fn();
  } finally {
    notifier.notify = original;
  }
  return out;
}

/** A small seeded PRNG (mulberry32), so that a failing run can be replayed from its seed. */
export class Rng {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface DifferentialOptions {
  fjordPort: number;
  refPort: number;
  seed: number;
  count: number;
  /** the next command to try */
  generate: (rng: Rng) => string[];
  /** called every `resetEvery` commands (and first), e.g. to re-create keys of other types */
  reset?: (ref: RawClient, fjord: RawClient) => Promise<void>;
  resetEvery?: number;
  /**
   * A documented, known difference between Valkey 9.0 and the reference for this command:
   * return true to accept this pair of replies.
   */
  knownDifference?: (argv: string[], fjord: unknown, ref: unknown) => boolean;
  /**
   * Map a reply to what is comparable, applied to both sides alike: only for replies that depend
   * on timing (e.g. a TTL's exact value).
   */
  normalize?: (argv: string[], reply: unknown) => unknown;
}

export interface DifferentialResult {
  compared: number;
  knownDifferences: number;
}

/** Run the commands on both servers and fail with the first mismatches, if any. */
export async function runDifferential(o: DifferentialOptions): Promise<DifferentialResult> {
  const rng = new Rng(o.seed);
  const fjord = { 2: await RawClient.connect(o.fjordPort), 3: await RawClient.connect(o.fjordPort) };
  const ref = { 2: await RawClient.connect(o.refPort), 3: await RawClient.connect(o.refPort) };
  await fjord[3].call('HELLO', '3');
  await ref[3].call('HELLO', '3');
  const mismatches: string[] = [];
  let known = 0;
  try {
    for (let i = 0; i < o.count && mismatches.length < 10; i++) {
      if (o.reset && i % (o.resetEvery ?? 200) === 0) await o.reset(ref[2], fjord[2]);
      const argv = o.generate(rng);
      const resp = rng.chance(0.3) ? 3 : 2;
      let [a, b] = await Promise.all([fjord[resp].call(...argv), ref[resp].call(...argv)]);
      if (o.normalize) {
        a = o.normalize(argv, a);
        b = o.normalize(argv, b);
      }
      if (process.env.DIFF_TRACE && argv.some((x) => x === process.env.DIFF_TRACE)) console.log(`#${i} R${resp} ${show(argv)} -> ${show(a)} | ${show(b)}`);
      if (isDeepStrictEqual(a, b)) continue;
      if (o.knownDifference?.(argv, a, b)) {
        known++;
        continue;
      }
      mismatches.push(`#${i} RESP${resp} ${show(argv)}\n    fjord:     ${show(a)}\n    reference: ${show(b)}`);
    }
  } finally {
    for (const c of [fjord[2], fjord[3], ref[2], ref[3]]) c.close();
  }
  if (process.env.DIFF_DEBUG) console.log(`seed ${o.seed}: compared ${o.count}, accepted known differences ${known}`);
  assert.equal(mismatches.length, 0, `seed ${o.seed}: replies differ from the reference:\n  ${mismatches.join('\n  ')}`);
  return { compared: o.count, knownDifferences: known };
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 300 ? s.slice(0, 300) + '...' : s;
}

/** For `normalize`: a TTL / PTTL reply reduced to -2 (no key), -1 (no TTL) or 'has a TTL'. */
export function ttlClass(argv: string[], reply: unknown): unknown {
  const cmd = argv[0].toUpperCase();
  if ((cmd === 'TTL' || cmd === 'PTTL') && typeof reply === 'number' && reply >= 0) return 'has a TTL';
  return reply;
}

/** The seed to use: FJORD_SEED from the environment to replay a failure, else the default. */
export function seedFromEnv(dflt: number): number {
  const s = process.env.FJORD_SEED;
  return s ? Number(s) : dflt;
}
