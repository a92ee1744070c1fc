import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config, ConfigError, parseMemory, splitArgs, catRepr, VALKEY_VERSION } from '../../src/server/config';
import { CONFIG_TABLE } from '../../src/server/configTable';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-config-'));
}

function loadError(text: string): ConfigError {
  const c = new Config();
  try {
    c.loadFromString(text);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e;
  }
  assert.fail('expected a ConfigError');
}

/** Run fn with a cwd restored afterwards (dir/include tests change it). */
function keepCwd<T>(fn: () => T): T {
  const cwd = process.cwd();
  try {
    return fn();
  } finally {
    process.chdir(cwd);
  }
}

describe('table', () => {
  test('names and aliases are unique and lowercase', () => {
    const seen = new Set<string>();
    for (const d of CONFIG_TABLE) {
      for (const n of [d.name, d.alias].filter((x): x is string => !!x)) {
        assert.ok(!seen.has(n), `duplicate ${n}`);
        assert.equal(n, n.toLowerCase());
        seen.add(n);
      }
    }
    assert.ok(CONFIG_TABLE.length >= 220);
  });

  test('defaults as CONFIG GET shows them', () => {
    const c = new Config();
    const expect: Record<string, string> = {
      save: '3600 1 300 100 60 10000',
      'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
      bind: '* -::*',
      port: '6379',
      hz: '10',
      databases: '16',
      'cluster-databases': '1',
      maxmemory: '0',
      'maxmemory-policy': 'noeviction',
      'maxmemory-clients': '0',
      appendfsync: 'everysec',
      appendonly: 'no',
      loglevel: 'notice',
      'notify-keyspace-events': '',
      'oom-score-adj-values': '0 200 800',
      'latency-tracking-info-percentiles': '50 99 99.9',
      'proto-max-bulk-len': '536870912',
      'client-query-buffer-limit': '1073741824',
      'repl-backlog-size': '10485760',
      'list-max-listpack-size': '-2',
      'list-max-ziplist-size': '-2',
      'unixsocketperm': '0',
      'shutdown-on-sigterm': 'default',
      'rdb-version-check': 'strict',
      'tls-auth-clients': 'yes',
      'requirepass': '',
      'replicaof': '',
      'slaveof': '',
      'dbfilename': 'dump.rdb',
      'syslog-ident': 'valkey',
      'proc-title-template': '{title} {listen-addr} {server-mode}',
      'slot-migration-max-failover-repl-bytes': '0',
      'enable-protected-configs': 'no',
    };
    for (const [k, v] of Object.entries(expect)) assert.equal(c.get(k), v, k);
    assert.equal(c.get('dir'), process.cwd());
    assert.equal(c.get('no-such-thing'), null);
  });

  test('typed accessors', () => {
    const c = new Config();
    assert.equal(c.num('hz'), 10);
    assert.equal(c.bool('protected-mode'), true);
    assert.equal(c.str('requirepass'), '');
    assert.equal(c.raw('requirepass'), null);
    assert.equal(c.str('maxmemory-policy'), 'noeviction');
    assert.equal(c.str('bind'), '* -::*');
    assert.deepEqual(c.raw('bind'), ['*', '-::*']);
    assert.deepEqual(c.raw('save'), [
      { seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 },
    ]);
    assert.deepEqual(c.outputBufferLimit('replica'), { hard: 268435456, soft: 67108864, seconds: 60 });
    assert.equal(c.str('unixsocketperm'), '0');
    assert.equal(c.set([['unixsocketperm', '700']]), "ERR CONFIG SET failed (possibly related to argument 'unixsocketperm') - can't set immutable config");
    c.loadFromString('unixsocketperm 700');
    assert.equal(c.num('unixsocketperm'), 0o700);
    assert.equal(c.str('unixsocketperm'), '700');
  });
});

