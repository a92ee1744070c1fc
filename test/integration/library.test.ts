// The library API (src/index.ts): several servers in one process, config, clean stop.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startServer, RawClient, freePort } from '../helpers';

const INDEX = path.resolve(__dirname, '..', '..', 'src', 'index.js');

describe('startServer', () => {
  test('two servers on ephemeral ports in one process are independent', async () => {
    const a = await startServer({ port: 0 });
    const b = await startServer();
    try {
      assert.equal(a.host, '127.0.0.1');
      assert.ok(a.port > 0 && b.port > 0);
      assert.notEqual(a.port, b.port);
      const ca = await RawClient.connect(a.port);
      const cb = await RawClient.connect(b.port);
      assert.equal(await ca.call('SET', 'where', 'a'), 'OK');
      assert.equal(await cb.call('GET', 'where'), null, 'no shared keyspace');
      assert.equal(await cb.call('SET', 'where', 'b'), 'OK');
      assert.equal(await ca.call('GET', 'where'), 'a');
      ca.close();
      cb.close();
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test('an explicit port and host', async () => {
    const port = await freePort();
    const s = await startServer({ port, host: '127.0.0.1' });
    try {
      assert.equal(s.port, port);
      assert.equal(s.host, '127.0.0.1');
      const c = await RawClient.connect(port, '127.0.0.1');
      assert.equal(await c.call('PING'), 'PONG');
      c.close();
    } finally {
      await s.stop();
    }
  });

  test('config directives are applied', async () => {
    const s = await startServer({ config: { requirepass: 'it has spaces "and quotes"', databases: 2 } });
    try {
      const c = await RawClient.connect(s.port);
      assert.deepEqual(await c.call('PING'), { error: 'NOAUTH Authentication required.' });
      assert.equal(await c.call('AUTH', 'it has spaces "and quotes"'), 'OK');
      assert.equal(await c.call('SELECT', '1'), 'OK');
      assert.deepEqual(await c.call('SELECT', '2'), { error: 'ERR DB index is out of range' });
      c.close();
    } finally {
      await s.stop();
    }
  });

  test('an invalid directive rejects with the config error', async () => {
    await assert.rejects(startServer({ config: { 'no-such-directive': 'yes' } }), /Bad directive or wrong number of arguments/);
    await assert.rejects(startServer({ config: { databases: 'many' } }), /argument couldn't be parsed into an integer/);
  });

  test('a port in use rejects', async () => {
    const s = await startServer();
    try {
      await assert.rejects(startServer({ port: s.port }), /Address already in use/);
    } finally {
      await s.stop();
    }
  });

  test('stop closes the listener and every connection', async () => {
    const s = await startServer();
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('PING'), 'PONG');
    await s.stop();
    await c.waitClose();
    await assert.rejects(RawClient.connect(s.port), /ECONNREFUSED/);
  });

  test('stop twice is harmless', async () => {
    const s = await startServer();
    await s.stop();
    await s.stop();
  });

  test('works with ioredis and node-redis', async () => {
    const s = await startServer();
    const io = new Redis(s.port, s.host, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const nr = createClient({ socket: { port: s.port, host: s.host, reconnectStrategy: false } });
    try {
      await io.connect();
      await nr.connect();
      assert.equal(await io.set('lib:k', 'from ioredis'), 'OK');
      assert.equal(await nr.get('lib:k'), 'from ioredis');
      assert.equal(await nr.set('lib:k2', 'from node-redis'), 'OK');
      assert.equal(await io.get('lib:k2'), 'from node-redis');
    } finally {
      io.disconnect();
      await nr.quit().catch(() => {});
      await s.stop();
    }
  });

  test('after stop nothing keeps the process alive, and nothing is logged by default', async () => {
    // In a separate process: start two servers, use them, stop them; the process must then
    // exit on its own (no leaked timers, sockets or listeners).
    const script = `
      const net = require('node:net');
      const { startServer } = require(${JSON.stringify(INDEX)});
      (async () => {
        const a = await startServer();
        const b = await startServer({ config: { hz: 100, timeout: 5 } });
        for (const s of [a, b]) {
          await new Promise((resolve, reject) => {
            const c = net.createConnection(s.port, s.host, () => c.write('PING\\r\\n'));
            c.on('data', () => resolve());
            c.on('error', reject);
          });
        }
        await a.stop();
        await b.stop();
        process.stderr.write('stopped\\n');
      })().catch((e) => { console.error(e); process.exit(2); });
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    assert.equal(stderr, 'stopped\n');
    assert.equal(code, 0, 'the process exits by itself after stop()');
    assert.equal(stdout, '', 'quiet by default');
  });
});
