// The command table: every command declared once, as data. It drives dispatch, arity and
// unknown-command errors, COMMAND (COUNT, INFO, DOCS, LIST, GETKEYS), MULTI queueing rules,
// read-only replica checks and (later) cluster slot checks and ACL.

import type { Client } from '../server/client';

/** Where a key spec starts looking for keys. */
export type BeginSearch =
  | { index: number }
  | { keyword: string; startfrom: number }
  | { unknown: true };

/** How a key spec finds the keys once it has begun. */
export type FindKeys =
  | { range: { lastkey: number; step: number; limit: number } }
  | { keynum: { keynumidx: number; firstkey: number; step: number } }
  | { unknown: true };

export interface KeySpec {
  /** Valkey's key-spec flags: RO RW OW RM ACCESS UPDATE INSERT DELETE NOT_KEY INCOMPLETE VARIABLE_FLAGS */
  flags: string[];
  bs: BeginSearch;
  fk: FindKeys;
  notes?: string;
}

/** One documented argument (COMMAND DOCS). */
export interface ArgDoc {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multiple_token?: boolean;
  key_spec_index?: number;
  display?: string;
  since?: string;
  summary?: string;
  arguments?: ArgDoc[];
  deprecated_since?: string;
}

export type Handler = (c: Client, argv: string[]) => void;

export interface CommandDef {
  name: string;
  /** Valkey's arity: N exact, -N at least N (the command name counts) */
  arity: number;
  flags: string[];
  /** ACL categories without the @ */
  acl: string[];
  keySpecs?: KeySpec[];
  /** custom key finder for commands whose keys no spec can describe (returns argv indexes) */
  getKeys?: (argv: string[]) => number[];
  /**
   * custom key finder that also gives each key's flags (RW, access...), for commands whose specs
   * have VARIABLE_FLAGS (e.g. SET: OW update, or RW access update with GET); returns [index, flags]
   */
  getKeysAndFlags?: (argv: string[]) => [number, string[]][];
  handler?: Handler;
  subcommands?: CommandDef[];
  // Documentation (COMMAND DOCS)
  summary: string;
  since: string;
  group: string;
  complexity?: string;
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  history?: [string, string][];
  args?: ArgDoc[];
  tips?: string[];
}

/** Flag bits used on the hot path. */
export const CMD_WRITE = 1 << 0;
export const CMD_READONLY = 1 << 1;
export const CMD_DENYOOM = 1 << 2;
export const CMD_ADMIN = 1 << 3;
export const CMD_PUBSUB = 1 << 4;
export const CMD_NOSCRIPT = 1 << 5;
export const CMD_BLOCKING = 1 << 6;
export const CMD_LOADING = 1 << 7;
export const CMD_STALE = 1 << 8;
export const CMD_SKIP_MONITOR = 1 << 9;
export const CMD_SKIP_SLOWLOG = 1 << 10;
export const CMD_FAST = 1 << 11;
export const CMD_NO_AUTH = 1 << 12;
export const CMD_MAY_REPLICATE = 1 << 13;
export const CMD_NO_MULTI = 1 << 14;
export const CMD_ALLOW_BUSY = 1 << 15;
export const CMD_NO_MANDATORY_KEYS = 1 << 16;
export const CMD_TOUCHES_ARBITRARY_KEYS = 1 << 17;
export const CMD_NO_ASYNC_LOADING = 1 << 18;
/** DEBUG/MODULE: refused unless enable-debug-command / enable-module-command allows it */
export const CMD_PROTECTED = 1 << 19;

