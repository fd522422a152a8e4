import type { Queryable } from '../db/db.types.ts';

/**
 * A statement failed inside PostGIS without the database saying so. PGlite's PostGIS answers a GEOS
 * error with zero rows and no error (native PostGIS raises it), so every analysis statement ends in
 * `SELECT count(*) …`, which always yields one row: no row at all means the statement was lost.
 */
export class SilentGeometryError extends Error {
  readonly code = 'ANALYSIS_GEOMETRY_ERROR';
  constructor(readonly step: string) {
    super(
      `Analysis step "${step}" returned no result: the database dropped a geometry error (PGlite does this where ` +
        'PostGIS raises a GEOS exception). Nothing of this run was kept. (分析步骤几何计算失败，本次分析未保存)',
    );
    this.name = 'SilentGeometryError';
  }
}

/**
 * Runs one guarded statement (its text ends in `SELECT count(*)::int AS n …`) and returns its first
 * row. Throws SilentGeometryError when the database returned no row at all.
 */
export async function guarded<R extends { n: number } = { n: number }>(
  tx: Queryable,
  step: string,
  text: string,
  values: readonly unknown[] = [],
): Promise<R> {
  const { rows } = await tx.query<R>(text, values);
  const row = rows[0];
  if (!row) throw new SilentGeometryError(step);
  return row;
}
