/**
 * Incremental runs give exactly the results of a full run: after each edit a bureau makes, an
 * incremental run's suspects and evidence must equal what a full run then computes (same database),
 * and what a full run computes in a second database that never saw the intermediate states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import { parseRuleset, loadRuleset } from '../../../api/src/analysis/ruleset.schema.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { EDITS, loadTown, makeTown, snapshot, type Town } from './scenario.ts';

let db: Db;
let town: Town;
beforeAll(async () => {
  db = await createTestDb();
  town = makeTown();
  await loadTown(db, town);
});
afterAll(async () => {
  await db?.close();
});

/** Runs incremental, then full, and checks the full run found nothing to correct. */
async function incrementalEqualsFull(): Promise<{ analysed: number; total: number }> {
  const inc = await runAnalysis(db, { mode: 'incremental' });
  expect(inc.mode, JSON.stringify(inc.notes)).toBe('incremental');
  const afterIncremental = await snapshot(db);
  const full = await runAnalysis(db, { mode: 'full' });
  const afterFull = await snapshot(db);
  expect(afterFull).toEqual(afterIncremental);
  expect(full.suspects.created).toBe(0);
  expect(full.suspects.deactivated).toBe(0);
  return { analysed: inc.subjects.analysed, total: inc.subjects.total };
}

describe(`incremental analysis on ${TEST_BACKEND}`, () => {
  it('a first incremental run falls back to full and says why', async () => {
    const first = await runAnalysis(db, { mode: 'incremental' });
    expect(first.mode).toBe('full');
    expect(first.notes.map((n) => n.code)).toContain('FULL_NO_PREVIOUS');
    expect(first.suspects.active).toBeGreaterThan(20);
    // The town has something for every rule.
    expect(first.suspects.byRule.map((r) => r.rule).sort()).toEqual(
      ['CULTIVATED', 'ECO_REDLINE', 'EXPANSION', 'FARMLAND', 'NO_PERMIT', 'OUTSIDE_BOUNDARY', 'PASSAGE', 'REBUILD', 'ZONE_USE'].sort(),
    );
  });

  it('with nothing changed analyses nothing and changes nothing', async () => {
    const before = await snapshot(db);
    const r = await runAnalysis(db, { mode: 'incremental' });
    expect(r.mode).toBe('incremental');
    expect(r.subjects.analysed).toBe(0);
    expect(await snapshot(db)).toEqual(before);
  });

  it('after buildings were removed, moved and added', async () => {
    await EDITS.buildings(db, town);
    const { analysed, total } = await incrementalEqualsFull();
    expect(analysed).toBeGreaterThan(0);
    expect(analysed).toBeLessThan(total / 4);
  });

  it('after farmland was re-delivered with one parcel removed and one added', async () => {
    await EDITS.farmland(db, town);
    const { analysed, total } = await incrementalEqualsFull();
    expect(analysed).toBeLessThan(total / 2);
  });

  it('after a permit was added', async () => {
    await EDITS.permits(db, town);
    await incrementalEqualsFull();
  });

  it('after the district boundaries changed', async () => {
    // Placement reads district pieces kept between runs (migration 0009): every suspect must follow the
    // new boundaries, checked against a placement computed here from the district table itself.
    const villageOf = async () =>
      (
        await db.query<{ id: number; code: string | null; expected: string | null }>(
          `SELECT su.id, su.district_code AS code,
                  (SELECT d.code FROM district d WHERE d.level = 'village' AND ST_Intersects(d.geom, su.geom)
                   ORDER BY ST_Area(ST_Intersection(d.geom, su.geom)) DESC, d.code LIMIT 1) AS expected
           FROM suspect su WHERE su.active ORDER BY su.id`,
        )
      ).rows;
    const before = await villageOf();
    await EDITS.districts(db, town);
    const { analysed } = await incrementalEqualsFull();
    expect(analysed).toBe(0);
    const after = await villageOf();
    expect(after.filter((r) => r.code !== r.expected)).toEqual([]);
    const moved = after.filter((r) => before.find((b) => b.id === r.id)?.code !== r.code);
    expect(moved.length).toBeGreaterThan(0); // the edit moves suspects, or this test would prove nothing
  });

  it('after the baseline layer was re-imported unchanged (evidence follows the new version)', async () => {
    await EDITS.baselineAgain(db, town);
    const { analysed } = await incrementalEqualsFull();
    expect(analysed).toBe(0);
    const { rows } = await db.query<{ stale: number }>(
      `SELECT count(*)::int AS stale FROM finding f JOIN suspect su ON su.id = f.suspect_id,
              jsonb_array_elements(f.matched) e JOIN dataset d ON d.id = (e ->> 'datasetId')::bigint
       WHERE su.active AND d.status <> 'active'`,
    );
    expect(rows[0]?.stale).toBe(0);
  });

  it('after a layer came again holding an identical copy of one of its features (copies pair up one to one)', async () => {
    await EDITS.patchesDuplicated(db, town);
    const { analysed } = await incrementalEqualsFull();
    // Paired by geometry and id alone, the old WP2 would be the twin of both copies and the new copy
    // would never be analysed.
    expect(analysed).toBe(1);
    const { rows } = await db.query<{ keys: string[] }>("SELECT array_agg(suspect_key ORDER BY suspect_key) AS keys FROM suspect WHERE active AND suspect_key LIKE '%:WP2%'");
    expect(rows[0]?.keys).toEqual(['change_patch:wp2024:id:WP2', 'change_patch:wp2024:id:WP2:2']);
  });

  it('after several layers changed at once', async () => {
    await EDITS.patches(db, town);
    await EDITS.buildings(db, town);
    await EDITS.farmland(db, town);
    await incrementalEqualsFull();
  });

  it('falls back to full when the ruleset changed', async () => {
    const base = await loadRuleset();
    const stricter = parseRuleset({ ...base.file, defaults: { ...base.file.defaults, minOverlapM2: 20 } });
    const r = await runAnalysis(db, { mode: 'incremental', ruleset: stricter });
    expect(r.mode).toBe('full');
    expect(r.notes.map((n) => n.code)).toContain('FULL_RULESET_CHANGED');
    const back = await runAnalysis(db, { mode: 'incremental' });
    expect(back.notes.map((n) => n.code)).toContain('FULL_RULESET_CHANGED');
  });

  it('equals a full run in a database that never saw the intermediate states', async () => {
    const other = await createTestDb();
    try {
      const fresh = makeTown();
      await loadTown(other, fresh);
      await runAnalysis(other, { mode: 'full' });
      await EDITS.buildings(other, fresh);
      await EDITS.farmland(other, fresh);
      await EDITS.permits(other, fresh);
      const inc = await runAnalysis(other, { mode: 'incremental' });
      expect(inc.mode).toBe('incremental');

      const third = await createTestDb();
      try {
        const direct = makeTown();
        await loadTown(third, direct);
        await EDITS.buildings(third, direct);
        await EDITS.farmland(third, direct);
        await EDITS.permits(third, direct);
        await runAnalysis(third, { mode: 'full' });
        const a = await snapshot(other, false);
        const b = await snapshot(third, false);
        expect(a.suspects.length).toBeGreaterThan(20);
        expect(a).toEqual(b);
      } finally {
        await third.close();
      }
    } finally {
      await other.close();
    }
  });
});
