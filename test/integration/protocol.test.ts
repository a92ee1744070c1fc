// Protocol edge cases over raw sockets: inline commands, malformed multibulk requests, split
// and pipelined input, and the limits Valkey enforces on connections (proto-max-bulk-len,
// client-query-buffer-limit, maxclients, timeout, client-output-buffer-limit).
//
// Every case runs against Fjord and, where the behaviour is the same in Redis 7.0 and
// Valkey 9.0, against the reference redis-server too, so the expectations are checked as well.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFjord, startReference, referenceAvailable, RawClient, encodeCommand, sleep } from '../helpers';

interface Target {
  name: string;
  /** start a server with extra config directives */
  start(config?: Record<string, string>): Promise<{ port: number; stop(): Promise<void> }>;
}

const fjord: Target = {
  name: 'fjord',
  start: async (config = {}) => {
    const s = await startFjord(config);
    return { port: s.port, stop: () => s.stop() };
  },
};

const reference: Target = {
  name: 'reference redis-server',
  start: (config = {}) => startReference(Object.entries(config).flatMap(([k, v]) => [`--${k}`, v])),
};

const MB = 1024 * 1024;

/** Run fn against a server of this target started with config, and always stop it. */
async function withServer(target: Target, config: Record<string, string>, fn: (port: number) => Promise<void>): Promise<void> {
  const s = await target.start(config);
  try {
    await fn(s.port);
  } finally {
    await s.stop();
  }
}

/** Send raw bytes on a fresh connection; return every reply and whether the server closed it. */
async function exchange(port: number, data: string | Buffer, replies: number): Promise<{ replies: unknown[]; closed: boolean; client: RawClient }> {
  const c = await RawClient.connect(port);
  c.write(data);
  const got: unknown[] = [];
  for (let i = 0; i < replies; i++) got.push(await c.read());
  let closed = true;
  try {
    await c.waitClose(1000);
  } catch {
    closed = false;
  }
  return { replies: got, closed, client: c };
}

async function expectProtocolError(port: number, data: string, message: string, before: unknown[] = []): Promise<void> {
  const r = await exchange(port, data, before.length + 1);
  assert.deepEqual(r.replies, [...before, { error: message }]);
  assert.equal(r.closed, true, 'the connection is closed after a protocol error');
}

/** Send `data` in pieces of `size` bytes, each in its own socket write, pausing between them. */
async function writeInPieces(c: RawClient, data: Buffer, size: number, pauseMs: number): Promise<void> {
  for (let i = 0; i < data.length; i += size) {
    const ok = c.socket.write(data.subarray(i, i + size));
    if (!ok) await new Promise((r) => c.socket.once('drain', r));
    if (pauseMs > 0) await sleep(pauseMs);
    else await new Promise((r) => setImmediate(r));
  }
}

