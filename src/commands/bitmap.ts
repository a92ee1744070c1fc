// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
//
// Bitmaps are string values; bit 0 is the most significant bit of the first byte. Commands that
// write bits turn the value into an editable Buffer (see string.ts) and edit it in place.

import type { ArgDoc, CommandDef } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import { SYNTAX_ERR, dirty, is } from './util';
import { parseLongLong } from '../util/numbers';
import {
  readString,
  writeString,
  bytesOf,
  editableValue,
  newEditable,
  type Int64,
  exactIntArg,
  parseExactInt,
  maxStringLength,
  signalModified,
  notify,
} from './string';

const BIT_OFFSET_ERR = 'ERR bit offset is not an integer or out of range';
const BIT_VALUE_ERR = 'ERR bit is not an integer or out of range';
const BITFIELD_TYPE_ERR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/**
 * Parse a bit offset (Valkey's getBitOffsetFromArgument). With `bits` > 0, "#N" means N * bits
 * (BITFIELD). The bit must lie within proto-max-bulk-len bytes (2^32 - 1 at the default 512MB).
 */
function bitOffsetArg(c: Client, arg: string, bits = 0): number | null {
  const useHash = bits > 0 && arg.charCodeAt(0) === 35; /* # */
  const n = parseExactInt(useHash ? arg.slice(1) : arg);
  if (n === null) {
    c.error(BIT_OFFSET_ERR);
    return null;
  }
  let offset = typeof n === 'number' ? n * (useHash ? bits : 1) : NaN;
  if (!Number.isSafeInteger(offset)) {
    // Only a huge value gets here: it is out of range unless the client must be obeyed.
    const big = BigInt(n) * BigInt(useHash ? bits : 1);
    offset = big < 0n ? -1 : Number(big);
  }
  if (offset < 0 || Math.floor(offset / 8) >= maxStringLength(c)) {
    c.error(BIT_OFFSET_ERR);
    return null;
  }
  return offset;
}

/**
 * The bitmap at argv[1] for a command that writes up to bit `maxBit`: created or zero-padded as
 * needed, editable in place (Valkey's lookupStringForBitCommand). null after a WRONGTYPE reply.
 * `grew` tells whether the key was created or lengthened.
 */
function bitmapForWrite(c: Client, key: string, maxBit: number): { buf: Buffer; grew: boolean } | null {
  const v = writeString(c, key);
  if (v === null) return null;
  const need = Math.floor(maxBit / 8) + 1;
  const oldLen = v === undefined ? -1 : v.length;
  const buf = editableValue(c, key, v, need);
  return { buf, grew: buf.length !== oldLen };
}

/** Population count per byte value. */
const POPCOUNT8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT8[i] = (i & 1) + POPCOUNT8[i >> 1];

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of set bits in buf[start..end). Counts whole 32-bit words where alignment allows. */
function popcount(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end && (buf.byteOffset + i) % 4 !== 0) n += POPCOUNT8[buf[i++]];
  const words = Math.floor((end - i) / 4);
  if (words > 0) {
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let w = 0; w < words; w++) n += popcount32(u32[w]);
    i += words * 4;
  }
  while (i < end) n += POPCOUNT8[buf[i++]];
  return n;
}

/**
 * Position of the first bit equal to `bit` in `count` bytes from `start` (Valkey's
 * serverBitpos): when looking for a 0 and there is none, the bit right after the range
 * (count * 8); when looking for a 1 and there is none, -1.
 */
function firstBit(buf: Buffer, start: number, count: number, bit: number): number {
  const skip = bit ? 0x00 : 0xff;
  let i = 0;
  while (i < count && buf[start + i] === skip) i++;
  if (i === count) return bit ? -1 : count * 8;
  const byte = buf[start + i];
  for (let b = 0; b < 8; b++) {
    if (((byte >> (7 - b)) & 1) === bit) return i * 8 + b;
  }
  return -1; // unreachable: the byte differs from `skip`
}

/** BITCOUNT / BITPOS range unit. */
function parseUnit(c: Client, arg: string): boolean | null {
  if (is(arg, 'bit')) return true;
  if (is(arg, 'byte')) return false;
  c.error(SYNTAX_ERR);
  return null;
}

interface BitRange {
  /** first and last byte, inclusive (start > end means empty) */
  start: number;
  end: number;
  /** in BIT mode, the bits of the first/last byte outside the range */
  firstMask: number;
  lastMask: number;
}

