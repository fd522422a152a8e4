/**
 * Test data for the export tests, inserted with plain SQL (districts, datasets, subjects, an
 * analysis run, suspects and findings), so the exports are tested without running the analysis.
 * Two townships of one county, three villages, and suspects in every situation an export must
 * handle: several rules, a hole, quoting, a formula-looking id, dismissed, inactive, a suspect in a
 * township without a village, one outside every district.
 */
import type { Queryable } from '../../../api/src/db/db.types.ts';

// GRS80 (CGCS2000) radii at the scene origin, to lay out shapes in metres.
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);
/** Scene origin: 114.0°E 22.9°N, in CGCS2000 3° GK zone CM 114E (EPSG:4547). */
export const ORIGIN = { lon: 114.0, lat: 22.9 };

/** Metres east/north of the origin → lon/lat, rounded to 8 decimals (exactly what exports write back). */
export function lonLat(x: number, y: number): [number, number] {
  const phi = (ORIGIN.lat * Math.PI) / 180;
  const w = 1 - E2 * Math.sin(phi) ** 2;
  const m = (A * (1 - E2)) / w ** 1.5;
  const n = A / Math.sqrt(w);
  const r = (v: number) => Math.round(v * 1e8) / 1e8;
  return [r(ORIGIN.lon + ((x / (n * Math.cos(phi))) * 180) / Math.PI), r(ORIGIN.lat + ((y / m) * 180) / Math.PI)];
}

/** A rectangle in metres as a GeoJSON ring (counter-clockwise). */
function ring(x: number, y: number, w: number, h: number): [number, number][] {
  return [lonLat(x, y), lonLat(x + w, y), lonLat(x + w, y + h), lonLat(x, y + h), lonLat(x, y)];
}

function rect(x: number, y: number, w: number, h: number): string {
  return JSON.stringify({ type: 'MultiPolygon', coordinates: [[ring(x, y, w, h)]] });
}

/** Districts of the scene: county 440999 with townships 101 (two villages) and 102 (one village). */
export const DISTRICTS = [
  { code: '440999000000', name: '临江区', level: 'county', box: [0, 0, 2000, 1000] },
  { code: '440999101000', name: '东湖街道', level: 'township', box: [0, 0, 1000, 1000] },
  { code: '440999101001', name: '东湖社区', level: 'village', box: [0, 0, 500, 1000] },
  { code: '440999101002', name: '西岭村', level: 'village', box: [500, 0, 500, 1000] },
  { code: '440999102000', name: '南山镇', level: 'township', box: [1000, 0, 1000, 1000] },
  { code: '440999102001', name: '南山村', level: 'village', box: [1000, 0, 500, 1000] },
] as const;

/** One seeded suspect: where, what, and its findings (rule → overlap m²). */
interface SceneSuspect {
  key: string;
  kind: 'building' | 'change_patch';
  sourceId: string | null;
  district: string | null;
  geom: string;
  rules: Record<string, number>;
  severity: 'light' | 'general' | 'serious' | null;
  disposition: string | null;
  status: string;
  active: boolean;
  isNew: boolean;
}

const holed = JSON.stringify({
  type: 'MultiPolygon',
  coordinates: [[ring(100, 300, 40, 40), ring(110, 310, 10, 10).reverse()], [ring(160, 300, 10, 10)]],
});

