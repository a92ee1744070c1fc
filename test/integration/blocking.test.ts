// Blocking list commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP): blocking and being served by
// later writes (push, LMOVE, SORT STORE, MULTI/EXEC), FIFO order of waiters, timeouts with ms
// precision and their null replies, no blocking inside MULTI, key types at wake-up, CLIENT
// UNBLOCK, propagation of the pop that was done, keyspace events and INFO counters.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startFjord, RawClient, sleep, type RunningServer } from '../helpers';
import { propagated as propagatedBy, keyspaceEvents } from './differential';

let srv: RunningServer;
let raw: RawClient;
const extra: RawClient[] = [];

/** A fresh connection, closed at the end of the file. */
async function client(resp3 = false): Promise<RawClient> {
  const c = await RawClient.connect(srv.port);
  if (resp3) await c.call('HELLO', '3');
  extra.push(c);
  return c;
}

/** Wait until `n` clients are blocked (INFO's blocked_clients comes from the same counter). */
async function blockedClients(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (srv.server.blocking.blockedClients === n) return;
    await sleep(2);
  }
  assert.equal(srv.server.blocking.blockedClients, n, 'blocked clients');
}

before(async () => {
  srv = await startFjord();
  raw = await RawClient.connect(srv.port);
});

after(async () => {
  raw.close();
  for (const c of extra) c.close();
  await srv.stop();
});