/** Resolve a possibly negative start/end (in bytes or bits) against a string of `len` bytes. */
function resolveRange(start: number, end: number, len: number, isBit: boolean): BitRange {
  const total = isBit ? len * 8 : len;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  let firstMask = 0;
  let lastMask = 0;
  if (isBit && start <= end) {
    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
    lastMask = (1 << (7 - (end & 7))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

/** Parsed [start [end [BYTE|BIT]]] arguments from argv[from]. */
interface RangeArgs {
  /** exact values (bigints beyond 2^53), so that comparisons between them are exact */
  start: Int64;
  end: Int64 | null;
  isBit: boolean;
}

/** Parse start, end and unit in Valkey's order (unit before end). null after an error reply. */
function parseRangeArgs(c: Client, argv: string[], from: number): RangeArgs | null {
  const start = exactIntArg(c, argv[from]);
  if (start === null) return null;
  let isBit = false;
  if (argv.length === from + 3) {
    const unit = parseUnit(c, argv[from + 2]);
    if (unit === null) return null;
    isBit = unit;
  }
  let end: Int64 | null = null;
  if (argv.length >= from + 2) {
    end = exactIntArg(c, argv[from + 1]);
    if (end === null) return null;
  }
  return { start, end, isBit };
}

// ---------------------------------------------------------------------------------------------
// SETBIT / GETBIT
// ---------------------------------------------------------------------------------------------

function setbit(c: Client, argv: string[]): void {
  const key = argv[1];
  const offset = bitOffsetArg(c, argv[2]);
  if (offset === null) return;
  const on = parseLongLong(argv[3]);
  if (on !== 0 && on !== 1) {
    c.error(BIT_VALUE_ERR);
    return;
  }
  const bm = bitmapForWrite(c, key, offset);
  if (bm === null) return;
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset & 7));
  const old = (bm.buf[byte] & mask) !== 0 ? 1 : 0;
  if (bm.grew || old !== on) {
    bm.buf[byte] = on ? bm.buf[byte] | mask : bm.buf[byte] & ~mask;
    signalModified(c, key);
    notify(c, '$', 'setbit', key);
    dirty(c);
  }
  c.reply.int(old);
}

function getbit(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]);
  if (offset === null) return;
  const v = readString(c, argv[1]);
  if (v === null) return;
  const byte = Math.floor(offset / 8);
  let bit = 0;
  if (v !== undefined && byte < v.length) {
    const b = typeof v === 'string' ? v.charCodeAt(byte) : v[byte];
    bit = (b >> (7 - (offset & 7))) & 1;
  }
  c.reply.int(bit);
}

// ---------------------------------------------------------------------------------------------
// BITCOUNT / BITPOS
// ---------------------------------------------------------------------------------------------

function bitcount(c: Client, argv: string[]): void {
  if (argv.length > 5) {
    c.error(SYNTAX_ERR);
    return;
  }
  let args: RangeArgs | null = null;
  if (argv.length > 2) {
    args = parseRangeArgs(c, argv, 2);
    if (args === null) return;
  }
  const v = readString(c, argv[1]);
  if (v === null) return;
  if (v === undefined) {
    c.reply.int(0);
    return;
  }
  const len = v.length;
  let range: BitRange;
  if (args === null) {
    range = { start: 0, end: len - 1, firstMask: 0, lastMask: 0 };
  } else {
    const end = args.end ?? len - 1;
    if (args.start < 0 && end < 0 && args.start > end) {
      c.reply.int(0);
      return;
    }
    range = resolveRange(Number(args.start), Number(end), len, args.isBit);
  }
  if (range.start > range.end) {
    c.reply.int(0);
    return;
  }
  const buf = bytesOf(v);
  let count = popcount(buf, range.start, range.end + 1);
  // Bits of the edge bytes outside a BIT range were counted: take them back out.
  if (range.firstMask) count -= POPCOUNT8[buf[range.start] & range.firstMask];
  if (range.lastMask) count -= POPCOUNT8[buf[range.end] & range.lastMask];
  c.reply.int(count);
}

