import type { Queryable } from '../../db/db.types.ts';
import type { RuleCode, RunNoteCode } from '../rule-catalog.ts';
import type { RuleSettings } from '../ruleset.schema.ts';
import type { WorkTableMode } from '../work-table.ts';

/** Constraint kinds whose features the analysis cuts into pieces. */
export type ConstraintKind =
  | 'basic_farmland'
  | 'cultivated_land'
  | 'planning_zone'
  | 'development_boundary'
  | 'ecological_redline'
  | 'public_passage'
  | 'permit'
  | 'demolished_site';

/** What a rule sees of the run: the open transaction, its settings and what the scene holds. */
export interface RuleContext {
  tx: Queryable;
  settings: RuleSettings;
  /** True when a previous building epoch exists to compare with. */
  hasBaseline: boolean;
  /** Constraint kinds with at least one active dataset. */
  activeKinds: ReadonlySet<string>;
  /** Grid size (degrees) for overlay operations, or -1 for floating precision (see analysis-pipeline.ts). */
  gridSize: number;
  /** How the run holds its work tables (a rule with a heavy statement appends through appendFindings). */
  workTables: WorkTableMode;
}

/**
 * One rule: which constraint pieces it needs, when it cannot run, and its set-based SQL, which reads
 * the run's work tables (lw_subj, lw_overlap, lw_piece …) and inserts into lw_finding.
 */
export interface AnalysisRule {
  code: RuleCode;
  /** Kinds overlaid with every subject's permit-free footprint (lw_hit → lw_overlap). */
  overlayKinds: readonly ConstraintKind[];
  /** Kinds the rule reads as pieces itself (not through the overlay). */
  pieceKinds: readonly ConstraintKind[];
  /** Why the rule cannot run in this scene, or null when it can. */
  skipReason(ctx: Pick<RuleContext, 'hasBaseline' | 'activeKinds'>): RunNoteCode | null;
  /** Inserts its findings into lw_finding; returns how many (0 when nothing fires). */
  run(ctx: RuleContext): Promise<number>;
}
