// BGSAVE without fork: an incremental snapshot taken on the event loop.
//
// At the cut we note, per database, how many slots exist; the walk then visits each database's
// KeyTable from the top slot down in bounded steps. A WriteGuard on every database sees each
// change before it happens: a key the walk has not reached yet is serialized right then, with
// the value and TTL it had at the cut, and remembered so the walk skips it. KeyTable deletes
// swap the last slot into the hole, which can move an already-visited (or post-cut) key below
// the walk position; the guard remembers those too. Keys created after the cut live above the
// walk position and are never visited. So the file holds exactly the dataset at the cut.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database, WriteGuard, Value } from '../db/database';
import { RdbFileWriter, encodeKeyEntry } from './rdb/file';

/** A BGSAVE step ends after about this long, whatever its key budget (client latency). */
const STEP_TIME_MS = 1;

export interface SnapshotOptions {
  file: string;
  compress: boolean;
  checksum: boolean;
  aux: [string, string | number][];
  /** keys per step before yielding to the event loop */
  keysPerStep: number;
  /** idle seconds or LFU counter of a key at save time (-1 when the policy does not keep it) */
  keyMeta: (db: Database, key: string) => { idle: number; freq: number };
  /** rdb-key-save-delay (microseconds per key, for tests) */
  keySaveDelayUs: number;
  /** another file format for the same walk (the AOF rewrite's commands); default: RDB */
  format?: SnapshotFormat;
}

/** Where the walk's output goes; RdbFileWriter is the default one. */
export interface SnapshotSink {
  bytesWritten: number;
  header(aux: [string, string | number][]): void;
  selectDb(id: number, size: number, expires: number): void;
  raw(b: Buffer): void;
  /** Optional fast path: serialize one key straight into the stream (no buffer per key). */
  key?(key: string, value: Value, expireMs: number, idle: number, freq: number): void;
  finish(): void;
}

/** A file format the snapshot can write: a sink over the file and the encoding of one key. */
export interface SnapshotFormat {
  open(fd: number): SnapshotSink;
  keyEntry(key: string, value: Value, expireMs: number, idle: number, freq: number): Buffer;
}

interface DbCut {
  db: Database;
  /** slots below this are not visited yet */
  pos: number;
  size: number;
  expires: number;
  /** keys already saved (or not to be saved) that may still sit below `pos` */
  skip: Set<string>;
  /** entries saved early, before this db's section started */
  early: Buffer[];
  started: boolean;
}

export class Snapshot implements WriteGuard {
  private readonly cuts: DbCut[];
  private readonly byDb = new Map<Database, DbCut>();
  private current = 0;
  private writer: SnapshotSink | null = null;
  /** guards that were attached before this snapshot (a SAVE during an AOF rewrite) */
  private readonly prevGuards = new Map<Database, WriteGuard | null>();
  private fd = -1;
  private readonly tmpFile: string;
  private cancelled = false;
  readonly startedAt = Date.now();
  /** rdb-key-save-delay applied to each key of the walk (SAVE sets it; BGSAVE paces its steps instead) */
  keySaveDelayUs: number;
  keysSaved = 0;
  /** bytes of values serialized ahead of the walk (extra memory the snapshot held) */
  earlyBytes = 0;
  peakEarlyBytes = 0;

  constructor(private readonly dbs: Database[], private readonly opts: SnapshotOptions) {
    this.tmpFile = path.join(path.dirname(opts.file), `temp-${process.pid}-${Date.now()}.rdb`);
    this.cuts = dbs.map((db) => ({ db, pos: db.data.size, size: db.data.size, expires: db.expires.size, skip: new Set(), early: [], started: false }));
    for (const c of this.cuts) this.byDb.set(c.db, c);
    this.keySaveDelayUs = opts.keySaveDelayUs;
  }

  /** Open the file, write the header and attach the guards (the cut). */
  begin(): void {
    this.fd = fs.openSync(this.tmpFile, 'w');
    this.writer = this.opts.format ? this.opts.format.open(this.fd) : new RdbFileWriter(this.fd, this.opts.compress, this.opts.checksum);
    this.writer.header(this.opts.aux);
    for (const c of this.cuts) {
      this.prevGuards.set(c.db, c.db.guard);
      c.db.guard = this;
    }
  }

  /** Run the whole snapshot synchronously (SAVE, SHUTDOWN, DEBUG RELOAD). */
  runToEnd(): void {
    this.begin();
    while (!this.step(Infinity)) {
      // loop
    }
    this.finish();
  }

  /**
   * Save up to `budget` keys, and (when the budget is finite) for no longer than STEP_TIME_MS:
   * clients wait while a step runs, and keys differ too much in size for a key count alone to
   * bound that. Returns true when every database is done.
   */
  step(budget: number): boolean {
    // The clock is read after every key: a read costs far less than encoding the smallest key.
    const timed = Number.isFinite(budget);
    const deadline = timed ? performance.now() + STEP_TIME_MS : Infinity;
    while (budget > 0 && this.current < this.cuts.length) {
      if (timed && performance.now() >= deadline) break;
      const c = this.cuts[this.current];
      if (c.size === 0 && c.early.length === 0) {
        this.current++;
        continue;
      }
      if (!c.started) this.startSection(c);
      if (c.pos === 0) {
        this.current++;
        continue;
      }
      c.pos--;
      const key = c.db.data.keyAt(c.pos);
      if (c.skip.has(key)) {
        c.skip.delete(key);
        continue;
      }
      this.saveKeyInline(c, key, c.pos);
      budget--;
    }
    return this.current >= this.cuts.length;
  }

