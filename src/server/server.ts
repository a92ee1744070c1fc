// The server: databases, clients, the listener, the cron and the shared services commands
// use (notifications, propagation, pub/sub, stats, logging).

import * as net from 'node:net';
import * as fs from 'node:fs';
import { Client, CF_CLOSE_AFTER_REPLY, CF_CLOSE_ASAP, CF_MONITOR, CF_REPLICA, CF_PRIMARY, CF_BLOCKED, CF_PUBSUB, CF_FAKE } from './client';
import { Database, KeyspaceContext, type KeyspaceHooks } from '../db/database';
import { Config } from './config';
import { Command, type CommandDef } from '../commands/table';
import { allCommands } from '../commands/index';
import { processCommand } from './dispatch';
import { PubSub } from './pubsub';
import { Notifier } from '../db/notify';
import { PropagationChannel } from './propagation';
import { activeExpireCycle } from '../db/expire';
import { attachLfu } from '../db/lfu';
import { ServerStats } from './stats';
import { Watchers } from './watch';
import { Pause } from './pause';
import { CommandLog } from './commandlog';
import { Blocking } from './blocking';
import { Tracking } from './tracking';
import { installConfigHooks } from './configHooks';
import { Persistence } from '../persistence/persistence';
import { Aof } from '../persistence/aof';
import { Evictor } from '../db/evict';
import { LatencyMonitor } from './latency';
import { CommandTimer } from '../util/commandTimer';
import { Connection } from './connection';
import { IdleMemory } from './idleMemory';
import { performance } from 'node:perf_hooks';
import { CMD_ADMIN, CMD_PROTECTED } from '../commands/table';

export const FJORD_VERSION = '9.0.0';

