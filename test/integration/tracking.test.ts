// Client-side caching: CLIENT TRACKING (default, BCAST, OPTIN/OPTOUT, NOLOOP, REDIRECT), CLIENT
// CACHING / GETREDIR / TRACKINGINFO, invalidation push frames (RESP3) and __redis__:invalidate
// messages (RESP2 redirect), FLUSH nulls, expiry, tracking-table-max-keys, broken redirects,
// CLIENT LIST flags and INFO fields; real clients (node-redis client-side cache, ioredis) and
// scripted sequences whose every frame is compared with the reference redis-server.

import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient, BasicClientSideCache } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer, type Tagged } from '../helpers';

let srv: RunningServer;
/** a plain RESP2 client for writes made "by someone else" */
let other: RawClient;
/** connections opened by a test, closed after it */
let opened: RawClient[] = [];

before(async () => {
  srv = await startFjord({ hz: 50 });
  other = await RawClient.connect(srv.port);
});

after(async () => {
  other.close();
  await srv.stop();
});

beforeEach(async () => {
  for (const k of opened) k.close();
  opened = [];
  for (let i = 0; i < 200 && srv.server.tracking.clients > 0; i++) await sleep(5);
  await other.call('FLUSHALL');
  await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
});

async function connect(resp: 2 | 3 = 2): Promise<RawClient> {
  const k = await RawClient.connect(srv.port);
  opened.push(k);
  if (resp === 3) await k.call('HELLO', '3');
  return k;
}

function push(...items: unknown[]): Tagged {
  return { type: 'push', value: items };
}

function set(...items: unknown[]): Tagged {
  return { type: 'set', value: items };
}

async function clientId(k: RawClient): Promise<number> {
  return (await k.call('CLIENT', 'ID')) as number;
}

/** A subscriber (RESP2) to __redis__:invalidate, and its id for REDIRECT. */
async function invalidationSubscriber(): Promise<{ sub: RawClient; id: number }> {
  const sub = await connect();
  const id = await clientId(sub);
  assert.deepEqual(await sub.call('SUBSCRIBE', '__redis__:invalidate'), ['subscribe', '__redis__:invalidate', 1]);
  return { sub, id };
}

/** Nothing more arrives on k: a PING comes back as the very next frame. */
async function assertNothingPending(k: RawClient, pong: unknown = 'PONG'): Promise<void> {
  assert.deepEqual(await k.call('PING'), pong);
}

