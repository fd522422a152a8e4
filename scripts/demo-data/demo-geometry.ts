/**
 * Planar geometry for the demo generator, in LOCAL metres (x east, y north, origin at the
 * township's south-west corner; see demo-crs.ts for the offset to EPSG:4547). Rings are open
 * (first vertex not repeated). Exact overlay uses polyclip-ts through @turf (planar on whatever
 * coordinates it is given); a fast Sutherland–Hodgman clip proves that background features stay
 * clear of constraints.
 */
import { difference as turfDifference, featureCollection, intersect as turfIntersect, multiPolygon, union as turfUnion } from '@turf/turf';

/** A point [x, y] in local metres. */
export type Pt = [number, number];
/** An open ring. */
export type Ring = Pt[];
/** Outer ring then holes. */
export type Poly = Ring[];
/** Polygons; an empty array is the empty geometry. */
export type MPoly = Poly[];
/** [minX, minY, maxX, maxY]. */
export type Box = [number, number, number, number];

/** Signed area of an open ring (positive counter-clockwise). */
export function ringArea(r: readonly Pt[]): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const a = r[i] as Pt;
    const b = r[(i + 1) % r.length] as Pt;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Planar area of polygons (holes subtracted), m². */
export function area(mp: MPoly): number {
  let s = 0;
  for (const p of mp) p.forEach((r, i) => (s += i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))));
  return s;
}

/** Outer rings counter-clockwise, holes clockwise (OGC / RFC 7946 convention). */
export function normalize(p: Poly): Poly {
  return p.map((r, i) => ((ringArea(r) > 0) === (i === 0) ? r : r.slice().reverse()));
}

/** Bounding box of any nesting of points. */
export function bbox(g: MPoly | Poly | Ring): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (x: unknown): void => {
    if (Array.isArray(x) && typeof x[0] === 'number') {
      const [px, py] = x as Pt;
      b[0] = Math.min(b[0], px);
      b[1] = Math.min(b[1], py);
      b[2] = Math.max(b[2], px);
      b[3] = Math.max(b[3], py);
    } else if (Array.isArray(x)) x.forEach(visit);
  };
  visit(g);
  return b;
}

/** Whether two boxes overlap after growing `a` by `margin`. */
export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return a[0] - margin <= b[2] && b[0] <= a[2] + margin && a[1] - margin <= b[3] && b[1] <= a[3] + margin;
}

/** A frame rotated by `angleDeg` (counter-clockwise) at `origin`: local (u, v) → world. */
export interface Frame {
  readonly origin: Pt;
  readonly angleDeg: number;
  at(u: number, v: number): Pt;
  /** Rectangle with corner (u, v) and sides w (along u) × h (along v), counter-clockwise. */
  rect(u: number, v: number, w: number, h: number): Ring;
}

/** See {@link Frame}. */
export function frame(origin: Pt, angleDeg: number): Frame {
  const t = (angleDeg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const at = (u: number, v: number): Pt => [origin[0] + u * c - v * s, origin[1] + u * s + v * c];
  return { origin, angleDeg, at, rect: (u, v, w, h) => [at(u, v), at(u + w, v), at(u + w, v + h), at(u, v + h)] };
}

/** Rectangle w × h centred on (cx, cy), rotated by angleDeg, counter-clockwise. */
export function rotRect(cx: number, cy: number, w: number, h: number, angleDeg: number): Ring {
  return frame([cx, cy], angleDeg).rect(-w / 2, -h / 2, w, h);
}

/** Regular n-gon approximating a circle (PostGIS uses 32 segments per circle, as here). */
export function circle(c: Pt, r: number, n = 32): Ring {
  return Array.from({ length: n }, (_, i) => [c[0] + r * Math.cos((2 * Math.PI * i) / n), c[1] + r * Math.sin((2 * Math.PI * i) / n)] as Pt);
}

/** Translates polygons. */
export function shift(mp: MPoly, dx: number, dy: number): MPoly {
  return mp.map((p) => p.map((r) => r.map(([x, y]) => [x + dx, y + dy] as Pt)));
}

// ---- exact overlay (polyclip-ts) ----------------------------------------------------------------

const closed = (mp: MPoly): number[][][][] => mp.map((p) => p.map((r) => [...r, r[0] as Pt].map((q) => [q[0], q[1]])));

function fromGeoJson(g: { type: string; coordinates: unknown } | undefined | null): MPoly {
  if (!g) return [];
  const polys = (g.type === 'Polygon' ? [g.coordinates] : (g.coordinates as unknown[])) as number[][][][];
  return polys.map((p) => p.map((r) => r.slice(0, -1).map((q) => [q[0] ?? 0, q[1] ?? 0] as Pt)));
}

/** a ∩ b (exact, planar). */
export function intersection(a: MPoly, b: MPoly): MPoly {
  if (a.length === 0 || b.length === 0) return [];
  return fromGeoJson(turfIntersect(featureCollection([multiPolygon(closed(a)), multiPolygon(closed(b))]))?.geometry);
}

/** a − b (exact, planar). */
export function difference(a: MPoly, b: MPoly): MPoly {
  if (a.length === 0) return [];
  if (b.length === 0) return a;
  return fromGeoJson(turfDifference(featureCollection([multiPolygon(closed(a)), multiPolygon(closed(b))]))?.geometry);
}

/** Union of all inputs (exact, planar). */
export function union(parts: readonly MPoly[]): MPoly {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return nonEmpty[0] as MPoly;
  return fromGeoJson(turfUnion(featureCollection(nonEmpty.map((p) => multiPolygon(closed(p)))))?.geometry);
}

// ---- fast clipping and distances --------------------------------------------------------------

/** Area of (convex CCW ring) ∩ (polygon with holes), by Sutherland–Hodgman. */
export function convexClipArea(convex: Ring, p: Poly): number {
  let s = 0;
  p.forEach((r, i) => {
    const a = Math.abs(ringArea(clipRingByConvex(r, convex)));
    s += i === 0 ? a : -a;
  });
  return s;
}

function clipRingByConvex(subject: Ring, convex: Ring): Ring {
  let out = subject;
  for (let i = 0; i < convex.length && out.length > 0; i++) {
    const a = convex[i] as Pt;
    const b = convex[(i + 1) % convex.length] as Pt;
    const side = (p: Pt): number => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j] as Pt;
      const q = input[(j + 1) % input.length] as Pt;
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) out.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return out;
}

