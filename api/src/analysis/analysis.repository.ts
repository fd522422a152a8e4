import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';

const sql = (name: string) => sqlFile(import.meta.url, `sql/${name}.sql`);

/** The statements of one run, read once at start-up (a missing file fails then, not mid-run). */
export const ANALYSIS_SQL = {
  createWorkTables: sql('create-work-tables'),
  activeDatasets: sql('active-datasets'),
  previousRun: sql('previous-run'),
  loadUniverse: sql('load-universe'),
  loadUniverseRanked: sql('load-universe-ranked'),
  scopeFull: sql('scope-full'),
  changedDatasets: sql('changed-datasets'),
  findTwins: sql('find-twins'),
  countTwins: sql('count-twins'),
  findSubjectTwinsRanked: sql('find-subject-twins-ranked'),
  changedAreas: sql('changed-areas'),
  scopeIncremental: sql('scope-incremental'),
  staleConstraintPieces: sql('stale-constraint-pieces'),
  ensureConstraintPieces: sql('ensure-constraint-pieces'),
  loadPieces: sql('load-pieces'),
  matchEqual: sql('match-equal'),
  matchSpatial: sql('match-spatial'),
  loadPermitCover: sql('load-permit-cover'),
  loadGrownBase: sql('load-grown-base'),
  loadSubjects: sql('load-subjects'),
  countSubjects: sql('count-subjects'),
  overlay: sql('overlay'),
  dropEmptyHits: sql('drop-empty-hits'),
  aggregateOverlaps: sql('aggregate-overlaps'),
  ensureDistrictPieces: sql('ensure-district-pieces'),
  placeSubjects: sql('place-subjects'),
  flagSubjects: sql('flag-subjects'),
  buildEvidence: sql('build-evidence'),
  repointEvidence: sql('repoint-evidence'),
  reopenDismissed: sql('reopen-dismissed'),
  upsertSuspects: sql('upsert-suspects'),
  replaceFindings: sql('replace-findings'),
  deactivateSuspects: sql('deactivate-suspects'),
  refreshSuspectDistricts: sql('refresh-suspect-districts'),
  summaryByRule: sql('summary-by-rule'),
  summaryByDistrict: sql('summary-by-district'),
  finishRun: sql('finish-run'),
} as const;

const INSERT_RUN = sql('insert-run');
const FAIL_RUN = sql('fail-run');
const GET_RUN = sql('get-run');
const LIST_RUNS = sql('list-runs');

/** An active layer version as the run sees it. epoch = 'YYYY-MM-DD' or null. */
export interface ActiveDataset {
  id: number;
  kind: string;
  name: string;
  epoch: string | null;
}

/** The previous successful run, as far as an incremental run needs it. */
export interface PreviousRun {
  id: number;
  ruleset_hash: string;
  engine_version: number | null;
  baseline_epoch: string | null;
  latest_epoch: string | null;
  dataset_ids: number[];
}

/** A run row as the API shows it (snake_case columns, dates as Date or 'YYYY-MM-DD'). */
export interface AnalysisRunRow {
  id: number;
  mode: 'full' | 'incremental';
  requested_mode: 'full' | 'incremental' | null;
  status: 'running' | 'succeeded' | 'failed';
  ruleset_version: string;
  ruleset_hash: string;
  ruleset_path: string | null;
  engine_version: number | null;
  baseline_epoch: string | null;
  latest_epoch: string | null;
  previous_run_id: number | null;
  counts: Record<string, unknown>;
  timings: Record<string, number>;
  notes: unknown[];
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

/** Registers a running run; returns its id. */
export async function insertRun(
  db: Queryable,
  run: { mode: 'full' | 'incremental'; rulesetVersion: string; rulesetHash: string; rulesetPath: string | null; engineVersion: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(INSERT_RUN, [run.mode, run.rulesetVersion, run.rulesetHash, run.rulesetPath, run.engineVersion]);
  return (rows[0] as { id: number }).id;
}

/** Marks a run failed with its error message and the timings reached. */
export async function failRun(db: Queryable, id: number, message: string, timings: Record<string, number>): Promise<void> {
  await db.query(FAIL_RUN, [id, message, JSON.stringify(timings)]);
}

/** One run, or null when the id is unknown. */
export async function getRun(db: Queryable, id: number): Promise<AnalysisRunRow | null> {
  return (await db.query<AnalysisRunRow>(GET_RUN, [id])).rows[0] ?? null;
}

/** The newest runs first (empty array when none). */
export async function listRuns(db: Queryable, limit: number): Promise<AnalysisRunRow[]> {
  return (await db.query<AnalysisRunRow>(LIST_RUNS, [limit])).rows;
}
