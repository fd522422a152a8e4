import { sqlFile } from '../../db/sql-file.ts';
import { guarded } from '../guarded-query.ts';
import { ruleParams } from './rule-params.ts';
import type { AnalysisRule } from './rule.types.ts';

const SQL = sqlFile(import.meta.url, 'no-permit.sql');

/** NO_PERMIT (未批先建): the permit-free part of a building new since the baseline epoch, or of a change patch. */
export const noPermitRule: AnalysisRule = {
  code: 'NO_PERMIT',
  overlayKinds: [],
  pieceKinds: [],
  skipReason: ({ hasBaseline }) => (hasBaseline ? null : 'NO_BASELINE'),
  async run({ tx, settings }) {
    return (await guarded(tx, 'rule NO_PERMIT', SQL, ruleParams(settings))).n;
  },
};
