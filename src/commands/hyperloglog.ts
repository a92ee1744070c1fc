// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST (Valkey's hyperloglog.c).
//
// An HLL is a string value holding Valkey's exact bytes (see types/hyperloglog.ts). Commands that
// change one edit its Buffer in place, as Valkey edits its sds after dbUnshareStringValue: a plain
// string value (SET by a client) becomes a Buffer first.
// Keyspace events: "pfadd" (class $) for PFADD and PFMERGE. PFCOUNT on one key stores the
// cardinality it computed in the header, which counts as a change (dirty, WATCH, propagation).

// Node's global `Buffer` is a getter on globalThis: every use of it calls a function, which
// costs more than the rest of an `instanceof` test. The module binding is a constant.
import { Buffer } from 'node:buffer';
import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { WRONGTYPE, dirty, is } from './util';
import { isString, signalModified, notify } from './string';
import type { Value } from '../db/database';
import {
  HLL_DENSE,
  HLL_SPARSE,
  HLL_REGISTERS,
  HllRef,
  isValidHll,
  editableCopy,
  createHll,
  encodingOf,
  elementPattern,
  addPattern,
  denseAddPattern,
  isCacheValid,
  invalidateCache,
  cachedCard,
  setCachedCard,
  countHll,
  countRegisters,
  mergeInto,
  denseCompress,
  raiseRegister,
  sparseToDense,
  denseRegisters,
  decodeSparse,
  selfTest,
} from '../types/hyperloglog';

const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';

/** One byte per register: the union being built by PFCOUNT (many keys) and PFMERGE. */
const UNION = new Uint8Array(HLL_REGISTERS);

function sparseMaxBytes(c: Client): number {
  return Number(c.server.config.num('hll-sparse-max-bytes'));
}

/** isHLLObjectOrReply: a string holding a plausible HLL, or an error reply (and false). */
function checkHll(c: Client, v: Value): v is string | Buffer {
  // A Buffer is a string value (the usual HLL, once edited): no need for the type lookup.
  if (!(v instanceof Buffer) && !isString(v)) {
    c.error(WRONGTYPE);
    return false;
  }
  if (!isValidHll(v)) {
    c.error(NOT_HLL);
    return false;
  }
  return true;
}

/**
 * The value of `key` as a Buffer to edit in place (dbUnshareStringValue): a Buffer value is the
 * key's own; a string value is replaced by a Buffer copy. (A snapshot in progress has been told
 * of the change by the lookup for writing, or must be told by the caller.)
 */
function unshare(c: Client, key: string, v: string | Buffer): Buffer {
  if (typeof v !== 'string') return v;
  const copy = editableCopy(v);
  c.db.overwrite(key, copy);
  return copy;
}

/** Store an edited value if editing replaced its Buffer (growth or promotion to dense). */
function storeIfReplaced(c: Client, key: string, before: Buffer, ref: HllRef): void {
  if (ref.buf !== before) c.db.overwrite(key, ref.buf);
}

// ---------------------------------------------------------------------------------------------
// PFADD key [element ...]
// ---------------------------------------------------------------------------------------------

function pfadd(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = c.db.lookupWrite(key);
  if (v !== undefined && !checkHll(c, v)) return;
  let updated: number;
  if (argv.length === 3 && v instanceof Buffer && encodingOf(v) === HLL_DENSE) {
    // The usual PFADD: one element into a dense value, whose register is raised in place (a
    // dense value never grows or moves, so none of addElements' bookkeeping is needed).
    updated = denseAddPattern(v, elementPattern(argv[2])) ? 1 : 0;
    if (updated > 0) invalidateCache(v);
  } else {
    updated = addElements(c, key, v, argv);
    if (updated < 0) return;
  }
  if (updated > 0) {
    signalModified(c, key);
    notify(c, '$', 'pfadd', key);
    dirty(c, updated);
  }
  c.reply.int(updated > 0 ? 1 : 0);
}

/**
 * PFADD's general case: create the key if missing, add the elements (a sparse value may grow or
 * turn dense) and store the result. Returns how many registers changed (creating the key counts
 * as one), or -1 after an error reply.
 */
