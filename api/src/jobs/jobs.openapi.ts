import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';

/** OpenAPI description of the job routes. */
export const jobsOpenApi: OpenApiFragment = {
  schemas: {
    Job: {
      type: 'object',
      required: ['id', 'type', 'status', 'progress'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        type: { type: 'string', examples: ['import', 'analysis'] },
        status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
        progress: { type: 'number', minimum: 0, maximum: 1 },
        message: { type: ['string', 'null'] },
        params: { type: 'object' },
        result: {},
        error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
        created_at: { type: 'string', format: 'date-time' },
        started_at: { type: ['string', 'null'], format: 'date-time' },
        finished_at: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
  paths: {
    '/api/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'A background job: state, progress, result or error / 后台任务状态',
        tags: ['jobs'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { description: 'The job', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '404': problemResponse('No such job'),
        },
      },
    },
  },
};
