/**
 * The declarative table of every configuration parameter a Valkey 9.0 server
 * knows, with Valkey's names, aliases, types, bounds, defaults and flags.
 *
 * The table is data only. Parsing, CONFIG GET/SET/REWRITE and config-file
 * loading live in `config.ts`, which interprets these entries.
 *
 * Parameters Fjord does not act on yet (cluster-*, repl-*, aof-*, tls-*,
 * rdma-*, ...) are listed all the same: they are accepted, keep Valkey's
 * defaults and show up in CONFIG GET *.
 */
import { isIPv4, isIPv6 } from 'node:net';

// ---------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------

/** Can be changed with CONFIG SET (the absence of IMMUTABLE). */
export const MODIFIABLE = 0;
/** Only settable at startup (config file / command line). */
export const IMMUTABLE = 1 << 0;
/** Value is a secret: the server must redact it in logs, MONITOR, slowlog. */
export const SENSITIVE = 1 << 1;
/** Listed by DEBUG CONFIG-DEBUG-INFO style dumps (Valkey's DEBUG_CONFIG). */
export const DEBUG = 1 << 2;
/** Not matched by CONFIG GET patterns; only by its exact name. */
export const HIDDEN = 1 << 3;
/** CONFIG SET needs `enable-protected-configs yes` (or `local` from a local client). */
export const PROTECTED = 1 << 4;
/** CONFIG SET refused with -LOADING while the dataset is loading. */
export const DENY_LOADING = 1 << 5;
/** Takes several arguments (space separated in CONFIG SET). */
export const MULTI_ARG = 1 << 6;
/** Setting it counts as a change even when the value is unchanged (re-reads files). */
export const VOLATILE = 1 << 7;

/** Numeric sub-flags. */
export const INTEGER = 0;
/** Accepts memory units: k kb m mb g gb (and b), case-insensitive. */
export const MEMORY = 1 << 0;
/** Accepts "N%"; stored as a negative number (-N). */
export const PERCENT = 1 << 1;
/** Written and read in octal. */
export const OCTAL = 1 << 2;
/** A memory value that also accepts a plain negative integer (e.g. -1 to disable). */
export const SIGNED_MEMORY = 1 << 3;

// C limits, as bigint.
export const INT_MIN = -2147483648n;
export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LONG_MAX = 9223372036854775807n;
export const LLONG_MAX = LONG_MAX;
export const SSIZE_MAX = LONG_MAX;
export const ULONG_MAX = 18446744073709551615n;
export const ULLONG_MAX = ULONG_MAX;

/** The C type Valkey stores a numeric config in; decides signed/unsigned bound checks. */
export type NumKind = 'int' | 'uint' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';

/** Kinds whose bound check is done on the unsigned value (a negative input wraps around). */
export const UNSIGNED_KINDS: ReadonlySet<NumKind> = new Set<NumKind>(['uint', 'ulong', 'ulonglong', 'size_t']);

/** A validator returns null when the value is fine, or Valkey's error text. */
export type Validator<T> = (value: T) => string | null;

interface BaseDef {
  /** Canonical (primary) name, lowercase. */
  readonly name: string;
  /** Optional alias (e.g. slaveof for replicaof). */
  readonly alias?: string;
  /** Bitmask of IMMUTABLE, SENSITIVE, DEBUG, HIDDEN, PROTECTED, DENY_LOADING, MULTI_ARG, VOLATILE. */
  readonly flags: number;
}

export interface BoolDef extends BaseDef {
  readonly type: 'bool';
  readonly default: boolean;
  readonly validate?: Validator<boolean>;
}

export interface StringDef extends BaseDef {
  readonly type: 'string';
  /** Valkey's sds configs behave the same as string configs; kept for documentation. */
  readonly sds?: boolean;
  /** null means "not set" (an empty value when emptyIsNull). */
  readonly default: string | null;
  /** EMPTY_STRING_IS_NULL: setting "" stores null (absent from CONFIG REWRITE output). */
  readonly emptyIsNull: boolean;
  readonly validate?: Validator<string>;
}

export interface EnumDef extends BaseDef {
  readonly type: 'enum';
  /** [name, value] in Valkey's order (the order matters for names shown and for errors). */
  readonly values: ReadonlyArray<readonly [string, number]>;
  readonly default: number;
  readonly validate?: Validator<number>;
}

export interface NumericDef extends BaseDef {
  readonly type: 'numeric';
  readonly kind: NumKind;
  readonly min: bigint;
  readonly max: bigint;
  readonly default: bigint;
  /** INTEGER, or a mix of MEMORY, PERCENT, OCTAL, SIGNED_MEMORY. */
  readonly numFlags: number;
  readonly validate?: Validator<bigint>;
}

