/**
 * Work tables never outlive their run: on PostgreSQL they are ordinary UNLOGGED tables (parallel
 * workers cannot read temporary ones), created in the run's transaction and dropped before it commits;
 * a run that fails part-way rolls them back with everything else.
 */
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import { TEST_BACKEND } from '../../helpers/test-db.ts';
import { townDatabase } from './town-db.ts';

const town = townDatabase();

/** Tables (of any persistence) whose names start with lw_, as the catalogue lists them. */
async function workTablesLeft(): Promise<string[]> {
  const { rows } = await town().query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'lw\\_%' ORDER BY 1");
  return rows.map((r) => r.relname);
}

describe(`work tables on ${TEST_BACKEND}`, () => {
  it('a finished run leaves none behind, and a second run finds its names free', async () => {
    const first = await runAnalysis(town(), { mode: 'full' });
    expect(first.findings).toBeGreaterThan(0);
    expect(await workTablesLeft()).toEqual([]);
    const second = await runAnalysis(town(), { mode: 'full' });
    expect(second.findings).toBe(first.findings);
    expect(await workTablesLeft()).toEqual([]);
  });

  it('a run that fails after the heavy fills leaves none behind and its suspects untouched', async () => {
    const before = (await town().query<{ n: number }>('SELECT count(*)::int AS n FROM suspect')).rows[0]?.n;
    const failing = runAnalysis(town(), {
      mode: 'full',
      progress: (p) => {
        if (p.step === 'flag') throw new Error('stopped at flag');
      },
    });
    await expect(failing).rejects.toThrow('stopped at flag');
    expect(await workTablesLeft()).toEqual([]);
    expect((await town().query<{ n: number }>('SELECT count(*)::int AS n FROM suspect')).rows[0]?.n).toBe(before);
  });
});
