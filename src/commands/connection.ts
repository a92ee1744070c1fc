// Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET.

import type { CommandDef } from './table';
import { type Client, CF_MULTI, CF_DIRTY_CAS, CF_DIRTY_EXEC, CF_CLOSE_AFTER_REPLY, CF_MONITOR, CF_NO_EVICT, CF_NO_TOUCH } from '../server/client';
import { is, DB_OUT_OF_RANGE, NOT_INTEGER } from './util';
import { parseLongLong } from '../util/numbers';
import { FJORD_VERSION } from '../server/server';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.error(`ERR wrong number of arguments for 'ping' command`);
    return;
  }
  if (c.reply.resp === 2 && c.inPubSubMode) {
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(argv.length === 2 ? argv[1] : '');
    return;
  }
  if (argv.length === 2) c.reply.bulk(argv[1]);
  else c.reply.raw('+PONG\r\n');
}

function select(c: Client, argv: string[]): void {
  const n = parseLongLong(argv[1]);
  if (n === null || n < -2147483648 || n > 2147483647) {
    c.error(NOT_INTEGER);
    return;
  }
  const err = selectDb(c, n);
  if (err) c.error(err);
  else c.reply.ok();
}

/** Switch the client's database; returns an error text or null. */
export function selectDb(c: Client, id: number): string | null {
  if (id < 0 || id >= c.server.dbs.length) return DB_OUT_OF_RANGE;
  c.db = c.server.dbs[id];
  return null;
}

/** Check a password for a user; only the default user exists until ACL lands. */
export function checkPassword(c: Client, user: string, pass: string): boolean {
  if (user !== 'default') return false;
  const required = c.server.config.str('requirepass');
  return required === '' || required === pass;
}

function authenticate(c: Client, user: string, pass: string): boolean {
  if (!checkPassword(c, user, pass)) {
    c.server.stats.aclAuthDeniedCount = (c.server.stats.aclAuthDeniedCount ?? 0) + 1;
    return false;
  }
  c.authenticated = true;
  c.user = user;
  c.updateParserLimits();
  return true;
}

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.error('ERR syntax error');
    return;
  }
  if (argv.length === 2 && c.server.config.str('requirepass') === '') {
    c.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    return;
  }
  const user = argv.length === 3 ? argv[1] : 'default';
  const pass = argv[argv.length - 1];
  if (authenticate(c, user, pass)) c.reply.ok();
  else c.error(WRONGPASS);
}

/** Valkey refuses client names with spaces or characters outside '!'..'~'. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseLongLong(argv[1]);
    if (v === null) {
      c.error('ERR Protocol version is not an integer or out of range');
      return;
    }
    ver = v;
    next = 2;
    if (ver < 2 || ver > 3) {
      c.error('NOPROTO unsupported protocol version');
      return;
    }
  }
  let authUser: string | null = null;
  let authPass = '';
  let setName: string | null = null;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (is(argv[j], 'auth') && more >= 2) {
      authUser = argv[j + 1];
      authPass = argv[j + 2];
      j += 2;
    } else if (is(argv[j], 'setname') && more >= 1) {
      setName = argv[j + 1];
      j += 1;
    } else {
      c.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
      return;
    }
  }
  if (authUser !== null && !authenticate(c, authUser, authPass)) {
    c.error(WRONGPASS);
    return;
  }
  if (!c.authenticated) {
    c.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    return;
  }
  if (setName !== null) {
    if (!validClientName(setName)) {
      c.error('ERR Client names cannot contain spaces, newlines or special characters.');
      return;
    }
    c.name = setName;
  }
  if (ver !== 0) c.reply.resp = ver as 2 | 3;
  const server = c.server;
  const az = server.config.str('availability-zone');
  c.reply.map(az ? 8 : 7);
  c.reply.bulk('server');
  c.reply.bulk('valkey');
  c.reply.bulk('version');
  c.reply.bulk(FJORD_VERSION);
  c.reply.bulk('proto');
  c.reply.int(c.reply.resp);
  c.reply.bulk('id');
  c.reply.int(c.id);
  c.reply.bulk('mode');
  c.reply.bulk(server.config.bool('cluster-enabled') ? 'cluster' : 'standalone');
  c.reply.bulk('role');
  c.reply.bulk(server.isReplica() ? 'replica' : 'master');
  c.reply.bulk('modules');
  c.reply.array(0);
  if (az) {
    c.reply.bulk('availability_zone');
    c.reply.bulk(az);
  }
}

function quit(c: Client): void {
  c.reply.ok();
  c.flags |= CF_CLOSE_AFTER_REPLY;
}

function reset(c: Client): void {
  const server = c.server;
  c.multiQueue = [];
  c.flags &= ~(CF_MULTI | CF_DIRTY_CAS | CF_DIRTY_EXEC | CF_NO_EVICT | CF_NO_TOUCH);
  server.watchers.unwatchAll(c);
  server.pubsub.unsubscribeAll(c);
  server.tracking.disable(c);
  if (c.flags & CF_MONITOR) {
    c.flags &= ~CF_MONITOR;
    server.monitors.delete(c);
  }
  c.db = server.dbs[0];
  c.reply.resp = 2;
  c.name = '';
  c.replyMode = 'on';
  c.reply.muted = 0;
  c.user = 'default';
  c.authenticated = !server.authRequired();
  c.updateParserLimits();
  c.reply.simple('RESET');
}

function echo(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]);
}

export const connectionCommands: CommandDef[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], acl: ['connection'], handler: ping,
    summary: 'Checks that the connection is alive.', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: [{ name: 'message', type: 'string', optional: true }],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  },
  {
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'], handler: echo,
    summary: 'Replies with the given string.', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: [{ name: 'message', type: 'string' }],
  },
  {
    name: 'quit', arity: -1, flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], acl: ['connection'], handler: quit,
    summary: 'Closes the connection.', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    deprecatedSince: '7.2.0', replacedBy: 'just closing the connection', docFlags: ['deprecated'],
  },
  {
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'], handler: select,
    summary: 'Changes the selected database.', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: [{ name: 'index', type: 'integer' }],
  },
  {
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], handler: auth,
    summary: 'Authenticates the connection.', since: '1.0.0', group: 'connection', complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: [{ name: 'username', type: 'string', optional: true, since: '6.0.0' }, { name: 'password', type: 'string' }],
  },
  {
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], handler: hello,
    summary: 'Handshakes with the server.', since: '6.0.0', group: 'connection', complexity: 'O(1)',
    history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
    args: [
      {
        name: 'arguments', type: 'block', optional: true,
        arguments: [
          { name: 'protover', type: 'integer' },
          { name: 'auth', type: 'block', token: 'AUTH', optional: true, arguments: [{ name: 'username', type: 'string' }, { name: 'password', type: 'string' }] },
          { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
        ],
      },
    ],
  },
  {
    name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], handler: reset,
    summary: 'Resets the connection.', since: '6.2.0', group: 'connection', complexity: 'O(1)',
  },
];