export type SpecialKind =
  | 'dir'
  | 'save'
  | 'client-output-buffer-limit'
  | 'oom-score-adj-values'
  | 'notify-keyspace-events'
  | 'bind'
  | 'rdma-bind'
  | 'replicaof'
  | 'latency-tracking-info-percentiles';

export interface SpecialDef extends BaseDef {
  readonly type: 'special';
  readonly special: SpecialKind;
}

export type ConfigDef = BoolDef | StringDef | EnumDef | NumericDef | SpecialDef;

// ---------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------

export const MAXMEMORY_POLICY_ENUM = [
  ['volatile-lru', 0], ['volatile-lfu', 1], ['volatile-random', 2], ['volatile-ttl', 3],
  ['allkeys-lru', 4], ['allkeys-lfu', 5], ['allkeys-random', 6], ['noeviction', 7],
] as const;
const SYSLOG_FACILITY_ENUM = [
  ['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152],
  ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184],
] as const;
export const LOGLEVEL_ENUM = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3], ['nothing', 4]] as const;
const SUPERVISED_ENUM = [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]] as const;
const AOF_FSYNC_ENUM = [['everysec', 2], ['always', 1], ['no', 0]] as const;
export const SHUTDOWN_SAVE = 1;
export const SHUTDOWN_NOSAVE = 2;
export const SHUTDOWN_NOW = 4;
export const SHUTDOWN_FORCE = 8;
const SHUTDOWN_ON_SIG_ENUM = [
  ['default', 0], ['save', SHUTDOWN_SAVE], ['nosave', SHUTDOWN_NOSAVE], ['now', SHUTDOWN_NOW], ['force', SHUTDOWN_FORCE],
] as const;
const REPL_DISKLESS_LOAD_ENUM = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2], ['flush-before-load', 3]] as const;
const TLS_AUTH_CLIENTS_ENUM = [['no', 0], ['yes', 1], ['optional', 2]] as const;
const TLS_AUTH_CLIENTS_USER_ENUM = [['off', 0], ['CN', 1]] as const;
const OOM_SCORE_ADJ_ENUM = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]] as const;
const ACL_PUBSUB_DEFAULT_ENUM = [['allchannels', 1 << 3], ['resetchannels', 0]] as const;
const SANITIZE_DUMP_PAYLOAD_ENUM = [['no', 0], ['yes', 1], ['clients', 2]] as const;
export const PROTECTED_ACTION_ENUM = [['no', 0], ['yes', 1], ['local', 2]] as const;
const CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]] as const;
const PROPAGATION_ERROR_BEHAVIOR_ENUM = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]] as const;
const LOG_FORMAT_ENUM = [['legacy', 0], ['logfmt', 1]] as const;
const LOG_TIMESTAMP_FORMAT_ENUM = [['legacy', 0], ['iso8601', 1], ['milliseconds', 2]] as const;
const RDB_VERSION_CHECK_ENUM = [['strict', 0], ['relaxed', 1]] as const;

// ---------------------------------------------------------------------------
// Keyspace notification classes (notify-keyspace-events)
// ---------------------------------------------------------------------------

export const NOTIFY_KEYSPACE = 1 << 0; /* K */
export const NOTIFY_KEYEVENT = 1 << 1; /* E */
export const NOTIFY_GENERIC = 1 << 2; /* g */
export const NOTIFY_STRING = 1 << 3; /* $ */
export const NOTIFY_LIST = 1 << 4; /* l */
export const NOTIFY_SET = 1 << 5; /* s */
export const NOTIFY_HASH = 1 << 6; /* h */
export const NOTIFY_ZSET = 1 << 7; /* z */
export const NOTIFY_EXPIRED = 1 << 8; /* x */
export const NOTIFY_EVICTED = 1 << 9; /* e */
export const NOTIFY_STREAM = 1 << 10; /* t */
export const NOTIFY_KEY_MISS = 1 << 11; /* m (not part of A) */
export const NOTIFY_LOADED = 1 << 12; /* module only */
export const NOTIFY_MODULE = 1 << 13; /* d */
export const NOTIFY_NEW = 1 << 14; /* n (not part of A) */
export const NOTIFY_ALL =
  NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |
  NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

/** Class letters to flags; -1 when a character is not a class. */
export function keyspaceEventsStringToFlags(classes: string): number {
  let flags = 0;
  for (let i = 0; i < classes.length; i++) {
    switch (classes[i]) {
      case 'A': flags |= NOTIFY_ALL; break;
      case 'g': flags |= NOTIFY_GENERIC; break;
      case '$': flags |= NOTIFY_STRING; break;
      case 'l': flags |= NOTIFY_LIST; break;
      case 's': flags |= NOTIFY_SET; break;
      case 'h': flags |= NOTIFY_HASH; break;
      case 'z': flags |= NOTIFY_ZSET; break;
      case 'x': flags |= NOTIFY_EXPIRED; break;
      case 'e': flags |= NOTIFY_EVICTED; break;
      case 'K': flags |= NOTIFY_KEYSPACE; break;
      case 'E': flags |= NOTIFY_KEYEVENT; break;
      case 't': flags |= NOTIFY_STREAM; break;
      case 'm': flags |= NOTIFY_KEY_MISS; break;
      case 'd': flags |= NOTIFY_MODULE; break;
      case 'n': flags |= NOTIFY_NEW; break;
      default: return -1;
    }
  }
  return flags;
}

