// CLIENT PAUSE / UNPAUSE: postpone commands (all, or only those that may write) until a
// deadline, then run them in the order they arrived.

import type { Server } from './server';
import { type Client, CF_BLOCKED, CF_MULTI, CF_REPLICA, CF_PRIMARY } from './client';
import { type Command, CMD_WRITE, CMD_MAY_REPLICATE } from '../commands/table';

interface Postponed {
  kind: 'postponed';
  cmd: Command;
  argv: string[];
}

export class Pause {
  /** 'none' | 'write' | 'all' */
  mode: 'none' | 'write' | 'all' = 'none';
  /** ms timestamp the pause ends */
  end = 0;
  private postponed: Client[] = [];

  constructor(private readonly server: Server) {}

  /** A new pause keeps the stricter action and the later deadline of the two. */
  pause(mode: 'write' | 'all', endMs: number): void {
    if (this.mode !== 'all') this.mode = mode;
    if (endMs > this.end) this.end = endMs;
  }

  writesPaused(): boolean {
    return this.mode !== 'none' && this.server.cachedNow < this.end;
  }

  get pausedActions(): string {
    return this.mode === 'all' ? 'all' : this.mode === 'write' ? 'write' : 'none';
  }

  shouldPostpone(c: Client, cmd: Command, argv: string[]): boolean {
    if (this.mode === 'none') return false;
    if (c.flags & (CF_REPLICA | CF_PRIMARY)) return false;
    // The cached time may be from before this packet arrived: read the clock while paused.
    this.server.cachedNow = Date.now();
    if (this.server.cachedNow >= this.end) {
      this.unpause();
      return false;
    }
    let hit = this.mode === 'all';
    if (!hit) {
      if (c.flags & CF_MULTI) {
        // Queued commands wait for EXEC; EXEC waits if anything queued may write.
        hit = cmd.name === 'exec' && c.multiQueue.some((q) => (q.cmd.flagBits & (CMD_WRITE | CMD_MAY_REPLICATE)) !== 0);
      } else {
        hit = (cmd.flagBits & (CMD_WRITE | CMD_MAY_REPLICATE)) !== 0;
      }
    }
    // CLIENT UNPAUSE itself (and the commands a paused admin needs) must still run.
    if (cmd.fullName === 'client|unpause') hit = false;
    if (!hit) return false;
    c.flags |= CF_BLOCKED;
    c.blocked = { kind: 'postponed', cmd, argv } as Postponed;
    this.postponed.push(c);
    return true;
  }

  unpause(): void {
    this.mode = 'none';
    this.end = 0;
    const list = this.postponed;
    this.postponed = [];
    for (const c of list) {
      const p = c.blocked as Postponed | null;
      c.flags &= ~CF_BLOCKED;
      c.blocked = null;
      if (!p || !this.server.clients.has(c.id)) continue;
      this.server.cachedNow = Date.now();
      this.server.processCommand(c, p.argv);
      c.processInput();
    }
  }

  forget(c: Client): void {
    this.postponed = this.postponed.filter((x) => x !== c);
  }

  get postponedCount(): number {
    return this.postponed.length;
  }

  cron(): void {
    if (this.mode !== 'none' && this.server.cachedNow >= this.end) this.unpause();
  }
}
