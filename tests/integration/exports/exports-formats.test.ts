/**
 * Every export format written from a seeded scene and read back by an independent reader: GDAL
 * (ogr2ogr/ogrinfo) for CSV, GeoJSON, KML and Shapefile, exceljs for XLSX. Checks row count, CRS,
 * a Chinese string and an area in each; district isolation and filters; golden CSV/GeoJSON files.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { ExportError } from '../../../api/src/exports/export-messages.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { missingRequirement, PROJECT_ROOT } from '../../helpers/test-env.ts';
import { exportToFile, ogrEpsg, ogrFeatures, planarArea, unzipFile } from './export-readers.ts';
import { DEFAULT_EXPORT_KEYS, SCENE_SUSPECTS, seedExportScene } from './export-seed.ts';

const GOLDEN_DIR = path.join(PROJECT_ROOT, 'tests/fixtures/exports');
const CSV_POINTS = ['X_POSSIBLE_NAMES=中心点经度', 'Y_POSSIBLE_NAMES=中心点纬度'];
const idsOf = (keys: string[]) => keys.map((k) => SCENE_SUSPECTS.findIndex((s) => s.key === k) + 1);

let db: Db;
let dir: string;
let areas: Map<number, number>;
const gdalMissing = missingRequirement({ commands: ['ogr2ogr', 'ogrinfo'] });

beforeAll(async () => {
  db = await createTestDb();
  await seedExportScene(db);
  areas = new Map((await db.query<{ id: number; area_m2: number }>('SELECT id, area_m2 FROM suspect')).rows.map((r) => [r.id, r.area_m2]));
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-exports-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const area2 = (id: number) => Math.round((areas.get(id) ?? NaN) * 100) / 100;

async function compareGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE === '1' || !existsSync(file)) {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, actual);
    if (process.env.UPDATE !== '1') throw new Error(`golden ${name} was missing and has been written; check it and re-run`);
  }
  expect(actual, `${name} differs from the golden file (UPDATE=1 rewrites it)`).toBe(await readFile(file, 'utf8'));
}

describe('CSV', () => {
  it('is UTF-8 with BOM and CRLF, and GDAL reads every row with its Chinese text and areas', async () => {
    const { file, result } = await exportToFile(db, { format: 'csv' }, dir);
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n').length - 1).toBe(1 + DEFAULT_EXPORT_KEYS.length);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // every line ends in CRLF (no value here holds a line break)
    expect(result.rows).toBe(DEFAULT_EXPORT_KEYS.length);
    expect(text).toContain('"JZ-""7"",西"'); // quoted, quotes doubled
    expect(text).toContain(`"'=HYPERLINK(""x"")"`); // formula neutralised
    if (gdalMissing) return;
    const features = ogrFeatures(file, { openOptions: CSV_POINTS });
    expect(features.map((f) => Number(f.properties['疑似图斑编号']))).toEqual(idsOf(DEFAULT_EXPORT_KEYS));
    const first = features[0]?.properties ?? {};
    expect(first['村（社区）']).toBe('东湖社区');
    expect(first['违法类型']).toBe('占用永久基本农田、占用耕地');
    expect(Number(first['图斑面积（平方米）'])).toBe(area2(1));
    expect(Number(first['占永久基本农田面积（亩）'])).toBeCloseTo(150 / (10000 / 15), 4);
    expect(features[2]?.properties['原始编号']).toBe('JZ-"7",西');
    // CRS: the centroid columns are CGCS2000 degrees, not projected metres.
    for (const f of features) {
      const [lon, lat] = f.geometry?.coordinates as [number, number];
      expect(lon).toBeGreaterThan(113.9);
      expect(lon).toBeLessThan(114.1);
      expect(lat).toBeGreaterThan(22.8);
      expect(lat).toBeLessThan(23);
    }
  });
});

describe('GeoJSON', () => {
  it('is RFC 7946 (lon/lat, no crs, counter-clockwise exteriors) and GDAL reads it as WGS 84', async () => {
    const { file } = await exportToFile(db, { format: 'geojson' }, dir);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('"crs"');
    const fc = JSON.parse(text) as { type: string; features: Array<{ id: number; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][][] } }> };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.id)).toEqual(idsOf(DEFAULT_EXPORT_KEYS));
    const holed = fc.features[1]?.geometry.coordinates[0] as number[][][];
    const signed = (ring: number[][]) => ring.slice(0, -1).reduce((s, p, i) => s + (p[0] as number) * ((ring[i + 1] as number[])[1] as number) - ((ring[i + 1] as number[])[0] as number) * (p[1] as number), 0);
    expect(signed(holed[0] as number[][])).toBeGreaterThan(0);
    expect(signed(holed[1] as number[][])).toBeLessThan(0);
    expect(fc.features[0]?.properties.rules).toEqual(['FARMLAND', 'CULTIVATED']);
    if (gdalMissing) return;
    expect(ogrEpsg(file)).toBe(4326);
    const features = ogrFeatures(file);
    expect(features).toHaveLength(DEFAULT_EXPORT_KEYS.length);
    expect(features[0]?.properties.villageName).toBe('东湖社区');
    expect(features[1]?.properties.statusName).toBe('已确认');
    expect(features[0]?.properties.areaM2).toBe(area2(1));
  });
});

describe('KML', () => {
  it('has one folder per district, Chinese names and an HTML description; GDAL reads every placemark', async () => {
    const { file } = await exportToFile(db, { format: 'kml' }, dir);
    const text = await readFile(file, 'utf8');
    const errors: string[] = [];
    new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'text/xml');
    expect(errors).toEqual([]);
    expect(text).toContain('<Folder><name>东湖社区（440999101001）</name>');
    expect(text).toContain('<description><![CDATA[<h3>两违疑似图斑 1</h3><table');
    expect(text).toContain('JZ-&quot;7&quot;,西');
    if (gdalMissing) return;
    expect(ogrEpsg(file)).toBe(4326);
    const features = ogrFeatures(file);
    expect(features).toHaveLength(DEFAULT_EXPORT_KEYS.length);
    const first = features.find((f) => f.properties.id === '1' || f.properties.id === 1)?.properties ?? {};
    expect(String(first.Name ?? first.name)).toBe('JZ-0001 占用永久基本农田、占用耕地');
    expect(String(first.description)).toContain('<th align="left">村（社区）</th><td>东湖社区</td>');
    expect(Number(first.areaM2)).toBe(area2(1));
  });
});

describe('Shapefile', () => {
  it('zips .shp/.shx/.dbf/.prj/.cpg (UTF-8) in EPSG:4490; GDAL reads Chinese text and areas', async () => {
    const { file, fileName } = await exportToFile(db, { format: 'shp' }, dir);
    expect(fileName).toBe('两违图斑_全部_20261127.zip');
    if (gdalMissing) return;
    const src = `/vsizip/${file}/两违图斑_全部_20261127.shp`;
    expect(ogrEpsg(src)).toBe(4490);
    const features = ogrFeatures(src);
    expect(features.map((f) => f.properties.ID)).toEqual(idsOf(DEFAULT_EXPORT_KEYS));
    const first = features[0]?.properties ?? {};
    expect(first.CJMC).toBe('东湖社区');
    expect(first.RULE_NAMES).toBe('占用永久基本农田、占用耕地');
    expect(first.AREA_M2).toBe(area2(1));
    expect(first.JBNT_MU).toBeCloseTo(0.225, 4);
    expect(first.EPOCH).toBe('2025-06-30');
    for (const key of Object.keys(first)) expect(Buffer.byteLength(key)).toBeLessThanOrEqual(10);
  });

  it('writes GBK text (LDID 0x4D, .cpg GBK) in a CGCS2000 GK zone; GDAL decodes it and the planar area matches', async () => {
    const { file } = await exportToFile(db, { format: 'shp', srs: 'EPSG:4547', encoding: 'gbk' }, dir);
    const entries = await unzipFile(file);
    const base = '两违图斑_全部_20261127';
    expect(Object.keys(entries).sort()).toEqual([...['.cpg', '.dbf', '.prj', '.shp', '.shx'].map((e) => base + e), '字段说明.csv'].sort());
    expect(Buffer.from(entries[`${base}.cpg`] as Uint8Array).toString()).toBe('GBK');
    expect(Buffer.from(entries[`${base}.prj`] as Uint8Array).toString()).toContain('CGCS2000_3_Degree_GK_CM_114E');
    const dbf = Buffer.from(entries[`${base}.dbf`] as Uint8Array);
    expect(dbf[29]).toBe(0x4d);
    expect(dbf.includes(iconv.encode('东湖社区', 'gbk'))).toBe(true);
    expect(dbf.includes(Buffer.from('东湖社区', 'utf8'))).toBe(false);
    if (gdalMissing) return;
    const src = `/vsizip/${file}/${base}.shp`;
    expect(ogrEpsg(src)).toBe(4547);
    const features = ogrFeatures(src);
    expect(features).toHaveLength(DEFAULT_EXPORT_KEYS.length);
    expect(features[0]?.properties.CJMC).toBe('东湖社区');
    expect(features[0]?.properties.DISPOSAL).toBe('限期拆除、恢复原状（违反规划或占用永久基本农田，土地管理法第七十七条）');
    for (const f of features) {
      const easting = (f.geometry?.coordinates as unknown[]).flat(3)[0] as number;
      expect(easting).toBeGreaterThan(499_000); // CM 114E, false easting 500 km, no zone prefix
      expect(easting).toBeLessThan(504_000);
      // Near the central meridian GK planar area and ellipsoidal area agree to well under 0.1 %.
      expect(Math.abs(planarArea(f.geometry) / Number(f.properties.AREA_M2) - 1)).toBeLessThan(0.001);
    }
  });
});

describe('XLSX', () => {
  it('has the summary, community ledger and detail sheets with frozen headers and number formats', async () => {
    const { file } = await exportToFile(db, { format: 'xlsx' }, dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '村（社区）台账', '图斑明细']);
    const detail = wb.getWorksheet('图斑明细') as ExcelJS.Worksheet;
    expect(detail.actualRowCount).toBe(1 + DEFAULT_EXPORT_KEYS.length);
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (detail.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (zh: string) => header.indexOf(zh) + 1;
    expect(detail.getRow(2).getCell(col('村（社区）')).value).toBe('东湖社区');
    expect(detail.getRow(2).getCell(col('图斑面积（平方米）')).value).toBe(area2(1));
    expect(detail.getRow(2).getCell(col('图斑面积（亩）')).numFmt).toBe('0.00');
    expect(detail.getRow(2).getCell(col('行政区代码')).value).toBe('440999101001'); // text, not a number
    expect(detail.getColumn(col('处置建议')).width).toBe(40);

    const ledger = wb.getWorksheet('村（社区）台账') as ExcelJS.Worksheet;
    const lHeader = (ledger.getRow(1).values as unknown[]).slice(1) as string[];
    const lRows = Array.from({ length: ledger.actualRowCount - 1 }, (_, i) => ledger.getRow(i + 2));
    const cell = (row: ExcelJS.Row, zh: string) => row.getCell(lHeader.indexOf(zh) + 1).value;
    expect(lRows.map((r) => cell(r, '村（社区）'))).toEqual(['东湖社区', '西岭村', '南山镇（乡镇本级）', '南山村', '未落入行政区', null]);
    expect(cell(lRows.at(-1) as ExcelJS.Row, '序号')).toBe('合计');
    expect(cell(lRows.at(-1) as ExcelJS.Row, '图斑数')).toBe(DEFAULT_EXPORT_KEYS.length);
    expect(cell(lRows.at(-1) as ExcelJS.Row, '情节严重')).toBe(2);
    expect(cell(lRows[0] as ExcelJS.Row, '图斑数')).toBe(2);

    const summary = wb.getWorksheet('汇总') as ExcelJS.Worksheet;
    const sHeader = (summary.getRow(1).values as unknown[]).slice(1) as string[];
    const sCell = (r: number, zh: string) => summary.getRow(r).getCell(sHeader.indexOf(zh) + 1).value;
    expect([2, 3, 4].map((r) => sCell(r, '乡镇（街道）'))).toEqual(['东湖街道', '南山镇', '未落入行政区']);
    expect([2, 3, 4, 5].map((r) => sCell(r, '图斑数'))).toEqual([3, 2, 1, 6]);
    expect(sCell(5, '占用永久基本农田·图斑数')).toBe(2);
    expect(sCell(5, '占用永久基本农田·面积（亩）')).toBeCloseTo(8150 / (10000 / 15), 4);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    if (gdalMissing) return;
    // A second, independent reader: GDAL's XLSX driver. exceljs's streaming writer stores text as
    // t="str" cells, which GDAL 3.6's header auto-detection does not count as text: name the header row.
    const rows = ogrFeatures(file, { layer: '图斑明细', config: { OGR_XLSX_HEADERS: 'FORCE' } });
    expect(rows).toHaveLength(DEFAULT_EXPORT_KEYS.length);
    expect(rows[0]?.properties).toMatchObject({ 疑似图斑编号: 1, '村（社区）': '东湖社区', '图斑面积（平方米）': area2(1), 调查时点: '2025-06-30' });
  });
});

/** District codes of the rows of an export file, by an independent reader per format. */
async function districtCodes(format: string, file: string): Promise<string[]> {
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('图斑明细') as ExcelJS.Worksheet;
    return Array.from({ length: ws.actualRowCount - 1 }, (_, i) => String(ws.getRow(i + 2).getCell(3).value));
  }
  if (format === 'geojson') return (JSON.parse(await readFile(file, 'utf8')) as { features: Array<{ properties: { districtCode: string } }> }).features.map((f) => f.properties.districtCode);
  const src = format === 'shp' ? `/vsizip/${file}` : file;
  return ogrFeatures(src, { openOptions: format === 'csv' ? CSV_POINTS : [] }).map((f) => String(f.properties.XZQDM ?? f.properties['行政区代码'] ?? f.properties.districtCode));
}

