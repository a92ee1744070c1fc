// COMMAND and its subcommands: the command table as clients see it (COMMAND INFO, DOCS, LIST,
// COUNT) and key extraction for an arbitrary command line (GETKEYS, GETKEYSANDFLAGS).
// Every reply is built from the CommandDef data in Valkey's layout.

import type { CommandDef, ArgDoc, KeySpec, Command } from './table';
import { CMD_NO_MANDATORY_KEYS } from './table';
import type { Client } from '../server/client';
import type { Server } from '../server/server';
import { replyHelp, is, SYNTAX_ERR } from './util';
import { stringMatch } from '../util/glob';
import { lookupCommandByFullName } from './introspection';

// ---------------------------------------------------------------- flag names, in Valkey's order

/** Command flags COMMAND INFO shows (protected, may_replicate, touches_arbitrary_keys are hidden). */
const COMMAND_FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];

/** Key-spec flags as declared (upper case) -> as shown. */
const KEY_FLAG_NAMES: [string, string][] = [
  ['RO', 'RO'], ['RW', 'RW'], ['OW', 'OW'], ['RM', 'RM'], ['ACCESS', 'access'], ['UPDATE', 'update'],
  ['INSERT', 'insert'], ['DELETE', 'delete'], ['NOT_KEY', 'not_key'], ['INCOMPLETE', 'incomplete'],
  ['VARIABLE_FLAGS', 'variable_flags'],
];

const DOC_FLAG_ORDER = ['deprecated', 'syscmd'];

/** Valkey's ACL categories, for COMMAND LIST FILTERBY ACLCAT. */
const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

function commandFlagNames(cmd: Command): string[] {
  const declared = new Set(cmd.def.flags.map((f) => f.toLowerCase()));
  if (cmd.movableKeys) declared.add('movablekeys');
  return COMMAND_FLAG_ORDER.filter((f) => declared.has(f));
}

export function keyFlagNames(flags: readonly string[]): string[] {
  const declared = new Set(flags.map((f) => f.toUpperCase()));
  return KEY_FLAG_NAMES.filter(([d]) => declared.has(d)).map(([, shown]) => shown);
}

function replyStatusSet(c: Client, items: readonly string[]): void {
  c.reply.set(items.length);
  for (const s of items) c.reply.simple(s);
}

// ---------------------------------------------------------------- COMMAND INFO

function replyKeySpec(c: Client, spec: KeySpec): void {
  const r = c.reply;
  r.map(spec.notes ? 4 : 3);
  if (spec.notes) {
    r.bulk('notes');
    r.bulk(spec.notes);
  }
  r.bulk('flags');
  replyStatusSet(c, keyFlagNames(spec.flags));
  r.bulk('begin_search');
  r.map(2);
  r.bulk('type');
  if ('index' in spec.bs) {
    r.bulk('index');
    r.bulk('spec');
    r.map(1);
    r.bulk('index');
    r.int(spec.bs.index);
  } else if ('keyword' in spec.bs) {
    r.bulk('keyword');
    r.bulk('spec');
    r.map(2);
    r.bulk('keyword');
    r.bulk(spec.bs.keyword);
    r.bulk('startfrom');
    r.int(spec.bs.startfrom);
  } else {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  }
  r.bulk('find_keys');
  r.map(2);
  r.bulk('type');
  if ('range' in spec.fk) {
    r.bulk('range');
    r.bulk('spec');
    r.map(3);
    r.bulk('lastkey');
    r.int(spec.fk.range.lastkey);
    r.bulk('keystep');
    r.int(spec.fk.range.step);
    r.bulk('limit');
    r.int(spec.fk.range.limit);
  } else if ('keynum' in spec.fk) {
    r.bulk('keynum');
    r.bulk('spec');
    r.map(3);
    r.bulk('keynumidx');
    r.int(spec.fk.keynum.keynumidx);
    r.bulk('firstkey');
    r.int(spec.fk.keynum.firstkey);
    r.bulk('keystep');
    r.int(spec.fk.keynum.step);
  } else {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  }
}

