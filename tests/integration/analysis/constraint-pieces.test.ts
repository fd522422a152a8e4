/**
 * Constraint pieces are kept between runs (migration 0011): a run must never read pieces of features
 * that changed since they were cut. Editing features in place (not by importing a new version) is the
 * case a per-version cache would miss; the statement trigger on constraint_feature covers it.
 */
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import { TEST_BACKEND } from '../../helpers/test-db.ts';
import { snapshot } from './scenario.ts';
import { townDatabase } from './town-db.ts';

const town = townDatabase();

describe(`constraint pieces kept between runs on ${TEST_BACKEND}`, () => {
  it('a second run cuts nothing, and gives the same results', async () => {
    const first = await runAnalysis(town(), { mode: 'full' });
    const before = await snapshot(town());
    const { rows } = await town().query<{ n: number }>('SELECT count(*)::int AS n FROM constraint_piece');
    expect(rows[0]?.n).toBeGreaterThan(0);
    const second = await runAnalysis(town(), { mode: 'full' });
    expect(second.findings).toBe(first.findings);
    expect(await snapshot(town())).toEqual(before);
    const run = await town().query<{ cut: number }>("SELECT (counts ->> 'datasetsCut')::int AS cut FROM analysis_run WHERE id = $1", [second.runId]);
    expect(run.rows[0]?.cut).toBe(0);
  });

  it('farmland edited in place is cut again: results equal those of pieces cut from scratch', async () => {
    const before = await snapshot(town());
    // Every basic farmland parcel grows by ~30 m: more buildings stand on it.
    await town().query("UPDATE constraint_feature SET geom = ST_Multi(ST_Buffer(geom, 0.0003)) WHERE kind = 'basic_farmland'");
    await runAnalysis(town(), { mode: 'full' });
    const afterEdit = await snapshot(town());
    expect(afterEdit).not.toEqual(before); // the edit changes findings, or this test would prove nothing
    await town().query('DELETE FROM constraint_piece_build');
    await runAnalysis(town(), { mode: 'full' });
    expect(await snapshot(town())).toEqual(afterEdit);
  });

  it('only writes to datasets that have pieces make them stale (an import of a new version waits on no one)', async () => {
    await runAnalysis(town(), { mode: 'full' });
    const version = async () => Number((await town().query<{ v: string }>('SELECT version::text AS v FROM constraint_version')).rows[0]?.v);
    const v0 = await version();
    // Permits without pieces stand for a new version an import writes: no build record names them.
    await town().query("DELETE FROM constraint_piece_build WHERE dataset_id IN (SELECT dataset_id FROM constraint_feature WHERE kind = 'permit')");
    await town().query("UPDATE constraint_feature SET name = name WHERE kind = 'permit'");
    expect(await version()).toBe(v0);
    await town().query("UPDATE constraint_feature SET name = name WHERE kind = 'basic_farmland'");
    expect(await version()).toBe(v0 + 1);
    await town().query("DELETE FROM constraint_feature WHERE id = (SELECT min(id) FROM constraint_feature WHERE kind = 'public_passage')");
    expect(await version()).toBe(v0 + 2);
  });
});
