// The encoding thresholds of the collection types for one server, read once and refreshed when
// CONFIG SET changes one of their parameters (so commands pay a property read, not a config
// lookup per call).

import type { Server } from '../server/server';
import { type TypeLimits, readTypeLimits } from './limits';

/** The config parameters behind TypeLimits (Valkey's names; aliases resolve to these). */
const LIMIT_CONFIGS = [
  'list-max-listpack-size',
  'list-compress-depth',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'set-max-intset-entries',
  'set-max-listpack-entries',
  'set-max-listpack-value',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
];

const cache = new WeakMap<Server, TypeLimits>();

/** The server's current TypeLimits (cached; refreshed by CONFIG SET of any of them). */
export function typeLimits(server: Server): TypeLimits {
  let limits = cache.get(server);
  if (limits === undefined) {
    limits = readTypeLimits(server.config);
    cache.set(server, limits);
    const refresh = (): null => {
      cache.set(server, readTypeLimits(server.config));
      return null;
    };
    for (const name of LIMIT_CONFIGS) server.config.onChange(name, refresh);
  }
  return limits;
}
