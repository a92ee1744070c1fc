// Transactions: MULTI / EXEC / DISCARD / WATCH / UNWATCH — queueing errors and EXECABORT,
// runtime errors inside EXEC, WATCH broken by other clients, expiry, FLUSHDB/FLUSHALL/SWAPDB
// and RENAME, keys expired at WATCH time, frozen command time, propagation as one MULTI/EXEC,
// checks made when EXEC itself runs (OOM, READONLY), real clients, and scripted sequences
// compared with the reference redis-server.

import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer } from '../helpers';

let srv: RunningServer;
let c: RawClient;
let other: RawClient;

before(async () => {
  srv = await startFjord();
  c = await RawClient.connect(srv.port);
  other = await RawClient.connect(srv.port);
});

after(async () => {
  c.close();
  other.close();
  await srv.stop();
});

beforeEach(async () => {
  await c.call('SELECT', 0);
  await other.call('SELECT', 0);
  await c.call('FLUSHALL');
  await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
});

function err(msg: string): { error: string } {
  return { error: msg };
}

/** MULTI, the commands (each must be QUEUED), EXEC: returns EXEC's reply. */
async function transaction(client: RawClient, ...cmds: (string | number)[][]): Promise<unknown> {
  assert.equal(await client.call('MULTI'), 'OK');
  for (const cmd of cmds) assert.equal(await client.call(...cmd), 'QUEUED');
  return client.call('EXEC');
}

/** WATCH key, let `touch` run, then a MULTI/PING/EXEC: returns EXEC's reply (null if aborted). */
async function watchedExec(key: string, touch: () => Promise<unknown>): Promise<unknown> {
  assert.equal(await c.call('WATCH', key), 'OK');
  await touch();
  return transaction(c, ['PING']);
}

describe('MULTI / EXEC / DISCARD basics', () => {
  test('queued commands run in order and EXEC returns their replies', async () => {
    await c.call('SET', 'k', 'v');
    assert.deepEqual(await transaction(c, ['GET', 'k'], ['SET', 'k', 'w'], ['GET', 'k'], ['PING']), ['v', 'OK', 'w', 'PONG']);
    assert.equal(await c.call('GET', 'k'), 'w');
  });

  test('an empty transaction returns an empty array', async () => {
    assert.deepEqual(await transaction(c), []);
  });

  test('EXEC and DISCARD without MULTI', async () => {
    assert.deepEqual(await c.call('EXEC'), err('ERR EXEC without MULTI'));
    assert.deepEqual(await c.call('DISCARD'), err('ERR DISCARD without MULTI'));
  });

  test('DISCARD drops the queue and leaves MULTI state', async () => {
    await c.call('MULTI');
    assert.equal(await c.call('SET', 'k', 'v'), 'QUEUED');
    assert.equal(await c.call('DISCARD'), 'OK');
    assert.equal(await c.call('GET', 'k'), null);
    assert.deepEqual(await c.call('EXEC'), err('ERR EXEC without MULTI'));
  });

  test('runtime errors are returned in the array without stopping the other commands', async () => {
    await c.call('SET', 'str', 'abc');
    const r = (await transaction(c, ['INCR', 'str'], ['SET', 'a', '1'], ['INCR', 'a'])) as unknown[];
    assert.deepEqual(r, [err('ERR value is not an integer or out of range'), 'OK', 2]);
    assert.equal(await c.call('GET', 'a'), '2');
  });

  test('a command can be queued in RESP3 and EXEC replies with RESP3 types', async () => {
    const r3 = await RawClient.connect(srv.port);
    await r3.call('HELLO', '3');
    assert.deepEqual(await transaction(r3, ['GET', 'nokey'], ['SET', 'x', '1']), [null, 'OK']);
    r3.close();
  });
});

