/**
 * GET /api/exports/suspects: streamed downloads with the right media types and a Chinese file name
 * (RFC 5987), and problem+json 400/404 before any byte for bad formats and filters.
 */
import { unzipSync } from 'fflate';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { seedExportScene } from './export-seed.ts';

let db: Db;
let app: Express;
beforeAll(async () => {
  db = await createTestDb();
  await seedExportScene(db);
  app = createTestApp(db).app;
});
afterAll(async () => {
  await db?.close();
});

/** Collects the body as bytes whatever the media type. */
function binary(res: request.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const get = (query: string) => request(app).get(`/api/exports/suspects?${query}`).buffer(true).parse(binary);
const today = /_\d{8}\./;

describe('GET /api/exports/suspects', () => {
  it('streams CSV with a Chinese file name (filename*) and an ASCII fallback', async () => {
    const res = await get('format=csv&district=440999101000').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked'); // streamed: no Content-Length up front
    expect(res.headers['x-landwatch-rows']).toBe('3');
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="suspects_440999101_\d{8}\.csv"; filename\*=UTF-8''/);
    const star = decodeURIComponent(disposition.split("UTF-8''")[1] as string);
    expect(star).toMatch(/^两违图斑_440999101_\d{8}\.csv$/);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF疑似图斑编号,')).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(4);
  });

  it.each([
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.xlsx'],
    ['geojson', 'application/geo+json', '.geojson'],
    ['kml', 'application/vnd.google-earth.kml+xml', '.kml'],
    ['shp', 'application/zip', '.zip'],
  ])('answers %s as %s', async (format, type, ext) => {
    const res = await get(`format=${format}`).expect(200);
    expect(res.headers['content-type']).toContain(type);
    expect(decodeURIComponent((res.headers['content-disposition'] as string).split("UTF-8''")[1] as string)).toMatch(new RegExp(`^两违图斑_全部_\\d{8}\\${ext}$`));
    const body = res.body as Buffer;
    if (format === 'xlsx' || format === 'shp') expect(body.subarray(0, 2).toString('latin1')).toBe('PK');
    if (format === 'shp') expect(Object.keys(unzipSync(new Uint8Array(body))).filter((n) => n.endsWith('.shp'))).toEqual([expect.stringMatching(today)]);
    if (format === 'geojson') expect((JSON.parse(body.toString('utf8')) as { features: unknown[] }).features).toHaveLength(6);
  });

  it('answers a by-district export as a zip of one file per village', async () => {
    const res = await get('format=geojson&byDistrict=true&district=440999101').expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(decodeURIComponent((res.headers['content-disposition'] as string).split("UTF-8''")[1] as string)).toMatch(/^两违图斑_440999101_分行政区_\d{8}\.zip$/);
    expect(Object.keys(unzipSync(new Uint8Array(res.body as Buffer))).sort()).toEqual(['440999101001_东湖社区.geojson', '440999101002_西岭村.geojson']);
  });

  it.each([
    ['format=pdf', 'VALIDATION_FAILED', 'query.format'],
    ['district=440999101', 'VALIDATION_FAILED', 'query.format'],
    ['format=csv&rule=BOGUS', 'VALIDATION_FAILED', 'query.rule.0'],
    ['format=csv&severity=awful', 'VALIDATION_FAILED', 'query.severity.0'],
    ['format=csv&status=closed', 'VALIDATION_FAILED', 'query.status.0'],
    ['format=csv&distirct=440999101', 'VALIDATION_FAILED', 'query'],
    ['format=csv&district=4409991', 'BAD_DISTRICT', 'district'],
    ['format=csv&district=44x', 'VALIDATION_FAILED', 'query.district'],
    ['format=shp&srs=EPSG:3857', 'BAD_SRS', 'srs'],
    ['format=geojson&srs=EPSG:4547', 'SRS_NOT_ALLOWED', 'srs'],
    ['format=csv&encoding=gbk', 'ENCODING_NOT_ALLOWED', 'encoding'],
    ['format=csv&level=province&byDistrict=true', 'VALIDATION_FAILED', 'query.level'],
  ])('refuses %s with problem+json 400 %s', async (query, code, field) => {
    const res = await request(app).get(`/api/exports/suspects?${query}`).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = JSON.parse(res.text) as { code: string; field?: string; status: number };
    expect(body.code).toBe(code);
    expect(body.status).toBe(400);
    if (field) expect(body.field ?? '').toContain(field);
  });

  it('answers 404 for a district code that names nothing', async () => {
    const res = await request(app).get('/api/exports/suspects?format=csv&district=440999109').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((JSON.parse(res.text) as { code: string }).code).toBe('DISTRICT_NOT_FOUND');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, { get?: { parameters: Array<{ name: string }> } }> };
    const names = doc.paths['/api/exports/suspects']?.get?.parameters.map((p) => p.name) ?? [];
    for (const n of ['format', 'district', 'rule', 'severity', 'status', 'srs', 'encoding', 'byDistrict', 'level']) expect(names).toContain(n);
  });
});
