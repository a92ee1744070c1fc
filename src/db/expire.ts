// Active expiry: a time-bounded, adaptive cycle run from the cron (Valkey's slow cycle),
// sampling volatile keys of each database in turn and deleting the expired ones.

import { performance } from 'node:perf_hooks';
import type { Server } from '../server/server';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 10;
const SLOW_TIME_PERC = 25;
const DBS_PER_CALL = 16;

let nextDb = 0;

export function activeExpireCycle(server: Server): void {
  const effort = server.config.num('active-expire-effort') - 1; // 0..9
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const hz = Math.max(1, server.config.num('hz'));
  const timeLimitMs = ((SLOW_TIME_PERC + 2 * effort) * 1000) / hz / 100;
  const start = performance.now();
  const dbs = server.dbs;
  const ctx = server.ctx;
  ctx.now = Date.now();
  let timedOut = false;
  let totalSampled = 0;
  let totalExpired = 0;
  const n = Math.min(DBS_PER_CALL, dbs.length);
  for (let j = 0; j < n && !timedOut; j++) {
    const db = dbs[nextDb % dbs.length];
    nextDb++;
    for (;;) {
      const table = db.expires;
      if (table.size === 0) {
        db.avgTtl = 0;
        break;
      }
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      const toDelete: string[] = [];
      db.expireCursor = table.scan(db.expireCursor, keysPerLoop, (key, when) => {
        sampled++;
        if (when < ctx.now) toDelete.push(key);
        else {
          ttlSum += when - ctx.now;
          ttlSamples++;
        }
      });
      for (const key of toDelete) {
        if (db.isExpired(key)) {
          server.propagation.begin();
          db.deleteExpired(key);
          server.propagation.end();
          expired++;
        }
      }
      if (ttlSamples > 0) {
        const avg = ttlSum / ttlSamples;
        db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
      }
      totalSampled += sampled;
      totalExpired += expired;
      if (performance.now() - start > timeLimitMs) {
        timedOut = true;
        server.ctx.stats.expiredTimeCapReachedCount++;
        break;
      }
      if (sampled === 0 || (expired * 100) / sampled <= acceptableStale) break;
    }
  }
  const elapsed = performance.now() - start;
  ctx.stats.expireCycleCpuMilliseconds += elapsed;
  const perc = totalSampled ? totalExpired / totalSampled : 0;
  ctx.stats.expiredStalePerc = perc * 0.05 + ctx.stats.expiredStalePerc * 0.95;
}
