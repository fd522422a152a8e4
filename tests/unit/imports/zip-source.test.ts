/**
 * Zips as bureaus send them (odd files of shapefile-js, GBK member names without the UTF-8 flag,
 * nested folders, several layers) and the size limits (file size, entry count, zip bombs).
 */
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { ReaderError } from '../../../api/src/imports/readers/reader.types.ts';
import { collect, compareWithGdal, ogrFeatures } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';
import { PRJ_CGCS2000_GK38, buildDbf, buildPolygonZShp, buildZip, tempDir } from './fixture-writers.helper.ts';

const sjs = (...p: string[]) => corpus('vector', 'shapefile-js', 'test-data', ...p);

describe('shapefile-js oddities', () => {
  const env = needs({ corpus: ['vector/shapefile-js'] });

  it.skipIf(env.skip)('bad zip, zip without .shp: clear ReaderErrors naming the file', async () => {
    env.check();
    await expect(openSource(sjs('badzip.zip'))).rejects.toMatchObject({ code: 'ZIP_INVALID', file: sjs('badzip.zip') });
    const err = await openSource(sjs('noshp.zip')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err).toMatchObject({ code: 'SHP_MISSING', file: `${sjs('noshp.zip')}!/counties.dbf` });
    expect((err as Error).message).toMatch(/\.shp.*缺少|缺少.*\.shp/);
  });

  it.skipIf(env.skip)('zip with no .dbf: features without attributes, with notes; same geometry as counties.shp', async () => {
    env.check();
    const [layer] = await openSource(sjs('no-dbf.zip'));
    expect(layer?.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['DBF_MISSING', 'SHX_MISSING']));
    const ours = await collect(layer!);
    const [ref] = await openSource(sjs('counties.shp'));
    const theirs = await collect(ref!);
    expect(ours.map((f) => f.geometry)).toEqual(theirs.map((f) => f.geometry));
  });

  it.skipIf(env.skip)('mixed-case members (senate.DBF) pair up like senate.zip', async () => {
    env.check();
    const [mixed] = await openSource(sjs('mixedcase.zip'), { srs: 4269 });
    const [plain] = await openSource(sjs('senate.zip'), { srs: 4269 });
    expect(mixed?.fields.length).toBeGreaterThan(3);
    expect(mixed?.fields).toEqual(plain?.fields);
    expect(await collect(mixed!)).toEqual(await collect(plain!));
  });

  it.skipIf(env.skip)('a .cpg holding an HTML page and a .prj holding one are ignored with notes', async () => {
    env.check();
    const [cpg] = await openSource(sjs('htmlcpg.shp'));
    expect(cpg?.notes.map((n) => n.code)).toContain('CPG_INVALID');
    expect(cpg?.encoding?.how).toBe('detected');
    const [prj] = await openSource(sjs('htmlprj.shp'));
    expect(prj?.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['PRJ_INVALID', 'SRS_INFERRED']));
    expect(prj?.srs.how).toBe('inferred');
  });

  it.skipIf(env.skip)('a foreign .prj is refused with a message naming the .prj and --srs', async () => {
    env.check();
    await expect(openSource(sjs('senate.zip'))).rejects.toMatchObject({ code: 'SRS_UNRECOGNIZED', file: `${sjs('senate.zip')}!/senate.prj`, message: expect.stringMatching(/--srs/) });
  });

  it.skipIf(env.skip)('every file of the folder opens or fails with a ReaderError — never anything else', async () => {
    env.check();
    for (const name of readdirSync(sjs()).filter((f) => /\.(zip|shp|dbf)$/i.test(f))) {
      try {
        for (const layer of await openSource(sjs(name))) await collect(layer);
      } catch (error) {
        expect(error, name).toBeInstanceOf(ReaderError);
      }
    }
  });

  const gdal = needs({ corpus: ['vector/shapefile-js'], tools: ['ogr2ogr'] });
  it.skipIf(gdal.skip)('zipped shapefiles read like GDAL through /vsizip/ (codepage 1250, UTF-8, nested folder)', async () => {
    gdal.check();
    for (const name of ['codepage.zip', 'utf.zip', 'T8Th4_6n.zip', 'zero-len-line.zip', 'qgis.zip', 'SHP_Exclude.zip']) {
      const [layer] = await openSource(sjs(name), { srs: 4326 });
      const member = layer!.file.split('!/')[1];
      const diffs = compareWithGdal(await collect(layer!), await ogrFeatures(`/vsizip/${sjs(name)}/${member}`));
      expect(diffs, name).toEqual([]);
    }
  });
});

function gbkShapefileParts(): Record<string, Buffer> {
  const { shp, shx } = buildPolygonZShp([[[[38500000, 2500000, 1], [38500000, 2500100, 1], [38500100, 2500100, 1], [38500000, 2500000, 1]]]]);
  const dbf = buildDbf([{ name: iconv.encode('名称', 'gbk'), type: 'C', length: 12 }], [{ values: [iconv.encode('福田区', 'gbk')] }]);
  return { shp, shx, dbf, prj: Buffer.from(PRJ_CGCS2000_GK38) };
}

