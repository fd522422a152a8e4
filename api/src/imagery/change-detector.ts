/**
 * Unsupervised change detection between two imagery dates, in bounded memory:
 *   1. sample ≤ 2 M pixels in evenly spaced strips → change model (change-model.ts) and threshold;
 *   2. one pass over the pair in strips: magnitude → threshold → opening → closing → runs labelled
 *      into 4-connected components with their value sums (run-components.ts);
 *   3. components ≥ the minimum area → polygons traced on pixel edges (polygon-tracer.ts), in EPSG:4490.
 * Every parameter is an option with the default documented in docs/change-detection.md.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { BandName } from './band-map.parser.ts';
import { close, morphologyHalo, open } from './binary-morphology.ts';
import { changeMagnitude, fitChangeModel, type ChangeModel, type SampleWindow } from './change-model.ts';
import { alignTo, type ResamplingMethod } from './grid-aligner.ts';
import type { BandReader, SceneWindow } from './imagery-scene.ts';
import { ImageryError } from './imagery-errors.ts';
import { toCgcs2000 } from './raster-crs.ts';
import { gridBoundsLonLat, pixelAreaM2, pixelToMap, type RasterGrid } from './raster-grid.ts';
import { changePatchProperties, orientRing, ringAreaM2, type ChangePatchProperties } from './change-patch.properties.ts';
import { traceRuns, type PixelRing } from './polygon-tracer.ts';
import { RunLabeller, type Component } from './run-components.ts';
import { chunkRowsFor, stripsOf } from './strip-cursor.ts';
import { selectThreshold, type ThresholdMethod } from './threshold.selector.ts';

/** Tunables of a detection run; every one has a documented default. */
export interface ChangeDetectionOptions {
  /** Fixed magnitude threshold (noise-σ units); overrides the automatic one. */
  threshold?: number;
  thresholdMethod?: ThresholdMethod;
  /** Smallest patch kept, m² (ellipsoid-free spherical area of its pixels). Default 200. */
  minAreaM2?: number;
  smoothingRadius?: number;
  openRadius?: number;
  closeRadius?: number;
  pifQuantile?: number;
  /** Pixels sampled for the model and threshold. Default 2,000,000. */
  samplePixels?: number;
  /** Pixels per strip read (bounds memory). Default 1,500,000. */
  stripPixels?: number;
  maxRuns?: number;
  /** Douglas–Peucker tolerance in pixels (below 0.5 keeps rings from crossing). Default 0.45. */
  simplifyTolerance?: number;
  resampling?: ResamplingMethod;
  /** The automatic threshold is at least this quantile of χ with k (bands) degrees of freedom. Default 0.999. */
  noChangeProbability?: number;
  /** Also return the final change mask (row-major, before grid); only for images ≤ 50 M pixels. */
  collectMask?: boolean;
  progress?: (p: { phase: 'sample' | 'detect' | 'polygons'; fraction: number; message: string }) => void;
}

/** The defaults of {@link ChangeDetectionOptions}. */
export const CHANGE_DETECTION_DEFAULTS = {
  thresholdMethod: 'kittler-illingworth' as ThresholdMethod,
  minAreaM2: 200,
  smoothingRadius: 1,
  openRadius: 1,
  closeRadius: 1,
  pifQuantile: 0.5,
  samplePixels: 2_000_000,
  stripPixels: 1_500_000,
  maxRuns: 3_000_000,
  simplifyTolerance: 0.45,
  resampling: 'bilinear' as ResamplingMethod,
  noChangeProbability: 0.999,
};

/** A dated band reader (a scene). */
export interface DatedReader extends BandReader {
  readonly date: string;
}

/** What a run found, with the numbers needed to judge it. */
export interface ChangeDetectionResult {
  patches: Array<Feature<Polygon | MultiPolygon, ChangePatchProperties>>;
  threshold: number;
  thresholdHow: ThresholdMethod | 'option' | 'no-change floor';
  model: ChangeModel;
  stats: {
    width: number;
    height: number;
    bands: BandName[];
    comparedPixels: number;
    changedPixels: number;
    components: number;
    droppedBelowMinArea: number;
    runs: number;
    ms: number;
  };
  /** Final change mask on the before grid (1 = in a kept patch), when collectMask was set. */
  mask?: Uint8Array;
  grid: RasterGrid;
}

/**
 * Finds change patches between `before` and `after` (resampled onto before's grid). Throws
 * ImageryError NO_OVERLAP, BAND_MISSING (no common band), NOT_ENOUGH_PIXELS, TOO_MANY_RUNS. An
 * unchanged pair gives an empty `patches`.
 */
