import type { Db, Queryable } from '../db/db.types.ts';
import { guarded } from './guarded-query.ts';

/**
 * How a run holds its work tables.
 * - `temp` (PGlite): `TEMP … ON COMMIT DROP` tables filled by guarded `INSERT`s — PGlite runs no
 *   parallel workers, and its silent GEOS failures are caught by the count row every fill returns.
 * - `unlogged` (PostgreSQL): `UNLOGGED` tables created inside the run's transaction and dropped before it
 *   commits (a failed or killed run rolls them back with everything else). Parallel workers cannot read
 *   temporary tables, and PostgreSQL 15 runs `INSERT … SELECT` without them, so the heavy fills are
 *   `CREATE UNLOGGED TABLE … AS SELECT`, the one form of storing a query's result it parallelizes
 *   (measured at 1M buildings: the overlay 33–37 s serial, 14–17 s with two workers on two cores).
 */
export type WorkTableMode = 'temp' | 'unlogged';

/** The work table mode of a backend. */
export function workTableMode(kind: Db['kind']): WorkTableMode {
  return kind === 'pglite' ? 'temp' : 'unlogged';
}

/** The work tables filled by fillWorkTable (an allow-list: the names go into SQL text). */
export type FilledWorkTable =
  | 'lw_universe'
  | 'lw_twin'
  | 'lw_piece'
  | 'lw_match'
  | 'lw_match_spatial'
  | 'lw_permit_cover'
  | 'lw_grown_base'
  | 'lw_subj'
  | 'lw_hit'
  | 'lw_overlap'
  | 'lw_placed'
  | 'lw_flag'
  | 'lw_rule_rows';

/**
 * create-work-tables.sql for the mode: as written (TEMP, ON COMMIT DROP) or with UNLOGGED tables that
 * live until dropWorkTables (the file's DROP line, run again before commit).
 */
export function workTableDdl(ddl: string, mode: WorkTableMode): string {
  return mode === 'temp' ? ddl : ddl.replaceAll('CREATE TEMP TABLE', 'CREATE UNLOGGED TABLE').replaceAll(' ON COMMIT DROP', '');
}

/** The DROP statement of create-work-tables.sql (its first statement): run before commit in `unlogged` mode. */
export function dropWorkTablesSql(ddl: string): string {
  const drop = /DROP TABLE IF EXISTS [^;]+;/.exec(ddl);
  if (!drop) throw new Error('create-work-tables.sql lost its DROP TABLE IF EXISTS statement');
  return drop[0];
}

/**
 * Fills `table` with the rows of `select` (a SELECT whose columns are the table's, in its order) and
 * returns how many. `temp`: a guarded INSERT into the created table (throws SilentGeometryError when
 * PGlite lost the statement). `unlogged`: the table is dropped and created again from the query, so
 * PostgreSQL may run it with parallel workers; its column types come from the query, and indexes are the
 * caller's to build.
 */
export async function fillWorkTable(
  tx: Queryable,
  mode: WorkTableMode,
  step: string,
  table: FilledWorkTable,
  select: string,
  values: readonly unknown[] = [],
): Promise<number> {
  if (mode === 'temp') return insertGuarded(tx, step, table, select, values);
  await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  const result = await tx.query(`CREATE UNLOGGED TABLE ${table} AS ${select}`, values);
  return result.rowCount;
}

/**
 * Appends a rule's findings to lw_finding (`select`: its columns, in its order) and returns how many
 * (0 when nothing fires). `unlogged`: staged in lw_rule_rows by a statement that may run with parallel
 * workers, then appended; `temp`: one guarded INSERT.
 */
export async function appendFindings(
  tx: Queryable,
  mode: WorkTableMode,
  step: string,
  select: string,
  values: readonly unknown[] = [],
): Promise<number> {
  if (mode === 'temp') return insertGuarded(tx, step, 'lw_finding', select, values);
  await fillWorkTable(tx, mode, step, 'lw_rule_rows', select, values);
  return (await tx.query('INSERT INTO lw_finding SELECT * FROM lw_rule_rows')).rowCount;
}

/** Appends the rows of `select` to an existing work table in one guarded INSERT; returns how many. */
async function insertGuarded(
  tx: Queryable,
  step: string,
  table: FilledWorkTable | 'lw_finding',
  select: string,
  values: readonly unknown[],
): Promise<number> {
  const row = await guarded(tx, step, `WITH ins AS (INSERT INTO ${table} SELECT * FROM (${select}) q RETURNING 1) SELECT count(*)::int AS n FROM ins`, values);
  return row.n;
}
