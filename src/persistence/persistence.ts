// RDB persistence for the running server: save points, SAVE, BGSAVE (incremental, see
// snapshot.ts), loading at startup, and the state INFO persistence reports.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Server } from '../server/server';
import type { Database } from '../db/database';
import { Snapshot, type SnapshotFormat } from './snapshot';
import { loadRdbBuffer, RdbLoadError } from './rdb/file';
import { lfuDecrAndReturn, lfuWithCounter } from '../db/lfu';
import type { SaveParam } from '../server/config';
import { typeLimits } from '../types/limitsCache';

/** Valkey waits this long before retrying a failed automatic BGSAVE. */
const BGSAVE_RETRY_DELAY_MS = 5000;
/** What a key saves as metadata when the maxmemory-policy keeps none. */
const NO_KEY_META = { idle: -1, freq: -1 };
/** Keys serialized per event-loop step of a BGSAVE (bounded work between client turns). */
const KEYS_PER_STEP = 2000;
/** With rdb-key-save-delay set, a step spends about this long delaying before it yields. */
const DELAY_STEP_US = 2000;
/** BGSAVE while an AOF rewrite runs (the one background job at a time). */
export const AOF_CHILD_ACTIVE =
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";

export class Persistence {
  /** unix seconds of the last successful save (LASTSAVE) */
  lastSave = Math.floor(Date.now() / 1000);
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  lastBgsaveTry = 0;
  /** seconds the last BGSAVE took, -1 if none */
  lastBgsaveTimeSec = -1;
  rdbSaves = 0;
  /** dirty counter when the current save started (writes after it remain "changes since save") */
  private dirtyAtCut = 0;
  private snapshot: Snapshot | null = null;
  private scheduled = false;
  /** stats for INFO persistence */
  lastCowSize = 0;
  loadingStartTime = 0;
  rdbLastLoadKeysLoaded = 0;
  rdbLastLoadKeysExpired = 0;

  constructor(private readonly server: Server) {
    // SHUTDOWN and FLUSHALL: a running BGSAVE is stopped first (Valkey kills its child), or it
    // would refuse this save and could later overwrite the file with older data.
    server.saver = () => {
      this.cancel();
      return this.saveSync();
    };
  }

  get bgsaveInProgress(): boolean {
    return this.snapshot !== null;
  }

  get bgsaveScheduled(): boolean {
    return this.scheduled;
  }

  /** seconds the running BGSAVE has taken so far, -1 if none */
  get currentBgsaveTimeSec(): number {
    return this.snapshot ? Math.floor((Date.now() - this.snapshot.startedAt) / 1000) : -1;
  }

  rdbPath(): string {
    return path.resolve(this.server.config.str('dir') || '.', this.server.config.str('dbfilename'));
  }

  /**
   * A snapshot of the dataset into `file`: BGSAVE's, or an AOF rewrite's (aof-base 1, and the
   * command format when aof-use-rdb-preamble is no).
   */
  makeSnapshot(file = this.rdbPath(), aofBase = false, format?: SnapshotFormat): Snapshot {
    const cfg = this.server.config;
    const server = this.server;
    const policy = cfg.str('maxmemory-policy');
    const lru = policy.includes('lru');
    const lfu = policy.includes('lfu');
    return new Snapshot(server.dbs, {
      file,
      format,
      compress: cfg.bool('rdbcompression'),
      checksum: cfg.bool('rdbchecksum'),
      aux: this.auxFields(aofBase),
      keysPerStep: KEYS_PER_STEP,
      // SAVE honours rdb-key-save-delay by busy-waiting (it blocks anyway); BGSAVE paces its steps.
      keySaveDelayUs: 0,
      // Only the LRU/LFU policies save key metadata: skip its lookup (one per key) otherwise.
      keyMeta: (db: Database, key: string) => {
        if (lru) return { idle: Math.max(0, server.ctx.lruClock() - db.metaOf(key)), freq: -1 };
        if (lfu) return { idle: -1, freq: lfuDecrAndReturn(db.metaOf(key), server.ctx.now, cfg.num('lfu-decay-time')) };
        return NO_KEY_META;
      },
    });
  }

  private auxFields(aofBase: boolean): [string, string | number][] {
    const s = this.server;
    return [
      ['valkey-ver', '9.0.0'],
      ['redis-bits', 64],
      ['ctime', Math.floor(Date.now() / 1000)],
      ['used-mem', process.memoryUsage().heapUsed],
      ['repl-stream-db', 0],
      ['repl-id', s.replId],
      ['repl-offset', 0],
      ['aof-base', aofBase ? 1 : 0],
    ];
  }

