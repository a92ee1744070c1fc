// CLIENT: introspection and control of connections (ID, INFO, LIST, KILL, SETNAME, GETNAME,
// SETINFO, PAUSE/UNPAUSE, REPLY, NO-EVICT, NO-TOUCH, UNBLOCK, CAPA, IMPORT-SOURCE, HELP, and the
// client-side caching ones: TRACKING, CACHING, GETREDIR, TRACKINGINFO; the table is server/tracking.ts).
// CLIENT LIST / CLIENT INFO lines follow Valkey 9.0's field order and flag letters exactly.

import type { CommandDef, ArgDoc } from './table';
import {
  type Client,
  CF_MULTI,
  CF_DIRTY_CAS,
  CF_CLOSE_AFTER_REPLY,
  CF_CLOSE_ASAP,
  CF_MONITOR,
  CF_REPLICA,
  CF_PRIMARY,
  CF_BLOCKED,
  CF_NO_EVICT,
  CF_NO_TOUCH,
  CF_UNBLOCKED,
  CF_READONLY,
  CF_PUBSUB,
  CF_CAPA_REDIRECT,
  CF_IMPORT_SOURCE,
} from '../server/client';
import type { Server } from '../server/server';
import { is, intArg, replyHelp, SYNTAX_ERR, NOT_INTEGER } from './util';
import { parseInt64 } from '../util/numbers';
import { validClientName } from './connection';
import type { TrackingOptions } from '../server/tracking';

// ---------------------------------------------------------------- client description

/** Valkey's client classes (output buffer limits, CLIENT LIST/KILL TYPE). */
export type ClientType = 'normal' | 'replica' | 'pubsub' | 'primary';

/** A MONITOR client counts as normal, as in Valkey. */
export function clientType(c: Client): ClientType {
  if (c.flags & CF_PRIMARY) return 'primary';
  if (c.flags & CF_REPLICA && !(c.flags & CF_MONITOR)) return 'replica';
  if (isPubSubClient(c)) return 'pubsub';
  return 'normal';
}

function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
    case 'primary':
      return 'primary';
    default:
      return null;
  }
}

/** Subscribed to anything (Valkey's CLIENT_PUBSUB flag, RESP2 and RESP3 alike). */
export function isPubSubClient(c: Client): boolean {
  return (c.flags & CF_PUBSUB) !== 0 || c.inPubSubMode;
}

function isUnixSocketClient(c: Client): boolean {
  const path = c.server.config.str('unixsocket');
  return c.socket !== null && path !== '' && c.addr === `${path}:0`;
}

/** The flag letters of CLIENT LIST, in Valkey's order; "N" when none applies. */
export function clientFlagLetters(c: Client): string {
  const f = c.flags;
  let s = '';
  if (f & CF_MONITOR) s += 'O';
  else if (f & CF_REPLICA) s += 'S';
  if (f & CF_PRIMARY) s += 'M';
  if (isPubSubClient(c)) s += 'P';
  if (f & CF_MULTI) s += 'x';
  if (f & CF_BLOCKED) s += 'b';
  const t = c.tracking;
  if (t !== null) {
    s += 't';
    if (t.brokenRedirect) s += 'R';
    if (t.bcast) s += 'B';
  }
  if (f & CF_DIRTY_CAS) s += 'd';
  if (f & CF_CLOSE_AFTER_REPLY) s += 'c';
  if (f & CF_UNBLOCKED) s += 'u';
  if (f & CF_CLOSE_ASAP) s += 'A';
  if (isUnixSocketClient(c)) s += 'U';
  if (f & CF_READONLY) s += 'r';
  if (f & CF_NO_EVICT) s += 'e';
  if (f & CF_NO_TOUCH) s += 'T';
  if (f & CF_IMPORT_SOURCE) s += 'I';
  return s === '' ? 'N' : s;
}

/** Capability letters (capa=): r = the client handles REDIRECT replies. */
function clientCapaLetters(c: Client): string {
  return c.flags & CF_CAPA_REDIRECT ? 'r' : '';
}

/** Valkey's static reply buffer size; Fjord's writer grows on demand, so report the usual value. */
const REPLY_BUFFER_SIZE = 16384;
/** Rough size of Valkey's client struct, counted in tot-mem. */
const CLIENT_STRUCT_SIZE = 1920;
const POINTER_SIZE = 8;

