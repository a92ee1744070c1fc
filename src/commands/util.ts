// Shared pieces of command implementations: Valkey's common error replies and the argument
// parsers that reply with them (the equivalents of getLongLongFromObjectOrReply & co).

import { type Client, CF_CLOSE_ASAP } from '../server/client';
import { parseLongLong, parseInt64, parseDouble, parseLongDouble } from '../util/numbers';

const INT64_MAX = (1n << 63n) - 1n;

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const SYNTAX_ERR = 'ERR syntax error';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const OUT_OF_RANGE = 'ERR index out of range';
export const NO_SUCH_KEY = 'ERR no such key';
export const OVERFLOW = 'ERR increment or decrement would overflow';
export const DB_OUT_OF_RANGE = 'ERR DB index is out of range';

/** Parse a signed 64-bit integer that fits a JS number; on failure reply `err` and return null. */
export function intArg(c: Client, s: string, err = NOT_INTEGER): number | null {
  let n = parseLongLong(s);
  if (n === null) {
    const big = parseInt64(s);
    if (big !== null) n = Number(big);
  }
  if (n === null) {
    c.error(err);
    return null;
  }
  return n;
}

/** Parse an integer within [min, max]; replies `err` (or the range error) otherwise. */
export function rangeArg(c: Client, s: string, min: number, max: number, err: string): number | null {
  const n = parseLongLong(s);
  if (n === null || n < min || n > max) {
    c.error(err);
    return null;
  }
  return n;
}

export function doubleArg(c: Client, s: string, err = NOT_FLOAT): number | null {
  const d = parseDouble(s);
  if (d === null) {
    c.error(err);
    return null;
  }
  return d;
}

/** Case-insensitive equality with an ASCII keyword given in lowercase. */
export function is(arg: string, lowerKeyword: string): boolean {
  return arg.length === lowerKeyword.length && arg.toLowerCase() === lowerKeyword;
}

