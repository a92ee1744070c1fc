// Hash field expiration at scale, against a Fjord child process:
//
//   npx tsc -p . && node dist/bench/hfe.js
//   BENCH_QUICK=1 node dist/bench/hfe.js                          (a quick run: 100,000 fields)
//   HFE_FIELDS=100000 HFE_HASHES=1000 node dist/bench/hfe.js     (any size)
//
// 1. Loads HFE_FIELDS fields (default 1,000,000) spread over HFE_HASHES hashes (default 10,000),
//    hashtable-encoded, with active expiry off, and prints the memory per plain field and the
//    extra memory per field once each has a TTL (the TTL index; issue target: <= 32 bytes).
// 2. Gives every field a 1 ms TTL, starts a concurrent GET load (a few connections issuing one
//    GET after another), measures its latency for a second, then turns active expiry on and
//    measures it again while the server reclaims the fields: prints both p99s, the worst
//    latency, and the time until every field (and so every hash) is gone.

import * as net from 'node:net';
import { FJORD_MAIN, freePort, startServer, stopServer, sleep, info, encode, type Running } from './run';

const QUICK = process.env.BENCH_QUICK === '1';
const FIELDS = Number(process.env.HFE_FIELDS ?? (QUICK ? 100_000 : 1_000_000));
const HASHES = Number(process.env.HFE_HASHES ?? (QUICK ? 1_000 : 10_000));
const PER_HASH = Math.max(1, Math.floor(FIELDS / HASHES));
const GET_CONNECTIONS = 4;
/** commands per pipelined batch while loading */
const BATCH = 200;

/** Send commands on one connection, then PING, and wait for its PONG (replies are not checked). */
function pipeline(port: number, cmds: string[][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let tail = '';
    sock.on('connect', () => sock.write([...cmds, ['PING']].map(encode).join(''), 'latin1'));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      tail = (tail + d.toString('latin1')).slice(-16);
      if (tail.endsWith('+PONG\r\n')) {
        sock.destroy();
        resolve(Buffer.concat(chunks).toString('latin1'));
      }
    });
    sock.on('error', reject);
  });
}

async function command(port: number, ...argv: string[]): Promise<string> {
  const out = await pipeline(port, [argv]);
  return out.slice(0, out.length - '+PONG\r\n'.length);
}

function hashKey(i: number): string {
  return `hfe:${i}`;
}

/** Run `make(i)` for every hash, BATCH commands per connection. */
async function forEveryHash(port: number, make: (i: number) => string[]): Promise<void> {
  for (let start = 0; start < HASHES; start += BATCH) {
    const cmds: string[][] = [];
    for (let i = start; i < Math.min(HASHES, start + BATCH); i++) cmds.push(make(i));
    const out = await pipeline(port, cmds);
    if (out.includes('\r\n-') || out.startsWith('-')) throw new Error(`load failed: ${out.slice(0, 200)}`);
  }
}

function fieldNames(): string[] {
  const names: string[] = [];
  for (let j = 0; j < PER_HASH; j++) names.push(`field:${j}`);
  return names;
}

/** used_memory after a full garbage collection (MEMORY PURGE). */
async function settledMemory(port: number): Promise<number> {
  await command(port, 'MEMORY', 'PURGE');
  await sleep(200);
  await command(port, 'MEMORY', 'PURGE');
  return Number((await info(port, 'memory')).get('used_memory'));
}

// ------------------------------------------------------------------ GET latency probe

interface Probe {
  /** latencies in ms since the last take() */
  take(): number[];
  stop(): Promise<void>;
}

/** GET_CONNECTIONS connections, each sending GET and waiting for the reply, in a loop. */
function startGetLoad(port: number): Probe {
  let samples: number[] = [];
  let running = true;
  const loops: Promise<void>[] = [];
  for (let k = 0; k < GET_CONNECTIONS; k++) {
    loops.push(
      new Promise((resolve, reject) => {
        const sock = net.createConnection({ port, host: '127.0.0.1' });
        sock.setNoDelay(true);
        let sent = 0;
        let buf = '';
        const request = encode(['GET', 'probe']);
        const send = () => {
          if (!running) {
            sock.destroy();
            resolve();
            return;
          }
          sent = performance.now();
          sock.write(request);
        };
        sock.on('connect', send);
        sock.on('data', (d: Buffer) => {
          buf += d.toString('latin1');
          // The reply is "$5\r\nvalue\r\n": complete once it holds two line ends.
          if (buf.split('\r\n').length < 3) return;
          samples.push(performance.now() - sent);
          buf = '';
          send();
        });
        sock.on('error', reject);
      }),
    );
  }
  return {
    take: () => {
      const out = samples;
      samples = [];
      return out;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function ms(n: number): string {
  return `${n.toFixed(2)} ms`;
}

// ------------------------------------------------------------------ the run

async function main(): Promise<void> {
  const port = await freePort();
  const fjord: Running = await startServer('fjord', process.execPath, [FJORD_MAIN, '--port', String(port), '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], port);
  try {
    console.log(`${(PER_HASH * HASHES).toLocaleString('en-US')} fields over ${HASHES.toLocaleString('en-US')} hashes (${PER_HASH} each)`);
    await command(port, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    // Hashtable-encoded from the start, so the TTL figure is the TTL index alone (a listpack hash
    // converts to hashtable when it gets its first field TTL).
    await command(port, 'CONFIG', 'SET', 'hash-max-listpack-entries', '0');
    const names = fieldNames();
    const before = await settledMemory(port);
    await forEveryHash(port, (i) => ['HSET', hashKey(i), ...names.flatMap((f) => [f, `value:${i}`])]);
    const plain = await settledMemory(port);
    await forEveryHash(port, (i) => ['HPEXPIRE', hashKey(i), '1', 'FIELDS', String(PER_HASH), ...names]);
    const volatile = await settledMemory(port);
    const total = PER_HASH * HASHES;
    console.log(`memory per plain field (hashtable):      ${((plain - before) / total).toFixed(1)} bytes`);
    console.log(`extra memory per volatile field (TTL):   ${((volatile - plain) / total).toFixed(1)} bytes (target <= 32)`);
    const ks = (await info(port, 'keyspace')).get('db0') ?? '';
    console.log(`keyspace: ${ks}`);

    await command(port, 'SET', 'probe', 'value');
    const probe = startGetLoad(port);
    await sleep(1000);
    const idle = probe.take();
    const started = performance.now();
    await command(port, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    let during: number[] = [];
    for (;;) {
      await sleep(100);
      during = during.concat(probe.take());
      const db = (await info(port, 'keyspace')).get('db0') ?? '';
      if (/^keys=1,/.test(db)) break;
      if (performance.now() - started > 600_000) throw new Error('reclamation did not finish in 10 minutes');
    }
    const elapsed = performance.now() - started;
    await probe.stop();
    const stats = await info(port, 'stats');
    console.log(`GET p99 before reclamation:   ${ms(percentile(idle, 99))} (${idle.length} requests)`);
    console.log(`GET p99 during reclamation:   ${ms(percentile(during, 99))} (${during.length} requests), max ${ms(Math.max(...during))}`);
    console.log(`all fields reclaimed in:      ${(elapsed / 1000).toFixed(2)} s (expired_fields ${stats.get('expired_fields')}, expire_cycle_cpu_milliseconds ${stats.get('expire_cycle_cpu_milliseconds')})`);
  } finally {
    await stopServer(fjord);
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
