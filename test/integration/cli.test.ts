// Command-line tools: redis-cli against Fjord (one-shot commands, RESP3, piped input, --pipe)
// and the fjord-server program itself (serving, config files, fatal config errors, signals).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFjord, RawClient, freePort, sleep, referenceAvailable, type RunningServer } from '../helpers';

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'main.js');
const haveRedisCli = referenceAvailable();

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a program to completion without blocking the event loop (the Fjord under test may live
 * in this very process), optionally feeding stdin.
 */
function run(cmd: string, args: string[], stdin?: string, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

describe('redis-cli against fjord', { skip: !haveRedisCli && 'redis-cli not installed' }, () => {
  let srv: RunningServer;
  const cli = (args: string[], stdin?: string) => run('redis-cli', ['-p', String(srv.port), ...args], stdin);

  before(async () => {
    srv = await startFjord();
  });
  after(async () => srv.stop());

  test('one-shot commands', async () => {
    assert.equal((await cli(['set', 'a', 'b'])).stdout, 'OK\n');
    assert.equal((await cli(['get', 'a'])).stdout, 'b\n');
    assert.equal((await cli(['--no-raw', 'get', 'missing'])).stdout, '(nil)\n');
    assert.equal((await cli(['--no-raw', 'set', 'a', 'c'])).stdout, 'OK\n');
    assert.equal((await cli(['--no-raw', 'get', 'a'])).stdout, '"c"\n');
  });

  test('error replies are printed', async () => {
    const r = await cli(['--no-raw', 'nosuchcommand', 'x']);
    assert.equal(r.stdout, "(error) ERR unknown command 'nosuchcommand', with args beginning with: 'x' \n");
  });

  test('-x reads the last argument from stdin', async () => {
    assert.equal((await cli(['-x', 'set', 'fromstdin'], 'line one\nline two')).stdout, 'OK\n');
    assert.equal((await cli(['get', 'fromstdin'])).stdout, 'line one\nline two\n');
  });

  test('-n selects a database', async () => {
    assert.equal((await cli(['-n', '3', 'set', 'indb3', 'yes'])).stdout, 'OK\n');
    assert.equal((await cli(['-n', '3', 'get', 'indb3'])).stdout, 'yes\n');
    assert.equal((await cli(['--no-raw', '-n', '0', 'get', 'indb3'])).stdout, '(nil)\n');
  });

  test('-3 (RESP3): HELLO is a map', async () => {
    const r = await cli(['-3', '--no-raw', 'hello', '3']);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '1# "server" => "valkey"');
    assert.match(lines[1], /^2# "version" => "\d+\.\d+\.\d+"$/);
    assert.equal(lines[2], '3# "proto" => (integer) 3');
    const resp2 = await cli(['-2', '--no-raw', 'hello', '2']);
    assert.equal(resp2.stdout.split('\n')[0], ' 1) "server"', 'RESP2 prints an array');
  });

  test('--json speaks RESP3', async () => {
    const hello = JSON.parse((await cli(['--json', 'hello', '3'])).stdout);
    assert.equal(hello.server, 'valkey');
    assert.equal(hello.proto, 3);
    assert.equal(hello.mode, 'standalone');
    assert.equal(hello.role, 'master');
    assert.deepEqual(hello.modules, []);
  });

  test('commands piped on stdin, one per line', async () => {
    const r = await cli([], 'set piped 1\nget piped\nset "with space" "a b"\nget "with space"\n');
    assert.equal(r.stdout, 'OK\n1\nOK\na b\n');
  });

  test('--pipe mass insertion with inline and multibulk commands', async () => {
    let data = '';
    for (let i = 0; i < 1000; i++) data += i % 2 ? `SET mass:${i} v${i}\r\n` : `*3\r\n$3\r\nSET\r\n$${`mass:${i}`.length}\r\nmass:${i}\r\n$${`v${i}`.length}\r\nv${i}\r\n`;
    const r = await cli(['--pipe'], data);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /errors: 0, replies: 1000/);
    assert.equal((await cli(['get', 'mass:999'])).stdout, 'v999\n');
    assert.equal((await cli(['get', 'mass:0'])).stdout, 'v0\n');
  });

  test('--pipe counts errors and exits non-zero', async () => {
    const r = await cli(['--pipe'], 'SET ok 1\r\nNOSUCHCMD\r\n');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /errors: 1, replies: 2/);
  });
});

// ------------------------------------------------------------------ fjord-server

interface Spawned {
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `node dist/src/main.js args...` and wait until it answers on `port`. */
async function startCli(args: string[], port: number): Promise<Spawned> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const deadline = Date.now() + 30_000; // generous: CI machines can be busy
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fjord-server exited with ${child.exitCode}: ${output}`);
    try {
      const c = await RawClient.connect(port);
      await c.call('PING'); // any reply (PONG, or NOAUTH with requirepass) means it is serving
      c.close();
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fjord-server did not start: ${output}`);
    }
    await sleep(50);
  }
  return { child, port, out: () => output, exited };
}