/** One command in COMMAND / COMMAND INFO layout (10 fields), or a null for an unknown name. */
export function replyCommandInfo(c: Client, cmd: Command | undefined): void {
  const r = c.reply;
  if (cmd === undefined) {
    r.nullBulk();
    return;
  }
  r.array(10);
  r.bulk(cmd.fullName);
  r.int(cmd.arity);
  replyStatusSet(c, commandFlagNames(cmd));
  r.int(cmd.firstKey);
  r.int(cmd.lastKey);
  r.int(cmd.keyStep);
  replyStatusSet(c, cmd.aclCategoryNames.map((a) => '@' + a));
  const tips = cmd.def.tips ?? [];
  r.set(tips.length);
  for (const t of tips) r.bulk(t);
  const specs = cmd.def.keySpecs ?? [];
  r.set(specs.length);
  for (const spec of specs) replyKeySpec(c, spec);
  if (cmd.subcommands === null) {
    r.set(0);
  } else {
    r.array(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) replyCommandInfo(c, sub);
  }
}

function commandAll(c: Client): void {
  const cmds = c.server.commands;
  c.reply.array(cmds.size);
  for (const cmd of cmds.values()) replyCommandInfo(c, cmd);
}

function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    commandAll(c);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) replyCommandInfo(c, lookupCommandByFullName(c.server, argv[i]));
}

// ---------------------------------------------------------------- COMMAND DOCS

function argDocFlags(a: ArgDoc): string[] {
  const flags: string[] = [];
  if (a.optional) flags.push('optional');
  if (a.multiple) flags.push('multiple');
  if (a.multiple_token) flags.push('multiple_token');
  return flags;
}

function replyArgs(c: Client, args: readonly ArgDoc[]): void {
  const r = c.reply;
  r.array(args.length);
  for (const a of args) {
    const nested = a.type === 'oneof' || a.type === 'block';
    const flags = argDocFlags(a);
    const fields: [string, () => void][] = [
      ['name', () => r.bulk(a.name)],
      ['type', () => r.bulk(a.type)],
    ];
    if (!nested) fields.push(['display_text', () => r.bulk(a.display ?? a.name)]);
    if (a.key_spec_index !== undefined && a.key_spec_index >= 0) fields.push(['key_spec_index', () => r.int(a.key_spec_index!)]);
    if (a.token !== undefined) fields.push(['token', () => r.bulk(a.token!)]);
    if (a.summary !== undefined) fields.push(['summary', () => r.bulk(a.summary!)]);
    if (a.since !== undefined) fields.push(['since', () => r.bulk(a.since!)]);
    if (a.deprecated_since !== undefined) fields.push(['deprecated_since', () => r.bulk(a.deprecated_since!)]);
    if (flags.length > 0) fields.push(['flags', () => replyStatusSet(c, flags)]);
    if (nested) fields.push(['arguments', () => replyArgs(c, a.arguments ?? [])]);
    replyFields(c, fields);
  }
}

function replyFields(c: Client, fields: [string, () => void][]): void {
  c.reply.map(fields.length);
  for (const [name, value] of fields) {
    c.reply.bulk(name);
    value();
  }
}

