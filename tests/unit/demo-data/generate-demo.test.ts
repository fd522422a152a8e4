import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLonLat } from '../../../scripts/demo-data/demo-crs.ts';
import { unexpectedFindings, type DemoWorld } from '../../../scripts/demo-data/demo-world.ts';
import { DEMO_OUT_DIR, generateDemo } from '../../../scripts/demo-data/generate-demo.ts';
import { gdal, ogrinfo, readWithGdal } from '../shared/gdal-oracle.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lw-demo-test-'));
const runA = join(tmp, 'a');
const runB = join(tmp, 'b');
let demo: DemoWorld;
let files: string[];

beforeAll(async () => {
  ({ files, demo } = await generateDemo({ outDir: runA }));
  await generateDemo({ outDir: runB });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const list = (dir: string): string[] => readdirSync(dir).sort();
const sqlValues = (out: string, field: string): string[] => [...out.matchAll(new RegExp(`^  ${field} \\([A-Za-z]+\\) = (.*)$`, 'gm'))].map((m) => m[1] ?? '');

describe('demo generator', () => {
  it('is deterministic: two runs write byte-identical files', () => {
    expect(list(runA)).toEqual(list(runB));
    expect(list(runA)).toEqual(files);
    for (const f of files) expect(readFileSync(join(runA, f)).equals(readFileSync(join(runB, f))), f).toBe(true);
  });

  it('matches the committed data/demo (regenerate: npx tsx scripts/demo-data/generate-demo.ts --clean, or UPDATE=1)', async () => {
    if (process.env.UPDATE === '1') await generateDemo({ outDir: DEMO_OUT_DIR, clean: true });
    expect(existsSync(DEMO_OUT_DIR), 'data/demo is missing').toBe(true);
    expect(list(DEMO_OUT_DIR)).toEqual(files);
    const drifted = files.filter((f) => !readFileSync(join(runA, f)).equals(readFileSync(join(DEMO_OUT_DIR, f))));
    expect(drifted, 'files that differ from the generator output').toEqual([]);
  });

  it('stays under 5 MB', () => {
    const total = files.reduce((s, f) => s + statSync(join(runA, f)).size, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });

  it('plants every rule, every severity band of FARMLAND and CULTIVATED, and silent near misses', () => {
    const truth = JSON.parse(readFileSync(join(runA, 'truth.json'), 'utf8')) as {
      cases: { id: string; findings: { rule: string; band: string }[]; subject: { id: string } }[];
    };
    expect(truth.cases).toHaveLength(demo.cases.length);
    const fired = truth.cases.flatMap((c) => c.findings);
    for (const rule of ['FARMLAND', 'CULTIVATED', 'ECO_REDLINE', 'PASSAGE', 'OUTSIDE_BOUNDARY', 'ZONE_USE', 'NO_PERMIT', 'REBUILD', 'EXPANSION']) {
      expect(fired.some((f) => f.rule === rule), rule).toBe(true);
    }
    for (const rule of ['FARMLAND', 'CULTIVATED']) {
      expect(new Set(fired.filter((f) => f.rule === rule).map((f) => f.band))).toEqual(new Set(['light', 'general', 'serious']));
    }
    expect(truth.cases.filter((c) => c.findings.length === 0).length).toBeGreaterThanOrEqual(12);
    expect(new Set(truth.cases.map((c) => c.subject.id)).size).toBe(truth.cases.length);
  });

  it('no subject outside the planted cases has a finding (reference evaluation of every subject)', () => {
    expect(unexpectedFindings(demo)).toEqual([]);
  }, 120_000);

  it('the manifest lists existing files of known kinds', () => {
    const manifest = JSON.parse(readFileSync(join(runA, 'demo-manifest.json'), 'utf8')) as { datasets: { file: string; kind: string; epoch?: string }[] };
    for (const d of manifest.datasets) expect(files, d.file).toContain(d.file);
    expect(manifest.datasets.filter((d) => d.kind === 'building').map((d) => d.epoch)).toEqual(['2023-06-30', '2025-06-30']);
  });

  it('the manifest lists a small before (2023) / after (2025) imagery pair', () => {
    const manifest = JSON.parse(readFileSync(join(runA, 'demo-manifest.json'), 'utf8')) as { imagery: { file: string; date: string }[] };
    expect(manifest.imagery.map((i) => i.date)).toEqual(['2023-06-20', '2025-07-05']);
    for (const i of manifest.imagery) {
      expect(files, i.file).toContain(i.file);
      expect(statSync(join(runA, i.file)).size, i.file).toBeLessThan(300 * 1024);
    }
  });

  it('GBK shapefiles carry .cpg GBK and LDID 0x4D', () => {
    for (const f of files.filter((n) => n.endsWith('.dbf'))) {
      expect(readFileSync(join(runA, f))[29], f).toBe(0x4d);
      expect(readFileSync(join(runA, f.replace(/dbf$/, 'cpg')), 'utf8')).toBe('GBK');
    }
  });
});

describe.skipIf(!gdal.ok)('demo data read by GDAL', () => {
  it('reads the GBK district layer with Chinese village names in EPSG:4547', () => {
    const info = ogrinfo('-al', join(runA, 'XZQ_districts.shp'));
    expect(info).toContain('东湖村');
    expect(info).toContain('ID["EPSG",4547]');
    const fc = readWithGdal(join(runA, 'XZQ_districts.shp'));
    expect(fc.features.map((f) => f.properties.XZQMC)).toEqual(expect.arrayContaining(['安澜县', '禾溪镇', '新塘社区', '溪口社区', '东湖村', '石岭村', '禾田村', '青竹村']));
  });

  it('every geometry of every layer is valid (GEOS via SpatiaLite)', () => {
    const layers: [string, string][] = [
      ...files.filter((f) => f.endsWith('.shp')).map((f) => [f, f.replace(/\.shp$/, '')] as [string, string]),
      ['/vsizip/permits.zip', 'permits'],
      ['/vsizip/demolished_sites.zip', 'demolished_sites'],
      ['JCTB_change_patches_2025.geojson', 'JCTB_change_patches_2025'],
    ];
    for (const [file, layer] of layers) {
      const path = file.startsWith('/vsizip/') ? `/vsizip/${join(runA, file.slice(8))}` : join(runA, file);
      // -ro: ogrinfo opens for update when given -sql, which a zip cannot offer.
      const out = ogrinfo('-ro', path, '-dialect', 'sqlite', '-sql', `SELECT count(*) AS n, sum(ST_IsValid(geometry)) AS v FROM "${layer}"`);
      const [n] = sqlValues(out, 'n');
      expect(sqlValues(out, 'v'), layer).toEqual([n]);
    }
    const gpkg = ogrinfo(join(runA, 'DLTB_2023.gpkg'), '-sql', 'SELECT count(*) AS n, sum(ST_IsValid(geom)) AS v FROM DLTB');
    expect(sqlValues(gpkg, 'v')).toEqual(sqlValues(gpkg, 'n'));
  });

  it('patch areas (MJ) are ellipsoidal: they match SpatiaLite geodesic ST_Area(g, 1)', () => {
    const out = ogrinfo(join(runA, 'JCTB_change_patches_2025.geojson'), '-dialect', 'sqlite', '-sql',
      'SELECT MJ, ST_Area(SetSRID(geometry, 4490), 1) AS geo FROM JCTB_change_patches_2025');
    const mj = sqlValues(out, 'MJ').map(Number);
    const geo = sqlValues(out, 'geo').map(Number);
    expect(mj.length).toBe(demo.world.patches.length);
    mj.forEach((v, i) => expect(Math.abs(v - (geo[i] ?? 0))).toBeLessThan(Math.max(0.01, v * 1e-6)));
  });

  it('DLTB TBMJ matches a geodesic area after GDAL reprojects to EPSG:4490', () => {
    const reprojected = join(tmp, 'dltb4490.geojson');
    writeFileSync(reprojected, execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4490', '/vsistdout/', join(runA, 'DLTB_2023.gpkg'), 'DLTB'], { maxBuffer: 64 << 20 }));
    const out = ogrinfo(reprojected, '-dialect', 'sqlite', '-sql', 'SELECT max(abs(TBMJ - ST_Area(SetSRID(geometry, 4490), 1)) / TBMJ) AS worst FROM DLTB');
    // TBMJ treats edges as straight in GK (the file's meaning); SpatiaLite takes geodesic edges between
    // the reprojected vertices. On the km-long forest and river parcels that bows edges by ~8 mm/km:
    // a few 10⁻⁶ of the area. Planted cases have edges ≤ 160 m, where the effect is < 10⁻⁶.
    expect(Number(sqlValues(out, 'worst')[0])).toBeLessThan(2e-5);
  });

  it.skipIf(!commandExists('gdalinfo'))('GDAL reads the imagery pair: 4 UInt16 bands, DEFLATE, 5 m, EPSG:4547', () => {
    for (const f of files.filter((n) => n.endsWith('.tif'))) {
      const info = JSON.parse(execFileSync('gdalinfo', ['-json', join(runA, f)], { encoding: 'utf8' })) as {
        bands: { type: string }[]; geoTransform: number[]; metadata: { IMAGE_STRUCTURE?: { COMPRESSION?: string } }; stac?: { 'proj:epsg'?: number }; coordinateSystem: { wkt: string };
      };
      expect(info.bands.map((b) => b.type), f).toEqual(['UInt16', 'UInt16', 'UInt16', 'UInt16']);
      expect(info.metadata.IMAGE_STRUCTURE?.COMPRESSION, f).toBe('DEFLATE');
      expect([info.geoTransform[1], info.geoTransform[5]], f).toEqual([5, -5]);
      expect(info.coordinateSystem.wkt, f).toContain('ID["EPSG",4547]');
    }
  });

  it.skipIf(!commandExists('cs2cs'))('proj4js and PROJ agree on the demo coordinates (EPSG:4547 → 4490)', () => {
    const pts: [number, number][] = [[0, 0], [4200, 3000], [2100, 1500]];
    // cs2cs follows EPSG axis order: northing, easting in and latitude, longitude out.
    const out = execFileSync('cs2cs', ['-f', '%.10f', 'EPSG:4547', 'EPSG:4490'], { input: pts.map(([x, y]) => `${2533000 + y} ${503000 + x}`).join('\n') + '\n', encoding: 'utf8' });
    out.trim().split('\n').forEach((line, i) => {
      const [lat, lon] = line.split(/\s+/).map(Number) as [number, number];
      const [mlon, mlat] = toLonLat(pts[i] ?? [0, 0]);
      expect(Math.abs(mlon - lon)).toBeLessThan(1e-9);
      expect(Math.abs(mlat - lat)).toBeLessThan(1e-9);
    });
  });
});

function commandExists(cmd: string): boolean {
  try {
    execFileSync(cmd, [], { stdio: 'ignore', input: '' });
    return true;
  } catch (err) {
    return (err as { code?: string }).code !== 'ENOENT';
  }
}
