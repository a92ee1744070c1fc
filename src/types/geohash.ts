// Geohash arithmetic as Valkey 9.0 does it (geohash.c, geohash_helper.c): a point is the
// interleaving of a latitude and a longitude cell index (latitude in the even bits, longitude in
// the odd ones), 26 bits each at full precision = a 52-bit integer, which is the sorted-set score
// of a geo member. Latitudes are limited to the Web Mercator range (+-85.05112878).
//
// Scores are handled as JS numbers (52 bits fit a double exactly); the 64-bit values C computes
// are held as two unsigned 32-bit halves where they can exceed 2^53. A search cell is held as
// its two coordinate indexes rather than their interleaving: moving to a neighbour is then a
// plain +-1 (no BigInt on the search path). Distances use the haversine formula on a sphere of
// Valkey's radius, 6372797.560856 m.

import { asinExact, cosExact, sinExact } from '../util/libm';

// Constants are exported through this list, not `export const`: the compiled module then reads
// them as local constants instead of loading properties of `exports` on the hot paths.
export {
  GEO_STEP_MAX,
  GEO_LAT_MIN,
  GEO_LAT_MAX,
  GEO_LONG_MIN,
  GEO_LONG_MAX,
  LONG_RANGE,
  LAT_RANGE,
  STANDARD_LAT_RANGE,
  out,
  LON,
  LAT,
  DIST,
  cellRange,
  SHAPE_CIRCLE,
  SHAPE_BOX,
  SHAPE_POLYGON,
};

const GEO_STEP_MAX = 26;
const GEO_LAT_MIN = -85.05112878;
const GEO_LAT_MAX = 85.05112878;
const GEO_LONG_MIN = -180;
const GEO_LONG_MAX = 180;

const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const HALF_PI = Math.PI / 2;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const TWO_63 = 9223372036854775808;

export interface GeoRange {
  min: number;
  max: number;
}

