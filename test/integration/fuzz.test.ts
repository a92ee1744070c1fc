// Fuzzing the server over real sockets for a bounded time: random bytes, mangled multibulk
// requests, and random commands (every registered command, arguments shaped by its COMMAND
// DOCS argument list and then mutated) sent through many connections at once.
//
// What must hold throughout: the server never crashes or hangs, everything it writes is valid
// RESP, and a separate "canary" client's connection and data are untouched.
//
// FUZZ_SEED=<n> replays a run; FUZZ_SECONDS=<s> changes the total time (default 20).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, RawClient, encodeCommand, parseReply, sleep, type RunningServer, seededRandom } from '../helpers';
import type { Command, ArgDoc } from '../../src/commands/table';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TOTAL_MS = Number(process.env.FUZZ_SECONDS ?? 20) * 1000;
const CANARY_DB = '9';
/** the canary's reply must come back within this even on a loaded CI machine */
const MAX_CANARY_LATENCY_MS = 5000;

// ------------------------------------------------------------------ deterministic randomness

const rand = seededRandom(SEED);
const randInt = (n: number) => Math.floor(rand() * n);
const chance = (p: number) => rand() < p;
function pick<T>(items: readonly T[]): T {
  return items[randInt(items.length)];
}

function randomBytes(n: number, alphabet?: string): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = alphabet ? alphabet.charCodeAt(randInt(alphabet.length)) : randInt(256);
  return b;
}

// ------------------------------------------------------------------ argument generation

const KEYS = ['fz:a', 'fz:b', 'fz:c', 'fz:{t}1', 'fz:{t}2', 'fz:list', 'fz:hash', 'fz:set', 'fz:zset', 'fz:str', 'fz:stream', ''];
const INTS = ['0', '1', '-1', '2', '3', '10', '100', '-100', '65535', '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967296', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '00', '+1', ' 1', '1 ', '0x10', '1e3', '', 'abc'];
const DOUBLES = ['0', '1.5', '-1.5', '3.14159', '1e308', '1e309', '-1e309', '5e-324', 'inf', '-inf', '+inf', 'nan', '-0', '.5', '1.', '1e', '0x1p3', '(1.5', '(5', '[a', '-', '+', ''];
const PATTERNS = ['*', 'fz:*', 'fz:?', 'fz:[a-c]', '[', '[^a', '\\', 'fz:\\*', '*{t}*', ''];
const WORDS = ['a', 'b', 'hello', 'fz:a', 'x y', '"quoted"', "it's", '0', '1', '-1', 'OK', 'nil', '\r\n', '*1\r\n$4\r\nPING\r\n', '\x00', '\xff\xfe', 'é', ''];
/** Tokens that show up all over the command set, tried where the docs give none. */
const COMMON_TOKENS = ['EX', 'PX', 'EXAT', 'PXAT', 'NX', 'XX', 'GT', 'LT', 'GET', 'KEEPTTL', 'PERSIST', 'WITHSCORES', 'LIMIT', 'COUNT', 'MATCH', 'TYPE', 'BY', 'STORE', 'REV', 'BYSCORE', 'BYLEX', 'ASC', 'DESC', 'ALPHA', 'CH', 'INCR', 'MAXLEN', 'MINID', '~', '=', 'FIELDS', 'RANK', 'IDLETIME', 'NOVALUE', 'SCHEDULE', 'ASYNC', 'SYNC', 'FULL', 'MAXAGE', 'ID', 'NOW'];

/** Commands that affect the whole server or other clients by design: never sent. */
// PFSELFTEST is a deliberately long self-check (about a second, in Valkey too): the canary would
// take it for a stall.
const DENY = new Set(['shutdown', 'flushall', 'flushdb', 'swapdb', 'replicaof', 'slaveof', 'failover', 'sync', 'psync', 'replconf', 'cluster', 'module', 'migrate', 'pfselftest']);
const DENY_SUB: Record<string, Set<string>> = {
  client: new Set(['kill', 'pause']),
  config: new Set(['set', 'rewrite']),
  acl: new Set(['setuser', 'deluser', 'load', 'save']),
};
/**
 * Arguments that size an allocation or a reply: capped so the fuzzer does not ask for (legal)
 * gigabytes, which would only test the machine's memory.
 */
const NUMBER_CAPS: Record<string, number> = {
  setrange: 1e7,
  setbit: 8e7,
  bitfield: 8e7,
  bitfield_ro: 8e7,
  srandmember: 1e5,
  hrandfield: 1e5,
  zrandmember: 1e5,
  lpos: 1e5,
};

function randomString(): string {
  switch (randInt(6)) {
    case 0:
      return pick(WORDS);
    case 1:
      return randomBytes(1 + randInt(12)).toString('latin1');
    case 2:
      return 'v'.repeat(randInt(3000));
    case 3:
      return pick(INTS);
    case 4:
      return pick(DOUBLES);
    default:
      return pick(KEYS);
  }
}

