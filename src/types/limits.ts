// The encoding thresholds of the collection types, under Valkey's config names. The types
// never read the config themselves: the caller passes these numbers in (readTypeLimits builds
// them from anything with a `num(name)` method, e.g. the server's Config).

export interface TypeLimits {
  /** list-max-listpack-size: > 0 entries per node, -1..-5 = 4/8/16/32/64 KB per node. */
  readonly listMaxListpackSize: number;
  /** list-compress-depth: accepted for compatibility; lists are not compressed in memory. */
  readonly listCompressDepth: number;
  /** hash-max-listpack-entries */
  readonly hashMaxListpackEntries: number;
  /** hash-max-listpack-value (bytes of a field or a value) */
  readonly hashMaxListpackValue: number;
  /** set-max-intset-entries */
  readonly setMaxIntsetEntries: number;
  /** set-max-listpack-entries */
  readonly setMaxListpackEntries: number;
  /** set-max-listpack-value */
  readonly setMaxListpackValue: number;
  /** zset-max-listpack-entries */
  readonly zsetMaxListpackEntries: number;
  /** zset-max-listpack-value */
  readonly zsetMaxListpackValue: number;
}

/** Valkey 9.0's compiled-in defaults (config.c; note hash-max-listpack-entries is 512 there). */
export const DEFAULT_LIMITS: TypeLimits = Object.freeze({
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
});

/** Build the limits from a config reader, e.g. `readTypeLimits(server.config)`. */
export function readTypeLimits(config: { num(name: string): number }): TypeLimits {
  return {
    listMaxListpackSize: config.num('list-max-listpack-size'),
    listCompressDepth: config.num('list-compress-depth'),
    hashMaxListpackEntries: config.num('hash-max-listpack-entries'),
    hashMaxListpackValue: config.num('hash-max-listpack-value'),
    setMaxIntsetEntries: config.num('set-max-intset-entries'),
    setMaxListpackEntries: config.num('set-max-listpack-entries'),
    setMaxListpackValue: config.num('set-max-listpack-value'),
    zsetMaxListpackEntries: config.num('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.num('zset-max-listpack-value'),
  };
}

/** Limits with some fields overridden (tests, DEBUG). */
export function withLimits(over: Partial<TypeLimits>, base: TypeLimits = DEFAULT_LIMITS): TypeLimits {
  return { ...base, ...over };
}

/** Valkey's LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past 1 GB. */
export const LISTPACK_MAX_SAFE_BYTES = 1 << 30;
