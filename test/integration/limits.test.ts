// Connection limits Valkey enforces: proto-max-bulk-len, client-query-buffer-limit, maxclients,
// timeout and client-output-buffer-limit. Each case runs against Fjord and against the reference
// redis-server (the behaviour is the same in Redis 7.0 and Valkey 9.0), so the expectations are
// checked too.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, encodeCommand, sleep } from '../helpers';
import { MB, type Target, fjordTarget, referenceTarget, needsReference, withServer, expectProtocolError, writeInPieces, patterned, drainUntilClose } from './support';

function limitsSuite(target: Target): void {
  test('proto-max-bulk-len: a longer bulk is refused', async () => {
    await withServer(target, { 'proto-max-bulk-len': '1mb' }, async (p) => {
      const ok = await RawClient.connect(p);
      const exact = patterned(MB);
      ok.write(encodeCommand(['SET', 'k', exact]));
      assert.equal(await ok.read(), 'OK', 'exactly proto-max-bulk-len is allowed');
      ok.close();
      await expectProtocolError(p, `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${MB + 1}\r\n`, 'ERR Protocol error: invalid bulk length');
    });
  });

  test('proto-max-bulk-len: CONFIG SET applies to connected clients', async () => {
    await withServer(target, {}, async (p) => {
      const c = await RawClient.connect(p);
      assert.equal(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb'), 'OK');
      c.write(`*2\r\n$4\r\nECHO\r\n$${2 * MB}\r\n`);
      assert.deepEqual(await c.read(), { error: 'ERR Protocol error: invalid bulk length' });
      await c.waitClose();
    });
  });

  test('client-query-buffer-limit: the connection is closed, others keep working', async () => {
    await withServer(target, { 'client-query-buffer-limit': '1mb' }, async (p) => {
      const canary = await RawClient.connect(p);
      assert.equal(await canary.call('SET', 'canary', 'alive'), 'OK');
      const c = await RawClient.connect(p);
      // a 3MB argument (allowed by proto-max-bulk-len) overflows the 1MB query buffer
      const data = encodeCommand(['SET', 'big', patterned(3 * MB)]);
      await writeInPieces(c, data, 64 * 1024, 0).catch(() => {});
      await c.waitClose();
      assert.equal(c.pending(), '', 'no reply, just closed');
      assert.equal(await canary.call('GET', 'canary'), 'alive');
      assert.equal(await canary.call('GET', 'big'), null);
      canary.close();
    });
  });

  test('client-query-buffer-limit: an unterminated inline/bulk stream is cut too', async () => {
    await withServer(target, { 'client-query-buffer-limit': '1mb' }, async (p) => {
      const c = await RawClient.connect(p);
      // a bulk whose declared length fits proto-max-bulk-len but exceeds the query buffer limit
      c.write(`*2\r\n$4\r\nECHO\r\n$${4 * MB}\r\n`);
      await writeInPieces(c, Buffer.alloc(2 * MB, 0x61), 64 * 1024, 0).catch(() => {});
      await c.waitClose();
    });
  });

  test('maxclients: extra connections get an error and are closed', async () => {
    await withServer(target, { maxclients: '3' }, async (p) => {
      const clients = [await RawClient.connect(p), await RawClient.connect(p), await RawClient.connect(p)];
      for (const c of clients) assert.equal(await c.call('PING'), 'PONG');
      const extra = await RawClient.connect(p);
      assert.deepEqual(await extra.read(), { error: 'ERR max number of clients reached' });
      await extra.waitClose();
      clients[0].close();
      // the server notices the close asynchronously
      let again: RawClient | null = null;
      for (let i = 0; i < 50 && again === null; i++) {
        await sleep(20);
        const c = await RawClient.connect(p);
        c.send('PING');
        const r = await c.read().catch(() => null);
        if (r === 'PONG') again = c;
        else c.close();
      }
      assert.ok(again, 'a slot frees up when a client leaves');
      again.close();
      for (const c of clients.slice(1)) {
        assert.equal(await c.call('PING'), 'PONG');
        c.close();
      }
    });
  });

  test('timeout: idle clients are closed, active ones are not', async () => {
    await withServer(target, {}, async (p) => {
      const admin = await RawClient.connect(p);
      assert.equal(await admin.call('CONFIG', 'SET', 'timeout', '1'), 'OK');
      const idle = await RawClient.connect(p);
      assert.equal(await idle.call('PING'), 'PONG');
      const started = Date.now();
      // admin stays active by pinging every 200ms
      while (!idle.closed && Date.now() - started < 4000) {
        assert.equal(await admin.call('PING'), 'PONG');
        await sleep(200);
      }
      assert.equal(idle.closed, true, 'the idle client was closed');
      assert.ok(Date.now() - started >= 900, 'not before the timeout');
      assert.equal(admin.closed, false);
      admin.close();
    });
  });

  test('timeout spares subscribed and blocked clients', async () => {
    await withServer(target, { timeout: '1' }, async (p) => {
      const subscriber = await RawClient.connect(p);
      assert.deepEqual(await subscriber.call('SUBSCRIBE', 'news'), ['subscribe', 'news', 1]);
      const blocked = await RawClient.connect(p);
      blocked.send('BLPOP', 'nothing-here', '0');
      const idle = await RawClient.connect(p);
      assert.equal(await idle.call('PING'), 'PONG');
      await idle.waitClose(5000);
      await sleep(300);
      assert.equal(subscriber.closed, false, 'the subscriber stays');
      assert.equal(blocked.closed, false, 'the blocked client stays');
      const pusher = await RawClient.connect(p);
      assert.equal(await pusher.call('RPUSH', 'nothing-here', 'x'), 1);
      assert.deepEqual(await blocked.read(), ['nothing-here', 'x']);
      assert.equal(await pusher.call('PUBLISH', 'news', 'hello'), 1);
      assert.deepEqual(await subscriber.read(), ['message', 'news', 'hello']);
      for (const c of [subscriber, blocked, pusher]) c.close();
    });
  });

  test('before AUTH, request sizes are capped', async () => {
    await withServer(target, {}, async (p) => {
      // set after startup: the reference server's readiness check needs a password-free PING
      const admin = await RawClient.connect(p);
      assert.equal(await admin.call('CONFIG', 'SET', 'requirepass', 'pw'), 'OK');
      admin.close();
      await expectProtocolError(p, '*11\r\n', 'ERR Protocol error: unauthenticated multibulk length');
      await expectProtocolError(p, '*2\r\n$4\r\nAUTH\r\n$16385\r\n', 'ERR Protocol error: unauthenticated bulk length');
      const c = await RawClient.connect(p);
      assert.deepEqual(await c.call('ECHO', 'x'.repeat(16384)), { error: 'NOAUTH Authentication required.' }, 'exactly 16384 is fine');
      assert.equal(await c.call('AUTH', 'pw'), 'OK');
      assert.equal(((await c.call('ECHO', 'x'.repeat(100_000))) as string).length, 100_000, 'no cap once authenticated');
      c.send(...Array.from({ length: 20 }, () => 'ECHO'));
      assert.deepEqual(await c.read(), { error: "ERR wrong number of arguments for 'echo' command" });
      c.close();
    });
  });

  test('client-output-buffer-limit: a client that never reads is dropped, others keep working', async () => {
    await withServer(target, { 'client-output-buffer-limit': 'normal 1mb 0 0' }, async (p) => {
      const other = await RawClient.connect(p);
      const value = patterned(256 * 1024);
      assert.equal(await other.call('SET', 'big', value), 'OK');
      const slow = await RawClient.connect(p);
      slow.socket.pause(); // do not read: 32MB of replies pile up on the server
      slow.write(Buffer.concat(Array.from({ length: 128 }, () => encodeCommand(['GET', 'big']))));
      for (let i = 0; i < 10; i++) {
        assert.equal(await other.call('ECHO', `still here ${i}`), `still here ${i}`);
        await sleep(50);
      }
      // Now read what the slow client was sent: less than all replies, then the close.
      const received = await drainUntilClose(slow, 10_000);
      assert.ok(received < 128 * value.length, `disconnected before getting every reply (got ${received} bytes)`);
      assert.equal(((await other.call('GET', 'big')) as string).length, value.length);
      other.close();
    });
  });

  test('client-output-buffer-limit: one reply over the hard limit closes the client', async () => {
    await withServer(target, { 'client-output-buffer-limit': 'normal 1mb 0 0' }, async (p) => {
      const c = await RawClient.connect(p);
      assert.equal(await c.call('SET', 'huge', patterned(2 * MB)), 'OK');
      assert.equal(await c.call('SET', 'small', 'x'), 'OK');
      c.send('GET', 'huge');
      await c.waitClose();
      assert.equal(c.pending(), '', 'the reply is not sent');
      const d = await RawClient.connect(p);
      assert.equal(await d.call('GET', 'small'), 'x');
      assert.equal(await d.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'), 'OK');
      assert.equal(((await d.call('GET', 'huge')) as string).length, 2 * MB, 'no limit, no problem');
      d.close();
    });
  });

  test('without an output limit the slow client gets everything', async () => {
    await withServer(target, {}, async (p) => {
      const c = await RawClient.connect(p);
      assert.equal(await c.call('SET', 'big', patterned(MB)), 'OK');
      c.socket.pause();
      c.write(Buffer.concat(Array.from({ length: 8 }, () => encodeCommand(['GET', 'big']))));
      await sleep(300);
      c.socket.resume();
      for (let i = 0; i < 8; i++) assert.equal(((await c.read(10_000)) as string).length, MB);
      c.close();
    });
  });

  test('a client that half-closes gets its replies, then the server frees it', async () => {
    await withServer(target, {}, async (p) => {
      const c = await RawClient.connect(p);
      c.write('PING\r\nECHO hello\r\n');
      c.socket.end();
      assert.equal(await c.read(), 'PONG');
      assert.equal(await c.read(), 'hello');
      await c.waitClose();
      const admin = await RawClient.connect(p);
      for (let i = 0; i < 100 && ((await admin.call('CLIENT', 'LIST')) as string).trim().split('\n').length > 1; i++) await sleep(20);
      assert.equal(((await admin.call('CLIENT', 'LIST')) as string).trim().split('\n').length, 1);
      admin.close();
    });
  });

  test('QUIT behind replies a slow reader has not taken: everything arrives in order, then the close', async () => {
    await withServer(target, {}, async (p) => {
      const c = await RawClient.connect(p);
      assert.equal(await c.call('SET', 'big', patterned(MB)), 'OK');
      c.socket.pause();
      const cmds = [];
      for (let i = 0; i < 6; i++) cmds.push(encodeCommand(['GET', 'big']), encodeCommand(['ECHO', String(i)]));
      cmds.push(encodeCommand(['QUIT']));
      c.write(Buffer.concat(cmds));
      await sleep(300);
      c.socket.resume();
      for (let i = 0; i < 6; i++) {
        assert.ok(patterned(MB).equals(Buffer.from((await c.read(10_000)) as string, 'latin1')));
        assert.equal(await c.read(), String(i));
      }
      assert.equal(await c.read(), 'OK');
      await c.waitClose();
    });
  });

  test('a slow reader does not stall other clients', async () => {
    await withServer(target, {}, async (p) => {
      const fast = await RawClient.connect(p);
      assert.equal(await fast.call('SET', 'big', patterned(MB)), 'OK');
      const slow = await RawClient.connect(p);
      slow.socket.pause();
      slow.write(Buffer.concat(Array.from({ length: 50 }, () => encodeCommand(['GET', 'big']))));
      await sleep(100);
      for (let i = 0; i < 20; i++) {
        const t = Date.now();
        assert.equal(await fast.call('ECHO', String(i)), String(i));
        assert.ok(Date.now() - t < 1000, 'each reply comes quickly');
      }
      slow.close();
      fast.close();
    });
  });
}

describe('limits: fjord', () => limitsSuite(fjordTarget));
describe('limits: reference redis-server', needsReference, () => limitsSuite(referenceTarget));