describe('errors while queueing abort the transaction (EXECABORT)', () => {
  test('unknown command', async () => {
    await c.call('MULTI');
    assert.equal(await c.call('SET', 'a', '1'), 'QUEUED');
    assert.deepEqual(await c.call('NOSUCHCMD', 'x'), err("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' "));
    assert.equal(await c.call('SET', 'b', '2'), 'QUEUED');
    assert.deepEqual(await c.call('EXEC'), err('EXECABORT Transaction discarded because of previous errors.'));
    assert.equal(await c.call('EXISTS', 'a', 'b'), 0);
    assert.equal(await c.call('PING'), 'PONG', 'the client left MULTI state');
  });

  test('wrong number of arguments', async () => {
    await c.call('MULTI');
    assert.deepEqual(await c.call('SET', 'a'), err("ERR wrong number of arguments for 'set' command"));
    assert.deepEqual(await c.call('EXEC'), err('EXECABORT Transaction discarded because of previous errors.'));
  });

  test('nested MULTI and WATCH inside MULTI are refused and abort the transaction (Valkey 8+)', async () => {
    await c.call('MULTI');
    assert.deepEqual(await c.call('MULTI'), err('ERR Command not allowed inside a transaction'));
    assert.deepEqual(await c.call('EXEC'), err('EXECABORT Transaction discarded because of previous errors.'));
    await c.call('MULTI');
    assert.deepEqual(await c.call('WATCH', 'x'), err('ERR Command not allowed inside a transaction'));
    assert.deepEqual(await c.call('EXEC'), err('EXECABORT Transaction discarded because of previous errors.'));
  });

  test('EXEC with arguments is refused as EXECABORT, in MULTI or not', async () => {
    const msg = "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command";
    assert.deepEqual(await c.call('EXEC', 'extra'), err(msg));
    await c.call('MULTI');
    await c.call('SET', 'a', '1');
    assert.deepEqual(await c.call('EXEC', 'extra'), err(msg));
    assert.deepEqual(await c.call('EXEC'), err('ERR EXEC without MULTI'));
    assert.equal(await c.call('EXISTS', 'a'), 0);
  });

  test('DISCARD after a queueing error clears the error', async () => {
    await c.call('MULTI');
    await c.call('NOSUCHCMD');
    assert.equal(await c.call('DISCARD'), 'OK');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
  });
});

