// Whole RDB files built byte by byte: every version Redis (1 to 11) and Valkey (80) wrote, the
// version acceptance rules (rdb-version-check), the opcodes (AUX, RESIZEDB, SLOT_INFO, IDLE,
// FREQ, the old seconds expire, module and function data) and the old value encodings
// (zipmap, ziplists, intset, quicklist v1, text-score zsets) inside files.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import '../../src/persistence/rdb/listRdb';
import '../../src/persistence/rdb/setRdb';
import '../../src/persistence/rdb/zsetRdb';
import '../../src/persistence/rdb/hashRdb';
import '../../src/persistence/rdb/streamRdb';
import { loadRdbBuffer, RdbLoadError, moduleTypeName } from '../../src/persistence/rdb/file';
import { RdbWriter } from '../../src/persistence/rdb/io';
import { encodeZiplist } from '../../src/persistence/rdb/ziplist';
import { encodeIntset } from '../../src/persistence/rdb/intset';
import { encodeListpack } from '../../src/persistence/rdb/listpack';
import { crc64Buffer } from '../../src/util/crc64';
import type { Value } from '../../src/db/database';
import type { ListObject } from '../../src/types/list';
import type { SetObject } from '../../src/types/set';
import type { HashObject } from '../../src/types/hash';
import type { ZsetObject } from '../../src/types/zset';

interface LoadedKey {
  db: number;
  key: string;
  value: unknown;
  expire: number;
  idle: number;
  freq: number;
}

/** A value as plain data: strings as is, collections as [type, encoding, contents]. */
function plain(v: Value): unknown {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.latin1Slice(0, v.length);
  switch (v.type) {
    case 'list':
      return ['list', v.encoding(), (v as ListObject).toArray()];
    case 'set':
      return ['set', v.encoding(), (v as SetObject).members().sort()];
    case 'hash':
      return ['hash', v.encoding(), (v as HashObject).toPairs()];
    case 'zset':
      return ['zset', v.encoding(), (v as ZsetObject).entries()];
    default:
      return [v.type, v.encoding()];
  }
}

function load(buf: Buffer, opts: { strict?: boolean; checksum?: boolean } = {}): { keys: LoadedKey[]; aux: [string, string][]; version: number } {
  const keys: LoadedKey[] = [];
  const aux: [string, string][] = [];
  let db = -1;
  const res = loadRdbBuffer(
    buf,
    {
      aux: (k, v) => aux.push([k, v]),
      selectDb: (id) => {
        db = id;
      },
      resizeDb: () => {},
      key: (key, value, expire, idle, freq) => keys.push({ db, key, value: plain(value), expire, idle, freq }),
    },
    { strictVersion: opts.strict ?? true, checksum: opts.checksum ?? true, now: Date.now(), deepSanitize: false },
  );
  return { keys, aux, version: res.version };
}

/** A file: magic, body, EOF, then (version >= 5) the CRC64 trailer ('zero' = not computed). */
function rdbFile(magic: string, body: (w: RdbWriter) => void, trailer: 'crc' | 'zero' | 'none' = 'crc'): Buffer {
  const w = new RdbWriter(true);
  w.latin1(magic);
  body(w);
  w.byte(255);
  const head = Buffer.from(w.toBuffer());
  if (trailer === 'none') return head;
  const crc = Buffer.alloc(8);
  if (trailer === 'crc') crc.writeBigUInt64LE(crc64Buffer(head), 0);
  return Buffer.concat([head, crc]);
}

function stringKey(w: RdbWriter, key: string, value: string): void {
  w.byte(0);
  w.string(key);
  w.string(value);
}

function selectDb(w: RdbWriter, id: number): void {
  w.byte(254);
  w.len(id);
}

const oneKey = (w: RdbWriter) => {
  selectDb(w, 0);
  stringKey(w, 'k', 'v');
};

function loadError(buf: Buffer, opts: { strict?: boolean; checksum?: boolean } = {}): string {
  try {
    load(buf, opts);
  } catch (e) {
    assert.ok(e instanceof RdbLoadError, `not an RdbLoadError: ${(e as Error).stack}`);
    return e.message;
  }
  assert.fail('the file loaded');
}

