/**
 * Raster grids: size, affine geotransform (GDAL order) and CRS, with the pixel ↔ map conversions,
 * footprints in CGCS2000 and pixel areas used by the readers, the aligner and the detector.
 */
import { toCgcs2000, type RasterCrs } from './raster-crs.ts';

/**
 * GDAL-order affine transform: X = t[0] + col·t[1] + row·t[2]; Y = t[3] + col·t[4] + row·t[5], with
 * (col, row) at the top-left corner of pixel (0, 0) being (0, 0) — pixel-is-area convention.
 */
export type GeoTransform = [number, number, number, number, number, number];

/** Where the pixels of a raster lie. */
export interface RasterGrid {
  width: number;
  height: number;
  transform: GeoTransform;
  crs: RasterCrs;
}

/** A pixel rectangle [x0, y0, x1, y1) (x1, y1 exclusive). */
export type PixelWindow = [number, number, number, number];

/** Map coordinates of pixel position (col, row) (corner-based: the centre of pixel (i, j) is i + 0.5, j + 0.5). */
export function pixelToMap(t: GeoTransform, col: number, row: number): [number, number] {
  return [t[0] + col * t[1] + row * t[2], t[3] + col * t[4] + row * t[5]];
}

/** The inverse transform (map → pixel position); throws on a degenerate (zero-area) transform. */
export function invertTransform(t: GeoTransform): GeoTransform {
  const det = t[1] * t[5] - t[2] * t[4];
  if (!Number.isFinite(det) || det === 0) throw new RangeError('degenerate geotransform');
  const a = t[5] / det;
  const b = -t[2] / det;
  const d = -t[4] / det;
  const e = t[1] / det;
  return [-(a * t[0] + b * t[3]), a, b, -(d * t[0] + e * t[3]), d, e];
}

/** Whether two grids coincide pixel for pixel (same size, CRS and transform within 1/1000 pixel). */
export function sameGrid(a: RasterGrid, b: RasterGrid, sameCrs: (x: RasterCrs, y: RasterCrs) => boolean): boolean {
  if (a.width !== b.width || a.height !== b.height || !sameCrs(a.crs, b.crs)) return false;
  const px = Math.max(Math.hypot(a.transform[1], a.transform[4]), Math.hypot(a.transform[2], a.transform[5]));
  return a.transform.every((v, i) => Math.abs(v - (b.transform[i] as number)) <= px * 1e-3);
}

/** Pixel size along x and y in map units (absolute). */
export function pixelSize(t: GeoTransform): { x: number; y: number } {
  return { x: Math.hypot(t[1], t[4]), y: Math.hypot(t[2], t[5]) };
}

/**
 * Footprint of a grid in CGCS2000 lon/lat: [minLon, minLat, maxLon, maxLat], from 17 points along each
 * edge (a projected grid's edges curve in lon/lat). Null when no edge point transforms.
 */
export function gridBoundsLonLat(grid: RasterGrid): [number, number, number, number] | null {
  const fn = toCgcs2000(grid.crs);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const N = 16;
  for (let i = 0; i <= N; i++) {
    const f = i / N;
    for (const [c, r] of [[f * grid.width, 0], [f * grid.width, grid.height], [0, f * grid.height], [grid.width, f * grid.height]] as const) {
      const [x, y] = pixelToMap(grid.transform, c, r);
      const [lon, lat] = fn(x, y);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
      minX = Math.min(minX, lon);
      maxX = Math.max(maxX, lon);
      minY = Math.min(minY, lat);
      maxY = Math.max(maxY, lat);
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Footprint polygon ring of a grid in CGCS2000 lon/lat (corners and edge points, closed, CCW). */
export function gridFootprint(grid: RasterGrid): Array<[number, number]> {
  const fn = toCgcs2000(grid.crs);
  const ring: Array<[number, number]> = [];
  const N = 8;
  const edges: Array<(f: number) => [number, number]> = [
    (f) => [f * grid.width, grid.height],
    (f) => [grid.width, (1 - f) * grid.height],
    (f) => [(1 - f) * grid.width, 0],
    (f) => [0, f * grid.height],
  ];
  for (const edge of edges) {
    for (let i = 0; i < N; i++) {
      const [c, r] = edge(i / N);
      const [x, y] = pixelToMap(grid.transform, c, r);
      ring.push(fn(x, y));
    }
  }
  ring.push(ring[0] as [number, number]);
  return signedArea(ring) < 0 ? ring.reverse() : ring;
}

function signedArea(ring: Array<[number, number]>): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

const EARTH_RADIUS = 6378137;

/**
 * Ground area of one pixel at (col, row) in m², on the sphere of radius 6,378,137 m (the same model
 * as Turf's area). NaN where the pixel cannot be transformed.
 */
export function pixelAreaM2(grid: RasterGrid, col: number, row: number): number {
  const fn = toCgcs2000(grid.crs);
  const corners = [[col, row], [col + 1, row], [col + 1, row + 1], [col, row + 1]].map(([c, r]) => {
    const [x, y] = pixelToMap(grid.transform, c as number, r as number);
    return fn(x, y);
  });
  // Small quadrilateral: local equirectangular projection around its first corner is exact enough.
  const [lon0, lat0] = corners[0] as [number, number];
  const k = Math.cos((lat0 * Math.PI) / 180);
  const pts = corners.map(([lon, lat]) => [((lon - lon0) * Math.PI * EARTH_RADIUS * k) / 180, ((lat - lat0) * Math.PI * EARTH_RADIUS) / 180] as [number, number]);
  pts.push(pts[0] as [number, number]);
  return Math.abs(signedArea(pts));
}
