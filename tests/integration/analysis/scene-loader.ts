/**
 * Test helper: puts small layers straight into the database (a dataset row + its features), the way
 * the importer publishes them, so rule tests do not depend on file readers. Areas are ellipsoidal
 * (ST_Area(geom::geography)) and geom_hash = md5(ST_AsBinary(geom)), as in publish-*.sql.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../../api/src/db/db.types.ts';

/** A GeoJSON Polygon or MultiPolygon in EPSG:4490 lon/lat. */
export interface PolygonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

/** One feature of a test layer. `id` becomes the source id; districts need `code` (12 digits) and `level`. */
export interface FeatureInput {
  id?: string | null;
  code?: string;
  name?: string;
  level?: 'county' | 'township' | 'village';
  properties?: Record<string, unknown>;
  geometry: PolygonGeometry;
}

/** One test layer: a kind, a layer name, an epoch for buildings, its features. */
export interface LayerInput {
  kind: string;
  name: string;
  epoch?: string;
  /** SRID of the coordinates when not EPSG:4490 (e.g. 4547, GK CM 114E); transformed on insert. */
  srid?: number;
  features: FeatureInput[];
}

/**
 * Inserts a layer as the new active version of (kind, name); the previous active version, if any, is
 * superseded (as a re-import does). Returns the new dataset id.
 */
export async function insertLayer(db: Db, layer: LayerInput): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows: old } = await tx.query<{ id: number }>(
      "UPDATE dataset SET status = 'superseded', superseded_at = now() WHERE kind = $1 AND name = $2 AND status = 'active' RETURNING id",
      [layer.kind, layer.name],
    );
    const sha = createHash('sha256').update(JSON.stringify(layer)).update(String(Math.random())).digest('hex');
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO dataset (kind, name, version, epoch, source_file, source_sha256, options_hash, source_srs, feature_count)
       SELECT $1, $2, coalesce(max(version), 0) + 1, $3::date, $4, $5, 'test', 'EPSG:4490', $6 FROM dataset WHERE kind = $1 AND name = $2
       RETURNING id`,
      [layer.kind, layer.name, layer.epoch ?? null, `${layer.name}.geojson`, sha, layer.features.length],
    );
    const datasetId = (rows[0] as { id: number }).id;
    for (const o of old) await tx.query('UPDATE dataset SET superseded_by = $2 WHERE id = $1', [o.id, datasetId]);
    if (layer.kind === 'district') await insertDistricts(tx, datasetId, layer.features, layer.srid ?? 4490);
    else if (layer.kind === 'building' || layer.kind === 'change_patch') await insertSubjects(tx, datasetId, layer);
    else await insertConstraints(tx, datasetId, layer);
    return datasetId;
  });
}

/** SQL for GeoJSON text (a $n parameter or a column) in SRID $s, as a MultiPolygon in EPSG:4490. */
const geomSql = (g: number | string, s: number) =>
  `ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${typeof g === 'number' ? `$${g}` : g}), $${s}::int), 4490))`;

// One statement per layer (unnest of arrays): a test town loads in a second, not a minute.
async function insertSubjects(tx: Queryable, datasetId: number, layer: LayerInput): Promise<void> {
  const f = layer.features;
  await tx.query(
    `INSERT INTO subject (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
     SELECT $1, $2, $3::date, x.row_number, x.source_id, x.attrs::jsonb, x.g, md5(ST_AsBinary(x.g)), ST_Area(x.g::geography)
     FROM (SELECT u.row_number, u.source_id, u.attrs, ${geomSql('u.geojson', 8)} AS g
           FROM unnest($4::int[], $5::text[], $6::text[], $7::text[]) AS u(row_number, source_id, attrs, geojson)) x`,
    [
      datasetId,
      layer.kind,
      layer.epoch ?? null,
      f.map((_, i) => i + 1),
      f.map((x) => x.id ?? null),
      f.map((x) => JSON.stringify(x.properties ?? {})),
      f.map((x) => JSON.stringify(x.geometry)),
      layer.srid ?? 4490,
    ],
  );
}

async function insertConstraints(tx: Queryable, datasetId: number, layer: LayerInput): Promise<void> {
  const f = layer.features;
  await tx.query(
    `INSERT INTO constraint_feature (dataset_id, kind, row_number, source_id, code, name, attrs, geom, area_m2)
     SELECT $1, $2, x.row_number, x.source_id, x.code, x.name, x.attrs::jsonb, x.g, ST_Area(x.g::geography)
     FROM (SELECT u.row_number, u.source_id, u.code, u.name, u.attrs, ${geomSql('u.geojson', 9)} AS g
           FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                AS u(row_number, source_id, code, name, attrs, geojson)) x`,
    [
      datasetId,
      layer.kind,
      f.map((_, i) => i + 1),
      f.map((x) => x.id ?? null),
      f.map((x) => x.code ?? null),
      f.map((x) => x.name ?? null),
      f.map((x) => JSON.stringify(x.properties ?? {})),
      f.map((x) => JSON.stringify(x.geometry)),
      layer.srid ?? 4490,
    ],
  );
}

async function insertDistricts(tx: Queryable, datasetId: number, features: FeatureInput[], srid: number): Promise<void> {
  await tx.query('DELETE FROM district');
  for (const f of features) {
    if (!f.code || !f.level) throw new Error('district features need code and level');
    const parent = f.level === 'village' ? `${f.code.slice(0, 9)}000` : f.level === 'township' ? `${f.code.slice(0, 6)}000000` : null;
    await tx.query(
      `INSERT INTO district (code, name, level, parent_code, dataset_id, geom, area_m2)
       SELECT $1, $2, $3, $4, $5, g, ST_Area(g::geography) FROM (SELECT ${geomSql(6, 7)} AS g) x`,
      [f.code, f.name ?? f.code, f.level, parent, datasetId, JSON.stringify(f.geometry), srid],
    );
  }
}

/** Empties every table the analysis reads or writes, so one database can serve many fixture cases. */
export async function resetDatabase(db: Db): Promise<void> {
  await db.exec(
    'TRUNCATE finding, case_event, suspect, analysis_run, subject, constraint_feature, district, dataset, job RESTART IDENTITY CASCADE',
  );
}

// GRS80 (CGCS2000) radii of curvature at the fixtures' origin, to place shapes given in metres.
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);

/** Converts metres east/north of (lon0, lat0) to lon/lat on the CGCS2000 ellipsoid (exact to ~1e-6 over 1 km). */
export function metresToLonLat(x: number, y: number, lon0 = 114.0, lat0 = 22.9): [number, number] {
  const phi = (lat0 * Math.PI) / 180;
  const w = 1 - E2 * Math.sin(phi) ** 2;
  const m = (A * (1 - E2)) / w ** 1.5;
  const n = A / Math.sqrt(w);
  return [lon0 + ((x / (n * Math.cos(phi))) * 180) / Math.PI, lat0 + ((y / m) * 180) / Math.PI];
}

/** A rectangle given in metres (x, y of the south-west corner, width, height) as a GeoJSON Polygon. */
export function rectM(x: number, y: number, w: number, h: number): PolygonGeometry {
  const ring = [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
    [x, y],
  ].map(([px, py]) => metresToLonLat(px as number, py as number));
  return { type: 'Polygon', coordinates: [ring] };
}
