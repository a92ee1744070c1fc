// Client-side caching (Valkey's tracking.c): which clients may hold which keys, and the
// invalidation messages sent when those keys change.
//
// Default mode: after a read-only command the keys it read are remembered in a table of
// key -> client ids; the first change of such a key sends "invalidate [key]" to each of them
// and forgets the key. BCAST mode: a client subscribes to key prefixes instead; changed keys
// matching a prefix are collected and sent in one array per prefix once per event-loop turn
// (Valkey does it before sleeping). Messages are RESP3 push frames on the connection itself,
// or go to a REDIRECT client: as a push if that client speaks RESP3, else as a Pub/Sub message
// on __redis__:invalidate when it is subscribed to anything.
//
// Like Valkey, ids are dropped from the table lazily: a client that turns tracking off (or
// disconnects) leaves its ids behind until the key changes or is evicted from the table.

import type { Server } from './server';
import { type Client, CF_CLOSE_AFTER_REPLY, CF_CLOSE_ASAP, CF_PUBSUB } from './client';
import { type Command, CMD_PUBSUB } from '../commands/table';
import { writePush } from './pubsub';
import { encodeBulk } from '../protocol/reply';

/** Per-client tracking state (null on the client while tracking is off). */
export class ClientTracking {
  /** client id invalidations are redirected to, 0 for none */
  redirect = 0;
  bcast = false;
  optin = false;
  optout = false;
  noloop = false;
  /** CLIENT CACHING YES/NO was given for the next command (or transaction) */
  caching = false;
  /** the argv of the CLIENT CACHING command that set `caching` (it survives only that command) */
  cachingArgv: string[] | null = null;
  /** the redirect client is gone (CLIENT LIST flag R, TRACKINGINFO broken_redirect) */
  brokenRedirect = false;
  /** BCAST prefixes */
  readonly prefixes = new Set<string>();
}

/** Per-prefix state of BCAST mode: keys changed in this event-loop turn and who last changed them. */
interface BcastState {
  keys: Map<string, Client | null>;
  readonly clients: Set<Client>;
}

export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

const INVALIDATE_PUSH_HEAD = '>2\r\n' + encodeBulk('invalidate');
const INVALIDATE_MESSAGE_HEAD = '*3\r\n' + encodeBulk('message') + encodeBulk('__redis__:invalidate');
const REDIR_BROKEN_HEAD = '>2\r\n' + encodeBulk('tracking-redir-broken');
/** Read-only scripts are not tracked themselves: the commands they run are. */
const UNTRACKED_READONLY = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

export class Tracking {
  /** clients with tracking on (INFO tracking_clients) */
  clients = 0;
  /** true once any client enabled tracking (Valkey creates its tables then): keys must be checked */
  used = false;
  /** key -> ids of the clients that may have it cached */
  private readonly table = new Map<string, Set<number>>();
  /** ids stored across the whole table (INFO tracking_total_items) */
  private totalItems = 0;
  /** BCAST prefix -> its clients and pending keys */
  private readonly prefixTable = new Map<string, BcastState>();
  private broadcastScheduled = false;
  /** the client whose command is being processed (Valkey's server.current_client) */
  current: Client | null = null;
  /** top-level commands running (> 0: `current` is executing, its own invalidations wait) */
  private depth = 0;
  /** invalidations for `current` held until its command replied: a key, or null for "all keys" */
  private pending: (string | null)[] = [];
  /** how many times in a row the table stayed over tracking-table-max-keys (eviction effort) */
  private overLimitRuns = 0;

  constructor(private readonly server: Server) {}

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItemCount(): number {
    return this.totalItems;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  // ---------------------------------------------------------------- enabling

  /** CLIENT TRACKING ON (options already validated): re-enabling replaces the mode flags. */
  enable(c: Client, opts: TrackingOptions): void {
    let t = c.tracking;
    if (t === null) {
      t = new ClientTracking();
      c.tracking = t;
      this.clients++;
    }
    this.used = true;
    t.brokenRedirect = false;
    t.redirect = opts.redirect;
    t.bcast = opts.bcast;
    if (opts.bcast) {
      if (opts.prefixes.length === 0) this.addPrefix(c, t, '');
      for (const p of opts.prefixes) this.addPrefix(c, t, p);
    }
    t.optin = opts.optin;
    t.optout = opts.optout;
    t.noloop = opts.noloop;
  }

  private addPrefix(c: Client, t: ClientTracking, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixTable.set(prefix, bs);
    }
    bs.clients.add(c);
    t.prefixes.add(prefix);
  }