function valueFor(arg: ArgDoc): string[] {
  switch (arg.type) {
    case 'key':
      return [pick(KEYS)];
    case 'integer':
      return [chance(0.7) ? String(randInt(20) - 5) : pick(INTS)];
    case 'double':
      return [chance(0.6) ? (rand() * 200 - 100).toFixed(randInt(4)) : pick(DOUBLES)];
    case 'unix-time':
      return [chance(0.5) ? String(Math.floor(Date.now() / 1000) + randInt(100) - 50) : pick(INTS)];
    case 'pattern':
      return [pick(PATTERNS)];
    case 'pure-token':
      return [];
    case 'oneof':
      return arg.arguments && arg.arguments.length > 0 ? argsFor(pick(arg.arguments)) : [randomString()];
    case 'block':
      return (arg.arguments ?? []).flatMap((a) => argsFor(a));
    default:
      return [randomString()];
  }
}

/** One documented argument, with its token, optionality and repetition. */
function argsFor(arg: ArgDoc): string[] {
  if (arg.optional && chance(0.5)) return [];
  const times = arg.multiple ? 1 + randInt(chance(0.1) ? 20 : 3) : 1;
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    if (arg.token && (i === 0 || arg.multiple_token)) out.push(chance(0.2) ? arg.token.toLowerCase() : arg.token);
    out.push(...valueFor(arg));
  }
  return out;
}

/** Random structural damage: drop, duplicate, replace or insert arguments. */
function mutate(args: string[]): string[] {
  const out = [...args];
  const n = 1 + randInt(3);
  for (let i = 0; i < n; i++) {
    const at = randInt(out.length + 1);
    switch (randInt(5)) {
      case 0:
        out.splice(at, 1);
        break;
      case 1:
        if (out.length > 0) out.splice(at, 0, out[Math.min(at, out.length - 1)]);
        break;
      case 2:
        out[Math.min(at, Math.max(0, out.length - 1))] = randomString();
        break;
      case 3:
        out.splice(at, 0, pick(COMMON_TOKENS));
        break;
      default:
        out.splice(at, 0, randomString());
    }
  }
  return out;
}

function capNumbers(name: string, args: string[]): string[] {
  const cap = NUMBER_CAPS[name];
  if (cap === undefined) return args;
  return args.map((a) => {
    const n = Number(a);
    return a.trim() !== '' && Number.isFinite(n) && Math.abs(n) > cap ? String(Math.sign(n) * randInt(cap)) : a;
  });
}

function randomCommand(commands: Command[]): string[] {
  for (;;) {
    const cmd = pick(commands);
    if (DENY.has(cmd.name)) continue;
    const argv: string[] = [chance(0.3) ? cmd.name.toUpperCase() : cmd.name];
    let def = cmd.def;
    if (cmd.subcommands && chance(0.9)) {
      const sub = pick([...cmd.subcommands.values()]);
      if (DENY_SUB[cmd.name]?.has(sub.name)) continue;
      argv.push(chance(0.5) ? sub.name.toUpperCase() : sub.name);
      def = sub.def;
    } else if (DENY_SUB[cmd.name]) {
      continue; // a random first argument could be a denied subcommand
    }
    let args: string[];
    if (def.args && def.args.length > 0 && chance(0.8)) {
      args = def.args.flatMap((a) => argsFor(a));
      if (chance(0.3)) args = mutate(args);
    } else {
      const arity = Math.abs(def.arity) - argv.length;
      args = Array.from({ length: Math.max(0, arity + (chance(0.5) ? randInt(4) - 1 : 0)) }, randomString);
    }
    return [...argv, ...capNumbers(cmd.name, args)];
  }
}

// ------------------------------------------------------------------ connections

/**
 * Fjord answers an exception thrown by a command handler with "ERR internal error while
 * executing ..." instead of crashing: for the fuzzer that is a crash.
 */
const internalErrors: string[] = [];
function noteInternalError(reply: unknown): void {
  const err = reply !== null && typeof reply === 'object' && 'error' in reply ? String((reply as { error: unknown }).error) : '';
  if (err.startsWith('ERR internal error') && internalErrors.length < 20) internalErrors.push(err);
}

/** A fuzzing connection: reads everything and checks it is well-formed RESP. */
class FuzzConn {
  readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  closed = false;
  lastData = Date.now();
  replies = 0;
  violation: string | null = null;

