// SLOWLOG, COMMANDLOG, LATENCY and MEMORY through real clients and raw RESP2/RESP3, with the
// error replies compared against the reference redis-server 7.0 where it has the command.

import { describe, it, before, after, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer, type Tagged } from '../helpers';
import { LatencyMonitor, LATENCY_TS_LEN } from '../../src/server/latency';
import type { Client } from '../../src/server/client';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

before(async () => {
  ({ srv, io, raw, raw3 } = await startWithClients());
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

/** CONFIG SET in-process (the CONFIG command is another module's). */
function configSet(name: string, value: string): void {
  const err = srv.server.config.set([[name, value]]);
  assert.equal(err, null);
}

function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && 'type' in v && 'value' in v) {
    const t = v as Tagged;
    if (t.type === 'map') {
      const items = t.value as unknown[];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < items.length; i += 2) o[String(items[i])] = plain(items[i + 1]);
      return o;
    }
    if (t.type === 'set') return (t.value as unknown[]).map(plain);
    return t.value;
  }
  return v;
}

type Entry = [number, number, number, string[], string, string];

describe('SLOWLOG', () => {
  beforeEach(() => {
    configSet('slowlog-log-slower-than', '0');
    configSet('slowlog-max-len', '128');
    srv.server.commandLog.reset('slow');
  });
  after(() => {
    configSet('slowlog-log-slower-than', '10000');
  });

  it('logs commands as [id, time, usec, args, ip:port, name], newest first', async () => {
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('HELLO', '2', 'SETNAME', 'slowpoke');
      await c.call('SET', 'k', 'v');
      await c.call('GET', 'k');
      const entries = (await c.call('SLOWLOG', 'GET')) as Entry[];
      const get = entries.find((e) => e[3][0] === 'GET')!;
      const set = entries.find((e) => e[3][0] === 'SET')!;
      assert.deepEqual(get[3], ['GET', 'k']);
      assert.deepEqual(set[3], ['SET', 'k', 'v']);
      assert.ok(get[0] > set[0], 'ids grow');
      assert.ok(entries.indexOf(get) < entries.indexOf(set), 'newest first');
      const now = Math.floor(Date.now() / 1000);
      assert.ok(Math.abs(get[1] - now) <= 2);
      assert.ok(Number.isInteger(get[2]) && get[2] >= 0);
      assert.equal(get[4], `127.0.0.1:${c.socket.localPort}`);
      assert.equal(get[5], 'slowpoke');
    } finally {
      c.close();
    }
  });

  it('GET takes a count (default 10, -1 for all), LEN counts, RESET empties', async () => {
    for (let i = 0; i < 15; i++) await io.set(`k${i}`, 'v');
    assert.equal(((await io.call('SLOWLOG', 'GET')) as unknown[]).length, 10);
    assert.equal(((await io.call('SLOWLOG', 'GET', '3')) as unknown[]).length, 3);
    const all = (await io.call('SLOWLOG', 'GET', '-1')) as unknown[];
    assert.ok(all.length >= 16);
    const len = (await io.call('SLOWLOG', 'LEN')) as number;
    assert.ok(len >= all.length);
    assert.equal(await io.call('SLOWLOG', 'RESET'), 'OK');
    // the RESET itself is logged after it ran
    assert.equal(await io.call('SLOWLOG', 'LEN'), 1);
    assert.deepEqual(((await io.call('SLOWLOG', 'GET', '9223372036854775807')) as Entry[]).map((e) => e[3]), [['SLOWLOG', 'LEN'], ['SLOWLOG', 'RESET']]);
  });

  it('keeps at most slowlog-max-len entries, and nothing when disabled', async () => {
    configSet('slowlog-max-len', '5');
    for (let i = 0; i < 10; i++) await io.call('PING');
    assert.equal(await io.call('SLOWLOG', 'LEN'), 5);
    configSet('slowlog-log-slower-than', '-1');
    srv.server.commandLog.reset('slow');
    await io.call('PING');
    assert.equal(await io.call('SLOWLOG', 'LEN'), 0);
    configSet('slowlog-log-slower-than', '100000000');
    await io.call('PING');
    assert.equal(await io.call('SLOWLOG', 'LEN'), 0);
  });

  it('cuts long argument lists and long arguments', async () => {
    const args = Array.from({ length: 40 }, (_, i) => `a${i}`);
    await io.call('ECHO', 'x'.repeat(200));
    await io.call('DEL', ...args);
    const [del, echo] = (await io.call('SLOWLOG', 'GET', '2')) as Entry[];
    assert.equal(del[3].length, 32);
    assert.deepEqual(del[3].slice(0, 3), ['DEL', 'a0', 'a1']);
    assert.equal(del[3][31], '... (10 more arguments)');
    assert.equal(echo[3][1], 'x'.repeat(128) + '... (72 more bytes)');
  });

  it('hides the value of sensitive parameters in CONFIG SET', () => {
    const fake = { addr: '1.2.3.4:5', name: '' } as unknown as Client;
    srv.server.commandLog.record(fake, ['CONFIG', 'SET', 'requirepass', 'hunter2', 'maxmemory', '1mb'], 10, 5);
    const [e] = srv.server.commandLog.get('slow', 1);
    assert.deepEqual(e.argv, ['CONFIG', 'SET', 'requirepass', '(redacted)', 'maxmemory', '1mb']);
  });

  it('replies Valkey\'s errors and HELP', async () => {
    const countErr = { error: 'ERR count should be greater than or equal to -1' };
    assert.deepEqual(await raw.call('SLOWLOG', 'GET', 'abc'), countErr);
    assert.deepEqual(await raw.call('SLOWLOG', 'GET', '-2'), countErr);
    assert.deepEqual(await raw.call('SLOWLOG', 'GET', '1', '2'), { error: "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP." });
    assert.deepEqual(await raw.call('SLOWLOG', 'LEN', '1'), { error: "ERR wrong number of arguments for 'slowlog|len' command" });
    assert.deepEqual(await raw.call('SLOWLOG', 'FOO'), { error: "ERR unknown subcommand 'FOO'. Try SLOWLOG HELP." });
    assert.deepEqual(await raw.call('SLOWLOG'), { error: "ERR wrong number of arguments for 'slowlog' command" });
    const help = (await raw.call('SLOWLOG', 'HELP')) as string[];
    assert.equal(help[0], 'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.equal(help[1], 'GET [<count>]');
  });

  it('works through node-redis', async () => {
    const nr = createClient({ socket: { port: srv.port } });
    await nr.connect();
    try {
      await nr.set('nr', '1');
      const entries = (await nr.sendCommand(['SLOWLOG', 'GET', '1'])) as unknown[][];
      assert.equal(entries.length, 1);
      assert.equal(entries[0].length, 6);
      assert.equal(typeof (await nr.sendCommand(['SLOWLOG', 'LEN'])), 'number');
    } finally {
      await nr.quit();
    }
  });
});