test('every Redis version 1..11 and VALKEY080 loads (checksum trailer from version 5 on)', () => {
  for (let v = 1; v <= 11; v++) {
    const f = rdbFile(`REDIS${String(v).padStart(4, '0')}`, oneKey, v >= 5 ? 'crc' : 'none');
    const got = load(f);
    assert.equal(got.version, v);
    assert.deepEqual(got.keys.map((k) => [k.key, k.value]), [['k', 'v']], `version ${v}`);
  }
  assert.equal(load(rdbFile('VALKEY080', oneKey)).keys.length, 1);
});

test('version acceptance: foreign 12..79 and future versions need rdb-version-check relaxed', () => {
  for (const v of [12, 50, 79]) {
    const f = rdbFile(`REDIS${String(v).padStart(4, '0')}`, oneKey);
    assert.equal(loadError(f), `Can't handle RDB format version ${v}`);
    assert.equal(load(f, { strict: false }).keys.length, 1, `relaxed ${v}`);
  }
  assert.equal(loadError(rdbFile('VALKEY081', oneKey)), "Can't handle RDB format version 81");
  assert.equal(load(rdbFile('VALKEY081', oneKey), { strict: false }).keys.length, 1);
  // The magic bounds the version whatever the check level.
  for (const strict of [true, false]) {
    assert.equal(loadError(rdbFile('VALKEY079', oneKey), { strict }), "Can't handle RDB format version 79");
    assert.equal(loadError(rdbFile('VALKEY011', oneKey), { strict }), "Can't handle RDB format version 11");
    assert.equal(loadError(rdbFile('REDIS0080', oneKey), { strict }), "Can't handle RDB format version 80");
  }
  assert.equal(loadError(rdbFile('REDIS0000', oneKey)), "Can't handle RDB format version 0");
  assert.equal(loadError(rdbFile('REDISxx11', oneKey)), "Can't handle RDB format version 0");
  assert.equal(loadError(rdbFile('KEYDB0011', oneKey)), 'Wrong signature trying to load DB from file');
  assert.match(loadError(Buffer.from('REDIS')), /^Short read/);
});

test('a foreign-format file refuses object types 22..243 even when relaxed', () => {
  const f = rdbFile('REDIS0012', (w) => {
    selectDb(w, 0);
    w.byte(22); // RDB_TYPE_HASH_2 in Valkey, something else in a foreign format
    w.string('h');
    w.len(0);
  });
  assert.equal(loadError(f, { strict: false }), 'Unknown RDB encoding type 22');
  // In a Valkey file type 22 is a hash with field TTLs (an empty one loads as nothing).
  const valkey = rdbFile('VALKEY080', (w) => {
    selectDb(w, 0);
    w.byte(22);
    w.string('h');
    w.len(1);
    w.string('f');
    w.string('v');
    w.millis(-1);
  });
  assert.deepEqual(load(valkey).keys.map((k) => k.key), ['h']);
});

test('checksums: verified when on, a zero trailer means "not computed", off skips the check', () => {
  const good = rdbFile('REDIS0011', oneKey);
  const bad = Buffer.from(good);
  bad[bad.length - 1] ^= 1;
  assert.match(loadError(bad), /^Wrong RDB checksum expected: \([0-9a-f]+\) got: \([0-9a-f]+\)\. Aborting now\.$/);
  assert.equal(load(bad, { checksum: false }).keys.length, 1);
  assert.equal(load(rdbFile('REDIS0011', oneKey, 'zero')).keys.length, 1);
  // A missing trailer is a short read, not a silent success.
  assert.match(loadError(good.subarray(0, good.length - 1)), /^Short read/);
  assert.match(loadError(rdbFile('REDIS0011', oneKey, 'none')), /^Short read/);
});

