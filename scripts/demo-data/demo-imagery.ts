/**
 * A small before/after imagery pair of the demo township, drawn from the demo world itself so the
 * map's swipe and the suspect thumbnails show the planted cases: 4-band (blue, green, red, NIR)
 * 16-bit GeoTIFFs (reflectance × 10,000, like Sentinel-2 L1C), 5 m pixels on an EPSG:4547 grid,
 * DEFLATE. "Before" (2023) shows the 2023 buildings; "after" (2025) shows the 2025 buildings, where
 * roofs absent in 2023 are bright new roofs, and the change patches as bare construction sites.
 * Deterministic: no clock, no Math.random. About 200 KB per file.
 */
import { join } from 'node:path';
import { writeGeoTiff } from '../../api/src/imagery/geotiff.writer.ts';
import { GK_X0, GK_Y0 } from './demo-crs.ts';
import { bbox, circle, segmentBand, type MPoly, type Ring } from './demo-geometry.ts';
import { halfWidth } from './demo-passages.ts';
import { townshipOf } from './demo-districts.ts';
import type { World } from './demo.types.ts';

/** Ground size of one pixel, metres. */
export const DEMO_IMAGERY_PIXEL_M = 5;
/** The two dates with their files (manifest "imagery" entries; `landwatch demo` registers them). */
export const DEMO_IMAGERY = [
  { file: 'imagery_2023-06-20.tif', date: '2023-06-20', name: '演示影像 2023-06-20（前时相）', when: 'before' },
  { file: 'imagery_2025-07-05.tif', date: '2025-07-05', name: '演示影像 2025-07-05（后时相）', when: 'after' },
] as const;

/** Sub-samples per pixel side: footprints are drawn at 1.25 m and averaged, so small roofs blend. */
const SUB = 4;
const MARGIN_M = 100;

/** Land-cover classes drawn into the label raster (index into SPECTRA). */
const enum Cover {
  Other = 0, Paddy, DryCrop, Orchard, Forest, Residential, Industrial, Public, Water, Pond, Road, OldRoof, NewRoof, Site,
}
/**
 * Blue, green, red, NIR digital numbers of each class. Ground is kept darker than roofs: the tile
 * stretch cuts at the 98th percentile, and roofs cover only ~1 % of the township.
 */
const SPECTRA: ReadonlyArray<readonly [number, number, number, number]> = [
  [700, 900, 850, 2400], // other: grass and fallow
  [450, 780, 480, 3300], // 0101 paddy
  [560, 860, 700, 2900], // 0102/0103 dry crops
  [420, 720, 460, 3000], // 0201 orchard
  [300, 540, 330, 2700], // 0301 forest
  [760, 800, 820, 1450], // 07xx residential ground (yards, lanes)
  [880, 910, 940, 1500], // 0601/05H1 industry, commerce (paved)
  [800, 880, 860, 1800], // 0810, 1005 public land, yards
  [820, 720, 520, 320], // 1101 river
  [760, 740, 560, 380], // 1104 pond
  [700, 740, 760, 1100], // roads and fire lanes
  [1500, 1560, 1620, 1950], // roofs already there in 2023
  [2650, 2750, 2850, 3050], // new roofs (fresh concrete and steel)
  [1700, 1850, 2100, 2350], // construction site (change patch): bare soil
];
const DLBM_COVER: Readonly<Record<string, Cover>> = {
  '0101': Cover.Paddy, '0102': Cover.DryCrop, '0103': Cover.DryCrop, '0201': Cover.Orchard, '0301': Cover.Forest,
  '0701': Cover.Residential, '0702': Cover.Residential, '0601': Cover.Industrial, '05H1': Cover.Industrial,
  '0810': Cover.Public, '1005': Cover.Public, '1101': Cover.Water, '1104': Cover.Pond,
};

/** The pixel grid of the pair: the township's box plus a margin, in local metres (see demo-crs.ts). */
export function demoImageryGrid(world: World): { x0: number; y1: number; width: number; height: number } {
  const [minX, minY, maxX, maxY] = bbox(townshipOf(world.districts));
  const x0 = Math.floor((minX - MARGIN_M) / DEMO_IMAGERY_PIXEL_M) * DEMO_IMAGERY_PIXEL_M;
  const y0 = Math.floor((minY - MARGIN_M) / DEMO_IMAGERY_PIXEL_M) * DEMO_IMAGERY_PIXEL_M;
  const x1 = Math.ceil((maxX + MARGIN_M) / DEMO_IMAGERY_PIXEL_M) * DEMO_IMAGERY_PIXEL_M;
  const y1 = Math.ceil((maxY + MARGIN_M) / DEMO_IMAGERY_PIXEL_M) * DEMO_IMAGERY_PIXEL_M;
  return { x0, y1, width: (x1 - x0) / DEMO_IMAGERY_PIXEL_M, height: (y1 - y0) / DEMO_IMAGERY_PIXEL_M };
}

/** A raster of sub-samples with even-odd scan-line polygon fill. */
class Canvas {
  readonly w: number;
  readonly h: number;
  readonly s = DEMO_IMAGERY_PIXEL_M / SUB;
  constructor(
    readonly x0: number,
    readonly y1: number,
    width: number,
    height: number,
  ) {
    this.w = width * SUB;
    this.h = height * SUB;
  }

