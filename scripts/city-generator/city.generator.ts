/**
 * A seeded synthetic county for benchmarks, generated set-based inside the database (a handful of
 * `INSERT … SELECT generate_series` statements) straight into the tables the importer publishes to
 * (dataset, constraint_feature, subject, district), as the importer would leave them: MultiPolygons in
 * EPSG:4490 built in CGCS2000 GK CM 114E metres (EPSG:4547), ellipsoidal `area_m2`, `geom_hash` =
 * md5(WKB). Loading a million buildings through files would measure the importer, not the analysis.
 *
 * Layout: a square grid of 1 km villages (村) in townships of 6 × 6 villages, one county. Each rural
 * village has a settlement core (a disc of 220–340 m) with most of its buildings; central villages are
 * urban (built all over, no farmland). Outside the cores every 100 m cell may hold one irregular
 * farmland parcel (16–48 vertices; every 10th with a hole, every 15th of two parts): basic farmland
 * (60 %) or cultivated land (40 %, DLBM 0101/0102/0103, some 0201/0301 that the CULTIVATED rule ignores).
 * Unused cells become forest planning zones (0301, where building is forbidden). Roads run along the
 * village lines (6 m), fire lanes (4 m) through the settlements. Two building epochs: most buildings
 * unchanged, 5 % new (half of them sprawling onto the fields around the core; 15 % of the others do), 3 % enlarged by half, 2 % demolished;
 * some new buildings stand on demolished sites, some are covered by permits. Every core is inside the
 * development boundary; a few ecological red-line discs lie in the countryside.
 *
 * Deterministic by seed: every random number is a hash of (seed, row, stream) (`hashint8extended`),
 * not `random()`, so the result does not depend on evaluation order or backend.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../api/src/db/db.types.ts';
import { createDatasetPartition } from '../../api/src/imports/import.repository.ts';
import { SUBJECT_KINDS, type Kind } from '../../api/src/imports/kind-profiles.ts';

/** What to generate. `buildings` = footprints of the latest epoch. */
export interface CityOptions {
  seed: number;
  buildings: number;
  /** Farmland + cultivated parcels (default buildings / 5). */
  parcels?: number;
  /** Passage polygons: roads along village lines, then fire lanes (default buildings / 20). */
  passages?: number;
}

/** Dataset ids of the generated layers, and what was counted. */
export interface CityIds {
  farmland: number;
  cultivated: number;
  passage: number;
  baseline: number;
  latest: number;
  counts: Record<string, number>;
}

/** The sizes actually used (defaults filled in). */
export function citySize(o: CityOptions): Required<CityOptions> {
  const buildings = Math.max(100, Math.round(o.buildings));
  return {
    seed: Math.trunc(o.seed),
    buildings,
    parcels: Math.max(10, Math.round(o.parcels ?? buildings / 5)),
    passages: Math.max(2, Math.round(o.passages ?? buildings / 20)),
  };
}

const CELL = 100; // m, one parcel cell
const VILLAGE_CELLS = 10; // cells per village side (1 km)
const TOWNSHIP_VILLAGES = 6; // villages per township side
const X0 = 500000; // GK easting of the county's west edge (CM 114E)
const Y0 = 2520000; // GK northing of its south edge (~22.8N)
const COUNTY = '441999';

/**
 * SQL for a uniform number in [0, 1) from a row key and a stream number: a hash, so it is the same
 * whatever order rows are evaluated in. `seed` is an integer (checked), `key` an SQL integer expression.
 */
function rnd(seed: number, key: string, stream: number): string {
  return `((hashint8extended((${key})::bigint, ${seed * 1000 + stream}::bigint) & 2147483647)::float8 / 2147483648.0)`;
}