function argvBytes(argv: readonly string[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/** multi-mem: arguments of the queued commands plus one pointer per argument. */
function multiQueueBytes(c: Client): number {
  let n = 0;
  for (const q of c.multiQueue) n += argvBytes(q.argv) + POINTER_SIZE * q.argv.length;
  return n;
}

function socketFd(c: Client): number {
  const handle = (c.socket as unknown as { _handle?: { fd?: number } } | null)?._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

/** laddr: a unix socket client has the socket path on both ends. */
function localAddr(c: Client): string {
  return isUnixSocketClient(c) ? c.addr : c.laddr;
}

/**
 * The command shown as cmd=: the one being executed for the caller itself; for others the
 * last one they sent (EXEC rather than the last command it ran).
 */
function lastCommandName(c: Client, caller: Client | null): string {
  let cmd = c.cmd;
  if (c !== caller && c.lastCmd && c.lastCmd.name === 'exec' && !(c.flags & CF_MULTI)) cmd = c.lastCmd;
  return cmd ? cmd.fullName : 'NULL';
}

/** One CLIENT LIST / CLIENT INFO line (without the trailing newline). */
export function clientInfoString(c: Client, caller: Client | null): string {
  const nowSec = Math.floor(c.server.ctx.now / 1000);
  const qbuf = c.parser.pendingBytes;
  const qbufFree = qbuf === 0 ? 0 : Math.max(0, c.parser.allocatedBytes - qbuf);
  // The arguments of a command are held while it runs (or while it is blocked).
  const holdsArgv = c === caller || (c.flags & CF_BLOCKED) !== 0;
  const argvMem = holdsArgv ? argvBytes(c.argv) : 0;
  const multiMem = multiQueueBytes(c);
  const omem = c.outputPending;
  const totMem = CLIENT_STRUCT_SIZE + REPLY_BUFFER_SIZE + c.parser.allocatedBytes + argvMem + (holdsArgv ? POINTER_SIZE * c.argv.length : 0) + multiMem + omem;
  let events = '';
  if (c.socket && !c.socket.destroyed) {
    if (!c.conn?.readingPaused) events += 'r';
    if (omem > 0) events += 'w';
  }
  return (
    `id=${c.id} addr=${c.addr} laddr=${localAddr(c)} fd=${socketFd(c)} name=${c.name}` +
    ` age=${nowSec - Math.floor(c.createdAt / 1000)} idle=${nowSec - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${clientFlagLetters(c)} capa=${clientCapaLetters(c)} db=${c.db.id}` +
    ` sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size}` +
    ` multi=${c.flags & CF_MULTI ? c.multiQueue.length : -1} watch=${c.watched.length}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=${REPLY_BUFFER_SIZE} rbp=${REPLY_BUFFER_SIZE} obl=${c.reply.length} oll=0 omem=${omem} tot-mem=${totMem}` +
    ` events=${events} cmd=${lastCommandName(c, caller)} user=${c.user} redir=${c.tracking === null ? -1 : c.tracking.redirect} resp=${c.reply.resp}` +
    ` lib-name=${c.libName} lib-ver=${c.libVer}` +
    ` tot-net-in=${c.netIn} tot-net-out=${c.netOut} tot-cmds=${c.commandsProcessed}`
  );
}

// ---------------------------------------------------------------- filters (LIST and KILL)

type Predicate = (target: Client, caller: Client) => boolean;

interface ClientFilter {
  /** one predicate per option (a repeated option replaces the earlier one, as in Valkey) */
  checks: Map<string, Predicate>;
  ids: Set<number> | null;
  notIds: Set<number> | null;
  skipme: boolean;
}

/** Letters accepted by FLAGS / NOT-FLAGS (i and E are Valkey's slot-migration clients). */
const FILTER_FLAG_LETTERS = 'OSMPxbtRBdcuAUreTIiEN';

function matchesFlags(c: Client, wanted: string): boolean {
  const letters = clientFlagLetters(c);
  for (const ch of wanted) {
    if (ch === 'N') {
      if (letters !== 'N') return false;
    } else if (ch === 'S') {
      // Valkey marks MONITOR clients as replicas too.
      if (!letters.includes('S') && !letters.includes('O')) return false;
    } else if (!letters.includes(ch)) {
      return false;
    }
  }
  return true;
}

function matchesCapa(c: Client, wanted: string): boolean {
  for (const ch of wanted) if (ch !== 'r' || !(c.flags & CF_CAPA_REDIRECT)) return false;
  return true;
}

/** IP filter: the peer address without its port (IPv6 without brackets); never unix sockets. */
function matchesIp(c: Client, ip: string): boolean {
  let peer = c.addr;
  if (peer.startsWith('[')) peer = peer.slice(1);
  if (!peer.startsWith(ip)) return false;
  let rest = peer.slice(ip.length);
  if (rest.startsWith(']')) rest = rest.slice(1);
  return rest.length > 1 && rest[0] === ':' && rest[1] !== '0';
}

function ageSeconds(c: Client, nowMs: number): number {
  return Math.floor(nowMs / 1000) - Math.floor(c.createdAt / 1000);
}

function idleSeconds(c: Client, nowMs: number): number {
  return Math.floor(nowMs / 1000) - Math.floor(c.lastInteraction / 1000);
}

/** Users known to the server; only "default" exists until ACL lands. */
function userExists(server: Server, name: string): boolean {
  void server;
  return name === 'default';
}

/** Parse a run of client IDs after ID / NOT-ID; returns the next index, or -1 after an error reply. */
function parseIds(c: Client, argv: string[], i: number, into: Set<number>): number {
  for (; i < argv.length; i++) {
    const id = parseInt64(argv[i]);
    if (id === null) break;
    if (id < 1n) {
      c.error('ERR client-id should be greater than 0');
      return -1;
    }
    into.add(Number(id));
  }
  return i;
}

/** A positive integer option (MAXAGE, IDLE); null after an error reply. */
function positiveArg(c: Client, s: string, name: string): number | null {
  const n = intArg(c, s, `ERR ${name} is not an integer or out of range`);
  if (n === null) return null;
  if (n <= 0) {
    c.error(`ERR ${name} should be greater than 0`);
    return null;
  }
  return n;
}

/** A database index option (DB, NOT-DB); null after an error reply. */
function dbArg(c: Client, s: string, label: string): number | null {
  const n = intArg(c, s, `ERR ${label} is not an integer or out of range`);
  if (n === null) return null;
  if (n < -2147483648 || n > 2147483647) {
    c.error(`ERR ${label} is not an integer or out of range`);
    return null;
  }
  const max = c.server.dbs.length - 1;
  if (n < 0 || n > max) {
    c.error(`ERR ${label} number should be between 0 and ${max}`);
    return null;
  }
  return n;
}

/**
 * Build the predicate of one option that takes a value (both its plain and NOT- forms share it:
 * the NOT- form excludes exactly the clients the plain form keeps). Returns undefined for an
 * unknown option and null after an error reply.
 */
function valuePredicate(c: Client, opt: string, value: string, negated: boolean): Predicate | null | undefined {
  const label = negated ? `NOT-${opt.toUpperCase()}` : opt.toUpperCase();
  switch (opt) {
    case 'type': {
      const type = clientTypeByName(value);
      if (type === null) {
        c.error(`ERR Unknown client type '${value}'`);
        return null;
      }
      return (t) => clientType(t) === type;
    }
    case 'addr':
      return (t) => t.addr === value;
    case 'laddr':
      return (t) => localAddr(t) === value;
    case 'user':
      if (!userExists(c.server, value)) {
        c.error(`ERR No such user '${value}'`);
        return null;
      }
      return (t) => t.user === value;
    case 'flags':
      for (const ch of value) {
        if (!FILTER_FLAG_LETTERS.includes(ch)) {
          c.error(negated ? `ERR Unknown flags found in the NOT-FLAGS filter: ${value}` : `ERR Unknown flags found in the provided filter: ${value}`);
          return null;
        }
      }
      return (t) => matchesFlags(t, value);
    case 'name':
      return (t) => t.name !== '' && t.name === value;
    case 'lib-name':
      return (t) => t.libName !== '' && t.libName === value;
    case 'lib-ver':
      return (t) => t.libVer !== '' && t.libVer === value;
    case 'db': {
      const db = dbArg(c, value, label);
      if (db === null) return null;
      return (t) => t.db.id === db;
    }
    case 'capa':
      for (const ch of value) {
        if (ch !== 'r') {
          c.error(negated ? `ERR Unknown capa found in the NOT-CAPA filter: ${value}` : `ERR Unknown capa found in the provided filter: ${value}`);
          return null;
        }
      }
      return (t) => matchesCapa(t, value);
    case 'ip':
      return (t) => matchesIp(t, value);
    default:
      return undefined;
  }
}

/** Options without a NOT- form. Returns undefined for an unknown option, null after an error. */
function plainPredicate(c: Client, opt: string, value: string, filter: ClientFilter): Predicate | null | undefined {
  switch (opt) {
    case 'maxage': {
      const max = positiveArg(c, value, 'maxage');
      if (max === null) return null;
      return (t) => ageSeconds(t, t.server.ctx.now) >= max;
    }
    case 'idle': {
      const idle = positiveArg(c, value, 'idle');
      if (idle === null) return null;
      return (t) => idleSeconds(t, t.server.ctx.now) >= idle;
    }
    case 'skipme':
      if (is(value, 'yes')) filter.skipme = true;
      else if (is(value, 'no')) filter.skipme = false;
      else {
        c.error(SYNTAX_ERR);
        return null;
      }
      return () => true;
    default:
      return undefined;
  }
}

/** Parse CLIENT LIST / CLIENT KILL filters from argv[start]; null after an error reply. */
function parseFilters(c: Client, argv: string[], start: number, skipme: boolean): ClientFilter | null {
  const filter: ClientFilter = { checks: new Map(), ids: null, notIds: null, skipme };
  let i = start;
  while (i < argv.length) {
    const opt = argv[i].toLowerCase();
    if (opt === 'id' || opt === 'not-id') {
      const set = opt === 'id' ? (filter.ids ??= new Set()) : (filter.notIds ??= new Set());
      i = parseIds(c, argv, i + 1, set);
      if (i < 0) return null;
      continue;
    }
    if (i + 1 >= argv.length) {
      c.error(SYNTAX_ERR);
      return null;
    }
    const value = argv[i + 1];
    const negated = opt.startsWith('not-');
    const base = negated ? opt.slice(4) : opt;
    let pred = valuePredicate(c, base, value, negated);
    if (pred === undefined && !negated) pred = plainPredicate(c, base, value, filter);
    if (pred === null) return null;
    if (pred === undefined) {
      c.error(SYNTAX_ERR);
      return null;
    }
    filter.checks.set(opt, negated ? (t, caller) => !pred(t, caller) : pred);
    i += 2;
  }
  return filter;
}

function matchesFilter(t: Client, caller: Client, f: ClientFilter): boolean {
  if (f.ids !== null && !f.ids.has(t.id)) return false;
  if (f.notIds !== null && f.notIds.has(t.id)) return false;
  if (f.skipme && t === caller) return false;
  for (const check of f.checks.values()) if (!check(t, caller)) return false;
  return true;
}

// ---------------------------------------------------------------- subcommands

function clientId(c: Client): void {
  c.reply.int(c.id);
}

function clientInfo(c: Client): void {
  c.reply.verbatim(clientInfoString(c, c) + '\n');
}

function clientList(c: Client, argv: string[]): void {
  let filter: ClientFilter | null = null;
  if (argv.length > 3) {
    filter = parseFilters(c, argv, 2, false);
    if (filter === null) return;
  } else if (argv.length !== 2) {
    c.error(SYNTAX_ERR);
    return;
  }
  let out = '';
  for (const t of c.server.clients.values()) {
    if (filter !== null && !matchesFilter(t, c, filter)) continue;
    out += clientInfoString(t, c) + '\n';
  }
  c.reply.verbatim(out);
}

function clientKill(c: Client, argv: string[]): void {
  let filter: ClientFilter | null;
  const oldForm = argv.length === 3;
  if (oldForm) {
    // CLIENT KILL addr:port, which may kill the caller itself.
    filter = { checks: new Map([['addr', (t: Client) => t.addr === argv[2]]]), ids: null, notIds: null, skipme: false };
  } else {
    filter = parseFilters(c, argv, 2, true);
    if (filter === null) return;
  }
  let killed = 0;
  let killSelf = false;
  for (const t of [...c.server.clients.values()]) {
    if (!matchesFilter(t, c, filter)) continue;
    if (t === c) killSelf = true;
    else t.close();
    killed++;
  }
  if (!oldForm) c.reply.int(killed);
  else if (killed === 0) c.error('ERR No such client');
  else c.reply.ok();
  // Close only after the reply is queued, so the caller still gets it.
  if (killSelf) c.flags |= CF_CLOSE_AFTER_REPLY;
}

function clientSetName(c: Client, argv: string[]): void {
  if (!validClientName(argv[2])) {
    c.error('ERR Client names cannot contain spaces, newlines or special characters.');
    return;
  }
  c.name = argv[2];
  c.reply.ok();
}

function clientGetName(c: Client): void {
  if (c.name === '') c.reply.nullBulk();
  else c.reply.bulk(c.name);
}

function clientSetInfo(c: Client, argv: string[]): void {
  const attr = argv[2];
  const value = argv[3];
  const isName = is(attr, 'lib-name');
  if (!isName && !is(attr, 'lib-ver')) {
    c.error(`ERR Unrecognized option '${attr}'`);
    return;
  }
  // Same charset rule as client names: CLIENT LIST must stay splittable on spaces.
  if (!validClientName(value)) {
    c.error(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
    return;
  }
  if (isName) c.libName = value;
  else c.libVer = value;
  c.reply.ok();
}

const LLONG_MAX = 9223372036854775807n;

/** A millisecond timeout turned into an absolute deadline (0 stays 0); null after an error reply. */
function timeoutDeadline(c: Client, s: string): number | null {
  const t = parseInt64(s);
  if (t === null) {
    c.error('ERR timeout is not an integer or out of range');
    return null;
  }
  if (t < 0n) {
    c.error('ERR timeout is negative');
    return null;
  }
  if (t === 0n) return 0;
  const now = BigInt(c.server.ctx.now);
  if (t > LLONG_MAX - now) {
    c.error('ERR timeout is out of range');
    return null;
  }
  return Number(t + now);
}

function clientPause(c: Client, argv: string[]): void {
  let mode: 'all' | 'write' = 'all';
  if (argv.length === 4) {
    if (is(argv[3], 'write')) mode = 'write';
    else if (!is(argv[3], 'all')) {
      c.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const end = timeoutDeadline(c, argv[2]);
  if (end === null) return;
  c.server.pause.pause(mode, end);
  c.reply.ok();
}

function clientUnpause(c: Client): void {
  c.server.pause.unpause();
  c.reply.ok();
}

/** Valkey's CLIENT REPLY: the reply mode counts for one unit of ReplyWriter.muted while not "on". */
function setReplyMode(c: Client, mode: 'on' | 'off' | 'skip'): void {
  if ((c.replyMode === 'on') !== (mode === 'on')) c.reply.muted += mode === 'on' ? -1 : 1;
  c.replyMode = mode;
}

function clientReply(c: Client, argv: string[]): void {
  const mode = argv[2];
  if (is(mode, 'on')) {
    setReplyMode(c, 'on');
    c.reply.ok();
  } else if (is(mode, 'off')) {
    setReplyMode(c, 'off');
  } else if (is(mode, 'skip')) {
    // Takes effect after this command: dispatch silences exactly the next one.
    if (c.replyMode !== 'off') c.skipNextReply = true;
  } else {
    c.error(SYNTAX_ERR);
  }
}

/** ON|OFF switches of a client flag (NO-EVICT, NO-TOUCH, IMPORT-SOURCE). */
function setFlagSwitch(c: Client, arg: string, flag: number): void {
  if (is(arg, 'on')) c.flags |= flag;
  else if (is(arg, 'off')) c.flags &= ~flag;
  else {
    c.error(SYNTAX_ERR);
    return;
  }
  c.reply.ok();
}

function clientNoEvict(c: Client, argv: string[]): void {
  setFlagSwitch(c, argv[2], CF_NO_EVICT);
}

function clientNoTouch(c: Client, argv: string[]): void {
  setFlagSwitch(c, argv[2], CF_NO_TOUCH);
}

function clientImportSource(c: Client, argv: string[]): void {
  if (!c.server.config.bool('import-mode') && !is(argv[2], 'off')) {
    c.error('ERR Server is not in import mode');
    return;
  }
  setFlagSwitch(c, argv[2], CF_IMPORT_SOURCE);
}

function clientCapa(c: Client, argv: string[]): void {
  for (let i = 2; i < argv.length; i++) if (is(argv[i], 'redirect')) c.flags |= CF_CAPA_REDIRECT;
  c.reply.ok();
}

// ---------------------------------------------------------------- client-side caching

/** The options of CLIENT TRACKING (parsed as Valkey does, before ON/OFF is looked at); null after an error reply. */
function parseTrackingOptions(c: Client, argv: string[]): TrackingOptions | null {
  const opts: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const arg = argv[j];
    const hasValue = j + 1 < argv.length;
    if (is(arg, 'redirect') && hasValue) {
      j++;
      if (opts.redirect !== 0) {
        c.error('ERR A client can only redirect to a single other client');
        return null;
      }
      const id = intArg(c, argv[j]);
      if (id === null) return null;
      // The target must exist now, even if it may go away later (then the redirect is "broken").
      if (!c.server.clients.has(id)) {
        c.error('ERR The client ID you want redirect to does not exist');
        return null;
      }
      opts.redirect = id;
    } else if (is(arg, 'bcast')) {
      opts.bcast = true;
    } else if (is(arg, 'optin')) {
      opts.optin = true;
    } else if (is(arg, 'optout')) {
      opts.optout = true;
    } else if (is(arg, 'noloop')) {
      opts.noloop = true;
    } else if (is(arg, 'prefix') && hasValue) {
      opts.prefixes.push(argv[++j]);
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return opts;
}

/** Why these options cannot be enabled given the client's current tracking state, or null. */
function trackingModeError(c: Client, opts: TrackingOptions): string | null {
  const t = c.tracking;
  if (!opts.bcast && opts.prefixes.length > 0) return 'ERR PREFIX option requires BCAST mode to be enabled';
  if (t !== null && t.bcast !== opts.bcast) {
    return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  if (opts.bcast && (opts.optin || opts.optout)) return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
  if (opts.optin && opts.optout) return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  if (t !== null && ((opts.optin && t.optout) || (opts.optout && t.optin))) {
    return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  return opts.bcast ? c.server.tracking.prefixCollision(c, opts.prefixes) : null;
}

function clientTracking(c: Client, argv: string[]): void {
  const opts = parseTrackingOptions(c, argv);
  if (opts === null) return;
  const tracking = c.server.tracking;
  if (is(argv[2], 'on')) {
    const err = trackingModeError(c, opts);
    if (err !== null) {
      c.error(err);
      return;
    }
    tracking.enable(c, opts);
  } else if (is(argv[2], 'off')) {
    tracking.disable(c);
  } else {
    c.error(SYNTAX_ERR);
    return;
  }
  c.reply.ok();
}

function clientCaching(c: Client, argv: string[]): void {
  const t = c.tracking;
  if (t === null) {
    c.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    return;
  }
  const mode = argv[2];
  if (is(mode, 'yes')) {
    if (!t.optin) {
      c.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
  } else if (is(mode, 'no')) {
    if (!t.optout) {
      c.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
  } else {
    c.error(SYNTAX_ERR);
    return;
  }
  // Applies to the next command (or transaction); dispatch clears it after that.
  t.caching = true;
  t.cachingArgv = argv;
  c.reply.ok();
}

function clientGetRedir(c: Client): void {
  c.reply.int(c.tracking === null ? -1 : c.tracking.redirect);
}

function clientTrackingInfo(c: Client): void {
  const t = c.tracking;
  const flags = [t === null ? 'off' : 'on'];
  if (t !== null) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin');
    if (t.optin && t.caching) flags.push('caching-yes');
    if (t.optout) flags.push('optout');
    if (t.optout && t.caching) flags.push('caching-no');
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  c.reply.map(3);
  c.reply.bulk('flags');
  c.reply.set(flags.length);
  for (const f of flags) c.reply.bulk(f);
  c.reply.bulk('redirect');
  c.reply.int(t === null ? -1 : t.redirect);
  c.reply.bulk('prefixes');
  // In the order of Valkey's radix tree: sorted bytewise.
  c.reply.bulkArray(t === null ? [] : [...t.prefixes].sort());
}

function clientUnblock(c: Client, argv: string[]): void {
  let withError = false;
  if (argv.length === 4) {
    if (is(argv[3], 'error')) withError = true;
    else if (!is(argv[3], 'timeout')) {
      c.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = intArg(c, argv[2], NOT_INTEGER);
  if (id === null) return;
  // Only clients waiting on keys can be released; one postponed by CLIENT PAUSE is not "blocked".
  const target = c.server.clients.get(id);
  const blocking = c.server.blocking;
  if (target === undefined || !blocking.isBlockedOnKeys(target)) {
    c.reply.int(0);
    return;
  }
  blocking.unblock(target, true, withError ? 'UNBLOCKED client unblocked via CLIENT UNBLOCK' : undefined);
  c.reply.int(1);
}

const HELP_LINES = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'CAPA <option> [options...]',
  '    The client claims its some capability options. Options are:',
  '    * REDIRECT',
  '      The client can handle redirection (standalone failover and keyless commands on replicas).',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address.',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to the specified local address.',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id> [<client-id>...]',
  '      Kill connections by client IDs.',
  '    * MAXAGE <maxage>',
  '      Kill connections older than the specified age.',
  '    * FLAGS <flags>',
  '      Kill connections that include the specified flags.',
  '    * NAME <client-name>',
  '      Kill connections with the specified name.',
  '    * IDLE <idle>',
  '      Kill connections with idle time greater than or equal to <idle> seconds.',
  '    * LIB-NAME <library-name>',
  '      Kill connections with the specified library name.',
  '    * LIB-VER <library-version>',
  '      Kill connections with the specified library version.',
  '    * DB <db-id>',
  '      Kill connections currently operating on the specified database ID.',
  '    * CAPA <capa>',
  '      Kill connections currently with the specified capa.',
  '    * IP <ip>',
  '      Kill connections made from the specified ip.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  '    * USER <username>',
  '      Return clients authenticated by <username>.',
  '    * ADDR <ip:port>',
  '      Return clients connected from the specified address.',
  '    * LADDR <ip:port>',
  '      Return clients connected to the specified local address.',
  '    * ID <client-id> [<client-id>...]',
  '      Return clients with the specified IDs.',
  '    * SKIPME (YES|NO)',
  '      Exclude the current client from the list (default: no).',
  '    * MAXAGE <maxage>',
  '      List connections older than the specified age.',
  '    * FLAGS <flags>',
  '      Return clients with the specified flags.',
  '    * NAME <client-name>',
  '      Return clients with the specified name.',
  '    * IDLE <idle>',
  '      Return clients with idle time greater than or equal to <idle> seconds.',
  '    * LIB-NAME <lib-name>',
  '      Return clients with the specified lib name.',
  '    * LIB-VER <lib-version>',
  '      Return clients with the specified lib version.',
  '    * DB <db-id>',
  '      Return clients currently operating on the specified database ID.',
  '    * CAPA <capa>',
  '      Return connections currently with the specified capa.',
  '    * IP <ip>',
  '      Return connections made from the specified ip.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
  'IMPORT-SOURCE (ON|OFF)',
  '    Mark this connection as an import source if import-mode is enabled.',
  "    Sync tools can set their connections into 'import-source' state to visit",
  '    expired keys.',
];

function clientHelp(c: Client): void {
  replyHelp(c, 'client', HELP_LINES);
}

// ---------------------------------------------------------------- table

const CONN = ['connection'];
const NOSCRIPT = ['noscript', 'loading', 'stale'];
const ADMIN = ['admin', 'noscript', 'loading', 'stale'];

const onOff = (name: string): ArgDoc => ({
  name,
  type: 'oneof',
  arguments: [
    { name: 'on', type: 'pure-token', token: 'ON' },
    { name: 'off', type: 'pure-token', token: 'OFF' },
  ],
});

const CLIENT_TYPES: ArgDoc[] = [
  { name: 'normal', type: 'pure-token', token: 'normal' },
  { name: 'master', type: 'pure-token', token: 'master' },
  { name: 'replica', type: 'pure-token', token: 'replica' },
  { name: 'pubsub', type: 'pure-token', token: 'pubsub' },
];

const yesNo = (name: string): ArgDoc => ({
  name,
  type: 'oneof',
  arguments: [
    { name: 'yes', type: 'pure-token', token: 'YES' },
    { name: 'no', type: 'pure-token', token: 'NO' },
  ],
});

/** The 9.0 filters shared by LIST and KILL. */
const FILTERS_90: ArgDoc[] = [
  { name: 'name', type: 'string', token: 'NAME', optional: true, since: '9.0.0' },
  { name: 'idle', type: 'integer', token: 'IDLE', optional: true, since: '9.0.0' },
  { name: 'flags', type: 'string', token: 'FLAGS', optional: true, since: '9.0.0' },
  { name: 'lib-name', type: 'string', token: 'LIB-NAME', optional: true, since: '9.0.0' },
  { name: 'lib-ver', type: 'string', token: 'LIB-VER', optional: true, since: '9.0.0' },
  { name: 'db', type: 'integer', token: 'DB', optional: true, since: '9.0.0' },
  { name: 'capa', type: 'string', token: 'CAPA', optional: true, since: '9.0.0' },
  { name: 'ip', type: 'string', token: 'IP', optional: true, since: '9.0.0' },
];

const subcommands: CommandDef[] = [
  {
    name: 'id', arity: 2, flags: NOSCRIPT, acl: CONN, handler: clientId,
    summary: 'Returns the unique ID of this connection.', since: '5.0.0', group: 'connection', complexity: 'O(1)',
  },
  {
    name: 'info', arity: 2, flags: NOSCRIPT, acl: CONN, handler: clientInfo,
    summary: 'Returns information about this connection.', since: '6.2.0', group: 'connection', complexity: 'O(1)',
    tips: ['nondeterministic_output'],
  },
  {
    name: 'list', arity: -2, flags: ADMIN, acl: CONN, handler: clientList,
    summary: 'Lists open connections.', since: '2.4.0', group: 'connection', complexity: 'O(N) where N is the number of client connections',
    tips: ['nondeterministic_output'],
    history: [
      ['2.8.12', 'Added unique client `id` field.'],
      ['5.0.0', 'Added optional `TYPE` filter.'],
      ['6.0.0', 'Added `user` field.'],
      ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
      ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
      ['7.0.3', 'Added `ssub` field.'],
      ['8.0.0', 'Replaced `master` `TYPE` with `primary`. `master` still supported for backward compatibility.'],
      ['8.1.0', 'Added filters USER, ADDR, LADDR, SKIPME, and MAXAGE.'],
      ['9.0.0', 'Added filters NAME, IDLE, FLAGS, LIB-NAME, LIB-VER, DB, CAPA, and IP.'],
    ],
    args: [
      { name: 'client-type', type: 'oneof', token: 'TYPE', optional: true, since: '5.0.0', arguments: CLIENT_TYPES },
      { name: 'client-id', type: 'integer', token: 'ID', optional: true, multiple: true, since: '6.2.0' },
      { name: 'username', type: 'string', token: 'USER', optional: true, since: '8.1.0' },
      { name: 'addr', type: 'string', token: 'ADDR', display: 'ip:port', optional: true, since: '8.1.0' },
      { name: 'laddr', type: 'string', token: 'LADDR', display: 'ip:port', optional: true, since: '8.1.0' },
      { ...yesNo('skipme'), token: 'SKIPME', optional: true, since: '8.1.0' },
      { name: 'maxage', type: 'integer', token: 'MAXAGE', optional: true, since: '8.1.0' },
      ...FILTERS_90,
    ],
  },
  {
    name: 'kill', arity: -3, flags: ADMIN, acl: CONN, handler: clientKill,
    summary: 'Terminates open connections.', since: '2.4.0', group: 'connection', complexity: 'O(N) where N is the number of client connections',
    history: [
      ['2.8.12', 'Added new filter format.'],
      ['2.8.12', '`ID` option.'],
      ['3.2.0', 'Added `master` type in for `TYPE` option.'],
      ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
      ['6.2.0', '`LADDR` option.'],
      ['8.0.0', '`MAXAGE` option.'],
      ['8.0.0', 'Replaced `master` `TYPE` with `primary`. `master` still supported for backward compatibility.'],
      ['8.1.0', '`ID` option accepts multiple IDs.'],
      ['9.0.0', 'Added filters NAME, IDLE, FLAGS, LIB-NAME, LIB-VER, DB, CAPA, and IP.'],
    ],
    args: [
      {
        name: 'filter', type: 'oneof',
        arguments: [
          { name: 'old-format', type: 'string', display: 'ip:port', deprecated_since: '2.8.12' },
          {
            name: 'new-format', type: 'oneof', multiple: true,
            arguments: [
              { name: 'client-id', type: 'integer', token: 'ID', optional: true, multiple: true, since: '2.8.12' },
              {
                name: 'client-type', type: 'oneof', token: 'TYPE', optional: true, since: '2.8.12',
                arguments: [
                  { name: 'normal', type: 'pure-token', token: 'normal' },
                  { name: 'master', type: 'pure-token', token: 'master', since: '3.2.0' },
                  { name: 'primary', type: 'pure-token', token: 'primary', since: '8.0.0' },
                  { name: 'slave', type: 'pure-token', token: 'slave' },
                  { name: 'replica', type: 'pure-token', token: 'replica', since: '5.0.0' },
                  { name: 'pubsub', type: 'pure-token', token: 'pubsub' },
                ],
              },
              { name: 'username', type: 'string', token: 'USER', optional: true },
              { name: 'addr', type: 'string', token: 'ADDR', display: 'ip:port', optional: true },
              { name: 'laddr', type: 'string', token: 'LADDR', display: 'ip:port', optional: true, since: '6.2.0' },
              { ...yesNo('skipme'), token: 'SKIPME', optional: true },
              { name: 'maxage', type: 'integer', token: 'MAXAGE', optional: true, since: '8.0.0' },
              ...FILTERS_90,
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'setname', arity: 3, flags: NOSCRIPT, acl: CONN, handler: clientSetName,
    summary: 'Sets the connection name.', since: '2.6.9', group: 'connection', complexity: 'O(1)',
    args: [{ name: 'connection-name', type: 'string' }],
  },
  {
    name: 'getname', arity: 2, flags: NOSCRIPT, acl: CONN, handler: clientGetName,
    summary: 'Returns the name of the connection.', since: '2.6.9', group: 'connection', complexity: 'O(1)',
  },
  {
    name: 'setinfo', arity: 4, flags: NOSCRIPT, acl: CONN, handler: clientSetInfo,
    summary: 'Sets information specific to the client or connection.', since: '7.2.0', group: 'connection', complexity: 'O(1)',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    args: [
      {
        name: 'attr', type: 'oneof',
        arguments: [
          { name: 'libname', type: 'string', token: 'LIB-NAME' },
          { name: 'libver', type: 'string', token: 'LIB-VER' },
        ],
      },
    ],
  },
  {
    name: 'pause', arity: -3, flags: ADMIN, acl: CONN, handler: clientPause,
    summary: 'Suspends commands processing.', since: '3.0.0', group: 'connection', complexity: 'O(1)',
    history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
    args: [
      { name: 'timeout', type: 'integer' },
      {
        name: 'mode', type: 'oneof', optional: true, since: '6.2.0',
        arguments: [
          { name: 'write', type: 'pure-token', token: 'WRITE' },
          { name: 'all', type: 'pure-token', token: 'ALL' },
        ],
      },
    ],
  },
  {
    name: 'unpause', arity: 2, flags: ADMIN, acl: CONN, handler: clientUnpause,
    summary: 'Resumes processing commands from paused clients.', since: '6.2.0', group: 'connection', complexity: 'O(N) Where N is the number of paused clients',
  },
  {
    name: 'reply', arity: 3, flags: NOSCRIPT, acl: CONN, handler: clientReply,
    summary: 'Instructs the server whether to reply to commands.', since: '3.2.0', group: 'connection', complexity: 'O(1)',
    args: [
      {
        name: 'action', type: 'oneof',
        arguments: [
          { name: 'on', type: 'pure-token', token: 'ON' },
          { name: 'off', type: 'pure-token', token: 'OFF' },
          { name: 'skip', type: 'pure-token', token: 'SKIP' },
        ],
      },
    ],
  },
  {
    name: 'no-evict', arity: 3, flags: ADMIN, acl: CONN, handler: clientNoEvict,
    summary: 'Sets the client eviction mode of the connection.', since: '7.0.0', group: 'connection', complexity: 'O(1)',
    args: [onOff('enabled')],
  },
  {
    name: 'no-touch', arity: 3, flags: NOSCRIPT, acl: CONN, handler: clientNoTouch,
    summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.', since: '7.2.0', group: 'connection', complexity: 'O(1)',
    args: [onOff('enabled')],
  },
  {
    name: 'import-source', arity: 3, flags: NOSCRIPT, acl: CONN, handler: clientImportSource,
    summary: 'Marks the connection as an import source while the server is in import mode.', since: '8.2.0', group: 'connection', complexity: 'O(1)',
    args: [onOff('enabled')],
  },
  {
    name: 'unblock', arity: -3, flags: ADMIN, acl: CONN, handler: clientUnblock,
    summary: 'Unblocks a client blocked by a blocking command from a different connection.', since: '5.0.0', group: 'connection',
    complexity: 'O(log N) where N is the number of client connections',
    args: [
      { name: 'client-id', type: 'integer' },
      {
        name: 'unblock-type', type: 'oneof', optional: true,
        arguments: [
          { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
          { name: 'error', type: 'pure-token', token: 'ERROR' },
        ],
      },
    ],
  },
  {
    name: 'tracking', arity: -3, flags: NOSCRIPT, acl: CONN, handler: clientTracking,
    summary: 'Turns server-assisted client-side caching on or off for the connection.', since: '6.0.0', group: 'connection',
    complexity: 'O(1). Some options may introduce additional complexity.',
    args: [
      onOff('status'),
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multiple_token: true },
      { name: 'BCAST', type: 'pure-token', token: 'BCAST', optional: true },
      { name: 'OPTIN', type: 'pure-token', token: 'OPTIN', optional: true },
      { name: 'OPTOUT', type: 'pure-token', token: 'OPTOUT', optional: true },
      { name: 'NOLOOP', type: 'pure-token', token: 'NOLOOP', optional: true },
    ],
  },
  {
    name: 'caching', arity: 3, flags: NOSCRIPT, acl: CONN, handler: clientCaching,
    summary: 'Tells the server whether to track the keys of the next command.', since: '6.0.0', group: 'connection', complexity: 'O(1)',
    args: [
      {
        name: 'mode', type: 'oneof',
        arguments: [
          { name: 'yes', type: 'pure-token', token: 'YES' },
          { name: 'no', type: 'pure-token', token: 'NO' },
        ],
      },
    ],
  },
  {
    name: 'getredir', arity: 2, flags: NOSCRIPT, acl: CONN, handler: clientGetRedir,
    summary: 'Returns the id of the client the connection redirects its tracking notifications to.', since: '6.0.0', group: 'connection', complexity: 'O(1)',
  },
  {
    name: 'trackinginfo', arity: 2, flags: NOSCRIPT, acl: CONN, handler: clientTrackingInfo,
    summary: 'Returns the client-side caching state of the connection.', since: '6.2.0', group: 'connection', complexity: 'O(1)',
  },
  {
    name: 'capa', arity: -3, flags: NOSCRIPT, acl: CONN, handler: clientCapa,
    summary: 'Declares the capabilities of the client.', since: '8.0.0', group: 'connection', complexity: 'O(1)',
    args: [{ name: 'capability', type: 'string', multiple: true }],
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], acl: CONN, handler: clientHelp,
    summary: 'Returns helpful text about the different subcommands.', since: '5.0.0', group: 'connection', complexity: 'O(1)',
  },
];

export const clientCommands: CommandDef[] = [
  {
    name: 'client', arity: -2, flags: [], acl: [], subcommands,
    summary: 'A container for client connection commands.', since: '2.4.0', group: 'connection', complexity: 'Depends on subcommand.',
  },
];
