/**
 * KML/KMZ reader: GDAL (KML driver) as oracle on GDAL's test KML files and a Chinese KML written
 * here; KMZ equals its KML; ExtendedData (Data, SchemaData/SimpleData) become attributes.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { collect, compareWithGdal, ogrAllFeatures } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';
import { buildZip, tempDir } from './fixture-writers.helper.ts';

const kml = (...p: string[]) => corpus('vector', 'gdal', 'ogr-data-kml', ...p);
// GDAL's KML driver calls the name field "Name" (description stays "description").
const RENAME = { name: 'Name' };

const CHINESE_KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document><name>卫片图斑</name>
  <Schema name="tb" id="tb"><SimpleField name="JCBH" type="string"/><SimpleField name="MJ" type="double"/></Schema>
  <Folder><name>南山区</name>
    <Placemark><name>图斑1</name><description><![CDATA[<table><tr><td>疑似违建</td></tr></table>]]></description>
      <ExtendedData><SchemaData schemaUrl="#tb"><SimpleData name="JCBH">440305001</SimpleData><SimpleData name="MJ">1234.5</SimpleData></SchemaData></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>113.93,22.53,0 113.94,22.53,0 113.94,22.54,0 113.93,22.53,0</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
    <Placemark><name>图斑2</name>
      <ExtendedData><Data name="核查结果"><value>合法</value></Data></ExtendedData>
      <MultiGeometry>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>114.0,22.5 114.01,22.5 114.01,22.51 114.0,22.5</coordinates></LinearRing></outerBoundaryIs></Polygon>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>114.1,22.5 114.11,22.5 114.11,22.51 114.1,22.5</coordinates></LinearRing></outerBoundaryIs></Polygon>
      </MultiGeometry>
    </Placemark>
    <Placemark><name>界桩</name><Point><coordinates>113.95,22.55</coordinates></Point></Placemark>
  </Folder>
</Document></kml>`;

describe('GDAL test KML files against ogr2ogr', () => {
  const env = needs({ corpus: ['vector/gdal'], tools: ['ogr2ogr', 'ogrinfo'] });
  const files = [
    'placemark.kml', 'ID_simple_field.kml', 'extended_data_without_schema_data.kml', 'several_schema_in_layer.kml',
    'several_schema_outside_layer.kml', 'point_with_external_style.kml', 'gxtrack.kml', 'gxtimestamp.kml',
    'tab_separated_coord_triplet.kml', 'placemark_in_root_and_subfolder.kml', 'emptylayers_without_folder.kml',
    'weird_empty_folders.kml', 'kml_with_space_content_in_coordinates.kml', 'empty.kml',
  ];
  for (const file of files) {
    it.skipIf(env.skip)(`${file}: same placemarks as ogr2ogr`, async () => {
      env.check();
      const [layer] = await openSource(kml(file));
      expect(layer?.srs).toMatchObject({ epsg: 4490, how: 'kml-default' });
      expect(compareWithGdal(await collect(layer!), await ogrAllFeatures(kml(file)), { rename: RENAME })).toEqual([]);
    });
  }

  it.skipIf(env.skip)('truncated and junk-trailed documents: no crash', async () => {
    env.check();
    for (const file of ['truncated.kml', 'junk_content_after_valid_doc.kml']) {
      try {
        for (const layer of await openSource(kml(file))) await collect(layer);
      } catch (error) {
        expect(error, file).toMatchObject({ code: 'KML_INVALID' });
      }
    }
  });
});

describe('Chinese KML and KMZ', () => {
  it('names, descriptions and ExtendedData as attributes; MultiGeometry of polygons → MultiPolygon; Z dropped', async () => {
    const file = path.join(tempDir(), '图斑.kml');
    writeFileSync(file, CHINESE_KML);
    const [layer] = await openSource(file);
    expect(layer?.fields).toEqual(['name', 'description', 'JCBH', 'MJ', '核查结果']);
    const features = await collect(layer!);
    expect(features.map((f) => f.properties)).toEqual([
      { name: '图斑1', description: '<table><tr><td>疑似违建</td></tr></table>', JCBH: '440305001', MJ: 1234.5 },
      { name: '图斑2', 核查结果: '合法' },
      { name: '界桩' },
    ]);
    expect(features.map((f) => f.geometry?.type)).toEqual(['Polygon', 'MultiPolygon', 'Point']);
    expect(layer?.notes.find((n) => n.code === 'Z_DROPPED')?.count).toBe(1);
  });

  const gdal = needs({ tools: ['ogr2ogr', 'ogrinfo'] });
  it.skipIf(gdal.skip)('the Chinese KML reads like ogr2ogr', async () => {
    gdal.check();
    const file = path.join(tempDir(), 'cn.kml');
    writeFileSync(file, CHINESE_KML);
    const [layer] = await openSource(file);
    // GDAL's KML driver leaves untyped <Data> out when the document declares a <Schema>; we keep it.
    const diffs = compareWithGdal(await collect(layer!), await ogrAllFeatures(file), { rename: RENAME, ignore: ['核查结果'] });
    expect(diffs).toEqual([]);
  });

  it('a KMZ reads like its doc.kml; a GBK-declared KML is decoded; a KMZ without KML is refused', async () => {
    const dir = tempDir();
    const plain = path.join(dir, 'a.kml');
    writeFileSync(plain, CHINESE_KML);
    const kmz = path.join(dir, 'a.kmz');
    writeFileSync(kmz, buildZip([{ name: 'doc.kml', data: Buffer.from(CHINESE_KML), deflate: true }, { name: 'files/icon.png', data: Buffer.from('png') }]));
    const [fromKml] = await openSource(plain);
    const [fromKmz] = await openSource(kmz);
    expect(fromKmz?.file).toBe(`${kmz}!/doc.kml`);
    expect(await collect(fromKmz!)).toEqual(await collect(fromKml!));
    const gbk = path.join(dir, 'gbk.kml');
    writeFileSync(gbk, iconv.encode(CHINESE_KML.replace('encoding="UTF-8"', 'encoding="GBK"'), 'gbk'));
    const [g] = await openSource(gbk);
    expect(g?.encoding).toEqual({ name: 'GBK', how: 'default' });
    expect((await collect(g!))[0]?.properties.name).toBe('图斑1');
    const empty = path.join(dir, 'empty.kmz');
    writeFileSync(empty, buildZip([{ name: 'readme.txt', data: Buffer.from('x') }]));
    await expect(openSource(empty)).rejects.toMatchObject({ code: 'KMZ_NO_KML' });
    const notXml = path.join(dir, 'bad.kml');
    writeFileSync(notXml, 'this is not xml');
    await expect(openSource(notXml)).rejects.toMatchObject({ code: 'KML_INVALID' });
  });
});