  /** SAVE: the whole snapshot now, blocking. Returns true on success. */
  saveSync(): boolean {
    if (this.snapshot) {
      this.server.log('warning', 'Background save already in progress');
      return false;
    }
    const start = Date.now();
    const dirty = this.server.dirty;
    const snap = this.makeSnapshot();
    snap.keySaveDelayUs = Math.max(0, this.server.config.num('rdb-key-save-delay'));
    try {
      snap.runToEnd();
    } catch (e) {
      snap.cancel();
      // A failed SAVE leaves rdb_last_bgsave_status alone (only background saves set it to err).
      this.server.log('warning', `Failed saving the DB: ${(e as Error).message}`);
      return false;
    }
    this.server.dirty -= dirty;
    this.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.rdbSaves++;
    this.server.log('notice', `DB saved on disk (${Date.now() - start} ms)`);
    return true;
  }

  /** BGSAVE; returns null when started, else the reason it could not start. */
  bgsave(): string | null {
    if (this.snapshot) return 'ERR Background save already in progress';
    if (this.server.aof.rewriteInProgress) return AOF_CHILD_ACTIVE;
    this.lastBgsaveTry = Date.now();
    this.dirtyAtCut = this.server.dirty;
    const snap = this.makeSnapshot();
    try {
      snap.begin();
    } catch (e) {
      // Like a forked child that fails at once: the save "started" and then failed.
      snap.cancel();
      this.lastBgsaveStatus = 'err';
      this.server.log('warning', `Background saving error: ${(e as Error).message}`);
      return null;
    }
    this.snapshot = snap;
    this.server.log('notice', 'Background saving started');
    setImmediate(() => this.bgStep(snap));
    return null;
  }

  private bgStep(snap: Snapshot): void {
    if (this.snapshot !== snap) return;
    // This step was queued before the replies of this turn's commands: send those first, so a
    // client waits for at most the step that was already running, not for one more.
    this.server.flushPendingWrites();
    let done: boolean;
    // rdb-key-save-delay (a test knob) slows the save down without stalling the server: fewer
    // keys per step, and the next step waits for the delay those keys are owed.
    const delayUs = this.server.config.num('rdb-key-save-delay');
    const budget = delayUs > 0 ? Math.max(1, Math.floor(DELAY_STEP_US / delayUs)) : KEYS_PER_STEP;
    try {
      done = snap.step(budget);
      if (done) {
        snap.finish();
        this.snapshot = null;
        this.server.dirty -= this.dirtyAtCut;
        this.lastSave = Math.floor(Date.now() / 1000);
        this.lastBgsaveStatus = 'ok';
        this.lastBgsaveTimeSec = Math.floor((Date.now() - snap.startedAt) / 1000);
        this.lastCowSize = snap.peakEarlyBytes;
        this.rdbSaves++;
        this.server.log('notice', 'Background saving terminated with success');
        this.runScheduled();
        return;
      }
    } catch (e) {
      snap.cancel();
      this.snapshot = null;
      this.lastBgsaveStatus = 'err';
      this.server.log('warning', `Background saving error: ${(e as Error).message}`);
      return;
    }
    if (delayUs > 0) setTimeout(() => this.bgStep(snap), Math.ceil((budget * delayUs) / 1000));
    else setImmediate(() => this.bgStep(snap));
  }

  /** BGSAVE SCHEDULE: run when the current background job ends. */
  schedule(): void {
    this.scheduled = true;
  }

  /** Start a scheduled BGSAVE now if nothing is running (after EXEC). */
  runScheduledNow(): void {
    if (!this.snapshot) this.runScheduled();
  }

  private runScheduled(): void {
    if (!this.scheduled) return;
    this.scheduled = false;
    this.bgsave();
  }

  /** BGSAVE CANCEL, FLUSHALL: stop a running snapshot. Returns true if something was cancelled. */
  cancel(): boolean {
    const had = this.snapshot !== null || this.scheduled;
    this.scheduled = false;
    if (this.snapshot) {
      // A cancelled save is not a failed one (Valkey kills its child with SIGUSR1 for this).
      this.snapshot.cancel();
      this.snapshot = null;
      this.server.log('notice', 'Background saving cancelled');
    }
    return had;
  }

  /**
   * MISCONF: with stop-writes-on-bgsave-error and save points, the last failed background save
   * refuses writes until a save succeeds.
   */
  writeRefusedReason(): string | null {
    if (this.lastBgsaveStatus === 'ok') return this.server.aof.writeRefusedReason();
    const cfg = this.server.config;
    if (!cfg.bool('stop-writes-on-bgsave-error') || cfg.raw<SaveParam[]>('save').length === 0) return this.server.aof.writeRefusedReason();
    return (
      "MISCONF Valkey is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
      'Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). ' +
      'Please check the Valkey logs for details about the RDB error.'
    );
  }

