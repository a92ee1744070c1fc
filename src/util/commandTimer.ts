// Monotonic timestamps for command durations (commandstats usec, SLOWLOG, LATENCY).
//
// A clock read costs 70-100 ns on the VMs Fjord is measured on (no fast vDSO clock), as much as
// running PING itself. So while a client's input batch is processed, consecutive commands share
// their boundary reading: a command starts when the previous one ended. The time between two
// commands of a batch (parsing the next one) is real work done for it, so it is counted in.

import { performance } from 'node:perf_hooks';

export class CommandTimer {
  /** end of the previous command of the current batch, -1 before the first one */
  private mark = -1;
  private chained = false;

  /** A batch of commands begins (its first command reads its own start). */
  beginBatch(): void {
    this.mark = -1;
    this.chained = true;
  }

  /** Outside a batch every command reads its own start. */
  endBatch(): void {
    this.chained = false;
  }

  /** Start of a command, in ms. */
  start(): number {
    return this.chained && this.mark >= 0 ? this.mark : performance.now();
  }

  /** End of a command, in ms; inside a batch it is also the next command's start. */
  stop(): number {
    const t = performance.now();
    this.mark = t;
    return t;
  }
}
