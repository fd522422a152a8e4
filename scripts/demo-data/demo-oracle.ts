/**
 * Reference evaluation of the analysis rules on the demo world, used to compute the expected
 * results of planted cases (TRUTH.md / truth.json). Exact planar overlay in local metres; every
 * reported area is ellipsoidal (demo-crs.ts). The assumed ruleset is {@link RULESET}.
 */
import { ellipsoidalArea, M2_PER_MU } from './demo-crs.ts';
import { area, bbox, boxesOverlap, difference, intersection, lineBuffer, union, type Box, type MPoly } from './demo-geometry.ts';
import { halfWidth } from './demo-passages.ts';
import { EPOCH_LATEST, type Building, type District, type RuleCode, type World } from './demo.types.ts';

/** Ruleset parameters the truth assumes (write the same into data/rulesets/default.json). */
export const RULESET = {
  minOverlapM2: 5,
  minOverlapShare: 0.02,
  identityIoU: 0.5,
  expansionMinShare: 0.3,
  expansionMinM2: 50,
  passageDefaultWidthM: { road: 6, fire_lane: 4 },
  forbiddenZoneCodes: ['01', '03', '14', '17'],
  cultivatedCodes: ['0101', '0102', '0103'],
  /** Severity bands in 亩: [general from, serious from]; below the first is light. */
  bandsMu: { FARMLAND: [5, 10], CULTIVATED: [10, 20], other: [20, 40] },
} as const;

export type Band = 'light' | 'general' | 'serious';

/** One expected finding. */
export interface Finding {
  readonly rule: RuleCode;
  readonly overlapM2: number;
  readonly overlapMu: number;
  /** Overlap ÷ subject area. */
  readonly share: number;
  readonly band: Band;
}

/** Everything the oracle says about one subject. */
export interface Evaluation {
  readonly subjectAreaM2: number;
  /** New construction: no baseline building overlaps it with IoU ≥ identityIoU (patches: always). */
  readonly isNew: boolean;
  /** Best-matching baseline building, for stock buildings. */
  readonly matched?: { readonly building: Building; readonly iou: number };
  readonly findings: Finding[];
  /** Overlaps > 0 that stay below the thresholds (why a near miss does not fire). */
  readonly belowThreshold: Finding[];
  readonly village: { readonly code: string; readonly name: string };
}

interface Indexed {
  readonly geom: MPoly;
  readonly box: Box;
}

const index = (geoms: readonly MPoly[]): Indexed[] => geoms.filter((g) => g.length > 0).map((geom) => ({ geom, box: bbox(geom) }));

/** Pre-indexed constraint layers of a world. */
export interface OracleContext {
  readonly villages: readonly (Indexed & { district: District })[];
  readonly farmland: Indexed[];
  readonly cultivated: Indexed[];
  readonly redlines: Indexed[];
  readonly forbiddenZones: Indexed[];
  readonly boundary: Indexed[];
  readonly permits: Indexed[];
  readonly demolished: Indexed[];
  readonly rivers: Indexed[];
  readonly lines: readonly { line: World['lines'][number]; box: Box; h: number }[];
  readonly baseline: readonly (Indexed & { building: Building })[];
}

/** Indexes a finished world (zone 01 included). */
export function oracleContext(w: World): OracleContext {
  return {
    villages: w.districts.filter((d) => d.level === 'village').map((d) => ({ geom: d.geom, box: bbox(d.geom), district: d })),
    farmland: index(w.farmland.map((f) => f.geom)),
    cultivated: index(w.parcels.filter((p) => (RULESET.cultivatedCodes as readonly string[]).includes(p.dlbm)).map((p) => p.geom)),
    redlines: index(w.redlines.map((r) => r.geom)),
    forbiddenZones: index(w.zones.filter((z) => (RULESET.forbiddenZoneCodes as readonly string[]).includes(z.code)).map((z) => z.geom)),
    boundary: index(w.boundary.map((b) => b.geom)),
    permits: index(w.permits.map((p) => p.geom)),
    // Only demolitions before the latest survey can have been built on again by then.
    demolished: index(w.demolished.filter((d) => d.date < EPOCH_LATEST).map((d) => d.geom)),
    rivers: index(w.rivers.map((r) => r.geom)),
    lines: w.lines.map((line) => {
      const h = halfWidth(line);
      const b = bbox(line.line);
      return { line, h, box: [b[0] - h, b[1] - h, b[2] + h, b[3] + h] as Box };
    }),
    baseline: w.buildings2023.map((building) => ({ geom: building.geom, box: bbox(building.geom), building })),
  };
}

const near = (layer: readonly Indexed[], box: Box): MPoly[] => layer.filter((f) => boxesOverlap(box, f.box)).map((f) => f.geom);