  /** Cron: trigger a BGSAVE when a save point is reached. */
  cron(): void {
    if (this.snapshot || this.server.aof.rewriteInProgress) return;
    const points = this.server.config.raw<SaveParam[]>('save');
    if (!points || points.length === 0) return;
    const now = Date.now();
    const elapsed = now / 1000 - this.lastSave;
    for (const p of points) {
      if (this.server.dirty >= p.changes && elapsed > p.seconds && (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_MS || this.lastBgsaveStatus === 'ok')) {
        this.server.log('notice', `${p.changes} changes in ${p.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /**
   * Load the RDB file at startup (or DEBUG RELOAD). A missing file is fine; a bad one throws
   * RdbLoadError and nothing is kept.
   */
  load(file = this.rdbPath()): boolean {
    return this.loadInto(file, { flush: true, merge: false });
  }

  /** DEBUG RELOAD: load the RDB file again, replacing (flush) or merging into the dataset. */
  reload(opts: { flush: boolean; merge: boolean }): void {
    const file = this.rdbPath();
    if (!fs.existsSync(file)) throw new RdbLoadError(`no RDB file at ${file}`);
    this.loadInto(file, opts);
  }

  private loadInto(file: string, mode: { flush: boolean; merge: boolean }): boolean {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new RdbLoadError(`Fatal error loading the DB, check server logs. Exiting. (${(e as Error).message})`);
    }
    const server = this.server;
    const now = Date.now();
    const start = now;
    // Load into fresh databases and swap them in only once the whole file is good.
    const fresh = server.dbs.map((db) => new (db.constructor as new (id: number, ctx: typeof db.ctx) => Database)(db.id, db.ctx));
    let cur: Database | null = fresh[0] ?? null;
    let loaded = 0;
    let expired = 0;
    const lfuPolicy = server.config.str('maxmemory-policy').includes('lfu');
    const isPrimary = !server.isReplica();
    const res = loadRdbBuffer(
      buf,
      {
        aux: () => {},
        selectDb: (id) => {
          if (id >= fresh.length) throw new RdbLoadError(`FATAL: Data file was created with a Valkey server configured to handle more than ${fresh.length} databases. Exiting`);
          cur = fresh[id];
        },
        resizeDb: () => {},
        key: (key, value, expireMs, idle, freq) => {
          if (!cur) throw new RdbLoadError('key before any database selection');
          if (expireMs >= 0 && expireMs < now && isPrimary) {
            expired++;
            return;
          }
          cur.load(key, value);
          if (expireMs >= 0) cur.setExpire(key, expireMs);
          if (freq >= 0 && lfuPolicy) cur.setMeta(key, lfuWithCounter(freq, now));
          else if (idle >= 0) cur.setMeta(key, Math.max(0, server.ctx.lruClock() - idle));
          loaded++;
        },
      },
      { strictVersion: server.config.str('rdb-version-check') !== 'relaxed', checksum: server.config.bool('rdbchecksum'), now, deepSanitize: false, limits: typeLimits(server) },
    );
    if (mode.flush) {
      // The dataset is replaced as by FLUSHALL: client-side caches are told to drop everything.
      server.tracking.invalidateAll();
      for (let i = 0; i < fresh.length; i++) {
        server.watchers.touchAllInDb(server.dbs[i], fresh[i]);
        server.dbs[i].swapContents(fresh[i]);
      }
    } else {
      // NOFLUSH: add the loaded keys; without MERGE an existing key is an error, as in Valkey.
      for (let i = 0; i < fresh.length; i++) {
        const target = server.dbs[i];
        fresh[i].data.forEach((key, value) => {
          if (target.data.has(key) && !mode.merge) throw new RdbLoadError(`Duplicate key '${key}' found in RDB file`);
          target.setKey(key, value);
          const exp = fresh[i].getExpire(key);
          if (exp >= 0) target.setExpire(key, exp);
        });
      }
    }
    this.rdbLastLoadKeysLoaded = loaded;
    this.rdbLastLoadKeysExpired = expired;
    this.lastSave = Math.floor(Date.now() / 1000);
    server.log('notice', `Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`);
    server.log('notice', `DB loaded from disk: ${((Date.now() - start) / 1000).toFixed(3)} seconds`);
    void res;
    return true;
  }
}
