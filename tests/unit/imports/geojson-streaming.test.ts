/**
 * The GeoJSON reader over a streamed FeatureCollection: same layer whatever the chunking, `crs`
 * before or after the features, no whole-file size limit, structural errors refused at open, bad
 * elements as per-row problems, the field names of the quick first pass equal to a full parse.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openGeoJsonLayer } from '../../../api/src/imports/readers/geojson.reader.ts';
import type { ByteSource } from '../../../api/src/imports/readers/byte-source.ts';
import type { ReadOptions, SourceFeature, SourceLayer } from '../../../api/src/imports/readers/reader.types.ts';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { tempDir } from './fixture-writers.helper.ts';

/** A ByteSource handing `text` out in chunks of `size` bytes (0: one chunk). */
function chunked(name: string, text: string, size = 0): ByteSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    path: name,
    name,
    size: bytes.length,
    chunks: async function* () {
      const step = size || bytes.length || 1;
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step);
    },
  };
}

async function collect(layer: SourceLayer): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const f of layer.features()) out.push(f);
  return out;
}

async function read(text: string, size = 0, options: ReadOptions = {}) {
  const layer = await openGeoJsonLayer(chunked('建筑.geojson', text, size), options);
  return { layer, features: await collect(layer) };
}

const polygon = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 8.2, y], [x + 8.2, y + 6.4], [x, y], [x, y]]] });
const building = (i: number) => ({ type: 'Feature', properties: { JZBH: `JZ${i}`, CS: (i % 7) + 1, JZMC: `东湖村${i}号` }, geometry: polygon(489725.22 + i, 2511318.46) });
const crs4547 = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } };

