/**
 * GeoPackage reader against GDAL on GDAL's test GeoPackages, and on a synthetic GeoPackage written
 * here byte by byte (GK zone 38 defined only by Esri WKT, Chinese attributes, Z, empty and NaN geometries).
 */
import path from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import wkx from 'wkx';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { decodeGpkgGeometry } from '../../../api/src/imports/readers/geopackage.reader.ts';
import { collect, compareWithGdal, ogrFeatures } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';
import { PRJ_CGCS2000_GK38, buildZip, tempDir } from './fixture-writers.helper.ts';

const gpkgDir = (...p: string[]) => corpus('vector', 'gdal', 'ogr-data-gpkg', ...p);

describe('GDAL test GeoPackages against ogr2ogr', () => {
  const env = needs({ corpus: ['vector/gdal'], tools: ['ogr2ogr'] });
  // --srs only where the GeoPackage uses a CRS outside LandWatch's (OSGB, a LOCAL_CS).
  const files: [string, number | undefined][] = [
    ['poly_golden.gpkg', undefined], ['poly_golden_gpkg_1_4.gpkg', undefined], ['2d_envelope.gpkg', undefined],
    ['3d_envelope.gpkg', undefined], ['no_envelope.gpkg', undefined], ['first_geometry_null.gpkg', undefined],
    ['huge_feature_count.gpkg', undefined], ['domains.gpkg', undefined], ['poly_non_conformant.gpkg', 27700],
    ['test_ogr_gpkg_write_reproducible_rtree.gpkg', 3857], ['relation_mapping_table.gpkg', 3857],
  ];
  for (const [file, srs] of files) {
    it.skipIf(env.skip)(`${file}: every layer equals ogr2ogr (fid column aside)`, async () => {
      env.check();
      const layers = await openSource(gpkgDir(file), srs ? { srs } : {});
      expect(layers.length).toBeGreaterThan(0);
      for (const layer of layers) {
        const theirs = await ogrFeatures(gpkgDir(file), { layer: layer.layer });
        // GDAL turns the integer primary key into the feature id; we keep it as an attribute.
        expect(compareWithGdal(await collect(layer), theirs, { ignore: ['fid'] }), layer.layer).toEqual([]);
      }
    });
  }

  it.skipIf(env.skip)('SRS from gpkg_spatial_ref_sys; foreign CRSs refused without --srs; layer option', async () => {
    env.check();
    const [poly] = await openSource(gpkgDir('poly_golden.gpkg'));
    expect(poly?.srs).toMatchObject({ epsg: 27700, how: 'gpkg' });
    await expect(openSource(gpkgDir('poly_non_conformant.gpkg'))).rejects.toMatchObject({ code: 'SRS_UNRECOGNIZED' });
    const only = await openSource(gpkgDir('huge_feature_count.gpkg'), { layer: 'test2' });
    expect(only.map((l) => l.layer)).toEqual(['test2']);
    await expect(openSource(gpkgDir('huge_feature_count.gpkg'), { layer: 'nope' })).rejects.toMatchObject({ code: 'LAYER_NOT_FOUND', message: expect.stringMatching(/test2/) });
  });

  it.skipIf(env.skip)('a GeoPackage inside a zip (poly.gpkg.zip) reads the same as GDAL /vsizip/', async () => {
    env.check();
    const zip = gpkgDir('poly.gpkg.zip');
    const layers = await openSource(zip);
    expect(layers).toHaveLength(1);
    expect(layers[0]?.file).toMatch(/poly\.gpkg\.zip!\/.*\.gpkg$/);
    const theirs = await ogrFeatures(`/vsizip/${zip}`, { layer: layers[0]?.layer });
    expect(compareWithGdal(await collect(layers[0]!), theirs, { ignore: ['fid'] })).toEqual([]);
  });
});

/** GeoPackage geometry blob: 'GP', version 0, flags (little endian, xy envelope), srs id, envelope, WKB. */
function gpBlob(wkb: Buffer, srsId: number, empty = false): Buffer {
  const head = Buffer.alloc(8);
  head.write('GP', 0, 'latin1');
  head[2] = 0;
  head[3] = (empty ? 0x10 : 0) | 0x01 | (empty ? 0 : 0x02);
  head.writeInt32LE(srsId, 4);
  const env = Buffer.alloc(empty ? 0 : 32);
  return Buffer.concat([head, env, wkb]);
}

