// Hash field expiration (Valkey 9.0, 9.0.2+ behaviour) through real clients: HSETEX, HGETEX,
// HEXPIRE and family, HPERSIST, HTTL and family. Every row of the spec's reply-code,
// notification and propagation tables; the error strings; hiding of expired fields in every
// read path; interactions with RENAME, COPY, MOVE, DUMP/RESTORE, SWAPDB, FLUSHDB, MULTI and
// DEBUG RELOAD; INFO fields; active reclamation (batches, events, pause, DEBUG switch).
//
// Active expiry is off (DEBUG SET-ACTIVE-EXPIRE 0) except in the tests about it, so that fields
// past their TTL stay in memory, hidden, as long as a test looks at them.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, RawClient, sleep, type RunningServer } from '../helpers';
import { rawReply, propagated as propagatedBy, keyspaceEvents } from './differential';
import { HashObject } from '../../src/types/hash';
import { CF_PRIMARY } from '../../src/server/client';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';
const NUMFIELDS = 'ERR numfields should be greater than 0 and match the provided number of fields';

let srv: RunningServer;
let io: Redis;
let nr: ReturnType<typeof createClient>;
let raw: RawClient;
let raw3: RawClient;

const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);

before(async () => {
  srv = await startFjord({ hz: 100 });
  io = new Redis({ port: srv.port, lazyConnect: true, enableReadyCheck: false });
  await io.connect();
  nr = createClient({ socket: { port: srv.port } });
  await nr.connect();
  raw = await RawClient.connect(srv.port);
  raw3 = await RawClient.connect(srv.port);
  await raw3.call('HELLO', '3');
  await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
});

after(async () => {
  io.disconnect();
  await nr.quit();
  raw.close();
  raw3.close();
  await srv.stop();
});

/** The hash object stored at `key` (db 0 unless given). */
function hashAt(key: string, db = 0): HashObject {
  const v = srv.server.dbs[db].data.get(key);
  assert.ok(v instanceof HashObject, `${key} holds a hash`);
  return v;
}

async function infoField(name: string): Promise<string> {
  const text = (await io.info()) as string;
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(text);
  assert.ok(m, `INFO has ${name}`);
  return m[1].trim();
}

async function expiredFields(): Promise<number> {
  return Number(await infoField('expired_fields'));
}