async function stopCli(s: Spawned): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-cli-'));
}

/** The fatal config report with the server's version label made neutral, for comparison. */
function normalizeFatal(stderr: string): string {
  return stderr.replace(/\*\*\* FATAL CONFIG FILE ERROR \((?:Version|Redis) [^)]*\) \*\*\*/, '*** FATAL CONFIG FILE ERROR (V) ***');
}

describe('fjord-server command line', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('serves with --port and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dir = tmpDir();
    dirs.push(dir);
    const s = await startCli(['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], port);
    try {
      const c = await RawClient.connect(port);
      assert.equal(await c.call('SET', 'k', 'v'), 'OK');
      assert.equal(await c.call('GET', 'k'), 'v');
      assert.match(s.out(), /Ready to accept connections/);
      s.child.kill('SIGTERM');
      const { code, signal } = await s.exited;
      assert.equal(signal, null);
      assert.equal(code, 0);
      await c.waitClose();
      assert.match(s.out(), /Received SIGTERM scheduling shutdown/);
    } finally {
      await stopCli(s);
    }
  });

  test('SIGINT exits 0 too', async () => {
    const port = await freePort();
    const s = await startCli(['--port', String(port), '--save', ''], port);
    try {
      s.child.kill('SIGINT');
      assert.deepEqual(await s.exited, { code: 0, signal: null });
    } finally {
      await stopCli(s);
    }
  });

  test('a config file, with command-line options overriding it', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const filePort = await freePort();
    const port = await freePort();
    const file = path.join(dir, 'fjord.conf');
    fs.writeFileSync(file, `# test config\nport ${filePort}\nsave ""\nappendonly no\ndatabases 2\n\nrequirepass "file secret"\n`);
    const s = await startCli([file, '--port', String(port), '--requirepass', 'cli-secret'], port);
    try {
      const c = await RawClient.connect(port);
      assert.deepEqual(await c.call('GET', 'x'), { error: 'NOAUTH Authentication required.' });
      assert.deepEqual(await c.call('AUTH', 'file secret'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
      assert.equal(await c.call('AUTH', 'cli-secret'), 'OK');
      assert.equal(await c.call('SELECT', '1'), 'OK');
      assert.deepEqual(await c.call('SELECT', '2'), { error: 'ERR DB index is out of range' });
      c.close();
      await assert.rejects(RawClient.connect(filePort), 'the file port was overridden');
    } finally {
      await stopCli(s);
    }
  });

  const fatalCases: { name: string; args: (dir: string) => string[]; expect: RegExp }[] = [
    { name: 'unknown directive on the command line', args: () => ['--port', '0', '--no-such-directive', 'yes'], expect: /Bad directive or wrong number of arguments/ },
    { name: 'bad integer', args: () => ['--port', 'abc'], expect: /argument couldn't be parsed into an integer/ },
    { name: 'bad enum', args: () => ['--appendfsync', 'sometimes'], expect: /argument\(s\) must be one of the following: everysec, always, no/ },
    {
      name: 'unknown directive in a config file',
      args: (dir) => {
        const file = path.join(dir, 'bad.conf');
        fs.writeFileSync(file, 'port 0\n# comment\nnosuch 1 2\n');
        return [file];
      },
      expect: /Reading the configuration file, at line 3\n>>> 'nosuch 1 2'\nBad directive or wrong number of arguments/,
    },
  ];
  for (const fc of fatalCases) {
    test(`fatal config error: ${fc.name}`, async () => {
      const dir = tmpDir();
      dirs.push(dir);
      const args = fc.args(dir);
      const r = await run(process.execPath, [MAIN, ...args]);
      assert.equal(r.code, 1, `exit code 1; stderr=${r.stderr}`);
      assert.match(r.stderr, /^\n\*\*\* FATAL CONFIG FILE ERROR \(Version \d+\.\d+\.\d+\) \*\*\*\n/);
      assert.match(r.stderr, fc.expect);
      if (referenceAvailable()) {
        const ref = await run('redis-server', args);
        assert.equal(ref.code, 1);
        assert.equal(normalizeFatal(r.stderr), normalizeFatal(ref.stderr), 'same report as the reference server');
      }
    });
  }

  test('a missing config file is fatal', async () => {
    const r = await run(process.execPath, [MAIN, '/nonexistent/fjord.conf', '--port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /Fatal error, can't open config file '\/nonexistent\/fjord.conf': No such file or directory/);
  });

  test('a port already in use stops startup with exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await run(process.execPath, [MAIN, '--port', String(port), '--bind', '127.0.0.1', '--save', '']);
      assert.equal(r.code, 1);
      assert.match(r.stdout + r.stderr, /Could not create server TCP listening socket 127\.0\.0\.1:\d+: bind: Address already in use/);
    } finally {
      blocker.close();
    }
  });

  test('--version', async () => {
    const r = await run(process.execPath, [MAIN, '--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /v=9\.0\.\d+/);
  });
});
