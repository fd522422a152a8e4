import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { importFile } from '../../../api/src/imports/import.service.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { missingRequirement } from '../../helpers/test-env.ts';
import { feature, square, writeGeoJson } from './import-fixtures.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

const count = async (sql: string, values: unknown[] = []) => (await db.query<{ n: number }>(sql, values)).rows[0]?.n;

describe('import service', () => {
  it('stores features in EPSG:4490 with source ids, Chinese attributes and ellipsoidal areas', async () => {
    const file = await writeGeoJson('farmland.geojson', [
      feature({ BSM: 'F1', DLBM: '0101', DLMC: '水田' }, { type: 'Polygon', coordinates: square(114.0, 22.9, 0.001) }),
      feature({ BSM: 'F2', DLBM: '0103', DLMC: '旱地' }, { type: 'MultiPolygon', coordinates: [square(114.01, 22.9), square(114.02, 22.9)] }),
    ]);
    const [r] = await importFile(db, file, { kind: 'basic_farmland' });
    expect(r).toMatchObject({ kind: 'basic_farmland', name: 'farmland', version: 1, features: 2, rejected: 0, repaired: 0, noop: false, srs: 'EPSG:4490' });
    const { rows } = await db.query<{ source_id: string; code: string; name: string; area_m2: number; srid: number; t: string; dlmc: string }>(
      "SELECT source_id, code, name, area_m2, ST_SRID(geom) AS srid, GeometryType(geom) AS t, attrs->>'DLMC' AS dlmc FROM constraint_feature WHERE dataset_id = $1 ORDER BY row_number",
      [r?.datasetId],
    );
    expect(rows.map((x) => [x.source_id, x.code, x.name, x.dlmc, x.srid, x.t])).toEqual([
      ['F1', '0101', '水田', '水田', 4490, 'MULTIPOLYGON'],
      ['F2', '0103', '旱地', '旱地', 4490, 'MULTIPOLYGON'],
    ]);
    // 0.001° square at 22.9°N: ≈ 111.3 km × 102.6 km per degree (ellipsoid) → ≈ 11,420 m²; planar degrees would be 1e-6.
    const expected = 0.001 * 111_300 * 0.001 * 102_600;
    expect(rows[0]?.area_m2).toBeGreaterThan(expected * 0.99);
    expect(rows[0]?.area_m2).toBeLessThan(expected * 1.01);
  });

  it('rejects bad rows with reason codes, repairs self-intersections, and keeps the rest', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[114.1, 22.9], [114.101, 22.901], [114.101, 22.9], [114.1, 22.901], [114.1, 22.9]]] };
    const file = await writeGeoJson('buildings.geojson', [
      feature({ JZBH: 'B1' }, { type: 'Polygon', coordinates: square(114.1, 22.91) }),
      feature({ JZBH: 'B2' }, null),
      feature({ JZBH: 'B3' }, { type: 'Point', coordinates: [114.1, 22.9] }),
      feature({ JZBH: 'B1' }, { type: 'Polygon', coordinates: square(114.2, 22.91) }),
      feature({ JZBH: 'B5' }, { type: 'Polygon', coordinates: square(2.35, 48.85) }),
      feature({ JZBH: 'B6' }, bowtie),
      feature({ JZBH: 'B7' }, { type: 'Polygon', coordinates: [[[114.1, 22.9], [114.1, 22.9], [114.1, 22.9], [114.1, 22.9]]] }),
    ]);
    const [r] = await importFile(db, file, { kind: 'building', epoch: '2025-06-30' });
    expect(r?.features).toBe(2);
    expect(r?.repaired).toBe(1);
    expect(r?.rejected).toBe(5);
    expect(r?.rejectsByCode).toEqual({ NULL_GEOMETRY: 1, WRONG_GEOMETRY_TYPE: 1, DUPLICATE_SOURCE_ID: 1, OUT_OF_RANGE: 1, UNREPAIRABLE_GEOMETRY: 1 });
    expect(r?.rejects.map((x) => [x.row, x.sourceId, x.code])).toEqual([
      [2, 'B2', 'NULL_GEOMETRY'],
      [3, 'B3', 'WRONG_GEOMETRY_TYPE'],
      [4, 'B1', 'DUPLICATE_SOURCE_ID'],
      [5, 'B5', 'OUT_OF_RANGE'],
      [7, 'B7', 'UNREPAIRABLE_GEOMETRY'],
    ]);
    expect(r?.repairs).toEqual([{ row: 6, sourceId: 'B6', reason: expect.stringMatching(/Self-intersection/i) }]);
    const stored = await db.query<{ source_id: string; valid: boolean; epoch: string }>(
      'SELECT source_id, ST_IsValid(geom) AS valid, epoch FROM subject WHERE dataset_id = $1 ORDER BY row_number',
      [r?.datasetId],
    );
    expect(stored.rows).toEqual([
      { source_id: 'B1', valid: true, epoch: '2025-06-30' },
      { source_id: 'B6', valid: true, epoch: '2025-06-30' },
    ]);
    expect(await count('SELECT count(*)::int AS n FROM import_reject WHERE dataset_id = $1', [r?.datasetId])).toBe(5);
    expect(await count('SELECT count(*)::int AS n FROM import_repair WHERE dataset_id = $1', [r?.datasetId])).toBe(1);
  });

  it('with --strict fails on the first reject and leaves the database as it was', async () => {
    const before = await count('SELECT count(*)::int AS n FROM dataset');
    const file = await writeGeoJson('strict.geojson', [
      feature({ BSM: 'S1' }, { type: 'Polygon', coordinates: square(114.3, 22.9) }),
      feature({ BSM: 'S2' }, null),
    ]);
    await expect(importFile(db, file, { kind: 'permit', strict: true })).rejects.toMatchObject({ code: 'STRICT_REJECT', row: 2 });
    expect(await count('SELECT count(*)::int AS n FROM dataset')).toBe(before);
    expect(await count("SELECT count(*)::int AS n FROM constraint_feature WHERE source_id = 'S1'")).toBe(0);
  });

  it('treats the same file with the same options as a no-op, and a changed file as a new version', async () => {
    const features = [feature({ BSM: 'Z1', YDYHFLDM: '0101' }, { type: 'Polygon', coordinates: square(114.4, 22.9) })];
    const file = await writeGeoJson('zones.geojson', features);
    const [v1] = await importFile(db, file, { kind: 'planning_zone' });
    // A new layer's hash is computed beside its load and written when the version is finished.
    const stored = await db.query<{ source_sha256: string }>('SELECT source_sha256 FROM dataset WHERE id = $1', [v1?.datasetId]);
    expect(stored.rows[0]?.source_sha256).toBe(createHash('sha256').update(await readFile(file)).digest('hex'));
    const [again] = await importFile(db, file, { kind: 'planning_zone' });
    expect(again).toMatchObject({ noop: true, datasetId: v1?.datasetId, version: 1 });
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [...features, feature({ BSM: 'Z2', YDYHFLDM: '07' }, { type: 'Polygon', coordinates: square(114.41, 22.9) })] }));
    const [v2] = await importFile(db, file, { kind: 'planning_zone' });
    expect(v2).toMatchObject({ noop: false, version: 2, features: 2, supersededDatasetId: v1?.datasetId });
    const { rows } = await db.query<{ id: number; status: string; superseded_by: number | null }>(
      "SELECT id, status, superseded_by FROM dataset WHERE kind = 'planning_zone' AND name = 'zones' ORDER BY version",
    );
    expect(rows).toEqual([
      { id: v1?.datasetId, status: 'superseded', superseded_by: v2?.datasetId },
      { id: v2?.datasetId, status: 'active', superseded_by: null },
    ]);
    // The old version stays readable for history.
    expect(await count('SELECT count(*)::int AS n FROM constraint_feature WHERE dataset_id = $1', [v1?.datasetId])).toBe(1);
    // Different options (another id field) on the same bytes are a new version, not a no-op.
    const [v3] = await importFile(db, file, { kind: 'planning_zone', idField: 'YDYHFLDM' });
    expect(v3).toMatchObject({ noop: false, version: 3 });
  });

  it('buffers passage centre lines by their width on the ellipsoid', async () => {
    // 0.01° of longitude at 22.9°N ≈ 1,026 m; 8 m wide → ≈ 8,210 m² (flat ends).
    const file = await writeGeoJson('roads.geojson', [
      feature({ BSM: 'R1', KD: 8, LX: 'road' }, { type: 'LineString', coordinates: [[114.5, 22.9], [114.51, 22.9]] }),
      feature({ BSM: 'R2', LX: '消防通道' }, { type: 'LineString', coordinates: [[114.5, 22.91], [114.51, 22.91]] }),
    ]);
    const [r] = await importFile(db, file, { kind: 'public_passage' });
    expect(r?.features).toBe(2);
    expect(r?.notes.find((n) => n.code === 'WIDTH_DEFAULTED')?.count).toBe(1);
    const { rows } = await db.query<{ source_id: string; width_m: number; area_m2: number; line: string }>(
      'SELECT source_id, width_m, area_m2, GeometryType(source_geom) AS line FROM constraint_feature WHERE dataset_id = $1 ORDER BY row_number',
      [r?.datasetId],
    );
    const metresPerDegree = 102_600; // longitude at 22.9°N on the CGCS2000 ellipsoid, ±0.2 %
    expect(rows[0]).toMatchObject({ source_id: 'R1', width_m: 8, line: 'LINESTRING' });
    expect(rows[0]?.area_m2).toBeGreaterThan(0.01 * metresPerDegree * 8 * 0.99);
    expect(rows[0]?.area_m2).toBeLessThan(0.01 * metresPerDegree * 8 * 1.01);
    expect(rows[1]?.width_m).toBe(4);
  });

  it('normalises district codes to 12 digits with levels and parents', async () => {
    const file = await writeGeoJson('districts.geojson', [
      feature({ XZQDM: '440999', XZQMC: '演示县' }, { type: 'Polygon', coordinates: square(114.6, 22.9, 0.01) }),
      feature({ XZQDM: '440999101', XZQMC: '示范镇' }, { type: 'Polygon', coordinates: square(114.6, 22.9, 0.005) }),
      feature({ XZQDM: '440999101001', XZQMC: '东湖村' }, { type: 'Polygon', coordinates: square(114.6, 22.9, 0.002) }),
    ]);
    await importFile(db, file, { kind: 'district' });
    const { rows } = await db.query<{ code: string; name: string; level: string; parent_code: string | null }>(
      "SELECT code, name, level, parent_code FROM district WHERE code LIKE '440999%' ORDER BY code",
    );
    expect(rows).toEqual([
      { code: '440999000000', name: '演示县', level: 'county', parent_code: '440900000000' },
      { code: '440999101000', name: '示范镇', level: 'township', parent_code: '440999000000' },
      { code: '440999101001', name: '东湖村', level: 'village', parent_code: '440999101000' },
    ]);
  });

  it('transforms Gauss-Krüger coordinates as PROJ cs2cs does (within 1 cm)', async (ctx) => {
    if (missingRequirement({ commands: ['cs2cs'] })) return ctx.skip();
    // Vertices in CGCS2000 3° GK CM 114E (EPSG:4547) and zone 38 (EPSG:4526, false easting 38,500,000).
    const cases: Array<[number, number[][]]> = [
      [4547, [[512_345.678, 2_534_567.891], [512_845.678, 2_534_567.891], [512_845.678, 2_535_067.891], [512_345.678, 2_535_067.891]]],
      [4526, [[38_498_765.432, 3_456_789.012], [38_499_265.432, 3_456_789.012], [38_499_265.432, 3_457_289.012], [38_498_765.432, 3_457_289.012]]],
    ];
    for (const [epsg, ring] of cases) {
      const file = await writeGeoJson(`gk-${epsg}.geojson`, [feature({ BSM: `P${epsg}` }, { type: 'Polygon', coordinates: [[...ring, ring[0]]] })], epsg);
      const [r] = await importFile(db, file, { kind: 'permit' });
      expect(r?.srs).toBe(`EPSG:${epsg}`);
      const { rows } = await db.query<{ x: number; y: number }>(
        'SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM constraint_feature f, ST_DumpPoints(f.geom) p WHERE f.dataset_id = $1 ORDER BY p.path',
        [r?.datasetId],
      );
      const oracle = execFileSync('cs2cs', ['-f', '%.10f', `EPSG:${epsg}`, 'EPSG:4490'], { input: ring.map((p) => `${p[1]} ${p[0]}`).join('\n') }) // EPSG GK axes: northing, easting
        .toString()
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]); // EPSG:4490 axis order: lat lon
      for (const [lat, lon] of oracle) {
        const hit = rows.find((p) => Math.abs(p.x - lon) < 1e-6 && Math.abs(p.y - lat) < 1e-6);
        expect(hit, `vertex ${lat} ${lon} of EPSG:${epsg}`).toBeDefined();
        // 1e-7° ≈ 1.1 cm in latitude; require better: 0.01 m ≈ 9e-8°.
        expect(Math.abs((hit?.x ?? 0) - lon) * 102_600).toBeLessThan(0.01);
        expect(Math.abs((hit?.y ?? 0) - lat) * 110_800).toBeLessThan(0.01);
      }
    }
  });

  it('measures features delivered in a CGCS2000 Gauss-Krüger grid from the grid, as PostGIS measures them on the ellipsoid', async () => {
    // Zone 38 (false easting 38,500,000): a 12 × 9 m house near the central meridian, a 1.2 km parcel
    // with a hole near the zone edge, and a two-part building. Grid areas scaled by 1/k² (the import
    // computes them in Node) must match ST_Area(geography) of the stored, transformed geometry.
    const house = [[38_500_120, 3_400_000], [38_500_132, 3_400_000], [38_500_132, 3_400_009], [38_500_120, 3_400_009], [38_500_120, 3_400_000]];
    const parcel = [[38_640_000, 3_410_000], [38_641_200, 3_410_000], [38_641_200, 3_410_800], [38_640_000, 3_410_800], [38_640_000, 3_410_000]];
    const hole = [[38_640_100, 3_410_100], [38_640_100, 3_410_300], [38_640_400, 3_410_300], [38_640_400, 3_410_100], [38_640_100, 3_410_100]];
    const shed = [[38_560_000, 3_405_000], [38_560_020, 3_405_000], [38_560_020, 3_405_030], [38_560_000, 3_405_000]];
    const file = await writeGeoJson(
      'gk-areas.geojson',
      [
        feature({ BSM: 'HOUSE' }, { type: 'Polygon', coordinates: [house] }),
        feature({ BSM: 'PARCEL' }, { type: 'Polygon', coordinates: [parcel, hole] }),
        feature({ BSM: 'TWO' }, { type: 'MultiPolygon', coordinates: [[house], [shed]] }),
      ],
      4526,
    );
    for (const kind of ['building', 'basic_farmland'] as const) {
      const [r] = await importFile(db, file, { kind, name: `gk-areas-${kind}`, ...(kind === 'building' ? { epoch: '2025-06-30' } : {}) });
      const table = kind === 'building' ? 'subject' : 'constraint_feature';
      const { rows } = await db.query<{ source_id: string; stored: number; geodesic: number }>(
        `SELECT source_id, area_m2 AS stored, ST_Area(geom::geography) AS geodesic FROM ${table} WHERE dataset_id = $1 ORDER BY source_id`,
        [r?.datasetId],
      );
      expect(rows.map((row) => row.source_id)).toEqual(['HOUSE', 'PARCEL', 'TWO']);
      for (const row of rows) {
        // PostGIS's geodesic area carries ~10⁻⁴ m² of rounding on small shapes (see gk-area.test.ts).
        expect(Math.abs(row.stored - row.geodesic), `${kind} ${row.source_id}: ${row.stored} vs ${row.geodesic}`).toBeLessThan(Math.max(1e-3, 1e-7 * row.geodesic));
      }
      // The hole is subtracted from the 900,000 m² grid area, and 140 km east of the central meridian
      // k² ≈ 1 + 4.8·10⁻⁴ shrinks it by ~440 m² on the ellipsoid.
      expect(rows[1]?.stored).toBeGreaterThan(900_000 - 500);
      expect(rows[1]?.stored).toBeLessThan(900_000 - 400);
    }
  });

  it('rejects only the rows PostGIS cannot parse or project, keeping the rest of their batch', async () => {
    const ring = (e: number, n: number) => [[[e, n], [e + 50, n], [e + 50, n + 50], [e, n + 50], [e, n]]];
    const file = await writeGeoJson(
      'gk-bad.geojson',
      [
        feature({ BSM: 'G1' }, { type: 'Polygon', coordinates: ring(512_000, 2_534_000) }),
        feature({ BSM: 'G2' }, { type: 'Polygon', coordinates: [[[512_000, 2_534_000]]] }),
        feature({ BSM: 'G3' }, { type: 'Polygon', coordinates: ring(9e12, 9e12) }),
        feature({ BSM: 'G4' }, { type: 'Polygon', coordinates: ring(512_100, 2_534_000) }),
      ],
      4547,
    );
    const [r] = await importFile(db, file, { kind: 'demolished_site' });
    expect(r?.features).toBe(2);
    const byId = Object.fromEntries((r?.rejects ?? []).map((x) => [x.sourceId, x.code]));
    // A 1-position ring never reaches PostGIS (PGlite would drop the whole statement silently).
    expect(byId.G2).toBe('DEGENERATE_RING');
    expect(byId.G3).toBe('TRANSFORM_FAILED');
    expect(byId.G1).toBeUndefined();
  });

  it('gives the same result whatever the chunk size: routed and careful chunks, duplicates across chunks', async () => {
    const ring = (e: number, n: number) => [[[e, n], [e + 50, n], [e + 50, n + 50], [e, n + 50], [e, n]]];
    const bowtie = (e: number, n: number) => [[[e, n], [e + 50, n + 50], [e + 50, n], [e, n + 50], [e, n]]];
    const polygon = (coordinates: unknown) => ({ type: 'Polygon', coordinates });
    const file = await writeGeoJson(
      'chunks.geojson',
      [
        feature({ JZBH: 'C1' }, polygon(ring(512_000, 2_534_000))), // chunk 1 of 3 rows: all clean, straight in
        feature({ JZBH: 'C2' }, polygon(ring(512_100, 2_534_000))),
        feature({ JZBH: 'C3' }, polygon(ring(512_200, 2_534_000))),
        feature({ JZBH: 'C4' }, polygon(bowtie(512_300, 2_534_000))), // chunk 2: not certified, ST_IsValid in the route fails → staged, repaired
        feature({ JZBH: 'C1' }, polygon(ring(512_400, 2_534_000))), // routed into the partition, then moved out as a duplicate of row 1
        feature({ JZBH: 'C6' }, polygon(ring(512_500, 2_534_000))),
        feature({ JZBH: 'C7' }, polygon(ring(9e12, 9e12))), // chunk 3: PROJ cannot project it → careful path, halved down to this row
        feature({ JZBH: 'C8' }, polygon(ring(512_700, 2_534_000))),
        feature({ JZBH: 'C4' }, polygon(ring(512_800, 2_534_000))), // duplicate of row 4, which sits in the stage
        feature({ JZBH: 'C10' }, { type: 'LineString', coordinates: [[512_900, 2_534_000], [512_950, 2_534_000]] }),
        feature({ JZBH: 'C11' }, polygon(ring(100_000, 2_534_000))), // ~4° west of the zone's meridian
      ],
      4547,
    );
    const chunked = await importFile(db, file, { kind: 'building', epoch: '2025-06-30', name: 'chunked' }, { chunkRows: 3 });
    const whole = await importFile(db, file, { kind: 'building', epoch: '2025-06-30', name: 'whole' });
    const [c, w] = [chunked[0], whole[0]];
    expect(c?.chunks).toEqual({ routed: 3, careful: 1 });
    expect(w?.chunks).toEqual({ routed: 0, careful: 1 }); // one chunk holding every kind of row
    for (const r of [c, w]) {
      expect(r).toMatchObject({ features: 6, repaired: 1, rejected: 5 });
      expect(r?.rejects.map((x) => [x.row, x.sourceId, x.code])).toEqual([
        [5, 'C1', 'DUPLICATE_SOURCE_ID'],
        [7, 'C7', 'TRANSFORM_FAILED'],
        [9, 'C4', 'DUPLICATE_SOURCE_ID'],
        [10, 'C10', 'WRONG_GEOMETRY_TYPE'],
        [11, 'C11', 'OUT_OF_RANGE'],
      ]);
      expect(r?.repairs.map((x) => [x.row, x.sourceId])).toEqual([[4, 'C4']]);
    }
    const stored = async (datasetId: number | undefined) =>
      (
        await db.query<{ row_number: number; source_id: string; geom_hash: string; area: string; t: string }>(
          'SELECT row_number, source_id, geom_hash, round(area_m2::numeric, 6)::text AS area, GeometryType(geom) AS t FROM subject WHERE dataset_id = $1 ORDER BY row_number',
          [datasetId],
        )
      ).rows;
    const inChunks = await stored(c?.datasetId);
    expect(inChunks.map((x) => [x.row_number, x.source_id, x.t])).toEqual([
      [1, 'C1', 'MULTIPOLYGON'],
      [2, 'C2', 'MULTIPOLYGON'],
      [3, 'C3', 'MULTIPOLYGON'],
      [4, 'C4', 'MULTIPOLYGON'],
      [6, 'C6', 'MULTIPOLYGON'],
      [8, 'C8', 'MULTIPOLYGON'],
    ]);
    expect(inChunks).toEqual(await stored(w?.datasetId));
    expect(await count('SELECT count(*)::int AS n FROM import_reject WHERE dataset_id = $1', [c?.datasetId])).toBe(5);
  });

  it('rejects malformed or absurdly nested geometry without touching PostGIS, and caps the feature count', async () => {
    let nested: Record<string, unknown> = { type: 'Polygon', coordinates: square(114.8, 22.9) };
    for (let i = 0; i < 6; i++) nested = { type: 'GeometryCollection', geometries: [nested] };
    const file = await writeGeoJson('odd.geojson', [
      feature({ BSM: 'M1' }, { type: 'Polygon', coordinates: square(114.8, 22.91) }),
      feature({ BSM: 'M2' }, nested),
      feature({ BSM: 'M3' }, { type: 'Polygon', coordinates: [[[[114.8, 22.9]]]] }),
    ]);
    const [r] = await importFile(db, file, { kind: 'demolished_site', name: 'odd' });
    expect(r?.features).toBe(1);
    expect(r?.rejectsByCode).toEqual({ MALFORMED_GEOMETRY: 1, BAD_GEOMETRY: 1 }); // the reader catches bad positions, the service deep nesting
    const before = await count('SELECT count(*)::int AS n FROM dataset');
    await expect(importFile(db, file, { kind: 'demolished_site', name: 'odd-capped' }, { maxFeatures: 2 })).rejects.toMatchObject({ code: 'FEATURE_LIMIT', row: 3 });
    expect(await count('SELECT count(*)::int AS n FROM dataset')).toBe(before);
  });

  it('names the unknown field of --id-field', async () => {
    const file = await writeGeoJson('idf.geojson', [feature({ BSM: 'X' }, { type: 'Polygon', coordinates: square(114.7, 22.9) })]);
    await expect(importFile(db, file, { kind: 'permit', idField: 'NOPE' })).rejects.toMatchObject({ code: 'UNKNOWN_FIELD', field: 'NOPE' });
    await expect(importFile(db, file, { kind: 'building' })).rejects.toMatchObject({ code: 'EPOCH_REQUIRED', field: 'epoch' });
    await expect(importFile(db, file, { kind: 'farmland' })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'kind' });
  });
});
