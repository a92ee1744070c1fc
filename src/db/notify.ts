// Keyspace notifications: the one hook every command uses (notify-keyspace-events).
// Classes: g generic, $ string, l list, s set, h hash, z zset, x expired, e evicted,
// t stream, m key-miss, d module, n new key; K and E select keyspace/keyevent channels.

import type { Server } from '../server/server';

export class Notifier {
  /** parsed notify-keyspace-events: the enabled class letters, plus K and E */
  private flags = '';
  private keyspace = false;
  private keyevent = false;

  constructor(private readonly server: Server) {
    this.configure(server.config.str('notify-keyspace-events'));
  }

  /** Apply a notify-keyspace-events value (already validated by the config layer). */
  configure(value: string): void {
    let f = value.replace(/A/g, 'g$lshzxetd');
    this.keyspace = f.includes('K');
    this.keyevent = f.includes('E');
    f = f.replace(/[KE]/g, '');
    this.flags = f;
  }

  get enabled(): boolean {
    return (this.keyspace || this.keyevent) && this.flags.length > 0;
  }

  notify(cls: string, event: string, key: string, dbid: number): void {
    if (!(this.keyspace || this.keyevent)) return;
    if (!this.flags.includes(cls)) return;
    const ps = this.server.pubsub;
    if (this.keyspace) ps.publish(`__keyspace@${dbid}__:${key}`, event);
    if (this.keyevent) ps.publish(`__keyevent@${dbid}__:${event}`, key);
  }
}
