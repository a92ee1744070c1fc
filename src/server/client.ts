// One connection: its parser, its reply buffer and the per-connection state commands use
// (selected database, protocol version, MULTI queue, WATCHed keys, subscriptions, ...).

import type { Socket } from 'node:net';
import { RequestParser, ProtocolError } from '../protocol/parser';
import { ReplyWriter } from '../protocol/reply';
import type { Database } from '../db/database';
import type { Command } from '../commands/table';
import type { Server } from './server';
import type { ClientTracking } from './tracking';
import type { Connection } from './connection';
import { hashBytes } from '../db/keytable';

/** Hashes of the keys of one pipeline, for the prefetch. */
const pipelineKeyHashes = new Int32Array(64);

/**
 * propagateArgv of a command that is propagated as it was received. A marker rather than the
 * argv itself: storing each command's new argv in the long-lived Client costs a write barrier.
 */
export const PROPAGATE_AS_RECEIVED: string[] = [];

/** Client flags (the subset of Valkey's we need); CLIENT LIST prints them as letters. */
export const CF_MULTI = 1 << 0;
/** a WATCHed key was touched: EXEC will fail */
export const CF_DIRTY_CAS = 1 << 1;
/** a command failed while queueing: EXEC will fail with EXECABORT */
export const CF_DIRTY_EXEC = 1 << 2;
export const CF_CLOSE_AFTER_REPLY = 1 << 3;
export const CF_CLOSE_ASAP = 1 << 4;
export const CF_MONITOR = 1 << 5;
export const CF_REPLICA = 1 << 6;
export const CF_PRIMARY = 1 << 7;
export const CF_BLOCKED = 1 << 8;
export const CF_NO_EVICT = 1 << 9;
export const CF_NO_TOUCH = 1 << 10;
export const CF_UNBLOCKED = 1 << 11;
export const CF_READONLY = 1 << 12;
export const CF_ASKING = 1 << 13;
export const CF_PUBSUB = 1 << 14;
/** a client that is not a socket (AOF loading, scripting) */
export const CF_FAKE = 1 << 15;
/** CLIENT CAPA redirect */
export const CF_CAPA_REDIRECT = 1 << 16;
/** CLIENT IMPORT-SOURCE ON (import-mode): may see and write keys that are logically expired */
export const CF_IMPORT_SOURCE = 1 << 17;

export type ReplyMode = 'on' | 'off' | 'skip';

export class Client {
  readonly id: number;
  readonly reply = new ReplyWriter();
  readonly parser: RequestParser;
  flags = 0;
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  user = 'default';
  authenticated: boolean;
  readonly createdAt: number;
  lastInteraction: number;
  replyMode: ReplyMode = 'on';
  /** CLIENT REPLY SKIP applies to the next command only */
  skipNextReply = false;
  /** The command (its argv) CLIENT REPLY SKIP is silencing, until it completes (it may block). */
  skippedArgv: string[] | null = null;
  /** MULTI queue */
  multiQueue: { cmd: Command; argv: string[] }[] = [];
  /** WATCHed keys as [db, key] */
  watched: { db: Database; key: string }[] = [];
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** the command being executed and the last one executed (CLIENT LIST cmd=) */
  cmd: Command | null = null;
  lastCmd: Command | null = null;
  /** argv of the command in progress (used by propagation of the current command) */
  argv: string[] = [];
  /**
   * what `call` propagates for the current command: PROPAGATE_AS_RECEIVED (its argv), a
   * rewritten form, or null for nothing
   */
  propagateArgv: string[] | null = null;
  addr: string;
  laddr: string;
  /** bytes in and out (CLIENT LIST tot-net-in / tot-net-out) */
  netIn = 0;
  netOut = 0;
  commandsProcessed = 0;
  /** when the output passed the soft limit, 0 if not over it */
  softLimitSince = 0;
  /** the last command name looked up and its command (dispatch's lookup cache) */
  lookupName = '';
  lookupResult: Command | undefined = undefined;
  /** the socket's byte path (null for fake clients: AOF loading, scripts) */
  conn: Connection | null = null;
  /** blocked state, owned by the blocking module */
  blocked: unknown = null;
  /** time (ms) the current command started, for CLIENT LIST / slowlog */
  cmdStart = 0;
  /** client-side caching state (CLIENT TRACKING), null while tracking is off */
  tracking: ClientTracking | null = null;

