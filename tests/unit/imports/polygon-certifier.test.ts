/**
 * The certifier that lets the import skip PostGIS's ST_IsValid (imports/simple-polygon.certifier.ts):
 * hand-made rings on either side of each rule. Its oracle against PostGIS on thousands of generated
 * rings is tests/integration/imports/polygon-certifier-oracle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { certifierFor, certifiesSingleRing, MAX_CERTIFIED_SEGMENTS } from '../../../api/src/imports/simple-polygon.certifier.ts';
import type { Geometry } from '../../../api/src/imports/readers/reader.types.ts';

const E = 512_000;
const N = 2_534_000;
/** A ring of grid offsets (m) from (E, N), closed. */
const at = (offsets: number[][]): number[][] => [...offsets, offsets[0] as number[]].map(([x, y]) => [E + (x as number), N + (y as number)]);
const polygon = (...rings: number[][][]): Geometry => ({ type: 'Polygon', coordinates: rings });
const gk = certifierFor(4547)!;

/** A 20 × 20 m square with a notch cut from the top edge down to `gap` m above the bottom edge. */
const notched = (gap: number) => polygon(at([[0, 0], [20, 0], [20, 20], [11, 20], [11, gap], [9, gap], [9, 20], [0, 20]]));

describe('certifierFor', () => {
  it('certifies in geographic CRSs and in Gauss-Krüger and UTM grids, nowhere else', () => {
    for (const epsg of [4490, 4214, 4610, 4326, 4547, 4513, 4502, 2383, 21460, 32650]) expect(certifierFor(epsg), `EPSG:${epsg}`).not.toBeNull();
    for (const epsg of [3857, 2000, 27700]) expect(certifierFor(epsg), `EPSG:${epsg}`).toBeNull();
  });
});

describe('a single simple ring is certified', () => {
  it('a rectangle, an L-shape, a triangle, in either winding, as Polygon or one-part MultiPolygon', () => {
    const rect = at([[0, 0], [12, 0], [12, 8], [0, 8]]);
    expect(gk(polygon(rect))).toBe(true);
    expect(gk(polygon([...rect].reverse()))).toBe(true);
    expect(gk(polygon(at([[0, 0], [10, 0], [10, 4], [5, 4], [5, 9], [0, 9]])))).toBe(true);
    expect(gk(polygon(at([[0, 0], [10, 0], [3, 7]])))).toBe(true);
    expect(gk({ type: 'MultiPolygon', coordinates: [[rect]] })).toBe(true);
  });

  it('a vertex in the middle of a straight edge (collinear, not folding back)', () => {
    expect(gk(polygon(at([[0, 0], [6, 0], [12, 0], [12, 8], [0, 8]])))).toBe(true);
  });

  it('in degrees, for a geographic source', () => {
    const deg = certifierFor(4490)!;
    const d = 1e-4; // ~11 m
    expect(deg(polygon([[114, 22], [114 + d, 22], [114 + d, 22 + d], [114, 22 + d], [114, 22]]))).toBe(true);
  });
});

describe('anything not certainly valid is not certified', () => {
  it('a bow-tie (crossing edges)', () => {
    expect(gk(polygon(at([[0, 0], [10, 10], [10, 0], [0, 10]])))).toBe(false);
  });

  it('a vertex touching a non-adjacent edge (a pinch), and a repeated vertex (a figure eight)', () => {
    expect(gk(polygon(at([[0, 0], [20, 0], [20, 20], [10, 0.0], [0, 20]])))).toBe(false);
    expect(gk(polygon(at([[0, 0], [10, 10], [20, 0], [20, 20], [10, 10], [0, 20]])))).toBe(false);
  });

  it('a spike: an edge that folds back along the one before it', () => {
    expect(gk(polygon(at([[0, 0], [20, 0], [30, 0], [20, 0.0], [20, 20], [0, 20]])))).toBe(false);
    expect(gk(polygon(at([[0, 0], [20, 0], [20, 20], [20, 30], [20, 25], [0, 20]])))).toBe(false);
  });

  it('a spike through the closing vertex', () => {
    expect(gk(polygon(at([[0, 0], [20, 0], [20, 20], [0, 20], [0, 30]])))).toBe(false);
  });

  it('collinear degenerate triangles and zero-length edges', () => {
    expect(gk(polygon(at([[0, 0], [10, 0], [20, 0]])))).toBe(false);
    expect(gk(polygon(at([[0, 0], [10, 0], [10, 0], [10, 8], [0, 8]])))).toBe(false);
  });

  it('edges closer than the margin (a notch 0.1 mm wide at its foot) but not closer than a clear gap', () => {
    expect(gk(notched(0))).toBe(false); // touching
    expect(gk(notched(1e-4))).toBe(false); // 0.1 mm: within the margin, left to PostGIS
    expect(gk(notched(0.01))).toBe(true); // 1 cm: certainly apart
  });

  it('the margin grows with the square of the ring: a 20 km ring needs more than 250 m between edges', () => {
    const big = (gap: number) => {
      const s = 20_000;
      return polygon(at([[0, 0], [s, 0], [s, s], [s / 2 + 300, s], [s / 2 + 300, gap], [s / 2 - 300, gap], [s / 2 - 300, s], [0, s]]));
    };
    expect(gk(big(200))).toBe(false);
    expect(gk(big(300))).toBe(true);
  });

  it('holes, several parts, unclosed rings and rings longer than the limit', () => {
    const outer = at([[0, 0], [20, 0], [20, 20], [0, 20]]);
    const hole = at([[5, 5], [6, 5], [6, 6], [5, 6]]);
    expect(gk(polygon(outer, hole))).toBe(false);
    expect(gk({ type: 'MultiPolygon', coordinates: [[outer], [at([[30, 0], [40, 0], [40, 10]])]] })).toBe(false);
    expect(gk(polygon(outer.slice(0, -1)))).toBe(false);
    const circle = (n: number) => polygon(at(Array.from({ length: n }, (_, i) => [10 * Math.cos((2 * Math.PI * i) / n), 10 * Math.sin((2 * Math.PI * i) / n)])));
    expect(gk(circle(MAX_CERTIFIED_SEGMENTS))).toBe(true);
    expect(gk(circle(MAX_CERTIFIED_SEGMENTS + 1))).toBe(false);
  });

  it('lines, points and NaN', () => {
    expect(gk({ type: 'LineString', coordinates: at([[0, 0], [10, 0]]) })).toBe(false);
    expect(gk({ type: 'Point', coordinates: [E, N] })).toBe(false);
    expect(certifiesSingleRing(polygon(at([[0, 0], [10, 0], [10, Number.NaN], [0, 10]])), 6_371_000, 1e-5)).toBe(false);
  });
});
