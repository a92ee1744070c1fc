// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, ...): a blocked client waits on
// keys; writes mark keys ready; after each command the ready keys are served in the order the
// clients blocked, by re-running their command as Valkey does. A re-run that still finds
// nothing leaves the client blocked with its original deadline.

import type { Server } from './server';
import { type Client, CF_BLOCKED, CF_MULTI } from './client';
import { type Database, type Value, type TypeName, typeOf } from '../db/database';
import type { Command } from '../commands/table';
import { call } from './dispatch';

export interface BlockState {
  kind: 'keys';
  db: Database;
  keys: string[];
  cmd: Command;
  argv: string[];
  /** absolute ms deadline, 0 = forever */
  deadline: number;
  timer: NodeJS.Timeout | null;
  /** reply sent on timeout (null array for most, null bulk for BLMOVE...) */
  onTimeout: (c: Client) => void;
  /** true for XREADGROUP: the client is also woken when the key is deleted */
  wakeOnDelete: boolean;
}

/** The longest delay setTimeout accepts. */
const MAX_TIMER_MS = 0x7fffffff;

export class Blocking {
  /** per db: key -> clients waiting on it, in blocking order */
  private waiting = new Map<Database, Map<string, Client[]>>();
  /** per db: key -> how many of its waiters are wakeOnDelete ones (total_blocking_keys_on_nokey) */
  private nokeyWaiters = new Map<Database, Map<string, number>>();
  /** keys that got data since the last serve pass */
  private ready: { db: Database; key: string }[] = [];
  private readySet = new Set<string>();
  /** true while a command is being re-run for a blocked client */
  reprocessing = false;
  blockedClients = 0;
  totalBlockingKeys = 0;
  totalBlockingKeysOnNokey = 0;

  constructor(private readonly server: Server) {}

  /**
   * Block `c` on `keys`. Inside MULTI (or a script) a blocking command does not block: the
   * caller must check `canBlock` first and answer as if the timeout had expired.
   */
  block(c: Client, keys: string[], timeoutMs: number, onTimeout: (c: Client) => void, wakeOnDelete = false): void {
    if (this.reprocessing) return; // still nothing: stay blocked with the original state
    const db = c.db;
    const st: BlockState = {
      kind: 'keys',
      db,
      keys: [...new Set(keys)],
      cmd: c.cmd!,
      argv: c.argv,
      deadline: timeoutMs > 0 ? this.server.cachedNow + timeoutMs : 0,
      timer: null,
      onTimeout,
      wakeOnDelete,
    };
    let byKey = this.waiting.get(db);
    if (!byKey) {
      byKey = new Map();
      this.waiting.set(db, byKey);
    }
    for (const k of st.keys) {
      let list = byKey.get(k);
      if (!list) {
        list = [];
        byKey.set(k, list);
        this.totalBlockingKeys++;
      }
      list.push(c);
      if (wakeOnDelete) this.countNokeyWaiter(db, k, 1);
    }
    c.flags |= CF_BLOCKED;
    c.blocked = st;
    this.blockedClients++;
    if (timeoutMs > 0) this.armTimer(c, st, timeoutMs);
  }

  /**
   * Time the client out after `ms`. A Node timer holds at most 2^31-1 ms (and fires at once
   * when asked for more), so a longer wait (BLPOP k 2147483647) is made of several timers.
   */
  private armTimer(c: Client, st: BlockState, ms: number): void {
    const chunk = Math.min(ms, MAX_TIMER_MS);
    st.timer = setTimeout(() => (ms > chunk ? this.armTimer(c, st, ms - chunk) : this.timeout(c)), chunk);
  }

  /** A blocking command may block only outside MULTI/EXEC and scripts. */
  canBlock(c: Client): boolean {
    return !(c.flags & CF_MULTI) && !this.inExec && !this.inScript;
  }

  inExec = false;
  inScript = false;