async function dataset(db: Queryable, kind: string, name: string, epoch: string | null, seed: number): Promise<number> {
  const sha = createHash('sha256').update(`city:${seed}:${kind}:${name}:${epoch}`).digest('hex');
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs, srs_how)
     SELECT $1, $2, coalesce(max(version), 0) + 1, $3::date, 'city-generator', $4, 'city-generator', 'EPSG:4547', 'option'
     FROM dataset WHERE kind = $1 AND name = $2
     RETURNING id`,
    [kind, name, epoch, sha],
  );
  const id = Number((rows[0] as { id: number }).id);
  // Its own partition, as an import leaves every layer version (migration 0006): queries that name
  // their datasets then read only those layers' rows and indexes.
  await createDatasetPartition(db, SUBJECT_KINDS.has(kind as Kind), id);
  return id;
}

/** Sets feature_count and bbox of the generated datasets, as an import does. */
async function finishDatasets(db: Queryable, ids: number[]): Promise<void> {
  await db.query(
    `UPDATE dataset d SET feature_count = x.n, bbox = x.bbox
     FROM (SELECT dataset_id, count(*)::int AS n, ST_SetSRID(ST_Extent(geom)::geometry, 4490) AS bbox FROM constraint_feature
           WHERE dataset_id = ANY($1::bigint[]) GROUP BY dataset_id
           UNION ALL
           SELECT dataset_id, count(*)::int, ST_SetSRID(ST_Extent(geom)::geometry, 4490) FROM subject
           WHERE dataset_id = ANY($1::bigint[]) GROUP BY dataset_id) x
     WHERE d.id = x.dataset_id AND GeometryType(x.bbox) = 'POLYGON'`,
    [ids],
  );
}

/**
 * Generates the county into an empty (migrated) database and returns its dataset ids. Runs in one
 * transaction, then VACUUM ANALYZE (what autovacuum does between an import and an analysis).
 */
export async function generateCity(db: Db, options: CityOptions): Promise<CityIds> {
  const size = citySize(options);
  const ids = await db.transaction((tx) => generate(tx, size));
  for (const t of ['subject', 'constraint_feature', 'district', 'dataset']) await db.exec(`VACUUM ANALYZE ${t}`);
  return ids;
}

async function generate(db: Queryable, size: Required<CityOptions>): Promise<CityIds> {
  const { seed, buildings: B, parcels: P, passages: Q } = size;
  const r = (key: string, stream: number) => rnd(seed, key, stream);
  // About 55 % of all cells end up eligible for farmland (rural, outside the cores): size the county so
  // that P parcels fit, in whole villages.
  const villagesPerSide = Math.max(2, Math.ceil(Math.sqrt(P / 0.55) / VILLAGE_CELLS));
  const side = villagesPerSide * VILLAGE_CELLS * CELL; // m
  const counts: Record<string, number> = {};
  const gk = (expr: string) => `ST_Transform(ST_SetSRID(${expr}, 4547), 4490)`;

  // Villages: centre of the core, core radius, orientation, urban or rural, and an index per class.
  await db.exec(`DROP TABLE IF EXISTS city_village, city_cell, city_bldg`);
  await db.exec(
    `CREATE TEMP TABLE city_village AS
     WITH v AS (
       SELECT g AS v, g % ${villagesPerSide} AS i, g / ${villagesPerSide} AS j FROM generate_series(0, ${villagesPerSide ** 2 - 1}) g
     ), c AS (
       SELECT v, i, j, ${X0} + i * 1000.0 AS x0, ${Y0} + j * 1000.0 AS y0,
              sqrt(power(i + 0.5 - ${villagesPerSide} / 2.0, 2) + power(j + 0.5 - ${villagesPerSide} / 2.0, 2)) < greatest(1.0, ${villagesPerSide} * 0.16) AS urban,
              ${r('g_v', 1)} AS u1, ${r('g_v', 2)} AS u2, ${r('g_v', 3)} AS u3, ${r('g_v', 4)} AS u4
       FROM (SELECT v, i, j, v AS g_v FROM v) q
     )
     SELECT v, i, j, x0, y0, urban,
            x0 + 500 + (u1 - 0.5) * 300 AS cx, y0 + 500 + (u2 - 0.5) * 300 AS cy,
            CASE WHEN urban THEN 700.0 ELSE 220 + 120 * u3 END AS rc,
            (u4 - 0.5) * 0.6 AS angle,
            (row_number() OVER (PARTITION BY urban ORDER BY v) - 1)::int AS k,
            '${COUNTY}' || lpad(((j / ${TOWNSHIP_VILLAGES}) * ${Math.ceil(villagesPerSide / TOWNSHIP_VILLAGES)} + i / ${TOWNSHIP_VILLAGES} + 1)::text, 3, '0')
              || lpad(((j % ${TOWNSHIP_VILLAGES}) * ${TOWNSHIP_VILLAGES} + i % ${TOWNSHIP_VILLAGES} + 1)::text, 3, '0') AS code
     FROM c`,
  );
  const { rows: vc } = await db.query<{ urban: number; rural: number }>(
    'SELECT count(*) FILTER (WHERE urban)::int AS urban, count(*) FILTER (WHERE NOT urban)::int AS rural FROM city_village',
  );
  const nUrban = Math.max(1, vc[0]?.urban ?? 1);
  const nRural = Math.max(1, vc[0]?.rural ?? 1);
  counts.villages = nUrban + nRural;

  // Districts: county, townships, villages (boundaries segmentized every 25 m, as surveyed lines are).
  const district = await dataset(db, 'district', 'city-xzq', null, seed);
  await db.query(
    `WITH units AS (
       SELECT code, '村' || right(code, 6) AS name, ST_MakeEnvelope(x0, y0, x0 + 1000, y0 + 1000) AS g FROM city_village
       UNION ALL
       SELECT t || '000', '镇' || right(t, 3), ST_Envelope(ST_Collect(ST_MakeEnvelope(x0, y0, x0 + 1000, y0 + 1000)))
       FROM (SELECT left(code, 9) AS t, x0, y0 FROM city_village) tv GROUP BY t
       UNION ALL
       SELECT '${COUNTY}000000', '示范县', ST_MakeEnvelope(${X0}, ${Y0}, ${X0 + side}, ${Y0 + side})
     ), geo AS (
       SELECT code, name, ST_Multi(${gk('ST_Segmentize(g, 25)')}) AS g FROM units
     ), f AS (
       INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, name, attrs, geom, area_m2)
       SELECT $1, 'district', row_number() OVER (ORDER BY code), code, code, name,
              jsonb_build_object('XZQDM', code, 'XZQMC', name), g, ST_Area(g::geography)
       FROM geo
       RETURNING code, name, geom, area_m2
     )
     INSERT INTO district (code, name, level, parent_code, dataset_id, geom, area_m2)
     SELECT code, name,
            CASE WHEN substr(code, 7) = '000000' THEN 'county' WHEN substr(code, 10) = '000' THEN 'township' ELSE 'village' END,
            CASE WHEN substr(code, 7) = '000000' THEN NULL WHEN substr(code, 10) = '000' THEN substr(code, 1, 6) || '000000'
                 ELSE substr(code, 1, 9) || '000' END,
            $1, geom, area_m2
     FROM f`,
    [district],
  );

  // Cells eligible for a parcel: rural, centre at least 20 m outside the core. P of them, chosen by hash.
  await db.exec(
    `CREATE TEMP TABLE city_cell AS
     SELECT c.n, c.x, c.y, c.rank <= ${P} AS farm
     FROM (SELECT n, x, y, row_number() OVER (ORDER BY h, n) AS rank
           FROM (SELECT g AS n, v.x0 + (g % ${VILLAGE_CELLS * VILLAGE_CELLS}) % ${VILLAGE_CELLS} * ${CELL} + ${CELL / 2} AS x,
                        v.y0 + (g % ${VILLAGE_CELLS * VILLAGE_CELLS}) / ${VILLAGE_CELLS} * ${CELL} + ${CELL / 2} AS y,
                        ${r('g', 5)} AS h, v.cx, v.cy, v.rc, v.urban
                 FROM generate_series(0, ${villagesPerSide ** 2 * VILLAGE_CELLS * VILLAGE_CELLS - 1}) g
                 JOIN city_village v ON v.v = g / ${VILLAGE_CELLS * VILLAGE_CELLS}) a
           WHERE NOT urban AND sqrt(power(x - cx, 2) + power(y - cy, 2)) > rc + 20) c`,
  );

  // Parcels: irregular stars around the cell centre; every 10th with a hole, every 15th of two parts.
  const farmland = await dataset(db, 'basic_farmland', 'city-jbnt', null, seed);
  const cultivated = await dataset(db, 'cultivated_land', 'city-dltb', null, seed);
  await db.exec(
    `CREATE TEMP TABLE city_parcel AS
     WITH cells AS (
       SELECT n, x AS cx, y AS cy, 16 + (n * 7) % 33 AS k, ${r('n', 6)} AS kind_u, ${r('n', 7)} AS code_u FROM city_cell WHERE farm
     ), blobs AS (
       SELECT c.*, ST_MakePolygon(ST_AddPoint(ring.l, ST_StartPoint(ring.l))) AS g
       FROM cells c,
            LATERAL (SELECT ST_MakeLine(ST_MakePoint(c.cx + rr * cos(a), c.cy + rr * sin(a)) ORDER BY t) AS l
                     FROM (SELECT t, 2 * pi() * t / c.k AS a, ${CELL} * (0.30 + 0.16 * ${r('c.n * 64 + t', 8)}) AS rr
                           FROM generate_series(0, c.k - 1) t) p) ring
     )
     SELECT n, kind_u, code_u, ST_Multi(${gk(`CASE
         WHEN n % 15 = 7 THEN ST_Collect(
           ST_Translate(ST_Scale(ST_Translate(g, -cx, -cy), 0.45, 0.45), cx - ${CELL * 0.22}, cy - ${CELL * 0.22}),
           ST_Translate(ST_Scale(ST_Translate(g, -cx, -cy), 0.40, 0.40), cx + ${CELL * 0.22}, cy + ${CELL * 0.22}))
         WHEN n % 10 = 3 THEN ST_Difference(g, ST_Buffer(ST_MakePoint(cx, cy), ${CELL * 0.08}, 4))
         ELSE g END`)}) AS g
     FROM blobs`,
  );
  const farmlandN = await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
     SELECT $1, 'basic_farmland', row_number() OVER (ORDER BY n), 'JB' || n, x.code, 'GB/T 21010-2017', x.mc,
            jsonb_build_object('BSM', 'JB' || n, 'DLBM', x.code, 'DLMC', x.mc), g, ST_Area(g::geography)
     FROM city_parcel,
          LATERAL (SELECT CASE WHEN code_u < 0.5 THEN '0101' WHEN code_u < 0.8 THEN '0102' ELSE '0103' END AS code) c,
          LATERAL (SELECT c.code, CASE c.code WHEN '0101' THEN '水田' WHEN '0102' THEN '水浇地' ELSE '旱地' END AS mc) x
     WHERE kind_u < 0.6`,
    [farmland],
  );
  counts.farmland = farmlandN.rowCount;
  const cultivatedN = await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
     SELECT $1, 'cultivated_land', row_number() OVER (ORDER BY n), 'TB' || n, x.code, 'GB/T 21010-2017', x.mc,
            jsonb_build_object('BSM', 'TB' || n, 'DLBM', x.code, 'DLMC', x.mc), g, ST_Area(g::geography)
     FROM city_parcel,
          LATERAL (SELECT CASE WHEN code_u < 0.35 THEN '0101' WHEN code_u < 0.6 THEN '0102' WHEN code_u < 0.85 THEN '0103'
                               WHEN code_u < 0.95 THEN '0201' ELSE '0301' END AS code) c,
          LATERAL (SELECT c.code, CASE c.code WHEN '0101' THEN '水田' WHEN '0102' THEN '水浇地' WHEN '0103' THEN '旱地'
                                              WHEN '0201' THEN '果园' ELSE '乔木林地' END AS mc) x
     WHERE kind_u >= 0.6`,
    [cultivated],
  );
  counts.cultivated = cultivatedN.rowCount;
  await db.exec('DROP TABLE city_parcel');

  // Planning zones: the eligible cells left without a parcel are forest (0301, building forbidden);
  // the cores are rural residential land (0703).
  const zones = await dataset(db, 'planning_zone', 'city-ghyd', null, seed);
  const zonesN = await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
     SELECT $1, 'planning_zone', row_number() OVER (ORDER BY z.id), z.id, z.code, 'GHYD-2023', z.name,
            jsonb_build_object('YDYHYJLDM', z.code), z.g, ST_Area(z.g::geography)
     FROM (SELECT 'LD' || n AS id, '0301' AS code, '乔木林地' AS name,
                  ST_Multi(${gk(`ST_MakeEnvelope(x - ${CELL / 2 - 5}, y - ${CELL / 2 - 5}, x + ${CELL / 2 - 5}, y + ${CELL / 2 - 5})`)}) AS g
           FROM city_cell WHERE NOT farm
           UNION ALL
           SELECT 'ZJ' || v, '0703', '农村宅基地', ST_Multi(${gk('ST_Buffer(ST_MakePoint(cx, cy), rc, 8)')}) FROM city_village WHERE NOT urban) z`,
    [zones],
  );
  counts.zones = zonesN.rowCount;

  // Development boundary: every core (urban villages whole).
  const boundary = await dataset(db, 'development_boundary', 'city-czkfbj', null, seed);
  await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
     SELECT $1, 'development_boundary', row_number() OVER (ORDER BY v), 'KF' || v, '010', '{}'::jsonb, g, ST_Area(g::geography)
     FROM city_village,
          LATERAL (SELECT ST_Multi(${gk(`CASE WHEN urban THEN ST_MakeEnvelope(x0, y0, x0 + 1000, y0 + 1000)
                                          ELSE ST_Buffer(ST_MakePoint(cx, cy), rc + 10, 8) END`)}) AS g) geo`,
    [boundary],
  );

  // Ecological red line: a 300 m disc in the corner of every 50th rural village.
  const redline = await dataset(db, 'ecological_redline', 'city-sthx', null, seed);
  await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
     SELECT $1, 'ecological_redline', row_number() OVER (ORDER BY v), 'HX' || v, '01', '{}'::jsonb, g, ST_Area(g::geography)
     FROM city_village, LATERAL (SELECT ST_Multi(${gk('ST_Buffer(ST_MakePoint(x0 + 150, y0 + 150), 300, 8)')}) AS g) geo
     WHERE NOT urban AND k % 50 = 7`,
    [redline],
  );

  // Buildings: B in the latest epoch plus B/50 demolished ones (baseline only). Per row: village
  // (35 % urban), position (rural: in the core, some sprawling up to 1.5 core radii), size, status.
  const D = Math.max(1, Math.round(B / 50));
  await db.exec(
    `CREATE TEMP TABLE city_bldg AS
     WITH b AS (
       SELECT g AS n,
              CASE WHEN g >= ${B} THEN 'demolished' WHEN g % 200 = 7 THEN 'rebuilt'
                   WHEN ${r('g', 10)} < 0.05 THEN 'new' WHEN ${r('g', 10)} < 0.08 THEN 'grown' ELSE 'same' END AS status,
              ${r('g', 11)} < 0.35 AS in_urban, ${r('g', 12)} AS uv, ${r('g', 13)} AS ur, ${r('g', 14)} AS ua,
              ${r('g', 15)} AS us, ${r('g', 16)} AS uw, ${r('g', 17)} AS uh, ${r('g', 18)} AS urot, ${r('g', 19)} AS ux, ${r('g', 20)} AS uy
       FROM generate_series(0, ${B + D - 1}) g
     ), placed AS (
       SELECT b.*, v.urban,
              CASE WHEN v.urban THEN v.x0 + 20 + ux * 960
                   ELSE v.cx + v.rc * (CASE WHEN us < CASE WHEN status IN ('new', 'rebuilt') THEN 0.5 ELSE 0.15 END
                                            THEN 1 + 0.5 * ur ELSE sqrt(ur) END) * cos(2 * pi() * ua) END AS x,
              CASE WHEN v.urban THEN v.y0 + 20 + uy * 960
                   ELSE v.cy + v.rc * (CASE WHEN us < CASE WHEN status IN ('new', 'rebuilt') THEN 0.5 ELSE 0.15 END
                                            THEN 1 + 0.5 * ur ELSE sqrt(ur) END) * sin(2 * pi() * ua) END AS y,
              8 + 14 * uw AS w, 8 + 10 * uh AS h, v.angle + 0.2 * (urot - 0.5) AS a
       FROM b
       JOIN city_village v ON v.urban = b.in_urban
                          AND v.k = floor(b.uv * CASE WHEN b.in_urban THEN ${nUrban} ELSE ${nRural} END)::int
     )
     SELECT n, status, x, y, w, h, a FROM placed`,
  );
  const { rows: sc } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM city_bldg GROUP BY status ORDER BY status');
  for (const row of sc) counts[`buildings_${row.status}`] = row.n;

  const baseline = await dataset(db, 'building', 'city-jz2023', '2023-06-30', seed);
  const latest = await dataset(db, 'building', 'city-jz2024', '2024-06-30', seed);
  const insertBuildings = (id: number, epoch: string, where: string, grow: string) =>
    db.query(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
       SELECT $1, 'building', $2::date, row_number() OVER (ORDER BY b.n), 'JZ' || b.n, '{}'::jsonb, geo.g, md5(ST_AsBinary(geo.g)), ST_Area(geo.g::geography)
       FROM city_bldg b,
            LATERAL (SELECT ST_Multi(${gk(`ST_Rotate(ST_MakeEnvelope(b.x, b.y, b.x + b.w, b.y + b.h * (CASE WHEN ${grow} THEN 1.5 ELSE 1 END)), b.a, b.x, b.y)`)}) AS g) geo
       WHERE ${where}`,
      [id, epoch],
    );
  counts.baseline = (await insertBuildings(baseline, '2023-06-30', "status NOT IN ('new', 'rebuilt')", 'false')).rowCount;
  counts.latest = (await insertBuildings(latest, '2024-06-30', "status <> 'demolished'", "status = 'grown'")).rowCount;

  // Demolished sites: half of the demolished buildings, and the site under every rebuilt one.
  const demolished = await dataset(db, 'demolished_site', 'city-ccdk', null, seed);
  await db.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
     SELECT $1, 'demolished_site', row_number() OVER (ORDER BY n), 'CC' || n, NULL, '{}'::jsonb, g, ST_Area(g::geography)
     FROM city_bldg,
          LATERAL (SELECT ST_Multi(${gk('ST_Rotate(ST_MakeEnvelope(x - 3, y - 3, x + w + 3, y + h + 3), a, x, y)')}) AS g) geo
     WHERE (status = 'demolished' AND n % 2 = 0) OR status = 'rebuilt'`,
    [demolished],
  );

  // Permits: 30 % of the new buildings, each with a 5 m margin.
  const permit = await dataset(db, 'permit', 'city-pzwj', null, seed);
  counts.permits = (
    await db.query(
      `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
       SELECT $1, 'permit', row_number() OVER (ORDER BY n), 'PZ' || n, NULL, '{}'::jsonb, g, ST_Area(g::geography)
       FROM city_bldg,
            LATERAL (SELECT ST_Multi(${gk('ST_Rotate(ST_MakeEnvelope(x - 5, y - 5, x + w + 5, y + h + 5), a, x, y)')}) AS g) geo
       WHERE status = 'new' AND ${r('n', 21)} < 0.3`,
      [permit],
    )
  ).rowCount;

  // Passages: roads (6 m) along the south and west line of every village, then fire lanes (4 m,
  // 60–200 m) through the settlements, up to Q in all.
  const passage = await dataset(db, 'public_passage', 'city-dlhx', null, seed);
  const roads = Math.min(Q, 2 * (nUrban + nRural));
  const lanes = Q - roads;
  await db.query(
    `WITH roads AS (
       SELECT 'DL' || q AS id, 'road' AS code, 6 AS width,
              CASE WHEN q % 2 = 0 THEN ST_MakeEnvelope(v.x0, v.y0 - 3, v.x0 + 1000, v.y0 + 3)
                   ELSE ST_MakeEnvelope(v.x0 - 3, v.y0, v.x0 + 3, v.y0 + 1000) END AS g
       FROM generate_series(0, ${roads - 1}) q JOIN city_village v ON v.v = q / 2
     ), lanes AS (
       SELECT 'XF' || q AS id, 'fire_lane' AS code, 4 AS width,
              ST_Rotate(ST_MakeEnvelope(x, y - 2, x + len, y + 2), v.angle + CASE WHEN ${r('q', 22)} < 0.5 THEN 0 ELSE pi() / 2 END, x, y) AS g
       FROM generate_series(0, ${Math.max(0, lanes) - 1}) q
       JOIN city_village v ON v.v = floor(${r('q', 23)} * ${nUrban + nRural})::int
       CROSS JOIN LATERAL (SELECT CASE WHEN v.urban THEN v.x0 + 900 * ${r('q', 24)} ELSE v.cx + v.rc * 0.8 * (${r('q', 24)} - 0.6) END AS x,
                                  CASE WHEN v.urban THEN v.y0 + 1000 * ${r('q', 25)} ELSE v.cy + v.rc * 1.6 * (${r('q', 25)} - 0.5) END AS y,
                                  60 + 140 * ${r('q', 26)} AS len) p
     ), all_p AS (SELECT * FROM roads UNION ALL SELECT * FROM lanes)
     INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, attrs, geom, area_m2)
     SELECT $1, 'public_passage', row_number() OVER (ORDER BY id), id, code, jsonb_build_object('KD', width), geo.g, ST_Area(geo.g::geography)
     FROM all_p, LATERAL (SELECT ST_Multi(${gk('all_p.g')}) AS g) geo`,
    [passage],
  );
  counts.passages = Q;

  await db.exec('DROP TABLE city_village, city_cell, city_bldg');
  await finishDatasets(db, [district, farmland, cultivated, zones, boundary, redline, baseline, latest, demolished, permit, passage]);
  return { farmland, cultivated, passage, baseline, latest, counts };
}