export async function detectChanges(before: DatedReader, after: DatedReader, options: ChangeDetectionOptions = {}): Promise<ChangeDetectionResult> {
  const o = { ...CHANGE_DETECTION_DEFAULTS, ...stripUndefined(options) };
  const t0 = performance.now();
  const grid = before.grid;
  const bands = before.bands.filter((b) => after.bands.includes(b));
  if (bands.length === 0) throw new ImageryError('BAND_MISSING', `no band in both dates (before: ${before.bands.join(', ')}; after: ${after.bands.join(', ')})`, undefined, 'bands');
  if (!boundsOverlap(grid, after.grid)) throw new ImageryError('NO_OVERLAP', `before ${before.date} and after ${after.date} cover disjoint areas`);
  const aligned = alignTo(after, grid, o.resampling);
  const ndvi = bands.includes('red') && bands.includes('nir');
  const halo = o.smoothingRadius + morphologyHalo(o.openRadius, o.closeRadius);
  const progress = o.progress ?? (() => undefined);

  // 1. Sample strips spread over the image (the whole image when it is small).
  const sampleRows = 32;
  const strips = Math.min(Math.ceil(grid.height / sampleRows), Math.max(1, Math.ceil(o.samplePixels / (grid.width * sampleRows))));
  const samples: SampleWindow[] = [];
  for (let s = 0; s < strips; s++) {
    const y0 = strips === 1 ? 0 : Math.round((s * (grid.height - sampleRows)) / Math.max(1, strips - 1));
    const r0 = Math.max(0, y0 - o.smoothingRadius);
    const r1 = Math.min(grid.height, y0 + sampleRows + o.smoothingRadius);
    if (y0 >= grid.height) break;
    const win: [number, number, number, number] = [0, r0, grid.width, strips === 1 ? grid.height : r1];
    const [bw, aw] = await Promise.all([before.read(win, bands), aligned.read(win, bands)]);
    samples.push({ before: bw, after: aw, rowStart: y0 - r0, rowEnd: strips === 1 ? grid.height : Math.min(bw.height, y0 - r0 + sampleRows) });
    progress({ phase: 'sample', fraction: (0.15 * (s + 1)) / strips, message: `sampling ${s + 1}/${strips}` });
  }
  const { model, magnitudes } = fitChangeModel(samples, bands, { pifQuantile: o.pifQuantile, smoothingRadius: o.smoothingRadius });
  samples.length = 0;
  // The automatic threshold never drops below the no-change noise's 99.9th percentile: on a pair
  // without change, KI/Otsu would otherwise split the noise itself. Constant magnitudes: no change.
  const floor = noChangeQuantile(bands.length, o.noChangeProbability);
  const auto = options.threshold === undefined ? selectThreshold(o.thresholdMethod, magnitudes) : null;
  const threshold = options.threshold ?? Math.max(auto ?? maxOf(magnitudes), floor);

  // 2. One pass in strips.
  const labeller = new RunLabeller(o.maxRuns);
  const chunk = chunkRowsFor(grid.width, o.stripPixels, blockRowsOf(before), halo);
  let compared = 0;
  let changed = 0;
  const collected = o.collectMask && grid.width * grid.height <= 50_000_000 ? new Uint8Array(grid.width * grid.height) : undefined;
  for await (const [bs, as] of stripsOf([before, aligned], [bands, bands], chunk, halo)) {
    const b = bs as { outStart: number; outEnd: number; extStart: number; ext: SceneWindow };
    const af = (as as typeof b).ext;
    const { magnitude, brightness } = changeMagnitude(b.ext, af, model);
    const w = b.ext.width;
    const hExt = b.ext.height;
    let mask: Uint8Array = new Uint8Array(w * hExt);
    for (let i = 0; i < mask.length; i++) mask[i] = (magnitude[i] as number) > threshold ? 1 : 0;
    mask = close(open(mask, w, hExt, o.openRadius), w, hExt, o.closeRadius);
    // Never report change where either date has no data.
    for (let i = 0; i < mask.length; i++) if (!(b.ext.valid[i] && af.valid[i])) mask[i] = 0;
    const ndviBefore = ndvi ? ndviOf(b.ext) : undefined;
    const ndviAfter = ndvi ? ndviOf(af) : undefined;
    for (let y = b.outStart; y < b.outEnd; y++) {
      const off = (y - b.extStart) * w;
      for (let x = 0; x < w; x++) {
        if (b.ext.valid[off + x] && af.valid[off + x]) compared++;
        if (mask[off + x]) changed++;
      }
      labeller.addRow(y, mask, off, w, { magnitude, brightness, ndviBefore, ndviAfter });
      if (collected) collected.set(mask.subarray(off, off + w), y * w);
    }
    progress({ phase: 'detect', fraction: 0.15 + (0.75 * b.outEnd) / grid.height, message: `rows ${b.outEnd}/${grid.height}` });
  }

  // 3. Components → polygons.
  const components = labeller.finish();
  const toLonLat = toCgcs2000(grid.crs);
  const patches: ChangeDetectionResult['patches'] = [];
  const mask = collected ? new Uint8Array(collected.length) : undefined;
  let dropped = 0;
  components.forEach((c, i) => {
    const cx = Math.round((c.minX + c.maxX) / 2);
    const cy = Math.round((c.minY + c.maxY) / 2);
    const areaPx = c.pixels * pixelAreaM2(grid, cx, cy);
    if (!(areaPx >= o.minAreaM2)) {
      dropped++;
      return;
    }
    const runs = labeller.runsOf(c);
    if (mask) for (const [y, x0, x1] of runs) mask.fill(1, y * grid.width + x0, y * grid.width + x1);
    const polygons = traceRuns(runs, o.simplifyTolerance).map((p) => [p.shell, ...p.holes].map((r, k) => orientRing(ringToLonLat(r, grid, toLonLat), k === 0)));
    const geometry: Polygon | MultiPolygon = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] as Position[][] } : { type: 'MultiPolygon', coordinates: polygons };
    const areaM2 = polygons.reduce((s, rings) => s + rings.reduce((t, r, k) => t + (k === 0 ? 1 : -1) * ringAreaM2(r), 0), 0);
    patches.push({ type: 'Feature', geometry, properties: changePatchProperties(c as Component, { before: before.date, after: after.date, threshold, areaM2, index: patches.length + 1, ndvi, thresholdHow: options.threshold === undefined ? o.thresholdMethod : 'option' }) });
    if (i % 50 === 0) progress({ phase: 'polygons', fraction: 0.9 + (0.1 * i) / components.length, message: `patches ${patches.length}` });
  });
  progress({ phase: 'polygons', fraction: 1, message: `${patches.length} patches` });
  return {
    patches,
    threshold,
    thresholdHow: options.threshold !== undefined ? 'option' : auto !== null && auto >= floor ? o.thresholdMethod : 'no-change floor',
    model,
    stats: {
      width: grid.width,
      height: grid.height,
      bands,
      comparedPixels: compared,
      changedPixels: changed,
      components: components.length,
      droppedBelowMinArea: dropped,
      runs: labeller.runCount,
      ms: Math.round(performance.now() - t0),
    },
    ...(mask ? { mask } : {}),
    grid,
  };
}