describe('CLIENT TRACKING options and errors', () => {
  test('syntax, mode and redirect errors', async () => {
    const k = await connect();
    const cases: [string[], string][] = [
      [['ON', 'PREFIX', 'a'], 'ERR PREFIX option requires BCAST mode to be enabled'],
      [['ON', 'BCAST', 'OPTIN'], 'ERR OPTIN and OPTOUT are not compatible with BCAST'],
      [['ON', 'BCAST', 'OPTOUT'], 'ERR OPTIN and OPTOUT are not compatible with BCAST'],
      [['ON', 'OPTIN', 'OPTOUT'], "ERR You can't specify both OPTIN mode and OPTOUT mode"],
      [['ON', 'REDIRECT', '999999'], 'ERR The client ID you want redirect to does not exist'],
      [['ON', 'REDIRECT', '0'], 'ERR The client ID you want redirect to does not exist'],
      [['ON', 'REDIRECT', '-1'], 'ERR The client ID you want redirect to does not exist'],
      [['ON', 'REDIRECT', 'x'], 'ERR value is not an integer or out of range'],
      [['OFF', 'REDIRECT', '999999'], 'ERR The client ID you want redirect to does not exist'],
      [['MAYBE'], 'ERR syntax error'],
      [['ON', 'FOO'], 'ERR syntax error'],
      [['ON', 'PREFIX'], 'ERR syntax error'],
      [['ON', 'REDIRECT'], 'ERR syntax error'],
      [['ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'], "ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single client must not overlap."],
      // Valkey rejects an overlap at any position (Redis 7.0 enabled tracking after the error).
      [['ON', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b', 'PREFIX', 'bc'], "ERR Prefix 'b' overlaps with another provided prefix 'bc'. Prefixes for a single client must not overlap."],
      [['ON', 'BCAST', 'PREFIX', '', 'PREFIX', 'foo'], "ERR Prefix '' overlaps with another provided prefix 'foo'. Prefixes for a single client must not overlap."],
    ];
    for (const [args, err] of cases) {
      assert.deepEqual(await k.call('CLIENT', 'TRACKING', ...args), { error: err }, args.join(' '));
    }
    // None of the failures enabled anything.
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['off'], 'redirect', -1, 'prefixes', []]);
    const id = await clientId(other);
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id, 'REDIRECT', id), { error: 'ERR A client can only redirect to a single other client' });
    assert.deepEqual(await k.call('CLIENT', 'TRACKING'), { error: "ERR wrong number of arguments for 'client|tracking' command" });
  });

  test('switching modes while tracking is on is refused', async () => {
    const k = await connect();
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'OPTIN'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON', 'OPTOUT'), {
      error: "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    });
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST'), {
      error: "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    });
    // Re-enabling with compatible options replaces them.
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'NOLOOP'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'noloop'], 'redirect', 0, 'prefixes', []]);
    assert.equal(await k.call('CLIENT', 'TRACKING', 'OFF'), 'OK');
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'foo', 'PREFIX', 'bar'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON'), {
      error: "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    });
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'fo'), {
      error: "ERR Prefix 'fo' overlaps with an existing prefix 'foo'. Prefixes for a single client must not overlap.",
    });
    assert.deepEqual(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'barb'), {
      error: "ERR Prefix 'barb' overlaps with an existing prefix 'bar'. Prefixes for a single client must not overlap.",
    });
    // Adding prefixes works; TRACKINGINFO lists them in byte order.
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'baz'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'bcast'], 'redirect', 0, 'prefixes', ['bar', 'baz', 'foo']]);
    assert.equal(await k.call('CLIENT', 'TRACKING', 'OFF'), 'OK');
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'bcast'], 'redirect', 0, 'prefixes', ['']]);
  });

  test('CLIENT CACHING errors and TRACKINGINFO caching flags', async () => {
    const k = await connect();
    const notTracking = { error: 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled' };
    assert.deepEqual(await k.call('CLIENT', 'CACHING', 'yes'), notTracking);
    assert.deepEqual(await k.call('CLIENT', 'CACHING', 'maybe'), notTracking);
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'CACHING', 'yes'), { error: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.' });
    assert.deepEqual(await k.call('CLIENT', 'CACHING', 'no'), { error: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.' });
    assert.deepEqual(await k.call('CLIENT', 'CACHING', 'maybe'), { error: 'ERR syntax error' });
    await k.call('CLIENT', 'TRACKING', 'OFF');
    await k.call('CLIENT', 'TRACKING', 'ON', 'OPTIN');
    assert.equal(await k.call('CLIENT', 'CACHING', 'YES'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'optin', 'caching-yes'], 'redirect', 0, 'prefixes', []]);
    // TRACKINGINFO was "the next command": the flag is gone now.
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'optin'], 'redirect', 0, 'prefixes', []]);
    await k.call('CLIENT', 'TRACKING', 'OFF');
    await k.call('CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    assert.equal(await k.call('CLIENT', 'CACHING', 'no'), 'OK');
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), ['flags', ['on', 'optout', 'caching-no'], 'redirect', 0, 'prefixes', []]);
    assert.deepEqual(await k.call('CLIENT', 'CACHING'), { error: "ERR wrong number of arguments for 'client|caching' command" });
  });

  test('GETREDIR and TRACKINGINFO in RESP3 (map with a set of flags)', async () => {
    const k = await connect(3);
    const id = await clientId(other);
    assert.equal(await k.call('CLIENT', 'GETREDIR'), -1);
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON'), 'OK');
    assert.equal(await k.call('CLIENT', 'GETREDIR'), 0);
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id, 'NOLOOP'), 'OK');
    assert.equal(await k.call('CLIENT', 'GETREDIR'), id);
    assert.deepEqual(await k.call('CLIENT', 'TRACKINGINFO'), {
      type: 'map',
      value: ['flags', set('on', 'noloop'), 'redirect', id, 'prefixes', []],
    });
    assert.equal(await k.call('CLIENT', 'TRACKING', 'OFF'), 'OK');
    assert.equal(await k.call('CLIENT', 'GETREDIR'), -1);
  });
});