const LOG_LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LOG_CHARS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Server {
  readonly config: Config;
  dbs: Database[] = [];
  readonly ctx: KeyspaceContext;
  readonly commands = new Map<string, Command>();
  readonly clients = new Map<number, Client>();
  readonly stats = new ServerStats();
  readonly pubsub: PubSub;
  readonly notifier: Notifier;
  readonly propagation = new PropagationChannel();
  readonly watchers: Watchers;
  readonly pause: Pause;
  /** gives V8's young generation back after a quiet period (server/idleMemory.ts) */
  readonly idleMemory = new IdleMemory();
  /** clients in MONITOR mode */
  readonly monitors = new Set<Client>();
  readonly commandLog: CommandLog;
  readonly blocking: Blocking;
  /** client-side caching: tracked keys and invalidation messages */
  readonly tracking: Tracking;
  readonly persistence: Persistence;
  /** the append-only file (a reader of the propagation channel) */
  readonly aof: Aof;
  /**
   * Run before any client output is written (once per event-loop turn, and before a spilled
   * reply batch): the AOF writes (and with appendfsync always, fsyncs) what the replies report.
   */
  readonly beforeReplyHooks: (() => void)[] = [];
  readonly evictor: Evictor;
  /** LATENCY: spikes per event class (command, fast-command, expire-cycle...) */
  readonly latency: LatencyMonitor;
  /** knobs set by DEBUG subcommands and read by the parts they affect */
  readonly debug = {
    /** DEBUG PAUSE-CRON: the cron does nothing while set */
    pauseCron: false,
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RDB/RESTORE payload checksums are not verified */
    skipChecksumValidation: false,
    /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this big get a plain node */
    quicklistPackedThreshold: 1 << 30,
    /** DEBUG DICT-RESIZING */
    dictResizing: true,
    /** DEBUG REPLYBUFFER PEAK-RESET-TIME (ms, -1 never) and RESIZING */
    replyBufferPeakResetTime: 5000,
    replyBufferResizing: true,
  };
  /** ms clock cached once per event-loop turn (Valkey's server.mstime) */
  cachedNow = Date.now();
  /** command durations, sharing clock reads between the commands of one input batch */
  readonly commandTimer = new CommandTimer();
  readonly startTime = Date.now();
  /** writes since the last save (rdb_changes_since_last_save) */
  dirty = 0;
  /** unix seconds of the last successful save (LASTSAVE) */
  get lastSave(): number {
    return this.persistence.lastSave;
  }
  activeExpireEnabled = true;
  /**
   * Settings read for every command or every read from a socket, copied out of the config
   * (whose lookup by name costs more) and kept current by the config hooks.
   */
  readonly hot = { maxmemory: 0, queryBufferLimit: 0 };
  /** true while loading a dataset; commands without the loading flag are refused */
  loading = false;
  runId: string;
  replId: string;
  replId2 = '0000000000000000000000000000000000000000';
  private nextClientId = 1;
  private listeners: net.Server[] = [];
  private pendingWrites = new Set<Client>();
  private flushScheduled = false;
  private cronTimer: NodeJS.Timeout | null = null;
  private cronLoops = 0;
  private logStream: fs.WriteStream | null = null;
  /** bound TCP port (the real one when port 0 was asked) */
  port = 0;
  /** set by SHUTDOWN; the process entry point decides what to do with it */
  onShutdown: ((code: number) => void) | null = null;
  shuttingDown = false;
  /** library mode: no log lines on stdout */
  quietLog = false;

  constructor(config: Config) {
    this.config = config;
    const hooks: KeyspaceHooks = {
      keyModified: (db, key, expired) => {
        this.watchers.touch(db, key);
        this.blocking.signalKeyModified(db, key);
        if (this.tracking.used) this.tracking.keyModified(key, expired === true);
      },
      keyCreated: (db, key) => {
        this.notifier.notify('n', 'new', key, db.id);
        this.blocking.signalKeyAsReady(db, key);
      },
      notify: (cls, event, key, dbid) => this.notifier.notify(cls, event, key, dbid),
      propagate: (dbid, argv) => this.propagation.add(dbid, argv),
    };
    this.ctx = new KeyspaceContext(hooks);
    this.ctx.lazyExpire = config.bool('lazyfree-lazy-expire');
    this.hot.maxmemory = config.num('maxmemory');
    this.hot.queryBufferLimit = config.num('client-query-buffer-limit');
    attachLfu(config, this.ctx);
    this.createDatabases(this.config.num('databases'));
    this.pubsub = new PubSub(this);
    this.notifier = new Notifier(this);
    this.watchers = new Watchers();
    this.pause = new Pause(this);
    this.commandLog = new CommandLog(config);
    this.blocking = new Blocking(this);
    this.tracking = new Tracking(this);
    this.persistence = new Persistence(this);
    this.aof = new Aof(this);
    this.beforeReplyHooks.push(() => this.aof.beforeReply());
    this.evictor = new Evictor(this);
    this.latency = new LatencyMonitor(config);
    this.runId = randomHex(40);
    this.replId = randomHex(40);
    this.registerCommands(allCommands());
    installConfigHooks(this);
  }

  private createDatabases(n: number): void {
    this.dbs = [];
    for (let i = 0; i < n; i++) this.dbs.push(new Database(i, this.ctx));
  }

  registerCommands(defs: CommandDef[]): void {
    for (const d of defs) {
      const cmd = new Command(d);
      this.commands.set(cmd.name, cmd);
      // Clients send names in upper or lower case: both hit the map without a toLowerCase().
      this.commandsByWire.set(cmd.name, cmd);
      this.commandsByWire.set(cmd.name.toUpperCase(), cmd);
    }
  }

  /** lookup table for dispatch: each command under its lower- and upper-case name */
  private readonly commandsByWire = new Map<string, Command>();

  /** Look a command up by its first argument (any case). */
  lookupCommand(name: string): Command | undefined {
    const cmd = this.commandsByWire.get(name);
    return cmd !== undefined ? cmd : this.commands.get(name.toLowerCase());
  }

  authRequired(): boolean {
    return this.config.str('requirepass') !== '';
  }

  // ---------------------------------------------------------------- listening

  /** Load the dataset from disk (the AOF with appendonly yes, else the RDB file), as Valkey does before serving. */
  loadData(): void {
    if (this.config.bool('appendonly')) {
      this.aof.loadAtStartup();
      return;
    }
    this.loading = true;
    try {
      this.persistence.load();
    } finally {
      this.loading = false;
    }
  }

  async listen(): Promise<void> {
    const port = this.config.num('port');
    const binds = this.config.str('bind').split(' ').filter((s: string) => s.length > 0);
    if (port !== 0 || binds.length > 0) await this.listenTcp(port, binds);
    const unix = this.config.str('unixsocket');
    if (unix) await this.listenUnix(unix);
    this.startCron();
    this.log('notice', `Server initialized`);
    this.log('notice', `Ready to accept connections tcp`);
  }

  /** Listen on the configured port and addresses, then close the previous listeners. */
  async rebind(): Promise<void> {
    const old = this.listeners.filter((l) => typeof l.address() !== 'string');
    const keep = this.listeners.filter((l) => typeof l.address() === 'string');
    this.listeners = keep;
    try {
      const port = this.config.num('port');
      const binds = this.config.str('bind').split(' ').filter((s: string) => s.length > 0);
      if (port !== 0) await this.listenTcp(port, binds);
    } catch (e) {
      for (const l of this.listeners) if (!keep.includes(l)) l.close();
      this.listeners = [...keep, ...old];
      throw e;
    }
    for (const l of old) l.close();
  }

  private async listenTcp(port: number, binds: string[]): Promise<void> {
    let bound = port;
    for (const raw of binds) {
      const optional = raw.startsWith('-');
      const host = optional ? raw.slice(1) : raw;
      const addr = host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host;
      try {
        const srv = await this.listenOne({ host: addr, port: bound, ipv6Only: addr === '::' });
        bound = (srv.address() as net.AddressInfo).port;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL')) continue;
        // Valkey: "Warning: Could not create server TCP listening socket *:6379: bind: Address already in use"
        const msg = `Warning: Could not create server TCP listening socket ${host}:${port}: bind: ${describeErrno(code)}`;
        this.log('warning', msg);
        throw new Error(msg);
      }
    }
    this.port = bound;
  }

  private listenOne(opts: net.ListenOptions): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true }, (s) => this.accept(s, false));
      srv.once('error', reject);
      srv.listen({ ...opts, backlog: this.config.num('tcp-backlog') }, () => {
        srv.removeListener('error', reject);
        srv.on('error', (e) => this.log('warning', `Listener error: ${e.message}`));
        this.listeners.push(srv);
        resolve(srv);
      });
    });
  }

  private async listenUnix(path: string): Promise<void> {
    try {
      fs.unlinkSync(path);
    } catch {
      // no stale socket
    }
    await new Promise<void>((resolve, reject) => {
      const srv = net.createServer((s) => this.accept(s, true));
      srv.once('error', reject);
      srv.listen(path, () => {
        srv.removeListener('error', reject);
        try {
          fs.chmodSync(path, parseInt(this.config.str('unixsocketperm') || '0', 8) || 0o700);
        } catch {
          // keep default permissions
        }
        this.listeners.push(srv);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket, isUnix: boolean): void {
    this.stats.totalConnectionsReceived++;
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      socket.on('error', () => {});
      return;
    }
    if (!isUnix && this.protectedModeRejects(socket)) {
      this.stats.rejectedConnections++;
      socket.end('-' + PROTECTED_MODE_ERROR + '\r\n');
      socket.on('error', () => {});
      return;
    }
    socket.setNoDelay(true);
    const keepalive = this.config.num('tcp-keepalive');
    if (keepalive > 0 && !isUnix) socket.setKeepAlive(true, keepalive * 1000);
    const c = new Client(this, socket, this.nextClientId++);
    if (isUnix) c.addr = `${this.config.str('unixsocket')}:0`;
    c.reply.spill = (chunk) => this.writeToClient(c, chunk);
    this.clients.set(c.id, c);
    c.conn = new Connection(
      socket,
      (chunk, transient) => {
        // Valkey stamps last_interaction with its cron-cached time too; no clock read per packet.
        c.lastInteraction = this.cachedNow;
        c.onData(chunk, transient);
      },
      () => c.conn?.resumeReading(),
    );
    socket.on('error', () => this.freeClient(c));
    socket.on('close', () => this.freeClient(c));
  }

  private protectedModeRejects(socket: net.Socket): boolean {
    if (!this.config.bool('protected-mode')) return false;
    if (this.authRequired()) return false;
    const binds = this.config.str('bind');
    if (binds !== '* -::*' && binds !== '') return false;
    const ip = socket.remoteAddress ?? '';
    return !(ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.'));
  }

  newFakeClient(): Client {
    return new Client(this, null, this.nextClientId++);
  }

  // ---------------------------------------------------------------- command path

  processCommand(c: Client, argv: string[]): void {
    processCommand(this, c, argv);
  }

  /** Count an error reply for INFO errorstats (the first word is the error code). */
  countError(c: Client, msg: string): void {
    this.stats.countError(msg);
    if (c.cmd) c.cmd.stats.failedCalls += 0; // failed_calls is counted by dispatch after the call
  }

  /**
   * DEBUG and MODULE are "protected" commands: refused unless enable-debug-command /
   * enable-module-command is yes, or local and the connection is local.
   */
  protectedCommandError(c: Client, cmd: { name: string; flagBits: number }): string | null {
    if (!(cmd.flagBits & CMD_PROTECTED)) return null;
    const cfgName = cmd.name === 'module' ? 'enable-module-command' : 'enable-debug-command';
    const v = this.config.str(cfgName);
    if (v === 'yes') return null;
    if (v === 'local' && isLocalClient(c)) return null;
    const upper = cmd.name.toUpperCase();
    return `ERR ${upper} command not allowed. If the ${cfgName} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`;
  }

  /** Eviction entry point (maxmemory); returns false when memory cannot be freed. */
  freeMemoryIfNeeded(): boolean {
    return this.evictor.performEvictions();
  }

  isReplica(): boolean {
    return this.primaryHost !== null;
  }

  isReadOnlyReplica(): boolean {
    return this.primaryHost !== null && this.config.bool('replica-read-only');
  }

  /** replicaof target, null on a primary */
  primaryHost: string | null = null;

  /**
   * SHUTDOWN and signals: optionally save, close everything, then report through onShutdown.
   * Returns false when the shutdown was refused (a required save failed without FORCE).
   */
  async shutdown(opts: { signal?: boolean; save?: boolean; nosave?: boolean; force?: boolean } = {}): Promise<boolean> {
    if (this.shuttingDown) return true;
    // The AOF first, as Valkey's finishShutdown: refused while the first AOF is still being written.
    if (!this.aof.prepareForShutdown(opts.force === true)) return false;
    const wantSave = opts.save || (!opts.nosave && this.saver !== null && this.config.str('save') !== '');
    if (wantSave && this.saver) {
      this.log('notice', 'Saving the final RDB snapshot before exiting.');
      const ok = this.saver();
      if (!ok && !opts.force) {
        this.log('warning', 'Error trying to save the DB, can\'t exit.');
        return false;
      }
    }
    this.shuttingDown = true;
    this.log('warning', 'Valkey is now ready to exit, bye bye...');
    await this.close();
    this.onShutdown?.(0);
    return true;
  }

  /** Synchronous save for SHUTDOWN (installed by persistence); null while there is none. */
  saver: (() => boolean) | null = null;

  // ---------------------------------------------------------------- output

  markPendingWrite(c: Client): void {
    if (c.reply.length === 0 && !(c.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP))) return;
    this.pendingWrites.add(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushPendingWrites());
    }
  }

  /** Write every client's buffered replies: one socket write per client per event-loop turn. */
  flushPendingWrites(): void {
    this.flushScheduled = false;
    this.runBeforeReplyHooks();
    const list = this.pendingWrites;
    this.pendingWrites = new Set();
    for (const c of list) this.flushClient(c);
  }

  private runBeforeReplyHooks(): void {
    for (let i = 0; i < this.beforeReplyHooks.length; i++) this.beforeReplyHooks[i]();
  }

  /** Send bytes to a client now (a reply batch too big to keep buffered). */
  private writeToClient(c: Client, chunk: Buffer): void {
    const conn = c.conn;
    if (conn === null || conn.destroyed) return;
    this.runBeforeReplyHooks();
    c.netOut += chunk.length;
    this.stats.netOutputBytes += chunk.length;
    conn.write(chunk);
    if (this.checkOutputLimits(c, conn.pendingBytes)) c.flags |= CF_CLOSE_ASAP;
  }

  private flushClient(c: Client): void {
    const conn = c.conn;
    if (conn === null || conn.destroyed) return;
    const out = c.reply.view();
    // Valkey counts replies against client-output-buffer-limit before they are written, so a
    // reply that alone reaches the hard limit closes the client instead of being sent.
    const queued = conn.pendingBytes + (out === null ? 0 : out.length);
    if (queued > 0 && !(c.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP)) && this.checkOutputLimits(c, queued)) return;
    if (out !== null) {
      c.netOut += out.length;
      this.stats.netOutputBytes += out.length;
      // Usually the kernel takes the bytes at once and the reply storage is reused as it is.
      if (conn.write(out)) c.reply.clear();
      else c.reply.release();
    }
    if (c.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP)) {
      // QUIT and protocol errors let the replies go out first; an output-limit kill does not.
      this.freeClient(c, (c.flags & CF_CLOSE_ASAP) === 0);
      return;
    }
    const pending = conn.pendingBytes;
    if (pending > 0) {
      // Backpressure: stop reading from a client that does not read its replies.
      if (pending > 256 * 1024 && !(c.flags & (CF_REPLICA | CF_PUBSUB))) conn.pauseReading();
    } else {
      c.softLimitSince = 0;
    }
  }

  /** Valkey's client-output-buffer-limit: returns true if the client was closed. */
  private checkOutputLimits(c: Client, pending: number): boolean {
    const cls = c.flags & CF_REPLICA ? 'replica' : c.inPubSubMode || c.flags & CF_PUBSUB ? 'pubsub' : 'normal';
    const lim = this.config.outputBufferLimit(cls);
    if (!lim) return false;
    let over = false;
    if (lim.hard > 0 && pending >= lim.hard) over = true;
    if (!over && lim.soft > 0 && pending >= lim.soft) {
      if (c.softLimitSince === 0) c.softLimitSince = this.cachedNow;
      else if (this.cachedNow - c.softLimitSince >= lim.seconds * 1000) over = true;
    } else if (lim.soft > 0 && pending < lim.soft) {
      c.softLimitSince = 0;
    }
    if (over) {
      this.stats.clientOutputBufferLimitDisconnections++;
      this.log('warning', `Client id=${c.id} addr=${c.addr} name=${c.name} scheduled to be closed ASAP for overcoming of output buffer limits.`);
      c.socket?.destroy();
      this.freeClient(c);
      return true;
    }
    return false;
  }

  /**
   * Forget a client and close its connection: at once, or, when `graceful` (QUIT, a protocol
   * error), after the replies already accepted for it have been sent.
   */
  freeClient(c: Client, graceful = false): void {
    if (!this.clients.has(c.id)) return;
    this.clients.delete(c.id);
    this.pendingWrites.delete(c);
    this.watchers.unwatchAll(c);
    this.pubsub.unsubscribeAll(c);
    this.monitors.delete(c);
    this.tracking.disable(c);
    c.flags |= CF_CLOSE_ASAP;
    if (c.flags & CF_BLOCKED) {
      this.pause.forget(c);
      this.blocking.unblock(c, false);
    }
    this.onClientFreed?.(c);
    const conn = c.conn;
    if (conn !== null && !conn.destroyed) {
      if (c.reply.length > 0) {
        this.runBeforeReplyHooks();
        const out = c.reply.take();
        conn.end(out ?? undefined);
      } else if (graceful) {
        conn.end();
      } else {
        conn.destroy();
      }
    }
  }

  /** Hook for modules that track clients (blocking). */
  onClientFreed: ((c: Client) => void) | null = null;

  // ---------------------------------------------------------------- cron

  private startCron(): void {
    const hz = Math.max(1, Math.min(500, this.config.num('hz')));
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref?.();
  }

  restartCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.startCron();
  }

  private cron(): void {
    this.cachedNow = Date.now();
    if (this.debug.pauseCron) return;
    this.cronLoops++;
    this.ctx.now = this.cachedNow;
    if (this.activeExpireEnabled && !this.loading && !this.pause.writesPaused()) {
      const t0 = performance.now();
      activeExpireCycle(this);
      this.latency.addSampleIfNeeded('expire-cycle', performance.now() - t0);
    }
    this.pause.cron();
    this.persistence.cron();
    this.aof.cron();
    this.clientsCron();
    // Also done before every command; here so a lowered limit applies on an idle server too.
    if (this.tracking.clients > 0) this.tracking.enforceLimit();
    this.stats.sampleInstantaneous(this.cachedNow);
    this.idleMemory.tick(this.cachedNow, this.stats);
    this.onCron?.();
  }

  onCron: (() => void) | null = null;

  private clientsCron(): void {
    const timeout = this.config.num('timeout') * 1000;
    if (timeout <= 0) return;
    const now = this.cachedNow;
    for (const c of this.clients.values()) {
      if (c.flags & (CF_REPLICA | CF_PRIMARY | CF_BLOCKED | CF_FAKE | CF_MONITOR)) continue;
      if (c.inPubSubMode) continue;
      if (now - c.lastInteraction > timeout) {
        this.log('verbose', 'Closing idle client');
        c.close();
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  async close(): Promise<void> {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.aof.close();
    this.persistence.cancel(); // a running BGSAVE stops and removes its temp file
    for (const c of [...this.clients.values()]) {
      c.socket?.destroy();
      this.freeClient(c);
    }
    await Promise.all(this.listeners.map((l) => new Promise<void>((r) => l.close(() => r()))));
    this.listeners = [];
    const unix = this.config.str('unixsocket');
    if (unix) {
      try {
        fs.unlinkSync(unix);
      } catch {
        // already gone
      }
    }
    if (this.logStream) this.logStream.end();
  }

  // ---------------------------------------------------------------- logging

  log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void {
    const want = LOG_LEVELS[this.config.str('loglevel')] ?? 2;
    const lvl = LOG_LEVELS[level];
    if (lvl < want) return;
    const d = new Date();
    const ts = `${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    const line = `${process.pid}:M ${ts} ${LOG_CHARS[lvl]} ${msg}\n`;
    const file = this.config.str('logfile');
    if (file === '') {
      if (this.quietLog) return;
      process.stdout.write(line);
    } else {
      if (!this.logStream) this.logStream = fs.createWriteStream(file, { flags: 'a' });
      this.logStream.write(line);
    }
  }

  /** Reopen the log file (after rotation or a logfile config change). */
  reopenLog(): void {
    if (this.logStream) this.logStream.end();
    this.logStream = null;
  }

  uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startTime) / 1000);
  }

  get cronLoopCount(): number {
    return this.cronLoops;
  }
}

const PROTECTED_MODE_ERROR =
  "DENIED Valkey is running in protected mode because protected mode is enabled and no password is set for the default user. " +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Valkey you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Valkey from the same host the server is running, however MAKE SURE Valkey is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
  "2) Alternatively you can just disable the protected mode by editing the Valkey configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
  '3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. ' +
  '4) Set up an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.';

export function isLocalClient(c: Client): boolean {
  const s = c.socket;
  if (!s) return true;
  const ip = s.remoteAddress;
  if (ip === undefined) return true; // unix socket
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function randomHex(n: number): string {
  const chars = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(Math.random() * 16)];
  return s;
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'Address already in use';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
    case 'EACCES':
      return 'Permission denied';
    default:
      return code ?? 'unknown error';
  }
}
