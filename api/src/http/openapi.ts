import { Router } from 'express';

/** Part of the OpenAPI document contributed by one module: its paths and component schemas. */
export interface OpenApiFragment {
  paths: Record<string, Record<string, unknown>>;
  schemas?: Record<string, unknown>;
}

/** The shared problem+json schema every error response refers to. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable reason code' },
    file: { type: 'string' },
    row: { type: 'integer' },
    field: { type: 'string' },
    errors: { type: 'array', items: { type: 'object' } },
  },
};

/** A response entry pointing at the problem schema, for reuse in fragments. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Assembles the OpenAPI 3.1 document from every module's fragment. Later fragments win on clashes. */
export function buildOpenApiDocument(fragments: OpenApiFragment[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { Problem: PROBLEM_SCHEMA };
  for (const f of fragments) {
    for (const [p, ops] of Object.entries(f.paths)) paths[p] = { ...(paths[p] ?? {}), ...ops };
    Object.assign(schemas, f.schemas ?? {});
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'LandWatch 土地卫士 API',
      version,
      description:
        'Finds likely illegal land occupation and construction (两违) by overlaying buildings and change patches on ' +
        'farmland, planning and approvals in PostGIS. Flags are leads for people to verify, never verdicts.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    paths,
    components: { schemas },
  };
}

/** GET /api/openapi.json */
export function createOpenApiRouter(document: Record<string, unknown>): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

/** OpenAPI description of the document route itself (so the route test finds it). */
export const openApiOpenApi: OpenApiFragment = {
  paths: {
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This OpenAPI 3.1 document',
        tags: ['system'],
        responses: { '200': { description: 'The document', content: { 'application/json': {} } } },
      },
    },
  },
};