const FLAG_BITS: Record<string, number> = {
  write: CMD_WRITE,
  readonly: CMD_READONLY,
  denyoom: CMD_DENYOOM,
  admin: CMD_ADMIN,
  pubsub: CMD_PUBSUB,
  noscript: CMD_NOSCRIPT,
  blocking: CMD_BLOCKING,
  loading: CMD_LOADING,
  stale: CMD_STALE,
  skip_monitor: CMD_SKIP_MONITOR,
  skip_slowlog: CMD_SKIP_SLOWLOG,
  fast: CMD_FAST,
  no_auth: CMD_NO_AUTH,
  may_replicate: CMD_MAY_REPLICATE,
  no_multi: CMD_NO_MULTI,
  allow_busy: CMD_ALLOW_BUSY,
  no_mandatory_keys: CMD_NO_MANDATORY_KEYS,
  touches_arbitrary_keys: CMD_TOUCHES_ARBITRARY_KEYS,
  no_async_loading: CMD_NO_ASYNC_LOADING,
  protected: CMD_PROTECTED,
};

/** Per-command statistics (INFO commandstats, latencystats). */
export class CommandStats {
  calls = 0;
  usec = 0;
  rejectedCalls = 0;
  failedCalls = 0;
  /** latency histogram: count per power-of-two microsecond bucket */
  histogram: number[] = [];
  reset(): void {
    this.calls = 0;
    this.usec = 0;
    this.rejectedCalls = 0;
    this.failedCalls = 0;
    this.histogram = [];
  }
}

/** A command ready for dispatch: the definition plus what the hot path needs precomputed. */
export class Command {
  readonly name: string;
  /** "config|get" for subcommands */
  readonly fullName: string;
  readonly arity: number;
  readonly flagBits: number;
  readonly handler: Handler | undefined;
  readonly subcommands: Map<string, Command> | null;
  /** legacy key range (COMMAND INFO positions 4-6) */
  readonly firstKey: number;
  readonly lastKey: number;
  readonly keyStep: number;
  /** Valkey's "movablekeys": the legacy range does not describe every key position */
  readonly movableKeys: boolean;
  readonly stats = new CommandStats();
  readonly aclCategoryNames: string[];

  constructor(readonly def: CommandDef, readonly parent: Command | null = null) {
    this.name = def.name.toLowerCase();
    this.fullName = parent ? `${parent.name}|${this.name}` : this.name;
    this.arity = def.arity;
    let bits = 0;
    for (const f of def.flags) {
      const b = FLAG_BITS[f];
      if (b === undefined) throw new Error(`unknown command flag ${f} on ${this.fullName}`);
      bits |= b;
    }
    this.flagBits = bits;
    this.handler = def.handler;
    this.aclCategoryNames = deriveAclCategories(def, bits);
    if (def.subcommands && def.subcommands.length > 0) {
      this.subcommands = new Map();
      for (const s of def.subcommands) this.subcommands.set(s.name.toLowerCase(), new Command(s, this));
    } else {
      this.subcommands = null;
    }
    const legacy = legacyRange(def.keySpecs ?? []);
    this.firstKey = legacy.first;
    this.lastKey = legacy.last;
    this.keyStep = legacy.step;
    this.movableKeys = legacy.movable;
  }

  has(bit: number): boolean {
    return (this.flagBits & bit) !== 0;
  }

  /** True if the command can have key arguments (Valkey's doesCommandHaveKeys). */
  hasKeys(): boolean {
    const d = this.def;
    return d.getKeys !== undefined || d.getKeysAndFlags !== undefined || (d.keySpecs ?? []).some((k) => !k.flags.includes('NOT_KEY'));
  }

  /** Positions of the keys in argv, as COMMAND GETKEYS reports them. */
  keyPositions(argv: string[]): number[] {
    return this.keysWithFlags(argv).map((k) => k[0]);
  }

