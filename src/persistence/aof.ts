// The append-only file, in Valkey's multi-part layout (appenddirname/ with a manifest, one BASE
// file and INCR files), fed by the one propagation channel.
//
// Writing: every effect the channel emits is appended (RESP, a SELECT when the database changes,
// #TS annotations with aof-timestamp-enabled) to an in-memory buffer. The server runs our
// beforeReply hook once per event-loop turn before it writes any client output: the buffer goes
// to the INCR file in one write, and with appendfsync always one fdatasync follows, so every
// reply of the turn is sent only once its write is on disk (group commit). everysec fsyncs in
// the background at most once a second; no leaves it to the kernel.
//
// Rewriting (BGREWRITEAOF) without fork: at the cut a new INCR file is opened for what follows
// and an incremental snapshot (snapshot.ts, the BGSAVE machinery) writes the dataset as it was at
// the cut into a temporary file, as an RDB (aof-use-rdb-preamble yes) or as commands
// (aofRewrite.ts). When it is done the file becomes the new BASE, the INCR files it covers
// become history, the manifest is persisted and the history files are deleted.
//
// Loading: the manifest's BASE then INCR files are replayed through the command handlers by a
// fake client (an RDB base through the RDB loader). An old single appendonly.aof is moved into
// the directory first. A torn last command is truncated with aof-load-truncated yes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Server } from '../server/server';
import type { Client } from '../server/client';
import { CF_BLOCKED, CF_FAKE, CF_MULTI, CF_PRIMARY } from '../server/client';
import type { Database } from '../db/database';
import type { Command } from '../commands/table';
import { Snapshot } from './snapshot';
import { AofManifest, AofManifestError } from './aofManifest';
import { commandFormat, respCommand, timestampAnnotation } from './aofRewrite';
import { loadRdbBuffer, RdbLoadError } from './rdb/file';
import { lfuWithCounter } from '../db/lfu';
import { typeLimits } from '../types/limitsCache';
import { strerror } from '../server/config';

export type AofState = 'off' | 'on' | 'wait-rewrite';

/** Outcome of loading one file or the whole AOF (Valkey's AOF_OK, AOF_TRUNCATED, ...). */
export type AofLoadResult = 'ok' | 'not-exist' | 'empty' | 'open-err' | 'failed' | 'truncated';

/** The AOF cannot be loaded: startup stops (the reason was logged). */
export class AofLoadError extends Error {}

/** Keys per event-loop step of a rewrite (as BGSAVE). */
const KEYS_PER_STEP = 2000;
/** With rdb-key-save-delay set, a step spends about this long delaying before it yields. */
const DELAY_STEP_US = 2000;
/** AOF_ANNOTATION_LINE_MAX_LEN: the fgets() buffer of the loader. */
const LINE_MAX = 1024;
/** Consecutive rewrite failures before automatic rewrites are delayed (aofRewriteLimited). */
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

const FIX_HINT = 'make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>';

