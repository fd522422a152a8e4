import type { Queryable } from '../db/db.types.ts';
import { toMu } from '../analysis/rule-catalog.ts';
import { districtStats, unassignedStats } from './stats.repository.ts';

/** Reporting levels (county → township 街道/镇/乡 → village/community, the ledger's leaf). */
export const STAT_LEVELS = ['county', 'township', 'village'] as const;
export type StatLevel = (typeof STAT_LEVELS)[number];

const PREFIX_LENGTH: Record<StatLevel, number> = { county: 6, township: 9, village: 12 };

/** One district's counts and areas (m² and 亩), per rule and per severity, stock vs new. */
export interface DistrictStats {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  total: number;
  newCount: number;
  stockCount: number;
  areaM2: number;
  areaMu: number;
  byRule: Record<string, { count: number; areaM2: number }>;
  bySeverity: { light: number; general: number; serious: number };
}

/**
 * The significant digits of a 12-digit code (2 province, 4 city, 6 county, 9 township, 12 village):
 * the shortest prefix after which only zeros follow. '440305001000' → '440305001'.
 */
export function significantPrefix(code: string): string {
  for (const n of [2, 4, 6, 9]) if (/^0*$/.test(code.slice(n))) return code.slice(0, n);
  return code;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Counts of active, not dismissed suspects per district of a level, optionally under a parent. */
export async function statsByDistrict(
  db: Queryable,
  level: StatLevel,
  parent: string | null,
): Promise<{ level: StatLevel; parent: string | null; districts: DistrictStats[]; unassigned: { total: number; areaM2: number } }> {
  const rows = await districtStats(db, level, parent ? significantPrefix(parent.padEnd(12, '0')) : null, PREFIX_LENGTH[level]);
  const unassigned = await unassignedStats(db);
  return {
    level,
    parent,
    districts: rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent_code,
      total: r.total,
      newCount: r.new_count,
      stockCount: r.stock_count,
      areaM2: round2(r.area_m2),
      areaMu: Math.round(toMu(r.area_m2) * 10000) / 10000,
      byRule: Object.fromEntries(Object.entries(r.by_rule).map(([k, v]) => [k, { count: v.count, areaM2: round2(v.areaM2) }])),
      bySeverity: { light: r.light, general: r.general, serious: r.serious },
    })),
    unassigned: { total: unassigned.total, areaM2: round2(unassigned.area_m2) },
  };
}
