// Pub/Sub state: channel and pattern subscriptions (global and shard), and message delivery
// as RESP2 arrays or RESP3 push frames.

import type { Server } from './server';
import type { Client } from './client';
import { stringMatch } from '../util/glob';
import { encodeBulk } from '../protocol/reply';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  constructor(private readonly server: Server) {}

  subscribe(c: Client, channel: string, shard = false): boolean {
    const own = shard ? c.shardChannels : c.channels;
    if (own.has(channel)) return false;
    own.add(channel);
    addTo(shard ? this.shardChannels : this.channels, channel, c);
    return true;
  }

  unsubscribe(c: Client, channel: string, shard = false): boolean {
    const own = shard ? c.shardChannels : c.channels;
    if (!own.delete(channel)) return false;
    removeFrom(shard ? this.shardChannels : this.channels, channel, c);
    return true;
  }

  psubscribe(c: Client, pattern: string): boolean {
    if (c.patterns.has(pattern)) return false;
    c.patterns.add(pattern);
    addTo(this.patterns, pattern, c);
    return true;
  }

  punsubscribe(c: Client, pattern: string): boolean {
    if (!c.patterns.delete(pattern)) return false;
    removeFrom(this.patterns, pattern, c);
    return true;
  }

  unsubscribeAll(c: Client): void {
    for (const ch of c.channels) removeFrom(this.channels, ch, c);
    for (const p of c.patterns) removeFrom(this.patterns, p, c);
    for (const ch of c.shardChannels) removeFrom(this.shardChannels, ch, c);
    c.channels.clear();
    c.patterns.clear();
    c.shardChannels.clear();
  }

  /** Deliver a message; returns the number of receivers (PUBLISH's reply). */
  publish(channel: string, message: string, shard = false): number {
    let receivers = 0;
    const server = this.server;
    const subs = (shard ? this.shardChannels : this.channels).get(channel);
    if (subs !== undefined && subs.size > 0) {
      const body = (shard ? encodeBulk('smessage') : encodeBulk('message')) + encodeBulk(channel) + encodeBulk(message);
      for (const c of subs) {
        c.reply.raw((c.reply.resp === 3 ? '>3\r\n' : '*3\r\n') + body);
        server.markPendingWrite(c);
        receivers++;
      }
    }
    if (!shard && this.patterns.size > 0) {
      const tail = encodeBulk(channel) + encodeBulk(message);
      for (const [pattern, clients] of this.patterns) {
        if (!stringMatch(pattern, channel, false)) continue;
        const body = encodeBulk('pmessage') + encodeBulk(pattern) + tail;
        for (const c of clients) {
          c.reply.raw((c.reply.resp === 3 ? '>4\r\n' : '*4\r\n') + body);
          server.markPendingWrite(c);
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** Total number of channel subscriptions with at least one client (INFO pubsub_channels). */
  get channelCount(): number {
    return this.channels.size;
  }
}

function addTo(map: Map<string, Set<Client>>, name: string, c: Client): void {
  let set = map.get(name);
  if (!set) {
    set = new Set();
    map.set(name, set);
  }
  set.add(c);
}

function removeFrom(map: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(c);
  if (set.size === 0) map.delete(name);
}
