/**
 * GeoJSON and GeoJSON sequences: GDAL as oracle on GDAL's test files and on sequences written here;
 * CRS rules (RFC 7946 default, legacy `crs` member, GK exports without `crs`), limits, bad records.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { collect, compareWithGdal, ogrFeatures } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';
import { tempDir } from './fixture-writers.helper.ts';

const gj = (...p: string[]) => corpus('vector', 'gdal', 'ogr-data-geojson', ...p);

describe('GDAL test GeoJSON files against ogr2ogr', () => {
  const env = needs({ corpus: ['vector/gdal'], tools: ['ogr2ogr'] });
  const files = [
    'point.geojson', 'linestring.geojson', 'polygon.geojson', 'multipoint.geojson', 'multilinestring.geojson',
    'multipolygon.geojson', 'geometrycollection.geojson', 'featurecollection_point.json', 'featurecollection_pointz.json',
    'pointz.json', 'point_with_utf8bom.json', 'nullvalues.geojson', 'sparse_fields.geojson', 'srs_name.geojson',
    'featuretype.json', 'ids_0_1_null_1_null.json', 'ids_0_1_null_unset.json', 'grenada.geojson',
  ];
  for (const file of files) {
    it.skipIf(env.skip)(`${file}: same features as ogr2ogr`, async () => {
      env.check();
      const [layer] = await openSource(gj(file));
      // GDAL turns a feature's "id" member into its FID; we keep it as an attribute when there is none.
      expect(compareWithGdal(await collect(layer!), await ogrFeatures(gj(file)), { ignore: ['id'] })).toEqual([]);
    });
  }

  it.skipIf(env.skip)('the `crs` member and the default', async () => {
    env.check();
    const [named] = await openSource(gj('srs_name.geojson'));
    // Top-level `crs` names EPSG:26915 (its member geometries carry other, ignored `crs` members).
    expect(named?.srs).toMatchObject({ epsg: 26915, how: 'prj' });
    const [plain] = await openSource(gj('point.geojson'));
    expect(plain?.srs).toMatchObject({ epsg: 4490, how: 'geojson-default' });
    const [topo] = await openSource(gj('feature_with_type_Topology_property.json'));
    expect(topo?.srs).toMatchObject({ epsg: 27700, how: 'prj' });
  });

  it.skipIf(env.skip)('invalid JSON (trailing comma) and malformed geometries: error or per-row problems, no crash', async () => {
    env.check();
    await expect(openSource(gj('stac_item.json'))).rejects.toMatchObject({ code: 'GEOJSON_INVALID', file: gj('stac_item.json') });
    const [layer] = await openSource(gj('ogr_geojson_14.geojson'));
    const features = await collect(layer!);
    expect(features).toHaveLength(27);
    const problems = features.filter((f) => f.problem);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((f) => f.geometry === null && f.problem?.code === 'BAD_GEOMETRY')).toBe(true);
  });
});

const feature = (props: Record<string, unknown>, geometry: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Feature', ...extra, properties: props, geometry });

describe('GeoJSON sequences', () => {
  const lines = [
    JSON.stringify(feature({ 名称: '南山区', code: '440305' }, { type: 'Point', coordinates: [113.93, 22.53, 12.5] })),
    '',
    JSON.stringify(feature({ 名称: '福田区', area: 78.66 }, { type: 'Polygon', coordinates: [[[114.0, 22.5], [114.1, 22.5], [114.1, 22.6], [114.0, 22.5]]] })),
    JSON.stringify(feature({ 名称: '无几何' }, null)),
  ];

  it('streams .geojsonl line by line; RS-separated .geojsons too; bad lines become problems', async () => {
    const dir = tempDir();
    const nd = path.join(dir, '区划.geojsonl');
    writeFileSync(nd, `${lines.join('\n')}\n{"type":"Feature",broken\n`);
    const [layer] = await openSource(nd);
    expect(layer?.srs).toMatchObject({ epsg: 4490, how: 'geojson-default' });
    expect(layer?.fields).toEqual(['名称', 'code', 'area']);
    const features = await collect(layer!);
    expect(features.map((f) => f.rowNumber)).toEqual([1, 2, 3, 4]);
    expect(features[0]?.geometry).toEqual({ type: 'Point', coordinates: [113.93, 22.53] });
    expect(features[3]?.problem?.code).toBe('BAD_FEATURE');
    expect(layer?.notes.find((n) => n.code === 'Z_DROPPED')?.count).toBe(1);
    const rs = path.join(dir, 'seq.geojsons');
    writeFileSync(rs, lines.filter(Boolean).map((l) => `\x1e${l}\n`).join(''));
    const [seq] = await openSource(rs);
    expect((await collect(seq!)).map((f) => f.properties)).toEqual(features.slice(0, 3).map((f) => f.properties));
  });

  const gdal = needs({ tools: ['ogr2ogr'] });
  it.skipIf(gdal.skip)('a sequence reads like GDAL (GeoJSONSeq driver)', async () => {
    gdal.check();
    const file = path.join(tempDir(), 'a.geojsonl');
    writeFileSync(file, `${lines.filter(Boolean).join('\n')}\n`);
    const [layer] = await openSource(file);
    expect(compareWithGdal(await collect(layer!), await ogrFeatures(file))).toEqual([]);
  });

  it('GK coordinates without `crs` are inferred (8-digit) or refused (6-digit); the crs member is honoured', async () => {
    const dir = tempDir();
    const gk8 = path.join(dir, 'gk8.geojson');
    writeFileSync(gk8, JSON.stringify({ type: 'FeatureCollection', features: [feature({}, { type: 'Point', coordinates: [38500123.4, 2500456.7] })] }));
    const [inferred] = await openSource(gk8);
    expect(inferred?.srs).toMatchObject({ epsg: 4526, how: 'inferred' });
    const gk6 = path.join(dir, 'gk6.geojson');
    writeFileSync(gk6, JSON.stringify({ type: 'FeatureCollection', features: [feature({}, { type: 'Point', coordinates: [500123.4, 2500456.7] })] }));
    await expect(openSource(gk6)).rejects.toMatchObject({ code: 'SRS_REQUIRED' });
    const named = path.join(dir, 'named.geojson');
    writeFileSync(named, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } }, features: [feature({}, { type: 'Point', coordinates: [500123.4, 2500456.7] })] }));
    const [withCrs] = await openSource(named);
    expect(withCrs?.srs).toMatchObject({ epsg: 4547, how: 'prj' });
    const [option] = await openSource(gk6, { srs: 4547 });
    expect(option?.srs).toEqual({ epsg: 4547, how: 'option' });
  });

  it('single Feature and bare geometry; over the parse limit → GEOJSON_TOO_LARGE', async () => {
    const dir = tempDir();
    const single = path.join(dir, 'one.json');
    writeFileSync(single, JSON.stringify(feature({ a: 1 }, { type: 'Point', coordinates: [114, 22] }, { id: 'x-1' })));
    const [one] = await openSource(single);
    expect((await collect(one!)).map((f) => f.properties)).toEqual([{ id: 'x-1', a: 1 }]);
    const bare = path.join(dir, 'bare.geojson');
    writeFileSync(bare, JSON.stringify({ type: 'LineString', coordinates: [[114, 22], [114.1, 22.1]] }));
    const [b] = await openSource(bare);
    expect((await collect(b!))[0]?.geometry?.type).toBe('LineString');
    await expect(openSource(bare, { limits: { maxParseBytes: 10 } })).rejects.toMatchObject({ code: 'GEOJSON_TOO_LARGE', message: expect.stringMatching(/too large/) });
    const notGeo = path.join(dir, 'x.json');
    writeFileSync(notGeo, '{"hello": "world"}');
    await expect(openSource(notGeo)).rejects.toMatchObject({ code: 'GEOJSON_INVALID' });
  });
});
