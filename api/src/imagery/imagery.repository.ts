/**
 * SQL access for the imagery registry (table `imagery`, migration 0005) and the few reads of other
 * modules' tables it needs (suspect sites, spatial_ref_sys). Values always as $n.
 */
import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import type { BandName } from './band-map.parser.ts';

const INSERT = sqlFile(import.meta.url, 'sql/insert-imagery.sql');
const SELECT = sqlFile(import.meta.url, 'sql/select-imagery.sql');
const PICK = sqlFile(import.meta.url, 'sql/pick-imagery.sql');
const SUSPECT_SITE = sqlFile(import.meta.url, 'sql/suspect-site.sql');
const SRS_PROJ4 = sqlFile(import.meta.url, 'sql/srs-proj4.sql');

/** One registered imagery date as stored. `bbox` is the footprint's [minLon, minLat, maxLon, maxLat] in EPSG:4490. */
export interface ImageryRecord {
  id: number;
  name: string;
  acquired_on: string;
  files: string[];
  band_map: Partial<Record<BandName, { file: number; band: number }>>;
  srs: string;
  proj4: string;
  width: number;
  height: number;
  geotransform: [number, number, number, number, number, number];
  resolution_m: number;
  stretch: Partial<Record<BandName, [number, number]>>;
  preview: { file: string; width: number; height: number } | null;
  sha256: string;
  notes: string[];
  registered_at: Date;
  registered_by: string | null;
  bbox: [number, number, number, number];
}

/** What registration stores (the footprint as a GeoJSON Polygon in EPSG:4490). */
export interface NewImagery extends Omit<ImageryRecord, 'id' | 'registered_at' | 'bbox'> {
  footprint: { type: 'Polygon'; coordinates: number[][][] };
}

type Row = Omit<ImageryRecord, 'bbox'> & { xmin: number; ymin: number; xmax: number; ymax: number };

function toRecord(r: Row): ImageryRecord {
  const { xmin, ymin, xmax, ymax, ...rest } = r;
  return { ...rest, id: Number(rest.id), bbox: [xmin, ymin, xmax, ymax] };
}

/** Inserts a row and returns its id. */
export async function insertImagery(db: Queryable, v: NewImagery): Promise<number> {
  const { rows } = await db.query<{ id: number }>(INSERT, [
    v.name, v.acquired_on, JSON.stringify(v.files), JSON.stringify(v.band_map), v.srs, v.proj4, v.width, v.height,
    JSON.stringify(v.geotransform), v.resolution_m, JSON.stringify(v.stretch), v.preview ? JSON.stringify(v.preview) : null,
    JSON.stringify(v.footprint), v.sha256, JSON.stringify(v.notes), v.registered_by,
  ]);
  return Number((rows[0] as { id: number }).id);
}

/** Filters of {@link listImagery}; all optional. */
export interface ImageryFilter {
  id?: number;
  sha256?: string;
  from?: string;
  to?: string;
  /** [minLon, minLat, maxLon, maxLat], EPSG:4490. */
  bbox?: [number, number, number, number];
  limit?: number;
}

/** Imagery rows matching the filter, newest acquisition first; empty when none. */
export async function listImagery(db: Queryable, f: ImageryFilter = {}): Promise<ImageryRecord[]> {
  const { rows } = await db.query<Row>(SELECT, [
    f.id ?? null, f.sha256 ?? null, f.from ?? null, f.to ?? null,
    f.bbox?.[0] ?? null, f.bbox?.[1] ?? null, f.bbox?.[2] ?? null, f.bbox?.[3] ?? null, f.limit ?? 500,
  ]);
  return rows.map(toRecord);
}

/** One imagery row, or null when unknown. */
export async function getImagery(db: Queryable, id: number): Promise<ImageryRecord | null> {
  return (await listImagery(db, { id, limit: 1 }))[0] ?? null;
}

/** The imagery covering a box's centre best suited to a date (see sql/pick-imagery.sql); null when none. */
export async function pickImagery(
  db: Queryable,
  bbox: [number, number, number, number],
  date: string,
  mode: 'before' | 'after' | 'nearest',
): Promise<{ id: number; acquired_on: string; name: string } | null> {
  const { rows } = await db.query<{ id: number; acquired_on: string; name: string }>(PICK, [...bbox, date, mode]);
  const r = rows[0];
  return r ? { ...r, id: Number(r.id) } : null;
}

/** A suspect's bbox, epoch and (for change patches) QSX/HSX dates; null when the suspect is unknown. */
export async function suspectSite(
  db: Queryable,
  id: number,
): Promise<{ id: number; epoch: string | null; bbox: [number, number, number, number]; qsx: string | null; hsx: string | null } | null> {
  const { rows } = await db.query<{ id: number; epoch: string | null; xmin: number; ymin: number; xmax: number; ymax: number; qsx: string | null; hsx: string | null }>(SUSPECT_SITE, [id]);
  const r = rows[0];
  return r ? { id: Number(r.id), epoch: r.epoch, bbox: [r.xmin, r.ymin, r.xmax, r.ymax], qsx: r.qsx, hsx: r.hsx } : null;
}

/** proj4 text of an EPSG code from spatial_ref_sys; null when PostGIS does not know it. */
export async function proj4FromDatabase(db: Queryable, epsg: number): Promise<string | null> {
  const { rows } = await db.query<{ proj4text: string }>(SRS_PROJ4, [epsg]);
  return rows[0]?.proj4text?.trim() || null;
}
