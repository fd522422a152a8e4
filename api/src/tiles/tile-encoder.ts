import vtpbf, { type GeojsonVtFeature } from 'vt-pbf';
import type { DbKind, Queryable } from '../db/db.types.ts';
import { buildFeaturesQuery, buildMvtQuery, type TileAddress } from './tile-sql.builder.ts';
import { LAYER_DEFS, TILE_EXTENT, type TileLayerName } from './tile-layers.ts';

/**
 * Who encodes the protobuf: `postgis` = ST_AsMVT in the database (native PostGIS only), `node` =
 * geometry prepared in SQL, protobuf written here with vt-pbf (works on both backends).
 */
export type TileEncoder = 'postgis' | 'node';

/** The encoder a backend uses by default: ST_AsMVT where PostGIS has protobuf, Node otherwise. */
export function defaultEncoder(kind: DbKind): TileEncoder {
  return kind === 'postgis' ? 'postgis' : 'node';
}

type Position = [number, number];
interface GeoJsonPolygonal {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: Position[][] | Position[][][];
}

/**
 * GeoJSON Polygon/MultiPolygon (tile units) → the flat ring list of an MVT polygon feature: every
 * polygon's exterior ring followed by its holes. Orientation is already MVT's (set in SQL).
 */
export function polygonRings(geometry: GeoJsonPolygonal): Position[][] {
  if (geometry.type === 'Polygon') return geometry.coordinates as Position[][];
  return (geometry.coordinates as Position[][][]).flat();
}

type FeatureRow = Record<string, unknown> & { id: number | string; geometry: string };

/** Rows of tile-features.sql → vt-pbf features; null attributes are left out, as ST_AsMVT does. */
export function rowsToFeatures(layer: TileLayerName, rows: readonly FeatureRow[]): GeojsonVtFeature[] {
  const fields = Object.keys(LAYER_DEFS[layer].fields);
  const features: GeojsonVtFeature[] = [];
  for (const row of rows) {
    const rings = polygonRings(JSON.parse(row.geometry) as GeoJsonPolygonal);
    if (rings.length === 0) continue;
    const tags: GeojsonVtFeature['tags'] = {};
    for (const f of fields) {
      const v = row[f];
      if (v === null || v === undefined) continue;
      tags[f] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    }
    features.push({ id: Number(row.id), type: 3, geometry: rings, tags });
  }
  return features;
}

/**
 * Renders one tile of `layer` with the chosen encoder. Returns the protobuf bytes, or null for an
 * empty tile (no feature survives clipping). Both encoders give the same features, attributes and
 * geometry (within a tile unit or two where the clippers differ).
 */
export async function renderTile(
  db: Queryable,
  encoder: TileEncoder,
  layer: TileLayerName,
  tile: TileAddress,
  filterValues: readonly unknown[],
): Promise<Buffer | null> {
  if (encoder === 'postgis') {
    const q = buildMvtQuery(layer, tile, filterValues);
    const { rows } = await db.query<{ mvt: Uint8Array | null }>(q.text, q.values);
    const bytes = rows[0]?.mvt;
    return bytes && bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
  }
  const q = buildFeaturesQuery(layer, tile, filterValues);
  const { rows } = await db.query<FeatureRow>(q.text, q.values);
  const features = rowsToFeatures(layer, rows);
  if (features.length === 0) return null;
  const pbf = vtpbf.fromGeojsonVt({ [layer]: { features } }, { version: 2, extent: TILE_EXTENT });
  return Buffer.from(pbf.buffer, pbf.byteOffset, pbf.byteLength);
}
