import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';
import { DISTRICT_LEVELS, RULE_CODES, SEVERITIES, STATUSES } from './tile-filters.ts';
import { TILE_LAYERS } from './tile-layers.ts';

const csv = (values: readonly string[], description: string) => ({
  type: 'string',
  description: `${description}; one or several, comma-separated, from: ${values.join(', ')}`,
  examples: [values[0]],
});
const layerParam = { name: 'layer', in: 'path', required: true, schema: { type: 'string', enum: [...TILE_LAYERS] } };
const filterParams = [
  { name: 'rule', in: 'query', schema: csv(RULE_CODES, 'suspects: rule codes that fired (any of)') },
  { name: 'severity', in: 'query', schema: csv(SEVERITIES, 'suspects: severity') },
  { name: 'status', in: 'query', schema: csv(STATUSES, 'suspects: status') },
  {
    name: 'district',
    in: 'query',
    schema: { type: 'string', pattern: '^[0-9]{2,12}$', description: 'suspects: district code or its leading digits (440305000000 = 440305)' },
  },
  { name: 'epoch', in: 'query', schema: { type: 'string', format: 'date', description: 'suspects, building, change_patch: survey epoch' } },
  { name: 'minArea', in: 'query', schema: { type: 'number', minimum: 0, description: 'suspects: smallest area in m²' } },
  { name: 'level', in: 'query', schema: csv(DISTRICT_LEVELS, 'district: levels to draw') },
  { name: 'v', in: 'query', schema: { type: 'string', maxLength: 64, description: 'Ignored; lets a client bust its own HTTP cache' } },
];

/** OpenAPI description of the tile routes and the map client's configuration and search. */
export const tilesOpenApi: OpenApiFragment = {
  schemas: {
    TileJson: {
      type: 'object',
      description: 'TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0)',
      required: ['tilejson', 'tiles', 'vector_layers'],
      properties: {
        tilejson: { const: '3.0.0' },
        name: { type: 'string' },
        tiles: { type: 'array', items: { type: 'string' } },
        minzoom: { type: 'integer' },
        maxzoom: { type: 'integer' },
        bounds: { type: 'array', items: { type: 'number' }, description: '[minLon, minLat, maxLon, maxLat]' },
        vector_layers: { type: 'array', items: { type: 'object' } },
        epochs: { type: 'array', items: { type: 'string', format: 'date' }, description: 'building, change_patch: epochs present' },
      },
    },
  },
  paths: {
    '/tiles/{layer}/{z}/{x}/{y}.mvt': {
      get: {
        operationId: 'getVectorTile',
        summary: 'Mapbox vector tile of one layer / 矢量瓦片',
        description:
          'One MVT layer named like the path layer, extent 4096, buffer 64, EPSG:3857 tiling. Features carry the id ' +
          'and only the attributes the map styles and pops up. ST_AsMVT on native PostGIS; on the embedded PGlite ' +
          'backend (no protobuf) the same tile is clipped in SQL and encoded in Node. Cached in process, keyed on the ' +
          'data version, so an edit shows in the next tile. Below the layer minzoom the tile is empty.',
        tags: ['tiles'],
        parameters: [
          layerParam,
          { name: 'z', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 22 } },
          { name: 'x', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          { name: 'y', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          ...filterParams,
          { name: 'If-None-Match', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The tile (gzip when accepted); ETag and Cache-Control: no-cache',
            content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
          },
          '204': { description: 'Empty tile: no feature here' },
          '304': { description: 'Not modified (If-None-Match matched the ETag)' },
          '400': problemResponse('Bad tile address or filter (not in the allow-list)'),
          '404': problemResponse('Unknown layer'),
        },
      },
    },
    '/tiles/{layer}.json': {
      get: {
        operationId: 'getTileJson',
        summary: 'TileJSON 3.0 of one layer / 图层 TileJSON',
        description: 'Filters given here are carried into the tiles URL.',
        tags: ['tiles'],
        parameters: [layerParam, ...filterParams],
        responses: {
          '200': { description: 'TileJSON', content: { 'application/json': { schema: { $ref: '#/components/schemas/TileJson' } } } },
          '400': problemResponse('Bad filter'),
          '404': problemResponse('Unknown layer'),
        },
      },
    },
    '/api/map-config': {
      get: {
        operationId: 'getMapConfig',
        summary: 'Settings of the web map: basemap, layers, filter vocabularies, data extent / 地图配置',
        description:
          'basemap is null unless LANDWATCH_BASEMAP_URL or LANDWATCH_TIANDITU_TOKEN is set (offline default); ' +
          'basemap.shifted is true for GCJ-02/BD-09 providers, which the map warns about.',
        tags: ['map'],
        responses: {
          '200': {
            description: 'Map configuration',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    basemap: {
                      type: ['object', 'null'],
                      properties: {
                        provider: { type: 'string', enum: ['tianditu', 'xyz'] },
                        tiles: { type: 'array', items: { type: 'string' } },
                        labels: { type: 'array', items: { type: 'string' } },
                        crs: { type: 'string', enum: ['wgs84', 'cgcs2000', 'gcj02'] },
                        shifted: { type: 'boolean' },
                        attribution: { type: 'string' },
                      },
                    },
                    bounds: { type: ['array', 'null'], items: { type: 'number' } },
                    layers: { type: 'array', items: { type: 'object' } },
                    filters: { type: 'object' },
                    exportUrl: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/api/map-points': {
      get: {
        operationId: 'getSuspectPoints',
        summary: 'A point per active suspect, for the hexagon/heatmap view at low zoom / 疑似图斑点位',
        description: 'Same filters as the suspect tiles. Points are on the suspect surface (ST_PointOnSurface), EPSG:4490.',
        tags: ['map'],
        parameters: filterParams.filter((p) => !['level', 'v'].includes(p.name)),
        responses: {
          '200': {
            description: 'points: [id, lon, lat, severity (0 light, 1 general, 2 serious, -1 none), area m²]; truncated when over 200 000',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    points: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 5, maxItems: 5 } },
                    truncated: { type: 'boolean' },
                  },
                },
              },
            },
          },
          '400': problemResponse('Bad filter'),
        },
      },
    },
    '/api/map-search': {
      get: {
        operationId: 'searchMap',
        summary: 'Find a suspect (id, source id), district (name, code) or feature (source id) / 地图搜索',
        tags: ['map'],
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 100 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 8 } },
        ],
        responses: {
          '200': {
            description: 'Hits with their extent (EPSG:4490); empty when nothing matches',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    results: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          type: { type: 'string', enum: ['suspect', 'district', 'feature', 'subject'] },
                          id: { type: 'string' },
                          label: { type: ['string', 'null'] },
                          detail: { type: ['string', 'null'] },
                          bbox: { type: 'array', items: { type: 'number' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          '400': problemResponse('Missing or too long query'),
        },
      },
    },
  },
};
