/**
 * Administrative units of the fictional 安澜县 禾溪镇: six villages/communities on a 3 × 2 grid
 * of cells whose shared edges are jittered polylines, so the villages tile the township exactly.
 * Codes follow GB/T 2260 + the 12-digit statistical codes (社区 001–199, 村 200–399).
 */
import type { Rng } from './demo-prng.ts';
import { normalize, type MPoly, type Pt } from './demo-geometry.ts';
import type { District } from './demo.types.ts';

/** Cell lines of the village grid (local metres). */
export const GRID_X = [0, 1400, 2800, 4200] as const;
export const GRID_Y = [0, 1500, 3000] as const;

/** A village or community and its grid cell [column, row]. */
export interface VillageDef {
  readonly code: string;
  readonly name: string;
  readonly cell: readonly [number, number];
}

export const COUNTY = { code: '440999000000', name: '安澜县' } as const;
export const TOWNSHIP = { code: '440999101000', name: '禾溪镇' } as const;

/** The six villages/communities, keyed by a short handle used across the generator. */
export const VILLAGES = {
  xintang: { code: '440999101001', name: '新塘社区', cell: [1, 0] },
  xikou: { code: '440999101002', name: '溪口社区', cell: [2, 0] },
  donghu: { code: '440999101201', name: '东湖村', cell: [2, 1] },
  shiling: { code: '440999101202', name: '石岭村', cell: [1, 1] },
  hetian: { code: '440999101203', name: '禾田村', cell: [0, 0] },
  qingzhu: { code: '440999101204', name: '青竹村', cell: [0, 1] },
} as const satisfies Record<string, VillageDef>;

export type VillageKey = keyof typeof VILLAGES;

/** Jittered grid edges; `verticalEdge(i, j)` runs from node (i, j) up to (i, j + 1). */
export interface DistrictGrid {
  readonly districts: District[];
  /** x of the vertical cell line i at height y within row j (for planting straddling cases). */
  verticalEdgeX(i: number, j: number, y: number): number;
}

/** Builds county, township and village polygons. */
export function buildDistricts(rng: Rng): DistrictGrid {
  const h = new Map<string, Pt[]>();
  const v = new Map<string, Pt[]>();
  const node = (i: number, j: number): Pt => [GRID_X[i] ?? 0, GRID_Y[j] ?? 0];
  const jitterEdge = (a: Pt, b: Pt, amp: number): Pt[] => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const n = Math.max(2, Math.round(len / 150));
    const pts: Pt[] = [a];
    for (let k = 1; k < n; k++) {
      const t = k / n + rng.range(-0.02, 0.02);
      const off = rng.range(-amp, amp);
      // Perpendicular offset of the straight edge (edges are axis-aligned here).
      const nx = -(b[1] - a[1]) / len;
      const ny = (b[0] - a[0]) / len;
      pts.push([a[0] + t * (b[0] - a[0]) + nx * off, a[1] + t * (b[1] - a[1]) + ny * off]);
    }
    pts.push(b);
    return pts;
  };
  for (let j = 0; j < GRID_Y.length; j++) {
    for (let i = 0; i + 1 < GRID_X.length; i++) h.set(`${i},${j}`, jitterEdge(node(i, j), node(i + 1, j), j === 1 ? 20 : 35));
  }
  for (let i = 0; i < GRID_X.length; i++) {
    for (let j = 0; j + 1 < GRID_Y.length; j++) v.set(`${i},${j}`, jitterEdge(node(i, j), node(i, j + 1), i === 0 || i === 3 ? 35 : 20));
  }
  const edge = (m: Map<string, Pt[]>, k: string): Pt[] => m.get(k) ?? [];
  const cellRing = (i: number, j: number): Pt[] => [
    ...edge(h, `${i},${j}`).slice(0, -1),
    ...edge(v, `${i + 1},${j}`).slice(0, -1),
    ...edge(h, `${i},${j + 1}`).slice().reverse().slice(0, -1),
    ...edge(v, `${i},${j}`).slice().reverse().slice(0, -1),
  ];
  const villages: District[] = Object.values(VILLAGES).map((d) => ({
    code: d.code,
    name: d.name,
    level: 'village',
    geom: [normalize([cellRing(d.cell[0], d.cell[1])])],
  }));
  const outline: Pt[] = [
    ...[0, 1, 2].flatMap((i) => edge(h, `${i},0`).slice(0, -1)),
    ...[0, 1].flatMap((j) => edge(v, `3,${j}`).slice(0, -1)),
    ...[2, 1, 0].flatMap((i) => edge(h, `${i},2`).slice().reverse().slice(0, -1)),
    ...[1, 0].flatMap((j) => edge(v, `0,${j}`).slice().reverse().slice(0, -1)),
  ];
  const township: District = { code: TOWNSHIP.code, name: TOWNSHIP.name, level: 'township', geom: [normalize([outline])] };
  // The county holds other townships we do not deliver: a larger irregular area around ours.
  const countyRing: Pt[] = [[-900, -700], [1800, -1100], [4900, -650], [5300, 1600], [5000, 3700], [2100, 4100], [-700, 3600], [-1200, 1400]];
  const county: District = { code: COUNTY.code, name: COUNTY.name, level: 'county', geom: [normalize([countyRing])] };
  const districts = [county, township, ...villages];
  return {
    districts,
    verticalEdgeX(i, j, y) {
      const pts = edge(v, `${i},${j}`);
      for (let k = 0; k + 1 < pts.length; k++) {
        const a = pts[k] as Pt;
        const b = pts[k + 1] as Pt;
        if ((a[1] - y) * (b[1] - y) <= 0 && a[1] !== b[1]) return a[0] + ((y - a[1]) / (b[1] - a[1])) * (b[0] - a[0]);
      }
      throw new Error(`y ${y} is not on vertical edge ${i},${j}`);
    },
  };
}

/** The township polygon of a district list. */
export function townshipOf(districts: readonly District[]): MPoly {
  const t = districts.find((d) => d.level === 'township');
  if (!t) throw new Error('no township');
  return t.geom;
}