function bitpos(c: Client, argv: string[]): void {
  const bitArg = exactIntArg(c, argv[2]);
  if (bitArg === null) return;
  if (bitArg !== 0 && bitArg !== 1) {
    c.error('ERR The bit argument must be 1 or 0.');
    return;
  }
  const bit: number = bitArg;
  if (argv.length > 6) {
    c.error(SYNTAX_ERR);
    return;
  }
  let args: RangeArgs | null = null;
  if (argv.length > 3) {
    args = parseRangeArgs(c, argv, 3);
    if (args === null) return;
  }
  const v = readString(c, argv[1]);
  if (v === null) return;
  if (v === undefined) {
    // A missing key is an endless run of zeros.
    c.reply.int(bit ? -1 : 0);
    return;
  }
  const len = v.length;
  const endGiven = args !== null && args.end !== null;
  const range = args === null ? { start: 0, end: len - 1, firstMask: 0, lastMask: 0 } : resolveRange(Number(args.start), Number(args.end ?? len - 1), len, args.isBit);
  if (range.start > range.end) {
    c.reply.int(-1);
    return;
  }
  c.reply.int(findBitInRange(bytesOf(v), range, bit, endGiven));
}

/** BITPOS's search within a resolved range, honouring partial edge bytes in BIT mode. */
function findBitInRange(buf: Buffer, range: BitRange, bit: number, endGiven: boolean): number {
  const { firstMask, lastMask, end } = range;
  let start = range.start;
  let bytes = end - start + 1;
  const one = Buffer.alloc(1);
  // An edge byte with the out-of-range bits forced to the value we are not looking for.
  const masked = (b: number, mask: number): number => (bit ? b & ~mask : b | mask) & 0xff;
  let pos = -1;
  search: {
    if (firstMask) {
      let b = masked(buf[start], firstMask);
      if (lastMask && bytes === 1) b = masked(b, lastMask);
      one[0] = b;
      pos = firstBit(one, 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break search;
      start++;
      bytes--;
    }
    const middle = bytes - (lastMask ? 1 : 0);
    if (middle > 0) {
      pos = firstBit(buf, start, middle, bit);
      if (bytes === middle || (pos !== -1 && pos !== middle * 8)) break search;
      start += middle;
      bytes -= middle;
    }
    one[0] = masked(buf[end], lastMask);
    pos = firstBit(one, 0, 1, bit);
  }
  // Looking for a 0 in an explicit range: running off its end means there is none.
  if (endGiven && bit === 0 && pos === bytes * 8) return -1;
  return pos === -1 ? -1 : pos + start * 8;
}

// ---------------------------------------------------------------------------------------------
// BITOP
// ---------------------------------------------------------------------------------------------

const BITOP_AND = 0;
const BITOP_OR = 1;
const BITOP_XOR = 2;
const BITOP_NOT = 3;
/** a missing source key: a string of zero bytes */
const EMPTY = Buffer.alloc(0);

function bitopCode(name: string): number {
  if (is(name, 'and')) return BITOP_AND;
  if (is(name, 'or')) return BITOP_OR;
  if (is(name, 'xor')) return BITOP_XOR;
  if (is(name, 'not')) return BITOP_NOT;
  return -1;
}

/** Combine the sources byte by byte; shorter (or missing) sources count as zeros. */
function bitopCompute(op: number, sources: Buffer[], maxLen: number): Buffer {
  const res = newEditable(maxLen);
  const first = sources[0];
  if (op === BITOP_NOT) {
    for (let j = 0; j < maxLen; j++) res[j] = ~first[j] & 0xff;
    return res;
  }
  first.copy(res, 0);
  for (let i = 1; i < sources.length; i++) {
    const src = sources[i];
    const n = src.length;
    if (op === BITOP_AND) {
      for (let j = 0; j < n; j++) res[j] &= src[j];
      res.fill(0, n);
    } else if (op === BITOP_OR) {
      for (let j = 0; j < n; j++) res[j] |= src[j];
    } else {
      for (let j = 0; j < n; j++) res[j] ^= src[j];
    }
  }
  return res;
}

function bitop(c: Client, argv: string[]): void {
  const op = bitopCode(argv[1]);
  if (op < 0) {
    c.error(SYNTAX_ERR);
    return;
  }
  if (op === BITOP_NOT && argv.length !== 4) {
    c.error('ERR BITOP NOT must be called with a single source key.');
    return;
  }
  const target = argv[2];
  const sources: Buffer[] = [];
  let maxLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = readString(c, argv[j]);
    if (v === null) return;
    const buf = v === undefined ? EMPTY : bytesOf(v);
    sources.push(buf);
    if (buf.length > maxLen) maxLen = buf.length;
  }
  const db = c.db;
  if (maxLen > 0) {
    db.setKey(target, bitopCompute(op, sources, maxLen));
    notify(c, '$', 'set', target);
    dirty(c);
  } else if (db.delete(target)) {
    // Every source is empty: the result is the empty string, which means no key.
    notify(c, 'g', 'del', target);
    dirty(c);
  }
  c.reply.int(maxLen);
}