describe('helpers', () => {
  test('splitArgs quoting like sdssplitargs', () => {
    assert.deepEqual(splitArgs('  set  "a b"  \'c d\' e '), ['set', 'a b', 'c d', 'e']);
    assert.deepEqual(splitArgs('"\\x41\\n\\t\\"q\\\\"'), ['A\n\t"q\\']);
    assert.deepEqual(splitArgs("'it\\'s'"), ["it's"]);
    assert.deepEqual(splitArgs('foo"bar baz"'), ['foobar baz']);
    assert.deepEqual(splitArgs('""'), ['']);
    assert.deepEqual(splitArgs(''), []);
    assert.equal(splitArgs('"unterminated'), null);
    assert.equal(splitArgs("'unterminated"), null);
    assert.equal(splitArgs('"closed"x'), null);
  });

  test('catRepr', () => {
    assert.equal(catRepr('a b'), '"a b"');
    assert.equal(catRepr('q"\\\n\x01'), '"q\\"\\\\\\n\\x01"');
  });

  test('parseMemory units', () => {
    assert.equal(parseMemory('100'), 100);
    assert.equal(parseMemory('1k'), 1000);
    assert.equal(parseMemory('1kb'), 1024);
    assert.equal(parseMemory('1K'), 1000);
    assert.equal(parseMemory('2KB'), 2048);
    assert.equal(parseMemory('3m'), 3000000);
    assert.equal(parseMemory('3Mb'), 3 * 1024 * 1024);
    assert.equal(parseMemory('1g'), 1e9);
    assert.equal(parseMemory('1gB'), 1024 ** 3);
    assert.equal(parseMemory('7b'), 7);
    assert.equal(parseMemory('1.5gb'), null);
    assert.equal(parseMemory('1tb'), null);
    assert.equal(parseMemory('-1'), null);
    assert.equal(parseMemory('-1mb', true), -1024 * 1024);
    assert.equal(parseMemory('abc'), null);
  });
});