export class Aof {
  state: AofState = 'off';
  manifest = new AofManifest();
  private fd = -1;
  /** RESP not written yet (latin1) */
  private buf = '';
  private selectedDb = -1;
  private curTimestamp = 0;
  /** aof_current_size, aof_rewrite_base_size */
  currentSize = 0;
  baseSize = 0;
  private lastIncrSize = 0;
  private lastIncrFsyncOffset = 0;
  private lastFsync = Date.now();
  /** background fdatasync calls in flight (aof_pending_bio_fsync) */
  pendingFsyncs = 0;
  delayedFsync = 0;
  lastWriteStatus: 'ok' | 'err' = 'ok';
  private lastWriteError = '';
  private lastWriteErrorLog = 0;
  // rewrite state
  private rewrite: Snapshot | null = null;
  private rewriteTemp = '';
  rewriteScheduled = false;
  /** ms when the running rewrite started, -1 if none */
  private rewriteTimeStart = -1;
  /** seconds the last rewrite took, -1 if none */
  rewriteTimeLast = -1;
  lastBgrewriteStatus: 'ok' | 'err' = 'ok';
  rewrites = 0;
  consecutiveFailures = 0;
  /** values the last rewrite had to serialize ahead of its walk (aof_last_cow_size) */
  lastCowSize = 0;
  private limitDelayMinutes = 0;
  private limitUntil = 0;
  /** commands being replayed: nothing is fed back into the file */
  private replaying = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly server: Server) {
    server.config.onChange('appendonly', (v) => this.onAppendonlyChange(v as boolean));
  }

  // ---------------------------------------------------------------- paths and config

  private get cfg() {
    return this.server.config;
  }

  private get appendFilename(): string {
    return this.cfg.str('appendfilename');
  }

  private dirPath(): string {
    return path.resolve(this.cfg.str('dir') || '.', this.cfg.str('appenddirname'));
  }

  private filePath(name: string): string {
    return path.join(this.dirPath(), name);
  }

  private fsyncPolicy(): string {
    return this.cfg.str('appendfsync');
  }

  get rewriteInProgress(): boolean {
    return this.rewrite !== null;
  }

  /** seconds the running rewrite has taken, -1 if none */
  get currentRewriteTimeSec(): number {
    return this.rewriteTimeStart < 0 ? -1 : Math.floor((Date.now() - this.rewriteTimeStart) / 1000);
  }

  get bufferLength(): number {
    return this.buf.length;
  }

  // ---------------------------------------------------------------- feeding

  private subscribe(): void {
    if (this.unsubscribe === null) this.unsubscribe = this.server.propagation.subscribe((dbid, argv) => this.feed(dbid, argv));
  }

  private unsubscribeFeed(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** feedAppendOnlyFile: one effect from the propagation channel. */
  private feed(dbid: number, argv: string[]): void {
    if (this.replaying) return;
    // While waiting for the first rewrite, only a running rewrite's tail is kept.
    if (this.state === 'off' || (this.state === 'wait-rewrite' && this.rewrite === null)) return;
    let s = '';
    if (this.cfg.bool('aof-timestamp-enabled')) {
      const now = Math.floor(this.server.cachedNow / 1000);
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        s += timestampAnnotation(now);
      }
    }
    if (dbid !== this.selectedDb) {
      s += respCommand(['SELECT', String(dbid)]);
      this.selectedDb = dbid;
    }
    this.buf += s + respCommand(argv);
  }

  // ---------------------------------------------------------------- writing

  /** The server's beforeReply hook: the turn's writes reach the file before any reply. */
  beforeReply(): void {
    if (this.fd >= 0 && (this.buf.length > 0 || this.lastIncrFsyncOffset !== this.lastIncrSize)) this.flush();
  }

  /** flushAppendOnlyFile: write the buffer, then fsync by policy. */
  flush(): void {
    if (this.fd < 0) return;
    const policy = this.fsyncPolicy();
    const now = Date.now();
    if (this.buf.length === 0) {
      const unsynced = this.lastIncrFsyncOffset !== this.lastIncrSize;
      if (!unsynced) return;
      if (policy === 'everysec' && (now - this.lastFsync < 1000 || this.pendingFsyncs > 0)) return;
      if (policy === 'no') return;
    } else if (!this.writeBuffer(policy)) {
      return;
    }
    if (this.cfg.bool('no-appendfsync-on-rewrite') && this.childActive()) return;
    if (policy === 'always') {
      try {
        fs.fdatasyncSync(this.fd);
      } catch (e) {
        this.server.log('warning', `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(e)}. Exiting...`);
        process.exit(1);
      }
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsync = now;
    } else if (policy === 'everysec' && now - this.lastFsync >= 1000) {
      if (this.pendingFsyncs === 0) this.backgroundFsync(this.fd, false);
      this.lastFsync = now;
    }
  }

  /** One write of the whole buffer; false (buffer kept) after an error. */
  private writeBuffer(policy: string): boolean {
    const b = Buffer.from(this.buf, 'latin1');
    let written = 0;
    try {
      while (written < b.length) written += fs.writeSync(this.fd, b, written, b.length - written);
    } catch (e) {
      return this.writeFailed(e, written, b.length, policy);
    }
    if (this.lastWriteStatus === 'err') {
      this.server.log('notice', 'AOF write error looks solved. The server can write again.');
      this.lastWriteStatus = 'ok';
    }
    this.buf = '';
    this.currentSize += written;
    this.lastIncrSize += written;
    return true;
  }

  private writeFailed(e: unknown, written: number, expected: number, policy: string): boolean {
    const now = Date.now();
    const canLog = now - this.lastWriteErrorLog > 30_000;
    if (canLog) this.lastWriteErrorLog = now;
    if (written > 0) {
      // Remove the partial command so the file stays loadable.
      try {
        fs.ftruncateSync(this.fd, this.lastIncrSize);
        written = 0;
      } catch {
        if (canLog) this.server.log('warning', 'Could not remove short write from the append-only file. The server may refuse to load the AOF the next time it starts.');
      }
      if (canLog) this.server.log('warning', `Short write while writing to the AOF file: (nwritten=${written}, expected=${expected})`);
    } else if (canLog) {
      this.server.log('warning', `Error writing to the AOF file: ${strerror(e)}`);
    }
    this.lastWriteError = strerror(e);
    if (policy === 'always') {
      // Replies of this turn are already decided: acknowledged writes must be on disk, so exit.
      this.server.log('warning', "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      process.exit(1);
    }
    this.lastWriteStatus = 'err';
    if (written > 0) {
      this.currentSize += written;
      this.lastIncrSize += written;
      this.buf = this.buf.slice(written);
    }
    return false;
  }

  /** fdatasync on the libuv pool (Valkey's bio thread); optionally close the fd after it. */
  private backgroundFsync(fd: number, close: boolean): void {
    // A closing file's last fsync is not an AOF fsync in progress (Valkey's BIO_CLOSE_AOF job).
    if (!close) {
      this.pendingFsyncs++;
      this.lastIncrFsyncOffset = this.lastIncrSize;
    }
    fs.fdatasync(fd, (err) => {
      if (!close) this.pendingFsyncs--;
      if (err && !close) this.server.log('warning', `Fail to fsync the AOF file: ${err.message}`);
      if (close) fs.close(fd, () => {});
    });
  }

  /**
   * MISCONF after a failed AOF write (writeCommandsDeniedByDiskError): writes are refused until
   * a write succeeds again.
   */
  writeRefusedReason(): string | null {
    if (this.state === 'off' || this.lastWriteStatus === 'ok') return null;
    return `MISCONF Errors writing to the AOF file: ${this.lastWriteError}`;
  }

  // ---------------------------------------------------------------- cron

  /** serverCron's AOF part: scheduled and automatic rewrites, retries, everysec fsync. */
  cron(): void {
    if (this.state === 'off' && !this.rewriteScheduled) return;
    if (!this.childActive() && this.rewriteScheduled && !this.rewriteLimited()) this.startRewrite();
    if (this.state === 'on' && !this.childActive()) this.maybeAutoRewrite();
    if (this.state !== 'off') this.flush();
  }

  private maybeAutoRewrite(): void {
    const perc = this.cfg.num('auto-aof-rewrite-percentage');
    if (perc === 0 || this.currentSize <= this.cfg.num('auto-aof-rewrite-min-size')) return;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    const growth = Math.floor((this.currentSize * 100) / base) - 100;
    if (growth >= perc && !this.rewriteLimited()) {
      this.server.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
      this.startRewrite();
    }
  }

  /** After repeated failures, automatic rewrites wait 1, 2, 4 ... 60 minutes (aofRewriteLimited). */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.limitDelayMinutes = 0;
      this.limitUntil = 0;
      return false;
    }
    const now = Date.now();
    if (this.limitUntil !== 0) {
      if (now < this.limitUntil) return true;
      this.limitUntil = 0;
      return false;
    }
    this.limitDelayMinutes = Math.min(REWRITE_LIMIT_MAX_MINUTES, this.limitDelayMinutes === 0 ? 1 : this.limitDelayMinutes * 2);
    this.limitUntil = now + this.limitDelayMinutes * 60_000;
    this.server.log('warning', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.limitDelayMinutes} minutes`);
    return true;
  }

  /** A BGSAVE or an AOF rewrite is running (Valkey's hasActiveChildProcess). */
  private childActive(): boolean {
    return this.rewrite !== null || this.server.persistence.bgsaveInProgress;
  }

  // ---------------------------------------------------------------- BGREWRITEAOF

  /** BGREWRITEAOF: the reply line (status, or an error starting with ERR). */
  bgrewriteCommand(inTransaction: boolean): { ok: boolean; text: string } {
    if (this.rewrite !== null) return { ok: false, text: 'ERR Background append only file rewriting already in progress' };
    if (this.childActive() || inTransaction) {
      this.rewriteScheduled = true;
      // A manual rewrite is not held back by earlier failures.
      this.consecutiveFailures = 0;
      return { ok: true, text: 'Background append only file rewriting scheduled' };
    }
    if (this.startRewrite()) return { ok: true, text: 'Background append only file rewriting started' };
    return { ok: false, text: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information." };
  }

  /** rewriteAppendOnlyFileBackground: cut, switch to a new INCR file, start the snapshot. */
  startRewrite(): boolean {
    if (this.childActive()) return false;
    try {
      fs.mkdirSync(this.dirPath(), { recursive: true });
    } catch (e) {
      this.server.log('warning', `Can't open or create append-only dir ${this.cfg.str('appenddirname')}: ${strerror(e)}`);
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    // The new INCR file starts with a SELECT.
    this.selectedDb = -1;
    this.flush();
    if (!this.openNewIncrForAppend()) {
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    this.rewrites++;
    this.rewriteTemp = this.filePath(`temp-rewriteaof-bg-${process.pid}.aof`);
    const snap = this.makeRewriteSnapshot(this.rewriteTemp);
    try {
      snap.begin();
    } catch (e) {
      snap.cancel();
      this.server.log('warning', `Write error writing append only file on disk: ${strerror(e)}`);
      this.rewriteDone(false);
      return true;
    }
    this.rewrite = snap;
    this.rewriteScheduled = false;
    this.rewriteTimeStart = Date.now();
    this.server.log('notice', `Background append only file rewriting started by pid ${process.pid}`);
    setImmediate(() => this.rewriteStep(snap));
    return true;
  }

  private makeRewriteSnapshot(file: string): Snapshot {
    const preamble = this.cfg.bool('aof-use-rdb-preamble');
    const format = preamble ? undefined : commandFormat(this.cfg.bool('aof-timestamp-enabled'));
    return this.server.persistence.makeSnapshot(file, true, format);
  }

  private rewriteStep(snap: Snapshot): void {
    if (this.rewrite !== snap) return;
    const delayUs = this.cfg.num('rdb-key-save-delay');
    const budget = delayUs > 0 ? Math.max(1, Math.floor(DELAY_STEP_US / delayUs)) : KEYS_PER_STEP;
    try {
      if (snap.step(budget)) {
        snap.finish();
        this.rewrite = null;
        this.lastCowSize = snap.peakEarlyBytes;
        this.server.log('notice', `Successfully created the temporary AOF base file ${path.basename(this.rewriteTemp)}`);
        this.rewriteDone(true);
        return;
      }
    } catch (e) {
      snap.cancel();
      this.rewrite = null;
      this.server.log('warning', `Write error writing append only file on disk: ${strerror(e)}`);
      this.rewriteDone(false);
      return;
    }
    if (delayUs > 0) setTimeout(() => this.rewriteStep(snap), Math.ceil((budget * delayUs) / 1000));
    else setImmediate(() => this.rewriteStep(snap));
  }

  /**
   * openNewIncrAofForAppend: with AOF on, a new INCR file joins the manifest now; while waiting
   * for the first rewrite, a temporary INCR file collects the tail.
   */
  private openNewIncrForAppend(): boolean {
    if (this.state === 'off') return true;
    let temp: AofManifest | null = null;
    let name: string;
    if (this.state === 'wait-rewrite') {
      name = this.tempIncrName();
    } else {
      temp = this.manifest.clone();
      name = temp.newIncr(this.appendFilename);
    }
    let fd: number;
    try {
      fd = fs.openSync(this.filePath(name), 'w', 0o644);
    } catch (e) {
      this.server.log('warning', `Can't open the append-only file ${name}: ${strerror(e)}`);
      return false;
    }
    if (temp !== null && !this.persistManifest(temp)) {
      fs.closeSync(fd);
      return false;
    }
    this.server.log('notice', `Creating AOF incr file ${name} on background rewrite`);
    if (this.fd >= 0) {
      this.backgroundFsync(this.fd, true);
      this.lastFsync = Date.now();
    }
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (temp !== null) this.manifest = temp;
    return true;
  }

  private tempIncrName(): string {
    return `temp-${this.appendFilename}.incr`;
  }

  /** backgroundRewriteDoneHandler */
  private rewriteDone(ok: boolean): void {
    if (ok) {
      this.server.log('notice', 'Background AOF rewrite terminated with success');
      if (this.installRewrite()) {
        this.lastBgrewriteStatus = 'ok';
        this.consecutiveFailures = 0;
        this.server.log('notice', 'Background AOF rewrite finished successfully');
        if (this.state === 'wait-rewrite') this.state = 'on';
      } else {
        this.lastBgrewriteStatus = 'err';
        this.consecutiveFailures++;
      }
    } else {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      this.server.log('warning', 'Background AOF rewrite terminated with error');
    }
    this.removeFile(this.rewriteTemp);
    if (this.state === 'wait-rewrite') {
      // The tail collected for a rewrite that did not make it is useless: start over.
      this.buf = '';
      this.closeFd();
      this.server.log('notice', `Removing the temp incr aof file ${this.tempIncrName()} in the background`);
      this.removeFile(this.filePath(this.tempIncrName()));
      this.rewriteScheduled = true;
    }
    if (this.rewriteTimeStart >= 0) this.rewriteTimeLast = Math.floor((Date.now() - this.rewriteTimeStart) / 1000);
    this.rewriteTimeStart = -1;
    // A BGSAVE scheduled behind this rewrite may start now.
    this.server.persistence.runScheduledNow();
  }

  /** The finished base joins the manifest; covered INCR files become history and are deleted. */
  private installRewrite(): boolean {
    const temp = this.manifest.clone();
    const baseName = temp.newBase(this.appendFilename, this.cfg.bool('aof-use-rdb-preamble'));
    const basePath = this.filePath(baseName);
    try {
      fs.renameSync(this.rewriteTemp, basePath);
    } catch (e) {
      this.server.log('warning', `Error trying to rename the temporary AOF base file ${path.basename(this.rewriteTemp)} into ${basePath}: ${strerror(e)}`);
      return false;
    }
    this.server.log('notice', `Successfully renamed the temporary AOF base file ${path.basename(this.rewriteTemp)} into ${baseName}`);
    let incrPath: string | null = null;
    if (this.state === 'wait-rewrite') {
      const tempIncr = this.filePath(this.tempIncrName());
      const incrName = temp.newIncr(this.appendFilename);
      incrPath = this.filePath(incrName);
      try {
        fs.renameSync(tempIncr, incrPath);
      } catch (e) {
        this.server.log('warning', `Error trying to rename the temporary AOF incr file ${tempIncr} into ${incrPath}: ${strerror(e)}`);
        this.removeFile(basePath);
        return false;
      }
      this.server.log('notice', `Successfully renamed the temporary AOF incr file ${this.tempIncrName()} into ${incrName}`);
    }
    temp.markRewrittenIncrAsHistory(this.fd >= 0);
    if (!this.persistManifest(temp)) {
      this.removeFile(basePath);
      if (incrPath) this.removeFile(incrPath);
      return false;
    }
    this.manifest = temp;
    if (this.state !== 'off') {
      this.currentSize = fileSize(basePath) + this.lastIncrSize;
      this.baseSize = this.currentSize;
    }
    this.deleteHistoryFiles();
    return true;
  }

  /** aofDelHistoryFiles (unless aof-disable-auto-gc). */
  deleteHistoryFiles(): void {
    if (this.cfg.bool('aof-disable-auto-gc') || this.manifest.history.length === 0) return;
    for (const ai of this.manifest.history) {
      this.server.log('notice', `Removing the history file ${ai.name} in the background`);
      this.removeFile(this.filePath(ai.name));
    }
    this.manifest.history = [];
    this.persistManifest(this.manifest);
  }

  /** Stop a running rewrite without counting it as failed (killAppendOnlyChild). */
  private killRewrite(): void {
    if (this.rewrite === null) return;
    this.server.log('notice', `Killing running AOF rewrite child: ${process.pid}`);
    this.rewrite.cancel();
    this.rewrite = null;
    this.removeFile(this.rewriteTemp);
    this.rewriteTimeStart = -1;
  }

  // ---------------------------------------------------------------- manifest on disk

  /** writeAofManifestFile: temp file, fsync, rename, fsync the directory. */
  private persistManifest(m: AofManifest): boolean {
    const name = `${this.appendFilename}.manifest`;
    const tmpName = `temp-${name}`;
    const tmp = this.filePath(tmpName);
    let fd = -1;
    try {
      fd = fs.openSync(tmp, 'w', 0o644);
    } catch (e) {
      this.server.log('warning', `Can't open the AOF manifest file ${tmpName}: ${strerror(e)}`);
      return false;
    }
    try {
      fs.writeSync(fd, Buffer.from(m.format(), 'latin1'));
      fs.fsyncSync(fd);
      fs.renameSync(tmp, this.filePath(name));
      fsyncDir(this.dirPath());
    } catch (e) {
      this.server.log('warning', `Error trying to write the temporary AOF manifest file ${tmpName}: ${strerror(e)}`);
      return false;
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  private removeFile(file: string): void {
    if (!file) return;
    fs.unlink(file, () => {});
  }

  private closeFd(): void {
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = -1;
  }

  // ---------------------------------------------------------------- appendonly yes|no at run time

  private onAppendonlyChange(on: boolean): string | null {
    if (!on && this.state !== 'off') this.stop();
    if (on && this.state === 'off' && !this.start()) return 'Unable to turn on AOF. Check server logs.';
    return null;
  }

  /** startAppendOnly: wait for a rewrite that creates the base, then the AOF is on. */
  start(): boolean {
    this.state = 'wait-rewrite';
    this.subscribe();
    if (this.server.persistence.bgsaveInProgress) {
      this.rewriteScheduled = true;
      this.server.log('notice', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (this.server.blocking.inExec) {
      this.rewriteScheduled = true;
      this.server.log('notice', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.rewrite !== null) {
        this.server.log('notice', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.startRewrite()) {
        this.state = 'off';
        this.unsubscribeFeed();
        this.server.log('warning', "The server needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    this.lastFsync = Date.now();
    if (this.lastWriteStatus === 'err') {
      this.server.log('warning', 'AOF reopen, just ignore the last error.');
      this.lastWriteStatus = 'ok';
    }
    return true;
  }

  /** stopAppendOnly: flush and fsync, close, forget the rewrite. */
  stop(): void {
    this.flush();
    if (this.fd >= 0) {
      try {
        fs.fdatasyncSync(this.fd);
        this.lastFsync = Date.now();
      } catch (e) {
        this.server.log('warning', `Fail to fsync the AOF file: ${strerror(e)}`);
      }
    }
    this.closeFd();
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killRewrite();
    this.buf = '';
    this.unsubscribeFeed();
  }

  /**
   * SHUTDOWN / SIGTERM: stop a rewrite, then everything written reaches the disk. Returns false
   * (shutdown refused) while the first AOF is being written, unless forced.
   */
  prepareForShutdown(force: boolean): boolean {
    if (this.state === 'off') return true;
    if (this.rewrite !== null) {
      if (this.state === 'wait-rewrite') {
        if (!force) {
          this.server.log('warning', "Writing initial AOF, can't exit.");
          return false;
        }
        this.server.log('warning', 'Writing initial AOF. Exit anyway.');
      }
      this.server.log('warning', 'There is a child rewriting the AOF. Killing it!');
      this.killRewrite();
    }
    this.server.log('notice', 'Calling fsync() on the AOF file.');
    this.flush();
    if (this.fd < 0) return true;
    try {
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      this.server.log('warning', `Fail to fsync the AOF file: ${strerror(e)}`);
    }
    return true;
  }

  /** The server stops (library mode): like a shutdown, and the file is closed. */
  close(): void {
    if (!this.server.shuttingDown) this.prepareForShutdown(true);
    this.killRewrite();
    this.closeFd();
    this.unsubscribeFeed();
    this.state = 'off';
  }

  // ---------------------------------------------------------------- startup

  /**
   * Startup with appendonly yes: read the manifest, load the files, then open the INCR file
   * for appending (creating a BASE first for an empty AOF). Throws AofLoadError when the
   * server must not start.
   */
  loadAtStartup(): void {
    this.state = 'on';
    this.loadManifestFromDisk();
    const start = Date.now();
    const ret = this.loadFiles();
    if (ret === 'failed' || ret === 'open-err') throw new AofLoadError('AOF loading failed');
    if (ret !== 'not-exist') this.server.log('notice', `DB loaded from append only file: ${((Date.now() - start) / 1000).toFixed(3)} seconds`);
    this.openOnServerStart();
    this.deleteHistoryFiles();
    this.subscribe();
  }

  /** aofLoadManifestFromDisk: a missing directory or manifest means an empty manifest. */
  loadManifestFromDisk(): void {
    this.manifest = new AofManifest();
    const file = this.filePath(`${this.appendFilename}.manifest`);
    if (!fs.existsSync(this.dirPath()) || !fs.existsSync(file)) return;
    let text: string;
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch (e) {
      this.server.log('warning', `Fatal error: can't open the AOF manifest file ${file} for reading: ${strerror(e)}`);
      throw new AofLoadError('AOF manifest unreadable');
    }
    try {
      this.manifest = AofManifest.parse(text);
    } catch (e) {
      if (!(e instanceof AofManifestError)) throw e;
      this.server.log('warning', '\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
      if (e.line !== null) {
        this.server.log('warning', `Reading the manifest file, at line ${e.lineNo}\n`);
        this.server.log('warning', `>>> '${e.line}'\n`);
      }
      this.server.log('warning', `${e.reason}\n`);
      throw new AofLoadError(e.reason);
    }
  }

  /** aofOpenIfNeededOnServerStart */
  private openOnServerStart(): void {
    const dir = this.dirPath();
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      this.server.log('warning', `Can't open or create append-only dir ${this.cfg.str('appenddirname')}: ${strerror(e)}`);
      throw new AofLoadError('no AOF directory');
    }
    const hadIncr = this.manifest.incr.length > 0;
    if (this.manifest.isEmpty) this.createBaseNow();
    const name = this.manifest.lastIncr(this.appendFilename);
    try {
      this.fd = fs.openSync(this.filePath(name), 'a', 0o644);
    } catch (e) {
      this.server.log('warning', `Can't open the append-only file ${name}: ${strerror(e)}`);
      throw new AofLoadError('cannot open the AOF');
    }
    if (!this.persistManifest(this.manifest)) throw new AofLoadError('cannot write the AOF manifest');
    this.lastIncrSize = fileSize(this.filePath(name));
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.server.log('notice', `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
  }

  /** rewriteAppendOnlyFile at startup, synchronously, straight into a new BASE file. */
  private createBaseNow(): void {
    const name = this.manifest.newBase(this.appendFilename, this.cfg.bool('aof-use-rdb-preamble'));
    const snap = this.makeRewriteSnapshot(this.filePath(name));
    try {
      snap.runToEnd();
    } catch (e) {
      snap.cancel();
      this.server.log('warning', `Write error writing append only file on disk: ${strerror(e)}`);
      throw new AofLoadError('cannot create the AOF base');
    }
    this.server.log('notice', `Creating AOF base file ${name} on server start`);
    this.baseSize = fileSize(this.filePath(name));
    this.currentSize = this.baseSize;
  }

  // ---------------------------------------------------------------- loading

  /** loadAppendOnlyFiles: base then incr files, with Valkey's checks and messages. */
  loadFiles(): AofLoadResult {
    const m = this.manifest;
    this.upgradeOldAofIfNeeded(m);
    if (m.isEmpty) return 'not-exist';
    const files = [...(m.base ? [m.base] : []), ...m.incr];
    let total = 0;
    for (const ai of files) {
      const size = this.statSize(ai.name);
      if (size < 0) return 'failed';
      total += size;
    }
    if (total === 0) return 'empty';
    const server = this.server;
    server.loading = true;
    server.persistence.loadingStartTime = Math.floor(Date.now() / 1000);
    let ret: AofLoadResult = 'ok';
    try {
      for (let i = 0; i < files.length; i++) {
        const ai = files[i];
        const last = i === files.length - 1;
        const start = process.hrtime.bigint();
        ret = this.loadSingleFile(ai.name);
        if (ret === 'ok' || (ret === 'truncated' && last)) {
          const secs = Number(process.hrtime.bigint() - start) / 1e9;
          server.log('notice', `DB loaded from ${ai.type === 'b' ? 'base' : 'incr'} file ${ai.name}: ${secs.toFixed(3)} seconds`);
        }
        if (ret === 'empty' && ai.type === 'i') ret = 'ok';
        if (ret === 'truncated' && !last) {
          ret = 'failed';
          server.log('warning', 'Fatal error: the truncated file is not the last file');
        }
        if (ret === 'open-err' || ret === 'failed') return ret;
      }
    } finally {
      server.loading = false;
    }
    this.currentSize = total;
    this.baseSize = m.base ? Math.max(0, this.statSize(m.base.name)) : 0;
    return ret;
  }

  /** Size of a file of the AOF directory, -1 (logged) when it cannot be read. */
  private statSize(name: string): number {
    try {
      return fs.statSync(this.filePath(name)).size;
    } catch (e) {
      this.server.log('warning', `Unable to obtain the AOF file ${name} length. stat: ${strerror(e)}`);
      return -1;
    }
  }

  /**
   * An appendonly.aof from before multi-part AOF, in `dir`: move it into the directory as the
   * BASE (aofUpgradePrepare), in the three situations Valkey recognises.
   */
  private upgradeOldAofIfNeeded(m: AofManifest): void {
    const name = this.appendFilename;
    const old = path.resolve(this.cfg.str('dir') || '.', name);
    if (!fs.existsSync(old)) return;
    const dirExists = fs.existsSync(this.dirPath());
    const upgrade =
      !dirExists ||
      m.isEmpty ||
      (m.base !== null && m.incr.length === 0 && m.base.name === name && !fs.existsSync(this.filePath(name)));
    if (!upgrade) return;
    try {
      fs.mkdirSync(this.dirPath(), { recursive: true });
    } catch (e) {
      this.server.log('warning', `Can't open or create append-only dir ${this.cfg.str('appenddirname')}: ${strerror(e)}`);
      throw new AofLoadError('no AOF directory');
    }
    m.base = { name, seq: 1, type: 'b' };
    m.baseSeq = 1;
    if (!this.persistManifest(m)) throw new AofLoadError('cannot write the AOF manifest');
    try {
      fs.renameSync(old, this.filePath(name));
    } catch (e) {
      this.server.log('warning', `Error trying to move the old AOF file ${name} into dir ${this.cfg.str('appenddirname')}: ${strerror(e)}`);
      throw new AofLoadError('cannot move the old AOF');
    }
    this.server.log('notice', `Successfully migrated an old-style AOF file (${name}) into the AOF directory (${this.cfg.str('appenddirname')}).`);
  }

  /** loadSingleAppendOnlyFile */
  loadSingleFile(name: string): AofLoadResult {
    const file = this.filePath(name);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.server.log('warning', `The append log file ${name} doesn't exist: ${strerror(e)}`);
        return 'not-exist';
      }
      this.server.log('warning', `Fatal error: can't open the append log file ${name} for reading: ${strerror(e)}`);
      return 'open-err';
    }
    if (buf.length === 0) return 'empty';
    let start = 0;
    if (isRdb(buf)) {
      const oldStyle = name === this.appendFilename;
      this.server.log('notice', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
      try {
        start = this.loadRdbPart(buf);
      } catch (e) {
        if (!(e instanceof RdbLoadError)) throw e;
        this.server.log('warning', e.message);
        this.server.log('warning', oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`);
        return 'failed';
      }
      if (oldStyle) this.server.log('notice', 'Reading the remaining AOF tail...');
    }
    return this.replay(name, file, buf, start);
  }

  /** An RDB base (or preamble) straight into the databases; returns where it ends. */
  private loadRdbPart(buf: Buffer): number {
    const server = this.server;
    const now = Date.now();
    const lfu = server.config.str('maxmemory-policy').includes('lfu');
    let cur: Database | null = server.dbs[0] ?? null;
    let loaded = 0;
    const res = loadRdbBuffer(
      buf,
      {
        aux: (k, v) => {
          if (k === 'aof-base' && v !== '0') server.log('notice', 'RDB is base AOF');
        },
        selectDb: (id) => {
          if (id >= server.dbs.length) throw new RdbLoadError(`FATAL: Data file was created with a Valkey server configured to handle more than ${server.dbs.length} databases. Exiting`);
          cur = server.dbs[id];
        },
        resizeDb: () => {},
        // An AOF preamble keeps keys whose time has passed: the AOF's DELs decide (RDBFLAGS_AOF_PREAMBLE).
        key: (key, value, expireMs, idle, freq) => {
          if (!cur) throw new RdbLoadError('key before any database selection');
          if (cur.data.has(key)) throw new RdbLoadError(`Duplicate key '${key}' found in RDB file`);
          cur.load(key, value);
          if (expireMs >= 0) cur.setExpire(key, expireMs);
          if (freq >= 0 && lfu) cur.setMeta(key, lfuWithCounter(freq, now));
          else if (idle >= 0) cur.setMeta(key, Math.max(0, server.ctx.lruClock() - idle));
          loaded++;
        },
      },
      { strictVersion: server.config.str('rdb-version-check') !== 'relaxed', checksum: server.config.bool('rdbchecksum'), now, deepSanitize: false, limits: typeLimits(server) },
    );
    server.log('notice', `Done loading RDB, keys loaded: ${loaded}, keys expired: 0.`);
    return res.end;
  }

  /** Run the commands of `buf` from `start` through a fake client, as Valkey's loader does. */
  private replay(name: string, file: string, buf: Buffer, start: number): AofLoadResult {
    const server = this.server;
    const c = server.newFakeClient();
    // Obeyed like the primary's stream (no limits, every field visible), and never answered.
    c.flags |= CF_PRIMARY | CF_FAKE;
    c.reply.muted = 1;
    const reader = new AofReader(buf, start);
    let validUpTo = start;
    let validBeforeMulti = start;
    const truncatedOk = server.config.bool('aof-load-truncated');
    const ctx = server.ctx;
    const saved = { ignored: ctx.expiryIgnored, disabled: ctx.expiryDisabledForWrites, inExec: server.blocking.inExec };
    ctx.expiryIgnored = true;
    ctx.expiryDisabledForWrites = true;
    // The AOF client never blocks (CLIENT_DENY_BLOCKING): blocking commands act as in EXEC.
    server.blocking.inExec = true;
    this.replaying = true;
    try {
      for (;;) {
        const r = reader.next();
        if (r === 'eof') break;
        if (r === 'short') return this.unexpectedEof(name, file, validUpTo, truncatedOk);
        if (r === 'format') {
          server.log('warning', `Bad file format reading the append only file ${name}: ${FIX_HINT}`);
          return 'failed';
        }
        const cmd = lookup(server, r);
        if (cmd === null) {
          server.log('warning', `Unknown command '${r[0]}' reading the append only file ${name}`);
          return 'failed';
        }
        if (cmd.name === 'multi') validBeforeMulti = validUpTo;
        runLoadedCommand(server, c, cmd, r);
        if (truncatedOk) validUpTo = reader.pos;
      }
      if (c.flags & CF_MULTI) {
        server.log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
        return this.unexpectedEof(name, file, validBeforeMulti, truncatedOk);
      }
      return 'ok';
    } finally {
      this.replaying = false;
      ctx.expiryIgnored = saved.ignored;
      ctx.expiryDisabledForWrites = saved.disabled;
      server.blocking.inExec = saved.inExec;
      c.multiQueue = [];
      c.flags &= ~CF_MULTI;
    }
  }

  /** A torn tail: truncate it (aof-load-truncated yes) or refuse to load. */
  private unexpectedEof(name: string, file: string, validUpTo: number, truncatedOk: boolean): AofLoadResult {
    const log = (m: string) => this.server.log('warning', m);
    if (truncatedOk) {
      log(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      log(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
      try {
        fs.truncateSync(file, validUpTo);
        log(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
        return 'truncated';
      } catch (e) {
        log(`Error truncating the AOF file ${name}: ${strerror(e)}`);
      }
    }
    log(
      `Unexpected end of file reading the append only file ${name}. You can: ` +
        `1) Make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>. ` +
        `2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
    );
    return 'failed';
  }

  /**
   * DEBUG LOADAOF: flush what is pending, empty the dataset and load the AOF again. Returns
   * false unless it loaded cleanly (a missing or truncated AOF too, as in Valkey); the dataset
   * is then what was loaded so far.
   */
  debugLoad(): boolean {
    const server = this.server;
    if (this.state === 'on') this.flush();
    for (const db of server.dbs) {
      server.watchers.touchAllInDb(db);
      server.blocking.signalFlushedDb(db);
      db.flush();
    }
    try {
      this.loadManifestFromDisk();
      this.deleteHistoryFiles();
      const ret = this.loadFiles();
      return ret === 'ok' || ret === 'empty';
    } catch (e) {
      if (e instanceof AofLoadError) return false;
      throw e;
    }
  }
}

// ---------------------------------------------------------------- loader helpers

/** "REDIS" or "VALKEY" magic: an RDB base file or an old-style RDB preamble. */
function isRdb(buf: Buffer): boolean {
  const head = buf.latin1Slice(0, Math.min(6, buf.length));
  return head.startsWith('REDIS') || head === 'VALKEY';
}

function lookup(server: Server, argv: string[]): Command | null {
  const base = server.lookupCommand(argv[0]);
  if (base === undefined) return null;
  if (base.subcommands === null || argv.length < 2) return base;
  return base.subcommands.get(argv[1].toLowerCase()) ?? null;
}

/**
 * One command of the file, on the AOF client: queued inside MULTI, otherwise run with its
 * effects grouped as one unit. Replies are dropped; the client never stays blocked.
 */
function runLoadedCommand(server: Server, c: Client, cmd: Command, argv: string[]): void {
  if (c.flags & CF_MULTI && cmd.name !== 'exec' && cmd.name !== 'discard') {
    c.multiQueue.push({ cmd, argv });
    return;
  }
  const ctx = server.ctx;
  ctx.now = server.cachedNow = Date.now();
  c.cmd = cmd;
  c.argv = argv;
  c.propagateArgv = argv;
  server.propagation.begin();
  try {
    cmd.handler!(c, argv);
  } finally {
    server.propagation.end();
  }
  c.reply.truncate(0);
  if (c.flags & CF_BLOCKED) server.blocking.unblock(c, false);
}

/**
 * Reads commands the way Valkey's loader does with fgets()/fread(): `*<argc>` lines, `$<len>`
 * lines, payloads and CRLFs; `#` lines are annotations. Returns an argv, 'eof' at a clean end,
 * 'short' for a torn command and 'format' for anything else.
 */
class AofReader {
  constructor(private readonly buf: Buffer, public pos: number) {}

  /** fgets(): up to and including '\n', at most LINE_MAX - 1 bytes; null at end of file. */
  private line(): string | null {
    const b = this.buf;
    if (this.pos >= b.length) return null;
    const limit = Math.min(b.length, this.pos + LINE_MAX - 1);
    let end = b.indexOf(10, this.pos);
    end = end < 0 || end >= limit ? limit : end + 1;
    const s = b.latin1Slice(this.pos, end);
    this.pos = end;
    return s;
  }

  next(): string[] | 'eof' | 'short' | 'format' {
    let head: string | null;
    do {
      head = this.line();
      if (head === null) return 'eof';
    } while (head[0] === '#');
    if (head[0] !== '*') return 'format';
    if (head.length === 1) return 'short';
    const argc = atoi(head.slice(1));
    if (argc < 1) return 'format';
    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      const l = this.line();
      if (l === null) return 'short';
      if (l[0] !== '$') return 'format';
      const len = atoi(l.slice(1));
      if (this.pos + len > this.buf.length) return 'short';
      argv.push(this.buf.latin1Slice(this.pos, this.pos + len));
      this.pos += len;
      if (this.pos + 2 > this.buf.length) return 'short';
      this.pos += 2;
    }
    return argv;
  }
}

function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
