import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import { ImportError } from './import-messages.ts';

const sql = (name: string) => sqlFile(import.meta.url, `sql/${name}.sql`);
const SQL = {
  createStage: sql('create-stage'),
  insertBatch: sql('insert-stage-batch'),
  insertRowSafe: sql('insert-stage-row-safe'),
  checkBasic: sql('check-basic'),
  checkRange: sql('check-range'),
  bufferLines: sql('buffer-lines'),
  repair: sql('repair-stage'),
  checkUnrepairable: sql('check-unrepairable'),
  checkDuplicates: sql('check-duplicates'),
  summary: sql('stage-summary'),
  rejects: sql('stage-rejects'),
  repairs: sql('stage-repairs'),
  lockLayer: sql('lock-layer'),
  findSame: sql('find-same-import'),
  supersede: sql('supersede-layer'),
  insertDataset: sql('insert-dataset'),
  linkSuperseded: sql('link-superseded'),
  publishConstraints: sql('publish-constraints'),
  publishSubjects: sql('publish-subjects'),
  publishRejects: sql('publish-rejects'),
  publishRepairs: sql('publish-repairs'),
  finishDataset: sql('finish-dataset'),
  deleteDistricts: sql('delete-districts'),
  refreshDistricts: sql('refresh-districts'),
  createPartition: sql('create-partition'),
  attachPartition: sql('attach-partition'),
};

/** The partitioned feature tables an import may write (the allow-list for spliced identifiers). */
const PARTITIONED = ['subject', 'constraint_feature'] as const;

/**
 * One statement with its partition placeholders filled: {{PARENT}} from the allow-list,
 * {{PARTITION}} = `<parent>_p<dataset id>`, {{DATASET_ID}} an integer. Throws on anything else.
 */
export function partitionSql(template: string, parent: (typeof PARTITIONED)[number], datasetId: number): string {
  if (!PARTITIONED.includes(parent)) throw new Error(`not a partitioned feature table: ${String(parent)}`);
  if (!Number.isSafeInteger(datasetId) || datasetId <= 0) throw new Error(`not a dataset id: ${String(datasetId)}`);
  return template
    .replaceAll('{{PARENT}}', parent)
    .replaceAll('{{PARTITION}}', `${parent}_p${datasetId}`)
    .replaceAll('{{DATASET_ID}}', String(datasetId));
}

/**
 * Gives a new dataset its own, still empty partition of `subject` (isSubject) or `constraint_feature`,
 * the layout a publish leaves, for loaders that write straight into the feature tables (the seeded city
 * of scripts/city-generator). Rows inserted through the parent then land in it.
 */
export async function createDatasetPartition(tx: Queryable, isSubject: boolean, datasetId: number): Promise<void> {
  const parent = isSubject ? 'subject' : 'constraint_feature';
  await tx.exec(partitionSql(SQL.createPartition, parent, datasetId));
  await tx.exec(partitionSql(SQL.attachPartition, parent, datasetId));
}

/** One staged row, as the service hands it over. */
export interface StageRow {
  rowNumber: number;
  sourceId: string | null;
  attrsJson: string;
  /** Hex WKB (2D, source CRS); null when there is no usable geometry (see problemCode). */
  geomWkb: string | null;
  widthM: number | null;
  problemCode: string | null;
  problemMessage: string | null;
}

/** Creates the (transaction-scoped) staging table; drops one left by a previous layer first. */
export async function createStage(tx: Queryable): Promise<void> {
  await tx.exec('DROP TABLE IF EXISTS lw_import_stage');
  await tx.query(SQL.createStage);
}

/**
 * Inserts a batch in one statement (parsed and transformed to EPSG:4490 on the way). If PostGIS
 * refuses the batch, its rows go again through the careful per-row statement, which turns parse and
 * transform failures into reject codes; a row that still fails is rejected with the database's message.
 */
