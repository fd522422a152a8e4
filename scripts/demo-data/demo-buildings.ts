/**
 * Background buildings: village clusters on lot grids inside the settlement cores (village land,
 * planning use 07/09/10, inside the boundary), aligned with each core's street direction. Between
 * the surveys a few are demolished, a few are re-surveyed a few decimetres off, and a few new ones
 * appear on empty lots — each with its approval. Every background building is PROVEN clear of
 * every rule (with a 1 m margin) before it is kept, so only the planted cases produce findings.
 */
import { area, bbox, boxesOverlap, convexClipArea, polyLineDistance, rotRect, type Box, type MPoly, type Poly, type Ring } from './demo-geometry.ts';
import { VILLAGES } from './demo-districts.ts';
import type { Core } from './demo-land.ts';
import { halfWidth } from './demo-passages.ts';
import type { Rng } from './demo-prng.ts';
import type { DemolishedSite, Permit, World } from './demo.types.ts';

const ALLOWED_ZONES = new Set(['07', '09', '10', '12']);
const CULTIVATED = new Set(['0101', '0102', '0103']);

interface Fp {
  readonly cx: number;
  readonly cy: number;
  readonly w: number;
  readonly h: number;
  readonly angle: number;
}

const ring = (f: Fp, grow = 0): Ring => rotRect(f.cx, f.cy, f.w + 2 * grow, f.h + 2 * grow, f.angle);

/** Proves footprints clear of all constraints of a world (zone 01 need not exist yet). */
class ClearanceChecker {
  private readonly allowed: { p: Poly; box: Box }[];
  private readonly forbidden: { p: Poly; box: Box }[];
  private readonly lines: { line: World['lines'][number]; box: Box; h: number }[];

  constructor(w: World, private readonly planted: readonly Box[]) {
    const polys = (mps: MPoly[]): { p: Poly; box: Box }[] => mps.flatMap((mp) => mp.map((p) => ({ p, box: bbox(p) })));
    this.allowed = polys(w.zones.filter((z) => ALLOWED_ZONES.has(z.code)).map((z) => z.geom));
    this.forbidden = polys([
      ...w.farmland.map((f) => f.geom),
      ...w.parcels.filter((p) => CULTIVATED.has(p.dlbm)).map((p) => p.geom),
      ...w.redlines.map((r) => r.geom),
      ...w.rivers.map((r) => r.geom),
      ...w.zones.filter((z) => !ALLOWED_ZONES.has(z.code)).map((z) => z.geom),
      ...w.demolished.map((d) => d.geom),
    ]);
    this.lines = w.lines.map((line) => ({ line, h: halfWidth(line), box: bbox(line.line) }));
  }

  /** True when `fp` grown by 1 m lies in allowed zones, touches no constraint and keeps off roads. */
  isClear(fp: Fp): boolean {
    const grown = ring(fp, 1);
    const box = bbox(grown);
    if (this.planted.some((b) => boxesOverlap(box, b, 3))) return false;
    const want = Math.abs(area([[grown]]));
    const inside = this.allowed.filter((a) => boxesOverlap(box, a.box)).reduce((s, a) => s + convexClipArea(grown, a.p), 0);
    if (inside < want * (1 - 1e-9)) return false;
    if (this.forbidden.some((f) => boxesOverlap(box, f.box) && convexClipArea(grown, f.p) > 1e-9)) return false;
    return this.lines.every((l) => !boxesOverlap(box, l.box, l.h + 1) || polyLineDistance([[ring(fp)]], l.line.line) >= l.h + 1);
  }
}

const STRUCTURES = ['砖混', '砖混', '砖混', '钢混', '简易'] as const;

/** Statistics for the README. */
export interface BackgroundStats {
  baseline: number;
  stockIdentical: number;
  stockShifted: number;
  demolished: number;
  newWithPermit: number;
  emptyDemolitions: number;
}

/**
 * Adds background buildings, their permits and demolitions to `w` (which must already hold all
 * land layers and planted cases). Returns counts for the README.
 */
