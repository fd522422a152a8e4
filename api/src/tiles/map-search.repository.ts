import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import type { Bounds } from './tiles.repository.ts';

const MAP_SEARCH = sqlFile(import.meta.url, 'sql/map-search.sql');

/** One search hit: what it is, its id, a label to show, and its extent (EPSG:4490) to fly to. */
export interface MapSearchHit {
  type: 'suspect' | 'district' | 'feature' | 'subject';
  id: string;
  label: string | null;
  /** District code (suspect), level (district), kind (feature/subject). */
  detail: string | null;
  bbox: Bounds;
}

/** Escapes LIKE wildcards so typed text matches literally (`\` is the ESCAPE character in the SQL). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Finds suspects (id, source id prefix), districts (name part, code), and constraint features and
 * subjects (exact source id). At most `limitPerKind` of each; an empty array when nothing matches.
 */
export async function searchMap(db: Queryable, text: string, limitPerKind: number): Promise<MapSearchHit[]> {
  type Row = Omit<MapSearchHit, 'bbox'> & { xmin: number; ymin: number; xmax: number; ymax: number };
  const { rows } = await db.query<Row>(MAP_SEARCH, [text, escapeLike(text), limitPerKind]);
  return rows.map(({ xmin, ymin, xmax, ymax, ...hit }) => ({ ...hit, bbox: [xmin, ymin, xmax, ymax] }));
}

const MAP_POINTS = sqlFile(import.meta.url, 'sql/map-points.sql');

/** [id, lon, lat, severity 0 light | 1 general | 2 serious | -1 none, area m²], EPSG:4490. */
export type SuspectPoint = [number, number, number, number, number];

/**
 * A point per active suspect matching the suspect tile filters (`filterValues` from
 * parseTileFilters('suspect', …)), at most `limit`; `truncated` says the limit was hit.
 */
export async function suspectPoints(db: Queryable, filterValues: readonly unknown[], limit: number): Promise<{ points: SuspectPoint[]; truncated: boolean }> {
  type Row = { id: number; lon: number; lat: number; sev: number; area: number };
  const { rows } = await db.query<Row>(MAP_POINTS, [...filterValues, limit + 1]);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const points = rows.slice(0, limit).map((r): SuspectPoint => [Number(r.id), round(r.lon), round(r.lat), r.sev, Number(r.area)]);
  return { points, truncated: rows.length > limit };
}