export async function insertStageBatch(tx: Queryable, rows: StageRow[], srid: number, bounds: Bounds): Promise<StageWork> {
  if (rows.length === 0) return { basic: 0, range: 0, repair: 0 };
  // Attributes and geometry are already JSON text: splice them in raw instead of re-encoding.
  const params = (batch: StageRow[]) => [
    `[${batch
      .map(
        (r) =>
          `{"r":${r.rowNumber},"s":${JSON.stringify(r.sourceId)},"a":${r.attrsJson},"g":${r.geomWkb === null ? 'null' : `"${r.geomWkb}"`},"w":${r.widthM ?? 'null'},"pc":${JSON.stringify(r.problemCode)},"pm":${JSON.stringify(r.problemMessage)}}`,
      )
      .join(',')}]`,
    srid,
  ];
  await tx.exec('SAVEPOINT lw_batch');
  try {
    const { rows: counts } = await tx.query<StageWork>(SQL.insertBatch, [...params(rows), bounds.minLon, bounds.minLat, bounds.maxLon, bounds.maxLat]);
    await tx.exec('RELEASE SAVEPOINT lw_batch');
    return counts[0] ?? { basic: rows.length, range: rows.length, repair: rows.length };
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT lw_batch');
    await tx.exec('RELEASE SAVEPOINT lw_batch');
  }
  for (const row of rows) {
    await tx.exec('SAVEPOINT lw_row');
    try {
      await tx.query(SQL.insertRowSafe, params([row]));
      await tx.exec('RELEASE SAVEPOINT lw_row');
    } catch (error) {
      await tx.exec('ROLLBACK TO SAVEPOINT lw_row');
      await tx.exec('RELEASE SAVEPOINT lw_row');
      const bad: StageRow = {
        ...row,
        geomWkb: null,
        attrsJson: safeJson(row.attrsJson),
        problemCode: 'GEOMETRY_PARSE_ERROR',
        problemMessage: (error as Error).message.slice(0, 300),
      };
      await tx.query(SQL.insertRowSafe, params([bad]));
    }
  }
  // Rows that needed the careful path get every check.
  return { basic: rows.length, range: rows.length, repair: rows.length };
}

function safeJson(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return '{}';
  }
}

