/**
 * Parses one .shp record (content after the 8-byte record header) into a 2D GeoJSON geometry.
 * Each record is parsed by its own shape type (GDAL does the same; the `shapefile` package skips
 * records whose type differs from the header's, which misaligns them with the .dbf rows).
 * Polygon rings are grouped like GDAL: clockwise rings are outer rings, counter-clockwise rings are
 * holes of the smallest outer ring that contains them.
 */
import type { Geometry, Position } from 'geojson';

/** Parse outcome: geometry (null for a null shape), whether Z/M were present, or a problem. */
export interface ShpParse {
  geometry: Geometry | null;
  hasZ: boolean;
  hasM: boolean;
  problem?: { code: 'BAD_GEOMETRY' | 'UNSUPPORTED_SHAPE' | 'NAN_COORDINATE'; reason: string };
}

/** Shape type names, for messages. */
export const SHAPE_TYPE_NAMES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ',
  18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};

const Z_TYPES = new Set([11, 13, 15, 18, 31]);
const M_TYPES = new Set([21, 23, 25, 28]);

function bad(reason: string, hasZ = false, hasM = false): ShpParse {
  return { geometry: null, hasZ, hasM, problem: { code: 'BAD_GEOMETRY', reason } };
}

/**
 * Twice the signed area (shoelace); > 0 counter-clockwise, < 0 clockwise (x east, y north).
 * Computed relative to the first vertex: with raw coordinates far from the origin (1e11 and more)
 * the products cancel catastrophically and can even flip the sign (GDAL's bigoffset.shp).
 */
export function signedArea2(ring: Position[]): number {
  const x0 = ring[0]?.[0] ?? 0;
  const y0 = ring[0]?.[1] ?? 0;
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i] as Position;
    const b = ring[(i + 1) % n] as Position;
    sum += ((a[0] ?? 0) - x0) * ((b[1] ?? 0) - y0) - ((b[0] ?? 0) - x0) * ((a[1] ?? 0) - y0);
  }
  return sum;
}

