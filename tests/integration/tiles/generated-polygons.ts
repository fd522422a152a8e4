import type { Queryable } from '../../../api/src/db/db.types.ts';
import { FIXTURE_CENTER } from './tiles-fixture.ts';

/** Deterministic PRNG (mulberry32), so the generated polygons and the golden file agree. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A star-shaped (hence simple) ring around a centre as WKT `(lon lat, …)`: `vertices` points at random
 * angles, each at `minShare`…1 of `radiusM` metres from the centre.
 */
function star(rand: () => number, lon: number, lat: number, radiusM: number, minShare: number, vertices: number, clockwise: boolean): string {
  const angles = Array.from({ length: vertices }, () => rand() * 2 * Math.PI).sort((a, b) => a - b);
  if (clockwise) angles.reverse();
  const pts = angles.map((t) => {
    const r = radiusM * (minShare + (1 - minShare) * rand());
    return `${(lon + (r * Math.cos(t)) / (111_320 * Math.cos((lat * Math.PI) / 180))).toFixed(9)} ${(lat + (r * Math.sin(t)) / 110_574).toFixed(9)}`;
  });
  return `(${[...pts, pts[0]].join(',')})`;
}

/** Shape of a generated set: how ragged the outlines are and how many vertices they have. */
interface Shape {
  kind: string;
  count: number;
  seed: number;
  minShare: number;
  minVertices: number;
  maxVertices: number;
}

/**
 * Parcel-like polygons (ecological_redline): mildly irregular, 5–16 vertices, 3 m to 1.5 km across,
 * every 4th with a hole, every 5th with a second part — what survey layers look like.
 */
export const PARCEL_LIKE: Shape = { kind: 'ecological_redline', count: 50, seed: 4490, minShare: 0.75, minVertices: 5, maxVertices: 16 };
/**
 * Deliberately ragged stars (demolished_site): 20–45 vertices with deep notches, whose snapped
 * outlines cross themselves at low zoom — where ST_AsMVT's clipper (wagyu) and GEOS repair differ.
 */
export const RAGGED: Shape = { kind: 'demolished_site', count: 20, seed: 2000, minShare: 0.3, minVertices: 20, maxVertices: 45 };

/** Inserts a generated set around the fixture centre as one active dataset of `shape.kind`. */
export async function insertGeneratedPolygons(target: Queryable, shape: Shape): Promise<void> {
  const rand = prng(shape.seed);
  const { rows } = await target.query<{ id: number }>(
    `INSERT INTO dataset (kind, name, version, source_file, source_sha256, options_hash)
     VALUES ($1, 'generated', 1, 'generated.shp', $2, 'test') RETURNING id`,
    [shape.kind, '1'.repeat(64)],
  );
  const ds = rows[0]!.id;
  for (let i = 0; i < shape.count; i++) {
    const lon = FIXTURE_CENTER.lon + (rand() - 0.5) * 0.04;
    const lat = FIXTURE_CENTER.lat + (rand() - 0.5) * 0.04;
    const radius = 3 * Math.exp(rand() * Math.log(500));
    const n = shape.minVertices + Math.floor(rand() * (shape.maxVertices - shape.minVertices + 1));
    let polygon = `(${star(rand, lon, lat, radius, shape.minShare, n, false)}`;
    if (i % 4 === 0) polygon += `,${star(rand, lon, lat, radius * shape.minShare * 0.5, 0.6, 8, true)}`;
    polygon += ')';
    const parts = [polygon];
    if (i % 5 === 0) parts.push(`(${star(rand, lon + (radius * 3) / 102_000, lat, radius * 0.8, shape.minShare, 12, false)})`);
    const wkt = `MULTIPOLYGON(${parts.join(',')})`;
    await target.query(
      `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, name, geom, area_m2)
       SELECT $1, $2, $3, $4, 'GEN', NULL, g, ST_Area(g::geography)
       FROM (SELECT ST_GeomFromText($5, 4490) AS g) s WHERE ST_IsValid(g)`,
      [ds, shape.kind, i + 1, `${shape.kind}-${i + 1}`, wkt],
    );
  }
}