/** The Mercator-limited ranges every geo score is encoded in. */
const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges (GEOHASH's strings). */
const STANDARD_LAT_RANGE: GeoRange = { min: -90, max: 90 };

/**
 * A cell: `step` bits per coordinate, the cell's latitude and longitude indexes (what C
 * interleaves into its 64-bit hash bits). An index can be 2^step (a coordinate at the top of
 * its range). step 0 = no cell.
 */
export interface GeoCell {
  ilat: number;
  ilon: number;
  step: number;
}

// ---------------------------------------------------------------------------------------------
// Bit interleaving on 32-bit halves
// ---------------------------------------------------------------------------------------------

/** The 16 low bits of x spread to the even bits of a 32-bit word. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of a 32-bit word gathered into 16 bits. */
function squash32(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/**
 * Results of the bit helpers, kept in a typed array (unboxed, no allocation per call): the high
 * and low halves of the last interleave / score conversion, then the latitude and longitude
 * cell indexes of the last encoded point.
 */
const U = new Uint32Array(4);

/** interleave64(even, odd) into U[0]/U[1]: `even`'s bits in the even positions. */
function interleave(even: number, odd: number): void {
  U[1] = (spread16(even) | (spread16(odd) << 1)) >>> 0;
  U[0] = (spread16(even >>> 16) | (spread16(odd >>> 16) << 1)) >>> 0;
}


/**
 * A score as C's (uint64_t) cast of a double leaves it on x86-64 (gcc): truncated; negative
 * values wrap (two's complement); NaN and values at or below -2^63 give 2^63; 2^64 and above
 * give 0. Result in U[0]/U[1].
 */
function scoreToUint64(score: number): void {
  if (!(score < TWO_63)) {
    // NaN fails the comparison and takes the signed conversion path: "integer indefinite".
    if (score !== score) {
      U[0] = 0x80000000;
      U[1] = 0;
      return;
    }
    const rest = score - TWO_63;
    if (rest >= TWO_63) {
      U[0] = 0;
      U[1] = 0;
      return;
    }
    splitPositive(Math.trunc(rest));
    U[0] = U[0] | 0x80000000;
    return;
  }
  if (score <= -TWO_63) {
    U[0] = 0x80000000;
    U[1] = 0;
    return;
  }
  const t = Math.trunc(score);
  if (t >= 0) {
    splitPositive(t);
    return;
  }
  splitPositive(-t);
  // Two's complement of the 64-bit magnitude.
  const lo = (~U[1] + 1) >>> 0;
  U[0] = (~U[0] + (lo === 0 ? 1 : 0)) >>> 0;
  U[1] = lo;
}

function splitPositive(v: number): void {
  U[0] = Math.floor(v / TWO_32);
  U[1] = v - U[0] * TWO_32;
}

// ---------------------------------------------------------------------------------------------
// Encoding and decoding
// ---------------------------------------------------------------------------------------------

/** Whether a longitude/latitude pair is inside the supported limits (GEOADD's check). */
export function validLongLat(lon: number, lat: number): boolean {
  return !(lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX);
}

/**
 * geohashEncode into U[0]/U[1]: false when the point is outside the limits or the ranges.
 * The cell indexes are the (uint32_t) truncations of the scaled offsets, so a coordinate at the
 * top of its range gives index 2^step (one bit above the step's).
 */
function encodeHalves(longRange: GeoRange, latRange: GeoRange, lon: number, lat: number, step: number): boolean {
  if (!encodeIndexes(longRange, latRange, lon, lat, step)) return false;
  interleave(U[2], U[3]);
  return true;
}

/** The latitude and longitude cell indexes of a point into U[2] / U[3]; false outside. */
function encodeIndexes(longRange: GeoRange, latRange: GeoRange, lon: number, lat: number, step: number): boolean {
  if (!validLongLat(lon, lat)) return false;
  if (lat < latRange.min || lat > latRange.max || lon < longRange.min || lon > longRange.max) return false;
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (lon - longRange.min) / (longRange.max - longRange.min);
  latOffset *= POW2[step];
  longOffset *= POW2[step];
  U[2] = Math.trunc(latOffset) >>> 0;
  U[3] = Math.trunc(longOffset) >>> 0;
  return true;
}

/** The 52-bit score of a valid point (GEOADD): the nearest double to the 64-bit value. */
export function encodeScore(lon: number, lat: number): number {
  encodeHalves(LONG_RANGE, LAT_RANGE, lon, lat, GEO_STEP_MAX);
  return U[0] * TWO_32 + U[1];
}

/**
 * The exact decimal of the score encodeScore computed last (what GEOADD hands to ZADD). Differs
 * from the double only at the very edge of the ranges, where the value passes 2^53.
 */
export function lastScoreText(): string {
  const v = U[0] * TWO_32 + U[1];
  if (v <= Number.MAX_SAFE_INTEGER) return String(v);
  return ((BigInt(U[0]) << 32n) | BigInt(U[1])).toString();
}

/** geohashEncode at full ranges as a cell; a point it refuses gives the cell of hash bits 0. */
function encodeCell(lon: number, lat: number, step: number): GeoCell {
  if (!encodeIndexes(LONG_RANGE, LAT_RANGE, lon, lat, step)) return { ilat: 0, ilon: 0, step };
  return { ilat: U[2], ilon: U[3], step };
}

/** 2^k for k = 0..64: the same doubles as 2 ** k, without a pow() call on the hot paths. */
const POW2 = new Float64Array(65).map((_, k) => 2 ** k);

const FULL_CELLS = 2 ** GEO_STEP_MAX;
const LONG_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;
const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;

/**
 * Outputs, unboxed: [LON] and [LAT] of the last decodeScore, [DIST] the distance of the last
 * point withinShape accepted.
 */
const out = new Float64Array(3);
const LON = 0;
const LAT = 1;
const DIST = 2;

/**
 * decodeGeohash: the point a score stands for (the centre of its cell, clamped to the limits),
 * left in out[LON] / out[LAT]. Never fails at full precision (the step is never 0).
 */
export function decodeScore(score: number): void {
  splitScore(score);
  const hi = U[0];
  const lo = U[1];
  out[LON] = lonOfHalves(hi, lo);
  out[LAT] = latOfHalves(hi, lo);
}

/** The (uint64_t) cast of a score into U[0] / U[1]. */
function splitScore(score: number): void {
  if (score >= 0 && score < TWO_53) {
    // Every score GEOADD writes: the halves straight from the double (ToUint32 truncates,
    // and the division by 2^32 is exact), skipping the general cast.
    U[0] = (score / TWO_32) >>> 0;
    U[1] = score >>> 0;
  } else {
    scoreToUint64(score);
  }
}

// geohashDecode + geohashDecodeAreaToLongLat for one coordinate of a 64-bit value's halves
// (latitude in the even bits, longitude in the odd ones): the centre of its cell, clamped.
// Without building the area: this is the per-candidate path of a search.

function latOfHalves(hi: number, lo: number): number {
  const ilat = (squash32(lo) | (squash32(hi) << 16)) >>> 0;
  const latMin = GEO_LAT_MIN + (ilat / FULL_CELLS) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + (((ilat + 1) >>> 0) / FULL_CELLS) * LAT_SCALE;
  const lat = (latMin + latMax) / 2;
  return lat > GEO_LAT_MAX ? GEO_LAT_MAX : lat < GEO_LAT_MIN ? GEO_LAT_MIN : lat;
}

function lonOfHalves(hi: number, lo: number): number {
  const ilon = (squash32(lo >>> 1) | (squash32(hi >>> 1) << 16)) >>> 0;
  const lonMin = GEO_LONG_MIN + (ilon / FULL_CELLS) * LONG_SCALE;
  const lonMax = GEO_LONG_MIN + (((ilon + 1) >>> 0) / FULL_CELLS) * LONG_SCALE;
  const lon = (lonMin + lonMax) / 2;
  return lon > GEO_LONG_MAX ? GEO_LONG_MAX : lon < GEO_LONG_MIN ? GEO_LONG_MIN : lon;
}

/** (long long) of a score, as WITHHASH replies it (x86-64: out-of-range gives LLONG_MIN). */
export function scoreAsInteger(score: number): number {
  if (!(score < TWO_63) || score < -TWO_63) return -TWO_63;
  return Math.trunc(score);
}

const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH: the 11-character standard geohash of a score, re-encoded on the -90..90 latitude
 * range from the decoded point; the 11th character stands for bits Valkey does not have ('0').
 */
export function standardGeohash(score: number): string {
  decodeScore(score);
  U[0] = 0;
  U[1] = 0;
  encodeHalves(LONG_RANGE, STANDARD_LAT_RANGE, out[LON], out[LAT], GEO_STEP_MAX);
  let s = '';
  for (let i = 0; i < 10; i++) {
    // Bits 51..2 of the 52-bit value, five at a time.
    const shift = 52 - (i + 1) * 5;
    const idx = shift >= 32 ? (U[0] >>> (shift - 32)) & 0x1f : ((U[1] >>> shift) | (U[0] << (32 - shift))) & 0x1f;
    s += ALPHABET[idx];
  }
  return s + '0';
}

// ---------------------------------------------------------------------------------------------
// Neighbours
// ---------------------------------------------------------------------------------------------

/**
 * geohash_move_x / geohash_move_y: one cell east or west (north or south), wrapping within the
 * step's bits. C adds to the interleaved bits with the other coordinate's bits set so the carry
 * runs through them, then masks to the step: that is (index +- 1) mod 2^step, the other index
 * (even one at 2^step) kept as it is.
 */
function moved(cell: GeoCell, dLon: number, dLat: number): GeoCell {
  const mask = POW2[cell.step] - 1;
  const ilon = dLon === 0 ? cell.ilon : (cell.ilon + dLon) & mask;
  const ilat = dLat === 0 ? cell.ilat : (cell.ilat + dLat) & mask;
  return { ilat, ilon, step: cell.step };
}

const NO_CELL: GeoCell = { ilat: 0, ilon: 0, step: 0 };

export function isNoCell(cell: GeoCell): boolean {
  return cell.step === 0;
}

export function sameCell(a: GeoCell, b: GeoCell): boolean {
  return a.ilat === b.ilat && a.ilon === b.ilon && a.step === b.step;
}

/** Scratch for cellScoreRange's result, so a search allocates no pair per cell. */
const cellRange = new Float64Array(2);

/**
 * [min, max) of the scores inside a cell (scoresOfGeoHashBox) into cellRange[0] / [1]: the
 * cell's hash bits and their successor, shifted to the 52-bit precision. Shifting a double
 * by a power of two is exact, so this is C's value whenever the bits stay below 2^53; only
 * coordinates at the very top of both ranges go past that, and take the exact 64-bit path.
 */
export function cellScoreRange(cell: GeoCell): Float64Array {
  interleave(cell.ilat, cell.ilon);
  const scale = POW2[52 - cell.step * 2];
  if (U[0] < 0x200000) {
    const bits = U[0] * TWO_32 + U[1];
    cellRange[0] = bits * scale;
    cellRange[1] = (bits + 1) * scale;
  } else {
    const bits = (BigInt(U[0]) << 32n) | BigInt(U[1]);
    const shift = BigInt(52 - cell.step * 2);
    const u64 = (1n << 64n) - 1n;
    cellRange[0] = Number((bits << shift) & u64);
    cellRange[1] = Number(((bits + 1n) << shift) & u64);
  }
  return cellRange;
}

// ---------------------------------------------------------------------------------------------
// Distances
// ---------------------------------------------------------------------------------------------

function degRad(ang: number): number {
  return ang * D_R;
}

function radDeg(ang: number): number {
  return ang / D_R;
}

/** Distance along a meridian (the haversine formula when the longitudes are equal). */
function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/**
 * Haversine great-circle distance in meters, with correctly rounded sine, cosine and arcsine
 * (as glibc's, which Valkey uses, practically always are).
 */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sinExact((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sinExact((lat2r - lat1r) / 2);
  const a = u * u + cosExact(lat1r) * cosExact(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asinExact(Math.sqrt(a));
}

/**
 * The same with V8's Math functions: within a few ulps of geoDistance, and several times faster.
 * Searches decide and sort on it, and switch to the exact one where a few ulps could matter.
 */
export function geoDistanceFast(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * Whether two distances are near enough for the few ulps between the quick and the exact
 * computation to put them on either side of each other.
 */
export function tooClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.abs(b) * 1e-13 + 1e-12;
}

/** A distance compared with a limit: the exact one when the quick one is too close to tell. */
function settled(lon1d: number, lat1d: number, lon2d: number, lat2d: number, limit: number): number {
  const d = geoDistanceFast(lon1d, lat1d, lon2d, lat2d);
  return tooClose(d, limit) ? geoDistance(lon1d, lat1d, lon2d, lat2d) : d;
}

// ---------------------------------------------------------------------------------------------
// Shapes and the cells that cover them
// ---------------------------------------------------------------------------------------------

const SHAPE_CIRCLE = 1;
const SHAPE_BOX = 2;
const SHAPE_POLYGON = 3;

/** A search area: its centre, size in `conversion` units (meters per unit), or polygon vertices. */
export interface GeoShape {
  type: number;
  lon: number;
  lat: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
  /** [lon, lat] pairs */
  points: number[][];
  // A circle's terms computed once per search (prepareCircle), not once per candidate.
  /** the centre in radians, and the cosine of its latitude */
  lonR: number;
  latR: number;
  cosLat: number;
  /** the radius in meters */
  limit: number;
  /** distances along the meridian beyond which a point is surely outside */
  meridianLimit: number;
  /** values of the haversine term beyond which a point is surely outside */
  haversineLimit: number;
  /** half longitude differences (radians) beyond which a point inside the meridian band is outside */
  lonHalfLimit: number;
}

export function newShape(): GeoShape {
  return {
    type: 0,
    lon: 0,
    lat: 0,
    conversion: 1,
    radius: 0,
    width: 0,
    height: 0,
    points: [],
    lonR: 0,
    latR: 0,
    cosLat: 0,
    limit: 0,
    meridianLimit: Infinity,
    haversineLimit: Infinity,
    lonHalfLimit: Infinity,
  };
}

/**
 * The per-search terms of a circle. Three cut-offs reject most candidates of the nine cells
 * before the full distance, from the haversine formula
 *   a = sin^2(dLat / 2) + cos(lat1) cos(lat2) sin^2(dLon / 2),  distance = 2 R asin(sqrt(a)):
 *  - the distance along the meridian, R |dLat|, never exceeds the great-circle distance;
 *  - inside that latitude band cos(lat2) has a floor, so a longitude difference alone can put
 *    `a` past the radius's value (sin^2 is symmetric about pi/2: dLon wraps around);
 *  - the distance grows with `a`.
 * Each carries a margin (1e-12 to 1e-9 relative, far above the few ulps between these and the
 * distances computed for the decision), so a point they reject is one the full computation
 * rejects too (antipodes aside: see maybeAntipodal). Past 3 Earth radii (where asin's slope
 * near 1 could eat the margin) they are off.
 */
function prepareCircle(shape: GeoShape): void {
  const limit = shape.radius * shape.conversion;
  shape.lonR = degRad(shape.lon);
  shape.latR = degRad(shape.lat);
  shape.cosLat = Math.cos(shape.latR);
  shape.limit = limit;
  shape.meridianLimit = Infinity;
  shape.haversineLimit = Infinity;
  shape.lonHalfLimit = Infinity;
  if (!(limit < 3 * EARTH_RADIUS_IN_METERS)) return;
  const s = Math.sin(limit / (2 * EARTH_RADIUS_IN_METERS));
  shape.meridianLimit = limit * (1 + 1e-12) + 1e-9;
  shape.haversineLimit = s * s * (1 + 1e-9) + 1e-30;
  // The band's latitude farthest from the equator, where cos(lat2) is smallest.
  const farthest = Math.abs(shape.latR) + shape.meridianLimit / EARTH_RADIUS_IN_METERS + 1e-12;
  if (!(farthest < 1.5)) return;
  const cosFloor = Math.cos(farthest) * shape.cosLat * (1 - 1e-12);
  const sinHalf = Math.sqrt(shape.haversineLimit / cosFloor);
  if (!(sinHalf < 0.9)) return; // keep asin where its slope is moderate
  shape.lonHalfLimit = Math.asin(sinHalf) * (1 + 1e-9) + 1e-12;
}

/** Whether a point at this latitude (radians) is farther than the radius along the meridian. */
function beyondMeridian(shape: GeoShape, latR: number): boolean {
  return EARTH_RADIUS_IN_METERS * Math.abs(latR - shape.latR) > shape.meridianLimit;
}

// Near the centre's antipode the haversine term can round past 1 and the distance come out
// NaN, which C (and so Valkey) then does not reject: the cut-offs leave such points to the
// full computation. These bounds are far wider than the 1e-7 radians where that can happen.

function maybeAntipodalLat(shape: GeoShape, latR: number): boolean {
  return Math.abs(latR + shape.latR) < 1e-6;
}

function maybeAntipodal(shape: GeoShape, latR: number, halfDLon: number): boolean {
  return maybeAntipodalLat(shape, latR) && Math.abs(Math.abs(2 * halfDLon) - Math.PI) < 1e-5;
}

/**
 * The distance from a circle's centre to a point, or -1 when it is surely beyond the radius.
 * Where it computes the distance, the value is settled()'s: geoDistanceFast's expression
 * term by term (the same doubles), the exact one when that is too close to the radius.
 */
function circleDistance(shape: GeoShape, lon: number, lat: number): number {
  const lat2r = degRad(lat);
  const halfDLon = (degRad(lon) - shape.lonR) / 2;
  const h = Math.abs(halfDLon);
  if (beyondMeridian(shape, lat2r) || (h > HALF_PI ? Math.PI - h : h) > shape.lonHalfLimit) {
    return maybeAntipodal(shape, lat2r, halfDLon) ? settled(shape.lon, shape.lat, lon, lat, shape.limit) : -1;
  }
  const v = Math.sin(halfDLon);
  if (v === 0.0) return settled(shape.lon, shape.lat, lon, lat, shape.limit);
  const u = Math.sin((lat2r - shape.latR) / 2);
  const a = u * u + shape.cosLat * Math.cos(lat2r) * v * v;
  if (a > shape.haversineLimit && a <= 1) return -1;
  const d = 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
  return tooClose(d, shape.limit) ? geoDistance(shape.lon, shape.lat, lon, lat) : d;
}

/**
 * geoWithinShape for an already decoded point: inside the circle (distance <= radius), the
 * box (each axis distance <= half the size, measured along the point's own latitude and the
 * centre's meridian) or the polygon (ray casting). The distance to the centre goes to
 * out[DIST]: the quick one (see geoDistanceFast), the exact one only near a circle's edge.
 * The shape must have gone through coveringCells (which readies a circle's terms).
 */
export function withinShape(shape: GeoShape, lon: number, lat: number): boolean {
  if (shape.type === SHAPE_CIRCLE) {
    const d = circleDistance(shape, lon, lat);
    if (d < 0 || d > shape.limit) return false;
    out[DIST] = d;
    return true;
  }
  if (shape.type === SHAPE_BOX) {
    const height = shape.height * shape.conversion;
    const width = shape.width * shape.conversion;
    if (latDistance(lat, shape.lat) > height / 2) return false;
    if (settled(lon, lat, shape.lon, lat, width / 2) > width / 2) return false;
  } else if (!insidePolygon(shape.points, lon, lat)) {
    return false;
  }
  out[DIST] = geoDistanceFast(shape.lon, shape.lat, lon, lat);
  return true;
}

/** A candidate of a search: decodeScore then withinShape (the point and distance in `out`). */
export function scoreInShape(shape: GeoShape, score: number): boolean {
  splitScore(score);
  const hi = U[0];
  const lo = U[1];
  const lat = latOfHalves(hi, lo);
  // A circle's cheapest test, before the longitude is even decoded.
  if (shape.type === SHAPE_CIRCLE) {
    const latR = degRad(lat);
    if (beyondMeridian(shape, latR) && !maybeAntipodalLat(shape, latR)) return false;
  }
  const lon = lonOfHalves(hi, lo);
  out[LON] = lon;
  out[LAT] = lat;
  return withinShape(shape, lon, lat);
}

/** PNPOLY: an odd number of edge crossings of a ray going west to east means inside. */
function insidePolygon(vertices: number[][], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[i];
    const b = vertices[j];
    if (a[1] > lat !== b[1] > lat && lon < ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** geohashEstimateStepsByRadius: cell precision for a search of this size at this latitude. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  // Cells narrow towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohashBoundingBox: [minLon, minLat, maxLon, maxLat] around the shape. For a polygon, its
 * vertices' extent, and the shape's centre becomes the centroid of the vertices (averaged on the
 * sphere).
 */
function boundingBox(shape: GeoShape): number[] {
  if (shape.type === SHAPE_POLYGON) return polygonBounds(shape);
  let height = 0;
  let width = 0;
  if (shape.type === SHAPE_CIRCLE) {
    height = shape.conversion * shape.radius;
    width = shape.conversion * shape.radius;
  } else {
    height = (shape.conversion * shape.height) / 2;
    width = (shape.conversion * shape.width) / 2;
  }
  const lon = shape.lon;
  const lat = shape.lat;
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cosExact(degRad(lat + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cosExact(degRad(lat - latDelta)));
  // The wider edge is the one nearer the equator.
  const southern = lat < 0;
  return [
    southern ? lon - longDeltaBottom : lon - longDeltaTop,
    lat - latDelta,
    southern ? lon + longDeltaBottom : lon + longDeltaTop,
    lat + latDelta,
  ];
}

function polygonBounds(shape: GeoShape): number[] {
  let minLon = GEO_LONG_MAX;
  let maxLon = GEO_LONG_MIN;
  let minLat = GEO_LAT_MAX;
  let maxLat = GEO_LAT_MIN;
  let x = 0;
  let y = 0;
  let z = 0;
  for (const [lon, lat] of shape.points) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    const lonR = degRad(lon);
    const latR = degRad(lat);
    x += EARTH_RADIUS_IN_METERS * cosExact(latR) * cosExact(lonR);
    y += EARTH_RADIUS_IN_METERS * cosExact(latR) * sinExact(lonR);
    z += EARTH_RADIUS_IN_METERS * sinExact(latR);
  }
  const n = shape.points.length;
  x /= n;
  y /= n;
  z /= n;
  shape.lon = radDeg(Math.atan2(y, x));
  shape.lat = radDeg(Math.atan2(z, Math.sqrt(x * x + y * y)));
  return [minLon, minLat, maxLon, maxLat];
}

/** The search radius the cell size is estimated from, in meters. */
function searchRadius(shape: GeoShape, bounds: number[]): number {
  let r: number;
  if (shape.type === SHAPE_CIRCLE) {
    r = shape.radius;
  } else if (shape.type === SHAPE_BOX) {
    // Centre to corner.
    r = Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  } else {
    const [minLon, minLat, maxLon, maxLat] = bounds;
    r = Math.max(
      geoDistance(shape.lon, shape.lat, minLon, maxLat),
      geoDistance(shape.lon, shape.lat, maxLon, maxLat),
      geoDistance(shape.lon, shape.lat, minLon, minLat),
      geoDistance(shape.lon, shape.lat, maxLon, minLat),
    );
  }
  return r * shape.conversion;
}

/**
 * geohashCalculateAreasByShapeWGS84: the centre cell and its eight neighbours (in the order the
 * search visits them: centre, N, S, E, W, NE, NW, SE, SW), cells that cannot intersect the
 * bounding box replaced by "no cell". Also readies a circle's per-search terms.
 */
export function coveringCells(shape: GeoShape): GeoCell[] {
  if (shape.type === SHAPE_CIRCLE) prepareCircle(shape);
  const bounds = boundingBox(shape);
  const [minLon, minLat, maxLon, maxLat] = bounds;
  let steps = estimateSteps(searchRadius(shape, bounds), shape.lat);
  let centre = encodeCell(shape.lon, shape.lat, steps);

  // The estimated step can leave part of the box outside the nine cells near their edges (the
  // neighbours' indexes as moved() computes them).
  const mask = POW2[steps] - 1;
  const decrease =
    latMaxOf((centre.ilat + 1) & mask, steps) < maxLat ||
    latMinOf((centre.ilat - 1) & mask, steps) > minLat ||
    lonMaxOf((centre.ilon + 1) & mask, steps) < maxLon ||
    lonMinOf((centre.ilon - 1) & mask, steps) > minLon;
  if (steps > 1 && decrease) {
    steps--;
    centre = encodeCell(shape.lon, shape.lat, steps);
  }

  // Rows and columns of neighbours that cannot reach the box are dropped.
  let south = true;
  let north = true;
  let west = true;
  let east = true;
  if (steps >= 2) {
    south = !(latMinOf(centre.ilat, steps) < minLat);
    north = !(latMaxOf(centre.ilat, steps) > maxLat);
    west = !(lonMinOf(centre.ilon, steps) < minLon);
    east = !(lonMaxOf(centre.ilon, steps) > maxLon);
  }
  const at = (dLon: number, dLat: number, keep: boolean): GeoCell => (keep ? moved(centre, dLon, dLat) : NO_CELL);
  return [
    centre,
    at(0, 1, north),
    at(0, -1, south),
    at(1, 0, east),
    at(-1, 0, west),
    at(1, 1, north && east),
    at(-1, 1, north && west),
    at(1, -1, south && east),
    at(-1, -1, south && west),
  ];
}

// A cell's edges, as geohashDecode computes them (the index + 1 wraps at 32 bits as in C), from
// its latitude or longitude index and step.
function latMinOf(ilat: number, step: number): number {
  return GEO_LAT_MIN + (ilat / POW2[step]) * LAT_SCALE;
}

function latMaxOf(ilat: number, step: number): number {
  return GEO_LAT_MIN + (((ilat + 1) >>> 0) / POW2[step]) * LAT_SCALE;
}

function lonMinOf(ilon: number, step: number): number {
  return GEO_LONG_MIN + (ilon / POW2[step]) * LONG_SCALE;
}

function lonMaxOf(ilon: number, step: number): number {
  return GEO_LONG_MIN + (((ilon + 1) >>> 0) / POW2[step]) * LONG_SCALE;
}