describe('blocking and serving', () => {
  it('BLPOP is served by a later push, and propagated as LPOP', async () => {
    const b = await client();
    b.send('BLPOP', 'b:1', '0');
    await blockedClients(1);
    const out = await propagatedBy(srv, async () => {
      assert.equal(await raw.call('RPUSH', 'b:1', 'x', 'y'), 2);
      assert.deepEqual(await b.read(), ['b:1', 'x']);
    });
    assert.deepEqual(out, [['RPUSH', 'b:1', 'x', 'y'], ['LPOP', 'b:1']]);
    assert.deepEqual(await raw.call('LRANGE', 'b:1', '0', '-1'), ['y']);
    await blockedClients(0);
  });

  it('a timeout beyond what one Node timer holds (2^31-1 ms) still waits', async () => {
    const b = await client();
    b.send('BLPOP', 'b:long', '2147483647'); // seconds: about 68 years
    await blockedClients(1);
    await sleep(150);
    assert.equal(srv.server.blocking.blockedClients, 1, 'still blocked, not timed out at once');
    assert.equal(await raw.call('RPUSH', 'b:long', 'v'), 1);
    assert.deepEqual(await b.read(), ['b:long', 'v']);
    await blockedClients(0);
  });

  it('serves waiters in the order they blocked', async () => {
    await raw.call('DEL', 'b:fifo');
    const c1 = await client();
    const c2 = await client();
    const c3 = await client();
    c1.send('BRPOP', 'b:fifo', '0');
    await blockedClients(1);
    c2.send('BLPOP', 'b:other', 'b:fifo', '0');
    await blockedClients(2);
    c3.send('BLPOP', 'b:fifo', '0');
    await blockedClients(3);
    await raw.call('RPUSH', 'b:fifo', '1', '2');
    assert.deepEqual(await c1.read(), ['b:fifo', '2']);
    assert.deepEqual(await c2.read(), ['b:fifo', '1']);
    await blockedClients(1);
    await raw.call('LPUSH', 'b:fifo', '3');
    assert.deepEqual(await c3.read(), ['b:fifo', '3']);
    assert.equal(await raw.call('EXISTS', 'b:fifo'), 0);
  });

  it('BLPOP over several keys takes the first non-empty one on wake-up', async () => {
    await raw.call('DEL', 'b:k1', 'b:k2');
    const b = await client();
    b.send('BLPOP', 'b:k1', 'b:k2', '0');
    await blockedClients(1);
    // Both keys get data in one transaction: the re-run looks at b:k1 first.
    await raw.call('MULTI');
    await raw.call('RPUSH', 'b:k2', 'two');
    await raw.call('RPUSH', 'b:k1', 'one');
    assert.deepEqual(await raw.call('EXEC'), [1, 1]);
    assert.deepEqual(await b.read(), ['b:k1', 'one']);
    assert.deepEqual(await raw.call('LRANGE', 'b:k2', '0', '-1'), ['two']);
  });

  it('wakes on LMOVE, RPOPLPUSH and SORT ... STORE into the key', async () => {
    await raw.call('DEL', 'b:src', 'b:dst', 'b:sorted');
    const b1 = await client();
    b1.send('BLPOP', 'b:dst', '0');
    const b2 = await client();
    await blockedClients(1);
    b2.send('BLPOP', 'b:sorted', '0');
    await blockedClients(2);
    await raw.call('RPUSH', 'b:src', '3', '1', '2');
    assert.equal(await raw.call('LMOVE', 'b:src', 'b:dst', 'LEFT', 'RIGHT'), '3');
    assert.deepEqual(await b1.read(), ['b:dst', '3']);
    assert.equal(await raw.call('SORT', 'b:src', 'STORE', 'b:sorted'), 2);
    assert.deepEqual(await b2.read(), ['b:sorted', '1']);
    b1.send('BRPOP', 'b:dst', '0');
    await blockedClients(1);
    assert.equal(await raw.call('RPOPLPUSH', 'b:src', 'b:dst'), '2');
    assert.deepEqual(await b1.read(), ['b:dst', '2']);
  });

  it('BLMOVE and BRPOPLPUSH are served and propagated as LMOVE / RPOPLPUSH', async () => {
    await raw.call('DEL', 'b:m', 'b:md');
    const b = await client();
    b.send('BLMOVE', 'b:m', 'b:md', 'RIGHT', 'LEFT', '0');
    await blockedClients(1);
    const out = await propagatedBy(srv, async () => {
      await raw.call('RPUSH', 'b:m', 'a', 'b');
      assert.equal(await b.read(), 'b');
      b.send('BRPOPLPUSH', 'b:none', 'b:md', '0');
      await blockedClients(1);
      await raw.call('LPUSH', 'b:none', 'z');
      assert.equal(await b.read(), 'z');
      // Served at once: also propagated as the non-blocking form.
      assert.equal(await raw.call('BLMOVE', 'b:m', 'b:md', 'LEFT', 'LEFT', '0'), 'a');
    });
    assert.deepEqual(out, [
      ['RPUSH', 'b:m', 'a', 'b'],
      ['LMOVE', 'b:m', 'b:md', 'RIGHT', 'LEFT'],
      ['LPUSH', 'b:none', 'z'],
      ['RPOPLPUSH', 'b:none', 'b:md'],
      ['LMOVE', 'b:m', 'b:md', 'LEFT', 'LEFT'],
    ]);
    assert.deepEqual(await raw.call('LRANGE', 'b:md', '0', '-1'), ['a', 'z', 'b']);
  });

  it('BLMPOP serves up to COUNT elements, propagated as LPOP/RPOP key count', async () => {
    await raw.call('DEL', 'b:mp1', 'b:mp2');
    const b = await client();
    b.send('BLMPOP', '0', '2', 'b:mp1', 'b:mp2', 'RIGHT', 'COUNT', '3');
    await blockedClients(1);
    const out = await propagatedBy(srv, async () => {
      await raw.call('RPUSH', 'b:mp2', '1', '2', '3', '4');
      assert.deepEqual(await b.read(), ['b:mp2', ['4', '3', '2']]);
    });
    assert.deepEqual(out, [['RPUSH', 'b:mp2', '1', '2', '3', '4'], ['RPOP', 'b:mp2', '3']]);
    assert.deepEqual(await raw.call('BLMPOP', '0', '1', 'b:mp2', 'LEFT', 'COUNT', '5'), ['b:mp2', ['1']]);
  });

  it('a served pop emits the pop events and deletes the emptied key', async () => {
    await raw.call('DEL', 'b:ev');
    const b = await client();
    b.send('BLPOP', 'b:ev', '0');
    await blockedClients(1);
    const got = await keyspaceEvents(srv, async () => {
      await raw.call('RPUSH', 'b:ev', 'v');
      await b.read();
    });
    assert.deepEqual(got, ['n:new:b:ev', 'l:rpush:b:ev', 'l:lpop:b:ev', 'g:del:b:ev']);
  });

  it('commands pipelined behind a blocking one run once it is served', async () => {
    await raw.call('DEL', 'b:pipe');
    const b = await client();
    b.send('BLPOP', 'b:pipe', '0');
    b.send('PING');
    b.send('LLEN', 'b:pipe');
    await blockedClients(1);
    await raw.call('RPUSH', 'b:pipe', '1', '2');
    assert.deepEqual(await b.read(), ['b:pipe', '1']);
    assert.equal(await b.read(), 'PONG');
    assert.equal(await b.read(), 1);
  });
});

