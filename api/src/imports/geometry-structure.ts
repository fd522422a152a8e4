import type { Geometry } from './readers/reader.types.ts';

/** A structural defect that GEOS cannot even load (so no SQL may see it). */
export interface StructureProblem {
  code: 'DEGENERATE_RING' | 'DEGENERATE_LINE' | 'MALFORMED_GEOMETRY';
  message: string;
}

/**
 * Checks what GEOS refuses to construct — rings of fewer than 4 positions, lines of fewer than 2 —
 * and closes unclosed rings in place (returns how many it closed).
 *
 * Why in Node: where native PostGIS raises "IllegalArgumentException" for such a ring, PGlite's
 * PostGIS makes the whole statement return zero rows with no error (seen here: even count(*) came
 * back empty), so one bad ring would silently void a repair pass over every row.
 */
/** Deepest GeometryCollection nesting accepted; real survey data never nests collections at all. */
export const MAX_COLLECTION_DEPTH = 4;

export function checkStructure(geometry: Geometry): { problem: StructureProblem | null; closedRings: number } {
  let closedRings = 0;
  const ring = (r: number[][]): StructureProblem | null => {
    const first = r[0];
    const last = r[r.length - 1];
    if (first && last && r.length >= 3 && (first[0] !== last[0] || first[1] !== last[1])) {
      r.push([first[0] as number, first[1] as number]);
      closedRings += 1;
    }
    if (r.length < 4) return { code: 'DEGENERATE_RING', message: `a polygon ring has ${r.length} positions; at least 4 are needed` };
    return null;
  };
  const polygon = (p: number[][][]): StructureProblem | null => {
    for (const r of p) {
      const problem = ring(r);
      if (problem) return problem;
    }
    return null;
  };
  const line = (l: number[][]): StructureProblem | null =>
    l.length < 2 ? { code: 'DEGENERATE_LINE', message: `a line has ${l.length} position(s); at least 2 are needed` } : null;
  const visit = (g: Geometry, depth = 0): StructureProblem | null => {
    if (depth > MAX_COLLECTION_DEPTH) {
      return { code: 'MALFORMED_GEOMETRY', message: `geometry collections nested deeper than ${MAX_COLLECTION_DEPTH} levels` };
    }
    if (g.type !== 'GeometryCollection' && !coordinatesWellFormed(g)) {
      return { code: 'MALFORMED_GEOMETRY', message: `${g.type} coordinates are not nested as GeoJSON requires` };
    }
    switch (g.type) {
      case 'Polygon':
        return polygon(g.coordinates);
      case 'MultiPolygon':
        for (const p of g.coordinates) {
          const problem = polygon(p);
          if (problem) return problem;
        }
        return null;
      case 'LineString':
        return line(g.coordinates);
      case 'MultiLineString':
        for (const l of g.coordinates) {
          const problem = line(l);
          if (problem) return problem;
        }
        return null;
      case 'GeometryCollection':
        for (const child of g.geometries) {
          const problem = visit(child, depth + 1);
          if (problem) return problem;
        }
        return null;
      default:
        return null;
    }
  };
  return { problem: visit(geometry), closedRings };
}

const POSITION_DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/**
 * Whether coordinates are arrays nested exactly as the type says, ending in number pairs. Checked
 * without recursion, so a hostile file with deeply nested arrays cannot exhaust the stack.
 */
function coordinatesWellFormed(g: Geometry): boolean {
  const expected = POSITION_DEPTH[g.type];
  if (expected === undefined) return false;
  let level: unknown[] = [(g as { coordinates?: unknown }).coordinates];
  for (let d = 0; d <= expected; d++) {
    const next: unknown[] = [];
    for (const item of level) {
      if (!Array.isArray(item)) return false;
      if (d === expected) {
        if (item.length < 2 || item.some((n) => typeof n !== 'number')) return false;
      } else next.push(...item);
    }
    level = next;
  }
  return true;
}