/** A value whose every byte depends on its position, so misplaced chunks are detected. */
function patterned(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

function protocolSuite(target: Target): void {
  let port: number;
  let stop: () => Promise<void>;

  before(async () => {
    const s = await target.start();
    port = s.port;
    stop = () => s.stop();
  });
  after(async () => stop());

  describe('inline commands', () => {
    test('spaces, double and single quotes, escapes', async () => {
      const c = await RawClient.connect(port);
      c.write('SET inline:k "hello world"\r\n');
      assert.equal(await c.read(), 'OK');
      c.write('GET inline:k\r\n');
      assert.equal(await c.read(), 'hello world');
      c.write('SET inline:k "a\\x41\\n\\t\\"q\\"\\\\"\r\n');
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('GET', 'inline:k'), 'aA\n\t"q"\\');
      c.write("SET inline:k 'it\\'s \"raw\" \\n'\r\n");
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('GET', 'inline:k'), 'it\'s "raw" \\n');
      c.write('SET   inline:k    ""   \r\n');
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('GET', 'inline:k'), '');
      c.close();
    });

    test('LF-only line ends, blank lines are skipped, mixed with multibulk', async () => {
      const c = await RawClient.connect(port);
      c.write('\r\n\n   \r\nPING\nECHO x\r\n*1\r\n$4\r\nPING\r\n\nPING hi\n');
      assert.equal(await c.read(), 'PONG');
      assert.equal(await c.read(), 'x');
      assert.equal(await c.read(), 'PONG');
      assert.equal(await c.read(), 'hi');
      await sleep(50);
      assert.equal(c.pending(), '', 'blank lines produce no reply');
      c.close();
    });

    test('unbalanced quotes: error, earlier commands answered, connection closed', async () => {
      await expectProtocolError(port, 'PING\r\nSET k "abc\r\nPING\r\n', 'ERR Protocol error: unbalanced quotes in request', ['PONG']);
      await expectProtocolError(port, "SET k 'abc\r\n", 'ERR Protocol error: unbalanced quotes in request');
      // a closing quote must be followed by a space
      await expectProtocolError(port, 'SET k "a"b\r\n', 'ERR Protocol error: unbalanced quotes in request');
    });

    test('an inline request over 64KB without a newline is refused', async () => {
      await expectProtocolError(port, 'SET k ' + 'a'.repeat(70 * 1024), 'ERR Protocol error: too big inline request');
    });

    test('a long inline request with its newline is fine', async () => {
      const c = await RawClient.connect(port);
      const v = 'b'.repeat(60 * 1024);
      c.write(`SET inline:long ${v}\r\n`);
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('GET', 'inline:long'), v);
      c.close();
    });
  });

  describe('multibulk errors', () => {
    const cases: [string, string, string][] = [
      ['non-numeric count', '*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['count over INT_MAX', '*3000000000\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['count with a plus sign', '*+1\r\n$4\r\nPING\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['count ended by a bare LF', '*1\n$4\r\nPING\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['missing $', '*1\r\nx\r\n', "ERR Protocol error: expected '$', got 'x'"],
      ['inline inside a multibulk', '*2\r\n$4\r\nECHO\r\nhello\r\n', "ERR Protocol error: expected '$', got 'h'"],
      ['non-numeric bulk length', '*1\r\n$abc\r\n', 'ERR Protocol error: invalid bulk length'],
      ['negative bulk length', '*1\r\n$-1\r\n', 'ERR Protocol error: invalid bulk length'],
      ['bulk length with a space', '*1\r\n$ 4\r\nPING\r\n', 'ERR Protocol error: invalid bulk length'],
      ['bulk length ended by a bare LF', '*1\r\n$4\nPING\r\n', 'ERR Protocol error: invalid bulk length'],
      ['empty bulk length', '*1\r\n$\r\n', 'ERR Protocol error: invalid bulk length'],
      ['count header over 64KB', '*' + '1'.repeat(70 * 1024), 'ERR Protocol error: too big mbulk count string'],
      ['bulk header over 64KB', '*1\r\n$' + '1'.repeat(70 * 1024), 'ERR Protocol error: too big bulk count string'],
    ];
    for (const [name, data, message] of cases) {
      test(name, async () => expectProtocolError(port, data, message));
    }

    test('commands before the error in the same packet are answered', async () => {
      await expectProtocolError(port, '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$x\r\n', 'ERR Protocol error: invalid bulk length', ['PONG', 'hi']);
    });

    test('empty and null multibulks are ignored', async () => {
      const r = await exchange(port, '*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n', 1);
      assert.deepEqual(r.replies, ['PONG']);
      assert.equal(r.closed, false);
      r.client.close();
    });

    test('the two bytes after a bulk are skipped without being checked', async () => {
      const r = await exchange(port, '*2\r\n$4\r\nECHO\r\n$3\r\nabcXY*1\r\n$4\r\nPING\r\n', 2);
      assert.deepEqual(r.replies, ['abc', 'PONG']);
      r.client.close();
    });

    test('a protocol error on one connection leaves others untouched', async () => {
      const other = await RawClient.connect(port);
      assert.equal(await other.call('SET', 'survivor', 'yes'), 'OK');
      await expectProtocolError(port, '*1\r\n$-5\r\n', 'ERR Protocol error: invalid bulk length');
      assert.equal(await other.call('GET', 'survivor'), 'yes');
      other.close();
    });
  });

  describe('split and pipelined input', () => {
    test('10,000 commands in one packet are all answered in order', async () => {
      const c = await RawClient.connect(port);
      const parts: Buffer[] = [];
      for (let i = 0; i < 5000; i++) {
        parts.push(encodeCommand(['SET', `pipe:${i}`, `v${i}`]));
        parts.push(encodeCommand(['GET', `pipe:${i}`]));
      }
      c.write(Buffer.concat(parts));
      for (let i = 0; i < 5000; i++) {
        assert.equal(await c.read(), 'OK');
        assert.equal(await c.read(), `v${i}`);
      }
      c.close();
    });

    test('10,000 inline commands in one packet', async () => {
      const c = await RawClient.connect(port);
      c.write('PING\r\n'.repeat(10_000));
      for (let i = 0; i < 10_000; i++) assert.equal(await c.read(), 'PONG');
      c.close();
    });

    test('a command sent one byte at a time', async () => {
      const c = await RawClient.connect(port);
      const value = 'binary\r\n\0\xff value';
      await writeInPieces(c, encodeCommand(['SET', 'split:small', value]), 1, 1);
      assert.equal(await c.read(), 'OK');
      await writeInPieces(c, Buffer.from('GET split:small\r\n'), 1, 1);
      assert.equal(await c.read(), value);
      c.close();
    });

    test('a 10MB argument sent in 64KB chunks', async () => {
      const c = await RawClient.connect(port);
      const value = patterned(10 * MB);
      await writeInPieces(c, encodeCommand(['SET', 'split:big', value]), 64 * 1024, 0);
      assert.equal(await c.read(10_000), 'OK');
      c.send('GET', 'split:big');
      const got = (await c.read(10_000)) as string;
      assert.equal(got.length, value.length);
      assert.ok(Buffer.from(got, 'latin1').equals(value), 'the value comes back byte for byte');
      c.close();
    });

    test('a big argument followed by more commands in the same chunks', async () => {
      const c = await RawClient.connect(port);
      const value = patterned(300 * 1024);
      const data = Buffer.concat([encodeCommand(['SET', 'split:mid', value]), encodeCommand(['ECHO', 'after']), encodeCommand(['PING'])]);
      await writeInPieces(c, data, 7000, 0);
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.read(), 'after');
      assert.equal(await c.read(), 'PONG');
      assert.equal(((await c.call('GET', 'split:mid')) as string).length, value.length);
      c.close();
    });
  });

  describe('limits', () => {
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
      const c = await RawClient.connect(port);
      assert.equal(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb'), 'OK');
      try {
        c.write(`*2\r\n$4\r\nECHO\r\n$${2 * MB}\r\n`);
        assert.deepEqual(await c.read(), { error: 'ERR Protocol error: invalid bulk length' });
        await c.waitClose();
      } finally {
        const d = await RawClient.connect(port);
        assert.equal(await d.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb'), 'OK');
        d.close();
      }
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

    test('client-output-buffer-limit: a client that never reads is dropped, others keep working', async () => {
      await withServer(target, { 'client-output-buffer-limit': 'normal 1mb 0 0' }, async (p) => {
        const other = await RawClient.connect(p);
        assert.equal(await other.call('SET', 'big', patterned(MB)), 'OK');
        const slow = await RawClient.connect(p);
        slow.socket.pause(); // do not read: 32MB of replies pile up on the server
        slow.write(Buffer.concat(Array.from({ length: 32 }, () => encodeCommand(['GET', 'big']))));
        for (let i = 0; i < 10; i++) {
          assert.equal(await other.call('ECHO', `still here ${i}`), `still here ${i}`);
          await sleep(50);
        }
        // Now read what the slow client was sent: less than all replies, then the close.
        const received = await drainUntilClose(slow, 10_000);
        assert.ok(received < 32 * MB, `disconnected before getting every reply (got ${received} bytes)`);
        assert.equal(((await other.call('GET', 'big')) as string).length, MB);
        other.close();
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
  });
}

/** Resume a paused client and count the bytes it receives until the server closes it. */
async function drainUntilClose(c: RawClient, timeoutMs: number): Promise<number> {
  let bytes = 0;
  c.socket.removeAllListeners('data');
  c.socket.on('data', (d: Buffer) => {
    bytes += d.length;
  });
  c.socket.resume();
  await c.waitClose(timeoutMs);
  return bytes;
}

describe('protocol: fjord', () => protocolSuite(fjord));
describe('protocol: reference redis-server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => protocolSuite(reference));

describe('RESP3 (fjord)', () => {
  let srv: Awaited<ReturnType<typeof startFjord>>;
  before(async () => {
    srv = await startFjord();
  });
  after(async () => srv.stop());

  test('HELLO 3 answers with a map and switches the reply types', async () => {
    const c = await RawClient.connect(srv.port);
    c.send('HELLO', '3');
    const hello = (await c.read()) as { type: string; value: unknown[] };
    assert.equal(hello.type, 'map');
    const fields = new Map<string, unknown>();
    for (let i = 0; i < hello.value.length; i += 2) fields.set(hello.value[i] as string, hello.value[i + 1]);
    assert.deepEqual([...fields.keys()], ['server', 'version', 'proto', 'id', 'mode', 'role', 'modules']);
    assert.equal(fields.get('server'), 'valkey');
    assert.equal(fields.get('proto'), 3);
    assert.equal(fields.get('mode'), 'standalone');
    assert.equal(fields.get('role'), 'master');
    assert.deepEqual(fields.get('modules'), []);

    c.send('GET', 'no-such-key');
    await sleep(50);
    assert.equal(c.pending(), '_\r\n', 'RESP3 null');
    assert.equal(await c.read(), null);

    c.send('HELLO', '2');
    const hello2 = await c.read();
    assert.ok(Array.isArray(hello2), 'HELLO 2 answers with a flat array');
    c.send('GET', 'no-such-key');
    await sleep(50);
    assert.equal(c.pending(), '$-1\r\n', 'RESP2 null bulk');
    await c.read();
    c.close();
  });

  test('unsupported protocol versions are refused and the connection stays usable', async () => {
    const c = await RawClient.connect(srv.port);
    assert.deepEqual(await c.call('HELLO', '4'), { error: 'NOPROTO unsupported protocol version' });
    assert.deepEqual(await c.call('HELLO', '1'), { error: 'NOPROTO unsupported protocol version' });
    assert.equal(await c.call('PING'), 'PONG');
    c.close();
  });
});
