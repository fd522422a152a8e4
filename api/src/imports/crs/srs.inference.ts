/**
 * Guesses the CRS of a layer that has no .prj, from its coordinate ranges — only where the numbers
 * leave no doubt, and always saying so. Eastings without a zone prefix are never guessed.
 */

/** Bounding box in source units; null when the layer has no coordinates. */
export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** An inferred EPSG code with its reason, or why the user must give --srs. */
export type SrsInference = { kind: 'ok'; epsg: number; detail: string } | { kind: 'need-srs'; reason: string };

// Mainland, Hainan and the South China Sea islands, with a margin; lon/lat degrees.
const CHINA = { minX: 73, maxX: 136, minY: 3, maxY: 54 };
// Gauss-Krüger northings of China (3°N–54°N is ≈ 330–6000 km), with a margin; metres.
const NORTHING = { min: 0, max: 6_200_000 };

/** Degrees beyond ±180/±90 still taken as lon/lat (float round-off in real extents). */
const LONLAT_TOLERANCE_DEG = 1e-6;

/**
 * Infers the EPSG code from an extent:
 * - lon/lat ranges → EPSG:4490 (CGCS2000; WGS 84 differs by well under a metre);
 * - 8-digit eastings (zone-prefixed) in one zone → CGCS2000 GK: 3° zones 25–45 → EPSG:4488+zone
 *   (25 → 4513 … 45 → 4533), 6° zones 13–23 → EPSG:4478+zone (13 → 4491 … 23 → 4501);
 * - 6-digit eastings (no zone) → need-srs: the central meridian cannot be known.
 * The datum is always assumed CGCS2000: Xian 1980 / Beijing 1954 coordinates look the same.
 */
export function inferSrsFromExtent(extent: Extent | null): SrsInference {
  if (!extent) return { kind: 'ok', epsg: 4490, detail: 'no coordinates; assumed CGCS2000 lon/lat / 没有坐标，按 CGCS2000 经纬度处理' };
  const { minX, minY, maxX, maxY } = extent;
  if (![minX, minY, maxX, maxY].every(Number.isFinite)) return { kind: 'need-srs', reason: 'the coordinate range is not finite / 坐标范围无效' };
  // Extents written in float arithmetic overshoot ±180/±90 by a few 1e-7 degrees (Natural Earth's
  // time zones reach 180.000000335): up to 1e-6° (about 0.1 m) still reads as lon/lat.
  const e = LONLAT_TOLERANCE_DEG;
  if (minX >= -180 - e && maxX <= 180 + e && minY >= -90 - e && maxY <= 90 + e) {
    const inChina = minX >= CHINA.minX && maxX <= CHINA.maxX && minY >= CHINA.minY && maxY <= CHINA.maxY;
    const where = inChina ? 'lon/lat inside China / 经纬度在中国范围内' : 'lon/lat range, partly outside China / 经纬度范围，部分在中国以外';
    return { kind: 'ok', epsg: 4490, detail: `${where}; CGCS2000 assumed / 按 CGCS2000` };
  }
  const northingOk = minY >= NORTHING.min && maxY <= NORTHING.max;
  if (minX >= 1e7 && maxX < 1e8 && northingOk) {
    const zone = Math.floor(minX / 1e6);
    if (Math.floor(maxX / 1e6) !== zone) {
      return { kind: 'need-srs', reason: `eastings span several zone prefixes (${Math.floor(minX / 1e6)}–${Math.floor(maxX / 1e6)}) / 东坐标跨多个带号` };
    }
    const detail = (width: number) =>
      `8-digit eastings with zone prefix ${zone} → CGCS2000 ${width}° Gauss-Kruger zone ${zone}; datum assumed CGCS2000 (Xian 1980 / Beijing 1954 data need --srs) / 8 位东坐标带号 ${zone}，按 CGCS2000 ${width} 度带`;
    if (zone >= 25 && zone <= 45) return { kind: 'ok', epsg: 4488 + zone, detail: detail(3) };
    if (zone >= 13 && zone <= 23) return { kind: 'ok', epsg: 4478 + zone, detail: detail(6) };
    return { kind: 'need-srs', reason: `zone prefix ${zone} is not a Chinese Gauss-Kruger zone / 带号 ${zone} 不是中国的高斯-克吕格投影带` };
  }
  if (minX >= 1e5 && maxX < 1e6 && northingOk) {
    return {
      kind: 'need-srs',
      reason: '6-digit eastings without a zone prefix: the central meridian cannot be inferred / 6 位东坐标没有带号，无法推断中央经线',
    };
  }
  return { kind: 'need-srs', reason: `coordinate range ${minX},${minY} – ${maxX},${maxY} is neither lon/lat nor Chinese Gauss-Kruger / 坐标范围既不是经纬度也不是高斯-克吕格` };
}

/** Grows an extent by a point (returns a new extent when `extent` is null). */
export function extendExtent(extent: Extent | null, x: number, y: number): Extent {
  if (!extent) return { minX: x, minY: y, maxX: x, maxY: y };
  if (x < extent.minX) extent.minX = x;
  if (x > extent.maxX) extent.maxX = x;
  if (y < extent.minY) extent.minY = y;
  if (y > extent.maxY) extent.maxY = y;
  return extent;
}
