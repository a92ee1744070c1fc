// What the running server does when CONFIG SET changes a parameter. The config store
// validates values; these hooks apply them (and may refuse, which rolls the SET back).

import type { Server } from './server';

export function installConfigHooks(server: Server): void {
  const config = server.config;
  config.onChange('hz', () => {
    server.restartCron();
    return null;
  });
  config.onChange('lazyfree-lazy-expire', (v) => {
    server.ctx.lazyExpire = v as boolean;
    return null;
  });
  config.onChange('maxmemory', (v) => {
    server.hot.maxmemory = v as number;
    return null;
  });
  config.onChange('client-query-buffer-limit', (v) => {
    server.hot.queryBufferLimit = v as number;
    return null;
  });
  config.onChange('proto-max-bulk-len', () => {
    for (const c of server.clients.values()) c.updateParserLimits();
    return null;
  });
  config.onChange('requirepass', () => {
    // Clients already authenticated stay so, as in Valkey; new ones must AUTH.
    return null;
  });
  config.onChange('logfile', () => {
    server.reopenLog();
    return null;
  });
  const rebind = () => {
    // Node binds asynchronously: open the new listeners, then close the old ones; on failure
    // keep serving on the old address and log why.
    server.rebind().catch((e: Error) => server.log('warning', e.message));
    return null;
  };
  config.onChange('port', rebind);
  config.onChange('bind', rebind);
}
