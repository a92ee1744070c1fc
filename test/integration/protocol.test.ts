// Protocol edge cases over raw sockets: inline commands, malformed multibulk requests, split
// and pipelined input, RESP3. Every case runs against Fjord and against the reference
// redis-server too (the behaviour is the same in Redis 7.0 and Valkey 9.0), so the
// expectations are checked as well.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFjord, RawClient, encodeCommand, sleep } from '../helpers';
import { MB, type Target, fjordTarget, referenceTarget, needsReference, exchange, expectProtocolError, writeInPieces, patterned } from './support';

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
      ['count with a leading zero', '*01\r\n$4\r\nPING\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['zero count written 00', '*00\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['negative zero count', '*-0\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['bulk length with a leading zero', '*1\r\n$04\r\nPING\r\n', 'ERR Protocol error: invalid bulk length'],
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

    test('several clients sending parts of commands in turn keep their own bytes', async () => {
      // Each client's partial command must survive the other clients' reads in between.
      const clients = await Promise.all([0, 1, 2, 3].map(() => RawClient.connect(port)));
      const values = clients.map((_, i) => patterned(5000 + 70_000 * i).subarray(i));
      const commands = clients.map((_, i) => Buffer.concat([encodeCommand(['SET', `turns:${i}`, values[i]]), encodeCommand(['GET', `turns:${i}`])]));
      const pieces = 23;
      for (let k = 0; k < pieces; k++) {
        for (let i = 0; i < clients.length; i++) {
          const size = Math.ceil(commands[i].length / pieces);
          clients[i].socket.write(commands[i].subarray(k * size, (k + 1) * size));
        }
        await sleep(2);
      }
      for (let i = 0; i < clients.length; i++) {
        assert.equal(await clients[i].read(10_000), 'OK');
        const got = (await clients[i].read(10_000)) as string;
        assert.ok(Buffer.from(got, 'latin1').equals(values[i]), `client ${i} gets its value back byte for byte`);
        clients[i].close();
      }
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
}

describe('protocol: fjord', () => protocolSuite(fjordTarget));
describe('protocol: reference redis-server', needsReference, () => protocolSuite(referenceTarget));

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
