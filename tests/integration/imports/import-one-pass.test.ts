import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { importFile, type ImportLayerResult } from '../../../api/src/imports/import.service.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { feature } from './import-fixtures.ts';

// A large GeoJSON FeatureCollection whose SRS is known before its features is read once: its fields
// come from its first features (here 2: `fieldSampleFeatures`, so that six features are "large") and
// the rest are checked after the load. These files are laid out as ogr2ogr writes them: `crs` first.

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

/** A GK square (EPSG:4547-like metres) of 10 m at (x, y). */
function gkSquare(x: number, y: number): number[][][] {
  return [[[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]];
}

/** Writes a FeatureCollection text with `crs` members before and (optionally) after the features. */
async function writeCollection(name: string, features: unknown[], crsBefore: number, crsAfter?: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-one-pass-'));
  const file = path.join(dir, name);
  const crs = (epsg: number) => JSON.stringify({ type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${epsg}` } });
  const tail = crsAfter ? `,"crs":${crs(crsAfter)}` : '';
  await writeFile(file, `{"type":"FeatureCollection","crs":${crs(crsBefore)},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]${tail}}`);
  return file;
}

/** Six buildings around the centre of 3° zone 39 (EPSG:4527's false easting is zone-prefixed; 4547 is not). */
function buildings(props: (i: number) => Record<string, unknown>): unknown[] {
  return Array.from({ length: 6 }, (_, i) => feature(props(i), { type: 'Polygon', coordinates: gkSquare(500_000 + i * 50, 2_500_000) }));
}

async function stored(r: ImportLayerResult | undefined): Promise<Array<{ source_id: string | null; geom_hash: string; area_m2: number; attrs: unknown }>> {
  const { rows } = await db.query<{ source_id: string | null; geom_hash: string; area_m2: number; attrs: unknown }>(
    'SELECT source_id, geom_hash, area_m2, attrs FROM subject WHERE dataset_id = $1 ORDER BY row_number',
    [r?.datasetId],
  );
  return rows;
}

describe('a large GeoJSON FeatureCollection read in one pass', () => {
  it('stores exactly what a read in two passes stores, with every field in the report', async () => {
    // JZBH (an id field) is there from the start; JGLX only from the fourth feature.
    const file = await writeCollection('one.geojson', buildings((i) => ({ JZBH: `B${i}`, ...(i >= 3 ? { JGLX: '砖混' } : {}) })), 4547);
    const [once] = await importFile(db, file, { kind: 'building', name: 'one-pass', epoch: '2025-06-30' }, { fieldSampleFeatures: 2 });
    const [twice] = await importFile(db, file, { kind: 'building', name: 'two-passes', epoch: '2025-06-30' }, { fieldSampleFeatures: 1_000 });
    expect(once).toMatchObject({ onePass: true, features: 6, srs: 'EPSG:4547' });
    expect(twice).toMatchObject({ onePass: false, features: 6, srs: 'EPSG:4547' });
    expect(await stored(once)).toEqual(await stored(twice));
    expect((await stored(once)).map((r) => r.source_id)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4', 'B5']);
    const reports = await db.query<{ fields: string[] }>("SELECT report->'fields' AS fields FROM dataset WHERE id = ANY($1::bigint[]) ORDER BY id", [[once?.datasetId, twice?.datasetId]]);
    expect(reports.rows.map((r) => r.fields)).toEqual([['JZBH', 'JGLX'], ['JZBH', 'JGLX']]);
  });

  it('is read again in two passes when the id field appears only after its first features', async () => {
    // The first two features have no id field: chosen from them, the layer would have no source ids.
    const file = await writeCollection('late-id.geojson', buildings((i) => (i < 2 ? { CS: i } : { CS: i, JZBH: `L${i}` })), 4547);
    const [r] = await importFile(db, file, { kind: 'building', name: 'late-id', epoch: '2025-06-30' }, { fieldSampleFeatures: 2 });
    expect(r).toMatchObject({ onePass: false, features: 6 });
    expect((await stored(r)).map((x) => x.source_id)).toEqual([null, null, 'L2', 'L3', 'L4', 'L5']);
    // Nothing of the abandoned one-pass attempt is left behind.
    const versions = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM dataset WHERE name = 'late-id'");
    expect(versions.rows[0]?.n).toBe(1);
  });

  it('is read again in two passes when another crs member follows the features (the last one wins)', async () => {
    // Over one read chunk (1 MiB): the second crs member is not in sight while the first features are sampled.
    const file = await writeCollection('two-crs.geojson', buildings((i) => ({ JZBH: `C${i}`, BZ: '备注'.repeat(100_000) })), 4547, 4548);
    const [r] = await importFile(db, file, { kind: 'building', name: 'two-crs', epoch: '2025-06-30' }, { fieldSampleFeatures: 2 });
    expect(r).toMatchObject({ onePass: false, features: 6, srs: 'EPSG:4548' });
  });

  it('finds an --id-field that only later features have', async () => {
    const file = await writeCollection('named-id.geojson', buildings((i) => (i < 4 ? { CS: i } : { CS: i, FWBH: `N${i}` })), 4547);
    const [r] = await importFile(db, file, { kind: 'building', name: 'named-id', epoch: '2025-06-30', idField: 'FWBH' }, { fieldSampleFeatures: 2 });
    expect(r).toMatchObject({ onePass: false, features: 6 });
    expect((await stored(r)).map((x) => x.source_id)).toEqual([null, null, null, null, 'N4', 'N5']);
  });
});