describe('FeatureCollection, streamed', () => {
  const features = Array.from({ length: 25 }, (_, i) => building(i + 1));
  const before = JSON.stringify({ type: 'FeatureCollection', name: 'b', crs: crs4547, features }, null, 1);
  const after = JSON.stringify({ features, crs: crs4547, type: 'FeatureCollection' });

  it('the same layer for 1-byte, 7-byte and whole chunks; crs before or after the features', async () => {
    const reference = await read(before);
    expect(reference.layer.srs).toMatchObject({ epsg: 4547, how: 'prj' });
    expect(reference.layer.fields).toEqual(['JZBH', 'CS', 'JZMC']);
    expect(reference.features).toHaveLength(25);
    expect(reference.features[24]).toMatchObject({ rowNumber: 25, properties: { JZBH: 'JZ25', JZMC: '东湖村25号' }, geometry: polygon(489750.22, 2511318.46) });
    for (const text of [before, after]) {
      for (const size of [1, 7, 4096, 0]) {
        const { layer, features: got } = await read(text, size);
        expect(layer.srs).toEqual(reference.layer.srs);
        expect(layer.fields).toEqual(reference.layer.fields);
        expect(got).toEqual(reference.features);
      }
    }
  });

  it('no whole-file limit: only each feature (and the other members) must fit maxParseBytes', async () => {
    const limits = { maxParseBytes: 600 };
    expect(Buffer.byteLength(before)).toBeGreaterThan(15 * limits.maxParseBytes);
    expect((await read(before, 1000, { limits })).features).toHaveLength(25);
    const fat = JSON.stringify({ type: 'FeatureCollection', features: [building(1), { ...building(2), properties: { BZ: 'x'.repeat(500) } }] });
    await expect(read(fat, 64, { limits })).rejects.toMatchObject({ code: 'GEOJSON_TOO_LARGE' });
  });

  it('an empty collection is an empty layer', async () => {
    const { layer, features: got } = await read('{"type":"FeatureCollection","features":[]}', 1);
    expect(got).toEqual([]);
    expect(layer.fields).toEqual([]);
    expect(layer.srs).toMatchObject({ epsg: 4490, how: 'geojson-default' });
  });

  it('an element that is not valid JSON is a BAD_FEATURE row; the others are read', async () => {
    const text = `{"type":"FeatureCollection","crs":${JSON.stringify(crs4547)},"features":[${JSON.stringify(building(1))},{"type":"Feature","properties":{"JZBH":NaN},"geometry":null},42,${JSON.stringify(building(3))}]}`;
    for (const size of [1, 0]) {
      const { layer, features: got } = await read(text, size);
      expect(layer.fields).toEqual(['JZBH', 'CS', 'JZMC']);
      expect(got.map((f) => [f.rowNumber, f.problem?.code, f.properties.JZBH])).toEqual([
        [1, undefined, 'JZ1'],
        [2, 'BAD_FEATURE', undefined],
        [3, 'BAD_FEATURE', undefined],
        [4, undefined, 'JZ3'],
      ]);
      expect(got[1]?.problem?.message).toMatch(/Row 2 .*invalid JSON/);
    }
  });

  it('structural damage is refused when the file is opened, naming the feature', async () => {
    const good = JSON.stringify({ type: 'FeatureCollection', features: [building(1), building(2), building(3)] });
    const cases: [string, RegExp][] = [
      [good.slice(0, good.length - 40), /ends inside feature 3/],
      [good.replace('},{', '} x {'), /unexpected 'x' .* after feature 1/],
      [good.replace(']]]}}', ']]}}'), /unbalanced brackets/],
      [good.replace('"geometry":{', `"geometry":${'['.repeat(80)}{`), /nested deeper than 64 levels .*\(feature 1\)/],
      [`[${good}]`, /top level is not a JSON object/],
      ['{"type":"FeatureCollection","features":{}}', /FeatureCollection without a features array/],
      ['{"type":"FeatureCollection"}', /FeatureCollection without a features array/],
      ['{"type":"Topology","features":[]}', /type Topology is not GeoJSON/],
    ];
    for (const [text, reason] of cases) {
      for (const size of [7, 0]) await expect(read(text, size), text.slice(0, 60)).rejects.toMatchObject({ code: 'GEOJSON_INVALID', message: expect.stringMatching(reason) });
    }
  });

  it('the quick first pass (crs or --srs settles the SRS) finds the same field names as a full parse', async () => {
    const odd = [
      { type: 'Feature', id: 9, properties: { b: 1, 2: 'two', a: null }, geometry: null },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2], properties: { inGeometry: 1 } }, properties: { c: [1, { d: 2 }] } },
      { type: 'Point', coordinates: [3, 4] },
      { type: 'Feature', properties: null, id: 'x', geometry: null },
      { type: 'Feature', properties: ['arr'], geometry: null },
      { type: 'Feature', properties: { 'q"k': 1, 'back\\': 2, 名称: '{[' }, geometry: null },
      { properties: { notAFeature: 1 } },
      { type: 'Feature', properties: { id: 'own', e: 1 }, id: 5, geometry: null },
      { type: 'Feature', properties: { f: 1 }, properties2: { g: 1 }, geometry: null, type2: 'x' },
      // Brackets and quotes inside strings of a geometry and properties that follow it.
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]], note: 'a } ] " \\ [ {', n: [{ x: '}, "properties": {"evil": 1}, "x": {' }] }, properties: { h: '}]' }, id: 3 },
    ];
    const text = JSON.stringify({ type: 'FeatureCollection', features: odd }, null, 1).replace('"type": "Feature",\n  "id": 9', '"type" : "Feature" ,\n  "id":9');
    const full = await read(text, 5); // lon/lat, no crs: every feature parsed whole for the extent
    expect(full.layer.fields).toEqual(['2', 'id', 'b', 'a', 'c', 'q"k', 'back\\', '名称', 'e', 'f', 'h']);
    for (const size of [1, 5, 0]) {
      expect((await read(text, size, { srs: 4547 })).layer.fields).toEqual(full.layer.fields);
      const withCrs = text.replace('"type": "FeatureCollection",', `"type": "FeatureCollection", "crs": ${JSON.stringify(crs4547)},`);
      const quick = await read(withCrs, size);
      expect(quick.layer.srs).toMatchObject({ epsg: 4547, how: 'prj' });
      expect(quick.layer.fields).toEqual(full.layer.fields);
      expect(quick.features).toEqual(full.features);
    }
  });

  it('a projected crs early and a lon/lat crs later: the extent is still found (duplicate member, last wins)', async () => {
    const lonlat = [{ type: 'Feature', properties: { a: 1 }, geometry: { type: 'Point', coordinates: [114.05, 22.55] } }];
    const text = `{"type":"FeatureCollection","crs":${JSON.stringify(crs4547)},"features":${JSON.stringify(lonlat)},"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}}`;
    const { layer } = await read(text, 3);
    expect(layer.srs).toMatchObject({ epsg: 4490, how: 'geojson-default' });
    const gk = text.replace('114.05,22.55', '38500123.4,2500456.7');
    expect((await read(gk, 3)).layer.srs).toMatchObject({ epsg: 4526, how: 'inferred' });
  });

  it('newline-delimited GeoJSON saved as .json is still read line by line', async () => {
    const file = path.join(tempDir(), 'lines.json');
    writeFileSync(file, `${JSON.stringify(building(1))}\n${JSON.stringify(building(2))}\n{"type":"Feature",broken\n`);
    const [layer] = await openSource(file, { srs: 4547 });
    const got = await collect(layer!);
    expect(got.map((f) => f.problem?.code ?? f.properties.JZBH)).toEqual(['JZ1', 'JZ2', 'BAD_FEATURE']);
    // A collection followed by more text is not a sequence: refused.
    const fc = path.join(tempDir(), 'fc.json');
    writeFileSync(fc, `${JSON.stringify({ type: 'FeatureCollection', features: [building(1)] })}\n${JSON.stringify(building(2))}\n`);
    await expect(openSource(fc, { srs: 4547 })).rejects.toMatchObject({ code: 'GEOJSON_INVALID', message: expect.stringMatching(/after the end of the top-level object/) });
  });

  it('a single Feature or bare geometry is read from its members, each within maxParseBytes', async () => {
    const one = JSON.stringify({ geometry: { type: 'Point', coordinates: [114, 22] }, properties: { a: 1 }, id: 'x-1', type: 'Feature' });
    for (const size of [1, 0]) {
      const { layer, features: got } = await read(one, size);
      expect(layer.fields).toEqual(['id', 'a']);
      expect(got).toEqual([{ rowNumber: 1, properties: { id: 'x-1', a: 1 }, geometry: { type: 'Point', coordinates: [114, 22] } }]);
    }
    await expect(read(one, 0, { limits: { maxParseBytes: 60 } })).rejects.toMatchObject({ code: 'GEOJSON_TOO_LARGE' });
  });
});

