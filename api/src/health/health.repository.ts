import type { Queryable } from '../db/db.types.ts';

/** Version of the PostGIS library the database runs (e.g. "3.6.2"). Throws when PostGIS is missing. */
export async function readPostgisVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ version: string }>('SELECT postgis_lib_version() AS version');
  return rows[0]?.version ?? 'unknown';
}
