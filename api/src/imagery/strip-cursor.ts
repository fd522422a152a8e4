/**
 * Walks a raster top to bottom in strips with context rows (a halo) on both sides, reading every row
 * exactly once: each step reads the next chunk of rows and keeps the last 2·halo rows of the previous
 * one. Filters that look `halo` rows away (smoothing, morphology) then give the same result as on the
 * whole image, with memory bounded by the strip size.
 */
import type { BandName } from './band-map.parser.ts';
import type { BandReader, SceneWindow } from './imagery-scene.ts';

/** One step: rows [extStart, extStart + ext.height) are in `ext`; rows [outStart, outEnd) are final. */
export interface Strip {
  outStart: number;
  outEnd: number;
  extStart: number;
  ext: SceneWindow;
}

function slice(win: SceneWindow, fromRow: number, toRow: number, bands: readonly BandName[]): SceneWindow {
  const w = win.width;
  const data: Partial<Record<BandName, Float32Array>> = {};
  for (const b of bands) data[b] = (win.data[b] as Float32Array).slice(fromRow * w, toRow * w);
  return { width: w, height: toRow - fromRow, data, valid: win.valid.slice(fromRow * w, toRow * w) };
}

function concat(a: SceneWindow | null, b: SceneWindow, bands: readonly BandName[]): SceneWindow {
  if (!a || a.height === 0) return b;
  const w = b.width;
  const data: Partial<Record<BandName, Float32Array>> = {};
  for (const band of bands) {
    const out = new Float32Array((a.height + b.height) * w);
    out.set(a.data[band] as Float32Array);
    out.set(b.data[band] as Float32Array, a.height * w);
    data[band] = out;
  }
  const valid = new Uint8Array((a.height + b.height) * w);
  valid.set(a.valid);
  valid.set(b.valid, a.height * w);
  return { width: w, height: a.height + b.height, data, valid };
}

/**
 * Yields strips of `readers` in lockstep (all on one grid). `chunkRows` rows are read per step;
 * output rows trail the read position by `halo`.
 */
export async function* stripsOf(readers: BandReader[], bands: readonly BandName[][], chunkRows: number, halo: number): AsyncGenerator<Strip[]> {
  const grid = (readers[0] as BandReader).grid;
  const { width, height } = grid;
  const kept: Array<SceneWindow | null> = readers.map(() => null);
  let keptStart = 0;
  let outStart = 0;
  for (let readStart = 0; readStart < height; readStart += chunkRows) {
    const readEnd = Math.min(height, readStart + chunkRows);
    const chunks = await Promise.all(readers.map((r, i) => r.read([0, readStart, width, readEnd], bands[i] as BandName[])));
    const exts = chunks.map((c, i) => concat(kept[i] ?? null, c, bands[i] as BandName[]));
    const extStart = keptStart;
    const outEnd = readEnd === height ? height : Math.max(outStart, readEnd - halo);
    if (outEnd > outStart) yield exts.map((ext) => ({ outStart, outEnd, extStart, ext }));
    outStart = outEnd;
    // Keep what the next strip needs: its own halo above its first output row.
    const keepFrom = Math.max(extStart, outStart - halo);
    exts.forEach((ext, i) => (kept[i] = slice(ext, keepFrom - extStart, ext.height, bands[i] as BandName[])));
    keptStart = keepFrom;
  }
}

/** Width of the rows a strip holds, for sizing chunks: `budget` pixels per chunk, a multiple of `blockRows`. */
export function chunkRowsFor(width: number, budgetPixels: number, blockRows: number, halo: number): number {
  const rows = Math.max(2 * halo + 16, Math.floor(budgetPixels / Math.max(1, width)));
  if (blockRows > 0 && blockRows <= rows) return Math.floor(rows / blockRows) * blockRows;
  return rows;
}
