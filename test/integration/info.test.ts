// INFO: sections and their order (default, all, everything, several at once), CRLF lines,
// RESP3 verbatim replies, field names (every Redis 7.0 field is there, under Valkey 9.0's
// names) and values that follow the server's real state.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer } from '../helpers';

const run = promisify(execFile);

type Sections = Map<string, Map<string, string>>;

/** Parse INFO text into section title -> (field -> value), checking the line format. */
function parseInfo(text: string): Sections {
  const out: Sections = new Map();
  if (text === '') return out;
  assert.ok(text.endsWith('\r\n'), 'the text ends with CRLF');
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  let current: Map<string, string> | null = null;
  for (const line of text.slice(0, -2).split('\r\n')) {
    if (line === '') {
      current = null;
      continue;
    }
    if (line.startsWith('# ')) {
      assert.equal(current, null, `a blank line precedes "${line}"`);
      current = new Map();
      out.set(line.slice(2), current);
      continue;
    }
    assert.ok(current !== null, `field line inside a section: ${line}`);
    const i = line.indexOf(':');
    assert.ok(i > 0, `name:value line: ${line}`);
    current.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

const DEFAULT_TITLES = ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace'];
const ALL_TITLES = ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace'];

/** Redis 7.0 fields that Valkey 9.0 renamed or dropped. */
const VALKEY_DIFFERENCES = new Map([
  ['redis_mode', 'server_mode'],
  ['atomicvar_api', ''],
]);

describe('INFO', () => {
  let srv: RunningServer;
  let c: RawClient;
  const info = async (...sections: string[]): Promise<Sections> => parseInfo((await c.call('INFO', ...sections)) as string);
  const field = async (section: string, name: string): Promise<string> => {
    const s = await info(section.toLowerCase());
    const v = s.get(section)?.get(name);
    assert.ok(v !== undefined, `${section}.${name} exists`);
    return v;
  };

  before(async () => {
    srv = await startFjord();
    c = await RawClient.connect(srv.port);
  });
  after(async () => {
    c.close();
    await srv.stop();
  });

  describe('sections', () => {
    test('no argument and "default": the default sections, in order', async () => {
      assert.deepEqual([...(await info()).keys()], DEFAULT_TITLES);
      assert.deepEqual([...(await info('default')).keys()], DEFAULT_TITLES);
    });

    test('"all" and "everything": every section, in order', async () => {
      assert.deepEqual([...(await info('all')).keys()], ALL_TITLES);
      assert.deepEqual([...(await info('everything')).keys()], ALL_TITLES);
      assert.deepEqual([...(await info('all', 'server')).keys()], ALL_TITLES);
    });

    test('several sections, any case, in the server order; unknown ones are ignored', async () => {
      assert.deepEqual([...(await info('keyspace', 'SERVER', 'Clients')).keys()], ['Server', 'Clients', 'Keyspace']);
      assert.deepEqual([...(await info('commandstats', 'nosuch')).keys()], ['Commandstats']);
      assert.deepEqual([...(await info('modules')).keys()], ['Modules']);
      assert.equal(await c.call('INFO', 'nosuch'), '');
      assert.deepEqual([...(await info('default', 'latencystats')).keys()], [...DEFAULT_TITLES.slice(0, 8), 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace']);
    });

    test('RESP3: a verbatim string', async () => {
      const r = await RawClient.connect(srv.port);
      await r.call('HELLO', '3');
      const v = (await r.call('INFO', 'server')) as { type: string; value: string };
      assert.equal(v.type, 'verbatim');
      assert.ok(v.value.startsWith('txt:# Server\r\n'));
      assert.equal(parseInfo(v.value.slice(4)).get('Server')!.get('server_name'), 'valkey');
      r.close();
    });
  });

  describe('values', () => {
    test('server: identity, versions, process and listener', async () => {
      const s = (await info('server')).get('Server')!;
      assert.equal(s.get('redis_version'), '7.2.4');
      assert.equal(s.get('server_name'), 'valkey');
      assert.equal(s.get('valkey_version'), '9.0.0');
      assert.equal(s.get('valkey_release_stage'), 'ga');
      assert.equal(s.get('server_mode'), 'standalone');
      assert.equal(s.get('process_id'), String(process.pid));
      assert.equal(s.get('tcp_port'), String(srv.port));
      assert.equal(s.get('run_id'), srv.server.runId);
      assert.match(s.get('run_id')!, /^[0-9a-f]{40}$/);
      assert.equal(s.get('hz'), '10');
      assert.equal(s.get('listener0'), `name=tcp,bind=127.0.0.1,port=${srv.port}`);
      const usec = Number(s.get('server_time_usec'));
      assert.ok(Math.abs(usec / 1000 - Date.now()) < 5000);
      assert.ok(Number(s.get('uptime_in_seconds')) >= 0);
      const keys = [...s.keys()];
      assert.deepEqual(keys.slice(0, 4), ['redis_version', 'server_name', 'valkey_version', 'valkey_release_stage']);
    });

    test('extended-redis-compatibility names the mode field redis_mode', async () => {
      assert.equal(await c.call('CONFIG', 'SET', 'extended-redis-compatibility', 'yes'), 'OK');
      try {
        const s = (await info('server')).get('Server')!;
        assert.equal(s.get('redis_mode'), 'standalone');
        assert.equal(s.has('server_mode'), false);
      } finally {
        await c.call('CONFIG', 'SET', 'extended-redis-compatibility', 'no');
      }
    });

    test('clients: connections, pub/sub and watching clients', async () => {
      const before = Number(await field('Clients', 'connected_clients'));
      assert.equal(before, srv.server.clients.size);
      const extra = await RawClient.connect(srv.port);
      await extra.call('SUBSCRIBE', 'x');
      const w = await RawClient.connect(srv.port);
      await w.call('WATCH', 'a', 'b');
      const s = (await info('clients')).get('Clients')!;
      assert.equal(s.get('connected_clients'), String(before + 2));
      assert.equal(s.get('pubsub_clients'), '1');
      assert.equal(s.get('watching_clients'), '1');
      assert.equal(s.get('total_watched_keys'), '2');
      assert.equal(s.get('blocked_clients'), '0');
      assert.equal(s.get('maxclients'), '10000');
      assert.equal(s.get('paused_actions'), 'none');
      extra.close();
      w.close();
    });

    test('stats: commands, keyspace hits and misses, expired keys, errors', async () => {
      const stats = async () => (await info('stats')).get('Stats')!;
      const a = await stats();
      await c.call('SET', 'st:k', 'v');
      await c.call('GET', 'st:k');
      await c.call('GET', 'st:missing');
      await c.call('PEXPIRE', 'st:k', '1');
      await sleep(20);
      assert.equal(await c.call('GET', 'st:k'), null);
      await c.call('NOSUCHCMD');
      const b = await stats();
      const diff = (k: string) => Number(b.get(k)) - Number(a.get(k));
      assert.equal(diff('total_commands_processed'), 6, 'INFO, SET, GET, GET, PEXPIRE, GET (the unknown command is not processed)');
      assert.equal(diff('keyspace_hits'), 1);
      assert.equal(diff('keyspace_misses'), 2);
      assert.equal(diff('expired_keys'), 1);
      assert.equal(diff('total_error_replies'), 1);
      assert.ok(diff('total_net_input_bytes') > 0);
      assert.ok(diff('total_connections_received') === 0);
      assert.match(b.get('instantaneous_input_kbps')!, /^\d+\.\d\d$/);
    });

    test('keyspace: one line per non-empty database', async () => {
      const r = await RawClient.connect(srv.port);
      await r.call('SELECT', '7');
      await r.call('SET', 'k1', 'v');
      await r.call('SET', 'k2', 'v', 'EX', '100');
      await r.call('SELECT', '8');
      assert.match((await info('keyspace')).get('Keyspace')!.get('db7')!, /^keys=2,expires=1,avg_ttl=\d+,keys_with_volatile_items=0$/);
      assert.equal((await info('keyspace')).get('Keyspace')!.has('db8'), false);
      await r.call('SELECT', '7');
      await r.call('FLUSHDB');
      assert.equal((await info('keyspace')).get('Keyspace')!.has('db7'), false);
      r.close();
    });

    test('commandstats: calls, usec, rejected and failed calls, subcommands', async () => {
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('GET', 'cs:a');
      await c.call('GET', 'cs:b');
      await c.call('GET');
      await c.call('CLIENT', 'SETNAME', 'a b');
      const s = (await info('commandstats')).get('Commandstats')!;
      const get = s.get('cmdstat_get')!;
      assert.match(get, /^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
      const usec = Number(/usec=(\d+)/.exec(get)![1]);
      assert.equal(/usec_per_call=([\d.]+)/.exec(get)![1], (usec / 2).toFixed(2));
      assert.match(s.get('cmdstat_client|setname')!, /^calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1$/);
      assert.match(s.get('cmdstat_config|resetstat')!, /^calls=1,/);
      assert.equal(s.has('cmdstat_set'), false, 'commands never called are not listed');
      assert.equal(s.has('cmdstat_client'), false, 'containers are not listed');
    });

    test('errorstats: one line per error code, sorted', async () => {
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('NOSUCHCMD');
      await c.call('SET', 'es:k', 'v');
      await c.call('INCR', 'es:k');
      await c.call('GET');
      const lines = [...(await info('errorstats')).get('Errorstats')!.entries()];
      assert.deepEqual(lines, [['errorstat_ERR', 'count=3']]);
      const r = await RawClient.connect(srv.port);
      await r.call('AUTH', 'x', 'y');
      r.close();
      assert.deepEqual([...(await info('errorstats')).get('Errorstats')!.keys()], ['errorstat_ERR', 'errorstat_WRONGPASS']);
    });

    test('latencystats: percentiles from each command, configurable, can be turned off', async () => {
      await c.call('CONFIG', 'RESETSTAT');
      for (let i = 0; i < 5; i++) await c.call('GET', 'lat');
      let s = (await info('latencystats')).get('Latencystats')!;
      assert.match(s.get('latency_percentiles_usec_get')!, /^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
      assert.equal(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.99 100'), 'OK');
      s = (await info('latencystats')).get('Latencystats')!;
      assert.match(s.get('latency_percentiles_usec_get')!, /^p50=[\d.]+,p99\.99=[\d.]+,p100=[\d.]+$/);
      assert.equal(await c.call('CONFIG', 'SET', 'latency-tracking', 'no'), 'OK');
      s = (await info('latencystats')).get('Latencystats')!;
      assert.equal(s.size, 0);
      await c.call('CONFIG', 'SET', 'latency-tracking', 'yes', 'latency-tracking-info-percentiles', '50 99 99.9');
    });

    test('memory, cpu and persistence values are consistent', async () => {
      const all = await info('memory', 'cpu', 'persistence', 'replication');
      const m = all.get('Memory')!;
      const used = Number(m.get('used_memory'));
      assert.ok(used > 0);
      assert.ok(Number(m.get('used_memory_peak')) >= used);
      assert.match(m.get('used_memory_human')!, /^\d+\.\d\d[KMG]$/);
      assert.equal(m.get('maxmemory_policy'), 'noeviction');
      assert.match(m.get('mem_fragmentation_ratio')!, /^\d+\.\d\d$/);
      const cpu = all.get('CPU')!;
      assert.match(cpu.get('used_cpu_user')!, /^\d+\.\d{6}$/);
      assert.ok(Number(cpu.get('used_cpu_user')) > 0);
      const p = all.get('Persistence')!;
      assert.equal(p.get('rdb_changes_since_last_save'), String(srv.server.dirty));
      assert.equal(p.get('rdb_last_save_time'), String(srv.server.lastSave));
      const r = all.get('Replication')!;
      assert.equal(r.get('role'), 'master');
      assert.equal(r.get('master_replid'), srv.server.replId);
      assert.equal(r.get('connected_slaves'), '0');
    });

    test('CONFIG RESETSTAT zeroes the counters', async () => {
      await c.call('GET', 'rs:x');
      await c.call('NOSUCHCMD');
      assert.equal(await c.call('CONFIG', 'RESETSTAT'), 'OK');
      const all = await info('stats', 'errorstats', 'commandstats');
      const st = all.get('Stats')!;
      assert.equal(st.get('total_error_replies'), '0');
      assert.equal(st.get('keyspace_misses'), '0');
      assert.equal(st.get('keyspace_hits'), '0');
      assert.equal(st.get('total_commands_processed'), '1', 'only the RESETSTAT itself');
      assert.equal(all.get('Errorstats')!.size, 0);
      assert.deepEqual([...all.get('Commandstats')!.keys()], ['cmdstat_config|resetstat']);
    });
  });

  test('ioredis and node-redis read INFO', async () => {
    const io = new Redis(srv.port, '127.0.0.1');
    const nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
    await nr.connect();
    try {
      const text = await io.info('server');
      assert.equal(parseInfo(text).get('Server')!.get('valkey_version'), '9.0.0');
      const nrText = await nr.info('keyspace');
      assert.ok(nrText.startsWith('# Keyspace\r\n'));
    } finally {
      io.disconnect();
      nr.destroy();
    }
  });

  test('redis-cli info', { skip: !referenceAvailable() && 'redis-cli not installed' }, async () => {
    const { stdout } = await run('redis-cli', ['-p', String(srv.port), 'info', 'server', 'cluster']);
    assert.match(stdout, /^# Server\r?\n/);
    assert.match(stdout, /\r?\ncluster_enabled:0\r?\n/);
  });
});

describe('INFO fields compared with the reference redis-server 7.0', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  test('every section and field of Redis 7.0 exists (under Valkey 9.0 names)', async () => {
    const ref = await startReference();
    const fjord = await startFjord();
    try {
      const a = await RawClient.connect(ref.port);
      const b = await RawClient.connect(fjord.port);
      for (const cmd of [['SET', 'k', 'v'], ['GET', 'k'], ['NOSUCH']]) {
        await a.call(...cmd);
        await b.call(...cmd);
      }
      const theirs = parseInfo((await a.call('INFO', 'everything')) as string);
      const ours = parseInfo((await b.call('INFO', 'everything')) as string);
      assert.deepEqual([...ours.keys()], [...theirs.keys()]);
      // Per-command, per-error and per-db lines depend on what ran; they are compared below.
      const dynamic = new Set(['Commandstats', 'Latencystats', 'Errorstats', 'Keyspace']);
      for (const [title, fields] of theirs) {
        if (dynamic.has(title)) continue;
        for (const name of fields.keys()) {
          const renamed = VALKEY_DIFFERENCES.get(name);
          if (renamed === '') continue;
          const expected = renamed ?? name;
          assert.ok(ours.get(title)!.has(expected), `${title}: ${expected}`);
        }
      }
      // Values the two servers must agree on.
      assert.equal(ours.get('Keyspace')!.get('db0'), `${theirs.get('Keyspace')!.get('db0')},keys_with_volatile_items=0`);
      assert.equal(ours.get('Errorstats')!.get('errorstat_ERR'), theirs.get('Errorstats')!.get('errorstat_ERR'));
      assert.equal(ours.get('Stats')!.get('keyspace_hits'), theirs.get('Stats')!.get('keyspace_hits'));
      const shape = (v: string) => v.replace(/\d+(\.\d+)?/g, 'N');
      assert.equal(shape(ours.get('Commandstats')!.get('cmdstat_get')!), shape(theirs.get('Commandstats')!.get('cmdstat_get')!));
      assert.equal(shape(ours.get('Latencystats')!.get('latency_percentiles_usec_get')!), shape(theirs.get('Latencystats')!.get('latency_percentiles_usec_get')!));
      a.close();
      b.close();
    } finally {
      await ref.stop();
      await fjord.stop();
    }
  });
});