/**
 * A bureau's next delivery of the latest building layer: a new version in which every
 * round(1/share)-th building moved ~15 m east (the rest identical); the old version is superseded.
 * Returns the new dataset id.
 */
export async function changeBuildings(db: Db, latest: number, share: number): Promise<number> {
  const every = Math.max(1, Math.round(1 / share));
  const next = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string; epoch: string }>("SELECT name, epoch::text AS epoch FROM dataset WHERE id = $1", [latest]);
    const d = rows[0] as { name: string; epoch: string };
    await tx.query("UPDATE dataset SET status = 'superseded', superseded_at = now() WHERE id = $1", [latest]);
    const id = await dataset(tx, 'building', d.name, d.epoch, every);
    await tx.query('UPDATE dataset SET superseded_by = $2 WHERE id = $1', [latest, id]);
    await tx.query(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
       SELECT $2, s.kind, s.epoch, s.row_number, s.source_id, s.attrs, geo.g,
              CASE WHEN s.row_number % $3 = 0 THEN md5(ST_AsBinary(geo.g)) ELSE s.geom_hash END,
              CASE WHEN s.row_number % $3 = 0 THEN ST_Area(geo.g::geography) ELSE s.area_m2 END
       FROM subject s, LATERAL (SELECT CASE WHEN s.row_number % $3 = 0 THEN ST_Translate(s.geom, 0.00015, 0) ELSE s.geom END AS g) geo
       WHERE s.dataset_id = $1`,
      [latest, id, every],
    );
    await finishDatasets(tx, [id]);
    return id;
  });
  await db.exec('VACUUM ANALYZE subject');
  return next;
}