describe('WATCH', () => {
  test('an untouched watched key lets EXEC run', async () => {
    await c.call('SET', 'x', '1');
    assert.equal(await c.call('WATCH', 'x', 'y', 'z'), 'OK');
    assert.equal(await c.call('WATCH', 'x'), 'OK');
    assert.deepEqual(await transaction(c, ['INCR', 'x']), [2]);
  });

  test("another client's write makes EXEC return a null array (RESP2 and RESP3)", async () => {
    await c.call('SET', 'x', '1');
    assert.equal(await watchedExec('x', () => other.call('SET', 'x', '2')), null);
    assert.equal(c.pending(), '');
    const r3 = await RawClient.connect(srv.port);
    await r3.call('HELLO', '3');
    await r3.call('WATCH', 'x');
    await other.call('SET', 'x', '3');
    await r3.call('MULTI');
    await r3.call('PING');
    r3.send('EXEC');
    await sleep(50);
    assert.equal(r3.pending(), '_\r\n');
    r3.close();
  });

  test('a write between MULTI and EXEC also breaks the transaction, and nothing runs', async () => {
    await c.call('SET', 'x', '1');
    await c.call('WATCH', 'x');
    await c.call('MULTI');
    await c.call('SET', 'y', 'from-tx');
    await other.call('DEL', 'x');
    assert.equal(await c.call('EXEC'), null);
    assert.equal(await c.call('EXISTS', 'y'), 0);
  });

  test('writing a watched key that does not exist yet breaks the transaction', async () => {
    assert.equal(await watchedExec('new', () => other.call('SET', 'new', 'v')), null);
  });

  test('a write that changes nothing does not break it (DEL of a missing key)', async () => {
    assert.deepEqual(await watchedExec('missing', () => other.call('DEL', 'missing')), ['PONG']);
  });

  test("the client's own write breaks its transaction too", async () => {
    await c.call('SET', 'x', '1');
    assert.equal(await watchedExec('x', () => c.call('EXPIRE', 'x', 100)), null);
  });

  test('RENAME touches both the source and the destination', async () => {
    await c.call('SET', 'src', 'v');
    assert.equal(await watchedExec('src', () => other.call('RENAME', 'src', 'dst')), null);
    assert.equal(await watchedExec('dst', () => other.call('RENAME', 'dst', 'src')), null);
  });

  test('a watched key belongs to the database it was watched in', async () => {
    await c.call('SELECT', 5);
    await c.call('SET', 'x', '30');
    await c.call('WATCH', 'x');
    await c.call('SELECT', 1);
    await c.call('SET', 'x', '10');
    await other.call('SELECT', 2);
    await other.call('SET', 'x', '20');
    await c.call('SELECT', 5);
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    await other.call('SELECT', 5);
    await c.call('WATCH', 'x');
    await other.call('SET', 'x', '31');
    assert.equal(await transaction(c, ['PING']), null);
  });

  test('after EXEC (successful or not) and after DISCARD nothing is watched any more', async () => {
    await c.call('SET', 'x', '1');
    await c.call('WATCH', 'x');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    await c.call('SET', 'x', '2');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    assert.equal(await watchedExec('x', () => c.call('SET', 'x', '3')), null);
    await c.call('SET', 'x', '4');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    await c.call('WATCH', 'x');
    await c.call('SET', 'x', '5');
    await c.call('MULTI');
    assert.equal(await c.call('DISCARD'), 'OK');
    assert.deepEqual(await transaction(c, ['INCR', 'x']), [6]);
  });

  test('UNWATCH forgets the keys and clears a broken watch', async () => {
    await c.call('SET', 'x', '1');
    await c.call('WATCH', 'x');
    await c.call('SET', 'x', '2');
    assert.equal(await c.call('UNWATCH'), 'OK');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    assert.equal(await c.call('UNWATCH'), 'OK', 'UNWATCH with nothing watched');
  });

  test('UNWATCH inside MULTI is queued and does not save a broken transaction', async () => {
    await c.call('SET', 'x', '1');
    await c.call('WATCH', 'x');
    await other.call('SET', 'x', '2');
    assert.equal(await transaction(c, ['UNWATCH'], ['GET', 'x']), null);
  });

  test('WATCH after the watch already broke does not re-arm it', async () => {
    await c.call('WATCH', 'x');
    await other.call('SET', 'x', '1');
    assert.equal(await c.call('WATCH', 'y'), 'OK');
    assert.equal(await transaction(c, ['PING']), null);
  });

  test('watch bookkeeping: counts, and a touched client drops its watches at once', async () => {
    const w = srv.server.watchers;
    await c.call('WATCH', 'a', 'b');
    await other.call('WATCH', 'b');
    assert.equal(w.watchingClients, 2);
    assert.equal(w.totalWatchedKeys, 2);
    await c.call('SET', 'a', '1'); // c's transaction is now doomed: its watches go away
    assert.equal(w.watchingClients, 1);
    assert.equal(w.totalWatchedKeys, 1);
    await other.call('UNWATCH');
    await c.call('UNWATCH');
    assert.equal(w.watchingClients, 0);
    assert.equal(w.totalWatchedKeys, 0);
    assert.equal(srv.server.dbs[0].watchedKeys.size, 0);
  });

  test('a closed client stops watching', async () => {
    const t = await RawClient.connect(srv.port);
    await t.call('WATCH', 'k1', 'k2');
    assert.equal(srv.server.watchers.totalWatchedKeys, 2);
    t.close();
    for (let i = 0; i < 100 && srv.server.watchers.totalWatchedKeys > 0; i++) await sleep(5);
    assert.equal(srv.server.watchers.totalWatchedKeys, 0);
  });
});

describe('WATCH and FLUSHDB / FLUSHALL / SWAPDB', () => {
  test('FLUSHDB and FLUSHALL touch watched keys that exist', async () => {
    await c.call('SET', 'x', '30');
    assert.equal(await watchedExec('x', () => other.call('FLUSHDB')), null);
    await c.call('SET', 'x', '30');
    assert.equal(await watchedExec('x', () => other.call('FLUSHALL')), null);
  });

  test('FLUSHDB and FLUSHALL leave watched keys that do not exist alone', async () => {
    assert.deepEqual(await watchedExec('x', () => other.call('FLUSHDB')), ['PONG']);
    assert.deepEqual(await watchedExec('x', () => other.call('FLUSHALL')), ['PONG']);
  });

  test('FLUSHDB of another database does not touch', async () => {
    await c.call('SET', 'x', '30');
    await other.call('SELECT', 3);
    assert.deepEqual(await watchedExec('x', () => other.call('FLUSHDB')), ['PONG']);
  });

  test('SWAPDB touches a watched key that exists in either database', async () => {
    await c.call('SET', 'x', '30');
    assert.equal(await watchedExec('x', () => other.call('SWAPDB', 0, 1)), null);
    await c.call('FLUSHALL');
    await other.call('SELECT', 1);
    await other.call('SET', 'x', '30');
    assert.equal(await watchedExec('x', () => other.call('SWAPDB', 0, 1)), null);
  });
});

