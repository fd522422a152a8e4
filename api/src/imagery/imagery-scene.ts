/**
 * One imagery date as a set of named bands on one grid: a single multi-band GeoTIFF or one file per
 * band (as Sentinel-2 ships B02/B03/B04/B08), with its band map and acquisition date.
 */
import path from 'node:path';
import { guessBandMap, parseBandSpec, resolveDate, BAND_NAMES, type BandFileFacts, type BandMap, type BandName } from './band-map.parser.ts';
import { ImageryError } from './imagery-errors.ts';
import { openRaster, rasterCrs, type RasterFile, type RasterInfo } from './geotiff.reader.ts';
import { sameCrs, type CrsResolver } from './raster-crs.ts';
import { sameGrid, type PixelWindow, type RasterGrid } from './raster-grid.ts';
import { resolveRasterLimits, type RasterLimits } from './raster-limits.ts';

/** Float32 data of named bands for one window, plus validity (1 = every band valid there). */
export interface SceneWindow {
  width: number;
  height: number;
  data: Partial<Record<BandName, Float32Array>>;
  valid: Uint8Array;
}

/** Anything that reads named bands window by window on a known grid (a scene, or a scene resampled). */
export interface BandReader {
  readonly grid: RasterGrid;
  readonly bands: readonly BandName[];
  read(window: PixelWindow, bands?: readonly BandName[]): Promise<SceneWindow>;
}

/** Options of {@link openScene}. */
export interface SceneOptions {
  /** `--bands` spec; guessed from names/metadata when absent. */
  bands?: string;
  /** An explicit band map by file index (the registry's form); wins over `bands`. */
  bandMap?: Partial<Record<BandName, { file: number; band: number }>>;
  /** YYYY-MM-DD; taken from the file names when absent. */
  date?: string;
  /** EPSG code overriding the files' own CRS. */
  srs?: number;
  /** Label for messages ('before', 'after', …). */
  label?: string;
  limits?: Partial<RasterLimits>;
  crsResolver?: CrsResolver;
}

/** One imagery date, open for reading. Close it when done. */
export interface Scene extends BandReader {
  readonly date: string;
  readonly bandMap: BandMap;
  readonly files: RasterInfo[];
  readonly notes: string[];
  readonly bandMapHow: string;
  close(): Promise<void>;
}

/**
 * Opens the files of one date. Throws ImageryError: BAND_MAP_INVALID, DATE_MISSING, GRID_MISMATCH
 * (band files of one date on different grids), NO_GEOREFERENCING, UNSUPPORTED_CRS and any reader error.
 */
export async function openScene(paths: string[], options: SceneOptions = {}): Promise<Scene> {
  const label = options.label ?? 'imagery';
  if (paths.length === 0) throw new ImageryError('FILE_NOT_FOUND', `no ${label} file given`, undefined, label);
  const limits = resolveRasterLimits(options.limits);
  const rasters: RasterFile[] = [];
  try {
    for (const p of paths) rasters.push(await openRaster(p, limits));
    const facts: BandFileFacts[] = rasters.map((r) => ({ path: r.info.path, bandCount: r.info.bandCount, descriptions: r.info.descriptions, photometric: r.info.photometric, alphaBand: r.info.alphaBand }));
    const guessed = options.bandMap
      ? { map: fromIndexMap(options.bandMap, paths), how: 'registry', notes: [] as string[] }
      : options.bands
        ? { map: parseBandSpec(options.bands, facts), how: 'option', notes: [] as string[] }
        : guessBandMap(facts);
    const date = resolveDate(paths, options.date, label);
    const used = rasters.filter((r) => Object.values(guessed.map).some((s) => s.file === r.info.path));
    const notes = [...guessed.notes];
    for (const r of rasters) if (!used.includes(r)) notes.push(`${r.info.file}: not used by the band map`);
    const grids: RasterGrid[] = [];
    for (const r of used) grids.push(r.grid(await rasterCrs(r, options.srs, options.crsResolver)));
    const grid = grids[0] as RasterGrid;
    grids.forEach((g, i) => {
      if (!sameGrid(grid, g, sameCrs)) {
        throw new ImageryError('GRID_MISMATCH', `${(used[i] as RasterFile).info.file} is ${g.width} × ${g.height} on another grid than ${(used[0] as RasterFile).info.file} (${grid.width} × ${grid.height}); resample them to one grid first`, (used[i] as RasterFile).info.file);
      }
    });
    for (const r of rasters) if (!used.includes(r)) await r.close();
    return new FileScene(date, grid, guessed.map, used, notes, guessed.how);
  } catch (error) {
    await Promise.all(rasters.map((r) => r.close().catch(() => undefined)));
    throw error;
  }
}

function fromIndexMap(m: Partial<Record<BandName, { file: number; band: number }>>, paths: string[]): BandMap {
  const out: BandMap = {};
  for (const [band, s] of Object.entries(m) as Array<[BandName, { file: number; band: number }]>) {
    const file = paths[s.file];
    if (file === undefined) throw new ImageryError('BAND_MAP_INVALID', `${band} names file #${s.file} of ${paths.length}`, undefined, 'bands');
    out[band] = { file: path.resolve(file), band: s.band };
  }
  return out;
}

class FileScene implements Scene {
  readonly bands: readonly BandName[];
  readonly files: RasterInfo[];

  constructor(
    readonly date: string,
    readonly grid: RasterGrid,
    readonly bandMap: BandMap,
    private readonly rasters: RasterFile[],
    readonly notes: string[],
    readonly bandMapHow: string,
  ) {
    this.bands = BAND_NAMES.filter((b) => bandMap[b] !== undefined);
    this.files = rasters.map((r) => r.info);
  }

  async read(window: PixelWindow, bands: readonly BandName[] = this.bands): Promise<SceneWindow> {
    const width = window[2] - window[0];
    const height = window[3] - window[1];
    const valid = new Uint8Array(width * height).fill(1);
    const data: Partial<Record<BandName, Float32Array>> = {};
    for (const raster of this.rasters) {
      const wanted = bands.filter((b) => this.bandMap[b]?.file === raster.info.path);
      if (wanted.length === 0) continue;
      const got = await raster.read(window, wanted.map((b) => (this.bandMap[b] as { band: number }).band));
      wanted.forEach((b, i) => (data[b] = got.bands[i] as Float32Array));
      for (let i = 0; i < valid.length; i++) valid[i] = (valid[i] as number) & (got.valid[i] as number);
    }
    for (const b of bands) if (!data[b]) throw new ImageryError('BAND_MISSING', `${b} is not in the band map of ${this.files.map((f) => path.basename(f.path)).join(', ')}`, undefined, 'bands');
    return { width, height, data, valid };
  }

  async close(): Promise<void> {
    await Promise.all(this.rasters.map((r) => r.close().catch(() => undefined)));
  }
}
