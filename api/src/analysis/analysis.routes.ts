import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import type { JobService } from '../jobs/jobs.service.ts';
import { getRun, listRuns, type AnalysisRunRow } from './analysis.repository.ts';
import { runAnalysis } from './analysis.service.ts';
import { DISPOSITIONS, RULE_CATALOG, RULE_CODES, SEVERITY_NAMES } from './rule-catalog.ts';
import { DEFAULT_RULESET_PATH, loadRuleset, RulesetError, type Ruleset } from './ruleset.schema.ts';

const RULESET_DIR = path.dirname(DEFAULT_RULESET_PATH);

const runBody = z
  .object({
    mode: z.enum(['full', 'incremental']).default('incremental'),
    // A name in data/rulesets/, never a path: the API must not read arbitrary files.
    ruleset: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be the name of a ruleset in data/rulesets').optional(),
  })
  .strict();
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });

/** A run as the API shows it. */
export function toRunJson(r: AnalysisRunRow) {
  return {
    id: r.id,
    mode: r.mode,
    requestedMode: r.requested_mode ?? r.mode,
    status: r.status,
    rulesetVersion: r.ruleset_version,
    rulesetHash: r.ruleset_hash,
    engineVersion: r.engine_version,
    baselineEpoch: r.baseline_epoch,
    latestEpoch: r.latest_epoch,
    previousRunId: r.previous_run_id,
    counts: r.counts,
    timings: r.timings,
    notes: r.notes,
    error: r.error,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

async function resolveRuleset(name: string | undefined): Promise<Ruleset> {
  const file = name ? path.join(RULESET_DIR, `${name}.json`) : DEFAULT_RULESET_PATH;
  if (!existsSync(file)) throw HttpError.badRequest('RULESET_NOT_FOUND', `No ruleset named ${name} in data/rulesets (规则集不存在)`, { field: 'body.ruleset' });
  try {
    return await loadRuleset(file);
  } catch (error) {
    if (error instanceof RulesetError) throw new HttpError(422, error.code, error.message, { errors: error.problems });
    throw error;
  }
}

/**
 * Analysis routes: POST /api/analysis/runs (starts a run as a job: 202 + Location of the job),
 * GET /api/analysis/runs, GET /api/analysis/runs/:id, GET /api/analysis/rules (catalogue + thresholds).
 */
export function createAnalysisRouter(deps: { db: Db; jobs: JobService }): Router {
  const router = Router();
  router.post('/api/analysis/runs', async (req, res) => {
    const body = runBody.safeParse(req.body ?? {});
    if (!body.success) throw fromZodError(body.error, 'body');
    // Validated now, so a broken ruleset is a 422 here rather than a failed job later.
    const ruleset = await resolveRuleset(body.data.ruleset);
    const job = await deps.jobs.start('analysis', { mode: body.data.mode, ruleset: ruleset.version }, (ctx) =>
      runAnalysis(deps.db, { mode: body.data.mode, ruleset, progress: (p) => ctx.progress(p.fraction, p.message) }),
    );
    res.status(202).location(`/api/jobs/${job.id}`).json({ jobId: job.id, status: job.status, href: `/api/jobs/${job.id}` });
  });

  router.get('/api/analysis/runs', async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    res.json({ runs: (await listRuns(deps.db, q.data.limit)).map(toRunJson) });
  });

  router.get('/api/analysis/runs/:id', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const run = await getRun(deps.db, p.data.id);
    if (!run) throw HttpError.notFound(`Analysis run ${p.data.id}`);
    res.json(toRunJson(run));
  });

  router.get('/api/analysis/rules', async (_req, res) => {
    const ruleset = await resolveRuleset(undefined);
    res.json({
      ruleset: { version: ruleset.version, hash: ruleset.hash, title: ruleset.file.title ?? null },
      rules: RULE_CODES.map((code) => ({ ...RULE_CATALOG[code], ...ruleset.rule(code) })),
      severities: SEVERITY_NAMES,
      dispositions: DISPOSITIONS,
      demolishRules: ruleset.file.disposition.demolishRules,
    });
  });
  return router;
}