/**
 * sqrt of the χ²(k) quantile (Wilson–Hilferty; within 1 % for k ≥ 2): where the Mahalanobis length of
 * pure Gaussian no-change noise in k bands stays with probability p.
 */
export function noChangeQuantile(k: number, p: number): number {
  // Normal quantile by Acklam-free bisection on erf-like tail: p in (0.5, 1) is all we need.
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  const z = (lo + hi) / 2;
  const a = 2 / (9 * k);
  return Math.sqrt(k * (1 - a + z * Math.sqrt(a)) ** 3);
}

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 for erf; |error| < 1.5e-7.
  const t = 1 / (1 + (0.3275911 * x) / Math.SQRT2);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-(x * x) / 2);
  return 0.5 * (1 + erf);
}

function maxOf(values: Float32Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return Number.isFinite(m) ? m : 0;
}

function ndviOf(win: SceneWindow): Float32Array {
  const red = win.data.red as Float32Array;
  const nir = win.data.nir as Float32Array;
  const out = new Float32Array(red.length);
  for (let i = 0; i < out.length; i++) {
    const s = (nir[i] as number) + (red[i] as number);
    out[i] = s !== 0 ? ((nir[i] as number) - (red[i] as number)) / s : Number.NaN;
  }
  return out;
}

function ringToLonLat(ring: PixelRing, grid: RasterGrid, fn: (x: number, y: number) => [number, number]): Position[] {
  // Orientation is fixed by the caller from the lon/lat area: a transform may flip it either way.
  return ring.map(([c, r]) => {
    const [x, y] = pixelToMap(grid.transform, c, r);
    const [lon, lat] = fn(x, y);
    return [Math.round(lon * 1e9) / 1e9, Math.round(lat * 1e9) / 1e9];
  });
}

function boundsOverlap(a: RasterGrid, b: RasterGrid): boolean {
  const ba = gridBoundsLonLat(a);
  const bb = gridBoundsLonLat(b);
  if (!ba || !bb) return true;
  return ba[0] < bb[2] && bb[0] < ba[2] && ba[1] < bb[3] && bb[1] < ba[3];
}

function blockRowsOf(reader: BandReader): number {
  const files = (reader as { files?: Array<{ blockHeight: number }> }).files;
  return files?.[0]?.blockHeight ?? 0;
}

function stripUndefined<T extends object>(v: T): Partial<T> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<T>;
}
