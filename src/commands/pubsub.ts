// Pub/Sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB.
//
// The subscription state and message delivery live in src/server/pubsub.ts. Every
// (un)subscription is confirmed with [kind, name, count] where count is the client's number of
// channel + pattern subscriptions, or of shard channels for the S- commands. In RESP3 the
// confirmations are push frames, and RESP2 restrictions on subscribed clients are in dispatch.

import type { CommandDef } from './table';
import { ks } from './table';
import { type Client, CF_MULTI } from '../server/client';
import { replyHelp, subcommandSyntaxError } from './util';

function subscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    ps.subscribe(c, argv[i]);
    ps.confirm(c, 'subscribe', argv[i], c.subscriptionCount);
  }
  ps.markPubSub(c);
}

function psubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    ps.psubscribe(c, argv[i]);
    ps.confirm(c, 'psubscribe', argv[i], c.subscriptionCount);
  }
  ps.markPubSub(c);
}

function ssubscribe(c: Client, argv: string[]): void {
  // Inside EXEC the client may not block, and a shard subscription counts as blocking.
  if (c.flags & CF_MULTI) {
    c.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    ps.subscribe(c, argv[i], true);
    ps.confirm(c, 'ssubscribe', argv[i], c.shardChannels.size);
  }
  ps.markPubSub(c);
}

function unsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.channels];
  for (const ch of names) {
    ps.unsubscribe(c, ch);
    ps.confirm(c, 'unsubscribe', ch, c.subscriptionCount);
  }
  // A mass unsubscribe with nothing to drop still gets one confirmation, with a null name.
  if (names.length === 0) ps.confirm(c, 'unsubscribe', null, c.subscriptionCount);
  ps.unmarkIfIdle(c);
}

function punsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.patterns];
  for (const p of names) {
    ps.punsubscribe(c, p);
    ps.confirm(c, 'punsubscribe', p, c.subscriptionCount);
  }
  if (names.length === 0) ps.confirm(c, 'punsubscribe', null, c.subscriptionCount);
  ps.unmarkIfIdle(c);
}

function sunsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.shardChannels];
  for (const ch of names) {
    ps.unsubscribe(c, ch, true);
    ps.confirm(c, 'sunsubscribe', ch, c.shardChannels.size);
  }
  if (names.length === 0) ps.confirm(c, 'sunsubscribe', null, c.shardChannels.size);
  ps.unmarkIfIdle(c);
}

/** PUBLISH / SPUBLISH: deliver, then (standalone) send the command on to replicas. */
function publishGeneric(c: Client, argv: string[], shard: boolean): void {
  const server = c.server;
  const receivers = server.pubsub.publish(argv[1], argv[2], shard);
  // Replicas get the message too, so their subscribers see it; it changes no data (no dirty).
  if (!server.config.bool('cluster-enabled')) server.propagation.add(c.db.id, argv);
  c.reply.int(receivers);
}

function publish(c: Client, argv: string[]): void {
  publishGeneric(c, argv, false);
}

function spublish(c: Client, argv: string[]): void {
  publishGeneric(c, argv, true);
}

// ------------------------------------------------------------------ PUBSUB

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern] */
function channelList(c: Client, argv: string[], shard: boolean): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  c.reply.bulkArray(c.server.pubsub.activeChannels(shard, argv.length === 3 ? argv[2] : null));
}

/** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: channel, count pairs (a flat array in RESP3 too). */
function numsub(c: Client, argv: string[], shard: boolean): void {
  const ps = c.server.pubsub;
  c.reply.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]);
    c.reply.int(ps.subscriberCount(argv[i], shard));
  }
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

const PUBSUB_FLAGS = ['pubsub', 'loading', 'stale'];

const pubsubSubcommands: CommandDef[] = [
  {
    name: 'channels', arity: -2, flags: PUBSUB_FLAGS, acl: [], handler: (c, argv) => channelList(c, argv, false),
    summary: 'Lists the channels that have at least one subscriber.', since: '2.8.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
    args: [{ name: 'pattern', type: 'pattern', optional: true }],
  },
  {
    name: 'numpat', arity: 2, flags: PUBSUB_FLAGS, acl: [], handler: (c) => c.reply.int(c.server.pubsub.patterns.size),
    summary: 'Returns how many distinct patterns have subscribers.', since: '2.8.0', group: 'pubsub', complexity: 'O(1)',
  },
  {
    name: 'numsub', arity: -2, flags: PUBSUB_FLAGS, acl: [], handler: (c, argv) => numsub(c, argv, false),
    summary: 'Returns the number of subscribers of channels.', since: '2.8.0', group: 'pubsub',
    complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
    args: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'shardchannels', arity: -2, flags: PUBSUB_FLAGS, acl: [], handler: (c, argv) => channelList(c, argv, true),
    summary: 'Lists the shard channels that have at least one subscriber.', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
    args: [{ name: 'pattern', type: 'pattern', optional: true }],
  },
  {
    name: 'shardnumsub', arity: -2, flags: PUBSUB_FLAGS, acl: [], handler: (c, argv) => numsub(c, argv, true),
    summary: 'Returns the number of subscribers of shard channels.', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
    args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], handler: (c) => replyHelp(c, 'pubsub', PUBSUB_HELP),
    summary: 'Returns helpful text about the different subcommands.', since: '6.2.0', group: 'pubsub', complexity: 'O(1)',
  },
];

const SUBSCRIBE_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'];

export const pubsubCommands: CommandDef[] = [
  {
    name: 'subscribe', arity: -2, flags: SUBSCRIBE_FLAGS, acl: [], handler: subscribe,
    summary: 'Starts listening to messages published to channels.', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    args: [{ name: 'channel', type: 'string', multiple: true }],
  },
  {
    name: 'psubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, acl: [], handler: psubscribe,
    summary: 'Starts listening to messages published to channels matching patterns.', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of patterns to subscribe to.',
    args: [{ name: 'pattern', type: 'pattern', multiple: true }],
  },
  {
    name: 'ssubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, acl: [], handler: ssubscribe,
    keySpecs: [ks.rest(1, 1, 'NOT_KEY')],
    summary: 'Starts listening to messages published to shard channels.', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    args: [{ name: 'shardchannel', type: 'string', multiple: true }],
  },
  {
    name: 'unsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, acl: [], handler: unsubscribe,
    summary: 'Stops listening to messages posted to channels.', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of channels to unsubscribe.',
    args: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'punsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, acl: [], handler: punsubscribe,
    summary: 'Stops listening to messages published to channels matching patterns.', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of patterns to unsubscribe.',
    args: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
  },
  {
    name: 'sunsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, acl: [], handler: sunsubscribe,
    keySpecs: [ks.rest(1, 1, 'NOT_KEY')],
    summary: 'Stops listening to messages posted to shard channels.', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of shard channels to unsubscribe.',
    args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], acl: [], handler: publish,
    summary: 'Posts a message to a channel.', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    args: [{ name: 'channel', type: 'string' }, { name: 'message', type: 'string' }],
  },
  {
    name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], acl: [], handler: spublish,
    keySpecs: [ks.one(1, 'NOT_KEY')],
    summary: 'Posts a message to a shard channel.', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    args: [{ name: 'shardchannel', type: 'string' }, { name: 'message', type: 'string' }],
  },
  {
    name: 'pubsub', arity: -2, flags: [], acl: [],
    summary: 'A container for Pub/Sub commands.', since: '2.8.0', group: 'pubsub', complexity: 'Depends on subcommand.',
    subcommands: pubsubSubcommands,
  },
];