function addElements(c: Client, key: string, v: string | Buffer | undefined, argv: string[]): number {
  let updated = 0;
  let buf: Buffer;
  if (v === undefined) {
    buf = createHll();
    c.db.add(key, buf);
    updated++;
  } else {
    buf = unshare(c, key, v);
  }
  const ref = new HllRef(buf);
  const maxBytes = argv.length > 2 && encodingOf(buf) === HLL_SPARSE ? sparseMaxBytes(c) : 0;
  for (let j = 2; j < argv.length; j++) {
    const r = addPattern(ref, elementPattern(argv[j]), maxBytes);
    if (r === 1) updated++;
    else if (r < 0) {
      // What was added before the corruption was met stays, as in Valkey.
      storeIfReplaced(c, key, buf, ref);
      c.error(INVALID_HLL);
      return -1;
    }
  }
  storeIfReplaced(c, key, buf, ref);
  if (updated > 0) invalidateCache(ref.buf);
  return updated;
}

// ---------------------------------------------------------------------------------------------
// PFCOUNT key [key ...]
// ---------------------------------------------------------------------------------------------

/** Reply a cardinality as Valkey's addReplyLongLong of the unsigned value does. */
function replyCard(c: Client, card: number | bigint): void {
  c.reply.int(typeof card === 'bigint' ? BigInt.asIntN(64, card) : card);
}

function pfcount(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    pfcountUnion(c, argv);
    return;
  }
  const key = argv[1];
  const v = c.db.lookupRead(key);
  if (v === undefined) {
    c.reply.int(0);
    return;
  }
  if (!checkHll(c, v)) return;
  const buf = unshare(c, key, v);
  if (isCacheValid(buf)) {
    replyCard(c, cachedCard(buf));
    return;
  }
  const card = countHll(buf);
  if (card === null) {
    c.error(INVALID_HLL);
    return;
  }
  // Caching the result changes the value: it is propagated like a write.
  if (c.db.guard !== null) c.db.guard.beforeChange(c.db, key);
  setCachedCard(buf, card);
  signalModified(c, key);
  dirty(c);
  replyCard(c, card);
}

/** The union of several HLLs (missing keys are empty); null after an error reply. */
function unionOf(c: Client, keys: string[], from: number, onDense?: () => void): Uint8Array | null {
  UNION.fill(0);
  for (let j = from; j < keys.length; j++) {
    const v = c.db.lookupRead(keys[j]);
    if (v === undefined) continue;
    if (!checkHll(c, v)) return null;
    const buf = typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
    if (onDense !== undefined && encodingOf(buf) === HLL_DENSE) onDense();
    if (!mergeInto(UNION, buf)) {
      c.error(INVALID_HLL);
      return null;
    }
  }
  return UNION;
}

function pfcountUnion(c: Client, argv: string[]): void {
  const union = unionOf(c, argv, 1);
  if (union !== null) replyCard(c, countRegisters(union));
}

// ---------------------------------------------------------------------------------------------
// PFMERGE destkey [sourcekey ...]
// ---------------------------------------------------------------------------------------------

