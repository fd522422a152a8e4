import { M2_PER_MU } from '../rule-catalog.ts';
import type { RuleSettings } from '../ruleset.schema.ts';

/**
 * The $1…$4 of every rule's SQL: minimum overlap (m²), minimum share (0..1), and the severity bands
 * converted from 亩 to m² (general from, serious from).
 */
export function ruleParams(settings: RuleSettings): [number, number, number, number] {
  return [settings.minOverlapM2, settings.minShare, settings.bands.generalMu * M2_PER_MU, settings.bands.seriousMu * M2_PER_MU];
}
