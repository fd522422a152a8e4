import { describeEpsg } from './crs/crs.catalog.ts';
import type { Geometry } from './readers/reader.types.ts';

/**
 * True when the polygon is certainly valid — in GEOS's sense, in EPSG:4490, after PostGIS has
 * transformed it from the source CRS; false means "not known" (the route then asks PostGIS's
 * ST_IsValid), never "invalid".
 */
export type PolygonCertifier = (geometry: Geometry) => boolean;

/**
 * Most rings the certifier looks at: its pairwise segment test is quadratic, and past a few dozen
 * vertices PostGIS's own test (a sweep) is the cheaper one. Buildings have 4–12.
 */
export const MAX_CERTIFIED_SEGMENTS = 32;

/** Earth's mean radius (m): the curvature scale of a projected CRS in metres. */
const EARTH_RADIUS_M = 6_371_000;
/** The same radius in degrees of arc: the curvature scale of a geographic CRS. */
const EARTH_RADIUS_DEG = 180 / Math.PI;
/**
 * Least margin (m): far above the rounding of a stored longitude or latitude (~1.6·10⁻⁹ m at 114°E)
 * and of PROJ's arithmetic, so that a millimetre-sized ring is not certified on rounding alone.
 */
const FLOOR_M = 1e-5;

/**
 * A certifier for sources in `epsg`, or null when the CRS is not one this module can bound (the
 * route then tests every row with ST_IsValid). Covers the geographic CRSs of CGCS2000, Xian 1980,
 * Beijing 1954 and WGS 84 (degrees) and their Gauss-Krüger and UTM grids (metres).
 *
 * Why in Node: ST_IsValid was the costliest thing PostgreSQL did per imported row (2.3 of ~8 s per
 * million buildings, on the core that bounds an import), while Node has time to spare and a
 * building's ring of 4–12 vertices is checked in well under a microsecond.
 *
 * Why a margin and not an exact test: PostGIS moves each vertex by the transform, and a straight
 * segment between moved vertices is not the moved segment. Over a ring of extent D a conformal grid's
 * inverse (or a datum shift) departs from its best affine fit mostly through the meridian convergence,
 * which turns by tanφ/R per unit of easting: PostGIS's own transform from EPSG:4547, in local metres,
 * stays within 0.09·D²/R of an affine map at 18°N and 0.36·D²/R at 53.5°N (the premise is tested in
 * tests/integration/imports/polygon-certifier-oracle.test.ts to be below D²/R). An affine map keeps a
 * ring simple, and two segments more than 2δ apart cannot meet once their ends move by δ. The margin
 * asked for is 4·D²/R (twice 2·D²/R) plus 10⁻⁶·D for rounding plus a floor of 10 µm: 0.28 mm on a 20 m
 * building.
 */
export function certifierFor(epsg: number): PolygonCertifier | null {
  const crs = describeEpsg(epsg);
  if (!crs) return null;
  if (crs.kind === 'geographic') return (geometry) => certifiesSingleRing(geometry, EARTH_RADIUS_DEG, FLOOR_M / (EARTH_RADIUS_M * Math.PI / 180));
  if (crs.kind === 'gauss-kruger' || crs.kind === 'utm') return (geometry) => certifiesSingleRing(geometry, EARTH_RADIUS_M, FLOOR_M);
  return null; // Web Mercator's scale varies too fast to bound this simply
}

/**
 * The certificate itself, for a curvature scale `radius` and a least margin `floor` in the CRS's
 * units (see certifierFor): a Polygon (or a
 * MultiPolygon of one) with a single closed ring — no holes — of 3 to MAX_CERTIFIED_SEGMENTS
 * segments, every segment longer than the margin, adjacent segments meeting only at their shared
 * vertex (no fold-back: each far end is more than the margin from the other segment) and non-adjacent
 * segments more than the margin apart. Such a ring is simple, and a polygon with a simple shell and no
 * holes is valid. Anything else (holes, several parts, long rings) answers false.
 */
