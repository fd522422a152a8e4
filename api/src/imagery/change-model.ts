/**
 * The change model: radiometric normalisation of the later date onto the earlier one and the
 * whitening of their difference, both estimated on pseudo-invariant pixels (PIFs) of a sample, and the
 * per-pixel change magnitude it defines. See docs/change-detection.md for the method and its numbers.
 *
 *   1. PIFs: pixels whose z-scored change vector ||z(after) − z(before)|| is at or below its median.
 *   2. Normalisation per band: reduced-major-axis regression after = slope · before + offset on PIFs,
 *      applied as after' = (after − offset) / slope (symmetric in both dates, unlike least squares).
 *   3. Difference d = after' − before per band, averaged over the valid pixels of a 3 × 3 window.
 *   4. Magnitude: Mahalanobis length sqrt(dᵀ Σ⁻¹ d), Σ = covariance of d on PIFs — the change vector
 *      measured in units of the scene's own no-change noise, with its band correlations removed.
 */
import type { BandName } from './band-map.parser.ts';
import type { SceneWindow } from './imagery-scene.ts';
import { ImageryError } from './imagery-errors.ts';

/** Parameters of the model, estimated once per image pair. */
export interface ChangeModel {
  bands: BandName[];
  /** after' = (after − offset) / slope, per band. */
  slope: number[];
  offset: number[];
  /** Σ⁻¹ of the smoothed difference on PIFs, k × k row-major. */
  inverseCovariance: number[];
  /** sqrt(diag Σ): the no-change noise per band, in the earlier date's units. */
  noiseStd: number[];
  /** Half-width of the averaging window (1 → 3 × 3). */
  smoothingRadius: number;
  /** Sample pixels used, and how many of them were PIFs. */
  samplePixels: number;
  pifPixels: number;
}

/** A sample window: both dates on one grid, and which rows count (the others are context for the smoothing). */
export interface SampleWindow {
  before: SceneWindow;
  after: SceneWindow;
  rowStart: number;
  rowEnd: number;
}

/** Magnitude and brightness change of one window (NaN where either date is invalid). */
export interface ChangeWindow {
  magnitude: Float32Array;
  /** Mean over bands of d / noiseStd: > 0 brighter after, in noise units. */
  brightness: Float32Array;
}

/** Averaged differences per band for a window (NaN where invalid). */
function smoothedDifferences(before: SceneWindow, after: SceneWindow, model: Pick<ChangeModel, 'bands' | 'slope' | 'offset' | 'smoothingRadius'>): Float32Array[] {
  const { width: w, height: h } = before;
  const n = w * h;
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) valid[i] = (before.valid[i] as number) & (after.valid[i] as number);
  const r = model.smoothingRadius;
  return model.bands.map((band, k) => {
    const a = before.data[band] as Float32Array;
    const b = after.data[band] as Float32Array;
    const slope = model.slope[k] as number;
    const offset = model.offset[k] as number;
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = valid[i] ? ((b[i] as number) - offset) / slope - (a[i] as number) : 0;
    if (r === 0) {
      for (let i = 0; i < n; i++) if (!valid[i]) d[i] = Number.NaN;
      return d;
    }
    // Separable sliding box sums of values and of valid counts: no-data never leaks into a neighbour's
    // mean, and each pixel costs O(1) whatever r.
    const hs = new Float32Array(n);
    const hc = new Float32Array(n);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let sum = 0;
      let cnt = 0;
      for (let x = 0; x < Math.min(r, w); x++) {
        sum += d[row + x] as number;
        cnt += valid[row + x] as number;
      }
      for (let x = 0; x < w; x++) {
        const add = x + r;
        if (add < w) {
          sum += d[row + add] as number;
          cnt += valid[row + add] as number;
        }
        const drop = x - r - 1;
        if (drop >= 0) {
          sum -= d[row + drop] as number;
          cnt -= valid[row + drop] as number;
        }
        hs[row + x] = sum;
        hc[row + x] = cnt;
      }
    }
    const out = new Float32Array(n);
    const colSum = new Float64Array(w);
    const colCnt = new Float64Array(w);
    for (let y = 0; y < Math.min(r, h); y++) {
      for (let x = 0; x < w; x++) {
        colSum[x]! += hs[y * w + x] as number;
        colCnt[x]! += hc[y * w + x] as number;
      }
    }
    for (let y = 0; y < h; y++) {
      const add = y + r;
      const drop = y - r - 1;
      for (let x = 0; x < w; x++) {
        if (add < h) {
          colSum[x]! += hs[add * w + x] as number;
          colCnt[x]! += hc[add * w + x] as number;
        }
        if (drop >= 0) {
          colSum[x]! -= hs[drop * w + x] as number;
          colCnt[x]! -= hc[drop * w + x] as number;
        }
        const p = y * w + x;
        out[p] = valid[p] ? (colSum[x] as number) / (colCnt[x] as number) : Number.NaN;
      }
    }
    return out;
  });
}