describe('default mode invalidation', () => {
  test('RESP3: a read key is invalidated once, on the same connection', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await other.call('SET', 'key1', '1');
    assert.equal(await k.call('GET', 'key1'), '1');
    await other.call('SET', 'key1', '2');
    assert.deepEqual(await k.read(), push('invalidate', ['key1']));
    // Forgotten after the first invalidation: a second change says nothing.
    await other.call('SET', 'key1', '3');
    await assertNothingPending(k);
    // Only keys that were read are tracked.
    await other.call('SET', 'unread', '1');
    await assertNothingPending(k);
  });

  test('own writes are invalidated after the reply, also inside MULTI/EXEC', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('HSET', 'myhash', 'f', '1');
    await k.call('HGET', 'myhash', 'f');
    assert.equal(await k.call('HDEL', 'myhash', 'f'), 1);
    assert.deepEqual(await k.read(), push('invalidate', ['myhash']));
    await k.call('MSET', 'a', '1', 'b', '2');
    await k.call('GET', 'a');
    await k.call('MULTI');
    await k.call('INCR', 'a');
    await k.call('GET', 'b');
    assert.deepEqual(await k.call('EXEC'), [2, '2']);
    assert.deepEqual(await k.read(), push('invalidate', ['a']));
    await assertNothingPending(k);
  });

  test('NOLOOP: no invalidation for the client\'s own writes', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'NOLOOP');
    await k.call('MGET', 'other1', 'loop', 'other2');
    await other.call('SET', 'other1', '1');
    assert.deepEqual(await k.read(), push('invalidate', ['other1']));
    assert.equal(await k.call('SET', 'loop', '1'), 'OK');
    await other.call('SET', 'other2', '1');
    assert.deepEqual(await k.read(), push('invalidate', ['other2']));
    await assertNothingPending(k);
    // The key it changed itself was forgotten all the same.
    await other.call('SET', 'loop', '2');
    await assertNothingPending(k);
  });

  test('OPTIN tracks only after CLIENT CACHING yes, for the next command only', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await k.call('GET', 'k1');
    await k.call('CLIENT', 'CACHING', 'yes');
    await k.call('GET', 'k2');
    await k.call('GET', 'k3');
    await other.call('MSET', 'k1', 'x', 'k2', 'x', 'k3', 'x');
    assert.deepEqual(await k.read(), push('invalidate', ['k2']));
    await assertNothingPending(k);
    // Inside MULTI the flag lasts for the whole transaction.
    await k.call('CLIENT', 'CACHING', 'yes');
    await k.call('MULTI');
    await k.call('GET', 't1');
    await k.call('GET', 't2');
    await k.call('EXEC');
    await k.call('GET', 't3');
    await other.call('MSET', 't1', 'x', 't2', 'x', 't3', 'x');
    assert.deepEqual(await k.read(), push('invalidate', ['t1']));
    assert.deepEqual(await k.read(), push('invalidate', ['t2']));
    await assertNothingPending(k);
  });

  test('OPTOUT tracks unless CLIENT CACHING no', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    await k.call('CLIENT', 'CACHING', 'no');
    await k.call('GET', 'k1');
    await k.call('GET', 'k2');
    await other.call('MSET', 'k1', 'x', 'k2', 'x');
    assert.deepEqual(await k.read(), push('invalidate', ['k2']));
    await assertNothingPending(k);
  });

  test('RESP2 with REDIRECT to a subscriber gets __redis__:invalidate messages', async () => {
    const { sub, id } = await invalidationSubscriber();
    const k = await connect();
    assert.equal(await k.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', id), 'OK');
    await k.call('SET', 'a', '1');
    await k.call('SET', 'b', '1');
    await k.call('GET', 'a');
    await k.call('INCR', 'b'); // never read: not reported
    await k.call('INCR', 'a');
    assert.deepEqual(await sub.read(), ['message', '__redis__:invalidate', ['a']]);
    // FLUSHALL: a RESP2 null ($-1) for "every key".
    await k.call('GET', 'a');
    await other.call('FLUSHALL');
    assert.deepEqual(await sub.read(), ['message', '__redis__:invalidate', null]);
    assert.ok(sub.pending().length === 0);
    assert.deepEqual(await sub.call('PING'), ['pong', '']);
  });

  test('RESP2 without redirect: nothing can be sent, nothing breaks', async () => {
    const k = await connect();
    assert.equal(await k.call('CLIENT', 'TRACKING', 'ON'), 'OK');
    await k.call('GET', 'x');
    await other.call('SET', 'x', '1');
    await assertNothingPending(k);
    assert.equal(srv.server.tracking.totalKeys, 0);
  });

  test('redirect to a RESP3 client is a push there', async () => {
    const target = await connect(3);
    const id = await clientId(target);
    const k = await connect();
    await k.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    await k.call('GET', 'key1');
    await other.call('SET', 'key1', '1');
    assert.deepEqual(await target.read(), push('invalidate', ['key1']));
    await assertNothingPending(k);
  });

  test('invalidations reach a connection with CLIENT REPLY OFF', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('GET', 'foo');
    const self = srv.server.clients.get(await clientId(k))!;
    k.send('CLIENT', 'REPLY', 'OFF');
    for (let i = 0; i < 400 && self.replyMode !== 'off'; i++) await sleep(5);
    assert.equal(self.replyMode, 'off');
    await other.call('SET', 'foo', 'bar');
    assert.deepEqual(await k.read(), push('invalidate', ['foo']));
    assert.equal(await k.call('CLIENT', 'REPLY', 'ON'), 'OK');
    await assertNothingPending(k);
  });

  test('broken redirect: tracking-redir-broken push, flags and TRACKINGINFO', async () => {
    const target = await connect();
    const id = await clientId(target);
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    await k.call('GET', 'key1');
    assert.equal(await target.call('QUIT'), 'OK');
    await target.waitClose();
    await other.call('SET', 'key1', '2');
    assert.deepEqual(await k.read(), push('tracking-redir-broken', id));
    const info = (await k.call('CLIENT', 'TRACKINGINFO')) as Tagged;
    assert.deepEqual(info.value, ['flags', set('on', 'broken_redirect'), 'redirect', id, 'prefixes', []]);
    const line = (await k.call('CLIENT', 'INFO')) as Tagged;
    assert.match(String(line.value), / flags=tR /);
    assert.match(String(line.value), new RegExp(` redir=${id} `));
  });

  test('switching from default to BCAST forgets the keys read before', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('GET', 'key1');
    await k.call('CLIENT', 'TRACKING', 'OFF');
    await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'zzz');
    await other.call('SET', 'key1', '1');
    await assertNothingPending(k);
  });

  test('keys read before turning tracking off and on again are still reported', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('GET', 'key1');
    await k.call('CLIENT', 'TRACKING', 'OFF');
    await other.call('SET', 'key1', '1');
    await assertNothingPending(k);
    await k.call('GET', 'key2');
    await k.call('CLIENT', 'TRACKING', 'ON');
    await other.call('SET', 'key2', '1');
    await assertNothingPending(k); // read while off: not tracked
  });

  test('FLUSHDB sends a null to every tracking client; the own one after the reply', async () => {
    const k = await connect(3);
    const bc = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await bc.call('CLIENT', 'TRACKING', 'ON', 'BCAST');
    await k.call('SET', 'a', '1');
    await k.call('GET', 'a');
    assert.deepEqual(await bc.read(), push('invalidate', ['a']));
    await k.call('MULTI');
    await k.call('FLUSHDB');
    assert.deepEqual(await k.call('EXEC'), ['OK']);
    assert.deepEqual(await k.read(), push('invalidate', null));
    assert.deepEqual(await bc.read(), push('invalidate', null));
    assert.equal(srv.server.tracking.totalKeys, 0);
  });

  test('expired keys are invalidated: lazily after the reply, and by the active cycle', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await k.call('MSET', 'x', '1', 'y', '2');
      await k.call('PEXPIRE', 'y', '50');
      await k.call('GET', 'y');
      await sleep(150);
      assert.deepEqual(await k.call('MGET', 'x', 'y'), ['1', null]);
      assert.deepEqual(await k.read(), push('invalidate', ['y']));
    } finally {
      await k.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
    await k.call('SET', 'z', '1', 'PX', '50');
    await k.call('GET', 'z');
    assert.deepEqual(await k.read(3000), push('invalidate', ['z']));
  });

  test('an evicted key is invalidated before the reply of the command that evicted it', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    await other.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-random');
    try {
      await k.call('SETEX', 'volatile-key', '10000', 'x');
      assert.equal(await k.call('GET', 'volatile-key'), 'x');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      k.send('SET', 'y', '1');
      assert.deepEqual(await k.read(), push('invalidate', ['volatile-key']));
      assert.deepEqual(await k.read(), { error: "OOM command not allowed when used memory > 'maxmemory'." });
      assert.equal(await other.call('EXISTS', 'volatile-key'), 0);
    } finally {
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
      await other.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
  });

  test('a blocked client served later gets its invalidation after the reply', async () => {
    const k = await connect(3);
    await other.call('RPUSH', 'list2', 'a');
    await k.call('CLIENT', 'TRACKING', 'ON');
    await k.call('LRANGE', 'list2', '0', '-1');
    k.send('BLMOVE', 'list1', 'list2', 'LEFT', 'LEFT', '0');
    for (let i = 0; i < 200 && srv.server.blocking.totalBlockingKeys === 0; i++) await sleep(5);
    await other.call('RPUSH', 'list1', 'foo');
    assert.equal(await k.read(), 'foo');
    assert.deepEqual(await k.read(), push('invalidate', ['list2']));
  });

  test('tracking-table-max-keys evicts tracked keys with invalidations', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON');
    for (let i = 0; i < 250; i++) k.send('GET', `key${i}`);
    for (let i = 0; i < 250; i++) await k.read();
    assert.equal(srv.server.tracking.totalKeys, 250);
    await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '1');
    // The cron gets there in two rounds (effort 100, then 200).
    const seen = new Set<string>();
    while (seen.size < 249) {
      const m = (await k.read(3000)) as Tagged;
      assert.equal(m.type, 'push');
      seen.add(((m.value as unknown[])[1] as string[])[0]);
    }
    assert.equal(srv.server.tracking.totalKeys, 1);
    await assertNothingPending(k);
  });

  test('the limit applies before a command, even one queued in MULTI', async () => {
    const k = await connect(3);
    await other.call('DEBUG', 'PAUSE-CRON', '1');
    try {
      await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '2');
      await k.call('CLIENT', 'TRACKING', 'ON');
      await k.call('MGET', '1{tag}', '2{tag}');
      await k.call('MULTI');
      await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '1');
      k.send('PING');
      k.send('EXEC');
      const first = (await k.read()) as Tagged;
      assert.equal(first.type, 'push');
      assert.equal((first.value as unknown[])[0], 'invalidate');
      assert.equal(await k.read(), 'QUEUED');
      assert.deepEqual(await k.read(), ['PONG']);
    } finally {
      await other.call('DEBUG', 'PAUSE-CRON', '0');
    }
  });
});

