// The command path: lookup, the checks Valkey makes before running a command (in Valkey's
// order, with its error texts), MULTI queueing, then `call`, which runs the handler and does
// the bookkeeping (stats, slowlog, MONITOR, propagation of the effects).

import type { Server } from './server';
import { Client, CF_MULTI, CF_DIRTY_EXEC, CF_PRIMARY, CF_BLOCKED, CF_NO_TOUCH, PROPAGATE_AS_RECEIVED } from './client';
import {
  Command,
  CMD_WRITE,
  CMD_DENYOOM,
  CMD_NO_AUTH,
  CMD_NO_MULTI,
  CMD_LOADING,
  CMD_SKIP_MONITOR,
  CMD_SKIP_SLOWLOG,
  CMD_MAY_REPLICATE,
  CMD_FAST,
  CMD_READONLY,
} from '../commands/table';
import { reprArg } from '../util/repr';
import { execCommandAbort } from '../commands/transaction';

/** Commands that run immediately even inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Commands a RESP2 client may send while subscribed. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Resolve argv to a command, or reply with Valkey's unknown-command error. */
export function resolveCommand(server: Server, c: Client, argv: string[]): Command | null {
  const base = lookupCached(server, c, argv[0]);
  if (base === undefined) {
    let args = '';
    for (let i = 1; i < argv.length && args.length < 128; i++) {
      args += `'${argv[i].slice(0, 128 - args.length)}' `;
    }
    reject(server, c, null, `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`);
    return null;
  }
  if (base.subcommands === null || argv.length < 2) return base;
  const sub = base.subcommands.get(argv[1].toLowerCase());
  if (sub === undefined) {
    reject(server, c, null, `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
    return null;
  }
  return sub;
}

/**
 * The command table lookup with a one-entry cache per client: the parser hands back the same
 * name string for a repeated command, so a hit costs one comparison instead of hashing a new
 * string. The table does not change while the server runs.
 */
function lookupCached(server: Server, c: Client, name: string): Command | undefined {
  if (name === c.lookupName) return c.lookupResult;
  const cmd = server.lookupCommand(name);
  if (cmd !== undefined) {
    c.lookupName = name;
    c.lookupResult = cmd;
  }
  return cmd;
}

function arityOk(cmd: Command, argc: number): boolean {
  const a = cmd.arity;
  return a > 0 ? argc === a : argc >= -a;
}

function reject(server: Server, c: Client, cmd: Command | null, msg: string): void {
  if (cmd) cmd.stats.rejectedCalls++;
  // A refused EXEC discards the transaction and says why (Valkey's execCommandAbort).
  if (cmd !== null && cmd.name === 'exec') {
    execCommandAbort(c, msg);
    return;
  }
  c.error(msg);
  // An error while queueing makes EXEC fail (EXECABORT).
  if (c.flags & CF_MULTI) c.flags |= CF_DIRTY_EXEC;
  void server;
}

export function processCommand(server: Server, c: Client, argv: string[]): void {
  if (c.replyMode === 'skip') {
    // A command silenced by CLIENT REPLY SKIP that blocked has completed since: end the silence.
    if (c.skippedArgv !== null && c.skippedArgv !== argv) endOfCommandReplyMode(c);
    if (c.replyMode === 'skip') c.skippedArgv = argv;
  }
  // Client tracking needs the client whose command is processed (Valkey's current_client).
  const tracking = server.tracking;
  const outerClient = tracking.current;
  tracking.current = c;
  dispatchCommand(server, c, argv);
  tracking.current = outerClient;
  // A blocked command already fetched (and tracked) its keys: CLIENT CACHING is used up too.
  if (c.tracking !== null) tracking.afterCommand(c, argv, (c.flags & CF_MULTI) !== 0);
  if (!(c.flags & CF_BLOCKED) && (c.replyMode === 'skip' || c.skipNextReply)) endOfCommandReplyMode(c);
}

/**
 * CLIENT REPLY SKIP silences exactly the next command, whatever it replies (errors included),
 * as Valkey's resetClient does after each command. A blocked or postponed command keeps the
 * silence until it completes.
 */
function endOfCommandReplyMode(c: Client): void {
  c.skippedArgv = null;
  if (c.replyMode === 'skip') {
    c.replyMode = 'on';
    c.reply.muted--;
  }
  if (c.skipNextReply) {
    c.skipNextReply = false;
    if (c.replyMode === 'on') {
      c.replyMode = 'skip';
      c.reply.muted++;
    }
  }
}

function dispatchCommand(server: Server, c: Client, argv: string[]): void {
  const cmd = resolveCommand(server, c, argv);
  if (cmd === null) return;
  c.cmd = cmd;
  if (!arityOk(cmd, argv.length) || (cmd.subcommands !== null && argv.length < 2 && cmd.handler === undefined)) {
    reject(server, c, cmd, `ERR wrong number of arguments for '${cmd.fullName}' command`);
    return;
  }
  const flags = cmd.flagBits;
  if (!c.authenticated && !(flags & CMD_NO_AUTH)) {
    reject(server, c, cmd, 'NOAUTH Authentication required.');
    return;
  }
  const protectedErr = server.protectedCommandError(c, cmd);
  if (protectedErr !== null) {
    reject(server, c, cmd, protectedErr);
    return;
  }
  if (c.flags & CF_MULTI && flags & CMD_NO_MULTI) {
    reject(server, c, cmd, 'ERR Command not allowed inside a transaction');
    return;
  }
  const inMulti = (c.flags & CF_MULTI) !== 0;
  // EXEC counts as a write when it would run queued writes (READONLY / MISCONF checks).
  const isWrite = (flags & CMD_WRITE) !== 0 || (inMulti && cmd.name === 'exec' && c.multiQueue.some((q) => (q.cmd.flagBits & CMD_WRITE) !== 0));
  if (server.hot.maxmemory > 0 && !(c.flags & CF_PRIMARY)) {
    const denyOom = (flags & CMD_DENYOOM) !== 0 || (inMulti && cmd.name === 'exec' && c.multiQueue.some((q) => q.cmd.has(CMD_DENYOOM)));
    if (denyOom && !server.freeMemoryIfNeeded()) {
      reject(server, c, cmd, "OOM command not allowed when used memory > 'maxmemory'.");
      return;
    }
  }
  // Keep the client-side caching table within tracking-table-max-keys.
  if (server.tracking.clients > 0) server.tracking.enforceLimit();
  // A failing RDB save refuses writes (and PING, so clients notice), as Valkey's MISCONF.
  if ((isWrite || cmd.name === 'ping') && !(c.flags & CF_PRIMARY)) {
    const misconf = server.persistence.writeRefusedReason();
    if (misconf !== null) {
      reject(server, c, cmd, misconf);
      return;
    }
  }
  if (isWrite && server.isReadOnlyReplica() && !(c.flags & CF_PRIMARY)) {
    reject(server, c, cmd, "READONLY You can't write against a read only replica.");
    return;
  }
  if (c.reply.resp === 2 && c.inPubSubMode && !PUBSUB_ALLOWED.has(cmd.parent ? cmd.parent.name : cmd.name)) {
    reject(
      server,
      c,
      cmd,
      `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return;
  }
  if (server.loading && !(flags & CMD_LOADING)) {
    reject(server, c, cmd, 'LOADING Valkey is loading the dataset in memory');
    return;
  }
  // CLIENT PAUSE: postpone the command (the client is unblocked when the pause ends).
  if (server.pause.shouldPostpone(c, cmd, argv)) return;

  if (inMulti && !MULTI_IMMEDIATE.has(cmd.name)) {
    c.multiQueue.push({ cmd, argv });
    c.reply.raw('+QUEUED\r\n');
    return;
  }
  // A command naming several keys of a big keyspace has them brought into the cache together.
  if (cmd.keyStep > 0 && argv.length > 3 && cmd.lastKey !== cmd.firstKey) prefetchCommandKeys(c, cmd, argv);
  call(server, c, cmd, argv, true);
  c.lastCmd = cmd;
}

function prefetchCommandKeys(c: Client, cmd: Command, argv: string[]): void {
  const last = cmd.lastKey < 0 ? argv.length + cmd.lastKey : Math.min(cmd.lastKey, argv.length - 1);
  if (last > cmd.firstKey) c.db.prefetchKeys(argv, cmd.firstKey, last, cmd.keyStep);
}

/**
 * Run a command's handler with the bookkeeping around it. `topLevel` is false for commands run
 * by EXEC or scripts: their effects are propagated by the caller, as one transaction.
 */
export function call(server: Server, c: Client, cmd: Command, argv: string[], topLevel: boolean): void {
  const ctx = server.ctx;
  const t0 = server.commandTimer.start();
  const outerTracked = topLevel ? server.tracking.enterCall(c) : null;
  if (topLevel) {
    ctx.now = server.cachedNow = server.commandTimer.wallTime(t0);
    server.propagation.begin();
    // CLIENT NO-TOUCH: this command's lookups leave LRU/LFU alone (TOUCH still touches).
    ctx.noTouch = (c.flags & CF_NO_TOUCH) !== 0 && cmd.name !== 'touch';
    // Pub/sub messages for this client raised by its own command wait until after its reply.
    server.pubsub.current = c;
  }
  const dirtyBefore = server.dirty;
  const errorsBefore = server.stats.totalErrorReplies;
  c.cmd = cmd;
  c.argv = argv;
  c.propagateArgv = PROPAGATE_AS_RECEIVED;
  const replyMark = c.reply.mark();
  try {
    cmd.handler!(c, argv);
  } catch (e) {
    // A bug in a handler must not take the server down: drop the partial reply, answer with an
    // error and log it (Valkey would crash with a stack trace here).
    c.reply.truncate(replyMark);
    c.error(`ERR internal error while executing '${cmd.fullName}': ${(e as Error).message}`);
    server.stats.unexpectedErrorReplies++;
    server.log('warning', `Internal error in ${cmd.fullName}: ${(e as Error).stack ?? e}`);
  }
  const usec = Math.max(0, Math.round((server.commandTimer.stop() - t0) * 1000));
  // Client-side caching: remember the keys a read-only command fetched for its client.
  if (cmd.flagBits & CMD_READONLY && server.tracking.clients > 0) server.tracking.rememberKeys(cmd, argv);
  const st = cmd.stats;
  if (!(c.flags & CF_BLOCKED) || server.stats.totalErrorReplies !== errorsBefore) {
    st.calls++;
    st.usec += usec;
    recordLatency(st.histogram, usec);
    if (server.stats.totalErrorReplies !== errorsBefore) st.failedCalls++;
  }
  c.commandsProcessed++;
  server.stats.totalCommandsProcessed++;
  if (!(cmd.flagBits & CMD_SKIP_SLOWLOG)) server.commandLog.record(c, argv, usec, c.reply.mark() - replyMark);
  if (!(c.flags & CF_BLOCKED)) server.latency.addSampleIfNeeded(cmd.flagBits & CMD_FAST ? 'fast-command' : 'command', usec / 1000);
  // A blocked command re-run for its client was shown when it first arrived.
  if (server.monitors.size > 0 && !server.blocking.reprocessing && !(cmd.flagBits & CMD_SKIP_MONITOR)) feedMonitors(server, c, argv);

  // Propagate the command itself if it changed something (handlers may rewrite or cancel it).
  if (server.dirty !== dirtyBefore && c.propagateArgv !== null && (cmd.flagBits & (CMD_WRITE | CMD_MAY_REPLICATE))) {
    server.propagation.add(c.db.id, c.propagateArgv === PROPAGATE_AS_RECEIVED ? argv : c.propagateArgv);
  }
  if (topLevel) {
    ctx.noTouch = false;
    server.propagation.end();
    // Invalidations of the client's own keys follow its reply, before its other pushes.
    server.tracking.exitCall(outerTracked);
    server.pubsub.afterCommand();
    // Keys that got data may wake blocked clients (not while re-running one: the outer pass loops).
    if (server.blocking.hasReady && !server.blocking.reprocessing) server.blocking.serveReady();
  }
}

function recordLatency(hist: number[], usec: number): void {
  // Buckets by power of two of the duration in microseconds (latencystats percentiles).
  const b = usec <= 1 ? 0 : usec <= 0x80000000 ? 32 - Math.clz32(usec - 1) : Math.ceil(Math.log2(usec));
  while (hist.length <= b) hist.push(0);
  hist[b]++;
}

function feedMonitors(server: Server, c: Client, argv: string[]): void {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  const usec = String((now % 1000) * 1000 + Math.floor(Math.random() * 0)).padStart(6, '0');
  let who: string;
  if (c.socket === null) who = c.name === 'lua' ? 'lua' : 'unknown';
  else if (c.socket.remoteAddress === undefined) who = `unix:${server.config.str('unixsocket')}`;
  else who = c.addr;
  let line = `+${sec}.${usec} [${c.db.id} ${who}]`;
  for (const a of argv) line += ' ' + reprArg(a);
  line += '\r\n';
  for (const m of server.monitors) {
    if (m === c) continue;
    m.reply.raw(line);
    server.markPendingWrite(m);
  }
}
