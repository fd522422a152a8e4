/**
 * Writes the demo world as a bureau delivers it: GBK shapefiles in EPSG:4547 with Esri .prj (some
 * zipped), 三调 DLTB as a GeoPackage, imagery change patches as GeoJSON in EPSG:4490. Every output
 * is reproducible: fixed DBF/GeoPackage dates, fixed zip timestamps, no clock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { GeoPackageWriter, gpkgSrsForCgcs2000Gk3 } from '../../api/src/shared/geopackage/geopackage.writer.ts';
import { cgcs2000GkEsriPrj, writeShapefile, type DbfFieldDef, type DbfRecord, type WritableGeometry } from '../../api/src/shared/shapefile/shapefile.writer.ts';
import { ellipsoidalArea, toGk, toLonLat } from './demo-crs.ts';
import { VILLAGES } from './demo-districts.ts';
import { area, bbox, boxesOverlap, intersection, type MPoly, type Pt } from './demo-geometry.ts';
import { dlmc } from './demo-land.ts';
import { centroid, villageOf } from './demo-world.ts';
import type { World } from './demo.types.ts';

/** Date stamped into DBF headers and GeoPackage last_change (the data's delivery date). */
export const DELIVERY_DATE = new Date('2025-07-15T00:00:00Z');
// fflate writes DOS time from LOCAL time getters: build the date in local time so the bytes do
// not depend on the machine's time zone.
const ZIP_MTIME = new Date(2025, 6, 15, 0, 0, 0);
const PRJ_4547 = cgcs2000GkEsriPrj(4547);

const ZONE_NAMES: Readonly<Record<string, string>> = {
  '01': '耕地', '03': '林地', '07': '居住用地', '09': '商业服务业用地', '10': '工矿用地', '12': '交通运输用地', '14': '绿地与开敞空间用地', '17': '陆地水域',
};

const villageName = new Map<string, string>(Object.values(VILLAGES).map((v) => [v.code, v.name]));
const gkPoly = (mp: MPoly): WritableGeometry => ({ type: 'MultiPolygon', coordinates: mp.map((p) => p.map((r) => r.map(toGk))) });
const area2 = (mp: MPoly): number => Math.round(ellipsoidalArea(mp) * 100) / 100;
const C = (name: string, length: number): DbfFieldDef => ({ name, type: 'C', length });
const N = (name: string, length: number, decimals = 0): DbfFieldDef => ({ name, type: 'N', length, decimals });

/** Writes one GBK/EPSG:4547 shapefile (or a zip of it). Returns the file names written. */
async function shapefile(dir: string, name: string, shapeType: 'polygon' | 'polyline', fields: DbfFieldDef[], rows: { geometry: WritableGeometry; properties: DbfRecord }[], zip = false): Promise<string[]> {
  const target = zip ? mkdtempSync(join(tmpdir(), 'lw-demo-')) : dir;
  try {
    const s = await writeShapefile({ path: join(target, `${name}.shp`), shapeType, fields, encoding: 'gbk', prj: PRJ_4547, dbfDate: DELIVERY_DATE, overwrite: true }, rows);
    if (!zip) return s.files.map((f) => basename(f));
    const entries = Object.fromEntries(s.files.map((f) => [basename(f), [readFileSync(f), { mtime: ZIP_MTIME }] as [Uint8Array, { mtime: Date }]]));
    writeFileSync(join(dir, `${name}.zip`), zipSync(entries, { level: 9, mtime: ZIP_MTIME }));
    return [`${name}.zip`];
  } finally {
    if (zip) rmSync(target, { recursive: true, force: true });
  }
}