export function replyCommandDocs(c: Client, cmd: Command): void {
  const d = cmd.def;
  const r = c.reply;
  const fields: [string, () => void][] = [];
  if (d.summary) fields.push(['summary', () => r.bulk(d.summary)]);
  if (d.since) fields.push(['since', () => r.bulk(d.since)]);
  fields.push(['group', () => r.bulk(d.group)]);
  if (d.complexity) fields.push(['complexity', () => r.bulk(d.complexity!)]);
  const docFlags = DOC_FLAG_ORDER.filter((f) => (d.docFlags ?? []).some((x) => x.toLowerCase() === f));
  if (docFlags.length > 0) fields.push(['doc_flags', () => replyStatusSet(c, docFlags)]);
  if (d.deprecatedSince) fields.push(['deprecated_since', () => r.bulk(d.deprecatedSince!)]);
  if (d.replacedBy) fields.push(['replaced_by', () => r.bulk(d.replacedBy!)]);
  if (d.history && d.history.length > 0) {
    const history = d.history;
    fields.push([
      'history',
      () => {
        r.set(history.length);
        for (const [since, change] of history) {
          r.array(2);
          r.bulk(since);
          r.bulk(change);
        }
      },
    ]);
  }
  if (d.args && d.args.length > 0) fields.push(['arguments', () => replyArgs(c, d.args!)]);
  if (cmd.subcommands !== null) {
    const subs = cmd.subcommands;
    fields.push([
      'subcommands',
      () => {
        r.map(subs.size);
        for (const sub of subs.values()) {
          r.bulk(sub.fullName);
          replyCommandDocs(c, sub);
        }
      },
    ]);
  }
  replyFields(c, fields);
}

function commandDocs(c: Client, argv: string[]): void {
  const server = c.server;
  let cmds: Command[];
  if (argv.length === 2) {
    cmds = [...server.commands.values()];
  } else {
    cmds = [];
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupCommandByFullName(server, argv[i]);
      if (cmd !== undefined) cmds.push(cmd);
    }
  }
  c.reply.map(cmds.length);
  for (const cmd of cmds) {
    c.reply.bulk(cmd.fullName);
    replyCommandDocs(c, cmd);
  }
}

// ---------------------------------------------------------------- COMMAND LIST

type ListFilter = (cmd: Command) => boolean;

function parseListFilter(c: Client, argv: string[]): ListFilter | null | undefined {
  let filter: ListFilter | undefined;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (!is(argv[i], 'filterby') || more !== 2) {
      c.error(SYNTAX_ERR);
      return null;
    }
    const kind = argv[i + 1].toLowerCase();
    const arg = argv[i + 2];
    if (kind === 'module') {
      filter = () => false; // no module commands in Fjord
    } else if (kind === 'aclcat') {
      const cat = arg.toLowerCase();
      const valid = ACL_CATEGORIES.includes(cat);
      filter = (cmd) => valid && cmd.aclCategoryNames.includes(cat);
    } else if (kind === 'pattern') {
      filter = (cmd) => stringMatch(arg, cmd.fullName, true);
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
    i += 2;
  }
  return filter;
}

function commandList(c: Client, argv: string[]): void {
  const filter = parseListFilter(c, argv);
  if (filter === null) return;
  const names: string[] = [];
  const visit = (cmds: Iterable<Command>) => {
    for (const cmd of cmds) {
      if (filter === undefined || filter(cmd)) names.push(cmd.fullName);
      if (cmd.subcommands !== null) visit(cmd.subcommands.values());
    }
  };
  visit(c.server.commands.values());
  c.reply.bulkArray(names);
}

// ---------------------------------------------------------------- COMMAND GETKEYS

/** Valkey's lookupCommand on a command line: the subcommand when there is one. */
function lookupCommandLine(server: Server, line: string[]): Command | undefined {
  const base = server.lookupCommand(line[0]);
  if (base === undefined || line.length === 1 || base.subcommands === null) return base;
  return base.subcommands.get(line[1].toLowerCase());
}

function getKeys(c: Client, argv: string[], withFlags: boolean): void {
  const line = argv.slice(2);
  const cmd = lookupCommandLine(c.server, line);
  if (cmd === undefined) {
    c.error('ERR Invalid command specified');
    return;
  }
  if (!cmd.hasKeys()) {
    c.error('ERR The command has no key arguments');
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== line.length) || line.length < -cmd.arity) {
    c.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = cmd.keysWithFlags(line);
  if (keys.length === 0) {
    if (cmd.has(CMD_NO_MANDATORY_KEYS)) c.reply.array(0);
    else c.error('ERR Invalid arguments specified for command');
    return;
  }
  c.reply.array(keys.length);
  for (const [pos, flags] of keys) {
    if (!withFlags) {
      c.reply.bulk(line[pos]);
      continue;
    }
    c.reply.array(2);
    c.reply.bulk(line[pos]);
    replyStatusSet(c, keyFlagNames(flags));
  }
}