describe('BCAST mode', () => {
  test('prefixes: one message per prefix, keys batched per event-loop turn', async () => {
    const { sub, id } = await invalidationSubscriber();
    const k = await connect();
    await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', id, 'PREFIX', 'b:', 'PREFIX', 'a:');
    await k.call('MULTI');
    for (const key of ['a:2', 'b:1', 'a:1', 'b:2', 'c:1']) await k.call('INCR', key);
    await k.call('EXEC');
    assert.deepEqual(await sub.read(), ['message', '__redis__:invalidate', ['a:1', 'a:2']]);
    assert.deepEqual(await sub.read(), ['message', '__redis__:invalidate', ['b:1', 'b:2']]);
    // Adding a prefix.
    await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', id, 'PREFIX', 'c:');
    await k.call('INCR', 'c:1234');
    assert.deepEqual(await sub.read(), ['message', '__redis__:invalidate', ['c:1234']]);
    assert.deepEqual(await sub.call('PING'), ['pong', '']);
  });

  test('NOLOOP skips keys the client itself changed last', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP');
    await other.call('SET', 'otherkey1', '1');
    assert.deepEqual(await k.read(), push('invalidate', ['otherkey1']));
    await k.call('SET', 'loopkey', '1');
    await other.call('SET', 'otherkey2', '1');
    assert.deepEqual(await k.read(), push('invalidate', ['otherkey2']));
    await assertNothingPending(k);
  });

  test('NOLOOP still reports a key of its own that expired (active and lazy expiry)', async () => {
    const k = await connect(3);
    await k.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP');
    await k.call('SET', 'mykey', 'myval', 'PX', '30');
    await k.call('SET', 'mykeyotherkey', 'myval');
    assert.deepEqual(await k.read(3000), push('invalidate', ['mykey']));
    await assertNothingPending(k);
    await k.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await k.call('SET', 'lazy', 'myval', 'PX', '30');
      await sleep(100);
      assert.equal(await k.call('GET', 'lazy'), null);
      assert.deepEqual(await k.read(), push('invalidate', ['lazy']));
    } finally {
      await k.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
    await assertNothingPending(k);
  });
});

