import type { Config } from '../config.ts';
import type { ReaderLimits } from './readers/reader.types.ts';

/** The import limits a deployment sets (see the LANDWATCH_IMPORT_* settings). */
export interface ImportLimits {
  /** Passed to the readers: zip size, ratio and entries, JSON/KML parse size, JSON depth. */
  reader: ReaderLimits;
  /** Most features one layer may hold. */
  maxFeatures: number;
}

/** Turns the configuration into the limits importFile takes (`hooks.limits`). */
export function importLimitsFrom(config: Pick<Config, 'importMaxFeatures' | 'importMaxUncompressedMb' | 'importMaxZipRatio' | 'importMaxZipEntries' | 'importMaxParseMb' | 'importMaxJsonDepth'>): ImportLimits {
  return {
    reader: {
      maxUncompressedBytes: config.importMaxUncompressedMb * 1024 ** 2,
      maxCompressionRatio: config.importMaxZipRatio,
      maxZipEntries: config.importMaxZipEntries,
      maxParseBytes: config.importMaxParseMb * 1024 ** 2,
      maxJsonDepth: config.importMaxJsonDepth,
    },
    maxFeatures: config.importMaxFeatures,
  };
}
