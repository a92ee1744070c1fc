// Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XREAD XGROUP XREADGROUP XACK XPENDING
// XCLAIM XAUTOCLAIM XINFO XSETID, with Valkey 9.0's syntax, replies and errors (t_stream.c),
// its keyspace events (class t), and its propagation: XADD goes out with the ID it generated and
// with ~ trimming made exact; XREADGROUP, XCLAIM and XAUTOCLAIM go out as the XCLAIM / XGROUP
// SETID / XGROUP CREATECONSUMER commands that reproduce their effect.

import type { Client } from '../server/client';
import { CF_PRIMARY } from '../server/client';
import { BOUNDED_ARRAY_MAX, type ReplyWriter } from '../protocol/reply';
import { type CommandDef, type ArgDoc, ks } from './table';
import { WRONGTYPE, SYNTAX_ERR, NO_SUCH_KEY, intArg, is, dirty, replyHelp, subcommandSyntaxError, blockTimeoutMsArg } from './util';
import type { Value } from '../db/database';
import {
  StreamObject,
  StreamIterator,
  ConsumerGroup,
  Consumer,
  Nack,
  INVALID_ENTRIES_READ,
  FLAG_SAMEFIELDS,
  type TrimArgs,
} from '../types/stream';
import { readElem, elem } from '../types/streamListpack';
import {
  type U64,
  type I64,
  type StreamID,
  cmpId,
  idCmp,
  idIsZero,
  idIsMax,
  idString,
  idIncr,
  idDecr,
  nextAutoId,
  incrU64,
  u64AsI64,
  i64AsU64,
  wrapI64,
  cstr,
  parseStreamId,
  parseIntervalId,
  parseI64,
  MAX_ID,
  MIN_ID,
  U64_MAX,
  writeIdAscii,
} from '../types/streamId';
import { writeDigits } from '../util/digits';
import { registerValueDigest, mixDigest } from '../util/digest';
import '../persistence/rdb/streamRdb';

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

function isStream(v: Value | undefined): v is StreamObject {
  return v instanceof StreamObject;
}

/** A looked-up value as a stream: undefined if missing, null after replying WRONGTYPE. */
function asStream(c: Client, v: Value | undefined): StreamObject | null | undefined {
  if (v === undefined) return undefined;
  if (!isStream(v)) {
    c.error(WRONGTYPE);
    return null;
  }
  return v;
}

/**
 * strcasecmp on a C string: Valkey compares up to the first NUL. `lowerKeyword` is made of
 * letters a-z only, so OR-ing 0x20 into the argument's chars folds exactly its case (no
 * lowercased copy is made: commands test several options per argument).
 */
function opt(arg: string, lowerKeyword: string): boolean {
  const n = lowerKeyword.length;
  if (arg.length !== n && !(arg.length > n && arg.charCodeAt(n) === 0)) return false;
  for (let i = 0; i < n; i++) if ((arg.charCodeAt(i) | 0x20) !== lowerKeyword.charCodeAt(i)) return false;
  return true;
}

/** A stream ID argument or the invalid-ID error. */
function idArg(c: Client, arg: string, missingSeq: U64, strict: boolean): StreamID | null {
  const id = parseStreamId(arg, missingSeq, strict);
  if (id === null) c.error(INVALID_ID);
  return id;
}

/** A long long argument kept exact (I64), or the integer error. */
function i64Arg(c: Client, arg: string, err = 'ERR value is not an integer or out of range'): I64 | null {
  const v = parseI64(arg);
  if (v === null) c.error(err);
  return v;
}

/** Bytes of "$<len>\r\n<ms>-<seq>\r\n" at most. */
const ID_BULK_MAX = 5 + 41 + 2;

/** An ID as a bulk string; its digits go straight into the reply (no string made). */
function replyId(r: ReplyWriter, ms: U64, seq: U64): void {
  if (typeof ms !== 'number' || typeof seq !== 'number') {
    r.bulk(ms + '-' + seq);
    return;
  }
  const b = r.reserve(ID_BULK_MAX);
  if (b === null) return;
  const start = r.length;
  r.advance(writeIdBulk(b, start, ms, seq) - start);
}

/**
 * Write "$<len>\r\n<ms>-<seq>\r\n" at `p`; returns the position after it. The ID (3 to 41 bytes)
 * goes first, after room for a two-digit length, and moves back a byte in the rare case it is
 * shorter than 10: cheaper than counting its digits ahead.
 */
function writeIdBulk(b: Buffer, p: number, ms: number, seq: number): number {
  let end = writeIdAscii(ms, seq, b, p + 5);
  const len = end - p - 5;
  b[p] = 36; // $
  if (len >= 10) {
    b[p + 1] = 48 + ((len / 10) | 0);
    b[p + 2] = 48 + (len % 10);
    b[p + 3] = 13;
    b[p + 4] = 10;
  } else {
    b[p + 1] = 48 + len;
    b[p + 2] = 13;
    b[p + 3] = 10;
    b.copyWithin(p + 4, p + 5, end);
    end--;
  }
  b[end] = 13;
  b[end + 1] = 10;
  return end + 2;
}

function now(c: Client): number {
  return c.server.ctx.now;
}

function notify(c: Client, event: string, key: string): void {
  c.server.notifier.notify('t', event, key, c.db.id);
}

/** signalModifiedKey: WATCH and client tracking. */
function signalModified(c: Client, key: string): void {
  c.db.ctx.hooks.keyModified(c.db, key);
}

/** The stream is about to change in place: a snapshot in progress must keep its old value. */
function beforeChange(c: Client, key: string): void {
  if (c.db.guard !== null) c.db.guard.beforeChange(c.db, key);
}

/** Commands from our primary (or replayed from the AOF) are trusted to be exact. */
function mustObey(c: Client): boolean {
  return (c.flags & CF_PRIMARY) !== 0 || c.server.loading;
}

/** Bytes of "*2\r\n$<len>\r\n<id>\r\n*<2n>\r\n" at most. */
const ENTRY_HEAD_MAX = 4 + ID_BULK_MAX + 24;

/** The current entry of `it` as [id, [field, value, ...]]. */
function replyEntry(r: ReplyWriter, it: StreamIterator): void {
  const ms = it.ms;
  const seq = it.seq;
  if (typeof ms === 'number' && typeof seq === 'number') {
    writeEntryHead(r, ms, seq, it.numFields);
  } else {
    r.array(2);
    r.bulk(ms + '-' + seq);
    r.array(it.numFields * 2);
  }
  replyEntryFields(r, it);
}

/**
 * The entry's reply up to its fields, written in place: the ID's digits go straight into the
 * reply (entries are most of what XRANGE / XREAD send, and their IDs most of an entry).
 */
function writeEntryHead(r: ReplyWriter, ms: number, seq: number, numFields: number): void {
  const b = r.reserve(ENTRY_HEAD_MAX);
  if (b === null) return;
  const start = r.length;
  b[start] = 42; // *2\r\n
  b[start + 1] = 50;
  b[start + 2] = 13;
  b[start + 3] = 10;
  let p = writeIdBulk(b, start + 4, ms, seq);
  b[p] = 42; // *
  p = writeDigits(numFields * 2, b, p + 1);
  b[p] = 13;
  b[p + 1] = 10;
  r.advance(p + 2 - start);
}

/** The current entry's fields and values as bulk strings, straight from the node's bytes. */
function replyEntryFields(r: ReplyWriter, it: StreamIterator): void {
  const node = it.node!;
  const buf = node.data;
  const n = it.numFields;
  let p = it.fieldPos;
  if (it.flags & FLAG_SAMEFIELDS) {
    // The master fields, encoded once per node as bulk strings.
    const fb = node.fieldBulks ?? node.encodeFieldBulks();
    const ends = node.fieldBulkEnds;
    let off = 0;
    for (let i = 0; i < n; i++) {
      r.rawBytes(fb, off, ends[i]);
      off = ends[i];
      p = replyElem(r, buf, p);
    }
  } else {
    for (let i = 0; i < 2 * n; i++) p = replyElem(r, buf, p);
  }
  it.fieldsRead(p);
}

/** One stored element as a bulk string; returns the position after it. */
function replyElem(r: ReplyWriter, buf: Buffer, p: number): number {
  const next = readElem(buf, p);
  if (elem.isInt) r.bulk(String(elem.int));
  else r.bulkBytes(buf, elem.start, elem.end);
  return next;
}

// ---------------------------------------------------------------------------------------------
// propagation (streamPropagateXCLAIM / streamPropagateGroupID / streamPropagateConsumerCreation)
// ---------------------------------------------------------------------------------------------

