// Geohash arithmetic as Valkey 9.0 does it (geohash.c, geohash_helper.c): a point is the
// interleaving of a latitude and a longitude cell index (latitude in the even bits, longitude in
// the odd ones), 26 bits each at full precision = a 52-bit integer, which is the sorted-set score
// of a geo member. Latitudes are limited to the Web Mercator range (+-85.05112878).
//
// Scores are handled as JS numbers (52 bits fit a double exactly); the 64-bit values C computes
// are held as two unsigned 32-bit halves where they can exceed 2^53, and the search cells (at
// most nine per query) use BigInt. Distances use the haversine formula on a sphere of Valkey's
// radius, 6372797.560856 m.

import { asinExact, cosExact, sinExact } from '../util/libm';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;

export interface GeoRange {
  min: number;
  max: number;
}

/** The Mercator-limited ranges every geo score is encoded in. */
export const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges (GEOHASH's strings). */
export const STANDARD_LAT_RANGE: GeoRange = { min: -90, max: 90 };

/** A cell: `step` bits per coordinate, interleaved in `bits`. step 0 with bits 0 = no cell. */
export interface HashBits {
  bits: bigint;
  step: number;
}

export interface GeoArea {
  longitude: GeoRange;
  latitude: GeoRange;
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
 * and low halves of the last interleave / score conversion, then the deinterleaved latitude and
 * longitude indexes.
 */
const U = new Uint32Array(4);

/** interleave64(even, odd) into U[0]/U[1]: `even`'s bits in the even positions. */
function interleave(even: number, odd: number): void {
  U[1] = (spread16(even) | (spread16(odd) << 1)) >>> 0;
  U[0] = (spread16(even >>> 16) | (spread16(odd >>> 16) << 1)) >>> 0;
}


function deinterleave(hi: number, lo: number): void {
  U[2] = (squash32(lo) | (squash32(hi) << 16)) >>> 0;
  U[3] = (squash32(lo >>> 1) | (squash32(hi >>> 1) << 16)) >>> 0;
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
  if (!validLongLat(lon, lat)) return false;
  if (lat < latRange.min || lat > latRange.max || lon < longRange.min || lon > longRange.max) return false;
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (lon - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  interleave(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0);
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

export function encode(longRange: GeoRange, latRange: GeoRange, lon: number, lat: number, step: number): HashBits | null {
  if (step > 32 || step === 0) return null;
  if (!encodeHalves(longRange, latRange, lon, lat, step)) return null;
  return { bits: (BigInt(U[0]) << 32n) | BigInt(U[1]), step };
}

/** geohashDecode: the cell's area. The index + 1 wraps at 32 bits as in C. */
function decodeIndexes(longRange: GeoRange, latRange: GeoRange, ilat: number, ilon: number, step: number): GeoArea {
  const cells = 2 ** step;
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  return {
    latitude: {
      min: latRange.min + (ilat / cells) * latScale,
      max: latRange.min + (((ilat + 1) >>> 0) / cells) * latScale,
    },
    longitude: {
      min: longRange.min + (ilon / cells) * longScale,
      max: longRange.min + (((ilon + 1) >>> 0) / cells) * longScale,
    },
  };
}

export function decode(longRange: GeoRange, latRange: GeoRange, hash: HashBits): GeoArea {
  const hi = Number((hash.bits >> 32n) & 0xffffffffn);
  const lo = Number(hash.bits & 0xffffffffn);
  deinterleave(hi, lo);
  return decodeIndexes(longRange, latRange, U[2], U[3], hash.step);
}

const FULL_CELLS = 2 ** GEO_STEP_MAX;
const LONG_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;
const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;

/**
 * Outputs, unboxed: [LON] and [LAT] of the last decodeScore, [DIST] the distance of the last
 * point withinShape accepted.
 */
export const out = new Float64Array(3);
export const LON = 0;
export const LAT = 1;
export const DIST = 2;

/**
 * decodeGeohash: the point a score stands for (the centre of its cell, clamped to the limits),
 * left in out[LON] / out[LAT]. Never fails at full precision (the step is never 0).
 */
export function decodeScore(score: number): void {
  scoreToUint64(score);
  deinterleave(U[0], U[1]);
  // geohashDecode + geohashDecodeAreaToLongLat, without building the area (the hot path).
  const lonMin = GEO_LONG_MIN + (U[3] / FULL_CELLS) * LONG_SCALE;
  const lonMax = GEO_LONG_MIN + (((U[3] + 1) >>> 0) / FULL_CELLS) * LONG_SCALE;
  const latMin = GEO_LAT_MIN + (U[2] / FULL_CELLS) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + (((U[2] + 1) >>> 0) / FULL_CELLS) * LAT_SCALE;
  let lon = (lonMin + lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (latMin + latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  out[LON] = lon;
  out[LAT] = lat;
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

const U64 = (1n << 64n) - 1n;
const ODD_BITS = 0xaaaaaaaaaaaaaaaan;
const EVEN_BITS = 0x5555555555555555n;

/** geohash_move_x: one cell east (+1) or west (-1), wrapping around the longitude range. */
function moveX(hash: HashBits, d: number): HashBits {
  let x = hash.bits & ODD_BITS;
  const y = hash.bits & EVEN_BITS;
  const shift = BigInt(64 - hash.step * 2);
  const zz = EVEN_BITS >> shift;
  if (d > 0) x = (x + (zz + 1n)) & U64;
  else x = ((x | zz) - (zz + 1n)) & U64;
  x &= ODD_BITS >> shift;
  return { bits: x | y, step: hash.step };
}

/** geohash_move_y: one cell north (+1) or south (-1). */
function moveY(hash: HashBits, d: number): HashBits {
  const x = hash.bits & ODD_BITS;
  let y = hash.bits & EVEN_BITS;
  const shift = BigInt(64 - hash.step * 2);
  const zz = ODD_BITS >> shift;
  if (d > 0) y = (y + (zz + 1n)) & U64;
  else y = ((y | zz) - (zz + 1n)) & U64;
  y &= EVEN_BITS >> shift;
  return { bits: x | y, step: hash.step };
}

export interface Neighbors {
  north: HashBits;
  south: HashBits;
  east: HashBits;
  west: HashBits;
  northEast: HashBits;
  northWest: HashBits;
  southEast: HashBits;
  southWest: HashBits;
}

function neighborsOf(hash: HashBits): Neighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

const NO_CELL: HashBits = { bits: 0n, step: 0 };

export function isNoCell(h: HashBits): boolean {
  return h.bits === 0n && h.step === 0;
}

/** [min, max) of the scores inside a cell (scoresOfGeoHashBox). */
export function cellScoreRange(hash: HashBits): [number, number] {
  const shift = BigInt(52 - hash.step * 2);
  return [Number((hash.bits << shift) & U64), Number(((hash.bits + 1n) << shift) & U64)];
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

export const SHAPE_CIRCLE = 1;
export const SHAPE_BOX = 2;
export const SHAPE_POLYGON = 3;

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
}

export function newShape(): GeoShape {
  return { type: 0, lon: 0, lat: 0, conversion: 1, radius: 0, width: 0, height: 0, points: [] };
}

/**
 * geoWithinShape for an already decoded point: inside the circle (distance <= radius), the
 * box (each axis distance <= half the size, measured along the point's own latitude and the
 * centre's meridian) or the polygon (ray casting). The distance to the centre goes to
 * out[DIST]: the quick one (see geoDistanceFast), the exact one only near a circle's edge.
 */
export function withinShape(shape: GeoShape, lon: number, lat: number): boolean {
  if (shape.type === SHAPE_CIRCLE) {
    const limit = shape.radius * shape.conversion;
    const d = settled(shape.lon, shape.lat, lon, lat, limit);
    if (d > limit) return false;
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
 * bounding box replaced by "no cell".
 */
export function coveringCells(shape: GeoShape): HashBits[] {
  const bounds = boundingBox(shape);
  const [minLon, minLat, maxLon, maxLat] = bounds;
  let steps = estimateSteps(searchRadius(shape, bounds), shape.lat);
  let hash = encode(LONG_RANGE, LAT_RANGE, shape.lon, shape.lat, steps) ?? { bits: 0n, step: steps };
  let nb = neighborsOf(hash);
  let area = decode(LONG_RANGE, LAT_RANGE, hash);

  // The estimated step can leave part of the box outside the nine cells near their edges.
  const north = decode(LONG_RANGE, LAT_RANGE, nb.north);
  const south = decode(LONG_RANGE, LAT_RANGE, nb.south);
  const east = decode(LONG_RANGE, LAT_RANGE, nb.east);
  const west = decode(LONG_RANGE, LAT_RANGE, nb.west);
  const decrease =
    north.latitude.max < maxLat || south.latitude.min > minLat || east.longitude.max < maxLon || west.longitude.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(LONG_RANGE, LAT_RANGE, shape.lon, shape.lat, steps) ?? { bits: 0n, step: steps };
    nb = neighborsOf(hash);
    area = decode(LONG_RANGE, LAT_RANGE, hash);
  }

  if (steps >= 2) {
    if (area.latitude.min < minLat) nb.south = nb.southWest = nb.southEast = NO_CELL;
    if (area.latitude.max > maxLat) nb.north = nb.northEast = nb.northWest = NO_CELL;
    if (area.longitude.min < minLon) nb.west = nb.southWest = nb.northWest = NO_CELL;
    if (area.longitude.max > maxLon) nb.east = nb.southEast = nb.northEast = NO_CELL;
  }
  return [hash, nb.north, nb.south, nb.east, nb.west, nb.northEast, nb.northWest, nb.southEast, nb.southWest];
}
