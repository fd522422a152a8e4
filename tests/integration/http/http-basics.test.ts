import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { errorHandler } from '../../../api/src/http/error.middleware.ts';
import { HttpError } from '../../../api/src/http/http-error.ts';
import { createLogger } from '../../../api/src/logger.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe('health', () => {
  it('reports the database kind and the PostGIS version', async () => {
    const { app } = createTestApp(db);
    const res = await request(app).get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.db.kind).toBe(TEST_BACKEND);
    expect(res.body.db.postgis).toMatch(/^3\.\d+\.\d+/);
  });

  it('answers 503 when the database fails', async () => {
    const broken: Db = { ...db, query: async () => Promise.reject(new Error('connection refused')) };
    const { app } = createTestApp(broken);
    const res = await request(app).get('/api/health').expect(503);
    expect(res.body).toMatchObject({ status: 'unavailable', db: { kind: TEST_BACKEND, error: 'connection refused' } });
  });
});

describe('errors as application/problem+json', () => {
  it('answers an unknown API route with a 404 problem document', async () => {
    const { app } = createTestApp(db);
    const res = await request(app).get('/api/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', title: 'Not Found', instance: '/api/no-such-thing' });
  });

  it('answers malformed JSON with a 400 problem document', async () => {
    const { app } = createTestApp(db);
    const res = await request(app).post('/api/anything').set('content-type', 'application/json').send('{"broken":').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('MALFORMED_BODY');
  });

  it('answers an unknown job with 404', async () => {
    const { app } = createTestApp(db);
    const res = await request(app).get('/api/jobs/00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('carries file, row and field of an HttpError, and hides unknown errors behind a generic 500', async () => {
    const logged: unknown[] = [];
    const logger = createLogger('silent');
    logger.error = ((obj: unknown) => {
      logged.push(obj);
    }) as typeof logger.error;
    const app = express();
    app.get('/bad-input', () => {
      throw HttpError.badRequest('BAD_VALUE', 'DLBM must be 4 digits', { file: 'a.shp', row: 7, field: 'DLBM' });
    });
    app.get('/crash', () => {
      throw new Error('secret internals at /srv/x');
    });
    app.use(errorHandler(logger));
    const bad = await request(app).get('/bad-input').expect(400);
    expect(bad.body).toMatchObject({ code: 'BAD_VALUE', detail: 'DLBM must be 4 digits', file: 'a.shp', row: 7, field: 'DLBM' });
    const crash = await request(app).get('/crash').expect(500);
    expect(crash.body.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(crash.body)).not.toContain('secret');
    expect(logged).toHaveLength(1);
  });
});

describe('map client', () => {
  it('serves a placeholder page at / when the map is not built', async () => {
    const { app } = createTestApp(db);
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('土地卫士');
  });
});