/** 1 inside, -1 outside, 0 on the boundary (even-odd rule). */
function pointInRing(p: Position, ring: Position[]): number {
  const x = p[0] ?? 0;
  const y = p[1] ?? 0;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] as Position;
    const [xj = 0, yj = 0] = ring[j] as Position;
    const cross = (xj - xi) * (y - yi) - (x - xi) * (yj - yi);
    if (cross === 0 && x >= Math.min(xi, xj) && x <= Math.max(xi, xj) && y >= Math.min(yi, yj) && y <= Math.max(yi, yj)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** True when `inner` lies in `outer`, judged by its first vertex not on the outer boundary. */
function ringInside(inner: Position[], outer: Position[]): boolean {
  for (const p of inner) {
    const where = pointInRing(p, outer);
    if (where !== 0) return where > 0;
  }
  return true; // every vertex on the boundary: treat as inside
}

/** Groups rings into polygons (see file comment). One polygon → Polygon, else MultiPolygon. */
export function assemblePolygon(rings: Position[][]): Geometry {
  if (rings.length === 1) return { type: 'Polygon', coordinates: rings };
  const areas = rings.map(signedArea2);
  let outerIdx = rings.map((_, i) => i).filter((i) => (areas[i] ?? 0) < 0);
  // No clockwise ring at all: the writer ignored the convention; nest by containment instead.
  const byContainment = outerIdx.length === 0;
  if (byContainment) {
    const depth = rings.map((r, i) => rings.filter((o, j) => j !== i && Math.abs(areas[j] ?? 0) > Math.abs(areas[i] ?? 0) && ringInside(r, o)).length);
    outerIdx = rings.map((_, i) => i).filter((i) => (depth[i] ?? 0) % 2 === 0);
  }
  const outers = new Set(outerIdx);
  if (outerIdx.length === 1 && !byContainment) {
    // One outer ring: every other ring is its hole, contained or not (GDAL reads it so, too).
    const only = outerIdx[0] as number;
    return { type: 'Polygon', coordinates: [rings[only] as Position[], ...rings.filter((_, i) => i !== only)] };
  }
  const polygons = new Map<number, Position[][]>(outerIdx.map((i) => [i, [rings[i] as Position[]]]));
  const orphans: Position[][] = [];
  rings.forEach((ring, i) => {
    if (outers.has(i)) return;
    let best = -1;
    for (const o of outerIdx) {
      if (!ringInside(ring, rings[o] as Position[])) continue;
      if (best < 0 || Math.abs(areas[o] ?? 0) < Math.abs(areas[best] ?? 0)) best = o;
    }
    if (best >= 0) polygons.get(best)?.push(ring);
    else orphans.push(ring); // a hole in no outer ring: keep it as a polygon of its own
  });
  const all = [...polygons.values(), ...orphans.map((r) => [r])];
  return all.length === 1 ? { type: 'Polygon', coordinates: all[0] as Position[][] } : { type: 'MultiPolygon', coordinates: all };
}

function allFinite(coords: unknown): boolean {
  if (typeof coords === 'number') return Number.isFinite(coords);
  if (Array.isArray(coords)) return coords.every(allFinite);
  return true;
}

/** Parses a record's content (starting at its shape type). Never throws. */
export function parseShpRecord(content: Buffer): ShpParse {
  if (content.length < 4) return bad(`record of ${content.length} bytes`);
  const type = content.readInt32LE(0);
  const hasZ = Z_TYPES.has(type);
  const hasM = M_TYPES.has(type);
  const name = SHAPE_TYPE_NAMES[type];
  if (type === 0) return { geometry: null, hasZ, hasM };
  if (type === 31) return { geometry: null, hasZ, hasM, problem: { code: 'UNSUPPORTED_SHAPE', reason: 'MultiPatch (3D surface)' } };
  if (name === undefined) return { geometry: null, hasZ, hasM, problem: { code: 'UNSUPPORTED_SHAPE', reason: `shape type ${type}` } };

  let geometry: Geometry | null;
  if (type === 1 || type === 11 || type === 21) {
    if (content.length < 20) return bad(`${name} record of ${content.length} bytes`, hasZ, hasM);
    geometry = { type: 'Point', coordinates: [content.readDoubleLE(4), content.readDoubleLE(12)] };
  } else if (type === 8 || type === 18 || type === 28) {
    if (content.length < 40) return bad(`${name} record of ${content.length} bytes`, hasZ, hasM);
    const n = content.readInt32LE(36);
    if (n < 0 || 40 + 16 * n > content.length) return bad(`${name} with ${n} points in ${content.length} bytes`, hasZ, hasM);
    if (n === 0) return { geometry: null, hasZ, hasM };
    const points: Position[] = [];
    for (let i = 0; i < n; i++) points.push([content.readDoubleLE(40 + 16 * i), content.readDoubleLE(48 + 16 * i)]);
    geometry = { type: 'MultiPoint', coordinates: points };
  } else {
    if (content.length < 44) return bad(`${name} record of ${content.length} bytes`, hasZ, hasM);
    const nParts = content.readInt32LE(36);
    const nPoints = content.readInt32LE(40);
    const pointsAt = 44 + 4 * nParts;
    if (nParts < 0 || nPoints < 0 || pointsAt + 16 * nPoints > content.length) {
      return bad(`${name} with ${nParts} parts and ${nPoints} points in ${content.length} bytes`, hasZ, hasM);
    }
    if (nPoints === 0 || nParts === 0) return { geometry: null, hasZ, hasM };
    const starts: number[] = [];
    for (let i = 0; i < nParts; i++) {
      const start = content.readInt32LE(44 + 4 * i);
      // Part starts must increase strictly inside the point array (an empty part is corruption).
      if (start < 0 || start >= nPoints || (i > 0 && start <= (starts[i - 1] ?? 0))) {
        return bad(`${name} part ${i} starts at point ${start} of ${nPoints}`, hasZ, hasM);
      }
      starts.push(start);
    }
    const parts: Position[][] = [];
    for (let i = 0; i < nParts; i++) {
      const from = starts[i] ?? 0;
      const to = i + 1 < nParts ? (starts[i + 1] ?? 0) : nPoints;
      if (from < 0 || to > nPoints || to < from) return bad(`${name} part ${i} spans points ${from}–${to} of ${nPoints}`, hasZ, hasM);
      const part: Position[] = [];
      for (let k = from; k < to; k++) part.push([content.readDoubleLE(pointsAt + 16 * k), content.readDoubleLE(pointsAt + 16 * k + 8)]);
      if (part.length > 0) parts.push(part);
    }
    const isLine = type === 3 || type === 13 || type === 23;
    if (isLine) {
      geometry = parts.length === 1 ? { type: 'LineString', coordinates: parts[0] as Position[] } : { type: 'MultiLineString', coordinates: parts };
    } else {
      geometry = assemblePolygon(parts);
    }
  }
  if (!allFinite('coordinates' in geometry ? geometry.coordinates : [])) {
    return { geometry: null, hasZ, hasM, problem: { code: 'NAN_COORDINATE', reason: 'NaN or infinite coordinate' } };
  }
  return { geometry, hasZ, hasM };
}