  /**
   * The keys of argv with their key-spec flags (COMMAND GETKEYSANDFLAGS), found the way Valkey's
   * getKeysFromCommandWithSpecs does: the key specs when they are reliable (some spec is a real key
   * and none has VARIABLE_FLAGS), else the command's own key finder. An empty result means no keys
   * or keys that cannot be found in this argv (the caller decides which error that is).
   */
  keysWithFlags(argv: string[]): [number, string[]][] {
    const specs = this.def.keySpecs ?? [];
    const reliable = specs.some((k) => !k.flags.includes('NOT_KEY')) && !specs.some((k) => k.flags.includes('VARIABLE_FLAGS'));
    const found = keysFromSpecs(specs, argv);
    if (reliable && found.complete) return found.keys;
    if (this.def.getKeysAndFlags) return this.def.getKeysAndFlags(argv);
    if (this.def.getKeys) {
      // A custom finder reports positions only: give each key the flags of the first spec.
      const flags = specs[0]?.flags ?? [];
      return this.def.getKeys(argv).map((p) => [p, flags]);
    }
    // No finder: keys that do not fit argv mean none (Valkey then says the arguments are
    // invalid); with incomplete or variable-flag specs, what the specs find is the best we know.
    return found.invalid ? [] : found.keys;
  }
}

/**
 * Resolve every key spec (NOT_KEY ones are skipped). `invalid`: some spec does not fit argv;
 * `complete`: valid and no spec is INCOMPLETE, so the keys found are all the keys.
 */
function keysFromSpecs(specs: KeySpec[], argv: string[]): { keys: [number, string[]][]; invalid: boolean; complete: boolean } {
  const keys: [number, string[]][] = [];
  let invalid = false;
  let incomplete = false;
  for (const spec of specs) {
    if (spec.flags.includes('NOT_KEY')) continue;
    const found = keysFromSpec(spec, argv);
    if (found === null) {
      invalid = true;
      continue;
    }
    for (const p of found) keys.push([p, spec.flags]);
    if (spec.flags.includes('INCOMPLETE')) incomplete = true;
  }
  return { keys, invalid, complete: !invalid && !incomplete };
}

/**
 * Valkey adds implied ACL categories from flags (write -> @write, readonly -> @read, admin ->
 * @admin + @dangerous, pubsub -> @pubsub, fast -> @fast, blocking -> @blocking, and @slow when not fast).
 */
