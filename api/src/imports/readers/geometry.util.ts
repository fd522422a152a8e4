/**
 * Checks and normalises geometries coming from parsers (GeoJSON text, KML, WKT/WKB via wkx):
 * structure, 2D only (Z/M dropped and counted), NaN/Infinity → NAN_COORDINATE, empty → null.
 * Deeper validity (self-intersections, ring closure, ranges) is the import service's job.
 */
import type { Geometry, Position } from 'geojson';
import type { SourceFeature } from './reader.types.ts';
import { formatReaderMessage, type ReaderCode } from './reader-messages.ts';

/** Outcome of normalising one geometry. */
export interface NormalizedGeometry {
  geometry: Geometry | null;
  /** True when any position had a third (Z) or fourth (M) value that was dropped. */
  hadZ: boolean;
  problem?: { code: 'BAD_GEOMETRY' | 'NAN_COORDINATE'; reason: string };
}

class GeometryShapeError extends Error {}

interface State {
  hadZ: boolean;
  nonFinite: boolean;
}

function position(value: unknown, state: State): Position {
  if (!Array.isArray(value) || value.length < 2) throw new GeometryShapeError('a position needs at least 2 numbers');
  if (!value.every((v) => typeof v === 'number')) throw new GeometryShapeError('coordinates must be numbers');
  const [x, y] = value as number[];
  if (x === undefined || y === undefined) throw new GeometryShapeError('a position needs at least 2 numbers');
  if (value.length > 2) state.hadZ = true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) state.nonFinite = true;
  return [x, y];
}

function positions(value: unknown, state: State): Position[] {
  if (!Array.isArray(value)) throw new GeometryShapeError('coordinates must be an array');
  return value.map((p) => position(p, state));
}

function nested(value: unknown, depth: number, state: State): unknown[] {
  if (!Array.isArray(value)) throw new GeometryShapeError('coordinates must be an array');
  return depth === 1 ? positions(value, state) : value.map((v) => nested(v, depth - 1, state));
}

const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

function walk(value: unknown, state: State, level: number): Geometry | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') throw new GeometryShapeError('geometry must be an object');
  const g = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (g.type === 'GeometryCollection') {
    if (!Array.isArray(g.geometries)) throw new GeometryShapeError('GeometryCollection without geometries');
    if (level > 16) throw new GeometryShapeError('GeometryCollection nested too deep');
    const parts = g.geometries.map((p) => walk(p, state, level + 1)).filter((p): p is Geometry => p !== null);
    return parts.length ? { type: 'GeometryCollection', geometries: parts } : null;
  }
  const depth = typeof g.type === 'string' ? DEPTH[g.type] : undefined;
  if (depth === undefined) throw new GeometryShapeError(`unknown geometry type ${String(g.type)}`);
  if (depth === 0) {
    const coords = g.coordinates;
    if (Array.isArray(coords) && coords.length === 0) return null; // POINT EMPTY
    const p = position(coords, state);
    if (Number.isNaN(p[0]) && Number.isNaN(p[1])) {
      state.nonFinite = false; // WKB writes an empty point as NaN NaN
      return null;
    }
    return { type: 'Point', coordinates: p };
  }
  const coords = nested(g.coordinates, depth, state);
  if (coords.length === 0) return null;
  return { type: g.type, coordinates: coords } as Geometry;
}

/** Validates and normalises any GeoJSON-like geometry value. Never throws. */
export function normalizeGeometry(value: unknown): NormalizedGeometry {
  const state: State = { hadZ: false, nonFinite: false };
  try {
    const geometry = walk(value, state, 0);
    if (state.nonFinite) return { geometry: null, hadZ: state.hadZ, problem: { code: 'NAN_COORDINATE', reason: 'NaN or infinite coordinate' } };
    return { geometry, hadZ: state.hadZ };
  } catch (error) {
    return { geometry: null, hadZ: state.hadZ, problem: { code: 'BAD_GEOMETRY', reason: (error as Error).message } };
  }
}

/**
 * A GeometryCollection whose members all have one type becomes the matching Multi* geometry
 * (KML MultiGeometry of polygons → MultiPolygon, as GDAL reads it). Others are returned unchanged.
 */
export function collapseCollection(geometry: Geometry | null): Geometry | null {
  if (!geometry || geometry.type !== 'GeometryCollection' || geometry.geometries.length === 0) return geometry;
  const parts = geometry.geometries;
  const type = parts[0]?.type;
  if (!parts.every((p) => p.type === type)) return geometry;
  if (type === 'Point') return { type: 'MultiPoint', coordinates: parts.map((p) => (p as { coordinates: Position }).coordinates) };
  if (type === 'LineString') return { type: 'MultiLineString', coordinates: parts.map((p) => (p as { coordinates: Position[] }).coordinates) };
  if (type === 'Polygon') return { type: 'MultiPolygon', coordinates: parts.map((p) => (p as { coordinates: Position[][] }).coordinates) };
  return geometry;
}

/** A SourceFeature, with `problem` filled from a code and reason (geometry forced to null then). */
export function makeFeature(
  rowNumber: number,
  properties: Record<string, unknown>,
  geometry: Geometry | null,
  problem?: { code: ReaderCode; reason: string },
): SourceFeature {
  if (!problem) return { rowNumber, properties, geometry };
  return { rowNumber, properties, geometry: null, problem: { code: problem.code, message: formatReaderMessage(problem.code, { row: rowNumber, reason: problem.reason }) } };
}
