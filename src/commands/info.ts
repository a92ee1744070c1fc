// INFO: the server's state as "field:value" lines in "# Section" blocks, with Valkey 9.0's
// sections, field names and order. Values are real where Fjord has them; where Fjord has no
// such thing (forks, allocator internals, I/O threads) the value an idle Valkey would show.
//
// Other modules (persistence, replication, scripting, ...) refine a section with
// extendInfoSection() instead of editing this file.

import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { CommandDef, Command } from './table';
import type { Client } from '../server/client';
import { CF_BLOCKED, CF_REPLICA } from '../server/client';
import { type Server, FJORD_VERSION } from '../server/server';
import type { ReplicaOf } from '../server/config';
import { isPubSubClient } from './client';

export type InfoValue = string | number;
export type InfoFields = [string, InfoValue][];
/** Returns the section's fields, possibly changed or extended. */
export type InfoExtension = (server: Server, fields: InfoFields) => InfoFields;

/** Valkey claims compatibility with this Redis version (redis_version). */
export const REDIS_COMPAT_VERSION = '7.2.4';
/** redis_build_id: a stable 16-hex id of this build (computed lazily: server.ts loads this module). */
let buildId = '';
function getBuildId(): string {
  if (buildId === '') buildId = createHash('sha1').update(`fjord-${FJORD_VERSION}`).digest('hex').slice(0, 16);
  return buildId;
}
/** lru_clock and LRU metadata are 24-bit seconds counters. */
const LRU_CLOCK_MASK = (1 << 24) - 1;

const extensions = new Map<string, InfoExtension[]>();

/** Let another module adjust a section (by its lowercase name); returns an unregister function. */
export function extendInfoSection(section: string, fn: InfoExtension): () => void {
  let list = extensions.get(section);
  if (!list) extensions.set(section, (list = []));
  list.push(fn);
  return () => {
    const l = extensions.get(section);
    if (l) l.splice(l.indexOf(fn), 1);
  };
}

// ---------------------------------------------------------------- formatting helpers

/** Valkey's bytesToHuman: B, then K, M, G, T, P with two decimals. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let scaled = n / 1024;
  for (const u of units) {
    if (scaled < 1024 || u === 'P') return `${scaled.toFixed(2)}${u}`;
    scaled /= 1024;
  }
  return `${n}B`;
}

/** Seconds with six decimals from microseconds ("%ld.%06ld"). */
function secondsFromMicros(us: number): string {
  const whole = Math.floor(us / 1e6);
  return `${whole}.${String(Math.round(us - whole * 1e6)).padStart(6, '0')}`;
}

/** ':', CR and LF would break the line format; Valkey replaces them with '_'. */
function safeInfoName(s: string): string {
  return s.replace(/[:\r\n]/g, '_');
}

// ---------------------------------------------------------------- memory

interface MemoryState {
  peak: number;
}
const memoryStates = new WeakMap<Server, MemoryState>();

function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Memory in use when this module loaded: Fjord's "startup" footprint. */
const STARTUP_MEMORY = usedMemory();

/** Estimated memory of one connection (buffers plus bookkeeping), as in CLIENT LIST tot-mem. */
function clientMemory(c: Client): number {
  return 1920 + 16384 + c.parser.allocatedBytes + c.outputPending;
}

