// Monotonic timestamps for command durations (commandstats usec, SLOWLOG, LATENCY), and the
// wall-clock time each command runs at (expiry decisions, TTLs).
//
// A clock read costs 70-100 ns on the VMs Fjord is measured on, as much as running PING itself.
// So while a client's input batch is processed, consecutive commands share their boundary
// reading: a command starts when the previous one ended. The time between two commands of a
// batch (parsing the next one) is real work done for it, so it is counted in. The wall clock is
// read once per batch, at its first command; later commands of the batch add the monotonic time
// elapsed since. Date.now() truncates to the millisecond, so the derived time runs behind the
// true time by up to a millisecond (as Date.now() itself does), ahead of it by at most the few
// microseconds between the two clock reads, and the next batch's own reading is not behind it.

import { performance } from 'node:perf_hooks';

export class CommandTimer {
  /** end of the previous command of the current batch, -1 before the first one */
  private mark = -1;
  private chained = false;
  /** Date.now() and the monotonic time it was read at, for the current batch; wall -1: not read */
  private wallAnchor = -1;
  private monoAnchor = 0;

  /** A batch of commands begins (its first command reads its own start). */
  beginBatch(): void {
    this.mark = -1;
    this.chained = true;
    this.wallAnchor = -1;
  }

  /** Outside a batch every command reads its own start. */
  endBatch(): void {
    this.chained = false;
  }

  /** Start of a command, in ms. */
  start(): number {
    return this.chained && this.mark >= 0 ? this.mark : performance.now();
  }

  /** Wall-clock ms (as Date.now()) at `t`, a start() of the current batch. */
  wallTime(t: number): number {
    if (!this.chained) return Date.now();
    if (this.wallAnchor < 0) {
      this.wallAnchor = Date.now();
      this.monoAnchor = t;
    }
    return Math.floor(this.wallAnchor + Math.max(0, t - this.monoAnchor));
  }

  /** End of a command, in ms; inside a batch it is also the next command's start. */
  stop(): number {
    const t = performance.now();
    this.mark = t;
    return t;
  }
}
