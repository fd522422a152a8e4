import type { Geometry } from './readers/reader.types.ts';

/** A structural defect that GEOS cannot even load (so no SQL may see it). */
export interface StructureProblem {
  code: 'DEGENERATE_RING' | 'DEGENERATE_LINE';
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
  const visit = (g: Geometry): StructureProblem | null => {
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
          const problem = visit(child);
          if (problem) return problem;
        }
        return null;
      default:
        return null;
    }
  };
  return { problem: visit(geometry), closedRings };
}
