import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';

const LIST = sqlFile(import.meta.url, 'sql/list-suspects.sql');
const GET = sqlFile(import.meta.url, 'sql/get-suspect.sql');
const FINDINGS = sqlFile(import.meta.url, 'sql/list-findings.sql');

/** A suspect row with its district names, centroid and bbox (EPSG:4490 lon/lat). */
export interface SuspectRow {
  id: number;
  suspect_key: string;
  subject_kind: 'building' | 'change_patch';
  source_id: string | null;
  epoch: string | null;
  is_new: boolean;
  status: string;
  active: boolean;
  severity: 'light' | 'general' | 'serious' | null;
  rules: string[];
  disposition: string | null;
  area_m2: number;
  overlap_m2: number;
  district_code: string | null;
  district_name: string | null;
  district_level: string | null;
  county_code: string | null;
  county_name: string | null;
  township_code: string | null;
  township_name: string | null;
  ruleset_version: string | null;
  last_run_id: number | null;
  updated_at: Date | string;
  lon: number;
  lat: number;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** GeoJSON text, when asked for. */
  geometry: string | null;
}

/** A finding row; geometry is GeoJSON text (MultiPolygon, EPSG:4490). */
export interface FindingRow {
  id: number;
  rule: string;
  overlap_m2: number;
  overlap_mu: number;
  share: number;
  severity: string | null;
  matched: unknown[];
  ruleset_version: string;
  ruleset_hash: string | null;
  run_id: number;
  created_at: Date | string;
  geometry: string | null;
}

/** Filters of the suspect list; undefined = no filter. */
export interface SuspectFilter {
  districtPrefix?: string;
  rules?: string[];
  severities?: string[];
  statuses?: string[];
  minAreaM2?: number;
  bbox?: [number, number, number, number];
  epoch?: string;
  isNew?: boolean;
  active?: boolean;
  afterId?: number;
  limit: number;
  withGeometry: boolean;
}

/** Suspects matching the filter in id order (empty array when none). */
export async function listSuspects(db: Queryable, f: SuspectFilter): Promise<SuspectRow[]> {
  const { rows } = await db.query<SuspectRow>(LIST, [
    f.districtPrefix ?? null,
    f.rules ?? null,
    f.severities ?? null,
    f.statuses ?? null,
    f.minAreaM2 ?? null,
    f.bbox ?? null,
    f.epoch ?? null,
    f.isNew ?? null,
    f.active ?? null,
    f.afterId ?? null,
    f.limit,
    f.withGeometry,
  ]);
  return rows;
}

/** One suspect with its geometry, or null. */
export async function getSuspect(db: Queryable, id: number): Promise<SuspectRow | null> {
  return (await db.query<SuspectRow>(GET, [id])).rows[0] ?? null;
}

/** The findings of a suspect, ordered by `ruleOrder` (empty when it has none). */
export async function listFindings(db: Queryable, suspectId: number, ruleOrder: readonly string[]): Promise<FindingRow[]> {
  return (await db.query<FindingRow>(FINDINGS, [suspectId, ruleOrder])).rows;
}
