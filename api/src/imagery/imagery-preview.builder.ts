/**
 * One pass over a scene at registration: the 2–98 % contrast stretch of red, green and blue, and a
 * pre-rendered preview (box-averaged to at most 1,024 pixels on the long side, already stretched) for
 * low zoom levels. Reads in strips, so memory stays bounded whatever the scene size.
 */
import type { BandName } from './band-map.parser.ts';
import { quantile } from './change-model.ts';
import type { BandReader } from './imagery-scene.ts';
import { stretchByte, type Stretch } from './imagery-tile.renderer.ts';

/** Longest side of a preview, pixels. */
export const PREVIEW_MAX = 1024;
const RGB: BandName[] = ['red', 'green', 'blue'];

/** Result of {@link buildPreview}: the stretch and the preview RGBA (null when the scene is no larger than a preview). */
export interface PreviewResult {
  stretch: Stretch;
  preview: { rgba: Uint8Array; width: number; height: number };
  /** True when the preview is the full-resolution image (no reduction). */
  fullResolution: boolean;
}

/**
 * Box-averages the scene into the preview grid, then cuts each band at its 2nd and 98th percentile
 * (over valid preview pixels). Throws what the reader throws.
 */
export async function buildPreview(reader: BandReader, options: { stripPixels?: number; progress?: (fraction: number) => void } = {}): Promise<PreviewResult> {
  const { width: W, height: H } = reader.grid;
  const f = Math.max(1, Math.ceil(Math.max(W, H) / PREVIEW_MAX));
  const pw = Math.ceil(W / f);
  const ph = Math.ceil(H / f);
  const sums = RGB.map(() => new Float64Array(pw * ph));
  const counts = new Uint32Array(pw * ph);
  const rows = Math.max(f, Math.floor((options.stripPixels ?? 2_000_000) / W / f) * f);
  for (let y0 = 0; y0 < H; y0 += rows) {
    const y1 = Math.min(H, y0 + rows);
    const win = await reader.read([0, y0, W, y1], RGB);
    const bands = RGB.map((b) => win.data[b] as Float32Array);
    for (let y = y0; y < y1; y++) {
      const prow = Math.floor(y / f) * pw;
      const off = (y - y0) * W;
      for (let x = 0; x < W; x++) {
        if (!win.valid[off + x]) continue;
        const q = prow + Math.floor(x / f);
        counts[q]! += 1;
        for (let k = 0; k < 3; k++) (sums[k] as Float64Array)[q]! += (bands[k] as Float32Array)[off + x] as number;
      }
    }
    options.progress?.(y1 / H);
  }
  const valid: number[] = [];
  for (let q = 0; q < counts.length; q++) if (counts[q]) valid.push(q);
  const stretch = {} as Stretch;
  RGB.forEach((band, k) => {
    const values = Float32Array.from(valid, (q) => ((sums[k] as Float64Array)[q] as number) / (counts[q] as number));
    const lo = values.length ? quantile(values, 0.02) : 0;
    const hi = values.length ? quantile(values, 0.98) : 1;
    stretch[band as keyof Stretch] = [lo, hi > lo ? hi : lo + 1];
  });
  const rgba = new Uint8Array(pw * ph * 4);
  for (const q of valid) {
    RGB.forEach((band, k) => (rgba[q * 4 + k] = stretchByte(((sums[k] as Float64Array)[q] as number) / (counts[q] as number), stretch[band as keyof Stretch])));
    rgba[q * 4 + 3] = 255;
  }
  return { stretch, preview: { rgba, width: pw, height: ph }, fullResolution: f === 1 };
}
