import type { RuleCode } from '../rule-catalog.ts';
import { cultivatedRule } from './cultivated.rule.ts';
import { ecoRedlineRule } from './eco-redline.rule.ts';
import { expansionRule } from './expansion.rule.ts';
import { farmlandRule } from './farmland.rule.ts';
import { noPermitRule } from './no-permit.rule.ts';
import { outsideBoundaryRule } from './outside-boundary.rule.ts';
import { passageRule } from './passage.rule.ts';
import { rebuildRule } from './rebuild.rule.ts';
import type { AnalysisRule } from './rule.types.ts';
import { zoneUseRule } from './zone-use.rule.ts';

/** Every rule module, keyed by code; the run executes them in RULE_CODES order. */
export const RULES: Record<RuleCode, AnalysisRule> = {
  FARMLAND: farmlandRule,
  CULTIVATED: cultivatedRule,
  ECO_REDLINE: ecoRedlineRule,
  PASSAGE: passageRule,
  ZONE_USE: zoneUseRule,
  REBUILD: rebuildRule,
  OUTSIDE_BOUNDARY: outsideBoundaryRule,
  NO_PERMIT: noPermitRule,
  EXPANSION: expansionRule,
};
