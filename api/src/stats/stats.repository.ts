import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';

const DISTRICTS = sqlFile(import.meta.url, 'sql/district-stats.sql');
const UNASSIGNED = sqlFile(import.meta.url, 'sql/unassigned-stats.sql');

/** One district's row as the database returns it (areas m², ellipsoidal). */
export interface DistrictStatsRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  total: number;
  new_count: number;
  stock_count: number;
  area_m2: number;
  light: number;
  general: number;
  serious: number;
  by_rule: Record<string, { count: number; areaM2: number }>;
}

/** Rows of every district of `level` under `parentPrefix` (all when null), zeros included; [] when none. */
export async function districtStats(db: Queryable, level: string, parentPrefix: string | null, prefixLength: number): Promise<DistrictStatsRow[]> {
  return (await db.query<DistrictStatsRow>(DISTRICTS, [level, parentPrefix, prefixLength])).rows;
}

/** Suspects outside every district. */
export async function unassignedStats(db: Queryable): Promise<{ total: number; area_m2: number }> {
  return (await db.query<{ total: number; area_m2: number }>(UNASSIGNED)).rows[0] ?? { total: 0, area_m2: 0 };
}
