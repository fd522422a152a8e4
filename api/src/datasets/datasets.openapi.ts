import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';
import { KINDS } from '../imports/kind-profiles.ts';

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };

/** OpenAPI description of the dataset routes. */
export const datasetsOpenApi: OpenApiFragment = {
  schemas: {
    Dataset: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        kind: { type: 'string', enum: [...KINDS] },
        name: { type: 'string' },
        version: { type: 'integer' },
        status: { type: 'string', enum: ['active', 'superseded'] },
        epoch: { type: ['string', 'null'], format: 'date' },
        source_file: { type: 'string' },
        source_srs: { type: 'string', examples: ['EPSG:4547'] },
        encoding: { type: ['string', 'null'] },
        feature_count: { type: 'integer' },
        repaired_count: { type: 'integer' },
        rejected_count: { type: 'integer' },
        bbox: { type: ['array', 'null'], items: { type: 'number' }, description: '[minLon, minLat, maxLon, maxLat], EPSG:4490' },
      },
    },
  },
  paths: {
    '/api/datasets': {
      post: {
        operationId: 'importDataset',
        summary: 'Upload a survey file and import it as a new layer version (job) / 上传并导入数据',
        tags: ['datasets'],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file', 'kind'],
                properties: {
                  file: { type: 'array', items: { type: 'string', format: 'binary' }, description: '.zip, .shp + sidecars, .gpkg, .geojson, .csv, .kml' },
                  kind: { type: 'string', enum: [...KINDS] },
                  name: { type: 'string' },
                  epoch: { type: 'string', format: 'date' },
                  srs: { type: 'string', examples: ['EPSG:4547'] },
                  encoding: { type: 'string', examples: ['gbk', 'utf-8'] },
                  idField: { type: 'string' },
                  widthField: { type: 'string' },
                  layer: { type: 'string' },
                  strict: { type: 'boolean' },
                },
              },
            },
          },
        },
        responses: {
          '202': { description: 'Import job started; poll the Location', content: { 'application/json': {} } },
          '400': problemResponse('Missing file or bad option'),
          '413': problemResponse('Upload too large'),
        },
      },
      get: {
        operationId: 'listDatasets',
        summary: 'Imported layer versions / 数据集列表',
        tags: ['datasets'],
        parameters: [
          { name: 'kind', in: 'query', schema: { type: 'string', enum: [...KINDS] } },
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'superseded', 'all'], default: 'active' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 200, maximum: 1000 } },
        ],
        responses: { '200': { description: 'Datasets', content: { 'application/json': {} } }, '400': problemResponse('Bad filter') },
      },
    },
    '/api/datasets/{id}': {
      get: {
        operationId: 'getDataset',
        summary: 'One layer version: counts, source CRS, encoding, repairs, rejects, bbox / 数据集详情',
        tags: ['datasets'],
        parameters: [idParameter],
        responses: {
          '200': { description: 'The dataset', content: { 'application/json': { schema: { $ref: '#/components/schemas/Dataset' } } } },
          '404': problemResponse('No such dataset'),
        },
      },
    },
    '/api/datasets/{id}/rejects': {
      get: {
        operationId: 'getDatasetRejects',
        summary: 'Reject report of an import (JSON, CSV or GeoJSON) / 导入拒绝清单',
        tags: ['datasets'],
        parameters: [idParameter, { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'geojson'], default: 'json' } }],
        responses: {
          '200': { description: 'Rejects', content: { 'application/json': {}, 'text/csv': {}, 'application/geo+json': {} } },
          '404': problemResponse('No such dataset'),
        },
      },
    },
  },
};
