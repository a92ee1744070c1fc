// Valkey's listpack and ziplist byte formats: hand-checked vectors for every encoding, strict
// validation of corrupt input, and byte equality with the listpacks the reference server puts
// in its DUMP payloads.

import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  encodeListpack,
  decodeListpack,
  listpackInt,
  listpackEntrySize,
  listpackLength,
} from '../../src/persistence/rdb/listpack';
import { decodeZiplist, encodeZiplist } from '../../src/persistence/rdb/ziplist';
import { RdbFormatError, RdbReader } from '../../src/persistence/rdb/io';
import { RawClient, referenceAvailable, startReference, ReferenceServer } from '../helpers';

function hex(b: Buffer): string {
  return b.toString('hex');
}

/** A listpack from entry bytes (each entry: encoding+data hex, backlen hex). */
function lp(count: number, ...entries: string[]): string {
  const body = entries.join('');
  const total = 6 + body.length / 2 + 1;
  const h = Buffer.alloc(6);
  h.writeUInt32LE(total, 0);
  h.writeUInt16LE(count, 4);
  return hex(h) + body + 'ff';
}

test('empty listpack is header + end marker', () => {
  assert.equal(hex(encodeListpack([])), '070000000000ff');
  assert.deepEqual(decodeListpack(Buffer.from('070000000000ff', 'hex')), []);
});

test('integer encodings at every boundary', () => {
  const cases: [string, string][] = [
    ['0', '0001'],
    ['127', '7f01'],
    ['128', 'c08002'],
    ['-1', 'dfff02'],
    ['4095', 'cfff02'],
    ['-4096', 'd00002'],
    ['4096', 'f1001003'],
    ['-4097', 'f1ffef03'],
    ['32767', 'f1ff7f03'],
    ['-32768', 'f1008003'],
    ['32768', 'f200800004'],
    ['8388607', 'f2ffff7f04'],
    ['-8388608', 'f200008004'],
    ['8388608', 'f30000800005'],
    ['2147483647', 'f3ffffff7f05'],
    ['-2147483648', 'f30000008005'],
    ['2147483648', 'f4000000800000000009'],
    ['9223372036854775807', 'f4ffffffffffffff7f09'],
    ['-9223372036854775808', 'f4000000000000008009'],
    ['9007199254740993', 'f4010000000000200009'],
  ];
  for (const [s, entry] of cases) {
    const enc = encodeListpack([s]);
    assert.equal(hex(enc), lp(1, entry), s);
    assert.deepEqual(decodeListpack(enc), [s], s);
    assert.equal(listpackEntrySize(s), entry.length / 2, s);
  }
});

test('non-canonical numbers are strings', () => {
  for (const s of ['-0', '01', '+1', ' 1', '1 ', '1.0', '-', '', '9223372036854775808', '-9223372036854775809', '00', '1e3', '123456789012345678901']) {
    assert.equal(listpackInt(s), null, JSON.stringify(s));
    const enc = encodeListpack([s]);
    assert.equal(enc[6], 0x80 | s.length, JSON.stringify(s));
    assert.deepEqual(decodeListpack(enc), [s]);
  }
  assert.equal(listpackInt('-9223372036854775808'), -9223372036854775808n);
  assert.equal(listpackInt('123456789012345'), 123456789012345);
  assert.equal(listpackInt('-12'), -12);
});

