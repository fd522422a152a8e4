import type { Queryable } from '../../../api/src/db/db.types.ts';

/**
 * A small hand-made district for tile and map tests, inserted with plain SQL (no importer, no
 * analysis): around 114.05°E 22.55°N, CGCS2000 lon/lat. Ids are deterministic in a fresh database.
 */
export const FIXTURE_CENTER = { lon: 114.05, lat: 22.55 } as const;

const SHA = '0'.repeat(64);

/** Lon/lat rectangle as a 4490 MultiPolygon WKT. */
export function rectWkt(minLon: number, minLat: number, maxLon: number, maxLat: number): string {
  return `MULTIPOLYGON(((${minLon} ${minLat},${maxLon} ${minLat},${maxLon} ${maxLat},${minLon} ${maxLat},${minLon} ${minLat})))`;
}

async function dataset(db: Queryable, kind: string, name: string, epoch: string | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash)
     VALUES ($1, $2, 1, $3, $4, $5, 'test') RETURNING id`,
    [kind, name, epoch, `${name}.shp`, SHA],
  );
  return rows[0]!.id;
}

/** Sets each dataset's bbox from its features, as the importer does. */
async function refreshBboxes(db: Queryable): Promise<void> {
  await db.query(`UPDATE dataset d SET bbox = e.box FROM (
      SELECT dataset_id, ST_SetSRID(ST_Envelope(ST_Extent(geom)::geometry), 4490) AS box FROM constraint_feature GROUP BY dataset_id
      UNION ALL
      SELECT dataset_id, ST_SetSRID(ST_Envelope(ST_Extent(geom)::geometry), 4490) FROM subject GROUP BY dataset_id
    ) e WHERE e.dataset_id = d.id`);
}

/** Ids of what insertMapFixture created. */
export interface MapFixture {
  farmlandId: number;
  buildingIds: number[];
  suspectIds: { serious: number; general: number; light: number };
}

/**
 * Inserts districts (county → township → two villages), basic farmland (with a hole), cultivated
 * land, a planning zone, a permit, buildings of two epochs, a change patch, an analysis run, and three
 * suspects (serious/general/light) with findings and overlap geometry.
 */
export async function insertMapFixture(db: Queryable): Promise<MapFixture> {
  const { lon: x, lat: y } = FIXTURE_CENTER;
  const districtDs = await dataset(db, 'district', '行政区', null);
  const districts: Array<[string, string, string, string | null, string]> = [
    ['440305000000', '南山区', 'county', '440300000000', rectWkt(x - 0.03, y - 0.03, x + 0.03, y + 0.03)],
    ['440305001000', '粤海街道', 'township', '440305000000', rectWkt(x - 0.03, y - 0.03, x + 0.03, y + 0.03)],
    ['440305001001', '科技园社区', 'village', '440305001000', rectWkt(x - 0.03, y - 0.03, x, y + 0.03)],
    ['440305001002', '大冲社区', 'village', '440305001000', rectWkt(x, y - 0.03, x + 0.03, y + 0.03)],
  ];
  for (const [code, name, level, parent, wkt] of districts) {
    await db.query(
      `INSERT INTO district (code, name, level, parent_code, dataset_id, geom, area_m2)
       VALUES ($1, $2, $3, $4, $5, ST_GeomFromText($6, 4490), ST_Area(ST_GeomFromText($6, 4490)::geography))`,
      [code, name, level, parent, districtDs, wkt],
    );
  }

  const feature = async (kind: string, ds: number, row: number, sourceId: string, code: string, name: string | null, wkt: string) => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, name, attrs, geom, area_m2)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ST_GeomFromText($8, 4490), ST_Area(ST_GeomFromText($8, 4490)::geography))
       RETURNING id`,
      [ds, kind, row, sourceId, code, name, JSON.stringify({ BSM: sourceId, DLBM: code, DLMC: name }), wkt],
    );
    return rows[0]!.id;
  };
  const farmlandDs = await dataset(db, 'basic_farmland', '永久基本农田', null);
  const farmlandWkt =
    `MULTIPOLYGON(((${x - 0.01} ${y - 0.01},${x + 0.01} ${y - 0.01},${x + 0.01} ${y + 0.01},${x - 0.01} ${y + 0.01},${x - 0.01} ${y - 0.01}),` +
    `(${x - 0.002} ${y - 0.002},${x - 0.002} ${y + 0.002},${x + 0.002} ${y + 0.002},${x + 0.002} ${y - 0.002},${x - 0.002} ${y - 0.002})))`;
  const farmlandId = await feature('basic_farmland', farmlandDs, 1, 'JBNT-001', '0101', '水田', farmlandWkt);
  const cultivatedDs = await dataset(db, 'cultivated_land', '三调耕地', null);
  await feature('cultivated_land', cultivatedDs, 1, 'DLTB-001', '0103', '旱地', rectWkt(x + 0.012, y - 0.01, x + 0.02, y));
  const zoneDs = await dataset(db, 'planning_zone', '国土空间规划', null);
  await feature('planning_zone', zoneDs, 1, 'GH-001', '07', '居住用地', rectWkt(x - 0.02, y + 0.012, x, y + 0.02));
  const permitDs = await dataset(db, 'permit', '审批', null);
  await feature('permit', permitDs, 1, 'PZ-2021-01', 'NZY', '农转用批次', rectWkt(x + 0.012, y + 0.012, x + 0.02, y + 0.02));

  const subject = async (kind: string, ds: number, row: number, sourceId: string, epoch: string, wkt: string) => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, geom, geom_hash, area_m2)
       VALUES ($1, $2, $3, $4, $5, ST_GeomFromText($6, 4490), md5($6), ST_Area(ST_GeomFromText($6, 4490)::geography))
       RETURNING id`,
      [ds, kind, epoch, row, sourceId, wkt],
    );
    return rows[0]!.id;
  };
  const b2023 = await dataset(db, 'building', '建筑 2023', '2023-01-01');
  const b2024 = await dataset(db, 'building', '建筑 2024', '2024-06-30');
  const buildingIds = [
    await subject('building', b2023, 1, 'JZ-0001', '2023-01-01', rectWkt(x - 0.0080, y - 0.0080, x - 0.0070, y - 0.0072)),
    await subject('building', b2024, 1, 'JZ-0001', '2024-06-30', rectWkt(x - 0.0080, y - 0.0080, x - 0.0070, y - 0.0072)),
    await subject('building', b2024, 2, 'JZ-0107', '2024-06-30', rectWkt(x + 0.0050, y + 0.0050, x + 0.0062, y + 0.0060)),
    await subject('building', b2024, 3, 'JZ-0233', '2024-06-30', rectWkt(x + 0.0140, y - 0.0060, x + 0.0147, y - 0.0054)),
  ];
  const patchDs = await dataset(db, 'change_patch', '卫片图斑 2024', '2024-06-30');
  await subject('change_patch', patchDs, 1, 'JC440305202406001', '2024-06-30', rectWkt(x + 0.0048, y + 0.0048, x + 0.0064, y + 0.0062));
  await refreshBboxes(db);

  const { rows: run } = await db.query<{ id: number }>(
    `INSERT INTO analysis_run (mode, status, ruleset_version, ruleset_hash, finished_at)
     VALUES ('full', 'succeeded', 'test-1', 'test', now()) RETURNING id`,
  );
  const runId = run[0]!.id;
  const suspect = async (
    subjectId: number,
    key: string,
    district: string,
    rules: string[],
    severity: string,
    isNew: boolean,
    disposition: string,
  ) => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO suspect (suspect_key, subject_id, subject_kind, source_id, epoch, is_new, district_code, rules,
                            severity, disposition, area_m2, geom, geom_hash, first_run_id, last_run_id, ruleset_version)
       SELECT $2, s.id, s.kind, s.source_id, s.epoch, $3, $4, $5::text[], $6, $7, s.area_m2, s.geom, s.geom_hash, $8, $8, 'test-1'
       FROM subject s WHERE s.id = $1
       RETURNING id`,
      [subjectId, key, isNew, district, rules, severity, disposition, runId],
    );
    return rows[0]!.id;
  };
  const serious = await suspect(buildingIds[1]!, 'building:JZ-0001', '440305001001', ['FARMLAND', 'NO_PERMIT'], 'serious', false, 'DEMOLISH_RESTORE');
  const general = await suspect(buildingIds[2]!, 'building:JZ-0107', '440305001002', ['ZONE_USE'], 'general', true, 'DEMOLISH_RESTORE');
  const light = await suspect(buildingIds[3]!, 'building:JZ-0233', '440305001002', ['CULTIVATED'], 'light', true, 'CONFISCATE_OR_LEGALISE');

  const finding = async (suspectId: number, subjectId: number, rule: string, featureId: number | null) => {
    await db.query(
      `INSERT INTO finding (run_id, suspect_id, subject_id, rule, matched, overlap_geom, overlap_m2, overlap_mu, share, ruleset_version)
       SELECT $1, $2, s.id, $3, $4::jsonb, s.geom, s.area_m2, s.area_m2 / (10000.0 / 15), 1, 'test-1' FROM subject s WHERE s.id = $5`,
      [runId, suspectId, rule, JSON.stringify(featureId ? [{ featureId, datasetId: farmlandDs, sourceId: 'JBNT-001', code: '0101', name: '水田', attrs: { DLBM: '0101' } }] : []), subjectId],
    );
  };
  await finding(serious, buildingIds[1]!, 'FARMLAND', farmlandId);
  await finding(serious, buildingIds[1]!, 'NO_PERMIT', null);
  await finding(general, buildingIds[2]!, 'ZONE_USE', null);
  await finding(light, buildingIds[3]!, 'CULTIVATED', null);
  // The analysis migration (0003) keeps the largest overlap on the suspect; fill it where it exists.
  await db.exec(`DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'suspect' AND column_name = 'overlap_m2') THEN
      UPDATE suspect SET overlap_m2 = area_m2;
    END IF;
  END $$`);
  return { farmlandId, buildingIds, suspectIds: { serious, general, light } };
}

/** The z/x/y of the tile holding a lon/lat at a zoom (Web Mercator XYZ). */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n),
  };
}

/** Tile coordinates (extent units, y down) of a lon/lat inside tile z/x/y. */
export function tileUnits(lon: number, lat: number, t: { z: number; x: number; y: number }, extent = 4096): [number, number] {
  const n = 2 ** t.z;
  const r = (lat * Math.PI) / 180;
  const gx = ((lon + 180) / 360) * n;
  const gy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
  return [(gx - t.x) * extent, (gy - t.y) * extent];
}