describe('zips written by Chinese Windows tools', () => {
  it('GBK member names without the UTF-8 flag, nested folders, several layers', async () => {
    const parts = gbkShapefileParts();
    const gbkName = (s: string) => iconv.encode(s, 'gbk');
    const members = [
      ...Object.entries(parts).map(([ext, data]) => ({ name: gbkName(`成果数据/建筑物.${ext}`), data, deflate: true })),
      ...Object.entries(parts).map(([ext, data]) => ({ name: gbkName(`成果数据/二级/违法图斑.${ext.toUpperCase()}`), data })),
      { name: gbkName('说明.docx'), data: Buffer.from('x') },
      { name: '__MACOSX/._建筑物.shp', data: Buffer.from('junk') },
    ];
    const dir = tempDir();
    const zip = path.join(dir, '上报.zip');
    writeFileSync(zip, buildZip(members));
    const layers = await openSource(zip);
    expect(layers.map((l) => l.layer)).toEqual(['建筑物', '违法图斑']);
    expect(layers[0]?.file).toBe(`${zip}!/成果数据/建筑物.shp`);
    expect(layers[1]?.file).toBe(`${zip}!/成果数据/二级/违法图斑.SHP`);
    expect(layers[0]?.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['ZIP_NAMES_GBK', 'ZIP_ENTRIES_IGNORED']));
    for (const layer of layers) {
      const [f] = await collect(layer);
      expect(f?.properties).toEqual({ 名称: '福田区' });
      expect(layer.srs.epsg).toBe(4526);
    }
    const only = await openSource(zip, { layer: '违法图斑' });
    expect(only.map((l) => l.layer)).toEqual(['违法图斑']);
    await expect(openSource(zip, { layer: 'nope' })).rejects.toMatchObject({ code: 'LAYER_NOT_FOUND' });
  });

  it('attribute tables and metadata beside the shapefiles are skipped with notes, not fatal', async () => {
    const parts = gbkShapefileParts();
    const zip = path.join(tempDir(), 'bundle.zip');
    writeFileSync(zip, buildZip([
      ...Object.entries(parts).map(([ext, data]) => ({ name: `地块.${ext}`, data })),
      { name: '属性表.csv', data: Buffer.from('编号,面积\n1,2\n') },
      { name: 'metadata.json', data: Buffer.from('{"producer": "某测绘院"}') },
      { name: '旧数据.dbf', data: parts.dbf as Buffer },
    ]));
    const layers = await openSource(zip);
    expect(layers.map((l) => l.layer)).toEqual(['地块']);
    const skipped = layers[0]?.notes.filter((n) => n.code === 'ZIP_MEMBER_SKIPPED').map((n) => n.message) ?? [];
    expect(skipped).toHaveLength(3);
    expect(skipped.join('\n')).toMatch(/属性表\.csv/);
    expect(skipped.join('\n')).toMatch(/旧数据\.dbf/);
    // Alone, the same CSV is an error.
    const lone = path.join(tempDir(), 'lone.zip');
    writeFileSync(lone, buildZip([{ name: '属性表.csv', data: Buffer.from('编号,面积\n1,2\n') }]));
    await expect(openSource(lone)).rejects.toMatchObject({ code: 'CSV_NO_GEOMETRY' });
  });

  it('a .dbf with fewer records than the .shp: matched by position, with a note', async () => {
    const dir = tempDir();
    const { shp, shx } = buildPolygonZShp([
      [[[38500000, 2500000, 0], [38500000, 2500100, 0], [38500100, 2500100, 0], [38500000, 2500000, 0]]],
      [[[38500200, 2500000, 0], [38500200, 2500100, 0], [38500300, 2500100, 0], [38500200, 2500000, 0]]],
    ]);
    writeFileSync(path.join(dir, 'm.shp'), shp);
    writeFileSync(path.join(dir, 'm.shx'), shx);
    writeFileSync(path.join(dir, 'm.dbf'), buildDbf([{ name: Buffer.from('ID'), type: 'N', length: 4 }], [{ values: [Buffer.from('7')] }]));
    const [layer] = await openSource(path.join(dir, 'm.shp'));
    const features = await collect(layer!);
    expect(features.map((f) => f.properties)).toEqual([{ ID: 7 }, {}]);
    expect(layer?.notes.find((n) => n.code === 'RECORD_COUNT_MISMATCH')).toMatchObject({ count: 1, message: expect.stringMatching(/2 records but the \.dbf 1/) });
  });

  const gdal = needs({ tools: ['ogr2ogr'] });
  it.skipIf(gdal.skip)('GDAL reads the same GBK-named member with CPL_ZIP_ENCODING=CP936', async () => {
    gdal.check();
    const parts = gbkShapefileParts();
    const dir = tempDir();
    const zip = path.join(dir, 'gbk.zip');
    writeFileSync(zip, buildZip(Object.entries(parts).map(([ext, data]) => ({ name: iconv.encode(`数据/地块.${ext}`, 'gbk'), data }))));
    const [layer] = await openSource(zip);
    const theirs = await ogrFeatures(`/vsizip/${zip}/数据/地块.shp`, { config: { CPL_ZIP_ENCODING: 'CP936' }, openOptions: ['ENCODING=CP936'] });
    expect(compareWithGdal(await collect(layer!), theirs)).toEqual([]);
  });
});

