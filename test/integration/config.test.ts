// CONFIG GET / SET / REWRITE / RESETSTAT / HELP through raw RESP (RESP2 and RESP3), ioredis,
// node-redis and redis-cli, with the error replies checked against the reference server.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer } from '../helpers';

const run = promisify(execFile);

/** A flat RESP2 CONFIG GET reply as name -> value. */
function pairs(reply: unknown): Map<string, string> {
  assert.ok(Array.isArray(reply), JSON.stringify(reply));
  const m = new Map<string, string>();
  for (let i = 0; i < reply.length; i += 2) m.set(reply[i] as string, reply[i + 1] as string);
  return m;
}

describe('CONFIG', () => {
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

  describe('GET', () => {
    test('one name, several names and patterns, without duplicates', async () => {
      assert.deepEqual(await c.call('CONFIG', 'GET', 'maxmemory'), ['maxmemory', '0']);
      assert.deepEqual(await c.call('CONFIG', 'GET', 'MAXMEMORY'), ['MAXMEMORY', '0'], 'an exact name comes back as asked');
      const m = pairs(await c.call('CONFIG', 'GET', 'maxmemory', 'hz', 'maxmemory', 'maxmemory-*'));
      assert.equal(m.get('hz'), '10');
      assert.equal(m.get('maxmemory'), '0');
      assert.equal(m.get('maxmemory-policy'), 'noeviction');
      assert.equal(m.get('maxmemory-samples'), '5');
      const flat = (await c.call('CONFIG', 'GET', 'maxmemory', 'maxmemory')) as string[];
      assert.equal(flat.length, 2);
      assert.deepEqual(await c.call('CONFIG', 'GET', 'no-such-param'), []);
      assert.deepEqual(await c.call('CONFIG', 'GET', 'no-such-*'), []);
    });

    test('a pattern matches names and aliases', async () => {
      const m = pairs(await c.call('CONFIG', 'GET', '*slave-read-only*'));
      assert.equal(m.get('slave-read-only'), 'yes');
      const all = pairs(await c.call('CONFIG', 'GET', '*'));
      assert.ok(all.size > 150);
      assert.equal(all.get('databases'), '16');
      assert.equal(all.get('replica-read-only'), 'yes');
    });

    test('RESP3: a map', async () => {
      const r = await RawClient.connect(srv.port);
      await r.call('HELLO', '3');
      assert.deepEqual(await r.call('CONFIG', 'GET', 'hz', 'databases'), { type: 'map', value: ['hz', '10', 'databases', '16'] });
      assert.deepEqual(await r.call('CONFIG', 'GET', 'nothing'), { type: 'map', value: [] });
      r.close();
    });
  });

  describe('SET', () => {
    test('several parameters at once, applied together', async () => {
      assert.equal(await c.call('CONFIG', 'SET', 'maxmemory-samples', '7', 'hz', '20'), 'OK');
      assert.deepEqual(pairs(await c.call('CONFIG', 'GET', 'maxmemory-samples', 'hz')), new Map([['maxmemory-samples', '7'], ['hz', '20']]));
      assert.equal(srv.server.config.num('hz'), 20);
      await c.call('CONFIG', 'SET', 'maxmemory-samples', '5', 'hz', '10');
    });

    test('one bad value rolls every parameter back', async () => {
      assert.deepEqual(await c.call('CONFIG', 'SET', 'maxmemory-samples', '9', 'maxmemory', 'abc'), {
        error: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
      });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'maxmemory-samples'), ['maxmemory-samples', '5']);
    });

    test('errors', async () => {
      const cases: [string[], string][] = [
        [['CONFIG', 'SET', 'maxmemory'], "ERR wrong number of arguments for 'config|set' command"],
        [['CONFIG', 'SET', 'a', 'b', 'c'], 'ERR syntax error'],
        [['CONFIG', 'SET', 'foo', 'bar'], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"],
        [['CONFIG', 'SET', 'maxmemory', '10', 'maxmemory', '20'], "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter"],
        [['CONFIG', 'SET', 'daemonize', 'yes'], "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"],
        [['CONFIG', 'GET'], "ERR wrong number of arguments for 'config|get' command"],
        [['CONFIG'], "ERR wrong number of arguments for 'config' command"],
        [['CONFIG', 'FOO'], "ERR unknown subcommand 'FOO'. Try CONFIG HELP."],
        [['CONFIG', 'RESETSTAT', 'x'], "ERR wrong number of arguments for 'config|resetstat' command"],
      ];
      for (const [args, err] of cases) assert.deepEqual(await c.call(...args), { error: err }, args.join(' '));
    });

    test('a sensitive value is redacted in MONITOR and the slowlog', async () => {
      const mon = await RawClient.connect(srv.port);
      assert.equal(await mon.call('MONITOR'), 'OK');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      assert.equal(await c.call('CONFIG', 'SET', 'masterauth', 'sekrit'), 'OK');
      await sleep(20);
      const seen = mon.pending();
      assert.match(seen, /"CONFIG" "SET" "masterauth" "\(redacted\)"/);
      assert.doesNotMatch(seen, /sekrit/);
      const log = srv.server.commandLog.logs.slow.find((e) => e.argv.includes('masterauth'));
      assert.deepEqual(log?.argv, ['CONFIG', 'SET', 'masterauth', '(redacted)']);
      assert.deepEqual(await c.call('CONFIG', 'GET', 'masterauth'), ['masterauth', 'sekrit'], 'CONFIG GET still shows it');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'masterauth', '');
      mon.close();
    });
  });

  describe('REWRITE, RESETSTAT, HELP', () => {
    test('REWRITE without a config file fails, with one it writes the changes', async () => {
      assert.deepEqual(await c.call('CONFIG', 'REWRITE'), { error: 'ERR The server is running without a config file' });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-config-'));
      const file = path.join(dir, 'valkey.conf');
      fs.writeFileSync(file, '# my settings\nmaxmemory-samples 5\n');
      srv.server.config.configFile = file;
      try {
        await c.call('CONFIG', 'SET', 'maxmemory-samples', '8');
        assert.equal(await c.call('CONFIG', 'REWRITE'), 'OK');
        const text = fs.readFileSync(file, 'latin1');
        assert.match(text, /^# my settings\nmaxmemory-samples 8\n/);
      } finally {
        srv.server.config.configFile = null;
        await c.call('CONFIG', 'SET', 'maxmemory-samples', '5');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('RESETSTAT resets statistics but keeps the slowlog', async () => {
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await c.call('GET', 'x');
      await c.call('NOSUCH');
      const slowBefore = srv.server.commandLog.logs.slow.length;
      assert.ok(slowBefore > 0);
      assert.equal(await c.call('CONFIG', 'RESETSTAT'), 'OK');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      assert.ok(srv.server.commandLog.logs.slow.length >= slowBefore, 'the slowlog survives');
      assert.equal(srv.server.stats.totalErrorReplies, 0);
      assert.equal(srv.server.ctx.stats.keyspaceMisses, 0);
      assert.equal(srv.server.commands.get('get')!.stats.calls, 0);
      assert.equal(srv.server.commands.get('config')!.subcommands!.get('set')!.stats.calls, 1);
    });

    test('HELP', async () => {
      assert.deepEqual(await c.call('CONFIG', 'HELP'), [
        'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
        'GET <pattern>',
        '    Return parameters matching the glob-like <pattern> and their values.',
        'SET <directive> <value>',
        '    Set the configuration <directive> to <value>.',
        'RESETSTAT',
        '    Reset statistics reported by the INFO command.',
        'REWRITE',
        '    Rewrite the configuration file.',
        'HELP',
        '    Prints this help.',
      ]);
    });
  });

  test('ioredis, node-redis and redis-cli', async () => {
    const io = new Redis(srv.port, '127.0.0.1');
    const nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
    await nr.connect();
    try {
      assert.deepEqual(await io.config('GET', 'databases'), ['databases', '16']);
      assert.equal(await io.config('SET', 'maxmemory-samples', '6'), 'OK');
      assert.deepEqual(await nr.configGet('maxmemory-samples'), { 'maxmemory-samples': '6' });
      assert.equal(await nr.configSet({ 'maxmemory-samples': '5', hz: '10' }), 'OK');
      assert.equal(await nr.configResetStat(), 'OK');
      if (referenceAvailable()) {
        const { stdout } = await run('redis-cli', ['-p', String(srv.port), 'config', 'get', 'maxmemory-samples']);
        assert.equal(stdout, 'maxmemory-samples\n5\n');
      }
    } finally {
      io.disconnect();
      nr.destroy();
    }
  });
});

describe('CONFIG error replies match the reference server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
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
    ['CONFIG', 'SET', 'a', 'b', 'c'],
    ['CONFIG', 'SET', 'maxmemory'],
    ['CONFIG', 'SET', 'foo', 'bar'],
    ['CONFIG', 'SET', 'maxmemory', '1', 'maxmemory', '2'],
    ['CONFIG', 'SET', 'maxmemory', 'abc'],
    ['CONFIG', 'SET', 'hz', 'x'],
    ['CONFIG', 'GET'],
    ['CONFIG', 'GET', 'maxmemory', 'hz', 'maxmemory'],
    ['CONFIG', 'GET', 'no-such'],
    ['CONFIG', 'REWRITE'],
    ['CONFIG', 'HELP', 'x'],
    ['CONFIG', 'foo'],
  ];
  for (const args of cases) {
    test(args.join(' '), async () => {
      const a = await RawClient.connect(fjord.port);
      const b = await RawClient.connect(ref.port);
      // Valkey collects CONFIG GET matches in a hash table: the pair order is unspecified.
      const normalize = (r: unknown) => (Array.isArray(r) ? [...pairs(r).entries()].sort() : r);
      try {
        assert.deepEqual(normalize(await a.call(...args)), normalize(await b.call(...args)));
      } finally {
        a.close();
        b.close();
      }
    });
  }
});
