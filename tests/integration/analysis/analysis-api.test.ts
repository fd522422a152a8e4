/**
 * POST /api/analysis/runs (a job: 202 + Location), GET /api/analysis/runs[/:id], GET /api/analysis/rules.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { loadTown, makeTown } from './scenario.ts';

let db: Db;
let harness: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDb();
  await loadTown(db, makeTown(11, 60));
  harness = createTestApp(db);
});
afterAll(async () => {
  await harness?.jobs.drain();
  await db?.close();
});

describe(`analysis API on ${TEST_BACKEND}`, () => {
  it('starts a run as a job and reports it', async () => {
    const started = await request(harness.app).post('/api/analysis/runs').send({ mode: 'full' }).expect(202);
    expect(started.headers.location).toMatch(/^\/api\/jobs\/[0-9a-f-]{36}$/);
    await harness.jobs.drain();
    const job = (await request(harness.app).get(started.headers.location as string).expect(200)).body as {
      status: string;
      type: string;
      result: { runId: number; mode: string; suspects: { active: number } };
    };
    expect(job).toMatchObject({ status: 'succeeded', type: 'analysis' });
    expect(job.result.mode).toBe('full');
    expect(job.result.suspects.active).toBe((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM suspect WHERE active')).rows[0]?.n);

    const run = (await request(harness.app).get(`/api/analysis/runs/${job.result.runId}`).expect(200)).body as Record<string, unknown>;
    expect(run).toMatchObject({ id: job.result.runId, mode: 'full', requestedMode: 'full', status: 'succeeded', rulesetVersion: '2025.1', latestEpoch: '2024-06-30', baselineEpoch: '2023-06-30' });
    expect(run.rulesetHash).toMatch(/^[0-9a-f]{64}$/);
    expect((run.timings as Record<string, number>).total).toBeGreaterThan(0);

    const next = await request(harness.app).post('/api/analysis/runs').send({}).expect(202);
    await harness.jobs.drain();
    const second = (await request(harness.app).get(next.headers.location as string)).body as { result: { mode: string; requestedMode: string; subjects: { analysed: number } } };
    expect(second.result).toMatchObject({ mode: 'incremental', requestedMode: 'incremental', subjects: { analysed: 0 } });
    const list = (await request(harness.app).get('/api/analysis/runs?limit=5').expect(200)).body as { runs: Array<{ id: number }> };
    expect(list.runs.map((r) => r.id)).toEqual([job.result.runId + 1, job.result.runId]);
  });

  it('answers problem documents for bad requests and unknown runs', async () => {
    for (const body of [{ mode: 'sometimes' }, { ruleset: '../../etc/passwd' }, { extra: 1 }]) {
      const res = await request(harness.app).post('/api/analysis/runs').send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const unknown = await request(harness.app).post('/api/analysis/runs').send({ ruleset: 'no-such-ruleset' }).expect(400);
    expect(JSON.parse(unknown.text)).toMatchObject({ code: 'RULESET_NOT_FOUND' });
    expect(JSON.parse((await request(harness.app).get('/api/analysis/runs/999999').expect(404)).text)).toMatchObject({ code: 'NOT_FOUND' });
    await request(harness.app).get('/api/analysis/runs/x').expect(400);
  });

  it('lists the rules with their names and current thresholds', async () => {
    const body = (await request(harness.app).get('/api/analysis/rules').expect(200)).body as {
      rules: Array<{ code: string; name: { zh: string; en: string }; enabled: boolean; minOverlapM2: number; minShare: number }>;
    };
    expect(body.rules.map((r) => r.code)).toEqual(['FARMLAND', 'CULTIVATED', 'ECO_REDLINE', 'PASSAGE', 'ZONE_USE', 'REBUILD', 'OUTSIDE_BOUNDARY', 'NO_PERMIT', 'EXPANSION']);
    expect(body.rules[0]).toMatchObject({ name: { zh: '占用永久基本农田' }, enabled: true, minOverlapM2: 5, minShare: 0.02 });
  });
});