/** keys_with_volatile_items of db `n` from INFO keyspace (0 when the db line is absent). */
async function volatileKeys(n = 0): Promise<number> {
  const text = (await io.info('keyspace')) as string;
  const m = new RegExp(`^db${n}:.*keys_with_volatile_items=(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Poll `check` until it is true or the deadline passes (generous, the machine is shared). */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await sleep(20);
  }
}

/** Make `field` of `key` logically expired without reclaiming it (active expiry is off). */
async function expireSoon(key: string, ...fields: string[]): Promise<void> {
  assert.deepEqual(await raw.call('HPEXPIRE', key, '1', 'FIELDS', fields.length, ...fields), fields.map(() => 1));
  await sleep(5);
}

// ---------------------------------------------------------------------------------------------

describe('the seed example', () => {
  it('two fields, one expires: HEXISTS true before, false after, the other stays (ioredis)', async () => {
    await io.del('seed');
    await io.hset('seed', 'name', 'fjord', 'visits', '1');
    assert.deepEqual(await io.call('HEXPIRE', 'seed', '60', 'FIELDS', '1', 'name'), [1]);
    assert.equal(await io.hexists('seed', 'name'), 1);
    // The same with a short time, as the test cannot wait a minute.
    assert.deepEqual(await io.call('HPEXPIRE', 'seed', '80', 'FIELDS', '1', 'name'), [1]);
    assert.equal(await io.hexists('seed', 'name'), 1);
    await eventually(async () => (await io.hexists('seed', 'name')) === 0);
    assert.equal(await io.hget('seed', 'visits'), '1');
    assert.deepEqual(await io.hgetall('seed'), { visits: '1' });
  });

  it('the same through node-redis typed methods', async () => {
    await nr.del('seed2');
    await nr.hSet('seed2', { name: 'fjord', visits: '1' });
    assert.deepEqual(await nr.hpExpire('seed2', 'name', 80), [1]);
    assert.equal(await nr.hExists('seed2', 'name'), 1);
    const [ttl] = (await nr.hpTTL('seed2', 'name')) ?? [];
    assert.ok(ttl > 0 && ttl <= 80, `pttl ${ttl}`);
    await eventually(async () => (await nr.hExists('seed2', 'name')) === 0);
    assert.equal(await nr.hGet('seed2', 'visits'), '1');
    assert.deepEqual(await nr.hTTL('seed2', ['name', 'visits']), [-2, -1]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('HEXPIRE family: reply codes', () => {
  it('-2 for a missing key (never created) or field, 1 when set, through node-redis', async () => {
    await nr.del(['hx', 'nokey']);
    assert.deepEqual(await nr.hExpire('nokey', ['a', 'b'], 100), [-2, -2]);
    assert.equal(await nr.exists('nokey'), 0);
    await nr.hSet('hx', { a: '1', b: '2' });
    assert.deepEqual(await nr.hExpire('hx', ['a', 'zz'], 100), [1, -2]);
    assert.deepEqual(await nr.hpExpire('hx', 'b', 100_000), [1]);
    const at = Math.floor(Date.now() / 1000) + 1000;
    assert.deepEqual(await nr.hExpireAt('hx', 'a', at), [1]);
    assert.deepEqual(await nr.hExpireTime('hx', 'a'), [at]);
    assert.deepEqual(await nr.hpExpireAt('hx', 'a', at * 1000 + 250), [1]);
    assert.deepEqual(await nr.hpExpireTime('hx', 'a'), [at * 1000 + 250]);
  });

  it('conditions per field: NX, XX, GT (fails on a persistent field), LT (succeeds on one)', async () => {
    await io.del('hc');
    await io.hset('hc', 'ttl', '1', 'plain', '2');
    await io.call('HEXPIRE', 'hc', '100', 'FIELDS', '1', 'ttl');
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '200', 'NX', 'FIELDS', '2', 'ttl', 'plain'), [0, 1]);
    await io.call('HPERSIST', 'hc', 'FIELDS', '1', 'plain');
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '200', 'XX', 'FIELDS', '2', 'ttl', 'plain'), [1, 0]);
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '300', 'GT', 'FIELDS', '2', 'ttl', 'plain'), [1, 0]);
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '250', 'GT', 'FIELDS', '1', 'ttl'), [0]);
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '250', 'LT', 'FIELDS', '2', 'ttl', 'plain'), [1, 1]);
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '260', 'LT', 'FIELDS', '1', 'ttl'), [0]);
    assert.deepEqual(await io.call('HTTL', 'hc', 'FIELDS', '2', 'ttl', 'plain'), [250, 250]);
    // The same flag twice is accepted.
    assert.deepEqual(await io.call('HEXPIRE', 'hc', '10', 'LT', 'LT', 'FIELDS', '1', 'ttl'), [1]);
  });

  it('a listpack hash: XX and GT give 0 without converting; NX converts to hashtable for good', async () => {
    await io.del('hl');
    await io.hset('hl', 'a', '1');
    assert.equal(await io.object('ENCODING', 'hl'), 'listpack');
    assert.deepEqual(await io.call('HEXPIRE', 'hl', '100', 'XX', 'FIELDS', '1', 'a'), [0]);
    assert.deepEqual(await io.call('HEXPIRE', 'hl', '100', 'GT', 'FIELDS', '1', 'a'), [0]);
    assert.equal(await io.object('ENCODING', 'hl'), 'listpack');
    assert.deepEqual(await io.call('HEXPIRE', 'hl', '100', 'NX', 'FIELDS', '1', 'a'), [1]);
    assert.equal(await io.object('ENCODING', 'hl'), 'hashtable');
    assert.deepEqual(await io.call('HPERSIST', 'hl', 'FIELDS', '1', 'a'), [1]);
    assert.equal(await io.object('ENCODING', 'hl'), 'hashtable');
  });

  it('2 for a time at or before now: the fields go, the key too when emptied; counted in expired_fields', async () => {
    await io.del('hp');
    await io.hset('hp', 'a', '1', 'b', '2', 'c', '3');
    const before = await expiredFields();
    assert.deepEqual(await io.call('HEXPIRE', 'hp', '0', 'FIELDS', '3', 'a', 'zz', 'b'), [2, -2, 2]);
    assert.deepEqual(await io.hgetall('hp'), { c: '3' });
    assert.equal(await expiredFields(), before + 2);
    assert.deepEqual(await io.call('HPEXPIREAT', 'hp', '1000', 'FIELDS', '1', 'c'), [2]);
    assert.equal(await io.exists('hp'), 0);
    assert.equal(await expiredFields(), before + 3);
  });

  it('[9.0.2+] with a past time, conditions come first: a failing field returns 0 and stays', async () => {
    await io.del('hq');
    await io.hset('hq', 'ttl', '1', 'plain', '2');
    await io.call('HEXPIRE', 'hq', '100', 'FIELDS', '1', 'ttl');
    assert.deepEqual(await io.call('HEXPIRE', 'hq', '0', 'NX', 'FIELDS', '2', 'ttl', 'plain'), [0, 2]);
    await io.hset('hq', 'plain', '2');
    assert.deepEqual(await io.call('HEXPIRE', 'hq', '0', 'GT', 'FIELDS', '2', 'ttl', 'plain'), [0, 0]);
    assert.deepEqual(await io.call('HEXPIRE', 'hq', '0', 'XX', 'FIELDS', '2', 'ttl', 'plain'), [2, 0]);
    assert.deepEqual(await io.hkeys('hq'), ['plain']);
  });

  it('a field past its TTL (not reclaimed yet) counts as missing: -2', async () => {
    await io.del('hh');
    await io.hset('hh', 'a', '1', 'b', '2');
    await expireSoon('hh', 'a');
    assert.deepEqual(await io.call('HEXPIRE', 'hh', '100', 'FIELDS', '2', 'a', 'b'), [-2, 1]);
    assert.deepEqual(await io.call('HPERSIST', 'hh', 'FIELDS', '1', 'a'), [-2]);
    assert.deepEqual(await io.call('HTTL', 'hh', 'FIELDS', '1', 'a'), [-2]);
  });
});

describe('HEXPIRE family: errors', () => {
  it('arity, numfields, integers, times and options, with Valkey\'s texts', async () => {
    await io.del('he');
    await io.hset('he', 'a', '1');
    const err = async (...args: string[]) => raw.call(...args);
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', '0'), { error: "ERR wrong number of arguments for 'hexpire' command" });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', '0', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', '2', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', '1', 'a', 'b'), { error: NUMFIELDS });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', '-1', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'NX', '1', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FIELDS', 'x', 'a'), { error: NOT_INTEGER });
    assert.deepEqual(await err('HEXPIRE', 'he', 'ten', 'FIELDS', '1', 'a'), { error: NOT_INTEGER });
    assert.deepEqual(await err('HEXPIRE', 'he', '-1', 'FIELDS', '1', 'a'), { error: "ERR invalid expire time in 'hexpire' command" });
    assert.deepEqual(await err('HEXPIRE', 'he', '9223372036854775807', 'FIELDS', '1', 'a'), { error: "ERR invalid expire time in 'hexpire' command" });
    assert.deepEqual(await err('HPEXPIRE', 'he', '9223372036854775807', 'FIELDS', '1', 'a'), { error: "ERR invalid expire time in 'hpexpire' command" });
    assert.deepEqual(await err('HEXPIREAT', 'he', '-5', 'FIELDS', '1', 'a'), { error: "ERR invalid expire time in 'hexpireat' command" });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'FOO', 'FIELDS', '1', 'a'), { error: 'ERR Unsupported option FOO' });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'NX', 'XX', 'FIELDS', '1', 'a'), { error: 'ERR NX and XX, GT or LT options at the same time are not compatible' });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'GT', 'NX', 'FIELDS', '1', 'a'), { error: 'ERR NX and XX, GT or LT options at the same time are not compatible' });
    assert.deepEqual(await err('HEXPIRE', 'he', '10', 'GT', 'LT', 'FIELDS', '1', 'a'), { error: 'ERR GT and LT options at the same time are not compatible' });
    await io.set('hestr', 'x');
    assert.deepEqual(await err('HEXPIRE', 'hestr', '10', 'FIELDS', '1', 'a'), { error: WRONGTYPE });
    // Nothing of that touched the field.
    assert.deepEqual(await io.call('HTTL', 'he', 'FIELDS', '1', 'a'), [-1]);
  });

  it('HTTL family: a numfields mismatch is a syntax error; HPERSIST: numfields error, WRONGTYPE as a plain error', async () => {
    assert.deepEqual(await raw.call('HTTL', 'he', 'FIELDS', '2', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HPTTL', 'he', 'FIELDS', '0', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HEXPIRETIME', 'he', 'FIELDS', 'x', 'a'), { error: NOT_INTEGER });
    assert.deepEqual(await raw.call('HPEXPIRETIME', 'he', 'FIELDS', '1'), { error: "ERR wrong number of arguments for 'hpexpiretime' command" });
    assert.deepEqual(await raw.call('HTTL', 'hestr', 'FIELDS', '1', 'a'), { error: WRONGTYPE });
    assert.deepEqual(await raw.call('HPERSIST', 'he', 'FIELDS', '2', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await raw.call('HPERSIST', 'he', 'FIELDS', 'x', 'a'), { error: NOT_INTEGER });
    assert.equal(await rawReply(raw, 'HPERSIST', 'hestr', 'FIELDS', '1', 'a'), `-${WRONGTYPE}\r\n`);
    // argv[2] is not checked to be FIELDS.
    assert.deepEqual(await raw.call('HPERSIST', 'he', 'ANYTHING', '1', 'a'), [-1]);
    assert.deepEqual(await raw.call('HTTL', 'he', 'ANYTHING', '1', 'a'), [-1]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('HTTL HPTTL HEXPIRETIME HPEXPIRETIME HPERSIST', () => {
  it('-2 / -1 / times, seconds rounded half up, in one frozen MULTI time', async () => {
    await io.del('ht');
    await io.hset('ht', 'a', '1', 'b', '2');
    const replies = await io.multi()
      .call('HPEXPIRE', 'ht', '1500', 'FIELDS', '1', 'a')
      .call('HTTL', 'ht', 'FIELDS', '3', 'a', 'b', 'zz')
      .call('HPTTL', 'ht', 'FIELDS', '1', 'a')
      .exec();
    assert.deepEqual(replies?.map((r) => r[1]), [[1], [2, -1, -2], [1500]]);
    const future = Math.floor(Date.now() / 1000) + 10_000;
    await io.call('HPEXPIREAT', 'ht', String(future * 1000 + 1500), 'FIELDS', '1', 'a');
    await io.call('HPEXPIREAT', 'ht', String(future * 1000 + 1499), 'FIELDS', '1', 'b');
    assert.deepEqual(await io.call('HEXPIRETIME', 'ht', 'FIELDS', '2', 'a', 'b'), [future + 2, future + 1]);
    assert.deepEqual(await io.call('HPEXPIRETIME', 'ht', 'FIELDS', '2', 'a', 'b'), [future * 1000 + 1500, future * 1000 + 1499]);
    assert.deepEqual(await io.call('HTTL', 'nokey', 'FIELDS', '2', 'a', 'b'), [-2, -2]);
  });

  it('HPERSIST: 1 removed, -1 no TTL (every field of a listpack), -2 missing; hpersist event', async () => {
    await io.del('hps', 'hpl');
    await io.hset('hps', 'a', '1', 'b', '2');
    await io.call('HEXPIRE', 'hps', '100', 'FIELDS', '1', 'a');
    let reply: unknown;
    const got = await events(async () => {
      reply = await nr.hPersist('hps', ['a', 'b', 'zz']);
    });
    assert.deepEqual(reply, [1, -1, -2]);
    assert.deepEqual(got, ['h:hpersist:hps']);
    assert.deepEqual(await nr.hPersist('hps', 'a'), [-1]);
    await io.hset('hpl', 'a', '1');
    assert.deepEqual(await io.call('HPERSIST', 'hpl', 'FIELDS', '2', 'a', 'b'), [-1, -2]);
    assert.deepEqual(await io.call('HPERSIST', 'nokey', 'FIELDS', '1', 'a'), [-2]);
  });

  it('RESP3 replies are arrays of integers; HGETEX nulls are RESP3 nulls', async () => {
    await io.del('h3');
    await io.hset('h3', 'a', '1');
    assert.equal(await rawReply(raw3, 'HTTL', 'h3', 'FIELDS', '2', 'a', 'zz'), '*2\r\n:-1\r\n:-2\r\n');
    assert.equal(await rawReply(raw3, 'HGETEX', 'h3', 'FIELDS', '2', 'a', 'zz'), '*2\r\n$1\r\n1\r\n_\r\n');
    assert.equal(await rawReply(raw, 'HGETEX', 'h3', 'FIELDS', '2', 'a', 'zz'), '*2\r\n$1\r\n1\r\n$-1\r\n');
    assert.equal(await rawReply(raw3, 'HEXPIRE', 'h3', '100', 'FIELDS', '1', 'a'), '*1\r\n:1\r\n');
    assert.equal(await rawReply(raw3, 'HSETEX', 'h3', 'KEEPTTL', 'FIELDS', '1', 'a', '2'), ':1\r\n');
  });
});

// ---------------------------------------------------------------------------------------------

describe('HSETEX', () => {
  it('FNX / FXX: all or nothing; FXX on a missing key does not create it; FNX on one passes', async () => {
    await io.del('hs', 'hsnew');
    await io.hset('hs', 'a', '1');
    assert.equal(await nr.hSetEx('hs', { a: 'x', b: 'y' }, { mode: 'FNX' }), 0);
    assert.equal(await nr.hSetEx('hs', { a: 'x', b: 'y' }, { mode: 'FXX' }), 0);
    assert.deepEqual(await io.hgetall('hs'), { a: '1' });
    assert.equal(await nr.hSetEx('hsnew', { a: '1' }, { mode: 'FXX' }), 0);
    assert.equal(await io.exists('hsnew'), 0);
    assert.equal(await nr.hSetEx('hsnew', { a: '1' }, { mode: 'FNX', expiration: { type: 'PX', value: 100_000 } }), 1);
    assert.equal(await io.object('ENCODING', 'hsnew'), 'hashtable');
    assert.equal(await nr.hSetEx('hs', { a: 'x', b: 'y' }, { mode: 'FNX' }), 0);
    assert.equal(await io.call('HSETEX', 'hs', 'fxx', 'FIELDS', '1', 'a', 'z'), 1);
    // A field past its TTL does not exist for FNX / FXX.
    await expireSoon('hs', 'a');
    assert.equal(await io.call('HSETEX', 'hs', 'FXX', 'FIELDS', '1', 'a', 'w'), 0);
    assert.equal(await io.call('HSETEX', 'hs', 'FNX', 'FIELDS', '1', 'a', 'w'), 1);
    assert.equal(await io.hget('hs', 'a'), 'w');
  });

  it('TTLs: none clears, EX/PX/EXAT/PXAT set, KEEPTTL keeps a live one (new and expired fields get none)', async () => {
    await io.del('hk');
    assert.equal(await io.call('HSETEX', 'hk', 'EX', '100', 'FIELDS', '2', 'a', '1', 'b', '2'), 1);
    assert.deepEqual(await io.call('HTTL', 'hk', 'FIELDS', '2', 'a', 'b'), [100, 100]);
    assert.equal(await io.call('HSETEX', 'hk', 'FIELDS', '1', 'a', '3'), 1);
    assert.deepEqual(await io.call('HTTL', 'hk', 'FIELDS', '2', 'a', 'b'), [-1, 100]);
    assert.equal(await io.call('HSETEX', 'hk', 'KEEPTTL', 'FIELDS', '2', 'b', '4', 'c', '5'), 1);
    assert.deepEqual(await io.call('HTTL', 'hk', 'FIELDS', '2', 'b', 'c'), [100, -1]);
    await expireSoon('hk', 'b');
    assert.equal(await io.call('HSETEX', 'hk', 'KEEPTTL', 'FIELDS', '1', 'b', '6'), 1);
    assert.deepEqual(await io.call('HTTL', 'hk', 'FIELDS', '1', 'b'), [-1]);
    const at = Date.now() + 500_000;
    assert.equal(await io.call('HSETEX', 'hk', 'PXAT', String(at), 'FIELDS', '1', 'a', '7'), 1);
    assert.deepEqual(await io.call('HPEXPIRETIME', 'hk', 'FIELDS', '1', 'a'), [at]);
    assert.equal(await io.call('HSETEX', 'hk', 'EXAT', String(Math.floor(at / 1000)), 'FIELDS', '1', 'a', '8'), 1);
    assert.deepEqual(await io.call('HEXPIRETIME', 'hk', 'FIELDS', '1', 'a'), [Math.floor(at / 1000)]);
    // The same time token twice: the last one wins.
    assert.equal(await io.call('HSETEX', 'hk', 'EX', '10', 'EX', '20', 'FIELDS', '1', 'a', '9'), 1);
    assert.deepEqual(await io.call('HTTL', 'hk', 'FIELDS', '1', 'a'), [20]);
  });

  it('a past time deletes the listed fields, the key when emptied; always replies 1 (9.0.2+)', async () => {
    await io.del('hz', 'hznew');
    await io.hset('hz', 'a', '1', 'b', '2');
    const before = await expiredFields();
    assert.equal(await io.call('HSETEX', 'hz', 'EX', '0', 'FIELDS', '2', 'a', 'x', 'new', 'y'), 1);
    assert.deepEqual(await io.hgetall('hz'), { b: '2' });
    assert.equal(await expiredFields(), before + 1);
    assert.equal(await io.call('HSETEX', 'hz', 'PXAT', '1', 'FIELDS', '1', 'b', 'x'), 1);
    assert.equal(await io.exists('hz'), 0);
    // On a missing key nothing is created (9.0.0 left an empty hash behind).
    assert.equal(await io.call('HSETEX', 'hznew', 'PX', '0', 'FIELDS', '1', 'f', 'v'), 1);
    assert.equal(await io.exists('hznew'), 0);
  });

  it('errors: options, numfields, times; a key named "fields" works', async () => {
    await io.del('hse', 'fields');
    const e = (...args: string[]) => raw.call(...args);
    assert.deepEqual(await e('HSETEX', 'hse', 'FNX', 'FXX', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'EX', '1', 'PX', '1', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'KEEPTTL', 'EX', '1', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'EX', '1', 'KEEPTTL', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'EX', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'PERSIST', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'BOGUS', 'FIELDS', '1', 'a', '1'), { error: SYNTAX });
    assert.deepEqual(await e('HSETEX', 'hse', 'FIELDS', '2', 'a', '1'), { error: NUMFIELDS });
    assert.deepEqual(await e('HSETEX', 'hse', 'FIELDS', '1', 'a', '1', 'b'), { error: NUMFIELDS });
    assert.deepEqual(await e('HSETEX', 'hse', 'FIELDS', '0', 'a', '1'), { error: NUMFIELDS });
    assert.deepEqual(await e('HSETEX', 'hse', 'a', '1', 'b', '2'), { error: NUMFIELDS });
    assert.deepEqual(await e('HSETEX', 'hse', 'FIELDS', 'x', 'a', '1'), { error: NOT_INTEGER });
    assert.deepEqual(await e('HSETEX', 'hse', 'EX', 'ten', 'FIELDS', '1', 'a', '1'), { error: NOT_INTEGER });
    assert.deepEqual(await e('HSETEX', 'hse', 'EX', '-1', 'FIELDS', '1', 'a', '1'), { error: "ERR invalid expire time in 'hsetex' command" });
    assert.deepEqual(await e('HSETEX', 'hse', 'FIELDS', '1', 'a'), { error: "ERR wrong number of arguments for 'hsetex' command" });
    await io.set('hsestr', 'x');
    // The type is checked before the time.
    assert.deepEqual(await e('HSETEX', 'hsestr', 'EX', '-1', 'FIELDS', '1', 'a', '1'), { error: WRONGTYPE });
    assert.equal(await io.exists('hse'), 0);
    assert.equal(await io.call('HSETEX', 'fields', 'FIELDS', '1', 'a', '1'), 1);
    assert.deepEqual(await io.hgetall('fields'), { a: '1' });
  });
});

describe('HGETEX', () => {
  it('values before the change; missing key gives nulls; EX / PERSIST / past time', async () => {
    await io.del('hg');
    assert.deepEqual(await nr.hGetEx('nokey', ['a', 'b']), [null, null]);
    await io.hset('hg', 'a', '1', 'b', '2', 'c', '3');
    assert.deepEqual(await nr.hGetEx('hg', ['a', 'zz'], { expiration: { type: 'EX', value: 100 } }), ['1', null]);
    assert.deepEqual(await io.call('HTTL', 'hg', 'FIELDS', '2', 'a', 'b'), [100, -1]);
    assert.deepEqual(await nr.hGetEx('hg', 'a', { expiration: 'PERSIST' }), ['1']);
    assert.deepEqual(await io.call('HTTL', 'hg', 'FIELDS', '1', 'a'), [-1]);
    assert.deepEqual(await io.call('HGETEX', 'hg', 'PX', '0', 'FIELDS', '2', 'a', 'b'), ['1', '2']);
    assert.deepEqual(await io.hgetall('hg'), { c: '3' });
    assert.deepEqual(await io.call('HGETEX', 'hg', 'EXAT', '1', 'FIELDS', '1', 'c'), ['3']);
    assert.equal(await io.exists('hg'), 0);
    // Without an option it is HMGET.
    await io.hset('hg', 'a', '1');
    const out = await propagated(async () => {
      assert.deepEqual(await io.call('HGETEX', 'hg', 'FIELDS', '2', 'a', 'b'), ['1', null]);
    });
    assert.deepEqual(out, []);
  });

  it('errors', async () => {
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'PERSIST', 'EX', '1', 'FIELDS', '1', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'EX', '1', 'PX', '2', 'FIELDS', '1', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'FNX', 'FIELDS', '1', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'KEEPTTL', 'FIELDS', '1', 'a'), { error: SYNTAX });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'FIELDS', '2', 'a'), { error: NUMFIELDS });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'a', 'b', 'c'), { error: NUMFIELDS });
    assert.deepEqual(await raw.call('HGETEX', 'hg', 'EX', '-5', 'FIELDS', '1', 'a'), { error: "ERR invalid expire time in 'hgetex' command" });
    assert.deepEqual(await raw.call('HGETEX', 'hestr', 'FIELDS', '1', 'a'), { error: WRONGTYPE });
  });
});

// ---------------------------------------------------------------------------------------------

describe('fields past their TTL, not reclaimed yet', () => {
  before(async () => {
    await io.del('hv');
    await io.hset('hv', 'live', '1', 'gone', '22', 'keep', '3');
    await io.call('HEXPIRE', 'hv', '1000', 'FIELDS', '1', 'keep');
    await expireSoon('hv', 'gone');
  });

  it('every read hides them; HLEN and EXISTS still count them', async () => {
    assert.equal(await io.hget('hv', 'gone'), null);
    assert.deepEqual(await io.hmget('hv', 'gone', 'live'), [null, '1']);
    assert.equal(await io.hexists('hv', 'gone'), 0);
    assert.equal(await io.hstrlen('hv', 'gone'), 0);
    assert.deepEqual(await io.hgetall('hv'), { live: '1', keep: '3' });
    assert.deepEqual((await io.hkeys('hv')).sort(), ['keep', 'live']);
    assert.deepEqual((await io.hvals('hv')).sort(), ['1', '3']);
    const [, scanned] = await io.hscan('hv', '0', 'COUNT', '100');
    assert.deepEqual(scanned.filter((_, i) => i % 2 === 0).sort(), ['keep', 'live']);
    assert.deepEqual(((await io.call('HRANDFIELD', 'hv', '10')) as string[]).sort(), ['keep', 'live']);
    const picks = (await io.call('HRANDFIELD', 'hv', '-30')) as string[];
    assert.equal(picks.length, 30);
    assert.ok(!picks.includes('gone'));
    for (let i = 0; i < 10; i++) assert.notEqual(await io.call('HRANDFIELD', 'hv'), 'gone');
    assert.equal(await io.hlen('hv'), 3);
    assert.equal(await io.exists('hv'), 1);
    assert.equal(await io.type('hv'), 'hash');
  });

  it('SORT BY / GET hash fields hide them too', async () => {
    await io.del('sl');
    await io.rpush('sl', 'v');
    assert.deepEqual(await io.sort('sl', 'BY', 'nosort', 'GET', 'h*->gone', 'GET', 'h*->live'), [null, '1']);
  });

  it('a hash whose fields are all hidden: empty replies, HRANDFIELD nil, key still there', async () => {
    await io.del('hall');
    await io.hset('hall', 'a', '1', 'b', '2');
    await expireSoon('hall', 'a', 'b');
    assert.deepEqual(await io.hgetall('hall'), {});
    assert.equal(await rawReply(raw3, 'HGETALL', 'hall'), '%0\r\n');
    assert.equal(await io.call('HRANDFIELD', 'hall'), null);
    assert.deepEqual(await io.call('HRANDFIELD', 'hall', '5'), []);
    assert.deepEqual(await io.call('HRANDFIELD', 'hall', '-5'), []);
    assert.equal(await io.hlen('hall'), 2);
    assert.equal(await io.exists('hall'), 1);
  });

  it('HDEL does not find them and counts no expiry', async () => {
    const before = await expiredFields();
    assert.equal(await io.hdel('hv', 'gone'), 0);
    assert.equal(await expiredFields(), before);
    assert.equal(await io.hlen('hv'), 3);
  });

  it('HSET replaces one as new (reply counts it, expiry counted, hexpired before hset) and clears TTLs', async () => {
    await io.del('hw');
    await io.hset('hw', 'a', '1', 'b', '2');
    await io.call('HEXPIRE', 'hw', '100', 'FIELDS', '1', 'b');
    await expireSoon('hw', 'a');
    const before = await expiredFields();
    let reply: unknown;
    const got = await events(async () => {
      reply = await io.hset('hw', 'a', 'x', 'b', 'y');
    });
    assert.equal(reply, 1);
    assert.deepEqual(got, ['h:hexpired:hw', 'h:hset:hw']);
    assert.equal(await expiredFields(), before + 1);
    assert.deepEqual(await io.call('HTTL', 'hw', 'FIELDS', '2', 'a', 'b'), [-1, -1]);
    assert.equal(await volatileKeysOf('hw'), false);
  });

  it('HINCRBY / HINCRBYFLOAT keep a live TTL; on an expired field start from 0 without TTL', async () => {
    await io.del('hi');
    await io.hset('hi', 'n', '5', 'f', '1.5', 'old', '100');
    await io.call('HEXPIRE', 'hi', '100', 'FIELDS', '2', 'n', 'f');
    assert.equal(await io.hincrby('hi', 'n', 2), 7);
    assert.equal(await io.hincrbyfloat('hi', 'f', '1'), '2.5');
    assert.deepEqual(await io.call('HTTL', 'hi', 'FIELDS', '2', 'n', 'f'), [100, 100]);
    await expireSoon('hi', 'old');
    const got = await events(async () => {
      assert.equal(await io.hincrby('hi', 'old', 1), 1);
    });
    assert.deepEqual(got, ['h:hexpired:hi', 'h:hincrby:hi']);
    assert.deepEqual(await io.call('HTTL', 'hi', 'FIELDS', '1', 'old'), [-1]);
    // HDEL then re-create: no TTL.
    await io.hdel('hi', 'n');
    await io.hset('hi', 'n', '1');
    assert.deepEqual(await io.call('HTTL', 'hi', 'FIELDS', '1', 'n'), [-1]);
  });
});

describe('streams applied as they are: the primary\'s, and an import source in import mode', () => {
  it('see fields past their TTL as live, and store a past time as a TTL instead of deleting', async () => {
    await io.del('hpr');
    await io.hset('hpr', 'a', '1', 'b', '2');
    await expireSoon('hpr', 'a');
    const primary = await RawClient.connect(srv.port);
    try {
      const id = Number(await primary.call('CLIENT', 'ID'));
      const client = srv.server.clients.get(id);
      assert.ok(client);
      client.flags |= CF_PRIMARY;
      assert.equal(await primary.call('HGET', 'hpr', 'a'), '1');
      assert.deepEqual(await primary.call('HPEXPIREAT', 'hpr', '1000', 'FIELDS', '1', 'b'), [1]);
      assert.deepEqual(await primary.call('HPEXPIRETIME', 'hpr', 'FIELDS', '1', 'b'), [1000]);
      assert.equal(await primary.call('HLEN', 'hpr'), 2);
    } finally {
      primary.close();
    }
    // An ordinary client sees neither.
    assert.deepEqual(await io.hgetall('hpr'), {});
    await io.config('SET', 'import-mode', 'yes');
    const importer = await RawClient.connect(srv.port);
    try {
      assert.equal(await importer.call('CLIENT', 'IMPORT-SOURCE', 'ON'), 'OK');
      assert.deepEqual(await importer.call('HMGET', 'hpr', 'a', 'b'), ['1', '2']);
      // Nor does an ordinary client's past time delete anything in import mode.
      assert.deepEqual(await io.call('HSETEX', 'hpr2', 'PX', '100000', 'FIELDS', '1', 'f', 'v'), 1);
      assert.deepEqual(await io.call('HPEXPIREAT', 'hpr2', '1000', 'FIELDS', '1', 'f'), [1]);
      assert.equal(await io.hlen('hpr2'), 1);
    } finally {
      importer.close();
      await io.config('SET', 'import-mode', 'no');
    }
  });
});

/** Is `key` (db 0) tracked in keys_with_volatile_items? */
async function volatileKeysOf(key: string, db = 0): Promise<boolean> {
  return srv.server.dbs[db].volatileKeys.has(key);
}

// ---------------------------------------------------------------------------------------------

describe('keyspace notifications (§1.9)', () => {
  it('HEXPIRE family: hexpire once; past time: hexpired then del; nothing when nothing changed', async () => {
    await io.del('hn');
    await io.hset('hn', 'a', '1', 'b', '2');
    assert.deepEqual(await events(() => io.call('HEXPIRE', 'hn', '100', 'FIELDS', '2', 'a', 'b')), ['h:hexpire:hn']);
    assert.deepEqual(await events(() => io.call('HEXPIRE', 'hn', '100', 'NX', 'FIELDS', '1', 'a')), []);
    assert.deepEqual(await events(() => io.call('HEXPIRE', 'hn', '0', 'FIELDS', '1', 'a')), ['h:hexpired:hn']);
    assert.deepEqual(await events(() => io.call('HEXPIRE', 'hn', '0', 'FIELDS', '1', 'b')), ['h:hexpired:hn', 'g:del:hn']);
  });

  it('HPERSIST hpersist; HGETEX hexpire / hpersist / hexpired+del / none for missing fields', async () => {
    await io.del('hn');
    await io.hset('hn', 'a', '1');
    assert.deepEqual(await events(() => io.call('HGETEX', 'hn', 'EX', '100', 'FIELDS', '1', 'a')), ['h:hexpire:hn']);
    assert.deepEqual(await events(() => io.call('HGETEX', 'hn', 'PERSIST', 'FIELDS', '1', 'a')), ['h:hpersist:hn']);
    assert.deepEqual(await events(() => io.call('HGETEX', 'hn', 'EX', '100', 'FIELDS', '1', 'zz')), []);
    assert.deepEqual(await events(() => io.call('HGETEX', 'hn', 'PERSIST', 'FIELDS', '1', 'a')), []);
    assert.deepEqual(await events(() => io.call('HGETEX', 'hn', 'EX', '0', 'FIELDS', '1', 'a')), ['h:hexpired:hn', 'g:del:hn']);
    await io.hset('hn', 'a', '1');
    await io.call('HEXPIRE', 'hn', '100', 'FIELDS', '1', 'a');
    assert.deepEqual(await events(() => io.call('HPERSIST', 'hn', 'FIELDS', '1', 'a')), ['h:hpersist:hn']);
  });

  it('HSETEX: hset; hset+hexpire; past time hset hexpire hexpired del (9.0.2+); expired overwrite hexpired first', async () => {
    await io.del('hn');
    assert.deepEqual(await events(() => io.call('HSETEX', 'hn', 'FIELDS', '1', 'a', '1')), ['n:new:hn', 'h:hset:hn']);
    assert.deepEqual(await events(() => io.call('HSETEX', 'hn', 'KEEPTTL', 'FIELDS', '1', 'a', '1')), ['h:hset:hn']);
    assert.deepEqual(await events(() => io.call('HSETEX', 'hn', 'PX', '100000', 'FIELDS', '1', 'a', '1')), ['h:hset:hn', 'h:hexpire:hn']);
    assert.deepEqual(await events(() => io.call('HSETEX', 'hn', 'PX', '0', 'FIELDS', '1', 'a', '1')), ['h:hset:hn', 'h:hexpire:hn', 'h:hexpired:hn', 'g:del:hn']);
    await io.hset('hn', 'a', '1', 'b', '2');
    await expireSoon('hn', 'a');
    assert.deepEqual(await events(() => io.call('HSETEX', 'hn', 'KEEPTTL', 'FIELDS', '1', 'a', '1')), ['h:hexpired:hn', 'h:hset:hn']);
    await expireSoon('hn', 'a');
    assert.deepEqual(await events(() => io.hsetnx('hn', 'a', '2')), ['h:hexpired:hn', 'h:hset:hn']);
    await expireSoon('hn', 'a');
    assert.deepEqual(await events(() => io.hincrbyfloat('hn', 'a', '1')), ['h:hexpired:hn', 'h:hincrbyfloat:hn']);
  });

  it('through a real subscriber: hexpire / hexpired on __keyevent@0__ with class h', async () => {
    await io.config('SET', 'notify-keyspace-events', 'Eh');
    const sub = new Redis({ port: srv.port });
    try {
      const seen: string[] = [];
      sub.on('pmessage', (_p, channel, msg) => seen.push(`${channel}|${msg}`));
      await sub.psubscribe('__keyevent@0__:*');
      await io.del('hsub');
      await io.hset('hsub', 'a', '1', 'b', '2');
      await io.call('HEXPIRE', 'hsub', '100', 'FIELDS', '1', 'a');
      await io.call('HEXPIRE', 'hsub', '0', 'FIELDS', '1', 'a');
      await eventually(async () => seen.length >= 3);
      assert.deepEqual(seen, ['__keyevent@0__:hset|hsub', '__keyevent@0__:hexpire|hsub', '__keyevent@0__:hexpired|hsub']);
    } finally {
      sub.disconnect();
      await io.config('SET', 'notify-keyspace-events', '');
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('propagation (§1.10): deterministic forms, only the fields affected', () => {
  it('HEXPIRE family -> HPEXPIREAT with absolute ms and the condition; past -> HDEL', async () => {
    await io.del('hr');
    await io.hset('hr', 'a', '1', 'b', '2');
    let at = 0;
    const out = await propagated(async () => {
      const t0 = Date.now();
      await io.call('HEXPIRE', 'hr', '100', 'NX', 'FIELDS', '3', 'a', 'zz', 'b');
      at = Number(((await io.call('HPEXPIRETIME', 'hr', 'FIELDS', '1', 'a')) as number[])[0]);
      assert.ok(at >= t0 + 100_000 && at <= Date.now() + 100_000);
      await io.call('HPEXPIREAT', 'hr', String(at + 5), 'FIELDS', '1', 'a');
      await io.call('HEXPIRE', 'hr', '100', 'NX', 'FIELDS', '1', 'a'); // nothing changes: nothing sent
      await io.call('HEXPIRE', 'hr', '0', 'FIELDS', '2', 'zz', 'a');
    });
    assert.deepEqual(out, [
      ['HPEXPIREAT', 'hr', String(at), 'NX', 'FIELDS', '2', 'a', 'b'],
      ['HPEXPIREAT', 'hr', String(at + 5), 'FIELDS', '1', 'a'],
      ['HDEL', 'hr', 'a'],
    ]);
  });

  it('HPERSIST as the fields changed; HGETEX as HPEXPIREAT / HPERSIST / HDEL of the changed fields', async () => {
    await io.del('hr');
    await io.hset('hr', 'a', '1', 'b', '2');
    const at = Date.now() + 100_000;
    const out = await propagated(async () => {
      await io.call('HGETEX', 'hr', 'PXAT', String(at), 'FIELDS', '2', 'a', 'zz');
      await io.call('HPERSIST', 'hr', 'FIELDS', '3', 'a', 'b', 'zz');
      await io.call('HGETEX', 'hr', 'PX', '100000', 'FIELDS', '2', 'a', 'b');
      await io.call('HGETEX', 'hr', 'PERSIST', 'FIELDS', '2', 'b', 'zz');
      await io.call('HGETEX', 'hr', 'EX', '0', 'FIELDS', '2', 'zz', 'b');
    });
    assert.equal(out.length, 5);
    assert.deepEqual(out[0], ['HPEXPIREAT', 'hr', String(at), 'FIELDS', '1', 'a']);
    assert.deepEqual(out[1], ['HPERSIST', 'hr', 'FIELDS', '1', 'a']);
    assert.deepEqual(out[2].slice(0, 2), ['HPEXPIREAT', 'hr']);
    assert.deepEqual(out[2].slice(3), ['FIELDS', '2', 'a', 'b']);
    assert.deepEqual(out[3], ['HPERSIST', 'hr', 'FIELDS', '1', 'b']);
    assert.deepEqual(out[4], ['HDEL', 'hr', 'b']);
  });

  it('HSETEX -> PXAT without FNX/FXX; KEEPTTL over expired fields -> HDEL first; past -> HDEL of what existed', async () => {
    await io.del('hr');
    await io.hset('hr', 'old', '1');
    await expireSoon('hr', 'old');
    let at = 0;
    const out = await propagated(async () => {
      await io.call('HSETEX', 'hr', 'FNX', 'EX', '100', 'FIELDS', '1', 'a', '1');
      at = Number(((await io.call('HPEXPIRETIME', 'hr', 'FIELDS', '1', 'a')) as number[])[0]);
      await io.call('HSETEX', 'hr', 'FXX', 'FIELDS', '1', 'a', '2');
      await io.call('HSETEX', 'hr', 'KEEPTTL', 'FIELDS', '2', 'old', '3', 'a', '4');
      await io.call('HSETEX', 'hr', 'EX', '0', 'FIELDS', '2', 'a', 'x', 'zz', 'y');
    });
    assert.deepEqual(out, [
      ['HSETEX', 'hr', 'PXAT', String(at), 'FIELDS', '1', 'a', '1'],
      ['HSETEX', 'hr', 'FIELDS', '1', 'a', '2'],
      ['MULTI'],
      ['HDEL', 'hr', 'old'],
      ['HSETEX', 'hr', 'KEEPTTL', 'FIELDS', '2', 'old', '3', 'a', '4'],
      ['EXEC'],
      ['HDEL', 'hr', 'a'],
    ]);
  });

  it('HSETNX / HINCRBY / HINCRBYFLOAT on a hash with TTLs -> HSET or HSETEX PXAT; HDEL of hidden fields is left out', async () => {
    await io.del('hr');
    await io.hset('hr', 'n', '1', 'p', '1', 'gone', 'x');
    await io.call('HPEXPIRE', 'hr', '100000', 'FIELDS', '1', 'n');
    const at = ((await io.call('HPEXPIRETIME', 'hr', 'FIELDS', '1', 'n')) as number[])[0];
    await expireSoon('hr', 'gone');
    const out = await propagated(async () => {
      await io.hsetnx('hr', 'new', 'v');
      await io.hincrby('hr', 'n', 1);
      await io.hincrby('hr', 'p', 1);
      await io.hincrbyfloat('hr', 'n', '0.5');
      await io.hdel('hr', 'gone', 'p');
    });
    assert.deepEqual(out, [
      ['HSET', 'hr', 'new', 'v'],
      ['HSETEX', 'hr', 'PXAT', String(at), 'FIELDS', '1', 'n', '2'],
      ['HSET', 'hr', 'p', '2'],
      ['HSETEX', 'hr', 'PXAT', String(at), 'FIELDS', '1', 'n', '2.5'],
      ['HDEL', 'hr', 'p'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('key-level commands keep field TTLs and keys_with_volatile_items', () => {
  async function volatileHash(key: string): Promise<number> {
    await io.del(key);
    await io.hset(key, 'a', '1', 'b', '2');
    await io.call('HPEXPIRE', key, '100000', 'FIELDS', '1', 'a');
    return ((await io.call('HPEXPIRETIME', key, 'FIELDS', '1', 'a')) as number[])[0];
  }

  it('RENAME, COPY, COPY DB, MOVE', async () => {
    await io.flushall();
    const at = await volatileHash('k1');
    assert.equal(await volatileKeys(), 1);
    await io.rename('k1', 'k2');
    assert.deepEqual(await io.call('HPEXPIRETIME', 'k2', 'FIELDS', '2', 'a', 'b'), [at, -1]);
    assert.ok(await volatileKeysOf('k2'));
    assert.ok(!(await volatileKeysOf('k1')));
    assert.equal(await io.copy('k2', 'k3'), 1);
    assert.deepEqual(await io.call('HPEXPIRETIME', 'k3', 'FIELDS', '2', 'a', 'b'), [at, -1]);
    assert.equal(await volatileKeys(), 2);
    // The copy is independent.
    await io.call('HPERSIST', 'k3', 'FIELDS', '1', 'a');
    assert.deepEqual(await io.call('HPEXPIRETIME', 'k2', 'FIELDS', '1', 'a'), [at]);
    assert.equal(await volatileKeys(), 1);
    assert.equal(await io.call('COPY', 'k2', 'k4', 'DB', '3'), 1);
    assert.equal(await volatileKeys(3), 1);
    assert.equal(await io.move('k2', '5'), 1);
    assert.equal(await volatileKeys(), 0);
    assert.equal(await volatileKeys(5), 1);
    await io.select(5);
    assert.deepEqual(await io.call('HPEXPIRETIME', 'k2', 'FIELDS', '1', 'a'), [at]);
    await io.select(0);
    assert.equal(hashAt('k4', 3).fieldExpire('a'), at);
  });

  it('COPY leaves out fields already past their TTL', async () => {
    await io.del('cp', 'cp2');
    await io.hset('cp', 'a', '1', 'b', '2');
    await expireSoon('cp', 'a');
    await io.copy('cp', 'cp2');
    assert.equal(await io.hlen('cp2'), 1);
    assert.equal(await io.hlen('cp'), 2);
  });

  it('DUMP (type 22, version 80) and RESTORE keep them; DEL, SET, FLUSHDB, SWAPDB keep the tracking right', async () => {
    await io.flushall();
    const at = await volatileHash('d1');
    const dump = (await io.dumpBuffer('d1')) as Buffer;
    assert.equal(dump[0], 22);
    assert.equal(dump.readUInt16LE(dump.length - 10), 80);
    await io.restore('d2', 0, dump);
    assert.deepEqual(await io.call('HPEXPIRETIME', 'd2', 'FIELDS', '2', 'a', 'b'), [at, -1]);
    assert.equal(await io.object('ENCODING', 'd2'), 'hashtable');
    assert.equal(await volatileKeys(), 2);
    await io.del('d1');
    assert.equal(await volatileKeys(), 1);
    await io.set('d2', 'now a string');
    assert.equal(await volatileKeys(), 0);
    await volatileHash('d3');
    await io.swapdb(0, 7);
    assert.equal(await volatileKeys(), 0);
    assert.equal(await volatileKeys(7), 1);
    await io.swapdb(0, 7);
    assert.equal(await volatileKeys(), 1);
    await io.flushdb();
    assert.equal(await volatileKeys(), 0);
    assert.equal(srv.server.dbs[0].volatileKeys.size, 0);
  });

  it('HPERSIST of the last TTL and HDEL of the last volatile field untrack the key', async () => {
    await volatileHash('u1');
    assert.ok(await volatileKeysOf('u1'));
    await io.call('HPERSIST', 'u1', 'FIELDS', '1', 'a');
    assert.ok(!(await volatileKeysOf('u1')));
    await io.call('HEXPIRE', 'u1', '100', 'FIELDS', '1', 'b');
    assert.ok(await volatileKeysOf('u1'));
    await io.hdel('u1', 'b');
    assert.ok(!(await volatileKeysOf('u1')));
  });

  it('DEBUG RELOAD saves and loads type 22, fields past their TTL included, and tracks the key again', async () => {
    await io.flushall();
    const at = await volatileHash('r1');
    await io.hset('r1', 'gone', 'x');
    await expireSoon('r1', 'gone');
    assert.equal(await io.call('DEBUG', 'RELOAD'), 'OK');
    assert.deepEqual(await io.call('HPEXPIRETIME', 'r1', 'FIELDS', '2', 'a', 'b'), [at, -1]);
    assert.equal(await io.hlen('r1'), 3);
    assert.equal(await io.hget('r1', 'gone'), null);
    assert.equal(await volatileKeys(), 1);
  });

  it('key TTL and field TTLs are independent', async () => {
    await volatileHash('kt');
    await io.expire('kt', 1000);
    await io.persist('kt');
    assert.equal(await io.ttl('kt'), -1);
    assert.deepEqual(await io.call('HTTL', 'kt', 'FIELDS', '1', 'a'), [100]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('MULTI', () => {
  it('the time is frozen for the transaction and the effects go out as one MULTI/EXEC', async () => {
    await io.del('hm');
    await io.hset('hm', 'a', '1', 'b', '2');
    let replies: unknown;
    const out = await propagated(async () => {
      const r = await io.multi()
        .call('HPEXPIRE', 'hm', '5000', 'FIELDS', '1', 'a')
        .call('HPTTL', 'hm', 'FIELDS', '1', 'a')
        .call('HSETEX', 'hm', 'PX', '7000', 'FIELDS', '1', 'b', '3')
        .call('HPTTL', 'hm', 'FIELDS', '1', 'b')
        .exec();
      replies = r?.map((x) => x[1]);
    });
    assert.deepEqual(replies, [[1], [5000], 1, [7000]]);
    const ttlA = Number(out[1][2]);
    assert.deepEqual(out, [
      ['MULTI'],
      ['HPEXPIREAT', 'hm', String(ttlA), 'FIELDS', '1', 'a'],
      ['HSETEX', 'hm', 'PXAT', String(ttlA + 2000), 'FIELDS', '1', 'b', '3'],
      ['EXEC'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('INFO and COMMAND', () => {
  it('INFO stats and keyspace carry the field expiration figures', async () => {
    const text = (await io.info()) as string;
    assert.match(text, /^expired_fields:\d+\r$/m);
    assert.match(text, /^expired_keys_with_volatile_items_stale_perc:\d+\.\d\d\r$/m);
    await io.flushall();
    await io.hset('i1', 'a', '1');
    await io.call('HEXPIRE', 'i1', '100', 'FIELDS', '1', 'a');
    const ks = (await io.info('keyspace')) as string;
    assert.match(ks, /^db0:keys=1,expires=0,avg_ttl=0,keys_with_volatile_items=1\r$/m);
  });

  it('COMMAND INFO: arity, flags, key specs as Valkey', async () => {
    const info = (await raw.call('COMMAND', 'INFO', 'hsetex', 'hgetex', 'hexpire', 'httl', 'hpersist')) as unknown[][];
    const [hsetex, hgetex, hexpire, httl, hpersist] = info;
    assert.deepEqual([hsetex[0], hsetex[1], hsetex[2]], ['hsetex', -6, ['write', 'denyoom', 'fast']]);
    assert.deepEqual([hgetex[1], hgetex[2]], [-5, ['write', 'fast']]);
    assert.deepEqual([hexpire[1], hexpire[2]], [-6, ['write', 'fast']]);
    assert.deepEqual([httl[1], httl[2]], [-5, ['readonly', 'fast']]);
    assert.deepEqual([hpersist[1], hpersist[2]], [-5, ['write', 'fast']]);
    assert.deepEqual(hexpire[6], ['@write', '@hash', '@fast']);
    assert.deepEqual(httl[6], ['@read', '@hash', '@fast']);
    const docs = (await io.call('COMMAND', 'DOCS', 'hgetex')) as unknown[];
    const flat = JSON.stringify(docs);
    assert.ok(flat.includes('9.0.0') && flat.includes('PERSIST'));
    assert.deepEqual(await io.call('COMMAND', 'GETKEYS', 'HSETEX', 'k', 'EX', '1', 'FIELDS', '1', 'f', 'v'), ['k']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('active reclamation', () => {
  after(async () => {
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  });

  it('reclaims due fields: HDEL batches then DEL wrapped in MULTI/EXEC, hexpired (x) then del (g)', async () => {
    await io.flushall();
    await io.hset('ar', 'keep', '1');
    await io.call('HSETEX', 'ar', 'PX', '30', 'FIELDS', '2', 'a', '1', 'b', '2');
    await io.call('HSETEX', 'ar2', 'PX', '30', 'FIELDS', '1', 'only', '1');
    const before = await expiredFields();
    await sleep(40);
    let out: string[][] = [];
    const got = await events(async () => {
      out = await propagated(async () => {
        await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
        await eventually(async () => (await io.hlen('ar')) === 1 && (await io.exists('ar2')) === 0);
      });
    });
    assert.equal(await expiredFields(), before + 3);
    assert.ok(got.includes('x:hexpired:ar'));
    const i = got.indexOf('x:hexpired:ar2');
    assert.ok(i >= 0 && got[i + 1] === 'g:del:ar2', JSON.stringify(got));
    const hdelAr = out.find((a) => a[0] === 'HDEL' && a[1] === 'ar');
    assert.ok(hdelAr);
    assert.deepEqual(hdelAr.slice(2).sort(), ['a', 'b']);
    const j = out.findIndex((a) => a[0] === 'HDEL' && a[1] === 'ar2');
    assert.deepEqual(out.slice(j - 1, j + 3), [['MULTI'], ['HDEL', 'ar2', 'only'], ['UNLINK', 'ar2'], ['EXEC']]);
    assert.equal(await volatileKeys(), 0);
  });

  it('HDEL batches name at most 1024 fields; a big hash empties over several cycles', async () => {
    await io.flushall();
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await io.config('SET', 'active-expire-effort', '10');
    try {
      const args: string[] = [];
      for (let i = 0; i < 3000; i++) args.push('f' + i, 'v');
      await io.call('HSETEX', 'big', 'PX', '20', 'FIELDS', '3000', ...args);
      await sleep(30);
      const out = await propagated(async () => {
        await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
        await eventually(async () => (await io.exists('big')) === 0, 15_000);
      });
      const hdels = out.filter((a) => a[0] === 'HDEL');
      assert.ok(hdels.length >= 3);
      assert.ok(hdels.every((a) => a.length - 2 <= 1024));
      assert.equal(hdels.reduce((n, a) => n + a.length - 2, 0), 3000);
    } finally {
      await io.config('SET', 'active-expire-effort', '1');
    }
  });

  it('stops under CLIENT PAUSE WRITE and DEBUG SET-ACTIVE-EXPIRE 0, resumes after', async () => {
    await io.flushall();
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await io.call('HSETEX', 'pz', 'PX', '20', 'FIELDS', '1', 'a', '1');
    await io.hset('pz', 'b', '2');
    await sleep(30);
    await io.call('CLIENT', 'PAUSE', '400', 'WRITE');
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    await sleep(200);
    assert.equal(await io.hlen('pz'), 2);
    await eventually(async () => (await io.hlen('pz')) === 1);
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await io.call('HSETEX', 'pz', 'PX', '20', 'FIELDS', '1', 'c', '1');
    await sleep(200);
    assert.equal(await io.hlen('pz'), 2);
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    await eventually(async () => (await io.hlen('pz')) === 1);
  });

  it('a replica and import mode never reclaim fields on their own', async () => {
    await io.flushall();
    await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await io.call('HSETEX', 'rp', 'PX', '20', 'FIELDS', '1', 'a', '1');
    await sleep(30);
    // Each state is set before the previous one ends, so that no cron runs in between.
    srv.server.primaryHost = '127.0.0.1';
    try {
      await raw.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await sleep(200);
      assert.equal(srv.server.dbs[0].size, 1);
      await io.config('SET', 'import-mode', 'yes');
    } finally {
      srv.server.primaryHost = null;
    }
    try {
      await sleep(200);
      assert.equal(srv.server.dbs[0].size, 1);
    } finally {
      await io.config('SET', 'import-mode', 'no');
    }
    await eventually(async () => (await io.exists('rp')) === 0);
  });

  it('an active expiry subscriber needs class x: hexpired arrives on __keyevent@0__:hexpired', async () => {
    await io.config('SET', 'notify-keyspace-events', 'Ex');
    const sub = new Redis({ port: srv.port });
    try {
      const seen: string[] = [];
      sub.on('message', (channel, msg) => seen.push(`${channel}|${msg}`));
      await sub.subscribe('__keyevent@0__:hexpired');
      await io.hset('ax', 'keep', '1');
      await io.call('HSETEX', 'ax', 'PX', '20', 'FIELDS', '1', 'a', '1');
      await eventually(async () => seen.length >= 1);
      assert.deepEqual(seen, ['__keyevent@0__:hexpired|ax']);
    } finally {
      sub.disconnect();
      await io.config('SET', 'notify-keyspace-events', '');
    }
  });
});
