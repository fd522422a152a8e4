import { DISPOSITIONS, RULE_CATALOG, ruleNames, toMu, type Bilingual, type DispositionCode, type RuleCode } from '../analysis/rule-catalog.ts';
import type { FindingRow, SuspectRow } from './suspects.repository.ts';

/** A district reference in API answers. */
export interface DistrictRef {
  code: string;
  name: string;
}

/** A suspect as the API answers it (the web map codes against this shape). Areas m², lon/lat EPSG:4490. */
export interface SuspectJson {
  id: number;
  suspectKey: string;
  subjectKind: 'building' | 'change_patch';
  sourceId: string | null;
  epoch: string | null;
  isNew: boolean;
  status: string;
  active: boolean;
  severity: 'light' | 'general' | 'serious' | null;
  rules: string[];
  ruleNames: { zh: string[]; en: string[] };
  disposition: { code: string; zh: string; en: string } | null;
  areaM2: number;
  areaMu: number;
  /** Largest overlap among its findings, m². */
  overlapM2: number;
  district: { code: string | null; name: string | null; county: DistrictRef | null; township: DistrictRef | null; village: DistrictRef | null };
  centroid: [number, number];
  bbox: [number, number, number, number];
  rulesetVersion: string | null;
  lastRunId: number | null;
  updatedAt: string;
}

/** A finding (evidence) in API answers; geometry = GeoJSON MultiPolygon or null. */
export interface FindingJson {
  id: number;
  rule: string;
  ruleName: Bilingual;
  overlapM2: number;
  overlapMu: number;
  share: number;
  severity: string | null;
  matched: unknown[];
  rulesetVersion: string;
  rulesetHash: string | null;
  runId: number;
  geometry: unknown;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const ref = (code: string | null, name: string | null): DistrictRef | null => (code ? { code, name: name ?? code } : null);

/** Maps a suspect row to its API shape. */
export function toSuspectJson(r: SuspectRow): SuspectJson {
  const disposition = r.disposition && r.disposition in DISPOSITIONS ? { code: r.disposition, ...DISPOSITIONS[r.disposition as DispositionCode] } : null;
  return {
    id: r.id,
    suspectKey: r.suspect_key,
    subjectKind: r.subject_kind,
    sourceId: r.source_id,
    epoch: r.epoch,
    isNew: r.is_new,
    status: r.status,
    active: r.active,
    severity: r.severity,
    rules: r.rules,
    ruleNames: ruleNames(r.rules),
    disposition,
    areaM2: round(r.area_m2, 2),
    areaMu: round(toMu(r.area_m2), 4),
    overlapM2: round(r.overlap_m2, 2),
    district: {
      code: r.district_code,
      name: r.district_name,
      county: ref(r.county_code, r.county_name),
      township: ref(r.township_code, r.township_name),
      village: r.district_level === 'village' ? ref(r.district_code, r.district_name) : null,
    },
    centroid: [round(r.lon, 7), round(r.lat, 7)],
    bbox: [round(r.xmin, 7), round(r.ymin, 7), round(r.xmax, 7), round(r.ymax, 7)],
    rulesetVersion: r.ruleset_version,
    lastRunId: r.last_run_id,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Maps a finding row to its API shape. */
export function toFindingJson(f: FindingRow): FindingJson {
  return {
    id: f.id,
    rule: f.rule,
    ruleName: RULE_CATALOG[f.rule as RuleCode]?.name ?? { zh: f.rule, en: f.rule },
    overlapM2: round(f.overlap_m2, 2),
    overlapMu: round(f.overlap_mu, 4),
    share: round(f.share, 4),
    severity: f.severity,
    matched: f.matched,
    rulesetVersion: f.ruleset_version,
    rulesetHash: f.ruleset_hash,
    runId: f.run_id,
    geometry: f.geometry ? JSON.parse(f.geometry) : null,
  };
}
