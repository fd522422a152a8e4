/**
 * Bench helper: a seeded synthetic town generated inside the database (SQL generate_series, built in
 * CGCS2000 GK CM 114E metres and stored in EPSG:4490 like imported layers): irregular basic farmland
 * parcels (some with holes, some multipolygons), passages, and buildings of two survey epochs where
 * most buildings are unchanged, some grew and some are new.
 */
import type { Db, Queryable } from '../api/src/db/db.types.ts';

/** Sizes of the synthetic town. */
export interface SceneSize {
  buildings: number;
  parcels: number;
  passages: number;
}

/** Dataset ids of what was generated. */
export interface SceneIds {
  farmland: number;
  passage: number;
  baseline: number;
  latest: number;
}

async function dataset(db: Queryable, kind: string, name: string, epoch: string | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs)
     SELECT $1, $2, coalesce(max(version), 0) + 1, $3::date, 'bench', repeat('0', 64), 'bench', 'EPSG:4547'
     FROM dataset WHERE kind = $1 AND name = $2
     RETURNING id`,
    [kind, name, epoch],
  );
  return (rows[0] as { id: number }).id;
}

/** Writes the town; returns its dataset ids. Deterministic for a given size (setseed). */
export async function generateScene(db: Db, size: SceneSize): Promise<SceneIds> {
  // One transaction: setseed and the temporary table must live on one connection.
  const ids = await db.transaction((tx) => generate(tx, size));
  // What autovacuum does on a server between an import and an analysis (hint bits, statistics).
  await db.exec('VACUUM ANALYZE subject');
  await db.exec('VACUUM ANALYZE constraint_feature');
  return ids;
}

async function generate(db: Queryable, size: SceneSize): Promise<SceneIds> {
  const side = Math.ceil(Math.sqrt(size.parcels));
  const cell = 200; // m
  const extent = side * cell;
  await db.query('SELECT setseed(0.42)');
  const farmland = await dataset(db, 'basic_farmland', 'bench-jbnt', null);
  // Irregular star-shaped parcels of 16–48 vertices around each cell centre; every 10th with a hole,
  // every 15th made of two parts.
  await db.query(
    `WITH cells AS (
       SELECT g AS n, 500000 - $2 / 2.0 + (g % $3) * $4 + $4 / 2.0 AS cx, 2533000 + (g / $3) * $4 + $4 / 2.0 AS cy,
              16 + (g * 7) % 33 AS k
       FROM generate_series(0, $1 - 1) g
     ), blobs AS (
       SELECT c.n, c.cx, c.cy, ST_MakePolygon(ST_AddPoint(ring.l, ST_StartPoint(ring.l))) AS g
       FROM cells c,
            LATERAL (SELECT ST_MakeLine(ST_MakePoint(c.cx + r * cos(a), c.cy + r * sin(a)) ORDER BY t) AS l
                     FROM (SELECT t, 2 * pi() * t / c.k AS a, $4 * (0.30 + 0.16 * random()) AS r
                           FROM generate_series(0, c.k - 1) t) p) ring
     ), placed AS (
       SELECT n, CASE
           WHEN n % 15 = 7 THEN ST_Collect(
             ST_Translate(ST_Scale(ST_Translate(g, -cx, -cy), 0.45, 0.45), cx - $4 * 0.22, cy - $4 * 0.22),
             ST_Translate(ST_Scale(ST_Translate(g, -cx, -cy), 0.40, 0.40), cx + $4 * 0.22, cy + $4 * 0.22))
           WHEN n % 10 = 3 THEN ST_Difference(g, ST_Buffer(ST_MakePoint(cx, cy), $4 * 0.08))
           ELSE g END AS g
       FROM blobs
     )
     INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
     SELECT $5, 'basic_farmland', p.n + 1, 'JB' || p.n, '0101', 'GB/T 21010-2017', '水田',
            jsonb_build_object('BSM', 'JB' || p.n, 'DLBM', '0101', 'DLMC', '水田'), geo.g, ST_Area(geo.g::geography)
     FROM placed p, LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_SetSRID(p.g, 4547), 4490)), 3)) AS g) geo`,
    [size.parcels, extent, side, cell, farmland],
  );
  const passage = await dataset(db, 'public_passage', 'bench-dlhx', null);
  // Straight 6 m roads across the town, alternately east–west and north–south.
  await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
     SELECT $1, 'public_passage', i + 1, 'DL' || i, 'road', '{}'::jsonb, geo.g, ST_Area(geo.g::geography)
     FROM generate_series(0, $2 - 1) i,
          LATERAL (SELECT ST_Multi(ST_Transform(ST_SetSRID(CASE WHEN i % 2 = 0
              THEN ST_MakeEnvelope(500000 - $3 / 2.0, 2533000 + (i + 0.5) * $3 / $2, 500000 + $3 / 2.0, 2533000 + (i + 0.5) * $3 / $2 + 6)
              ELSE ST_MakeEnvelope(500000 - $3 / 2.0 + (i + 0.5) * $3 / $2, 2533000, 500000 - $3 / 2.0 + (i + 0.5) * $3 / $2 + 6, 2533000 + $3)
            END, 4547), 4490)) AS g) geo`,
    [passage, size.passages, extent],
  );
  // Baseline: 95 % of the buildings. Latest: the same ones (3 % grown by half), plus 5 % new.
  const baseline = await dataset(db, 'building', 'bench-jz2023', '2023-06-30');
  const latest = await dataset(db, 'building', 'bench-jz2024', '2024-06-30');
  await db.exec(`CREATE TEMP TABLE bench_box AS
    SELECT g AS n, 500000 - ${extent} / 2.0 + random() * ${extent} AS x, 2533000 + random() * ${extent} AS y,
           8 + random() * 17 AS w, 8 + random() * 17 AS h, random() * pi() AS a
    FROM generate_series(0, ${Math.round(size.buildings) - 1}) g`);
  const insertBuildings = (id: number, epoch: string, where: string, grow: string) =>
    db.query(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
       SELECT $1, 'building', $2::date, b.n + 1, 'JZ' || b.n, '{}'::jsonb, geo.g, md5(ST_AsBinary(geo.g)), ST_Area(geo.g::geography)
       FROM bench_box b,
            LATERAL (SELECT ST_Multi(ST_Transform(ST_SetSRID(ST_Rotate(
                       ST_MakeEnvelope(b.x, b.y, b.x + b.w, b.y + b.h * (CASE WHEN ${grow} THEN 1.5 ELSE 1 END)), b.a, b.x, b.y), 4547), 4490)) AS g) geo
       WHERE ${where}`,
      [id, epoch],
    );
  await insertBuildings(baseline, '2023-06-30', 'n % 20 <> 19', 'false');
  await insertBuildings(latest, '2024-06-30', 'true', 'n % 33 = 5');
  await db.exec('DROP TABLE bench_box');
  return { farmland, passage, baseline, latest };
}

/** A new version of the latest building layer with `share` of the buildings moved by ~15 m; returns its id. */
export async function moveSomeBuildings(db: Db, latest: number, share: number): Promise<number> {
  const every = Math.max(1, Math.round(1 / share));
  return db.transaction(async (tx) => {
    await tx.query("UPDATE dataset SET status = 'superseded', superseded_at = now() WHERE id = $1", [latest]);
    const next = await dataset(tx, 'building', 'bench-jz2024', '2024-06-30');
    await tx.query('UPDATE dataset SET superseded_by = $2 WHERE id = $1', [latest, next]);
    await tx.query(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
       SELECT $2, s.kind, s.epoch, s.row_number, s.source_id, s.attrs, geo.g, md5(ST_AsBinary(geo.g)), ST_Area(geo.g::geography)
       FROM subject s, LATERAL (SELECT CASE WHEN s.row_number % $3 = 0 THEN ST_Translate(s.geom, 0.00015, 0) ELSE s.geom END AS g) geo
       WHERE s.dataset_id = $1`,
      [latest, next, every],
    );
    return next;
  });
}
