import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import type { LayerSource, TileLayerName } from './tile-layers.ts';

const DATA_VERSIONS = sqlFile(import.meta.url, 'sql/data-versions.sql');
const PRUNE_CHANGES = sqlFile(import.meta.url, 'sql/prune-changes.sql');
const BOUNDS_DATASET = sqlFile(import.meta.url, 'sql/bounds-dataset.sql');
const BOUNDS_DISTRICT = sqlFile(import.meta.url, 'sql/bounds-district.sql');
const BOUNDS_SUSPECTS = sqlFile(import.meta.url, 'sql/bounds-suspects.sql');
const BOUNDS_ALL = sqlFile(import.meta.url, 'sql/bounds-all.sql');
const SUBJECT_EPOCHS = sqlFile(import.meta.url, 'sql/subject-epochs.sql');

/** [minLon, minLat, maxLon, maxLat] in EPSG:4490. */
export type Bounds = [number, number, number, number];

/** The tile_change log per source table: row count and newest id. Empty before any write. */
export async function readDataVersions(db: Queryable): Promise<Array<{ source: string; n: number; last: number }>> {
  const { rows } = await db.query<{ source: string; n: number; last: number }>(DATA_VERSIONS);
  return rows;
}

/** Deletes tile_change rows older than `olderThanSeconds` except the newest per source; returns how many. */
export async function pruneChanges(db: Queryable, olderThanSeconds: number): Promise<number> {
  const { rowCount } = await db.query(PRUNE_CHANGES, [olderThanSeconds]);
  return rowCount;
}

type BoundsRow = { xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null };

function toBounds(row: BoundsRow | undefined): Bounds | null {
  if (!row || row.xmin === null || row.ymin === null || row.xmax === null || row.ymax === null) return null;
  return [row.xmin, row.ymin, row.xmax, row.ymax];
}

/** Data extent of a layer, or null when it holds nothing. */
export async function readBounds(db: Queryable, source: LayerSource, layer: TileLayerName): Promise<Bounds | null> {
  let result;
  if (source === 'district') result = await db.query<BoundsRow>(BOUNDS_DISTRICT);
  else if (source === 'suspect') result = await db.query<BoundsRow>(BOUNDS_SUSPECTS);
  else result = await db.query<BoundsRow>(BOUNDS_DATASET, [layer]);
  return toBounds(result.rows[0]);
}

/** Extent of everything on the map, or null on an empty database. */
export async function readAllBounds(db: Queryable): Promise<Bounds | null> {
  const { rows } = await db.query<BoundsRow>(BOUNDS_ALL);
  return toBounds(rows[0]);
}

/** Survey epochs (YYYY-MM-DD) of a subject layer's active versions, oldest first. */
export async function readEpochs(db: Queryable, layer: TileLayerName): Promise<string[]> {
  const { rows } = await db.query<{ epoch: string }>(SUBJECT_EPOCHS, [layer]);
  return rows.map((r) => r.epoch);
}
