/**
 * Contract of the reader layer: survey files (shp/zip, gpkg, geojson, csv, kml/kmz) in, streaming
 * features out — attributes decoded, geometry 2D but still in the source CRS. Reprojection to
 * EPSG:4490, validation and loading are the import service's job, not the readers'.
 */
import type { Geometry as GeoJsonGeometry } from 'geojson';

// The contract in one import: the error type, the entry point and the limits live in their own
// files (no import cycle at runtime) and are re-exported here.
export { ReaderError, RescanNeeded } from './reader-error.ts';
export { openSource } from './open-source.ts';
export { DEFAULT_READER_LIMITS, FIELD_SAMPLE_FEATURES, resolveLimits } from './reader-limits.ts';

/** GeoJSON geometry (RFC 7946 shapes), coordinates as read from the source. */
export type Geometry = GeoJsonGeometry;

/** Something a reader wants the user to know about a layer (not fatal). `count` = rows concerned. */
export interface ReaderNote {
  code: string;
  message: string;
  count?: number;
}

/** How the layer's coordinate system was decided. `epsg` is always set (a positive EPSG code). */
export interface SrsResolution {
  epsg: number;
  how: 'prj' | 'gpkg' | 'option' | 'inferred' | 'geojson-default' | 'kml-default';
  detail?: string;
}

/** How the attribute text encoding was decided; `name` is a WHATWG/iconv label such as 'UTF-8' or 'GBK'. */
export interface EncodingResolution {
  name: string;
  how: 'cpg' | 'ldid' | 'option' | 'detected' | 'default';
}

/** One feature as read. */
export interface SourceFeature {
  /** 1-based position in its layer (for shapefiles: the record number, also when deleted records are skipped). */
  rowNumber: number;
  /** Decoded attribute values (string, number, boolean, null; dates as 'YYYY-MM-DD'). */
  properties: Record<string, unknown>;
  /** 2D geometry in the source CRS, or null (null shape, or a `problem`). */
  geometry: Geometry | null;
  /** Reader-level problem of this row (e.g. NAN_COORDINATE, BAD_WKT); geometry is null then. */
  problem?: { code: string; message: string };
}

/** One layer of a source file. */
export interface SourceLayer {
  /** Path of the file the layer came from (inside a zip: 'archive.zip!/dir/x.shp'). */
  file: string;
  /** Layer name (shapefile base name, GeoPackage table, file name for single-layer formats). */
  layer: string;
  srs: SrsResolution;
  encoding?: EncodingResolution;
  /** Attribute field names in source order (geometry columns of a CSV excluded). */
  fields: string[];
  /** Notes about the layer; may grow while reading (e.g. Z dropped, with a count). */
  notes: ReaderNote[];
  /**
   * Present when `fields` are those of the first features only (a large GeoJSON FeatureCollection
   * whose SRS was settled before its features: read once, not twice). Answers every field name, in
   * the order a whole first pass gives, once features() has been read to its end.
   */
  allFields?: () => string[];
  /** Streams the features; can be iterated once. */
  features(): AsyncIterable<SourceFeature>;
}

/** Size limits (bytes / entries); anything over → ReaderError. */
export interface ReaderLimits {
  /** Largest single input file (default 4 GiB). */
  maxFileBytes?: number;
  /** Most entries in a zip (default 10 000). */
  maxZipEntries?: number;
  /** Largest total uncompressed size of a zip (default 8 GiB); guards against zip bombs. */
  maxUncompressedBytes?: number;
  /**
   * Largest single JSON/KML value parsed in memory (default 256 MiB): a whole KML document, one
   * feature of a GeoJSON FeatureCollection (which is streamed), one line of newline-delimited GeoJSON.
   */
  maxParseBytes?: number;
  /** Deepest JSON nesting accepted (default 64; a MultiPolygon position in a FeatureCollection is 8). */
  maxJsonDepth?: number;
  /**
   * Highest uncompressed/compressed size ratio of a zip member larger than 1 MiB (default 1000);
   * real survey files compress 3–100×, a zip bomb thousands of times.
   */
  maxCompressionRatio?: number;
}

/** Options of {@link openSource}. */
export interface ReadOptions {
  /** EPSG code that overrides .prj / inference (e.g. 4547). */
  srs?: number;
  /** Attribute encoding that overrides .cpg / LDID / detection (e.g. 'gbk', 'utf-8'). */
  encoding?: string;
  /** Read only this layer (GeoPackage table, shapefile base name, or zip member path). */
  layer?: string;
  /** CSV geometry columns; auto-detected when not given. */
  csv?: { wktField?: string; lonField?: string; latField?: string };
  limits?: ReaderLimits;
  /** GeoJSON: read every feature before answering, so that `fields` is complete (no `allFields`). */
  fullScan?: boolean;
  /** GeoJSON: features read before answering with `allFields` (default {@link FIELD_SAMPLE_FEATURES}). */
  fieldSampleFeatures?: number;
}