function pfmerge(c: Client, argv: string[]): void {
  const key = argv[1];
  let useDense = false;
  // The destination is one of the inputs (argv[1] included).
  const union = unionOf(c, argv, 1, () => (useDense = true));
  if (union === null) return;
  const v = c.db.lookupWrite(key);
  let buf: Buffer;
  if (v === undefined) {
    buf = createHll();
    c.db.add(key, buf);
  } else {
    // Already checked as an input.
    buf = unshare(c, key, v as string | Buffer);
  }
  const ref = new HllRef(buf);
  // A dense input makes the result dense at once; otherwise it stays sparse while it can.
  if (useDense && !sparseToDense(ref)) {
    c.error(INVALID_HLL);
    return;
  }
  if (useDense) {
    denseCompress(ref.buf, union);
  } else {
    const maxBytes = sparseMaxBytes(c);
    for (let r = 0; r < HLL_REGISTERS; r++) if (union[r] !== 0) raiseRegister(ref, r, union[r], maxBytes);
  }
  storeIfReplaced(c, key, buf, ref);
  invalidateCache(ref.buf);
  signalModified(c, key);
  // PFMERGE is a mass PFADD, and its event says so.
  notify(c, '$', 'pfadd', key);
  dirty(c);
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------
// PFDEBUG <subcommand> <key> / PFDEBUG SIMD ON|OFF, PFSELFTEST
// ---------------------------------------------------------------------------------------------

function pfdebug(c: Client, argv: string[]): void {
  const sub = argv[1];
  if (is(sub, 'simd')) {
    // Fjord has no SIMD paths to switch: the answer is always "disabled". Valkey follows the
    // error for a bad argument with the status too (two replies to one command, which puts a
    // client out of step); Fjord replies with the error alone.
    if (!is(argv[2], 'on') && !is(argv[2], 'off')) c.error('ERR Argument must be ON or OFF');
    else c.reply.simple('disabled');
    return;
  }
  const key = argv[2];
  const v = c.db.lookupWrite(key);
  if (v === undefined) {
    c.error('ERR The specified key does not exist');
    return;
  }
  if (!checkHll(c, v)) return;
  const buf = unshare(c, key, v);
  if (is(sub, 'getreg')) pfdebugGetreg(c, key, buf);
  else if (is(sub, 'decode')) {
    if (encodingOf(buf) !== HLL_SPARSE) c.error('ERR HLL encoding is not sparse');
    else c.reply.bulk(decodeSparse(buf));
  } else if (is(sub, 'encoding')) {
    c.reply.simple(encodingOf(buf) === HLL_DENSE ? 'dense' : 'sparse');
  } else if (is(sub, 'todense')) {
    const converted = toDense(c, key, new HllRef(buf));
    if (converted >= 0) c.reply.int(converted);
  } else {
    c.error(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/**
 * Make the value in `ref` dense (PFDEBUG GETREG / TODENSE): 1 if it was converted, 0 if it was
 * dense already, -1 after an error reply. The conversion is propagated (dirty), not signalled.
 */
function toDense(c: Client, key: string, ref: HllRef): number {
  if (encodingOf(ref.buf) !== HLL_SPARSE) return 0;
  if (!sparseToDense(ref)) {
    c.error(INVALID_HLL);
    return -1;
  }
  c.db.overwrite(key, ref.buf);
  dirty(c);
  return 1;
}

function pfdebugGetreg(c: Client, key: string, buf: Buffer): void {
  const ref = new HllRef(buf);
  if (toDense(c, key, ref) < 0) return;
  const registers = denseRegisters(ref.buf);
  c.reply.array(registers.length);
  for (const r of registers) c.reply.int(r);
}

function pfselftest(c: Client): void {
  const failure = selfTest(sparseMaxBytes(c));
  if (failure === null) c.reply.ok();
  else c.error('ERR ' + failure);
}

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };

export const hyperloglogCommands: CommandDef[] = [
  {
    name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], acl: ['hyperloglog'], handler: pfadd,
    keySpecs: [ks.one(1, 'RW', 'INSERT')],
    summary: 'Adds elements to a HyperLogLog, creating the key when missing.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(1) to add every element.',
    args: [KEY, { name: 'element', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], acl: ['hyperloglog'], handler: pfcount,
    keySpecs: [{ ...ks.rest(1, 1, 'RW', 'ACCESS'), notes: 'RW because it may change the internal representation of the key, and propagate to replicas' }],
    summary: 'Estimates the number of distinct elements seen by one HyperLogLog, or by the union of several.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
    args: [{ ...KEY, multiple: true }],
  },
  {
    name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], acl: ['hyperloglog'], handler: pfmerge,
    keySpecs: [ks.one(1, 'RW', 'ACCESS', 'INSERT'), ks.rest(2, 1, 'RO', 'ACCESS')],
    summary: 'Stores the union of HyperLogLogs in a key.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
    args: [{ name: 'destkey', type: 'key', key_spec_index: 0 }, { name: 'sourcekey', type: 'key', key_spec_index: 1, optional: true, multiple: true }],
  },
  {
    name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], acl: ['hyperloglog'], handler: pfdebug,
    keySpecs: [ks.one(2, 'RW', 'ACCESS')], docFlags: ['syscmd'],
    summary: 'Internal commands to inspect and convert HyperLogLog values.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'N/A',
    args: [{ name: 'subcommand', type: 'string' }, KEY],
  },
  {
    name: 'pfselftest', arity: 1, flags: ['admin'], acl: ['hyperloglog'], handler: pfselftest, docFlags: ['syscmd'],
    summary: 'Runs the internal self test of the HyperLogLog implementation.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'N/A',
  },
];