/** Distance from point p to segment ab. */
export function pointSegDist(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o = (p: Pt, q: Pt, r: Pt): number => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) !== o(a, b, d) && o(c, d, a) !== o(c, d, b);
}

/** Whether p lies inside an open ring (even-odd). */
export function pointInRing(p: Pt, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i] as Pt;
    const [xj, yj] = r[j] as Pt;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Smallest distance between a polygon's rings and a polyline; 0 when they cross or the line is inside. */
export function polyLineDistance(p: MPoly, line: readonly Pt[]): number {
  let best = Infinity;
  for (const poly of p) {
    if (line[0] && pointInRing(line[0], poly[0] ?? [])) return 0;
    for (const r of poly) {
      for (let i = 0; i < r.length; i++) {
        const a = r[i] as Pt;
        const b = r[(i + 1) % r.length] as Pt;
        for (let j = 0; j + 1 < line.length; j++) {
          const c = line[j] as Pt;
          const d = line[j + 1] as Pt;
          if (segmentsCross(a, b, c, d)) return 0;
          best = Math.min(best, pointSegDist(a, c, d), pointSegDist(c, a, b), pointSegDist(d, a, b));
        }
      }
    }
  }
  return best;
}

/**
 * Buffer of a polyline by `h` metres each side: segment rectangles plus 32-gon discs at every
 * vertex (round joins and caps, like ST_Buffer's default), unioned.
 */
export function lineBuffer(line: readonly Pt[], h: number): MPoly {
  const parts: MPoly[] = line.map((v) => [[circle(v, h)]]);
  for (let i = 0; i + 1 < line.length; i++) parts.push([[segmentBand(line[i] as Pt, line[i + 1] as Pt, h)]]);
  return union(parts);
}

/** Rectangle of half-width h around segment ab (no caps). */
export function segmentBand(a: Pt, b: Pt, h: number): Ring {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const nx = (-(b[1] - a[1]) / len) * h;
  const ny = ((b[0] - a[0]) / len) * h;
  return [[a[0] - nx, a[1] - ny], [b[0] - nx, b[1] - ny], [b[0] + nx, b[1] + ny], [a[0] + nx, a[1] + ny]];
}

/** Corridor polygon of half-width h along a gently curving polyline (mitred offsets, flat ends). */
export function corridor(line: readonly Pt[], h: number): Ring {
  const left: Pt[] = [];
  const right: Pt[] = [];
  line.forEach((p, i) => {
    const prev = line[Math.max(0, i - 1)] as Pt;
    const next = line[Math.min(line.length - 1, i + 1)] as Pt;
    const dx = next[0] - prev[0];
    const dy = next[1] - prev[1];
    const len = Math.hypot(dx, dy);
    const n: Pt = [-dy / len, dx / len];
    left.push([p[0] + n[0] * h, p[1] + n[1] * h]);
    right.push([p[0] - n[0] * h, p[1] - n[1] * h]);
  });
  return [...right, ...left.reverse()];
}

/** Point at arclength fraction t ∈ [0, 1] along segment ab, pushed `offset` m to its left. */
export function alongSegment(a: Pt, b: Pt, t: number, offset: number): Pt {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return [a[0] + t * (b[0] - a[0]) - ((b[1] - a[1]) / len) * offset, a[1] + t * (b[1] - a[1]) + ((b[0] - a[0]) / len) * offset];
}
