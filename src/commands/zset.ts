// Sorted set commands: ZADD/ZINCRBY, removal, counts and scores, the ZRANGE family (by rank,
// score or lex, forwards or reversed, with LIMIT, and ZRANGESTORE), pops (ZPOPMIN/MAX, ZMPOP and
// the blocking BZPOPMIN/MAX, BZMPOP), ZRANDMEMBER, the set algebra (ZUNION, ZINTER, ZDIFF, their
// STORE forms and ZINTERCARD) and ZSCAN.
//
// Argument checks, replies, keyspace events and propagation follow Valkey 9.0's t_zset.c: the
// order in which errors are detected, RESP2 flat arrays versus RESP3 nested [member, score]
// pairs and doubles, "del" when a key empties, blocking pops propagated as the ZPOPMIN/ZPOPMAX
// they performed.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import type { Value } from '../db/database';
import {
  WRONGTYPE,
  SYNTAX_ERR,
  NOT_INTEGER,
  blockTimeoutArg,
  dirty,
  doubleArg,
  intArg,
  is,
  parseScanOptions,
  rangeLongArg,
  parseMpopArgs,
} from './util';
import { parseScanCursor } from './keys';
import {
  ZsetObject,
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
} from '../types/zset';
import { SetObject } from '../types/set';
import { type LexRange, type ScoreRange, normalizeIndexRange, parseLexRange, parseScoreRange } from '../types/ranges';
import { typeLimits } from '../types/limitsCache';
import { compileGlob } from '../util/glob';
import { formatDouble, fpconvDtoa, parseInt64 } from '../util/numbers';
import { registerValueDigest, xorPairs } from '../util/digest';
import { notify, signalModified } from './string';
import '../persistence/rdb/zsetRdb';

const SCORE_RANGE_ERR = 'ERR min or max is not a float';
const LEX_RANGE_ERR = 'ERR min or max not valid string range item';
const LONG_MAX = 9223372036854775807n;

// ---------------------------------------------------------------------------------------------
// Lookups, events
// ---------------------------------------------------------------------------------------------

export function isZset(v: Value | undefined): v is ZsetObject {
  return v instanceof ZsetObject;
}

/**
 * lookupKeyRead + checkType: the zset, undefined when missing, null after replying WRONGTYPE.
 */
export function readZset(c: Client, key: string): ZsetObject | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined || isZset(v)) return v;
  c.error(WRONGTYPE);
  return null;
}

/** lookupKeyWrite + checkType (the value may then be changed in place). */
function writeZset(c: Client, key: string): ZsetObject | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined || isZset(v)) return v;
  c.error(WRONGTYPE);
  return null;
}

/**
 * After members were removed: delete the key when it is empty (returns true: the caller sends
 * "del" after its own event), else signal WATCH.
 */
function afterRemoval(c: Client, key: string, z: ZsetObject): boolean {
  if (z.length === 0) {
    c.db.delete(key);
    return true;
  }
  signalModified(c, key);
  return false;
}

