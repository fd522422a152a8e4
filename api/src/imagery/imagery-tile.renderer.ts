/**
 * Renders true-colour RGBA rasters of registered imagery in Web Mercator (EPSG:3857): map tiles and
 * thumbnails. Each output pixel centre is taken to the image's CRS (the aligner's 16-pixel mesh) and
 * sampled nearest-neighbour, from the full-resolution file when zoomed in and from the pre-rendered
 * preview when zoomed out (so a z8 tile never reads a whole 10,000² scene).
 */
import type { BandName } from './band-map.parser.ts';
import { sourcePositions } from './grid-aligner.ts';
import type { BandReader } from './imagery-scene.ts';
import { WEB_MERCATOR_PROJ4 } from './raster-crs.ts';
import type { RasterGrid } from './raster-grid.ts';

/** Half the Web Mercator world width, metres. */
export const MERCATOR_HALF = Math.PI * 6378137;

/** Tile z/x/y → [minX, minY, maxX, maxY] in EPSG:3857 metres. */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  return [-MERCATOR_HALF + x * size, MERCATOR_HALF - (y + 1) * size, -MERCATOR_HALF + (x + 1) * size, MERCATOR_HALF - y * size];
}

/** lon/lat degrees → EPSG:3857 metres (latitude clamped to the Web Mercator limit). */
export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  return [(lon * MERCATOR_HALF) / 180, 6378137 * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360))];
}

/** 2–98 % cut per display band. */
export type Stretch = Record<'red' | 'green' | 'blue', [number, number]>;

/** What rendering needs of one imagery date. */
export interface RenderSource {
  grid: RasterGrid;
  /** Opened on first use only (low zooms never need it). */
  reader: () => Promise<BandReader>;
  stretch: Stretch;
  /** Pre-stretched RGBA of the whole image at reduced size, or null for small images. */
  preview: { rgba: Uint8Array; width: number; height: number } | null;
}

const RGB: BandName[] = ['red', 'green', 'blue'];
/** Largest full-resolution window read for one tile; coarser requests use the preview. */
const MAX_TILE_READ = 2048 * 2048;

/** Stretches one value into 0–255. */
export function stretchByte(v: number, [lo, hi]: [number, number]): number {
  const t = (v - lo) / (hi - lo || 1);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/**
 * RGBA (width × height × 4) of the imagery over `bounds` (EPSG:3857), or null when no output pixel
 * falls on the image — the caller answers 204. Pixels off the image or on its no-data are transparent.
 */
export async function renderRgba(src: RenderSource, bounds: [number, number, number, number], width: number, height: number): Promise<Uint8Array | null> {
  const [minX, minY, maxX, maxY] = bounds;
  const target: RasterGrid = {
    width,
    height,
    transform: [minX, (maxX - minX) / width, 0, maxY, 0, -(maxY - minY) / height],
    crs: { epsg: 3857, proj4: WEB_MERCATOR_PROJ4, geographic: false },
  };
  const { sx, sy } = sourcePositions(src.grid, target, [0, 0, width, height]);
  const W = src.grid.width;
  const H = src.grid.height;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let inside = 0;
  for (let p = 0; p < sx.length; p++) {
    const x = sx[p] as number;
    const y = sy[p] as number;
    if (!(x >= 0 && y >= 0 && x < W && y < H)) continue;
    inside++;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (inside === 0) return null;
  const rgba = new Uint8Array(width * height * 4);
  const mid = Math.floor(height / 2) * width + Math.floor(width / 2);
  const step = Math.hypot((sx[mid + 1] ?? sx[mid]!) - sx[mid]!, (sy[mid + 1] ?? sy[mid]!) - sy[mid]!);
  const windowPixels = (Math.floor(x1) - Math.floor(x0) + 1) * (Math.floor(y1) - Math.floor(y0) + 1);
  const preview = src.preview;
  if (preview && (step >= (0.5 * W) / preview.width || windowPixels > MAX_TILE_READ)) {
    const fx = preview.width / W;
    const fy = preview.height / H;
    for (let p = 0; p < sx.length; p++) {
      const x = sx[p] as number;
      const y = sy[p] as number;
      if (!(x >= 0 && y >= 0 && x < W && y < H)) continue;
      const q = (Math.min(preview.height - 1, Math.floor(y * fy)) * preview.width + Math.min(preview.width - 1, Math.floor(x * fx))) * 4;
      rgba.set(preview.rgba.subarray(q, q + 4), p * 4);
    }
    return rgba;
  }
  if (windowPixels > MAX_TILE_READ) return null; // no preview and too coarse: nothing sensible to draw
  const wx0 = Math.floor(x0);
  const wy0 = Math.floor(y0);
  const ww = Math.floor(x1) - wx0 + 1;
  const wh = Math.floor(y1) - wy0 + 1;
  const reader = await src.reader();
  const win = await reader.read([wx0, wy0, wx0 + ww, wy0 + wh], RGB);
  const [r, g, b] = RGB.map((band) => win.data[band] as Float32Array) as [Float32Array, Float32Array, Float32Array];
  for (let p = 0; p < sx.length; p++) {
    const x = sx[p] as number;
    const y = sy[p] as number;
    if (!(x >= 0 && y >= 0 && x < W && y < H)) continue;
    const q = (Math.floor(y) - wy0) * ww + (Math.floor(x) - wx0);
    if (!win.valid[q]) continue;
    const o = p * 4;
    rgba[o] = stretchByte(r[q] as number, src.stretch.red);
    rgba[o + 1] = stretchByte(g[q] as number, src.stretch.green);
    rgba[o + 2] = stretchByte(b[q] as number, src.stretch.blue);
    rgba[o + 3] = 255;
  }
  return rgba;
}