describe('district scope', () => {
  it.each(['csv', 'geojson', 'kml', 'shp', 'xlsx'])('a %s export of one township holds only its rows', async (format) => {
    if (gdalMissing && format !== 'xlsx' && format !== 'geojson') return;
    for (const [district, expected] of [['440999101', 3], ['440999101000', 3], ['440999102', 2], ['440999101002', 1]] as const) {
      const { file, result } = await exportToFile(db, { format, district }, dir);
      const codes = await districtCodes(format, file);
      expect(result.rows).toBe(expected);
      expect(codes).toHaveLength(expected);
      const prefix = district.replace(/(000)+$/, '');
      for (const c of codes) expect(c.startsWith(prefix), `${format} ${district} holds ${c}`).toBe(true);
    }
  });

  it('refuses an unknown district with a 404 ExportError', async () => {
    await expect(exportToFile(db, { format: 'csv', district: '440999109' }, dir)).rejects.toMatchObject({ code: 'DISTRICT_NOT_FOUND', status: 404 });
    await expect(exportToFile(db, { format: 'csv', district: '4409991' }, dir)).rejects.toBeInstanceOf(ExportError);
  });

  it('applies rule, severity, status and active filters', async () => {
    const ids = async (q: Record<string, string>) => {
      const { file } = await exportToFile(db, { format: 'geojson', ...q }, dir);
      return (JSON.parse(await readFile(file, 'utf8')) as { features: Array<{ id: number }> }).features.map((f) => f.id);
    };
    expect(await ids({ rule: 'FARMLAND' })).toEqual(idsOf(['s1', 's6']));
    expect(await ids({ severity: 'serious' })).toEqual(idsOf(['s3', 's6']));
    expect(await ids({ status: 'dismissed' })).toEqual(idsOf(['s4']));
    expect(await ids({ active: 'false' })).toEqual(idsOf(['s5']));
    expect((await ids({ active: 'all' })).sort()).toEqual(idsOf(['s1', 's2', 's3', 's5', 's6', 's7', 's8']).sort());
    expect(await ids({ rule: 'EXPANSION' })).toEqual([]);
  });
});

describe('golden files', () => {
  it('CSV and GeoJSON of the scene match tests/fixtures/exports (UPDATE=1 rewrites)', async () => {
    await compareGolden('scene.csv', await readFile((await exportToFile(db, { format: 'csv' }, dir)).file, 'utf8'));
    await compareGolden('scene.geojson', await readFile((await exportToFile(db, { format: 'geojson' }, dir)).file, 'utf8'));
  });
});
