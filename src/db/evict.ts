// maxmemory and key eviction (Valkey's performEvictions with an approximated LRU/LFU/TTL pool).
//
// Memory is what V8 reports (heap used plus Buffers), sampled at most every few milliseconds
// because asking V8 costs microseconds. Freed memory only shows after a garbage collection, so
// between samples the bytes of evicted keys are estimated and subtracted.

import * as v8 from 'node:v8';
import type { Server } from '../server/server';
import type { Database, Value } from './database';
import { lfuDecrAndReturn } from './lfu';

const SAMPLE_INTERVAL_MS = 5;
const POOL_SIZE = 16;
/** bytes a key costs beyond its key and value bytes: map entry, slot arrays, string headers */
const PER_KEY_OVERHEAD = 80;

/** Rough size in bytes of a stored value (strings exactly, collections by their own estimate). */
export function estimateValueBytes(v: Value): number {
  if (typeof v === 'string') return 16 + v.length;
  if (v instanceof Buffer) return 96 + v.length;
  const sized = v as unknown as { memoryUsage?: () => number };
  return sized.memoryUsage ? sized.memoryUsage() : 256;
}

interface Candidate {
  db: Database;
  key: string;
  score: number;
}

export class Evictor {
  private sampled = 0;
  private sampledAt = 0;
  private freedSinceSample = 0;
  /** INFO stats: time spent over maxmemory */
  totalExceededMs = 0;
  exceededSince = 0;

  constructor(private readonly server: Server) {}

  /** used_memory: V8 heap plus external Buffers, with evictions since the last sample deducted. */
  usedMemory(): number {
    const now = Date.now();
    if (now - this.sampledAt >= SAMPLE_INTERVAL_MS) {
      const h = v8.getHeapStatistics();
      this.sampled = h.used_heap_size + h.external_memory;
      this.sampledAt = now;
      this.freedSinceSample = 0;
    }
    return Math.max(0, this.sampled - this.freedSinceSample);
  }

  /** Free memory down to maxmemory if needed. Returns false when writes must be refused (OOM). */
  performEvictions(): boolean {
    const max = this.server.config.num('maxmemory');
    if (max <= 0) return true;
    let used = this.usedMemory();
    if (used <= max) {
      this.endExceeded();
      return true;
    }
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    const policy = this.server.config.str('maxmemory-policy');
    if (policy === 'noeviction' || this.server.pause.writesPaused()) return false;
    // Evict until under the limit, or nothing is left to evict.
    for (let guard = 0; used > max && guard < 100000; guard++) {
      const victim = this.pickVictim(policy);
      if (victim === null) return false;
      this.freedSinceSample += this.evict(victim.db, victim.key);
      used = this.usedMemory();
    }
    if (used <= max) this.endExceeded();
    return used <= max;
  }

  private endExceeded(): void {
    if (this.exceededSince !== 0) {
      this.totalExceededMs += Date.now() - this.exceededSince;
      this.exceededSince = 0;
    }
  }

  private pickVictim(policy: string): Candidate | null {
    const volatile = policy.startsWith('volatile');
    const samples = Math.max(1, this.server.config.num('maxmemory-samples'));
    const ctx = this.server.ctx;
    let best: Candidate | null = null;
    const pool: Candidate[] = [];
    for (const db of this.server.dbs) {
      const table = volatile ? db.expires : db.data;
      if (table.size === 0) continue;
      for (let i = 0; i < samples; i++) {
        const slot = table.randomSlot();
        const key = table.keyAt(slot);
        let score: number;
        if (policy.endsWith('random')) score = Math.random();
        else if (policy === 'volatile-ttl') score = -db.expires.valueAt(slot);
        else if (policy.endsWith('lfu')) score = 255 - lfuDecrAndReturn(db.metaOf(key), ctx.now, this.server.config.num('lfu-decay-time'));
        else score = ctx.lruClock() - db.metaOf(key);
        pool.push({ db, key, score });
        if (pool.length >= POOL_SIZE * 4) break;
      }
    }
    for (const c of pool) if (best === null || c.score > best.score) best = c;
    return best;
  }

  /** Delete one key for eviction; returns the bytes it is estimated to free. */
  private evict(db: Database, key: string): number {
    const server = this.server;
    const v = db.data.get(key);
    const bytes = v === undefined ? 0 : key.length + estimateValueBytes(v) + PER_KEY_OVERHEAD;
    server.propagation.begin();
    db.delete(key);
    server.ctx.stats.evictedKeys++;
    server.notifier.notify('e', 'evicted', key, db.id);
    server.propagation.add(db.id, [server.config.bool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', key]);
    server.propagation.end();
    return bytes;
  }
}
