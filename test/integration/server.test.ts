// TIME, LASTSAVE, MONITOR, SHUTDOWN and LOLWUT.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer } from '../helpers';

/** Resolves true when nothing listens on the port any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ port, host: '127.0.0.1' });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

describe('server commands', () => {
  let srv: RunningServer;
  let c: RawClient;

  before(async () => {
    srv = await startFjord();
    c = await RawClient.connect(srv.port);
  });
  after(async () => {
    c.close();
    await srv.stop();
  });

  test('TIME: seconds and microseconds as bulk strings', async () => {
    const r = (await c.call('TIME')) as string[];
    assert.equal(r.length, 2);
    assert.match(r[0], /^\d+$/);
    assert.match(r[1], /^\d{1,6}$/);
    const ms = Number(r[0]) * 1000 + Number(r[1]) / 1000;
    assert.ok(Math.abs(ms - Date.now()) < 2000);
    const again = (await c.call('TIME')) as string[];
    assert.ok(Number(again[0]) * 1e6 + Number(again[1]) >= Number(r[0]) * 1e6 + Number(r[1]), 'time moves forward');
    assert.deepEqual(await c.call('TIME', 'x'), { error: "ERR wrong number of arguments for 'time' command" });
    const io = new Redis(srv.port, '127.0.0.1');
    try {
      const [sec] = await io.time();
      assert.ok(Math.abs(Number(sec) - Date.now() / 1000) < 2);
    } finally {
      io.disconnect();
    }
  });

  test('LASTSAVE: the time of the last save', async () => {
    assert.equal(await c.call('LASTSAVE'), srv.server.lastSave);
    const nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
    await nr.connect();
    try {
      assert.equal(await nr.lastSave(), srv.server.lastSave);
    } finally {
      nr.destroy();
    }
  });

  describe('MONITOR', () => {
    test('streams the commands of other clients', async () => {
      const id = String(await c.call('CLIENT', 'ID'));
      const mon = await RawClient.connect(srv.port);
      assert.equal(await mon.call('MONITOR'), 'OK');
      await c.call('SET', 'mon:k', 'a b');
      await c.call('GET', 'mon:k');
      const set = (await mon.read()) as string;
      assert.match(set, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "mon:k" "a b"$/);
      assert.match((await mon.read()) as string, /"GET" "mon:k"$/);
      const [f] = ((await c.call('CLIENT', 'LIST', 'FLAGS', 'O')) as string).trim().split('\n');
      assert.match(f, / flags=O /);
      assert.doesNotMatch(f, new RegExp(`^id=${id} `));
      mon.close();
    });

    test('a second MONITOR is ignored without a reply', async () => {
      const mon = await RawClient.connect(srv.port);
      assert.equal(await mon.call('MONITOR'), 'OK');
      mon.send('MONITOR');
      mon.send('PING');
      assert.equal(await mon.read(), 'PONG');
      mon.close();
    });

    test('not inside MULTI/EXEC', async () => {
      const m = await RawClient.connect(srv.port);
      assert.equal(await m.call('MULTI'), 'OK');
      assert.equal(await m.call('MONITOR'), 'QUEUED');
      assert.deepEqual(await m.call('EXEC'), [{ error: "ERR MONITOR isn't allowed for DENY BLOCKING client" }]);
      assert.equal(await m.call('PING'), 'PONG');
      m.close();
    });
  });

  describe('SHUTDOWN', () => {
    test('argument errors and ABORT without a shutdown in progress', async () => {
      const cases: [string[], string][] = [
        [['SHUTDOWN', 'foo'], 'ERR syntax error'],
        [['SHUTDOWN', 'NOSAVE', 'SAVE'], 'ERR syntax error'],
        [['SHUTDOWN', 'ABORT', 'NOW'], 'ERR syntax error'],
        [['SHUTDOWN', 'ABORT', 'SAFE'], 'ERR syntax error'],
        [['SHUTDOWN', 'ABORT'], 'ERR No shutdown in progress.'],
      ];
      for (const [args, err] of cases) assert.deepEqual(await c.call(...args), { error: err }, args.join(' '));
      assert.equal(await c.call('MULTI'), 'OK');
      assert.deepEqual(await c.call('SHUTDOWN'), { error: 'ERR Command not allowed inside a transaction' });
      assert.deepEqual(await c.call('EXEC'), { error: 'EXECABORT Transaction discarded because of previous errors.' });
      assert.equal(await c.call('PING'), 'PONG', 'the server is still up');
    });

    test('a failing save refuses the shutdown; FORCE or NOSAVE go ahead', async () => {
      const s = await startFjord({ save: '3600 1' });
      let saves = 0;
      s.server.saver = () => {
        saves++;
        return false;
      };
      try {
        const a = await RawClient.connect(s.port);
        a.send('SHUTDOWN');
        a.send('PING');
        assert.deepEqual(await a.read(), { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
        assert.equal(await a.read(), 'PONG', 'the client carries on after the refusal');
        assert.equal(saves, 1);
        assert.deepEqual(await a.call('SHUTDOWN', 'SAVE'), { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
        a.send('SHUTDOWN', 'SAVE', 'FORCE');
        await a.waitClose();
        assert.equal(saves, 3);
        assert.equal(await refused(s.port), true);
      } finally {
        await s.stop();
      }
    });

    test('NOSAVE skips saving and stops the server', async () => {
      const s = await startFjord({ save: '3600 1' });
      let saves = 0;
      s.server.saver = () => {
        saves++;
        return true;
      };
      try {
        const a = await RawClient.connect(s.port);
        const b = await RawClient.connect(s.port);
        a.send('SHUTDOWN', 'NOSAVE', 'NOW');
        await a.waitClose();
        await b.waitClose();
        assert.equal(saves, 0);
        assert.equal(await refused(s.port), true);
      } finally {
        await s.stop();
      }
    });

    test('without persistence configured, a plain SHUTDOWN stops the server', async () => {
      const s = await startFjord({ save: '' });
      try {
        const io = new Redis(s.port, '127.0.0.1', { retryStrategy: () => null, lazyConnect: true });
        io.on('error', () => {});
        await io.connect();
        await io.shutdown().catch(() => undefined);
        await sleep(50);
        assert.equal(await refused(s.port), true);
        io.disconnect();
      } finally {
        await s.stop();
      }
    });
  });

  describe('LOLWUT', () => {
    const shades = ' .:-=+*%#&@';

    test('default: the version 9 Julia set, 80x40', async () => {
      const out = (await c.call('LOLWUT')) as string;
      const lines = out.split('\n');
      assert.equal(lines.length, 43, '40 rows, two text lines, and the final newline');
      for (const l of lines.slice(0, 40)) {
        assert.equal(l.length, 80);
        assert.ok([...l].every((ch) => shades.includes(ch)), l);
      }
      assert.match(lines[40], /^Ascii representation of Julia set with constant -?\d\.\d\d \+ -?\d\.\d\di$/);
      assert.equal(lines[41], "Don't forget to have fun! Valkey ver. 9.0.0");
      assert.equal(lines[42], '');
    });

    test('columns, rows and the constant; deterministic for a given constant', async () => {
      const out = (await c.call('LOLWUT', '40', '20', '0.285', '0.01')) as string;
      assert.equal(out, await c.call('LOLWUT', 'VERSION', '9', '40', '20', '0.285', '0.01'));
      const lines = out.split('\n');
      assert.equal(lines.length, 23);
      assert.equal(lines[0][0], ' ', 'the corner escapes at once');
      assert.equal(lines[10][20], '@', 'the centre never escapes');
      assert.equal(lines[20], 'Ascii representation of Julia set with constant 0.28 + 0.01i');
      const big = (await c.call('LOLWUT', '1000', '1000', '0', '0')) as string;
      assert.equal(big.split('\n').length, 83, 'at most 160x80');
      assert.equal(big.split('\n')[0].length, 160);
    });

    test('errors', async () => {
      assert.deepEqual(await c.call('LOLWUT', '10'), { error: 'ERR Syntax error. Use: LOLWUT [columns rows] [real imaginary]' });
      assert.deepEqual(await c.call('LOLWUT', '10', '10', '1'), { error: 'ERR Syntax error. Use: LOLWUT [columns rows] [real imaginary]' });
      assert.deepEqual(await c.call('LOLWUT', 'a', 'b'), { error: 'ERR value is not an integer or out of range' });
      assert.deepEqual(await c.call('LOLWUT', '10', '10', 'x', '1'), { error: 'ERR value is not a valid float' });
      assert.deepEqual(await c.call('LOLWUT', 'VERSION', 'abc'), { error: 'ERR value is not an integer or out of range' });
    });

    test('VERSION 5: Schotter in braille', async () => {
      const raw = (await c.call('LOLWUT', 'VERSION', '5')) as string;
      const text = Buffer.from(raw, 'latin1').toString('utf8');
      assert.ok(text.endsWith('\nGeorg Nees - schotter, plotter on paper, 1968. Valkey ver. 9.0.0\n'));
      const art = text.split('\n').filter((l) => l !== '' && !l.startsWith('Georg'));
      assert.ok(art.length > 10);
      for (const l of art) {
        assert.equal([...l].length, 66);
        assert.ok([...l].every((ch) => ch.charCodeAt(0) >= 0x2800 && ch.charCodeAt(0) <= 0x28ff));
      }
      assert.ok(art.some((l) => [...l].some((ch) => ch !== '\u2800')), 'something is drawn');
      const small = Buffer.from((await c.call('LOLWUT', 'VERSION', '5', '10', '2', '2')) as string, 'latin1').toString('utf8');
      assert.equal([...small.split('\n')[0]].length, 10);
    });

    test('VERSION 6: a skyline in terminal grays', async () => {
      const out = (await c.call('LOLWUT', 'VERSION', '6', '30', '8')) as string;
      assert.ok(out.endsWith('\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Valkey ver. 9.0.0\n'));
      const rows = out.split('\n').slice(0, 8);
      for (const r of rows) assert.equal(r.match(/\x1b\[0;\d\d;\d\d\dm \x1b\[0m|\x1b\[0;\d\d;\d\dm \x1b\[0m/g)!.length, 30);
    });

    test('other versions print the version only; RESP3 verbatim; Redis look-alike', async () => {
      assert.equal(await c.call('LOLWUT', 'VERSION', '7'), 'Valkey ver. 9.0.0\n');
      assert.equal(await c.call('LOLWUT', 'VERSION', '-1'), 'Valkey ver. 9.0.0\n');
      const r = await RawClient.connect(srv.port);
      await r.call('HELLO', '3');
      assert.deepEqual(await r.call('LOLWUT', 'VERSION', '1'), { type: 'verbatim', value: 'txt:Valkey ver. 9.0.0\n' });
      r.close();
      await c.call('CONFIG', 'SET', 'extended-redis-compatibility', 'yes');
      try {
        assert.equal(await c.call('LOLWUT', 'VERSION', '1'), 'Redis ver. 7.2.4\n');
      } finally {
        await c.call('CONFIG', 'SET', 'extended-redis-compatibility', 'no');
      }
    });
  });
});

describe('server command replies match the reference server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let fjord: RunningServer;
  let ref: ReferenceServer;
  before(async () => {
    fjord = await startFjord();
    ref = await startReference();
  });
  after(async () => {
    await fjord.stop();
    await ref.stop();
  });

  const cases: string[][] = [
    ['SHUTDOWN', 'foo'],
    ['SHUTDOWN', 'NOSAVE', 'SAVE'],
    ['SHUTDOWN', 'ABORT', 'NOW'],
    ['SHUTDOWN', 'ABORT'],
    ['TIME', 'x'],
    ['LASTSAVE', 'x'],
    ['MONITOR', 'x'],
    ['LOLWUT', 'VERSION', 'abc'],
  ];
  for (const args of cases) {
    test(args.join(' '), async () => {
      const a = await RawClient.connect(fjord.port);
      const b = await RawClient.connect(ref.port);
      try {
        assert.deepEqual(await a.call(...args), await b.call(...args));
      } finally {
        a.close();
        b.close();
      }
    });
  }

  test('MONITOR inside MULTI', async () => {
    for (const port of [fjord.port, ref.port]) {
      const m = await RawClient.connect(port);
      await m.call('MULTI');
      await m.call('MONITOR');
      assert.deepEqual(await m.call('EXEC'), [{ error: "ERR MONITOR isn't allowed for DENY BLOCKING client" }]);
      m.close();
    }
  });
});