describe('introspection', () => {
  test('INFO tracking fields and CLIENT LIST flags', async () => {
    const k = await connect(3);
    const bc = await connect();
    const id = await clientId(other);
    await k.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    await k.call('GET', 'key1');
    await k.call('GET', 'key2');
    await bc.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'prefix:');
    const info = String(((await other.call('INFO')) as string));
    assert.match(info, /\r\ntracking_clients:2\r\n/);
    assert.match(info, /\r\ntracking_total_keys:2\r\n/);
    assert.match(info, /\r\ntracking_total_items:2\r\n/);
    assert.match(info, /\r\ntracking_total_prefixes:1\r\n/);
    const list = String(await other.call('CLIENT', 'LIST'));
    const kId = await clientId(k);
    const bcId = await clientId(bc);
    assert.match(list, new RegExp(`id=${kId} .* flags=t .* redir=${id} `));
    assert.match(list, new RegExp(`id=${bcId} .* flags=tB .* redir=0 `));
    assert.match(String(await other.call('CLIENT', 'LIST', 'FLAGS', 'B')), new RegExp(`^id=${bcId} `));
    // RESET turns tracking off.
    assert.equal(await bc.call('RESET'), 'RESET');
    assert.match(String(await other.call('INFO', 'stats')), /\r\ntracking_total_prefixes:0\r\n/);
    assert.match(String(await other.call('INFO', 'clients')), /\r\ntracking_clients:1\r\n/);
    // A disconnect too.
    k.close();
    for (let i = 0; i < 200 && srv.server.tracking.clients > 0; i++) await sleep(5);
    assert.match(String(await other.call('INFO', 'clients')), /\r\ntracking_clients:0\r\n/);
  });
});

