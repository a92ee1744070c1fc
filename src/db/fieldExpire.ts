// Hash field expiration (Valkey 9.0): when fields count as expired, and the active job that
// reclaims them.
//
// Valkey never deletes an expired field on access: readers hide it (types/hash.ts), and only
// this job (or a command given a past time) removes it. The job walks each database's
// keys_with_volatile_items (Database.volatileKeys), pops up to keys_per_loop*4 due fields per
// visited hash through the hash's TTL index, and for every batch of at most 1024 fields
// propagates HDEL and emits "hexpired" (class x); a hash left empty is deleted (DEL or UNLINK,
// "del"). Each key is one execution unit, so HDEL + DEL go out wrapped in MULTI/EXEC.
// It runs from the expire cycle (db/expire.ts), alternating with key expiry, under the same CPU
// budget, and never on a replica, in import mode, while loading or while writes are paused.

import type { Database } from './database';
import type { Client } from '../server/client';
import { CF_PRIMARY, CF_IMPORT_SOURCE } from '../server/client';
import { HashObject } from '../types/hash';

/** Valkey's EXPIRE_BULK_LIMIT: the most fields one propagated HDEL names. */
export const EXPIRE_BULK_LIMIT = 1024;

/**
 * THE predicate for hiding expired fields: the time fields are checked against, or -1 when
 * every stored field counts as live (Valkey's getExpirationPolicyWithFlags): while loading, for
 * the primary's replication stream, and for an import source in import mode.
 */
export function fieldClock(c: Client): number {
  if (c.flags & (CF_PRIMARY | CF_IMPORT_SOURCE)) {
    if (c.flags & CF_PRIMARY || c.server.config.bool('import-mode')) return -1;
  }
  if (c.server.loading) return -1;
  return c.db.ctx.now;
}

/**
 * Valkey's checkAlreadyExpired: does an absolute field time `when` mean "delete now"? Never
 * while loading, on a replica, in import mode, or for a stream that must be applied as is: there
 * the time is stored and the field waits for an explicit HDEL.
 */
export function fieldTimeIsPast(c: Client, when: number): boolean {
  if (when > c.db.ctx.now) return false;
  if (fieldClock(c) < 0) return false;
  return !c.server.isReplica() && !c.server.config.bool('import-mode');
}

/**
 * Delete up to `max` fields of the hash at `key` whose TTL has passed at `now`, with the
 * effects of Valkey's dbReclaimExpiredFields: stats, HDEL batches, "hexpired" (x), and the key
 * itself (DEL/UNLINK, "del") when it is left empty. Returns how many fields went.
 */
export function reclaimExpiredFields(db: Database, key: string, h: HashObject, now: number, max: number): number {
  const hooks = db.ctx.hooks;
  if (db.guard !== null) db.guard.beforeChange(db, key);
  let total = 0;
  while (total < max) {
    const batch = h.popExpired(now, Math.min(EXPIRE_BULK_LIMIT, max - total));
    if (batch.length === 0) break;
    total += batch.length;
    db.ctx.stats.expiredFields += batch.length;
    hooks.propagate(db.id, ['HDEL', key, ...batch]);
    hooks.notify('x', 'hexpired', key, db.id);
  }
  if (total === 0) return 0;
  if (h.length === 0) {
    db.removeEntry(key);
    hooks.propagate(db.id, [db.ctx.lazyExpire ? 'UNLINK' : 'DEL', key]);
    hooks.notify('g', 'del', key, db.id);
  } else {
    db.trackVolatileItems(key, h);
  }
  // Changed by no client (as for expired keys): tracking NOLOOP clients hear about it too.
  hooks.keyModified(db, key, true);
  return total;
}

/** What one run of the job may do, and its clocks (injected by unit tests). */
export interface FieldJobBudget {
  /** keys visited per loop (20 + 5 per extra active-expire-effort step) */
  keysPerLoop: number;
  /** repeat a database while more than this percentage of visited keys had expired fields */
  acceptableStale: number;
  /** ms this run may take */
  timeLimitMs: number;
  /** ms elapsed since the run started */
  elapsedMs(): number;
  /** the time field TTLs are compared with */
  now: number;
}

