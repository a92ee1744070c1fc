// Geo commands: behaviour through real clients (ioredis, node-redis), exact RESP2/RESP3 shapes
// with RawClient, Valkey 9.0's errors and BYPOLYGON, side effects (keyspace events,
// propagation, key specs), and a differential run of random points and searches against the
// reference redis-server 7.0.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, RawClient, startReference, referenceAvailable, type RunningServer, type ReferenceServer, type Tagged } from '../helpers';
import { runDifferential, rawReply, seedFromEnv, propagated as propagatedBy, keyspaceEvents, type Rng } from './differential';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const SYNTAX = 'ERR syntax error';
const NOT_FLOAT = 'ERR value is not a valid float';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

const propagated = (fn: () => Promise<unknown>) => propagatedBy(srv, fn);
const events = (fn: () => Promise<unknown>) => keyspaceEvents(srv, fn);
const dbl = (value: string): Tagged => ({ type: 'double', value });
const call = (...args: (string | number)[]) => io.call(String(args[0]), ...args.slice(1)) as Promise<unknown>;
const err = (msg: string) => ({ error: msg });
const zr = (key: string, ...args: (string | number)[]) => io.call('ZRANGE', key, ...args) as Promise<string[]>;

/** Valkey's test data set (tests/unit/geo.tcl). */
const NYC: (string | number)[] = [
  -73.9454966, 40.747533, 'lic market', -73.9733487, 40.7648057, 'central park n/q/r', -73.9903085, 40.7362513, 'union square',
  -74.0131604, 40.7126674, 'wtc one', -73.7858139, 40.6428986, 'jfk', -73.9375699, 40.7498929, 'q4', -73.9564142, 40.7480973, '4545',
];