  constructor(readonly server: Server, readonly socket: Socket | null, id: number) {
    this.id = id;
    this.db = server.dbs[0];
    this.parser = new RequestParser({
      maxBulkLen: server.config.num('proto-max-bulk-len'),
      authRequired: false,
    });
    this.authenticated = !server.authRequired();
    const now = Date.now();
    this.createdAt = now;
    this.lastInteraction = now;
    if (socket) {
      this.addr = formatAddr(socket.remoteAddress, socket.remotePort);
      this.laddr = formatAddr(socket.localAddress, socket.localPort);
    } else {
      this.addr = '';
      this.laddr = '';
      this.flags |= CF_FAKE;
    }
    this.updateParserLimits();
  }

  /** Parser limits depend on config and on whether we are authenticated. */
  updateParserLimits(): void {
    const lim = (this.parser as unknown as { limits: { maxBulkLen: number; authRequired: boolean } }).limits;
    lim.maxBulkLen = this.server.config.num('proto-max-bulk-len');
    lim.authRequired = !this.authenticated;
  }

  /** replies accepted for the socket but not yet sent */
  get outputPending(): number {
    return this.conn === null ? 0 : this.conn.pendingBytes;
  }

  get dbIndex(): number {
    return this.db.id;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  /** In RESP2 a subscribed client may only run (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET. */
  get inPubSubMode(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size;
  }

  /** Reply with an error line; `msg` must start with its code (ERR, WRONGTYPE...). */
  error(msg: string): void {
    this.server.countError(this, msg);
    this.reply.error(msg);
  }

  /**
   * Feed socket bytes and run every complete command. A `transient` chunk's memory is reused
   * after the call: the bytes not yet run are copied out of it.
   */
  onData(chunk: Buffer, transient = false): void {
    this.netIn += chunk.length;
    this.server.stats.netInputBytes += chunk.length;
    this.parser.feed(chunk);
    const limit = this.server.hot.queryBufferLimit;
    if (this.parser.pendingBytes > limit && !this.has(CF_PRIMARY)) {
      this.server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr} (qbuf initial bytes: ...)`);
      this.server.stats.clientQueryBufferLimitDisconnections++;
      this.close();
      this.parser.clear();
      return;
    }
    this.processInput();
    if (transient) this.parser.ownPendingBytes();
  }

  /** Run queued commands until the input is exhausted or the client blocks/pauses. */
  processInput(): void {
    const server = this.server;
    server.commandTimer.beginBatch();
    if (this.db.data.worthPrefetching) this.prefetchKeys();
    while (!(this.flags & (CF_BLOCKED | CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP))) {
      let argv: string[] | null;
      try {
        argv = this.parser.next();
      } catch (e) {
        if (e instanceof ProtocolError) {
          this.protocolError(e.message);
          break;
        }
        throw e;
      }
      if (argv === null) break;
      this.lastInteraction = server.cachedNow;
      server.processCommand(this, argv);
    }
    server.commandTimer.endBatch();
    server.markPendingWrite(this);
  }

  /** Warm the cache for the keys named by the pipeline waiting in the query buffer. */
  private prefetchKeys(): void {
    const n = this.parser.peekSecondArgHashes(hashBytes, pipelineKeyHashes);
    if (n > 1) this.db.data.prefetch(pipelineKeyHashes, n);
  }

  private protocolError(msg: string): void {
    this.server.log('verbose', `Protocol error (${msg}) from client: id=${this.id} addr=${this.addr}`);
    this.reply.muted = 0;
    this.error('ERR ' + msg);
    this.parser.clear();
    this.flags |= CF_CLOSE_AFTER_REPLY;
  }

  /** Close now (pending output is still flushed if the socket allows). */
  close(): void {
    this.server.freeClient(this);
  }
}

function formatAddr(host: string | undefined, port: number | undefined): string {
  if (!host) return '';
  const h = host.startsWith('::ffff:') ? host.slice(7) : host;
  // Valkey's anetFormatAddr brackets IPv6 addresses.
  return h.includes(':') ? `[${h}]:${port ?? 0}` : `${h}:${port ?? 0}`;
}
