/**
 * Builds the whole demo world from a seed, assigns source ids, and checks every planted case
 * against the oracle: generation FAILS when a case would not produce exactly its intended rules,
 * so TRUTH.md can never describe a case the data does not contain.
 */
import { addBackground, type BackgroundStats } from './demo-buildings.ts';
import { CaseKit } from './demo-case-kit.ts';
import { plantBuildCases } from './demo-cases-build.ts';
import { plantLandCases } from './demo-cases-land.ts';
import { buildDistricts, townshipOf } from './demo-districts.ts';
import { pointInRing, type MPoly, type Pt } from './demo-geometry.ts';
import { buildLand, finishZones } from './demo-land.ts';
import { evaluateSubject, oracleContext, type Evaluation } from './demo-oracle.ts';
import { buildPassageLines, buildRiverAreas } from './demo-passages.ts';
import { Rng } from './demo-prng.ts';
import type { Building, PlantedCase, World } from './demo.types.ts';

/** The default seed of the committed demo data. */
export const DEFAULT_SEED = 20250630;

/** A planted case with the oracle's verdict. */
export interface CheckedCase {
  readonly plan: PlantedCase;
  readonly evaluation: Evaluation;
}

/** The generated world, its checked cases and background statistics. */
export interface DemoWorld {
  readonly seed: number;
  readonly world: World;
  readonly cases: CheckedCase[];
  readonly stats: BackgroundStats;
}

/** Builds and verifies the demo world. Throws when a planted case disagrees with the oracle. */
export function buildDemoWorld(seed = DEFAULT_SEED): DemoWorld {
  const rng = new Rng(seed);
  const grid = buildDistricts(rng.fork(1));
  const land = buildLand(rng.fork(2), grid.districts);
  const world: World = {
    districts: grid.districts,
    parcels: land.parcels,
    farmland: land.farmland,
    zones: land.zones,
    boundary: land.boundary,
    redlines: land.redlines,
    lines: buildPassageLines(),
    rivers: buildRiverAreas(land.riverCorridor),
    permits: [],
    demolished: [],
    buildings2023: [],
    buildings2025: [],
    patches: [],
    cases: [],
  };
  const kit = new CaseKit(world, land, grid);
  plantLandCases(kit);
  plantBuildCases(kit);
  const stats = addBackground(rng.fork(3), world, land.cores, kit.plantedBoxes);
  finishZones(world.zones, townshipOf(world.districts));
  assignIds(world);
  const ctx = oracleContext(world);
  const cases = world.cases.map((plan) => ({ plan, evaluation: evaluateSubject(ctx, plan.subjectKind, plan.subject.geom) }));
  const problems = cases.flatMap(({ plan, evaluation }) => {
    const got = evaluation.findings.map((f) => f.rule).sort();
    const want = [...plan.intended].sort();
    return got.join(',') === want.join(',') ? [] : [`${plan.id}: intended [${want.join(', ')}] but the oracle finds [${got.join(', ')}]`];
  });
  if (problems.length > 0) throw new Error(`planted cases do not hold:\n  ${problems.join('\n  ')}`);
  return { seed, world, cases, stats };
}

/**
 * Runs the oracle on every subject (slow: all 2025 buildings and patches) and returns the ids of
 * subjects with findings that are not planted cases — must be empty.
 */
export function unexpectedFindings(demo: DemoWorld): string[] {
  const ctx = oracleContext(demo.world);
  const planted = new Set(demo.world.cases.map((c) => c.subject));
  const out: string[] = [];
  for (const b of demo.world.buildings2025) {
    if (planted.has(b)) continue;
    const e = evaluateSubject(ctx, 'building', b.geom);
    if (e.findings.length > 0) out.push(`${b.id}: ${e.findings.map((f) => f.rule).join(', ')}`);
  }
  for (const p of demo.world.patches) {
    if (!planted.has(p) && evaluateSubject(ctx, 'change_patch', p.geom).findings.length > 0) out.push(p.id);
  }
  return out;
}

/** Centroid of the first outer ring (vertex average). */
export function centroid(mp: MPoly): Pt {
  const r = mp[0]?.[0] ?? [];
  return [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length];
}

/** Village code containing a point ('' when none). */
export function villageOf(world: World, p: Pt): string {
  return world.districts.find((d) => d.level === 'village' && d.geom.some((poly) => poly[0] && pointInRing(p, poly[0])))?.code ?? '';
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Row-major order (north to south in 50 m bands, then west to east): how surveys number things. */
function spatialOrder<T>(items: T[], geom: (t: T) => MPoly): T[] {
  const key = (t: T): [number, number] => {
    const [x, y] = centroid(geom(t));
    return [-Math.floor(y / 50), x];
  };
  return items
    .map((t, i) => ({ t, k: key(t), i }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((e) => e.t);
}

function assignIds(w: World): void {
  const sortInPlace = <T>(arr: T[], geom: (t: T) => MPoly): void => {
    const sorted = spatialOrder(arr, geom);
    arr.splice(0, arr.length, ...sorted);
  };
  sortInPlace(w.buildings2023, (b) => b.geom);
  sortInPlace(w.buildings2025, (b) => b.geom);
  w.buildings2023.forEach((b: Building, i) => (b.id = `JZ23-${pad(i + 1, 5)}`));
  w.buildings2025.forEach((b: Building, i) => (b.id = `JZ25-${pad(i + 1, 5)}`));
  sortInPlace(w.patches, (p) => p.geom);
  w.patches.forEach((p, i) => (p.id = `JC440999-2025-${pad(i + 1, 3)}`));
  sortInPlace(w.parcels, (p) => p.geom);
  const perVillage = new Map<string, number>();
  w.parcels.forEach((p, i) => {
    p.bsm = `440999${pad(i + 1, 8)}`;
    const n = (perVillage.get(p.village) ?? 0) + 1;
    perVillage.set(p.village, n);
    p.tbbh = pad(n, 4);
  });
  sortInPlace(w.farmland, (f) => f.geom);
  const bfPerVillage = new Map<string, number>();
  w.farmland.forEach((f, i) => {
    f.bsm = `440999J${pad(i + 1, 7)}`;
    const n = (bfPerVillage.get(f.village) ?? 0) + 1;
    bfPerVillage.set(f.village, n);
    f.bh = `${f.village}${pad(n, 4)}`;
  });
  w.zones.forEach((z, i) => (z.bsm = `440999G${pad(i + 1, 5)}`));
  w.lines.forEach((l, i) => (l.bsm = `440999D${pad(i + 1, 4)}`));
  w.demolished.sort((a, b) => a.date.localeCompare(b.date));
  w.demolished.forEach((d, i) => (d.ccbh = `CC2024-${pad(i + 1, 3)}`));
}
