// The keyspace: numbered databases of key -> value, with a separate index of expire times.
//
// Commands reach keys only through these functions, which apply lazy expiry, keep the
// LRU/LFU metadata, count hits and misses, and report modifications (for WATCH),
// keyspace notifications and propagation through the hooks the server installs.

// Imported rather than the global: Node's global Buffer is a getter V8 does not inline, and
// typeOf runs on every string command.
import { Buffer } from 'node:buffer';
import { KeyTable, NumberTable, hashKey } from './keytable';
import type { DataObject } from '../types/object';
import { type LfuSettings, lfuInitial, lfuTouch } from './lfu';

/** A stored value: a string (latin1 JS string, or a Buffer once edited in place) or a typed object. */
export type Value = string | Buffer | DataObject;

export type TypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

/** A value whose items carry their own TTLs (a hash with field TTLs, Valkey 9.0). */
export interface VolatileItemsHolder {
  volatileItemCount(): number;
}

/** Does the value hold items with a TTL (so the key belongs in keys_with_volatile_items)? */
export function hasVolatileItems(v: Value): boolean {
  if (typeof v === 'string' || v instanceof Buffer) return false;
  const holder = v as DataObject & Partial<VolatileItemsHolder>;
  return holder.volatileItemCount !== undefined && holder.volatileItemCount() > 0;
}

export function typeOf(v: Value): TypeName {
  if (typeof v === 'string') return 'string';
  if (v instanceof Buffer) return 'string';
  return (v as DataObject).type;
}

/** What the server plugs into the keyspace. Kept as one object so db/ knows nothing of clients. */
export interface KeyspaceHooks {
  /** a key's value changed or it was deleted (WATCH, client tracking); `expired`: by expiry */
  keyModified(db: Database, key: string, expired?: boolean): void;
  /** keyspace notification; `cls` is one of Valkey's class letters (g $ l s h z x e t m d n) */
  notify(cls: string, event: string, key: string, dbid: number): void;
  /** a key was created (Valkey's dbAdd): the "new" event, and blocked clients may be served */
  keyCreated(db: Database, key: string): void;
  /** propagate an effect (replication, AOF) */
  propagate(dbid: number, argv: string[]): void;
}

/** State shared by every database: the clock and the counters that INFO reports. */
export class KeyspaceContext {
  /** command time snapshot in ms (frozen inside MULTI/EXEC and scripts) */
  now = Date.now();
  /** true on a replica or while loading: keys are not deleted on lazy expiry */
  expiryDisabledForWrites = false;
  /** while an AOF is replayed: keys whose time has passed are still visible, as in Valkey */
  expiryIgnored = false;
  /** lazyfree-lazy-expire: expired keys are propagated as UNLINK instead of DEL */
  lazyExpire = true;
  /** set by dispatch while a CLIENT NO-TOUCH client's command runs: lookups keep LRU/LFU as is */
  noTouch = false;
  stats = {
    expiredKeys: 0,
    /** hash fields deleted by expiry (active, or a command given a past time) */
    expiredFields: 0,
    expiredStalePerc: 0,
    /** running estimate of keys with volatile items that had expired fields when sampled */
    expiredVolatileItemsStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleCpuMilliseconds: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    evictedKeys: 0,
  };
  /** seconds clock for OBJECT IDLETIME, like Valkey's LRU clock */
  lruClock(): number {
    return Math.floor(this.now / 1000) >>> 0;
  }
  /** set while maxmemory-policy is an LFU one: key metadata then holds the LFU counter (db/lfu.ts) */
  lfu: LfuSettings | null = null;
  /** access metadata of a key being created */
  newMeta(): number {
    return this.lfu ? lfuInitial(this.now) : this.lruClock();
  }
  /** access metadata after an access to a key whose metadata was `old` (LFU only) */
  touchedLfuMeta(old: number): number {
    return lfuTouch(old, this.now, this.lfu!);
  }
  constructor(public hooks: KeyspaceHooks) {}
}

/**
 * Observer of changes for a snapshot in progress (BGSAVE without fork): it is told before a key
 * changes so it can save the key's value as it was at the cut.
 */
export interface WriteGuard {
  beforeChange(db: Database, key: string): void;
  /** after a delete moved the last slot into `hole` (KeyTable swap-delete) */
  afterDelete(db: Database, hole: number, oldSize: number): void;
  /** before every key of the database changes at once (FLUSHDB, SWAPDB) */
  beforeWholeDb(db: Database): void;
}

/** Hashes of the keys of one command, for Database.prefetchKeys. */
const commandKeyHashes = new Int32Array(64);

export class Database {
  readonly data = new KeyTable<Value>();
  readonly expires = new NumberTable();
  /** clients WATCHing keys of this database, by key */
  readonly watchedKeys = new Map<string, Set<unknown>>();
  /** active expire cursor over `expires` */
  expireCursor = 0;
  /** keys whose value has items with TTLs (Valkey's keys_with_volatile_items), kept by the setters */
  volatileKeys = new NumberTable();
  /** active field expiry cursor over `volatileKeys` */
  volatileCursor = 0;
  avgTtl = 0;
  /** set while a snapshot is being written */
  guard: WriteGuard | null = null;

