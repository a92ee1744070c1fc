// AOF benchmark: SET throughput with appendonly yes, appendfsync always and everysec, Fjord
// against a reference redis-server in the same configuration (both as child processes, each with
// its own data directory), with redis-benchmark (50 clients, pipeline 1 and 16).
//
//   npx tsc -p . && node dist/bench/aof.js           full run
//   BENCH_QUICK=1 node dist/bench/aof.js             small numbers, for a smoke test
//
// With appendfsync always every reply waits for its write to be on disk: Fjord groups all the
// writes of one event-loop turn into one write and one fdatasync (as Valkey's beforeSleep does),
// so throughput depends on how many clients' commands one turn gathers and on the disk's fsync
// latency.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FJORD_MAIN,
  type Running,
  freePort,
  hasCommand,
  startServer,
  stopServer,
  runBenchmark,
  fmtOps,
  ratio,
  markdownTable,
  machine,
  referenceVersion,
} from './run';

const POLICIES = ['always', 'everysec'] as const;
const PIPELINES = [1, 16];
const CASE = { tests: ['set'], keyspace: 100_000 };

async function startWithAof(kind: 'fjord' | 'reference', policy: string, dir: string): Promise<Running> {
  const port = await freePort();
  const aofArgs = ['--port', String(port), '--save', '', '--appendonly', 'yes', '--appendfsync', policy, '--dir', dir];
  if (kind === 'fjord') return startServer('fjord', process.execPath, [FJORD_MAIN, ...aofArgs], port);
  return startServer('reference', 'redis-server', aofArgs, port);
}

/** SET ops/s for one server kind, policy and pipeline depth, on a fresh data directory. */
async function measure(kind: 'fjord' | 'reference', policy: string, pipeline: number): Promise<number | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fjord-bench-aof-${kind}-`));
  let server: Running | null = null;
  try {
    server = await startWithAof(kind, policy, dir);
    const result = runBenchmark(server.port, pipeline, CASE);
    return [...result.values()][0] ?? null;
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(FJORD_MAIN)) throw new Error(`${FJORD_MAIN} not found: run npx tsc -p . first`);
  if (!hasCommand('redis-benchmark')) throw new Error('redis-benchmark not found (apt-get install redis-tools)');
  const haveReference = hasCommand('redis-server');
  const rows: string[][] = [];
  for (const policy of POLICIES) {
    for (const pipeline of PIPELINES) {
      const fjord = await measure('fjord', policy, pipeline);
      const reference = haveReference ? await measure('reference', policy, pipeline) : null;
      rows.push([`SET (-r ${CASE.keyspace})`, `appendfsync ${policy}`, String(pipeline), fmtOps(fjord), fmtOps(reference), ratio(fjord, reference)]);
      process.stdout.write(`  ${policy} -P ${pipeline}: fjord ${fmtOps(fjord)} reference ${fmtOps(reference)}\n`);
    }
  }
  process.stdout.write(`\nAOF write throughput (${machine()}, reference ${referenceVersion()})\n\n`);
  process.stdout.write(markdownTable(['test', 'AOF', 'pipeline', 'Fjord ops/s', 'reference ops/s', 'ratio'], rows, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
