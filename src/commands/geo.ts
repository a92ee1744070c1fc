// Geo commands: GEOADD, GEODIST, GEOHASH, GEOPOS, and the searches GEOSEARCH / GEOSEARCHSTORE
// (FROMMEMBER/FROMLONLAT, BYRADIUS/BYBOX/BYPOLYGON), GEORADIUS / GEORADIUSBYMEMBER (with STORE
// and STOREDIST) and their _RO forms, as Valkey 9.0's geo.c.
//
// A geo index is a sorted set whose scores are 52-bit geohashes (types/geohash.ts). GEOADD is
// ZADD with encoded scores: like Valkey, it runs ZADD's own code on a rewritten argument vector
// and propagates that ZADD. A search scans the score ranges of the centre cell and its eight
// neighbours, keeps the points inside the shape, sorts them by distance when asked (or when
// COUNT needs the nearest ones) and replies or stores them.

import type { ArgDoc, CommandDef, Handler } from './table';
import { ks } from './table';
import type { Client } from '../server/client';
import type { Value } from '../db/database';
import { WRONGTYPE, SYNTAX_ERR, dirty, doubleArg, intArg, is } from './util';
import { ZsetObject } from '../types/zset';
import type { ScoreRange } from '../types/ranges';
import { typeLimits } from '../types/limitsCache';
import { formatFixed, formatLongDoubleHuman, longDoubleFromNumber, parseLongLong } from '../util/numbers';
import { notify } from './string';
import { zsetCommands, isZset, readZset } from './zset';
import * as gh from '../types/geohash';

// ---------------------------------------------------------------------------------------------
// Argument parsing (extractLongLatOrReply, extractUnitOrReply, ...)
// ---------------------------------------------------------------------------------------------

/** ZADD's handler: GEOADD hands it the rewritten arguments. */
const zaddHandler: Handler = (() => {
  const def = zsetCommands.find((d) => d.name === 'zadd');
  if (!def?.handler) throw new Error('geo: ZADD is not registered');
  return def.handler;
})();

/** Error texts carry arguments: a CR or LF in them would break the reply line. */
function errorSafe(s: string): string {
  return s.replace(/[\r\n]/g, ' ');
}

/** Longitude and latitude at argv[i], argv[i + 1], within the limits; null after replying. */
function lonLatArg(c: Client, argv: string[], i: number): [number, number] | null {
  const lon = doubleArg(c, argv[i]);
  if (lon === null) return null;
  const lat = doubleArg(c, argv[i + 1]);
  if (lat === null) return null;
  if (!gh.validLongLat(lon, lat)) {
    c.error(`ERR invalid longitude,latitude pair ${formatFixed(lon, 6)},${formatFixed(lat, 6)}`);
    return null;
  }
  return [lon, lat];
}

/** Meters per unit, or -1 after replying the error. */
function unitArg(c: Client, s: string): number {
  if (s.length <= 2) {
    switch (s.toLowerCase()) {
      case 'm':
        return 1;
      case 'km':
        return 1000;
      case 'ft':
        return 0.3048;
      case 'mi':
        return 1609.34;
    }
  }
  c.error('ERR unsupported unit provided. please use M, KM, FT, MI');
  return -1;
}

/** `<radius> <unit>` at argv[i] into the shape; false after replying. */
function radiusArgs(c: Client, argv: string[], i: number, shape: gh.GeoShape): boolean {
  const radius = doubleArg(c, argv[i], 'ERR need numeric radius');
  if (radius === null) return false;
  if (radius < 0) {
    c.error('ERR radius cannot be negative');
    return false;
  }
  const conversion = unitArg(c, argv[i + 1]);
  if (conversion < 0) return false;
  shape.radius = radius;
  shape.conversion = conversion;
  return true;
}

/** `<width> <height> <unit>` at argv[i] into the shape; false after replying. */
function boxArgs(c: Client, argv: string[], i: number, shape: gh.GeoShape): boolean {
  const width = doubleArg(c, argv[i], 'ERR need numeric width');
  if (width === null) return false;
  const height = doubleArg(c, argv[i + 1], 'ERR need numeric height');
  if (height === null) return false;
  if (height < 0 || width < 0) {
    c.error('ERR height or width cannot be negative');
    return false;
  }
  const conversion = unitArg(c, argv[i + 2]);
  if (conversion < 0) return false;
  shape.width = width;
  shape.height = height;
  shape.conversion = conversion;
  return true;
}