describe('loadFromString', () => {
  test('directives, case, quotes, comments, units, aliases', () => {
    const c = new Config();
    c.loadFromString([
      '# a comment',
      '   ',
      'PORT 7000',
      'MaxMemory 100MB',
      'maxmemory-policy ALLKEYS-LRU',
      'requirepass "p a\\x41ss"',
      "masterauth 'sec ret'",
      'slave-read-only no',
      'hash-max-ziplist-entries 64',
      'notify-keyspace-events KEA',
      'maxmemory-clients 10%',
      '\tappendonly yes\r',
    ].join('\n'));
    assert.equal(c.num('port'), 7000);
    assert.equal(c.get('maxmemory'), String(100 * 1024 * 1024));
    assert.equal(c.str('maxmemory-policy'), 'allkeys-lru');
    assert.equal(c.str('requirepass'), 'p aAss');
    assert.equal(c.get('primaryauth'), 'sec ret');
    assert.equal(c.bool('replica-read-only'), false);
    assert.equal(c.num('hash-max-listpack-entries'), 64);
    assert.equal(c.get('notify-keyspace-events'), 'AKE');
    assert.equal(c.get('maxmemory-clients'), '10%');
    assert.equal(c.num('maxmemory-clients'), -10);
    assert.equal(c.bool('appendonly'), true);
  });

  test('repeated directives: last wins; save and client-output-buffer-limit accumulate', () => {
    const c = new Config();
    c.loadFromString([
      'port 1',
      'port 2',
      'save 900 1',
      'save 300 10',
      'save "60 10000"',
      'client-output-buffer-limit normal 1mb 2mb 3',
      'client-output-buffer-limit pubsub 0 0 0',
      'client-output-buffer-limit replica 1gb 512mb 120',
    ].join('\n'));
    assert.equal(c.num('port'), 2);
    assert.equal(c.get('save'), '900 1 300 10 60 10000');
    assert.equal(c.get('client-output-buffer-limit'),
      'normal 1048576 2097152 3 slave 1073741824 536870912 120 pubsub 0 0 0');
    // A second load keeps accumulating, like more lines of the same file set.
    const d = new Config();
    d.loadFromString('save ""');
    assert.equal(d.get('save'), '');
    d.loadFromString('save 10 1');
    assert.equal(d.get('save'), '10 1');
  });

  test('include, relative to the current directory', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'inc.conf'), 'port 4242\nloglevel warning\n');
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'timeout 5\n');
    fs.writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'timeout 7\n');
    keepCwd(() => {
      process.chdir(dir);
      const c = new Config();
      c.loadFromString('include inc.conf\ninclude conf.d/*.conf\ninclude empty.d/*.conf\nhz 20');
      assert.equal(c.num('port'), 4242);
      assert.equal(c.str('loglevel'), 'warning');
      assert.equal(c.num('timeout'), 7);
      assert.equal(c.num('hz'), 20);
      assert.throws(() => new Config().loadFromString('include missing.conf'), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.message, "Fatal error, can't open config file 'missing.conf': No such file or directory");
        return true;
      });
    });
  });

  test('other file-only directives are collected', () => {
    const c = new Config();
    c.loadFromString([
      'rename-command FLUSHALL ""',
      'user alice on >pw ~* +@all',
      'loadmodule /x/mod.so a b',
      'mymod.opt 1 2',
      'dynamic-hz yes',
      'lua-replicate-commands yes',
    ].join('\n'));
    assert.deepEqual(c.renameCommands, [['FLUSHALL', '']]);
    assert.deepEqual(c.users, [['alice', 'on', '>pw', '~*', '+@all']]);
    assert.deepEqual(c.loadModules, [{ path: '/x/mod.so', args: ['a', 'b'] }]);
    assert.equal(c.moduleConfigs.get('mymod.opt'), '1 2');
  });

  test('fatal errors with Valkey text', () => {
    let e = loadError('port 6379\n\n  foo bar  \n');
    assert.equal(e.message, [
      `*** FATAL CONFIG FILE ERROR (Version ${VALKEY_VERSION}) ***`,
      'Reading the configuration file, at line 3',
      ">>> 'foo bar'",
      'Bad directive or wrong number of arguments',
    ].join('\n'));
    assert.equal(e.stderrText, '\n' + e.message + '\n');
    assert.equal(e.line, 3);
    assert.equal(e.reason, 'Bad directive or wrong number of arguments');

    const cases: Array<[string, string]> = [
      ['port', 'wrong number of arguments'],
      ['port 1 2', 'wrong number of arguments'],
      ['port abc', "argument couldn't be parsed into an integer"],
      ['port 70000', 'argument must be between 0 and 65535 inclusive'],
      ['maxclients -1', 'argument must be between 1 and 4294967295 inclusive'],
      ['maxmemory lots', 'argument must be a memory value'],
      ['maxmemory-clients 200%', 'percentage argument must be less or equal to 100'],
      ['maxmemory-clients x', 'argument must be a memory or percent value'],
      ['unixsocketperm 999', "argument couldn't be parsed as an octal number"],
      ['appendonly maybe', "argument must be 'yes' or 'no'"],
      ['appendfsync sometimes', 'argument(s) must be one of the following: everysec, always, no'],
      ['loglevel loud', 'argument(s) must be one of the following: debug, verbose, notice, warning, nothing'],
      ['requirepass "abc', 'Unbalanced quotes in configuration line'],
      ['save 100', 'Invalid save parameters'],
      ['save 0 1', 'Invalid save parameters'],
      ['client-output-buffer-limit normal 1 2', 'Wrong number of arguments in buffer limit configuration.'],
      ['client-output-buffer-limit master 1 2 3', 'Invalid client class specified in buffer limit configuration.'],
      ['client-output-buffer-limit normal 1x 2 3', 'Error in hard, soft or soft_seconds setting in buffer limit configuration.'],
      ['notify-keyspace-events KEQ', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."],
      ['oom-score-adj-values 1 2', 'wrong number of arguments'],
      ['oom-score-adj-values 0 0 3000', 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'],
      ['dbfilename a/b.rdb', "dbfilename can't be a path, just a filename"],
      ['shutdown-on-sigterm save nosave', "shutdown options SAVE and NOSAVE can't be used simultaneously"],
      ['replicaof localhost 99999', 'Invalid primary port'],
      ['latency-tracking-info-percentiles 50 101', 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'],
      ['mymod.opt', 'Module config specified without value'],
      ['sentinel monitor x', 'sentinel directive while not in sentinel mode'],
      ['dynamic-hz yes no', 'Bad directive or wrong number of arguments'],
      ['include', 'Bad directive or wrong number of arguments'],
    ];
    for (const [line, reason] of cases) {
      e = loadError(line);
      assert.equal(e.reason, reason, line);
      assert.equal(e.line, 1);
    }

    e = loadError('cluster-enabled yes\nreplicaof 127.0.0.1 6379');
    assert.equal(e.message, `*** FATAL CONFIG FILE ERROR (Version ${VALKEY_VERSION}) ***\nreplicaof directive not allowed in cluster mode`);
  });

  test('multi-arg enums, hz clamp, signed memory', () => {
    const c = new Config();
    c.loadFromString('shutdown-on-sigterm "force now"\nhz 1000\nslot-migration-max-failover-repl-bytes -1');
    assert.equal(c.get('shutdown-on-sigterm'), 'now force');
    assert.equal(c.num('hz'), 500);
    assert.equal(c.get('slot-migration-max-failover-repl-bytes'), '-1');
    c.loadFromString('slot-migration-max-failover-repl-bytes 1kb\nhz 0');
    assert.equal(c.num('slot-migration-max-failover-repl-bytes'), 1024);
    assert.equal(c.num('hz'), 1);
  });
});

describe('command line', () => {
  test('parseCommandLine', () => {
    assert.deepEqual(Config.parseCommandLine(['--port', '7000', '--save', '', '--loglevel', 'verbose']), {
      configFromStdin: false,
      optionsText: 'port "7000" \nsave "" \nloglevel "verbose" ',
    });
    assert.equal(Config.parseCommandLine(['--save', '--port', '1']).optionsText, 'save ""\nport "1" ');
    assert.equal(Config.parseCommandLine(['--port', '1', '--save']).optionsText, 'port "1" \nsave ""');
    assert.equal(Config.parseCommandLine(['--port 7000']).optionsText, 'port 7000 ');
    assert.equal(Config.parseCommandLine(['--bind', '127.0.0.1', '::1']).optionsText, 'bind "127.0.0.1" "::1" ');
    const cl = Config.parseCommandLine(['my.conf', '--port', '1']);
    assert.equal(cl.configFile, path.resolve('my.conf'));
    assert.equal(Config.parseCommandLine(['-', '--port', '1']).configFromStdin, true);
  });

  test('loadFromArgs: file, then stdin, then options', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'v.conf');
    fs.writeFileSync(file, 'port 1111\ntimeout 3\n');
    const c = new Config();
    c.loadFromArgs([file, '--port', '2222', '--save', '', '--maxmemory', '1gb', '-'], { stdin: 'timeout 4\n' });
    assert.equal(c.configFile, file);
    assert.equal(c.num('port'), 2222);
    assert.equal(c.num('timeout'), 4);
    assert.equal(c.get('save'), '');
    assert.equal(c.num('maxmemory'), 1024 ** 3);

    const bad = new Config();
    assert.throws(() => bad.loadFromArgs(['--port', 'x']), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.line, 2); // options come after a newline
      assert.equal(e.lineText, 'port "x"');
      return true;
    });
    assert.throws(() => new Config().loadFromArgs([path.join(dir, 'nope.conf')]), ConfigError);
  });
});

