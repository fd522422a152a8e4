import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { feature, square, writeGeoJson } from '../imports/import-fixtures.ts';
import { buildZip } from '../../unit/imports/fixture-writers.helper.ts';

let db: Db;
let app: ReturnType<typeof createTestApp>;
beforeAll(async () => {
  db = await createTestDb();
  app = createTestApp(db, { LANDWATCH_DATA_DIR: ':memory:', LANDWATCH_MAX_UPLOAD_MB: '1' });
});
afterAll(async () => {
  await app?.jobs.drain();
  await db?.close();
});

async function waitForJob(href: string): Promise<{ status: string; result: { layers: Array<{ datasetId: number }> }; error: unknown }> {
  for (let i = 0; i < 600; i++) {
    const job = (await request(app.app).get(href).expect(200)).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

describe('datasets API', () => {
  it('imports an upload as a job and reports the dataset, its rejects and repairs', async () => {
    const file = await writeGeoJson('东湖村建筑.geojson', [
      feature({ JZBH: 'A1' }, { type: 'Polygon', coordinates: square(114.0, 22.9) }),
      feature({ JZBH: 'A2' }, null),
    ]);
    const res = await request(app.app)
      .post('/api/datasets')
      .field('kind', 'building')
      .field('epoch', '2025-06-30')
      .attach('file', await readFile(file), { filename: '东湖村建筑.geojson' })
      .expect(202);
    expect(res.headers.location).toBe(`/api/jobs/${res.body.jobId}`);
    const job = await waitForJob(res.headers.location as string);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const id = job.result.layers[0]?.datasetId;

    const dataset = (await request(app.app).get(`/api/datasets/${id}`).expect(200)).body;
    expect(dataset).toMatchObject({ kind: 'building', name: '东湖村建筑', version: 1, feature_count: 1, rejected_count: 1, source_file: '东湖村建筑.geojson', epoch: '2025-06-30', source_srs: 'EPSG:4490' });
    expect(dataset.bbox).toHaveLength(4);

    const list = (await request(app.app).get('/api/datasets?kind=building').expect(200)).body;
    expect(list.datasets.map((d: { id: number }) => d.id)).toContain(id);

    const rejects = (await request(app.app).get(`/api/datasets/${id}/rejects`).expect(200)).body;
    expect(rejects.rejects).toEqual([expect.objectContaining({ row_number: 2, source_id: 'A2', code: 'NULL_GEOMETRY' })]);
    const csv = await request(app.app).get(`/api/datasets/${id}/rejects?format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.startsWith('\uFEFFrow_number,source_id')).toBe(true);
    expect(csv.text).toContain('2,A2,');
    const gj = await request(app.app).get(`/api/datasets/${id}/rejects?format=geojson`).expect(200);
    expect(JSON.parse(gj.text).features[0].properties.code).toBe('NULL_GEOMETRY');
  });

  it('answers a bad option with a 400 problem naming the field, before any job starts', async () => {
    const file = await writeGeoJson('x.geojson', [feature({}, { type: 'Polygon', coordinates: square(114, 22.9) })]);
    const bad = await request(app.app).post('/api/datasets').field('kind', 'farmland').attach('file', await readFile(file), 'x.geojson').expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'INVALID_OPTION', field: 'kind' });
    const noEpoch = await request(app.app).post('/api/datasets').field('kind', 'building').attach('file', await readFile(file), 'x.geojson').expect(400);
    expect(noEpoch.body).toMatchObject({ code: 'EPOCH_REQUIRED', field: 'epoch' });
    const noFile = await request(app.app).post('/api/datasets').field('kind', 'permit').expect(400);
    expect(noFile.body).toMatchObject({ code: 'FILE_REQUIRED', field: 'file' });
  });

  it('refuses an upload over the size limit with 413', async () => {
    const res = await request(app.app).post('/api/datasets').field('kind', 'permit').attach('file', Buffer.alloc(1024 * 1024 + 10, 32), 'big.geojson').expect(413);
    expect(res.body.code).toBe('LIMIT_FILE_SIZE');
  });

  it('records a failed import job with the reader error, naming the file', async () => {
    const res = await request(app.app).post('/api/datasets').field('kind', 'permit').attach('file', Buffer.from('{"type": "FeatureCollection", "features": [ broken'), 'broken.geojson').expect(202);
    const job = await waitForJob(res.headers.location as string);
    expect(job.status).toBe('failed');
    expect(JSON.stringify(job.error)).toMatch(/broken\.geojson/);
  });

  it('validates list filters and ids', async () => {
    expect((await request(app.app).get('/api/datasets?kind=nope').expect(400)).body.field).toBe('query.kind');
    await request(app.app).get('/api/datasets/abc').expect(400);
    await request(app.app).get('/api/datasets/999999').expect(404);
  });

  it('archive limits answer the upload with 4xx problem+json naming the file; the feature cap fails the job', async () => {
    const strict = createTestApp(db, { LANDWATCH_DATA_DIR: ':memory:', LANDWATCH_IMPORT_MAX_ZIP_RATIO: '10', LANDWATCH_IMPORT_MAX_FEATURES: '1' });
    try {
      const gj = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [] }));
      const unsafe = buildZip([{ name: 'a.geojson', data: gj }, { name: '../../etc/cron.d/x', data: Buffer.from('x') }]);
      const bad = await request(strict.app).post('/api/datasets').field('kind', 'permit').attach('file', unsafe, '许可.zip').expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body).toMatchObject({ code: 'ZIP_UNSAFE_ENTRY', file: '许可.zip' });
      expect(bad.body.detail ?? bad.body.message ?? '').toMatch(/\.\./);

      // Mostly 'a' with a sprinkle of 'b': compresses about 40:1, between the two limits under test.
      let seed = 7;
      const skewed = Buffer.alloc(2 * 1024 * 1024, 'a');
      for (let i = 0; i < skewed.length; i++) if ((seed = (seed * 48_271) % 2_147_483_647) % 100 < 3) skewed[i] = 0x62;
      const bomb = buildZip([{ name: 'a.geojson', data: gj }, { name: 'pad.txt', data: skewed, deflate: true }]);
      const ratio = await request(strict.app).post('/api/datasets').field('kind', 'permit').attach('file', bomb, 'bomb.zip').expect(413);
      expect(ratio.body).toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH', file: 'bomb.zip' });
      // The default limit (1000:1) lets the same archive through to a job.
      await request(app.app).post('/api/datasets').field('kind', 'permit').attach('file', bomb, 'bomb.zip').expect(202);

      const two = await writeGeoJson('two.geojson', [
        feature({ XKZH: 'P1' }, { type: 'Polygon', coordinates: square(114.0, 22.9) }),
        feature({ XKZH: 'P2' }, { type: 'Polygon', coordinates: square(114.01, 22.9) }),
      ]);
      const res = await request(strict.app).post('/api/datasets').field('kind', 'permit').attach('file', await readFile(two), 'two.geojson').expect(202);
      let job = (await request(strict.app).get(res.headers.location as string)).body;
      for (let i = 0; i < 300 && job.status !== 'failed' && job.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = (await request(strict.app).get(res.headers.location as string)).body;
      }
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe('FEATURE_LIMIT');
    } finally {
      await strict.jobs.drain();
    }
  });
});
