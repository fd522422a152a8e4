import type { OpenApiFragment } from '../http/openapi.ts';

/** OpenAPI description of the health route. */
export const healthOpenApi: OpenApiFragment = {
  paths: {
    '/api/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Service and database health / 服务与数据库状态',
        tags: ['system'],
        responses: {
          '200': {
            description: 'Database reachable',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status', 'db'],
                  properties: {
                    status: { type: 'string', enum: ['ok', 'unavailable'] },
                    db: {
                      type: 'object',
                      required: ['kind'],
                      properties: {
                        kind: { type: 'string', enum: ['postgis', 'pglite'] },
                        postgis: { type: 'string', examples: ['3.6.2'] },
                      },
                    },
                  },
                },
              },
            },
          },
          '503': { description: 'Database unreachable' },
        },
      },
    },
  },
};