  /** Calls `set(index)` for every sub-sample whose centre lies inside the rings (even-odd: holes stay out). */
  fill(rings: readonly Ring[], set: (i: number) => void): void {
    let minY = Infinity;
    let maxY = -Infinity;
    for (const r of rings) {
      for (const p of r) {
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    const r0 = Math.max(0, Math.floor((this.y1 - maxY) / this.s - 0.5));
    const r1 = Math.min(this.h - 1, Math.ceil((this.y1 - minY) / this.s - 0.5));
    const xs: number[] = [];
    for (let row = r0; row <= r1; row++) {
      const y = this.y1 - (row + 0.5) * this.s;
      xs.length = 0;
      for (const r of rings) {
        for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
          const [xi, yi] = r[i] as [number, number];
          const [xj, yj] = r[j] as [number, number];
          if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const c0 = Math.max(0, Math.ceil(((xs[k] as number) - this.x0) / this.s - 0.5));
        const c1 = Math.min(this.w - 1, Math.ceil(((xs[k + 1] as number) - this.x0) / this.s - 0.5) - 1);
        for (let c = c0; c <= c1; c++) set(row * this.w + c);
      }
    }
  }

  fillMulti(mp: MPoly, set: (i: number) => void): void {
    for (const poly of mp) this.fill(poly, set);
  }
}

/** Label rasters (one class per sub-sample) of both dates. */
function labels(world: World, canvas: Canvas): { before: Uint8Array; after: Uint8Array } {
  const base = new Uint8Array(canvas.w * canvas.h); // Cover.Other everywhere
  const paint = (target: Uint8Array, cls: Cover) => (i: number) => void (target[i] = cls);
  for (const p of world.parcels) canvas.fillMulti(p.geom, paint(base, DLBM_COVER[p.dlbm] ?? Cover.Other));
  for (const r of world.rivers) canvas.fillMulti(r.geom, paint(base, Cover.Water));
  for (const l of world.lines) {
    const h = halfWidth(l);
    for (let i = 0; i + 1 < l.line.length; i++) canvas.fill([segmentBand(l.line[i] as [number, number], l.line[i + 1] as [number, number], h)], paint(base, Cover.Road));
    for (const v of l.line) canvas.fill([circle(v, h, 12)], paint(base, Cover.Road));
  }
  const before = base.slice();
  const roof2023 = new Uint8Array(base.length);
  for (const b of world.buildings2023) {
    canvas.fillMulti(b.geom, paint(before, Cover.OldRoof));
    canvas.fillMulti(b.geom, paint(roof2023, 1));
  }
  // Re-surveys move outlines by up to 30 cm: a roof counts as "there before" within one sub-sample.
  const old = roof2023.slice();
  for (let i = 0; i < old.length; i++) {
    if (roof2023[i]) continue;
    const x = i % canvas.w;
    if ((x > 0 && roof2023[i - 1]) || (x + 1 < canvas.w && roof2023[i + 1]) || roof2023[i - canvas.w] || roof2023[i + canvas.w]) old[i] = 1;
  }
  const after = base;
  for (const p of world.patches) canvas.fillMulti(p.geom, paint(after, Cover.Site));
  for (const b of world.buildings2025) canvas.fillMulti(b.geom, (i) => void (after[i] = old[i] ? Cover.OldRoof : Cover.NewRoof));
  return { before, after };
}

/**
 * Writes the before/after pair into `dir` (names in {@link DEMO_IMAGERY}). Returns the file names.
 * Each file is about 200 KB (smooth texture, no sensor noise).
 */
export async function writeDemoImagery(dir: string, world: World): Promise<string[]> {
  const grid = demoImageryGrid(world);
  const canvas = new Canvas(grid.x0, grid.y1, grid.width, grid.height);
  const rasters = labels(world, canvas);
  const written: string[] = [];
  for (const spec of DEMO_IMAGERY) {
    const label = spec.when === 'before' ? rasters.before : rasters.after;
    // The later date is a little brighter (sun angle, haze): change detection has to normalise.
    const gain = spec.when === 'after' ? 1.04 : 1;
    const rows = (y0: number, y1: number): Float32Array[] => {
      const out = [0, 1, 2, 3].map(() => new Float32Array((y1 - y0) * grid.width));
      const sum = [0, 0, 0, 0];
      for (let y = y0; y < y1; y++) {
        for (let x = 0; x < grid.width; x++) {
          sum.fill(0);
          for (let sy = 0; sy < SUB; sy++) {
            const row = (y * SUB + sy) * canvas.w + x * SUB;
            for (let sx = 0; sx < SUB; sx++) {
              const s = SPECTRA[label[row + sx] as number] as readonly number[];
              for (let b = 0; b < 4; b++) (sum[b] as number) += s[b] as number;
            }
          }
          // Field-scale texture, the same on both dates. No per-pixel noise: it would triple the files.
          const gx = grid.x0 + x * DEMO_IMAGERY_PIXEL_M;
          const gy = grid.y1 - y * DEMO_IMAGERY_PIXEL_M;
          const texture = 1 + 0.03 * Math.sin(gx / 37 + Math.cos(gy / 53)) * Math.cos(gy / 29);
          const i = (y - y0) * grid.width + x;
          for (let b = 0; b < 4; b++) {
            // Steps of 16 DN (≈ 0.2 % reflectance) keep DEFLATE effective.
            (out[b] as Float32Array)[i] = Math.round((((sum[b] as number) / (SUB * SUB)) * texture * gain) / 16) * 16;
          }
        }
      }
      return out;
    };
    await writeGeoTiff(join(dir, spec.file), {
      width: grid.width, height: grid.height, bands: 4, dataType: 'UInt16', epsg: 4547, geographic: false,
      transform: [GK_X0 + grid.x0, DEMO_IMAGERY_PIXEL_M, 0, GK_Y0 + grid.y1, 0, -DEMO_IMAGERY_PIXEL_M],
      compress: 'deflate', rowsPerStrip: 128, rows,
    });
    written.push(spec.file);
  }
  return written;
}