export function certifiesSingleRing(geometry: Geometry, radius: number, floor: number): boolean {
  let ring: number[][] | undefined;
  if (geometry.type === 'Polygon') {
    if (geometry.coordinates.length === 1) ring = geometry.coordinates[0];
  } else if (geometry.type === 'MultiPolygon') {
    const only = geometry.coordinates.length === 1 ? geometry.coordinates[0] : undefined;
    if (only && only.length === 1) ring = only[0];
  }
  if (!ring) return false;
  const segments = ring.length - 1;
  if (segments < 3 || segments > MAX_CERTIFIED_SEGMENTS) return false;
  const first = ring[0] as number[];
  const last = ring[segments] as number[];
  const ox = first[0] as number;
  const oy = first[1] as number;
  if (last[0] !== ox || last[1] !== oy) return false;
  // Coordinates relative to the first vertex: differences of nearby large eastings are exact.
  let minX = 0;
  let maxX = 0;
  let minY = 0;
  let maxY = 0;
  for (let i = 0; i < segments; i++) {
    const p = ring[i] as number[];
    const x = (p[0] as number) - ox;
    const y = (p[1] as number) - oy;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    xs[i] = x;
    ys[i] = y;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  xs[segments] = 0;
  ys[segments] = 0;
  const extent = Math.max(maxX - minX, maxY - minY);
  if (!(extent > 0)) return false;
  const margin = 4 * (extent * extent) / radius + 1e-6 * extent + floor;
  const margin2 = margin * margin;
  for (let i = 0; i < segments; i++) {
    const dx = (xs[i + 1] as number) - (xs[i] as number);
    const dy = (ys[i + 1] as number) - (ys[i] as number);
    if (dx * dx + dy * dy <= margin2) return false;
  }
  for (let i = 0; i < segments; i++) {
    for (let j = i + 1; j < segments; j++) {
      if (j === i + 1) {
        // i ends where j starts: neither far end may come back onto the other segment. (In a ring of
        // four or more segments a fold-back also brings two non-adjacent segments together; in a
        // triangle only this test sees it.)
        if (pointSegment2(i, j + 1) <= margin2 || pointSegment2(j, i) <= margin2) return false;
      } else if (i === 0 && j === segments - 1) {
        // j ends where i starts (the ring's closing vertex).
        if (pointSegment2(i, j) <= margin2 || pointSegment2(j, i + 1) <= margin2) return false;
      } else if (segmentSegment2(i, j) <= margin2) {
        return false;
      }
    }
  }
  return true;
}

// Scratch coordinates of the ring being certified (relative to its first vertex): one allocation for
// the process, not one per feature.
const xs = new Float64Array(MAX_CERTIFIED_SEGMENTS + 1);
const ys = new Float64Array(MAX_CERTIFIED_SEGMENTS + 1);

/** Squared distance from vertex `v` to segment `s` (vertices s, s+1). */
function pointSegment2(s: number, v: number): number {
  const ax = xs[s] as number;
  const ay = ys[s] as number;
  const dx = (xs[s + 1] as number) - ax;
  const dy = (ys[s + 1] as number) - ay;
  const px = (xs[v] as number) - ax;
  const py = (ys[v] as number) - ay;
  const len2 = dx * dx + dy * dy;
  let t = (px * dx + py * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - t * dx;
  const ey = py - t * dy;
  return ex * ex + ey * ey;
}

/** Sign of the turn a → b → c (cross product of b−a and c−a) for vertices by index. */
function turn(a: number, b: number, c: number): number {
  const ax = xs[a] as number;
  const ay = ys[a] as number;
  return ((xs[b] as number) - ax) * ((ys[c] as number) - ay) - ((ys[b] as number) - ay) * ((xs[c] as number) - ax);
}

/**
 * Squared distance between segments i and j (0 when they cross). A crossing missed by rounding has
 * an end within rounding of the other segment's line, which the end-to-segment distances then catch.
 */
function segmentSegment2(i: number, j: number): number {
  const d1 = turn(i, i + 1, j);
  const d2 = turn(i, i + 1, j + 1);
  const d3 = turn(j, j + 1, i);
  const d4 = turn(j, j + 1, i + 1);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0;
  return Math.min(pointSegment2(i, j), pointSegment2(i, j + 1), pointSegment2(j, i), pointSegment2(j, i + 1));
}