/** getPositiveLongFromObjectOrReply. */
function positiveLongArg(c: Client, s: string, msg = 'ERR value is out of range, must be positive'): number | null {
  return rangeLongArg(c, s, 0n, LONG_MAX, msg);
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/** Members (and scores) in the shape of ZRANGE & co: RESP2 flat, RESP3 [member, score] pairs. */
function replyMembers(c: Client, members: string[], scores: number[] | null): void {
  const r = c.reply;
  const n = members.length;
  if (scores === null) {
    r.array(n);
    for (let i = 0; i < n; i++) r.bulk(members[i]);
    return;
  }
  const nested = r.resp === 3;
  r.array(nested ? n : n * 2);
  for (let i = 0; i < n; i++) {
    if (nested) r.array(2);
    r.bulk(members[i]);
    r.double(scores[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// ZADD ZINCRBY
// ---------------------------------------------------------------------------------------------

const NAN_ERR = 'ERR resulting score is not a number (NaN)';

/** ZADD's option keyword at argv[i] as ZADD_IN_* flags, -1 for CH, 0 when not an option. */
function zaddOption(arg: string): number {
  if (arg.length > 4) return 0;
  switch (arg.toLowerCase()) {
    case 'nx':
      return ZADD_IN_NX;
    case 'xx':
      return ZADD_IN_XX;
    case 'gt':
      return ZADD_IN_GT;
    case 'lt':
      return ZADD_IN_LT;
    case 'incr':
      return ZADD_IN_INCR;
    case 'ch':
      return -1;
    default:
      return 0;
  }
}

/** zaddGenericCommand: ZADD, and ZINCRBY (which is ZADD INCR without options). */
function zaddGeneric(c: Client, argv: string[], flags: number): void {
  let ch = false;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = zaddOption(argv[scoreIdx]);
    if (opt === 0) break;
    if (opt < 0) ch = true;
    else flags |= opt;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  const pairsArgs = argv.length - scoreIdx;
  if (pairsArgs === 0 || pairsArgs % 2 !== 0) {
    c.error(SYNTAX_ERR);
    return;
  }
  const elements = pairsArgs / 2;
  if (nx && xx) {
    c.error('ERR XX and NX options at the same time are not compatible');
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.error('ERR GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (incr && elements > 1) {
    c.error('ERR INCR option supports a single increment-element pair');
    return;
  }
  // Every score is checked before anything changes: the command runs fully or not at all.
  const scores = new Array<number>(elements);
  let maxLen = 0;
  for (let j = 0; j < elements; j++) {
    const s = doubleArg(c, argv[scoreIdx + 2 * j]);
    if (s === null) return;
    scores[j] = s;
    const len = argv[scoreIdx + 2 * j + 1].length;
    if (len > maxLen) maxLen = len;
  }
  const key = argv[1];
  let z = writeZset(c, key);
  if (z === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let nan = false;
  if (z === undefined) {
    if (xx) {
      replyZadd(c, incr, false, 0, 0);
      return;
    }
    z = ZsetObject.create(elements, maxLen, typeLimits(c.server));
    c.db.add(key, z);
  } else {
    z.maybeConvert(elements, maxLen, typeLimits(c.server));
  }
  const limits = typeLimits(c.server);
  for (let j = 0; j < elements; j++) {
    const out = z.add(argv[scoreIdx + 2 * j + 1], scores[j], flags, limits);
    if (out & ZADD_OUT_NAN) {
      nan = true;
      break;
    }
    if (out & ZADD_OUT_ADDED) added++;
    if (out & ZADD_OUT_UPDATED) updated++;
    if (!(out & ZADD_OUT_NOP)) {
      processed++;
      score = ZsetObject.lastScore;
    }
  }
  if (!nan) dirty(c, added + updated);
  if (added + updated > 0) {
    signalModified(c, key);
    notify(c, 'z', incr ? 'zincr' : 'zadd', key);
  }
  if (nan) {
    c.error(NAN_ERR);
    return;
  }
  replyZadd(c, incr, processed > 0, score, ch ? added + updated : added);
}

function replyZadd(c: Client, incr: boolean, processed: boolean, score: number, count: number): void {
  if (!incr) c.reply.int(count);
  else if (processed) c.reply.double(score);
  else c.reply.nullBulk();
}

function zadd(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, 0);
}

function zincrby(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, ZADD_IN_INCR);
}

// ---------------------------------------------------------------------------------------------
// ZREM ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX
// ---------------------------------------------------------------------------------------------

function zrem(c: Client, argv: string[]): void {
  const key = argv[1];
  const z = writeZset(c, key);
  if (z === null) return;
  if (z === undefined) {
    c.reply.int(0);
    return;
  }
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (z.remove(argv[j])) deleted++;
    if (z.length === 0) break;
  }
  if (deleted > 0) {
    const removedKey = z.length === 0;
    if (removedKey) c.db.delete(key);
    notify(c, 'z', 'zrem', key);
    if (removedKey) notify(c, 'g', 'del', key);
    else signalModified(c, key);
    dirty(c, deleted);
  }
  c.reply.int(deleted);
}

type RangeKind = 'rank' | 'score' | 'lex';

/** zremrangeGenericCommand */
function zremrange(c: Client, argv: string[], kind: RangeKind): void {
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (kind === 'rank') {
    const s = intArg(c, argv[2]);
    if (s === null) return;
    const e = intArg(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (kind === 'score') {
    scoreRange = parseScoreRange(argv[2], argv[3]);
    if (scoreRange === null) {
      c.error(SCORE_RANGE_ERR);
      return;
    }
  } else {
    lexRange = parseLexRange(argv[2], argv[3]);
    if (lexRange === null) {
      c.error(LEX_RANGE_ERR);
      return;
    }
  }
  const key = argv[1];
  const z = writeZset(c, key);
  if (z === null) return;
  if (z === undefined) {
    c.reply.int(0);
    return;
  }
  let deleted: number;
  if (kind === 'rank') {
    const r = normalizeIndexRange(start, end, z.length);
    if (r === null) {
      c.reply.int(0);
      return;
    }
    deleted = z.removeRangeByRank(r[0], r[1]);
  } else if (kind === 'score') {
    deleted = z.removeRangeByScore(scoreRange as ScoreRange);
  } else {
    deleted = z.removeRangeByLex(lexRange as LexRange);
  }
  if (deleted > 0) {
    const removedKey = z.length === 0;
    if (removedKey) c.db.delete(key);
    else signalModified(c, key);
    notify(c, 'z', 'zremrangeby' + kind, key);
    if (removedKey) notify(c, 'g', 'del', key);
    dirty(c, deleted);
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------------------------
// ZCARD ZSCORE ZMSCORE ZCOUNT ZLEXCOUNT ZRANK ZREVRANK
// ---------------------------------------------------------------------------------------------

function zcard(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.int(z === undefined ? 0 : z.length);
}

function zscore(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const s = z === undefined ? undefined : z.score(argv[2]);
  if (s === undefined) c.reply.nullBulk();
  else c.reply.double(s);
}

function zmscore(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === undefined ? undefined : z.score(argv[j]);
    if (s === undefined) c.reply.nullBulk();
    else c.reply.double(s);
  }
}

function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) {
    c.error(SCORE_RANGE_ERR);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.int(z === undefined ? 0 : z.countInScoreRange(range));
}

function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (range === null) {
    c.error(LEX_RANGE_ERR);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.int(z === undefined ? 0 : z.countInLexRange(range));
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  if (argv.length > 4) {
    c.error(`ERR wrong number of arguments for '${reverse ? 'zrevrank' : 'zrank'}' command`);
    return;
  }
  let withScore = false;
  if (argv.length === 4) {
    if (!is(argv[3], 'withscore')) {
      c.error(SYNTAX_ERR);
      return;
    }
    withScore = true;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const rank = z === undefined ? -1 : z.rank(argv[2], reverse);
  if (rank < 0) {
    if (withScore) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (!withScore) {
    c.reply.int(rank);
    return;
  }
  c.reply.array(2);
  c.reply.int(rank);
  c.reply.double((z as ZsetObject).score(argv[2]) as number);
}

function zrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

function zrevrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}

// ---------------------------------------------------------------------------------------------
// ZRANGE family
// ---------------------------------------------------------------------------------------------

interface RangeRequest {
  kind: RangeKind;
  reverse: boolean;
  start: number;
  stop: number;
  score: ScoreRange | null;
  lex: LexRange | null;
  offset: number;
  limit: number;
  withScores: boolean;
}

/**
 * zrangeGenericCommand's parsing: the options after <src> <min> <max>, their conflicts, then
 * the range itself. `kind`/`reverse` are fixed by the legacy commands, null for ZRANGE and
 * ZRANGESTORE (chosen by BYSCORE/BYLEX/REV). Returns null after replying an error.
 */
function parseRangeRequest(c: Client, argv: string[], srcIdx: number, store: boolean, fixedKind: RangeKind | null, fixedReverse: boolean | null): RangeRequest | null {
  let kind = fixedKind;
  let reverse = fixedReverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = srcIdx + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const arg = argv[j];
    if (!store && is(arg, 'withscores')) {
      withScores = true;
    } else if (is(arg, 'limit') && left >= 2) {
      const o = intArg(c, argv[j + 1]);
      if (o === null) return null;
      const l = intArg(c, argv[j + 2]);
      if (l === null) return null;
      offset = o;
      limit = l;
      j += 2;
    } else if (reverse === null && is(arg, 'rev')) {
      reverse = true;
    } else if (kind === null && is(arg, 'bylex')) {
      kind = 'lex';
    } else if (kind === null && is(arg, 'byscore')) {
      kind = 'score';
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  if (kind === null) kind = 'rank';
  if (reverse === null) reverse = false;
  if (limit !== -1 && kind === 'rank') {
    c.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return null;
  }
  if (withScores && kind === 'lex') {
    c.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return null;
  }
  // Reversed score and lex ranges are given as max, min.
  let minIdx = srcIdx + 1;
  let maxIdx = srcIdx + 2;
  if (reverse && kind !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];
  const req: RangeRequest = { kind, reverse, start: 0, stop: 0, score: null, lex: null, offset, limit, withScores };
  if (kind === 'rank') {
    const s = intArg(c, argv[minIdx]);
    if (s === null) return null;
    const e = intArg(c, argv[maxIdx]);
    if (e === null) return null;
    req.start = s;
    req.stop = e;
  } else if (kind === 'score') {
    req.score = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (req.score === null) {
      c.error(SCORE_RANGE_ERR);
      return null;
    }
  } else {
    req.lex = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (req.lex === null) {
      c.error(LEX_RANGE_ERR);
      return null;
    }
  }
  return req;
}

/** The members (and scores) a range request selects, in reply order. */
function collectRange(z: ZsetObject, req: RangeRequest, members: string[], scores: number[]): void {
  const visit = (m: string, s: number): void => {
    members.push(m);
    scores.push(s);
  };
  if (req.kind === 'rank') {
    const r = normalizeIndexRange(req.start, req.stop, z.length);
    if (r !== null) z.rangeByRank(r[0], r[1], req.reverse, visit);
    return;
  }
  if (req.kind === 'score') {
    // genericZrangebyscoreCommand: an offset past the end is answered at once.
    if (req.offset > 0 && req.offset >= z.length) return;
    z.rangeByScore(req.score as ScoreRange, req.reverse, req.offset, req.limit, visit);
    return;
  }
  z.rangeByLex(req.lex as LexRange, req.reverse, req.offset, req.limit, visit);
}

/** ZRANGE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX */
function zrangeGeneric(c: Client, argv: string[], kind: RangeKind | null, reverse: boolean | null): void {
  const req = parseRangeRequest(c, argv, 1, false, kind, reverse);
  if (req === null) return;
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.reply.array(0);
    return;
  }
  const members: string[] = [];
  const scores: number[] = [];
  collectRange(z, req, members, scores);
  replyMembers(c, members, req.withScores ? scores : null);
}

function zrangeCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, null, null);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestore(c: Client, argv: string[]): void {
  const req = parseRangeRequest(c, argv, 2, true, null, null);
  if (req === null) return;
  const dst = argv[1];
  const z = readZset(c, argv[2]);
  if (z === null) return;
  const members: string[] = [];
  const scores: number[] = [];
  if (z !== undefined) collectRange(z, req, members, scores);
  if (members.length === 0) {
    deleteDestination(c, dst);
    return;
  }
  // zrangeResultBeginStore: sized by the rank range when known, members added one by one.
  const limits = typeLimits(c.server);
  const out = ZsetObject.create(req.kind === 'rank' ? members.length : 0, 0, limits);
  for (let i = 0; i < members.length; i++) out.add(members[i], scores[i], 0, limits);
  storeResult(c, dst, out, 'zrangestore');
}

/** An empty *STORE result: the destination is deleted, the reply is 0. */
function deleteDestination(c: Client, dst: string): void {
  if (c.db.delete(dst)) {
    notify(c, 'g', 'del', dst);
    dirty(c);
  }
  c.reply.int(0);
}

function storeResult(c: Client, dst: string, z: ZsetObject, event: string): void {
  c.db.setKey(dst, z);
  notify(c, 'z', event, dst);
  dirty(c);
  c.reply.int(z.length);
}

// ---------------------------------------------------------------------------------------------
// Pops: ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP
// ---------------------------------------------------------------------------------------------

/** How a pop reply is shaped (addZpopInitialReply). */
const enum PopShape {
  /** ZPOPMIN/ZPOPMAX without count, or RESP2: member, score, member, score... */
  Flat,
  /** ZPOPMIN/ZPOPMAX with count in RESP3: [member, score] pairs */
  Nested,
  /** BZPOPMIN/BZPOPMAX: key, member, score */
  KeyFlat,
  /** ZMPOP/BZMPOP: key, [[member, score]...] */
  KeyNested,
}

/**
 * Pop up to `count` members from the zset `z` at `key` and reply in `shape`. Emits the events,
 * counts the changes and deletes the key when it empties. Returns how many were popped.
 */
function popAndReply(c: Client, key: string, z: ZsetObject, max: boolean, count: number, shape: PopShape): number {
  const n = Math.min(count, z.length);
  const r = c.reply;
  notify(c, 'z', max ? 'zpopmax' : 'zpopmin', key);
  switch (shape) {
    case PopShape.Flat:
      r.array(n * 2);
      break;
    case PopShape.Nested:
      r.array(n);
      break;
    case PopShape.KeyFlat:
      r.array(n * 2 + 1);
      r.bulk(key);
      break;
    case PopShape.KeyNested:
      r.array(2);
      r.bulk(key);
      r.array(n);
      break;
  }
  const nested = shape === PopShape.Nested || shape === PopShape.KeyNested;
  z.pop(n, max, (m, s) => {
    if (nested) r.array(2);
    r.bulk(m);
    r.double(s);
  });
  dirty(c, n);
  if (afterRemoval(c, key, z)) notify(c, 'g', 'del', key);
  return n;
}

/** ZPOPMIN / ZPOPMAX key [count] */
function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) {
    c.error(SYNTAX_ERR);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = positiveLongArg(c, argv[2]);
    if (n === null) return;
    count = n;
  }
  const key = argv[1];
  const z = writeZset(c, key);
  if (z === null) return;
  if (z === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  const shape = count !== -1 && c.reply.resp === 3 ? PopShape.Nested : PopShape.Flat;
  popAndReply(c, key, z, max, count === -1 ? 1 : count, shape);
}

function zpopmin(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, false);
}

function zpopmax(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, true);
}

/** The pop a served ZMPOP / blocking pop is propagated as (Valkey's rewriteClientCommandVector). */
function propagatePop(c: Client, key: string, max: boolean, count: number | null): void {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  c.propagateArgv = count === null ? [name, key] : [name, key, String(count)];
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpop(c: Client, argv: string[]): void {
  const req = parseMpopArgs(c, argv, 1, ['min', 'max']);
  if (req === null) return;
  for (const key of req.keys) {
    const z = writeZset(c, key);
    if (z === null) return;
    if (z === undefined) continue;
    const n = popAndReply(c, key, z, req.secondEnd, req.count, PopShape.KeyNested);
    propagatePop(c, key, req.secondEnd, n);
    return;
  }
  c.reply.nullArray();
}

/**
 * blockingGenericZpopCommand: pop from the first non-empty key, else block (or, where blocking
 * is not allowed, answer as on timeout). `count` is null for BZPOPMIN/BZPOPMAX.
 */
function blockingZpop(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number | null): void {
  const timeout = blockTimeoutArg(c, timeoutArg);
  if (timeout === null) return;
  const blocking = c.server.blocking;
  // A re-run is only served when one of the keys now holds a sorted set (Valkey wakes a zset
  // waiter only for a key of its type); anything else leaves the client blocked.
  if (blocking.reprocessing && !keys.some((k) => isZset(c.db.peek(k)))) return;
  for (const key of keys) {
    const z = writeZset(c, key);
    if (z === null) {
      blocking.markServed();
      return;
    }
    if (z === undefined || z.length === 0) continue;
    const shape = count === null ? PopShape.KeyFlat : PopShape.KeyNested;
    const n = popAndReply(c, key, z, max, count ?? 1, shape);
    propagatePop(c, key, max, count === null ? null : n);
    blocking.markServed();
    return;
  }
  if (!blocking.canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blocking.block(c, keys, timeout, (cl) => cl.reply.nullArray());
}

function bzpopmin(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1], null);
}

function bzpopmax(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1], null);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpop(c: Client, argv: string[]): void {
  const req = parseMpopArgs(c, argv, 2, ['min', 'max']);
  if (req === null) return;
  blockingZpop(c, req.keys, req.secondEnd, argv[1], req.count);
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER
// ---------------------------------------------------------------------------------------------

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmember(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const l = rangeLongArg(c, argv[2], -LONG_MAX, LONG_MAX);
    if (l === null) return;
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withscores'))) {
      c.error(SYNTAX_ERR);
      return;
    }
    const withScores = argv.length === 4;
    // Twice the count must fit a long (RESP2 replies two items per member).
    const exact = parseInt64(argv[2]) as bigint;
    if (withScores && (exact < -LONG_MAX / 2n || exact > LONG_MAX / 2n)) {
      c.error('ERR value is out of range');
      return;
    }
    zrandmemberWithCount(c, argv[1], l, withScores);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const pick = z === undefined ? undefined : z.randomMember();
  if (pick === undefined) c.reply.nullBulk();
  else c.reply.bulk(pick[0]);
}

function zrandmemberWithCount(c: Client, key: string, l: number, withScores: boolean): void {
  const z = readZset(c, key);
  if (z === null) return;
  if (z === undefined || l === 0) {
    c.reply.array(0);
    return;
  }
  const r = c.reply;
  const nested = withScores && r.resp === 3;
  const emit = (m: string, s: number): void => {
    if (nested) r.array(2);
    r.bulk(m);
    if (withScores) r.double(s);
  };
  const size = z.length;
  const unique = l > 0;
  const count = unique ? l : -l;
  // CASE 1: a negative count (repeats allowed, random order), or a single member.
  if (!unique || count === 1) {
    r.array(withScores && !nested ? count * 2 : count);
    z.randomWithRepeats(count, emit);
    return;
  }
  const replySize = Math.min(count, size);
  r.array(withScores && !nested ? replySize * 2 : replySize);
  // CASE 2: the whole set, walked from the highest score as Valkey's zset iterator does.
  if (count >= size) {
    z.rangeByRank(0, size - 1, true, emit);
    return;
  }
  // CASES 2.5, 3, 4: distinct members (listpack order for a listpack, random otherwise).
  z.randomUnique(count, emit);
}

// ---------------------------------------------------------------------------------------------
// ZUNION ZINTER ZDIFF (+STORE) ZINTERCARD
// ---------------------------------------------------------------------------------------------

const AGGR_SUM = 0;
const AGGR_MIN = 1;
const AGGR_MAX = 2;

/** One input of the set algebra: a zset, a set (every score 1) or a missing key. */
interface OpSource {
  value: ZsetObject | SetObject | null;
  weight: number;
}

function sourceLength(s: OpSource): number {
  return s.value === null ? 0 : s.value.length;
}

/** Visit the (member, score) pairs of a source. */
function forEachInSource(s: OpSource, fn: (member: string, score: number) => void): void {
  const v = s.value;
  if (v === null) return;
  if (v instanceof ZsetObject) v.forEach(fn);
  else v.forEach((m) => fn(m, 1));
}

/** zuiFind: the member's score in a source, or undefined. */
function findInSource(s: OpSource, member: string): number | undefined {
  const v = s.value;
  if (v === null) return undefined;
  if (v instanceof ZsetObject) return v.score(member);
  return v.has(member) ? 1 : undefined;
}

/** zunionInterAggregate; a SUM of +inf and -inf is 0, as in Valkey. */
function aggregate(target: number, value: number, how: number): number {
  if (how === AGGR_SUM) {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === AGGR_MIN) return value < target ? value : target;
  return value > target ? value : target;
}

type SetOp = 'union' | 'inter' | 'diff';

/**
 * zunionInterDiffGenericCommand: ZUNION, ZINTER, ZDIFF (dst null), their STORE forms, and
 * ZINTERCARD (cardinalityOnly).
 */
function zsetOpGeneric(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: SetOp, cardinalityOnly: boolean): void {
  const setnum = intArg(c, argv[numkeysIdx]);
  if (setnum === null) return;
  if (setnum < 1) {
    c.error(`ERR at least 1 input key is needed for '${argv[0].toLowerCase()}' command`);
    return;
  }
  if (setnum > argv.length - (numkeysIdx + 1)) {
    c.error(SYNTAX_ERR);
    return;
  }
  const src: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = c.db.lookupRead(argv[j]);
    if (v !== undefined && !(v instanceof ZsetObject) && !(v instanceof SetObject)) {
      c.error(WRONGTYPE);
      return;
    }
    src.push({ value: v ?? null, weight: 1 });
  }
  let how = AGGR_SUM;
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const arg = argv[j];
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && is(arg, 'weights')) {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = doubleArg(c, argv[j], 'ERR weight value is not a float');
        if (w === null) return;
        src[i].weight = w;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && is(arg, 'aggregate')) {
      const a = argv[j + 1];
      if (is(a, 'sum')) how = AGGR_SUM;
      else if (is(a, 'min')) how = AGGR_MIN;
      else if (is(a, 'max')) how = AGGR_MAX;
      else {
        c.error(SYNTAX_ERR);
        return;
      }
      j += 2;
    } else if (dst === null && !cardinalityOnly && is(arg, 'withscores')) {
      withScores = true;
      j++;
    } else if (cardinalityOnly && remaining >= 2 && is(arg, 'limit')) {
      const n = positiveLongArg(c, argv[j + 1], "ERR LIMIT can't be negative");
      if (n === null) return;
      limit = n;
      j += 2;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  // Smallest inputs first (a stable sort, as glibc's qsort is in practice).
  if (op !== 'diff') src.sort((a, b) => sourceLength(a) - sourceLength(b));

  if (cardinalityOnly) {
    c.reply.int(interCardinality(src, limit));
    return;
  }
  const result = op === 'union' ? unionOf(src, how) : op === 'inter' ? interOf(src, how) : diffOf(src);
  const entries = sortedEntries(result);
  if (dst !== null) {
    storeOpResult(c, dst, entries, op);
    return;
  }
  const members = entries.map((e) => e[0]);
  replyMembers(c, members, withScores ? entries.map((e) => e[1]) : null);
}

/** ZINTERCARD: members of the smallest input found in every other one, up to LIMIT (0 = all). */
function interCardinality(src: OpSource[], limit: number): number {
  let n = 0;
  const first = src[0];
  forEachInSource(first, (m) => {
    if (limit > 0 && n >= limit) return;
    for (let k = 1; k < src.length; k++) {
      if (src[k].value !== first.value && findInSource(src[k], m) === undefined) return;
    }
    n++;
  });
  return n;
}

function weighted(score: number, weight: number): number {
  const s = score * weight;
  return Number.isNaN(s) ? 0 : s;
}

function unionOf(src: OpSource[], how: number): Map<string, number> {
  const acc = new Map<string, number>();
  for (const s of src) {
    forEachInSource(s, (m, score) => {
      const w = weighted(score, s.weight);
      const cur = acc.get(m);
      acc.set(m, cur === undefined ? w : aggregate(cur, w, how));
    });
  }
  return acc;
}

function interOf(src: OpSource[], how: number): Map<string, number> {
  const acc = new Map<string, number>();
  if (sourceLength(src[0]) === 0) return acc;
  const first = src[0];
  forEachInSource(first, (m, score) => {
    let total = weighted(score, first.weight);
    for (let k = 1; k < src.length; k++) {
      // The same key given twice: its score is known without a lookup.
      const other = src[k].value === first.value ? score : findInSource(src[k], m);
      if (other === undefined) return;
      total = aggregate(total, other * src[k].weight, how);
    }
    acc.set(m, total);
  });
  return acc;
}

function diffOf(src: OpSource[]): Map<string, number> {
  const acc = new Map<string, number>();
  if (sourceLength(src[0]) === 0) return acc;
  // The first key given again later removes everything.
  for (let k = 1; k < src.length; k++) if (src[k].value === src[0].value) return acc;
  forEachInSource(src[0], (m, score) => {
    for (let k = 1; k < src.length; k++) if (findInSource(src[k], m) !== undefined) return;
    acc.set(m, score);
  });
  return acc;
}

/** Result entries in skiplist order: score, then member bytes. */
function sortedEntries(result: Map<string, number>): [string, number][] {
  const entries = [...result];
  entries.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return entries;
}

function storeOpResult(c: Client, dst: string, entries: [string, number][], op: SetOp): void {
  if (entries.length === 0) {
    deleteDestination(c, dst);
    return;
  }
  const limits = typeLimits(c.server);
  const z = ZsetObject.empty('skiplist');
  let maxLen = 0;
  let total = 0;
  for (const [m, s] of entries) {
    z.add(m, s, 0, limits);
    if (m.length > maxLen) maxLen = m.length;
    total += m.length;
  }
  z.convertToListpackIfNeeded(maxLen, total, limits);
  storeResult(c, dst, z, op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore');
}

// ---------------------------------------------------------------------------------------------
// ZSCAN
// ---------------------------------------------------------------------------------------------

/** ZSCAN key cursor [MATCH pattern] [COUNT count] [NOSCORES] */
function zscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error('ERR invalid cursor');
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.reply.array(2);
    c.reply.bulk('0');
    c.reply.array(0);
    return;
  }
  const opts = parseScanOptions(c, argv, 3, 'zset');
  if (opts === null) return;
  const matches = opts.pattern === null ? null : compileGlob(opts.pattern);
  const items: string[] = [];
  const next = z.scan(cursor, opts.count, (m, s) => {
    if (matches !== null && !matches(m)) return;
    items.push(m);
    if (!opts.noValues) items.push(formatDouble(s));
  });
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(items);
}