describe('timeouts and non-blocking contexts', () => {
  it('times out with a null array (BLMOVE too), with ms precision', async () => {
    const b = await client();
    const b3 = await client(true);
    for (const argv of [['BLPOP', 'b:t', '0.05'], ['BLMPOP', '0.05', '1', 'b:t', 'LEFT'], ['BLMOVE', 'b:t', 'b:t2', 'LEFT', 'LEFT', '0.05'], ['BRPOPLPUSH', 'b:t', 'b:t2', '0.05']]) {
      const t0 = Date.now();
      assert.equal(await b.call(...argv), null, argv[0]);
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 45 && elapsed < 1000, `${argv[0]} waited ${elapsed} ms`);
      b.write('*1\r\n$4\r\nPING\r\n');
      assert.equal(await b.read(), 'PONG');
    }
    // Exact bytes: RESP2 *-1, RESP3 _ (Valkey answers every list timeout with a null array).
    b.send('BLMOVE', 'b:t', 'b:t2', 'LEFT', 'LEFT', '0.01');
    await sleep(100);
    assert.equal(b.pending(), '*-1\r\n');
    await b.read();
    assert.equal(await b3.call('BRPOP', 'b:t', '0.01'), null);
  });

  it('timeout 0 waits until served', async () => {
    await raw.call('DEL', 'b:forever');
    const b = await client();
    b.send('BRPOP', 'b:forever', '0');
    await sleep(150);
    assert.equal(srv.server.blocking.blockedClients, 1);
    await raw.call('RPUSH', 'b:forever', 'late');
    assert.deepEqual(await b.read(), ['b:forever', 'late']);
  });

  it('does not block inside MULTI: the timeout reply, at once', async () => {
    await raw.call('DEL', 'b:multi');
    const c = await client();
    await c.call('MULTI');
    for (const argv of [['BLPOP', 'b:multi', '0'], ['BLMPOP', '0', '1', 'b:multi', 'LEFT'], ['BLMOVE', 'b:multi', 'x', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'b:multi', 'x', '0']]) {
      assert.equal(await c.call(...argv), 'QUEUED');
    }
    c.send('EXEC');
    await sleep(30);
    assert.equal(c.pending(), '*4\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n');
    await c.read();
  });

  it('a key that becomes another type leaves the waiter blocked; WRONGTYPE from the re-run', async () => {
    await raw.call('DEL', 'b:wt', 'b:wt2');
    const b = await client();
    const id = await clientId(b);
    b.send('BLPOP', 'b:wt', '0');
    await blockedClients(1);
    await raw.call('MULTI');
    await raw.call('RPUSH', 'b:wt', 'x');
    await raw.call('DEL', 'b:wt');
    await raw.call('SET', 'b:wt', 'string');
    await raw.call('EXEC');
    await sleep(30);
    assert.equal(srv.server.blocking.blockedClients, 1, 'still blocked: the key is not a list');
    assert.equal(b.pending(), '');
    await raw.call('CLIENT', 'UNBLOCK', String(id));
    assert.equal(await b.read(), null);
    // Blocked on two keys: the list one wakes it, the re-run meets the string first.
    await raw.call('DEL', 'b:wt2');
    b.send('BLPOP', 'b:wt2', 'b:wt3', '0');
    await blockedClients(1);
    await raw.call('MULTI');
    await raw.call('SET', 'b:wt2', 'string');
    await raw.call('RPUSH', 'b:wt3', 'x');
    await raw.call('EXEC');
    await raw.call('DEL', 'b:wt2');
    assert.deepEqual(await b.read(), { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' });
    await blockedClients(0);
  });
});

async function clientId(c: RawClient): Promise<number> {
  await c.call('CLIENT', 'SETNAME', 'probe');
  const list = (await raw.call('CLIENT', 'LIST')) as string;
  const line = list.split('\n').find((l) => / name=probe /.test(l));
  assert.ok(line);
  await c.call('CLIENT', 'SETNAME', '');
  return Number(/id=(\d+)/.exec(line)![1]);
}

describe('CLIENT UNBLOCK, INFO and disconnects', () => {
  it('CLIENT UNBLOCK TIMEOUT and ERROR', async () => {
    const b = await client();
    const id = await clientId(b);
    b.send('BLPOP', 'b:cu', '0');
    await blockedClients(1);
    assert.equal(await raw.call('CLIENT', 'UNBLOCK', String(id)), 1);
    assert.equal(await b.read(), null);
    b.send('BLMOVE', 'b:cu', 'b:cu2', 'LEFT', 'LEFT', '0');
    await blockedClients(1);
    assert.equal(await raw.call('CLIENT', 'UNBLOCK', String(id), 'ERROR'), 1);
    assert.deepEqual(await b.read(), { error: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' });
    assert.equal(await raw.call('CLIENT', 'UNBLOCK', String(id)), 0);
  });

  it('INFO counts blocked clients and keys; commandstats counts served calls', async () => {
    await raw.call('CONFIG', 'RESETSTAT');
    const b1 = await client();
    const b2 = await client();
    b1.send('BLPOP', 'b:i1', 'b:i2', '0');
    b2.send('BRPOP', 'b:i2', '0');
    await blockedClients(2);
    const info = (await raw.call('INFO', 'clients')) as string;
    assert.match(info, /blocked_clients:2\r\n/);
    assert.match(info, /total_blocking_keys:2\r\n/);
    await raw.call('RPUSH', 'b:i2', 'a', 'b');
    await b1.read();
    await b2.read();
    assert.match((await raw.call('INFO', 'clients')) as string, /blocked_clients:0\r\n/);
    const stats = (await raw.call('INFO', 'commandstats')) as string;
    assert.match(stats, /cmdstat_blpop:calls=1,/);
    assert.match(stats, /cmdstat_brpop:calls=1,/);
  });

  it('a waiter that disconnects is forgotten; the data stays', async () => {
    await raw.call('DEL', 'b:gone');
    const b = await RawClient.connect(srv.port);
    b.send('BLPOP', 'b:gone', '0');
    await blockedClients(1);
    b.close();
    await blockedClients(0);
    await raw.call('RPUSH', 'b:gone', 'kept');
    assert.deepEqual(await raw.call('LRANGE', 'b:gone', '0', '-1'), ['kept']);
  });

  it('works through ioredis', async () => {
    const a = new Redis({ port: srv.port, lazyConnect: true });
    const p = new Redis({ port: srv.port, lazyConnect: true });
    await a.connect();
    await p.connect();
    try {
      await a.del('b:io');
      const pending = a.blpop('b:io', 1);
      await blockedClients(1);
      await p.rpush('b:io', 'hello');
      assert.deepEqual(await pending, ['b:io', 'hello']);
      assert.equal(await a.brpop('b:io', 0.05), null);
    } finally {
      a.disconnect();
      p.disconnect();
    }
  });
});
