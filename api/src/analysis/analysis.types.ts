import type { Bilingual, RuleCode, RunNoteCode } from './rule-catalog.ts';
import type { Ruleset } from './ruleset.schema.ts';

/** Full re-analyses everything; incremental only what changed since the previous successful run. */
export type AnalysisMode = 'full' | 'incremental';

/** Progress of a run: a step name, 0..1 overall, and a message for people. */
export interface AnalysisProgress {
  step: string;
  fraction: number;
  message: string;
}

/** Options of `runAnalysis`. */
export interface AnalysisOptions {
  mode: AnalysisMode;
  /** A ruleset file path or an already loaded ruleset; default data/rulesets/default.json. */
  ruleset?: string | Ruleset;
  progress?: (p: AnalysisProgress) => void;
}

/** A note of a run (a skipped rule, a fall-back to a full run). */
export interface RunNote extends Bilingual {
  code: RunNoteCode;
  rule?: RuleCode;
}

/** What one rule did in a run. */
export interface RuleRunSummary {
  code: RuleCode;
  name: Bilingual;
  ran: boolean;
  /** Why it did not run (disabled, no baseline, no boundary layer). */
  skipped: RunNote | null;
  /** Findings it produced among the subjects evaluated in this run. */
  findings: number;
  ms: number;
}

/** Active suspects per district after the run; code null = outside every district. */
export interface DistrictCount {
  code: string | null;
  name: string | null;
  suspects: number;
  newCount: number;
  areaM2: number;
}

/** The result of `runAnalysis`. Counts of suspects are over all active suspects after the run. */
export interface AnalysisRunResult {
  runId: number;
  /** The mode that ran (an incremental request falls back to full when it cannot be exact). */
  mode: AnalysisMode;
  requestedMode: AnalysisMode;
  ruleset: { version: string; hash: string; path: string | null };
  /** 'YYYY-MM-DD' or null when there is no building layer / no earlier epoch. */
  latestEpoch: string | null;
  baselineEpoch: string | null;
  previousRunId: number | null;
  subjects: {
    /** Subjects the analysis covers (latest-epoch buildings + change patches). */
    total: number;
    /** Subjects evaluated by this run (all of them in a full run). */
    analysed: number;
    newCount: number;
    grownCount: number;
  };
  rules: RuleRunSummary[];
  findings: number;
  suspects: {
    flagged: number;
    created: number;
    deactivated: number;
    reopened: number;
    active: number;
    byRule: Array<{ rule: string; suspects: number; overlapM2: number }>;
    byDistrict: DistrictCount[];
  };
  notes: RunNote[];
  /** Milliseconds per step, plus `total`. */
  timings: Record<string, number>;
}
