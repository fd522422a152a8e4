import { sqlFile } from '../../db/sql-file.ts';
import { appendFindings } from '../work-table.ts';
import { ruleParams } from './rule-params.ts';
import type { AnalysisRule } from './rule.types.ts';

const SQL = sqlFile(import.meta.url, 'expansion.sql');

/** EXPANSION (违法扩建): the permit-free added part of a baseline building that grew beyond the thresholds. */
export const expansionRule: AnalysisRule = {
  code: 'EXPANSION',
  overlayKinds: [],
  pieceKinds: [],
  skipReason: ({ hasBaseline }) => (hasBaseline ? null : 'NO_BASELINE'),
  async run({ tx, settings, workTables }) {
    return appendFindings(tx, workTables, 'rule EXPANSION', SQL, ruleParams(settings));
  },
};
