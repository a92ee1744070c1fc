// Shared test helpers: start Fjord in-process on an ephemeral port, a raw RESP connection for
// protocol-level tests, and a reference redis-server for differential tests.

import * as net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';
import { startServer, type RunningServer, type StartOptions } from '../src/index';

export { startServer };
export type { RunningServer };

/** Start Fjord for a test; DEBUG is enabled as in Valkey's own test suite. */
export async function startFjord(config: Record<string, string | number> = {}, opts: Omit<StartOptions, 'config'> = {}): Promise<RunningServer> {
  // Each test server gets its own directory, so an RDB file never lands in the working tree.
  const dir = config.dir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-test-')) : null;
  const srv = await startServer({ port: 0, ...opts, config: { 'enable-debug-command': 'yes', ...(dir ? { dir } : {}), ...config } });
  if (dir === null) return srv;
  const stop = srv.stop;
  srv.stop = async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return srv;
}

/**
 * A raw RESP connection: send bytes, read replies as parsed values. Errors come back as
 * `{ error: 'ERR ...' }`, RESP3 types as tagged objects where JS has no equivalent.
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    socket.on('close', () => {
      this.closed = true;
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Send one command as a multibulk. */
  send(...args: (string | number | Buffer)[]): void {
    this.write(encodeCommand(args));
  }

  /** Send a command and read its reply. */
  async call(...args: (string | number | Buffer)[]): Promise<unknown> {
    this.send(...args);
    return this.read();
  }

  /** Read the next complete reply (waits up to `timeoutMs`). */
  async read(timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = parseReply(this.buf, 0);
      if (r !== null) {
        this.buf = this.buf.subarray(r.next);
        return r.value;
      }
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Raw bytes received and not yet parsed. */
  pending(): string {
    return this.buf.toString('latin1');
  }

  /** Wait for the server to close the connection. */
  async waitClose(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timeout waiting for close');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export function encodeCommand(args: (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export interface Tagged {
  type: 'double' | 'bool' | 'verbatim' | 'bignum' | 'push' | 'set' | 'map' | 'attribute';
  value: unknown;
}

/** Parse one RESP2/RESP3 reply from buf at pos; null if incomplete. */
export function parseReply(buf: Buffer, pos: number): { value: unknown; next: number } | null {
  if (pos >= buf.length) return null;
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const t = String.fromCharCode(buf[pos]);
  const line = buf.toString('latin1', pos + 1, nl);
  const after = nl + 2;
  switch (t) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: { error: line }, next: after };
    case ':':
      return { value: Number(line), next: after };
    case '_':
      return { value: null, next: after };
    case ',':
      return { value: { type: 'double', value: line } as Tagged, next: after };
    case '#':
      return { value: { type: 'bool', value: line === 't' } as Tagged, next: after };
    case '(':
      return { value: { type: 'bignum', value: line } as Tagged, next: after };
    case '$':
    case '=':
    case '!': {
      const len = Number(line);
      if (len < 0) return { value: null, next: after };
      if (buf.length < after + len + 2) return null;
      const s = buf.toString('latin1', after, after + len);
      if (t === '=') return { value: { type: 'verbatim', value: s } as Tagged, next: after + len + 2 };
      if (t === '!') return { value: { error: s }, next: after + len + 2 };
      return { value: s, next: after + len + 2 };
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      const count = t === '%' || t === '|' ? n * 2 : n;
      const items: unknown[] = [];
      let p = after;
      for (let i = 0; i < count; i++) {
        const r = parseReply(buf, p);
        if (r === null) return null;
        items.push(r.value);
        p = r.next;
      }
      if (t === '*') return { value: items, next: p };
      const type = t === '~' ? 'set' : t === '>' ? 'push' : t === '%' ? 'map' : 'attribute';
      if (t === '|') {
        // an attribute precedes the real reply
        const r = parseReply(buf, p);
        if (r === null) return null;
        return { value: { type, value: items, reply: r.value }, next: r.next };
      }
      return { value: { type, value: items } as Tagged, next: p };
    }
    default:
      throw new Error(`bad reply type byte ${JSON.stringify(t)} in ${JSON.stringify(buf.toString('latin1', pos, Math.min(buf.length, pos + 80)))}`);
  }
}

/** A reference redis-server (Debian package) on a free port, or null if it is not installed. */
export interface ReferenceServer {
  port: number;
  stop(): Promise<void>;
}

export function referenceAvailable(): boolean {
  return spawnSync('which', ['redis-server']).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export async function startReference(extra: string[] = []): Promise<ReferenceServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-ref-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', ...extra],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const c = await RawClient.connect(port);
      const r = await c.call('PING');
      c.close();
      // PONG, or NOAUTH when started with a password: either way it is serving.
      if (r === 'PONG' || (typeof r === 'object' && r !== null && String((r as { error?: string }).error).startsWith('NOAUTH'))) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('reference redis-server did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A server with the clients most integration suites use: ioredis, and raw RESP2 and RESP3 sockets. */
export interface ServerWithClients {
  srv: RunningServer;
  io: Redis;
  raw: RawClient;
  /** a raw client that said HELLO 3 */
  raw3: RawClient;
}

/** Start Fjord with `config` and connect the usual clients (`ioOptions` are added to ioredis's). */
export async function startWithClients(config: Record<string, string | number> = {}, ioOptions: RedisOptions = {}): Promise<ServerWithClients> {
  const srv = await startFjord(config);
  const io = new Redis({ port: srv.port, enableReadyCheck: false, lazyConnect: true, retryStrategy: () => null, ...ioOptions });
  await io.connect();
  const raw = await RawClient.connect(srv.port);
  const raw3 = await RawClient.connect(srv.port);
  await raw3.call('HELLO', '3');
  return { srv, io, raw, raw3 };
}

/** Close what startWithClients opened (any part may be missing if startup failed). */
export async function stopWithClients(s: Partial<ServerWithClients>): Promise<void> {
  s.io?.disconnect();
  s.raw?.close();
  s.raw3?.close();
  await s.srv?.stop();
}

/**
 * A small seeded PRNG (mulberry32) giving numbers in [0, 1): tests that draw random inputs take
 * a seed so that a failing run can be replayed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
