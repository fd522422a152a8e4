import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';

const INSERT = sqlFile(import.meta.url, 'sql/insert-job.sql');
const UPDATE = sqlFile(import.meta.url, 'sql/update-job.sql');
const SELECT = sqlFile(import.meta.url, 'sql/select-job.sql');
const FAIL_INTERRUPTED = sqlFile(import.meta.url, 'sql/fail-interrupted-jobs.sql');

/** A job row as the API shows it. */
export interface JobRecord {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** 0..1 */
  progress: number;
  message: string | null;
  params: Record<string, unknown>;
  result: unknown;
  error: { code: string; message: string; [key: string]: unknown } | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** Fields a job update may set; omitted ones keep their value. */
export interface JobPatch {
  status?: JobRecord['status'];
  progress?: number;
  message?: string;
  result?: unknown;
  error?: JobRecord['error'];
}

/** Inserts a queued job and returns it. */
export async function insertJob(db: Queryable, type: string, params: unknown): Promise<JobRecord> {
  const { rows } = await db.query<JobRecord>(INSERT, [type, JSON.stringify(params ?? {})]);
  return rows[0] as JobRecord;
}

/** Applies a patch; does nothing when the id is unknown. */
export async function updateJob(db: Queryable, id: string, patch: JobPatch): Promise<void> {
  await db.query(UPDATE, [
    id,
    patch.status ?? null,
    patch.progress ?? null,
    patch.message ?? null,
    patch.result === undefined ? null : JSON.stringify(patch.result),
    patch.error === undefined || patch.error === null ? null : JSON.stringify(patch.error),
  ]);
}

/** The job with this id, or null when there is none (or the id is not a UUID). */
export async function selectJob(db: Queryable, id: string): Promise<JobRecord | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await db.query<JobRecord>(SELECT, [id]);
  return rows[0] ?? null;
}

/** Marks jobs left queued/running by a previous process as failed; returns how many. */
export async function failInterruptedJobs(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(FAIL_INTERRUPTED);
  return rowCount;
}
