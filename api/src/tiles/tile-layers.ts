/**
 * The vector-tile layers LandWatch serves: one allow-list that routes, SQL builders, TileJSON and the
 * OpenAPI fragment all read, so a layer exists everywhere or nowhere.
 */
import { CONSTRAINT_KINDS } from '../imports/kind-profiles.ts';

/** Constraint layer kinds (table `constraint_feature`), drawn under the subjects and suspects. */
export const CONSTRAINT_LAYERS = CONSTRAINT_KINDS;

/** Every layer name accepted in `/tiles/{layer}/…`; the MVT layer inside each tile has the same name. */
export const TILE_LAYERS = [...CONSTRAINT_LAYERS, 'district', 'building', 'change_patch', 'suspects'] as const;
export type TileLayerName = (typeof TILE_LAYERS)[number];

/** Tables whose writes are logged in `tile_change` (0004_tiles.sql); a layer depends on some of them. */
export type DataSource = 'dataset' | 'constraint_feature' | 'subject' | 'district' | 'suspect';

/** Where a layer's rows come from; picks the layer SQL and the filters it accepts. */
export type LayerSource = 'constraint' | 'district' | 'subject' | 'suspect';

/** MVT attribute types as TileJSON's `vector_layers[].fields` names them. */
type FieldType = 'Number' | 'String' | 'Boolean';

/** One tile layer: what it draws, from where, at which zooms, with which attributes. */
export interface TileLayerDef {
  name: TileLayerName;
  source: LayerSource;
  /** Human title for TileJSON and the map legend fallback. */
  title: { zh: string; en: string };
  /** Tables whose changes make this layer's cached tiles stale. */
  dependsOn: readonly DataSource[];
  /**
   * Lowest zoom served; below it the tile is empty (204). Buildings and patches are too many and too
   * small to draw for a whole county — the map shows suspects as hexagons there instead.
   */
  minzoom: number;
  /** Highest zoom with new detail; clients over-zoom beyond it. */
  maxzoom: number;
  /**
   * The attributes in each feature besides the MVT feature id, in output order, with their TileJSON
   * types. Names are SQL column aliases chosen here (quoted identifiers), never taken from a request.
   */
  fields: Readonly<Record<string, FieldType>>;
  /** Descriptions of the fields for TileJSON. */
  fieldDocs: Readonly<Record<string, string>>;
}

const CONSTRAINT_TITLES: Record<(typeof CONSTRAINT_LAYERS)[number], { zh: string; en: string }> = {
  basic_farmland: { zh: '永久基本农田', en: 'Permanent basic farmland' },
  cultivated_land: { zh: '耕地', en: 'Cultivated land' },
  planning_zone: { zh: '国土空间规划', en: 'Planning zones' },
  development_boundary: { zh: '城镇开发边界', en: 'Urban development boundary' },
  ecological_redline: { zh: '生态保护红线', en: 'Ecological red line' },
  public_passage: { zh: '公共通道', en: 'Public passages' },
  permit: { zh: '审批范围', en: 'Approvals and permits' },
  demolished_site: { zh: '已拆除地块', en: 'Demolished sites' },
};

const constraintFields = { code: 'String', name: 'String', sourceId: 'String' } as const;
const constraintDocs = {
  code: 'Classification code: DLBM (三调) or the planning use code (用地用海 2023)',
  name: 'Name of the class or feature (DLMC, zone name …)',
  sourceId: 'Identifier in the delivered file (BSM …)',
};

function constraintLayer(name: (typeof CONSTRAINT_LAYERS)[number]): TileLayerDef {
  return {
    name,
    source: 'constraint',
    title: CONSTRAINT_TITLES[name],
    dependsOn: ['dataset', 'constraint_feature'],
    minzoom: 8,
    maxzoom: 18,
    fields: constraintFields,
    fieldDocs: constraintDocs,
  };
}

/** The definition of every layer, by name. */
export const LAYER_DEFS: Readonly<Record<TileLayerName, TileLayerDef>> = {
  ...(Object.fromEntries(CONSTRAINT_LAYERS.map((k) => [k, constraintLayer(k)])) as Record<
    (typeof CONSTRAINT_LAYERS)[number],
    TileLayerDef
  >),
  district: {
    name: 'district',
    source: 'district',
    title: { zh: '行政区', en: 'Administrative districts' },
    dependsOn: ['district'],
    minzoom: 0,
    maxzoom: 16,
    fields: { code: 'String', name: 'String', level: 'String' },
    fieldDocs: {
      code: '12-digit district code (6 county + 3 township + 3 village); the feature id is the same number',
      name: 'District name',
      level: 'province | city | county | township | village',
    },
  },
  building: {
    name: 'building',
    source: 'subject',
    title: { zh: '建筑物', en: 'Buildings' },
    dependsOn: ['dataset', 'subject'],
    minzoom: 14,
    maxzoom: 18,
    fields: { sourceId: 'String', epoch: 'String' },
    fieldDocs: { sourceId: 'Identifier in the delivered file', epoch: 'Survey epoch, YYYY-MM-DD' },
  },
  change_patch: {
    name: 'change_patch',
    source: 'subject',
    title: { zh: '变化图斑', en: 'Change patches' },
    dependsOn: ['dataset', 'subject'],
    minzoom: 10,
    maxzoom: 18,
    fields: { sourceId: 'String', epoch: 'String' },
    fieldDocs: { sourceId: 'Monitoring number (JCBH) or source id', epoch: 'Imagery epoch, YYYY-MM-DD' },
  },
  suspects: {
    name: 'suspects',
    source: 'suspect',
    title: { zh: '疑似违法图斑', en: 'Suspects' },
    dependsOn: ['suspect'],
    minzoom: 8,
    maxzoom: 18,
    fields: {
      severity: 'String',
      rules: 'String',
      status: 'String',
      isNew: 'Boolean',
      district: 'String',
      areaM2: 'Number',
    },
    fieldDocs: {
      severity: 'light | general | serious',
      rules: 'Rule codes that fired, comma-separated (FARMLAND,NO_PERMIT …)',
      status: 'new | confirmed | dismissed | in_progress | resolved',
      isNew: 'true when new since the baseline epoch (增量), false for stock (存量)',
      district: '12-digit code of the district holding most of the suspect',
      areaM2: 'Ellipsoidal area in m², rounded',
    },
  },
};

/** Whether a string names a served layer (the route's allow-list check). */
export function isTileLayer(name: string): name is TileLayerName {
  return (TILE_LAYERS as readonly string[]).includes(name);
}

/** MVT extent (tile units per tile side) and buffer used by both encoders. */
export const TILE_EXTENT = 4096;
/** Buffer around the tile in tile units, so outlines do not show seams at tile edges. */
export const TILE_BUFFER = 64;
/** Highest zoom accepted in a tile path. */
export const MAX_TILE_ZOOM = 22;