  constructor(port: number) {
    this.socket = net.createConnection({ port, host: '127.0.0.1' });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => (this.closed = true));
  }

  private onData(d: Buffer): void {
    this.lastData = Date.now();
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    let pos = 0;
    try {
      for (;;) {
        const r = parseReply(this.buf, pos);
        if (r === null) break;
        pos = r.next;
        this.replies++;
        noteInternalError(r.value);
      }
    } catch (e) {
      this.violation ??= `${(e as Error).message}`;
      this.buf = Buffer.alloc(0);
      return;
    }
    this.buf = this.buf.subarray(pos);
  }

  write(data: Buffer | string): void {
    if (!this.closed) this.socket.write(data);
  }

  /** Wait for the server to answer something or close; false if it stayed silent. */
  async settle(ms: number): Promise<boolean> {
    const since = this.lastData;
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.closed || this.lastData !== since) return true;
      await sleep(5);
    }
    return false;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

interface Stats {
  connections: number;
  commands: number;
  replies: number;
  silent: number;
  violations: string[];
}

function newStats(): Stats {
  return { connections: 0, commands: 0, replies: 0, silent: 0, violations: [] };
}

function retire(c: FuzzConn, stats: Stats): void {
  stats.replies += c.replies;
  if (c.violation) stats.violations.push(c.violation);
  c.destroy();
}

/** Run `workers` loops in parallel until the deadline; each gets fresh connections as needed. */
async function runWorkers(port: number, workers: number, ms: number, stats: Stats, step: (c: FuzzConn) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        const c = new FuzzConn(port);
        stats.connections++;
        await new Promise<void>((r) => {
          c.socket.once('connect', () => r());
          c.socket.once('error', () => r());
        });
        // keep using the connection until the server closes it or the step gives it up
        while (!c.closed && Date.now() < deadline) {
          if (!(await step(c))) break;
        }
        retire(c, stats);
      }
    }),
  );
}

// ------------------------------------------------------------------ the canary

class Canary {
  private client!: RawClient;
  private readonly fixed = new Map<string, string>();
  private round = 0;
  maxLatency = 0;

  async start(port: number): Promise<void> {
    this.client = await RawClient.connect(port);
    assert.equal(await this.client.call('SELECT', CANARY_DB), 'OK');
    this.fixed.set('canary:text', 'the canary sings');
    this.fixed.set('canary:binary', randomBytes(300).toString('latin1'));
    this.fixed.set('canary:big', 'c'.repeat(100_000));
    for (const [k, v] of this.fixed) assert.equal(await this.client.call('SET', k, v), 'OK');
  }

  /** The connection answers quickly and the data is intact. */
  async check(): Promise<void> {
    const started = Date.now();
    assert.equal(this.client.closed, false, 'the canary connection is still open');
    assert.equal(await this.client.call('PING'), 'PONG');
    this.round++;
    const key = `canary:round:${this.round % 5}`;
    assert.equal(await this.client.call('SET', key, String(this.round)), 'OK');
    assert.equal(await this.client.call('GET', key), String(this.round));
    for (const [k, v] of this.fixed) assert.equal(await this.client.call('GET', k), v, `canary key ${k} is intact`);
    const latency = Date.now() - started;
    this.maxLatency = Math.max(this.maxLatency, latency);
    assert.ok(latency < MAX_CANARY_LATENCY_MS, `the server answered the canary in ${latency} ms`);
  }

  /** Check every `everyMs` until `done` resolves. */
  async watch(done: Promise<void>, everyMs = 100): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      await this.check();
      await sleep(everyMs);
    }
    await this.check();
  }

  close(): void {
    this.client.close();
  }
}

// ------------------------------------------------------------------ the tests

