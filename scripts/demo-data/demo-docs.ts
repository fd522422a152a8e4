/**
 * Documents of the demo folder: README.md (what each file is and how to import it),
 * demo-manifest.json (read by `landwatch demo` / api/src/demo), TRUTH.md and truth.json (every
 * planted case with its expected findings).
 */
import { M2_PER_MU } from './demo-crs.ts';
import { DEMO_IMAGERY, DEMO_IMAGERY_PIXEL_M, demoImageryGrid } from './demo-imagery.ts';
import { COUNTY, TOWNSHIP, VILLAGES } from './demo-districts.ts';
import { RULESET, worstBand, type Finding } from './demo-oracle.ts';
import type { DemoWorld } from './demo-world.ts';
import { EPOCH_BASELINE, EPOCH_LATEST, type World } from './demo.types.ts';

/** One delivered dataset: file, kind and how to import it. */
export interface DatasetDoc {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly format: string;
  readonly crs: string;
  readonly encoding: string;
  readonly fields: string;
  readonly count: (w: World) => number;
  readonly epoch?: string;
  readonly layer?: string;
  readonly idField?: string;
  readonly widthField?: string;
}

const SHP = 'Shapefile';
const GK = 'EPSG:4547 (Esri .prj, no EPSG code)';

/** The datasets, in import order. */
export const DATASETS: readonly DatasetDoc[] = [
  { file: 'XZQ_districts.shp', kind: 'district', name: '行政区划（县/镇/村）', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'XZQDM, XZQMC, JB (county/township/village), JBMC, MJ', idField: 'XZQDM', count: (w) => w.districts.length },
  { file: 'YJJBNTTB_basic_farmland.shp', kind: 'basic_farmland', name: '永久基本农田', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'BSM, XZQDM, YJJBNTTBBH, TBBH, DLBM, DLMC, ZLDWDM, ZLDWMC, YJJBNTMJ', idField: 'BSM', count: (w) => w.farmland.length },
  { file: 'DLTB_2023.gpkg', kind: 'cultivated_land', name: '2023年度变更调查 地类图斑', format: 'GeoPackage, layer DLTB', crs: 'EPSG:4547 (gpkg_spatial_ref_sys)', encoding: 'UTF-8', fields: 'BSM, YSDM, TBBH, DLBM, DLMC, QSXZ, QSDWDM, QSDWMC, ZLDWDM, ZLDWMC, TBMJ', layer: 'DLTB', idField: 'BSM', count: (w) => w.parcels.length },
  { file: 'CZKFBJ_development_boundary.shp', kind: 'development_boundary', name: '城镇开发边界', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'BSM, GHFQDM, GHFQMC, MJ', idField: 'BSM', count: (w) => w.boundary.length },
  { file: 'STBHHX_ecological_redline.shp', kind: 'ecological_redline', name: '生态保护红线', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'HXBM, HXMC, HXLX, MJ', idField: 'HXBM', count: (w) => w.redlines.length },
  { file: 'GHYD_planning_zone.shp', kind: 'planning_zone', name: '国土空间规划用地', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'BSM, YDYHFLDM (2023 用地用海分类), YDYHFLMC, MJ', idField: 'BSM', count: (w) => w.zones.length },
  { file: 'passage_lines.shp', kind: 'public_passage', name: '道路与消防通道中心线', format: `${SHP} (polyline)`, crs: GK, encoding: 'GBK (.cpg)', fields: 'BSM, MC, LX (road/fire_lane), LXMC, KD (full width, m; empty on 东湖村道)', idField: 'BSM', widthField: 'KD', count: (w) => w.lines.length },
  { file: 'passage_river.shp', kind: 'public_passage', name: '河道管理范围线', format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'BSM, MC, LX (river), LXMC, KD (empty: it is an area)', idField: 'BSM', count: (w) => w.rivers.length },
  { file: 'permits.zip', kind: 'permit', name: '用地与规划批准（农转用、宅基地、供地、规划许可）', format: `zipped ${SHP}`, crs: GK, encoding: 'GBK (.cpg)', fields: 'PZWH, PZRQ (date), PZYT, PZMJ, XZQDM', idField: 'PZWH', count: (w) => w.permits.length },
  { file: 'demolished_sites.zip', kind: 'demolished_site', name: '违法建筑拆除台账', format: `zipped ${SHP}`, crs: GK, encoding: 'GBK (.cpg)', fields: 'CCBH, CCRQ (date), MC, XZQDM, CCMJ', idField: 'CCBH', count: (w) => w.demolished.length },
  { file: 'JZ_buildings_2023.shp', kind: 'building', name: `建筑物 ${EPOCH_BASELINE}（基期）`, format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'JZBH, CS (floors), JZJG, XZQDM, JZMJ', idField: 'JZBH', epoch: EPOCH_BASELINE, count: (w) => w.buildings2023.length },
  { file: 'JZ_buildings_2025.shp', kind: 'building', name: `建筑物 ${EPOCH_LATEST}（最新）`, format: SHP, crs: GK, encoding: 'GBK (.cpg)', fields: 'JZBH, CS (floors), JZJG, XZQDM, JZMJ', idField: 'JZBH', epoch: EPOCH_LATEST, count: (w) => w.buildings2025.length },
  { file: 'JCTB_change_patches_2025.geojson', kind: 'change_patch', name: '2025年第二季度卫片监测图斑', format: 'GeoJSON (with a "crs" member)', crs: 'EPSG:4490 lon/lat', encoding: 'UTF-8', fields: 'JCBH, XZQDM, TBLX, QSX, HSX, MJ (m², ellipsoidal), SFYN, SFHX', idField: 'JCBH', count: (w) => w.patches.length },
];

