/**
 * Where things are in the demo township (local metres; x east 0–4200, y north 0–3000). One place
 * for the map so the other modules stay free of magic numbers. Margins between features are
 * deliberate: the background must stay clear of constraints, the planted cases may not.
 */
import type { Pt } from './demo-geometry.ts';
import type { VillageKey } from './demo-districts.ts';

/** A rotated rectangular settlement core (zone 07, DLTB 0702). */
export interface CoreDef {
  readonly key: string;
  readonly village: VillageKey;
  readonly center: Pt;
  readonly w: number;
  readonly h: number;
  readonly angle: number;
  /** Part of the core inside the development boundary, as [u0, u1] along the core's width. */
  readonly boundaryU?: readonly [number, number];
  /** Lot size and fill rate for background buildings. */
  readonly lot: readonly [number, number];
  readonly fill: number;
  /** Building side range (m). */
  readonly side: readonly [number, number];
  readonly dlbm: string;
  readonly zone: string;
  /** Keep the outline an exact rectangle (its edge is shared with a farm block). */
  readonly straight?: boolean;
}

/** Village cores and town/industrial areas where buildings stand. */
export const CORES: readonly CoreDef[] = [
  { key: 'HT', village: 'hetian', center: [650, 1120], w: 380, h: 240, angle: 12, lot: [18, 20], fill: 0.62, side: [7, 14], dlbm: '0702', zone: '07' },
  { key: 'QZ', village: 'qingzhu', center: [560, 1850], w: 460, h: 220, angle: -10, boundaryU: [-30, 235], lot: [18, 20], fill: 0.6, side: [7, 14], dlbm: '0702', zone: '07' },
  { key: 'SL', village: 'shiling', center: [1800, 2080], w: 360, h: 300, angle: 20, lot: [18, 20], fill: 0.62, side: [7, 14], dlbm: '0702', zone: '07' },
  { key: 'DH', village: 'donghu', center: [3450, 2170], w: 480, h: 300, angle: -6, lot: [18, 20], fill: 0.6, side: [7, 14], dlbm: '0702', zone: '07' },
  { key: 'XK', village: 'xikou', center: [3930, 1050], w: 280, h: 520, angle: 3, lot: [18, 20], fill: 0.6, side: [7, 14], dlbm: '0702', zone: '07' },
  { key: 'TOWN_R', village: 'xintang', center: [1780, 1060], w: 520, h: 640, angle: 0, lot: [26, 28], fill: 0.5, side: [10, 20], dlbm: '0701', zone: '07' },
  { key: 'TOWN_C', village: 'xintang', center: [2300, 1060], w: 300, h: 640, angle: 0, lot: [32, 28], fill: 0.55, side: [14, 22], dlbm: '05H1', zone: '09' },
  { key: 'IND', village: 'xikou', center: [3350, 1070], w: 700, h: 540, angle: 0, lot: [70, 60], fill: 0.55, side: [22, 45], dlbm: '0601', zone: '10', straight: true },
];

/** Town park (zone 14) and bus station (zone 12), inside the town's development boundary. */
export const PARK: readonly Pt[] = [[2470, 900], [2690, 900], [2690, 1190], [2470, 1190]];
export const STATION: readonly Pt[] = [[2470, 1210], [2690, 1210], [2690, 1380], [2470, 1380]];
/** The town's development-boundary polygon (covers TOWN_R, TOWN_C, park and station). */
export const TOWN_BOUNDARY: readonly Pt[] = [[1505, 725], [2705, 725], [2705, 1395], [1505, 1395]];
/** A fish pond of 东湖村 (zone 17, DLTB 1104). */
export const POND: readonly Pt[] = [[3850, 1760], [3960, 1745], [4050, 1790], [4040, 1900], [3900, 1910], [3845, 1850]];
/** Forest zone 03 before clipping to the township (north-west hills). */
export const FOREST: readonly Pt[] = [[-80, 2150], [700, 2120], [1300, 2180], [1420, 2700], [2000, 2760], [2600, 2780], [2720, 3080], [-80, 3080]];
/** Ecological red line inside the forest. */
export const REDLINE: readonly Pt[] = [[120, 2400], [700, 2350], [1150, 2480], [1250, 2850], [900, 2940], [300, 2930], [100, 2700]];

/** A farm block: a rotated grid of DLTB parcels with a plan for codes and basic farmland. */
export interface BlockDef {
  readonly key: string;
  readonly village: VillageKey;
  readonly origin: Pt;
  readonly angle: number;
  readonly nx: number;
  readonly ny: number;
  readonly cw: number;
  readonly ch: number;
  /** DLBM and basic-farmland membership of cell (i, j). */
  plan(i: number, j: number): { dlbm: string; bf: boolean };
  /** Pairs of horizontally adjacent cells merged into one basic-farmland parcel: [i, j] of the left one. */
  readonly mergedBf?: readonly (readonly [number, number])[];
}

