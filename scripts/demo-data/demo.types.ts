/** The demo district's in-memory model (local metres, see demo-crs.ts) and its planted cases. */
import type { MPoly, Pt } from './demo-geometry.ts';

/** Dates of the two building surveys (passed as --epoch on import). */
export const EPOCH_BASELINE = '2023-06-30';
export const EPOCH_LATEST = '2025-06-30';

/** An administrative unit (county, township or village/community). */
export interface District {
  readonly code: string;
  readonly name: string;
  readonly level: 'county' | 'township' | 'village';
  readonly geom: MPoly;
}

/** A 三调 DLTB parcel (cultivated or not). */
export interface Parcel {
  bsm: string;
  tbbh: string;
  dlbm: string;
  readonly village: string;
  geom: MPoly;
}

/** A 永久基本农田 parcel. */
export interface FarmlandParcel {
  bsm: string;
  bh: string;
  /** The DLTB parcel it was delineated from (its TBBH is copied). */
  readonly source: Parcel;
  readonly dlbm: string;
  readonly village: string;
  geom: MPoly;
}

/** A planning zone with a 2023 用地用海分类 use code. */
export interface Zone {
  bsm: string;
  readonly code: string;
  geom: MPoly;
  /** Unclipped shape subtracted when zone 01 is derived (clipping twice along the township edge leaves spikes). */
  readonly cut?: MPoly;
}

/** A development-boundary part. */
export interface BoundaryPart {
  readonly code: string;
  readonly name: string;
  readonly geom: MPoly;
}

/** An ecological red-line polygon. */
export interface Redline {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly geom: MPoly;
}

/** A passage centre line; `width` null means "use the default for its type". */
export interface PassageLine {
  bsm: string;
  readonly type: 'road' | 'fire_lane';
  readonly name: string;
  readonly width: number | null;
  readonly line: Pt[];
}

/** A passage area (river management range). */
export interface PassageArea {
  readonly bsm: string;
  readonly name: string;
  readonly geom: MPoly;
}

/** An approval that makes construction legal. */
export interface Permit {
  readonly number: string;
  readonly date: string;
  readonly use: string;
  readonly geom: MPoly;
}

/** A recorded demolition. */
export interface DemolishedSite {
  ccbh: string;
  readonly date: string;
  readonly name: string;
  readonly geom: MPoly;
}

/** A building footprint of one survey epoch; `id` is assigned when the layer is finalised. */
export interface Building {
  id: string;
  readonly floors: number;
  readonly structure: string;
  readonly geom: MPoly;
  /** Set on planted buildings so the truth table can name them. */
  caseId?: string;
}

/** A change patch (监测图斑). */
export interface ChangePatch {
  id: string;
  readonly kind: string;
  readonly geom: MPoly;
  caseId?: string;
}

/** Rule codes (DESIGN.md "Analysis"); EXPANSION is the ruleset's addition for grown buildings. */
export type RuleCode = 'FARMLAND' | 'CULTIVATED' | 'ECO_REDLINE' | 'PASSAGE' | 'OUTSIDE_BOUNDARY' | 'ZONE_USE' | 'NO_PERMIT' | 'REBUILD' | 'EXPANSION';

/** A planted case: one subject and the rules its author intends to fire (checked by the oracle). */
export interface PlantedCase {
  readonly id: string;
  readonly title: string;
  readonly subjectKind: 'building' | 'change_patch';
  /** The 2025 building or the patch under test. */
  readonly subject: Building | ChangePatch;
  /** Intended rule set; the generator fails when the oracle disagrees. */
  readonly intended: readonly RuleCode[];
  /** Why (especially for "none" cases). */
  readonly why: string;
}

/** Everything the generator builds before writing files. */
export interface World {
  readonly districts: District[];
  readonly parcels: Parcel[];
  readonly farmland: FarmlandParcel[];
  readonly zones: Zone[];
  readonly boundary: BoundaryPart[];
  readonly redlines: Redline[];
  readonly lines: PassageLine[];
  readonly rivers: PassageArea[];
  readonly permits: Permit[];
  readonly demolished: DemolishedSite[];
  readonly buildings2023: Building[];
  readonly buildings2025: Building[];
  readonly patches: ChangePatch[];
  readonly cases: PlantedCase[];
}