/** Flags to class letters, in Valkey's canonical order. */
export function keyspaceEventsFlagsToString(flags: number): string {
  let res = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    res += 'A';
  } else {
    if (flags & NOTIFY_GENERIC) res += 'g';
    if (flags & NOTIFY_STRING) res += '$';
    if (flags & NOTIFY_LIST) res += 'l';
    if (flags & NOTIFY_SET) res += 's';
    if (flags & NOTIFY_HASH) res += 'h';
    if (flags & NOTIFY_ZSET) res += 'z';
    if (flags & NOTIFY_EXPIRED) res += 'x';
    if (flags & NOTIFY_EVICTED) res += 'e';
    if (flags & NOTIFY_STREAM) res += 't';
    if (flags & NOTIFY_MODULE) res += 'd';
    if (flags & NOTIFY_NEW) res += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) res += 'K';
  if (flags & NOTIFY_KEYEVENT) res += 'E';
  if (flags & NOTIFY_KEY_MISS) res += 'm';
  return res;
}

// ---------------------------------------------------------------------------
// Defaults of the special configs
// ---------------------------------------------------------------------------

export interface SaveParam { seconds: number; changes: number }
export interface ObufLimit { hard: number; soft: number; seconds: number }
export interface ObufLimits { normal: ObufLimit; replica: ObufLimit; pubsub: ObufLimit }
export interface ReplicaOf { host: string; port: number }

export const DEFAULT_SAVE: readonly SaveParam[] = [
  { seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 },
];
export const DEFAULT_OBUF_LIMITS: ObufLimits = {
  normal: { hard: 0, soft: 0, seconds: 0 },
  replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, seconds: 60 },
  pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, seconds: 60 },
};
export const DEFAULT_OOM_SCORE_ADJ_VALUES: readonly number[] = [0, 200, 800];
export const DEFAULT_BIND: readonly string[] = ['*', '-::*'];
export const DEFAULT_LATENCY_PERCENTILES: readonly number[] = [50, 99, 99.9];
export const CONFIG_BINDADDR_MAX = 16;
export const CONFIG_MIN_HZ = 1;
export const CONFIG_MAX_HZ = 500;
export const CONFIG_DEFAULT_PROC_TITLE_TEMPLATE = '{title} {listen-addr} {server-mode}';
const NET_HOST_STR_LEN = 256;

// ---------------------------------------------------------------------------
// Validators (is_valid_fn in Valkey)
// ---------------------------------------------------------------------------

function isBaseName(p: string): boolean {
  return !p.includes('/');
}

const validDbFilename: Validator<string> = (v) => {
  if (v === '') return "dbfilename can't be empty";
  if (!isBaseName(v)) return "dbfilename can't be a path, just a filename";
  return null;
};
const validAofFilename: Validator<string> = (v) => {
  if (v === '') return "appendfilename can't be empty";
  if (!isBaseName(v)) return "appendfilename can't be a path, just a filename";
  return null;
};
const validAofDirname: Validator<string> = (v) => {
  if (v === '') return "appenddirname can't be empty";
  if (!isBaseName(v)) return "appenddirname can't be a path, just a dirname";
  return null;
};
const validClusterConfigFile: Validator<string> = (v) => (v === '' ? "cluster-config-file can't be empty" : null);
const validShutdownOnSig: Validator<number> = (v) =>
  v & SHUTDOWN_NOSAVE && v & SHUTDOWN_SAVE ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;
const validHostname: Validator<string> = (v) => {
  if (v.length >= NET_HOST_STR_LEN) return `Hostnames must be less than ${NET_HOST_STR_LEN} characters`;
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
};
const AUX_INVALID = '!#$%&()*+;<>?@[]^{|}~';
const validNodename: Validator<string> = (v) => {
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (/[A-Za-z0-9]/.test(c)) continue;
    if (AUX_INVALID.includes(c) || c === ' ' || c === ',' || c === '=' || c.charCodeAt(0) < 0x20) {
      return 'Announced human node name contained invalid character';
    }
  }
  return null;
};
const validIpV4: Validator<string> = (v) => (v !== '' && !isIPv4(v) ? 'Invalid IPv4 address' : null);
const validIpV6: Validator<string> = (v) => (v !== '' && !isIPv6(v) ? 'Invalid IPv6 address' : null);
const PROC_TITLE_VARS = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);
const validProcTitleTemplate: Validator<string> = (v) => {
  const bad = 'template format is invalid or contains unknown variables';
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '{') {
      const end = v.indexOf('}', i + 1);
      if (end < 0) return bad;
      const name = v.slice(i + 1, end);
      if (!PROC_TITLE_VARS.has(name)) return bad;
      out += 'x';
      i = end;
    } else if (c === '}') {
      return bad;
    } else {
      out += c;
    }
  }
  return out.trim() === '' ? bad : null;
};