/** Area of use, in EPSG:4490 degrees. */
export interface Bounds {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** How many staged rows each check has work for (counted while staging; supersets). */
export interface StageWork {
  basic: number;
  range: number;
  repair: number;
}

/**
 * Runs the checks and repairs on the stage, in order (see the comments in each .sql file), skipping
 * a pass over the whole stage when staging counted no row for it: a clean million-row file then
 * costs one duplicate-id pass instead of six.
 */
export async function validateStage(tx: Queryable, opts: { acceptsLines: boolean; bounds: Bounds; work: StageWork }): Promise<void> {
  const { work } = opts;
  if (work.basic > 0) await tx.query(SQL.checkBasic, [opts.acceptsLines]);
  const b = opts.bounds;
  if (work.range > 0) await tx.query(SQL.checkRange, [b.minLon, b.minLat, b.maxLon, b.maxLat]);
  // Lines and points count as `basic` work; buffered lines are repaired like any polygon.
  const buffered = opts.acceptsLines && work.basic > 0;
  if (buffered) await tx.query(SQL.bufferLines);
  if (work.repair > 0 || buffered) {
    await tx.query(SQL.repair);
    await tx.query(SQL.checkUnrepairable);
  }
  await tx.query(SQL.checkDuplicates);
}

/** Per reason code (empty string = accepted) the row count and repaired count. */
export async function summariseStage(tx: Queryable): Promise<Array<{ code: string; n: number; repaired: number }>> {
  return (await tx.query<{ code: string; n: number; repaired: number }>(SQL.summary)).rows;
}

/** The first `limit` rejects of the stage. */
export async function firstStageRejects(
  tx: Queryable,
  limit: number,
): Promise<Array<{ row_number: number; source_id: string | null; code: string; detail: string | null }>> {
  return (await tx.query<{ row_number: number; source_id: string | null; code: string; detail: string | null }>(SQL.rejects, [limit])).rows;
}

/** The first `limit` repaired rows of the stage. */
export async function firstStageRepairs(
  tx: Queryable,
  limit: number,
): Promise<Array<{ row_number: number; source_id: string | null; reason: string }>> {
  return (await tx.query<{ row_number: number; source_id: string | null; reason: string }>(SQL.repairs, [limit])).rows;
}

/** Takes the layer's advisory lock for the rest of the transaction. */
export async function lockLayer(tx: Queryable, kind: string, name: string): Promise<void> {
  await tx.query(SQL.lockLayer, [kind, name]);
}

/** The active version imported from the same bytes and options, or null. */
export async function findSameImport(
  db: Queryable,
  key: { kind: string; name: string; sha256: string; optionsHash: string },
): Promise<{ id: number; version: number; feature_count: number; repaired_count: number; rejected_count: number; source_srs: string | null; encoding: string | null } | null> {
  const { rows } = await db.query<{
    id: number;
    version: number;
    feature_count: number;
    repaired_count: number;
    rejected_count: number;
    source_srs: string | null;
    encoding: string | null;
  }>(SQL.findSame, [key.kind, key.name, key.sha256, key.optionsHash]);
  return rows[0] ?? null;
}

/** Everything the dataset row records about its source. */
export interface DatasetHeader {
  kind: string;
  name: string;
  epoch: string | null;
  sourceFile: string;
  sourceLayer: string;
  sha256: string;
  optionsHash: string;
  srs: string;
  srsHow: string;
  encoding: string | null;
  encodingHow: string | null;
  report: unknown;
  importedBy: string | null;
}

/** Supersedes the active version (if any) and inserts the new one; returns both ids. */
export async function insertDatasetVersion(
  tx: Queryable,
  h: DatasetHeader,
): Promise<{ id: number; version: number; supersededId: number | null }> {
  const superseded = (await tx.query<{ id: number }>(SQL.supersede, [h.kind, h.name])).rows[0]?.id ?? null;
  const { rows } = await tx.query<{ id: number; version: number }>(SQL.insertDataset, [
    h.kind,
    h.name,
    h.epoch,
    h.sourceFile,
    h.sourceLayer,
    h.sha256,
    h.optionsHash,
    h.srs,
    h.srsHow,
    h.encoding,
    h.encodingHow,
    JSON.stringify(h.report ?? {}),
    h.importedBy,
  ]);
  const inserted = rows[0] as { id: number; version: number };
  if (superseded !== null) await tx.query(SQL.linkSuperseded, [superseded, inserted.id]);
  return { ...inserted, supersededId: superseded };
}

/** Moves accepted stage rows into the feature table of the kind, plus rejects and repairs. */
export async function publishStage(
  tx: Queryable,
  p: {
    datasetId: number;
    supersededId: number | null;
    kind: string;
    isSubject: boolean;
    epoch: string | null;
    codeField: string | null;
    nameField: string | null;
    codeSystem: string | null;
    layer: string;
    messages: Record<string, string>;
  },
): Promise<{ features: number; repaired: number; rejected: number; bbox: [number, number, number, number] | null }> {
  // The new version's rows go into a partition of their own, attached (indexes built in bulk) once filled.
  const parent = p.isSubject ? 'subject' : 'constraint_feature';
  const datasetId = Number(p.datasetId);
  await tx.exec(partitionSql(SQL.createPartition, parent, datasetId));
  if (p.isSubject) await tx.query(partitionSql(SQL.publishSubjects, parent, datasetId), [p.datasetId, p.kind, p.epoch]);
  else await tx.query(partitionSql(SQL.publishConstraints, parent, datasetId), [p.datasetId, p.kind, p.codeField, p.codeSystem, p.nameField]);
  await tx.exec(partitionSql(SQL.attachPartition, parent, datasetId));
  await tx.query(SQL.publishRejects, [p.datasetId, p.layer, Object.keys(p.messages), Object.values(p.messages)]);
  await tx.query(SQL.publishRepairs, [p.datasetId]);
  if (p.kind === 'district') {
    if (p.supersededId !== null) await tx.query(SQL.deleteDistricts, [p.supersededId]);
    await tx.query(SQL.refreshDistricts, [p.datasetId]);
  }
  const { rows } = await tx.query<{
    staged: number;
    feature_count: number;
    repaired_count: number;
    rejected_count: number;
    xmin: number | null;
    ymin: number | null;
    xmax: number | null;
    ymax: number | null;
  }>(SQL.finishDataset, [p.datasetId]);
  const r = rows[0];
  if (!r) throw new Error(`dataset ${p.datasetId} vanished during import`);
  if (r.staged !== r.feature_count) {
    throw new ImportError(
      'STORE_MISMATCH',
      `${r.staged} features passed the checks but ${r.feature_count} were stored; the import was rolled back (数据写入不一致，已回滚)`,
    );
  }
  const bbox: [number, number, number, number] | null =
    r.xmin === null ? null : [r.xmin, r.ymin as number, r.xmax as number, r.ymax as number];
  return { features: r.feature_count, repaired: r.repaired_count, rejected: r.rejected_count, bbox };
}
