import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp, listRoutes } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

/** `/api/jobs/:id` → `/api/jobs/{id}` */
function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every /api route the app serves', async () => {
    const { app } = createTestApp(db);
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = listRoutes(app).filter((r) => r.split(' ')[1]?.startsWith('/api/') || r.split(' ')[1]?.startsWith('/tiles/') || r.split(' ')[1]?.startsWith('/imagery/'));
    expect(routes.length).toBeGreaterThanOrEqual(3);
    const missing = routes.filter((r) => {
      const [method, p] = r.split(' ') as [string, string];
      return !doc.paths[toOpenApiPath(p)]?.[method.toLowerCase()];
    });
    expect(missing, `routes missing from /api/openapi.json: ${missing.join(', ')}`).toEqual([]);
  });

  it('documents no route that does not exist', async () => {
    const { app } = createTestApp(db);
    const doc = (await request(app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = new Set(listRoutes(app).map((r) => { const [m, p] = r.split(' ') as [string, string]; return `${m.toLowerCase()} ${toOpenApiPath(p)}`; }));
    const ghosts = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => !served.has(`${m} ${p}`)).map((m) => `${m} ${p}`));
    expect(ghosts).toEqual([]);
  });
});