// ---------------------------------------------------------------------------
// Table builders
// ---------------------------------------------------------------------------

function bool(name: string, alias: string | undefined, flags: number, def: boolean): BoolDef {
  return { type: 'bool', name, alias, flags, default: def };
}
function str(name: string, alias: string | undefined, flags: number, emptyIsNull: boolean, def: string | null, validate?: Validator<string>): StringDef {
  return { type: 'string', name, alias, flags, emptyIsNull, default: def, validate };
}
function sds(name: string, alias: string | undefined, flags: number, emptyIsNull: boolean, def: string | null): StringDef {
  return { type: 'string', sds: true, name, alias, flags, emptyIsNull, default: def };
}
function enm(name: string, alias: string | undefined, flags: number, values: ReadonlyArray<readonly [string, number]>, def: number, validate?: Validator<number>): EnumDef {
  return { type: 'enum', name, alias, flags, values, default: def, validate };
}
function num(kind: NumKind, name: string, alias: string | undefined, flags: number, min: bigint, max: bigint, def: number | bigint, numFlags = INTEGER): NumericDef {
  return { type: 'numeric', kind, name, alias, flags, min, max, default: BigInt(def), numFlags };
}
function special(name: string, alias: string | undefined, flags: number, kind: SpecialKind): SpecialDef {
  return { type: 'special', name, alias, flags, special: kind };
}

const M = MODIFIABLE;
const I = IMMUTABLE;
const N = null; // EMPTY_STRING_IS_NULL default
const EMPTY_IS_NULL = true;
const ALLOW_EMPTY = false;
const MB = 1024 * 1024;

/**
 * Every Valkey 9.0 config parameter, in the order of Valkey's table.
 * Build-only configs (req-res-logfile, client-default-resp under LOG_REQ_RES) are omitted.
 */
