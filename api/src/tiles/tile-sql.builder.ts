import { sqlFile } from '../db/sql-file.ts';
import { LAYER_DEFS, TILE_BUFFER, TILE_EXTENT, type LayerSource, type TileLayerName } from './tile-layers.ts';

const LAYER_SQL: Record<LayerSource, string> = {
  constraint: sqlFile(import.meta.url, 'sql/layer-constraint.sql'),
  district: sqlFile(import.meta.url, 'sql/layer-district.sql'),
  subject: sqlFile(import.meta.url, 'sql/layer-subject.sql'),
  suspect: sqlFile(import.meta.url, 'sql/layer-suspects.sql'),
};
const MVT_SQL = sqlFile(import.meta.url, 'sql/tile-mvt.sql');
const FEATURES_SQL = sqlFile(import.meta.url, 'sql/tile-features.sql');

/** A statement and its `$n` values. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** One tile's address. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

// Column aliases come from LAYER_DEFS (constants), never from a request; quoting keeps camelCase.
function attributeList(layer: TileLayerName): string {
  const names = ['id', ...Object.keys(LAYER_DEFS[layer].fields)];
  for (const n of names) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(n)) throw new Error(`bad tile attribute name ${n}`);
  return names.map((n) => `src."${n}"`).join(', ');
}

// The layer SQL files start with comment lines; they are kept (harmless inside the CTE).
function compose(template: string, layer: TileLayerName): string {
  const def = LAYER_DEFS[layer];
  return template.replace('/*layer*/', LAYER_SQL[def.source].trim()).replaceAll('/*attributes*/', attributeList(layer));
}

const composed = new Map<string, string>();
function cached(kind: 'mvt' | 'features', layer: TileLayerName, build: () => string): string {
  const key = `${kind}:${layer}`;
  let text = composed.get(key);
  if (text === undefined) {
    text = build();
    composed.set(key, text);
  }
  return text;
}

/**
 * The ST_AsMVT statement of a tile (native PostGIS): one row `{ mvt: Buffer }`, empty when the tile
 * has no feature. `filterValues` are the layer's own parameters from parseTileFilters.
 */
export function buildMvtQuery(layer: TileLayerName, tile: TileAddress, filterValues: readonly unknown[]): SqlQuery {
  const values = [tile.z, tile.x, tile.y, TILE_EXTENT, TILE_BUFFER, ...filterValues, layer];
  const text = cached('mvt', layer, () => compose(MVT_SQL, layer)).replace('/*layer_name*/', `$${values.length}::text`);
  return { text, values };
}

/**
 * The statement returning a tile's features in tile coordinates for the Node encoder: rows with the
 * layer's attributes, `id`, and `geometry` (GeoJSON text of a Polygon/MultiPolygon, integer tile units).
 */
export function buildFeaturesQuery(layer: TileLayerName, tile: TileAddress, filterValues: readonly unknown[]): SqlQuery {
  const values = [tile.z, tile.x, tile.y, TILE_EXTENT, TILE_BUFFER, ...filterValues];
  return { text: cached('features', layer, () => compose(FEATURES_SQL, layer)), values };
}