/**
 * demo-manifest.json: the list `loadDemo` imports (api/src/demo/demo.service.ts) and the imagery
 * dates it registers.
 */
export function renderManifest(): string {
  const datasets = DATASETS.map((d) => ({
    file: d.file, kind: d.kind, name: d.name,
    ...(d.epoch ? { epoch: d.epoch } : {}), ...(d.layer ? { layer: d.layer } : {}),
    ...(d.idField ? { idField: d.idField } : {}), ...(d.widthField ? { widthField: d.widthField } : {}),
  }));
  const imagery = DEMO_IMAGERY.map((i) => ({ file: i.file, date: i.date, name: i.name, bands: 'blue=1,green=2,red=3,nir=4' }));
  return JSON.stringify({ datasets, imagery }, null, 2) + '\n';
}

const m2 = (v: number): string => v.toFixed(2);
const mu = (v: number): string => (v / M2_PER_MU).toFixed(3);
const r = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;

function importCommand(d: DatasetDoc): string {
  const opts = [
    `--kind ${d.kind}`, d.epoch ? `--epoch ${d.epoch}` : '', d.layer ? `--layer ${d.layer}` : '',
    d.idField ? `--id-field ${d.idField}` : '', d.widthField ? `--width-field ${d.widthField}` : '', `--name "${d.name}"`,
  ].filter(Boolean);
  return `npx landwatch import data/demo/${d.file} ${opts.join(' ')}`;
}