test('string encodings: 6, 12 and 32 bit lengths and multi-byte backlens', () => {
  const s63 = 'a'.repeat(63);
  assert.equal(hex(encodeListpack([s63])), lp(1, 'bf' + hex(Buffer.from(s63)) + '40'));
  const s64 = 'b'.repeat(64);
  // 66 bytes of entry: backlen 66 = one byte
  assert.equal(hex(encodeListpack([s64])), lp(1, 'e040' + hex(Buffer.from(s64)) + '42'));
  const s200 = 'c'.repeat(200);
  // entry 202 bytes: backlen [202>>7, (202&127)|128] = 01 ca
  assert.equal(hex(encodeListpack([s200])), lp(1, 'e0c8' + hex(Buffer.from(s200)) + '01ca'));
  const s4095 = 'd'.repeat(4095);
  assert.equal(encodeListpack([s4095]).subarray(6, 8).toString('hex'), 'efff');
  const s5000 = 'e'.repeat(5000);
  const big = encodeListpack([s5000]);
  assert.equal(big.subarray(6, 11).toString('hex'), 'f088130000');
  // 5005 bytes of entry: backlen 0x27 0x8d (5005 = 39*128 + 13)
  assert.equal(big.subarray(11 + 5000, 11 + 5002).toString('hex'), '278d');
  for (const s of [s63, s64, s200, s4095, s5000]) assert.deepEqual(decodeListpack(encodeListpack([s])), [s]);
  const s20000 = 'f'.repeat(20000);
  // 20005 bytes: three backlen bytes
  assert.equal(listpackEntrySize(s20000), 20005 + 3);
  assert.deepEqual(decodeListpack(encodeListpack([s20000, '1'])), [s20000, '1']);
});

test('binary bytes survive (latin1)', () => {
  const s = '\x00\xff\r\n\x80abc';
  assert.deepEqual(decodeListpack(encodeListpack([s, '', 'x'])), [s, '', 'x']);
});

test('element count saturates at 65535 (unknown) and is then counted', () => {
  const items: string[] = [];
  for (let i = 0; i < 70000; i++) items.push(String(i % 300));
  const enc = encodeListpack(items);
  assert.equal(enc.readUInt16LE(4), 0xffff);
  assert.equal(listpackLength(enc), 70000);
  assert.deepEqual(decodeListpack(enc), items);
  const exact = encodeListpack(items.slice(0, 65534));
  assert.equal(exact.readUInt16LE(4), 65534);
});

test('random round trips', () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let iter = 0; iter < 300; iter++) {
    const items: string[] = [];
    const n = rnd(40);
    for (let i = 0; i < n; i++) {
      switch (rnd(4)) {
        case 0:
          items.push(String(rnd(2 ** 31) - 2 ** 30));
          break;
        case 1:
          items.push(String(BigInt(rnd(2 ** 31)) * BigInt(rnd(2 ** 31)) * (rnd(2) ? 1n : -1n)));
          break;
        case 2:
          items.push('x'.repeat(rnd(300)));
          break;
        default:
          items.push(String.fromCharCode(...Array.from({ length: rnd(10) }, () => rnd(256))));
      }
    }
    const enc = encodeListpack(items);
    assert.equal(enc.length, 7 + items.reduce((a, s) => a + listpackEntrySize(s), 0));
    assert.deepEqual(decodeListpack(enc), items);
  }
});

test('corrupt listpacks are rejected with RdbFormatError', () => {
  const good = encodeListpack(['a', '300', 'hello']);
  const bad: Buffer[] = [];
  bad.push(good.subarray(0, 5)); // too short
  const sizeWrong = Buffer.from(good);
  sizeWrong.writeUInt32LE(good.length + 1, 0);
  bad.push(sizeWrong);
  const noEof = Buffer.from(good);
  noEof[noEof.length - 1] = 0x00;
  bad.push(noEof);
  const countWrong = Buffer.from(good);
  countWrong.writeUInt16LE(4, 4);
  bad.push(countWrong);
  const backlenWrong = Buffer.from(good);
  backlenWrong[8] = 5; // the 'a' entry's backlen
  bad.push(backlenWrong);
  const badEncoding = Buffer.from(good);
  badEncoding[6] = 0xf5;
  bad.push(badEncoding);
  const overrun = Buffer.from(good);
  overrun[6] = 0xbf; // claims a 63-byte string
  bad.push(overrun);
  bad.push(Buffer.from(lp(1, 'f0ffffffff00'), 'hex')); // 32-bit length past the end
  bad.push(Buffer.from(lp(1, 'f1ff'), 'hex')); // truncated int
  for (const b of bad) assert.throws(() => decodeListpack(b), RdbFormatError, hex(b));
  assert.deepEqual(decodeListpack(good), ['a', '300', 'hello']);
});

