// Library entry point: start a Fjord server inside the current Node process, for example in a
// project's own test suite, with no native binary.
//
//   import { startServer } from 'fjord';
//   const srv = await startServer({ port: 0 });   // 0 = an ephemeral port
//   // connect any Redis/Valkey client to srv.host:srv.port
//   await srv.stop();

import { Server } from './server/server';
import { Config } from './server/config';

export interface StartOptions {
  /** TCP port; 0 (the default here) picks a free ephemeral port */
  port?: number;
  /** address to bind; default 127.0.0.1 */
  host?: string;
  /** any valkey.conf directives, e.g. { 'requirepass': 'secret', 'databases': '4' } */
  config?: Record<string, string | number>;
  /** print the server log to stdout (default false) */
  log?: boolean;
}

export interface RunningServer {
  host: string;
  port: number;
  /** the server object, for advanced use (tests of Fjord itself) */
  server: Server;
  /** stop listening and close every connection */
  stop(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = new Config();
  const host = opts.host ?? '127.0.0.1';
  // Embedded servers do not write dump.rdb into the caller's directory unless asked to.
  const lines: string[] = [`port ${opts.port ?? 0}`, `bind ${host}`, 'save ""'];
  for (const [k, v] of Object.entries(opts.config ?? {})) lines.push(`${k} ${quoteConfigValue(String(v))}`);
  if (!opts.log && !(opts.config && 'logfile' in opts.config)) lines.push('loglevel warning');
  config.loadFromString(lines.join('\n'), '(startServer options)');
  const server = new Server(config);
  if (!opts.log) server.quietLog = true;
  server.loadData();
  await server.listen();
  return {
    host,
    port: server.port,
    server,
    stop: () => server.close(),
  };
}

function quoteConfigValue(v: string): string {
  if (v === '') return '""';
  if (/^[^\s"'\\]+$/.test(v)) return v;
  return '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

export { Server };