/**
 * Evaluates every rule for one subject (a 2025 building or a change patch). Permit-covered area
 * is removed first for all rules; OUTSIDE_BOUNDARY and NO_PERMIT apply to new construction only;
 * EXPANSION to stock buildings that grew.
 */
export function evaluateSubject(ctx: OracleContext, kind: 'building' | 'change_patch', geom: MPoly): Evaluation {
  const box = bbox(geom);
  const subjectAreaM2 = ellipsoidalArea(geom);
  let matched: Evaluation['matched'];
  if (kind === 'building') {
    for (const b of ctx.baseline.filter((f) => boxesOverlap(box, f.box))) {
      const inter = area(intersection(geom, b.geom));
      const iou = inter / (area(geom) + area(b.geom) - inter);
      if (iou >= RULESET.identityIoU && (!matched || iou > matched.iou)) matched = { building: b.building, iou };
    }
  }
  const isNew = matched === undefined;
  const unpermitted = difference(geom, union(near(ctx.permits, box)));
  const overlaps: [RuleCode, MPoly | number][] = [
    ['FARMLAND', intersection(unpermitted, union(near(ctx.farmland, box)))],
    ['CULTIVATED', difference(intersection(unpermitted, union(near(ctx.cultivated, box))), union(near(ctx.farmland, box)))],
    ['ECO_REDLINE', intersection(unpermitted, union(near(ctx.redlines, box)))],
    ['PASSAGE', intersection(unpermitted, union([...near(ctx.rivers, box), ...ctx.lines.filter((l) => boxesOverlap(box, l.box)).map((l) => lineBuffer(l.line.line, l.h))]))],
    ['ZONE_USE', intersection(unpermitted, union(near(ctx.forbiddenZones, box)))],
    ['REBUILD', intersection(unpermitted, union(near(ctx.demolished, box)))],
  ];
  if (isNew) {
    overlaps.push(['OUTSIDE_BOUNDARY', difference(unpermitted, union(near(ctx.boundary, box)))]);
    overlaps.push(['NO_PERMIT', unpermitted]);
  } else if (matched) {
    overlaps.push(['EXPANSION', subjectAreaM2 - ellipsoidalArea(matched.building.geom)]);
  }
  const findings: Finding[] = [];
  const belowThreshold: Finding[] = [];
  for (const [rule, g] of overlaps) {
    const overlapM2 = typeof g === 'number' ? g : ellipsoidalArea(g);
    if (overlapM2 <= 1e-6) continue;
    const f = finding(rule, overlapM2, subjectAreaM2, matched ? ellipsoidalArea(matched.building.geom) : subjectAreaM2);
    (fires(f, matched) ? findings : belowThreshold).push(f);
  }
  return { subjectAreaM2, isNew, ...(matched ? { matched } : {}), findings, belowThreshold, village: majorityVillage(ctx, geom, box) };
}

function finding(rule: RuleCode, overlapM2: number, subjectAreaM2: number, baseAreaM2: number): Finding {
  const overlapMu = overlapM2 / M2_PER_MU;
  // For EXPANSION the share is the growth relative to the baseline footprint.
  const share = rule === 'EXPANSION' ? overlapM2 / baseAreaM2 : overlapM2 / subjectAreaM2;
  const bands = rule === 'FARMLAND' || rule === 'CULTIVATED' ? RULESET.bandsMu[rule] : RULESET.bandsMu.other;
  const band: Band = overlapMu >= bands[1] ? 'serious' : overlapMu >= bands[0] ? 'general' : 'light';
  return { rule, overlapM2, overlapMu, share, band };
}

function fires(f: Finding, matched: Evaluation['matched']): boolean {
  if (f.rule === 'EXPANSION') return matched !== undefined && f.overlapM2 >= RULESET.expansionMinM2 && f.share >= RULESET.expansionMinShare;
  return f.overlapM2 >= RULESET.minOverlapM2 && f.share >= RULESET.minOverlapShare;
}

function majorityVillage(ctx: OracleContext, geom: MPoly, box: Box): { code: string; name: string } {
  let best = { code: '', name: '', a: -1 };
  for (const v of ctx.villages.filter((f) => boxesOverlap(box, f.box))) {
    const a = ellipsoidalArea(intersection(geom, v.geom));
    if (a > best.a) best = { code: v.district.code, name: v.district.name, a };
  }
  return { code: best.code, name: best.name };
}

/** Most severe band of a list of findings; null when there is none. */
export function worstBand(findings: readonly Finding[]): Band | null {
  const order: Band[] = ['light', 'general', 'serious'];
  return findings.reduce<Band | null>((w, f) => (w === null || order.indexOf(f.band) > order.indexOf(w) ? f.band : w), null);
}
