import type { BBox, Position, ShapeKind, WritableGeometry } from './shapefile.types.ts';

/** Shapefile shape type codes (2D only). */
export const SHAPE_TYPE_CODE: Readonly<Record<ShapeKind, number>> = { point: 1, polyline: 3, polygon: 5, multipoint: 8 };

/** One encoded record content (without the 8-byte record header) and its bbox (null for a null shape). */
export interface EncodedShape {
  readonly content: Buffer;
  readonly bbox: BBox | null;
}

type Ring = readonly Position[];

/**
 * Encodes one geometry as shapefile record content for a layer of `kind`. `null` or an empty
 * geometry becomes a null shape (type 0). Polygons are rewritten to the shapefile's orientation
 * (outer rings clockwise, holes counter-clockwise, rings closed). Throws on a geometry type that
 * does not fit the layer, a ring with fewer than 3 distinct vertices, a line with fewer than 2, or
 * a non-finite coordinate; `featureIndex` (0-based) is named in the message.
 */
export function encodeShape(kind: ShapeKind, geometry: WritableGeometry | null, featureIndex: number): EncodedShape {
  if (geometry === null || isEmpty(geometry)) return { content: nullShape(), bbox: null };
  const where = `feature ${featureIndex}`;
  switch (kind) {
    case 'point': {
      if (geometry.type !== 'Point') throw mismatch(kind, geometry.type, where);
      const [x, y] = xy(geometry.coordinates, where);
      const b = Buffer.alloc(20);
      b.writeInt32LE(1, 0);
      b.writeDoubleLE(x, 4);
      b.writeDoubleLE(y, 12);
      return { content: b, bbox: [x, y, x, y] };
    }
    case 'multipoint': {
      if (geometry.type !== 'Point' && geometry.type !== 'MultiPoint') throw mismatch(kind, geometry.type, where);
      const pts = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
      const coords = pts.map((p) => xy(p, where));
      const bbox = bboxOf(coords);
      const b = Buffer.alloc(40 + 16 * coords.length);
      b.writeInt32LE(8, 0);
      writeBBox(b, 4, bbox);
      b.writeInt32LE(coords.length, 36);
      coords.forEach(([x, y], i) => {
        b.writeDoubleLE(x, 40 + 16 * i);
        b.writeDoubleLE(y, 48 + 16 * i);
      });
      return { content: b, bbox };
    }
    case 'polyline': {
      if (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString') throw mismatch(kind, geometry.type, where);
      const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
      const parts = lines.filter((l) => l.length > 0).map((l) => {
        if (l.length < 2) throw new Error(`${where}: a line part needs at least 2 vertices`);
        return l.map((p) => xy(p, where));
      });
      return encodeParts(3, parts);
    }
    case 'polygon': {
      if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') throw mismatch(kind, geometry.type, where);
      const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      const parts: [number, number][][] = [];
      for (const poly of polys) {
        poly.forEach((ring, i) => {
          if (ring.length === 0) return;
          parts.push(orientRing(closeRing(ring, where), i === 0 ? 'cw' : 'ccw'));
        });
      }
      return encodeParts(5, parts);
    }
  }
}

/** Signed planar area of a ring (shoelace); positive when counter-clockwise in a y-up frame. */
export function signedRingArea(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i] ?? [0, 0];
    const b = ring[(i + 1) % n] ?? [0, 0];
    s += (a[0] ?? 0) * (b[1] ?? 0) - (b[0] ?? 0) * (a[1] ?? 0);
  }
  return s / 2;
}

function isEmpty(g: WritableGeometry): boolean {
  return g.type === 'Point' ? g.coordinates.length === 0 : g.coordinates.length === 0;
}

function mismatch(kind: ShapeKind, type: string, where: string): Error {
  return new Error(`${where}: a ${kind} shapefile cannot hold a ${type}`);
}

function xy(p: Position, where: string): [number, number] {
  const x = p[0];
  const y = p[1];
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`${where}: coordinate ${JSON.stringify(p)} is not a finite x,y pair`);
  }
  return [x, y];
}

function closeRing(ring: Ring, where: string): [number, number][] {
  const pts = ring.map((p) => xy(p, where));
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) pts.push([first[0], first[1]]);
  if (pts.length < 4) throw new Error(`${where}: a polygon ring needs at least 3 distinct vertices`);
  return pts;
}

function orientRing(ring: [number, number][], want: 'cw' | 'ccw'): [number, number][] {
  const area = signedRingArea(ring);
  const isCw = area < 0;
  return isCw === (want === 'cw') ? ring : ring.slice().reverse();
}

function bboxOf(points: readonly (readonly [number, number])[]): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

function writeBBox(b: Buffer, at: number, bbox: BBox): void {
  bbox.forEach((v, i) => b.writeDoubleLE(v, at + 8 * i));
}

function encodeParts(type: 3 | 5, parts: [number, number][][]): EncodedShape {
  if (parts.length === 0) return { content: nullShape(), bbox: null };
  const nPoints = parts.reduce((s, p) => s + p.length, 0);
  const bbox = bboxOf(parts.flat());
  const b = Buffer.alloc(44 + 4 * parts.length + 16 * nPoints);
  b.writeInt32LE(type, 0);
  writeBBox(b, 4, bbox);
  b.writeInt32LE(parts.length, 36);
  b.writeInt32LE(nPoints, 40);
  let at = 44;
  let start = 0;
  for (const p of parts) {
    b.writeInt32LE(start, at);
    at += 4;
    start += p.length;
  }
  for (const p of parts) {
    for (const [x, y] of p) {
      b.writeDoubleLE(x, at);
      b.writeDoubleLE(y, at + 8);
      at += 16;
    }
  }
  return { content: b, bbox };
}

function nullShape(): Buffer {
  return Buffer.alloc(4); // shape type 0
}
