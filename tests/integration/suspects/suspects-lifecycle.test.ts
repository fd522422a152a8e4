/**
 * Suspects over time: stable ids across runs and re-imports of the same layer, dismissed suspects
 * not flagged again unless their geometry changed, suspects no longer flagged kept as inactive, and
 * the district that holds most of a subject's area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { insertLayer, rectM, type LayerInput } from '../analysis/scene-loader.ts';

let db: Db;

const farmland: LayerInput = { kind: 'basic_farmland', name: 'jbnt', features: [{ id: 'F1', code: '0101', geometry: rectM(0, 0, 200, 200) }] };
const districts: LayerInput = {
  kind: 'district',
  name: 'xzq',
  features: [
    { code: '440300000000', name: '示范区', level: 'county', geometry: rectM(-500, -500, 1000, 1000) },
    { code: '440300001000', name: '一街道', level: 'township', geometry: rectM(-500, -500, 1000, 1000) },
    { code: '440300001001', name: '东村', level: 'village', geometry: rectM(-500, -500, 600, 1000) },
    { code: '440300001002', name: '西村', level: 'village', geometry: rectM(100, -500, 400, 1000) },
  ],
};
const withIds = (b1 = rectM(10, 10, 20, 10)): LayerInput => ({
  kind: 'building',
  name: 'jz2024',
  epoch: '2024-06-30',
  features: [
    { id: 'B1', geometry: b1 },
    { id: 'B2', geometry: rectM(50, 50, 10, 10) },
    // 10 m in 东村 (x < 100), 20 m in 西村: placed in 西村.
    { id: 'ACROSS', geometry: rectM(90, 150, 30, 10) },
  ],
});
const withoutIds = (): LayerInput => ({
  kind: 'building',
  name: 'wubianhao',
  epoch: '2024-06-30',
  features: [{ geometry: rectM(120, 120, 12, 12) }, { geometry: rectM(150, 20, 15, 10) }],
});

async function suspects(): Promise<Map<string, { id: number; status: string; active: boolean; subject_id: number; district_code: string }>> {
  const { rows } = await db.query<{ suspect_key: string; id: number; status: string; active: boolean; subject_id: number; district_code: string }>(
    'SELECT suspect_key, id, status, active, subject_id, district_code FROM suspect ORDER BY id',
  );
  return new Map(rows.map((r) => [r.suspect_key, r]));
}

beforeAll(async () => {
  db = await createTestDb();
  await insertLayer(db, districts);
  await insertLayer(db, farmland);
  await insertLayer(db, withIds());
  await insertLayer(db, withoutIds());
  await runAnalysis(db, { mode: 'full' });
});
afterAll(async () => {
  await db?.close();
});

describe(`suspect lifecycle on ${TEST_BACKEND}`, () => {
  it('keys suspects by layer + source id, or by geometry hash when the layer has no ids', async () => {
    const keys = [...(await suspects()).keys()].sort();
    expect(keys.filter((k) => k.startsWith('building:jz2024:id:'))).toEqual(['building:jz2024:id:ACROSS', 'building:jz2024:id:B1', 'building:jz2024:id:B2']);
    expect(keys.filter((k) => /^building:wubianhao:geom:[0-9a-f]{32}$/.test(k))).toHaveLength(2);
  });

  it('places a subject in the district holding most of its area', async () => {
    expect((await suspects()).get('building:jz2024:id:ACROSS')?.district_code).toBe('440300001002');
  });

  it('keeps suspect ids when the same layers are imported again as new versions', async () => {
    const before = await suspects();
    await insertLayer(db, withIds());
    await insertLayer(db, withoutIds());
    const inc = await runAnalysis(db, { mode: 'incremental' });
    expect(inc.suspects.created).toBe(0);
    const after = await suspects();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [key, s] of after) {
      expect(s.id, key).toBe(before.get(key)?.id);
      expect(s.active, key).toBe(true);
      // Same epoch and geometry: the suspect keeps its subject row (an identical copy of the new one).
      expect(s.subject_id, key).toBe(before.get(key)?.subject_id);
    }
    await runAnalysis(db, { mode: 'full' });
    expect([...(await suspects()).values()].map((s) => s.id)).toEqual([...after.values()].map((s) => s.id));
  });

  it('does not flag a dismissed suspect again while its geometry is unchanged', async () => {
    const b1 = (await suspects()).get('building:jz2024:id:B1');
    await db.query("UPDATE suspect SET status = 'dismissed' WHERE id = $1", [b1?.id]);
    await insertLayer(db, withIds());
    await runAnalysis(db, { mode: 'incremental' });
    expect((await suspects()).get('building:jz2024:id:B1')?.status).toBe('dismissed');
    // A constraint change that touches it re-evaluates it: still the same geometry, still dismissed.
    await insertLayer(db, { ...farmland, features: [{ id: 'F1', code: '0101', geometry: rectM(0, 0, 210, 200) }] });
    await runAnalysis(db, { mode: 'incremental' });
    await runAnalysis(db, { mode: 'full' });
    const after = (await suspects()).get('building:jz2024:id:B1');
    expect(after?.status).toBe('dismissed');
    expect(after?.id).toBe(b1?.id);
  });

  it('flags a dismissed suspect again (same id, status new, history kept) when its geometry changed', async () => {
    const b1 = (await suspects()).get('building:jz2024:id:B1');
    await insertLayer(db, withIds(rectM(10, 10, 30, 10)));
    const r = await runAnalysis(db, { mode: 'incremental' });
    expect(r.suspects.reopened).toBe(1);
    const after = (await suspects()).get('building:jz2024:id:B1');
    expect(after?.id).toBe(b1?.id);
    expect(after?.status).toBe('new');
    // A changed footprint: the suspect now points at the subject row of the newest version.
    expect(after?.subject_id).not.toBe(b1?.subject_id);
    const { rows } = await db.query<{ type: string; from_status: string; to_status: string; actor: string }>(
      'SELECT type, from_status, to_status, actor FROM case_event WHERE suspect_id = $1',
      [b1?.id],
    );
    expect(rows).toEqual([{ type: 'reopened', from_status: 'dismissed', to_status: 'new', actor: 'analysis' }]);
  });

  it('keeps a suspect no longer flagged as inactive, with its last evidence', async () => {
    const b2 = (await suspects()).get('building:jz2024:id:B2');
    const layer = withIds(rectM(10, 10, 30, 10));
    await insertLayer(db, { ...layer, features: layer.features.filter((f) => f.id !== 'B2') });
    const r = await runAnalysis(db, { mode: 'incremental' });
    expect(r.suspects.deactivated).toBe(1);
    const after = (await suspects()).get('building:jz2024:id:B2');
    expect(after).toMatchObject({ id: b2?.id, active: false, status: 'new' });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM finding WHERE suspect_id = $1', [b2?.id]);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});