function memoryFields(server: Server): InfoFields {
  const m = process.memoryUsage();
  const used = m.heapUsed + m.external;
  const active = m.heapTotal + m.external;
  const rss = m.rss;
  let state = memoryStates.get(server);
  if (!state) memoryStates.set(server, (state = { peak: used }));
  if (used > state.peak) state.peak = used;
  let clientsNormal = 0;
  let clientsReplicas = 0;
  for (const c of server.clients.values()) {
    if (c.flags & CF_REPLICA) clientsReplicas += clientMemory(c);
    else clientsNormal += clientMemory(c);
  }
  const overhead = Math.min(used, STARTUP_MEMORY + clientsNormal + clientsReplicas);
  const dataset = used - overhead;
  const net = used - STARTUP_MEMORY;
  const maxmemory = server.config.num('maxmemory');
  const totalSystem = os.totalmem();
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', state.peak],
    ['used_memory_peak_human', bytesToHuman(state.peak)],
    ['used_memory_peak_perc', `${((used * 100) / state.peak).toFixed(2)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', STARTUP_MEMORY],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${(net > 0 ? (dataset * 100) / net : 0).toFixed(2)}%`],
    ['allocator_allocated', used],
    ['allocator_active', active],
    ['allocator_resident', rss],
    ['allocator_muzzy', 0],
    ['total_system_memory', totalSystem],
    ['total_system_memory_human', bytesToHuman(totalSystem)],
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', bytesToHuman(0)],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', bytesToHuman(0)],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', bytesToHuman(0)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', (active / used).toFixed(2)],
    ['allocator_frag_bytes', active - used],
    ['allocator_rss_ratio', (rss / active).toFixed(2)],
    ['allocator_rss_bytes', rss - active],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', (rss / used).toFixed(2)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', clientsReplicas],
    ['mem_clients_normal', clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_cluster_slot_import', 0],
    ['mem_cluster_slot_export', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'libc'],
    ['mem_overhead_db_hashtable_rehashing', 0],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

// ---------------------------------------------------------------- server, clients

function executablePath(): string {
  return process.argv[1] ? path.resolve(process.argv[1]) : process.execPath;
}

function multiplexingApi(): string {
  const p = os.platform();
  if (p === 'linux') return 'epoll';
  if (p === 'darwin' || p === 'freebsd' || p === 'openbsd') return 'kqueue';
  return 'select';
}

/** listenerN lines: N is the connection type (0 tcp, 1 unix), as Valkey numbers them. */
function listenerFields(server: Server): InfoFields {
  const out: InfoFields = [];
  if (server.port) {
    const binds = server.config.raw<string[]>('bind') ?? [];
    const bindText = binds.map((b) => `,bind=${b}`).join('');
    out.push(['listener0', `name=tcp${bindText},port=${server.port}`]);
  }
  const unix = server.config.str('unixsocket');
  if (unix) out.push(['listener1', `name=unix,bind=${unix}`]);
  return out;
}

function serverFields(server: Server): InfoFields {
  const cfg = server.config;
  const nowMs = Date.now();
  const uptime = Math.floor((nowMs - server.startTime) / 1000);
  const redisCompat = cfg.bool('extended-redis-compatibility');
  const fields: InfoFields = [
    ['redis_version', REDIS_COMPAT_VERSION],
    ['server_name', 'valkey'],
    ['valkey_version', FJORD_VERSION],
    ['valkey_release_stage', 'ga'],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', getBuildId()],
    [redisCompat ? 'redis_mode' : 'server_mode', cfg.bool('cluster-enabled') ? 'cluster' : 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', process.arch.includes('64') ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', multiplexingApi()],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.port],
    ['server_time_usec', Math.floor((performance.timeOrigin + performance.now()) * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', cfg.num('hz')],
    ['configured_hz', cfg.num('hz')],
    ['clients_hz', cfg.num('hz')],
    ['lru_clock', Math.floor(nowMs / 1000) & LRU_CLOCK_MASK],
    ['executable', executablePath()],
    ['config_file', cfg.configFile ?? ''],
    ['io_threads_active', 0],
    ['availability_zone', cfg.str('availability-zone')],
  ];
  return fields.concat(listenerFields(server));
}

/** INFO clients paused_*: only CLIENT PAUSE pauses clients in Fjord. */
function pauseFields(server: Server): InfoFields {
  const p = server.pause;
  const active = p.mode !== 'none' && server.cachedNow < p.end;
  return [
    ['paused_reason', active ? 'client_pause' : 'none'],
    ['paused_actions', active ? p.mode : 'none'],
    ['paused_timeout_milliseconds', active ? p.end - server.cachedNow : 0],
  ];
}

function clientsFields(server: Server): InfoFields {
  let connected = 0;
  let blocked = 0;
  let pubsub = 0;
  let watching = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of server.clients.values()) {
    if (!(c.flags & CF_REPLICA)) connected++;
    if (c.flags & CF_BLOCKED) blocked++;
    if (isPubSubClient(c)) pubsub++;
    if (c.watched.length > 0) watching++;
    maxIn = Math.max(maxIn, c.parser.allocatedBytes);
    maxOut = Math.max(maxOut, c.reply.length + c.outputPending);
  }
  let watchedKeys = 0;
  for (const db of server.dbs) watchedKeys += db.watchedKeys.size;
  let withTimeout = 0;
  for (const c of server.clients.values()) {
    const st = c.blocked as { kind?: string; deadline?: number } | null;
    if (st?.kind === 'keys' && (st.deadline ?? 0) > 0) withTimeout++;
  }
  const fields: InfoFields = [
    ['connected_clients', connected],
    ['cluster_connections', 0],
    ['maxclients', server.config.num('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', blocked],
    ['tracking_clients', server.tracking.clients],
    ['pubsub_clients', pubsub],
    ['watching_clients', watching],
    ['clients_in_timeout_table', withTimeout],
    ['total_watched_keys', watchedKeys],
    ['total_blocking_keys', server.blocking.totalBlockingKeys],
    ['total_blocking_keys_on_nokey', server.blocking.totalBlockingKeysOnNokey],
  ];
  return fields.concat(pauseFields(server));
}

// ---------------------------------------------------------------- persistence, stats

/** The loading_* fields Valkey adds while a dataset is being loaded. */
function loadingFields(server: Server): InfoFields {
  const p = server.persistence;
  return [
    ['loading_start_time', p.loadingStartTime],
    ['loading_total_bytes', 0],
    ['loading_rdb_used_mem', 0],
    ['loading_loaded_bytes', 0],
    ['loading_loaded_perc', '0.00'],
    ['loading_eta_seconds', 1],
  ];
}

function persistenceFields(server: Server): InfoFields {
  const p = server.persistence;
  const fields: InfoFields = [
    ['loading', server.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', p.bgsaveInProgress ? 1 : 0],
    ['rdb_last_save_time', server.lastSave],
    ['rdb_last_bgsave_status', p.lastBgsaveStatus],
    ['rdb_last_bgsave_time_sec', p.lastBgsaveTimeSec],
    ['rdb_current_bgsave_time_sec', p.currentBgsaveTimeSec],
    ['rdb_saves', p.rdbSaves],
    ['rdb_last_cow_size', p.lastCowSize],
    ['rdb_last_load_keys_expired', p.rdbLastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', p.rdbLastLoadKeysLoaded],
    ...aofFields(server),
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
    ['slot_migration_fork_in_progress', 0],
  ];
  const aof = server.aof;
  if (aof.state !== 'off') {
    fields.push(
      ['aof_current_size', aof.currentSize],
      ['aof_base_size', aof.baseSize],
      ['aof_pending_rewrite', aof.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', aof.bufferLength],
      ['aof_pending_bio_fsync', aof.pendingFsyncs],
      ['aof_delayed_fsync', aof.delayedFsync],
    );
  }
  return server.loading ? fields.concat(loadingFields(server)) : fields;
}

function aofFields(server: Server): InfoFields {
  const aof = server.aof;
  return [
    ['aof_enabled', aof.state !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', aof.rewriteInProgress ? 1 : 0],
    ['aof_rewrite_scheduled', aof.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', aof.rewriteTimeLast],
    ['aof_current_rewrite_time_sec', aof.currentRewriteTimeSec],
    ['aof_last_bgrewrite_status', aof.lastBgrewriteStatus],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', aof.consecutiveFailures],
    ['aof_last_write_status', aof.lastWriteStatus],
    ['aof_last_cow_size', aof.lastCowSize],
  ];
}

/** Microseconds spent executing commands, over every command and subcommand. */
function commandUsecTotal(server: Server): number {
  let usec = 0;
  forEachCommand(server, (cmd) => {
    usec += cmd.stats.usec;
  });
  return usec;
}

function statsFields(server: Server): InfoFields {
  const st = server.stats;
  const ks = server.ctx.stats;
  const ps = server.pubsub;
  const cmdUsec = commandUsecTotal(server);
  return [
    ['total_connections_received', st.totalConnectionsReceived],
    ['total_commands_processed', st.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', st.instantaneousOps],
    ['total_net_input_bytes', st.netInputBytes],
    ['total_net_output_bytes', st.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['total_net_cluster_slot_import_bytes', 0],
    ['total_net_cluster_slot_export_bytes', 0],
    // ServerStats samples bytes per millisecond; Valkey shows KiB per second.
    ['instantaneous_input_kbps', ((st.instantaneousInputKbps * 1000) / 1024).toFixed(2)],
    ['instantaneous_output_kbps', ((st.instantaneousOutputKbps * 1000) / 1024).toFixed(2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', st.syncFull],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', ks.expiredKeys],
    ['expired_fields', ks.expiredFields],
    ['expired_stale_perc', (ks.expiredStalePerc * 100).toFixed(2)],
    ['expired_keys_with_volatile_items_stale_perc', (ks.expiredVolatileItemsStalePerc * 100).toFixed(2)],
    ['expired_time_cap_reached_count', ks.expiredTimeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', Math.floor(ks.expireCycleCpuMilliseconds)],
    ['evicted_keys', ks.evictedKeys],
    ['evicted_clients', 0],
    ['evicted_scripts', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', ks.keyspaceHits],
    ['keyspace_misses', ks.keyspaceMisses],
    ['pubsub_channels', ps.channels.size],
    ['pubsub_patterns', ps.patterns.size],
    ['pubsubshard_channels', ps.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', server.tracking.totalKeys],
    ['tracking_total_items', server.tracking.totalItemCount],
    ['tracking_total_prefixes', server.tracking.totalPrefixes],
    ['unexpected_error_replies', st.unexpectedErrorReplies],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', 0],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['io_threaded_freed_objects', 0],
    ['io_threaded_accept_processed', 0],
    ['io_threaded_poll_processed', 0],
    ['io_threaded_total_prefetch_batches', 0],
    ['io_threaded_total_prefetch_entries', 0],
    ['client_query_buffer_limit_disconnections', st.clientQueryBufferLimitDisconnections],
    ['client_output_buffer_limit_disconnections', st.clientOutputBufferLimitDisconnections],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
    ['eventloop_cycles', server.cronLoopCount],
    ['eventloop_duration_sum', cmdUsec],
    ['eventloop_duration_cmd_sum', cmdUsec],
    ['instantaneous_eventloop_cycles_per_sec', 0],
    ['instantaneous_eventloop_duration_usec', 0],
    ['acl_access_denied_auth', st.aclAuthDeniedCount],
    ['acl_access_denied_cmd', 0],
    ['acl_access_denied_key', 0],
    ['acl_access_denied_channel', 0],
  ];
}

// ---------------------------------------------------------------- replication, cpu, cluster

function replicaFields(server: Server): InfoFields {
  const cfg = server.config;
  const target = cfg.raw<ReplicaOf | null>('replicaof');
  return [
    ['master_host', target?.host ?? server.primaryHost ?? ''],
    ['master_port', target?.port ?? 0],
    ['master_link_status', 'down'],
    ['master_last_io_seconds_ago', -1],
    ['master_sync_in_progress', 0],
    ['slave_read_repl_offset', 1],
    ['slave_repl_offset', 1],
    ['replicas_repl_buffer_size', 0],
    ['replicas_repl_buffer_peak', 0],
    ['master_link_down_since_seconds', -1],
    ['slave_priority', cfg.num('replica-priority')],
    ['slave_read_only', cfg.bool('replica-read-only') ? 1 : 0],
    ['replica_announced', cfg.bool('replica-announced') ? 1 : 0],
  ];
}

function replicationFields(server: Server): InfoFields {
  const fields: InfoFields = [['role', server.isReplica() ? 'slave' : 'master']];
  if (server.isReplica()) fields.push(...replicaFields(server));
  fields.push(
    ['connected_slaves', 0],
    ['replicas_waiting_psync', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.replId],
    ['master_replid2', server.replId2],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', server.config.num('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  );
  return fields;
}

function cpuFields(): InfoFields {
  const u = process.cpuUsage();
  return [
    ['used_cpu_sys', secondsFromMicros(u.system)],
    ['used_cpu_user', secondsFromMicros(u.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', secondsFromMicros(u.system)],
    ['used_cpu_user_main_thread', secondsFromMicros(u.user)],
  ];
}

function clusterFields(server: Server): InfoFields {
  return [['cluster_enabled', server.config.bool('cluster-enabled') ? 1 : 0]];
}

// ---------------------------------------------------------------- per command and per db

/** Every command, then its subcommands (the order INFO commandstats uses). */
export function forEachCommand(server: Server, fn: (cmd: Command) => void): void {
  for (const cmd of server.commands.values()) {
    fn(cmd);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) fn(sub);
  }
}

function commandstatsFields(server: Server): InfoFields {
  const out: InfoFields = [];
  forEachCommand(server, (cmd) => {
    const s = cmd.stats;
    if (s.calls === 0 && s.failedCalls === 0 && s.rejectedCalls === 0) return;
    const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
    out.push([
      `cmdstat_${safeInfoName(cmd.fullName)}`,
      `calls=${s.calls},usec=${s.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
    ]);
  });
  return out;
}

function errorstatsFields(server: Server): InfoFields {
  const codes = [...server.stats.errorCodes.keys()].sort();
  return codes.map((code) => [`errorstat_${safeInfoName(code)}`, `count=${server.stats.errorCodes.get(code)}`]);
}

/**
 * The latency at a percentile of a histogram of power-of-two microsecond buckets (bucket b
 * holds durations up to 2^b us), found the way HdrHistogram does: the first bucket whose
 * cumulative count reaches the rank of the percentile.
 */
function percentileMicros(hist: readonly number[], percentile: number): number {
  let total = 0;
  for (const n of hist) total += n;
  const rank = Math.max(1, Math.floor((percentile / 100) * total + 0.5));
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b];
    if (seen >= rank) return 2 ** b;
  }
  return 2 ** Math.max(0, hist.length - 1);
}

/** "%f" then trailing zeros dropped: 50 -> "50", 99.9 -> "99.9". */
function percentileLabel(p: number): string {
  return p.toFixed(6).replace(/\.?0+$/, '');
}

function latencystatsFields(server: Server): InfoFields {
  if (!server.config.bool('latency-tracking')) return [];
  const percentiles = server.config.raw<number[]>('latency-tracking-info-percentiles') ?? [];
  const out: InfoFields = [];
  forEachCommand(server, (cmd) => {
    const hist = cmd.stats.histogram;
    if (hist.length === 0) return;
    const values = percentiles.map((p) => `p${percentileLabel(p)}=${percentileMicros(hist, p).toFixed(3)}`);
    out.push([`latency_percentiles_usec_${safeInfoName(cmd.fullName)}`, values.join(',')]);
  });
  return out;
}

function keyspaceFields(server: Server): InfoFields {
  const out: InfoFields = [];
  for (const db of server.dbs) {
    const keys = db.size;
    const expires = db.expires.size;
    if (keys === 0 && expires === 0) continue;
    out.push([`db${db.id}`, `keys=${keys},expires=${expires},avg_ttl=${Math.trunc(db.avgTtl)},keys_with_volatile_items=${db.volatileKeys.size}`]);
  }
  return out;
}

// ---------------------------------------------------------------- sections

interface SectionDef {
  /** the name INFO accepts */
  name: string;
  title: string;
  build(server: Server): InfoFields;
  /** other names selecting it */
  aliases?: string[];
}

/** All sections in output order. */
const SECTIONS: SectionDef[] = [
  { name: 'server', title: 'Server', build: serverFields },
  { name: 'clients', title: 'Clients', build: clientsFields },
  { name: 'memory', title: 'Memory', build: memoryFields },
  { name: 'persistence', title: 'Persistence', build: persistenceFields },
  { name: 'stats', title: 'Stats', build: statsFields },
  { name: 'replication', title: 'Replication', build: replicationFields },
  { name: 'cpu', title: 'CPU', build: cpuFields },
  { name: 'module_list', title: 'Modules', build: () => [], aliases: ['modules'] },
  { name: 'commandstats', title: 'Commandstats', build: commandstatsFields },
  { name: 'errorstats', title: 'Errorstats', build: errorstatsFields },
  { name: 'latencystats', title: 'Latencystats', build: latencystatsFields },
  { name: 'cluster', title: 'Cluster', build: clusterFields },
  { name: 'keyspace', title: 'Keyspace', build: keyspaceFields },
];

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** Which sections INFO's arguments select (none: the default set; "all"/"everything": every one). */
function selectSections(args: readonly string[]): Set<string> | 'all' {
  if (args.length === 0) return new Set(DEFAULT_SECTIONS);
  const wanted = new Set<string>();
  let all = false;
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === 'default') DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
    else if (a === 'all' || a === 'everything') all = true;
    else wanted.add(a);
  }
  return all ? 'all' : wanted;
}

function sectionFields(server: Server, def: SectionDef): InfoFields {
  let fields = def.build(server);
  for (const ext of extensions.get(def.name) ?? []) fields = ext(server, fields);
  return fields;
}

/** The INFO text for the given arguments (CRLF line endings, a blank line between sections). */
export function genInfoString(server: Server, args: readonly string[]): string {
  const selected = selectSections(args);
  const blocks: string[] = [];
  for (const def of SECTIONS) {
    const chosen = selected === 'all' || selected.has(def.name) || (def.aliases ?? []).some((a) => selected.has(a));
    if (!chosen) continue;
    let text = `# ${def.title}\r\n`;
    for (const [name, value] of sectionFields(server, def)) text += `${name}:${value}\r\n`;
    blocks.push(text);
  }
  return blocks.join('\r\n');
}

function info(c: Client, argv: string[]): void {
  c.reply.verbatim(genInfoString(c.server, argv.slice(1)));
}

export const infoCommands: CommandDef[] = [
  {
    name: 'info', arity: -1, flags: ['loading', 'stale'], acl: ['dangerous'], handler: info,
    summary: 'Returns information and statistics about the server.', since: '1.0.0', group: 'server', complexity: 'O(1)',
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    args: [{ name: 'section', type: 'string', optional: true, multiple: true }],
  },
];
