// Active expiry: a time-bounded, adaptive cycle run from the cron (Valkey's slow cycle). Two
// jobs share its CPU budget: key expiry (sampling volatile keys of each database in turn and
// deleting the expired ones) and hash field expiry (db/fieldExpire.ts). The cycle alternates
// which job goes first, so that neither starves the other when both use all their time.

import { performance } from 'node:perf_hooks';
import type { Server } from '../server/server';
import { FieldExpireJob } from './fieldExpire';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 10;
const SLOW_TIME_PERC = 25;
const DBS_PER_CALL = 16;

let nextDb = 0;
let fieldsFirst = false;
const fieldJob = new FieldExpireJob();

export function activeExpireCycle(server: Server): void {
  const effort = server.config.num('active-expire-effort') - 1; // 0..9
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const hz = Math.max(1, server.config.num('hz'));
  const timeLimitMs = ((SLOW_TIME_PERC + 2 * effort) * 1000) / hz / 100;
  const start = performance.now();
  const ctx = server.ctx;
  ctx.now = Date.now();
  const runKeys = () => expireKeysJob(server, keysPerLoop, acceptableStale, start, timeLimitMs);
  const runFields = () => expireFieldsJob(server, keysPerLoop, acceptableStale, start, timeLimitMs);
  if (fieldsFirst) {
    runFields();
    runKeys();
  } else {
    runKeys();
    runFields();
  }
  fieldsFirst = !fieldsFirst;
  ctx.stats.expireCycleCpuMilliseconds += performance.now() - start;
}

/**
 * The field job, with what is left of the cycle's time. Replicas and import mode never reclaim
 * fields on their own: they wait for the HDELs of their source.
 */
function expireFieldsJob(server: Server, keysPerLoop: number, acceptableStale: number, start: number, timeLimitMs: number): void {
  if (server.isReplica() || server.config.bool('import-mode')) return;
  const jobStart = performance.now();
  fieldJob.run(server.dbs, server.propagation, {
    keysPerLoop,
    acceptableStale,
    timeLimitMs: timeLimitMs - (jobStart - start),
    elapsedMs: () => performance.now() - jobStart,
    now: server.ctx.now,
  });
}

function expireKeysJob(server: Server, keysPerLoop: number, acceptableStale: number, start: number, timeLimitMs: number): void {
  const dbs = server.dbs;
  const ctx = server.ctx;
  if (performance.now() - start > timeLimitMs) return;
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
  const perc = totalSampled ? totalExpired / totalSampled : 0;
  ctx.stats.expiredStalePerc = perc * 0.05 + ctx.stats.expiredStalePerc * 0.95;
}
