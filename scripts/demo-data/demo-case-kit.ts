/**
 * Helpers for planting cases: placing rectangles in a core's or block's frame, and adding the
 * subjects and constraint features a case needs to the world under construction.
 */
import type { DistrictGrid } from './demo-districts.ts';
import { VILLAGES, type VillageKey } from './demo-districts.ts';
import { alongSegment, bbox, frame, type Box, type MPoly, type Pt, type Ring } from './demo-geometry.ts';
import type { Land } from './demo-land.ts';
import type { Building, ChangePatch, PlantedCase, RuleCode, World } from './demo.types.ts';

/** Builds planted cases into `world`; remembers every planted footprint so background avoids it. */
export class CaseKit {
  /** Boxes of everything planted (subjects, permits, demolitions, zone pieces). */
  readonly plantedBoxes: Box[] = [];

  constructor(
    readonly world: World,
    readonly land: Land,
    readonly grid: DistrictGrid,
  ) {}

  /** Rectangle w × h centred at (u, v) of a core's frame, turned `dAngle` further. */
  coreRect(core: string, u: number, v: number, w: number, h: number, dAngle = 0): Ring {
    const c = this.land.cores.get(core);
    if (!c) throw new Error(`no core ${core}`);
    return frame(c.frame.at(u, v), c.frame.angleDeg + dAngle).rect(-w / 2, -h / 2, w, h);
  }

  /** Rectangle with corner (u, v) and sides w × h in a farm block's frame. */
  blockRect(block: string, u: number, v: number, w: number, h: number): Ring {
    const b = this.land.blocks.get(block);
    if (!b) throw new Error(`no block ${block}`);
    return b.frame.rect(u, v, w, h);
  }

  /** Centroid of block cell (i, j) (vertex average; cells are near-rectangular). */
  cellCenter(block: string, i: number, j: number): Pt {
    const b = this.land.blocks.get(block);
    if (!b) throw new Error(`no block ${block}`);
    const r = b.cell(i, j);
    return [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length];
  }

  /** Rectangle w × h centred on point c, aligned with a block's frame. */
  alignedRect(block: string, c: Pt, w: number, h: number): Ring {
    const b = this.land.blocks.get(block);
    if (!b) throw new Error(`no block ${block}`);
    return frame(c, b.frame.angleDeg).rect(-w / 2, -h / 2, w, h);
  }

  /**
   * Rectangle beside segment ab at fraction t: its near edge `offset` m left of the centre line,
   * `length` m along the segment and `depth` m away from it. Overlap depth with a buffer of
   * half-width h is max(0, h − offset).
   */
  besideSegment(a: Pt, b: Pt, t: number, offset: number, length: number, depth: number): Ring {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const dt = length / 2 / len;
    return [alongSegment(a, b, t - dt, offset), alongSegment(a, b, t + dt, offset), alongSegment(a, b, t + dt, offset + depth), alongSegment(a, b, t - dt, offset + depth)];
  }

  /** A new 2025 building (no baseline twin). */
  newBuilding(caseId: string, geom: MPoly, floors = 2, structure = '砖混'): Building {
    const b: Building = { id: '', floors, structure, geom, caseId };
    this.world.buildings2025.push(b);
    this.remember(geom);
    return b;
  }

  /** A building in both surveys; `geom2025` defaults to the same footprint. */
  stockBuilding(caseId: string, geom2023: MPoly, geom2025: MPoly = geom2023, floors = 2, structure = '砖混'): Building {
    this.world.buildings2023.push({ id: '', floors, structure, geom: geom2023, caseId });
    const b: Building = { id: '', floors, structure, geom: geom2025, caseId };
    this.world.buildings2025.push(b);
    this.remember(geom2023);
    this.remember(geom2025);
    return b;
  }

  /** A baseline building with no 2025 counterpart (e.g. demolished). */
  baselineOnly(caseId: string, geom: MPoly): void {
    this.world.buildings2023.push({ id: '', floors: 2, structure: '砖混', geom, caseId });
    this.remember(geom);
  }

  /** A change patch. */
  patch(caseId: string, geom: MPoly, kind: string): ChangePatch {
    const p: ChangePatch = { id: '', kind, geom, caseId };
    this.world.patches.push(p);
    this.remember(geom);
    return p;
  }

  /** An approval. */
  permit(number: string, date: string, use: string, geom: MPoly): void {
    this.world.permits.push({ number, date, use, geom });
    this.remember(geom);
  }

  /** A recorded demolition. */
  demolished(date: string, name: string, geom: MPoly): void {
    this.world.demolished.push({ ccbh: '', date, name, geom });
    this.remember(geom);
  }

  /** A homestead plot outside the cores: zone 07 and a DLTB 0702 parcel. */
  homestead(village: VillageKey, geom: MPoly): void {
    this.world.zones.push({ bsm: '', code: '07', geom });
    this.world.parcels.push({ bsm: '', tbbh: '', dlbm: '0702', village: VILLAGES[village].code, geom });
    this.remember(geom);
  }

  /** Registers the case and the rules it is meant to trigger. */
  add(id: string, title: string, subject: Building | ChangePatch, intended: readonly RuleCode[], why: string): void {
    const subjectKind = 'floors' in subject ? 'building' : 'change_patch';
    const c: PlantedCase = { id, title, subjectKind, subject, intended, why };
    this.world.cases.push(c);
  }

  private remember(geom: MPoly): void {
    this.plantedBoxes.push(bbox(geom));
  }
}