describe('limits', () => {
  it('FILE_TOO_LARGE, ZIP_TOO_MANY_ENTRIES, ZIP_TOO_LARGE (a forged zip bomb header)', async () => {
    const dir = tempDir();
    const parts = gbkShapefileParts();
    const zip = path.join(dir, 'a.zip');
    writeFileSync(zip, buildZip(Object.entries(parts).map(([ext, data]) => ({ name: `a.${ext}`, data }))));
    await expect(openSource(zip, { limits: { maxFileBytes: 100 } })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', file: zip });
    await expect(openSource(zip, { limits: { maxZipEntries: 3 } })).rejects.toMatchObject({ code: 'ZIP_TOO_MANY_ENTRIES' });
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const bomb = path.join(dir, 'bomb.zip');
    writeFileSync(bomb, buildZip([{ name: 'bomb.shp', data: zeros, deflate: true }]));
    expect(readFileSync(bomb).length).toBeLessThan(64 * 1024);
    await expect(openSource(bomb, { limits: { maxUncompressedBytes: 1024 * 1024 } })).rejects.toMatchObject({ code: 'ZIP_TOO_LARGE' });
    // A header that lies about the size is caught while streaming (yauzl checks the real size).
    const liar = path.join(dir, 'liar.zip');
    writeFileSync(liar, buildZip([
      ...Object.entries(parts).map(([ext, data]) => ({ name: `b.${ext}`, data, deflate: true, ...(ext === 'dbf' ? { declaredSize: 10 } : {}) })),
    ]));
    const error = await (async () => {
      for (const layer of await openSource(liar)) await collect(layer);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReaderError);
  });

  it('ZIP_RATIO_TOO_HIGH: a member that expands more than the ratio limit, within the size limit', async () => {
    const dir = tempDir();
    const bomb = path.join(dir, 'ratio.zip');
    const parts = gbkShapefileParts();
    writeFileSync(bomb, buildZip([
      ...Object.entries(parts).map(([ext, data]) => ({ name: `a.${ext}`, data, deflate: true })),
      { name: 'padding.txt', data: Buffer.alloc(8 * 1024 * 1024), deflate: true },
    ]));
    await expect(openSource(bomb)).rejects.toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH', file: bomb });
    const error = (await openSource(bomb).catch((e: unknown) => e)) as ReaderError;
    expect(error.message).toContain('padding.txt');
    // The same archive passes when the limit allows it: the check is the ratio, not the content.
    const layers = await openSource(bomb, { limits: { maxCompressionRatio: 100_000 } });
    expect(layers.map((l) => l.layer)).toEqual(['a']);
  });

  it.each([
    ['../../etc/a.shp', "'..'"],
    ['data/../../a.shp', "'..'"],
    ['/tmp/a.shp', 'absolute'],
    ['C:\\temp\\a.shp', 'drive-letter'],
    ['..\\a.shp', "'..'"],
  ])('ZIP_UNSAFE_ENTRY: %s refuses the archive', async (name, reason) => {
    const dir = tempDir();
    const zip = path.join(dir, 'unsafe.zip');
    const parts = gbkShapefileParts();
    writeFileSync(zip, buildZip([
      ...Object.entries(parts).map(([ext, data]) => ({ name: `ok.${ext}`, data })),
      { name, data: Buffer.from('x') },
    ]));
    const error = (await openSource(zip).catch((e: unknown) => e)) as ReaderError;
    expect(error).toBeInstanceOf(ReaderError);
    expect(error.code).toBe('ZIP_UNSAFE_ENTRY');
    expect(error.message).toContain(reason);
  });

  it('ZIP_UNSAFE_ENTRY: a symbolic link member refuses the archive', async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'link.zip');
    const parts = gbkShapefileParts();
    writeFileSync(zip, buildZip([
      ...Object.entries(parts).map(([ext, data]) => ({ name: `ok.${ext}`, data })),
      { name: 'ok.cpg', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    ]));
    await expect(openSource(zip)).rejects.toMatchObject({ code: 'ZIP_UNSAFE_ENTRY' });
    // An ordinary file with Unix mode bits is fine.
    writeFileSync(zip, buildZip(Object.entries(parts).map(([ext, data]) => ({ name: `ok.${ext}`, data, unixMode: 0o100644 }))));
    expect((await openSource(zip)).length).toBe(1);
  });

  it('unknown extensions are sniffed; unreadable ones are refused', async () => {
    const dir = tempDir();
    const gj = path.join(dir, 'export.dat');
    writeFileSync(gj, JSON.stringify({ type: 'Feature', properties: { a: 1 }, geometry: { type: 'Point', coordinates: [114, 22.5] } }));
    const [layer] = await openSource(gj);
    expect(layer?.srs.how).toBe('geojson-default');
    const bin = path.join(dir, 'x.bin');
    writeFileSync(bin, Buffer.from([1, 2, 3]));
    await expect(openSource(bin)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await expect(openSource(path.join(dir, 'missing.shp'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
