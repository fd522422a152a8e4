/**
 * Size limits that stand between a GeoTIFF's header and an allocation. Every number a file states
 * (dimensions, band count, block size, block count, IFD count) is checked against these before any
 * buffer is sized from it, so a hostile or broken file becomes a clear error, not an out-of-memory crash.
 */

/** Limits applied when opening and reading a raster. */
export interface RasterLimits {
  /** Largest width × height of the full-resolution image, in pixels. */
  maxPixels: number;
  /** Largest width or height, in pixels. */
  maxDimension: number;
  /** Most samples (bands) per pixel. */
  maxBands: number;
  /** Largest decoded tile or strip, in bytes. */
  maxBlockBytes: number;
  /** Largest stored (compressed) tile or strip, in bytes. */
  maxStoredBlockBytes: number;
  /** Most tiles or strips in one image (all bands). */
  maxBlocks: number;
  /** Most image directories (full image, overviews, masks) in one file. */
  maxIfds: number;
  /** Most tag entries in one directory. */
  maxIfdEntries: number;
  /** Largest window read at once, in pixels (the callers size their strips below this). */
  maxWindowPixels: number;
}

/**
 * Defaults: room for a 30,000 × 30,000 scene in 1,024-row tiles or 1-row strips, far below anything
 * that could exhaust memory. 64 MiB decoded per block is GDAL's own order of magnitude for sane files.
 */
export const DEFAULT_RASTER_LIMITS: RasterLimits = {
  maxPixels: 1_000_000_000,
  maxDimension: 200_000,
  maxBands: 64,
  maxBlockBytes: 64 * 1024 * 1024,
  maxStoredBlockBytes: 64 * 1024 * 1024,
  maxBlocks: 2_000_000,
  maxIfds: 256,
  maxIfdEntries: 1_000,
  maxWindowPixels: 64 * 1024 * 1024,
};

/** The given limits over the defaults. */
export function resolveRasterLimits(limits: Partial<RasterLimits> = {}): RasterLimits {
  const out = { ...DEFAULT_RASTER_LIMITS };
  for (const [k, v] of Object.entries(limits) as Array<[keyof RasterLimits, number | undefined]>) if (v !== undefined) out[k] = v;
  return out;
}
