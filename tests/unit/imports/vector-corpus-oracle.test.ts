/**
 * Oracle sweep (issue #3 item 8): every file under ../shared/data/vector/ that LandWatch claims to
 * read is read by our readers and by GDAL (`ogrinfo` / `ogr2ogr`, Debian gdal-bin). Where GDAL reads
 * the file, both must agree on the layer set, the feature count per layer and the total planar
 * polygon area per layer (shoelace in the file's own coordinates). Where GDAL cannot open it,
 * LandWatch must reject it with a ReaderError naming the file — never a crash, TypeError or hang.
 * Known, deliberate disagreements are listed in ALLOWED below, and each is asserted to still hold.
 */
import { readdirSync, existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Geometry, Position } from 'geojson';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { ReaderError } from '../../../api/src/imports/readers/reader-error.ts';
import type { ReadOptions } from '../../../api/src/imports/readers/reader.types.ts';
import { corpus, needs } from './corpus.helper.ts';
import { ogrFeatures, ogrLayerNames } from './gdal-oracle.helper.ts';

const run = promisify(execFile);
const VECTOR = corpus('vector');
const requirement = needs({ corpus: ['vector'], tools: ['ogrinfo', 'ogr2ogr'] });

/**
 * Extensions openSource reads as a layer source (see BY_EXTENSION in open-source.ts). Sidecars
 * (.shx, .prj, .cpg, .sbn, .sbx, .qix, .csvt, .txt, .xml…) are not swept on their own: they are
 * read as part of their .shp / .csv. A .dbf is swept only when it has no .shp beside it (the case
 * "a .dbf alone": see the geometry-less rule below); with a .shp it is part of that shapefile.
 * The mbostock-shapefile .json files are expected outputs of that project, but valid GeoJSON: swept.
 */
const LAYER_EXTENSIONS = new Set(['shp', 'dbf', 'zip', 'kmz', 'gpkg', 'geojson', 'json', 'geojsonl', 'geojsons', 'ndjson', 'jsonl', 'geojsonseq', 'csv', 'tsv', 'kml']);

function extensionOf(name: string): string {
  return (/\.([^./\\]+)$/.exec(name)?.[1] ?? '').toLowerCase();
}

/** Corpus files to sweep, relative to the vector folder, sorted. */
function sweepFiles(): string[] {
  if (!existsSync(VECTOR)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const stems = new Set(entries.filter((e) => e.isFile() && extensionOf(e.name) === 'shp').map((e) => e.name.replace(/\.[^.]+$/, '').toLowerCase()));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (LAYER_EXTENSIONS.has(extensionOf(e.name))) {
        if (extensionOf(e.name) === 'dbf' && stems.has(e.name.replace(/\.[^.]+$/, '').toLowerCase())) continue;
        out.push(path.relative(VECTOR, full));
      }
    }
  };
  walk(VECTOR);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Area: planar shoelace in the file's own coordinates; holes subtracted; points and lines count 0.

/** |area| of a ring; relative to its first vertex, so that coordinates far from 0 do not cancel out. */
function ringArea(ring: Position[]): number {
  const [x0 = 0, y0 = 0] = ring[0] ?? [];
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [ax = 0, ay = 0] = ring[i] as Position;
    const [bx = 0, by = 0] = ring[(i + 1) % n] as Position;
    sum += (ax - x0) * (by - y0) - (bx - x0) * (ay - y0);
  }
  return Math.abs(sum) / 2;
}

function polygonArea(rings: Position[][]): number {
  const [outer, ...holes] = rings;
  if (!outer) return 0;
  return holes.reduce((area, hole) => area - ringArea(hole), ringArea(outer));
}

