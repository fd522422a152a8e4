import type { Db, Queryable } from '../db/db.types.ts';
import { ENGINE_VERSION, overlayGridSize, runPipeline } from './analysis-pipeline.ts';
import { workTableMode } from './work-table.ts';
import { ANALYSIS_SQL as SQL, failRun, insertRun } from './analysis.repository.ts';
import type { AnalysisOptions, AnalysisRunResult, DistrictCount } from './analysis.types.ts';
import { loadRuleset, type Ruleset } from './ruleset.schema.ts';

export type { AnalysisOptions, AnalysisRunResult } from './analysis.types.ts';

// Any constant works; it only keeps two analyses of one database from running at the same time.
const RUN_LOCK_KEY = 4_490_2004;

/**
 * Runs the violation analysis: loads and validates the ruleset, evaluates the subjects (all, or in
 * incremental mode only those touched since the previous successful run — falling back to a full run,
 * and saying why, when that could not be exact), and publishes suspects and findings. All of it in one
 * transaction: a failure leaves suspects as they were and marks the run failed (then re-throws).
 * Areas are ellipsoidal m² (EPSG:4490 geometry measured as geography).
 */
export async function runAnalysis(db: Db, options: AnalysisOptions): Promise<AnalysisRunResult> {
  const ruleset: Ruleset = typeof options.ruleset === 'object' ? options.ruleset : await loadRuleset(options.ruleset);
  const runId = await insertRun(db, {
    mode: options.mode,
    rulesetVersion: ruleset.version,
    rulesetHash: ruleset.hash,
    rulesetPath: ruleset.path,
    engineVersion: ENGINE_VERSION,
  });
  const timings: Record<string, number> = {};
  const started = performance.now();
  try {
    const result = await db.transaction(async (tx) => {
      // Runs queue up here rather than interleave: each one starts from the state the previous one left.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK_KEY]);
      // PostGIS functions carry high planner costs, so PostgreSQL would JIT-compile nearly every
      // statement here: measured ~0.5 s of compilation each, for queries that then run in milliseconds.
      await tx.exec('SET LOCAL jit = off');
      // Sorts and hashes of a run carry geometries (grouping overlaps, placing suspects) and a million
      // subject keys: with less they spill to disk (measured at 1M buildings: 64 MB sorted 240 MB of
      // subjects through temporary files). Per sort/hash node, so memory stays bounded.
      await tx.exec("SET LOCAL work_mem = '256MB'");
      const outcome = await runPipeline(
        tx,
        { runId, requested: options.mode, ruleset, gridSize: overlayGridSize(db.kind), workTables: workTableMode(db.kind), progress: options.progress },
        timings,
      );
      const summary = await summarise(tx);
      timings.total = Math.round(performance.now() - started);
      const c = outcome.counts;
      const res: AnalysisRunResult = {
        runId,
        mode: outcome.mode,
        requestedMode: options.mode,
        ruleset: { version: ruleset.version, hash: ruleset.hash, path: ruleset.path },
        latestEpoch: outcome.scene.latestEpoch,
        baselineEpoch: outcome.scene.baselineEpoch,
        previousRunId: outcome.previousRunId,
        subjects: { total: c.universe ?? 0, analysed: c.analysed ?? 0, newCount: c.newCount ?? 0, grownCount: c.grownCount ?? 0 },
        rules: outcome.rules,
        findings: c.findings ?? 0,
        suspects: {
          flagged: c.flagged ?? 0,
          created: c.created ?? 0,
          deactivated: c.deactivated ?? 0,
          reopened: c.reopened ?? 0,
          active: summary.byDistrict.reduce((s, d) => s + d.suspects, 0),
          byRule: summary.byRule,
          byDistrict: summary.byDistrict,
        },
        notes: outcome.notes,
        timings,
      };
      const storedCounts = {
        ...c,
        findingsByRule: Object.fromEntries(outcome.rules.map((r) => [r.code, r.findings])),
        skippedRules: outcome.rules.filter((r) => !r.ran).map((r) => ({ rule: r.code, reason: r.skipped?.code })),
        activeSuspects: res.suspects.active,
      };
      await tx.query(SQL.finishRun, [
        runId,
        outcome.mode,
        outcome.scene.baselineEpoch,
        outcome.scene.latestEpoch,
        outcome.scene.datasets.map((d) => d.id),
        outcome.previousRunId,
        JSON.stringify(storedCounts),
        JSON.stringify(timings),
        JSON.stringify(outcome.notes),
      ]);
      return res;
    });
    options.progress?.({ step: 'done', fraction: 1, message: 'Done / 完成' });
    return result;
  } catch (error) {
    timings.total = Math.round(performance.now() - started);
    await failRun(db, runId, (error as Error).message ?? String(error), timings).catch(() => undefined);
    throw error;
  }
}

async function summarise(tx: Queryable): Promise<{ byRule: AnalysisRunResult['suspects']['byRule']; byDistrict: DistrictCount[] }> {
  const byRule = (await tx.query<{ rule: string; suspects: number; overlap_m2: number }>(SQL.summaryByRule)).rows.map((r) => ({
    rule: r.rule,
    suspects: r.suspects,
    overlapM2: r.overlap_m2,
  }));
  const byDistrict = (
    await tx.query<{ code: string | null; name: string | null; suspects: number; new_count: number; area_m2: number }>(SQL.summaryByDistrict)
  ).rows.map((r) => ({ code: r.code, name: r.name, suspects: r.suspects, newCount: r.new_count, areaM2: r.area_m2 }));
  return { byRule, byDistrict };
}