before(async () => {
  ({ srv, io, raw, raw3 } = await startWithClients({}, { protocol: 2 }));
  await call('GEOADD', 'nyc', ...NYC);
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

describe('GEOADD', () => {
  it('stores 52-bit geohashes as scores, as Valkey does', async () => {
    assert.deepEqual(await zr('nyc', 0, -1, 'WITHSCORES'), [
      'wtc one', '1791873972053020', 'union square', '1791875485187452', 'central park n/q/r', '1791875761332224',
      '4545', '1791875796750882', 'lic market', '1791875804419201', 'q4', '1791875830079666', 'jfk', '1791895905559723',
    ]);
    assert.equal(await call('TYPE', 'nyc'), 'zset');
  });

  it('NX, XX and CH', async () => {
    await io.del('g');
    assert.equal(await call('GEOADD', 'g', 10, 20, 'a'), 1);
    assert.equal(await call('GEOADD', 'g', 10, 20, 'a'), 0);
    assert.equal(await call('GEOADD', 'g', 'CH', 11, 21, 'a'), 1);
    assert.equal(await call('GEOADD', 'g', 'NX', 12, 22, 'a', 1, 1, 'b'), 1);
    assert.equal(await call('GEOADD', 'g', 'XX', 'CH', 13, 23, 'a', 2, 2, 'c'), 1);
    assert.equal(await call('GEOADD', 'g', 'CH', 'NX', 13, 23, 'a'), 0);
    assert.equal(await io.zcard('g'), 2);
    const [[lon, lat]] = (await io.geopos('g', 'a')) as [string, string][];
    assert.ok(Math.abs(Number(lon) - 13) < 1e-5 && Math.abs(Number(lat) - 23) < 1e-5);
    assert.equal(await call('GEOADD', 'nokey', 'XX', 1, 1, 'a'), 0);
    assert.equal(await io.exists('nokey'), 0);
  });

  it('accepts the exact limits and refuses anything beyond with the pair in %f', async () => {
    await io.del('lim');
    assert.equal(await call('GEOADD', 'lim', 180, 85.05112878, 'ne', -180, -85.05112878, 'sw'), 2);
    assert.deepEqual(await zr('lim', 0, -1, 'WITHSCORES'), ['sw', '0', 'ne', '13510798882111488']);
    assert.deepEqual(await raw.call('GEOADD', 'lim', 180.0000001, 0, 'x'), err('ERR invalid longitude,latitude pair 180.000000,0.000000'));
    assert.deepEqual(await raw.call('GEOADD', 'lim', 1, -85.06, 'x'), err('ERR invalid longitude,latitude pair 1.000000,-85.060000'));
    assert.deepEqual(await raw.call('GEOADD', 'lim', 200.0078125, '-0', 'x'), err('ERR invalid longitude,latitude pair 200.007812,-0.000000'));
    assert.deepEqual(await raw.call('GEOADD', 'lim', 'inf', 0, 'x'), err('ERR invalid longitude,latitude pair inf,0.000000'));
    assert.deepEqual(await raw.call('GEOADD', 'lim', 1, 2, 'ok', 'foo', 'bar', 'bad'), err(NOT_FLOAT));
    assert.equal(await io.zcard('lim'), 2, 'nothing added when a later pair is invalid');
  });

  it('refuses bad option combinations and argument counts', async () => {
    assert.deepEqual(await raw.call('GEOADD', 'g', 'XX', 'NX', 1, 1, 'a'), err(SYNTAX));
    assert.deepEqual(await raw.call('GEOADD', 'g', 'CH', 'XX', 'foo', 1, 1, 'a'), err(SYNTAX));
    assert.deepEqual(await raw.call('GEOADD', 'g', 1, 1, 'a', 2), err(SYNTAX));
    assert.deepEqual(await raw.call('GEOADD', 'g', 'ch', 'nx', 'xx'), err(SYNTAX));
    assert.deepEqual(await raw.call('GEOADD', 'g', 'ch', 'nx'), err("ERR wrong number of arguments for 'geoadd' command"));
    assert.deepEqual(await raw.call('GEOADD', 'g', 'GT', 1, 1), err(NOT_FLOAT));
    await io.set('str', 'x');
    assert.deepEqual(await raw.call('GEOADD', 'str', 1, 1, 'a'), err(WRONGTYPE));
  });

  it('is propagated as the ZADD it performs, with "zadd" events', async () => {
    await io.del('gp');
    let ev: string[] = [];
    const prop = await propagated(async () => {
      ev = await events(() => call('GEOADD', 'gp', 'CH', 13.361389, 38.115556, 'Palermo', 180, 85.05112878, 'edge'));
    });
    assert.deepEqual(prop, [['zadd', 'gp', 'CH', '3479099956230698', 'Palermo', '13510798882111488', 'edge']]);
    assert.deepEqual(ev, ['n:new:gp', 'z:zadd:gp']);
    assert.deepEqual(await propagated(() => call('GEOADD', 'gp', 13.361389, 38.115556, 'Palermo')), []);
  });
});

describe('GEOPOS GEOHASH GEODIST', () => {
  it('GEOPOS replies coordinates as %.17Lf, nulls for missing members', async () => {
    assert.deepEqual(await raw.call('GEOPOS', 'nyc', 'q4', 'nope'), [['-73.93757253885269165', '40.74989209639726795'], null]);
    assert.deepEqual(await raw3.call('GEOPOS', 'nyc', 'q4', 'nope'), [[dbl('-73.93757253885269165'), dbl('40.74989209639726795')], null]);
    assert.deepEqual(await raw.call('GEOPOS', 'nokey', 'a'), [null]);
    assert.deepEqual(await raw.call('GEOPOS', 'nyc'), []);
    assert.equal(await rawReply(raw, 'GEOPOS', 'nyc', 'nope'), '*1\r\n*-1\r\n');
    assert.equal(await rawReply(raw3, 'GEOPOS', 'nyc', 'nope'), '*1\r\n_\r\n');
    assert.deepEqual(await raw.call('GEOPOS', 'str', 'a'), err(WRONGTYPE));
  });

  it('GEOHASH gives standard 11-character geohashes', async () => {
    await call('GEOADD', 'points', -5.6, 42.6, 'test');
    assert.deepEqual(await io.geohash('points', 'test', 'nope'), ['ezs42e44yx0', null]);
    assert.deepEqual(await io.geohash('nyc', 'q4', 'jfk'), ['dr5rvd233d0', 'dr5x0yyf1c0']);
    assert.deepEqual(await raw3.call('GEOHASH', 'nyc', 'nope'), [null]);
    assert.deepEqual(await raw.call('GEOHASH', 'str', 'a'), err(WRONGTYPE));
  });

  it('GEODIST in every unit, 4 decimals, null when a member or the key is missing', async () => {
    await call('GEOADD', 'sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
    assert.equal(await io.geodist('sicily', 'Palermo', 'Catania'), '166274.1516');
    assert.equal(await call('GEODIST', 'sicily', 'Palermo', 'Catania', 'KM'), '166.2742');
    assert.equal(await call('GEODIST', 'sicily', 'Palermo', 'Catania', 'mi'), '103.3182');
    assert.equal(await call('GEODIST', 'sicily', 'Palermo', 'Catania', 'ft'), '545518.8700');
    assert.equal(await io.geodist('sicily', 'Palermo', 'Palermo'), '0.0000');
    assert.equal(await io.geodist('sicily', 'Palermo', 'Agrigento'), null);
    assert.equal(await io.geodist('nokey', 'a', 'b'), null);
    assert.equal(await raw3.call('GEODIST', 'nokey', 'a', 'b'), null);
    assert.equal(await raw3.call('GEODIST', 'sicily', 'Palermo', 'Catania'), '166274.1516', 'a bulk string in RESP3 too');
    assert.deepEqual(await raw.call('GEODIST', 'sicily', 'Palermo', 'Catania', 'yd'), err('ERR unsupported unit provided. please use M, KM, FT, MI'));
    assert.deepEqual(await raw.call('GEODIST', 'sicily', 'Palermo', 'Catania', 'km', 'x'), err(SYNTAX));
    assert.deepEqual(await raw.call('GEODIST', 'str', 'a', 'b'), err(WRONGTYPE));
  });
});

describe('searches', () => {
  it('GEORADIUS and GEORADIUS_RO, sorted, with COUNT, ANY and every WITH*', async () => {
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 3, 'km', 'asc'), ['central park n/q/r', '4545', 'union square']);
    assert.deepEqual(await call('GEORADIUS_RO', 'nyc', -73.9798091, 40.7598464, 3, 'km', 'asc'), ['central park n/q/r', '4545', 'union square']);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 3, 'km', 'withdist', 'asc'), [
      ['central park n/q/r', '0.7750'], ['4545', '2.3651'], ['union square', '2.7697'],
    ]);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'COUNT', 3), ['central park n/q/r', '4545', 'union square']);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'COUNT', 2, 'DESC'), ['wtc one', 'q4']);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'COUNT', 3, 'ANY'), ['wtc one', 'union square', 'central park n/q/r']);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'COUNT', 3, 'ANY', 'ASC'), ['central park n/q/r', 'union square', 'wtc one']);
    assert.deepEqual(await call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'WITHDIST', 'WITHHASH', 'WITHCOORD', 'COUNT', 2), [
      ['central park n/q/r', '0.7750', 1791875761332224, ['-73.97334784269332886', '40.76480639569881959']],
      ['4545', '2.3651', 1791875796750882, ['-73.95641237497329712', '40.74809751381645384']],
    ]);
    assert.deepEqual(await raw3.call('GEORADIUS', 'nyc', -73.9798091, 40.7598464, 10, 'km', 'WITHCOORD', 'WITHDIST', 'COUNT', 1), [
      ['central park n/q/r', '0.7750', [dbl('-73.97334784269332886'), dbl('40.76480639569881959')]],
    ]);
  });

  it('GEORADIUSBYMEMBER and GEOSEARCH FROMMEMBER / FROMLONLAT, BYRADIUS / BYBOX', async () => {
    assert.deepEqual(await call('GEORADIUSBYMEMBER', 'nyc', 'wtc one', 7, 'km'), ['wtc one', 'union square', 'central park n/q/r', '4545', 'lic market']);
    assert.deepEqual(await call('GEORADIUSBYMEMBER_RO', 'nyc', 'wtc one', 7, 'km', 'withdist'), [
      ['wtc one', '0.0000'], ['union square', '3.2544'], ['central park n/q/r', '6.7000'], ['4545', '6.1975'], ['lic market', '6.8969'],
    ]);
    assert.deepEqual(await call('GEOSEARCH', 'nyc', 'frommember', 'wtc one', 'bybox', 14, 14, 'km'), [
      'wtc one', 'union square', 'central park n/q/r', '4545', 'lic market', 'q4',
    ]);
    assert.deepEqual(await call('GEOSEARCH', 'nyc', 'fromlonlat', -73.9798091, 40.7598464, 'bybox', 6, 6, 'km', 'withdist', 'asc'), [
      ['central park n/q/r', '0.7750'], ['4545', '2.3651'], ['union square', '2.7697'], ['lic market', '3.1991'],
    ]);
  });

  it('edge cases from Valkey: the antimeridian, long narrow boxes, box corners, the poles', async () => {
    await io.del('e');
    await call('GEOADD', 'e', 179.5, 36, 'point1', -179.5, 36, 'point2');
    assert.deepEqual(await call('GEOSEARCH', 'e', 'fromlonlat', 179, 37, 'bybox', 400, 400, 'km', 'asc'), ['point1', 'point2']);
    assert.deepEqual(await call('GEOSEARCH', 'e', 'fromlonlat', -179, 37, 'bybox', 400, 400, 'km', 'asc'), ['point2', 'point1']);
    await io.del('e');
    await call('GEOADD', 'e', 12.75, 36.995, 'test1', 12.75, 36.5, 'test2', 13.0, 36.5, 'test3', -1, 37.0, 'test4');
    assert.deepEqual(await call('GEOSEARCH', 'e', 'fromlonlat', 15, 37, 'bybox', 3000, 2, 'km', 'asc'), ['test1', 'test4']);
    await io.del('e');
    await call('GEOADD', 'e', 45, 65, 'n1', -135, 85.05, 'n2');
    assert.deepEqual(await call('GEORADIUSBYMEMBER', 'e', 'n1', 5009431, 'm'), ['n1', 'n2']);
    await io.del('e');
    await call('GEOADD', 'e', -47.271613776683807, -54.534504198047678, 'user_000000');
    assert.equal(((await call('GEORADIUS', 'e', 0, 0, 50000, 'km', 'WITHCOORD')) as unknown[]).length, 1);
    await io.del('e');
    await call('GEOADD', 'e', -122.407107, 37.7943, '1', -122.227336, 37.7943, '2');
    assert.deepEqual(await call('GEORADIUS', 'e', -122.407107, 37.7943, 30, 'mi', 'ASC', 'WITHDIST'), [['1', '0.0001'], ['2', '9.8182']]);
  });

  it('missing source: an empty array, or 0 and the destination deleted', async () => {
    await io.set('dst', 'x');
    assert.deepEqual(await call('GEOSEARCH', 'nokey', 'frommember', 'a', 'byradius', 1, 'km'), []);
    assert.deepEqual(await call('GEORADIUSBYMEMBER', 'nokey', 'a', 'notanumber', 'km'), [], 'the radius is not even parsed');
    let ev: string[] = [];
    const prop = await propagated(async () => {
      ev = await events(async () => assert.equal(await call('GEORADIUS', 'nokey', 1, 1, 1, 'km', 'store', 'dst'), 0));
    });
    assert.equal(await io.exists('dst'), 0);
    assert.deepEqual(ev, ['g:del:dst']);
    assert.deepEqual(prop, [['GEORADIUS', 'nokey', '1', '1', '1', 'km', 'store', 'dst']]);
    assert.equal(await call('GEOSEARCHSTORE', 'dst', 'nokey', 'fromlonlat', 0, 0, 'byradius', 1, 'km'), 0);
  });

  it('STORE, STOREDIST and GEOSEARCHSTORE: results as a zset, events, propagation', async () => {
    await io.del('sicily', 'd1');
    await call('GEOADD', 'sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
    let ev: string[] = [];
    const prop = await propagated(async () => {
      ev = await events(async () => assert.equal(await call('GEORADIUS', 'sicily', 13.361389, 38.115556, 500, 'km', 'store', 'd1'), 2));
    });
    assert.deepEqual(await zr('d1', 0, -1), await zr('sicily', 0, -1));
    assert.deepEqual(ev, ['n:new:d1', 'z:georadiusstore:d1']);
    assert.deepEqual(prop, [['GEORADIUS', 'sicily', '13.361389', '38.115556', '500', 'km', 'store', 'd1']]);
    assert.equal(await call('OBJECT', 'ENCODING', 'd1'), 'listpack');

    assert.equal(await call('GEORADIUSBYMEMBER', 'sicily', 'Catania', 500, 'km', 'storedist', 'd1'), 2);
    assert.deepEqual(await zr('d1', 0, -1, 'WITHSCORES'), ['Catania', '0', 'Palermo', '166.27415156960032']);
    assert.equal(await call('GEORADIUS', 'sicily', 13.361389, 38.115556, 500, 'km', 'storedist', 'd1', 'desc', 'count', 1), 1);
    assert.deepEqual(await zr('d1', 0, -1), ['Catania']);

    ev = await events(async () => assert.equal(await call('GEOSEARCHSTORE', 'd2', 'sicily', 'fromlonlat', 15, 37, 'byradius', 200, 'km', 'asc', 'storedist'), 2));
    assert.deepEqual(ev, ['n:new:d2', 'z:geosearchstore:d2']);
    assert.deepEqual(await zr('d2', 0, -1, 'WITHSCORES'), ['Catania', '56.4412578701582', 'Palermo', '190.44242984775784']);
    // Nothing found: the destination goes away.
    ev = await events(async () => assert.equal(await call('GEOSEARCHSTORE', 'd2', 'sicily', 'fromlonlat', 0, 0, 'byradius', 1, 'km'), 0));
    assert.deepEqual(ev, ['g:del:d2']);
    assert.equal(await io.exists('d2'), 0);
    // Reading is not writing: a search without STORE propagates nothing.
    assert.deepEqual(await propagated(() => call('GEORADIUS', 'sicily', 15, 37, 200, 'km')), []);
  });

  it('a large (skiplist) index gives the same results as a small (listpack) one', async () => {
    const pts: (string | number)[] = [];
    for (let i = 0; i < 300; i++) pts.push(-10 + (i % 20), 40 + Math.floor(i / 20) * 0.5, `p${i}`);
    await io.del('big', 'small');
    await call('GEOADD', 'big', ...pts);
    await call('GEOADD', 'small', ...pts.slice(0, 180));
    assert.equal(await call('OBJECT', 'ENCODING', 'big'), 'skiplist');
    assert.equal(await call('OBJECT', 'ENCODING', 'small'), 'listpack');
    const q = ['fromlonlat', -5, 40.2, 'byradius', 200, 'km', 'asc', 'withdist'];
    const big = (await call('GEOSEARCH', 'big', ...q)) as [string, string][];
    const small = (await call('GEOSEARCH', 'small', ...q)) as [string, string][];
    assert.ok(small.length > 5);
    assert.deepEqual(big.filter(([m]) => Number(m.slice(1)) < 60), small);
    const any = (await call('GEOSEARCH', 'big', 'fromlonlat', -5, 42, 'bybox', 2000, 2000, 'km', 'count', 7, 'any')) as string[];
    assert.equal(any.length, 7);
  });
});