export const BLOCKS: readonly BlockDef[] = [
  // 禾田村 south fields: rice, nearly all basic farmland; the last column is dry land not in BF.
  { key: 'BF-A', village: 'hetian', origin: [100, 570], angle: 0, nx: 18, ny: 5, cw: 65, ch: 62,
    plan: (i, j) => (i === 17 ? { dlbm: '0103', bf: false } : { dlbm: i === 5 || i === 6 || j === 0 ? '0102' : '0101', bf: true }),
    mergedBf: [[2, 4], [8, 4], [14, 0]] },
  // 溪口社区 fields south of the industrial park; top edge is the park's edge (y = 800).
  { key: 'BF-B', village: 'xikou', origin: [2900, 560], angle: 0, nx: 14, ny: 4, cw: 62.5, ch: 60,
    plan: (i) => ({ dlbm: i % 5 === 2 ? '0102' : '0101', bf: true }) },
  // 青竹村: basic farmland to the west, dry land (not BF) to the east.
  { key: 'BF-C', village: 'qingzhu', origin: [950, 1700], angle: 0, nx: 8, ny: 6, cw: 50, ch: 60,
    plan: (i) => (i < 4 ? { dlbm: '0101', bf: true } : { dlbm: '0103', bf: false }) },
  // 石岭村 east of the main road.
  { key: 'BF-D', village: 'shiling', origin: [2250, 1760], angle: 8, nx: 8, ny: 9, cw: 60, ch: 60,
    plan: (_i, j) => ({ dlbm: j === 8 ? '0102' : '0101', bf: true }), mergedBf: [[3, 5]] },
  // 东湖村 north fields.
  { key: 'BF-E', village: 'donghu', origin: [2950, 2480], angle: 0, nx: 16, ny: 6, cw: 70, ch: 70,
    plan: (i, j) => ({ dlbm: (i + j) % 4 === 0 ? '0102' : '0101', bf: true }) },
  // 新塘社区 south of the river: ordinary cultivated land, not basic farmland.
  { key: 'C1', village: 'xintang', origin: [1450, 60], angle: 0, nx: 10, ny: 4, cw: 57, ch: 57.5,
    plan: (i) => ({ dlbm: i % 2 === 0 ? '0103' : '0102', bf: false }) },
  { key: 'C2', village: 'xintang', origin: [2180, 60], angle: 0, nx: 10, ny: 4, cw: 56, ch: 57.5,
    plan: (i, j) => ({ dlbm: (i + j) % 3 === 0 ? '0102' : '0103', bf: false }) },
  // 石岭村 dry land below the forest, not basic farmland.
  { key: 'C3', village: 'shiling', origin: [1480, 2330], angle: 0, nx: 8, ny: 5, cw: 62.5, ch: 62,
    plan: () => ({ dlbm: '0103', bf: false }) },
  // 禾田村 orchard (0201); its first column is (oddly, as happens) inside basic farmland.
  { key: 'ORCH', village: 'hetian', origin: [80, 960], angle: 0, nx: 4, ny: 8, cw: 62.5, ch: 60,
    plan: (i) => ({ dlbm: '0201', bf: i === 0 }) },
];

/** River centre line (the river management range is 20 m either side). */
export function riverLine(): Pt[] {
  const pts: Pt[] = [];
  for (let x = -60; x <= 4260; x += 60) pts.push([x, 430 + 55 * Math.sin(x / 480) + 25 * Math.sin(x / 170 + 1)]);
  return pts;
}
export const RIVER_HALF_WIDTH = 20;

/** Roads and fire lanes (KD = full width in metres; null = not surveyed, use the default). */
export const LINES: readonly { key: string; type: 'road' | 'fire_lane'; name: string; width: number | null; line: Pt[] }[] = [
  { key: 'R1', type: 'road', name: '禾溪大道', width: 12, line: [[2100, -60], [2080, 800], [2130, 1600], [2100, 2400], [2150, 3080]] },
  { key: 'R2', type: 'road', name: '新塘路', width: 8, line: [[-80, 1650], [1000, 1620], [2100, 1640], [3200, 1600], [4280, 1630]] },
  { key: 'TS', type: 'road', name: '新塘街', width: 8, line: [[1520, 1060], [2450, 1060]] },
  { key: 'IR', type: 'road', name: '溪口工业路', width: 8, line: [[3000, 1070], [3700, 1070], [3930, 1050]] },
  { key: 'V1', type: 'road', name: '禾田村道', width: 6, line: [[650, 1120], [640, 1640]] },
  { key: 'V2', type: 'road', name: '青竹村道', width: 6, line: [[560, 1850], [570, 1645]] },
  { key: 'V3', type: 'road', name: '石岭村道', width: 6, line: [[1800, 2080], [2111, 2080]] },
  { key: 'V4', type: 'road', name: '东湖村道', width: null, line: [[3450, 2170], [3460, 1602]] },
  { key: 'V5', type: 'road', name: '溪口村道', width: 6, line: [[3930, 1050], [3935, 1621]] },
  { key: 'F1', type: 'fire_lane', name: '青竹山防火通道一', width: 4, line: [[200, 2200], [500, 2330], [800, 2600], [1000, 2900]] },
  { key: 'F2', type: 'fire_lane', name: '青竹山防火通道二', width: 4, line: [[1000, 2250], [1200, 2380], [1350, 2600]] },
];

/** Default passage widths (m) when KD is empty — must match the ruleset. */
export const DEFAULT_WIDTH = { road: 6, fire_lane: 4 } as const;