/** The position of a member as the search centre; false after replying. */
function memberCenter(c: Client, z: ZsetObject, member: string, shape: gh.GeoShape): boolean {
  const score = z.score(member);
  if (score === undefined) {
    c.error(`ERR member ${errorSafe(member)} does not exist`);
    return false;
  }
  gh.decodeScore(score);
  shape.lon = gh.out[gh.LON];
  shape.lat = gh.out[gh.LAT];
  return true;
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/** addReplyDoubleDistance: a bulk string with 4 decimals (llrint of d * 10^4, ties to even). */
function replyDistance(c: Client, d: number): void {
  c.reply.bulk(formatDistance(d));
}

function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  let n = Math.round(x);
  if (n - x === 0.5 && n % 2 !== 0) n -= 1; // llrint rounds halves to even
  const neg = n < 0;
  const abs = neg ? -n : n;
  if (abs > Number.MAX_SAFE_INTEGER) {
    const digits = String(abs).padStart(5, '0');
    return (neg ? '-' : '') + digits.slice(0, -4) + '.' + digits.slice(-4);
  }
  // Integer part and 4 zero-padded decimals, without building a digit string to cut.
  const whole = Math.floor(abs / 10000);
  const frac = abs - whole * 10000;
  const pad = frac < 10 ? '000' : frac < 100 ? '00' : frac < 1000 ? '0' : '';
  return (neg ? '-' : '') + whole + '.' + pad + frac;
}

/**
 * addReplyHumanLongDouble: the coordinate as "%.17Lf" without trailing zeros; a bulk string in
 * RESP2, a double in RESP3.
 */
function replyCoordinate(c: Client, d: number): void {
  c.reply.doubleText(formatLongDoubleHuman(longDoubleFromNumber(d)));
}

function replyPosition(c: Client, score: number): void {
  gh.decodeScore(score);
  const lon = gh.out[gh.LON];
  const lat = gh.out[gh.LAT];
  c.reply.array(2);
  replyCoordinate(c, lon);
  replyCoordinate(c, lat);
}

// ---------------------------------------------------------------------------------------------
// GEOADD GEODIST GEOHASH GEOPOS
// ---------------------------------------------------------------------------------------------

/** GEOADD key [NX|XX] [CH] longitude latitude member [...] */
function geoadd(c: Client, argv: string[]): void {
  let nx = false;
  let xx = false;
  let longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const opt = argv[longIdx];
    if (is(opt, 'nx')) nx = true;
    else if (is(opt, 'xx')) xx = true;
    else if (!is(opt, 'ch')) break;
  }
  if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) {
    c.error(SYNTAX_ERR);
    return;
  }
  // ZADD key [options] score member ..., the score being the encoded position.
  const elements = (argv.length - longIdx) / 3;
  const zargv = new Array<string>(longIdx + elements * 2);
  zargv[0] = 'zadd';
  for (let i = 1; i < longIdx; i++) zargv[i] = argv[i];
  for (let i = 0; i < elements; i++) {
    const at = longIdx + i * 3;
    const xy = lonLatArg(c, argv, at);
    if (xy === null) return;
    gh.encodeScore(xy[0], xy[1]);
    zargv[longIdx + i * 2] = gh.lastScoreText();
    zargv[longIdx + i * 2 + 1] = argv[at + 2];
  }
  zaddHandler(c, zargv);
  c.propagateArgv = zargv;
}

/** GEODIST key member1 member2 [unit] */
function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = unitArg(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    c.error(SYNTAX_ERR);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const s1 = z === undefined ? undefined : z.score(argv[2]);
  const s2 = z === undefined ? undefined : z.score(argv[3]);
  if (s1 === undefined || s2 === undefined) {
    c.reply.nullBulk();
    return;
  }
  gh.decodeScore(s1);
  const lon1 = gh.out[gh.LON];
  const lat1 = gh.out[gh.LAT];
  gh.decodeScore(s2);
  replyDistance(c, gh.geoDistance(lon1, lat1, gh.out[gh.LON], gh.out[gh.LAT]) / toMeter);
}

/** GEOHASH key [member ...] */
function geohash(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.bulk(gh.standardGeohash(score));
  }
}

/** GEOPOS key [member ...] */
function geopos(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) c.reply.nullArray();
    else replyPosition(c, score);
  }
}

// ---------------------------------------------------------------------------------------------
// Searches
// ---------------------------------------------------------------------------------------------

/** Search around coordinates (GEORADIUS). */
const RADIUS_COORDS = 1;
/** Search around a member (GEORADIUSBYMEMBER). */
const RADIUS_MEMBER = 2;
/** No STORE / STOREDIST (the _RO forms). */
const RADIUS_NOSTORE = 4;
/** GEOSEARCH's arguments. */
const GEOSEARCH = 8;
/** GEOSEARCHSTORE: GEOSEARCH's arguments plus STOREDIST. */
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

interface GeoPoint {
  member: string;
  score: number;
  lon: number;
  lat: number;
  /** meters, then in the request's unit once replied */
  dist: number;
  /** position in the order the cells were scanned (sorts restart from it) */
  seq: number;
}

