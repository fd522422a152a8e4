import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cgcs2000GkEsriPrj, ShapefileWriter, writeShapefile, type DbfFieldDef } from '../../../api/src/shared/shapefile/shapefile.writer.ts';
import { signedRingArea } from '../../../api/src/shared/shapefile/shp-record.encoder.ts';
import { gdal, ogrinfo, readWithGdal } from './gdal-oracle.ts';

const dir = mkdtempSync(join(tmpdir(), 'lw-shp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const E0 = 500_000;
const N0 = 2_535_000;
/** Square ring from (x,y) with side s, counter-clockwise as given (the writer must fix it). */
const square = (x: number, y: number, s: number): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const FIELDS: DbfFieldDef[] = [
  { name: 'XZQMC', type: 'C', length: 20 },
  { name: 'DLMC', type: 'C', length: 30 },
  { name: 'MJ', type: 'N', length: 14, decimals: 2 },
  { name: 'PZRQ', type: 'D' },
  { name: 'SFYX', type: 'L' },
];

async function writePolygons(name: string, encoding: 'gbk' | 'utf-8'): Promise<string> {
  const path = join(dir, `${name}.shp`);
  await writeShapefile({ path, shapeType: 'polygon', fields: FIELDS, encoding, prj: cgcs2000GkEsriPrj(4547), dbfDate: new Date('2025-06-30') }, [
    {
      geometry: { type: 'Polygon', coordinates: [square(E0, N0, 100), square(E0 + 40, N0 + 40, 20).reverse()] },
      properties: { XZQMC: '南山区', DLMC: '永久基本农田', MJ: 9600, PZRQ: '2024-05-01', SFYX: true },
    },
    {
      geometry: { type: 'MultiPolygon', coordinates: [[square(E0 + 200, N0, 10)], [square(E0 + 300, N0, 10)]] },
      properties: { XZQMC: '新塘社区', DLMC: '水田', MJ: 200.5, PZRQ: new Date(Date.UTC(2023, 11, 31)), SFYX: false },
    },
    { geometry: null, properties: { XZQMC: null } },
  ]);
  return path;
}

/** Reads ring orientation straight from the .shp (record 1), independent of any reader's fix-ups. */
function rawRings(path: string): number[][][] {
  const b = readFileSync(path);
  const at = 100 + 8; // first record content
  const nParts = b.readInt32LE(at + 36);
  const nPoints = b.readInt32LE(at + 40);
  const starts = Array.from({ length: nParts }, (_, i) => b.readInt32LE(at + 44 + 4 * i));
  const pts = Array.from({ length: nPoints }, (_, i) => [b.readDoubleLE(at + 44 + 4 * nParts + 16 * i), b.readDoubleLE(at + 52 + 4 * nParts + 16 * i)]);
  return starts.map((s, i) => pts.slice(s, starts[i + 1] ?? nPoints) as number[][]);
}

describe('ShapefileWriter: file structure (no GDAL needed)', () => {
  it('writes consistent headers, CW outer rings and CCW holes, GBK .cpg and LDID 0x4D', async () => {
    const path = await writePolygons('struct', 'gbk');
    const shp = readFileSync(path);
    const shx = readFileSync(path.replace(/shp$/, 'shx'));
    const dbf = readFileSync(path.replace(/shp$/, 'dbf'));
    expect(shp.readInt32BE(0)).toBe(9994);
    expect(shp.readInt32BE(24) * 2).toBe(shp.length);
    expect(shx.readInt32BE(24) * 2).toBe(shx.length);
    expect((shx.length - 100) / 8).toBe(3);
    expect(shp.readInt32LE(32)).toBe(5);
    expect([0, 1, 2, 3].map((i) => shp.readDoubleLE(36 + 8 * i))).toEqual([E0, N0, E0 + 310, N0 + 100]);
    expect(dbf.readUInt32LE(4)).toBe(3);
    expect(dbf[29]).toBe(0x4d);
    expect(dbf[dbf.length - 1]).toBe(0x1a);
    expect(readFileSync(path.replace(/shp$/, 'cpg'), 'utf8')).toBe('GBK');
    expect(readFileSync(path.replace(/shp$/, 'prj'), 'utf8')).toContain('CGCS2000_3_Degree_GK_CM_114E');
    const [outer, hole] = rawRings(path);
    expect(signedRingArea(outer ?? [])).toBeLessThan(0); // clockwise
    expect(signedRingArea(hole ?? [])).toBeGreaterThan(0); // counter-clockwise
  });

  it('rejects field names longer than 10 bytes in the chosen encoding, before creating files', async () => {
    const path = join(dir, 'badname.shp');
    await expect(ShapefileWriter.create({ path, shapeType: 'point', encoding: 'gbk', fields: [{ name: '永久基本农田面积', type: 'N', length: 10 }] })).rejects.toThrow(
      /16 bytes in GBK/,
    );
    // 4 Chinese characters = 8 bytes in GBK but 12 in UTF-8.
    await expect(ShapefileWriter.create({ path, shapeType: 'point', encoding: 'utf-8', fields: [{ name: '行政区名', type: 'C', length: 10 }] })).rejects.toThrow(
      /12 bytes in UTF-8/,
    );
    expect(existsSync(path)).toBe(false);
    const ok = await ShapefileWriter.create({ path, shapeType: 'point', encoding: 'gbk', fields: [{ name: '行政区名', type: 'C', length: 10 }] });
    await ok.abort();
    expect(existsSync(path)).toBe(false);
  });

  it('truncates text to the byte length without splitting a multibyte character', async () => {
    for (const [encoding, length, expected] of [['gbk', 5, 'c4cfc9bd20'], ['utf-8', 7, 'e58d97e5b1b120']] as const) {
      const path = join(dir, `trunc-${encoding}.shp`);
      await writeShapefile({ path, shapeType: 'point', encoding, fields: [{ name: 'N', type: 'C', length }] }, [
        { geometry: { type: 'Point', coordinates: [1, 2] }, properties: { N: '南山区' } },
      ]);
      const dbf = readFileSync(path.replace(/shp$/, 'dbf'));
      const headerLength = dbf.readUInt16LE(8);
      expect(dbf.subarray(headerLength + 1, headerLength + 1 + length).toString('hex')).toBe(expected); // 南山 + space padding
    }
  });

  it('refuses a geometry of the wrong type or a number too wide, and stays usable', async () => {
    const w = await ShapefileWriter.create({ path: join(dir, 'mismatch.shp'), shapeType: 'point', fields: [{ name: 'V', type: 'N', length: 3 }] });
    await expect(w.write({ type: 'LineString', coordinates: [[0, 0], [1, 1]] })).rejects.toThrow(/point shapefile cannot hold a LineString/);
    await expect(w.write({ type: 'Point', coordinates: [0, 0] }, { V: 12345 })).rejects.toThrow(/does not fit N\(3,0\)/);
    await w.write({ type: 'Point', coordinates: [0, 0] }, { V: 7 });
    const summary = await w.close();
    expect(summary.featureCount).toBe(1);
  });
});

describe.skipIf(!gdal.ok)('ShapefileWriter read back by GDAL', () => {
  it('GBK polygons: GDAL honours the .cpg, sees hole and multipolygon, reports EPSG:4547', async () => {
    const path = await writePolygons('gbk', 'gbk');
    const fc = readWithGdal(path);
    expect(fc.features).toHaveLength(3);
    const [a, b, c] = fc.features;
    expect(a?.properties).toMatchObject({ XZQMC: '南山区', DLMC: '永久基本农田', MJ: 9600, PZRQ: '2024-05-01', SFYX: 'T' });
    expect(a?.geometry?.type).toBe('Polygon');
    const rings = a?.geometry?.coordinates as number[][][];
    expect(rings).toHaveLength(2);
    expect(rings[1]).toContainEqual([E0 + 40, N0 + 40]);
    expect(b?.properties).toMatchObject({ XZQMC: '新塘社区', MJ: 200.5, PZRQ: '2023-12-31', SFYX: 'F' });
    expect(b?.geometry?.type).toBe('MultiPolygon');
    expect(c?.geometry).toBeNull();
    expect(c?.properties.XZQMC).toBeNull();
    expect(c?.properties.MJ).toBeNull();
    const info = ogrinfo('-al', '-so', path);
    expect(info).toMatch(/Feature Count: 3/);
    expect(info).toContain('ID["EPSG",4547]');
    expect(info).toMatch(/Longitude of natural origin",114/);
    expect(info).toMatch(/Extent: \(500000\.000000, 2535000\.000000\) - \(500310\.000000, 2535100\.000000\)/);
  });

  it('UTF-8 layer with .cpg UTF-8 reads back the same text', async () => {
    const path = await writePolygons('utf8', 'utf-8');
    expect(readFileSync(path.replace(/shp$/, 'dbf'))[29]).toBe(0x00);
    expect(readFileSync(path.replace(/shp$/, 'cpg'), 'utf8')).toBe('UTF-8');
    const fc = readWithGdal(path);
    expect(fc.features.map((f) => f.properties.DLMC)).toEqual(['永久基本农田', '水田', null]);
  });

  it('polylines and points', async () => {
    const lines = join(dir, 'roads.shp');
    await writeShapefile({ path: lines, shapeType: 'polyline', encoding: 'gbk', prj: cgcs2000GkEsriPrj(4526), fields: [{ name: 'LX', type: 'C', length: 10 }, { name: 'KD', type: 'N', length: 6, decimals: 1 }] }, [
      { geometry: { type: 'LineString', coordinates: [[38_500_000, N0], [38_500_100, N0 + 50]] }, properties: { LX: '道路', KD: 6 } },
      { geometry: { type: 'MultiLineString', coordinates: [[[38_500_000, N0], [38_500_010, N0]], [[38_500_020, N0], [38_500_030, N0 + 5]]] }, properties: { LX: '消防通道', KD: null } },
    ]);
    const lf = readWithGdal(lines);
    expect(lf.features.map((f) => f.geometry?.type)).toEqual(['LineString', 'MultiLineString']);
    expect(lf.features[1]?.properties).toEqual({ LX: '消防通道', KD: null });
    const linfo = ogrinfo('-al', '-so', lines);
    expect(linfo).toContain('ID["EPSG",4526]'); // the zone-prefixed GK 38 .prj is recognised too
    const points = join(dir, 'pts.shp');
    await writeShapefile({ path: points, shapeType: 'point', encoding: 'gbk', fields: [{ name: 'MC', type: 'C', length: 12 }] }, [
      { geometry: { type: 'Point', coordinates: [114.05, 22.91] }, properties: { MC: '东湖村' } },
    ]);
    const pf = readWithGdal(points);
    expect(pf.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [114.05, 22.91] });
    expect(pf.features[0]?.properties.MC).toBe('东湖村');
  });

  it('an empty layer is valid', async () => {
    const path = join(dir, 'empty.shp');
    const s = await writeShapefile({ path, shapeType: 'polygon', fields: [{ name: 'A', type: 'C', length: 4 }] }, []);
    expect(s.featureCount).toBe(0);
    expect(ogrinfo('-al', '-so', path)).toMatch(/Feature Count: 0/);
  });

  it('streams 100,000 features to disk with bounded memory', async () => {
    const path = join(dir, 'big.shp');
    const w = await ShapefileWriter.create({ path, shapeType: 'polygon', encoding: 'gbk', fields: [{ name: 'JZBH', type: 'C', length: 12 }, { name: 'CS', type: 'N', length: 3 }], bufferBytes: 256 << 10 });
    const heapStart = process.memoryUsage().heapUsed;
    let heapPeak = heapStart;
    let sizeMidway = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = E0 + (i % 300) * 20;
      const y = N0 + Math.floor(i / 300) * 20;
      await w.write({ type: 'Polygon', coordinates: [square(x, y, 12)] }, { JZBH: `JZ${i}`, CS: (i % 5) + 1 });
      if (i % 10_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      if (i === 50_000) sizeMidway = statSync(path).size;
    }
    await w.close();
    // Streaming: half the records are already on disk half-way through (not held until close).
    expect(sizeMidway).toBeGreaterThan(0.4 * statSync(path).size);
    // Loose bound: the layer is ~18 MB on disk; the writer must not hold it all (+ GC slack).
    expect(heapPeak - heapStart).toBeLessThan(200 << 20);
    const info = ogrinfo('-so', '-al', path);
    expect(info).toMatch(/Feature Count: 100000/);
  }, 120_000);
});
