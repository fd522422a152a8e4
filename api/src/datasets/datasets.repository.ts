import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';

const LIST = sqlFile(import.meta.url, 'sql/list-datasets.sql');
const GET = sqlFile(import.meta.url, 'sql/get-dataset.sql');
const REJECTS = sqlFile(import.meta.url, 'sql/list-rejects.sql');
const REPAIRS = sqlFile(import.meta.url, 'sql/list-repairs.sql');

/** A dataset row as listed. bbox = [minLon, minLat, maxLon, maxLat] in EPSG:4490 or null. */
export type DatasetSummary = Record<string, unknown> & { id: number; kind: string; name: string; version: number };

/** Datasets newest first; filters are optional. Empty array when none match. */
export async function listDatasets(db: Queryable, f: { kind?: string; status?: string; limit: number }): Promise<DatasetSummary[]> {
  return (await db.query<DatasetSummary>(LIST, [f.kind ?? null, f.status ?? null, f.limit])).rows;
}

/** One dataset with its import report, or null. */
export async function getDataset(db: Queryable, id: number): Promise<DatasetSummary | null> {
  return (await db.query<DatasetSummary>(GET, [id])).rows[0] ?? null;
}

/** A reject of an import. geometry = GeoJSON text in EPSG:4490, or null when unreadable. */
export interface RejectRow {
  row_number: number;
  source_id: string | null;
  code: string;
  message: string;
  layer: string | null;
  geometry: string | null;
}

/** Every reject of a dataset in row order (empty when it had none). */
export async function listRejects(db: Queryable, datasetId: number): Promise<RejectRow[]> {
  return (await db.query<RejectRow>(REJECTS, [datasetId])).rows;
}

/** The first `limit` repairs of a dataset. */
export async function listRepairs(
  db: Queryable,
  datasetId: number,
  limit: number,
): Promise<Array<{ row_number: number; source_id: string | null; reason: string }>> {
  return (await db.query<{ row_number: number; source_id: string | null; reason: string }>(REPAIRS, [datasetId, limit])).rows;
}
