// The AOF rewrite in command form (aof-use-rdb-preamble no): every key as the commands that
// rebuild it, by Valkey's rules: variadic RPUSH / SADD / ZADD / HMSET with at most 64 items
// per command, HSETEX PXAT for each volatile hash field, XADD + XSETID + XGROUP CREATE +
// XCLAIM (or XGROUP CREATECONSUMER) for streams, SET for strings, then PEXPIREAT for the key's
// TTL. Also the RESP encoding of a command, shared with the AOF writer.

import * as fs from 'node:fs';
import type { Value } from '../db/database';
import { typeOf } from '../db/database';
import type { SnapshotFormat, SnapshotSink } from './snapshot';
import type { ListObject } from '../types/list';
import type { SetObject } from '../types/set';
import type { ZsetObject } from '../types/zset';
import type { HashObject } from '../types/hash';
import { EXPIRE_NONE } from '../types/hash';
import { StreamIterator, type StreamObject } from '../types/stream';
import { formatId } from '../types/streamId';
import { formatDouble } from '../util/numbers';

/** AOF_REWRITE_ITEMS_PER_CMD */
export const ITEMS_PER_CMD = 64;

/** One command as RESP (latin1: one char per byte). */
export function respCommand(argv: readonly string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + a.length + '\r\n' + a + '\r\n';
  return s;
}

/** `#TS:<unix seconds>` annotation (aof-timestamp-enabled). */
export function timestampAnnotation(unixSec: number): string {
  return `#TS:${unixSec}\r\n`;
}

type Emit = (argv: string[]) => void;

/** Emit the commands that rebuild `key` (with its TTL when expireMs >= 0). */
export function rewriteKey(key: string, value: Value, expireMs: number, emit: Emit): void {
  switch (typeOf(value)) {
    case 'string':
      emit(['SET', key, typeof value === 'string' ? value : (value as Buffer).latin1Slice(0, (value as Buffer).length)]);
      break;
    case 'list':
      emitChunked('RPUSH', key, (visit) => (value as ListObject).forEach((v) => visit([v])), (value as ListObject).length, emit);
      break;
    case 'set':
      emitChunked('SADD', key, (visit) => (value as SetObject).forEach((m) => visit([m])), (value as SetObject).length, emit);
      break;
    case 'zset':
      emitChunked('ZADD', key, (visit) => (value as ZsetObject).forEach((m, score) => visit([formatDouble(score), m])), (value as ZsetObject).length, emit);
      break;
    case 'hash':
      rewriteHash(key, value as HashObject, emit);
      break;
    case 'stream':
      rewriteStream(key, value as StreamObject, emit);
      break;
  }
  if (expireMs >= 0) emit(['PEXPIREAT', key, String(expireMs)]);
}

/** Variadic commands with at most ITEMS_PER_CMD items each (an item may be several args). */
function emitChunked(cmd: string, key: string, each: (visit: (item: string[]) => void) => void, total: number, emit: Emit): void {
  let argv: string[] = [];
  let count = 0;
  let left = total;
  each((item) => {
    if (count === 0) argv = [cmd, key];
    for (const a of item) argv.push(a);
    left--;
    if (++count === ITEMS_PER_CMD || left === 0) {
      emit(argv);
      count = 0;
    }
  });
  if (count > 0) emit(argv);
}

/** Volatile fields first, one HSETEX each, then the rest as HMSET chunks (Valkey 9.0). */
function rewriteHash(key: string, h: HashObject, emit: Emit): void {
  const plain: string[][] = [];
  h.forEachWithExpiry((field, value, expireAt) => {
    if (expireAt === EXPIRE_NONE) plain.push([field, value]);
    else emit(['HSETEX', key, 'PXAT', String(expireAt), 'FIELDS', '1', field, value]);
  });
  emitChunked('HMSET', key, (visit) => plain.forEach(visit), plain.length, emit);
}

function rewriteStream(key: string, s: StreamObject, emit: Emit): void {
  if (s.length > 0) {
    const it = new StreamIterator(s, null, null, false);
    while (it.next()) emit(['XADD', key, formatId(it.ms, it.seq), ...it.fieldValues()]);
  } else {
    // XADD MAXLEN 0 creates an empty stream (the key must exist with its metadata).
    emit(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  emit([
    'XSETID', key, formatId(s.lastId.ms, s.lastId.seq),
    'ENTRIESADDED', String(s.entriesAdded),
    'MAXDELETEDID', formatId(s.maxDeletedId.ms, s.maxDeletedId.seq),
  ]);
  if (s.groups === null) return;
  for (const [name, g] of s.sortedGroups()) {
    emit(['XGROUP', 'CREATE', key, name, formatId(g.lastId.ms, g.lastId.seq), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const consumer of g.sortedConsumers()) {
      if (consumer.pel.size === 0) {
        emit(['XGROUP', 'CREATECONSUMER', key, name, consumer.name]);
        continue;
      }
      consumer.pel.forEach((ms, seq, nack) => {
        emit([
          'XCLAIM', key, name, consumer.name, '0', formatId(ms, seq),
          'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE',
        ]);
      });
    }
  }
}

/** The encoding of one key's rebuild commands as a Buffer. */
export function rewriteKeyBuffer(key: string, value: Value, expireMs: number): Buffer {
  let s = '';
  rewriteKey(key, value, expireMs, (argv) => {
    s += respCommand(argv);
  });
  return Buffer.from(s, 'latin1');
}

/** Bytes buffered before a write to the file. */
const CHUNK = 1 << 20;

/** A SnapshotSink writing commands: SELECT per database, an optional #TS annotation first. */
class CommandFileSink implements SnapshotSink {
  bytesWritten = 0;
  private parts: Buffer[] = [];
  private pending = 0;

  constructor(private readonly fd: number, private readonly timestamp: boolean) {}

  header(): void {
    if (this.timestamp) this.raw(Buffer.from(timestampAnnotation(Math.floor(Date.now() / 1000)), 'latin1'));
  }

  selectDb(id: number): void {
    this.raw(Buffer.from(respCommand(['SELECT', String(id)]), 'latin1'));
  }

  raw(b: Buffer): void {
    this.parts.push(b);
    this.pending += b.length;
    if (this.pending >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending === 0) return;
    const b = Buffer.concat(this.parts, this.pending);
    let off = 0;
    while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off);
    this.bytesWritten += b.length;
    this.parts = [];
    this.pending = 0;
  }

  finish(): void {
    this.flush();
  }
}

/** The snapshot format of a command-form AOF base file. */
export function commandFormat(timestamp: boolean): SnapshotFormat {
  return {
    open: (fd) => new CommandFileSink(fd, timestamp),
    keyEntry: (key, value, expireMs) => rewriteKeyBuffer(key, value, expireMs),
  };
}
