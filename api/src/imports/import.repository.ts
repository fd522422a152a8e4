import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import { ImportError } from './import-messages.ts';

const sql = (name: string) => sqlFile(import.meta.url, `sql/${name}.sql`);
const SQL = {
  lockLayer: sql('lock-layer'),
  findSame: sql('find-same-import'),
  supersede: sql('supersede-layer'),
  insertDataset: sql('insert-dataset'),
  linkSuperseded: sql('link-superseded'),
  publishConstraints: sql('publish-constraints'),
  publishSubjects: sql('publish-subjects'),
  publishRejects: sql('publish-rejects'),
  publishRepairs: sql('publish-repairs'),
  measureStored: sql('measure-stored'),
  finishDataset: sql('finish-dataset'),
  deleteDistricts: sql('delete-districts'),
  refreshDistricts: sql('refresh-districts'),
  createPartition: sql('create-partition'),
  attachPartition: sql('attach-partition'),
};

/** The partitioned feature tables an import may write (the allow-list for spliced identifiers). */
const PARTITIONED = ['subject', 'constraint_feature'] as const;
/** `subject` or `constraint_feature`. */
export type PartitionedTable = (typeof PARTITIONED)[number];

/**
 * One statement with its partition placeholders filled: {{PARENT}} from the allow-list,
 * {{PARTITION}} = `<parent>_p<dataset id>`, {{DATASET_ID}} an integer. Throws on anything else.
 */
export function partitionSql(template: string, parent: PartitionedTable, datasetId: number): string {
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

/** Takes the layer's advisory lock for the rest of the transaction. */
export async function lockLayer(tx: Queryable, kind: string, name: string): Promise<void> {
  await tx.query(SQL.lockLayer, [kind, name]);
}

/** The active version of a layer imported with the same options, with the sha256 of its source. */
export interface SameOptionsImport {
  id: number;
  version: number;
  feature_count: number;
  repaired_count: number;
  rejected_count: number;
  source_srs: string | null;
  encoding: string | null;
  source_sha256: string;
}

/** The active version of the layer imported with the same options (sha256 included), or null. */
export async function findSameOptionsImport(db: Queryable, key: { kind: string; name: string; optionsHash: string }): Promise<SameOptionsImport | null> {
  const { rows } = await db.query<SameOptionsImport>(SQL.findSame, [key.kind, key.name, key.optionsHash]);
  return rows[0] ?? null;
}

/** What the dataset row records about its source when it is inserted (the sha256 comes with finishDataset). */
export interface DatasetHeader {
  kind: string;
  name: string;
  epoch: string | null;
  sourceFile: string;
  sourceLayer: string;
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

/**
 * Creates the new version's partition (a plain table shaped like `parent`, not yet attached): the
 * route statements fill it chunk by chunk, publishStage attaches it.
 */
export async function createPartition(tx: Queryable, parent: PartitionedTable, datasetId: number): Promise<void> {
  await tx.exec(partitionSql(SQL.createPartition, parent, datasetId));
}

/**
 * Moves the stage's accepted rows into the partition (joining the rows routed there directly),
 * attaches it (indexes built in bulk), and records rejects and repairs; a district layer also
 * refreshes the district table. Returns the stage rows published.
 */
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
): Promise<number> {
  const parent = p.isSubject ? 'subject' : 'constraint_feature';
  const datasetId = Number(p.datasetId);
  const { rowCount } = p.isSubject
    ? await tx.query(partitionSql(SQL.publishSubjects, parent, datasetId), [p.datasetId, p.kind, p.epoch])
    : await tx.query(partitionSql(SQL.publishConstraints, parent, datasetId), [p.datasetId, p.kind, p.codeField, p.codeSystem, p.nameField]);
  await tx.exec(partitionSql(SQL.attachPartition, parent, datasetId));
  await tx.query(SQL.publishRejects, [p.datasetId, p.layer, Object.keys(p.messages), Object.values(p.messages)]);
  await tx.query(SQL.publishRepairs, [p.datasetId]);
  if (p.kind === 'district') {
    if (p.supersededId !== null) await tx.query(SQL.deleteDistricts, [p.supersededId]);
    await tx.query(SQL.refreshDistricts, [p.datasetId]);
  }
  return rowCount;
}

/** Rows stored for a dataset version and their extent: [count, min lon, min lat, max lon, max lat]. */
async function measureStored(
  tx: Queryable,
  parent: PartitionedTable,
  datasetId: number,
): Promise<[number, number | null, number | null, number | null, number | null]> {
  const { rows } = await tx.query<{ n: number; xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null }>(
    partitionSql(SQL.measureStored, parent, datasetId),
  );
  const m = rows[0];
  return m ? [m.n, m.xmin, m.ymin, m.xmax, m.ymax] : [0, null, null, null, null];
}

/**
 * Records the new version's counts, extent and report. `expected` is the number of rows the import
 * published; a different count stored fails the import (STORE_MISMATCH) and so rolls it back.
 */
export async function finishDataset(
  tx: Queryable,
  parent: PartitionedTable,
  datasetId: number,
  expected: number,
  report: unknown,
  sha256: string,
): Promise<{ features: number; repaired: number; rejected: number; bbox: [number, number, number, number] | null }> {
  const { rows } = await tx.query<{
    feature_count: number;
    repaired_count: number;
    rejected_count: number;
    xmin: number | null;
    ymin: number | null;
    xmax: number | null;
    ymax: number | null;
  }>(SQL.finishDataset, [datasetId, JSON.stringify(report ?? {}), sha256, ...(await measureStored(tx, parent, datasetId))]);
  const r = rows[0];
  if (!r) throw new Error(`dataset ${datasetId} vanished during import`);
  if (r.feature_count !== expected) {
    throw new ImportError(
      'STORE_MISMATCH',
      `${expected} features passed the checks but ${r.feature_count} were stored; the import was rolled back (数据写入不一致，已回滚)`,
    );
  }
  const bbox: [number, number, number, number] | null =
    r.xmin === null ? null : [r.xmin, r.ymin as number, r.xmax as number, r.ymax as number];
  return { features: r.feature_count, repaired: r.repaired_count, rejected: r.rejected_count, bbox };
}