/** README.md of data/demo. */
export function renderReadme(demo: DemoWorld): string {
  const w = demo.world;
  const s = demo.stats;
  const villages = Object.values(VILLAGES).map((v) => `${v.name} \`${v.code}\``).join(', ');
  const grid = demoImageryGrid(w);
  return `# Demo district 演示数据 — ${COUNTY.name} ${TOWNSHIP.name} (fictional)

Generated by \`npx tsx scripts/demo-data/generate-demo.ts --clean\` (seed ${demo.seed}); **do not edit by hand** —
\`tests/unit/demo-data/generate-demo.test.ts\` regenerates it and fails when this folder differs (run it with
\`UPDATE=1\` to rewrite the folder). Options: \`--out DIR\` (default \`data/demo\`), \`--seed N\`, \`--clean\` (empty the
folder first), \`--verify\` (also prove that no unplanted subject has a finding; ~15 s).

A fictional township near 114.05°E, 22.91°N delivered the way a bureau holds its data: GBK shapefiles in
CGCS2000 3° Gauss-Krüger CM 114E (EPSG:4547, false easting 500000) with Esri-style \`.prj\` files that carry no
EPSG code, two of them zipped, 三调 land parcels as a GeoPackage, and the ministry's imagery change patches as
GeoJSON in CGCS2000 lon/lat (EPSG:4490). County \`${COUNTY.code}\` ${COUNTY.name} (not a real code), township
\`${TOWNSHIP.code}\` ${TOWNSHIP.name}, villages/communities (社区 001–199, 村 200–399): ${villages}.

## Files

| file | kind | format | CRS | encoding | features | fields |
|---|---|---|---|---|---|---|
${DATASETS.map((d) => `| \`${d.file}\` | \`${d.kind}\` | ${d.format} | ${d.crs} | ${d.encoding} | ${d.count(w)} | ${d.fields} |`).join('\n')}

\`demo-manifest.json\` lists the same files for \`landwatch demo\` / \`npm start\`. \`TRUTH.md\` and \`truth.json\`
list every planted case with its expected findings.

## Imagery

| file | date | bands | grid | size |
|---|---|---|---|---|
${DEMO_IMAGERY.map((i) => `| \`${i.file}\` | ${i.date} (${i.when}) | blue, green, red, NIR (UInt16, reflectance × 10000) | ${grid.width} × ${grid.height} px, ${DEMO_IMAGERY_PIXEL_M} m, EPSG:4547, DEFLATE | ~200 KB |`).join('\n')}

A before/after pair drawn from the demo world itself (not a real scene): land cover from the DLTB parcels,
the river and roads; the ${EPOCH_BASELINE} buildings as roofs on the ${DEMO_IMAGERY[0].date} date; on the ${DEMO_IMAGERY[1].date} date the ${EPOCH_LATEST}
buildings, where every roof that was not there in 2023 (the planted new buildings, expansions, rebuilds and
the approved new houses) is a **bright new roof**, and the change patches are bare construction sites. The
later date is 4 % brighter overall. \`landwatch demo\` / \`npm start\` registers both dates in the imagery
registry (the map's before/after swipe and the suspect thumbnails); the imagery does not change the suspects.
By hand, and change detection on the pair (~77 patches: every new, grown or demolished roof and the
construction sites; \`--no-import\` keeps them out of the demo's suspects):

\`\`\`sh
${DEMO_IMAGERY.map((i) => `npx landwatch imagery add data/demo/${i.file} --date ${i.date} --bands blue=1,green=2,red=3,nir=4 --name "${i.name}"`).join('\n')}
npx landwatch detect-changes --before data/demo/${DEMO_IMAGERY[0].file} --after data/demo/${DEMO_IMAGERY[1].file} --before-date ${DEMO_IMAGERY[0].date} --after-date ${DEMO_IMAGERY[1].date} --bands blue=1,green=2,red=3,nir=4 --no-import --out patches.geojson
\`\`\`

## Importing by hand

\`\`\`sh
${DATASETS.map(importCommand).join('\n')}
npx landwatch analyze
\`\`\`

## What is inside

- Buildings: ${w.buildings2023.length} in ${EPOCH_BASELINE}, ${w.buildings2025.length} in ${EPOCH_LATEST}. Background: ${s.stockIdentical} unchanged,
  ${s.stockShifted} re-surveyed 5–30 cm off (still the same building), ${s.demolished} demolished in 2024 (with a record in
  \`demolished_sites.zip\`), ${s.newWithPermit} new ones each with its approval; plus ${s.emptyDemolitions} demolition records on lots empty in
  both surveys. Every background building is checked clear of every rule with a 1 m margin, so **only planted
  cases produce findings**.
- Land: ${w.parcels.length} DLTB parcels (0101 水田, 0102 水浇地, 0103 旱地, 0201 果园, 0301 乔木林地, 0601 工业用地, 0701/0702 住宅,
  05H1, 0810, 1005, 1101, 1104) of which ${w.parcels.filter((p) => ['0101', '0102', '0103'].includes(p.dlbm)).length} cultivated; ${w.farmland.length} basic-farmland parcels copied from 0101/0102
  parcels (a few span two parcels, a few lie on orchard 0201, one has a hole).
- Planning zones tile the township: 01 耕地 is whatever no other zone covers (one multipolygon with holes).
- Things importers must cope with: GBK text (.cpg "GBK", LDID 0x4D), Esri \`Gauss_Kruger\` .prj, zipped
  shapefiles, polygons with holes and multipolygons, an empty width (KD) on one road, a GeoJSON \`crs\` member
  naming EPSG:4490, 三调 code 0601 (工业用地) next to planning code 07/09/10 (different code systems).
- GHFQDM values (11 城镇集中建设区, 12 城镇弹性发展区) are illustrative; analysis uses only the geometry.
`;
}

