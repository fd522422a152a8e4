import type { Db, Queryable } from '../db/db.types.ts';
import { ANALYSIS_SQL as SQL, type ActiveDataset, type PreviousRun } from './analysis.repository.ts';
import type { AnalysisMode, AnalysisProgress, RuleRunSummary, RunNote } from './analysis.types.ts';
import { EVIDENCE_KEYS } from './evidence-keys.ts';
import { guarded } from './guarded-query.ts';
import { dropWorkTablesSql, fillWorkTable, workTableDdl, type FilledWorkTable, type WorkTableMode } from './work-table.ts';
import { M2_PER_MU, RULE_CATALOG, RULE_CODES, RUN_NOTES, type RunNoteCode } from './rule-catalog.ts';
import type { Ruleset } from './ruleset.schema.ts';
import { RULES } from './rules/rules.registry.ts';
import type { ConstraintKind } from './rules/rule.types.ts';

/** SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = '23505';

/** Bump when rule semantics change: an incremental run after an upgrade then falls back to full. */
export const ENGINE_VERSION = 2;

/** Vertices per constraint piece (ST_Subdivide). Smaller pieces: tighter boxes, more pieces. */
const SUBDIVIDE_MAX_VERTICES = 64;
/** Vertices per district piece when placing suspects (see ensure-district-pieces.sql). */
const DISTRICT_PIECE_MAX_VERTICES = 64;
/**
 * Grid size (degrees) of overlay operations (ST_Intersection/Difference/Union) on the embedded backend.
 * GEOS overlays retry hard cases internally after catching an exception; PGlite's WASM build cannot, and
 * such a case fails the whole statement silently (measured: 161 of 20,000 near-coincident building
 * unions). Snap-rounding to a fixed 1e-9° grid (~0.1 mm) needs no retry. Native PostGIS keeps floating
 * precision (-1): its own fallback works and it is faster. Snapping moves vertices by ≤ 0.06 mm:
 * areas of a 10 m building differ by ~1e-5 relative (0.001 m²) between the backends.
 */
export function overlayGridSize(kind: Db['kind']): number {
  return kind === 'pglite' ? 1e-9 : -1;
}

/** Subjects in scope below which a run plans no parallel workers (see the scope step). */
const PARALLEL_MIN_SCOPE = 50_000;

/** Longest edge before subdividing, in degrees (~50 m): long roads and boundaries become compact pieces. */
const SEGMENT_MAX_DEGREES = 0.0005;

/** The layers a run sees and the epochs it compares. */
export interface Scene {
  datasets: ActiveDataset[];
  latestEpoch: string | null;
  baselineEpoch: string | null;
  baselineDatasetIds: number[];
  /** The layers whose features are subjects: buildings of the latest epoch and change patches. */
  subjectDatasetIds: number[];
  activeKinds: Set<string>;
}

/** What the pipeline did, for the run row and the result. */
export interface PipelineOutcome {
  mode: AnalysisMode;
  previousRunId: number | null;
  scene: Scene;
  counts: Record<string, number>;
  rules: RuleRunSummary[];
  notes: RunNote[];
}

/** A note in both languages. */
export function note(code: RunNoteCode, rule?: RuleRunSummary['code']): RunNote {
  return { code, ...RUN_NOTES[code], ...(rule ? { rule } : {}) };
}

/** Reads the active layer versions and derives the latest and baseline building epochs. */
export async function readScene(tx: Queryable): Promise<Scene> {
  const datasets = (await tx.query<ActiveDataset>(SQL.activeDatasets)).rows;
  const epochs = [...new Set(datasets.filter((d) => d.kind === 'building' && d.epoch).map((d) => d.epoch as string))].sort().reverse();
  const latestEpoch = epochs[0] ?? null;
  const baselineEpoch = epochs[1] ?? null;
  return {
    datasets,
    latestEpoch,
    baselineEpoch,
    baselineDatasetIds: datasets.filter((d) => d.kind === 'building' && d.epoch === baselineEpoch && baselineEpoch).map((d) => d.id),
    subjectDatasetIds: datasets.filter((d) => (d.kind === 'building' && d.epoch === latestEpoch && latestEpoch) || d.kind === 'change_patch').map((d) => d.id),
    activeKinds: new Set(datasets.map((d) => d.kind)),
  };
}

/**
 * Decides whether an incremental run can be exact: it needs a previous successful run with the same
 * ruleset, engine and epochs. Returns the reason to run in full instead, or null.
 */