test('opcodes: AUX, SELECTDB, RESIZEDB, SLOT_INFO, both expire forms, IDLE and FREQ', () => {
  const f = rdbFile('REDIS0011', (w) => {
    w.byte(250);
    w.string('redis-ver');
    w.string('7.2.4');
    w.byte(250);
    w.string('redis-bits');
    w.integerString(64);
    selectDb(w, 0);
    w.byte(251); // RESIZEDB
    w.len(3);
    w.len(1);
    w.byte(244); // SLOT_INFO: slot, size, expires size
    w.len(1234);
    w.len(3);
    w.len(1);
    w.byte(252); // EXPIRETIME_MS
    w.millis(4102444800123);
    stringKey(w, 'ms', 'a');
    w.byte(248); // IDLE
    w.len(1000);
    stringKey(w, 'idle', 'b');
    w.byte(249); // FREQ
    w.byte(42);
    stringKey(w, 'freq', 'c');
    selectDb(w, 3);
    w.byte(253); // the old EXPIRETIME: int32 seconds, little-endian
    const secs = Buffer.alloc(4);
    secs.writeInt32LE(2000000000, 0);
    w.bytes(secs);
    stringKey(w, 'secs', 'd');
    stringKey(w, 'plain', 'e');
  });
  const got = load(f);
  assert.deepEqual(got.aux, [
    ['redis-ver', '7.2.4'],
    ['redis-bits', '64'],
  ]);
  assert.deepEqual(
    got.keys.map((k) => [k.db, k.key, k.expire, k.idle, k.freq]),
    [
      [0, 'ms', 4102444800123, -1, -1],
      [0, 'idle', -1, 1000, -1],
      [0, 'freq', -1, -1, 42],
      [3, 'secs', 2000000000000, -1, -1],
      [3, 'plain', -1, -1, -1],
    ],
  );
});