// ---------------------------------------------------------------------------------------------
// BITFIELD / BITFIELD_RO
// ---------------------------------------------------------------------------------------------

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;
const OVERFLOW_WRAP = 0;
const OVERFLOW_SAT = 1;
const OVERFLOW_FAIL = 2;

interface BitfieldOp {
  opcode: number;
  offset: number;
  /** SET value or INCRBY increment */
  value: bigint;
  overflow: number;
  bits: number;
  signed: boolean;
}

/** "i<1..64>" or "u<1..63>" (getBitfieldTypeFromArgument). */
function bitfieldTypeArg(c: Client, arg: string): { signed: boolean; bits: number } | null {
  const kind = arg.charCodeAt(0);
  const signed = kind === 105; /* i */
  const bits = kind === 105 || kind === 117 /* u */ ? parseLongLong(arg.slice(1)) : null;
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) {
    c.error(BITFIELD_TYPE_ERR);
    return null;
  }
  return { signed, bits };
}

function overflowType(name: string): number {
  if (is(name, 'wrap')) return OVERFLOW_WRAP;
  if (is(name, 'sat')) return OVERFLOW_SAT;
  if (is(name, 'fail')) return OVERFLOW_FAIL;
  return -1;
}

/** Parse the subcommands; null after an error reply. */
function parseBitfieldOps(c: Client, argv: string[]): BitfieldOp[] | null {
  const ops: BitfieldOp[] = [];
  let overflow = OVERFLOW_WRAP;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j];
    let opcode: number;
    if (is(sub, 'get') && remaining >= 2) opcode = OP_GET;
    else if (is(sub, 'set') && remaining >= 3) opcode = OP_SET;
    else if (is(sub, 'incrby') && remaining >= 3) opcode = OP_INCRBY;
    else if (is(sub, 'overflow') && remaining >= 1) {
      overflow = overflowType(argv[++j]);
      if (overflow < 0) {
        c.error('ERR Invalid OVERFLOW type specified');
        return null;
      }
      continue;
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
    const type = bitfieldTypeArg(c, argv[j + 1]);
    if (type === null) return null;
    const offset = bitOffsetArg(c, argv[j + 2], type.bits);
    if (offset === null) return null;
    let value = 0n;
    if (opcode !== OP_GET) {
      const n = exactIntArg(c, argv[j + 3]);
      if (n === null) return null;
      value = BigInt(n);
    }
    ops.push({ opcode, offset, value, overflow, bits: type.bits, signed: type.signed });
    j += opcode === OP_GET ? 2 : 3;
  }
  return ops;
}