/** Planar area of a GeoJSON geometry (0 for null, points and lines). */
function geometryArea(g: Geometry | null | undefined): number {
  if (!g) return 0;
  switch (g.type) {
    case 'Polygon':
      return polygonArea(g.coordinates);
    case 'MultiPolygon':
      return g.coordinates.reduce((s, p) => s + polygonArea(p), 0);
    case 'GeometryCollection':
      return g.geometries.reduce((s, part) => s + geometryArea(part), 0);
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------

interface LayerSummary {
  count: number;
  /** Features with a non-null geometry. */
  withGeometry: number;
  area: number;
}
type Summary = Map<string, LayerSummary>;

/** How GDAL is asked to read a file; the intent is the same as ours, only GDAL needs telling. */
interface GdalSettings {
  /** Path (or /vsizip/ path) GDAL opens instead of the file. */
  path?: string;
  /** Extra ogr2ogr arguments. */
  args?: string[];
}

const SETTINGS: Record<string, GdalSettings> = {
  // The shapefile sits in a folder inside the zip; openSource finds .shp files in any folder,
  // GDAL's Shapefile driver reads one directory, so it is pointed at that directory.
  'shapefile-js/test-data/T8Th4_6n.zip': { path: `/vsizip/${path.join(VECTOR, 'shapefile-js/test-data/T8Th4_6n.zip')}/export` },
  // MultiPatch records (TIN / triangle strips) have no GeoJSON type: ogr2ogr stops unless told to
  // write them as MultiPolygon, which is what our reader makes of them.
  'gdal/ogr-data-shp/multipatch.shp': { args: ['-nlt', 'MULTIPOLYGON'] },
};

const ENV = { ...process.env, CPL_LOG: '/dev/null' };

/**
 * A .shp without .shx: GDAL refuses it unless SHAPE_RESTORE_SHX=YES, which writes a .shx beside
 * the file. The corpus is read-only for tests, so GDAL reads a copy in a temporary folder.
 */
async function withRestoredShx<T>(file: string, body: (copy: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lw-oracle-'));
  try {
    const src = path.dirname(path.join(VECTOR, file));
    const stem = path.basename(file).replace(/\.[^.]+$/, '').toLowerCase();
    for (const name of readdirSync(src)) {
      if (name.replace(/\.[^.]+$/, '').toLowerCase() === stem) await copyFile(path.join(src, name), path.join(dir, name));
    }
    return await body(path.join(dir, path.basename(file)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function needsShxRestore(file: string): boolean {
  if (extensionOf(file) !== 'shp') return false;
  const dir = path.dirname(path.join(VECTOR, file));
  const stem = path.basename(file).replace(/\.[^.]+$/, '').toLowerCase();
  return !readdirSync(dir).some((n) => extensionOf(n) === 'shx' && n.replace(/\.[^.]+$/, '').toLowerCase() === stem);
}

function summarize(features: { geometry: Geometry | null }[]): LayerSummary {
  return {
    count: features.length,
    withGeometry: features.filter((f) => f.geometry !== null).length,
    area: features.reduce((s, f) => s + geometryArea(f.geometry), 0),
  };
}

/**
 * GDAL's reading: layers, counts, areas; null when GDAL cannot open the file (ogrinfo fails).
 * ogr2ogr failing on a file ogrinfo opens is thrown.
 */
async function gdalSummary(file: string): Promise<Summary | null> {
  const settings = SETTINGS[file] ?? {};
  if (needsShxRestore(file)) {
    return withRestoredShx(file, async (copy) => {
      const config = { SHAPE_RESTORE_SHX: 'YES' };
      try {
        await run('ogrinfo', ['-ro', '-so', '-q', '--config', 'SHAPE_RESTORE_SHX', 'YES', copy], { env: ENV, timeout: 60_000 });
      } catch {
        return null;
      }
      const features = await ogrFeatures(copy, { config, args: settings.args });
      return new Map([[path.basename(file).replace(/\.[^.]+$/, ''), summarize(features)]]);
    });
  }
  const gdalPath = settings.path ?? (extensionOf(file) === 'zip' ? `/vsizip/${path.join(VECTOR, file)}` : path.join(VECTOR, file));
  let layers: string[];
  try {
    await run('ogrinfo', ['-ro', '-so', '-q', gdalPath], { env: ENV, timeout: 60_000 });
    layers = await ogrLayerNames(gdalPath);
  } catch {
    return null;
  }
  // Opened but no layer (a KML of styles only, a zip with nothing GDAL reads): an empty reading.
  const out: Summary = new Map();
  for (const layer of layers) out.set(layer, summarize(await ogrFeatures(gdalPath, { layer, args: settings.args })));
  return out;
}

async function oursSummary(file: string, options: ReadOptions = {}): Promise<Summary> {
  const out: Summary = new Map();
  for (const layer of await openSource(path.join(VECTOR, file), options)) {
    const s: LayerSummary = { count: 0, withGeometry: 0, area: 0 };
    for await (const f of layer.features()) {
      s.count++;
      if (f.geometry) s.withGeometry++;
      s.area += geometryArea(f.geometry);
    }
    out.set(layer.layer, s);
  }
  return out;
}

/** Sums every layer into one (KML: GDAL makes a layer per folder, we read one layer per document). */
function merged(summary: Summary): LayerSummary {
  const out: LayerSummary = { count: 0, withGeometry: 0, area: 0 };
  for (const l of summary.values()) {
    out.count += l.count;
    out.withGeometry += l.withGeometry;
    out.area += l.area;
  }
  return out;
}

function sameArea(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-9;
}

/**
 * Pairs our layers with GDAL's. Names are compared case-insensitively; single-layer files pair
 * whatever the names (we name a GeoJSON/CSV layer after the file, GDAL after the document's
 * "name" member or the file); KML files are compared as one merged layer (GDAL: one layer per
 * folder; LandWatch: one layer per document).
 */
function differences(file: string, ours: Summary, gdal: Summary): string[] {
  const diffs: string[] = [];
  const compare = (name: string, a: LayerSummary, b: LayerSummary) => {
    if (a.count !== b.count) diffs.push(`${name}: feature count ${a.count} ≠ GDAL ${b.count}`);
    // 10 significant digits in the message, so that allow-listed differences stay stable text.
    if (!sameArea(a.area, b.area)) diffs.push(`${name}: area ${a.area.toPrecision(10)} ≠ GDAL ${b.area.toPrecision(10)}`);
  };
  const ext = extensionOf(file);
  if (ext === 'kml' || ext === 'kmz') {
    compare('(all layers)', merged(ours), merged(gdal));
    return diffs;
  }
  if (ours.size === 1 && gdal.size === 1) {
    const [[oname, a]] = [...ours] as [[string, LayerSummary]];
    const [[gname, b]] = [...gdal] as [[string, LayerSummary]];
    compare(`${oname}/${gname}`, a, b);
    return diffs;
  }
  const gdalByName = new Map([...gdal].map(([n, s]) => [n.toLowerCase(), { n, s }]));
  for (const [name, a] of ours) {
    const match = gdalByName.get(name.toLowerCase());
    if (!match) {
      diffs.push(`layer ${name}: GDAL has no such layer (GDAL: ${[...gdal.keys()].join(', ')})`);
      continue;
    }
    gdalByName.delete(name.toLowerCase());
    compare(name, a, match.s);
  }
  for (const { n } of gdalByName.values()) diffs.push(`layer ${n}: only GDAL reads it (ours: ${[...ours.keys()].join(', ')})`);
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// Deliberate disagreements, each asserted to still hold (so the list cannot rot).

type Allowed =
  /** GDAL reads the file; we refuse it with this ReaderError code on purpose. */
  | { reason: string; weReject: string }
  /** GDAL cannot read the file (ogrinfo or ogr2ogr fails); we read it, with this feature count. */
  | { reason: string; weRead: number }
  /** Both read it; these differences (exact text from differences()) are expected. */
  | { reason: string; differ: string[] };

const ALLOWED: Record<string, Allowed> = {
  // --- GDAL cannot read these; we can, and should.
  'gdal/ogr-data-csv/single_column.csv': {
    reason: 'GDAL\'s CSV driver does not open a one-column .csv; the column is WKT ("POINT (1 2)"), which LandWatch reads',
    weRead: 1,
  },
  'gdal/ogr-data-geojson/feature_with_type_Topology_property.json': {
    reason: 'GDAL sees "type": "Topology" (here a property value) and hands the file to its TopoJSON driver, which fails; it is a plain FeatureCollection with one null-geometry feature',
    weRead: 1,
  },
  'gdal/ogr-data-kml/gx_track_without_when.kml': {
    reason: 'ogr2ogr (GDAL 3.6.2) segfaults on a <gx:Track> without <when>; LandWatch reads the track as a LineString',
    weRead: 1,
  },

  // --- GDAL reads these; we refuse on purpose.
  'gdal/ogr-data-geojson/stac_item.json': {
    reason: 'not valid JSON: a trailing comma in the "stac_extensions" array; GDAL\'s json-c parser tolerates it, LandWatch rejects the file naming the member and byte',
    weReject: 'GEOJSON_INVALID',
  },
  'mbostock-shapefile/test/ne_10m_time_zones.shp': {
    reason: 'record 7 declares a 208 MB content length at offset 19556 in a 2.4 MB file (corrupt/cut); GDAL (.shx restored) returns 6 polygons and a 7th feature with null geometry, LandWatch stops with SHP_CORRUPT at record 7 rather than import a silently truncated layer',
    weReject: 'SHP_CORRUPT',
  },

  // --- Both read these, with a known, explained difference.
  'gdal/ogr-data-gpkg/relation_mapping_table.gpkg': {
    reason: 'my_mapping_table is a GeoPackage "attributes" table (related-tables mapping), not a feature table; LandWatch imports feature tables only',
    differ: ['layer my_mapping_table: only GDAL reads it (ours: a, b)'],
  },
  'gdal/ogr-data-kml/samples.kml': {
    reason: 'GDAL turns the <GroundOverlay> (Mount Etna image) into a polygon feature from its LatLonBox; LandWatch reads Placemarks only — an image footprint is not survey data',
    differ: ['(all layers): feature count 20 ≠ GDAL 21', '(all layers): area 0.00002997522380 ≠ GDAL 0.3434306947'],
  },
  'gdal/ogr-data-shp/multipatch.shp': {
    reason: 'MultiPatch (3D surface) records are deliberately unsupported: the row is kept with problem UNSUPPORTED_SHAPE and no geometry; GDAL (told -nlt MULTIPOLYGON) gives its triangles, area 80',
    differ: ['multipatch/multipatch: area 0.000000000 ≠ GDAL 80.00000000'],
  },
  'shapefile-js/test-data/no-dbf.zip': {
    reason: 'the zip holds a .shp with neither .shx nor .dbf; GDAL cannot restore a .shx inside a zip and sees no layer, LandWatch reads the .shp sequentially (the same .shp unzipped, no-dbf.shp, is compared with GDAL)',
    differ: ['layer no-dbf: GDAL has no such layer (GDAL: )'],
  },
  // Feature 14 (Essex) has a 5-vertex self-intersecting ring (a bow-tie, starts at
  // -70.810805,42.748844). Its shoelace sum is negative (clockwise → outer ring, ours); GDAL decides
  // orientation by the turn at the lowest vertex, finds it counter-clockwise and makes it a hole.
  // The ring is invalid either way (area 3.2e-7 deg², the totals differ by twice that).
  'shapefile-js/test-data/counties.shp': {
    reason: 'self-intersecting ring in feature 14: orientation by shoelace (ours) vs lowest-vertex turn (GDAL)',
    differ: ['counties/counties: area 2.284239877 ≠ GDAL 2.284239233'],
  },
  'shapefile-js/test-data/counties.zip': {
    reason: 'same data as counties.shp (self-intersecting ring in feature 14)',
    differ: ['counties/counties: area 2.284239877 ≠ GDAL 2.284239233'],
  },
  'shapefile-js/test-data/no-dbf.shp': {
    reason: 'same geometry as counties.shp (self-intersecting ring in feature 14)',
    differ: ['no-dbf/no-dbf: area 2.284239877 ≠ GDAL 2.284239233'],
  },
};

/**
 * Decided rules, asserted for every file they apply to (not allow-listed one by one):
 *
 * - Geometry-less tables: a .dbf with no .shp, a zip holding only a .dbf, a CSV without WKT or
 *   lon/lat columns. GDAL opens them as attribute tables (every feature without geometry);
 *   openSource refuses them with SHP_MISSING / CSV_NO_GEOMETRY — a survey layer with nothing to
 *   draw is a missing .shp or a wrong column, and saying so beats importing empty rows.
 * - CRS we cannot name: LandWatch refuses a shapefile/GeoPackage whose CRS it cannot map to an
 *   EPSG code (SRS_REQUIRED / SRS_UNRECOGNIZED / SRS_UNSUPPORTED, message says "pass --srs"), where
 *   GDAL just carries the WKT along. Readers do not reproject, so the test asserts that clear error
 *   and then reads again with an explicit srs, as a user would, and compares counts and areas.
 */
const NO_GEOMETRY_CODES = new Set(['SHP_MISSING', 'CSV_NO_GEOMETRY']);
const SRS_CODES = new Set(['SRS_REQUIRED', 'SRS_UNRECOGNIZED', 'SRS_UNSUPPORTED']);

async function attempt<T>(body: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await body() };
  } catch (error) {
    return { error };
  }
}

function expectReaderError(error: unknown, file: string, codes?: Set<string>): void {
  expect(error, `${file}: ${String(error)}`).toBeInstanceOf(ReaderError);
  const e = error as ReaderError;
  if (codes) expect([...codes], `${file}: ${e.message}`).toContain(e.code);
  // Names the file (or its .prj / .dbf part, or the archive member: same base name).
  expect(e.message, 'the message names the file').toContain(path.basename(file).replace(/\.[^.]+$/, ''));
}

/** GDAL, guarded: a crash of ogr2ogr (e.g. a segfault) counts as "GDAL cannot read it". */
async function gdalOrNull(file: string): Promise<Summary | null> {
  try {
    return await gdalSummary(file);
  } catch {
    return null;
  }
}

const FILES = sweepFiles();

describe.skipIf(requirement.skip)('vector corpus: LandWatch agrees with GDAL (ogr2ogr)', () => {
  it('finds the corpus', () => {
    requirement.check();
    expect(FILES.length).toBeGreaterThan(100);
    for (const file of Object.keys(ALLOWED)) expect(FILES, `allow-listed ${file} is not in the corpus`).toContain(file);
  });

  it.each(FILES)('%s', async (file) => {
    requirement.check();
    const allowed = ALLOWED[file];
    const gdal = await gdalOrNull(file);
    let ours = await attempt(() => oursSummary(file));

    if (allowed && 'weRead' in allowed) {
      expect(gdal, `${file}: GDAL reads it now (${allowed.reason})`).toBeNull();
      expect('value' in ours ? merged(ours.value).count : ours.error).toBe(allowed.weRead);
      return;
    }
    if (allowed && 'weReject' in allowed) {
      expect(gdal, `${file}: GDAL no longer reads it (${allowed.reason})`).not.toBeNull();
      // Past a CRS question (see below), the refusal we mean.
      if ('error' in ours && ours.error instanceof ReaderError && SRS_CODES.has(ours.error.code) && !SRS_CODES.has(allowed.weReject)) {
        ours = await attempt(() => oursSummary(file, { srs: 4326 }));
      }
      expectReaderError('error' in ours ? ours.error : null, file, new Set([allowed.weReject]));
      return;
    }
    if (gdal === null) {
      // GDAL cannot open it: we must refuse it cleanly too.
      expectReaderError('error' in ours ? ours.error : null, file);
      return;
    }
    if ('error' in ours && ours.error instanceof ReaderError && NO_GEOMETRY_CODES.has(ours.error.code)) {
      expect(merged(gdal).withGeometry, `${file}: GDAL finds geometry, we say ${ours.error.code}`).toBe(0);
      expectReaderError(ours.error, file, NO_GEOMETRY_CODES);
      return;
    }
    if ('error' in ours && ours.error instanceof ReaderError && SRS_CODES.has(ours.error.code)) {
      expectReaderError(ours.error, file, SRS_CODES);
      ours = await attempt(() => oursSummary(file, { srs: 4326 }));
    }
    if ('error' in ours) {
      const counts = [...gdal].map(([n, s]) => `${n}: ${s.count}`).join(', ');
      throw new Error(`${file}: GDAL reads it (${counts}) but LandWatch threw ${String(ours.error)}`, { cause: ours.error });
    }
    expect(differences(file, ours.value, gdal)).toEqual(allowed && 'differ' in allowed ? allowed.differ : []);
  });
});
