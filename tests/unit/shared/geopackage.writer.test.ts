import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoPackageWriter, GPKG_SRS_4490, gpkgSrsForCgcs2000Gk3 } from '../../../api/src/shared/geopackage/geopackage.writer.ts';
import { gdal, ogrinfo, readWithGdal } from './gdal-oracle.ts';

const dir = mkdtempSync(join(tmpdir(), 'lw-gpkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const E0 = 500_000;
const N0 = 2_535_000;
const square = (x: number, y: number, s: number): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const STAMP = new Date('2025-06-30T00:00:00Z');

function writeSample(path: string): void {
  const w = GeoPackageWriter.create({ path, overwrite: true, timestamp: STAMP });
  w.registerSrs(gpkgSrsForCgcs2000Gk3(4547));
  w.registerSrs(GPKG_SRS_4490);
  const dltb = w.createLayer({
    name: 'DLTB',
    geometryType: 'MULTIPOLYGON',
    srsId: 4547,
    fields: [
      { name: 'DLBM', type: 'TEXT', maxLength: 5 },
      { name: 'DLMC', type: 'TEXT' },
      { name: 'ZLDWMC', type: 'TEXT' },
      { name: 'TBMJ', type: 'REAL' },
      { name: 'SFJBNT', type: 'BOOLEAN' },
      { name: 'GXSJ', type: 'DATE' },
    ],
  });
  dltb.add({ type: 'Polygon', coordinates: [square(E0, N0, 100), square(E0 + 40, N0 + 40, 20)] }, { DLBM: '0101', DLMC: '水田', ZLDWMC: '南山区', TBMJ: 9600, SFJBNT: true, GXSJ: '2024-12-31' });
  dltb.add({ type: 'MultiPolygon', coordinates: [[square(E0 + 200, N0, 10)], [square(E0 + 300, N0, 10)]] }, { DLBM: '0702', DLMC: '农村宅基地', ZLDWMC: '永久基本农田', TBMJ: 200 });
  dltb.add(null, { DLBM: '1101' });
  const pts = w.createLayer({ name: 'villages', geometryType: 'POINT', srsId: 4490, fields: [{ name: '名称', type: 'TEXT' }, { name: 'code', type: 'INTEGER' }] });
  pts.add({ type: 'Point', coordinates: [114.05, 22.91] }, { 名称: '东湖村', code: 440999101201 });
  w.close();
}

describe('GeoPackageWriter', () => {
  it('writes the GeoPackage core tables, application id and R-tree', () => {
    const path = join(dir, 'core.gpkg');
    writeSample(path);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
      const srs = db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').pluck().all();
      expect(srs).toEqual([-1, 0, 4326, 4490, 4547]);
      const contents = db.prepare('SELECT table_name, min_x, max_y, last_change FROM gpkg_contents ORDER BY table_name').all();
      expect(contents).toEqual([
        { table_name: 'DLTB', min_x: E0, max_y: N0 + 100, last_change: '2025-06-30T00:00:00.000Z' },
        { table_name: 'villages', min_x: 114.05, max_y: 22.91, last_change: '2025-06-30T00:00:00.000Z' },
      ]);
      const blob = db.prepare('SELECT geom FROM DLTB WHERE fid = 1').pluck().get() as Buffer;
      expect(blob.subarray(0, 2).toString('latin1')).toBe('GP');
      expect(blob.readInt32LE(4)).toBe(4547);
      expect(db.prepare('SELECT count(*) FROM rtree_DLTB_geom').pluck().get()).toBe(2); // null geometry not indexed
    } finally {
      db.close();
    }
  });

  it('is reproducible byte for byte with a fixed timestamp', () => {
    writeSample(join(dir, 'r1.gpkg'));
    writeSample(join(dir, 'r2.gpkg'));
    expect(readFileSync(join(dir, 'r1.gpkg')).equals(readFileSync(join(dir, 'r2.gpkg')))).toBe(true);
  });

  it('rejects unregistered SRS, reserved names, wrong geometry types and existing files', () => {
    const path = join(dir, 'err.gpkg');
    const w = GeoPackageWriter.create({ path });
    expect(() => w.createLayer({ name: 'a', geometryType: 'POINT', srsId: 4547, fields: [] })).toThrow(/not registered/);
    expect(() => w.createLayer({ name: 'gpkg_x', geometryType: 'POINT', srsId: 4326, fields: [] })).toThrow(/reserved/);
    const l = w.createLayer({ name: 'p', geometryType: 'POLYGON', srsId: 4326, fields: [{ name: 'n', type: 'INTEGER' }] });
    expect(() => l.add({ type: 'Point', coordinates: [1, 2] })).toThrow(/cannot hold a Point/);
    expect(() => l.add({ type: 'Polygon', coordinates: [square(0, 0, 1)] }, { n: 1.5 })).toThrow(/unsupported value/);
    w.close();
    expect(() => GeoPackageWriter.create({ path })).toThrow(/exists/);
  });

  it.skipIf(!gdal.ok)('GDAL reads layers, UTF-8 text, hole, multipolygon, CRS and spatial index', () => {
    const path = join(dir, 'gdal.gpkg');
    writeSample(path);
    const info = ogrinfo('-so', '-al', path);
    expect(info).toMatch(/Layer name: DLTB[\s\S]*Geometry: Multi Polygon[\s\S]*Feature Count: 3/);
    expect(info).toContain('ID["EPSG",4547]');
    expect(info).toContain('ID["EPSG",4490]');
    const fc = readWithGdal(path, 'DLTB');
    expect(fc.features.map((f) => f.properties.ZLDWMC)).toEqual(['南山区', '永久基本农田', null]);
    const first = fc.features[0]?.geometry?.coordinates as number[][][][];
    expect(first[0]).toHaveLength(2); // outer ring + hole
    expect(first[0]?.[1]).toContainEqual([E0 + 40, N0 + 40]);
    expect(fc.features[1]?.geometry?.coordinates).toHaveLength(2);
    expect(fc.features[0]?.properties).toMatchObject({ DLBM: '0101', TBMJ: 9600, SFJBNT: true, GXSJ: '2024-12-31' });
    const v = readWithGdal(path, 'villages');
    expect(v.features[0]?.properties).toEqual({ 名称: '东湖村', code: 440999101201 });
    expect(v.features[0]?.geometry?.coordinates).toEqual([114.05, 22.91]);
    expect(ogrinfo(path, '-sql', "SELECT HasSpatialIndex('DLTB', 'geom')")).toMatch(/HasSpatialIndex \(Integer\) = 1/);
    // A bbox query through the index finds only the hole-polygon.
    expect(ogrinfo('-so', path, 'DLTB', '-spat', String(E0 + 1), String(N0 + 1), String(E0 + 2), String(N0 + 2))).toMatch(/Feature Count: 1/);
  });

  it('commits in batches: 25,000 rows', () => {
    const path = join(dir, 'many.gpkg');
    const w = GeoPackageWriter.create({ path, timestamp: STAMP });
    const l = w.createLayer({ name: 'pts', geometryType: 'POINT', srsId: 4326, fields: [{ name: 'i', type: 'INTEGER' }] });
    for (let i = 0; i < 25_000; i++) l.add({ type: 'Point', coordinates: [114 + i * 1e-6, 22.9] }, { i });
    w.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM pts').pluck().get()).toBe(25_000);
    expect(db.prepare('SELECT count(*) FROM rtree_pts_geom').pluck().get()).toBe(25_000);
    db.close();
  });
});