describe('WATCH and expiry', () => {
  test('a watched key that expires before EXEC (lazily, never deleted) fails EXEC', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'x', '1', 'PX', 30);
    await c.call('WATCH', 'x');
    await sleep(60);
    assert.equal(srv.server.dbs[0].data.has('x'), true, 'still in memory, only logically expired');
    assert.equal(await transaction(c, ['INCR', 'x']), null);
  });

  test('a watched key deleted by active expiry fails EXEC', async () => {
    await c.call('SET', 'x', '1', 'PX', 20);
    await c.call('WATCH', 'x');
    for (let i = 0; i < 200 && (await other.call('DBSIZE')) !== 0; i++) await sleep(10);
    assert.equal(srv.server.dbs[0].data.has('x'), false, 'active expiry removed it');
    assert.equal(await transaction(c, ['PING']), null);
  });

  test('a key already expired at WATCH time does not fail EXEC', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'x', 'foo', 'PX', 1);
    await sleep(5);
    await c.call('WATCH', 'x');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
  });

  test('deleting a key that was already expired at WATCH time is no change', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'x', 'foo', 'PX', 1);
    await sleep(5);
    await c.call('WATCH', 'x');
    assert.equal(await other.call('EXISTS', 'x'), 0); // lazy expiry deletes it now
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
  });

  test('…but writing it afterwards is a change', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'x', 'foo', 'PX', 1);
    await sleep(5);
    await c.call('WATCH', 'x');
    await other.call('SET', 'x', 'new');
    assert.equal(await transaction(c, ['PING']), null);
  });

  test('FLUSHDB while watching a key expired at WATCH time does not fail EXEC', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'x', 'foo', 'PX', 1);
    await sleep(5);
    await c.call('WATCH', 'x');
    await other.call('FLUSHDB');
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
  });

  test('SWAPDB replacing an expired key with nothing does not fail EXEC', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SELECT', 1);
    await c.call('SET', 'x', 'foo', 'PX', 1);
    await sleep(5);
    await c.call('WATCH', 'x');
    await other.call('SWAPDB', 0, 1);
    assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
  });

  test(
    'SWAPDB replacing nothing (or an expired key) with an expired key does not fail EXEC',
    async () => {
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
      await c.call('SET', 'x', 'foo', 'PX', 1);
      await sleep(5);
      await c.call('SELECT', 1);
      await c.call('WATCH', 'x');
      await other.call('SWAPDB', 0, 1);
      assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
      await c.call('FLUSHALL');
      await c.call('SET', 'x', 'foo', 'PX', 1);
      await c.call('SELECT', 0);
      await c.call('SET', 'x', 'bar', 'PX', 1);
      await sleep(5);
      await c.call('SELECT', 1);
      await c.call('WATCH', 'x');
      await other.call('SWAPDB', 0, 1);
      assert.deepEqual(await transaction(c, ['PING']), ['PONG']);
    },
  );
});

describe('EXEC runs as one unit', () => {
  test('the command time is frozen for the whole transaction', async () => {
    // The key's TTL passes during DEBUG SLEEP, but every command sees EXEC's start time.
    const r = await transaction(c, ['SET', 'k', 'v', 'PX', 30], ['DEBUG', 'SLEEP', '0.06'], ['GET', 'k'], ['PTTL', 'k']);
    assert.deepEqual(r, ['OK', 'OK', 'v', 30]);
    assert.equal(await c.call('GET', 'k'), null, 'expired once the transaction is over');
  });

  test('effects are propagated as one MULTI/EXEC; a single write or reads alone are not wrapped', async () => {
    const seen: string[] = [];
    const stop = srv.server.propagation.subscribe((_db, argv) => seen.push(argv.join(' ')));
    try {
      await transaction(c, ['SET', 'a', '1'], ['GET', 'a'], ['SET', 'b', '2'], ['INCR', 'a']);
      assert.deepEqual(seen.filter((s) => !s.startsWith('SELECT')), ['MULTI', 'SET a 1', 'SET b 2', 'INCR a', 'EXEC']);
      seen.length = 0;
      await transaction(c, ['SET', 'a', '5'], ['GET', 'a']);
      assert.deepEqual(seen.filter((s) => !s.startsWith('SELECT')), ['SET a 5']);
      seen.length = 0;
      await transaction(c, ['GET', 'a'], ['DEL', 'nokey']);
      assert.deepEqual(seen, []);
    } finally {
      stop();
    }
  });

  test('SELECT inside the transaction changes the database of the following commands', async () => {
    assert.deepEqual(await transaction(c, ['SELECT', 2], ['SET', 'k', 'in2']), ['OK', 'OK']);
    assert.equal(await c.call('GET', 'k'), 'in2');
    await c.call('SELECT', 0);
    assert.equal(await c.call('GET', 'k'), null);
  });

  test('the queued commands are counted in commandstats', async () => {
    const before = srv.server.lookupCommand('incr')!.stats.calls;
    await transaction(c, ['INCR', 'n'], ['INCR', 'n']);
    assert.equal(srv.server.lookupCommand('incr')!.stats.calls - before, 2);
  });
});