// ---------------------------------------------------------------------------
// Ziplist (decoder only: Valkey never writes ziplists any more)
// ---------------------------------------------------------------------------

test('ziplist vectors decode', () => {
  // zlbytes zltail zllen | entries | ff. Entry: prevlen, encoding, data.
  // ["2", "5"] from the Redis ziplist documentation: f3 = 4-bit immediate 2, f6 = 5
  const doc = Buffer.from('0f000000' + '0c000000' + '0200' + '00f3' + '02f6' + 'ff', 'hex');
  assert.deepEqual(decodeZiplist(doc), ['2', '5']);
  const items = ['hello', '0', '12', '-1', '200', '-300', '70000', '-8388608', '2147483647', '-2147483649', '9223372036854775807', 'y'.repeat(300), 'z'.repeat(70000)];
  const zl = encodeZiplist(items);
  assert.deepEqual(decodeZiplist(zl), items);
});

test('corrupt ziplists are rejected', () => {
  const zl = encodeZiplist(['a', '1000', 'bb']);
  const sizeWrong = Buffer.from(zl);
  sizeWrong.writeUInt32LE(zl.length + 3, 0);
  const tailWrong = Buffer.from(zl);
  tailWrong.writeUInt32LE(11, 4);
  const countWrong = Buffer.from(zl);
  countWrong.writeUInt16LE(7, 8);
  const prevWrong = Buffer.from(zl);
  prevWrong[13] = 9; // second entry's prevlen
  const noEnd = Buffer.from(zl);
  noEnd[noEnd.length - 1] = 0;
  for (const b of [zl.subarray(0, 9), sizeWrong, tailWrong, countWrong, prevWrong, noEnd]) {
    assert.throws(() => decodeZiplist(b), RdbFormatError, hex(b));
  }
  assert.deepEqual(decodeZiplist(zl), ['a', '1000', 'bb']);
});

// ---------------------------------------------------------------------------
// Byte equality with the reference server
// ---------------------------------------------------------------------------

let ref: ReferenceServer | null = null;
after(async () => {
  if (ref) await ref.stop();
});

/** The listpacks inside a reference DUMP of a quicklist-2 list (type 18). */
function listpacksOfListDump(payload: string): Buffer[] {
  const r = new RdbReader(Buffer.from(payload, 'latin1'));
  assert.equal(r.byte(), 18);
  const nodes = r.len();
  const out: Buffer[] = [];
  for (let i = 0; i < nodes; i++) {
    assert.equal(r.len(), 2, 'packed node');
    out.push(Buffer.from(r.stringBuffer()));
  }
  return out;
}

test('listpacks match the reference server byte for byte', { skip: !referenceAvailable() }, async () => {
  ref = await startReference();
  const c = await RawClient.connect(ref.port);
  const groups: string[][] = [
    ['0', '1', '127', '128', '-1', '4095', '4096', '-4096', '-4097', '32767', '32768', '-32768', '-32769'],
    ['8388607', '8388608', '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649'],
    ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '-0', '01', '+5', ' 7', '1.5', ''],
    ['a'.repeat(63), 'b'.repeat(64), 'c'.repeat(127), 'd'.repeat(128), 'e'.repeat(200)],
    ['f'.repeat(4095)],
    ['g'.repeat(4096 + 1000)],
    ['\x00\x01\xff\xfe', 'mixed', '42', 'ok'],
  ];
  for (let g = 0; g < groups.length; g++) {
    const key = `lp:${g}`;
    await c.call('RPUSH', key, ...groups[g]);
    const dump = (await c.call('DUMP', key)) as string;
    const lps = listpacksOfListDump(dump);
    assert.equal(lps.length, 1, `group ${g} fits one node`);
    assert.equal(hex(encodeListpack(groups[g])), hex(lps[0]), `group ${g}`);
    assert.deepEqual(decodeListpack(lps[0]), groups[g]);
  }
  c.close();
});