/** Read `bits` bits at bit `offset` as an unsigned integer; bytes past the end read as 0. */
function readBits(src: Buffer | null, offset: number, bits: number): bigint {
  let v = 0n;
  for (let k = 0; k < bits; k++, offset++) {
    const byte = Math.floor(offset / 8);
    const b = src !== null && byte < src.length ? (src[byte] >> (7 - (offset & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(b);
  }
  return v;
}

/** Write the low `bits` bits of `value` (two's complement) at bit `offset`. */
function writeBits(buf: Buffer, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(bits, value);
  for (let k = bits - 1; k >= 0; k--, offset++) {
    const byte = Math.floor(offset / 8);
    const mask = 1 << (7 - (offset & 7));
    if ((u >> BigInt(k)) & 1n) buf[byte] |= mask;
    else buf[byte] &= ~mask;
  }
}

const asI64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/**
 * Valkey's checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow, with C's 64-bit
 * wrapping arithmetic reproduced, since the quirks of that arithmetic are visible in replies.
 * Returns the value to store, or null when OVERFLOW FAIL refuses the operation.
 */
function applyIncrement(value: bigint, incr: bigint, bits: number, signed: boolean, overflow: number): bigint | null {
  let over = 0; // 1 overflow, -1 underflow
  let limit: bigint;
  if (signed) {
    const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
    const min = -max - 1n;
    const maxIncr = asI64(max - value);
    const minIncr = asI64(min - value);
    if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) over = 1;
    else if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) over = -1;
    limit = over > 0 ? max : min;
    if (over === 0) return value + incr;
    if (overflow === OVERFLOW_WRAP) return BigInt.asIntN(bits, value + incr);
  } else {
    const max = (1n << BigInt(bits)) - 1n;
    // `value` is an unsigned 64-bit quantity here (a negative SET value wraps around).
    const u = BigInt.asUintN(64, value);
    if (u > max || (incr > 0n && incr > asI64(max - u))) over = 1;
    else if (incr < 0n && incr < asI64(-u)) over = -1;
    limit = over > 0 ? max : 0n;
    if (over === 0) return u + incr;
    if (overflow === OVERFLOW_WRAP) return BigInt.asUintN(bits, u + incr);
  }
  return overflow === OVERFLOW_SAT ? limit : null;
}

/** Execute one SET/INCRBY and reply its result: null if OVERFLOW FAIL refused it, else whether the bits changed. */
function bitfieldWrite(c: Client, buf: Buffer, op: BitfieldOp): boolean | null {
  const raw = readBits(buf, op.offset, op.bits);
  const old = op.signed ? BigInt.asIntN(op.bits, raw) : raw;
  const isIncr = op.opcode === OP_INCRBY;
  const next = isIncr ? applyIncrement(old, op.value, op.bits, op.signed, op.overflow) : applyIncrement(op.value, 0n, op.bits, op.signed, op.overflow);
  if (next === null) {
    c.reply.nullBulk();
    return null;
  }
  c.reply.int(isIncr ? next : old);
  writeBits(buf, op.offset, op.bits, next);
  return next !== old;
}

function bitfieldGeneric(c: Client, argv: string[], readOnlyCommand: boolean): void {
  const key = argv[1];
  const ops = parseBitfieldOps(c, argv);
  if (ops === null) return;
  let highestBit = -1;
  for (const op of ops) if (op.opcode !== OP_GET) highestBit = Math.max(highestBit, op.offset + op.bits - 1);

  let buf: Buffer | null = null;
  let grew = false;
  if (highestBit < 0) {
    const v = readString(c, key);
    if (v === null) return;
    if (v !== undefined) buf = bytesOf(v);
  } else {
    if (readOnlyCommand) {
      c.error('ERR BITFIELD_RO only supports the GET subcommand');
      return;
    }
    const bm = bitmapForWrite(c, key, highestBit);
    if (bm === null) return;
    buf = bm.buf;
    grew = bm.grew;
  }

  c.reply.array(ops.length);
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === OP_GET) {
      const raw = readBits(buf, op.offset, op.bits);
      c.reply.int(op.signed ? BigInt.asIntN(op.bits, raw) : raw);
    } else {
      const changed = bitfieldWrite(c, buf!, op);
      if (changed === true || (changed === false && grew)) changes++;
    }
  }
  // A key created or padded by a write counts as a change even if every write then failed,
  // so that replicas and the AOF learn about it.
  if (grew && changes === 0) changes = 1;
  if (changes > 0) {
    signalModified(c, key);
    notify(c, '$', 'setbit', key);
    dirty(c, changes);
  }
}

/**
 * COMMAND GETKEYSANDFLAGS for BITFIELD (Valkey's bitfieldGetKeys): read-only unless a SET or
 * INCRBY subcommand is present.
 */
function bitfieldKeysAndFlags(argv: string[]): [number, string[]][] {
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    if (is(argv[j], 'get') && remaining >= 2) j += 2;
    else if ((is(argv[j], 'set') || is(argv[j], 'incrby')) && remaining >= 3) return [[1, ['RW', 'ACCESS', 'UPDATE']]];
    else if (is(argv[j], 'overflow') && remaining >= 1) j += 1;
    // anything else is skipped: the command itself will reject it
  }
  return [[1, ['RO', 'ACCESS']]];
}

function bitfield(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

function bitfieldRo(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const KEY_ARG: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const UNIT_ARG: ArgDoc = {
  name: 'unit', type: 'oneof', optional: true, since: '7.0.0',
  arguments: [
    { name: 'byte', type: 'pure-token', token: 'BYTE' },
    { name: 'bit', type: 'pure-token', token: 'BIT' },
  ],
};
const RANGE_ARG: ArgDoc = {
  name: 'range', type: 'block', optional: true,
  arguments: [
    { name: 'start', type: 'integer' },
    { name: 'end-unit-block', type: 'block', optional: true, arguments: [{ name: 'end', type: 'integer' }, UNIT_ARG] },
  ],
};
const BITFIELD_GET_ARG: ArgDoc = {
  name: 'get-block', type: 'block', token: 'GET',
  arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }],
};