export const CONFIG_TABLE: readonly ConfigDef[] = [
  /* Bool configs */
  bool('rdbchecksum', undefined, I, true),
  bool('daemonize', undefined, I, false),
  bool('always-show-logo', undefined, I, false),
  bool('protected-mode', undefined, M, true),
  bool('rdbcompression', undefined, M, true),
  bool('rdb-del-sync-files', undefined, M, false),
  bool('activerehashing', undefined, M, true),
  bool('stop-writes-on-bgsave-error', undefined, M, true),
  bool('set-proc-title', undefined, I, true),
  bool('lazyfree-lazy-eviction', undefined, DEBUG | M, true),
  bool('lazyfree-lazy-expire', undefined, DEBUG | M, true),
  bool('lazyfree-lazy-server-del', undefined, DEBUG | M, true),
  bool('lazyfree-lazy-user-del', undefined, DEBUG | M, true),
  bool('lazyfree-lazy-user-flush', undefined, DEBUG | M, true),
  bool('repl-disable-tcp-nodelay', undefined, M, false),
  bool('repl-diskless-sync', undefined, DEBUG | M, true),
  bool('dual-channel-replication-enabled', undefined, DEBUG | M, false),
  bool('aof-rewrite-incremental-fsync', undefined, M, true),
  bool('no-appendfsync-on-rewrite', undefined, M, false),
  bool('cluster-require-full-coverage', undefined, M, true),
  bool('rdb-save-incremental-fsync', undefined, M, true),
  bool('aof-load-truncated', undefined, M, true),
  bool('aof-use-rdb-preamble', undefined, M, true),
  bool('aof-timestamp-enabled', undefined, M, false),
  bool('cluster-replica-no-failover', 'cluster-slave-no-failover', M, false),
  bool('replica-lazy-flush', 'slave-lazy-flush', M, true),
  bool('replica-serve-stale-data', 'slave-serve-stale-data', M, true),
  bool('replica-read-only', 'slave-read-only', DEBUG | M, true),
  bool('replica-ignore-maxmemory', 'slave-ignore-maxmemory', M, true),
  bool('jemalloc-bg-thread', undefined, M, true),
  bool('activedefrag', undefined, DEBUG | M, false),
  bool('syslog-enabled', undefined, I, false),
  bool('cluster-enabled', undefined, I, false),
  bool('appendonly', undefined, M | DENY_LOADING, false),
  bool('cluster-allow-reads-when-down', undefined, M, false),
  bool('cluster-allow-pubsubshard-when-down', undefined, M, true),
  bool('crash-log-enabled', undefined, M, true),
  bool('crash-memcheck-enabled', undefined, M, true),
  bool('use-exit-on-panic', undefined, M | HIDDEN, false),
  bool('disable-thp', undefined, I, true),
  bool('cluster-allow-replica-migration', undefined, M, true),
  bool('replica-announced', undefined, M, true),
  bool('latency-tracking', undefined, M, true),
  bool('aof-disable-auto-gc', undefined, M | HIDDEN, false),
  bool('replica-ignore-disk-write-errors', undefined, M, false),
  bool('extended-redis-compatibility', undefined, M, false),
  bool('enable-debug-assert', undefined, I | HIDDEN, false),
  bool('cluster-slot-stats-enabled', undefined, M, false),
  bool('hide-user-data-from-log', undefined, M, true),
  bool('import-mode', undefined, DEBUG | M, false),
  bool('auto-failover-on-shutdown', undefined, M, false),
  bool('mptcp', undefined, I, false),
  bool('repl-mptcp', undefined, I, false),

  /* String configs */
  str('aclfile', undefined, I, ALLOW_EMPTY, ''),
  str('unixsocket', undefined, I, EMPTY_IS_NULL, N),
  str('unixsocketgroup', undefined, I, EMPTY_IS_NULL, N),
  str('pidfile', undefined, I, EMPTY_IS_NULL, N),
  str('replica-announce-ip', 'slave-announce-ip', M, EMPTY_IS_NULL, N),
  str('primaryuser', 'masteruser', M | SENSITIVE, EMPTY_IS_NULL, N),
  str('cluster-announce-ip', undefined, M, EMPTY_IS_NULL, N),
  str('cluster-announce-client-ipv4', undefined, M, EMPTY_IS_NULL, N, validIpV4),
  str('cluster-announce-client-ipv6', undefined, M, EMPTY_IS_NULL, N, validIpV6),
  str('cluster-config-file', undefined, I, ALLOW_EMPTY, 'nodes.conf', validClusterConfigFile),
  str('cluster-announce-hostname', undefined, M, EMPTY_IS_NULL, N, validHostname),
  str('cluster-announce-human-nodename', undefined, M, EMPTY_IS_NULL, N, validNodename),
  str('syslog-ident', undefined, I, ALLOW_EMPTY, 'valkey'),
  str('dbfilename', undefined, M | PROTECTED, ALLOW_EMPTY, 'dump.rdb', validDbFilename),
  str('appendfilename', undefined, I, ALLOW_EMPTY, 'appendonly.aof', validAofFilename),
  str('appenddirname', undefined, I, ALLOW_EMPTY, 'appendonlydir', validAofDirname),
  str('server-cpulist', 'server_cpulist', I, EMPTY_IS_NULL, N),
  str('bio-cpulist', 'bio_cpulist', I, EMPTY_IS_NULL, N),
  str('aof-rewrite-cpulist', 'aof_rewrite_cpulist', I, EMPTY_IS_NULL, N),
  str('bgsave-cpulist', 'bgsave_cpulist', I, EMPTY_IS_NULL, N),
  str('ignore-warnings', undefined, M, ALLOW_EMPTY, ''),
  str('proc-title-template', undefined, M, ALLOW_EMPTY, CONFIG_DEFAULT_PROC_TITLE_TEMPLATE, validProcTitleTemplate),
  str('bind-source-addr', undefined, M, EMPTY_IS_NULL, N),
  str('logfile', undefined, I, ALLOW_EMPTY, ''),
  str('locale-collate', undefined, M, ALLOW_EMPTY, ''),
  str('debug-context', undefined, M | DEBUG | HIDDEN, ALLOW_EMPTY, ''),

  /* SDS configs */
  sds('primaryauth', 'masterauth', M | SENSITIVE, EMPTY_IS_NULL, N),
  sds('requirepass', undefined, M | SENSITIVE, EMPTY_IS_NULL, N),
  sds('availability-zone', undefined, M, ALLOW_EMPTY, ''),

  /* Enum configs */
  enm('supervised', undefined, I, SUPERVISED_ENUM, 0),
  enm('syslog-facility', undefined, I, SYSLOG_FACILITY_ENUM, 128),
  enm('repl-diskless-load', undefined, DEBUG | M | DENY_LOADING, REPL_DISKLESS_LOAD_ENUM, 0),
  enm('loglevel', undefined, M, LOGLEVEL_ENUM, 2),
  enm('maxmemory-policy', undefined, M, MAXMEMORY_POLICY_ENUM, 7),
  enm('appendfsync', undefined, M, AOF_FSYNC_ENUM, 2),
  enm('oom-score-adj', undefined, M, OOM_SCORE_ADJ_ENUM, 0),
  enm('acl-pubsub-default', undefined, M, ACL_PUBSUB_DEFAULT_ENUM, 0),
  enm('sanitize-dump-payload', undefined, DEBUG | M, SANITIZE_DUMP_PAYLOAD_ENUM, 0),
  enm('enable-protected-configs', undefined, I, PROTECTED_ACTION_ENUM, 0),
  enm('enable-debug-command', undefined, I, PROTECTED_ACTION_ENUM, 0),
  enm('enable-module-command', undefined, I, PROTECTED_ACTION_ENUM, 0),
  enm('cluster-preferred-endpoint-type', undefined, M, CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM, 0),
  enm('propagation-error-behavior', undefined, M, PROPAGATION_ERROR_BEHAVIOR_ENUM, 0),
  enm('shutdown-on-sigint', undefined, M | MULTI_ARG, SHUTDOWN_ON_SIG_ENUM, 0, validShutdownOnSig),
  enm('shutdown-on-sigterm', undefined, M | MULTI_ARG, SHUTDOWN_ON_SIG_ENUM, 0, validShutdownOnSig),
  enm('log-format', undefined, M, LOG_FORMAT_ENUM, 0),
  enm('log-timestamp-format', undefined, M, LOG_TIMESTAMP_FORMAT_ENUM, 0),
  enm('rdb-version-check', undefined, M, RDB_VERSION_CHECK_ENUM, 0),

  /* Integer configs */
  num('int', 'databases', undefined, I, 1n, INT_MAX, 16),
  num('int', 'cluster-databases', undefined, I, 1n, INT_MAX, 1),
  num('int', 'port', undefined, M, 0n, 65535n, 6379),
  num('int', 'io-threads', undefined, DEBUG | M, 1n, 128n, 1),
  num('int', 'events-per-io-thread', undefined, M | HIDDEN, 0n, INT_MAX, 2),
  num('int', 'prefetch-batch-max-size', undefined, M, 0n, 128n, 16),
  num('int', 'min-io-threads-avoid-copy-reply', undefined, M | HIDDEN, 0n, INT_MAX, 7),
  num('int', 'min-string-size-avoid-copy-reply', undefined, M | HIDDEN, 0n, INT_MAX, 16384),
  num('int', 'min-string-size-avoid-copy-reply-threaded', undefined, M | HIDDEN, 0n, INT_MAX, 65536),
  num('int', 'auto-aof-rewrite-percentage', undefined, M, 0n, INT_MAX, 100),
  num('int', 'cluster-replica-validity-factor', 'cluster-slave-validity-factor', M, 0n, INT_MAX, 10),
  num('int', 'list-max-listpack-size', 'list-max-ziplist-size', M, INT_MIN, INT_MAX, -2),
  num('int', 'tcp-keepalive', undefined, M, 0n, INT_MAX, 300),
  num('int', 'cluster-migration-barrier', undefined, M, 0n, INT_MAX, 1),
  num('int', 'active-defrag-cycle-min', undefined, M, 1n, 99n, 1),
  num('int', 'active-defrag-cycle-max', undefined, M, 1n, 99n, 25),
  num('int', 'active-defrag-threshold-lower', undefined, M, 0n, 1000n, 10),
  num('int', 'active-defrag-threshold-upper', undefined, M, 0n, 1000n, 100),
  num('int', 'active-defrag-cycle-us', undefined, M, 0n, 100000n, 500),
  num('int', 'lfu-log-factor', undefined, M, 0n, INT_MAX, 10),
  num('int', 'lfu-decay-time', undefined, M, 0n, INT_MAX, 1),
  num('int', 'replica-priority', 'slave-priority', M, 0n, INT_MAX, 100),
  num('int', 'repl-diskless-sync-delay', undefined, M, 0n, INT_MAX, 5),
  num('int', 'maxmemory-samples', undefined, M, 1n, 64n, 5),
  num('int', 'maxmemory-eviction-tenacity', undefined, M, 0n, 100n, 10),
  num('int', 'timeout', undefined, M, 0n, INT_MAX, 0),
  num('int', 'replica-announce-port', 'slave-announce-port', M, 0n, 65535n, 0),
  num('int', 'tcp-backlog', undefined, I, 0n, INT_MAX, 511),
  num('int', 'cluster-port', undefined, I, 0n, 65535n, 0),
  num('int', 'cluster-announce-bus-port', undefined, M, 0n, 65535n, 0),
  num('int', 'cluster-announce-port', undefined, M, 0n, 65535n, 0),
  num('int', 'cluster-announce-tls-port', undefined, M, 0n, 65535n, 0),
  num('int', 'repl-timeout', undefined, M, 1n, INT_MAX, 60),
  num('int', 'repl-ping-replica-period', 'repl-ping-slave-period', M, 1n, INT_MAX, 10),
  num('int', 'list-compress-depth', undefined, DEBUG | M, 0n, INT_MAX, 0),
  num('int', 'rdb-key-save-delay', undefined, M | HIDDEN, INT_MIN, INT_MAX, 0),
  num('int', 'key-load-delay', undefined, M | HIDDEN, INT_MIN, INT_MAX, 0),
  num('int', 'active-expire-effort', undefined, M, 1n, 10n, 1),
  num('int', 'hz', undefined, M, 0n, INT_MAX, 10),
  num('int', 'min-replicas-to-write', 'min-slaves-to-write', M, 0n, INT_MAX, 0),
  num('int', 'min-replicas-max-lag', 'min-slaves-max-lag', M, 0n, INT_MAX, 10),
  num('int', 'watchdog-period', undefined, M | HIDDEN, 0n, INT_MAX, 0),
  num('int', 'shutdown-timeout', undefined, M, 0n, INT_MAX, 10),
  num('int', 'repl-diskless-sync-max-replicas', undefined, M, 0n, INT_MAX, 0),
  num('int', 'rdma-port', undefined, M, 0n, 65535n, 0),
  num('int', 'rdma-rx-size', undefined, I, 64n * 1024n, 16n * 1024n * 1024n, MB),
  num('int', 'rdma-completion-vector', undefined, I, -1n, 1024n, -1),

  /* Unsigned int configs */
  num('uint', 'maxclients', undefined, M, 1n, UINT_MAX, 10000),
  num('uint', 'unixsocketperm', undefined, I, 0n, 0o777n, 0, OCTAL),
  num('uint', 'socket-mark-id', undefined, I, 0n, UINT_MAX, 0),
  num('uint', 'max-new-connections-per-cycle', undefined, M, 1n, 1000n, 10),
  num('uint', 'max-new-tls-connections-per-cycle', undefined, M, 1n, 1000n, 1),

  /* Unsigned long configs */
  num('ulong', 'active-defrag-max-scan-fields', undefined, M, 1n, LONG_MAX, 1000),
  num('ulong', 'commandlog-slow-execution-max-len', 'slowlog-max-len', M, 0n, LONG_MAX, 128),
  num('ulong', 'commandlog-large-request-max-len', undefined, M, 0n, LONG_MAX, 128),
  num('ulong', 'commandlog-large-reply-max-len', undefined, M, 0n, LONG_MAX, 128),
  num('ulong', 'acllog-max-len', undefined, M, 0n, LONG_MAX, 128),
  num('ulong', 'cluster-blacklist-ttl', undefined, M, 0n, ULONG_MAX, 60),
  num('ulong', 'cluster-slot-migration-log-max-len', undefined, M, 0n, LONG_MAX, 1000),

  /* Long long configs */
  num('longlong', 'busy-reply-threshold', 'lua-time-limit', M, 0n, LONG_MAX, 5000),
  num('longlong', 'cluster-node-timeout', undefined, M, 0n, LLONG_MAX, 15000),
  num('longlong', 'cluster-ping-interval', undefined, M | HIDDEN, 0n, LLONG_MAX, 0),
  num('longlong', 'commandlog-execution-slower-than', 'slowlog-log-slower-than', M, -1n, LLONG_MAX, 10000),
  num('longlong', 'commandlog-request-larger-than', undefined, M, -1n, LLONG_MAX, MB),
  num('longlong', 'commandlog-reply-larger-than', undefined, M, -1n, LLONG_MAX, MB),
  num('longlong', 'latency-monitor-threshold', undefined, M, 0n, LLONG_MAX, 0),
  num('longlong', 'proto-max-bulk-len', undefined, DEBUG | M, BigInt(MB), LONG_MAX, 512 * MB, MEMORY),
  num('longlong', 'stream-node-max-entries', undefined, M, 0n, LLONG_MAX, 100),
  num('longlong', 'repl-backlog-size', undefined, M, 1n, LLONG_MAX, 10 * MB, MEMORY),
  num('longlong', 'cluster-manual-failover-timeout', undefined, M, 1n, INT_MAX, 5000),

  /* Unsigned long long configs */
  num('ulonglong', 'maxmemory', undefined, M, 0n, ULLONG_MAX, 0, MEMORY),
  num('ulonglong', 'cluster-link-sendbuf-limit', undefined, M, 0n, ULLONG_MAX, 0, MEMORY),

  /* Size_t configs */
  num('size_t', 'hash-max-listpack-entries', 'hash-max-ziplist-entries', M, 0n, LONG_MAX, 512),
  num('size_t', 'set-max-intset-entries', undefined, M, 0n, LONG_MAX, 512),
  num('size_t', 'set-max-listpack-entries', undefined, M, 0n, LONG_MAX, 128),
  num('size_t', 'set-max-listpack-value', undefined, M, 0n, LONG_MAX, 64),
  num('size_t', 'zset-max-listpack-entries', 'zset-max-ziplist-entries', M, 0n, LONG_MAX, 128),
  num('size_t', 'active-defrag-ignore-bytes', undefined, M, 1n, LLONG_MAX, 100 * MB, MEMORY),
  num('size_t', 'hash-max-listpack-value', 'hash-max-ziplist-value', M, 0n, LONG_MAX, 64, MEMORY),
  num('size_t', 'stream-node-max-bytes', undefined, M, 0n, LONG_MAX, 4096, MEMORY),
  num('size_t', 'zset-max-listpack-value', 'zset-max-ziplist-value', M, 0n, LONG_MAX, 64, MEMORY),
  num('size_t', 'hll-sparse-max-bytes', undefined, M, 0n, LONG_MAX, 3000, MEMORY),
  num('size_t', 'tracking-table-max-keys', undefined, M, 0n, LONG_MAX, 1000000),
  num('size_t', 'client-query-buffer-limit', undefined, DEBUG | M, BigInt(MB), LONG_MAX, 1024 * MB, MEMORY),
  num('ssize_t', 'maxmemory-clients', undefined, M, -100n, SSIZE_MAX, 0, MEMORY | PERCENT),
  num('ssize_t', 'slot-migration-max-failover-repl-bytes', undefined, M, -1n, SSIZE_MAX, 0, MEMORY | SIGNED_MEMORY),

  /* Other configs */
  num('time_t', 'repl-backlog-ttl', undefined, M, 0n, LONG_MAX, 60 * 60),
  num('off_t', 'auto-aof-rewrite-min-size', undefined, M, 0n, LLONG_MAX, 64 * MB, MEMORY),
  num('off_t', 'loading-process-events-interval-bytes', undefined, M | HIDDEN, 1024n, INT_MAX, 2 * MB),

  /* TLS configs */
  num('int', 'tls-port', undefined, M, 0n, 65535n, 0),
  num('int', 'tls-session-cache-size', undefined, M, 0n, INT_MAX, 20 * 1024),
  num('int', 'tls-session-cache-timeout', undefined, M, 0n, INT_MAX, 300),
  bool('tls-cluster', undefined, M, false),
  bool('tls-replication', undefined, M, false),
  enm('tls-auth-clients', undefined, M, TLS_AUTH_CLIENTS_ENUM, 1),
  enm('tls-auth-clients-user', undefined, M, TLS_AUTH_CLIENTS_USER_ENUM, 0),
  bool('tls-prefer-server-ciphers', undefined, M, false),
  bool('tls-session-caching', undefined, M, true),
  str('tls-cert-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-key-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-key-file-pass', undefined, M | SENSITIVE, EMPTY_IS_NULL, N),
  str('tls-client-cert-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-client-key-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-client-key-file-pass', undefined, M | SENSITIVE, EMPTY_IS_NULL, N),
  str('tls-dh-params-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-ca-cert-file', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-ca-cert-dir', undefined, VOLATILE | M, EMPTY_IS_NULL, N),
  str('tls-protocols', undefined, M, EMPTY_IS_NULL, N),
  str('tls-ciphers', undefined, M, EMPTY_IS_NULL, N),
  str('tls-ciphersuites', undefined, M, EMPTY_IS_NULL, N),

  /* Special configs */
  special('dir', undefined, M | PROTECTED | DENY_LOADING, 'dir'),
  special('save', undefined, M | MULTI_ARG, 'save'),
  special('client-output-buffer-limit', undefined, M | MULTI_ARG, 'client-output-buffer-limit'),
  special('oom-score-adj-values', undefined, M | MULTI_ARG, 'oom-score-adj-values'),
  special('notify-keyspace-events', undefined, M, 'notify-keyspace-events'),
  special('bind', undefined, M | MULTI_ARG, 'bind'),
  special('rdma-bind', undefined, M | MULTI_ARG, 'rdma-bind'),
  special('replicaof', 'slaveof', I | MULTI_ARG, 'replicaof'),
  special('latency-tracking-info-percentiles', undefined, M | MULTI_ARG, 'latency-tracking-info-percentiles'),
];

/**
 * Directives accepted in a config file and silently ignored, with the
 * exact argument count (directive included) Valkey accepts for them.
 */
export const DEPRECATED_CONFIGS: ReadonlyArray<readonly [string, number, number]> = [
  ['list-max-ziplist-entries', 2, 2],
  ['list-max-ziplist-value', 2, 2],
  ['lua-replicate-commands', 2, 2],
  ['io-threads-do-reads', 2, 2],
  ['dynamic-hz', 2, 2],
];