export function addBackground(rng: Rng, w: World, cores: ReadonlyMap<string, Core>, planted: readonly Box[]): BackgroundStats {
  const stats: BackgroundStats = { baseline: 0, stockIdentical: 0, stockShifted: 0, demolished: 0, newWithPermit: 0, emptyDemolitions: 0 };
  const checker = new ClearanceChecker(w, planted);
  const emptyLots: { core: Core; lot: Fp }[] = [];
  const baseline: { core: Core; fp: Fp }[] = [];
  for (const core of cores.values()) {
    const { def, frame } = core;
    const [lw, lh] = def.lot;
    const nu = Math.floor((def.w - 12) / lw);
    const nv = Math.floor((def.h - 12) / lh);
    for (let a = 0; a < nu; a++) {
      for (let b = 0; b < nv; b++) {
        const [cx, cy] = frame.at(-def.w / 2 + 6 + (a + 0.5) * lw, -def.h / 2 + 6 + (b + 0.5) * lh);
        const lot: Fp = { cx, cy, w: lw - 1, h: lh - 1, angle: def.angle };
        if (!rng.chance(def.fill)) {
          // Empty lots may later get a permit or a demolition record: keep those off planted cases.
          if (!planted.some((p) => boxesOverlap(bbox(ring(lot)), p, 1))) emptyLots.push({ core, lot });
          continue;
        }
        // Keep 1.5 m from the lot edge so neighbours stand ≥ 3 m apart.
        const bw = rng.range(def.side[0], Math.min(def.side[1], lw - 3));
        const bh = rng.range(def.side[0], Math.min(def.side[1], lh - 3));
        const angle = def.angle + rng.range(-2, 2);
        const slackU = (lw - 3 - bw) / 2;
        const slackV = (lh - 3 - bh) / 2;
        const [ox, oy] = frame.at(-def.w / 2 + 6 + (a + 0.5) * lw + rng.range(-slackU, slackU), -def.h / 2 + 6 + (b + 0.5) * lh + rng.range(-slackV, slackV));
        const fp: Fp = { cx: ox, cy: oy, w: bw, h: bh, angle };
        if (checker.isClear(fp)) baseline.push({ core, fp });
      }
    }
  }
  for (const { core, fp } of baseline) {
    const floors = floorsFor(rng, core.def.zone);
    const structure = core.def.zone === '10' ? '钢结构' : rng.pick(STRUCTURES);
    w.buildings2023.push({ id: '', floors, structure, geom: [[ring(fp)]] });
    stats.baseline++;
    const r = rng.next();
    if (r < 0.015 && core.def.zone === '07') {
      w.demolished.push(demolition(rng, core, [[ring(fp, 1)]]));
      stats.demolished++;
    } else if (r < 0.1) {
      const d = rng.range(0.05, 0.3);
      const t = rng.range(0, 2 * Math.PI);
      w.buildings2025.push({ id: '', floors, structure, geom: [[ring({ ...fp, cx: fp.cx + d * Math.cos(t), cy: fp.cy + d * Math.sin(t) })]] });
      stats.stockShifted++;
    } else {
      w.buildings2025.push({ id: '', floors, structure, geom: [[ring(fp)]] });
      stats.stockIdentical++;
    }
  }
  // Demolitions recorded on lots that are empty in both surveys (built and removed in between).
  const villageLots = emptyLots.filter((e) => e.core.def.zone === '07');
  for (let n = 0; n < 3 && villageLots.length > 0; n++) {
    const e = villageLots.splice(rng.int(0, villageLots.length - 1), 1)[0];
    if (e) {
      w.demolished.push(demolition(rng, e.core, [[ring({ ...e.lot, w: e.lot.w - 4, h: e.lot.h - 4 })]]));
      stats.emptyDemolitions++;
    }
  }
  // New buildings on empty lots, each with its approval (the permit is the lot).
  const fresh = new ClearanceChecker(w, planted);
  for (const { core, lot } of villageLots.concat(emptyLots.filter((e) => e.core.def.zone !== '07'))) {
    if (!rng.chance(0.05)) continue;
    const fp: Fp = { ...lot, w: Math.min(lot.w - 3, rng.range(core.def.side[0], core.def.side[1])), h: Math.min(lot.h - 3, rng.range(core.def.side[0], core.def.side[1])) };
    if (!fresh.isClear(fp)) continue;
    w.buildings2025.push({ id: '', floors: floorsFor(rng, core.def.zone), structure: '砖混', geom: [[ring(fp)]] });
    w.permits.push(permitFor(rng, core, [[ring(lot)]], stats.newWithPermit));
    stats.newWithPermit++;
  }
  return stats;
}

function floorsFor(rng: Rng, zone: string): number {
  if (zone === '10') return rng.int(1, 2);
  if (zone === '09') return rng.int(2, 6);
  return rng.pick([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]);
}

function demolition(rng: Rng, core: Core, geom: MPoly): DemolishedSite {
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  return { ccbh: '', date: `2024-${month}-${day}`, name: `${VILLAGES[core.def.village].name}违建拆除点`, geom };
}

function permitFor(rng: Rng, core: Core, geom: MPoly, n: number): Permit {
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  const zone = core.def.zone;
  if (zone === '07' && core.def.key !== 'TOWN_R') {
    return { number: `安澜宅审〔2024〕${String(400 + n).padStart(4, '0')}号`, date: `2024-${month}-${day}`, use: '农村宅基地', geom };
  }
  const use = zone === '10' ? '工业' : zone === '09' ? '商业服务业' : '城镇住宅';
  return { number: `建字第440999202400${String(30 + n).padStart(3, '0')}号`, date: `2024-${month}-${day}`, use, geom };
}