  constructor(public id: number, public readonly ctx: KeyspaceContext) {}

  get size(): number {
    return this.data.size;
  }

  /** Expire time in ms or -1. */
  getExpire(key: string): number {
    const t = this.expires.get(key);
    return t === undefined ? -1 : t;
  }

  /** True if the key exists but its time has passed. */
  isExpired(key: string): boolean {
    const t = this.expires.get(key);
    // Valkey: expired only once now > when
    return t !== undefined && t < this.ctx.now && !this.ctx.expiryIgnored;
  }

  /**
   * If the key is logically expired, delete it (on a primary), notify and propagate.
   * Returns true if the key is expired (whether or not it was deleted).
   */
  expireIfNeeded(key: string): boolean {
    const t = this.expires.get(key);
    if (t === undefined || t >= this.ctx.now || this.ctx.expiryIgnored) return false;
    if (this.ctx.expiryDisabledForWrites) return true;
    this.deleteExpired(key);
    return true;
  }

  deleteExpired(key: string): void {
    const ctx = this.ctx;
    this.removeEntry(key);
    ctx.stats.expiredKeys++;
    ctx.hooks.notify('x', 'expired', key, this.id);
    ctx.hooks.keyModified(this, key, true);
    ctx.hooks.propagate(this.id, [ctx.lazyExpire ? 'UNLINK' : 'DEL', key]);
  }

  /**
   * Record an access in a key's metadata. The LRU clock is stored without reading the old value:
   * in a big keyspace that read is a cache miss, and a store does not wait for its line.
   */
  private touch(slot: number): void {
    const ctx = this.ctx;
    this.data.setMetaAt(slot, ctx.lfu === null ? ctx.lruClock() : ctx.touchedLfuMeta(this.data.metaAt(slot)));
  }

  /** Lookup for reading: lazy expiry, hit/miss stats and the access clock. */
  lookupRead(key: string, touch = true): Value | undefined {
    const slot = this.data.slotOf(key);
    if (slot < 0 || (this.expires.size > 0 && this.expireIfNeeded(key))) {
      this.ctx.stats.keyspaceMisses++;
      return undefined;
    }
    this.ctx.stats.keyspaceHits++;
    // expireIfNeeded may have moved slots only when it deleted, which returned above.
    if (touch && !this.ctx.noTouch) this.touch(slot);
    return this.data.valueAt(slot);
  }

  /**
   * Warm the cache for the keys argv[first], argv[first + step], ... up to argv[last], before a
   * command looks them up one by one (see KeyTable.prefetch).
   */
  prefetchKeys(argv: string[], first: number, last: number, step: number): void {
    if (!this.data.worthPrefetching) return;
    const hashes = commandKeyHashes;
    let n = 0;
    for (let i = first; i <= last && n < hashes.length; i += step) hashes[n++] = hashKey(argv[i]);
    this.data.prefetch(hashes, n);
  }

  /** Lookup for writing: lazy expiry, no hit/miss stats. */
  lookupWrite(key: string): Value | undefined {
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    const slot = this.data.slotOf(key);
    if (slot < 0) return undefined;
    // The caller may change the value in place: a snapshot in progress must save it first.
    if (this.guard !== null) this.guard.beforeChange(this, key);
    if (!this.ctx.noTouch) this.touch(slot);
    return this.data.valueAt(slot);
  }

  /** Lookup without side effects (no expiry deletion, no stats, no clock). Expired keys are hidden. */
  peek(key: string): Value | undefined {
    const v = this.data.get(key);
    if (v === undefined) return undefined;
    if (this.expires.size > 0 && this.isExpired(key)) return undefined;
    return v;
  }

  /** Existence check that does apply lazy expiry (EXISTS, TYPE...). */
  exists(key: string): boolean {
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return false;
    return this.data.has(key);
  }

  /**
   * Store a value (Valkey's setKey): overwrites, drops any TTL unless keepTtl, and signals
   * the modification. Notification is the caller's job (it knows the event name).
   */
  setKey(key: string, v: Value, keepTtl = false): void {
    if (this.guard !== null) this.guard.beforeChange(this, key);
    const isNew = !this.data.has(key);
    this.data.set(key, v, this.ctx.newMeta());
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
    this.trackVolatileItems(key, v);
    this.ctx.hooks.keyModified(this, key);
    if (isNew) this.ctx.hooks.keyCreated(this, key);
  }

  /**
   * Add a key that the caller knows does not exist (Valkey's dbAdd): the "new" event and
   * waking clients blocked on it; no modification signal (the caller sends it).
   */
  add(key: string, v: Value): void {
    this.data.set(key, v, this.ctx.newMeta());
    this.trackVolatileItems(key, v);
    this.ctx.hooks.keyCreated(this, key);
  }