/** Reply to `CMD HELP` with Valkey's layout: a title line then the help lines. */
export function replyHelp(c: Client, command: string, lines: string[]): void {
  const all = [`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  c.reply.array(all.length);
  for (const l of all) c.reply.simple(l);
}

/** Mark the dataset changed by `n` writes (rdb_changes_since_last_save). */
export function dirty(c: Client, n = 1): void {
  c.server.dirty += n;
}

/** Valkey's addReplySubcommandSyntaxError: a known subcommand with arguments it does not take. */
export function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
}

const LLONG_MAX_AS_DOUBLE = 9223372036854775807;

/**
 * Valkey's getTimeoutFromObjectOrReply in seconds (BLPOP, BZPOPMIN, BLMOVE...): a long double
 * of seconds, rounded up to whole milliseconds. Returns the timeout in ms relative to now
 * (0 = block forever), or null after replying the error.
 */
export function blockTimeoutArg(c: Client, s: string): number | null {
  const seconds = parseLongDouble(s);
  if (seconds === null || Number.isNaN(seconds)) {
    c.error('ERR timeout is not a float or out of range');
    return null;
  }
  const ms = seconds * 1000;
  if (ms > LLONG_MAX_AS_DOUBLE) {
    c.error('ERR timeout is out of range');
    return null;
  }
  const t = Math.ceil(ms);
  if (t < 0) {
    c.error('ERR timeout is negative');
    return null;
  }
  if (t > 0 && t > LLONG_MAX_AS_DOUBLE - c.server.ctx.now) {
    c.error('ERR timeout is out of range');
    return null;
  }
  return t === 0 ? 0 : t;
}

/**
 * getTimeoutFromObjectOrReply in milliseconds (XREAD / XREADGROUP BLOCK): an integer number of
 * ms. Returns the timeout relative to now (0 = block forever), or null after replying the error.
 */
export function blockTimeoutMsArg(c: Client, s: string): number | null {
  const t = parseInt64(s);
  if (t === null) {
    c.error('ERR timeout is not an integer or out of range');
    return null;
  }
  if (t < 0n) {
    c.error('ERR timeout is negative');
    return null;
  }
  if (t > 0n && t > 9223372036854775807n - BigInt(c.server.ctx.now)) {
    c.error('ERR timeout is out of range');
    return null;
  }
  return Number(t);
}

/** The key types SCAN ... TYPE accepts. */
const SCAN_TYPE_NAMES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);

/** The options of SCAN / HSCAN / SSCAN / ZSCAN. */
export interface ScanOptions {
  count: number;
  /** null when there is no pattern or it is "*" */
  pattern: string | null;
  /** HSCAN NOVALUES / ZSCAN NOSCORES */
  noValues: boolean;
  /** SCAN TYPE, lowercased; null when absent */
  type: string | null;
}

/**
 * scanGenericCommand's option parsing from argv[first], for SCAN over the keyspace ('keys') or
 * a collection of one type: COUNT n (>= 1), MATCH pattern, TYPE (SCAN only), NOVALUES (HSCAN
 * only), NOSCORES (ZSCAN only). Returns null after replying the error.
 */
export function parseScanOptions(c: Client, argv: string[], first: number, scanned: 'keys' | 'hash' | 'set' | 'zset'): ScanOptions | null {
  const opts: ScanOptions = { count: 10, pattern: null, noValues: false, type: null };
  for (let i = first; i < argv.length; ) {
    const hasValue = argv.length - i >= 2;
    const opt = argv[i];
    if (is(opt, 'count') && hasValue) {
      const n = intArg(c, argv[i + 1]);
      if (n === null) return null;
      if (n < 1) return replyNull(c, SYNTAX_ERR);
      opts.count = n;
      i += 2;
    } else if (is(opt, 'match') && hasValue) {
      opts.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else if (is(opt, 'type') && hasValue && scanned === 'keys') {
      const name = argv[i + 1].toLowerCase();
      if (!SCAN_TYPE_NAMES.has(name)) return replyNull(c, `ERR unknown type name '${argv[i + 1]}'`);
      opts.type = name;
      i += 2;
    } else if (is(opt, 'novalues')) {
      if (scanned !== 'hash') return replyNull(c, 'ERR NOVALUES option can only be used in HSCAN');
      opts.noValues = true;
      i++;
    } else if (is(opt, 'noscores')) {
      if (scanned !== 'zset') return replyNull(c, 'ERR NOSCORES option can only be used in ZSCAN');
      opts.noValues = true;
      i++;
    } else {
      return replyNull(c, SYNTAX_ERR);
    }
  }
  return opts;
}

/**
 * getRangeLongFromObjectOrReply: a 64-bit integer in [min, max] (bigints for the 64-bit
 * bounds). `msg`, when given, replaces every error text, as in Valkey. Null after replying.
 */
export function rangeLongArg(c: Client, s: string, min: bigint, max: bigint, msg?: string): number | null {
  const n = parseInt64(s);
  if (n === null) return replyNull(c, msg ?? NOT_INTEGER);
  if (n < min || n > max) return replyNull(c, msg ?? `ERR value is out of range, value must between ${min} and ${max}`);
  return Number(n);
}

/** Reply `err` and return null: the shape of every argument parser's failure. */
function replyNull(c: Client, err: string): null {
  c.error(err);
  return null;
}

/** The parsed tail of LMPOP / ZMPOP and their blocking forms: numkeys key... END [COUNT n]. */
export interface MpopArgs {
  keys: string[];
  /** the second of the two end keywords was given (RIGHT for lists, MAX for zsets) */
  secondEnd: boolean;
  count: number;
}

/**
 * Parse `numkeys key [key ...] <ends[0]|ends[1]> [COUNT count]` starting at argv[numkeysIdx]
 * (lmpopGenericCommand / zmpopGenericCommand). Returns null after replying the error.
 */
export function parseMpopArgs(c: Client, argv: string[], numkeysIdx: number, ends: [string, string]): MpopArgs | null {
  const numkeys = rangeLongArg(c, argv[numkeysIdx], 1n, INT64_MAX, 'ERR numkeys should be greater than 0');
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return replyNull(c, SYNTAX_ERR);
  let secondEnd: boolean;
  if (is(argv[whereIdx], ends[0])) secondEnd = false;
  else if (is(argv[whereIdx], ends[1])) secondEnd = true;
  else return replyNull(c, SYNTAX_ERR);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count !== -1 || !is(argv[j], 'count') || j + 1 >= argv.length) return replyNull(c, SYNTAX_ERR);
    const n = rangeLongArg(c, argv[++j], 1n, INT64_MAX, 'ERR count should be greater than 0');
    if (n === null) return null;
    count = n;
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), secondEnd, count: count === -1 ? 1 : count };
}

/** A reply this large is cut short and the client closed, as an output buffer limit would. */
const MAX_REPLY_BYTES = 512 * 1024 * 1024;

/**
 * For replies whose size the client controls (HRANDFIELD / SRANDMEMBER with a huge negative
 * count): Valkey keeps writing until the output buffer limit closes the client. Once the reply
 * written since `mark` reaches the normal class's hard limit (or 512 MB when there is none), it
 * is dropped and the client is closed ASAP. Returns true when that happened: stop writing.
 */
export function replyOverLimit(c: Client, mark: number): boolean {
  const lim = c.server.config.outputBufferLimit('normal');
  const max = lim && lim.hard > 0 ? Math.min(lim.hard, MAX_REPLY_BYTES) : MAX_REPLY_BYTES;
  if (c.reply.mark() - mark < max) return false;
  c.reply.truncate(mark);
  c.flags |= CF_CLOSE_ASAP;
  c.server.stats.clientOutputBufferLimitDisconnections++;
  c.server.log('warning', `Client id=${c.id} addr=${c.addr} name=${c.name} closed for overcoming of output buffer limits.`);
  return true;
}
