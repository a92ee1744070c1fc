// The arithmetic under the geo commands: correctly rounded sin/cos/asin (util/libm), printf
// "%f" (util/numbers formatFixed), and the geohash encoding, decoding and search cells.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { asinExact, cosExact, sinExact } from '../../src/util/libm';
import { formatFixed } from '../../src/util/numbers';
import * as gh from '../../src/types/geohash';

describe('libm: correctly rounded sin, cos, asin', () => {
  // Inputs where V8's Math functions are an ulp off; expected values from mpmath at 300 bits.
  const cases: [(x: number) => number, (x: number) => number, number, number][] = [
    [sinExact, Math.sin, 2.811409385187188, 0.3242164026211266],
    [sinExact, Math.sin, 0.48975061159559674, 0.4704058299544888],
    [sinExact, Math.sin, 0.4196137853822357, 0.4074077743611425],
    [sinExact, Math.sin, 0.8445202889884067, 0.7476526269197163],
    [cosExact, Math.cos, 0.8399084721182186, 0.667530978652881],
    [cosExact, Math.cos, -0.841236507594241, 0.6665415589441741],
    [cosExact, Math.cos, 0.6499072392935457, 0.796139932642537],
    [cosExact, Math.cos, 0.6647162084799789, 0.7870918695870929],
    [asinExact, Math.asin, 0.5492536336694848, 0.5814708249058157],
    [asinExact, Math.asin, 0.5486600439867791, 0.5807606625372924],
    [asinExact, Math.asin, 0.6678329693708172, 0.7312935126698014],
    [asinExact, Math.asin, 0.5510305725688505, 0.5835987152944672],
  ];

  it('match the correctly rounded values where Math does not', () => {
    let mathOff = 0;
    for (const [exact, math, x, want] of cases) {
      assert.equal(exact(x), want, `${exact.name}(${x})`);
      if (math(x) !== want) mathOff++;
    }
    assert.ok(mathOff > 0, 'the vectors exercise the difference');
  });

  it('agree with Math within an ulp over the ranges the geo code uses, and at special points', () => {
    for (let i = -400; i <= 400; i++) {
      const x = i * 0.00785398;
      assert.ok(Math.abs(sinExact(x) - Math.sin(x)) <= 2.3e-16, `sin ${x}`);
      assert.ok(Math.abs(cosExact(x) - Math.cos(x)) <= 2.3e-16, `cos ${x}`);
    }
    for (let i = 0; i <= 1000; i++) assert.ok(Math.abs(asinExact(i / 1000) - Math.asin(i / 1000)) <= 3.4e-16, `asin ${i / 1000}`);
    assert.equal(sinExact(0), 0);
    assert.equal(cosExact(0), 1);
    assert.equal(asinExact(1), Math.PI / 2);
    assert.ok(Number.isNaN(asinExact(1.0000000000000002)));
    assert.equal(cosExact(Math.PI / 2), 6.123233995736766e-17);
  });
});

describe('formatFixed (printf %.Nf)', () => {
  it('rounds the exact binary value, ties to even', () => {
    assert.equal(formatFixed(200.0078125, 6), '200.007812');
    assert.equal(formatFixed(200.0078135, 6), '200.007813');
    assert.equal(formatFixed(-0, 6), '-0.000000');
    assert.equal(formatFixed(0, 6), '0.000000');
    assert.equal(formatFixed(2.5, 0), '2');
    assert.equal(formatFixed(3.5, 0), '4');
    assert.equal(formatFixed(0.1, 20), '0.10000000000000000555');
    assert.equal(formatFixed(1e22, 2), '10000000000000000000000.00');
    assert.equal(formatFixed(-181.25, 6), '-181.250000');
    assert.equal(formatFixed(Infinity, 6), 'inf');
    assert.equal(formatFixed(-Infinity, 6), '-inf');
  });
});

describe('geohash', () => {
  it('encodes 52-bit scores and decodes cell centres', () => {
    assert.equal(gh.encodeScore(13.361389, 38.115556), 3479099956230698);
    assert.equal(gh.lastScoreText(), '3479099956230698');
    assert.equal(gh.encodeScore(-180, -85.05112878), 0);
    // The top of both ranges sets the bits above the 52: the exact text is what ZADD receives.
    assert.equal(gh.encodeScore(180, 85.05112878), 13510798882111488);
    assert.equal(gh.lastScoreText(), '13510798882111488');
    gh.decodeScore(3479099956230698);
    assert.ok(Math.abs(gh.out[gh.LON] - 13.361389) < 1e-5 && Math.abs(gh.out[gh.LAT] - 38.115556) < 1e-5);
    gh.decodeScore(-1); // (uint64_t)-1: every bit set, past the top of both ranges, clamped
    assert.deepEqual([gh.out[gh.LON], gh.out[gh.LAT]], [180, 85.05112878]);
    gh.decodeScore(1e30); // beyond 2^64: 0 on x86-64, the bottom corner's cell
    assert.deepEqual([gh.out[gh.LON], gh.out[gh.LAT]], [-179.99999731779099, -85.05112751263943]);
  });

  it('gives standard geohash strings', () => {
    assert.equal(gh.standardGeohash(gh.encodeScore(-5.6, 42.6)), 'ezs42e44yx0');
    assert.equal(gh.standardGeohash(gh.encodeScore(0, 0)), 's0000000000');
  });

  it('covers a search area with the centre cell and its neighbours', () => {
    const shape = gh.newShape();
    shape.type = gh.SHAPE_CIRCLE;
    shape.lon = 15;
    shape.lat = 37;
    shape.radius = 200;
    shape.conversion = 1000;
    const cells = gh.coveringCells(shape);
    assert.equal(cells.length, 9);
    const centre = cells[0];
    assert.ok(centre.step > 1 && centre.step < 26);
    const [min, max] = gh.cellScoreRange(centre);
    const score = gh.encodeScore(15, 37);
    assert.ok(score >= min && score < max, 'the centre lies in the centre cell');
    // A huge radius: one coarse cell for the whole range, the rest merged or dropped.
    shape.radius = 50000;
    const huge = gh.coveringCells(shape);
    assert.equal(huge[0].step, 1);
  });

  it('measures distances with the haversine formula on Valkey\'s sphere', () => {
    // Expected values: the same formula with glibc's libm (Python's math module).
    assert.equal(gh.geoDistance(13.361389, 38.115556, 15.087269, 37.502669), 166274.25779140723);
    assert.equal(gh.geoDistance(-73.9454966, 40.747533, -74.0131604, 40.7126674), 6896.6959019555225);
    assert.equal(gh.geoDistance(151.2, -33.87, -0.13, 51.65), 16990615.312202267);
    assert.equal(gh.geoDistance(0, 0, 0, 1), 6372797.560856 * (Math.PI / 180));
  });
});