/** Opens and closes an execution unit around one key's reclamation (propagation wraps it). */
export interface ExecutionUnits {
  begin(): void;
  end(): void;
}

/** Databases visited per run, as Valkey's CRON_DBS_PER_CALL. */
const DBS_PER_CALL = 16;

/** The active field expiry job, with the state it keeps between runs. */
export class FieldExpireJob {
  /** next database to visit */
  private nextDb = 0;
  /** the previous run ran out of time: this one visits every database */
  private timeLimitExit = false;

  /** One run; returns the ms it took. */
  run(dbs: Database[], units: ExecutionUnits, b: FieldJobBudget): number {
    if (b.timeLimitMs <= 0 || dbs.length === 0) return 0;
    const dbsPerCall = this.timeLimitExit ? dbs.length : Math.min(DBS_PER_CALL, dbs.length);
    this.timeLimitExit = false;
    let performed = 0;
    let totalSampled = 0;
    let totalExpired = 0;
    const ctx = dbs[0].ctx;
    for (let j = 0; j < dbs.length && performed < dbsPerCall && !this.timeLimitExit; j++) {
      const db = dbs[this.nextDb++ % dbs.length];
      if (db.volatileKeys.size === 0) continue;
      performed++;
      const r = this.expireInDb(db, units, b);
      totalSampled += r.sampled;
      totalExpired += r.expired;
    }
    const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
    ctx.stats.expiredVolatileItemsStalePerc = perc * 0.05 + ctx.stats.expiredVolatileItemsStalePerc * 0.95;
    return b.elapsedMs();
  }

  /**
   * Visit the database's volatile keys from its cursor, keysPerLoop at a time, repeating while
   * many of them had expired fields. A hash that had more due fields than one visit may take is
   * visited again before the cursor moves on. The time limit is checked after every key.
   */
  private expireInDb(db: Database, units: ExecutionUnits, b: FieldJobBudget): { sampled: number; expired: number } {
    const maxFields = b.keysPerLoop * 4;
    let totalSampled = 0;
    let totalExpired = 0;
    for (;;) {
      const size = db.volatileKeys.size;
      if (size === 0) break;
      const num = Math.min(size, b.keysPerLoop);
      let sampled = 0;
      let expired = 0;
      let dbDone = false;
      while (sampled < num) {
        const visited: string[] = [];
        const next = db.volatileKeys.scan(db.volatileCursor, 1, (k) => {
          visited.push(k);
        });
        const key = visited[0];
        if (key === undefined) {
          db.volatileCursor = 0;
          dbDone = true;
          break;
        }
        const got = this.visit(db, key, units, b.now, maxFields);
        sampled++;
        if (got > 0) expired++;
        const hasMore = got === maxFields;
        if (!hasMore) db.volatileCursor = next;
        if (b.elapsedMs() > b.timeLimitMs) {
          this.timeLimitExit = true;
          db.ctx.stats.expiredTimeCapReachedCount++;
          break;
        }
        if (db.volatileCursor === 0 && !hasMore) {
          dbDone = true;
          break;
        }
      }
      totalSampled += sampled;
      totalExpired += expired;
      if (this.timeLimitExit || dbDone) break;
      if (sampled > 0 && (expired * 100) / sampled <= b.acceptableStale) break;
    }
    return { sampled: totalSampled, expired: totalExpired };
  }

  /** Reclaim the due fields of one tracked key (untracking a key that no longer qualifies). */
  private visit(db: Database, key: string, units: ExecutionUnits, now: number, max: number): number {
    const v = db.data.get(key);
    if (!(v instanceof HashObject) || v.volatileCount() === 0) {
      db.volatileKeys.delete(key);
      return 0;
    }
    units.begin();
    try {
      return reclaimExpiredFields(db, key, v, now, max);
    } finally {
      units.end();
    }
  }
}