/** The suspects of the scene, in insertion (= id) order. */
export const SCENE_SUSPECTS: SceneSuspect[] = [
  { key: 's1', kind: 'building', sourceId: 'JZ-0001', district: '440999101001', geom: rect(100, 100, 20, 10), rules: { FARMLAND: 150, CULTIVATED: 50 }, severity: 'light', disposition: 'DEMOLISH_RESTORE', status: 'new', active: true, isNew: true },
  { key: 's2', kind: 'change_patch', sourceId: '440999202505001', district: '440999101001', geom: holed, rules: { ECO_REDLINE: 1400, PASSAGE: 80.5 }, severity: 'general', disposition: 'DEMOLISH_RESTORE', status: 'confirmed', active: true, isNew: false },
  { key: 's3', kind: 'building', sourceId: 'JZ-"7",西', district: '440999101002', geom: rect(600, 100, 30, 30), rules: { ZONE_USE: 900, NO_PERMIT: 900 }, severity: 'serious', disposition: 'DEMOLISH_RESTORE', status: 'in_progress', active: true, isNew: true },
  { key: 's4', kind: 'building', sourceId: 'JZ-0004', district: '440999101002', geom: rect(700, 100, 10, 10), rules: { FARMLAND: 100 }, severity: 'light', disposition: 'DEMOLISH_RESTORE', status: 'dismissed', active: true, isNew: true },
  { key: 's5', kind: 'building', sourceId: 'JZ-0005', district: '440999101002', geom: rect(800, 100, 10, 10), rules: { CULTIVATED: 100 }, severity: 'light', disposition: 'CONFISCATE_OR_LEGALISE', status: 'new', active: false, isNew: true },
  { key: 's6', kind: 'building', sourceId: '=HYPERLINK("x")', district: '440999102001', geom: rect(1100, 100, 100, 80), rules: { FARMLAND: 8000 }, severity: 'serious', disposition: 'DEMOLISH_RESTORE', status: 'new', active: true, isNew: false },
  { key: 's7', kind: 'building', sourceId: 'JZ-0007', district: '440999102000', geom: rect(1700, 500, 12, 12), rules: { REBUILD: 144 }, severity: 'general', disposition: 'CONFISCATE_OR_LEGALISE', status: 'resolved', active: true, isNew: true },
  { key: 's8', kind: 'change_patch', sourceId: null, district: null, geom: rect(2500, 100, 20, 20), rules: { OUTSIDE_BOUNDARY: 400 }, severity: null, disposition: 'CONFISCATE_OR_LEGALISE', status: 'new', active: true, isNew: true },
];

/** Suspects a default export (active, not dismissed) writes, in its order (district code, then id). */
export const DEFAULT_EXPORT_KEYS = ['s1', 's2', 's3', 's7', 's6', 's8'];

/** Run time of the seeded analysis: 10:00 Beijing time. */
export const RUN_FINISHED_AT = '2025-11-27T02:00:00Z';