/** Magnitude (Mahalanobis length of the smoothed difference) and brightness change of a window. */
export function changeMagnitude(before: SceneWindow, after: SceneWindow, model: ChangeModel): ChangeWindow {
  const d = smoothedDifferences(before, after, model);
  const k = model.bands.length;
  const n = before.width * before.height;
  const magnitude = new Float32Array(n);
  const brightness = new Float32Array(n);
  const inv = model.inverseCovariance;
  const v = new Float64Array(k);
  for (let p = 0; p < n; p++) {
    const first = (d[0] as Float32Array)[p] as number;
    if (first !== first) {
      magnitude[p] = Number.NaN;
      brightness[p] = Number.NaN;
      continue;
    }
    let bright = 0;
    for (let i = 0; i < k; i++) {
      v[i] = (d[i] as Float32Array)[p] as number;
      bright += (v[i] as number) / (model.noiseStd[i] as number);
    }
    let q = 0;
    for (let i = 0; i < k; i++) {
      let row = 0;
      for (let j = 0; j < k; j++) row += (inv[i * k + j] as number) * (v[j] as number);
      q += (v[i] as number) * row;
    }
    magnitude[p] = Math.sqrt(Math.max(0, q));
    brightness[p] = bright / k;
  }
  return { magnitude, brightness };
}

/**
 * Estimates the model from sample windows. Throws NOT_ENOUGH_PIXELS when fewer than 100 pixels are
 * valid in both dates. `pifQuantile` is the share of sample pixels taken as PIFs (0.5 = the median rule).
 */
export function fitChangeModel(samples: SampleWindow[], bands: BandName[], options: { pifQuantile: number; smoothingRadius: number }): { model: ChangeModel; magnitudes: Float32Array } {
  const k = bands.length;
  // Pass 1: raw values of the counted, valid pixels.
  const picks: Array<{ s: SampleWindow; idx: Int32Array }> = [];
  let n = 0;
  for (const s of samples) {
    const w = s.before.width;
    const idx: number[] = [];
    for (let p = s.rowStart * w; p < s.rowEnd * w; p++) if (s.before.valid[p] && s.after.valid[p]) idx.push(p);
    picks.push({ s, idx: Int32Array.from(idx) });
    n += idx.length;
  }
  if (n < 100) throw new ImageryError('NOT_ENOUGH_PIXELS', `${n} pixels are valid in both dates`);
  const A = bands.map(() => new Float32Array(n));
  const B = bands.map(() => new Float32Array(n));
  let o = 0;
  for (const { s, idx } of picks) {
    for (let i = 0; i < k; i++) {
      const src = s.before.data[bands[i] as BandName] as Float32Array;
      const dst = A[i] as Float32Array;
      const srcB = s.after.data[bands[i] as BandName] as Float32Array;
      const dstB = B[i] as Float32Array;
      for (let j = 0; j < idx.length; j++) {
        dst[o + j] = src[idx[j] as number] as number;
        dstB[o + j] = srcB[idx[j] as number] as number;
      }
    }
    o += idx.length;
  }
  // PIFs by the z-scored change vector.
  const z0 = new Float32Array(n);
  for (let i = 0; i < k; i++) {
    const a = moments(A[i] as Float32Array);
    const b = moments(B[i] as Float32Array);
    for (let p = 0; p < n; p++) {
      const dz = ((B[i] as Float32Array)[p]! - b.mean) / (b.std || 1) - ((A[i] as Float32Array)[p]! - a.mean) / (a.std || 1);
      z0[p]! += dz * dz;
    }
  }
  const cut = quantile(z0, options.pifQuantile);
  const pif = new Uint8Array(n);
  let pifCount = 0;
  for (let p = 0; p < n; p++) {
    if ((z0[p] as number) > cut) continue;
    pif[p] = 1;
    pifCount++;
  }
  // Reduced-major-axis regression per band on PIFs.
  const slope: number[] = [];
  const offset: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = moments(A[i] as Float32Array, pif);
    const b = moments(B[i] as Float32Array, pif);
    let cov = 0;
    for (let p = 0; p < n; p++) if (pif[p]) cov += ((A[i] as Float32Array)[p]! - a.mean) * ((B[i] as Float32Array)[p]! - b.mean);
    const s = a.std > 0 && b.std > 0 ? (Math.sign(cov) || 1) * (b.std / a.std) : 1;
    slope.push(s);
    offset.push(b.mean - s * a.mean);
  }
  // Covariance of the smoothed differences on PIFs, then its inverse.
  const partial = { bands, slope, offset, smoothingRadius: options.smoothingRadius };
  const D = bands.map(() => new Float32Array(n));
  o = 0;
  for (const { s, idx } of picks) {
    const d = smoothedDifferences(s.before, s.after, partial);
    for (const p of idx) {
      for (let i = 0; i < k; i++) (D[i] as Float32Array)[o] = (d[i] as Float32Array)[p] as number;
      o++;
    }
  }
  const means = D.map((x) => moments(x, pif).mean);
  const cov = new Array<number>(k * k).fill(0);
  for (let p = 0; p < n; p++) {
    if (!pif[p]) continue;
    for (let i = 0; i < k; i++) {
      const di = (D[i] as Float32Array)[p]! - (means[i] as number);
      for (let j = i; j < k; j++) cov[i * k + j]! += di * ((D[j] as Float32Array)[p]! - (means[j] as number));
    }
  }
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) cov[j * k + i] = cov[i * k + j] = (cov[i * k + j] as number) / Math.max(1, pifCount - 1);
  const model: ChangeModel = {
    bands,
    slope,
    offset,
    inverseCovariance: invertSymmetric(cov, k),
    noiseStd: bands.map((_, i) => Math.sqrt(Math.max(cov[i * k + i] as number, 1e-12))),
    smoothingRadius: options.smoothingRadius,
    samplePixels: n,
    pifPixels: pifCount,
  };
  // Magnitudes of the sample, for the threshold.
  const magnitudes = new Float32Array(n);
  o = 0;
  for (const { s, idx } of picks) {
    const m = changeMagnitude(s.before, s.after, model).magnitude;
    for (const p of idx) magnitudes[o++] = m[p] as number;
  }
  // Calibrate: PIFs are the quieter half, so Σ from them underestimates the noise. Scale it so the
  // median pixel's squared magnitude is the χ²(k) median — magnitudes then read as noise σ units and
  // the no-change floor (change-detector.ts) means what it says. KI/Otsu do not care about the scale.
  const med = quantile(magnitudes, 0.5);
  const chiMedian = Math.sqrt(k * (1 - 2 / (9 * k)) ** 3);
  const scale = med > 0 ? chiMedian / med : 1;
  for (let i = 0; i < magnitudes.length; i++) magnitudes[i] = (magnitudes[i] as number) * scale;
  model.inverseCovariance = model.inverseCovariance.map((v) => v * scale * scale);
  model.noiseStd = model.noiseStd.map((v) => v / scale);
  return { model, magnitudes };
}