export const bitmapCommands: CommandDef[] = [
  {
    name: 'setbit', arity: 4, flags: ['write', 'denyoom'], acl: ['bitmap'], keySpecs: [ks.one(1, 'RW', 'ACCESS', 'UPDATE')], handler: setbit,
    summary: 'Sets or clears one bit of a string value; creates the key if needed.', since: '2.2.0', group: 'bitmap', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
  },
  {
    name: 'getbit', arity: 3, flags: ['readonly', 'fast'], acl: ['bitmap'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: getbit,
    summary: 'Returns one bit of a string value.', since: '2.2.0', group: 'bitmap', complexity: 'O(1)',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }],
  },
  {
    name: 'bitcount', arity: -2, flags: ['readonly'], acl: ['bitmap'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: bitcount,
    summary: 'Counts the bits set to 1 in a string value.', since: '2.6.0', group: 'bitmap', complexity: 'O(N)',
    history: [
      ['7.0.0', 'Added the `BYTE|BIT` option.'],
      ['8.0.0', '`end` made optional; when called without argument the command reports the last BYTE.'],
    ],
    args: [KEY_ARG, RANGE_ARG],
  },
  {
    name: 'bitpos', arity: -3, flags: ['readonly'], acl: ['bitmap'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: bitpos,
    summary: 'Finds the first bit set to 1 or 0 in a string value.', since: '2.8.7', group: 'bitmap', complexity: 'O(N)',
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    args: [KEY_ARG, { name: 'bit', type: 'integer' }, RANGE_ARG],
  },
  {
    name: 'bitop', arity: -4, flags: ['write', 'denyoom'], acl: ['bitmap'],
    keySpecs: [ks.one(2, 'OW', 'UPDATE'), ks.rest(3, 1, 'RO', 'ACCESS')], handler: bitop,
    summary: 'Combines string values bit by bit (AND, OR, XOR, NOT) and stores the result.', since: '2.6.0', group: 'bitmap', complexity: 'O(N)',
    args: [
      {
        name: 'operation', type: 'oneof',
        arguments: [
          { name: 'and', type: 'pure-token', token: 'AND' },
          { name: 'or', type: 'pure-token', token: 'OR' },
          { name: 'xor', type: 'pure-token', token: 'XOR' },
          { name: 'not', type: 'pure-token', token: 'NOT' },
        ],
      },
      { name: 'destkey', type: 'key', key_spec_index: 0 },
      { name: 'key', type: 'key', key_spec_index: 1, multiple: true },
    ],
  },
  {
    name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], acl: ['bitmap'],
    keySpecs: [{ ...ks.one(1, 'RW', 'UPDATE', 'ACCESS', 'VARIABLE_FLAGS'), notes: 'This command allows both access and modification of the key' }],
    getKeysAndFlags: bitfieldKeysAndFlags,
    handler: bitfield,
    summary: 'Reads and writes integers of any width and position in a string value.', since: '3.2.0', group: 'bitmap', complexity: 'O(1) for each subcommand specified',
    args: [
      KEY_ARG,
      {
        name: 'operation', type: 'oneof', optional: true, multiple: true,
        arguments: [
          BITFIELD_GET_ARG,
          {
            name: 'write', type: 'block',
            arguments: [
              {
                name: 'overflow-block', type: 'oneof', token: 'OVERFLOW', optional: true,
                arguments: [
                  { name: 'wrap', type: 'pure-token', token: 'WRAP' },
                  { name: 'sat', type: 'pure-token', token: 'SAT' },
                  { name: 'fail', type: 'pure-token', token: 'FAIL' },
                ],
              },
              {
                name: 'write-operation', type: 'oneof',
                arguments: [
                  { name: 'set-block', type: 'block', token: 'SET', arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }] },
                  { name: 'incrby-block', type: 'block', token: 'INCRBY', arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'increment', type: 'integer' }] },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], acl: ['bitmap'], keySpecs: [ks.one(1, 'RO', 'ACCESS')], handler: bitfieldRo,
    summary: 'Reads integers of any width and position in a string value.', since: '6.0.0', group: 'bitmap', complexity: 'O(1) for each subcommand specified',
    args: [KEY_ARG, { ...BITFIELD_GET_ARG, name: 'get-block', optional: true, multiple: true, multiple_token: true }],
  },
];