// ---------------------------------------------------------------------------------------------
// DEBUG DIGEST
// ---------------------------------------------------------------------------------------------

// Valkey digests each (member, score) pair with the score as the shortest text that reads back
// as the same double.
registerValueDigest('zset', (d, v) => {
  const pairs: [string, string][] = [];
  (v as ZsetObject).forEach((m, s) => {
    pairs.push([m, fpconvDtoa(s)]);
  });
  xorPairs(d, pairs);
});

// ---------------------------------------------------------------------------------------------
// The command table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const MEMBER: ArgDoc = { name: 'member', type: 'string' };
const MEMBERS: ArgDoc = { name: 'member', type: 'string', multiple: true };
const NUMKEYS: ArgDoc = { name: 'numkeys', type: 'integer' };
const WITHSCORES: ArgDoc = { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true };
const LIMIT_BLOCK: ArgDoc = {
  name: 'offset_count', type: 'block', token: 'LIMIT', optional: true,
  arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }],
};
const WHERE: ArgDoc = {
  name: 'where', type: 'oneof',
  arguments: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }],
};
const POP_COUNT: ArgDoc = { name: 'count', type: 'integer', token: 'COUNT', optional: true };
const WEIGHTS: ArgDoc = { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true };
const AGGREGATE: ArgDoc = {
  name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true,
  arguments: [
    { name: 'sum', type: 'pure-token', token: 'SUM' },
    { name: 'min', type: 'pure-token', token: 'MIN' },
    { name: 'max', type: 'pure-token', token: 'MAX' },
  ],
};
const SORTBY: ArgDoc = {
  name: 'sortby', type: 'oneof', optional: true,
  arguments: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }],
};
const REV: ArgDoc = { name: 'rev', type: 'pure-token', token: 'REV', optional: true };