interface SearchRequest {
  shape: gh.GeoShape;
  storeKey: string | null;
  storeDist: boolean;
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  sort: number;
  any: boolean;
  /** 0 = unlimited */
  count: number;
}

/**
 * georadiusGeneric's parsing, in its order: the source lookup, the centre and size of the legacy
 * forms, then the options, then the combinations that are refused. Returns null after replying
 * an error. `z` undefined is a missing source (some checks are skipped for it, as in Valkey).
 */
function parseSearch(c: Client, argv: string[], z: ZsetObject | undefined, flags: number): SearchRequest | null {
  const req: SearchRequest = {
    shape: gh.newShape(),
    storeKey: null,
    storeDist: false,
    withDist: false,
    withHash: false,
    withCoord: false,
    sort: SORT_NONE,
    any: false,
    count: 0,
  };
  const shape = req.shape;
  let base: number;
  if (flags & RADIUS_COORDS) {
    base = 6;
    shape.type = gh.SHAPE_CIRCLE;
    const xy = lonLatArg(c, argv, 2);
    if (xy === null) return null;
    [shape.lon, shape.lat] = xy;
    if (!radiusArgs(c, argv, 4, shape)) return null;
  } else if (flags & RADIUS_MEMBER) {
    base = 5;
    // Without a source the arguments are still parsed, for the reply type STORE decides.
    if (z !== undefined) {
      shape.type = gh.SHAPE_CIRCLE;
      if (!memberCenter(c, z, argv[2], shape)) return null;
      if (!radiusArgs(c, argv, 3, shape)) return null;
    }
  } else {
    base = flags & GEOSEARCHSTORE ? 3 : 2;
    if (flags & GEOSEARCHSTORE) req.storeKey = argv[1];
  }
  const given = parseSearchOptions(c, argv, base, z, flags, req);
  if (given === null) return null;
  if (req.storeKey !== null && (req.withDist || req.withHash || req.withCoord)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    c.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return null;
  }
  if (!checkCombinations(c, argv, flags, req, given)) return null;
  return req;
}

/** What GEOSEARCH's FROM* and BY* options have set so far. */
interface Given {
  fromMember: boolean;
  fromLonLat: boolean;
  byRadius: boolean;
  byBox: boolean;
  byPolygon: boolean;
}

/** The options after the fixed arguments: which FROM and BY were given; null after replying. */
function parseSearchOptions(c: Client, argv: string[], base: number, z: ZsetObject | undefined, flags: number, req: SearchRequest): Given | null {
  const given: Given = { fromMember: false, fromLonLat: false, byRadius: false, byBox: false, byPolygon: false };
  const shape = req.shape;
  const search = (flags & GEOSEARCH) !== 0;
  const storeAllowed = !(flags & RADIUS_NOSTORE) && !search;
  const remaining = argv.length - base;
  for (let i = 0; i < remaining; i++) {
    const at = base + i;
    const arg = argv[at];
    // Lowered once: the option is compared with up to a dozen keywords.
    const lower = arg.toLowerCase();
    const more = remaining - i - 1;
    if (lower === 'withdist') {
      req.withDist = true;
    } else if (lower === 'withhash') {
      req.withHash = true;
    } else if (lower === 'withcoord') {
      req.withCoord = true;
    } else if (lower === 'any') {
      req.any = true;
    } else if (lower === 'asc') {
      req.sort = SORT_ASC;
    } else if (lower === 'desc') {
      req.sort = SORT_DESC;
    } else if (lower === 'count' && more >= 1) {
      const n = intArg(c, argv[at + 1]);
      if (n === null) return null;
      if (n <= 0) {
        c.error('ERR COUNT must be > 0');
        return null;
      }
      req.count = n;
      i++;
    } else if ((lower === 'store' || lower === 'storedist') && more >= 1 && storeAllowed) {
      req.storeKey = argv[at + 1];
      req.storeDist = arg.length === 9;
      i++;
    } else if (lower === 'storedist' && search && flags & GEOSEARCHSTORE) {
      req.storeDist = true;
    } else if (lower === 'frommember' && more >= 1 && search && !given.fromLonLat && !given.byPolygon) {
      // Without a source the member cannot be looked up: the missing key is answered later.
      if (z !== undefined && !memberCenter(c, z, argv[at + 1], shape)) return null;
      given.fromMember = true;
      i++;
    } else if (lower === 'fromlonlat' && more >= 2 && search && !given.fromMember && !given.byPolygon) {
      const xy = lonLatArg(c, argv, at + 1);
      if (xy === null) return null;
      [shape.lon, shape.lat] = xy;
      given.fromLonLat = true;
      i += 2;
    } else if (lower === 'byradius' && more >= 2 && search && !given.byBox && !given.byPolygon) {
      if (!radiusArgs(c, argv, at + 1, shape)) return null;
      shape.type = gh.SHAPE_CIRCLE;
      given.byRadius = true;
      i += 2;
    } else if (lower === 'bybox' && more >= 3 && search && !given.byRadius && !given.byPolygon) {
      if (!boxArgs(c, argv, at + 1, shape)) return null;
      shape.type = gh.SHAPE_BOX;
      given.byBox = true;
      i += 3;
    } else if (lower === 'bypolygon' && more >= 2 && search && !given.byRadius && !given.byBox && !given.fromMember && !given.fromLonLat) {
      const used = polygonArgs(c, argv, at, remaining - i, shape);
      if (used < 0) return null;
      given.byPolygon = true;
      i += used;
    } else {
      c.error(SYNTAX_ERR);
      return null;
    }
  }
  return given;
}