describe(`fuzz (FUZZ_SEED=${SEED})`, () => {
  let srv: RunningServer;
  let dir: string;
  const canary = new Canary();

  // The server runs in this process: a bug in a command handler surfaces as an uncaught
  // exception, which node:test does not reliably pin on the running test. Record them.
  const crashes: string[] = [];
  const onCrash = (e: unknown) => crashes.push(e instanceof Error ? (e.stack ?? e.message) : String(e));

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-fuzz-'));
    // DEBUG stays disabled (the default): fuzzed DEBUG calls exercise the refusal path instead of
    // sleeping or crashing on purpose. SAVE and friends write into a scratch directory.
    srv = await startServer({ config: { dir, save: '' } });
    await canary.start(srv.port);
  });

  after(async () => {
    process.removeListener('uncaughtException', onCrash);
    process.removeListener('unhandledRejection', onCrash);
    canary.close();
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function assertHealthy(stats: Stats, label: string): Promise<void> {
    assert.deepEqual(crashes.slice(0, 3), [], `${label}: no exception escaped the server`);
    assert.deepEqual(internalErrors.slice(0, 5), [], `${label}: no command handler threw`);
    assert.deepEqual(stats.violations.slice(0, 3), [], `${label}: the server only writes valid RESP`);
    // every fuzz connection is gone from the server's client table, only the canary is left
    const deadline = Date.now() + 3000;
    while (srv.server.clients.size > 1 && Date.now() < deadline) await sleep(20);
    assert.equal(srv.server.clients.size, 1, `${label}: closed connections are freed`);
    const fresh = await RawClient.connect(srv.port);
    assert.equal(await fresh.call('PING'), 'PONG', `${label}: new connections are served`);
    fresh.close();
  }

  test('random bytes', async (t) => {
    const stats = newStats();
    const alphabets = [undefined, '*$\r\n0123456789-+ abc"\'\\', '\r\n PING"\'', '*$:+-\r\n123'];
    const work = runWorkers(srv.port, 4, TOTAL_MS * 0.15, stats, async (c) => {
      const alphabet = pick(alphabets);
      c.write(randomBytes(1 + randInt(chance(0.1) ? 100_000 : 300), alphabet));
      stats.commands++;
      if (!(await c.settle(30))) stats.silent++;
      return chance(0.8);
    });
    await canary.watch(work);
    await work;
    t.diagnostic(JSON.stringify({ ...stats, violations: stats.violations.length }));
    await assertHealthy(stats, 'random bytes');
  });

  test('truncated, oversized and mangled multibulk requests', async (t) => {
    const stats = newStats();
    const work = runWorkers(srv.port, 4, TOTAL_MS * 0.15, stats, async (c) => {
      const argv = [pick(['SET', 'GET', 'ECHO', 'PING', 'APPEND', 'DEL']), pick(KEYS), randomString()];
      let data = encodeCommand(argv).toString('latin1');
      switch (randInt(7)) {
        case 0: // cut anywhere, then hang up
          c.write(data.slice(0, randInt(data.length)));
          c.destroy();
          return false;
        case 1: // cut anywhere, then carry on with a valid command
          data = data.slice(0, randInt(data.length)) + encodeCommand(['PING']).toString('latin1');
          break;
        case 2: // a bulk longer than announced
          data = data.replace(/\$(\d+)\r\n/, (_m, n) => `$${Math.max(0, Number(n) - 1 - randInt(3))}\r\n`);
          break;
        case 3: // a bulk shorter than announced
          data = data.replace(/\$(\d+)\r\n/, (_m, n) => `$${Number(n) + 1 + randInt(100)}\r\n`);
          break;
        case 4: // more arguments announced than sent
          data = data.replace(/^\*(\d+)/, (_m, n) => `*${Number(n) + 1 + randInt(1000)}`);
          break;
        case 5: // a corrupted header byte
          {
            const i = randInt(data.length);
            data = data.slice(0, i) + pick(['*', '$', '\r', '\n', '-', 'x', '9', '\0']) + data.slice(i + 1);
          }
          break;
        default: // an oversized declaration that never arrives, then hang up
          c.write(pick([`*${2 ** 31 - 1}\r\n`, `*1\r\n$${64 * 1024 * 1024}\r\n`, `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\nabc`]));
          await sleep(randInt(20));
          c.destroy();
          return false;
      }
      c.write(Buffer.from(data, 'latin1'));
      stats.commands++;
      if (!(await c.settle(30))) stats.silent++;
      return true;
    });
    await canary.watch(work);
    await work;
    t.diagnostic(JSON.stringify({ ...stats, violations: stats.violations.length }));
    await assertHealthy(stats, 'multibulk');
  });

  test('random commands with random arguments, through many connections', async (t) => {
    const commands = [...srv.server.commands.values()];
    assert.ok(commands.length > 0, 'the server has commands');
    const stats = newStats();
    const work = runWorkers(srv.port, 8, TOTAL_MS * 0.7, stats, async (c) => {
      if (c.replies === 0 && chance(0.3)) c.write(encodeCommand(['HELLO', '3']));
      const batch: Buffer[] = [];
      const n = 1 + randInt(chance(0.2) ? 200 : 20);
      for (let i = 0; i < n; i++) {
        const argv = randomCommand(commands);
        // mostly multibulk; sometimes inline, when the arguments allow it
        const inlineable = argv.every((a) => a.length > 0 && /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a));
        batch.push(inlineable && chance(0.2) ? Buffer.from(argv.join(' ') + '\r\n', 'latin1') : encodeCommand(argv));
      }
      c.write(Buffer.concat(batch));
      stats.commands += n;
      // A connection that blocks (BLPOP 0, WAIT, CLIENT REPLY OFF, SUBSCRIBE) goes quiet: replace it.
      if (!(await c.settle(1000))) {
        stats.silent++;
        return false;
      }
      return true;
    });
    await canary.watch(work, 200);
    await work;
    t.diagnostic(JSON.stringify({ ...stats, violations: stats.violations.length, canaryMaxLatencyMs: canary.maxLatency }));
    assert.ok(stats.replies > stats.commands / 4, `most commands were answered (${stats.replies} replies to ${stats.commands} commands)`);
    await assertHealthy(stats, 'commands');
  });
});
