/**
 * Bench helper for the tile benchmark: a generated county of building footprints written into the
 * real schema as an import would leave it (one active `building` dataset, `subject` rows with
 * MultiPolygon EPSG:4490 geometry, geometry hash and ellipsoidal area, the schema's own indexes), a
 * share of them flagged as suspects, and a fixed, seeded list of tiles that hold data.
 *
 * The county is 50 × 50 km around 114.0°E 22.96°N, built in CGCS2000 3° Gauss-Krüger CM 114E metres
 * (EPSG:4547) and stored in EPSG:4490: a county seat (20 % of the buildings), 14 towns (45 %) and 500
 * villages (35 %), each a Gaussian cloud, with rotated rectangles of 6–20 × 6–16 m and every seventh
 * building L-shaped; town buildings follow the town's street grid, village ones less so.
 */
import type { Db, Queryable } from '../api/src/db/db.types.ts';
import { Rng } from '../scripts/demo-data/demo-prng.ts';

/** What was generated. */
export interface TileScene {
  datasetId: number;
  buildings: number;
  suspects: number;
  /** [minLon, minLat, maxLon, maxLat] of the buildings. */
  bbox: [number, number, number, number];
}

/** One tile address. */
export interface TileXyz {
  z: number;
  x: number;
  y: number;
}

/**
 * Writes `n` buildings (and suspects on every 33rd) into a migrated database. Deterministic. Where
 * `subject` is partitioned by dataset (0006_partition_features.sql) the buildings go into a plain
 * table attached as the dataset's partition, as the importer does; otherwise into `subject` with its
 * secondary indexes rebuilt once afterwards (same definitions, read back from the catalogue).
 */
export async function generateTileScene(db: Db, n: number): Promise<TileScene> {
  const { rows: kind } = await db.query<{ relkind: string }>(`SELECT relkind::text FROM pg_class WHERE oid = 'subject'::regclass`);
  const partitioned = kind[0]?.relkind === 'p';
  const indexes = partitioned
    ? []
    : (
        await db.query<{ name: string; def: string }>(
          `SELECT indexname AS name, indexdef AS def FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = 'subject' AND indexdef NOT LIKE '%UNIQUE%'`,
        )
      ).rows;
  for (const i of indexes) await db.exec(`DROP INDEX ${i.name}`);
  const scene = await db.transaction((tx) => generate(tx, n, partitioned));
  for (const i of indexes) await db.exec(i.def);
  await db.exec('VACUUM ANALYZE subject');
  await db.exec('VACUUM ANALYZE suspect');
  await db.exec('ANALYZE dataset');
  return scene;
}

