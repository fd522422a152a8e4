/**
 * Coordinate transforms from the supported source CRSs to CGCS2000 lon/lat (EPSG:4490), with proj4
 * and explicit proj4 strings generated in crs.catalog (proj4js cannot parse Esri Gauss_Kruger WKT).
 *
 * Datum policy (matches PROJ, whose only EPSG operation Xian 1980/Beijing 1954 → CGCS2000 is a
 * "ballpark" no-op): without TOWGS84 a legacy datum is converted ellipsoid-to-ellipsoid only — the
 * lon/lat stay as they are, which can be tens of metres off — and a TOWGS84_MISSING note says so.
 * With TOWGS84 (a bureau's published 7 parameters) a Bursa-Wolf shift is applied.
 */
import type { Geometry, Position } from 'geojson';
import proj4 from 'proj4';
import type { ReaderNote } from '../readers/reader.types.ts';
import { ReaderError } from '../readers/reader-error.ts';
import { formatReaderMessage } from '../readers/reader-messages.ts';
import { DATUMS, describeEpsg, proj4Definition } from './crs.catalog.ts';

/** Target: CGCS2000 geographic, lon/lat in degrees. */
export const TARGET_EPSG = 4490;

/** (x, y) in the source CRS → [lon, lat] in EPSG:4490 (degrees). NaN in → NaN out. */
export interface CoordinateTransformer {
  (x: number, y: number): [number, number];
  readonly sourceEpsg: number;
  /** proj4 source definition used ('' for identity). */
  readonly definition: string;
  /** Warnings, e.g. TOWGS84_MISSING for a legacy datum without parameters. */
  readonly notes: ReaderNote[];
}

/** Options of {@link createTransformer}. */
export interface TransformerOptions {
  /**
   * Bursa-Wolf parameters from the legacy datum (Xian 1980 / Beijing 1954) to CGCS2000, PROJ
   * +towgs84 convention (position vector): dx, dy, dz in metres[, rx, ry, rz in arc-seconds, ds in ppm].
   * Ignored for CGCS2000 and WGS 84 sources.
   */
  towgs84?: readonly number[];
}

/** Parses "dx,dy,dz[,rx,ry,rz,ds]" (commas or spaces) into 3 or 7 numbers; throws RangeError otherwise. */
export function parseTowgs84(text: string): number[] {
  const values = text.trim().split(/[\s,]+/).filter(Boolean).map(Number);
  if ((values.length !== 3 && values.length !== 7) || !values.every(Number.isFinite)) {
    throw new RangeError(`TOWGS84 needs 3 or 7 numbers, got "${text}"`);
  }
  return values;
}

const GRS80_LONLAT = '+proj=longlat +ellps=GRS80 +no_defs';
// A zero shift marks the target as WGS84-compatible so proj4 applies the source's Bursa-Wolf shift.
const GRS80_LONLAT_SHIFTED = '+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs';

/**
 * A transformer from `epsg` to EPSG:4490. Supported: 4490, 4326, 4610, 4214, the CGCS2000 / Xian 1980
 * / Beijing 1954 Gauss-Krüger families, WGS 84 UTM and 3857. Throws ReaderError SRS_UNSUPPORTED otherwise.
 */
export function createTransformer(epsg: number, options: TransformerOptions = {}): CoordinateTransformer {
  const desc = describeEpsg(epsg);
  if (!desc) throw new ReaderError('SRS_UNSUPPORTED', `EPSG:${epsg}`, { epsg });
  const datum = DATUMS[desc.datum];
  const notes: ReaderNote[] = [];
  const towgs84 = datum.legacy ? options.towgs84 : undefined;
  if (towgs84) parseTowgs84(towgs84.join(','));
  if (datum.legacy && !towgs84) {
    notes.push({ code: 'TOWGS84_MISSING', message: formatReaderMessage('TOWGS84_MISSING', { epsg, datum: datum.label }) });
  }
  const make = (fn: (x: number, y: number) => [number, number], definition: string): CoordinateTransformer =>
    Object.assign(fn, { sourceEpsg: epsg, definition, notes });

  if (desc.kind === 'geographic' && !towgs84) {
    // CGCS2000, WGS 84 and (without parameters) the legacy datums: lon/lat pass through unchanged.
    return make((x, y) => [x, y], '');
  }
  const definition = proj4Definition(desc, towgs84);
  const converter = proj4(definition, towgs84 ? GRS80_LONLAT_SHIFTED : GRS80_LONLAT);
  return make((x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [Number.NaN, Number.NaN];
    const [lon, lat] = converter.forward([x, y]) as [number, number];
    return [lon, lat];
  }, definition);
}

function mapPositions(coords: Position[], fn: CoordinateTransformer): Position[] {
  return coords.map((p) => fn(p[0] ?? Number.NaN, p[1] ?? Number.NaN));
}

/** A copy of a GeoJSON geometry with every position transformed (2D out); null stays null. */
export function transformGeometry<G extends Geometry>(geometry: G, fn: CoordinateTransformer): G;
export function transformGeometry(geometry: null, fn: CoordinateTransformer): null;
export function transformGeometry(geometry: Geometry | null, fn: CoordinateTransformer): Geometry | null {
  if (!geometry) return null;
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: fn(geometry.coordinates[0] ?? Number.NaN, geometry.coordinates[1] ?? Number.NaN) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: mapPositions(geometry.coordinates, fn) };
    case 'LineString':
      return { type: 'LineString', coordinates: mapPositions(geometry.coordinates, fn) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => mapPositions(l, fn)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => mapPositions(r, fn)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => mapPositions(r, fn))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => transformGeometry(g, fn)) };
  }
}
