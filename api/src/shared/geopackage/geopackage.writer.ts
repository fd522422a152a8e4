import { existsSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { encodeGpkgGeometry, readGpkgEnvelope, type GpkgEnvelope, type GpkgGeometry } from './gpkg-geometry.encoder.ts';
import { GPKG_SRS_4326, type GpkgSrs } from './gpkg-srs.builder.ts';

export { GPKG_SRS_4326, GPKG_SRS_4490, gpkgSrsForCgcs2000Gk3, type GpkgSrs } from './gpkg-srs.builder.ts';
export type { GpkgGeometry, GpkgPosition } from './gpkg-geometry.encoder.ts';

/** Geometry type of a feature layer (2D). MULTI* layers also accept the single type (promoted). */
export type GpkgGeometryType = 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON' | 'GEOMETRY';

/**
 * Attribute column. TEXT is UTF-8 (GeoPackage allows nothing else); DATE is 'YYYY-MM-DD',
 * DATETIME is ISO 8601 UTC; BOOLEAN is stored as 0/1.
 */
export interface GpkgField {
  readonly name: string;
  readonly type: 'TEXT' | 'INTEGER' | 'REAL' | 'DATE' | 'DATETIME' | 'BOOLEAN';
  /** TEXT(n): declared maximum characters (informational for readers; longer text is rejected). */
  readonly maxLength?: number;
}

/** A feature layer to create. */
export interface GpkgLayerSpec {
  /** Table name; must not start with gpkg_, rtree_ or sqlite_. */
  readonly name: string;
  readonly geometryType: GpkgGeometryType;
  /** srs_id of a registered SRS (see {@link GeoPackageWriter.registerSrs}). */
  readonly srsId: number;
  readonly fields: readonly GpkgField[];
  /** Geometry column name, default 'geom'. */
  readonly geometryColumn?: string;
  readonly identifier?: string;
  readonly description?: string;
  /** Build the gpkg_rtree_index spatial index (default true; GDAL/QGIS use it for bbox queries). */
  readonly spatialIndex?: boolean;
}

/** Options of {@link GeoPackageWriter.create}. */
export interface GeoPackageWriterOptions {
  readonly path: string;
  /** Replace an existing file (default false: throw when it exists). */
  readonly overwrite?: boolean;
  /** last_change written to gpkg_contents; default now. Pass a fixed date for reproducible files. */
  readonly timestamp?: Date;
}

type Value = string | number | bigint | boolean | Date | null | undefined;

const COMMIT_EVERY = 10_000;
const RESERVED = /^(gpkg_|rtree_|sqlite_)/i;
const CORE_SQL = readFileSync(new URL('./gpkg-core.sql', import.meta.url), 'utf8');
const RTREE_SQL = readFileSync(new URL('./gpkg-rtree.sql', import.meta.url), 'utf8');

/** Quotes an SQL identifier (any text is safe once quoted). */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Writes a GeoPackage (OGC 1.3) with one or more 2D feature layers through better-sqlite3.
 * Synchronous; rows are committed in batches so memory stays bounded. Coordinates are stored as
 * given in the layer's SRS. Call {@link close} to finish (extents, last_change); {@link abort}
 * deletes the file.
 */
export class GeoPackageWriter {
  private readonly layers: GpkgLayerWriter[] = [];
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    /** Path of the file being written. */
    readonly path: string,
    private readonly timestamp: string | null,
  ) {}

  /** Creates the file with the core tables and the SRS rows -1, 0 and 4326. */
  static create(options: GeoPackageWriterOptions): GeoPackageWriter {
    if (existsSync(options.path)) {
      if (!options.overwrite) throw new Error(`${options.path} exists (pass overwrite: true to replace it)`);
      rmSync(options.path);
    }
    const db = new Database(options.path);
    try {
      db.pragma('application_id = 1196444487'); // 'GPKG'
      db.pragma('user_version = 10300'); // GeoPackage 1.3
      db.pragma('foreign_keys = ON');
      registerSqlFunctions(db);
      db.exec(CORE_SQL);
      const w = new GeoPackageWriter(db, options.path, options.timestamp ? options.timestamp.toISOString() : null);
      w.registerSrs(GPKG_SRS_4326);
      db.exec('BEGIN');
      return w;
    } catch (err) {
      db.close();
      rmSync(options.path, { force: true });
      throw err;
    }
  }

  /**
   * Adds a row to gpkg_spatial_ref_sys. Registering the same srs_id again with the same
   * definition is a no-op; with a different definition it throws.
   */
  registerSrs(srs: GpkgSrs): void {
    const existing = this.db.prepare('SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srs.srsId) as { definition: string } | undefined;
    if (existing) {
      if (existing.definition !== srs.definition) throw new Error(`srs_id ${srs.srsId} is already registered with another definition`);
      return;
    }
    this.db
      .prepare('INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)')
      .run(srs.srsName, srs.srsId, srs.organization, srs.organizationCoordsysId, srs.definition, srs.description ?? null);
  }

  /** Creates a feature table (fid INTEGER PRIMARY KEY + geometry + fields) and returns its writer. */
  createLayer(spec: GpkgLayerSpec): GpkgLayerWriter {
    this.assertOpen();
    const geomCol = spec.geometryColumn ?? 'geom';
    if (RESERVED.test(spec.name) || spec.name.trim() === '') throw new Error(`layer name "${spec.name}" is empty or reserved`);
    const names = new Set(['fid', geomCol.toLowerCase()]);
    for (const f of spec.fields) {
      const key = f.name.toLowerCase(); // SQLite column names are case-insensitive
      if (f.name.trim() === '' || names.has(key)) throw new Error(`layer "${spec.name}": column name "${f.name}" is empty or duplicated`);
      names.add(key);
    }
    if (!this.db.prepare('SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(spec.srsId)) {
      throw new Error(`layer "${spec.name}": srs_id ${spec.srsId} is not registered`);
    }
    const cols = spec.fields.map((f) => `${ident(f.name)} ${f.type}${f.type === 'TEXT' && f.maxLength ? `(${f.maxLength})` : ''}`);
    this.db.exec(
      `CREATE TABLE ${ident(spec.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, ${ident(geomCol)} ${spec.geometryType}${cols.map((c) => ', ' + c).join('')})`,
    );
    this.db
      .prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, ?, ?, ?, ?, ?)')
      .run(spec.name, 'features', spec.identifier ?? spec.name, spec.description ?? '', this.timestamp ?? new Date().toISOString(), spec.srsId);
    this.db
      .prepare('INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)')
      .run(spec.name, geomCol, spec.geometryType, spec.srsId);
    if (spec.spatialIndex ?? true) {
      const vars: Record<string, string> = { rtree: ident(`rtree_${spec.name}_${geomCol}`), t: ident(spec.name), c: ident(geomCol), i: 'fid' };
      this.db.exec(
        RTREE_SQL.replace(/\{trigger:(\w+)\}/g, (_m, s: string) => ident(`rtree_${spec.name}_${geomCol}_${s}`)).replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m),
      );
      this.db
        .prepare('INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, ?, ?, ?)')
        .run(spec.name, geomCol, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
    }
    const insert = this.db.prepare(
      `INSERT INTO ${ident(spec.name)} (${[geomCol, ...spec.fields.map((f) => f.name)].map(ident).join(', ')}) VALUES (${['?', ...spec.fields.map(() => '?')].join(', ')})`,
    );
    const layer = new GpkgLayerWriter(spec, insert, () => this.rowAdded());
    this.layers.push(layer);
    return layer;
  }

  /** Commits, writes each layer's extent into gpkg_contents and closes the database. */
  close(): void {
    this.assertOpen();
    for (const l of this.layers) {
      const e = l.extent;
      this.db
        .prepare('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?')
        .run(e ? e[0] : null, e ? e[2] : null, e ? e[1] : null, e ? e[3] : null, l.name);
    }
    this.db.exec('COMMIT');
    this.closed = true;
    this.db.close();
  }

  /** Closes the database and deletes the file. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
    rmSync(this.path, { force: true });
  }

  private rowAdded(): void {
    this.assertOpen();
    if (++this.pending >= COMMIT_EVERY) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.pending = 0;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('GeoPackageWriter is closed');
  }
}

/** Appends features to one layer; obtained from {@link GeoPackageWriter.createLayer}. */
export class GpkgLayerWriter {
  private count = 0;
  private env: GpkgEnvelope | null = null;

  constructor(
    private readonly spec: GpkgLayerSpec,
    private readonly insert: Database.Statement,
    private readonly onRow: () => void,
  ) {}

  /** Table name. */
  get name(): string {
    return this.spec.name;
  }

  /** Rows added so far. */
  get featureCount(): number {
    return this.count;
  }

  /** Extent [minX, maxX, minY, maxY] of all geometries; null when none was written. */
  get extent(): GpkgEnvelope | null {
    return this.env;
  }

  /**
   * Adds one feature (geometry in the layer's SRS, or null) and returns its fid. Throws when the
   * geometry type does not fit the layer or a value does not fit its column.
   */
  add(geometry: GpkgGeometry | null, properties: Readonly<Record<string, Value>> = {}): number {
    let blob: Buffer | null = null;
    if (geometry) {
      const g = fitGeometry(this.spec.geometryType, geometry, this.spec.name);
      const enc = encodeGpkgGeometry(g, this.spec.srsId);
      blob = enc.blob;
      const e = enc.envelope;
      if (e) this.env = this.env ? [Math.min(this.env[0], e[0]), Math.max(this.env[1], e[1]), Math.min(this.env[2], e[2]), Math.max(this.env[3], e[3])] : e;
    }
    const values = this.spec.fields.map((f) => toSql(f, properties[f.name], this.spec.name));
    const info = this.insert.run(blob, ...values);
    this.count++;
    this.onRow();
    return Number(info.lastInsertRowid);
  }
}

function fitGeometry(layerType: GpkgGeometryType, g: GpkgGeometry, layer: string): GpkgGeometry {
  const t = g.type.toUpperCase();
  if (layerType === 'GEOMETRY' || layerType === t) return g;
  if (layerType === 'MULTIPOLYGON' && g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (layerType === 'MULTILINESTRING' && g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (layerType === 'MULTIPOINT' && g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  throw new Error(`layer "${layer}" (${layerType}) cannot hold a ${g.type}`);
}

function toSql(f: GpkgField, v: Value, layer: string): string | number | bigint | null {
  if (v === null || v === undefined) return null;
  const bad = (): Error => new TypeError(`layer "${layer}", column "${f.name}" (${f.type}): unsupported value ${JSON.stringify(String(v))}`);
  switch (f.type) {
    case 'TEXT': {
      const s = v instanceof Date ? v.toISOString() : String(v);
      if (f.maxLength && [...s].length > f.maxLength) throw new RangeError(`layer "${layer}", column "${f.name}": text longer than ${f.maxLength} characters`);
      return s;
    }
    case 'INTEGER':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      throw bad();
    case 'REAL':
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      throw bad();
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v ? 1 : 0;
      throw bad();
    case 'DATE':
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      throw bad();
    case 'DATETIME':
      if (v instanceof Date) return v.toISOString();
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(v)) return v;
      throw bad();
  }
}

/** Registers the GeoPackage SQL functions the R-tree triggers call (envelope-based). */
function registerSqlFunctions(db: Database.Database): void {
  const env = (blob: unknown): GpkgEnvelope | null => (blob instanceof Uint8Array ? readGpkgEnvelope(blob) : null);
  const opts = { deterministic: true } as const;
  db.function('ST_IsEmpty', opts, (b: unknown) => (b instanceof Uint8Array && b.length >= 4 ? ((b[3] ?? 0) & 0x10 ? 1 : 0) : null));
  db.function('ST_MinX', opts, (b: unknown) => env(b)?.[0] ?? null);
  db.function('ST_MaxX', opts, (b: unknown) => env(b)?.[1] ?? null);
  db.function('ST_MinY', opts, (b: unknown) => env(b)?.[2] ?? null);
  db.function('ST_MaxY', opts, (b: unknown) => env(b)?.[3] ?? null);
}