function moments(x: Float32Array, mask?: Uint8Array): { mean: number; std: number } {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue;
    s += x[i] as number;
    c++;
  }
  const mean = c ? s / c : 0;
  let q = 0;
  for (let i = 0; i < x.length; i++) if (!mask || mask[i]) q += ((x[i] as number) - mean) ** 2;
  return { mean, std: c > 1 ? Math.sqrt(q / (c - 1)) : 0 };
}

/**
 * The q-quantile of a sample (0 ≤ q ≤ 1), from at most 262,144 evenly strided values (sorting a
 * 2-million-pixel sample for one number is not worth its second). NaN values are skipped.
 */
export function quantile(x: Float32Array, q: number): number {
  const step = Math.max(1, Math.floor(x.length / 262_144));
  const picked: number[] = [];
  for (let i = 0; i < x.length; i += step) if (x[i] === x[i]) picked.push(x[i] as number);
  const sorted = Float32Array.from(picked).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] as number;
}

/**
 * Inverse of a symmetric positive semi-definite k × k matrix by Gauss–Jordan elimination, with a tiny
 * ridge (1e-9 of the trace) so a constant or duplicated band cannot make it singular.
 */
export function invertSymmetric(m: number[], k: number): number[] {
  const trace = Array.from({ length: k }, (_, i) => m[i * k + i] as number).reduce((a, b) => a + b, 0);
  const ridge = Math.max(trace, 1e-12) * 1e-9;
  const a: number[] = m.map((v, idx) => (idx % (k + 1) === 0 ? v + ridge : v));
  const inv: number[] = Array.from({ length: k * k }, (_, idx) => (idx % (k + 1) === 0 ? 1 : 0));
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * k + c] as number) > Math.abs(a[pivot * k + c] as number)) pivot = r;
    if (pivot !== c) {
      for (let j = 0; j < k; j++) {
        [a[c * k + j], a[pivot * k + j]] = [a[pivot * k + j] as number, a[c * k + j] as number];
        [inv[c * k + j], inv[pivot * k + j]] = [inv[pivot * k + j] as number, inv[c * k + j] as number];
      }
    }
    const p = a[c * k + c] as number;
    for (let j = 0; j < k; j++) {
      a[c * k + j] = (a[c * k + j] as number) / p;
      inv[c * k + j] = (inv[c * k + j] as number) / p;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r * k + c] as number;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) {
        a[r * k + j] = (a[r * k + j] as number) - f * (a[c * k + j] as number);
        inv[r * k + j] = (inv[r * k + j] as number) - f * (inv[c * k + j] as number);
      }
    }
  }
  return inv;
}
