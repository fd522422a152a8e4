import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/** One decoded MVT feature: id, attributes, geometry type and rings in tile units (closing point dropped). */
export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, string | number | boolean>;
  rings: Array<Array<[number, number]>>;
}

/** Decodes a tile into layer name → features sorted by id. An empty/absent tile has no layers. */
export function decodeTile(bytes: Uint8Array | null): Record<string, DecodedFeature[]> {
  if (!bytes || bytes.length === 0) return {};
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const rings = f.loadGeometry().map((ring) => {
        const pts = ring.map((p) => [p.x, p.y] as [number, number]);
        const first = pts[0];
        const last = pts[pts.length - 1];
        if (pts.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) pts.pop();
        return pts;
      });
      features.push({ id: f.id, type: f.type, properties: { ...f.properties }, rings });
    }
    features.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    out[name] = features;
  }
  return out;
}

/** Signed shoelace area of a ring in tile units; positive = MVT exterior ring. */
export function ringArea(ring: Array<[number, number]>): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

function perimeter(rings: Array<Array<[number, number]>>): number {
  let p = 0;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const [x1, y1] = ring[i]!;
      const [x2, y2] = ring[(i + 1) % ring.length]!;
      p += Math.hypot(x2 - x1, y2 - y1);
    }
  }
  return p;
}

function pointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Largest distance from a vertex of `a` to the outline of `b` (directed Hausdorff over edges). */
function directedHausdorff(a: Array<Array<[number, number]>>, b: Array<Array<[number, number]>>): number {
  let worst = 0;
  for (const ring of a) {
    for (const [px, py] of ring) {
      let best = Infinity;
      for (const r of b) {
        for (let i = 0; i < r.length; i++) {
          const [ax, ay] = r[i]!;
          const [bx, by] = r[(i + 1) % r.length]!;
          best = Math.min(best, pointSegment(px, py, ax, ay, bx, by));
        }
      }
      worst = Math.max(worst, best);
    }
  }
  return worst;
}

/** Symmetric Hausdorff distance between two outlines, in tile units. */
export function outlineDistance(a: Array<Array<[number, number]>>, b: Array<Array<[number, number]>>): number {
  return Math.max(directedHausdorff(a, b), directedHausdorff(b, a));
}

/** What compareTiles found: readable differences (empty = same tile) and a few numbers. */
export interface TileComparison {
  diffs: string[];
  /** Features compared in both tiles. */
  matched: number;
  /** Features present in one tile only but smaller than `subPixelArea` (allowed). */
  subPixelOnlyInOne: number;
  /** Outline distance of every matched feature, in tile units. */
  distances: number[];
}

/**
 * Compares two decoded tiles: layer names, feature ids, attributes (exactly), geometry type,
 * outlines within `tolerance` tile units (the hard limit; callers judge `distances` more strictly),
 * and signed area within what a 2-unit shift of the outline can change. A feature of at most `subPixelArea` units² may be present in one tile only:
 * at 4096 units per 512-px tile that is a sixteenth of a screen pixel, and the two clippers round
 * such crumbs differently (wagyu drops some 1×1 squares GEOS keeps, and the other way round).
 */
export function compareTiles(
  a: Record<string, DecodedFeature[]>,
  b: Record<string, DecodedFeature[]>,
  options: { tolerance?: number; subPixelArea?: number } = {},
): TileComparison {
  const tolerance = options.tolerance ?? 2;
  const subPixelArea = options.subPixelArea ?? 4;
  const result: TileComparison = { diffs: [], matched: 0, subPixelOnlyInOne: 0, distances: [] };
  const area = (f: DecodedFeature) => f.rings.reduce((s, r) => s + ringArea(r), 0);
  const layers = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const layer of layers) {
    const byIdA = new Map((a[layer] ?? []).map((f) => [f.id, f]));
    const byIdB = new Map((b[layer] ?? []).map((f) => [f.id, f]));
    for (const [id, f] of [...byIdA, ...byIdB]) {
      const other = byIdA.has(id) ? byIdB : byIdA;
      if (other.has(id)) continue;
      if (Math.abs(area(f)) <= subPixelArea) result.subPixelOnlyInOne++;
      else result.diffs.push(`${layer}#${id}: only in ${byIdA.has(id) ? 'the first' : 'the second'} tile (area ${area(f)} units²)`);
    }
    for (const [id, x] of byIdA) {
      const y = byIdB.get(id);
      if (!y) continue;
      result.matched++;
      if (JSON.stringify(sortKeys(x.properties)) !== JSON.stringify(sortKeys(y.properties))) {
        result.diffs.push(`${layer}#${id}: attributes ${JSON.stringify(x.properties)} vs ${JSON.stringify(y.properties)}`);
      }
      if (x.type !== y.type) result.diffs.push(`${layer}#${id}: type ${x.type} vs ${y.type}`);
      const d = outlineDistance(x.rings, y.rings);
      result.distances.push(d);
      if (d > tolerance) result.diffs.push(`${layer}#${id}: outlines ${d.toFixed(2)} units apart`);
      const allowed = 2 * Math.max(perimeter(x.rings), perimeter(y.rings)) + 4;
      if (Math.abs(area(x) - area(y)) > allowed) {
        result.diffs.push(`${layer}#${id}: area ${area(x)} vs ${area(y)} (allowed ±${allowed.toFixed(0)})`);
      }
    }
  }
  return result;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([k1], [k2]) => k1.localeCompare(k2)));
}
