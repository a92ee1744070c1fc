// COMMANDLOG (and SLOWLOG, its "slow" view): the commands that were slow, or had a large
// request or reply. Entries keep at most 32 arguments of at most 128 bytes each, as Valkey.

import type { Client } from './client';
import type { Config } from './config';

export type CommandLogType = 'slow' | 'large-request' | 'large-reply';

export const COMMANDLOG_TYPES: readonly CommandLogType[] = ['slow', 'large-request', 'large-reply'];

export interface CommandLogEntry {
  id: number;
  /** unix time in seconds when the entry was logged */
  time: number;
  /** microseconds for slow, bytes for the large-* logs */
  value: number;
  argv: string[];
  peer: string;
  name: string;
}

const MAX_ARGC = 32;
const MAX_ARGLEN = 128;
const REDACTED = '(redacted)';

/** Config names of each log: threshold and max length. */
const CONFIG: Record<CommandLogType, [string, string]> = {
  slow: ['commandlog-execution-slower-than', 'commandlog-slow-execution-max-len'],
  'large-request': ['commandlog-request-larger-than', 'commandlog-large-request-max-len'],
  'large-reply': ['commandlog-reply-larger-than', 'commandlog-large-reply-max-len'],
};

/** Thresholds and lengths of the three logs, read from config once per change (hot path). */
interface LogSettings {
  threshold: number;
  maxLen: number;
}

export class CommandLog {
  /** newest entry first */
  readonly logs: Record<CommandLogType, CommandLogEntry[]> = { slow: [], 'large-request': [], 'large-reply': [] };
  private nextId: Record<CommandLogType, number> = { slow: 0, 'large-request': 0, 'large-reply': 0 };
  private settings: Record<CommandLogType, LogSettings> = {
    slow: { threshold: -1, maxLen: 0 },
    'large-request': { threshold: -1, maxLen: 0 },
    'large-reply': { threshold: -1, maxLen: 0 },
  };

  constructor(private readonly config: Config) {
    this.refresh();
    const refresh = () => {
      this.refresh();
      return null;
    };
    for (const type of COMMANDLOG_TYPES) for (const name of CONFIG[type]) config.onChange(name, refresh);
  }

  /** Re-read the settings; a lowered max length applies right away. */
  private refresh(): void {
    for (const type of COMMANDLOG_TYPES) {
      const [thresholdName, maxLenName] = CONFIG[type];
      this.settings[type] = { threshold: this.config.num(thresholdName), maxLen: this.config.num(maxLenName) };
    }
    this.trim();
  }

  /** Called after every command with its duration and reply size. */
  record(c: Client, argv: string[], usec: number, replyBytes: number): void {
    const st = this.settings;
    if (usec >= st.slow.threshold && this.enabled(st.slow)) this.add('slow', c, argv, usec);
    const req = st['large-request'];
    if (this.enabled(req) && mayReach(argv, req.threshold)) {
      const bytes = requestBytes(argv);
      if (bytes >= req.threshold) this.add('large-request', c, argv, bytes);
    }
    if (replyBytes >= st['large-reply'].threshold && this.enabled(st['large-reply'])) this.add('large-reply', c, argv, replyBytes);
  }

  /** Valkey logs nothing while a log is disabled (negative threshold or zero max length). */
  private enabled(s: LogSettings): boolean {
    return s.threshold >= 0 && s.maxLen > 0;
  }

  private add(type: CommandLogType, c: Client, argv: string[], value: number): void {
    const log = this.logs[type];
    log.unshift({
      id: this.nextId[type]++,
      time: Math.floor(Date.now() / 1000),
      value,
      argv: this.loggedArgv(argv),
      peer: c.addr,
      name: c.name,
    });
    const maxLen = this.settings[type].maxLen;
    if (log.length > maxLen) log.length = maxLen;
  }

  /** Entries newest first; count -1 (or more than there are) gives them all. */
  get(type: CommandLogType, count: number): CommandLogEntry[] {
    const log = this.logs[type];
    return count < 0 || count >= log.length ? log : log.slice(0, count);
  }

  len(type: CommandLogType): number {
    return this.logs[type].length;
  }

  reset(type: CommandLogType): void {
    this.logs[type] = [];
  }

  /** Apply a smaller max length right away. */
  trim(): void {
    for (const type of COMMANDLOG_TYPES) {
      const maxLen = this.config.num(CONFIG[type][1]);
      if (this.logs[type].length > maxLen) this.logs[type].length = maxLen;
    }
  }

  /** The argv as stored: secrets redacted, long arguments and long argument lists cut. */
  private loggedArgv(argv: string[]): string[] {
    const redact = this.redactedPositions(argv);
    const n = Math.min(argv.length, MAX_ARGC);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      if (n < argv.length && i === n - 1) {
        out.push(`... (${argv.length - MAX_ARGC + 1} more arguments)`);
        break;
      }
      const a = argv[i];
      if (redact !== null && redact.has(i)) out.push(REDACTED);
      else out.push(a.length > MAX_ARGLEN ? `${a.slice(0, MAX_ARGLEN)}... (${a.length - MAX_ARGLEN} more bytes)` : a);
    }
    return out;
  }

  /** CONFIG SET of a sensitive parameter (requirepass, primaryauth...) hides its value. */
  private redactedPositions(argv: string[]): Set<number> | null {
    if (argv.length < 4 || argv[0].toLowerCase() !== 'config' || argv[1].toLowerCase() !== 'set') return null;
    const out = new Set<number>();
    for (let i = 2; i + 1 < argv.length; i += 2) {
      if (this.config.isSensitive(argv[i])) out.add(i + 1);
    }
    return out;
  }
}

/** Cheap upper bound check: could this request be `threshold` bytes on the wire? */
function mayReach(argv: string[], threshold: number): boolean {
  let size = 16 * (argv.length + 1);
  for (let i = 0; i < argv.length && size < threshold; i++) size += argv[i].length;
  return size >= threshold;
}

/** What the command took on the wire as a RESP multibulk (Valkey's net_input_bytes_curr_cmd). */
function requestBytes(argv: string[]): number {
  let size = 3 + String(argv.length).length;
  for (let i = 0; i < argv.length; i++) {
    const len = argv[i].length;
    size += 5 + String(len).length + len;
  }
  return size;
}