/**
 * `BYPOLYGON <n> <lon> <lat> ...` at argv[at], `left` arguments from there to the end: the
 * vertices into the shape. Returns how many arguments follow the keyword, or -1 after replying.
 */
function polygonArgs(c: Client, argv: string[], at: number, left: number, shape: gh.GeoShape): number {
  const n = parseLongLong(argv[at + 1]);
  if (n === null || n < -2147483648 || n > 2147483647) {
    c.error('ERR invalid number of vertices');
    return -1;
  }
  const possible = Math.trunc((left - 2) / 2);
  if (n < 3 || possible < n) {
    c.error('ERR GEOSEARCH BYPOLYGON must have at least 3 vertices');
    return -1;
  }
  const points: number[][] = [];
  for (let v = 0; v < n; v++) {
    const xy = lonLatArg(c, argv, at + 2 + v * 2);
    if (xy === null) return -1;
    points.push(xy);
  }
  shape.type = gh.SHAPE_POLYGON;
  shape.conversion = 1;
  shape.points = points;
  return 1 + n * 2;
}

/** GEOSEARCH needs one centre and one shape (a polygon is both); ANY needs COUNT. */
function checkCombinations(c: Client, argv: string[], flags: number, req: SearchRequest, given: Given): boolean {
  if (flags & GEOSEARCH && !(given.fromMember || given.fromLonLat) && !given.byPolygon) {
    c.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${errorSafe(argv[0])}`);
    return false;
  }
  if (flags & GEOSEARCH && !(given.byRadius || given.byBox || given.byPolygon)) {
    c.error(`ERR exactly one of BYRADIUS, BYBOX and BYPOLYGON can be specified for ${errorSafe(argv[0])}`);
    return false;
  }
  if (req.any && req.count === 0) {
    c.error('ERR the ANY argument requires COUNT argument');
    return false;
  }
  return true;
}

/** GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH, GEOSEARCHSTORE. */
function georadiusGeneric(c: Client, argv: string[], srcIdx: number, flags: number): void {
  const z = readZset(c, argv[srcIdx]);
  if (z === null) return;
  const req = parseSearch(c, argv, z, flags);
  if (req === null) return;
  if (z === undefined) {
    if (req.storeKey !== null) deleteDestination(c, req.storeKey);
    else c.reply.array(0);
    return;
  }
  // COUNT without an order means the nearest ones; ANY takes the first found.
  if (req.count !== 0 && req.sort === SORT_NONE && !req.any) req.sort = SORT_ASC;

  const points: GeoPoint[] = [];
  membersOfCells(z, gh.coveringCells(req.shape), req.shape, points, req.any ? req.count : 0);
  if (points.length === 0 && req.storeKey === null) {
    c.reply.array(0);
    return;
  }
  const returned = req.count === 0 || points.length < req.count ? points.length : req.count;
  const storesDistances = req.storeKey !== null && req.storeDist;
  if (storesDistances) settleAll(points, req.shape);
  if (req.sort !== SORT_NONE) sortPoints(points, returned, req.sort === SORT_DESC, req.shape, storesDistances);
  const conversion = req.shape.conversion;
  for (let i = 0; i < returned; i++) points[i].dist /= conversion;
  if (req.storeKey === null) replyPoints(c, points, returned, req, conversion);
  else storePoints(c, points, returned, req, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore');
}

/** An empty source with STORE: the destination is deleted, the reply is 0. */
function deleteDestination(c: Client, dst: string): void {
  if (c.db.delete(dst)) {
    notify(c, 'g', 'del', dst);
    dirty(c);
  }
  c.reply.int(0);
}

/**
 * membersOfAllNeighbors: the points of each cell (skipping "no cell"s and a cell equal to the
 * last one scanned, which happens with huge areas), stopping once `limit` are found (ANY).
 */
function membersOfCells(z: ZsetObject, cells: gh.GeoCell[], shape: gh.GeoShape, points: GeoPoint[], limit: number): void {
  const collector = new PointCollector(shape, points, limit);
  const range: ScoreRange = { min: 0, max: 0, minex: false, maxex: true };
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (gh.isNoCell(cell)) continue;
    if (last !== 0 && gh.sameCell(cell, cells[last])) continue;
    if (limit !== 0 && points.length >= limit) break;
    const bounds = gh.cellScoreRange(cell);
    range.min = bounds[0];
    range.max = bounds[1];
    pointsInRange(z, range, collector);
    last = i;
  }
}

/** The exact distances, as Valkey computes them (see hasNearTies and STOREDIST). */
function settleAll(points: GeoPoint[], shape: gh.GeoShape): void {
  for (const p of points) p.dist = gh.geoDistance(shape.lon, shape.lat, p.lon, p.lat);
}

/**
 * The points hold quick distances (a few ulps from Valkey's): whether some differ by so little
 * that the quick values could order them differently from the exact ones (equal coordinates
 * excepted: their distances are equal either way).
 */
function hasNearTies(points: GeoPoint[]): boolean {
  if (points.length < 2) return false;
  return hasAdjacentNearTies(points.slice().sort(byDistance));
}

/** hasNearTies on points already sorted by distance (either way). */
function hasAdjacentNearTies(sorted: GeoPoint[]): boolean {
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a.score === b.score) continue;
    if (a.dist <= b.dist ? gh.tooClose(a.dist, b.dist) : gh.tooClose(b.dist, a.dist)) return true;
  }
  return false;
}

/** geohash's results, read per candidate (a local binding instead of a module property). */
const OUT = gh.out;

/**
 * The visitor the range walks of one search call: keeps the members inside the shape, and
 * counts what it saw so a walk in chunks (ANY) knows when the range ran out.
 */
class PointCollector {
  seen = 0;
  done = false;

  constructor(
    private readonly shape: gh.GeoShape,
    private readonly points: GeoPoint[],
    readonly limit: number,
  ) {}

  readonly visit = (member: string, score: number): void => {
    this.seen++;
    if (this.done) return;
    const points = this.points;
    if (gh.scoreInShape(this.shape, score)) {
      points.push({ member, score, lon: OUT[gh.LON], lat: OUT[gh.LAT], dist: OUT[gh.DIST], seq: points.length });
    }
    if (this.limit !== 0 && points.length >= this.limit) this.done = true;
  };
}

/** Members scanned at a time when a search can stop early (ANY). */
const SCAN_CHUNK = 64;

/**
 * geoGetPointsInRange: the members with min <= score < max that are inside the shape. With a
 * limit (ANY) the range is walked in chunks, to stop as soon as enough points were found.
 */
function pointsInRange(z: ZsetObject, range: ScoreRange, collector: PointCollector): void {
  if (collector.limit === 0) {
    z.visitScoreSpan(range.min, range.max, collector.visit);
    return;
  }
  for (let offset = 0; !collector.done; offset += SCAN_CHUNK) {
    collector.seen = 0;
    z.rangeByScore(range, false, offset, SCAN_CHUNK, collector.visit);
    if (collector.seen < SCAN_CHUNK) break;
  }
}

function byDistance(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function byDistanceDesc(a: GeoPoint, b: GeoPoint): number {
  return -byDistance(a, b);
}

/** Points up to which stableSort sorts by insertion. */
const INSERTION_SORT_MAX = 32;

/**
 * Array.sort (stable), by insertion for the few points a search usually returns: a stable sort
 * has one result, and this one skips the builtin's per-call setup. NaN distances stay with
 * Array.sort (see hasNaN).
 */
function stableSort(points: GeoPoint[], cmp: Compare): void {
  const n = points.length;
  if (n > INSERTION_SORT_MAX || hasNaN(points)) {
    points.sort(cmp);
    return;
  }
  for (let i = 1; i < n; i++) {
    const p = points[i];
    let j = i - 1;
    for (; j >= 0 && cmp(points[j], p) > 0; j--) points[j + 1] = points[j];
    points[j + 1] = p;
  }
}

function bySeq(a: GeoPoint, b: GeoPoint): number {
  return a.seq - b.seq;
}

/**
 * Everything sorted (glibc's qsort is a stable merge sort, as Array.sort), or only the first
 * `returned` in place with Valkey's partial quicksort (pqsort), whose order among equal
 * distances the reply then shows. Unless `exact`, the distances are the quick ones; where
 * near ties could make them order differently from Valkey's, the exact ones are sorted,
 * starting again from the order the points were found in.
 */
function sortPoints(points: GeoPoint[], returned: number, desc: boolean, shape: gh.GeoShape, exact: boolean): void {
  const cmp = desc ? byDistanceDesc : byDistance;
  const all = returned === points.length;
  if (all && !exact && !hasNaN(points)) {
    // Sort first and look for near ties in the result: one sort in the usual case.
    stableSort(points, cmp);
    if (!hasAdjacentNearTies(points)) return;
    points.sort(bySeq);
    settleAll(points, shape);
    stableSort(points, cmp);
    return;
  }
  if (!exact && hasNearTies(points)) settleAll(points, shape);
  if (all) stableSort(points, cmp);
  else partialQuicksort(points, 0, points.length, cmp, 0, returned - 1);
}

/** A NaN distance (possible for antipodes, as in C) makes the order algorithm-dependent. */
function hasNaN(points: GeoPoint[]): boolean {
  for (let i = 0; i < points.length; i++) if (Number.isNaN(points[i].dist)) return true;
  return false;
}

type Compare = (a: GeoPoint, b: GeoPoint) => number;

function swap(a: GeoPoint[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function swapRuns(a: GeoPoint[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function median3(a: GeoPoint[], i: number, j: number, k: number, cmp: Compare): number {
  return cmp(a[i], a[j]) < 0
    ? cmp(a[j], a[k]) < 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? k
        : i
    : cmp(a[j], a[k]) > 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? i
        : k;
}

/**
 * Bentley & McIlroy's three-way quicksort on a[lo, lo + n), recursing only into the parts that
 * overlap the ranks [left, right]: the same element moves as Valkey's pqsort.c, so equal
 * distances come out in the same order.
 */
function partialQuicksort(a: GeoPoint[], lo: number, n: number, cmp: Compare, left: number, right: number): void {
  for (;;) {
    if (n < 7) {
      for (let m = lo + 1; m < lo + n; m++) {
        for (let l = m; l > lo && cmp(a[l - 1], a[l]) > 0; l--) swap(a, l, l - 1);
      }
      return;
    }
    let pm = lo + (n >> 1);
    if (n > 7) {
      let pl = lo;
      let pn = lo + n - 1;
      if (n > 40) {
        const d = n >> 3;
        pl = median3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = median3(a, pm - d, pm, pm + d, cmp);
        pn = median3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = median3(a, pl, pm, pn, cmp);
    }
    swap(a, lo, pm);
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(a[pb], a[lo])) <= 0) {
        if (r === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = cmp(a[pc], a[lo])) >= 0) {
        if (r === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const end = lo + n;
    let s = Math.min(pa - lo, pb - pa);
    swapRuns(a, lo, pb - s, s);
    s = Math.min(pd - pc, end - pd - 1);
    swapRuns(a, pb, end - s, s);
    const lower = pb - pa;
    if (lower > 1 && overlaps(lo, lower, left, right)) partialQuicksort(a, lo, lower, cmp, left, right);
    const upper = pd - pc;
    if (upper <= 1) return;
    lo = end - upper;
    n = upper;
    if (!overlaps(lo, n, left, right)) return;
  }
}

/** Whether a[lo, lo + n) holds any of the ranks [left, right]. */
function overlaps(lo: number, n: number, left: number, right: number): boolean {
  return !((left < lo && right < lo) || (left >= lo + n && right >= lo + n));
}

/**
 * A distance as WITHDIST replies it: the exact distance when the quick one is too near a
 * rounding boundary of the 4 decimals.
 */
function replyPointDistance(c: Client, p: GeoPoint, shape: gh.GeoShape, conversion: number): void {
  const x = p.dist * 10000;
  if (Math.abs(x - Math.floor(x) - 0.5) <= x * 1e-13 + 1e-9) p.dist = gh.geoDistance(shape.lon, shape.lat, p.lon, p.lat) / conversion;
  replyDistance(c, p.dist);
}

/** Member names, or [member, dist?, hash?, [lon, lat]?] entries with WITH* options. */
function replyPoints(c: Client, points: GeoPoint[], returned: number, req: SearchRequest, conversion: number): void {
  const r = c.reply;
  const options = (req.withDist ? 1 : 0) + (req.withHash ? 1 : 0) + (req.withCoord ? 1 : 0);
  r.array(returned);
  for (let i = 0; i < returned; i++) {
    const p = points[i];
    if (options > 0) r.array(options + 1);
    r.bulk(p.member);
    if (req.withDist) replyPointDistance(c, p, req.shape, conversion);
    if (req.withHash) r.int(gh.scoreAsInteger(p.score));
    if (req.withCoord) {
      r.array(2);
      replyCoordinate(c, p.lon);
      replyCoordinate(c, p.lat);
    }
  }
}

/** STORE / STOREDIST / GEOSEARCHSTORE: the results as a zset (scores = geohash or distance). */
function storePoints(c: Client, points: GeoPoint[], returned: number, req: SearchRequest, event: string): void {
  const dst = req.storeKey as string;
  if (returned === 0) {
    deleteDestination(c, dst);
    return;
  }
  const limits = typeLimits(c.server);
  const z = ZsetObject.empty('skiplist');
  let maxLen = 0;
  let totalLen = 0;
  for (let i = 0; i < returned; i++) {
    const p = points[i];
    if (p.member.length > maxLen) maxLen = p.member.length;
    totalLen += p.member.length;
    z.add(p.member, req.storeDist ? p.dist : p.score, 0, limits);
  }
  z.convertToListpackIfNeeded(maxLen, totalLen, limits);
  c.db.setKey(dst, z);
  notify(c, 'z', event, dst);
  dirty(c, returned);
  c.reply.int(returned);
}

// ---------------------------------------------------------------------------------------------
// The command table
// ---------------------------------------------------------------------------------------------

const G = 'geo';
const KEY: ArgDoc = { name: 'key', type: 'key', key_spec_index: 0 };
const RO = ks.one(1, 'RO', 'ACCESS');
const UNIT: ArgDoc = {
  name: 'unit',
  type: 'oneof',
  arguments: [
    { name: 'm', type: 'pure-token', token: 'M' },
    { name: 'km', type: 'pure-token', token: 'KM' },
    { name: 'ft', type: 'pure-token', token: 'FT' },
    { name: 'mi', type: 'pure-token', token: 'MI' },
  ],
};
const WITH_ARGS: ArgDoc[] = [
  { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
  { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
  { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
];
const COUNT_BLOCK = (anySince?: string): ArgDoc => ({
  name: 'count-block',
  type: 'block',
  optional: true,
  arguments: [
    { name: 'count', type: 'integer', token: 'COUNT' },
    { name: 'any', type: 'pure-token', token: 'ANY', optional: true, ...(anySince ? { since: anySince } : {}) },
  ],
});
const ORDER: ArgDoc = {
  name: 'order',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'asc', type: 'pure-token', token: 'ASC' },
    { name: 'desc', type: 'pure-token', token: 'DESC' },
  ],
};
const STORE_ARG: ArgDoc = {
  name: 'store',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'storekey', display: 'key', type: 'key', token: 'STORE', key_spec_index: 1 },
    { name: 'storedistkey', display: 'key', type: 'key', token: 'STOREDIST', key_spec_index: 2 },
  ],
};
const SEARCH_AREA: ArgDoc = {
  name: 'search-type',
  type: 'oneof',
  arguments: [
    {
      name: 'radius-or-box',
      type: 'block',
      arguments: [
        {
          name: 'from',
          type: 'oneof',
          arguments: [
            { name: 'member', type: 'string', token: 'FROMMEMBER' },
            {
              name: 'fromlonlat',
              type: 'block',
              token: 'FROMLONLAT',
              arguments: [
                { name: 'longitude', type: 'double' },
                { name: 'latitude', type: 'double' },
              ],
            },
          ],
        },
        {
          name: 'by',
          type: 'oneof',
          arguments: [
            { name: 'circle', type: 'block', arguments: [{ name: 'radius', type: 'double', token: 'BYRADIUS' }, UNIT] },
            {
              name: 'box',
              type: 'block',
              arguments: [{ name: 'width', type: 'double', token: 'BYBOX' }, { name: 'height', type: 'double' }, UNIT],
            },
          ],
        },
      ],
    },
    {
      name: 'polygon',
      type: 'block',
      since: '9.0.0',
      arguments: [
        { name: 'num-vertices', type: 'integer', token: 'BYPOLYGON' },
        {
          name: 'vertices',
          type: 'block',
          multiple: true,
          arguments: [
            { name: 'longitude', type: 'double' },
            { name: 'latitude', type: 'double' },
          ],
        },
      ],
    },
  ],
};
const RADIUS_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.';
const SEARCH_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape';
const UPPERCASE_UNITS: [string, string] = ['7.0.0', 'Added support for uppercase unit names.'];
const ANY_HISTORY: [string, string] = ['6.2.0', 'Added the `ANY` option for `COUNT`.'];
const POLYGON_HISTORY: [string, string] = ['9.0.0', 'Added the `BYPOLYGON` option.'];
const STORE_SPECS = [RO, ks.keyword('STORE', 6, 'OW', 'UPDATE'), ks.keyword('STOREDIST', 6, 'OW', 'UPDATE')];
const BYMEMBER_STORE_SPECS = [RO, ks.keyword('STORE', 5, 'OW', 'UPDATE'), ks.keyword('STOREDIST', 5, 'OW', 'UPDATE')];
const LONLAT_RADIUS: ArgDoc[] = [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }, { name: 'radius', type: 'double' }, UNIT];
const MEMBER_RADIUS: ArgDoc[] = [{ name: 'member', type: 'string' }, { name: 'radius', type: 'double' }, UNIT];

export const geoCommands: CommandDef[] = [
  {
    name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], acl: ['geo'], keySpecs: [ks.one(1, 'RW', 'UPDATE')], handler: geoadd,
    summary: 'Adds members with their longitude and latitude to a geospatial index, creating the key when needed.', since: '3.2.0', group: G,
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']],
    args: [
      KEY,
      {
        name: 'condition', type: 'oneof', optional: true, since: '6.2.0',
        arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '6.2.0' },
      {
        name: 'data', type: 'block', multiple: true,
        arguments: [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }, { name: 'member', type: 'string' }],
      },
    ],
  },
  {
    name: 'geodist', arity: -4, flags: ['readonly'], acl: ['geo'], keySpecs: [RO], handler: geodist,
    summary: 'Returns the distance between two members of a geospatial index.', since: '3.2.0', group: G, complexity: 'O(1)',
    args: [KEY, { name: 'member1', type: 'string' }, { name: 'member2', type: 'string' }, { ...UNIT, optional: true }],
  },
  {
    name: 'geohash', arity: -2, flags: ['readonly'], acl: ['geo'], keySpecs: [RO], handler: geohash,
    summary: 'Returns the standard geohash strings of members of a geospatial index.', since: '3.2.0', group: G,
    complexity: 'O(1) for each member requested.',
    args: [KEY, { name: 'member', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'geopos', arity: -2, flags: ['readonly'], acl: ['geo'], keySpecs: [RO], handler: geopos,
    summary: 'Returns the longitude and latitude of members of a geospatial index.', since: '3.2.0', group: G,
    complexity: 'O(1) for each member requested.',
    args: [KEY, { name: 'member', type: 'string', optional: true, multiple: true }],
  },
  {
    name: 'georadius', arity: -6, flags: ['write', 'denyoom'], acl: ['geo'], keySpecs: STORE_SPECS,
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS),
    summary: 'Finds the members of a geospatial index within a distance of a point, optionally storing them.', since: '3.2.0', group: G,
    complexity: RADIUS_COMPLEXITY, history: [ANY_HISTORY, UPPERCASE_UNITS],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument',
    args: [KEY, ...LONLAT_RADIUS, ...WITH_ARGS, COUNT_BLOCK('6.2.0'), ORDER, STORE_ARG],
  },
  {
    name: 'georadius_ro', arity: -6, flags: ['readonly'], acl: ['geo'], keySpecs: [RO],
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
    summary: 'Finds the members of a geospatial index within a distance of a point (read-only).', since: '3.2.10', group: G,
    complexity: RADIUS_COMPLEXITY, history: [ANY_HISTORY, UPPERCASE_UNITS],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument',
    args: [KEY, ...LONLAT_RADIUS, ...WITH_ARGS, COUNT_BLOCK('6.2.0'), ORDER],
  },
  {
    name: 'georadiusbymember', arity: -5, flags: ['write', 'denyoom'], acl: ['geo'], keySpecs: BYMEMBER_STORE_SPECS,
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER),
    summary: 'Finds the members of a geospatial index within a distance of one of its members, optionally storing them.', since: '3.2.0', group: G,
    complexity: RADIUS_COMPLEXITY, history: [UPPERCASE_UNITS],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
    args: [KEY, ...MEMBER_RADIUS, ...WITH_ARGS, COUNT_BLOCK(), ORDER, STORE_ARG],
  },
  {
    name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], acl: ['geo'], keySpecs: [RO],
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
    summary: 'Finds the members of a geospatial index within a distance of one of its members (read-only).', since: '3.2.10', group: G,
    complexity: RADIUS_COMPLEXITY, history: [ANY_HISTORY, UPPERCASE_UNITS],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments',
    args: [KEY, ...MEMBER_RADIUS, ...WITH_ARGS, COUNT_BLOCK(), ORDER],
  },
  {
    name: 'geosearch', arity: -7, flags: ['readonly'], acl: ['geo'], keySpecs: [RO],
    handler: (c, argv) => georadiusGeneric(c, argv, 1, GEOSEARCH),
    summary: 'Finds the members of a geospatial index inside a circle, a box or a polygon.', since: '6.2.0', group: G,
    complexity: SEARCH_COMPLEXITY, history: [UPPERCASE_UNITS, POLYGON_HISTORY],
    args: [KEY, SEARCH_AREA, ORDER, COUNT_BLOCK(), ...WITH_ARGS],
  },
  {
    name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], acl: ['geo'], keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.one(2, 'RO', 'ACCESS')],
    handler: (c, argv) => georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
    summary: 'Stores the members of a geospatial index inside a circle, a box or a polygon in another key.', since: '6.2.0', group: G,
    complexity: SEARCH_COMPLEXITY, history: [UPPERCASE_UNITS, POLYGON_HISTORY],
    args: [
      { name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'source', type: 'key', key_spec_index: 1 },
      SEARCH_AREA, ORDER, COUNT_BLOCK(), { name: 'storedist', type: 'pure-token', token: 'STOREDIST', optional: true },
    ],
  },
];
