import type { Queryable, Transaction } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import { partitionSql, type PartitionedTable } from './import.repository.ts';

const sql = (name: string) => sqlFile(import.meta.url, `sql/${name}.sql`);
const SQL = {
  createStage: sql('create-stage'),
  createChunk: sql('create-chunk'),
  copyChunk: sql('copy-chunk'),
  routeChunk: sql('route-chunk'),
  routeSubjects: sql('route-subjects'),
  routeConstraints: sql('route-constraints'),
  stageCareful: sql('stage-chunk-careful'),
  stageUnparsable: sql('stage-row-unparsable'),
  checkBasic: sql('check-basic'),
  checkRange: sql('check-range'),
  bufferLines: sql('buffer-lines'),
  repair: sql('repair-stage'),
  checkUnrepairable: sql('check-unrepairable'),
  findDuplicates: sql('find-duplicates'),
  moveDuplicates: sql('move-duplicates'),
  rejectDuplicates: sql('reject-duplicates'),
  summary: sql('stage-summary'),
  rejects: sql('stage-rejects'),
  repairs: sql('stage-repairs'),
};

/** Area of use, in EPSG:4490 degrees. */
export interface Bounds {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Where a layer's routed rows go: the new version's partition and what its rows carry. */
export type RouteTarget =
  | { parent: 'subject'; datasetId: number; kind: string; epoch: string | null }
  | { parent: 'constraint_feature'; datasetId: number; kind: string; codeField: string | null; codeSystem: string | null; nameField: string | null };

/** What routing one chunk did: rows published into the partition and rows sent to the stage. */
export interface RouteCounts {
  published: number;
  staged: number;
  /** How the chunk was handled: one routing statement, or row ranges halved down to a failing row. */
  path: 'routed' | 'careful';
}

/** Drops what a previous layer of the same import left, then creates the stage and chunk tables (temporary, dropped at commit). */
export async function createStage(tx: Queryable): Promise<void> {
  await tx.exec('DROP TABLE IF EXISTS lw_import_stage; DROP TABLE IF EXISTS lw_import_chunk; DROP TABLE IF EXISTS lw_import_dupes');
  await tx.query(SQL.createStage);
  await tx.query(SQL.createChunk);
}

/**
 * Copies one chunk (binary COPY data, see CopyBinaryWriter: row number, source id, attributes JSON,
 * WKB, width m, problem code, problem message) into the emptied chunk table; returns the rows copied.
 */
export async function copyChunk(tx: Transaction, data: Uint8Array): Promise<number> {
  await tx.exec('TRUNCATE lw_import_chunk');
  return tx.copyFrom(SQL.copyChunk, data);
}

/**
 * Routes the copied chunk: clean rows into the partition, the rest into the stage (see
 * route-chunk.sql; validity is tested there for every row Node did not certify). If PostGIS refuses
 * the chunk, or a backend loses rows of it, the chunk takes the careful path: ranges of rows, halved
 * down to the one that fails, which is staged as GEOMETRY_PARSE_ERROR with the database's message.
 */
export async function routeChunk(
  tx: Queryable,
  target: RouteTarget,
  chunk: { srid: number; bounds: Bounds; rowNumbers: readonly number[] },
): Promise<RouteCounts> {
  const { srid, bounds: b, rowNumbers } = chunk;
  // One routing statement for every kind; only its publishing insert differs by feature table.
  const publish = target.parent === 'subject' ? SQL.routeSubjects : SQL.routeConstraints;
  const routeSql = partitionSql(SQL.routeChunk.replace('{{PUBLISH}}', () => publish), target.parent, target.datasetId);
  const extra =
    target.parent === 'subject'
      ? [target.datasetId, target.kind, target.epoch]
      : [target.datasetId, target.kind, target.codeField, target.codeSystem, target.nameField];
  await tx.exec('SAVEPOINT lw_route');
  try {
    const { rows } = await tx.query<{ published: number; staged: number }>(routeSql, [srid, b.minLon, b.minLat, b.maxLon, b.maxLat, ...extra]);
    const counts = rows[0] ?? { published: 0, staged: 0 };
    if (counts.published + counts.staged !== rowNumbers.length) throw new Error('rows lost in routing');
    await tx.exec('RELEASE SAVEPOINT lw_route');
    return { ...counts, path: 'routed' };
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT lw_route');
    await tx.exec('RELEASE SAVEPOINT lw_route');
  }
  await stageCarefully(tx, srid, rowNumbers);
  return { published: 0, staged: rowNumbers.length, path: 'careful' };
}

async function stageCarefully(tx: Queryable, srid: number, rowNumbers: readonly number[]): Promise<void> {
  // Halving: a chunk with one bad row costs ~2·log2(n) statements, not n. Ranges are row-number
  // intervals, which needs rowNumbers ascending: every reader numbers rows by their position.
  const ranges: Array<[number, number]> = [[0, rowNumbers.length]];
  while (ranges.length > 0) {
    const [lo, hi] = ranges.pop() as [number, number];
    if (hi <= lo) continue;
    const first = rowNumbers[lo] as number;
    const last = rowNumbers[hi - 1] as number;
    await tx.exec('SAVEPOINT lw_careful');
    try {
      await tx.query(SQL.stageCareful, [srid, first, last]);
      await tx.exec('RELEASE SAVEPOINT lw_careful');
      continue;
    } catch (error) {
      await tx.exec('ROLLBACK TO SAVEPOINT lw_careful');
      await tx.exec('RELEASE SAVEPOINT lw_careful');
      if (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        ranges.push([mid, hi], [lo, mid]);
        continue;
      }
      await stageUnparsable(tx, first, (error as Error).message.slice(0, 300));
    }
  }
}

async function stageUnparsable(tx: Queryable, rowNumber: number, message: string): Promise<void> {
  await tx.exec('SAVEPOINT lw_careful');
  try {
    await tx.query(SQL.stageUnparsable, [rowNumber, message, true]);
    await tx.exec('RELEASE SAVEPOINT lw_careful');
  } catch {
    // The attributes themselves are what the database refused (e.g. text jsonb cannot hold).
    await tx.exec('ROLLBACK TO SAVEPOINT lw_careful');
    await tx.exec('RELEASE SAVEPOINT lw_careful');
    await tx.query(SQL.stageUnparsable, [rowNumber, message, false]);
  }
}

/**
 * Runs the checks and repairs on the stage, in order (see the comments in each .sql file). The stage
 * holds only the rows the route did not publish: with `staged` 0 (a clean file) nothing runs.
 */
export async function validateStage(tx: Queryable, opts: { acceptsLines: boolean; bounds: Bounds; staged: number }): Promise<void> {
  if (opts.staged === 0) return;
  await tx.query(SQL.checkBasic, [opts.acceptsLines]);
  const b = opts.bounds;
  await tx.query(SQL.checkRange, [b.minLon, b.minLat, b.maxLon, b.maxLat]);
  if (opts.acceptsLines) await tx.query(SQL.bufferLines);
  await tx.query(SQL.repair);
  await tx.query(SQL.checkUnrepairable);
}

/**
 * Rejects later uses of a source id, over the partition and the stage together: the first row keeps
 * it. Rows leaving the partition become stage rejects. Returns how many rows left the partition.
 */
export async function rejectDuplicates(tx: Queryable, parent: PartitionedTable, datasetId: number): Promise<number> {
  await tx.query(partitionSql(SQL.findDuplicates, parent, datasetId));
  const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM lw_import_dupes');
  if ((rows[0]?.n ?? 0) === 0) return 0;
  const moved = await tx.query(partitionSql(SQL.moveDuplicates, parent, datasetId));
  await tx.query(SQL.rejectDuplicates);
  return moved.rowCount;
}

/** Per reason code (empty string = accepted in the stage) the row count and repaired count. */
export async function summariseStage(tx: Queryable): Promise<Array<{ code: string; n: number; repaired: number }>> {
  return (await tx.query<{ code: string; n: number; repaired: number }>(SQL.summary)).rows;
}

/** The first `limit` rejects of the stage, by row number. */
export async function firstStageRejects(
  tx: Queryable,
  limit: number,
): Promise<Array<{ row_number: number; source_id: string | null; code: string; detail: string | null }>> {
  return (await tx.query<{ row_number: number; source_id: string | null; code: string; detail: string | null }>(SQL.rejects, [limit])).rows;
}

/** The first `limit` repaired rows of the stage, by row number. */
export async function firstStageRepairs(
  tx: Queryable,
  limit: number,
): Promise<Array<{ row_number: number; source_id: string | null; reason: string }>> {
  return (await tx.query<{ row_number: number; source_id: string | null; reason: string }>(SQL.repairs, [limit])).rows;
}