describe('checks made when EXEC itself runs', () => {
  test('OOM at EXEC time discards the transaction', async () => {
    await c.call('MULTI');
    assert.equal(await c.call('SET', 'k', 'v'), 'QUEUED');
    const server = srv.server;
    await other.call('CONFIG', 'SET', 'maxmemory', '1gb');
    server.freeMemoryIfNeeded = () => false; // memory cannot be freed from now on
    try {
      assert.deepEqual(await c.call('EXEC'), err("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'."));
    } finally {
      delete (server as { freeMemoryIfNeeded?: unknown }).freeMemoryIfNeeded; // back to the class method
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
    }
    assert.equal(await c.call('EXISTS', 'k'), 0);
    assert.equal(await c.call('PING'), 'PONG', 'no longer in MULTI');
  });

  test('a transaction of reads is not refused for OOM', async () => {
    await c.call('MULTI');
    await c.call('GET', 'k');
    const server = srv.server;
    await other.call('CONFIG', 'SET', 'maxmemory', '1gb');
    server.freeMemoryIfNeeded = () => false;
    try {
      assert.deepEqual(await c.call('EXEC'), [null]);
    } finally {
      delete (server as { freeMemoryIfNeeded?: unknown }).freeMemoryIfNeeded; // back to the class method
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
    }
  });

  test('READONLY at EXEC time when the server became a read-only replica meanwhile', async () => {
    await c.call('MULTI');
    assert.equal(await c.call('SET', 'k', 'v'), 'QUEUED');
    const server = srv.server;
    server.primaryHost = '127.0.0.1';
    try {
      assert.deepEqual(await c.call('EXEC'), err("EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica."));
    } finally {
      server.primaryHost = null;
    }
    assert.equal(await c.call('EXISTS', 'k'), 0);
  });
});

describe('real clients', () => {
  test('ioredis: multi/exec, runtime errors and optimistic locking with WATCH', async () => {
    const r = new Redis({ port: srv.port, lazyConnect: true });
    const r2 = new Redis({ port: srv.port, lazyConnect: true });
    await r.connect();
    await r2.connect();
    try {
      const res = await r.multi().set('io', '1').incr('io').get('io').exec();
      assert.deepEqual(res, [[null, 'OK'], [null, 2], [null, '2']]);
      await r.set('s', 'abc');
      const withErr = await r.multi().incr('s').set('t', '1').exec();
      assert.match(String(withErr![0][0]), /not an integer/);
      assert.deepEqual(withErr![1], [null, 'OK']);
      await r.watch('io');
      await r2.set('io', '100');
      assert.equal(await r.multi().incr('io').exec(), null);
      assert.equal(await r.get('io'), '100');
      await r.watch('io');
      assert.deepEqual(await r.multi().incr('io').exec(), [[null, 101]]);
    } finally {
      r.disconnect();
      r2.disconnect();
    }
  });

  test('node-redis: multi/exec and WatchError', async () => {
    const client = createClient({ socket: { port: srv.port } });
    const client2 = createClient({ socket: { port: srv.port } });
    await client.connect();
    await client2.connect();
    try {
      assert.deepEqual(await client.multi().set('nr', '5').incrBy('nr', 2).get('nr').exec(), ['OK', 7, '7']);
      await client.watch('nr');
      await client2.set('nr', '0');
      await assert.rejects(client.multi().incr('nr').exec(), (e: Error) => e.constructor.name === 'WatchError');
      assert.equal(await client.get('nr'), '0');
    } finally {
      await client.quit();
      await client2.quit();
    }
  });
});

// ------------------------------------------------------------------ differential

/** A scripted sequence: [connection index, ...argv] or ['sleep', ms]. */
type Step = [number, ...string[]] | ['sleep', number];

