// Keyspace notifications: the one hook every command uses (notify-keyspace-events).
//
// Classes: g generic, $ string, l list, s set, h hash, z zset, x expired, e evicted, t stream,
// m key-miss, d module, n new key; A is "g$lshzxetd"; K and E choose the __keyspace@<db>__:<key>
// and __keyevent@<db>__:<event> channels. The config layer stores the value as NOTIFY_* flags.

import type { Server } from '../server/server';
import {
  keyspaceEventsStringToFlags,
  keyspaceEventsFlagsToString,
  NOTIFY_KEYSPACE,
  NOTIFY_KEYEVENT,
  NOTIFY_GENERIC,
  NOTIFY_STRING,
  NOTIFY_LIST,
  NOTIFY_SET,
  NOTIFY_HASH,
  NOTIFY_ZSET,
  NOTIFY_EXPIRED,
  NOTIFY_EVICTED,
  NOTIFY_STREAM,
  NOTIFY_KEY_MISS,
  NOTIFY_MODULE,
  NOTIFY_NEW,
} from '../server/configTable';

/** Parse a notify-keyspace-events value as Valkey does; null if a character is not a class. */
export function parseNotifyFlags(s: string): number | null {
  const flags = keyspaceEventsStringToFlags(s);
  return flags < 0 ? null : flags;
}

/** The canonical text of notify-keyspace-events flags (what CONFIG GET prints). */
export function notifyFlagsToString(flags: number): string {
  return keyspaceEventsFlagsToString(flags);
}

/** Class letter -> flag bit, for the letters commands pass to notify(). */
const CLASS_BITS: Record<string, number> = {
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

export class Notifier {
  /** NOTIFY_* flags in force */
  private flags = 0;
  /** false when nothing can ever be published: the common case, checked first */
  private active = false;

  constructor(private readonly server: Server) {
    this.setFlags(server.config.num('notify-keyspace-events'));
    server.config.onChange('notify-keyspace-events', (value) => {
      this.setFlags(value as number);
      return null;
    });
  }

  setFlags(flags: number): void {
    this.flags = flags;
    this.active = (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0 && (flags & ~(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0;
  }

  get enabled(): boolean {
    return this.active;
  }

  /** Is a class (by letter) being published? Lets callers skip building costly events. */
  wants(cls: string): boolean {
    return this.active && (this.flags & (CLASS_BITS[cls] ?? 0)) !== 0;
  }

  notify(cls: string, event: string, key: string, dbid: number): void {
    if (!this.active) return;
    const flags = this.flags;
    if (!(flags & (CLASS_BITS[cls] ?? 0))) return;
    const ps = this.server.pubsub;
    if (flags & NOTIFY_KEYSPACE) ps.publish(`__keyspace@${dbid}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) ps.publish(`__keyevent@${dbid}__:${event}`, key);
  }
}