describe('real clients', () => {
  test('node-redis client-side cache is invalidated by writes from another client', async () => {
    const cache = new BasicClientSideCache({ maxEntries: 100 });
    const cached = createClient({ url: `redis://127.0.0.1:${srv.port}`, RESP: 3, clientSideCache: cache });
    const writer = createClient({ url: `redis://127.0.0.1:${srv.port}` });
    await cached.connect();
    await writer.connect();
    try {
      await writer.set('csc', 'v1');
      assert.equal(await cached.get('csc'), 'v1');
      assert.equal(await cached.get('csc'), 'v1');
      assert.equal(cache.stats().hitCount, 1);
      assert.equal(cache.size(), 1);
      await writer.set('csc', 'v2');
      for (let i = 0; i < 400 && cache.size() > 0; i++) await sleep(5);
      assert.equal(cache.size(), 0);
      assert.equal(await cached.get('csc'), 'v2');
      // FLUSHALL empties the whole cache (a null invalidation).
      await cached.get('csc');
      assert.equal(cache.size(), 1);
      await writer.flushAll();
      for (let i = 0; i < 400 && cache.size() > 0; i++) await sleep(5);
      assert.equal(cache.size(), 0);
    } finally {
      cached.destroy();
      writer.destroy();
    }
  });

  test('ioredis: RESP2 tracking redirected to a subscriber', async () => {
    const sub = new Redis(srv.port, { lazyConnect: true, protocol: 2 });
    const reader = new Redis(srv.port, { lazyConnect: true, protocol: 2 });
    const writer = new Redis(srv.port, { lazyConnect: true, protocol: 2 });
    await Promise.all([sub.connect(), reader.connect(), writer.connect()]);
    try {
      const subId = (await sub.client('ID')) as number;
      const messages: unknown[] = [];
      sub.on('message', (channel: string, message: unknown) => messages.push([channel, message]));
      await sub.subscribe('__redis__:invalidate');
      assert.equal(await reader.client('TRACKING', 'ON', 'REDIRECT', subId), 'OK');
      assert.equal(await reader.client('GETREDIR'), subId);
      await writer.set('io', '1');
      assert.equal(await reader.get('io'), '1');
      await writer.set('io', '2');
      for (let i = 0; i < 400 && messages.length === 0; i++) await sleep(5);
      // ioredis hands over the key array as the message's text.
      assert.deepEqual(messages, [['__redis__:invalidate', 'io']]);
    } finally {
      sub.disconnect();
      reader.disconnect();
      writer.disconnect();
    }
  });

  test('ioredis RESP3: invalidation pushes on the connection do not disturb its replies', async () => {
    const tracked = new Redis(srv.port, { lazyConnect: true });
    await tracked.connect();
    try {
      assert.equal(await tracked.client('TRACKING', 'ON'), 'OK');
      for (let i = 0; i < 5; i++) {
        assert.equal(await tracked.get('io3'), i === 0 ? null : String(i));
        await other.call('SET', 'io3', String(i + 1));
      }
      assert.deepEqual(await tracked.mget('io3', 'nope'), ['5', null]);
      assert.equal(srv.server.tracking.totalKeys, 2);
    } finally {
      tracked.disconnect();
    }
  });
});

// ---------------------------------------------------------------- differential

type Step = { c: string; args: string[] } | { sleep: number };

/**
 * Run a script of commands over named connections and return, per connection, every frame it
 * received in order (replies and pushes). `{id:name}` in an argument is the id of that
 * connection; ids in GETREDIR / TRACKINGINFO / redir-broken frames are mapped back to names.
 */
