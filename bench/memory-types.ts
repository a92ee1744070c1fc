// Heap bytes per small collection, against Valkey's cost for the same data.
//
//   npx tsc -p . && node --expose-gc dist/bench/memory-types.js [count]
//
// Builds `count` (default 100,000) hashes of 10 fields, sets of 10 members (strings and
// integers) and sorted sets of 10 members, each from freshly made strings as the protocol
// parser would hand them over, and prints the V8 heap growth per collection. The Valkey
// column is the listpack (or intset) those elements make, rounded up to jemalloc's size
// class, plus the 16-byte robj; the key and its dict entry are left out on both sides.
// The goal is at most 2x Valkey.

import { HashObject } from '../src/types/hash';
import { SetObject } from '../src/types/set';
import { ZsetObject } from '../src/types/zset';
import { DEFAULT_LIMITS } from '../src/types/limits';
import { listpackEntryBytes } from '../src/types/list';
import { DataObject } from '../src/types/object';

const COUNT = Number(process.argv[2] ?? 100_000);
const ROBJ = 16;
const LP_OVERHEAD = 7;

/** A copy of `s` that shares nothing with other strings (as if read from a socket). */
function fresh(s: string): string {
  return Buffer.from(s, 'latin1').latin1Slice();
}

/** jemalloc small size classes (16-byte steps to 128, then 4 classes per doubling). */
function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  let group = 128;
  while (n > group * 2) group *= 2;
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run with node --expose-gc');
  g();
  g();
}

interface Case {
  name: string;
  build(i: number): DataObject;
  /** Valkey's bytes for collection i: robj + allocation of its listpack / intset. */
  valkeyBytes(i: number): number;
}

const FIELDS = 10;

function hashField(j: number): string {
  return 'field' + j;
}

function hashValue(i: number, j: number): string {
  return 'v' + i + '-' + j;
}

function member(i: number, j: number): string {
  return 'member:' + i + ':' + j;
}

const CASES: Case[] = [
  {
    name: 'hash, 10 fields (listpack)',
    build(i) {
      const h = new HashObject();
      for (let j = 0; j < FIELDS; j++) h.set(fresh(hashField(j)), fresh(hashValue(i, j)), DEFAULT_LIMITS);
      return h;
    },
    valkeyBytes(i) {
      let lp = LP_OVERHEAD;
      for (let j = 0; j < FIELDS; j++) lp += listpackEntryBytes(hashField(j)) + listpackEntryBytes(hashValue(i, j));
      return ROBJ + jemallocSize(lp);
    },
  },
  {
    name: 'set, 10 string members (listpack)',
    build(i) {
      const s = SetObject.create('m', FIELDS, DEFAULT_LIMITS);
      for (let j = 0; j < FIELDS; j++) s.add(fresh(member(i, j)), DEFAULT_LIMITS);
      return s;
    },
    valkeyBytes(i) {
      let lp = LP_OVERHEAD;
      for (let j = 0; j < FIELDS; j++) lp += listpackEntryBytes(member(i, j));
      return ROBJ + jemallocSize(lp);
    },
  },
  {
    name: 'set, 10 integers (intset)',
    build(i) {
      const s = SetObject.create('1', FIELDS, DEFAULT_LIMITS);
      for (let j = 0; j < FIELDS; j++) s.add(fresh(String((i % 3000) * 10 + j)), DEFAULT_LIMITS);
      return s;
    },
    valkeyBytes() {
      return ROBJ + jemallocSize(8 + 2 * FIELDS); // int16 encoding: every value < 32768
    },
  },
  {
    name: 'zset, 10 members, integer scores (listpack)',
    build(i) {
      const z = ZsetObject.create(FIELDS, 16, DEFAULT_LIMITS);
      for (let j = 0; j < FIELDS; j++) z.add(fresh(member(i, j)), j * 100, 0, DEFAULT_LIMITS);
      return z;
    },
    valkeyBytes(i) {
      let lp = LP_OVERHEAD;
      for (let j = 0; j < FIELDS; j++) lp += listpackEntryBytes(member(i, j)) + listpackEntryBytes(String(j * 100));
      return ROBJ + jemallocSize(lp);
    },
  },
  {
    name: 'zset, 10 members, fractional scores (listpack)',
    build(i) {
      const z = ZsetObject.create(FIELDS, 16, DEFAULT_LIMITS);
      for (let j = 0; j < FIELDS; j++) z.add(fresh(member(i, j)), j + 0.25, 0, DEFAULT_LIMITS);
      return z;
    },
    valkeyBytes(i) {
      let lp = LP_OVERHEAD;
      for (let j = 0; j < FIELDS; j++) lp += listpackEntryBytes(member(i, j)) + listpackEntryBytes(String(j + 0.25));
      return ROBJ + jemallocSize(lp);
    },
  },
];

function measure(c: Case): { fjord: number; valkey: number; encoding: string } {
  const keep: DataObject[] = new Array(COUNT);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < COUNT; i++) keep[i] = c.build(i);
  gc();
  const after = process.memoryUsage().heapUsed;
  let valkey = 0;
  for (let i = 0; i < COUNT; i++) valkey += c.valkeyBytes(i);
  // The holding array costs 8 bytes a slot; it stands for the keyspace, not the value.
  const fjord = (after - before) / COUNT - 8;
  return { fjord, valkey: valkey / COUNT, encoding: keep[0].encoding() };
}

function main(): void {
  console.log(`${COUNT} collections each; bytes per collection (key and keyspace entry excluded)\n`);
  const rows: string[][] = [['collection', 'encoding', 'fjord', 'valkey', 'ratio']];
  let worst = 0;
  for (const c of CASES) {
    const r = measure(c);
    const ratio = r.fjord / r.valkey;
    worst = Math.max(worst, ratio);
    rows.push([c.name, r.encoding, r.fjord.toFixed(0), r.valkey.toFixed(0), ratio.toFixed(2) + 'x']);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((row) => row[k].length)));
  for (const row of rows) console.log(row.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  '));
  console.log(`\nworst ratio ${worst.toFixed(2)}x (goal: at most 2x)`);
  if (worst > 2) process.exitCode = 1;
}

main();
