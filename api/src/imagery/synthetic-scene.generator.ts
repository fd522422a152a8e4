/**
 * Synthetic multispectral scenes for tests, benchmarks and demo data: a deterministic landscape of
 * 60 m parcels (vegetation, soil, built-up, water) with texture and sensor noise, seen on any grid and
 * CRS, where the "after" date turns planted lon/lat polygons into new construction (bright roofs)
 * and differs radiometrically (gain and offset) from "before". Values are 16-bit digital numbers in
 * the range of Sentinel-2 L1C (reflectance × 10,000).
 */
import path from 'node:path';
import { writeGeoTiff, type WriterDataType } from './geotiff.writer.ts';
import { resolveRasterCrs, toCgcs2000 } from './raster-crs.ts';
import { pixelToMap, type GeoTransform } from './raster-grid.ts';

/** A planted change: a lon/lat ring (EPSG:4490) and optional holes that stay unchanged. */
export interface PlantedChange {
  ring: Array<[number, number]>;
  holes?: Array<Array<[number, number]>>;
}

/** Grid and rendering of one synthetic date. */
export interface SyntheticSceneSpec {
  width: number;
  height: number;
  transform: GeoTransform;
  epsg: number;
  date: 'before' | 'after';
  changes: PlantedChange[];
  /** Radiometric gain/offset applied to every band (defaults: before 1/0, after 1.15/+100). */
  gain?: number;
  offset?: number;
  /** Per-pixel noise, fraction of the value (default 0.02). */
  noise?: number;
  seed?: number;
  /** One file per band (name_B02.tif …) instead of one 4-band file. */
  perBandFiles?: boolean;
  dataType?: WriterDataType;
  compress?: 'none' | 'deflate';
  rowsPerStrip?: number;
}

/** Blue, green, red, NIR digital numbers per land cover. */
const COVER: Array<[number, number, number, number]> = [
  [500, 800, 500, 3500], // vegetation
  [1200, 1500, 1800, 2500], // bare soil
  [1600, 1700, 1800, 2200], // old built-up
  [800, 700, 500, 300], // water
];
const NEW_BUILDING: [number, number, number, number] = [2600, 2700, 2800, 3000];
const S2_BANDS = ['B02', 'B03', 'B04', 'B08'];

function hash(a: number, b: number, seed: number): number {
  let h = (Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function inRing(lon: number, lat: number, ring: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a lon/lat point lies in a planted change (inside its ring, outside its holes). */
export function inPlantedChange(lon: number, lat: number, changes: PlantedChange[]): boolean {
  return changes.some((c) => inRing(lon, lat, c.ring) && !(c.holes ?? []).some((h) => inRing(lon, lat, h)));
}

/**
 * Writes one synthetic date into `dir` as `<name>.tif` (4 bands: blue, green, red, NIR) or
 * `<name>_B02.tif` … `<name>_B08.tif`. Returns the written paths.
 */
export async function writeSyntheticScene(dir: string, name: string, spec: SyntheticSceneSpec): Promise<string[]> {
  const crs = await resolveRasterCrs(spec.epsg, name);
  const toLonLat = toCgcs2000(crs);
  const gain = spec.gain ?? (spec.date === 'after' ? 1.15 : 1);
  const offset = spec.offset ?? (spec.date === 'after' ? 100 : 0);
  const noise = spec.noise ?? 0.02;
  const seed = (spec.seed ?? 7) + (spec.date === 'after' ? 1000 : 0);
  const cosLat = Math.cos((toLonLat(...pixelToMap(spec.transform, spec.width / 2, spec.height / 2))[1] * Math.PI) / 180);
  const render = (y0: number, y1: number): Float32Array[] => {
    const n = (y1 - y0) * spec.width;
    const out = [0, 1, 2, 3].map(() => new Float32Array(n));
    for (let y = y0; y < y1; y++) {
      for (let x = 0; x < spec.width; x++) {
        const [mx, my] = pixelToMap(spec.transform, x + 0.5, y + 0.5);
        const [lon, lat] = toLonLat(mx, my);
        // Ground metres on a local plane, so parcels are the same on every grid and CRS.
        const gx = lon * 111_320 * cosLat;
        const gy = lat * 110_540;
        const px = Math.floor(gx / 60);
        const py = Math.floor(gy / 60);
        const u = hash(px, py, 11);
        const cover = (spec.date === 'after' && inPlantedChange(lon, lat, spec.changes) ? NEW_BUILDING : COVER[u < 0.55 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : 3]) as number[];
        const texture = 1 + 0.05 * Math.sin(gx / 23 + u * 6) * Math.cos(gy / 17 - u * 4);
        const i = (y - y0) * spec.width + x;
        for (let b = 0; b < 4; b++) {
          const g = hash(x * 4 + b, y, seed) + hash(y * 4 + b, x, seed + 1) - 1; // ≈ triangular noise in [-1, 1]
          (out[b] as Float32Array)[i] = Math.max(1, ((cover[b] as number) * texture * (1 + noise * 1.7 * g)) * gain + offset);
        }
      }
    }
    return out;
  };
  const common = {
    width: spec.width, height: spec.height, transform: spec.transform, epsg: spec.epsg, geographic: crs.geographic,
    dataType: spec.dataType ?? ('UInt16' as WriterDataType), compress: spec.compress ?? 'deflate', rowsPerStrip: spec.rowsPerStrip,
  };
  if (!spec.perBandFiles) {
    const file = path.join(dir, `${name}.tif`);
    await writeGeoTiff(file, { ...common, bands: 4, rows: render });
    return [file];
  }
  const files: string[] = [];
  for (let b = 0; b < 4; b++) {
    const file = path.join(dir, `${name}_${S2_BANDS[b]}.tif`);
    await writeGeoTiff(file, { ...common, bands: 1, rows: (y0, y1) => [render(y0, y1)[b] as Float32Array] });
    files.push(file);
  }
  return files;
}
