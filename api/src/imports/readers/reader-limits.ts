/**
 * Default size limits of the reader layer and their resolution against ReadOptions.
 */
import type { ReaderLimits, ReadOptions } from './reader.types.ts';

/**
 * Deepest JSON nesting accepted in a GeoJSON document (the top-level object counts as 1, a feature
 * of a FeatureCollection as 3, a MultiPolygon position as 8). Deeper → ReaderError GEOJSON_INVALID,
 * found while scanning bytes, before anything is built.
 */
export const GEOJSON_MAX_DEPTH = 64;

/** Default limits, used where ReadOptions.limits leaves a value out. */
export const DEFAULT_READER_LIMITS: Required<ReaderLimits> = {
  maxFileBytes: 4 * 1024 ** 3,
  maxZipEntries: 10_000,
  maxUncompressedBytes: 8 * 1024 ** 3,
  maxParseBytes: 256 * 1024 ** 2,
  maxCompressionRatio: 1000,
  maxJsonDepth: GEOJSON_MAX_DEPTH,
};


/** The limits in force for a read: the given ones over the defaults. */
export function resolveLimits(options?: ReadOptions): Required<ReaderLimits> {
  return { ...DEFAULT_READER_LIMITS, ...stripUndefined(options?.limits ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Features a large GeoJSON FeatureCollection is sampled for its field names before it is read in a
 * single pass (ReadOptions.fieldSampleFeatures overrides it).
 */
export const FIELD_SAMPLE_FEATURES = 10_000;