describe('BYPOLYGON (Valkey 9.0)', () => {
  const SYDNEY: (string | number)[] = [
    151.20932132005692, -33.877723137822436, 'Elizabeth Street', 151.2119820713997, -33.87697539508043, 'Connaught Centre',
    151.2119820713997, -33.87156123068408, 'St James', 151.2229523062706, -33.883973760201364, 'Oxford Street',
    151.22852593660355, -33.88116782387797, 'Goodhope Street', 151.2224105000496, -33.87544442350019, 'Kings Cross Centre',
    151.22953444719315, -33.874838625143106, 'Reg Bartley Oval',
  ];
  const POLYGON: (string | number)[] = [
    'BYPOLYGON', 11, 151.21619137411474, -33.869643764947696, 151.20408853981647, -33.87845382042545, 151.2123775086366, -33.87864711938855,
    151.21046943124387, -33.87588862400425, 151.21701035939626, -33.874286511854834, 151.2239557405701, -33.8735722632175,
    151.22495056246407, -33.87893571656996, 151.2274447496748, -33.882307713036354, 151.23212935868654, -33.88136096120022,
    151.23097291274465, -33.87456240592362, 151.22475424781445, -33.87099633192101,
  ];

  it('finds the members inside, with the distance to the centroid', async () => {
    await io.del('syd', 'sydst');
    await call('GEOADD', 'syd', ...SYDNEY);
    assert.deepEqual(await call('GEOSEARCH', 'syd', ...POLYGON), ['Goodhope Street', 'Reg Bartley Oval', 'Elizabeth Street']);
    assert.deepEqual(await call('GEOSEARCH', 'syd', ...POLYGON, 'WITHDIST', 'WITHCOORD', 'DESC'), [
      ['Elizabeth Street', '1035.7735', ['151.20932132005691528', '-33.87772313782243572']],
      ['Goodhope Street', '929.4979', ['151.22852593660354614', '-33.88116782387797343']],
      ['Reg Bartley Oval', '858.3013', ['151.22953444719314575', '-33.87483862514310573']],
    ]);
    assert.equal(await call('GEOSEARCHSTORE', 'sydst', 'syd', ...POLYGON, 'ASC', 'STOREDIST', 'COUNT', 2), 2);
    assert.deepEqual(await zr('sydst', 0, -1), ['Reg Bartley Oval', 'Goodhope Street']);
  });

  it('refuses too few vertices and mixing with FROM* / BYRADIUS / BYBOX', async () => {
    const v = [151.2, -33.87, 151.21, -33.88];
    const few = 'ERR GEOSEARCH BYPOLYGON must have at least 3 vertices';
    assert.deepEqual(await raw.call('GEOSEARCH', 'syd', 'BYPOLYGON', 2, ...v), err(few));
    assert.deepEqual(await raw.call('GEOSEARCH', 'syd', 'BYPOLYGON', 3, ...v), err(few));
    assert.deepEqual(await raw.call('GEOSEARCH', 'syd', 'BYPOLYGON', 'x', ...v), err('ERR invalid number of vertices'));
    assert.deepEqual(await raw.call('GEOSEARCH', 'syd', 'BYPOLYGON', 3, ...v, 151.2, 95), err('ERR invalid longitude,latitude pair 151.200000,95.000000'));
    for (const extra of [['BYBOX', 400, 400, 'km'], ['BYRADIUS', 5, 'km'], ['FROMLONLAT', 151.2, -33.88], ['FROMMEMBER', 'St James']]) {
      assert.deepEqual(await raw.call('GEOSEARCH', 'syd', 'BYPOLYGON', 3, ...v, 151.21, -33.86, ...extra), err(SYNTAX), String(extra));
      assert.deepEqual(await raw.call('GEOSEARCH', 'syd', ...extra, 'BYPOLYGON', 3, ...v, 151.21, -33.86), err(SYNTAX), String(extra));
    }
  });
});

