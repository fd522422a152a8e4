/**
 * Automatic thresholds for a change magnitude: Kittler–Illingworth minimum error (default) and Otsu,
 * both on a 256-bin histogram between the minimum and the 99.9th percentile (values above are put in
 * the last bin, so a few extreme pixels — clouds, glint — cannot stretch the histogram).
 */

/** Threshold rules offered to users. */
export type ThresholdMethod = 'kittler-illingworth' | 'otsu';

interface Histogram {
  counts: Float64Array;
  centres: Float64Array;
}

function histogram(values: Float32Array, bins: number): Histogram | null {
  let lo = Infinity;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < lo) lo = v;
  }
  if (n < 2) return null;
  // The 99.9th percentile from at most 262,144 strided values: exact enough for a histogram edge.
  const step = Math.max(1, Math.floor(values.length / 262_144));
  const picked: number[] = [];
  for (let i = 0; i < values.length; i += step) if (Number.isFinite(values[i])) picked.push(values[i] as number);
  const sorted = Float32Array.from(picked).sort();
  const hi = sorted[Math.min(sorted.length - 1, Math.floor(0.999 * (sorted.length - 1)))] as number;
  if (!(hi > lo)) return null;
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (const v of values) if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]! += 1;
  const centres = Float64Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
  return { counts, centres };
}

/**
 * Otsu's threshold (maximum between-class variance). Returns the upper edge value of the lower class,
 * or null when the values are constant or too few.
 */
export function otsuThreshold(values: Float32Array, bins = 256): number | null {
  const h = histogram(values, bins);
  if (!h) return null;
  let total = 0;
  let sum = 0;
  for (let i = 0; i < bins; i++) {
    total += h.counts[i] as number;
    sum += (h.counts[i] as number) * (h.centres[i] as number);
  }
  let w0 = 0;
  let s0 = 0;
  let best = -1;
  let at = 0;
  for (let i = 0; i < bins - 1; i++) {
    w0 += h.counts[i] as number;
    s0 += (h.counts[i] as number) * (h.centres[i] as number);
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const between = w0 * w1 * (s0 / w0 - (sum - s0) / w1) ** 2;
    if (between > best) {
      best = between;
      at = i;
    }
  }
  return best < 0 ? null : ((h.centres[at] as number) + (h.centres[at + 1] as number)) / 2;
}

/**
 * Kittler & Illingworth's minimum-error threshold: the split that best fits two Gaussians of their own
 * variance and weight. Unlike Otsu it does not favour classes of equal size, which matters because
 * changed pixels are usually a few per cent of a scene. Null when no split has two non-degenerate classes.
 */
export function kittlerIllingworthThreshold(values: Float32Array, bins = 256): number | null {
  const h = histogram(values, bins);
  if (!h) return null;
  const total = h.counts.reduce((a, b) => a + b, 0);
  // Prefix sums of n, n·x, n·x² give each class's weight, mean and variance in O(1) per split.
  const c = new Float64Array(bins + 1);
  const s = new Float64Array(bins + 1);
  const q = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) {
    const n = h.counts[i] as number;
    const x = h.centres[i] as number;
    c[i + 1] = (c[i] as number) + n;
    s[i + 1] = (s[i] as number) + n * x;
    q[i + 1] = (q[i] as number) + n * x * x;
  }
  let best = Infinity;
  let at = -1;
  for (let i = 1; i < bins - 1; i++) {
    const n0 = c[i + 1] as number;
    const n1 = total - n0;
    if (n0 < 2 || n1 < 2) continue;
    const m0 = (s[i + 1] as number) / n0;
    const m1 = ((s[bins] as number) - (s[i + 1] as number)) / n1;
    const v0 = (q[i + 1] as number) / n0 - m0 * m0;
    const v1 = ((q[bins] as number) - (q[i + 1] as number)) / n1 - m1 * m1;
    if (!(v0 > 1e-12) || !(v1 > 1e-12)) continue;
    const p0 = n0 / total;
    const p1 = n1 / total;
    const j = p0 * Math.log(v0) + p1 * Math.log(v1) - 2 * (p0 * Math.log(p0) + p1 * Math.log(p1));
    if (j < best) {
      best = j;
      at = i;
    }
  }
  return at < 0 ? null : ((h.centres[at] as number) + (h.centres[at + 1] as number)) / 2;
}

/** The threshold of a method over a sample of magnitudes; null when it cannot be computed. */
export function selectThreshold(method: ThresholdMethod, values: Float32Array): number | null {
  return method === 'otsu' ? otsuThreshold(values) : kittlerIllingworthThreshold(values);
}
