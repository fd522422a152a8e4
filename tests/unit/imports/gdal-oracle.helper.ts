/**
 * GDAL as the oracle: runs `ogr2ogr -f GeoJSON /vsistdout/` on a file and compares its features with
 * what our readers produce (count, attribute values incl. Chinese text, 2D coordinates).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { SourceFeature, SourceLayer } from '../../../api/src/imports/readers/reader.types.ts';

const run = promisify(execFile);

/** Options passed to ogr2ogr. */
export interface OgrOptions {
  layer?: string;
  /** Open options, e.g. ['ENCODING=CP936']. */
  openOptions?: string[];
  /** --config KEY VALUE pairs. */
  config?: Record<string, string>;
  /** Extra ogr2ogr arguments, e.g. ['-nlt', 'MULTIPOLYGON'] for geometry types GeoJSON cannot hold. */
  args?: string[];
}

/** Layer names GDAL sees in a file. */
export async function ogrLayerNames(file: string): Promise<string[]> {
  // The summary's "Layer name:" lines, not "1: name (type)": a name may itself end in "(…)"
  // (KML duplicate folders become "layer (#2)") and a type list may nest parentheses.
  const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', file], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => /^Layer name: (.*)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** GDAL's features of every layer of a file, concatenated in layer order (KML folders). */
export async function ogrAllFeatures(file: string, options: Omit<OgrOptions, 'layer'> = {}): Promise<Feature[]> {
  const out: Feature[] = [];
  for (const layer of await ogrLayerNames(file)) out.push(...(await ogrFeatures(file, { ...options, layer })));
  return out;
}

/** GDAL's reading of a layer, as GeoJSON features (2D, full precision). */
export async function ogrFeatures(file: string, options: OgrOptions = {}): Promise<Feature[]> {
  const args = ['-f', 'GeoJSON', '/vsistdout/', '-dim', 'XY', '-lco', 'RFC7946=NO', '-lco', 'WRITE_BBOX=NO'];
  for (const oo of options.openOptions ?? []) args.push('-oo', oo);
  args.push(...(options.args ?? []));
  for (const [k, v] of Object.entries(options.config ?? {})) args.push('--config', k, v);
  args.push(file);
  if (options.layer) args.push(options.layer);
  const { stdout } = await run('ogr2ogr', args, { maxBuffer: 512 * 1024 * 1024, env: { ...process.env, CPL_LOG: '/dev/null' } });
  return (JSON.parse(stdout) as FeatureCollection).features;
}

/** Reads every feature of a layer into memory (tests only). */
export async function collect(layer: SourceLayer): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const f of layer.features()) out.push(f);
  return out;
}

function coordsDiff(a: unknown, b: unknown, tol: number, where: string, out: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= tol)) out.push(`${where}: ${a} ≠ ${b}`);
    return;
  }
  if (!Array.isArray(a) || !Array.isArray(b)) {
    out.push(`${where}: ${JSON.stringify(a)?.slice(0, 60)} ≠ ${JSON.stringify(b)?.slice(0, 60)}`);
    return;
  }
  if (a.length !== b.length) {
    out.push(`${where}: length ${a.length} ≠ ${b.length}`);
    return;
  }
  a.forEach((v, i) => coordsDiff(v, b[i], tol, `${where}[${i}]`, out));
}

function dropEmpty(coords: unknown): unknown {
  if (!Array.isArray(coords) || typeof coords[0] === 'number') return coords;
  return coords.map(dropEmpty).filter((c) => !(Array.isArray(c) && c.length === 0));
}

/** GDAL writes empty geometries and empty rings ("coordinates": []); our readers give null / leave them out. */
function normalizeGdalGeometry(g: Geometry | null): Geometry | null {
  if (!g) return null;
  if (g.type === 'GeometryCollection') return g.geometries.length ? g : null;
  const coords = dropEmpty(g.coordinates);
  if (Array.isArray(coords) && coords.length === 0) return null;
  return { ...g, coordinates: coords } as Geometry;
}

/** Differences between two geometries (type and coordinates within `tol`). */
export function geometryDiff(ours: Geometry | null, gdalRaw: Geometry | null, tol: number, where: string): string[] {
  const gdal = normalizeGdalGeometry(gdalRaw);
  const out: string[] = [];
  if (!ours || !gdal) {
    if (ours !== gdal) out.push(`${where}: geometry ${ours?.type ?? 'null'} ≠ ${gdal?.type ?? 'null'}`);
    return out;
  }
  if (ours.type !== gdal.type) return [`${where}: type ${ours.type} ≠ ${gdal.type}`];
  if (ours.type === 'GeometryCollection' && gdal.type === 'GeometryCollection') {
    if (ours.geometries.length !== gdal.geometries.length) return [`${where}: ${ours.geometries.length} parts ≠ ${gdal.geometries.length}`];
    ours.geometries.forEach((g, i) => out.push(...geometryDiff(g, gdal.geometries[i] ?? null, tol, `${where}.${i}`)));
    return out;
  }
  coordsDiff((ours as { coordinates: unknown }).coordinates, (gdal as { coordinates: unknown }).coordinates, tol, where, out);
  return out;
}

/** Options of {@link compareWithGdal}. */
export interface CompareOptions {
  /** Absolute coordinate tolerance (default 1e-9). */
  tolerance?: number;
  /** Our property names → GDAL's (e.g. KML name → Name). */
  rename?: Record<string, string>;
  /** Properties to leave out on both sides. */
  ignore?: string[];
  /** Compare numbers with this relative tolerance (GDAL prints reals with 15 significant digits). */
  numberTolerance?: number;
}

function sameValue(a: unknown, b: unknown, numberTol: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= numberTol * Math.max(1, Math.abs(b));
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b || Number(b) === a;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** All differences between our features and GDAL's, as readable lines (empty = identical). */
export function compareWithGdal(ours: SourceFeature[], gdal: Feature[], options: CompareOptions = {}): string[] {
  const tol = options.tolerance ?? 1e-9;
  const numberTol = options.numberTolerance ?? 1e-12;
  const ignore = new Set(options.ignore ?? []);
  const diffs: string[] = [];
  if (ours.length !== gdal.length) diffs.push(`feature count ${ours.length} ≠ ${gdal.length}`);
  const n = Math.min(ours.length, gdal.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i] as SourceFeature;
    const b = gdal[i] as Feature;
    const gp = (b.properties ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(a.properties)) {
      if (ignore.has(key)) continue;
      const gkey = options.rename?.[key] ?? key;
      const gv = gp[gkey] ?? null;
      if (!sameValue(value, gv, numberTol)) diffs.push(`#${i + 1} ${key}: ${JSON.stringify(value)} ≠ ${JSON.stringify(gv)}`);
    }
    diffs.push(...geometryDiff(a.geometry, b.geometry, tol, `#${i + 1}`));
  }
  return diffs;
}
