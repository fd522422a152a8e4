import { guarded } from '../guarded-query.ts';
import type { RuleCode } from '../rule-catalog.ts';
import { ruleParams } from './rule-params.ts';
import type { AnalysisRule, ConstraintKind } from './rule.types.ts';

/**
 * A rule that fires on the overlap with one constraint kind (FARMLAND, ECO_REDLINE, PASSAGE, ZONE_USE,
 * REBUILD): its SQL filters lw_overlap by the kind and the rule's thresholds (see ruleParams).
 */
export function overlapRule(
  code: RuleCode,
  kind: ConstraintKind,
  sql: string,
  extraKinds: readonly ConstraintKind[] = [],
  /** Whether the SQL takes the overlay grid size as $5 (it computes overlays of its own). */
  usesGrid = false,
): AnalysisRule {
  return {
    code,
    overlayKinds: [kind, ...extraKinds],
    pieceKinds: [],
    skipReason: () => null,
    async run({ tx, settings, gridSize }) {
      const row = await guarded(tx, `rule ${code}`, sql, usesGrid ? [...ruleParams(settings), gridSize] : ruleParams(settings));
      return row.n;
    },
  };
}