describe('COMMANDLOG', () => {
  after(() => {
    configSet('commandlog-execution-slower-than', '10000');
    configSet('commandlog-request-larger-than', '1048576');
    configSet('commandlog-reply-larger-than', '1048576');
  });

  it('logs large requests by their size on the wire', async () => {
    configSet('commandlog-request-larger-than', '100');
    srv.server.commandLog.reset('large-request');
    await io.set('small', 'v');
    await io.set('big', 'x'.repeat(200));
    assert.equal(await io.call('COMMANDLOG', 'LEN', 'large-request'), 1);
    const [e] = (await io.call('COMMANDLOG', 'GET', '-1', 'large-request')) as Entry[];
    assert.deepEqual(e[3], ['set', 'big', 'x'.repeat(128) + '... (72 more bytes)']);
    // *3 $3 set $3 big $200 <200 bytes>, each line with its CRLF
    assert.equal(e[2], 4 + 9 + 9 + 6 + 202);
  });

  it('logs large replies by their size', async () => {
    configSet('commandlog-reply-larger-than', '100');
    srv.server.commandLog.reset('large-reply');
    await io.set('big', 'y'.repeat(300));
    await io.get('big');
    const entries = (await io.call('COMMANDLOG', 'GET', '10', 'LARGE-REPLY')) as Entry[];
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0][3], ['get', 'big']);
    assert.equal(entries[0][2], '$300\r\n'.length + 300 + 2);
  });

  it('shares the slow log with SLOWLOG', async () => {
    configSet('commandlog-execution-slower-than', '0');
    srv.server.commandLog.reset('slow');
    await io.call('PING');
    const viaCommandlog = (await io.call('COMMANDLOG', 'GET', '1', 'slow')) as Entry[];
    const viaSlowlog = (await io.call('SLOWLOG', 'GET', '1')) as Entry[];
    assert.deepEqual(viaCommandlog[0][3], ['PING']);
    assert.deepEqual(viaSlowlog[0][3], ['COMMANDLOG', 'GET', '1', 'slow']);
    assert.equal(await io.call('COMMANDLOG', 'RESET', 'slow'), 'OK');
    assert.equal(await io.call('SLOWLOG', 'LEN'), 1);
  });

  it('replies Valkey\'s errors and HELP', async () => {
    const typeErr = { error: 'ERR type should be one of the following: slow, large-request, large-reply' };
    assert.deepEqual(await raw.call('COMMANDLOG', 'GET', '1', 'fast'), typeErr);
    assert.deepEqual(await raw.call('COMMANDLOG', 'LEN', 'x'), typeErr);
    assert.deepEqual(await raw.call('COMMANDLOG', 'RESET', 'x'), typeErr);
    assert.deepEqual(await raw.call('COMMANDLOG', 'GET', '-5', 'slow'), { error: 'ERR count should be greater than or equal to -1' });
    assert.deepEqual(await raw.call('COMMANDLOG', 'GET', '1'), { error: "ERR wrong number of arguments for 'commandlog|get' command" });
    assert.deepEqual(await raw.call('COMMANDLOG', 'LEN'), { error: "ERR wrong number of arguments for 'commandlog|len' command" });
    const help = (await raw.call('COMMANDLOG', 'HELP')) as string[];
    assert.equal(help[0], 'COMMANDLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.equal(help[1], 'GET <count> <type>');
  });
});

