#!/usr/bin/env node
// fjord-server [config-file] [--name value ...]: the valkey-server command line.

import { Server, FJORD_VERSION } from './server/server';
import { Config, ConfigError } from './server/config';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Fjord server v=${FJORD_VERSION} (Valkey-compatible) node=${process.version}\n`);
    return;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(
      'Usage: fjord-server [/path/to/valkey.conf] [options] [-]\n' +
        '       fjord-server -v or --version\n' +
        '       fjord-server -h or --help\n\n' +
        'Examples:\n' +
        '       fjord-server (run the server with default conf)\n' +
        '       fjord-server /etc/valkey/6379.conf\n' +
        '       fjord-server --port 7777\n' +
        '       fjord-server /etc/myvalkey.conf --loglevel verbose\n',
    );
    return;
  }
  const config = new Config();
  config.chdirOnDir = true;
  try {
    config.loadFromArgs(args);
  } catch (e) {
    if (e instanceof ConfigError) {
      const msg = (e as ConfigError).stderrText ?? (e as Error).message;
      process.stderr.write(msg.endsWith('\n') ? msg : msg + '\n');
      process.exit(1);
    }
    throw e;
  }
  const server = new Server(config);
  server.log('notice', `oO0OoO0OoO0Oo Fjord is starting oO0OoO0OoO0Oo`);
  server.log('notice', `Fjord version=${FJORD_VERSION}, pid=${process.pid}, just started`);
  try {
    server.loadData();
  } catch (e) {
    server.log('warning', (e as Error).message);
    process.exit(1);
  }
  try {
    await server.listen();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    server.log('warning', `Received ${signal} scheduling shutdown...`);
    server.shutdown({ signal: true }).then((ok) => {
      if (ok) process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  server.onShutdown = (code) => process.exit(code);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
