import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/**
 * CULTIVATED (占用耕地): overlap with cultivated land of the ruleset's `codes` (prefix match), minus
 * basic farmland (so the farmland pieces are overlaid too, even when FARMLAND is disabled).
 */
export const cultivatedRule = overlapRule(
  'CULTIVATED',
  'cultivated_land',
  sqlFile(import.meta.url, 'cultivated.sql'),
  ['basic_farmland'],
  true,
);
