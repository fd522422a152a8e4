/**
 * GeoPackage vector layers (gpkg_contents data_type 'features'), read with better-sqlite3 (read-only)
 * and streamed with .iterate(). Geometry blobs: GeoPackage header ('GP', flags, envelope) then ISO
 * WKB parsed with wkx. CRS from gpkg_spatial_ref_sys (organization EPSG + id, else its WKT).
 */
import Database from 'better-sqlite3';
import wkx from 'wkx';
import type { ReaderNote, ReadOptions, SourceFeature, SourceLayer, SrsResolution } from './reader.types.ts';
import { resolveLimits } from './reader-limits.ts';
import { ReaderError, reasonOf } from './reader-error.ts';
import { formatReaderMessage, type ReaderCode } from './reader-messages.ts';
import { readAll, type ByteSource } from './byte-source.ts';
import { makeFeature, normalizeGeometry } from './geometry.util.ts';
import { resolveSrs, srsMismatch } from './srs.resolver.ts';
import { mapWktToEpsg } from '../crs/prj.mapper.ts';
import type { Extent } from '../crs/srs.inference.ts';
import type { Geometry } from 'geojson';

type Db = Database.Database;

interface LayerInfo {
  table: string;
  geometryColumn: string;
  srsId: number;
  extent: Extent | null;
}