describe('CONFIG GET', () => {
  test('patterns, aliases, hidden, multiple patterns de-duplicated', () => {
    const c = new Config();
    const all = c.getMatching('*');
    const names = all.map(([k]) => k);
    assert.ok(names.includes('replicaof'));
    assert.ok(names.includes('slaveof'), 'aliases are listed too');
    assert.ok(names.includes('cluster-node-timeout'));
    assert.ok(names.includes('tls-port'));
    assert.ok(!names.includes('key-load-delay'), 'hidden configs need an exact name');
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(c.getMatching('key-load-delay'), [['key-load-delay', '0']]);

    assert.deepEqual(c.getMatching('MAXMEMORY'), [['MAXMEMORY', '0']]);
    assert.deepEqual(c.getMatching(['maxmemory', 'maxmemory']), [['maxmemory', '0']]);
    const mm = c.getMatching(['maxmemory*', 'maxmemory', 'maxmemory-p?licy']).map(([k]) => k);
    assert.deepEqual(mm.sort(), ['maxmemory', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
    const z = c.getMatching('zset-max-*').map(([k]) => k).sort();
    assert.deepEqual(z, ['zset-max-listpack-entries', 'zset-max-listpack-value', 'zset-max-ziplist-entries', 'zset-max-ziplist-value']);
    assert.deepEqual(c.getMatching('[p]ort'), [['port', '6379']]);
    assert.deepEqual(c.getMatching('nothing-*'), []);
  });
});

describe('CONFIG SET', () => {
  test('several at once, error texts', () => {
    const c = new Config();
    assert.equal(c.set([['maxmemory', '10mb'], ['maxmemory-policy', 'allkeys-lfu'], ['SAVE', '100 10 20 2']]), null);
    assert.equal(c.num('maxmemory'), 10 * 1024 * 1024);
    assert.equal(c.get('maxmemory-policy'), 'allkeys-lfu');
    assert.equal(c.get('save'), '100 10 20 2');
    assert.equal(c.set([['save', '']]), null);
    assert.equal(c.get('save'), '');

    assert.equal(c.set([['foo', 'bar']]), "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    assert.equal(c.set([['port', 'abc']]),
      "ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer");
    assert.equal(c.set([['daemonize', 'yes']]),
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    assert.equal(c.set([['dbfilename', 'x.rdb']]),
      "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config");
    assert.equal(c.set([['maxmemory', '1'], ['maxmemory', '2']]),
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
    assert.equal(c.set([['SLAVEOF', 'h 1']]),
      "ERR CONFIG SET failed (possibly related to argument 'SLAVEOF') - can't set immutable config");
    assert.equal(c.set([['appendonly', 'yes']], { loading: true }), 'LOADING Valkey is loading the dataset in memory');
    // immutable seen first wins over a later unknown name; an earlier unknown wins.
    assert.equal(c.set([['daemonize', 'yes'], ['foo', '1']]),
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    assert.equal(c.set([['foo', '1'], ['daemonize', 'yes']]),
      "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    // error reports the registered (lowercase) name for validation failures
    assert.equal(c.set([['Slave-Priority', 'x']]),
      "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument couldn't be parsed into an integer");
    assert.equal(c.set([['rdma-port', '5']]),
      "ERR CONFIG SET failed (possibly related to argument 'rdma-port') - No RDMA building support.");
    assert.equal(c.num('rdma-port'), 0);
  });

  test('validation failure restores the ones already set', () => {
    const c = new Config();
    assert.equal(c.set([['timeout', '5'], ['maxmemory', '1mb'], ['hz', 'x']]),
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
    assert.equal(c.num('timeout'), 0);
    assert.equal(c.num('maxmemory'), 0);
  });

  test('apply hooks and rollback', () => {
    const c = new Config();
    const calls: string[] = [];
    c.onChange('timeout', (n, o) => { calls.push(`timeout ${o}->${n}`); return null; });
    c.onChange('port', (n, o) => { calls.push(`port ${o}->${n}`); return n === 1 ? 'Unable to listen on this port. Check server logs.' : null; });
    assert.equal(c.set([['timeout', '30'], ['port', '7001']]), null);
    assert.deepEqual(calls, ['timeout 0->30', 'port 6379->7001']);
    calls.length = 0;
    // unchanged value: no hook
    assert.equal(c.set([['timeout', '30']]), null);
    assert.deepEqual(calls, []);

    assert.equal(c.set([['timeout', '60'], ['port', '1'], ['maxmemory', '5mb']]),
      "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.");
    assert.equal(c.num('timeout'), 30);
    assert.equal(c.num('port'), 7001);
    assert.equal(c.num('maxmemory'), 0);
    assert.deepEqual(calls, ['timeout 30->60', 'port 7001->1', 'timeout 60->30', 'port 1->7001']);

    // one function for several names runs once
    let n = 0;
    const tls = () => { n++; return null; };
    c.onChange('tls-ciphers', tls);
    c.onChange('tls-protocols', tls);
    assert.equal(c.set([['tls-ciphers', 'A'], ['tls-protocols', 'TLSv1.3']]), null);
    assert.equal(n, 1);
    // hooks are not run while loading a file
    c.loadFromString('timeout 99');
    assert.equal(calls.length, 4);
  });

  test('special values', () => {
    const c = new Config();
    assert.equal(c.set([['client-output-buffer-limit', 'replica 1gb 2mb 10 pubsub 0 0 0']]), null);
    assert.equal(c.get('client-output-buffer-limit'), 'normal 0 0 0 slave 1073741824 2097152 10 pubsub 0 0 0');
    assert.equal(c.set([['notify-keyspace-events', 'Ex$g']]), null);
    assert.equal(c.get('notify-keyspace-events'), 'g$xE');
    assert.equal(c.set([['notify-keyspace-events', 'mKnA']]), null);
    assert.equal(c.get('notify-keyspace-events'), 'AKm');
    assert.equal(c.set([['notify-keyspace-events', 'nKm']]), null);
    assert.equal(c.get('notify-keyspace-events'), 'nKm');
    assert.equal(c.set([['bind', '127.0.0.1 -::1']]), null);
    assert.deepEqual(c.raw('bind'), ['127.0.0.1', '-::1']);
    assert.equal(c.str('bind'), '127.0.0.1 -::1');
    assert.equal(c.set([['maxmemory-clients', '5%']]), null);
    assert.equal(c.get('maxmemory-clients'), '5%');
    assert.equal(c.set([['oom-score-adj-values', '1 2 3'], ['latency-tracking-info-percentiles', '1.5 99.99']]), null);
    assert.equal(c.get('oom-score-adj-values'), '1 2 3');
    assert.equal(c.get('latency-tracking-info-percentiles'), '1.5 99.99');
    assert.equal(c.set([['shutdown-on-sigint', 'nosave force']]), null);
    assert.equal(c.get('shutdown-on-sigint'), 'nosave force');
    assert.equal(c.set([['hz', '100000']]), null);
    assert.equal(c.get('hz'), '500');
    assert.equal(c.set([['maxmemory', '18446744073709551615']]), null);
    assert.equal(c.get('maxmemory'), '18446744073709551615');
    assert.equal(c.set([['oom-score-adj', 'relative']]), null);
    assert.equal(c.get('oom-score-adj'), 'yes');
  });

  test('protected configs and dir', () => {
    keepCwd(() => {
      const dir = fs.realpathSync(tmpDir());
      const before = process.cwd();
      const c = new Config();
      c.loadFromString('enable-protected-configs local');
      assert.match(c.set([['dir', dir]]) ?? '', /can't set protected config/);
      assert.equal(c.set([['dir', dir]], { clientIsLocal: true }), null);
      assert.equal(c.get('dir'), dir);
      assert.equal(process.cwd(), before, 'an embedded server does not move its host process');
      assert.equal(c.set([['dir', path.join(dir, 'missing')]], { clientIsLocal: true }),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory");
      assert.equal(c.get('dir'), dir);
      // a relative dir resolves against the current one
      fs.mkdirSync(path.join(dir, 'sub'));
      assert.equal(c.set([['dir', 'sub']], { clientIsLocal: true }), null);
      assert.equal(c.get('dir'), path.join(dir, 'sub'));
    });
  });

  test('the standalone server (chdirOnDir) changes the process directory, as valkey-server', () => {
    keepCwd(() => {
      const dir = fs.realpathSync(tmpDir());
      const c = new Config();
      c.loadFromString('enable-protected-configs local');
      c.chdirOnDir = true;
      assert.equal(c.set([['dir', dir]], { clientIsLocal: true }), null);
      assert.equal(process.cwd(), dir);
      assert.equal(c.set([['dir', path.join(dir, 'missing')]], { clientIsLocal: true }),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory");
      assert.equal(process.cwd(), dir);
    });
  });
});

describe('CONFIG REWRITE', () => {
  test('no config file', () => {
    assert.equal(new Config().rewrite(), 'ERR The server is running without a config file');
  });

  test('round trip keeps comments, replaces in place, appends, removes defaults', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'valkey.conf');
    const original = [
      '# My server',
      'port 7000',
      '',
      '# memory',
      'maxmemory 100mb',
      'slaveof 10.0.0.1 6379',
      'save 900 1',
      'save 300 10',
      'timeout 10',
      '',
    ].join('\n');
    fs.writeFileSync(file, original);
    const c2 = new Config();
    c2.loadFromArgs([file]);
    assert.equal(c2.get('save'), '900 1 300 10');
    assert.equal(c2.get('replicaof'), '10.0.0.1 6379');
    // a line the server does not know (e.g. edited in later) is commented out
    fs.writeFileSync(file, original.replace('timeout 10', 'unknown-directive 1\ntimeout 10'));
    assert.equal(c2.set([['maxmemory', '2gb'], ['timeout', '0'], ['hz', '50'], ['requirepass', 'we "x"']]), null);
    assert.equal(c2.rewrite(), null);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], '# My server');
    assert.equal(lines[1], 'port 7000');
    assert.equal(lines[4], 'maxmemory 2gb');
    assert.equal(lines[5], 'replicaof 10.0.0.1 6379');
    assert.equal(lines[6], 'save 900 1 300 10');
    assert.ok(lines.includes('# ??? unknown-directive 1'));
    assert.ok(lines.includes('timeout 0'), 'an option back at its default is rewritten in place, not removed');
    assert.ok(!text.includes('save 300 10\n'), 'second save line blanked');
    const sig = lines.indexOf('# Generated by CONFIG REWRITE');
    assert.ok(sig > 6);
    assert.ok(lines.slice(sig).includes('hz 50'));
    assert.ok(lines.slice(sig).includes('requirepass "we \\"x\\""'));
    assert.ok(lines.slice(sig).includes(`dir ${catRepr(process.cwd())}`));
    assert.ok(!text.includes('\n\n\n'), 'runs of blank lines collapsed');
    assert.ok(!fs.readdirSync(dir).some((f) => f !== 'valkey.conf'), 'no temp file left');

    // reloading the rewritten file gives the same values
    const back = new Config();
    back.loadFromArgs([file]);
    for (const [name] of c2.getMatching('*')) {
      assert.equal(back.get(name), c2.get(name), name);
    }

    // Like Valkey, the file's final newline reads back as an empty last line,
    // so the next rewrite ends with one blank line; from then on it is stable.
    assert.equal(back.rewrite(), null);
    const again = fs.readFileSync(file, 'utf8');
    assert.equal(again, text + '\n');
    assert.equal(back.rewrite(), null);
    assert.equal(fs.readFileSync(file, 'utf8'), again);
    assert.equal(again.split('# Generated by CONFIG REWRITE').length, 2);
  });

  test('special options in rewrite', () => {
    const c = new Config();
    c.set([
      ['client-output-buffer-limit', 'pubsub 64mb 16mb 90'],
      ['notify-keyspace-events', 'KEA'],
      ['bind', '127.0.0.1'],
      ['maxmemory-clients', '10%'],
      ['save', ''],
      ['shutdown-on-sigint', 'save now'],
    ]);
    const out = c.renderRewrite('bind 0.0.0.0\nnotify-keyspace-events ""\n');
    const lines = out.split('\n');
    assert.equal(lines[0], 'bind 127.0.0.1');
    assert.equal(lines[1], 'notify-keyspace-events "AKE"');
    assert.ok(lines.includes('client-output-buffer-limit pubsub 64mb 16mb 90'));
    assert.ok(!out.includes('client-output-buffer-limit normal'));
    assert.ok(lines.includes('maxmemory-clients 10%'));
    assert.ok(lines.includes('save ""'));
    assert.ok(lines.includes('shutdown-on-sigint save now'));
    assert.ok(lines.includes('latency-tracking-info-percentiles 50 99 99.9'), 'always written');

    const d = new Config();
    const kept = d.renderRewrite('bind 1.2.3.4\nport 6379\n');
    assert.ok(!kept.includes('bind'), 'default bind removes bind lines');
    assert.ok(kept.startsWith('\nport 6379\n'), 'default value kept where it was');
  });
});
