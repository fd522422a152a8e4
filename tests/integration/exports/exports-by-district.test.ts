/**
 * By-district exports: a zip with one file per village/community (default), township or county,
 * each holding only its unit's rows, in every format.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8 } from 'fflate';
import { DOMParser } from '@xmldom/xmldom';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { missingRequirement } from '../../helpers/test-env.ts';
import { exportToFile, ogrFeatures, unzipFile } from './export-readers.ts';
import { DEFAULT_EXPORT_KEYS, seedExportScene } from './export-seed.ts';

let db: Db;
let dir: string;
const gdalMissing = missingRequirement({ commands: ['ogr2ogr', 'ogrinfo'] });

beforeAll(async () => {
  db = await createTestDb();
  await seedExportScene(db);
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-exports-bd-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const VILLAGE_FILES = ['440999101001_东湖社区', '440999101002_西岭村', '440999102000_南山镇（乡镇本级）', '440999102001_南山村', '未落入行政区'];

describe('by-district zip', () => {
  it('CSV: one file per village/community, each with only its rows', async () => {
    const { file, result } = await exportToFile(db, { format: 'csv', byDistrict: 'true' }, dir);
    expect(result.files).toEqual(VILLAGE_FILES.map((f) => `${f}.csv`));
    const entries = await unzipFile(file);
    expect(Object.keys(entries)).toEqual(VILLAGE_FILES.map((f) => `${f}.csv`));
    let total = 0;
    for (const [name, bytes] of Object.entries(entries)) {
      const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Array<Record<string, string>>;
      total += rows.length;
      const code = name.startsWith('未') ? '' : (name.split('_')[0] as string);
      for (const row of rows) expect(row['行政区代码'], name).toBe(code);
    }
    expect(total).toBe(DEFAULT_EXPORT_KEYS.length);
  });

  it('Shapefile by township: GDAL reads each unit’s layer from the zip', async () => {
    const { file, result } = await exportToFile(db, { format: 'shp', byDistrict: 'true', level: 'township' }, dir);
    expect(result.files).toEqual(['440999101_东湖街道.shp', '440999102_南山镇.shp', '未落入行政区.shp']);
    const names = Object.keys(await unzipFile(file));
    for (const base of ['440999101_东湖街道', '440999102_南山镇']) for (const ext of ['.shp', '.shx', '.dbf', '.prj', '.cpg']) expect(names).toContain(base + ext);
    expect(names).toContain('字段说明.csv');
    if (gdalMissing) return;
    const east = ogrFeatures(`/vsizip/${file}/440999101_东湖街道.shp`);
    expect(east.map((f) => f.properties.XZQDM)).toEqual(['440999101001', '440999101001', '440999101002']);
    const south = ogrFeatures(`/vsizip/${file}/440999102_南山镇.shp`);
    expect(south.map((f) => f.properties.XZMC)).toEqual(['南山镇', '南山镇']);
  });

  it('XLSX by county: each workbook’s summary and ledger cover only its unit', async () => {
    const { file } = await exportToFile(db, { format: 'xlsx', byDistrict: 'true', level: 'county' }, dir);
    const entries = await unzipFile(file);
    expect(Object.keys(entries)).toEqual(['440999_临江区.xlsx', '未落入行政区.xlsx']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(entries['440999_临江区.xlsx'] as Uint8Array) as unknown as ArrayBuffer);
    const ledger = wb.getWorksheet('村（社区）台账') as ExcelJS.Worksheet;
    expect(ledger.actualRowCount).toBe(1 + 4 + 1); // header, four units, totals
    expect(wb.getWorksheet('图斑明细')?.actualRowCount).toBe(1 + 5);
    const outside = new ExcelJS.Workbook();
    await outside.xlsx.load(Buffer.from(entries['未落入行政区.xlsx'] as Uint8Array) as unknown as ArrayBuffer);
    expect(outside.getWorksheet('图斑明细')?.actualRowCount).toBe(1 + 1);
    expect(outside.getWorksheet('汇总')?.actualRowCount).toBe(1 + 1 + 1);
  });

  it('KML and GeoJSON: well-formed files per village', async () => {
    const kml = await unzipFile((await exportToFile(db, { format: 'kml', byDistrict: 'true' }, dir)).file);
    expect(Object.keys(kml)).toEqual(VILLAGE_FILES.map((f) => `${f}.kml`));
    for (const bytes of Object.values(kml)) {
      const doc = new DOMParser().parseFromString(strFromU8(bytes), 'text/xml');
      expect(doc.getElementsByTagName('Folder')).toHaveLength(1);
    }
    const geojson = await unzipFile((await exportToFile(db, { format: 'geojson', byDistrict: 'true' }, dir)).file);
    const counts = Object.values(geojson).map((b) => (JSON.parse(strFromU8(b)) as { features: unknown[] }).features.length);
    expect(counts).toEqual([2, 1, 1, 1, 1]);
  });

  it('an export that matches nothing is a valid, empty file', async () => {
    const csv = await exportToFile(db, { format: 'csv', rule: 'EXPANSION' }, dir);
    expect(csv.result.rows).toBe(0);
    const shp = await exportToFile(db, { format: 'shp', rule: 'EXPANSION' }, dir);
    const xlsx = await exportToFile(db, { format: 'xlsx', rule: 'EXPANSION' }, dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.file);
    expect(wb.getWorksheet('图斑明细')?.actualRowCount).toBe(1);
    if (gdalMissing) return;
    expect(ogrFeatures(csv.file)).toHaveLength(0);
    expect(ogrFeatures(`/vsizip/${shp.file}`)).toHaveLength(0);
  });
});
