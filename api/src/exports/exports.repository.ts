import type { Queryable } from '../db/db.types.ts';
import { sqlFile } from '../db/sql-file.ts';
import type { ExportFilter, ExportRow, LedgerRow } from './exports.types.ts';

// The shared filter predicate, without its comment lines, spliced into each query that names it.
const FILTER = sqlFile(import.meta.url, 'sql/export-filter.sql')
  .split('\n')
  .filter((line) => !line.startsWith('--') && line.trim() !== '')
  .join('\n');
const withFilter = (file: string): string => {
  const text = sqlFile(import.meta.url, file);
  if (!text.includes('{{EXPORT_FILTER}}')) throw new Error(`${file} lacks the {{EXPORT_FILTER}} marker`);
  return text.replace('{{EXPORT_FILTER}}', FILTER);
};
const ROWS = withFilter('sql/export-rows.sql');
const LEDGER = withFilter('sql/export-ledger.sql');
const COUNT = withFilter('sql/export-count.sql');
const FIND_DISTRICT = sqlFile(import.meta.url, 'sql/find-district.sql');

/** The nine filter values, in the `$1…$9` order every export query shares. */
function filterValues(f: ExportFilter): unknown[] {
  return [
    f.districtPrefix ?? null,
    f.rules ?? null,
    f.severities ?? null,
    f.statuses ?? null,
    f.active ?? null,
    f.minAreaM2 ?? null,
    f.bbox ?? null,
    f.epoch ?? null,
    f.isNew ?? null,
  ];
}

/** How the geometry comes back: not at all, or as GeoJSON text in an SRID with so many decimals. */
export interface GeometryOutput {
  srid: number;
  digits: number;
}

/**
 * Streams the export rows in district-code then id order, in batches from a server-side cursor
 * (bounded memory whatever the count). Yields nothing when no suspect matches.
 */
export function streamExportRows(db: Queryable, filter: ExportFilter, geometry: GeometryOutput | null, batchSize = 1000): AsyncIterable<ExportRow[]> {
  return db.stream<ExportRow>(ROWS, [...filterValues(filter), geometry?.srid ?? 4490, geometry !== null, geometry?.digits ?? 0], { batchSize });
}

/** Number of suspects the filter selects (0 when none). */
export async function countExportRows(db: Queryable, filter: ExportFilter): Promise<number> {
  return (await db.query<{ n: number }>(COUNT, filterValues(filter))).rows[0]?.n ?? 0;
}

interface LedgerDbRow {
  district_code: string | null;
  district_name: string | null;
  district_level: string | null;
  county_name: string | null;
  township_name: string | null;
  village_name: string | null;
  total: number;
  new_count: number;
  stock_count: number;
  area_m2: number;
  light: number;
  general: number;
  serious: number;
  by_rule: Record<string, { count: number; areaM2: number }>;
}

/** Aggregates per suspect district (leaf units) in code order, no-district last; [] when none. */
export async function ledgerRows(db: Queryable, filter: ExportFilter): Promise<LedgerRow[]> {
  const { rows } = await db.query<LedgerDbRow>(LEDGER, filterValues(filter));
  return rows.map((r) => ({
    districtCode: r.district_code,
    districtName: r.district_name,
    districtLevel: r.district_level,
    countyName: r.county_name,
    townshipName: r.township_name,
    villageName: r.village_name,
    total: r.total,
    newCount: r.new_count,
    stockCount: r.stock_count,
    areaM2: Number(r.area_m2),
    light: r.light,
    general: r.general,
    serious: r.serious,
    byRule: Object.fromEntries(Object.entries(r.by_rule ?? {}).map(([k, v]) => [k, { count: Number(v.count), areaM2: Number(v.areaM2) }])),
  }));
}

/** Whether a district prefix names anything, and the name of the unit it denotes (null when unknown). */
export async function findDistrict(db: Queryable, prefix: string): Promise<{ known: boolean; name: string | null }> {
  const row = (await db.query<{ known: boolean; name: string | null }>(FIND_DISTRICT, [prefix])).rows[0];
  return { known: row?.known ?? false, name: row?.name ?? null };
}