/** Writes all data files of the demo into `dir` (which must exist). Returns their names. */
export async function writeDemoFiles(dir: string, w: World): Promise<string[]> {
  const files: string[] = [];
  const vname = (code: string): string => villageName.get(code) ?? '';
  const xzqOf = (mp: MPoly): string => villageOf(w, centroid(mp));

  files.push(...(await shapefile(dir, 'XZQ_districts', 'polygon', [C('XZQDM', 12), C('XZQMC', 40), C('JB', 10), C('JBMC', 10), N('MJ', 16, 2)],
    w.districts.map((d) => ({ geometry: gkPoly(d.geom), properties: { XZQDM: d.code, XZQMC: d.name, JB: d.level, JBMC: { county: '县级', township: '乡级', village: '村级' }[d.level], MJ: area2(d.geom) } })))));

  files.push(...(await shapefile(dir, 'YJJBNTTB_basic_farmland', 'polygon',
    [C('BSM', 18), C('XZQDM', 12), C('YJJBNTTBBH', 20), C('TBBH', 8), C('DLBM', 5), C('DLMC', 20), C('ZLDWDM', 19), C('ZLDWMC', 40), N('YJJBNTMJ', 16, 2)],
    w.farmland.map((f) => ({ geometry: gkPoly(f.geom), properties: {
      BSM: f.bsm, XZQDM: f.village, YJJBNTTBBH: f.bh, TBBH: f.source.tbbh, DLBM: f.dlbm, DLMC: dlmc(f.dlbm),
      ZLDWDM: `${f.village}0000000`, ZLDWMC: vname(f.village), YJJBNTMJ: area2(f.geom),
    } })))));

  files.push(...(await shapefile(dir, 'CZKFBJ_development_boundary', 'polygon', [C('BSM', 18), C('GHFQDM', 10), C('GHFQMC', 30), N('MJ', 16, 2)],
    w.boundary.map((b, i) => ({ geometry: gkPoly(b.geom), properties: { BSM: `440999K${String(i + 1).padStart(4, '0')}`, GHFQDM: b.code, GHFQMC: b.name, MJ: area2(b.geom) } })))));

  files.push(...(await shapefile(dir, 'STBHHX_ecological_redline', 'polygon', [C('HXBM', 20), C('HXMC', 60), C('HXLX', 20), N('MJ', 16, 2)],
    w.redlines.map((r) => ({ geometry: gkPoly(r.geom), properties: { HXBM: r.code, HXMC: r.name, HXLX: r.kind, MJ: area2(r.geom) } })))));

  files.push(...(await shapefile(dir, 'GHYD_planning_zone', 'polygon', [C('BSM', 16), C('YDYHFLDM', 6), C('YDYHFLMC', 30), N('MJ', 16, 2)],
    w.zones.map((z) => ({ geometry: gkPoly(z.geom), properties: { BSM: z.bsm, YDYHFLDM: z.code, YDYHFLMC: ZONE_NAMES[z.code] ?? '', MJ: area2(z.geom) } })))));

  const passageFields = [C('BSM', 16), C('MC', 40), C('LX', 10), C('LXMC', 20), N('KD', 6, 1)];
  files.push(...(await shapefile(dir, 'passage_lines', 'polyline', passageFields,
    w.lines.map((l) => ({ geometry: { type: 'LineString', coordinates: l.line.map(toGk) }, properties: { BSM: l.bsm, MC: l.name, LX: l.type, LXMC: l.type === 'road' ? '道路' : '消防通道', KD: l.width } })))));
  files.push(...(await shapefile(dir, 'passage_river', 'polygon', passageFields,
    w.rivers.map((r) => ({ geometry: gkPoly(r.geom), properties: { BSM: r.bsm, MC: r.name, LX: 'river', LXMC: '河道管理范围', KD: null } })))));

  files.push(...(await shapefile(dir, 'permits', 'polygon', [C('PZWH', 60), { name: 'PZRQ', type: 'D' }, C('PZYT', 30), N('PZMJ', 14, 2), C('XZQDM', 12)],
    w.permits.map((p) => ({ geometry: gkPoly(p.geom), properties: { PZWH: p.number, PZRQ: p.date, PZYT: p.use, PZMJ: area2(p.geom), XZQDM: xzqOf(p.geom) } })), true)));

  files.push(...(await shapefile(dir, 'demolished_sites', 'polygon', [C('CCBH', 12), { name: 'CCRQ', type: 'D' }, C('MC', 40), C('XZQDM', 12), N('CCMJ', 14, 2)],
    w.demolished.map((d) => ({ geometry: gkPoly(d.geom), properties: { CCBH: d.ccbh, CCRQ: d.date, MC: d.name, XZQDM: xzqOf(d.geom), CCMJ: area2(d.geom) } })), true)));

  const buildingFields = [C('JZBH', 12), N('CS', 3), C('JZJG', 10), C('XZQDM', 12), N('JZMJ', 12, 2)];
  for (const [year, list] of [['2023', w.buildings2023], ['2025', w.buildings2025]] as const) {
    files.push(...(await shapefile(dir, `JZ_buildings_${year}`, 'polygon', buildingFields,
      list.map((b) => ({ geometry: gkPoly(b.geom), properties: { JZBH: b.id, CS: b.floors, JZJG: b.structure, XZQDM: xzqOf(b.geom), JZMJ: area2(b.geom) } })))));
  }

  files.push(writeDltb(dir, w));
  files.push(writePatches(dir, w));
  return files;
}