export function fullRunReason(requested: AnalysisMode, prev: PreviousRun | null, scene: Scene, ruleset: Ruleset): RunNoteCode | null {
  if (requested === 'full') return null;
  if (!prev) return 'FULL_NO_PREVIOUS';
  if (prev.ruleset_hash !== ruleset.hash) return 'FULL_RULESET_CHANGED';
  if (prev.engine_version !== ENGINE_VERSION) return 'FULL_ENGINE_CHANGED';
  if (prev.latest_epoch !== scene.latestEpoch || prev.baseline_epoch !== scene.baselineEpoch) return 'FULL_EPOCHS_CHANGED';
  return null;
}

/**
 * Builds unique indexes (`ddl`) on a work table filled without numbering identical copies. When the
 * database refuses them (two rows alike: identical copies within a layer, rare), `ranked` refills the
 * table with copies numbered and the indexes are built again. Returns `ranked`'s result, or null when
 * the plain fill was unique. Cheaper than numbering every time: the sort a million rows would need
 * becomes an index build that was needed anyway.
 */
async function uniqueOrRanked<T>(tx: Queryable, ddl: string, ranked: () => Promise<T>): Promise<T | null> {
  await tx.exec('SAVEPOINT lw_unique');
  try {
    await tx.exec(ddl);
    await tx.exec('RELEASE SAVEPOINT lw_unique');
    return null;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await tx.exec('ROLLBACK TO SAVEPOINT lw_unique; RELEASE SAVEPOINT lw_unique');
  }
  const result = await ranked();
  await tx.exec(ddl);
  return result;
}

/**
 * The analysis inside one transaction: work tables, scope, overlay, rules, publication of suspects and
 * findings. Every step is set-based SQL; `step` times each one and reports progress.
 */