  /** CLIENT TRACKING OFF, RESET, or the client is gone. Its ids stay in the table (lazy cleanup). */
  disable(c: Client): void {
    const t = c.tracking;
    if (t === null) return;
    for (const prefix of t.prefixes) {
      const bs = this.prefixTable.get(prefix);
      if (bs === undefined) continue;
      bs.clients.delete(c);
      if (bs.clients.size === 0) this.prefixTable.delete(prefix);
    }
    c.tracking = null;
    this.clients--;
  }

  /**
   * The error for BCAST prefixes that overlap each other or the client's existing ones (one
   * being a prefix of the other would report a key twice), or null.
   */
  prefixCollision(c: Client, prefixes: string[]): string | null {
    const existing = c.tracking === null ? [] : [...c.tracking.prefixes].sort();
    for (let i = 0; i < prefixes.length; i++) {
      for (const old of existing) {
        if (overlaps(old, prefixes[i])) {
          return `ERR Prefix '${prefixes[i]}' overlaps with an existing prefix '${old}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i], prefixes[j])) {
          return `ERR Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the command path

  /** A top-level command starts running for `c`; returns what `exitCall` restores. */
  enterCall(c: Client): Client | null {
    const outer = this.current;
    this.current = c;
    this.depth++;
    return outer;
  }

  /**
   * The top-level command finished: send the invalidations it caused for its own client (after
   * its reply, never inside it or inside an EXEC array), then restore the outer state.
   */
  exitCall(outer: Client | null): void {
    if (--this.depth === 0 && this.pending.length > 0) this.sendPending();
    this.current = outer;
  }

  private sendPending(): void {
    const c = this.current;
    const held = this.pending;
    this.pending = [];
    if (c === null || !this.server.clients.has(c.id)) return;
    for (const key of held) this.send(c, key === null ? nullPayload(c) : keyPayload(key));
  }

  /** After a read-only command: remember the keys it read for the client that sent it. */
  rememberKeys(cmd: Command, argv: string[]): void {
    const c = this.current;
    if (c === null) return;
    const t = c.tracking;
    if (t === null || t.bcast) return;
    // OPTIN tracks only after CLIENT CACHING YES; OPTOUT tracks unless CLIENT CACHING NO.
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    if (cmd.flagBits & CMD_PUBSUB || UNTRACKED_READONLY.has(cmd.name)) return;
    const id = c.id;
    for (const pos of cmd.keyPositions(argv)) {
      const key = argv[pos];
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      if (!ids.has(id)) {
        ids.add(id);
        this.totalItems++;
      }
    }
  }

  /**
   * CLIENT CACHING affects only the next command, or the next transaction: clear it after any
   * other command once no MULTI is open (Valkey's resetClient).
   */
  afterCommand(c: Client, argv: string[], inMulti: boolean): void {
    const t = c.tracking;
    if (t !== null && t.caching && !inMulti && t.cachingArgv !== argv) {
      t.caching = false;
      t.cachingArgv = null;
    }
  }

  // ---------------------------------------------------------------- invalidation

  /**
   * A key changed (Valkey's signalModifiedKey). `expired`: deleted by expiry, which no client
   * caused (so BCAST NOLOOP clients are told about it even if they wrote the key).
   */
  keyModified(key: string, expired: boolean): void {
    const modifier = expired || this.depth === 0 ? null : this.current;
    this.invalidateKey(key, modifier, true);
  }

  private invalidateKey(key: string, modifier: Client | null, bcast: boolean): void {
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(key, modifier);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const clients = this.server.clients;
    for (const id of ids) {
      const target = clients.get(id);
      // Keys read before a switch to BCAST mode are not reported any more.
      if (target === undefined || target.tracking === null || target.tracking.bcast) continue;
      if (target === this.current) {
        if (target.tracking.noloop) continue;
        if (this.depth > 0) {
          this.pending.push(key);
          continue;
        }
      }
      this.send(target, keyPayload(key));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  /** FLUSHDB / FLUSHALL: every tracking client is told "everything" (a null), the table is emptied. */
  invalidateAll(): void {
    if (this.clients > 0) {
      for (const c of this.server.clients.values()) {
        if (c.tracking === null) continue;
        if (c === this.current) this.pending.push(null);
        else this.send(c, nullPayload(c));
      }
    }
    this.table.clear();
    this.totalItems = 0;
  }

  private rememberKeyToBroadcast(key: string, modifier: Client | null): void {
    let matched = false;
    for (const [prefix, bs] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      // Re-setting keeps the last writer, so NOLOOP clients skip only keys they changed last.
      bs.keys.set(key, modifier);
      matched = true;
    }
    if (matched && !this.broadcastScheduled) {
      this.broadcastScheduled = true;
      setImmediate(() => this.broadcast());
    }
  }

  /** Send each prefix's changed keys (sorted, as Valkey's radix tree yields them) to its clients. */
  broadcast(): void {
    this.broadcastScheduled = false;
    const prefixes = [...this.prefixTable.keys()].sort();
    for (const prefix of prefixes) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const changed = bs.keys;
      bs.keys = new Map();
      const keys = [...changed.keys()].sort();
      const all = keyArray(keys, changed, null);
      for (const c of bs.clients) {
        if (c.tracking === null) continue;
        const payload = c.tracking.noloop ? keyArray(keys, changed, c) : all;
        if (payload !== null) this.send(c, payload);
      }
    }
  }

  /**
   * tracking-table-max-keys: over the limit, forget keys (telling their clients, as if the keys
   * had changed) with an effort that grows while the table stays over it. Valkey picks random
   * keys; the oldest tracked ones go first here.
   */
  enforceLimit(): void {
    if (!this.used) return;
    const max = this.server.config.num('tracking-table-max-keys');
    if (max === 0) return;
    if (this.table.size <= max) {
      this.overLimitRuns = 0;
      return;
    }
    let effort = 100 * (this.overLimitRuns + 1);
    while (effort-- > 0) {
      const oldest = this.table.keys().next();
      if (oldest.done) break;
      this.invalidateKey(oldest.value, null, false);
      if (this.table.size <= max) {
        this.overLimitRuns = 0;
        return;
      }
    }
    this.overLimitRuns++;
  }

  // ---------------------------------------------------------------- delivery

  /**
   * Deliver one invalidation for tracking client `c` (Valkey's sendTrackingMessage); `payload`
   * is the RESP of the key list (an array, or a null for "all keys").
   */
  private send(c: Client, payload: string): void {
    const redirect = c.tracking === null ? 0 : c.tracking.redirect;
    let target = c;
    if (redirect !== 0) {
      const to = this.server.clients.get(redirect);
      if (to === undefined || to.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP)) {
        if (c.tracking !== null) c.tracking.brokenRedirect = true;
        // Only a RESP3 connection can be told, with a push on its own connection.
        if (c.reply.resp === 3) this.push(c, REDIR_BROKEN_HEAD + ':' + redirect + '\r\n');
        return;
      }
      target = to;
    }
    if (target.reply.resp === 3) {
      this.push(target, INVALIDATE_PUSH_HEAD + payload);
    } else if (target !== c && (target.flags & CF_PUBSUB || target.inPubSubMode)) {
      this.push(target, INVALIDATE_MESSAGE_HEAD + payload);
    }
    // A RESP2 connection without redirection cannot receive anything.
  }

  private push(c: Client, data: string): void {
    writePush(c, data);
    this.server.markPendingWrite(c);
  }
}

/** Two prefixes overlap when one starts with the other (the empty prefix overlaps everything). */
function overlaps(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

function keyPayload(key: string): string {
  return '*1\r\n' + encodeBulk(key);
}

/** "All keys": a RESP null in the tracking client's protocol. */
function nullPayload(c: Client): string {
  return c.reply.resp === 3 ? '_\r\n' : '$-1\r\n';
}

/** The array of `keys`, without those last changed by `skip` (NOLOOP); null if none is left. */
function keyArray(keys: string[], changedBy: Map<string, Client | null>, skip: Client | null): string | null {
  let body = '';
  let n = 0;
  for (const key of keys) {
    if (skip !== null && changedBy.get(key) === skip) continue;
    body += encodeBulk(key);
    n++;
  }
  return n === 0 ? null : '*' + n + '\r\n' + body;
}
