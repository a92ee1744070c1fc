// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Queueing happens in dispatch (processCommand answers +QUEUED and flags queueing errors);
// MULTI and WATCH carry the no_multi flag, so nesting them is refused there with
// "Command not allowed inside a transaction" and makes EXEC fail (Valkey 8.0+ behaviour).

import type { CommandDef } from './table';
import { ks } from './table';
import { type Client, CF_MULTI, CF_DIRTY_CAS, CF_DIRTY_EXEC } from '../server/client';
import { call } from '../server/dispatch';

const EXECABORT_PREVIOUS = 'EXECABORT Transaction discarded because of previous errors.';

/** Leave MULTI state: drop the queue, the dirty flags and every WATCH. */
export function discardTransaction(c: Client): void {
  c.multiQueue = [];
  c.flags &= ~(CF_MULTI | CF_DIRTY_CAS | CF_DIRTY_EXEC);
  c.server.watchers.unwatchAll(c);
}

/**
 * EXEC itself was refused before running (OOM, READONLY, MISCONF, wrong arity...): the
 * transaction is discarded and the refusal is reported as EXECABORT. `error` is the refusal
 * as an error line ("ERR ..." or "OOM ..."); a generic ERR prefix is dropped, as Valkey formats
 * these from the bare message.
 */
export function execCommandAbort(c: Client, error: string): void {
  discardTransaction(c);
  const reason = error.startsWith('ERR ') ? error.slice(4) : error;
  c.error(`EXECABORT Transaction discarded because of: ${reason}`);
}

function multi(c: Client): void {
  c.flags |= CF_MULTI;
  c.reply.ok();
}

function discard(c: Client): void {
  if (!(c.flags & CF_MULTI)) {
    c.error('ERR DISCARD without MULTI');
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

function exec(c: Client): void {
  const server = c.server;
  if (!(c.flags & CF_MULTI)) {
    c.error('ERR EXEC without MULTI');
    return;
  }
  if (server.watchers.anyWatchedKeyExpired(c)) c.flags |= CF_DIRTY_CAS;
  if (c.flags & (CF_DIRTY_CAS | CF_DIRTY_EXEC)) {
    if (c.flags & CF_DIRTY_EXEC) c.error(EXECABORT_PREVIOUS);
    else c.reply.nullArray();
    discardTransaction(c);
    return;
  }
  // Watches have done their job; drop them before running so our own writes do not touch them.
  server.watchers.unwatchAll(c);
  const queue = c.multiQueue;
  const execCmd = c.cmd;
  const execArgv = c.argv;
  c.reply.array(queue.length);
  // CF_MULTI stays set while the queue runs: blocking commands see it and do not block.
  // Time is frozen at EXEC's start (server.ctx.now is only set by top-level calls), and the
  // effects go out as one MULTI ... EXEC unit.
  server.propagation.begin();
  for (let i = 0; i < queue.length; i++) {
    call(server, c, queue[i].cmd, queue[i].argv, false);
  }
  server.propagation.end();
  c.cmd = execCmd;
  c.argv = execArgv;
  c.propagateArgv = null; // EXEC itself is never propagated, only the effects
  discardTransaction(c);
}

function watch(c: Client, argv: string[]): void {
  // No point in watching when the transaction already failed (a watched key was touched).
  if (!(c.flags & CF_DIRTY_CAS)) {
    const watchers = c.server.watchers;
    for (let i = 1; i < argv.length; i++) watchers.watch(c, c.db, argv[i]);
  }
  c.reply.ok();
}

function unwatch(c: Client): void {
  c.server.watchers.unwatchAll(c);
  c.flags &= ~CF_DIRTY_CAS;
  c.reply.ok();
}

export const transactionCommands: CommandDef[] = [
  {
    name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_multi', 'allow_busy'], acl: ['transaction'], handler: multi,
    summary: 'Starts a transaction.', since: '1.2.0', group: 'transactions', complexity: 'O(1)',
  },
  {
    name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], acl: ['transaction'], handler: exec,
    summary: 'Executes all commands queued in a transaction.', since: '1.2.0', group: 'transactions', complexity: 'Depends on commands in the transaction',
  },
  {
    name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], handler: discard,
    summary: 'Discards a transaction.', since: '2.0.0', group: 'transactions', complexity: 'O(N), when N is the number of queued commands',
  },
  {
    name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_multi', 'allow_busy'], acl: ['transaction'], handler: watch,
    keySpecs: [ks.rest(1, 1, 'RO')],
    summary: 'Monitors changes to keys to determine the execution of a transaction.', since: '2.2.0', group: 'transactions', complexity: 'O(1) for every key.',
    args: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  },
  {
    name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], handler: unwatch,
    summary: 'Forgets about watched keys of a transaction.', since: '2.2.0', group: 'transactions', complexity: 'O(1)',
  },
];
