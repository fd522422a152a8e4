import type { Queryable } from '../db/db.types.ts';
import { RULE_CODES } from '../analysis/rule-catalog.ts';
import { toFindingJson, toSuspectJson, type FindingJson, type SuspectJson } from './suspect.mapper.ts';
import { getSuspect, listFindings, listSuspects, type SuspectFilter } from './suspects.repository.ts';

/** A page of suspects; nextCursor is null on the last page. */
export interface SuspectPage {
  suspects: Array<SuspectJson & { geometry?: unknown }>;
  nextCursor: string | null;
}

/** A suspect with its subject geometry (GeoJSON, EPSG:4490) and its findings. */
export type SuspectDetail = SuspectJson & { geometry: unknown; findings: FindingJson[] };

/**
 * One page of suspects in id order (keyset pagination: pass the previous page's nextCursor). Reads
 * one row more than asked to know whether another page follows.
 */
export async function findSuspects(db: Queryable, filter: SuspectFilter): Promise<SuspectPage> {
  const rows = await listSuspects(db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  return {
    suspects: page.map((r) => ({
      ...toSuspectJson(r),
      ...(filter.withGeometry ? { geometry: r.geometry ? JSON.parse(r.geometry) : null } : {}),
    })),
    nextCursor: more && page.length > 0 ? String((page[page.length - 1] as { id: number }).id) : null,
  };
}

/** The suspect with its evidence, or null when the id is unknown. */
export async function findSuspect(db: Queryable, id: number): Promise<SuspectDetail | null> {
  const row = await getSuspect(db, id);
  if (!row) return null;
  const findings = await listFindings(db, id, RULE_CODES);
  return { ...toSuspectJson(row), geometry: row.geometry ? JSON.parse(row.geometry) : null, findings: findings.map(toFindingJson) };
}
