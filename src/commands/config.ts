// CONFIG GET / SET / REWRITE / RESETSTAT / HELP. The parameters, their parsing and the
// CONFIG SET transaction live in src/server/config.ts; this file is the command surface.

import type { CommandDef } from './table';
import type { Client } from '../server/client';
import { isLocalClient } from '../server/server';
import { replyHelp, SYNTAX_ERR } from './util';
import { forEachCommand } from './info';

/** What slowlog, MONITOR and the command log show instead of a sensitive value. */
const REDACTED = '(redacted)';

function configGet(c: Client, argv: string[]): void {
  const pairs = c.server.config.getMatching(argv.slice(2));
  c.reply.map(pairs.length);
  for (const [name, value] of pairs) {
    c.reply.bulk(name);
    c.reply.bulk(value);
  }
}

function configSet(c: Client, argv: string[]): void {
  if (argv.length % 2 !== 0) {
    c.error(SYNTAX_ERR);
    return;
  }
  const config = c.server.config;
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
  // Secrets never reach the slowlog or MONITOR: the logged argv is edited in place.
  for (let i = 2; i < argv.length; i += 2) if (config.isSensitive(argv[i])) argv[i + 1] = REDACTED;
  const err = config.set(pairs, { loading: c.server.loading, clientIsLocal: isLocalClient(c) });
  if (err !== null) c.error(err);
  else c.reply.ok();
}

function configRewrite(c: Client): void {
  const err = c.server.config.rewrite();
  if (err !== null) {
    c.server.log('warning', `CONFIG REWRITE failed: ${err.replace(/^ERR /, '')}`);
    c.error(err);
    return;
  }
  c.server.log('notice', 'CONFIG REWRITE executed with success.');
  c.reply.ok();
}

/** Zero what INFO reports as counters: server stats, keyspace stats, command and error stats. */
export function resetServerStats(c: Client): void {
  const server = c.server;
  server.stats.reset();
  server.stats.aclAuthDeniedCount = 0;
  const ks = server.ctx.stats;
  ks.expiredKeys = 0;
  ks.expiredStalePerc = 0;
  ks.expiredTimeCapReachedCount = 0;
  ks.expireCycleCpuMilliseconds = 0;
  ks.keyspaceHits = 0;
  ks.keyspaceMisses = 0;
  ks.evictedKeys = 0;
  forEachCommand(server, (cmd) => cmd.stats.reset());
}

function configResetStat(c: Client): void {
  // The slowlog / command log is not a statistic: it survives RESETSTAT, as in Valkey.
  resetServerStats(c);
  c.reply.ok();
}

function configHelp(c: Client): void {
  replyHelp(c, 'config', [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

const ADMIN = ['admin', 'noscript', 'loading', 'stale'];

const subcommands: CommandDef[] = [
  {
    name: 'get', arity: -3, flags: ADMIN, acl: [], handler: configGet,
    summary: 'Returns the effective values of configuration parameters.', since: '2.0.0', group: 'server',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
    args: [{ name: 'parameter', type: 'string', multiple: true }],
  },
  {
    name: 'set', arity: -4, flags: ADMIN, acl: [], handler: configSet,
    summary: 'Sets configuration parameters in-flight.', since: '2.0.0', group: 'server',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    args: [
      {
        name: 'data', type: 'block', multiple: true,
        arguments: [
          { name: 'parameter', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
  },
  {
    name: 'rewrite', arity: 2, flags: ADMIN, acl: [], handler: configRewrite,
    summary: 'Persists the effective configuration to file.', since: '2.8.0', group: 'server', complexity: 'O(1)',
  },
  {
    name: 'resetstat', arity: 2, flags: ADMIN, acl: [], handler: configResetStat,
    summary: 'Resets the server\'s statistics.', since: '2.0.0', group: 'server', complexity: 'O(1)',
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], handler: configHelp,
    summary: 'Returns helpful text about the different subcommands.', since: '5.0.0', group: 'server', complexity: 'O(1)',
  },
];

export const configCommands: CommandDef[] = [
  {
    name: 'config', arity: -2, flags: [], acl: [], subcommands,
    summary: 'A container for server configuration commands.', since: '2.0.0', group: 'server', complexity: 'Depends on subcommand.',
  },
];
