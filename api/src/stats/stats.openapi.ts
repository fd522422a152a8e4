import { RULE_CODES } from '../analysis/rule-catalog.ts';
import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';

/** OpenAPI description of the statistics routes. */
export const statsOpenApi: OpenApiFragment = {
  schemas: {
    DistrictStats: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        name: { type: 'string' },
        level: { type: 'string', enum: ['county', 'township', 'village'] },
        parentCode: { type: ['string', 'null'] },
        total: { type: 'integer' },
        newCount: { type: 'integer', description: 'New since the baseline epoch (增量)' },
        stockCount: { type: 'integer', description: 'Stock (存量)' },
        areaM2: { type: 'number' },
        areaMu: { type: 'number' },
        byRule: {
          type: 'object',
          description: `Per rule (${RULE_CODES.join(', ')}): suspects and overlap m²`,
          additionalProperties: { type: 'object', properties: { count: { type: 'integer' }, areaM2: { type: 'number' } } },
        },
        bySeverity: { type: 'object', properties: { light: { type: 'integer' }, general: { type: 'integer' }, serious: { type: 'integer' } } },
      },
    },
  },
  paths: {
    '/api/stats/districts': {
      get: {
        operationId: 'getDistrictStats',
        summary: 'Active suspects per district and rule, stock vs new (dismissed excluded) / 分区统计',
        tags: ['stats'],
        parameters: [
          { name: 'level', in: 'query', schema: { type: 'string', enum: ['county', 'township', 'village'], default: 'county' } },
          { name: 'parent', in: 'query', schema: { type: 'string', pattern: '^\\d{2,12}$' }, description: 'Only districts under this code' },
        ],
        responses: {
          '200': {
            description: 'One row per district of the level (zeros included)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    level: { type: 'string' },
                    parent: { type: ['string', 'null'] },
                    districts: { type: 'array', items: { $ref: '#/components/schemas/DistrictStats' } },
                    unassigned: { type: 'object', properties: { total: { type: 'integer' }, areaM2: { type: 'number' } } },
                  },
                },
              },
            },
          },
          '400': problemResponse('Bad level or parent'),
        },
      },
    },
  },
};