describe('search errors (Valkey 9.0 texts)', () => {
  const cases: [(string | number)[], string][] = [
    [['GEOSEARCH', 'nyc', 'bybox', 3, 3, 'km', 'asc'], 'ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH'],
    [['geoSearch', 'nyc', 'fromlonlat', 1, 1, 'asc', 'withdist'], 'ERR exactly one of BYRADIUS, BYBOX and BYPOLYGON can be specified for geoSearch'],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'frommember', 'q4', 'bybox', 6, 6, 'km'], SYNTAX],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'byradius', 3, 'km', 'bybox', 3, 3, 'km'], SYNTAX],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'byradius', 3, 'km', 'storedist'], SYNTAX],
    [['GEOSEARCH', 'nyc', 'frommember', 'nope', 'byradius', 3, 'km'], 'ERR member nope does not exist'],
    [['GEORADIUSBYMEMBER', 'nyc', 'nope', 3, 'km'], 'ERR member nope does not exist'],
    [['GEORADIUS', 'nyc', 1, 1, -1, 'km'], 'ERR radius cannot be negative'],
    [['GEORADIUS', 'nyc', 1, 1, 'x', 'km'], 'ERR need numeric radius'],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'yd'], 'ERR unsupported unit provided. please use M, KM, FT, MI'],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'bybox', 'w', 1, 'km'], 'ERR need numeric width'],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'bybox', 1, 'h', 'km'], 'ERR need numeric height'],
    [['GEOSEARCH', 'nyc', 'fromlonlat', 1, 1, 'bybox', 1, -1, 'km'], 'ERR height or width cannot be negative'],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'count', 0], 'ERR COUNT must be > 0'],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'count', 'x'], 'ERR value is not an integer or out of range'],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'count'], SYNTAX],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'any'], 'ERR the ANY argument requires COUNT argument'],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'store'], SYNTAX],
    [['GEORADIUS_RO', 'nyc', 1, 1, 1, 'km', 'store', 'x'], SYNTAX],
    [['GEORADIUS', 'nyc', 1, 1, 1, 'km', 'store', 'x', 'withdist'], 'ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options'],
    [['GEOSEARCHSTORE', 'x', 'nyc', 'fromlonlat', 1, 1, 'byradius', 1, 'km', 'withcoord'], 'ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options'],
    [['GEOSEARCHSTORE', 'x', 'nyc', 'fromlonlat', 1, 1, 'byradius', 1, 'km', 'store', 'y'], SYNTAX],
    [['GEORADIUS', 'nyc', 181, 1, 1, 'km'], 'ERR invalid longitude,latitude pair 181.000000,1.000000'],
    [['GEORADIUS', 'str', 1, 1, 1, 'km'], WRONGTYPE],
    [['GEOSEARCH', 'str', 'fromlonlat', 1, 1, 'byradius', 1, 'km'], WRONGTYPE],
  ];
  it('replies each error word for word', async () => {
    await io.set('str', 'x');
    for (const [args, msg] of cases) assert.deepEqual(await raw.call(...args), err(msg), args.join(' '));
  });

  it('an error leaves the destination alone', async () => {
    await io.set('keep', 'v');
    assert.deepEqual(await raw.call('GEORADIUS', 'nyc', 1, 1, -1, 'km', 'store', 'keep'), err('ERR radius cannot be negative'));
    assert.equal(await io.get('keep'), 'v');
  });
});

