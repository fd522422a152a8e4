/**
 * GET /api/suspects (filters, keyset pages, GeoJSON), GET /api/suspects/:id (evidence) and
 * GET /api/stats/districts, checked against counts taken straight from the tables.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { loadTown, makeTown } from '../analysis/scenario.ts';

type Suspect = Record<string, unknown> & { id: number; rules: string[]; district: { code: string | null; village?: { code: string } | null }; bbox: number[]; areaM2: number };

let db: Db;
let app: ReturnType<typeof createTestApp>['app'];

async function count(where: string, values: unknown[] = []): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM suspect WHERE ${where}`, values)).rows[0]?.n ?? -1;
}

async function all(query: string): Promise<Suspect[]> {
  const res = await request(app).get(`/api/suspects?limit=1000${query}`).expect(200);
  return (res.body as { suspects: Suspect[] }).suspects;
}

beforeAll(async () => {
  db = await createTestDb();
  await loadTown(db, makeTown());
  await runAnalysis(db, { mode: 'full' });
  // A suspect people dismissed: listed under status=dismissed, left out of the statistics.
  await db.query("UPDATE suspect SET status = 'dismissed' WHERE id = (SELECT min(id) FROM suspect)");
  app = createTestApp(db).app;
});
afterAll(async () => {
  await db?.close();
});

describe(`suspects API on ${TEST_BACKEND}`, () => {
  it('lists active suspects in the agreed shape', async () => {
    const list = await all('');
    expect(list.length).toBe(await count('active'));
    expect(Object.keys(list[0] as object).sort()).toEqual(
      ['id', 'suspectKey', 'subjectKind', 'sourceId', 'epoch', 'isNew', 'status', 'active', 'severity', 'rules', 'ruleNames', 'disposition', 'areaM2',
        'areaMu', 'overlapM2', 'district', 'centroid', 'bbox', 'rulesetVersion', 'lastRunId', 'updatedAt'].sort(),
    );
    const s = list.find((x) => x.district.code?.length === 12) as Suspect;
    expect(s.district).toMatchObject({ county: { code: '440300000000', name: '示范区' } });
    expect(s.district.village?.code).toBe(s.district.code);
    expect((s.ruleNames as { zh: string[] }).zh).toHaveLength(s.rules.length);
    expect(s.areaMu as number).toBeCloseTo((s.areaM2 * 15) / 10000, 3);
    const [lon, lat] = s.centroid as number[];
    expect(lon).toBeGreaterThan(s.bbox[0] as number);
    expect(lat).toBeLessThan(s.bbox[3] as number);
  });

  it('filters by district prefix, rule, severity, status, area, epoch, novelty and bbox', async () => {
    expect((await all('&district=440300002')).length).toBe(await count("active AND district_code LIKE '440300002%'"));
    const farm = await all('&rule=FARMLAND,ZONE_USE');
    expect(farm.length).toBe(await count("active AND rules && ARRAY['FARMLAND','ZONE_USE']"));
    expect(farm.every((x) => x.rules.includes('FARMLAND') || x.rules.includes('ZONE_USE'))).toBe(true);
    expect((await all('&severity=light')).length).toBe(await count("active AND severity = 'light'"));
    expect((await all('&status=dismissed')).length).toBe(1);
    expect((await all('&min_area_m2=300')).length).toBe(await count('active AND area_m2 >= 300'));
    expect((await all('&epoch=2024-06-30')).length).toBe(await count("active AND epoch = '2024-06-30'"));
    expect((await all('&is_new=true')).length).toBe(await count('active AND is_new'));
    const [x0, y0, x1, y1] = [114.0, 22.9, 114.002, 22.902];
    const inBox = await all(`&bbox=${x0},${y0},${x1},${y1}`);
    expect(inBox.length).toBe(await count('active AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4490)', [x0, y0, x1, y1]));
    expect(inBox.every((x) => (x.bbox[0] as number) <= x1 && (x.bbox[2] as number) >= x0)).toBe(true);
  });

  it('pages with a keyset cursor: every suspect once, in id order, with a Link to the next page', async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await request(app).get(`/api/suspects?limit=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      const body = res.body as { suspects: Suspect[]; nextCursor: string | null };
      if (body.nextCursor) expect(res.headers.link).toContain(`cursor=${body.nextCursor}`);
      ids.push(...body.suspects.map((s) => s.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await count('active'));
  });

  it('answers GeoJSON with the suspects as properties and their geometry', async () => {
    const res = await request(app).get('/api/suspects?format=geojson&limit=5').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = JSON.parse(res.text) as { type: string; features: Array<{ type: string; id: number; geometry: { type: string }; properties: Suspect }>; nextCursor: string };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(5);
    expect(fc.features[0]?.geometry.type).toBe('MultiPolygon');
    expect(fc.features[0]?.properties.id).toBe(fc.features[0]?.id);
    expect(fc.nextCursor).toBe(String(fc.features[4]?.id));
  });

  it('shows one suspect with its evidence', async () => {
    const farm = (await all('&rule=FARMLAND'))[0] as Suspect;
    const res = await request(app).get(`/api/suspects/${farm.id}`).expect(200);
    const body = res.body as Suspect & { geometry: { type: string }; findings: Array<Record<string, unknown> & { matched: Array<Record<string, unknown>>; geometry: { type: string } }> };
    expect(body.geometry.type).toBe('MultiPolygon');
    const f = body.findings.find((x) => x.rule === 'FARMLAND');
    expect(f).toMatchObject({ rule: 'FARMLAND', ruleName: { zh: '占用永久基本农田' }, rulesetVersion: '2025.1' });
    expect(f?.geometry.type).toBe('MultiPolygon');
    expect(f?.matched[0]).toMatchObject({ kind: 'basic_farmland', code: '0101', attrs: { DLBM: '0101' } });
    expect(Object.keys(f?.matched[0] ?? {}).sort()).toEqual(['attrs', 'code', 'datasetId', 'featureId', 'kind', 'name', 'sourceId']);
    expect(f?.overlapMu as number).toBeCloseTo(((f?.overlapM2 as number) * 15) / 10000, 3);
  });

  it('answers problem documents for unknown ids and bad filters', async () => {
    const missing = await request(app).get('/api/suspects/999999').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(missing.text)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    for (const bad of ['/api/suspects/abc', '/api/suspects?rule=NOPE', '/api/suspects?bbox=1,2,3', '/api/suspects?limit=0', '/api/suspects?district=44x', '/api/suspects?cursor=-1']) {
      const res = await request(app).get(bad).expect(400);
      expect(JSON.parse(res.text), bad).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});

describe(`district statistics on ${TEST_BACKEND}`, () => {
  it('counts every active, not dismissed suspect once per level', async () => {
    const expected = await count("active AND status <> 'dismissed'");
    for (const level of ['county', 'township', 'village']) {
      const res = await request(app).get(`/api/stats/districts?level=${level}`).expect(200);
      const body = res.body as { districts: Array<{ total: number; newCount: number; stockCount: number; bySeverity: Record<string, number> }>; unassigned: { total: number } };
      const sum = body.districts.reduce((s, d) => s + d.total, 0) + body.unassigned.total;
      expect(sum, level).toBe(expected);
      for (const d of body.districts) {
        expect(d.newCount + d.stockCount).toBe(d.total);
        expect(Object.values(d.bySeverity).reduce((a, b) => a + b, 0)).toBe(d.total);
      }
    }
  });

  it('gives per-rule counts and areas, and narrows to a parent', async () => {
    const res = await request(app).get('/api/stats/districts?level=village&parent=440300001000').expect(200);
    const body = res.body as { districts: Array<{ code: string; byRule: Record<string, { count: number; areaM2: number }>; parentCode: string }> };
    expect(body.districts.map((d) => d.code)).toEqual(['440300001001', '440300001002']);
    const village = body.districts[0] as (typeof body.districts)[number];
    const { rows } = await db.query<{ n: number; m2: number }>(
      `SELECT count(DISTINCT su.id)::int AS n, coalesce(sum(f.overlap_m2), 0) AS m2 FROM suspect su JOIN finding f ON f.suspect_id = su.id
       WHERE su.active AND su.status <> 'dismissed' AND su.district_code = $1 AND f.rule = 'FARMLAND'`,
      [village.code],
    );
    expect(village.byRule.FARMLAND?.count ?? 0).toBe(rows[0]?.n);
    expect(village.byRule.FARMLAND?.areaM2 ?? 0).toBeCloseTo(rows[0]?.m2 ?? -1, 1);
    expect(village.parentCode).toBe('440300001000');
  });

  it('rejects an unknown level', async () => {
    const res = await request(app).get('/api/stats/districts?level=planet').expect(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
