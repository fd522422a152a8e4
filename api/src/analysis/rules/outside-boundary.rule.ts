import { sqlFile } from '../../db/sql-file.ts';
import { appendFindings } from '../work-table.ts';
import { ruleParams } from './rule-params.ts';
import type { AnalysisRule } from './rule.types.ts';

const SQL = sqlFile(import.meta.url, 'outside-boundary.sql');

/**
 * OUTSIDE_BOUNDARY (城镇开发边界外新增建设): new construction (a new building, a change patch, or the
 * added part of a grown building) outside the development boundary. Needs a baseline and a boundary layer: without a
 * boundary everything would be "outside", which says nothing.
 */
export const outsideBoundaryRule: AnalysisRule = {
  code: 'OUTSIDE_BOUNDARY',
  overlayKinds: [],
  pieceKinds: ['development_boundary'],
  skipReason: ({ hasBaseline, activeKinds }) =>
    !hasBaseline ? 'NO_BASELINE' : !activeKinds.has('development_boundary') ? 'NO_BOUNDARY_LAYER' : null,
  async run({ tx, settings, workTables, gridSize }) {
    return appendFindings(tx, workTables, 'rule OUTSIDE_BOUNDARY', SQL, [...ruleParams(settings), gridSize]);
  },
};