describe('command table', () => {
  it('COMMAND INFO / GETKEYS match Valkey (STORE keys found by keyword)', async () => {
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'GEORADIUS', 'src', 1, 2, 3, 'km', 'STORE', 'dst'), ['src', 'dst']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'src', 'm', 3, 'km', 'storedist', 'dst'), ['src', 'dst']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'dst', 'src', 'frommember', 'm', 'byradius', 1, 'km'), ['dst', 'src']);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUS', 'k', 1, 2, 3, 'km', 'store', 'dst'), [['k', ['RO', 'access']], ['dst', ['OW', 'update']]]);
    const info = (await raw.call('COMMAND', 'INFO', 'georadius', 'geoadd', 'geosearchstore')) as unknown[][];
    assert.deepEqual(info.map((i) => i.slice(0, 6)), [
      ['georadius', -6, ['write', 'denyoom', 'movablekeys'], 1, 1, 1],
      ['geoadd', -5, ['write', 'denyoom'], 1, 1, 1],
      ['geosearchstore', -8, ['write', 'denyoom'], 1, 2, 1],
    ]);
    assert.deepEqual(info[0][6], ['@write', '@geo', '@slow']);
  });
});

describe('node-redis', () => {
  it('typed geo methods', async () => {
    const client = createClient({ socket: { port: srv.port } });
    await client.connect();
    try {
      await client.del('nr');
      assert.equal(await client.geoAdd('nr', [{ longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }, { longitude: 15.087269, latitude: 37.502669, member: 'Catania' }]), 2);
      assert.equal(await client.geoDist('nr', 'Palermo', 'Catania', 'km'), 166.2742);
      assert.deepEqual(await client.geoHash('nr', ['Palermo', 'nope']), ['sqc8b49rny0', null]);
      const [pos, missing] = await client.geoPos('nr', ['Palermo', 'nope']);
      assert.deepEqual(pos, { longitude: Number('13.36138933897018433'), latitude: Number('38.11555639549629859') });
      assert.equal(missing, null);
      assert.deepEqual(await client.geoSearch('nr', { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, { SORT: 'ASC' }), ['Catania', 'Palermo']);
      const withDist = await client.geoSearchWith('nr', 'Palermo', { width: 400, height: 400, unit: 'km' }, ['WITHDIST'], { SORT: 'DESC' });
      assert.deepEqual(withDist.map((r) => [r.member, r.distance]), [['Catania', 166.2742], ['Palermo', 0]]);
      assert.equal(await client.geoSearchStore('nr2', 'nr', { longitude: 15, latitude: 37 }, { radius: 100, unit: 'km' }), 1);
      assert.deepEqual(await client.zRange('nr2', 0, -1), ['Catania']);
    } finally {
      await client.quit();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Differential run against the reference redis-server 7.0
// ---------------------------------------------------------------------------------------------

const DIFF_KEYS = ['ga', 'gb'];
const UNITS = ['m', 'km', 'ft', 'mi', 'KM', 'M'];

/** A coordinate pair, often near the poles, the antimeridian, the limits or the origin. */
function randomPoint(rng: Rng): [string, string] {
  const pick = rng.int(10);
  let lon = -180 + rng.next() * 360;
  let lat = -85.05112878 + rng.next() * 170.10225756;
  if (pick === 0) lat = (rng.chance(0.5) ? 1 : -1) * (80 + rng.next() * 5.05112878);
  else if (pick === 1) lon = (rng.chance(0.5) ? 1 : -1) * (179 + rng.next());
  else if (pick === 2) [lon, lat] = [rng.pick([-180, 180, 0, 179.9999999]), rng.pick([-85.05112878, 85.05112878, 0, 85.05])];
  else if (pick === 3) [lon, lat] = [(rng.next() - 0.5) * 0.01, (rng.next() - 0.5) * 0.01];
  else if (pick === 4) [lon, lat] = [2.35 + (rng.next() - 0.5) * 2, 48.85 + (rng.next() - 0.5) * 2];
  return [String(Number(lon.toFixed(rng.int(12)))), String(Number(lat.toFixed(rng.int(12))))];
}

function randomDistance(rng: Rng): string[] {
  const meters = 10 ** (rng.next() * 7.2);
  const unit = rng.pick(UNITS);
  const per = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 }[unit.toLowerCase() as 'm'];
  return [String(Number((meters / per).toPrecision(1 + rng.int(6)))), unit];
}

function member(rng: Rng): string {
  return `m${rng.int(150)}`;
}

/** WITH*, ASC/DESC, COUNT [ANY] in a random order, sometimes with a bad one. */
function searchOptions(rng: Rng, withAllowed: boolean): string[][] {
  const opts: string[][] = [];
  if (withAllowed) for (const w of ['WITHDIST', 'WITHHASH', 'WITHCOORD']) if (rng.chance(0.35)) opts.push([w]);
  if (rng.chance(0.5)) opts.push([rng.pick(['ASC', 'DESC', 'asc'])]);
  if (rng.chance(0.45)) opts.push(['COUNT', String(rng.chance(0.05) ? 0 : 1 + rng.int(12))]);
  if (rng.chance(0.2)) opts.push(['ANY']);
  for (let i = opts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [opts[i], opts[j]] = [opts[j], opts[i]];
  }
  // ANY right after its COUNT or anywhere: both are accepted.
  return opts;
}

function generateGeoCommand(rng: Rng): string[] {
  const key = rng.chance(0.03) ? rng.pick(['str', 'none']) : rng.pick(DIFF_KEYS);
  const r = rng.int(100);
  if (r < 22) {
    const args = ['GEOADD', key];
    if (rng.chance(0.2)) args.push(rng.pick(['NX', 'XX', 'CH', 'ch']));
    const n = 1 + rng.int(6);
    for (let i = 0; i < n; i++) {
      if (rng.chance(0.02)) args.push(String(181 + rng.int(100)), '0', member(rng));
      else args.push(...randomPoint(rng), member(rng));
    }
    return args;
  }
  if (r < 27) return ['GEOPOS', key, member(rng), member(rng)];
  if (r < 31) return ['GEOHASH', key, member(rng), member(rng)];
  if (r < 36) return ['GEODIST', key, member(rng), member(rng), ...(rng.chance(0.7) ? [rng.pick(UNITS)] : [])];
  if (r < 40) return ['ZRANGE', 'gdst', '0', '-1', 'WITHSCORES'];
  if (r < 44) return ['ZREM', key, member(rng)];
  const from = rng.chance(0.5) ? ['FROMMEMBER', member(rng)] : ['FROMLONLAT', ...randomPoint(rng)];
  const by = rng.chance(0.5) ? ['BYRADIUS', ...randomDistance(rng)] : ['BYBOX', randomDistance(rng)[0], ...randomDistance(rng)];
  if (r < 62) return ['GEOSEARCH', key, ...shuffle(rng, [from, by, ...searchOptions(rng, true)])];
  if (r < 70) {
    const opts = [from, by, ...searchOptions(rng, rng.chance(0.05))];
    if (rng.chance(0.4)) opts.push(['STOREDIST']);
    return ['GEOSEARCHSTORE', 'gdst', key, ...shuffle(rng, opts)];
  }
  const store = rng.chance(0.3) ? [rng.pick(['STORE', 'STOREDIST']), 'gdst'] : [];
  const opts = searchOptions(rng, store.length === 0 || rng.chance(0.05));
  if (r < 85) {
    const cmd = store.length === 0 && rng.chance(0.3) ? 'GEORADIUS_RO' : 'GEORADIUS';
    return [cmd, key, ...randomPoint(rng), ...randomDistance(rng), ...opts.flat(), ...store];
  }
  const cmd = store.length === 0 && rng.chance(0.3) ? 'GEORADIUSBYMEMBER_RO' : 'GEORADIUSBYMEMBER';
  return [cmd, key, member(rng), ...randomDistance(rng), ...opts.flat(), ...store];
}

function shuffle(rng: Rng, groups: string[][]): string[] {
  const g = [...groups];
  for (let i = g.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [g[i], g[j]] = [g[j], g[i]];
  }
  return g.flat();
}

/**
 * Valkey 9.0's texts where Redis 7.0 has its own; and stored distances (STOREDIST, printed with
 * all their digits) that differ in the last bit: Fjord's sine, cosine and arcsine are correctly
 * rounded, glibc's are not in about one call in a thousand.
 */
function geoKnownDifference(argv: string[], fjord: unknown, ref: unknown): boolean {
  if (argv[0] === 'ZRANGE') return sameUpToLastBits(fjord, ref);
  const f = (fjord as { error?: string })?.error;
  const r = (ref as { error?: string })?.error;
  if (f === undefined || r === undefined) return false;
  if (/^ERR member .* does not exist$/.test(f)) return r === 'ERR could not decode requested zset member';
  const shape = 'ERR exactly one of BYRADIUS, BYBOX and BYPOLYGON can be specified for ';
  if (f.startsWith(shape)) return r === `ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`;
  return false;
}

/** The same ZRANGE WITHSCORES reply but for scores a few ulps apart. */
function sameUpToLastBits(fjord: unknown, ref: unknown): boolean {
  const a = (geoNormalize(['ZRANGE'], fjord) as unknown[]).flat();
  const b = (geoNormalize(['ZRANGE'], ref) as unknown[]).flat();
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (i % 2 === 0 && a[i] !== b[i]) return false;
    if (i % 2 === 1 && Math.abs(Number(a[i]) - Number(b[i])) > Math.abs(Number(b[i])) * 1e-15) return false;
  }
  return true;
}

/**
 * ZRANGE WITHSCORES: Redis 7.0 prints scores with %.17g, Valkey 9.0 the shortest round trip;
 * compare the numbers.
 */
function geoNormalize(argv: string[], reply: unknown): unknown {
  if (argv[0] !== 'ZRANGE' || !Array.isArray(reply)) return reply;
  const score = (x: unknown) => (typeof x === 'string' ? String(Number(x)) : String(Number((x as Tagged).value)));
  // RESP2: member, score, ...; RESP3: [member, score] pairs.
  return reply.map((x, i) => (Array.isArray(x) ? [x[0], score(x[1])] : i % 2 === 1 ? score(x) : x));
}

describe('differential against redis-server 7.0', { skip: !referenceAvailable() && 'redis-server is not installed' }, () => {
  let ref: ReferenceServer;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref?.stop();
  });

  it("Valkey's regression vectors: radius searches that once missed points", async () => {
    // (km, lon, lat) from tests/unit/geo.tcl, with points scattered around each centre.
    const vectors: [number, number, number][] = [
      [7083, 81.634948934258375, 30.561509253718668], [5416, -70.863281847379767, -46.347003465679947],
      [6064, -89.818768962202014, -40.463868561416803], [156, 149.29737817929004, 15.95807862745508],
      [143, 59.235461856813856, 66.269555127373678], [187, -101.88575239939883, 49.061997951502917],
      [154, -90.187939661642517, 66.615930412251487], [145, 163.03472387745728, 64.012747720821181],
      [143, 137.86663517256579, 63.986745399416776], [151, 59.149620271823181, 65.204186651485145],
      [149, 84.062063109158544, -65.685403922426232], [16751, -1.8175081637769495, 20.665668878082954],
    ];
    const fj = await RawClient.connect(srv.port);
    const rf = await RawClient.connect(ref.port);
    try {
      let seed = 12345;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (const [km, lon, lat] of vectors) {
        const spread = Math.min(170, (km / 111) * 2.5);
        const args: string[] = ['GEOADD', 'rv'];
        for (let i = 0; i < 300; i++) {
          const plon = Math.max(-180, Math.min(180, lon + (rnd() - 0.5) * 2 * spread));
          const plat = Math.max(-85, Math.min(85, lat + (rnd() - 0.5) * spread));
          args.push(String(plon), String(plat), `p${i}`);
        }
        for (const c of [fj, rf]) {
          await c.call('DEL', 'rv');
          await c.call(...args);
        }
        for (const q of [['GEORADIUS', 'rv', lon, lat, km, 'km', 'ASC', 'WITHDIST'], ['GEOSEARCH', 'rv', 'FROMLONLAT', lon, lat, 'BYBOX', km, km, 'km', 'DESC', 'WITHCOORD']]) {
          const [a, b] = [await fj.call(...q), await rf.call(...q)];
          assert.deepEqual(a, b, q.join(' '));
          assert.ok((a as unknown[]).length > 0, 'something found');
        }
      }
    } finally {
      for (const c of [fj, rf]) {
        await c.call('DEL', 'rv');
        c.close();
      }
    }
  });

  it('dense grids: every point near a radius edge is decided and ordered as the reference', async () => {
    // A search decides most candidates with cheap bounds before the full distance (latitude
    // band, longitude band, haversine term): grids of points much denser than the cells put
    // many of them right at the radius, at every latitude band and across the antimeridian.
    const centres: [number, number][] = [[10.3, 47.2], [179.9, 0.5], [-179.95, -33.3], [-60, 78.5], [120, -84.9], [0, 0]];
    const fj = await RawClient.connect(srv.port);
    const rf = await RawClient.connect(ref.port);
    try {
      let found = 0;
      for (const [lon, lat] of centres) {
        const args: string[] = ['GEOADD', 'dense'];
        for (let i = 0; i < 900; i++) {
          const plon = lon + ((i % 30) - 14.5) * 0.05;
          const plat = Math.max(-85, Math.min(85, lat + (Math.floor(i / 30) - 14.5) * 0.03));
          args.push(String(plon > 180 ? plon - 360 : plon < -180 ? plon + 360 : plon), String(plat), `d${i}`);
        }
        for (const c of [fj, rf]) {
          await c.call('DEL', 'dense');
          await c.call(...args);
        }
        for (const [radius, unit] of [['31', 'km'], ['19.3', 'mi'], ['45000', 'm'], ['80000', 'ft'], ['0', 'm']]) {
          const queries = [
            ['GEOSEARCH', 'dense', 'FROMLONLAT', String(lon), String(lat), 'BYRADIUS', radius, unit, 'ASC', 'WITHDIST'],
            ['GEOSEARCH', 'dense', 'FROMMEMBER', 'd464', 'BYRADIUS', radius, unit, 'DESC', 'COUNT', '7', 'WITHDIST', 'WITHHASH'],
            ['GEORADIUS', 'dense', String(lon), String(lat), radius, unit, 'WITHCOORD', 'COUNT', '40'],
          ];
          for (const q of queries) {
            const [a, b] = [await fj.call(...q), await rf.call(...q)];
            assert.deepEqual(a, b, q.join(' '));
            found += (a as unknown[]).length;
          }
        }
        // Radii equal (to 0.1 mm) to the distance of a point in the centre's row, column or
        // diagonal: that point sits on the edge.
        for (const m of ['d470', 'd458', 'd644', 'd284', 'd652', 'd281', 'd469']) {
          const dist = String(await rf.call('GEODIST', 'dense', 'd464', m, 'm'));
          for (const r of [dist, String(Number(dist) + 0.0001), String(Number(dist) - 0.0001)]) {
            const q = ['GEOSEARCH', 'dense', 'FROMMEMBER', 'd464', 'BYRADIUS', r, 'm', 'ASC', 'WITHDIST'];
            const [a, b] = [await fj.call(...q), await rf.call(...q)];
            assert.deepEqual(a, b, q.join(' '));
            found += (a as unknown[]).length;
          }
        }
      }
      assert.ok(found > 1000, `searches found points (${found})`);
    } finally {
      for (const c of [fj, rf]) {
        await c.call('DEL', 'dense');
        c.close();
      }
    }
  });

  it('random points and searches with every option reply exactly as the reference', async () => {
    const seed0 = seedFromEnv(20261128);
    const fj = await RawClient.connect(srv.port);
    const rf = await RawClient.connect(ref.port);
    try {
      for (const [run, entries] of [[0, '128'], [1, '16']] as const) {
        for (const c of [fj, rf]) {
          await c.call('DEL', ...DIFF_KEYS, 'gdst', 'str', 'none');
          await c.call('SET', 'str', 'v');
          await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', entries);
        }
        const result = await runDifferential({
          fjordPort: srv.port,
          refPort: ref.port,
          seed: seed0 + run,
          count: 2500,
          generate: generateGeoCommand,
          knownDifference: geoKnownDifference,
          normalize: geoNormalize,
        });
        assert.equal(result.compared, 2500);
        for (const key of DIFF_KEYS) {
          assert.equal(String(await fj.call('DEBUG', 'DIGEST-VALUE', key)), String(await rf.call('DEBUG', 'DIGEST-VALUE', key)), `digest of ${key}`);
        }
        const stored = [await fj.call('ZRANGE', 'gdst', 0, -1, 'WITHSCORES'), await rf.call('ZRANGE', 'gdst', 0, -1, 'WITHSCORES')];
        assert.ok(sameUpToLastBits(stored[0], stored[1]), 'the last stored search');
        assert.ok(Number(await fj.call('ZCARD', 'ga')) > 50, 'the index grew');
      }
    } finally {
      for (const c of [fj, rf]) {
        await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
        await c.call('DEL', ...DIFF_KEYS, 'gdst', 'str');
        c.close();
      }
    }
  });
});