function writeGpkg(file: string): void {
  const db = new Database(file);
  db.pragma('application_id = 1196444487');
  db.pragma('user_version = 10200');
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
    CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
    CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
    CREATE TABLE "违法图斑" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POLYGON, "JCBH" TEXT, "名称" TEXT, "MJ" REAL, "SFYN" BOOLEAN);
  `);
  const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)');
  srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', '');
  srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', '');
  srs.run('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', '');
  srs.run('CGCS2000 GK 38 (Esri)', 100001, 'NONE', 100001, PRJ_CGCS2000_GK38, ''); // no EPSG code: mapped from the WKT
  db.prepare("INSERT INTO gpkg_contents VALUES ('违法图斑','features','违法图斑','',NULL,38500000,2500000,38501000,2501000,100001)").run();
  db.prepare("INSERT INTO gpkg_geometry_columns VALUES ('违法图斑','geom','POLYGON',100001,1,0)").run();
  const ins = db.prepare('INSERT INTO "违法图斑" (geom, JCBH, "名称", MJ, SFYN) VALUES (?,?,?,?,?)');
  const polyZ = wkx.Geometry.parse('POLYGON Z ((38500000 2500000 5, 38500000 2500100 5, 38500100 2500100 5, 38500000 2500000 5))').toWkb();
  const multi = wkx.Geometry.parse('MULTIPOLYGON (((38500200 2500000, 38500200 2500050, 38500250 2500050, 38500200 2500000)), ((38500300 2500000, 38500300 2500050, 38500350 2500050, 38500300 2500000)))').toWkb();
  ins.run(gpBlob(polyZ, 100001), '440305202403001', '南山区粤海街道', 5000.5, 1);
  ins.run(gpBlob(multi, 100001), '440305202403002', '福田区', 125.25, 0);
  ins.run(null, '440305202403003', '无几何', null, null);
  db.close();
}

describe('synthetic GeoPackage', () => {
  it('maps an Esri WKT srs to EPSG:4526, keeps Chinese names, drops Z with a count', async () => {
    const dir = tempDir();
    const file = path.join(dir, '图斑.gpkg');
    writeGpkg(file);
    const [layer] = await openSource(file);
    expect(layer?.layer).toBe('违法图斑');
    expect(layer?.srs).toMatchObject({ epsg: 4526, how: 'gpkg' });
    expect(layer?.fields).toEqual(['fid', 'JCBH', '名称', 'MJ', 'SFYN']);
    const features = await collect(layer!);
    expect(features.map((f) => f.properties)).toEqual([
      { fid: 1, JCBH: '440305202403001', 名称: '南山区粤海街道', MJ: 5000.5, SFYN: true },
      { fid: 2, JCBH: '440305202403002', 名称: '福田区', MJ: 125.25, SFYN: false },
      { fid: 3, JCBH: '440305202403003', 名称: '无几何', MJ: null, SFYN: null },
    ]);
    expect(features[0]?.geometry).toEqual({ type: 'Polygon', coordinates: [[[38500000, 2500000], [38500000, 2500100], [38500100, 2500100], [38500000, 2500000]]] });
    expect(features[1]?.geometry?.type).toBe('MultiPolygon');
    expect(features[2]?.geometry).toBeNull();
    expect(layer?.notes.find((n) => n.code === 'Z_DROPPED')?.count).toBe(1);
    // Zipped, it is read from memory and gives the same.
    const zip = path.join(dir, 'bundle.zip');
    writeFileSync(zip, buildZip([{ name: '成果/图斑.gpkg', data: readFileSync(file), deflate: true }]));
    const [zipped] = await openSource(zip);
    expect(await collect(zipped!)).toEqual(features);
  });

  const gdal = needs({ tools: ['ogr2ogr'] });
  it.skipIf(gdal.skip)('reads like ogr2ogr', async () => {
    gdal.check();
    const file = path.join(tempDir(), 'a.gpkg');
    writeGpkg(file);
    const [layer] = await openSource(file);
    // GDAL reports BOOLEAN columns as true/false, the primary key as feature id.
    expect(compareWithGdal(await collect(layer!), await ogrFeatures(file), { ignore: ['fid'] })).toEqual([]);
  });

  it('geometry blobs: empty flag, NaN coordinates, curves and garbage are per-row outcomes', () => {
    const point = (x: number, y: number) => new wkx.Point(x, y).toWkb();
    expect(decodeGpkgGeometry(gpBlob(point(1, 2), 4326))).toEqual({ geometry: { type: 'Point', coordinates: [1, 2] }, hadZ: false });
    expect(decodeGpkgGeometry(gpBlob(Buffer.alloc(0), 4326, true)).geometry).toBeNull();
    expect(decodeGpkgGeometry(gpBlob(point(Number.NaN, Number.NaN), 4326))).toEqual({ geometry: null, hadZ: false }); // POINT EMPTY
    expect(decodeGpkgGeometry(gpBlob(point(1, Number.POSITIVE_INFINITY), 4326)).problem?.code).toBe('NAN_COORDINATE');
    const circular = Buffer.alloc(9 + 16 * 3);
    circular[0] = 1;
    circular.writeUInt32LE(8, 1); // CircularString
    circular.writeUInt32LE(3, 5);
    expect(decodeGpkgGeometry(gpBlob(circular, 4326)).problem?.code).toBe('UNSUPPORTED_SHAPE');
    expect(decodeGpkgGeometry(gpBlob(Buffer.from('garbage'), 4326)).problem?.code).toBe('BAD_GEOMETRY');
    expect(decodeGpkgGeometry('text').problem?.code).toBe('BAD_GEOMETRY');
  });

  it('a SQLite file that is no GeoPackage is refused', async () => {
    const file = path.join(tempDir(), 'plain.gpkg');
    const db = new Database(file);
    db.exec('CREATE TABLE t (a)');
    db.close();
    await expect(openSource(file)).rejects.toMatchObject({ code: 'GPKG_INVALID' });
    const junk = path.join(tempDir(), 'junk.gpkg');
    writeFileSync(junk, 'not sqlite at all');
    await expect(openSource(junk)).rejects.toMatchObject({ code: 'GPKG_INVALID' });
  });
});