async function generate(db: Queryable, n: number, partitioned: boolean): Promise<TileScene> {
  await db.query('SELECT setseed(0.2026)');
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs, srs_how, feature_count)
     VALUES ('building', 'bench-buildings', 1, '2025-06-30', 'bench-buildings.shp', repeat('0', 64), 'bench', 'EPSG:4547', 'prj', $1)
     RETURNING id`,
    [n],
  );
  const datasetId = rows[0]!.id;
  // Clusters: kind, centre (m), sigma (m), share of the buildings, street-grid angle (rad).
  await db.exec(`CREATE TEMP TABLE bench_cluster ON COMMIT DROP AS
    WITH c AS (
      SELECT 0 AS k, 503000.0 AS cx, 2538000.0 AS cy, 2500.0 AS sigma, 0.20 AS share, 0.3 AS angle, 0.15 AS jitter
      UNION ALL
      SELECT t, 500000 + (random() - 0.5) * 40000, 2540000 + (random() - 0.5) * 40000, 900 + random() * 400, 0.45 / 14, random() * pi() / 2, 0.15
      FROM generate_series(1, 14) t
      UNION ALL
      SELECT 14 + v, 500000 + (random() - 0.5) * 48000, 2540000 + (random() - 0.5) * 48000, 120 + random() * 120, 0.35 / 500, random() * pi() / 2, 0.6
      FROM generate_series(1, 500) v
    )
    SELECT * FROM c`);
  await db.exec('CREATE UNIQUE INDEX ON bench_cluster (k)');
  // Each building: cluster by its rank, Box–Muller position, size, rotation; rings built directly
  // (4 corners, or 6 for an L), closed, counter-clockwise.
  const target = partitioned ? `subject_p${datasetId}` : 'subject';
  if (partitioned) {
    await db.exec(`CREATE TABLE ${target} (LIKE subject INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                     CONSTRAINT ${target}_dataset_check CHECK (dataset_id = ${datasetId}))`);
  }
  await db.query(
    `INSERT INTO ${target} (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
     SELECT $2, 'building', '2025-06-30', b.g, b.sid, jsonb_build_object('JZBH', b.sid, 'CS', b.floors), geo.g,
            md5(ST_AsBinary(geo.g)), ST_Area(geo.g::geography)
     FROM (
       SELECT g, 'JZ' || lpad(g::text, 7, '0') AS sid, 1 + (g::bigint * 7919) % 6 AS floors,
              c.cx + c.sigma * sqrt(-2 * ln(1 - r1)) * cos(2 * pi() * r2) AS x,
              c.cy + c.sigma * sqrt(-2 * ln(1 - r1)) * sin(2 * pi() * r2) AS y,
              6 + 14 * random() AS w, 6 + 10 * random() AS d,
              c.angle + c.jitter * (random() - 0.5) + (CASE WHEN g % 2 = 0 THEN pi() / 2 ELSE 0 END) AS a
       FROM (SELECT g, random() AS r1, random() AS r2,
                    -- 20 % county seat (k 0), 45 % the 14 towns (k 1–14), 35 % the 500 villages (k 15–514)
                    CASE WHEN f < 0.20 THEN 0
                         WHEN f < 0.65 THEN 1 + least(13, floor((f - 0.20) / 0.45 * 14)::int)
                         ELSE 15 + least(499, floor((f - 0.65) / 0.35 * 500)::int) END AS k
             FROM (SELECT g, (g - 0.5) / $1 AS f FROM generate_series(1, $1) g) gs) s
       JOIN bench_cluster c ON c.k = s.k
     ) b,
     LATERAL (SELECT CASE WHEN b.g % 7 = 0 THEN
                ARRAY[ST_MakePoint(-b.w / 2, -b.d / 2), ST_MakePoint(b.w / 2, -b.d / 2), ST_MakePoint(b.w / 2, 0),
                      ST_MakePoint(0, 0), ST_MakePoint(0, b.d / 2), ST_MakePoint(-b.w / 2, b.d / 2), ST_MakePoint(-b.w / 2, -b.d / 2)]
              ELSE
                ARRAY[ST_MakePoint(-b.w / 2, -b.d / 2), ST_MakePoint(b.w / 2, -b.d / 2), ST_MakePoint(b.w / 2, b.d / 2),
                      ST_MakePoint(-b.w / 2, b.d / 2), ST_MakePoint(-b.w / 2, -b.d / 2)]
              END AS pts) ring,
     LATERAL (SELECT ST_Multi(ST_Transform(ST_SetSRID(
                ST_Translate(ST_Rotate(ST_MakePolygon(ST_MakeLine(ring.pts)), b.a), b.x, b.y), 4547), 4490)) AS g) geo
     ORDER BY b.g`,
    [n, datasetId],
  );
  if (partitioned) {
    await db.exec(`ALTER TABLE subject ATTACH PARTITION ${target} FOR VALUES IN (${datasetId})`);
    await db.exec(`INSERT INTO tile_change (source) VALUES ('subject')`);
  }
  const bbox = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
    `UPDATE dataset SET bbox = e.b FROM (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4490) AS b FROM subject WHERE dataset_id = $1) e
     WHERE id = $1 RETURNING ST_XMin(e.b) AS xmin, ST_YMin(e.b) AS ymin, ST_XMax(e.b) AS xmax, ST_YMax(e.b) AS ymax`,
    [datasetId],
  );
  const { rows: run } = await db.query<{ id: number }>(
    `INSERT INTO analysis_run (mode, status, ruleset_version, ruleset_hash, latest_epoch, finished_at)
     VALUES ('full', 'succeeded', 'bench', 'bench', '2025-06-30', now()) RETURNING id`,
  );
  // Suspects as an analysis would leave them: every 33rd building, rules and severity spread.
  const { rowCount: suspects } = await db.query(
    `INSERT INTO suspect (suspect_key, subject_id, subject_kind, source_id, epoch, is_new, district_code, rules, severity,
                          disposition, area_m2, geom, geom_hash, status, active, first_run_id, last_run_id, ruleset_version)
     SELECT 'building:' || s.source_id, s.id, 'building', s.source_id, s.epoch, s.id % 2 = 0,
            '441303' || lpad(((s.id / 997) % 20 + 101)::text, 3, '0') || lpad(((s.id / 97) % 30 + 1)::text, 3, '0'),
            string_to_array((ARRAY['FARMLAND', 'CULTIVATED,NO_PERMIT', 'NO_PERMIT', 'PASSAGE', 'ZONE_USE,NO_PERMIT'])[1 + s.id % 5], ','),
            (ARRAY['light', 'general', 'serious'])[1 + (s.id / 33) % 3], 'bench', s.area_m2, s.geom, s.geom_hash,
            (ARRAY['new', 'new', 'confirmed', 'in_progress'])[1 + (s.id / 7) % 4], true, $2, $2, 'bench'
     FROM subject s WHERE s.dataset_id = $1 AND s.id % 33 = 0`,
    [datasetId, run[0]!.id],
  );
  const b = bbox.rows[0]!;
  return { datasetId, buildings: n, suspects, bbox: [b.xmin, b.ymin, b.xmax, b.ymax] };
}

/** A seeded PRNG (the demo generator's mulberry32), so the tile list is the same in every run. */
export function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** The XYZ tile holding a lon/lat point at zoom z (Web Mercator). */
export function tileOf(lon: number, lat: number, z: number): TileXyz {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/**
 * Up to `perZoom` distinct tiles per zoom that hold data of `table` (`subject` or `suspect`): the
 * tiles of features drawn at random (seeded), so busy places come up as often as a map user looks
 * at them. Shuffled (seeded) into one list.
 */
export async function pickTiles(db: Queryable, table: 'subject' | 'suspect', zooms: readonly number[], perZoom: number, seed: number): Promise<TileXyz[]> {
  const { rows: range } = await db.query<{ lo: number; hi: number }>(`SELECT min(id) AS lo, max(id) AS hi FROM ${table}`);
  const { lo, hi } = range[0]!;
  const rand = prng(seed);
  const ids = Array.from({ length: perZoom * 8 }, () => lo + Math.floor(rand() * (hi - lo + 1)));
  const { rows: points } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM ${table} WHERE id = ANY($1::bigint[])) q`,
    [ids],
  );
  const out: TileXyz[] = [];
  for (const z of zooms) {
    const seen = new Set<string>();
    for (const p of points) {
      if (seen.size >= perZoom) break;
      const t = tileOf(p.lon, p.lat, z);
      const key = `${t.x}/${t.y}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(t);
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