// ---------------------------------------------------------------- the table

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all commands.',
  'COUNT',
  '    Return the total number of commands in this server.',
  'LIST',
  '    Return a list of all commands in this server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full command.',
];

const FLAGS = ['loading', 'stale'];
const ACL = ['connection'];
const ORDER_TIP = ['nondeterministic_output_order'];
const COMMAND_NAMES_ARG: ArgDoc = { name: 'command-name', type: 'string', optional: true, multiple: true };
const COMMAND_LINE_ARGS: ArgDoc[] = [
  { name: 'command', type: 'string' },
  { name: 'arg', type: 'string', optional: true, multiple: true },
];

export const commandCommands: CommandDef[] = [
  {
    name: 'command', arity: -1, flags: FLAGS, acl: ACL, handler: commandAll, tips: ORDER_TIP,
    summary: 'Returns details about every command.', since: '2.8.13', group: 'server', complexity: 'O(N) where N is the total number of commands',
    subcommands: [
      {
        name: 'count', arity: 2, flags: FLAGS, acl: ACL, handler: (c) => c.reply.int(c.server.commands.size),
        summary: 'Returns how many commands there are.', since: '2.8.13', group: 'server', complexity: 'O(1)',
      },
      {
        name: 'docs', arity: -2, flags: FLAGS, acl: ACL, handler: commandDocs, tips: ORDER_TIP,
        summary: 'Returns the documentation of some or all commands.', since: '7.0.0', group: 'server',
        complexity: 'O(N) where N is the number of commands to look up', args: [COMMAND_NAMES_ARG],
      },
      {
        name: 'getkeys', arity: -3, flags: FLAGS, acl: ACL, handler: (c, argv) => getKeys(c, argv, false),
        summary: 'Extracts the key names from a full command line.', since: '2.8.13', group: 'server',
        complexity: 'O(N) where N is the number of arguments to the command', args: COMMAND_LINE_ARGS,
      },
      {
        name: 'getkeysandflags', arity: -3, flags: FLAGS, acl: ACL, handler: (c, argv) => getKeys(c, argv, true),
        summary: 'Extracts the key names and their access flags from a full command line.', since: '7.0.0', group: 'server',
        complexity: 'O(N) where N is the number of arguments to the command', args: COMMAND_LINE_ARGS,
      },
      {
        name: 'help', arity: 2, flags: FLAGS, acl: ACL, handler: (c) => replyHelp(c, 'COMMAND', COMMAND_HELP),
        summary: 'Returns helpful text about the different subcommands.', since: '5.0.0', group: 'server', complexity: 'O(1)',
      },
      {
        name: 'info', arity: -2, flags: FLAGS, acl: ACL, handler: commandInfo, tips: ORDER_TIP,
        summary: 'Returns details about some or all commands.', since: '2.8.13', group: 'server',
        complexity: 'O(N) where N is the number of commands to look up',
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        args: [COMMAND_NAMES_ARG],
      },
      {
        name: 'list', arity: -2, flags: FLAGS, acl: ACL, handler: commandList, tips: ORDER_TIP,
        summary: 'Returns the names of the commands, optionally filtered.', since: '7.0.0', group: 'server',
        complexity: 'O(N) where N is the total number of commands',
        args: [
          {
            name: 'filterby', type: 'oneof', token: 'FILTERBY', optional: true,
            arguments: [
              { name: 'module-name', type: 'string', token: 'MODULE' },
              { name: 'category', type: 'string', token: 'ACLCAT' },
              { name: 'pattern', type: 'pattern', token: 'PATTERN' },
            ],
          },
        ],
      },
    ],
  },
];