  private startSection(c: DbCut): void {
    const w = this.writer!;
    c.started = true;
    w.selectDb(c.db.id, c.size, c.expires);
    for (const b of c.early) w.raw(b);
    this.earlyBytes -= c.early.reduce((n, b) => n + b.length, 0);
    c.early = [];
  }

  /** A key of the walk, written into the open section of its database. */
  private saveKeyInline(c: DbCut, key: string, slot: number): void {
    const w = this.writer!;
    if (w.key === undefined) {
      this.saveKey(c, key, (b) => w.raw(b), true);
      return;
    }
    const db = c.db;
    const { idle, freq } = this.opts.keyMeta(db, key);
    // The walk knows the slot: no lookup by key (this loop is the whole cost of a SAVE).
    w.key(key, db.data.valueAt(slot) as Value, expireOf(db, key), idle, freq);
    this.keysSaved++;
    if (this.keySaveDelayUs > 0) busyWaitUs(this.keySaveDelayUs);
  }

  private saveKey(c: DbCut, key: string, emit: (b: Buffer) => void, delay: boolean): void {
    const db = c.db;
    const value = db.data.get(key) as Value;
    const expire = expireOf(db, key);
    const { idle, freq } = this.opts.keyMeta(db, key);
    const fmt = this.opts.format;
    emit(fmt ? fmt.keyEntry(key, value, expire, idle, freq) : encodeKeyEntry(key, value, expire, idle, freq, this.opts.compress));
    this.keysSaved++;
    if (delay && this.keySaveDelayUs > 0) busyWaitUs(this.keySaveDelayUs);
  }

  // ------------------------------------------------------------------ WriteGuard

  beforeChange(db: Database, key: string): void {
    const c = this.byDb.get(db);
    if (!c || this.cancelled) return;
    const slot = db.data.slotOf(key);
    if (slot < 0 || slot >= c.pos || c.skip.has(key)) return;
    // Not visited yet: save it as it is now (= as at the cut), then never again.
    if (c.started) {
      this.saveKey(c, key, (b) => this.writer!.raw(b), false);
    } else {
      this.saveKey(c, key, (b) => {
        c.early.push(b);
        this.earlyBytes += b.length;
        if (this.earlyBytes > this.peakEarlyBytes) this.peakEarlyBytes = this.earlyBytes;
      }, false);
    }
    c.skip.add(key);
  }

  afterDelete(db: Database, hole: number, oldSize: number): void {
    const c = this.byDb.get(db);
    if (!c) return;
    const last = oldSize - 1;
    if (hole === last) {
      if (c.pos > db.data.size) c.pos = db.data.size;
      return;
    }
    if (hole < c.pos) {
      if (last >= c.pos) {
        // A visited or post-cut key moved below the walk: it must not be saved (again).
        c.skip.add(db.data.keyAt(hole));
      } else {
        // Unvisited moved within the unvisited region: the walk's top shrinks with the table.
        c.pos = Math.min(c.pos, db.data.size);
      }
    }
  }

  beforeWholeDb(db: Database): void {
    const c = this.byDb.get(db);
    if (!c) return;
    // Save everything not yet visited before the database changes wholesale.
    while (c.pos > 0) {
      c.pos--;
      const key = db.data.keyAt(c.pos);
      if (c.skip.has(key)) {
        c.skip.delete(key);
        continue;
      }
      this.beforeChangeAt(c, key);
    }
    c.skip.clear();
  }

  private beforeChangeAt(c: DbCut, key: string): void {
    if (c.started) this.saveKey(c, key, (b) => this.writer!.raw(b), false);
    else {
      this.saveKey(c, key, (b) => {
        c.early.push(b);
        this.earlyBytes += b.length;
      }, false);
    }
  }

  // ------------------------------------------------------------------ end

  private detach(): void {
    for (const c of this.cuts) if (c.db.guard === this) c.db.guard = this.prevGuards.get(c.db) ?? null;
  }

  /** Write the trailer, fsync and rename into place. Returns the bytes written. */
  finish(): number {
    this.detach();
    // Databases never reached by the walk but with early entries still need their sections.
    for (const c of this.cuts) if (!c.started && c.early.length > 0) this.startSection(c);
    const w = this.writer!;
    w.finish();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.tmpFile, this.opts.file);
    try {
      const dirFd = fs.openSync(path.dirname(this.opts.file), 'r');
      fs.fsyncSync(dirFd);
      fs.closeSync(dirFd);
    } catch {
      // directory fsync is best effort
    }
    return w.bytesWritten;
  }

  /** Abort: detach and remove the temporary file. */
  cancel(): void {
    this.cancelled = true;
    this.detach();
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    try {
      fs.unlinkSync(this.tmpFile);
    } catch {
      // not created
    }
  }
}

/** A key's expire time, skipping the lookup in a database without volatile keys. */
function expireOf(db: Database, key: string): number {
  return db.expires.size === 0 ? -1 : db.getExpire(key);
}

function busyWaitUs(us: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < end) {
    // rdb-key-save-delay is a test knob that slows the save on purpose
  }
}