function propagateXclaim(c: Client, key: string, groupName: string, g: ConsumerGroup, id: string, nack: Nack): void {
  if (!c.server.propagation.hasReaders) return;
  c.server.propagation.add(c.db.id, [
    'XCLAIM', key, groupName, nack.consumer!.name, '0', id,
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(u64AsI64(nack.deliveryCount)),
    'FORCE', 'JUSTID', 'LASTID', idString(g.lastId),
  ]);
}

function propagateGroupId(c: Client, key: string, groupName: string, g: ConsumerGroup): void {
  if (!c.server.propagation.hasReaders) return;
  c.server.propagation.add(c.db.id, ['XGROUP', 'SETID', key, groupName, idString(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

function propagateConsumerCreation(c: Client, key: string, groupName: string, consumer: string): void {
  if (!c.server.propagation.hasReaders) return;
  c.server.propagation.add(c.db.id, ['XGROUP', 'CREATECONSUMER', key, groupName, consumer]);
}

/** streamCreateConsumer with notification and dirty. */
function createConsumer(c: Client, g: ConsumerGroup, name: string, key: string): Consumer {
  const consumer = g.createConsumer(name, now(c))!;
  dirty(c);
  notify(c, 'xgroup-createconsumer', key);
  return consumer;
}

// ---------------------------------------------------------------------------------------------
// range replies (streamReplyWithRange)
// ---------------------------------------------------------------------------------------------

/** What a consumer-group read carries along (XREADGROUP). */
interface GroupRead {
  key: string;
  groupName: string;
  group: ConsumerGroup;
  consumer: Consumer;
  noack: boolean;
  /** serve the consumer's own PEL instead of new entries */
  history: boolean;
}

/**
 * Reply with the entries in [start, end] (end null: to the last), at most `count` (0: all).
 * `raw`: the entries only, without the enclosing array. With a group read, new entries are
 * delivered: the group's last ID moves, and PEL entries are created (unless NOACK) and
 * propagated. Returns how many entries were emitted.
 */
function replyRange(c: Client, s: StreamObject, start: StreamID, end: StreamID | null, count: number, rev: boolean, raw: boolean, gr: GroupRead | null): number {
  if (gr !== null && gr.history) return replyFromConsumerPel(c, s, start, count, gr.consumer);
  const r = c.reply;
  const bounded = count > 0 && count <= BOUNDED_ARRAY_MAX;
  const mark = raw ? -1 : bounded ? r.deferArrayUpTo(count) : r.deferLen();
  const it = new StreamIterator(s, start, end, rev);
  let n = 0;
  let lastIdMoved = false;
  while (it.next()) {
    if (gr !== null && cmpId(it.ms, it.seq, gr.group.lastId.ms, gr.group.lastId.seq) > 0) {
      s.advanceGroup(gr.group, { ms: it.ms, seq: it.seq });
      lastIdMoved = true;
    }
    replyEntry(r, it);
    if (gr !== null && !gr.noack) deliver(c, gr, it.ms, it.seq);
    n++;
    if (count && count === n) break;
  }
  if (gr !== null && lastIdMoved) propagateGroupId(c, gr.key, gr.groupName, gr.group);
  if (raw) return n;
  if (bounded) r.setDeferredArrayUpTo(mark, count, n);
  else r.setDeferredArray(mark, n);
  return n;
}

/** An entry delivered to gr.consumer: a new PEL entry, or the existing one moves to it. */
function deliver(c: Client, gr: GroupRead, ms: U64, seq: U64): void {
  const t = now(c);
  const g = gr.group;
  // Usually a new ID past the end of the PEL: the insert is then O(1) and no lookup is needed.
  let nack = new Nack(t, 1, gr.consumer);
  if (g.pel.tryInsert(ms, seq, nack)) {
    gr.consumer.pel.tryInsert(ms, seq, nack);
  } else {
    nack = g.pel.get(ms, seq)!;
    nack.consumer?.pel.delete(ms, seq);
    nack.consumer = gr.consumer;
    nack.deliveryTime = t;
    nack.deliveryCount = 1;
    gr.consumer.pel.set(ms, seq, nack);
  }
  gr.consumer.activeTime = t;
  if (c.server.propagation.hasReaders) propagateXclaim(c, gr.key, gr.groupName, g, ms + '-' + seq, nack);
}

/** streamReplyWithRangeFromConsumerPEL: a consumer's history, from its own PEL. */
function replyFromConsumerPel(c: Client, s: StreamObject, start: StreamID, count: number, consumer: Consumer): number {
  const r = c.reply;
  const mark = r.deferLen();
  const t = now(c);
  let n = 0;
  consumer.pel.forEachFrom(start.ms, start.seq, (ms, seq, nack) => {
    if (count && n >= count) return false;
    const id = { ms, seq };
    if (replyRange(c, s, id, id, 1, false, true, null) === 0) {
      // Acknowledged nowhere but gone from the stream (XDEL, trimming): the ID with no fields.
      r.array(2);
      replyId(r, ms, seq);
      r.nullArray();
    } else {
      nack.deliveryTime = t;
      nack.deliveryCount = incrU64(nack.deliveryCount) ?? 0;
    }
    n++;
    return true;
  });
  r.setDeferredArray(mark, n);
  return n;
}

// ---------------------------------------------------------------------------------------------
// XADD / XTRIM
// ---------------------------------------------------------------------------------------------

interface AddTrimArgs extends TrimArgs {
  /** no strategy given */
  none: boolean;
  /** argv index of the MAXLEN / MINID threshold (rewritten for propagation) */
  argIdx: number;
  noMkStream: boolean;
  idGiven: boolean;
  seqGiven: boolean;
  id: StreamID;
  /** XADD: where the ID is (argv.length if missing) */
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply; null after replying an error. */
function parseAddTrimArgs(c: Client, argv: string[], xadd: boolean): AddTrimArgs | null {
  const a: AddTrimArgs = {
    strategy: 'maxlen', none: true, maxlen: 0, minid: { ms: 0, seq: 0 }, approx: false, limit: 0,
    argIdx: 0, noMkStream: false, idGiven: false, seqGiven: true, id: { ms: 0, seq: 0 }, idPos: 0,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const o = argv[i];
    if (xadd && cstr(o) === '*') break;
    const isMaxlen = opt(o, 'maxlen');
    if ((isMaxlen || opt(o, 'minid')) && more) {
      if (!a.none) {
        c.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = cstr(argv[i + 1]);
      if (more >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      if (isMaxlen) {
        const n = intArg(c, argv[i + 1]);
        if (n === null) return null;
        if (n < 0) {
          c.error('ERR The MAXLEN argument must be >= 0.');
          return null;
        }
        a.maxlen = n;
        a.strategy = 'maxlen';
      } else {
        const id = idArg(c, argv[i + 1], 0, true);
        if (id === null) return null;
        a.minid = id;
        a.strategy = 'minid';
      }
      i++;
      a.none = false;
      a.argIdx = i;
    } else if (opt(o, 'limit') && more) {
      const n = intArg(c, argv[i + 1]);
      if (n === null) return null;
      if (n < 0) {
        c.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && opt(o, 'nomkstream')) {
      a.noMkStream = true;
    } else if (xadd) {
      const id = parseStreamId(o, 0, true, true);
      if (id === null) {
        c.error(INVALID_ID);
        return null;
      }
      a.id = id;
      a.idGiven = true;
      a.seqGiven = id.seqGiven;
      break;
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  a.idPos = i;
  if (a.limit && a.none) {
    c.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && a.none) {
    c.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  if (mustObey(c)) {
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) {
      c.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else if (a.approx) {
    a.limit = defaultTrimLimit(c.server.config.num('stream-node-max-entries'));
  } else {
    a.limit = 0;
  }
  return a;
}

/** 100 nodes' worth of entries, capped to [10000 when unset, 1000000] (with C's overflow). */
function defaultTrimLimit(nodeMaxEntries: number): number {
  let limit = 100 * nodeMaxEntries;
  if (limit > 0x7fffffffffffffff) limit = Number(wrapI64(100n * BigInt(Math.trunc(nodeMaxEntries))));
  if (limit <= 0) limit = 10000;
  if (limit > 1000000) limit = 1000000;
  return limit;
}

/** What ~ trimming did, made exact for replicas and the AOF: "= <length>" or "= <first ID>". */
function rewriteApproxTrim(argv: string[], s: StreamObject, a: AddTrimArgs): string[] {
  const out = argv.slice();
  out[a.argIdx - 1] = '=';
  out[a.argIdx] = a.strategy === 'maxlen' ? String(s.length) : idString(s.edgeId(true, false));
  return out;
}

/** What parseAddTrimArgs makes of "XADD key * ...": no options, an automatic ID at argv[2]. */
const AUTO_ID_ONLY: Readonly<AddTrimArgs> = Object.freeze({
  strategy: 'maxlen', none: true, maxlen: 0, minid: MIN_ID, approx: false, limit: 0,
  argIdx: 0, noMkStream: false, idGiven: false, seqGiven: true, id: MIN_ID, idPos: 2,
});

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xadd(c: Client, argv: string[]): void {
  // The usual shape has nothing to parse: skip building the options.
  const a = argv[2] === '*' ? AUTO_ID_ONLY : parseAddTrimArgs(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idPos + 1;
  const nargs = argv.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) {
    c.error("ERR wrong number of arguments for 'xadd' command");
    return;
  }
  if (a.idGiven && a.seqGiven && idIsZero(a.id)) {
    c.error('ERR The ID specified in XADD must be greater than 0-0');
    return;
  }
  const key = argv[1];
  const db = c.db;
  let s = asStream(c, db.lookupWrite(key));
  if (s === null) return;
  if (s === undefined) {
    if (a.noMkStream) {
      c.reply.nullBulk();
      return;
    }
    s = new StreamObject();
    db.add(key, s);
  }
  if (idIsMax(s.lastId)) {
    c.error('ERR The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  const id = newEntryId(s, a, now(c));
  if (id === null || idCmp(id, s.lastId) <= 0) {
    c.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  }
  // Read as plain property loads here: through config.num() (called with every name in the
  // server) the lookup is megamorphic, a measurable part of an XADD.
  const limits = c.server.config.values;
  if (!s.append(id, argv, fieldPos, limits['stream-node-max-bytes'] as number, limits['stream-node-max-entries'] as number)) {
    c.error('ERR Elements are too large to be stored');
    return;
  }
  replyId(c.reply, id.ms, id.seq);
  notify(c, 'xadd', key);
  dirty(c);
  let prop = argv;
  if (!a.none) {
    if (s.trim(a)) notify(c, 'xtrim', key);
    if (a.approx && c.server.propagation.hasReaders) prop = rewriteApproxTrim(argv, s, a);
  }
  signalModified(c, key);
  if ((!a.idGiven || !a.seqGiven) && c.server.propagation.hasReaders) {
    if (prop === argv) prop = argv.slice();
    prop[a.idPos] = idString(id);
  }
  c.propagateArgv = prop;
  c.server.blocking.signalKeyAsReady(db, key);
}

/** The ID of a new entry (streamAppendItem's rules); null when the sequence would overflow. */
function newEntryId(s: StreamObject, a: AddTrimArgs, nowMs: number): StreamID | null {
  if (!a.idGiven) return nextAutoId(s.lastId, nowMs);
  if (a.seqGiven) return { ms: a.id.ms, seq: a.id.seq };
  if (s.lastId.ms === a.id.ms) {
    const seq = incrU64(s.lastId.seq);
    return seq === null ? null : { ms: a.id.ms, seq };
  }
  return { ms: a.id.ms, seq: 0 };
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrim(c: Client, argv: string[]): void {
  const a = parseAddTrimArgs(c, argv, false);
  if (a === null) return;
  const key = argv[1];
  const s = asStream(c, c.db.lookupWrite(key));
  if (s === null) return;
  if (s === undefined) {
    c.reply.int(0);
    return;
  }
  const deleted = s.trim(a);
  if (deleted) {
    notify(c, 'xtrim', key);
    if (a.approx && c.server.propagation.hasReaders) c.propagateArgv = rewriteApproxTrim(argv, s, a);
    signalModified(c, key);
    dirty(c, deleted);
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------------------------
// XLEN / XRANGE / XREVRANGE / XDEL
// ---------------------------------------------------------------------------------------------

function xlen(c: Client, argv: string[]): void {
  const s = asStream(c, c.db.lookupRead(argv[1]));
  if (s === null) return;
  c.reply.int(s === undefined ? 0 : s.length);
}

/** Parse an interval's two bounds (exclusive ones moved by one); null after replying an error. */
function parseRange(c: Client, startArg: string, endArg: string): [StreamID, StreamID] | null {
  const start = parseBound(c, startArg, 0, idIncr, 'start');
  if (start === null) return null;
  const end = parseBound(c, endArg, U64_MAX, idDecr, 'end');
  if (end === null) return null;
  return [start, end];
}

/**
 * One bound of an XRANGE interval: `missingSeq` completes an ID given without a sequence, and an
 * exclusive bound ("(id") is moved inwards by `step`. Null after replying an error.
 */
function parseBound(c: Client, arg: string, missingSeq: U64, step: (id: StreamID) => StreamID | null, which: 'start' | 'end'): StreamID | null {
  const parsed = parseIntervalId(arg, missingSeq);
  if (parsed === null) {
    c.error(INVALID_ID);
    return null;
  }
  if (!parsed.exclusive) return parsed.id;
  const moved = step(parsed.id);
  if (moved === null) c.error(`ERR invalid ${which} ID for the interval`);
  return moved;
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const range = parseRange(c, rev ? argv[3] : argv[2], rev ? argv[2] : argv[3]);
  if (range === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (opt(argv[j], 'count') && argv.length - j - 1 >= 1) {
      const n = intArg(c, argv[j + 1]);
      if (n === null) return;
      count = n < 0 ? 0 : n;
      j++;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  const s = asStream(c, c.db.lookupRead(argv[1]));
  if (s === null) return;
  if (s === undefined) {
    c.reply.array(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  replyRange(c, s, range[0], range[1], count === -1 ? 0 : count, rev, false, null);
}

function xrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

function xrevrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

/** Parse IDs argv[from..] (strict); null after replying the error. */
function parseIds(c: Client, argv: string[], from: number): StreamID[] | null {
  const ids: StreamID[] = [];
  for (let j = from; j < argv.length; j++) {
    const id = idArg(c, argv[j], 0, true);
    if (id === null) return null;
    ids.push(id);
  }
  return ids;
}

/** XDEL key id [id ...] */
function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = asStream(c, c.db.lookupWrite(key));
  if (s === null) return;
  if (s === undefined) {
    c.reply.int(0);
    return;
  }
  const ids = parseIds(c, argv, 2);
  if (ids === null) return;
  let deleted = 0;
  let firstGone = false;
  for (const id of ids) {
    if (!s.deleteEntry(id.ms, id.seq)) continue;
    if (idCmp(id, s.firstId) === 0) firstGone = true;
    if (idCmp(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = { ms: 0, seq: 0 };
    else if (firstGone) s.firstId = s.edgeId(true, true);
    signalModified(c, key);
    notify(c, 'xdel', key);
    dirty(c, deleted);
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------------------------
// XREAD / XREADGROUP
// ---------------------------------------------------------------------------------------------

function xread(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

function xreadgroup(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

/**
 * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
 */
function xreadGeneric(c: Client, argv: string[], xreadgroup: boolean): void {
  const blocking = c.server.blocking;
  const outcome = xreadRun(c, argv, xreadgroup);
  // Nothing propagates as such: a group read propagated its effects itself.
  c.propagateArgv = null;
  if (outcome === 'replied' && blocking.reprocessing) blocking.markServed();
}

function xreadRun(c: Client, argv: string[], xreadgroup: boolean): 'replied' | 'blocked' {
  const cmdName = xreadgroup ? 'xreadgroup' : 'xread';
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let nstreams = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i];
    if (opt(o, 'block') && more) {
      i++;
      const t = blockTimeoutMsArg(c, argv[i]);
      if (t === null) return 'replied';
      timeout = t;
    } else if (opt(o, 'count') && more) {
      i++;
      const n = intArg(c, argv[i]);
      if (n === null) return 'replied';
      count = n < 0 ? 0 : n;
    } else if (opt(o, 'streams') && more) {
      streamsArg = i + 1;
      nstreams = argv.length - streamsArg;
      if (nstreams % 2 !== 0) {
        const symbol = xreadgroup ? '>' : '$';
        c.error(`ERR Unbalanced '${cmdName}' list of streams: for each stream key an ID or '${symbol}' must be specified.`);
        return 'replied';
      }
      nstreams /= 2;
      break;
    } else if (opt(o, 'group') && more >= 2) {
      if (!xreadgroup) {
        c.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return 'replied';
      }
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (opt(o, 'noack')) {
      if (!xreadgroup) {
        c.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return 'replied';
      }
      noack = true;
    } else {
      c.error(SYNTAX_ERR);
      return 'replied';
    }
  }
  if (streamsArg === 0) {
    c.error(SYNTAX_ERR);
    return 'replied';
  }
  if (xreadgroup && groupName === null) {
    c.error('ERR Missing GROUP option for XREADGROUP');
    return 'replied';
  }
  const ids = resolveReadIds(c, argv, streamsArg, nstreams, groupName, xreadgroup);
  if (ids === null) return 'replied';
  if (serveReads(c, argv, streamsArg, nstreams, ids, count, noack, groupName, consumerName)) return 'replied';
  if (timeout === -1 || !c.server.blocking.canBlock(c)) {
    c.reply.nullArray();
    return 'replied';
  }
  blockForStreams(c, argv, streamsArg, nstreams, ids.ids, timeout, xreadgroup);
  return 'blocked';
}

interface ReadIds {
  ids: StreamID[];
  groups: ConsumerGroup[] | null;
}

/** The ID to read after for each key ($, + and > resolved) and each key's group; null after an error reply. */
function resolveReadIds(c: Client, argv: string[], streamsArg: number, nstreams: number, groupName: string | null, xreadgroup: boolean): ReadIds | null {
  const ids: StreamID[] = new Array(nstreams);
  const groups: ConsumerGroup[] | null = groupName !== null ? new Array(nstreams) : null;
  for (let i = streamsArg + nstreams; i < argv.length; i++) {
    const idx = i - streamsArg - nstreams;
    const key = argv[i - nstreams];
    const v = c.db.lookupRead(key);
    if (v !== undefined && !isStream(v)) {
      c.error(WRONGTYPE);
      return null;
    }
    const s = v as StreamObject | undefined;
    if (groups !== null) {
      const g = s === undefined ? null : s.lookupGroup(groupName!);
      if (g === null) {
        c.error(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupName!)}' in XREADGROUP with GROUP option`);
        return null;
      }
      groups[idx] = g;
    }
    const arg = cstr(argv[i]);
    if (arg === '$') {
      if (xreadgroup) {
        c.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return null;
      }
      ids[idx] = s === undefined ? { ms: 0, seq: 0 } : s.lastId;
      continue;
    }
    if (arg === '+') {
      if (xreadgroup) {
        c.error(
          'ERR The + ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The + ID would just return an empty result set.',
        );
        return null;
      }
      if (s === undefined) {
        ids[idx] = { ms: 0, seq: 0 };
      } else {
        const before = idDecr(s.lastId);
        if (before === null) {
          c.error('ERR the stream last element ID is 0-0');
          return null;
        }
        ids[idx] = before;
      }
      continue;
    }
    if (arg === '>') {
      if (!xreadgroup) {
        c.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return null;
      }
      ids[idx] = MAX_ID;
      continue;
    }
    const id = idArg(c, argv[i], 0, true);
    if (id === null) return null;
    ids[idx] = id;
  }
  return { ids, groups };
}

/** Serve every stream that has something now; true if anything was served (and replied). */
function serveReads(
  c: Client, argv: string[], streamsArg: number, nstreams: number, rids: ReadIds,
  count: number, noack: boolean, groupName: string | null, consumerName: string,
): boolean {
  const r = c.reply;
  let served = 0;
  let mark = 0;
  for (let i = 0; i < nstreams; i++) {
    const key = argv[streamsArg + i];
    const s = c.db.lookupRead(key) as StreamObject | undefined;
    if (s === undefined) continue;
    let after = rids.ids[i];
    let serve = false;
    let gr: GroupRead | null = null;
    if (rids.groups !== null) {
      const g = rids.groups[i];
      let history = false;
      if (!idIsMax(after)) {
        serve = true;
        history = true;
      } else if (s.length && idCmp(s.lastValidId(), g.lastId) > 0) {
        serve = true;
        after = g.lastId;
      }
      let consumer = g.consumers.get(consumerName);
      if (consumer === undefined) {
        beforeChange(c, key);
        consumer = createConsumer(c, g, consumerName, key);
        if (noack) propagateConsumerCreation(c, key, groupName!, consumerName);
      }
      consumer.seenTime = now(c);
      gr = { key, groupName: groupName!, group: g, consumer, noack, history };
    } else if (s.length && idCmp(s.lastValidId(), after) > 0) {
      serve = true;
    }
    if (!serve) continue;
    // The reply is a map of the streams served: with one key, its size is known now.
    if (++served === 1) {
      if (nstreams > 1) mark = r.deferLen();
      else if (r.resp === 2) r.array(1);
      else r.map(1);
    }
    if (gr !== null) beforeChange(c, key);
    if (r.resp === 2) r.array(2);
    r.bulk(key);
    replyRange(c, s, idIncr(after) ?? { ms: 0, seq: 0 }, null, count, false, false, gr);
    if (gr !== null) dirty(c);
  }
  if (served === 0) return false;
  if (nstreams === 1) return true;
  if (r.resp === 2) r.setDeferredArray(mark, served);
  else r.setDeferredMap(mark, served);
  return true;
}

/** Block on the keys; "$" becomes the concrete last ID so a re-run waits for newer entries. */
function blockForStreams(c: Client, argv: string[], streamsArg: number, nstreams: number, ids: StreamID[], timeout: number, xreadgroup: boolean): void {
  let blockArgv = argv;
  for (let k = 0; k < nstreams; k++) {
    const at = streamsArg + nstreams + k;
    if (cstr(argv[at]) === '$') {
      if (blockArgv === argv) blockArgv = argv.slice();
      blockArgv[at] = idString(ids[k]);
    }
  }
  // The blocking module re-runs c.argv: keep the caller's argv (MONITOR, slowlog) untouched.
  c.argv = blockArgv;
  const keys = argv.slice(streamsArg, streamsArg + nstreams);
  c.server.blocking.block(c, keys, timeout, (cl) => cl.reply.nullArray(), xreadgroup);
}

// ---------------------------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP, as one function like Valkey's. */
function xgroup(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  let s: StreamObject | null = null;
  let cg: ConsumerGroup | null = null;
  let mkstream = false;
  let entriesRead: I64 = INVALID_ENTRIES_READ;
  const key = argv.length >= 3 ? argv[2] : '';
  const groupName = argv.length >= 4 ? argv[3] : '';
  if (argv.length >= 4) {
    const create = sub === 'create';
    const setid = sub === 'setid';
    for (let i = 5; i < argv.length; ) {
      if (create && opt(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((create || setid) && opt(argv[i], 'entriesread') && i + 1 < argv.length) {
        const n = i64Arg(c, argv[i + 1]);
        if (n === null) return;
        if (n < 0 && n !== INVALID_ENTRIES_READ) {
          c.error('ERR value for ENTRIESREAD must be positive or -1');
          return;
        }
        entriesRead = n;
        i += 2;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
    }
    const v = asStream(c, c.db.lookupWrite(key));
    if (v === null) return;
    s = v ?? null;
  }
  if (argv.length >= 4 && !mkstream) {
    if (s === null) {
      c.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    cg = s.lookupGroup(groupName);
    if (cg === null && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      c.error(`NOGROUP No such consumer group '${cstr(groupName)}' for key name '${cstr(key)}'`);
      return;
    }
  }
  if (argv.length === 2 && sub === 'help') {
    replyHelp(c, 'xgroup', XGROUP_HELP);
  } else if (sub === 'create' && argv.length >= 5 && argv.length <= 8) {
    xgroupCreate(c, argv, s, entriesRead);
  } else if (sub === 'setid' && (argv.length === 5 || argv.length === 7)) {
    let id: StreamID | null;
    if (cstr(argv[4]) === '$') id = s!.lastId;
    else id = idArg(c, argv[4], 0, false);
    if (id === null) return;
    cg!.lastId = { ms: id.ms, seq: id.seq };
    cg!.entriesRead = entriesRead;
    c.reply.ok();
    dirty(c);
    notify(c, 'xgroup-setid', key);
  } else if (sub === 'destroy' && argv.length === 4) {
    if (cg !== null) {
      s!.groups!.delete(groupName);
      c.reply.int(1);
      dirty(c);
      notify(c, 'xgroup-destroy', key);
      // Clients blocked in XREADGROUP on this group get -NOGROUP.
      c.server.blocking.signalKeyAsReady(c.db, key);
    } else {
      c.reply.int(0);
    }
  } else if (sub === 'createconsumer' && argv.length === 5) {
    if (cg!.consumers.has(argv[4])) {
      c.reply.int(0);
    } else {
      createConsumer(c, cg!, argv[4], key);
      c.reply.int(1);
    }
  } else if (sub === 'delconsumer' && argv.length === 5) {
    const consumer = cg!.consumers.get(argv[4]);
    let pending = 0;
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      cg!.deleteConsumer(consumer);
      dirty(c);
      notify(c, 'xgroup-delconsumer', key);
    }
    c.reply.int(pending);
  } else {
    subcommandSyntaxError(c, argv);
  }
}

function xgroupCreate(c: Client, argv: string[], s: StreamObject | null, entriesRead: I64): void {
  let id: StreamID | null;
  if (cstr(argv[4]) === '$') id = s !== null ? s.lastId : { ms: 0, seq: 0 };
  else id = idArg(c, argv[4], 0, true);
  if (id === null) return;
  const key = argv[2];
  if (s === null) {
    s = new StreamObject();
    c.db.add(key, s);
    signalModified(c, key);
  }
  if (s.createGroup(argv[3], { ms: id.ms, seq: id.seq }, entriesRead) === null) {
    c.error('BUSYGROUP Consumer Group name already exists');
    return;
  }
  c.reply.ok();
  dirty(c);
  notify(c, 'xgroup-create', key);
}

// ---------------------------------------------------------------------------------------------
// XSETID / XACK / XPENDING
// ---------------------------------------------------------------------------------------------

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetid(c: Client, argv: string[]): void {
  const id = idArg(c, argv[2], 0, true);
  if (id === null) return;
  let entriesAdded: I64 = -1;
  let maxXdel: StreamID = { ms: 0, seq: 0 };
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    if (opt(argv[i], 'entriesadded') && more) {
      const n = i64Arg(c, argv[i + 1]);
      if (n === null) return;
      if (n < 0) {
        c.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = n;
    } else if (opt(argv[i], 'maxdeletedid') && more) {
      const m = idArg(c, argv[i + 1], 0, true);
      if (m === null) return;
      if (idCmp(id, m) < 0) {
        c.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
        return;
      }
      maxXdel = m;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  const key = argv[1];
  const v = c.db.lookupWrite(key);
  if (v === undefined) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const s = asStream(c, v);
  if (!s) return;
  if (idCmp(id, s.maxDeletedId) < 0) {
    c.error('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');
    return;
  }
  if (s.length > 0) {
    if (idCmp(id, s.lastValidId()) < 0) {
      c.error('ERR The ID specified in XSETID is smaller than the target stream top item');
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  s.lastId = { ms: id.ms, seq: id.seq };
  if (entriesAdded !== -1) s.entriesAdded = i64AsU64(entriesAdded);
  if (!idIsZero(maxXdel)) s.maxDeletedId = { ms: maxXdel.ms, seq: maxXdel.seq };
  c.reply.ok();
  dirty(c);
  notify(c, 'xsetid', key);
}

/** Key and group for XACK / XPENDING / XCLAIM / XAUTOCLAIM; undefined: missing; null: replied. */
function lookupGroup(c: Client, key: string, groupName: string): { s: StreamObject; g: ConsumerGroup } | null | undefined {
  const s = asStream(c, c.db.lookupRead(key));
  if (s === null) return null;
  const g = s === undefined ? null : s.lookupGroup(groupName);
  return s === undefined || g === null ? undefined : { s, g };
}

function noGroupError(c: Client, key: string, groupName: string): void {
  c.error(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupName)}'`);
}

/** XACK key group id [id ...] */
function xack(c: Client, argv: string[]): void {
  const found = lookupGroup(c, argv[1], argv[2]);
  if (found === null) return;
  if (found === undefined) {
    c.reply.int(0);
    return;
  }
  const ids = parseIds(c, argv, 3);
  if (ids === null) return;
  let acked = 0;
  for (const id of ids) {
    if (!found.g.pel.has(id.ms, id.seq)) continue;
    beforeChange(c, argv[1]);
    found.g.ack(id.ms, id.seq);
    acked++;
    dirty(c);
  }
  c.reply.int(acked);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpending(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  const argc = argv.length;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.error(SYNTAX_ERR);
    return;
  }
  let minIdle = 0;
  let count = 0;
  let range: [StreamID, StreamID] | null = null;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let at = 3;
    if (opt(argv[3], 'idle')) {
      const n = intArg(c, argv[4]);
      if (n === null) return;
      minIdle = n;
      if (argc < 8) {
        c.error(SYNTAX_ERR);
        return;
      }
      at += 2;
    }
    const n = intArg(c, argv[at + 2]);
    if (n === null) return;
    count = n < 0 ? 0 : n;
    range = parseRange(c, argv[at], argv[at + 1]);
    if (range === null) return;
    if (at + 3 < argc) consumerName = argv[at + 3];
  }
  const found = lookupGroup(c, key, groupName);
  if (found === null) return;
  if (found === undefined) {
    noGroupError(c, key, groupName);
    return;
  }
  if (range === null) xpendingSummary(c, found.g);
  else xpendingRange(c, found.g, range, count, minIdle, consumerName);
}

function xpendingSummary(c: Client, g: ConsumerGroup): void {
  const r = c.reply;
  r.array(4);
  r.int(g.pel.size);
  const first = g.pel.first();
  const last = g.pel.last();
  if (first === null || last === null) {
    r.nullBulk();
    r.nullBulk();
    r.nullArray();
    return;
  }
  replyId(r, first.ms, first.seq);
  replyId(r, last.ms, last.seq);
  const owners = g.sortedConsumers().filter((cons) => cons.pel.size > 0);
  r.array(owners.length);
  for (const cons of owners) {
    r.array(2);
    r.bulk(cons.name);
    r.bulk(String(cons.pel.size));
  }
}

function xpendingRange(c: Client, g: ConsumerGroup, range: [StreamID, StreamID], count: number, minIdle: number, consumerName: string | null): void {
  const r = c.reply;
  let pel = g.pel;
  if (consumerName !== null) {
    const consumer = g.consumers.get(consumerName);
    if (consumer === undefined) {
      r.array(0);
      return;
    }
    pel = consumer.pel;
  }
  const t = now(c);
  const [start, end] = range;
  const mark = r.deferLen();
  let n = 0;
  let left = count;
  if (left > 0) {
    pel.forEachFrom(start.ms, start.seq, (ms, seq, nack) => {
      if (cmpId(ms, seq, end.ms, end.seq) > 0) return false;
      if (minIdle && t - nack.deliveryTime < minIdle) return true;
      n++;
      r.array(4);
      replyId(r, ms, seq);
      r.bulk(nack.consumer!.name);
      r.int(Math.max(0, t - nack.deliveryTime));
      r.int(u64AsI64(nack.deliveryCount));
      return --left > 0;
    });
  }
  r.setDeferredArray(mark, n);
}

// ---------------------------------------------------------------------------------------------
// XCLAIM / XAUTOCLAIM
// ---------------------------------------------------------------------------------------------

/** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
function xclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  const found = lookupGroup(c, key, groupName);
  if (found === null) return;
  if (found === undefined) {
    noGroupError(c, key, groupName);
    return;
  }
  const { s, g } = found;
  let minIdle = intArg(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  // IDs first: the options start at the first argument that is not an ID.
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseStreamId(argv[j], 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const idsEnd = j;
  const t = now(c);
  let deliveryTime = -1;
  let retryCount: I64 = -1;
  let force = false;
  let justid = false;
  let lastId: StreamID = { ms: 0, seq: 0 };
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const o = argv[j];
    if (opt(o, 'force')) {
      force = true;
    } else if (opt(o, 'justid')) {
      justid = true;
    } else if (opt(o, 'idle') && more) {
      const n = intArg(c, argv[++j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = t - n;
    } else if (opt(o, 'time') && more) {
      const n = intArg(c, argv[++j], 'ERR Invalid TIME option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = n;
    } else if (opt(o, 'retrycount') && more) {
      const n = i64Arg(c, argv[++j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (n === null) return;
      retryCount = n;
    } else if (opt(o, 'lastid') && more) {
      const id = idArg(c, argv[++j], 0, true);
      if (id === null) return;
      lastId = id;
    } else {
      c.error(`ERR Unrecognized XCLAIM option '${cstr(o)}'`);
      return;
    }
  }
  beforeChange(c, key);
  let propagateLastId = false;
  if (idCmp(lastId, g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  // A bogus delivery time (negative or in the future) means now, as with no IDLE/TIME.
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > t) deliveryTime = t;
  let consumer = g.consumers.get(argv[3]);
  if (consumer === undefined) consumer = createConsumer(c, g, argv[3], key);
  consumer.seenTime = t;
  const r = c.reply;
  const mark = r.deferLen();
  let n = 0;
  for (let k = 5; k < idsEnd; k++) {
    const id = ids[k - 5];
    let nack = g.pel.get(id.ms, id.seq);
    if (!s.entryExists(id.ms, id.seq)) {
      // Gone from the stream: the pending entry goes too (and replicas are told).
      if (nack !== undefined) {
        propagateXclaim(c, key, groupName, g, argv[k], nack);
        propagateLastId = false;
        dirty(c);
        g.ack(id.ms, id.seq);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new Nack(t, 1, null);
      g.pel.tryInsert(id.ms, id.seq, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle && t - nack.deliveryTime < minIdle) continue;
    if (nack.consumer !== consumer) nack.consumer?.pel.delete(id.ms, id.seq);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = i64AsU64(retryCount);
    else if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount) ?? 0;
    if (nack.consumer !== consumer) {
      consumer.pel.set(id.ms, id.seq, nack);
      nack.consumer = consumer;
    }
    if (justid) replyId(r, id.ms, id.seq);
    else replyRange(c, s, id, id, 1, false, true, null);
    n++;
    consumer.activeTime = t;
    propagateXclaim(c, key, groupName, g, argv[k], nack);
    propagateLastId = false;
    dirty(c);
  }
  if (propagateLastId) {
    propagateGroupId(c, key, groupName, g);
    dirty(c);
  }
  r.setDeferredArray(mark, n);
  c.propagateArgv = null;
}

const XAUTOCLAIM_MAX_COUNT = 576460752303423487; // LONG_MAX / sizeof(streamID)

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  let minIdle = intArg(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const st = parseIntervalId(argv[5], 0);
  if (st === null) {
    c.error(INVALID_ID);
    return;
  }
  let start: StreamID | null = st.id;
  if (st.exclusive) {
    start = idIncr(start);
    if (start === null) {
      c.error('ERR invalid start ID for the interval');
      return;
    }
  }
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (opt(argv[j], 'count') && more) {
      const n = parseI64(argv[j + 1]);
      if (n === null || n < 1 || n > XAUTOCLAIM_MAX_COUNT) {
        c.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(n);
      j++;
    } else if (opt(argv[j], 'justid')) {
      justid = true;
    } else {
      c.error(SYNTAX_ERR);
      return;
    }
  }
  const found = lookupGroup(c, key, groupName);
  if (found === null) return;
  if (found === undefined) {
    c.error(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupName)}'`);
    return;
  }
  const { s, g } = found;
  beforeChange(c, key);
  let consumer = g.consumers.get(argv[3]);
  if (consumer === undefined) consumer = createConsumer(c, g, argv[3], key);
  const t = now(c);
  consumer.seenTime = t;
  const r = c.reply;
  const claimed: StreamID[] = [];
  const deletedIds: StreamID[] = [];
  let attempts = count * 10;
  let cursor = g.pel.ceil(start.ms, start.seq);
  while (attempts-- > 0 && count > 0 && cursor !== null) {
    const { ms, seq, value: nack } = cursor;
    const idText = ms + '-' + seq;
    if (!s.entryExists(ms, seq)) {
      propagateXclaim(c, key, groupName, g, idText, nack);
      dirty(c);
      g.ack(ms, seq);
      deletedIds.push({ ms, seq });
      count--;
      cursor = g.pel.ceil(ms, seq);
      continue;
    }
    cursor = nextAfter(g, ms, seq);
    if (minIdle && t - nack.deliveryTime < minIdle) continue;
    if (nack.consumer !== consumer) nack.consumer?.pel.delete(ms, seq);
    nack.deliveryTime = t;
    if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount) ?? 0;
    if (nack.consumer !== consumer) {
      consumer.pel.set(ms, seq, nack);
      nack.consumer = consumer;
    }
    claimed.push({ ms, seq });
    count--;
    consumer.activeTime = t;
    propagateXclaim(c, key, groupName, g, idText, nack);
    dirty(c);
  }
  r.array(3);
  if (cursor === null) replyId(r, 0, 0);
  else replyId(r, cursor.ms, cursor.seq);
  // Claiming does not change the entries: they are written once the cursor (first) is known.
  r.array(claimed.length);
  for (const id of claimed) {
    if (justid) replyId(r, id.ms, id.seq);
    else replyRange(c, s, id, id, 1, false, true, null);
  }
  r.array(deletedIds.length);
  for (const id of deletedIds) replyId(r, id.ms, id.seq);
  c.propagateArgv = null;
}

/** The PEL entry after (ms, seq). */
function nextAfter(g: ConsumerGroup, ms: U64, seq: U64): ReturnType<ConsumerGroup['pel']['ceil']> {
  const next = idIncr({ ms, seq });
  return next === null ? null : g.pel.ceil(next.ms, next.seq);
}

// ---------------------------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------------------------

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

function xinfoHelp(c: Client): void {
  replyHelp(c, 'xinfo', XINFO_HELP);
}

function xinfoStreamOf(c: Client, key: string): StreamObject | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) {
    c.error(NO_SUCH_KEY);
    return null;
  }
  return asStream(c, v) ?? null;
}

function replyI64OrNull(r: ReplyWriter, v: I64 | null): void {
  if (v === null) r.nullBulk();
  else r.int(v);
}

function replyEntriesRead(r: ReplyWriter, g: ConsumerGroup): void {
  replyI64OrNull(r, g.entriesRead === INVALID_ENTRIES_READ ? null : g.entriesRead);
}

/** XINFO CONSUMERS key group */
function xinfoConsumers(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  const g = s.lookupGroup(argv[3]);
  if (g === null) {
    c.error(`NOGROUP No such consumer group '${cstr(argv[3])}' for key name '${cstr(argv[2])}'`);
    return;
  }
  const r = c.reply;
  const t = now(c);
  const consumers = g.sortedConsumers();
  r.array(consumers.length);
  for (const cons of consumers) {
    r.map(4);
    r.bulk('name');
    r.bulk(cons.name);
    r.bulk('pending');
    r.int(cons.pel.size);
    r.bulk('idle');
    r.int(Math.max(0, t - cons.seenTime));
    r.bulk('inactive');
    r.int(cons.activeTime !== -1 ? t - cons.activeTime : -1);
  }
}

/** XINFO GROUPS key */
function xinfoGroups(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  const r = c.reply;
  const groups = s.sortedGroups();
  r.array(groups.length);
  for (const [name, g] of groups) {
    r.map(6);
    r.bulk('name');
    r.bulk(name);
    r.bulk('consumers');
    r.int(g.consumers.size);
    r.bulk('pending');
    r.int(g.pel.size);
    r.bulk('last-delivered-id');
    replyId(r, g.lastId.ms, g.lastId.seq);
    r.bulk('entries-read');
    replyEntriesRead(r, g);
    r.bulk('lag');
    replyI64OrNull(r, s.groupLag(g));
  }
}

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStream(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  let full = false;
  let count = 10;
  const optc = argv.length - 3;
  if (optc > 0) {
    if ((optc !== 1 && optc !== 3) || !opt(argv[3], 'full') || (optc === 3 && !opt(argv[4], 'count'))) {
      subcommandSyntaxError(c, argv);
      return;
    }
    full = true;
    if (optc === 3) {
      const n = intArg(c, argv[5]);
      if (n === null) return;
      count = n < 0 ? 10 : n;
    }
  }
  const r = c.reply;
  r.map(full ? 9 : 10);
  r.bulk('length');
  r.int(s.length);
  r.bulk('radix-tree-keys');
  r.int(s.nodes.length);
  r.bulk('radix-tree-nodes');
  r.int(s.radixTreeNodes());
  r.bulk('last-generated-id');
  replyId(r, s.lastId.ms, s.lastId.seq);
  r.bulk('max-deleted-entry-id');
  replyId(r, s.maxDeletedId.ms, s.maxDeletedId.seq);
  r.bulk('entries-added');
  r.int(u64AsI64(s.entriesAdded));
  r.bulk('recorded-first-entry-id');
  replyId(r, s.firstId.ms, s.firstId.seq);
  if (!full) {
    r.bulk('groups');
    r.int(s.groups === null ? 0 : s.groups.size);
    r.bulk('first-entry');
    if (replyRange(c, s, { ms: 0, seq: 0 }, MAX_ID, 1, false, true, null) === 0) r.nullBulk();
    r.bulk('last-entry');
    if (replyRange(c, s, { ms: 0, seq: 0 }, MAX_ID, 1, true, true, null) === 0) r.nullBulk();
    return;
  }
  r.bulk('entries');
  replyRange(c, s, { ms: 0, seq: 0 }, null, count, false, false, null);
  r.bulk('groups');
  const groups = s.sortedGroups();
  r.array(groups.length);
  for (const [name, g] of groups) replyGroupFull(c, s, name, g, count);
}

function replyGroupFull(c: Client, s: StreamObject, name: string, g: ConsumerGroup, count: number): void {
  const r = c.reply;
  r.map(7);
  r.bulk('name');
  r.bulk(name);
  r.bulk('last-delivered-id');
  replyId(r, g.lastId.ms, g.lastId.seq);
  r.bulk('entries-read');
  replyEntriesRead(r, g);
  r.bulk('lag');
  replyI64OrNull(r, s.groupLag(g));
  r.bulk('pel-count');
  r.int(g.pel.size);
  r.bulk('pending');
  let mark = r.deferLen();
  let n = 0;
  g.pel.forEach((ms, seq, nack) => {
    if (count && n >= count) return false;
    r.array(4);
    replyId(r, ms, seq);
    r.bulk(nack.consumer!.name);
    r.int(nack.deliveryTime);
    r.int(u64AsI64(nack.deliveryCount));
    n++;
    return true;
  });
  r.setDeferredArray(mark, n);
  r.bulk('consumers');
  const consumers = g.sortedConsumers();
  r.array(consumers.length);
  for (const cons of consumers) {
    r.map(5);
    r.bulk('name');
    r.bulk(cons.name);
    r.bulk('seen-time');
    r.int(cons.seenTime);
    r.bulk('active-time');
    r.int(cons.activeTime);
    r.bulk('pel-count');
    r.int(cons.pel.size);
    r.bulk('pending');
    mark = r.deferLen();
    n = 0;
    cons.pel.forEach((ms, seq, nack) => {
      if (count && n >= count) return false;
      r.array(3);
      replyId(r, ms, seq);
      r.int(nack.deliveryTime);
      r.int(u64AsI64(nack.deliveryCount));
      n++;
      return true;
    });
    r.setDeferredArray(mark, n);
  }
}

// ---------------------------------------------------------------------------------------------
// DEBUG DIGEST: per entry "<ms>.<seq>", then each field and value, in order
// ---------------------------------------------------------------------------------------------

registerValueDigest('stream', (d, v) => {
  const it = new StreamIterator(v as StreamObject, null, null, false);
  while (it.next()) {
    mixDigest(d, it.ms + '.' + it.seq);
    it.forEachField((f, val) => {
      mixDigest(d, f);
      mixDigest(d, val);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// the command table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const TRIM_ARG: ArgDoc = {
  name: 'trim', type: 'block',
  arguments: [
    { name: 'strategy', type: 'oneof', arguments: [{ name: 'maxlen', type: 'pure-token', token: 'MAXLEN' }, { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' }] },
    { name: 'operator', type: 'oneof', optional: true, arguments: [{ name: 'equal', type: 'pure-token', token: '=' }, { name: 'approximately', type: 'pure-token', token: '~' }] },
    { name: 'threshold', type: 'string' },
    { name: 'count', type: 'integer', token: 'LIMIT', optional: true, since: '6.2.0' },
  ],
};
const STREAMS_ARG: ArgDoc = {
  name: 'streams', type: 'block', token: 'STREAMS',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0, multiple: true },
    { name: 'id', type: 'string', multiple: true },
  ],
};
const XREAD_KEYS = { flags: ['RO', 'ACCESS'], fk: { range: { lastkey: -1, step: 1, limit: 2 } } };

/** The keys of XREAD / XREADGROUP: after the STREAMS option, half of what follows (xreadGetKeys). */
function xreadKeys(argv: string[]): number[] {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (opt(a, 'block') || opt(a, 'count')) {
      i++;
    } else if (opt(a, 'group')) {
      i += 2;
    } else if (!opt(a, 'noack')) {
      const n = argv.length - i - 1;
      if (!opt(a, 'streams') || n === 0 || n % 2 !== 0) return [];
      const keys: number[] = [];
      for (let k = i + 1; k <= i + n / 2; k++) keys.push(k);
      return keys;
    }
  }
  return [];
}

function groupSub(def: Omit<CommandDef, 'group' | 'acl'> & { acl?: string[] }): CommandDef {
  return { acl: ['stream'], group: 'stream', ...def };
}

const GROUPNAME: ArgDoc = { name: 'group', type: 'string' };

export const streamCommands: CommandDef[] = [
  {
    name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], acl: ['stream'], handler: xadd,
    keySpecs: [{ ...ks.one(1, 'RW', 'UPDATE'), notes: 'UPDATE instead of INSERT because of the optional trimming feature' }],
    summary: 'Appends an entry to a stream, creating it if needed.', since: '5.0.0', group: 'stream',
    complexity: 'O(1) to add the entry; trimming adds O(N) for the N entries it removes.',
    history: [['6.2.0', 'NOMKSTREAM, MINID trimming and LIMIT.'], ['7.0.0', 'IDs of the form `<ms>-*`.']],
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', since: '6.2.0', optional: true },
      { ...TRIM_ARG, optional: true },
      { name: 'id-selector', type: 'oneof', arguments: [{ name: 'auto-id', type: 'pure-token', token: '*' }, { name: 'id', type: 'string' }] },
      { name: 'data', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] },
    ],
  },
  {
    name: 'xtrim', arity: -4, flags: ['write'], acl: ['stream'], handler: xtrim, keySpecs: [ks.one(1, 'RW', 'DELETE')],
    summary: 'Removes entries from the start of a stream, down to a length or up to an ID.', since: '5.0.0', group: 'stream',
    complexity: 'O(N) for the N entries removed; whole nodes go at once, so it is cheap per entry.',
    history: [['6.2.0', 'MINID trimming and LIMIT.']],
    tips: ['nondeterministic_output'],
    args: [KEY, TRIM_ARG],
  },
  {
    name: 'xlen', arity: 2, flags: ['readonly', 'fast'], acl: ['stream'], handler: xlen, keySpecs: [ks.one(1, 'RO')],
    summary: 'Returns the number of entries in a stream.', since: '5.0.0', group: 'stream', complexity: 'O(1)', args: [KEY],
  },
  {
    name: 'xrange', arity: -4, flags: ['readonly'], acl: ['stream'], handler: xrange, keySpecs: [ks.one(1, 'RO', 'ACCESS')],
    summary: 'Returns the entries of a stream between two IDs.', since: '5.0.0', group: 'stream',
    complexity: 'O(log M + N) for the N entries returned from a stream of M nodes.',
    history: [['6.2.0', 'Exclusive bounds with `(`.']],
    args: [KEY, { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  },
  {
    name: 'xrevrange', arity: -4, flags: ['readonly'], acl: ['stream'], handler: xrevrange, keySpecs: [ks.one(1, 'RO', 'ACCESS')],
    summary: 'Returns the entries of a stream between two IDs, newest first.', since: '5.0.0', group: 'stream',
    complexity: 'O(log M + N) for the N entries returned from a stream of M nodes.',
    history: [['6.2.0', 'Exclusive bounds with `(`.']],
    args: [KEY, { name: 'end', type: 'string' }, { name: 'start', type: 'string' }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  },
  {
    name: 'xdel', arity: -3, flags: ['write', 'fast'], acl: ['stream'], handler: xdel, keySpecs: [ks.one(1, 'RW', 'DELETE')],
    summary: 'Deletes entries from a stream by ID.', since: '5.0.0', group: 'stream',
    complexity: 'O(log M) per ID to find its node among M, plus a walk of that node (at most stream-node-max-entries entries).',
    args: [KEY, { name: 'id', type: 'string', multiple: true }],
  },
  {
    name: 'xread', arity: -4, flags: ['readonly', 'blocking'], acl: ['stream'], handler: xread,
    keySpecs: [{ ...XREAD_KEYS, bs: { keyword: 'STREAMS', startfrom: 1 } }], getKeys: xreadKeys,
    summary: 'Returns entries newer than the given IDs from one or more streams, waiting for some if asked.', since: '5.0.0', group: 'stream',
    complexity: 'O(log M + N) per stream for the N entries returned; with BLOCK, each XADD pays for the clients it wakes.',
    args: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true }, STREAMS_ARG],
  },
  {
    name: 'xreadgroup', arity: -7, flags: ['write', 'blocking'], acl: ['stream'], handler: xreadgroup,
    keySpecs: [{ ...XREAD_KEYS, bs: { keyword: 'STREAMS', startfrom: 4 } }], getKeys: xreadKeys,
    summary: 'Reads entries of streams for a consumer of a group: new ones or its pending history, waiting for new ones if asked.', since: '5.0.0', group: 'stream',
    complexity: 'O(log M + N) per stream for the N entries returned; with BLOCK, each XADD pays for the clients it wakes.',
    args: [
      { name: 'group-block', type: 'block', token: 'GROUP', arguments: [GROUPNAME, { name: 'consumer', type: 'string' }] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
      STREAMS_ARG,
    ],
  },
  {
    name: 'xgroup', arity: -2, flags: [], acl: [], summary: 'Manages the consumer groups of streams.', since: '5.0.0', group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      groupSub({
        name: 'create', arity: -5, flags: ['write', 'denyoom'], handler: xgroup, keySpecs: [ks.one(2, 'RW', 'INSERT')],
        summary: 'Creates a consumer group.', since: '5.0.0', complexity: 'O(1)',
        history: [['7.0.0', 'ENTRIESREAD.']],
        args: [
          KEY, { name: 'group', type: 'string' },
          { name: 'id-selector', type: 'oneof', arguments: [{ name: 'id', type: 'string' }, { name: 'new-id', type: 'pure-token', token: '$' }] },
          { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
          { name: 'entriesread', type: 'integer', token: 'ENTRIESREAD', optional: true },
        ],
      }),
      groupSub({
        name: 'setid', arity: -5, flags: ['write'], handler: xgroup, keySpecs: [ks.one(2, 'RW', 'UPDATE')],
        summary: "Sets the last-delivered ID of a consumer group.", since: '5.0.0', complexity: 'O(1)',
        history: [['7.0.0', 'ENTRIESREAD.']],
        args: [
          KEY, { name: 'group', type: 'string' },
          { name: 'id-selector', type: 'oneof', arguments: [{ name: 'id', type: 'string' }, { name: 'new-id', type: 'pure-token', token: '$' }] },
          { name: 'entriesread', type: 'integer', token: 'ENTRIESREAD', optional: true },
        ],
      }),
      groupSub({
        name: 'destroy', arity: 4, flags: ['write'], handler: xgroup, keySpecs: [ks.one(2, 'RW', 'DELETE')],
        summary: 'Destroys a consumer group.', since: '5.0.0',
        complexity: 'O(N) for the N entries pending in the group.',
        args: [KEY, { name: 'group', type: 'string' }],
      }),
      groupSub({
        name: 'createconsumer', arity: 5, flags: ['write', 'denyoom'], handler: xgroup, keySpecs: [ks.one(2, 'RW', 'INSERT')],
        summary: 'Creates a consumer in a consumer group.', since: '6.2.0', complexity: 'O(1)',
        args: [KEY, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }],
      }),
      groupSub({
        name: 'delconsumer', arity: 5, flags: ['write'], handler: xgroup, keySpecs: [ks.one(2, 'RW', 'DELETE')],
        summary: 'Deletes a consumer from a consumer group.', since: '5.0.0', complexity: 'O(1)',
        args: [KEY, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }],
      }),
      groupSub({
        name: 'help', arity: 2, flags: ['loading', 'stale'], handler: xgroup,
        summary: 'Lists the XGROUP subcommands.', since: '5.0.0', complexity: 'O(1)',
      }),
    ],
  },
  {
    name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['stream'], handler: xsetid, keySpecs: [ks.one(1, 'RW', 'UPDATE')],
    summary: "Sets a stream's last ID and its deletion and addition counters.", since: '5.0.0', group: 'stream', complexity: 'O(1)',
    history: [['7.0.0', 'ENTRIESADDED and MAXDELETEDID.']],
    args: [
      KEY, { name: 'last-id', type: 'string' },
      { name: 'entries-added', type: 'integer', token: 'ENTRIESADDED', optional: true, since: '7.0.0' },
      { name: 'max-deleted-id', type: 'string', token: 'MAXDELETEDID', optional: true, since: '7.0.0' },
    ],
  },
  {
    name: 'xack', arity: -4, flags: ['write', 'fast'], acl: ['stream'], handler: xack, keySpecs: [ks.one(1, 'RW', 'UPDATE')],
    summary: 'Marks pending entries of a consumer group as processed.', since: '5.0.0', group: 'stream', complexity: 'O(log N) per ID, N being the size of the group PEL.',
    args: [KEY, GROUPNAME, { name: 'id', type: 'string', multiple: true }],
  },
  {
    name: 'xpending', arity: -3, flags: ['readonly'], acl: ['stream'], handler: xpending, keySpecs: [ks.one(1, 'RO', 'ACCESS')],
    summary: 'Returns the pending entries of a consumer group: a summary, or the entries in a range.', since: '5.0.0', group: 'stream',
    complexity: 'O(log P + N) for the N entries returned from a PEL of P; with IDLE, O(log P + S) for the S entries looked at. The summary is O(C) for C consumers.',
    history: [['6.2.0', 'IDLE and exclusive bounds.']],
    tips: ['nondeterministic_output'],
    args: [
      KEY, GROUPNAME,
      {
        name: 'filters', type: 'block', optional: true,
        arguments: [
          { name: 'min-idle-time', type: 'integer', token: 'IDLE', optional: true, since: '6.2.0' },
          { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, { name: 'count', type: 'integer' },
          { name: 'consumer', type: 'string', optional: true },
        ],
      },
    ],
  },
  {
    name: 'xclaim', arity: -6, flags: ['write', 'fast'], acl: ['stream'], handler: xclaim, keySpecs: [ks.one(1, 'RW', 'UPDATE')],
    summary: 'Gives pending entries of a consumer group to another consumer.', since: '5.0.0', group: 'stream',
    complexity: 'O(log N) per ID, N being the size of the group PEL.',
    tips: ['nondeterministic_output'],
    args: [
      KEY, GROUPNAME, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' }, { name: 'id', type: 'string', multiple: true },
      { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true },
      { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
      { name: 'lastid', type: 'string', token: 'LASTID', optional: true },
    ],
  },
  {
    name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], acl: ['stream'], handler: xautoclaim, keySpecs: [ks.one(1, 'RW', 'DELETE')],
    summary: 'Gives idle pending entries of a consumer group to another consumer, scanning from an ID.', since: '6.2.0', group: 'stream',
    complexity: 'O(COUNT): at most 10 x COUNT pending entries are examined.',
    history: [['7.0.0', 'A third reply element: the IDs dropped from the PEL because their entries are gone.']],
    tips: ['nondeterministic_output'],
    args: [
      KEY, GROUPNAME, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' }, { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
    ],
  },
  {
    name: 'xinfo', arity: -2, flags: [], acl: [], summary: 'Inspects streams and their consumer groups.', since: '5.0.0', group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      groupSub({
        name: 'consumers', arity: 4, flags: ['readonly'], handler: xinfoConsumers, keySpecs: [ks.one(2, 'RO', 'ACCESS')],
        summary: 'Lists the consumers of a consumer group.', since: '5.0.0', complexity: 'O(N log N) for N consumers (listed in name order).',
        history: [['7.2.0', 'The `inactive` field; `idle` counts from the last attempted interaction.']],
        tips: ['nondeterministic_output'],
        args: [KEY, GROUPNAME],
      }),
      groupSub({
        name: 'groups', arity: 3, flags: ['readonly'], handler: xinfoGroups, keySpecs: [ks.one(2, 'RO', 'ACCESS')],
        summary: 'Lists the consumer groups of a stream.', since: '5.0.0', complexity: 'O(N log N) for N groups (listed in name order).',
        history: [['7.0.0', 'The `entries-read` and `lag` fields.']],
        args: [KEY],
      }),
      groupSub({
        name: 'stream', arity: -3, flags: ['readonly'], handler: xinfoStream, keySpecs: [ks.one(2, 'RO', 'ACCESS')],
        summary: 'Returns information about a stream.', since: '5.0.0', complexity: 'O(1)',
        history: [
          ['6.0.0', 'FULL.'],
          ['7.0.0', 'The `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields.'],
          ['7.2.0', 'The `active-time` field; `seen-time` is the last attempted interaction.'],
        ],
        args: [KEY, { name: 'full-block', type: 'block', token: 'FULL', optional: true, arguments: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }] }],
      }),
      groupSub({
        name: 'help', arity: 2, flags: ['loading', 'stale'], handler: xinfoHelp,
        summary: 'Lists the XINFO subcommands.', since: '5.0.0', complexity: 'O(1)',
      }),
    ],
  },
];