describe('LATENCY', () => {
  beforeEach(() => {
    srv.server.latency.reset();
  });
  after(() => {
    configSet('latency-monitor-threshold', '0');
  });

  it('records commands over latency-monitor-threshold: LATEST, HISTORY, GRAPH, DOCTOR, RESET', async () => {
    configSet('latency-monitor-threshold', '50');
    await io.call('DEBUG', 'SLEEP', '0.08');
    await io.call('PING');
    const latest = (await io.call('LATENCY', 'LATEST')) as unknown[][];
    assert.equal(latest.length, 1);
    const [event, time, ms, max, sum, cnt] = latest[0] as [string, number, number, number, number, number];
    assert.equal(event, 'command');
    assert.ok(Math.abs(time - Date.now() / 1000) <= 2);
    assert.ok(ms >= 80 && ms < 1000, String(ms));
    assert.deepEqual([max, sum, cnt], [ms, ms, 1]);
    const history = (await io.call('LATENCY', 'HISTORY', 'command')) as number[][];
    assert.deepEqual(history, [[time, ms]]);
    assert.deepEqual(await io.call('LATENCY', 'HISTORY', 'nosuch'), []);

    const graph = (await raw3.call('LATENCY', 'GRAPH', 'command')) as Tagged;
    assert.equal(graph.type, 'verbatim');
    const lines = (graph.value as string).replace(/^txt:/, '').split('\n');
    assert.equal(lines[0], `command - high ${ms} ms, low ${ms} ms (all time high ${ms} ms)`);
    assert.equal(lines[1], '-'.repeat(80));
    // one sample: the lowest level on the bottom row, a blank row, then its age as a label
    assert.deepEqual(lines.slice(2, 7), [' ', ' ', ' ', '_', ' ']);
    assert.match(lines[7], /^\d$/);
    assert.deepEqual(await raw.call('LATENCY', 'GRAPH', 'nosuch'), { error: "ERR No samples available for event 'nosuch'" });

    const doctor = (await io.call('LATENCY', 'DOCTOR')) as string;
    assert.match(doctor, /^Latency spikes are observed in this Valkey instance\.\n\n1\. command: 1 latency spikes \(average \d+ms, mean deviation 0ms, period 1\.00 sec\)\. Worst all time event \d+ms\.\n/);

    assert.equal(await io.call('LATENCY', 'RESET', 'nosuch', 'COMMAND'), 1);
    assert.deepEqual(await io.call('LATENCY', 'LATEST'), []);
  });

  it('is off with threshold 0, and DOCTOR says so', async () => {
    configSet('latency-monitor-threshold', '0');
    await io.call('DEBUG', 'SLEEP', '0.02');
    assert.deepEqual(await io.call('LATENCY', 'LATEST'), []);
    assert.match((await io.call('LATENCY', 'DOCTOR')) as string, /^I'm sorry, Dave, I can't do that\. Latency monitoring is disabled in this Valkey instance\./);
  });

  it('separates fast commands and keeps one sample per second', () => {
    const mon = new LatencyMonitor(srv.server.config);
    mon.addSample('fast-command', 10, 1000);
    mon.addSample('fast-command', 30, 1000);
    mon.addSample('fast-command', 20, 1000);
    mon.addSample('fast-command', 5, 1001);
    const ts = mon.events.get('fast-command')!;
    assert.deepEqual(ts.ordered(), [{ time: 1000, latency: 30 }, { time: 1001, latency: 5 }]);
    assert.deepEqual([ts.max, ts.sum, ts.cnt], [30, 65, 4]);
    for (let i = 0; i < LATENCY_TS_LEN + 10; i++) mon.addSample('expire-cycle', i, 2000 + i);
    const ring = mon.events.get('expire-cycle')!.ordered();
    assert.equal(ring.length, LATENCY_TS_LEN);
    assert.equal(ring[0].latency, 10);
    assert.equal(ring[ring.length - 1].latency, LATENCY_TS_LEN + 9);
    const st = mon.analyze('fast-command', 1010);
    assert.deepEqual([st.samples, st.min, st.max, st.avg, st.mad, st.period], [2, 5, 30, 17, 12, 10]);
  });

  it('HISTOGRAM gives each command\'s cumulative distribution (RESP3 maps)', async () => {
    srv.server.config.set([['latency-monitor-threshold', '0']]);
    await io.call('COMMAND', 'COUNT');
    for (let i = 0; i < 5; i++) await io.set('h', 'v');
    const all = plain(await raw3.call('LATENCY', 'HISTOGRAM')) as Record<string, { calls: number; histogram_usec: Record<string, number> }>;
    assert.ok(all.set && all['command|count']);
    const some = plain(await raw3.call('LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'command')) as typeof all;
    assert.ok(Object.keys(some).includes('set'));
    assert.ok(Object.keys(some).includes('command|count'));
    assert.ok(!Object.keys(some).includes('nosuch'));
    const set = some.set;
    assert.ok(set.calls >= 5);
    const buckets = Object.entries(set.histogram_usec).map(([k, v]) => [Number(k), v]);
    assert.ok(buckets.length > 0);
    for (const [usec] of buckets) assert.equal(Math.log2(usec) % 1, 0, `bucket ${usec} is a power of two`);
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i][1] > buckets[i - 1][1], 'cumulative');
    assert.equal(buckets[buckets.length - 1][1], set.calls);
  });

  it('HISTOGRAM is a flat array in RESP2', async () => {
    await io.set('h', 'v');
    const flat = (await io.call('LATENCY', 'HISTOGRAM', 'set')) as unknown[];
    assert.equal(flat[0], 'set');
    const body = flat[1] as unknown[];
    assert.equal(body[0], 'calls');
    assert.equal(body[2], 'histogram_usec');
    assert.ok(Array.isArray(body[3]) && (body[3] as unknown[]).length % 2 === 0);
    srv.server.lookupCommand('set')!.stats.reset();
    assert.deepEqual(await io.call('LATENCY', 'HISTOGRAM', 'set'), []);
  });

  it('HELP and errors', async () => {
    const help = (await io.call('LATENCY', 'HELP')) as string[];
    assert.equal(help[0], 'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.ok(help.includes('HISTOGRAM [COMMAND ...]'));
    assert.deepEqual(await raw.call('LATENCY', 'HISTORY'), { error: "ERR wrong number of arguments for 'latency|history' command" });
    assert.deepEqual(await raw.call('LATENCY', 'FOO'), { error: "ERR unknown subcommand 'FOO'. Try LATENCY HELP." });
  });
});

describe('MEMORY', () => {
  it('USAGE estimates a key\'s bytes and grows with the value', async () => {
    await io.set('m-small', 'x');
    await io.set('m-big', 'x'.repeat(10000));
    const small = (await io.call('MEMORY', 'USAGE', 'm-small')) as number;
    const big = (await io.call('MEMORY', 'USAGE', 'm-big', 'SAMPLES', '0')) as number;
    assert.ok(small > 16 && small < 200, String(small));
    assert.ok(big - small >= 9990 && big - small < 10100, `${big} - ${small}`);
    assert.equal(await io.call('MEMORY', 'USAGE', 'nokey'), null);
    assert.equal(await raw3.call('MEMORY', 'USAGE', 'nokey'), null);
    assert.deepEqual(await raw.call('MEMORY', 'USAGE', 'm-small', 'SAMPLES'), { error: 'ERR syntax error' });
    assert.deepEqual(await raw.call('MEMORY', 'USAGE', 'm-small', 'SAMPLES', '-1'), { error: 'ERR syntax error' });
    assert.deepEqual(await raw.call('MEMORY', 'USAGE', 'm-small', 'SAMPLES', 'x'), { error: 'ERR value is not an integer or out of range' });
    assert.deepEqual(await raw.call('MEMORY', 'USAGE', 'm-small', 'FOO'), { error: 'ERR syntax error' });
  });

  it('STATS has Valkey\'s fields with real numbers', async () => {
    for (const db of srv.server.dbs) db.flush();
    await io.set('a', '1');
    await io.set('b', '2', 'EX', 100);
    const stats = plain(await raw3.call('MEMORY', 'STATS')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(stats), [
      'peak.allocated', 'total.allocated', 'startup.allocated', 'replication.backlog', 'clients.slaves', 'clients.normal',
      'cluster.links', 'aof.buffer', 'lua.caches', 'functions.caches', 'db.0', 'overhead.db.hashtable.lut',
      'overhead.db.hashtable.rehashing', 'overhead.total', 'db.dict.rehashing.count', 'keys.count', 'keys.bytes-per-key',
      'dataset.bytes', 'dataset.percentage', 'peak.percentage', 'allocator.allocated', 'allocator.active',
      'allocator.resident', 'allocator.muzzy', 'allocator-fragmentation.ratio', 'allocator-fragmentation.bytes',
      'allocator-rss.ratio', 'allocator-rss.bytes', 'rss-overhead.ratio', 'rss-overhead.bytes', 'fragmentation',
      'fragmentation.bytes',
    ]);
    assert.equal(stats['keys.count'], 2);
    const db0 = stats['db.0'] as Record<string, number>;
    assert.ok(db0['overhead.hashtable.main'] > 0 && db0['overhead.hashtable.expires'] > 0);
    const total = stats['total.allocated'] as number;
    assert.ok(total > 1024 * 1024);
    assert.ok((stats['peak.allocated'] as number) >= total);
    assert.ok((stats['allocator.resident'] as number) > 0);
    assert.match(String(stats['fragmentation']), /^\d+(\.\d+)?$/);
    // RESP2: a flat array with the doubles as bulk strings
    const flat = (await io.call('MEMORY', 'STATS')) as unknown[];
    assert.equal(flat[0], 'peak.allocated');
    assert.equal(typeof flat[1], 'number');
    assert.equal(typeof flat[flat.indexOf('fragmentation') + 1], 'string');
  });

  it('DOCTOR and MALLOC-STATS are verbatim text, PURGE collects garbage', async () => {
    const doctor = (await raw3.call('MEMORY', 'DOCTOR')) as Tagged;
    assert.equal(doctor.type, 'verbatim');
    assert.match(doctor.value as string, /^txt:(Hi Sam|Sam, I detected)/);
    const stats = (await raw3.call('MEMORY', 'MALLOC-STATS')) as Tagged;
    assert.equal(stats.type, 'verbatim');
    assert.match(stats.value as string, /used_heap_size: \d+/);
    assert.equal(await io.call('MEMORY', 'PURGE'), 'OK');
    const help = (await io.call('MEMORY', 'HELP')) as string[];
    assert.ok(help.includes('USAGE <key> [SAMPLES <count>]'));
  });
});

describe('compared with the reference redis-server 7.0', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  let refRaw: RawClient;
  before(async () => {
    ref = await startReference();
    refRaw = await RawClient.connect(ref.port);
  });
  after(async () => {
    refRaw.close();
    await ref.stop();
  });

  it('gives the same replies to the same introspection commands', async () => {
    configSet('slowlog-log-slower-than', '-1');
    await refRaw.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    configSet('latency-monitor-threshold', '0');
    await raw.call('SLOWLOG', 'RESET');
    await refRaw.call('SLOWLOG', 'RESET');
    await raw.call('LATENCY', 'RESET');
    await refRaw.call('LATENCY', 'RESET');
    const lines = [
      ['SLOWLOG', 'GET', 'abc'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'LEN', '1'],
      ['SLOWLOG', 'FOO'], ['SLOWLOG'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET'], ['SLOWLOG', 'RESET'],
      ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'RESET'],
      ['LATENCY', 'RESET', 'a', 'b'], ['LATENCY', 'FOO'], ['LATENCY', 'HISTORY'], ['LATENCY', 'HISTOGRAM', 'nosuch'],
      ['MEMORY', 'USAGE', 'nokey'], ['MEMORY', 'USAGE', 'k', 'SAMPLES'], ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'], ['MEMORY', 'USAGE', 'k', 'FOO'], ['MEMORY', 'FOO'], ['MEMORY', 'STATS', 'x'],
      ['MEMORY', 'PURGE'],
    ];
    for (const line of lines) assert.deepEqual(await raw.call(...line), await refRaw.call(...line), line.join(' '));
  });

  it('logs the same entries shape in the slow log', async () => {
    const refEntries: Entry[][] = [];
    const ours: Entry[][] = [];
    configSet('slowlog-log-slower-than', '0');
    await refRaw.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    for (const [c, out] of [[raw, ours], [refRaw, refEntries]] as const) {
      await c.call('SLOWLOG', 'RESET');
      await c.call('SET', 'k', 'v');
      out.push((await c.call('SLOWLOG', 'GET', '-1')) as Entry[]);
    }
    configSet('slowlog-log-slower-than', '10000');
    const shape = (entries: Entry[]) => entries.map((e) => [typeof e[0], typeof e[1], typeof e[2], e[3], typeof e[4], typeof e[5]]);
    assert.deepEqual(shape(ours[0]), shape(refEntries[0]));
  });
});

describe('LATENCY GRAPH rendering', () => {
  it('draws the samples as a filled sparkline with their ages as labels', () => {
    const mon = new LatencyMonitor(srv.server.config);
    mon.addSample('command', 80, 1000);
    mon.addSample('command', 60, 1010);
    const graph = mon.graph('command', 1020)!;
    assert.equal(
      graph,
      'command - high 80 ms, low 60 ms (all time high 80 ms)\n' + '-'.repeat(80) + '\n' +
        '# \n| \n| \n|_\n  \n21\n00\nss\n',
    );
  });
});