async function runScript(port: number, names: string[], steps: Step[]): Promise<Record<string, unknown[]>> {
  const conns = new Map<string, RawClient>();
  const ids = new Map<number, string>();
  const byName = new Map<string, number>();
  const out: Record<string, unknown[]> = {};
  for (const n of names) {
    const k = await RawClient.connect(port);
    conns.set(n, k);
    const id = (await k.call('CLIENT', 'ID')) as number;
    ids.set(id, n);
    byName.set(n, id);
    out[n] = [];
  }
  const closed = new Set<string>();
  const mapIds = (v: unknown): unknown => (typeof v === 'number' && ids.has(v) ? `id:${ids.get(v)}` : v);
  try {
    for (const step of steps) {
      if ('sleep' in step) {
        await sleep(step.sleep);
        continue;
      }
      const k = conns.get(step.c)!;
      const args = step.args.map((a) => a.replace(/\{id:(\w+)\}/g, (_, n: string) => String(byName.get(n))));
      k.send(...args);
      const verb = args[0].toUpperCase();
      if (verb === 'SUBSCRIBE' || (verb === 'CLIENT' && /^REPLY$/i.test(args[1]) && /^(OFF|SKIP)$/i.test(args[2]))) {
        if (verb === 'SUBSCRIBE') out[step.c].push(await k.read());
        continue;
      }
      // Read up to this command's reply (pushes first).
      for (;;) {
        let frame = await k.read();
        const tagged = frame as Tagged;
        if (verb === 'HELLO' && tagged?.type !== 'push') frame = 'HELLO-REPLY';
        if (tagged?.type === 'push') {
          const items = tagged.value as unknown[];
          frame = { type: 'push', value: items[0] === 'tracking-redir-broken' ? [items[0], mapIds(items[1])] : items };
        } else if (verb === 'CLIENT' && /^GETREDIR$/i.test(args[1])) {
          frame = mapIds(frame);
        } else if (verb === 'CLIENT' && /^TRACKINGINFO$/i.test(args[1])) {
          const m = frame as Tagged | unknown[];
          const flat = Array.isArray(m) ? m : (m.value as unknown[]);
          frame = flat.map((x) => mapIds(x));
        }
        out[step.c].push(frame);
        if (tagged?.type !== 'push' || verb === 'SUBSCRIBE') break;
      }
      if (verb === 'QUIT') {
        await k.waitClose();
        closed.add(step.c);
      }
    }
    // Drain: whatever is still to come arrives before the reply to a final PING.
    await sleep(30);
    for (const n of names) {
      if (closed.has(n)) continue;
      const k = conns.get(n)!;
      k.send('PING');
      for (;;) {
        const frame = await k.read();
        out[n].push(frame);
        if (frame === 'PONG' || (Array.isArray(frame) && frame[0] === 'pong')) break;
      }
    }
  } finally {
    for (const k of conns.values()) k.close();
  }
  return out;
}

const cmd = (c: string, ...args: string[]): Step => ({ c, args });