const RO = ks.one(1, 'RO', 'ACCESS');
const RW_DELETE = ks.one(1, 'RW', 'DELETE');
const POP_SPEC = ks.one(1, 'RW', 'ACCESS', 'DELETE');
const STORE_SPECS = [ks.one(1, 'OW', 'UPDATE'), ks.numkeys(2, 'RO', 'ACCESS')];
const G = 'sorted-set';
const TIMEOUT_HISTORY: [string, string][] = [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']];
const BY_RANGE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMRANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const MPOP_COMPLEXITY = 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';
const INTER_COMPLEXITY =
  'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const UNION_COMPLEXITY = 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY =
  'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

export const zsetCommands: CommandDef[] = [
  {
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: zadd,
    summary: 'Adds members with scores to a sorted set, or updates the scores of existing members; creates the key if needed.',
    since: '1.2.0', group: G, complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    history: [['2.4.0', 'Accepts multiple elements.'], ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'], ['6.2.0', 'Added the `GT` and `LT` options.']],
    args: [
      KEY,
      { name: 'condition', type: 'oneof', since: '3.0.2', optional: true, arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'comparison', type: 'oneof', since: '6.2.0', optional: true, arguments: [{ name: 'gt', type: 'pure-token', token: 'GT' }, { name: 'lt', type: 'pure-token', token: 'LT' }] },
      { name: 'change', type: 'pure-token', token: 'CH', since: '3.0.2', optional: true },
      { name: 'increment', type: 'pure-token', token: 'INCR', since: '3.0.2', optional: true },
      { name: 'score_member', type: 'block', multiple: true, arguments: [{ name: 'score', type: 'double' }, MEMBER] },
    ],
  },
  {
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'], keySpecs: [ks.one(1, 'RW', 'ACCESS', 'UPDATE')], handler: zincrby,
    summary: 'Adds an increment to the score of a member of a sorted set; creates the member or the key if needed.',
    since: '1.2.0', group: G, complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    args: [KEY, { name: 'increment', type: 'integer' }, MEMBER],
  },
  {
    name: 'zrem', arity: -3, flags: ['write', 'fast'], acl: ['sortedset'], keySpecs: [RW_DELETE], handler: zrem,
    summary: 'Removes members from a sorted set; deletes the key when it becomes empty.',
    since: '1.2.0', group: G, complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    history: [['2.4.0', 'Accepts multiple elements.']],
    args: [KEY, MEMBERS],
  },
  {
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [ks.one(1, 'RO')], handler: zcard,
    summary: 'Returns how many members a sorted set has.', since: '1.2.0', group: G, complexity: 'O(1)',
    args: [KEY],
  },
  {
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zcount,
    summary: 'Counts the members of a sorted set whose scores fall within a range.', since: '2.0.0', group: G,
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
  },
  {
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zlexcount,
    summary: 'Counts the members of a sorted set that fall within a lexicographical range.', since: '2.8.9', group: G,
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
  },
  {
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zscore,
    summary: 'Returns the score of a member of a sorted set.', since: '1.2.0', group: G, complexity: 'O(1)',
    args: [KEY, MEMBER],
  },
  {
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zmscore,
    summary: 'Returns the scores of several members of a sorted set.', since: '6.2.0', group: G,
    complexity: 'O(N) where N is the number of members being requested.',
    args: [KEY, MEMBERS],
  },
  {
    name: 'zrank', arity: -3, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zrank,
    summary: 'Returns the position of a member in a sorted set ordered by ascending scores.', since: '2.0.0', group: G, complexity: 'O(log(N))',
    history: [['7.2.0', 'Added the optional `WITHSCORE` argument.']],
    args: [KEY, MEMBER, { name: 'withscore', type: 'pure-token', token: 'WITHSCORE', optional: true }],
  },
  {
    name: 'zrevrank', arity: -3, flags: ['readonly', 'fast'], acl: ['sortedset'], keySpecs: [RO], handler: zrevrank,
    summary: 'Returns the position of a member in a sorted set ordered by descending scores.', since: '2.0.0', group: G, complexity: 'O(log(N))',
    history: [['7.2.0', 'Added the optional `WITHSCORE` argument.']],
    args: [KEY, MEMBER, { name: 'withscore', type: 'pure-token', token: 'WITHSCORE', optional: true }],
  },
  {
    name: 'zrange', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: zrangeCommand,
    summary: 'Returns the members of a sorted set within a range of positions, scores or lexicographical values.', since: '1.2.0', group: G,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
    args: [
      KEY, { name: 'start', type: 'string' }, { name: 'stop', type: 'string' }, { ...SORTBY, since: '6.2.0' }, { ...REV, since: '6.2.0' },
      { ...LIMIT_BLOCK, since: '6.2.0' }, WITHSCORES,
    ],
  },
  {
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], acl: ['sortedset'], keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.one(2, 'RO', 'ACCESS')], handler: zrangestore,
    summary: 'Stores a range of members of a sorted set in another key.', since: '6.2.0', group: G,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    args: [
      { name: 'dst', type: 'key', key_spec_index: 0 }, { name: 'src', type: 'key', key_spec_index: 1 },
      { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, SORTBY, REV, LIMIT_BLOCK,
    ],
  },
  {
    name: 'zrevrange', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: (c, argv) => zrangeGeneric(c, argv, 'rank', true),
    summary: 'Returns the members of a sorted set within a range of positions, from the highest score down.', since: '1.2.0', group: G,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `REV` argument',
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }, WITHSCORES],
  },
  {
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: (c, argv) => zrangeGeneric(c, argv, 'score', false),
    summary: 'Returns the members of a sorted set whose scores fall within a range.', since: '1.0.5', group: G, complexity: BY_RANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
    args: [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }, { ...WITHSCORES, since: '2.0.0' }, LIMIT_BLOCK],
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: (c, argv) => zrangeGeneric(c, argv, 'score', true),
    summary: 'Returns the members of a sorted set whose scores fall within a range, from the highest score down.', since: '2.2.0', group: G,
    complexity: BY_RANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    history: [['2.1.6', '`min` and `max` can be exclusive.']],
    args: [KEY, { name: 'max', type: 'double' }, { name: 'min', type: 'double' }, WITHSCORES, LIMIT_BLOCK],
  },
  {
    name: 'zrangebylex', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: (c, argv) => zrangeGeneric(c, argv, 'lex', false),
    summary: 'Returns the members of a sorted set within a lexicographical range.', since: '2.8.9', group: G, complexity: BY_RANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `BYLEX` argument',
    args: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, LIMIT_BLOCK],
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: (c, argv) => zrangeGeneric(c, argv, 'lex', true),
    summary: 'Returns the members of a sorted set within a lexicographical range, in reverse order.', since: '2.8.9', group: G,
    complexity: BY_RANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    args: [KEY, { name: 'max', type: 'string' }, { name: 'min', type: 'string' }, LIMIT_BLOCK],
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: ['write'], acl: ['sortedset'], keySpecs: [RW_DELETE], handler: (c, argv) => zremrange(c, argv, 'rank'),
    summary: 'Removes the members of a sorted set within a range of positions; deletes the key when it becomes empty.', since: '2.0.0', group: G,
    complexity: REMRANGE_COMPLEXITY,
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: ['write'], acl: ['sortedset'], keySpecs: [RW_DELETE], handler: (c, argv) => zremrange(c, argv, 'score'),
    summary: 'Removes the members of a sorted set whose scores fall within a range; deletes the key when it becomes empty.', since: '1.2.0', group: G,
    complexity: REMRANGE_COMPLEXITY,
    args: [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
  },
  {
    name: 'zremrangebylex', arity: 4, flags: ['write'], acl: ['sortedset'], keySpecs: [RW_DELETE], handler: (c, argv) => zremrange(c, argv, 'lex'),
    summary: 'Removes the members of a sorted set within a lexicographical range; deletes the key when it becomes empty.', since: '2.8.9', group: G,
    complexity: REMRANGE_COMPLEXITY,
    args: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
  },
  {
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], acl: ['sortedset'], keySpecs: [POP_SPEC], handler: zpopmin,
    summary: 'Removes and returns the members with the lowest scores of a sorted set; deletes the key when it becomes empty.', since: '5.0.0', group: G,
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [KEY, { name: 'count', type: 'integer', optional: true }],
  },
  {
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], acl: ['sortedset'], keySpecs: [POP_SPEC], handler: zpopmax,
    summary: 'Removes and returns the members with the highest scores of a sorted set; deletes the key when it becomes empty.', since: '5.0.0', group: G,
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [KEY, { name: 'count', type: 'integer', optional: true }],
  },
  {
    name: 'zmpop', arity: -4, flags: ['write'], acl: ['sortedset'], keySpecs: [ks.numkeys(1, 'RW', 'ACCESS', 'DELETE')], handler: zmpop,
    summary: 'Removes and returns the lowest- or highest-scoring members of the first non-empty sorted set among several keys.', since: '7.0.0', group: G,
    complexity: MPOP_COMPLEXITY,
    args: [NUMKEYS, KEYS, WHERE, POP_COUNT],
  },
  {
    name: 'bzpopmin', arity: -3, flags: ['write', 'fast', 'blocking'], acl: ['sortedset'], keySpecs: [ks.allButLast(1, 'RW', 'ACCESS', 'DELETE')], handler: bzpopmin,
    summary: 'Removes and returns the member with the lowest score from the first non-empty sorted set among several keys; waits for one otherwise.',
    since: '5.0.0', group: G, complexity: 'O(log(N)) with N being the number of elements in the sorted set.', history: TIMEOUT_HISTORY,
    args: [KEYS, { name: 'timeout', type: 'double' }],
  },
  {
    name: 'bzpopmax', arity: -3, flags: ['write', 'fast', 'blocking'], acl: ['sortedset'], keySpecs: [ks.allButLast(1, 'RW', 'ACCESS', 'DELETE')], handler: bzpopmax,
    summary: 'Removes and returns the member with the highest score from the first non-empty sorted set among several keys; waits for one otherwise.',
    since: '5.0.0', group: G, complexity: 'O(log(N)) with N being the number of elements in the sorted set.', history: TIMEOUT_HISTORY,
    args: [KEYS, { name: 'timeout', type: 'double' }],
  },
  {
    name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], acl: ['sortedset'], keySpecs: [ks.numkeys(2, 'RW', 'ACCESS', 'DELETE')], handler: bzmpop,
    summary: 'Removes and returns the lowest- or highest-scoring members of the first non-empty sorted set among several keys; waits for one otherwise.',
    since: '7.0.0', group: G, complexity: MPOP_COMPLEXITY,
    args: [{ name: 'timeout', type: 'double' }, NUMKEYS, KEYS, WHERE, POP_COUNT],
  },
  {
    name: 'zrandmember', arity: -2, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: zrandmember,
    summary: 'Returns one or more random members of a sorted set.', since: '6.2.0', group: G, complexity: 'O(N) where N is the number of elements returned',
    tips: ['nondeterministic_output'],
    args: [KEY, { name: 'options', type: 'block', optional: true, arguments: [{ name: 'count', type: 'integer' }, WITHSCORES] }],
  },
  {
    name: 'zunion', arity: -3, flags: ['readonly'], acl: ['sortedset'], keySpecs: [ks.numkeys(1, 'RO', 'ACCESS')],
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'union', false),
    summary: 'Returns the union of sorted sets.', since: '6.2.0', group: G, complexity: UNION_COMPLEXITY,
    args: [NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
  },
  {
    name: 'zinter', arity: -3, flags: ['readonly'], acl: ['sortedset'], keySpecs: [ks.numkeys(1, 'RO', 'ACCESS')],
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'inter', false),
    summary: 'Returns the intersection of sorted sets.', since: '6.2.0', group: G, complexity: INTER_COMPLEXITY,
    args: [NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
  },
  {
    name: 'zdiff', arity: -3, flags: ['readonly'], acl: ['sortedset'], keySpecs: [ks.numkeys(1, 'RO', 'ACCESS')],
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'diff', false),
    summary: 'Returns the members of the first sorted set that are in none of the others.', since: '6.2.0', group: G, complexity: DIFF_COMPLEXITY,
    args: [NUMKEYS, KEYS, WITHSCORES],
  },
  {
    name: 'zintercard', arity: -3, flags: ['readonly'], acl: ['sortedset'], keySpecs: [ks.numkeys(1, 'RO', 'ACCESS')],
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'inter', true),
    summary: 'Counts the members of the intersection of sorted sets.', since: '7.0.0', group: G,
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    args: [NUMKEYS, KEYS, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
  },
  {
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], acl: ['sortedset'], keySpecs: STORE_SPECS,
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'union', false),
    summary: 'Stores the union of sorted sets in a key.', since: '2.0.0', group: G,
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    args: [{ name: 'destination', type: 'key', key_spec_index: 0 }, NUMKEYS, { ...KEYS, key_spec_index: 1 }, WEIGHTS, AGGREGATE],
  },
  {
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], acl: ['sortedset'], keySpecs: STORE_SPECS,
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'inter', false),
    summary: 'Stores the intersection of sorted sets in a key.', since: '2.0.0', group: G, complexity: INTER_COMPLEXITY,
    args: [{ name: 'destination', type: 'key', key_spec_index: 0 }, NUMKEYS, { ...KEYS, key_spec_index: 1 }, WEIGHTS, AGGREGATE],
  },
  {
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], acl: ['sortedset'], keySpecs: STORE_SPECS,
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'diff', false),
    summary: 'Stores the members of the first sorted set that are in none of the others in a key.', since: '6.2.0', group: G, complexity: DIFF_COMPLEXITY,
    args: [{ name: 'destination', type: 'key', key_spec_index: 0 }, NUMKEYS, { ...KEYS, key_spec_index: 1 }],
  },
  {
    name: 'zscan', arity: -3, flags: ['readonly'], acl: ['sortedset'], keySpecs: [RO], handler: zscan,
    summary: 'Walks the members and scores of a sorted set incrementally with a cursor.', since: '2.8.0', group: G,
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    history: [['7.4', 'Added noscores option.']], tips: ['nondeterministic_output'],
    args: [
      KEY, { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'noscores', type: 'pure-token', token: 'NOSCORES', optional: true },
    ],
  },
];