  /** Add while loading a dataset: no events at all. */
  load(key: string, v: Value): void {
    this.data.set(key, v, this.ctx.newMeta());
    this.trackVolatileItems(key, v);
  }

  /** Replace the value of an existing key in place, keeping its TTL and metadata. */
  overwrite(key: string, v: Value): void {
    if (this.guard !== null) this.guard.beforeChange(this, key);
    const slot = this.data.slotOf(key);
    if (slot >= 0) this.data.setValueAt(slot, v);
    else this.data.set(key, v, this.ctx.newMeta());
    this.trackVolatileItems(key, v);
  }

  /**
   * Keep keys_with_volatile_items right for `key` now holding `v`: commands call it after they
   * give items of a stored value a TTL or take the last one away; the setters above call it too.
   */
  trackVolatileItems(key: string, v: Value): void {
    if (typeof v === 'string' && this.volatileKeys.size === 0) return;
    if (hasVolatileItems(v)) this.volatileKeys.set(key, 0);
    else if (this.volatileKeys.size > 0) this.volatileKeys.delete(key);
  }

  /** Delete a key (with its TTL); signals modification. Returns true if it existed. */
  delete(key: string): boolean {
    if (!this.removeEntry(key)) return false;
    this.ctx.hooks.keyModified(this, key);
    return true;
  }

  /** Remove without signalling (used by expiry, FLUSH, MOVE internals). */
  removeEntry(key: string): boolean {
    if (this.guard !== null) return this.removeGuarded(key);
    if (!this.data.delete(key)) return false;
    if (this.expires.size > 0) this.expires.delete(key);
    if (this.volatileKeys.size > 0) this.volatileKeys.delete(key);
    return true;
  }

  private removeGuarded(key: string): boolean {
    const slot = this.data.slotOf(key);
    if (slot < 0) return false;
    const oldSize = this.data.size;
    this.guard!.beforeChange(this, key);
    this.data.delete(key);
    if (this.expires.size > 0) this.expires.delete(key);
    if (this.volatileKeys.size > 0) this.volatileKeys.delete(key);
    this.guard!.afterDelete(this, slot, oldSize);
    return true;
  }

  setExpire(key: string, when: number): void {
    if (this.guard !== null) this.guard.beforeChange(this, key);
    this.expires.set(key, when);
  }

  removeExpire(key: string): boolean {
    if (this.guard !== null && this.expires.has(key)) this.guard.beforeChange(this, key);
    return this.expires.delete(key);
  }

  /** Access metadata (LRU seconds clock or LFU counter) of a key, -1 if missing. */
  metaOf(key: string): number {
    const slot = this.data.slotOf(key);
    return slot < 0 ? -1 : this.data.metaAt(slot);
  }

  setMeta(key: string, m: number): void {
    const slot = this.data.slotOf(key);
    if (slot >= 0) this.data.setMetaAt(slot, m);
  }

  /** A random key that is not expired (expired ones met on the way are reclaimed). */
  randomKey(): string | null {
    for (let tries = 0; this.data.size > 0; tries++) {
      const slot = this.data.randomSlot();
      const key = this.data.keyAt(slot);
      if (this.expires.size === 0) return key;
      if (this.expires.size === this.data.size && tries >= 100) {
        // Every key is volatile and we keep hitting expired ones: return it, as Valkey does,
        // rather than loop (it will be reclaimed on access).
        return key;
      }
      if (!this.expireIfNeeded(key)) return key;
    }
    return null;
  }

  /** Drop everything; returns how many keys were removed. */
  flush(): number {
    if (this.guard !== null) this.guard.beforeWholeDb(this);
    const n = this.data.size;
    this.data.clear();
    this.expires.clear();
    this.expireCursor = 0;
    this.avgTtl = 0;
    this.volatileKeys.clear();
    this.volatileCursor = 0;
    return n;
  }

  /** Swap contents with another database (SWAPDB). Watchers stay with their db index. */
  swapContents(other: Database): void {
    if (this.guard !== null) this.guard.beforeWholeDb(this);
    if (other.guard !== null) other.guard.beforeWholeDb(other);
    const a = this as unknown as { data: KeyTable<Value>; expires: NumberTable; avgTtl: number; expireCursor: number; volatileKeys: NumberTable; volatileCursor: number };
    const b = other as unknown as typeof a;
    [a.data, b.data] = [b.data, a.data];
    [a.expires, b.expires] = [b.expires, a.expires];
    [a.avgTtl, b.avgTtl] = [b.avgTtl, a.avgTtl];
    [a.expireCursor, b.expireCursor] = [b.expireCursor, a.expireCursor];
    [a.volatileKeys, b.volatileKeys] = [b.volatileKeys, a.volatileKeys];
    [a.volatileCursor, b.volatileCursor] = [b.volatileCursor, a.volatileCursor];
  }
}