describe('nesting depth (maxJsonDepth, LANDWATCH_IMPORT_MAX_JSON_DEPTH)', () => {
  const feature = { type: 'Feature', properties: { BSM: 'A1' }, geometry: { type: 'MultiPolygon', coordinates: [[[[114, 22], [114.001, 22], [114.001, 22.001], [114, 22]]]] } };
  const collection = JSON.stringify({ type: 'FeatureCollection', features: [feature] });

  it('a FeatureCollection deeper than the configured depth is refused when opened; the default takes it', async () => {
    // FeatureCollection (1) › features (2) › feature (3) › geometry (4) › coordinates … position (8).
    expect((await read(collection)).features).toHaveLength(1);
    const error = await read(collection, 7, { limits: { maxJsonDepth: 7 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GEOJSON_INVALID', message: expect.stringMatching(/deeper than 7/) });
    expect((await read(collection, 7, { limits: { maxJsonDepth: 8 } })).features).toHaveLength(1);
  });

  it('a newline-delimited line deeper than the limit is that row’s problem, found before JSON.parse', async () => {
    const hostile = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const dir = tempDir();
    const file = path.join(dir, 'deep.geojsonl');
    writeFileSync(file, `${JSON.stringify(feature)}\n{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":${hostile}}}\n`);
    const [layer] = await openSource(file);
    const features = await collect(layer as SourceLayer);
    expect(features).toHaveLength(2);
    expect(features[0]?.problem).toBeUndefined();
    expect(features[1]?.problem).toMatchObject({ code: 'BAD_FEATURE', message: expect.stringMatching(/deeper than 64/) });
    const [strict] = await openSource(file, { limits: { maxJsonDepth: 5 } }); // a MultiPolygon line nests 6 deep
    expect((await collect(strict as SourceLayer)).filter((f) => f.problem)).toHaveLength(2);
  });
});