test('module data and function libraries are refused with a clear error', () => {
  // A module ID: 9 name characters of 6 bits each, then a 10-bit encoding version.
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = 0n;
  for (const ch of 'ReJSON-RL') id = (id << 6n) | BigInt(charset.indexOf(ch));
  id = (id << 10n) | 3n;
  assert.equal(moduleTypeName(id), 'ReJSON-RL');
  const idBytes = Buffer.alloc(9);
  idBytes[0] = 0x81;
  idBytes.writeBigUInt64BE(id, 1);

  const moduleAux = rdbFile('REDIS0011', (w) => {
    w.byte(247);
    w.bytes(idBytes);
    w.len(2); // when_opcode UINT
    w.len(2); // when
  });
  assert.equal(loadError(moduleAux), "The RDB file contains AUX module data I can't load: no matching module 'ReJSON-RL'");
  const moduleValue = rdbFile('REDIS0011', (w) => {
    selectDb(w, 0);
    w.byte(7);
    w.string('doc');
    w.bytes(idBytes);
  });
  assert.equal(loadError(moduleValue), "The RDB file contains module data I can't load: no matching module type 'ReJSON-RL'");
  const preGa = rdbFile('REDIS0011', (w) => {
    selectDb(w, 0);
    w.byte(6);
    w.string('doc');
    w.len(1);
  });
  assert.equal(loadError(preGa), 'Pre-release module format not supported');

  const fn = rdbFile('REDIS0010', (w) => {
    w.byte(245);
    w.string("#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
  });
  assert.equal(loadError(fn), "Failed loading library, Engine 'lua' not found");
  const noMeta = rdbFile('REDIS0010', (w) => {
    w.byte(245);
    w.string('return 1');
  });
  assert.equal(loadError(noMeta), 'Failed loading library, Missing library metadata');
  assert.equal(loadError(rdbFile('REDIS0010', (w) => w.byte(246))), 'Pre-release function format not supported.');
});

test('old list encodings: plain list, ziplist, quicklist v1 (ziplist nodes), quicklist 2', () => {
  const f = rdbFile('REDIS0009', (w) => {
    selectDb(w, 0);
    w.byte(1); // RDB_TYPE_LIST
    w.string('plain');
    w.len(3);
    for (const e of ['a', '12', 'c'.repeat(40)]) w.string(e);
    w.byte(10); // RDB_TYPE_LIST_ZIPLIST
    w.string('zl');
    w.string(encodeZiplist(['x', '-5', '70000', '4294967296', 'y'.repeat(300)]));
    w.byte(14); // RDB_TYPE_LIST_QUICKLIST: nodes are ziplists
    w.string('ql1');
    w.len(2);
    w.string(encodeZiplist(['1', '2', '3']));
    w.string(encodeZiplist(['four', 'five']));
    w.byte(18); // RDB_TYPE_LIST_QUICKLIST_2: container + listpack / plain node
    w.string('ql2');
    w.len(2);
    w.len(2);
    w.string(encodeListpack(['p', 'q']));
    w.len(1);
    w.string('a plain node');
    w.byte(1); // an empty list is skipped, as Valkey does
    w.string('empty');
    w.len(0);
  });
  const got = load(f).keys.map((k) => [k.key, k.value]);
  assert.deepEqual(got, [
    ['plain', ['list', 'listpack', ['a', '12', 'c'.repeat(40)]]],
    ['zl', ['list', 'listpack', ['x', '-5', '70000', '4294967296', 'y'.repeat(300)]]],
    // Valkey only turns a quicklist of exactly one packed node back into a listpack.
    ['ql1', ['list', 'quicklist', ['1', '2', '3', 'four', 'five']]],
    ['ql2', ['list', 'quicklist', ['p', 'q', 'a plain node']]],
  ]);
});

test('old set, hash and zset encodings: intset (all widths), zipmap, ziplists, text scores', () => {
  const zipmap = Buffer.from([2, 1, 0x61, 1, 0, 0x31, 2, 0x62, 0x62, 3, 2, 0x32, 0x32, 0x32, 0, 0, 0xff]);
  const f = rdbFile('REDIS0006', (w) => {
    selectDb(w, 0);
    w.byte(11);
    w.string('is16');
    w.string(encodeIntset(2, [-3, 7, 300]));
    w.byte(11);
    w.string('is32');
    w.string(encodeIntset(4, [-70000, 70000]));
    w.byte(11);
    w.string('is64');
    w.string(encodeIntset(8, [-(2n ** 63n), 2n ** 40n]));
    w.byte(2);
    w.string('set');
    w.len(2);
    w.string('m1');
    w.string('m2');
    w.byte(9);
    w.string('zipmap');
    w.string(zipmap);
    w.byte(13);
    w.string('hzl');
    w.string(encodeZiplist(['f1', 'v1', 'f2', '2']));
    w.byte(4);
    w.string('hash');
    w.len(1);
    w.string('f');
    w.string('v');
    w.byte(12);
    w.string('zzl');
    w.string(encodeZiplist(['a', '1', 'b', '2.5']));
    w.byte(3); // RDB_TYPE_ZSET: scores as text, 254 = +inf, 255 = -inf
    w.string('ztext');
    w.len(3);
    w.string('low');
    w.byte(255);
    w.string('mid');
    w.byte(4);
    w.latin1('1.25');
    w.string('high');
    w.byte(254);
    w.byte(5);
    w.string('z2');
    w.len(1);
    w.string('m');
    w.binaryDouble(-0.5);
  });
  const got = Object.fromEntries(load(f).keys.map((k) => [k.key, k.value]));
  assert.deepEqual(got.is16, ['set', 'intset', ['-3', '300', '7']]);
  assert.deepEqual(got.is32, ['set', 'intset', ['-70000', '70000']]);
  assert.deepEqual(got.is64, ['set', 'intset', ['-9223372036854775808', '1099511627776']]);
  assert.deepEqual(got.set, ['set', 'listpack', ['m1', 'm2']]);
  assert.deepEqual(got.zipmap, ['hash', 'listpack', ['a', '1', 'bb', '222']]);
  assert.deepEqual(got.hzl, ['hash', 'listpack', ['f1', 'v1', 'f2', '2']]);
  assert.deepEqual(got.hash, ['hash', 'listpack', ['f', 'v']]);
  assert.deepEqual(got.zzl, ['zset', 'listpack', [['a', 1], ['b', 2.5]]]);
  assert.deepEqual(got.ztext, ['zset', 'listpack', [['low', -Infinity], ['mid', 1.25], ['high', Infinity]]]);
  assert.deepEqual(got.z2, ['zset', 'listpack', [['m', -0.5]]]);
});

test('a bad value inside a file stops the whole load with a clear error', () => {
  const cases: [string, (w: RdbWriter) => void][] = [
    ['bad ziplist', (w) => { w.byte(10); w.string('k'); w.string(Buffer.from([1, 2, 3])); }],
    ['odd hash ziplist', (w) => { w.byte(13); w.string('k'); w.string(encodeZiplist(['a'])); }],
    ['duplicate set member', (w) => { w.byte(2); w.string('k'); w.len(2); w.string('a'); w.string('a'); }],
    ['NaN text score', (w) => { w.byte(3); w.string('k'); w.len(1); w.string('m'); w.byte(253); }],
    ['unknown type', (w) => { w.byte(8); w.string('k'); }],
    ['bad length prefix', (w) => { w.byte(0); w.string('k'); w.byte(0x82); }],
  ];
  for (const [name, value] of cases) {
    const f = rdbFile('REDIS0011', (w) => {
      selectDb(w, 0);
      stringKey(w, 'before', 'x');
      value(w);
      stringKey(w, 'after', 'y');
    });
    const msg = loadError(f);
    assert.ok(msg.length > 0, name);
  }
});
