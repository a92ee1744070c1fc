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
  private writer: RdbFileWriter | null = null;
  private fd = -1;
  private readonly tmpFile: string;
  private cancelled = false;
  readonly startedAt = Date.now();
  keysSaved = 0;
  /** bytes of values serialized ahead of the walk (extra memory the snapshot held) */
  earlyBytes = 0;
  peakEarlyBytes = 0;

  constructor(private readonly dbs: Database[], private readonly opts: SnapshotOptions) {
    this.tmpFile = path.join(path.dirname(opts.file), `temp-${process.pid}-${Date.now()}.rdb`);
    this.cuts = dbs.map((db) => ({ db, pos: db.data.size, size: db.data.size, expires: db.expires.size, skip: new Set(), early: [], started: false }));
    for (const c of this.cuts) this.byDb.set(c.db, c);
  }

  /** Open the file, write the header and attach the guards (the cut). */
  begin(): void {
    this.fd = fs.openSync(this.tmpFile, 'w');
    this.writer = new RdbFileWriter(this.fd, this.opts.compress, this.opts.checksum);
    this.writer.header(this.opts.aux);
    for (const c of this.cuts) c.db.guard = this;
  }

  /** Run the whole snapshot synchronously (SAVE, SHUTDOWN, DEBUG RELOAD). */
  runToEnd(): void {
    this.begin();
    while (!this.step(Infinity)) {
      // loop
    }
    this.finish();
  }

  /** Save up to `budget` keys; returns true when every database is done. */
  step(budget: number): boolean {
    const w = this.writer!;
    while (budget > 0 && this.current < this.cuts.length) {
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
      this.saveKey(c, key, (b) => w.raw(b), true);
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

  private saveKey(c: DbCut, key: string, emit: (b: Buffer) => void, delay: boolean): void {
    const db = c.db;
    const value = db.data.get(key) as Value;
    const expire = db.getExpire(key);
    const { idle, freq } = this.opts.keyMeta(db, key);
    emit(encodeKeyEntry(key, value, expire, idle, freq, this.opts.compress));
    this.keysSaved++;
    if (delay && this.opts.keySaveDelayUs > 0) busyWaitUs(this.opts.keySaveDelayUs);
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
    for (const c of this.cuts) if (c.db.guard === this) c.db.guard = null;
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

function busyWaitUs(us: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < end) {
    // rdb-key-save-delay is a test knob that slows the save on purpose
  }
}
