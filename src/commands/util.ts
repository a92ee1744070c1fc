// Shared pieces of command implementations: Valkey's common error replies and the argument
// parsers that reply with them (the equivalents of getLongLongFromObjectOrReply & co).

import type { Client } from '../server/client';
import { parseLongLong, parseInt64, parseDouble } from '../util/numbers';

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
