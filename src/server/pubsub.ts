// Pub/Sub state: channel and pattern subscriptions (global and shard), and delivery of
// messages and subscription confirmations as RESP2 arrays or RESP3 push frames.
//
// Push data bypasses CLIENT REPLY OFF/SKIP (as Valkey's "pushing" flag does). A push for the
// client whose command is running (PUBLISH to a channel it listens to, a keyspace event of
// its own write) is held back until that command's reply is written, so it never lands inside
// a reply (an EXEC array, say); the SUBSCRIBE family is exempt, its confirmations are its reply.

import type { Server } from './server';
import { type Client, CF_PUBSUB } from './client';
import { stringMatch } from '../util/glob';
import { encodeBulk } from '../protocol/reply';

const MESSAGE = encodeBulk('message');
const PMESSAGE = encodeBulk('pmessage');
const SMESSAGE = encodeBulk('smessage');

/** Commands whose reply is made of push frames. */
const PUSH_AS_REPLY = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();
  /** clients with at least one subscription of any kind (INFO pubsub_clients) */
  pubsubClients = 0;
  /** the client whose top-level command is running (set by dispatch) */
  current: Client | null = null;
  /** pushes held back for `current`, written after its command's reply */
  private deferred: { c: Client; data: string }[] = [];

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

  /** Drop every subscription silently (client freed, RESET). */
  unsubscribeAll(c: Client): void {
    for (const ch of c.channels) removeFrom(this.channels, ch, c);
    for (const p of c.patterns) removeFrom(this.patterns, p, c);
    for (const ch of c.shardChannels) removeFrom(this.shardChannels, ch, c);
    c.channels.clear();
    c.patterns.clear();
    c.shardChannels.clear();
    this.unmarkIfIdle(c);
  }

  /** The client entered pub/sub mode (after a SUBSCRIBE-family command). */
  markPubSub(c: Client): void {
    if (c.flags & CF_PUBSUB) return;
    c.flags |= CF_PUBSUB;
    this.pubsubClients++;
  }

  /** Leave pub/sub mode once nothing is subscribed any more. */
  unmarkIfIdle(c: Client): void {
    if (!(c.flags & CF_PUBSUB) || c.inPubSubMode) return;
    c.flags &= ~CF_PUBSUB;
    this.pubsubClients--;
  }

  /** Deliver a message; returns the number of receivers (PUBLISH's reply). */
  publish(channel: string, message: string, shard = false): number {
    let receivers = 0;
    const subs = (shard ? this.shardChannels : this.channels).get(channel);
    if (subs !== undefined) {
      const body = (shard ? SMESSAGE : MESSAGE) + encodeBulk(channel) + encodeBulk(message);
      for (const c of subs) {
        this.push(c, (c.reply.resp === 3 ? '>3\r\n' : '*3\r\n') + body);
        receivers++;
      }
    }
    if (shard || this.patterns.size === 0) return receivers;
    let tail: string | null = null;
    for (const [pattern, clients] of this.patterns) {
      if (!stringMatch(pattern, channel, false)) continue;
      if (tail === null) tail = encodeBulk(channel) + encodeBulk(message);
      const body = PMESSAGE + encodeBulk(pattern) + tail;
      for (const c of clients) {
        this.push(c, (c.reply.resp === 3 ? '>4\r\n' : '*4\r\n') + body);
        receivers++;
      }
    }
    return receivers;
  }

  /**
   * A subscription confirmation: [kind, name or null, count], e.g. ["subscribe", "news", 1]
   * or ["unsubscribe", null, 0] when a mass unsubscribe had nothing to drop.
   */
  confirm(c: Client, kind: string, name: string | null, count: number): void {
    const head = c.reply.resp === 3 ? '>3\r\n' : '*3\r\n';
    const nameBulk = name === null ? (c.reply.resp === 3 ? '_\r\n' : '$-1\r\n') : encodeBulk(name);
    this.push(c, head + encodeBulk(kind) + nameBulk + ':' + count + '\r\n');
  }

  /** Append push data to a client's output (or hold it until its running command replied). */
  push(c: Client, data: string): void {
    if (c === this.current && (c.cmd === null || !PUSH_AS_REPLY.has(c.cmd.name))) {
      this.deferred.push({ c, data });
      return;
    }
    writePush(c, data);
    this.server.markPendingWrite(c);
  }

  /** End of a top-level command: write the pushes held back for its client. */
  afterCommand(): void {
    this.current = null;
    if (this.deferred.length === 0) return;
    const held = this.deferred;
    this.deferred = [];
    for (const { c, data } of held) {
      writePush(c, data);
      this.server.markPendingWrite(c);
    }
  }

  /** Channels (or shard channels) with at least one subscriber, optionally matching a pattern. */
  activeChannels(shard: boolean, pattern: string | null): string[] {
    const out: string[] = [];
    for (const ch of (shard ? this.shardChannels : this.channels).keys()) {
      if (pattern === null || stringMatch(pattern, ch, false)) out.push(ch);
    }
    return out;
  }

  subscriberCount(channel: string, shard: boolean): number {
    return (shard ? this.shardChannels : this.channels).get(channel)?.size ?? 0;
  }

  /** Channels with at least one subscriber (INFO pubsub_channels). */
  get channelCount(): number {
    return this.channels.size;
  }
}

/** Push data ignores CLIENT REPLY OFF/SKIP, but not other muting (replies to a primary). */
export function writePush(c: Client, data: string): void {
  const r = c.reply;
  const replyModeMute = c.replyMode !== 'on' ? 1 : 0;
  if (r.muted > 0 && r.muted === replyModeMute) {
    r.muted = 0;
    r.raw(data);
    r.muted = replyModeMute;
  } else {
    r.raw(data);
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
