import type { Geometry } from './readers/reader.types.ts';

/** A structural defect that GEOS cannot even load (so no SQL may see it). */
export interface StructureProblem {
  code: 'DEGENERATE_RING' | 'DEGENERATE_LINE' | 'MALFORMED_GEOMETRY';
  message: string;
}

/** Deepest GeometryCollection nesting accepted; real survey data never nests collections at all. */
export const MAX_COLLECTION_DEPTH = 4;

/**
 * Checks what GEOS refuses to construct — rings of fewer than 4 positions, lines of fewer than 2 —
 * and closes unclosed rings in place (returns how many it closed).
 *
 * Why in Node: where native PostGIS raises "IllegalArgumentException" for such a ring, PGlite's
 * PostGIS makes the whole statement return zero rows with no error (seen here: even count(*) came
 * back empty), so one bad ring would silently void a repair pass over every row.
 */
export function checkStructure(geometry: Geometry): { problem: StructureProblem | null; closedRings: number } {
  // Module-level walkers and one counter object: this runs once per imported feature, and closures
  // created per call showed up in profiles of million-row imports.
  const counter = { closedRings: 0 };
  return { problem: visit(geometry, 0, counter), closedRings: counter.closedRings };
}

function checkRing(r: number[][], counter: { closedRings: number }): StructureProblem | null {
  const first = r[0];
  const last = r[r.length - 1];
  if (first && last && r.length >= 3 && (first[0] !== last[0] || first[1] !== last[1])) {
    r.push([first[0] as number, first[1] as number]);
    counter.closedRings += 1;
  }
  if (r.length < 4) return { code: 'DEGENERATE_RING', message: `a polygon ring has ${r.length} positions; at least 4 are needed` };
  return null;
}

function checkPolygon(p: number[][][], counter: { closedRings: number }): StructureProblem | null {
  for (const r of p) {
    const problem = checkRing(r, counter);
    if (problem) return problem;
  }
  return null;
}

function checkLine(l: number[][]): StructureProblem | null {
  return l.length < 2 ? { code: 'DEGENERATE_LINE', message: `a line has ${l.length} position(s); at least 2 are needed` } : null;
}

function visit(g: Geometry, depth: number, counter: { closedRings: number }): StructureProblem | null {
  if (depth > MAX_COLLECTION_DEPTH) {
    return { code: 'MALFORMED_GEOMETRY', message: `geometry collections nested deeper than ${MAX_COLLECTION_DEPTH} levels` };
  }
  if (g.type !== 'GeometryCollection' && !coordinatesWellFormed(g)) {
    return { code: 'MALFORMED_GEOMETRY', message: `${g.type} coordinates are not nested as GeoJSON requires` };
  }
  switch (g.type) {
    case 'Polygon':
      return checkPolygon(g.coordinates, counter);
    case 'MultiPolygon':
      for (const p of g.coordinates) {
        const problem = checkPolygon(p, counter);
        if (problem) return problem;
      }
      return null;
    case 'LineString':
      return checkLine(g.coordinates);
    case 'MultiLineString':
      for (const l of g.coordinates) {
        const problem = checkLine(l);
        if (problem) return problem;
      }
      return null;
    case 'GeometryCollection':
      for (const child of g.geometries) {
        const problem = visit(child, depth + 1, counter);
        if (problem) return problem;
      }
      return null;
    default:
      return null;
  }
}

const POSITION_DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/**
 * Whether coordinates are arrays nested exactly as the type says, ending in number pairs. The walk
 * goes no deeper than the type's own depth (at most 3 levels), so a hostile file with deeply nested
 * arrays cannot exhaust the stack.
 */
function coordinatesWellFormed(g: Geometry): boolean {
  const expected = POSITION_DEPTH[g.type];
  if (expected === undefined) return false;
  return nestedAs((g as { coordinates?: unknown }).coordinates, expected);
}

function nestedAs(value: unknown, depth: number): boolean {
  if (!Array.isArray(value)) return false;
  if (depth === 0) {
    if (value.length < 2) return false;
    for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
    return true;
  }
  for (let i = 0; i < value.length; i++) if (!nestedAs(value[i], depth - 1)) return false;
  return true;
}
