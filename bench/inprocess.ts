// In-process command-path benchmark: CPU nanoseconds per command through a real Server and
// Client (parser, dispatch, handler, reply), without sockets. For profiling and A/B comparisons
// of one command shape; on a shared machine prefer it to redis-benchmark runs, whose numbers
// swing with the load of the other processes.
//
//   node dist/bench/inprocess.js '["SET","key:__rand_int__","xxx"]'
//   SETUP='[["RPUSH","l","a","b"]]' node dist/bench/inprocess.js '["LRANGE","l","0","-1"]'
//   node --cpu-prof dist/bench/inprocess.js '[...]'      (then open the .cpuprofile)
//   PREFILL=100000 node dist/bench/inprocess.js '["GET","key:__rand_int__"]'
//
// __rand_int__ in an argument becomes a random 12-digit number below KEYSPACE (default 100000),
// as in redis-benchmark -r. PREFILL=n first stores the string keys of numbers 0..n-1 (so that
// random reads hit). Each round feeds pipelines of 16 commands; the best round is printed.

import { readFileSync } from 'node:fs';
import { Server } from '../src/server/server';
import { Config } from '../src/server/config';
import { Client } from '../src/server/client';

const PIPELINE = 16;
const ROUNDS = 8;
const DISTINCT_BATCHES = 4096;

function encode(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** __rand_int__ as redis-benchmark writes it: 12 digits */
function randInt(keyspace: number): string {
  return String(Math.floor(Math.random() * keyspace)).padStart(12, '0');
}

/** The key `key:__rand_int__` names for the number i. */
function keyNumbered(i: number): string {
  return 'key:' + String(i).padStart(12, '0');
}

function withRandom(args: string[], keyspace: number): string[] {
  return args.map((a) => a.replace('__rand_int__', randInt(keyspace)));
}

function main(): void {
  const shape = JSON.parse(process.argv[2] ?? '["PING"]') as string[];
  const setupText = process.env.SETUP ?? '[]';
  // SETUP=@file reads the commands from a file (a big setup does not fit in the environment).
  const setup = JSON.parse(setupText.startsWith('@') ? readFileSync(setupText.slice(1), 'utf8') : setupText) as string[][];
  const keyspace = Number(process.env.KEYSPACE ?? 100_000);
  const perRound = Number(process.env.N ?? 20_000);

  const config = new Config();
  config.loadFromString('port 0\nsave ""\nloglevel warning', '(inprocess bench)');
  const server = new Server(config);
  server.quietLog = true;
  const client = new Client(server, null, 1);
  const run = (bytes: Buffer): void => {
    client.onData(bytes);
    client.reply.take();
  };
  for (const cmd of setup) run(Buffer.from(encode(cmd), 'latin1'));
  const prefill = Number(process.env.PREFILL ?? 0);
  for (let i = 0; i < prefill; i++) run(Buffer.from(encode(['SET', keyNumbered(i), 'xxx']), 'latin1'));

  const batches: Buffer[] = [];
  for (let i = 0; i < DISTINCT_BATCHES; i++) {
    let text = '';
    for (let j = 0; j < PIPELINE; j++) text += encode(withRandom(shape, keyspace));
    batches.push(Buffer.from(text, 'latin1'));
  }
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < perRound; i++) run(batches[i % DISTINCT_BATCHES]);
    const used = process.cpuUsage(before);
    best = Math.min(best, ((used.user + used.system) * 1000) / (perRound * PIPELINE));
  }
  console.log(`${shape.join(' ')}: ${best.toFixed(0)} ns of CPU per command (best of ${ROUNDS} rounds)`);
  process.exit(0);
}

main();