/** Option errors, each on a fresh connection (Valkey-only differences are left out). */
const ERROR_CASES: string[][] = [
  ['ON', 'PREFIX', 'a'],
  ['ON', 'BCAST', 'OPTIN'],
  ['ON', 'OPTIN', 'OPTOUT'],
  ['ON', 'BCAST', 'OPTIN', 'OPTOUT', 'PREFIX', 'x'],
  ['ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
  ['ON', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'ab'],
  ['ON', 'REDIRECT', '999999'],
  ['ON', 'REDIRECT', '0'],
  ['ON', 'REDIRECT', '1x'],
  ['ON', 'REDIRECT', '999999', 'FOO'],
  ['ON', 'FOO', 'REDIRECT', '999999'],
  ['OFF', 'REDIRECT', '999999'],
  ['OFF', 'FOO'],
  ['MAYBE'],
  ['MAYBE', 'BCAST'],
  ['ON', 'PREFIX'],
  ['on', 'bcast', 'noloop', 'prefix', 'p'],
];

const SCRIPTS: Record<string, { names: string[]; steps: Step[] }> = {
  'RESP3 default mode, own writes, NOLOOP, FLUSHALL': {
    names: ['r', 'w'],
    steps: [
      cmd('r', 'HELLO', '3'),
      cmd('r', 'CLIENT', 'TRACKING', 'on'),
      cmd('w', 'MSET', 'k1', 'a', 'k2', 'b'),
      cmd('r', 'MGET', 'k1', 'k2', 'k3'),
      cmd('w', 'SET', 'k1', 'x'),
      cmd('w', 'DEL', 'k2', 'k3'),
      cmd('r', 'GET', 'k1'),
      cmd('r', 'SET', 'k1', 'own'),
      cmd('r', 'HSET', 'h', 'f', 'v'),
      cmd('r', 'HGETALL', 'h'),
      cmd('r', 'MULTI'),
      cmd('r', 'HSET', 'h', 'f', 'v2'),
      cmd('r', 'HGET', 'h', 'f'),
      cmd('r', 'EXEC'),
      cmd('r', 'CLIENT', 'TRACKING', 'on', 'NOLOOP'),
      cmd('r', 'GET', 'k1'),
      cmd('r', 'SET', 'k1', 'own2'),
      cmd('w', 'SET', 'k1', 'x'),
      cmd('r', 'GET', 'k1'),
      cmd('r', 'CLIENT', 'TRACKINGINFO'),
      cmd('r', 'FLUSHALL'),
      cmd('w', 'FLUSHDB'),
      cmd('r', 'CLIENT', 'GETREDIR'),
      cmd('w', 'SET', 'k9', 'v'),
      cmd('r', 'GET', 'k9'),
      cmd('w', 'DEBUG', 'RELOAD'),
      cmd('r', 'GET', 'k9'),
      cmd('w', 'SWAPDB', '0', '1'),
      cmd('w', 'SWAPDB', '0', '1'),
      cmd('w', 'SET', 'k9', 'after'),
    ],
  },
  'RESP2 redirect to a subscriber, OPTIN/OPTOUT, broken redirect': {
    names: ['r', 'w', 's', 's3'],
    steps: [
      cmd('s', 'SUBSCRIBE', '__redis__:invalidate'),
      cmd('s3', 'HELLO', '3'),
      cmd('r', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '{id:s}'),
      cmd('r', 'CLIENT', 'GETREDIR'),
      cmd('r', 'GET', 'a'),
      cmd('w', 'SET', 'a', '1'),
      cmd('r', 'CLIENT', 'TRACKING', 'on', 'OPTIN', 'REDIRECT', '{id:s}'),
      cmd('r', 'GET', 'b'),
      cmd('r', 'CLIENT', 'CACHING', 'yes'),
      cmd('r', 'GET', 'c'),
      cmd('r', 'CLIENT', 'TRACKINGINFO'),
      cmd('w', 'MSET', 'b', '1', 'c', '1'),
      cmd('r', 'CLIENT', 'TRACKING', 'off'),
      cmd('r', 'CLIENT', 'TRACKING', 'on', 'OPTOUT', 'REDIRECT', '{id:s3}'),
      cmd('r', 'CLIENT', 'CACHING', 'no'),
      cmd('r', 'GET', 'd'),
      cmd('r', 'GET', 'e'),
      cmd('w', 'MSET', 'd', '1', 'e', '1'),
      cmd('r', 'GET', 'f'),
      cmd('w', 'FLUSHALL'),
      cmd('r', 'HELLO', '3'),
      cmd('r', 'CLIENT', 'TRACKING', 'on', 'OPTOUT', 'REDIRECT', '{id:w}'),
      cmd('r', 'GET', 'g'),
      cmd('w', 'QUIT'),
      cmd('s', 'PING'),
      cmd('s3', 'SET', 'g', '2'),
      cmd('r', 'CLIENT', 'TRACKINGINFO'),
      cmd('s3', 'SET', 'g', '3'),
    ],
  },
  'BCAST prefixes, NOLOOP, redirect and own connection': {
    names: ['b', 'n', 'w', 's'],
    steps: [
      cmd('s', 'SUBSCRIBE', '__redis__:invalidate'),
      cmd('b', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', '{id:s}', 'PREFIX', 'user:', 'PREFIX', 'acct:'),
      cmd('n', 'HELLO', '3'),
      cmd('n', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP'),
      cmd('w', 'MULTI'),
      cmd('w', 'SET', 'user:2', 'x'),
      cmd('w', 'SET', 'acct:9', 'x'),
      cmd('w', 'SET', 'user:1', 'x'),
      cmd('w', 'SET', 'other', 'x'),
      cmd('w', 'EXEC'),
      { sleep: 20 },
      cmd('n', 'MSET', 'user:1', 'y', 'mine', 'y'),
      { sleep: 20 },
      cmd('n', 'MULTI'),
      cmd('n', 'SET', 'both', '1'),
      cmd('n', 'EXEC'),
      cmd('w', 'SET', 'both', '2'),
      { sleep: 20 },
      cmd('b', 'CLIENT', 'TRACKINGINFO'),
      cmd('n', 'CLIENT', 'TRACKINGINFO'),
      cmd('w', 'FLUSHALL'),
      cmd('n', 'CLIENT', 'TRACKING', 'off'),
      cmd('w', 'SET', 'user:3', 'z'),
    ],
  },
};

describe('differential against the reference redis-server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref.stop();
  });

  test('option errors', async () => {
    for (const args of ERROR_CASES) {
      const replies: unknown[] = [];
      for (const port of [ref.port, srv.port]) {
        const k = await RawClient.connect(port);
        replies.push([await k.call('CLIENT', 'TRACKING', ...args), await k.call('CLIENT', 'TRACKINGINFO')]);
        k.close();
      }
      assert.deepEqual(replies[1], replies[0], args.join(' '));
    }
  });

  for (const [name, script] of Object.entries(SCRIPTS)) {
    test(name, async () => {
      const refClient = await RawClient.connect(ref.port);
      await refClient.call('FLUSHALL');
      refClient.close();
      await other.call('FLUSHALL');
      const expected = await runScript(ref.port, script.names, script.steps);
      const actual = await runScript(srv.port, script.names, script.steps);
      assert.deepEqual(actual, expected);
    });
  }
});
