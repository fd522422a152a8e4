/**
 * CSV reader: WKT or lon/lat columns, UTF-8 with/without BOM and GBK, quoted fields with commas and
 * line breaks, per-row problems. GDAL (CSV driver) is the oracle for UTF-8 files; a GBK file must
 * read exactly like its UTF-8 twin (GDAL 3.6's CSV driver has no encoding option).
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { collect, compareWithGdal, ogrFeatures } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';
import { tempDir } from './fixture-writers.helper.ts';

const LONLAT_CSV = [
  'JCBH,名称,经度,纬度,备注',
  '440305001,南山区,113.9345678901,22.5312345678,"含逗号,和""引号"""',
  '440305002,福田区,114.0501234567,22.5412345678,"跨行',
  '说明"',
  '440305003,罗湖区,114.1312345678,22.5501234567,',
].join('\n');

const WKT_CSV = [
  'id,name,WKT',
  '1,南山,"POLYGON ((38500000 2500000,38500000 2500100,38500100 2500100,38500000 2500000))"',
  '2,福田,"POINT Z (38500200.5 2500300.25 18.2)"',
  '3,空,',
  '4,坏,"POLYGON ((1 2, 3"',
].join('\n');

describe('CSV against GDAL', () => {
  const gdal = needs({ tools: ['ogr2ogr'] });

  it.skipIf(gdal.skip)('lon/lat columns (经度/纬度), quotes, commas and line breaks in fields', async () => {
    gdal.check();
    const file = path.join(tempDir(), '图斑.csv');
    writeFileSync(file, LONLAT_CSV);
    const [layer] = await openSource(file);
    expect(layer?.fields).toEqual(['JCBH', '名称', '备注']);
    expect(layer?.srs).toMatchObject({ epsg: 4490, how: 'inferred' });
    const theirs = await ogrFeatures(file, { openOptions: ['X_POSSIBLE_NAMES=经度', 'Y_POSSIBLE_NAMES=纬度', 'KEEP_GEOM_COLUMNS=NO'] });
    const ours = await collect(layer!);
    expect(ours).toHaveLength(3);
    expect(ours[0]?.properties.备注).toBe('含逗号,和"引号"');
    expect(ours[1]?.properties.备注).toBe('跨行\n说明');
    expect(compareWithGdal(ours, theirs)).toEqual([]);
  });

  it.skipIf(gdal.skip)('WKT column in GK coordinates: inferred zone, Z dropped, bad WKT reported on its row', async () => {
    gdal.check();
    const file = path.join(tempDir(), 'wkt.csv');
    writeFileSync(file, WKT_CSV);
    const [layer] = await openSource(file);
    expect(layer?.srs).toMatchObject({ epsg: 4526, how: 'inferred' });
    const ours = await collect(layer!);
    expect(ours.map((f) => f.problem?.code ?? null)).toEqual([null, null, null, 'BAD_WKT']);
    expect(ours[3]?.problem?.message).toMatch(/Row 4/);
    expect(layer?.notes.find((n) => n.code === 'Z_DROPPED')?.count).toBe(1);
    const theirs = await ogrFeatures(file, { openOptions: ['GEOM_POSSIBLE_NAMES=WKT', 'KEEP_GEOM_COLUMNS=NO'] });
    expect(compareWithGdal(ours, theirs)).toEqual([]);
  });

  const corpusEnv = needs({ corpus: ['vector/gdal'], tools: ['ogr2ogr'] });
  it.skipIf(corpusEnv.skip)('GDAL test CSV with a UTF-8 BOM and a WKT column (bad WKT on every row)', async () => {
    corpusEnv.check();
    const file = corpus('vector', 'gdal', 'ogr-data-csv', 'csv_with_utf8_bom.csv');
    const [layer] = await openSource(file, { srs: 4326 });
    expect(layer?.fields).toEqual(['id', 'name']);
    const ours = await collect(layer!);
    expect(ours.map((f) => f.problem?.code)).toEqual(['BAD_WKT', 'BAD_WKT']);
    // GDAL also lists the WKT column as an attribute; only our attributes are compared.
    expect(compareWithGdal(ours, await ogrFeatures(file))).toEqual([]);
  });

  it.skipIf(corpusEnv.skip)('a one-column WKT file (which GDAL 3.6 cannot open)', async () => {
    corpusEnv.check();
    const [layer] = await openSource(corpus('vector', 'gdal', 'ogr-data-csv', 'single_column.csv'));
    expect(layer?.fields).toEqual([]);
    expect((await collect(layer!)).map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [1, 2] }]);
  });

  it.skipIf(corpusEnv.skip)('GDAL test CSVs without geometry columns are refused with the field list', async () => {
    corpusEnv.check();
    await expect(openSource(corpus('vector', 'gdal', 'ogr-data-csv', 'only_strings.csv'))).rejects.toMatchObject({
      code: 'CSV_NO_GEOMETRY',
      message: expect.stringMatching(/foo, bar, baz/),
    });
  });
});

describe('CSV encodings and options', () => {
  it('GBK reads exactly like its UTF-8 twin, and says it detected GBK', async () => {
    const dir = tempDir();
    const utf8 = path.join(dir, 'u.csv');
    const bom = path.join(dir, 'bom.csv');
    const gbk = path.join(dir, 'g.csv');
    writeFileSync(utf8, LONLAT_CSV);
    writeFileSync(bom, `\uFEFF${LONLAT_CSV}`);
    writeFileSync(gbk, iconv.encode(LONLAT_CSV, 'gbk'));
    const [u] = await openSource(utf8);
    const [b] = await openSource(bom);
    const [g] = await openSource(gbk);
    expect(u?.encoding).toEqual({ name: 'UTF-8', how: 'detected' });
    expect(b?.fields).toEqual(u?.fields);
    expect(g?.encoding).toEqual({ name: 'GBK', how: 'detected' });
    const expected = await collect(u!);
    expect(await collect(b!)).toEqual(expected);
    expect(await collect(g!)).toEqual(expected);
  });

  it('Windows line ends, and quotes inside an unquoted field kept as written', async () => {
    const file = path.join(tempDir(), 'crlf.csv');
    writeFileSync(file, ['id,name,lon,lat', '1,南山区"粤海",113.9,22.5', '2,"跨行', '说明",114,22.6'].join('\r\n'));
    const features = await collect((await openSource(file))[0]!);
    expect(features.map((f) => f.properties.name)).toEqual(['南山区"粤海"', '跨行\r\n说明']);
    expect(features[1]?.geometry).toEqual({ type: 'Point', coordinates: [114, 22.6] });
  });

  it('named columns, semicolons, non-numeric and infinite coordinates, missing columns', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'pts.csv');
    writeFileSync(file, ['编号;东经;北纬', 'a;114.1;22.5', 'b;abc;22.5', 'c;inf;22.5', 'd;;'].join('\n'));
    await expect(openSource(file)).rejects.toMatchObject({ code: 'CSV_NO_GEOMETRY' });
    const [layer] = await openSource(file, { csv: { lonField: '东经', latField: '北纬' } });
    const features = await collect(layer!);
    expect(features.map((f) => [f.properties.编号, f.problem?.code ?? null, f.geometry?.type ?? null])).toEqual([
      ['a', null, 'Point'],
      ['b', 'BAD_COORDINATE', null],
      ['c', 'NAN_COORDINATE', null],
      ['d', null, null],
    ]);
    await expect(openSource(file, { csv: { wktField: 'geom' } })).rejects.toMatchObject({ code: 'CSV_FIELD_NOT_FOUND', field: 'geom' });
  });
});