export async function runPipeline(
  tx: Queryable,
  input: {
    runId: number;
    requested: AnalysisMode;
    ruleset: Ruleset;
    gridSize: number;
    /** How work tables are held (workTableMode of the backend). */
    workTables: WorkTableMode;
    progress?: (p: AnalysisProgress) => void;
  },
  timings: Record<string, number>,
): Promise<PipelineOutcome> {
  const { runId, ruleset, gridSize, workTables } = input;
  const totalSteps = 8 + RULE_CODES.length;
  let done = 0;
  const step = async <T>(name: string, message: string, fn: () => Promise<T>): Promise<T> => {
    input.progress?.({ step: name, fraction: done / totalSteps, message });
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round((timings[name] ?? 0) + performance.now() - t0);
      done += 1;
    }
  };
  const run = <R extends { n: number } = { n: number }>(name: string, text: string, values: readonly unknown[] = []) =>
    guarded<R>(tx, name, text, values);
  const fill = (name: string, table: FilledWorkTable, select: string, values: readonly unknown[] = []) =>
    fillWorkTable(tx, workTables, name, table, select, values);
  const counts: Record<string, number> = {};
  const notes: RunNote[] = [];

  const { scene, prev } = await step('scene', 'Reading layers / 读取图层', async () => {
    const s = await readScene(tx);
    const p = (await tx.query<PreviousRun>(SQL.previousRun)).rows[0] ?? null;
    await tx.exec(workTableDdl(SQL.createWorkTables, workTables));
    return { scene: s, prev: p };
  });
  const fallback = fullRunReason(input.requested, prev, scene, ruleset);
  if (fallback) notes.push(note(fallback));
  const mode: AnalysisMode = input.requested === 'incremental' && !fallback ? 'incremental' : 'full';
  const hasBaseline = scene.baselineEpoch !== null;
  if (!scene.latestEpoch) notes.push(note('NO_BUILDINGS'));
  else if (!hasBaseline) notes.push(note('NO_BASELINE'));

  counts.universe = (
    await step('universe', 'Listing subjects / 汇总分析对象', async () => {
      const plain = { n: await fill('universe', 'lw_universe', SQL.loadUniverse, [scene.subjectDatasetIds]) };
      // The unique index on the keys doubles as the check that no two subjects share one (identical
      // copies within a layer): only then are the keys numbered, which takes a sort of every subject.
      const ranked = await uniqueOrRanked(tx, 'CREATE UNIQUE INDEX lw_universe_key ON lw_universe (suspect_key)', () =>
        run('universe ranked', SQL.loadUniverseRanked, [scene.subjectDatasetIds]),
      );
      await tx.exec('CREATE UNIQUE INDEX ON lw_universe (sid); ANALYZE lw_universe');
      return ranked ?? plain;
    })
  ).n;

  let districtsChanged = false;
  await step('scope', 'Finding what changed / 识别变化范围', async () => {
    if (mode === 'full') {
      counts.scope = (await run('scope', SQL.scopeFull)).n;
    } else {
      const seen = (prev as PreviousRun).dataset_ids.map(Number);
      const changed = await run<{ n: number; kinds: string[]; ids: number[]; appeared_ids: number[]; gone_ids: number[] }>(
        'changed datasets',
        SQL.changedDatasets,
        [seen],
      );
      const changedIds = changed.ids.map(Number);
      // Each side of the pairing reads only its own versions' partitions.
      const versions = [changed.gone_ids.map(Number), changed.appeared_ids.map(Number)];
      districtsChanged = changed.kinds.includes('district');
      counts.changedDatasets = changed.n;
      // Statistics first: with the real (small) number of changed layers the planner reads their rows
      // through the dataset indexes instead of scanning every subject and feature.
      await tx.exec('CREATE INDEX ON lw_changed_ds (appeared); ANALYZE lw_changed_ds');
      await fill('twins', 'lw_twin', SQL.findTwins, versions);
      const found = (await tx.query<{ n: number; features: number; subjects: number; nameable_subjects: number }>(SQL.countTwins, [scene.baselineDatasetIds])).rows[0] ?? {
        n: 0,
        features: 0,
        subjects: 0,
        nameable_subjects: 0,
      };
      // Unique indexes on both ids double as the check that no subject was paired twice (identical
      // copies within a layer, rare): only then are the pairs redone with copy numbers. Old ids are
      // looked up one by one later (repointing evidence), new ids are anti-joined in bulk.
      const ranked = await uniqueOrRanked(tx, 'CREATE UNIQUE INDEX ON lw_twin (what, old_id); CREATE UNIQUE INDEX ON lw_twin (what, new_id)', () =>
        run<{ n: number; nameable_subjects: number }>('twins ranked', SQL.findSubjectTwinsRanked, [...versions, scene.baselineDatasetIds]),
      );
      await tx.exec('ANALYZE lw_twin');
      const subjects = ranked ?? { n: found.subjects, nameable_subjects: found.nameable_subjects };
      counts.twins = found.features + subjects.n;
      counts.nameableTwins = found.features + subjects.nameable_subjects;
      counts.changedAreas = (await run('changed areas', SQL.changedAreas, [scene.baselineEpoch, changedIds])).n;
      await tx.exec('CREATE INDEX ON lw_changed USING gist (geom); ANALYZE lw_changed');
      counts.scope = (await run('scope', SQL.scopeIncremental, [scene.subjectDatasetIds])).n;
    }
    await tx.exec('CREATE UNIQUE INDEX ON lw_scope (sid)');
  });
  // A small scope (an incremental run after a few edits) is best served by index probes from its few
  // subjects; planned for parallel workers, the same statements scanned whole layers in slices
  // (measured at 1M buildings, 10,000 in scope: the overlay 0.3 → 4.6 s, placing → 2.0 s).
  const smallScope = (counts.scope ?? 0) < PARALLEL_MIN_SCOPE;
  if (workTables === 'unlogged' && smallScope) await tx.exec('SET LOCAL max_parallel_workers_per_gather = 0');

  // Which rules run, and which constraint pieces they need (permits always: they are subtracted first).
  const context = { hasBaseline, activeKinds: scene.activeKinds };
  const runnable = RULE_CODES.filter((code) => (ruleset.rule(code).enabled ? RULES[code].skipReason(context) : 'RULE_DISABLED') === null);
  const overlayKinds = [...new Set(runnable.flatMap((c) => RULES[c].overlayKinds))];
  const pieceKinds: ConstraintKind[] = [...new Set<ConstraintKind>(['permit', ...overlayKinds, ...runnable.flatMap((c) => RULES[c].pieceKinds)])];

  const pieceDatasetIds = scene.datasets.filter((d) => (pieceKinds as string[]).includes(d.kind)).map((d) => d.id);

  counts.pieces = (await step('pieces', 'Cutting constraint layers / 切分约束图层', async () => {
    await tx.exec('ANALYZE lw_scope');
    const size = [SUBDIVIDE_MAX_VERTICES, SEGMENT_MAX_DEGREES];
    const stale = ((await tx.query<{ ids: string[] }>(SQL.staleConstraintPieces, [pieceDatasetIds, ...size])).rows[0]?.ids ?? []).map(Number);
    counts.datasetsCut = stale.length;
    if (stale.length > 0) {
      // The spatial index is built again after the cut rather than kept up row by row: one sorted build
      // of all pieces (~0.6 s at 330,000) against ~3 s of insertions when every layer is cut. Only
      // analyses read the pieces, one at a time, so the lock this takes until commit blocks no one.
      await tx.exec('DROP INDEX IF EXISTS constraint_piece_geom_gix');
      await run('cut pieces', SQL.ensureConstraintPieces, [stale, ...size]);
      await tx.exec('CREATE INDEX constraint_piece_geom_gix ON constraint_piece USING gist (geom); ANALYZE constraint_piece');
    }
    const n = await fill('pieces', 'lw_piece', SQL.loadPieces, [
      pieceKinds,
      ruleset.file.rules.ZONE_USE.forbiddenCodes,
      ruleset.file.rules.CULTIVATED.codes,
      pieceDatasetIds,
      mode === 'full',
      scene.subjectDatasetIds,
    ]);
    await tx.exec('CREATE INDEX ON lw_piece USING gist (geom); ANALYZE lw_piece');
    counts.permitPieces = (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM lw_piece WHERE kind = 'permit'")).rows[0]?.n ?? 0;
    return n;
  }));

  await step('subjects', 'Loading subjects, baseline and permits / 载入对象、比对基期、扣除已批', async () => {
    const { expansion, buildingMatch } = ruleset.file;
    if (scene.baselineDatasetIds.length > 0) {
      counts.matchedEqual = await fill('match equal', 'lw_match', SQL.matchEqual, [scene.baselineDatasetIds]);
      await tx.exec('CREATE UNIQUE INDEX ON lw_match (sid); ANALYZE lw_match');
      counts.matchedSpatial = await fill('match spatial', 'lw_match_spatial', SQL.matchSpatial, [scene.baselineDatasetIds, gridSize, scene.subjectDatasetIds]);
      // A few buildings in ten (new and changed ones): appended to the equal matches in one step.
      await tx.exec('INSERT INTO lw_match SELECT * FROM lw_match_spatial; ANALYZE lw_match');
    }
    if ((counts.permitPieces ?? 0) > 0) {
      counts.permitTouched = await fill('permit cover', 'lw_permit_cover', SQL.loadPermitCover, [gridSize, scene.subjectDatasetIds]);
      await tx.exec('ANALYZE lw_permit_cover');
    }
    if (scene.baselineDatasetIds.length > 0) {
      await fill('grown footprints', 'lw_grown_base', SQL.loadGrownBase, [
        scene.baselineDatasetIds,
        buildingMatch.minOverlapRatio,
        expansion.minGrowthShare,
        expansion.minGrowthM2,
        gridSize,
        scene.subjectDatasetIds,
      ]);
      await tx.exec('ANALYZE lw_grown_base');
    }
    counts.analysed = await fill('subjects', 'lw_subj', SQL.loadSubjects, [scene.baselineDatasetIds, buildingMatch.minOverlapRatio, gridSize, scene.subjectDatasetIds]);
    // No spatial index on lw_subj: every statement after this reads it by sid or scans it whole.
    await tx.exec('CREATE UNIQUE INDEX ON lw_subj (sid); ANALYZE lw_subj');
    const c = (await tx.query<{ new_count: number; grown_count: number; permitted: number }>(SQL.countSubjects)).rows[0];
    counts.newCount = c?.new_count ?? 0;
    counts.grownCount = c?.grown_count ?? 0;
    counts.permitted = c?.permitted ?? 0;
  });

  counts.hits = (await step('overlay', 'Overlaying / 叠加分析', async () => {
    await tx.exec('SET LOCAL join_collapse_limit = 1');
    const hits = await fill('overlay', 'lw_hit', SQL.overlay, [overlayKinds, gridSize, scene.subjectDatasetIds]);
    await tx.exec('SET LOCAL join_collapse_limit = DEFAULT');
    await run('drop empty hits', SQL.dropEmptyHits);
    await tx.exec('CREATE INDEX ON lw_hit (sid, kind); ANALYZE lw_hit');
    await fill('aggregate overlaps', 'lw_overlap', SQL.aggregateOverlaps, [gridSize]);
    await tx.exec('CREATE UNIQUE INDEX ON lw_overlap (sid, kind); ANALYZE lw_overlap');
    return hits;
  }));

  const rules: RuleRunSummary[] = [];
  for (const code of RULE_CODES) {
    const settings = ruleset.rule(code);
    const reason = settings.enabled ? RULES[code].skipReason(context) : 'RULE_DISABLED';
    const t0 = performance.now();
    let findings = 0;
    if (reason === null) {
      findings = await step(`rule ${code}`, `${RULE_CATALOG[code].name.zh} / ${code}`, () => RULES[code].run({ tx, settings, gridSize, workTables, ...context }));
    } else {
      done += 1;
      if (reason !== 'NO_BASELINE') notes.push(note(reason, code));
    }
    rules.push({ code, name: RULE_CATALOG[code].name, ran: reason === null, skipped: reason ? note(reason, code) : null, findings, ms: Math.round(performance.now() - t0) });
  }
  counts.findings = rules.reduce((s, r) => s + r.findings, 0);

  await step('flag', 'Grading and placing suspects / 评定与落区', async () => {
    const pieces = await run<{ n: number; rebuilt: boolean }>('district pieces', SQL.ensureDistrictPieces, [DISTRICT_PIECE_MAX_VERTICES]);
    counts.districtPieces = pieces.n;
    if (pieces.rebuilt) await tx.exec('ANALYZE district_piece');
    // Placed first, into a table with statistics: joined from a CTE, the planner guessed one row and
    // chose a nested loop over every pair of flagged subjects.
    await tx.exec('ANALYZE lw_finding');
    // A small scope: its flagged subjects first, then the pieces around each (the order as written).
    // Driven from the district pieces, an incremental run's 10,000 flagged subjects met 527,000 of the
    // latest layer in a hash join. A large scope is better driven from the pieces, as the planner
    // chooses: a piece then meets dozens of subjects in a row and PostGIS reuses its prepared geometry
    // (measured at 1M buildings, 199,215 flagged: 46–57 µs per subject-first probe, 2.4 s in all from the
    // pieces vs 4.4 s from the subjects).
    if (smallScope) await tx.exec('SET LOCAL join_collapse_limit = 1');
    counts.placed = await fill('place', 'lw_placed', SQL.placeSubjects, [gridSize, scene.subjectDatasetIds]);
    await tx.exec('SET LOCAL join_collapse_limit = DEFAULT');
    await tx.exec('CREATE UNIQUE INDEX ON lw_placed (sid); ANALYZE lw_placed');
    counts.flagged = await fill('flag', 'lw_flag', SQL.flagSubjects, [RULE_CODES, ruleset.file.disposition.demolishRules]);
    await tx.exec('CREATE UNIQUE INDEX ON lw_flag (sid); CREATE UNIQUE INDEX ON lw_flag (suspect_key)');
    await run('evidence', SQL.buildEvidence, [JSON.stringify(EVIDENCE_KEYS), scene.baselineDatasetIds, pieceDatasetIds]);
    await tx.exec('ANALYZE lw_evidence; ANALYZE lw_flag');
  });

  await step('publish', 'Publishing suspects / 发布疑似图斑', async () => {
    if (mode === 'incremental' && (counts.nameableTwins ?? 0) > 0) {
      counts.evidenceRepointed = (await run('repoint evidence', SQL.repointEvidence)).n;
    }
    counts.reopened = (await run('reopen', SQL.reopenDismissed, [runId])).n;
    const up = await run<{ n: number; created: number }>('upsert suspects', SQL.upsertSuspects, [runId, ruleset.version, ruleset.hash]);
    counts.created = up.created;
    counts.findingsWritten = (await run('findings', SQL.replaceFindings, [runId, ruleset.version, ruleset.hash, M2_PER_MU])).n;
    counts.deactivated = (await run('deactivate', SQL.deactivateSuspects)).n;
    if (districtsChanged) counts.districtsRefreshed = (await run('refresh districts', SQL.refreshSuspectDistricts, [gridSize])).n;
  });

  if (workTables === 'unlogged') await tx.exec(dropWorkTablesSql(SQL.createWorkTables));
  return { mode, previousRunId: prev?.id ?? null, scene, counts, rules, notes };
}