  /** Called by the keyspace when a key gets data (push, add, create, rename into). */
  signalKeyAsReady(db: Database, key: string): void {
    const byKey = this.waiting.get(db);
    if (!byKey || !byKey.has(key)) return;
    const id = db.id + '\0' + key;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db, key });
  }

  /**
   * SWAPDB: every key waited on in `db` that now holds a value is ready (Valkey's
   * scanDatabaseForReadyKeys), and so is every key a wakeOnDelete client waits on (its key may
   * be gone: scanDatabaseForDeletedKeys).
   */
  signalExistingKeys(db: Database): void {
    const byKey = this.waiting.get(db);
    if (!byKey) return;
    for (const key of byKey.keys()) {
      if (db.data.has(key) || this.hasNokeyWaiter(db, key)) this.signalKeyAsReady(db, key);
    }
  }

  /**
   * A key was changed, deleted or replaced by a value of another type: clients blocked with
   * wakeOnDelete (XREADGROUP) re-run to find out (Valkey's signalDeletedKeyAsReady).
   */
  signalKeyModified(db: Database, key: string): void {
    if (this.totalBlockingKeysOnNokey === 0) return;
    if (this.hasNokeyWaiter(db, key)) this.signalKeyAsReady(db, key);
  }

  /** FLUSHDB / FLUSHALL: wakeOnDelete clients of `db` re-run (their keys are gone). */
  signalFlushedDb(db: Database): void {
    if (this.totalBlockingKeysOnNokey === 0) return;
    const byKey = this.waiting.get(db);
    if (!byKey) return;
    for (const key of byKey.keys()) if (this.hasNokeyWaiter(db, key)) this.signalKeyAsReady(db, key);
  }

  /** A key counts in total_blocking_keys_on_nokey while at least one wakeOnDelete client waits on it. */
  private countNokeyWaiter(db: Database, key: string, delta: 1 | -1): void {
    let byKey = this.nokeyWaiters.get(db);
    if (!byKey) {
      byKey = new Map();
      this.nokeyWaiters.set(db, byKey);
    }
    const n = (byKey.get(key) ?? 0) + delta;
    if (n === 0) {
      byKey.delete(key);
      this.totalBlockingKeysOnNokey--;
    } else {
      if (n === 1 && delta === 1) this.totalBlockingKeysOnNokey++;
      byKey.set(key, n);
    }
  }

  private hasNokeyWaiter(db: Database, key: string): boolean {
    return this.nokeyWaiters.get(db)?.has(key) ?? false;
  }

  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** Serve clients blocked on ready keys; loops because serving may make more keys ready. */
  serveReady(): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      this.readySet.clear();
      for (const { db, key } of batch) {
        const list = this.waiting.get(db)?.get(key);
        if (!list) continue;
        // Snapshot: clients blocked while serving wait for the next pass.
        for (const c of [...list]) {
          if (!(c.flags & CF_BLOCKED)) continue;
          const st = c.blocked as BlockState;
          if (st.db !== db || !wakesUp(st, db.peek(key))) continue;
          this.rerun(c, st);
        }
      }
    }
  }

  private rerun(c: Client, st: BlockState): void {
    const server = this.server;
    const prevDb = c.db;
    c.db = st.db;
    this.reprocessing = true;
    try {
      // Run as a top-level unit so the served pop is propagated as its own effect.
      call(server, c, st.cmd, st.argv, true);
    } finally {
      this.reprocessing = false;
    }
    if (c.db === st.db) c.db = prevDb;
    if (this.served) {
      this.served = false;
      // The call is counted once, when the client is unblocked (dispatch skips blocked ones).
      st.cmd.stats.calls++;
      this.unblock(c, false);
      server.markPendingWrite(c);
      // The client may have more commands queued behind the blocking one.
      setImmediate(() => {
        if (server.clients.has(c.id)) c.processInput();
      });
    }
  }

  /** Set by a re-run command that produced its reply (the client is served). */
  served = false;

  /** Handlers call this when they serve a blocked client on re-run. */
  markServed(): void {
    if (this.reprocessing) this.served = true;
  }

  private timeout(c: Client): void {
    if (!(c.flags & CF_BLOCKED)) return;
    const st = c.blocked as BlockState;
    st.timer = null;
    this.server.cachedNow = Date.now();
    st.onTimeout(c);
    st.cmd.stats.calls++;
    this.unblock(c, false);
    this.server.markPendingWrite(c);
    c.processInput();
  }

  /** Remove the client from every wait list. `errorReply` is sent when given (CLIENT UNBLOCK ERROR). */
  unblock(c: Client, viaClientUnblock: boolean, errorReply?: string): void {
    if (!(c.flags & CF_BLOCKED) || !c.blocked || (c.blocked as { kind: string }).kind !== 'keys') return;
    const st = c.blocked as BlockState;
    if (st.timer) clearTimeout(st.timer);
    const byKey = this.waiting.get(st.db);
    if (byKey) {
      for (const k of st.keys) {
        const list = byKey.get(k);
        if (!list) continue;
        const i = list.indexOf(c);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) {
          byKey.delete(k);
          this.totalBlockingKeys--;
        }
        if (st.wakeOnDelete && i >= 0) this.countNokeyWaiter(st.db, k, -1);
      }
    }
    c.flags &= ~CF_BLOCKED;
    c.blocked = null;
    this.blockedClients--;
    if (viaClientUnblock) {
      if (errorReply !== undefined) c.error(errorReply);
      else st.onTimeout(c);
      st.cmd.stats.calls++;
      this.server.markPendingWrite(c);
      setImmediate(() => {
        if (this.server.clients.has(c.id)) c.processInput();
      });
    }
  }

  /** Is the client blocked on keys (CLIENT UNBLOCK only applies to those)? */
  isBlockedOnKeys(c: Client): boolean {
    return (c.flags & CF_BLOCKED) !== 0 && (c.blocked as { kind?: string } | null)?.kind === 'keys';
  }
}

/**
 * Valkey re-runs a blocked command for a ready key only when the key now holds the type the
 * command waits for (a list for BLPOP, a sorted set for BZPOPMIN, a stream for XREAD): a key
 * that became, say, a string leaves the client blocked. Clients that must learn about a
 * deleted key (XREADGROUP) are always re-run.
 */
function wakesUp(st: BlockState, value: Value | undefined): boolean {
  if (st.wakeOnDelete) return true;
  if (value === undefined) return false;
  const wanted = WAITED_TYPE[st.cmd.def.group];
  return wanted === undefined || typeOf(value) === wanted;
}

/** The value type a blocking command waits for, by its command group. */
const WAITED_TYPE: Record<string, TypeName> = { list: 'list', 'sorted-set': 'zset', sorted_set: 'zset', stream: 'stream' };