function findingCell(f: Finding): string {
  return `${f.rule} ${m2(f.overlapM2)} m² / ${mu(f.overlapM2)} 亩 (${f.band})`;
}

/** TRUTH.md: assumptions, then one row per planted case. */
export function renderTruthMd(demo: DemoWorld): string {
  const rows = demo.cases.map(({ plan, evaluation: e }) => {
    const subject = `${plan.subjectKind === 'building' ? 'building ' + EPOCH_LATEST : 'change_patch'} \`${plan.subject.id}\``;
    const rules = e.findings.length ? e.findings.map(findingCell).join('<br>') : '**none**';
    const below = e.belowThreshold.length ? `<br>below threshold: ${e.belowThreshold.map((f) => `${f.rule} ${m2(f.overlapM2)} m² (${(f.share * 100).toFixed(2)} %)`).join(', ')}` : '';
    return `| \`${plan.id}\` | ${subject} | ${e.isNew ? 'new' : 'stock'} | ${m2(e.subjectAreaM2)} | ${rules}${below} | ${worstBand(e.findings) ?? '—'} | ${e.village.name} \`${e.village.code}\` | ${plan.title}. ${plan.why} |`;
  });
  const ruleCounts = new Map<string, number>();
  for (const c of demo.cases) for (const f of c.evaluation.findings) ruleCounts.set(f.rule, (ruleCounts.get(f.rule) ?? 0) + 1);
  const suspects = demo.cases.filter((c) => c.evaluation.findings.length > 0).length;
  return `# Ground truth of the demo district

Generated with the data (seed ${demo.seed}); every row is checked by the generator's reference evaluation
(\`scripts/demo-data/demo-oracle.ts\`) — generation fails if a case would not produce exactly these rules.

## Assumed ruleset
- A finding needs an overlap of **≥ ${RULESET.minOverlapM2} m² and ≥ ${RULESET.minOverlapShare * 100} % of the subject's area** (both).
- Area covered by a \`permit\` is subtracted first, for every rule.
- A ${EPOCH_LATEST} building is the **same** (stock) as a ${EPOCH_BASELINE} building when overlap ÷ union ≥ ${RULESET.identityIoU}; otherwise it is **new**.
  Change patches are always new. \`OUTSIDE_BOUNDARY\` and \`NO_PERMIT\` apply to new construction only;
  \`FARMLAND\`, \`CULTIVATED\`, \`ECO_REDLINE\`, \`PASSAGE\`, \`ZONE_USE\` and \`REBUILD\` to stock buildings too.
- \`EXPANSION\`: a stock building that grew by **≥ ${RULESET.expansionMinShare * 100} % and ≥ ${RULESET.expansionMinM2} m²** (growth = area ${EPOCH_LATEST} − area ${EPOCH_BASELINE}; share of the ${EPOCH_BASELINE} area).
- \`PASSAGE\`: centre lines buffered by **KD / 2 on each side** (KD = full width); empty KD → road ${RULESET.passageDefaultWidthM.road} m, fire lane ${RULESET.passageDefaultWidthM.fire_lane} m. River management range is a polygon.
- \`CULTIVATED\`: DLBM ${RULESET.cultivatedCodes.join('/')} minus basic farmland. \`ZONE_USE\`: planning use ${RULESET.forbiddenZoneCodes.join(', ')}. \`REBUILD\`: overlap with a site demolished (CCRQ) before ${EPOCH_LATEST}.
- Severity band of a finding by its overlap in 亩: FARMLAND < ${RULESET.bandsMu.FARMLAND[0]} light, < ${RULESET.bandsMu.FARMLAND[1]} general, else serious;
  CULTIVATED < ${RULESET.bandsMu.CULTIVATED[0]} / < ${RULESET.bandsMu.CULTIVATED[1]}; every other rule < ${RULESET.bandsMu.other[0]} / < ${RULESET.bandsMu.other[1]} ("other land"). A suspect's severity is its worst finding's.
- The suspect's village is the one holding most of its area.

## Areas and tolerance
Areas are **ellipsoidal** (CGCS2000), like \`ST_Area(geom::geography)\`: computed as planar areas in an
ellipsoidal Lambert azimuthal equal-area projection centred on the township (agrees with a geodesic
polygon area to ~10⁻⁹). Compare with a tolerance of **±1 % or ±0.5 m², whichever is larger**. 1 亩 = 10000/15 m².

## Scope
Subjects are the **${EPOCH_LATEST} buildings** and the **change patches**; the ${EPOCH_BASELINE} buildings are the baseline.
Every subject not listed below has **no finding** (the demo test runs the reference evaluation on all of them).
Expected: **${suspects} suspects**; findings per rule: ${[...ruleCounts].sort().map(([k, v]) => `${k} ${v}`).join(', ')}.

## Cases

| case | subject | new/stock | subject m² | expected findings | severity | village | what and why |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

/** truth.json: the same cases, machine-readable. */
export function renderTruthJson(demo: DemoWorld): string {
  const doc = {
    generator: 'scripts/demo-data/generate-demo.ts',
    seed: demo.seed,
    epochs: { baseline: EPOCH_BASELINE, latest: EPOCH_LATEST },
    ruleset: RULESET,
    areas: { method: 'ellipsoidal (CGCS2000), equal-area projection', toleranceRelative: 0.01, toleranceAbsoluteM2: 0.5 },
    scope: 'buildings of the latest epoch and change patches; every subject not listed has no finding',
    cases: demo.cases.map(({ plan, evaluation: e }) => ({
      id: plan.id,
      title: plan.title,
      subject: {
        kind: plan.subjectKind,
        file: plan.subjectKind === 'building' ? 'JZ_buildings_2025.shp' : 'JCTB_change_patches_2025.geojson',
        idField: plan.subjectKind === 'building' ? 'JZBH' : 'JCBH',
        id: plan.subject.id,
        ...(plan.subjectKind === 'building' ? { epoch: EPOCH_LATEST } : {}),
      },
      isNew: e.isNew,
      ...(e.matched ? { baselineId: e.matched.building.id, iou: r(e.matched.iou, 4) } : {}),
      subjectAreaM2: r(e.subjectAreaM2, 2),
      village: e.village,
      severity: worstBand(e.findings),
      findings: e.findings.map((f) => ({ rule: f.rule, overlapM2: r(f.overlapM2, 2), overlapMu: r(f.overlapMu, 4), share: r(f.share, 4), band: f.band })),
      belowThreshold: e.belowThreshold.map((f) => ({ rule: f.rule, overlapM2: r(f.overlapM2, 2), share: r(f.share, 4) })),
      why: plan.why,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
