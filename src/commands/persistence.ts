// Persistence commands: SAVE, BGSAVE [SCHEDULE | CANCEL] and BGREWRITEAOF.

import type { CommandDef } from './table';
import type { Client } from '../server/client';
import { CF_MULTI } from '../server/client';
import { is, SYNTAX_ERR } from './util';

function save(c: Client): void {
  const p = c.server.persistence;
  if (p.bgsaveInProgress) {
    c.error('ERR Background save already in progress');
    return;
  }
  if (p.saveSync()) c.reply.ok();
  else c.error('ERR');
}

function bgsave(c: Client, argv: string[]): void {
  const p = c.server.persistence;
  let schedule = false;
  if (argv.length > 2) {
    c.error(SYNTAX_ERR);
    return;
  }
  if (argv.length === 2) {
    if (is(argv[1], 'schedule')) schedule = true;
    else if (is(argv[1], 'cancel')) {
      if (p.bgsaveInProgress) {
        p.cancel();
        c.reply.simple('Background saving cancelled');
      } else if (p.bgsaveScheduled) {
        p.cancel();
        c.reply.simple('Scheduled background saving cancelled');
      } else {
        c.error('ERR Background saving is currently not in progress or scheduled');
      }
      return;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  if (p.bgsaveInProgress) {
    if (schedule) {
      // Valkey schedules only behind an AOF rewrite; a running BGSAVE is an error either way.
    }
    c.error('ERR Background save already in progress');
    return;
  }
  if (schedule && c.server.aof.rewriteInProgress) {
    // One background job at a time: the BGSAVE starts when the AOF rewrite ends.
    p.schedule();
    c.reply.simple('Background saving scheduled');
    return;
  }
  if (c.flags & CF_MULTI || c.server.blocking.inExec) {
    // Inside a transaction the save starts after it, as Valkey schedules it.
    p.schedule();
    c.reply.simple('Background saving scheduled');
    setImmediate(() => p.runScheduledNow());
    return;
  }
  const err = p.bgsave();
  if (err) c.error(err);
  else c.reply.simple('Background saving started');
}

function bgrewriteaof(c: Client): void {
  const inTransaction = (c.flags & CF_MULTI) !== 0 || c.server.blocking.inExec;
  const r = c.server.aof.bgrewriteCommand(inTransaction);
  if (r.ok) c.reply.simple(r.text);
  else c.error(r.text);
}

export const persistenceCommands: CommandDef[] = [
  {
    name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], acl: [], handler: bgrewriteaof,
    summary: 'Rewrites the append-only file in the background.', since: '1.0.0', group: 'server', complexity: 'O(1)',
  },
  {
    name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], acl: [], handler: save,
    summary: 'Synchronously saves the database(s) to disk.', since: '1.0.0', group: 'server', complexity: 'O(N) where N is the total number of keys in all databases',
  },
  {
    name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], acl: [], handler: bgsave,
    summary: 'Asynchronously saves the database(s) to disk.', since: '1.0.0', group: 'server', complexity: 'O(1)',
    history: [['3.2.2', 'Added the `SCHEDULE` option.'], ['8.1.0', 'Added the `CANCEL` option.']],
    args: [
      {
        name: 'operation', type: 'oneof', optional: true, since: '3.2.2',
        arguments: [
          { name: 'schedule', type: 'pure-token', token: 'SCHEDULE', since: '3.2.2' },
          { name: 'cancel', type: 'pure-token', token: 'CANCEL', since: '8.1.0' },
        ],
      },
    ],
  },
];