function writeDltb(dir: string, w: World): string {
  const name = 'DLTB_2023.gpkg';
  const gpkg = GeoPackageWriter.create({ path: join(dir, name), overwrite: true, timestamp: DELIVERY_DATE });
  try {
    gpkg.registerSrs(gpkgSrsForCgcs2000Gk3(4547));
    const text = ['BSM', 'YSDM', 'TBBH', 'DLBM', 'DLMC', 'QSXZ', 'QSDWDM', 'QSDWMC', 'ZLDWDM', 'ZLDWMC'];
    const layer = gpkg.createLayer({
      name: 'DLTB', geometryType: 'MULTIPOLYGON', srsId: 4547, identifier: '地类图斑', description: '2023年度国土变更调查 地类图斑（演示）',
      fields: [...text.map((n) => ({ name: n, type: 'TEXT' as const })), { name: 'TBMJ', type: 'REAL' }],
    });
    for (const p of w.parcels) {
      const owner = `${p.village}0000000`;
      layer.add(
        { type: 'MultiPolygon', coordinates: p.geom.map((poly) => poly.map((r) => r.map(toGk))) },
        { BSM: p.bsm, YSDM: '2001010100', TBBH: p.tbbh, DLBM: p.dlbm, DLMC: dlmc(p.dlbm), QSXZ: '30', QSDWDM: owner, QSDWMC: villageName.get(p.village) ?? '', ZLDWDM: owner, ZLDWMC: villageName.get(p.village) ?? '', TBMJ: area2(p.geom) },
      );
    }
    gpkg.close();
  } catch (err) {
    gpkg.abort();
    throw err;
  }
  return name;
}

function writePatches(dir: string, w: World): string {
  const name = 'JCTB_change_patches_2025.geojson';
  const ll = (p: Pt): number[] => toLonLat(p).map((v) => Math.round(v * 1e9) / 1e9);
  // 是否压占永久基本农田 / 是否涉及生态保护红线, as the ministry marks its patches.
  const touches = (g: MPoly, layer: readonly { geom: MPoly }[]): '是' | '否' =>
    layer.some((f) => boxesOverlap(bbox(g), bbox(f.geom)) && area(intersection(g, f.geom)) > 0) ? '是' : '否';
  const features = w.patches.map((p) => ({
    type: 'Feature',
    properties: {
      JCBH: p.id, XZQDM: villageOf(w, centroid(p.geom)), TBLX: p.kind, QSX: '2024-10-15', HSX: '2025-04-20', MJ: area2(p.geom),
      SFYN: touches(p.geom, w.farmland), SFHX: touches(p.geom, w.redlines),
    },
    geometry: p.geom.length === 1
      ? { type: 'Polygon', coordinates: (p.geom[0] ?? []).map((r) => [...r, r[0] as Pt].map(ll)) }
      : { type: 'MultiPolygon', coordinates: p.geom.map((poly) => poly.map((r) => [...r, r[0] as Pt].map(ll))) },
  }));
  const fc = { type: 'FeatureCollection', name: 'JCTB_change_patches_2025', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features };
  writeFileSync(join(dir, name), JSON.stringify(fc, null, 1) + '\n');
  return name;
}