/** Result of decoding a GeoPackage geometry blob. */
export interface GpkgGeometry {
  geometry: Geometry | null;
  hadZ: boolean;
  problem?: { code: ReaderCode; reason: string };
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** Decodes a GeoPackage geometry blob (header + WKB). Never throws. */
export function decodeGpkgGeometry(blob: unknown): GpkgGeometry {
  if (blob === null || blob === undefined) return { geometry: null, hadZ: false };
  if (!Buffer.isBuffer(blob)) return { geometry: null, hadZ: false, problem: { code: 'BAD_GEOMETRY', reason: 'geometry column holds no blob' } };
  let wkb: Buffer = blob;
  if (blob.length >= 8 && blob[0] === 0x47 && blob[1] === 0x50) {
    const flags = blob[3] ?? 0;
    const envelope = (flags >> 1) & 0x07;
    if (envelope > 4) return { geometry: null, hadZ: false, problem: { code: 'BAD_GEOMETRY', reason: `envelope indicator ${envelope}` } };
    if (flags & 0x20) return { geometry: null, hadZ: false, problem: { code: 'UNSUPPORTED_SHAPE', reason: 'extended GeoPackage geometry' } };
    if (flags & 0x10) return { geometry: null, hadZ: false }; // empty geometry flag
    wkb = blob.subarray(8 + (ENVELOPE_BYTES[envelope] ?? 0));
  }
  let parsed: unknown;
  try {
    parsed = wkx.Geometry.parse(wkb).toGeoJSON();
  } catch (error) {
    const type = wkb.length >= 5 ? (wkb[0] === 1 ? wkb.readUInt32LE(1) : wkb.readUInt32BE(1)) % 1000 : -1;
    const code: ReaderCode = type >= 8 && type <= 17 ? 'UNSUPPORTED_SHAPE' : 'BAD_GEOMETRY';
    return { geometry: null, hadZ: false, problem: { code, reason: code === 'UNSUPPORTED_SHAPE' ? `curve or surface WKB type ${type}` : reasonOf(error) } };
  }
  const normalized = normalizeGeometry(parsed);
  return { geometry: normalized.geometry, hadZ: normalized.hadZ, ...(normalized.problem ? { problem: normalized.problem } : {}) };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function listLayers(db: Db, file: string): LayerInfo[] {
  const hasTable = (name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?").get(name) !== undefined;
  if (!hasTable('gpkg_contents') || !hasTable('gpkg_geometry_columns')) {
    throw new ReaderError('GPKG_INVALID', file, { reason: 'no gpkg_contents / gpkg_geometry_columns table' });
  }
  const rows = db
    .prepare(
      `SELECT c.table_name AS t, g.column_name AS col, COALESCE(g.srs_id, c.srs_id) AS srs, c.min_x AS minX, c.min_y AS minY, c.max_x AS maxX, c.max_y AS maxY
         FROM gpkg_contents c JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
        WHERE lower(c.data_type) = 'features' ORDER BY c.rowid`,
    )
    .all() as { t: string; col: string; srs: number | bigint; minX: number | null; minY: number | null; maxX: number | null; maxY: number | null }[];
  return rows.map((r) => ({
    table: r.t,
    geometryColumn: r.col,
    srsId: Number(r.srs),
    extent: r.minX === null || r.minY === null || r.maxX === null || r.maxY === null ? null : { minX: r.minX, minY: r.minY, maxX: r.maxX, maxY: r.maxY },
  }));
}

function scanExtent(db: Db, info: LayerInfo): Extent | null {
  let extent: Extent | null = null;
  const stmt = db.prepare(`SELECT ${quoteIdent(info.geometryColumn)} AS g FROM ${quoteIdent(info.table)}`);
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      extent = extent ? { minX: Math.min(extent.minX, x), minY: Math.min(extent.minY, y), maxX: Math.max(extent.maxX, x), maxY: Math.max(extent.maxY, y) } : { minX: x, minY: y, maxX: x, maxY: y };
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const row of stmt.iterate() as Iterable<{ g: unknown }>) {
    const g = decodeGpkgGeometry(row.g).geometry;
    if (g && 'coordinates' in g) visit(g.coordinates);
  }
  return extent;
}

async function layerSrs(db: Db, info: LayerInfo, file: string, options: ReadOptions, notes: ReaderNote[]): Promise<SrsResolution> {
  if (options.srs === undefined && info.srsId > 0) {
    const row = db.prepare('SELECT organization AS org, organization_coordsys_id AS id, definition AS def FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(info.srsId) as
      | { org: string | null; id: number | bigint | null; def: string | null }
      | undefined;
    let found: SrsResolution | null = null;
    if (row?.org && row.org.toUpperCase() === 'EPSG' && row.id !== null && Number(row.id) > 0) {
      found = { epsg: Number(row.id), how: 'gpkg', detail: `gpkg_spatial_ref_sys srs_id ${info.srsId} = EPSG:${Number(row.id)}` };
    } else if (row?.def && row.def !== 'undefined') {
      const match = mapWktToEpsg(row.def);
      if (match.kind !== 'epsg') throw new ReaderError('SRS_UNRECOGNIZED', file, { reason: `srs_id ${info.srsId}: ${match.reason}` });
      found = { epsg: match.epsg, how: 'gpkg', detail: `srs_id ${info.srsId} definition: ${match.detail}` };
    }
    if (found) {
      const mismatch = srsMismatch(found.epsg, info.extent);
      if (mismatch) notes.push({ code: 'SRS_MISMATCH', message: formatReaderMessage('SRS_MISMATCH', { reason: mismatch }) });
      return found;
    }
  }
  // srs_id 0 / -1 ("undefined geographic / cartesian"), or --srs: option, else the coordinate ranges.
  return resolveSrs({ file, option: options.srs, notes, extent: async () => info.extent ?? scanExtent(db, info) });
}

function plainValue(value: unknown, declared: string): unknown {
  if (/^BOOL/i.test(declared) && (typeof value === 'bigint' || typeof value === 'number')) return Number(value) !== 0;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

/**
 * Opens the feature layers of a GeoPackage (all, or options.layer). A member of a zip is loaded in
 * memory (limits.maxParseBytes). Throws ReaderError GPKG_INVALID, GPKG_NO_LAYERS, LAYER_NOT_FOUND.
 */
export async function openGeoPackage(source: ByteSource, options: ReadOptions = {}): Promise<SourceLayer[]> {
  const limits = resolveLimits(options);
  const bytes = source.localPath ? null : await readAll(source, limits.maxParseBytes);
  // One connection for the metadata, closed before returning; each features() opens its own, so a
  // layer that is never read holds no file handle.
  const connect = (): Db => {
    try {
      const db = bytes ? new Database(bytes) : new Database(source.localPath as string, { readonly: true, fileMustExist: true });
      db.defaultSafeIntegers(true);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return db;
    } catch (error) {
      throw new ReaderError('GPKG_INVALID', source.path, { reason: reasonOf(error) }, {}, error);
    }
  };
  const db = connect();
  try {
    let layers = listLayers(db, source.path);
    if (layers.length === 0) throw new ReaderError('GPKG_NO_LAYERS', source.path);
    if (options.layer !== undefined) {
      const wanted = options.layer.toLowerCase();
      const chosen = layers.filter((l) => l.table.toLowerCase() === wanted);
      if (chosen.length === 0) throw new ReaderError('LAYER_NOT_FOUND', source.path, { layer: options.layer, layers: layers.map((l) => l.table).join(', ') });
      layers = chosen;
    }
    const out: SourceLayer[] = [];
    for (const info of layers) {
      const notes: ReaderNote[] = [];
      const srs = await layerSrs(db, info, source.path, options, notes);
      const columns = db.prepare(`PRAGMA table_info(${quoteIdent(info.table)})`).all() as { name: string; type: string }[];
      const attributes = columns.filter((c) => c.name.toLowerCase() !== info.geometryColumn.toLowerCase());
      let consumed = false;
      out.push({
        file: source.path,
        layer: info.table,
        srs,
        fields: attributes.map((c) => c.name),
        notes,
        features: () => {
          if (consumed) throw new Error(`features() of ${info.table} can be iterated once`);
          consumed = true;
          return (async function* (): AsyncGenerator<SourceFeature> {
            let row = 0;
            let zCount = 0;
            const conn = connect();
            try {
              const stmt = conn.prepare(`SELECT * FROM ${quoteIdent(info.table)}`);
              for (const rec of stmt.iterate() as Iterable<Record<string, unknown>>) {
                row++;
                const properties: Record<string, unknown> = {};
                for (const c of attributes) properties[c.name] = plainValue(rec[c.name], c.type);
                const g = decodeGpkgGeometry(rec[info.geometryColumn]);
                if (g.hadZ) zCount++;
                yield makeFeature(row, properties, g.geometry, g.problem);
              }
            } catch (error) {
              if (error instanceof ReaderError) throw error;
              throw new ReaderError('GPKG_INVALID', source.path, { reason: reasonOf(error) }, { row }, error);
            } finally {
              if (zCount) notes.push({ code: 'Z_DROPPED', message: formatReaderMessage('Z_DROPPED'), count: zCount });
              conn.close();
            }
          })();
        },
      });
    }
    return out;
  } finally {
    db.close();
  }
}
