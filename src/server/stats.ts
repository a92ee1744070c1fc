// Server-wide counters reported by INFO stats / errorstats, and the instantaneous metrics.

const SAMPLES = 16;

export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  totalErrorReplies = 0;
  clientQueryBufferLimitDisconnections = 0;
  clientOutputBufferLimitDisconnections = 0;
  unexpectedErrorReplies = 0;
  syncFull = 0;
  aclAuthDeniedCount = 0;
  /** error code -> count (INFO errorstats) */
  errorCodes = new Map<string, number>();
  // instantaneous metrics: ring buffers sampled by the cron every 100ms
  private lastSampleTime = 0;
  private lastCommands = 0;
  private lastNetIn = 0;
  private lastNetOut = 0;
  private opsSamples: number[] = [];
  private inSamples: number[] = [];
  private outSamples: number[] = [];

  countError(msg: string): void {
    this.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    // Valkey caps the number of distinct error codes tracked at 128.
    if (!this.errorCodes.has(code) && this.errorCodes.size >= 128) return;
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  sampleInstantaneous(now: number): void {
    if (now - this.lastSampleTime < 100) return;
    const dt = this.lastSampleTime === 0 ? 0 : now - this.lastSampleTime;
    if (dt > 0) {
      push(this.opsSamples, ((this.totalCommandsProcessed - this.lastCommands) * 1000) / dt);
      push(this.inSamples, (this.netInputBytes - this.lastNetIn) / dt);
      push(this.outSamples, (this.netOutputBytes - this.lastNetOut) / dt);
    }
    this.lastSampleTime = now;
    this.lastCommands = this.totalCommandsProcessed;
    this.lastNetIn = this.netInputBytes;
    this.lastNetOut = this.netOutputBytes;
  }

  get instantaneousOps(): number {
    return Math.round(avg(this.opsSamples));
  }
  /** kilobytes per second */
  get instantaneousInputKbps(): number {
    return avg(this.inSamples);
  }
  get instantaneousOutputKbps(): number {
    return avg(this.outSamples);
  }

  reset(): void {
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.clientQueryBufferLimitDisconnections = 0;
    this.clientOutputBufferLimitDisconnections = 0;
    this.unexpectedErrorReplies = 0;
    this.syncFull = 0;
    this.errorCodes.clear();
  }
}

function push(a: number[], v: number): void {
  a.push(v);
  if (a.length > SAMPLES) a.shift();
}

function avg(a: number[]): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}