async function runScript(port: number, steps: Step[]): Promise<unknown[]> {
  const conns = [await RawClient.connect(port), await RawClient.connect(port)];
  const out: unknown[] = [];
  try {
    for (const step of steps) {
      if (step[0] === 'sleep') {
        await sleep(step[1] as number);
        continue;
      }
      const [who, ...argv] = step as [number, ...string[]];
      out.push(await conns[who].call(...argv));
    }
    // Anything extra (an unexpected push) would show up here.
    await sleep(20);
    out.push(conns.map((k) => k.pending()));
  } finally {
    for (const k of conns) k.close();
  }
  return out;
}

const SCRIPTS: Record<string, Step[]> = {
  'basics and errors': [
    [0, 'FLUSHALL'], [0, 'EXEC'], [0, 'DISCARD'], [0, 'MULTI'], [0, 'SET', 'a', '1'], [0, 'INCR', 'a'], [0, 'INCRBY', 'a', 'x'],
    [0, 'GET', 'a'], [0, 'EXEC'], [0, 'MULTI'], [0, 'EXEC'], [0, 'MULTI'], [0, 'SET', 'b'], [0, 'SET', 'b', '2'], [0, 'EXEC'],
    [0, 'EXISTS', 'b'], [0, 'MULTI'], [0, 'NOPE', 'x'], [0, 'DISCARD'], [0, 'EXEC', 'x'], [0, 'MULTI'], [0, 'PING', 'a', 'b'],
    [0, 'EXEC'], [0, 'MULTI'], [0, 'SET', 'z', 'v', 'PX', '100'], [0, 'PTTL', 'z'], [0, 'EXEC'],
  ],
  'watch': [
    [0, 'FLUSHALL'], [0, 'SET', 'x', '1'], [0, 'WATCH', 'x', 'y'], [1, 'SET', 'y', '1'], [0, 'MULTI'], [0, 'INCR', 'x'], [0, 'EXEC'],
    [0, 'GET', 'x'], [0, 'WATCH', 'x'], [0, 'MULTI'], [0, 'INCR', 'x'], [0, 'EXEC'], [0, 'WATCH', 'x'], [1, 'FLUSHDB'], [0, 'MULTI'],
    [0, 'PING'], [0, 'EXEC'], [0, 'WATCH', 'gone'], [1, 'FLUSHDB'], [0, 'MULTI'], [0, 'PING'], [0, 'EXEC'], [0, 'SET', 'w', '1'],
    [0, 'WATCH', 'w'], [1, 'SWAPDB', '0', '1'], [0, 'MULTI'], [0, 'PING'], [0, 'EXEC'], [0, 'WATCH', 'w'], [0, 'UNWATCH'],
    [1, 'SET', 'w', '2'], [0, 'MULTI'], [0, 'PING'], [0, 'EXEC'], [0, 'WATCH', 'r'], [1, 'SET', 'r', '1'], [1, 'RENAME', 'r', 'r2'],
    [0, 'MULTI'], [0, 'DISCARD'], [0, 'MULTI'], [0, 'PING'], [0, 'EXEC'],
  ],
  'watch and expiry': [
    [0, 'FLUSHALL'], [0, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'], [0, 'SET', 'x', '1', 'PX', '30'], [0, 'WATCH', 'x'], ['sleep', 60],
    [0, 'MULTI'], [0, 'PING'], [0, 'EXEC'], [0, 'SET', 'y', '1', 'PX', '1'], ['sleep', 5], [0, 'WATCH', 'y'], [0, 'MULTI'], [0, 'PING'],
    [0, 'EXEC'], [0, 'SET', 'y', '1', 'PX', '1'], ['sleep', 5], [0, 'WATCH', 'y'], [1, 'EXISTS', 'y'], [0, 'MULTI'], [0, 'PING'],
    [0, 'EXEC'], [0, 'SET', 'y', '1', 'PX', '1'], ['sleep', 5], [0, 'WATCH', 'y'], [1, 'FLUSHALL'], [0, 'MULTI'], [0, 'PING'],
    [0, 'EXEC'], [0, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ],
};

describe('differential against the reference redis-server (RESP2)', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref?.stop();
  });
  for (const [name, steps] of Object.entries(SCRIPTS)) {
    test(name, async () => {
      const mine = await runScript(srv.port, steps);
      const theirs = await runScript(ref.port, steps);
      assert.deepEqual(mine, theirs);
    });
  }
});