/** Inserts the scene into an empty, migrated database. Suspect ids are 1…8 in SCENE_SUSPECTS order. */
export async function seedExportScene(db: Queryable): Promise<void> {
  for (const d of DISTRICTS) {
    const [x, y, w, h] = d.box;
    const parent = d.level === 'village' ? `${d.code.slice(0, 9)}000` : d.level === 'township' ? `${d.code.slice(0, 6)}000000` : null;
    await db.query(
      `INSERT INTO district (code, name, level, parent_code, geom, area_m2)
       SELECT $1, $2, $3, $4, g, ST_Area(g::geography) FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($5), 4490) AS g) x`,
      [d.code, d.name, d.level, parent, rect(x, y, w, h)],
    );
  }
  const ds = async (kind: string, name: string, epoch: string) =>
    (await db.query<{ id: number }>(
      `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs)
       VALUES ($1, $2, 1, $3::date, $2 || '.shp', repeat('a', 64), 'test', 'EPSG:4547') RETURNING id`,
      [kind, name, epoch],
    )).rows[0]?.id as number;
  const datasets = { building: await ds('building', 'jz2025', '2025-06-30'), change_patch: await ds('change_patch', 'wp2025q2', '2025-05-01') };
  const epochs = { building: '2025-06-30', change_patch: '2025-05-01' };
  await db.query(
    `INSERT INTO analysis_run (mode, status, ruleset_version, ruleset_hash, started_at, finished_at)
     VALUES ('full', 'succeeded', '2025.1', 'abc', $1::timestamptz - interval '5 minutes', $1::timestamptz)`,
    [RUN_FINISHED_AT],
  );
  for (const [i, s] of SCENE_SUSPECTS.entries()) {
    const subject = (await db.query<{ id: number }>(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, geom, geom_hash, area_m2)
       SELECT $1, $2, $3::date, $4, $5, g, md5(ST_AsBinary(g)), ST_Area(g::geography)
       FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($6), 4490) AS g) x RETURNING id`,
      [datasets[s.kind], s.kind, epochs[s.kind], i + 1, s.sourceId, s.geom],
    )).rows[0]?.id as number;
    const rules = Object.keys(s.rules);
    const suspect = (await db.query<{ id: number }>(
      `INSERT INTO suspect (suspect_key, subject_id, subject_kind, source_id, epoch, is_new, district_code, rules, severity,
                            disposition, area_m2, overlap_m2, geom, geom_hash, status, active, first_run_id, last_run_id, ruleset_version)
       SELECT $1, s.id, s.kind, s.source_id, s.epoch, $2, $3, $4::text[], $5, $6, s.area_m2, $7, s.geom, s.geom_hash, $8, $9, 1, 1, '2025.1'
       FROM subject s WHERE s.id = $10 RETURNING id`,
      [s.key, s.isNew, s.district, rules, s.severity, s.disposition, Math.max(...Object.values(s.rules)), s.status, s.active, subject],
    )).rows[0]?.id as number;
    for (const [rule, m2] of Object.entries(s.rules)) {
      await db.query(
        `INSERT INTO finding (run_id, suspect_id, subject_id, rule, overlap_m2, overlap_mu, share, ruleset_version, severity)
         VALUES (1, $1, $2, $3, $4::float8, $4::float8 / (10000.0 / 15), 0.5, '2025.1', $5)`,
        [suspect, subject, rule, m2, s.severity],
      );
    }
  }
}

/**
 * Bulk data for streaming tests and the benchmark: `n` suspects (one building and a FARMLAND
 * finding each) spread over `villages` villages of county 440999, with districts, in set-based SQL.
 */
export async function seedBulkSuspects(db: Queryable, n: number, villages = 50): Promise<void> {
  await db.query(
    `INSERT INTO district (code, name, level, parent_code)
     SELECT '440999' || lpad(t::text, 3, '0') || '000', '第' || t || '街道', 'township', '440999000000'
     FROM generate_series(1, ceil($1::int / 10.0)::int) t
     UNION ALL
     SELECT '440999' || lpad((1 + (v - 1) / 10)::text, 3, '0') || lpad((1 + (v - 1) % 10)::text, 3, '0'), '第' || v || '社区', 'village',
            '440999' || lpad((1 + (v - 1) / 10)::text, 3, '0') || '000'
     FROM generate_series(1, $1::int) v
     ON CONFLICT (code) DO NOTHING`,
    [villages],
  );
  await db.query(
    `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs)
     VALUES ('building', 'bulk', 1, '2025-06-30', 'bulk.shp', repeat('b', 64), 'bulk', 'EPSG:4490')`,
  );
  await db.query(
    `INSERT INTO analysis_run (mode, status, ruleset_version, ruleset_hash, finished_at) VALUES ('full', 'succeeded', 'bulk', 'bulk', now())`,
  );
  await db.query(
    `WITH g AS (
       SELECT i, ST_Multi(ST_MakeEnvelope(113.9 + (i % 1000) * 0.0002, 22.7 + (i / 1000) * 0.0002,
                                          113.9 + (i % 1000) * 0.0002 + 0.00008, 22.7 + (i / 1000) * 0.0002 + 0.00006, 4490)) AS geom
       FROM generate_series(0, $1::int - 1) i
     ), subj AS (
       INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, geom, geom_hash, area_m2)
       SELECT (SELECT max(id) FROM dataset), 'building', '2025-06-30', i + 1, 'JZ' || i, geom, md5(ST_AsBinary(geom)), ST_Area(geom::geography)
       FROM g RETURNING id, source_id, geom, geom_hash, area_m2, row_number
     ), sus AS (
       INSERT INTO suspect (suspect_key, subject_id, subject_kind, source_id, epoch, is_new, district_code, rules, severity, disposition,
                            area_m2, overlap_m2, geom, geom_hash, status, active, first_run_id, last_run_id, ruleset_version)
       SELECT 'bulk-' || row_number, id, 'building', source_id, '2025-06-30', row_number % 3 = 0,
              '440999' || lpad((1 + ((row_number - 1) % $2::int) / 10)::text, 3, '0') || lpad((1 + ((row_number - 1) % $2::int) % 10)::text, 3, '0'),
              ARRAY['FARMLAND'], (ARRAY['light', 'general', 'serious'])[1 + row_number % 3], 'DEMOLISH_RESTORE',
              area_m2, area_m2 / 2, geom, geom_hash, 'new', true, (SELECT max(id) FROM analysis_run), (SELECT max(id) FROM analysis_run), 'bulk'
       FROM subj RETURNING id, subject_id, overlap_m2
     )
     INSERT INTO finding (run_id, suspect_id, subject_id, rule, overlap_m2, overlap_mu, share, ruleset_version, severity)
     SELECT (SELECT max(id) FROM analysis_run), id, subject_id, 'FARMLAND', overlap_m2, overlap_m2 / (10000.0 / 15), 0.5, 'bulk', 'light' FROM sus`,
    [n, villages],
  );
}