function deriveAclCategories(def: CommandDef, bits: number): string[] {
  const cats = new Set<string>();
  if (bits & CMD_WRITE) cats.add('write');
  if (bits & CMD_READONLY && !def.acl.includes('scripting')) cats.add('read');
  if (bits & CMD_ADMIN) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (bits & CMD_PUBSUB) cats.add('pubsub');
  if (bits & CMD_FAST) cats.add('fast');
  if (bits & CMD_BLOCKING) cats.add('blocking');
  for (const a of def.acl) cats.add(a);
  // "If it's not @fast it is @slow": a declared @fast counts too.
  if (!cats.has('fast')) cats.add('slow');
  // Valkey's order: the flag-derived ones in this order, then the declared ones.
  const order = ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting'];
  return [...cats].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

interface LegacyRange {
  first: number;
  /** absolute position of the last key, or negative (counted from the end) */
  last: number;
  step: number;
  movable: boolean;
}

/**
 * The legacy first/last/step triple (COMMAND INFO positions 4-6) and the "movablekeys" flag,
 * derived from the key specs as Valkey's populateCommandLegacyRangeSpec does: one index+range
 * spec is used as it is; otherwise consecutive index+range specs with step 1 are glued together,
 * and any spec that cannot be glued (keyword, keynum, step > 1, a gap) makes the keys movable.
 */
function legacyRange(specs: KeySpec[]): LegacyRange {
  const none = { first: 0, last: 0, step: 0 };
  if (specs.length === 0) return { ...none, movable: false };
  if (specs.length === 1 && 'index' in specs[0].bs && 'range' in specs[0].fk) {
    const first = specs[0].bs.index;
    const r = specs[0].fk.range;
    return { first, last: r.lastkey >= 0 ? first + r.lastkey : r.lastkey, step: r.step, movable: specs[0].flags.includes('INCOMPLETE') };
  }
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  let movable = false;
  for (const spec of specs) {
    if (!('index' in spec.bs) || !('range' in spec.fk)) {
      movable = true;
      continue;
    }
    const pos = spec.bs.index;
    const r = spec.fk.range;
    if (r.step !== 1 || (prevLast !== 0 && prevLast !== pos - 1)) {
      movable = true;
      continue;
    }
    if (spec.flags.includes('INCOMPLETE')) movable = true;
    first = Math.min(first, pos);
    const absLast = r.lastkey >= 0 ? pos + r.lastkey : r.lastkey;
    // Valkey compares as unsigned, so a negative (from the end) last key wins.
    last = absLast >>> 0 >= last >>> 0 ? absLast : last;
    prevLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return { ...none, movable: true };
  return { first, last, step: 1, movable };
}

/**
 * Resolve one key spec against argv into key positions, as Valkey's getKeysUsingKeySpecs.
 * Returns [] when a keyword spec finds no keyword, null when the spec does not fit argv
 * (missing or bad numkeys, keys past the end).
 */
export function keysFromSpec(spec: KeySpec, argv: string[]): number[] | null {
  const argc = argv.length;
  let first = 0;
  if ('index' in spec.bs) {
    first = spec.bs.index;
  } else if ('keyword' in spec.bs) {
    first = findKeyword(argv, spec.bs.keyword, spec.bs.startfrom);
    if (first === 0) return [];
  } else {
    return null;
  }
  let last: number;
  let step: number;
  if ('range' in spec.fk) {
    const { lastkey, limit } = spec.fk.range;
    step = spec.fk.range.step;
    if (lastkey >= 0) last = first + lastkey;
    else if (limit === 0) last = argc + lastkey;
    else last = first + Math.trunc((argc - first) / limit) + lastkey;
  } else if ('keynum' in spec.fk) {
    const { keynumidx, firstkey } = spec.fk.keynum;
    step = spec.fk.keynum.step;
    const numPos = first + keynumidx;
    if (numPos >= argc) return null;
    const n = parseStrictInt(argv[numPos]);
    if (n === null || n < 0) return null;
    first += firstkey;
    last = first + n - 1;
  } else {
    return null;
  }
  if (last >= argc || last < first || first >= argc) return null;
  const out: number[] = [];
  for (let i = first; i <= last; i += Math.max(1, step)) out.push(i);
  return out;
}

/** Position after the keyword (0 if absent): forward from startfrom, or backward from the end. */
function findKeyword(argv: string[], keyword: string, startfrom: number): number {
  const argc = argv.length;
  const kw = keyword.toLowerCase();
  const start = startfrom > 0 ? startfrom : argc + startfrom;
  const end = startfrom > 0 ? argc - 1 : 1;
  for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (argv[i].length === kw.length && argv[i].toLowerCase() === kw) return i + 1;
  }
  return 0;
}

/** A decimal integer in canonical form (Valkey's string2ll), or null. */
function parseStrictInt(s: string): number | null {
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** Shorthands for the common key-spec shapes. */
export const ks = {
  /** one key at argv[pos] */
  one(pos: number, ...flags: string[]): KeySpec {
    return { flags, bs: { index: pos }, fk: { range: { lastkey: 0, step: 1, limit: 0 } } };
  },
  /** keys from argv[pos] to the end, every `step` */
  rest(pos: number, step: number, ...flags: string[]): KeySpec {
    return { flags, bs: { index: pos }, fk: { range: { lastkey: -1, step, limit: 0 } } };
  },
  /** keys from argv[pos] up to the next-to-last argument (e.g. BLPOP's timeout) */
  allButLast(pos: number, ...flags: string[]): KeySpec {
    return { flags, bs: { index: pos }, fk: { range: { lastkey: -2, step: 1, limit: 0 } } };
  },
  /** `numkeys key [key...]` starting at argv[pos] */
  numkeys(pos: number, ...flags: string[]): KeySpec {
    return { flags, bs: { index: pos }, fk: { keynum: { keynumidx: 0, firstkey: 1, step: 1 } } };
  },
  /** one key after a keyword, searching from argv[startfrom] (negative: from the end) */
  keyword(keyword: string, startfrom: number, ...flags: string[]): KeySpec {
    return { flags, bs: { keyword, startfrom }, fk: { range: { lastkey: 0, step: 1, limit: 0 } } };
  },
};
