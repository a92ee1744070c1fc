// Shared pieces of the protocol and limits tests: the servers a case runs against (Fjord and
// the reference redis-server) and raw-socket helpers.

import assert from 'node:assert/strict';
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer } from '../helpers';

export const MB = 1024 * 1024;

export interface Target {
  name: string;
  /** start a server with extra config directives */
  start(config?: Record<string, string>): Promise<{ port: number; stop(): Promise<void> }>;
}

export const fjordTarget: Target = {
  name: 'fjord',
  start: async (config = {}) => {
    const s = await startFjord(config);
    return { port: s.port, stop: () => s.stop() };
  },
};

export const referenceTarget: Target = {
  name: 'reference redis-server',
  start: (config = {}) => startReference(Object.entries(config).flatMap(([k, v]) => [`--${k}`, v])),
};

/** Skip option for suites that need the reference server. */
export const needsReference = { skip: !referenceAvailable() && 'redis-server not installed' };

/** Run fn against a server of this target started with config, and always stop it. */
export async function withServer(target: Target, config: Record<string, string>, fn: (port: number) => Promise<void>): Promise<void> {
  const s = await target.start(config);
  try {
    await fn(s.port);
  } finally {
    await s.stop();
  }
}

/** Send raw bytes on a fresh connection; return the first `replies` replies and whether the server then closed it. */
export async function exchange(port: number, data: string | Buffer, replies: number): Promise<{ replies: unknown[]; closed: boolean; client: RawClient }> {
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

/** The replies in `before`, then `message` as an error, then the server closes the connection. */
export async function expectProtocolError(port: number, data: string, message: string, before: unknown[] = []): Promise<void> {
  const r = await exchange(port, data, before.length + 1);
  assert.deepEqual(r.replies, [...before, { error: message }]);
  assert.equal(r.closed, true, 'the connection is closed after a protocol error');
}

/** Send `data` in pieces of `size` bytes, each in its own socket write, pausing between them. */
export async function writeInPieces(c: RawClient, data: Buffer, size: number, pauseMs: number): Promise<void> {
  for (let i = 0; i < data.length; i += size) {
    if (c.closed) throw new Error('connection closed while writing');
    const ok = c.socket.write(data.subarray(i, i + size));
    if (!ok) await drainOrClose(c);
    if (pauseMs > 0) await sleep(pauseMs);
    else await new Promise((r) => setImmediate(r));
  }
}

/** Wait until the socket can take more data, or is closed (then 'drain' never comes). */
function drainOrClose(c: RawClient): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      c.socket.removeListener('drain', done);
      c.socket.removeListener('close', done);
      resolve();
    };
    c.socket.once('drain', done);
    c.socket.once('close', done);
  });
}

/** A value whose every byte depends on its position, so misplaced chunks are detected. */
export function patterned(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

/** Resume a paused client and count the bytes it receives until the server closes it. */
export async function drainUntilClose(c: RawClient, timeoutMs: number): Promise<number> {
  let bytes = 0;
  c.socket.removeAllListeners('data');
  c.socket.on('data', (d: Buffer) => {
    bytes += d.length;
  });
  c.socket.resume();
  await c.waitClose(timeoutMs);
  return bytes;
}


/**
 * What the tests of one file start on disk and in processes: temporary directories, in-process
 * servers with a raw client each, child processes. All of it is stopped and removed after the
 * file's tests (an `after` hook registered by the constructor).
 */
export class TestFixtures {
  private readonly dirs: string[] = [];
  private readonly servers = new Set<RunningServer>();
  private readonly clients: RawClient[] = [];
  private readonly children: ChildProcess[] = [];

  /** `defaults`: config every server of the file gets (a call's `extra` overrides it). */
  constructor(private readonly prefix: string, private readonly defaults: Record<string, string> = {}) {
    after(() => this.cleanup());
  }

  tmpDir(): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), this.prefix));
    this.dirs.push(d);
    return d;
  }

  /** A Fjord serving from `dir`, and a raw client connected to it. */
  async fjordIn(dir: string, extra: Record<string, string> = {}): Promise<{ srv: RunningServer; c: RawClient }> {
    const srv = await startFjord({ dir, ...this.defaults, ...extra });
    this.servers.add(srv);
    const c = await RawClient.connect(srv.port);
    this.clients.push(c);
    return { srv, c };
  }

  async stop(srv: RunningServer): Promise<void> {
    this.servers.delete(srv);
    await srv.stop();
  }

  /** Stop this server after the file's tests (if the test has not). */
  adoptServer(srv: RunningServer): RunningServer {
    this.servers.add(srv);
    return srv;
  }

  /** Close this client after the file's tests. */
  adoptClient(c: RawClient): RawClient {
    this.clients.push(c);
    return c;
  }

  /** Kill this child process after the file's tests if it is still running. */
  adopt(child: ChildProcess): ChildProcess {
    this.children.push(child);
    return child;
  }

  private async cleanup(): Promise<void> {
    for (const c of this.clients) c.close();
    for (const s of this.servers) await s.stop().catch(() => {});
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
