// Valkey's LFU access counter, kept in a key's 32-bit metadata while maxmemory-policy is an LFU
// one: the low 8 bits are a logarithmic access counter, the 16 bits above them the time of the
// last decrement in minutes (wrapping). New keys start at LFU_INIT_VAL so they are not evicted
// before they had a chance to be used.
//
// An access first applies the decay (one step per lfu-decay-time minutes since the stored
// time), then increments the counter with probability 1 / ((counter - LFU_INIT_VAL) *
// lfu-log-factor + 1), so the counter grows roughly with the logarithm of the accesses.

import type { Config } from '../server/config';
import type { KeyspaceContext } from './database';

export const LFU_INIT_VAL = 5;
const COUNTER_MAX = 255;
const MINUTES_MASK = 0xffff;

export interface LfuSettings {
  /** lfu-log-factor */
  logFactor: number;
  /** lfu-decay-time, in minutes (0: never decay) */
  decayTime: number;
}

/** The 16-bit minutes clock stored beside the counter. */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & MINUTES_MASK;
}

/** Metadata of a newly created key. */
export function lfuInitial(nowMs: number): number {
  return (lfuMinutes(nowMs) << 8) | LFU_INIT_VAL;
}

/** Metadata with an explicit counter (RESTORE ... FREQ, RDB loading). */
export function lfuWithCounter(counter: number, nowMs: number): number {
  return (lfuMinutes(nowMs) << 8) | (counter & COUNTER_MAX);
}

/** Minutes since the stored time, assuming the 16-bit clock wrapped at most once. */
function minutesElapsed(meta: number, nowMs: number): number {
  const then = (meta >>> 8) & MINUTES_MASK;
  const now = lfuMinutes(nowMs);
  return now >= then ? now - then : MINUTES_MASK - then + now;
}

/** The counter after decay, without storing it (OBJECT FREQ, eviction sampling). */
export function lfuDecrAndReturn(meta: number, nowMs: number, decayTime: number): number {
  const counter = meta & COUNTER_MAX;
  const periods = decayTime > 0 ? Math.floor(minutesElapsed(meta, nowMs) / decayTime) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** One probabilistic logarithmic increment, saturating at 255. */
export function lfuLogIncr(counter: number, logFactor: number, random: () => number = Math.random): number {
  if (counter === COUNTER_MAX) return COUNTER_MAX;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * logFactor + 1);
  return random() < p ? counter + 1 : counter;
}

/** Metadata after an access (Valkey's updateLFU). */
export function lfuTouch(meta: number, nowMs: number, s: LfuSettings, random?: () => number): number {
  const counter = lfuLogIncr(lfuDecrAndReturn(meta, nowMs, s.decayTime), s.logFactor, random);
  return lfuWithCounter(counter, nowMs);
}

/** volatile-lfu and allkeys-lfu track frequency; every other policy tracks the access time. */
export function isLfuPolicy(policy: string): boolean {
  return policy.endsWith('-lfu');
}

/**
 * Keep `ctx.lfu` in step with maxmemory-policy, lfu-log-factor and lfu-decay-time, so the
 * keyspace's access path only tests one field.
 */
export function attachLfu(config: Config, ctx: KeyspaceContext): void {
  const apply = (): null => {
    ctx.lfu = isLfuPolicy(config.str('maxmemory-policy'))
      ? { logFactor: config.num('lfu-log-factor'), decayTime: config.num('lfu-decay-time') }
      : null;
    return null;
  };
  apply();
  for (const name of ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) config.onChange(name, apply);
}
