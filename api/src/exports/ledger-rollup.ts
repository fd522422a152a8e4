/**
 * Rolls the per-district aggregates (leaf units, usually villages/communities) up the code
 * hierarchy for the summary sheet, and sums a totals row. Counts add up because every suspect sits
 * in exactly one leaf district.
 */
import { LABELS } from './export-messages.ts';
import type { LedgerRow } from './exports.types.ts';

function emptyRow(code: string | null): LedgerRow {
  return {
    districtCode: code,
    districtName: null,
    districtLevel: null,
    countyName: null,
    townshipName: null,
    villageName: null,
    total: 0,
    newCount: 0,
    stockCount: 0,
    areaM2: 0,
    light: 0,
    general: 0,
    serious: 0,
    byRule: {},
  };
}

function add(into: LedgerRow, r: LedgerRow): void {
  into.total += r.total;
  into.newCount += r.newCount;
  into.stockCount += r.stockCount;
  into.areaM2 += r.areaM2;
  into.light += r.light;
  into.general += r.general;
  into.serious += r.serious;
  for (const [rule, v] of Object.entries(r.byRule)) {
    const acc = (into.byRule[rule] ??= { count: 0, areaM2: 0 });
    acc.count += v.count;
    acc.areaM2 += v.areaM2;
  }
}

/** A summary row: a township (or the county's own level) with how many villages/communities it holds. */
export interface SummaryRow extends LedgerRow {
  /** Leaf districts with at least one suspect. */
  units: number;
}

/**
 * Groups leaf rows by township (first 9 digits of the code), in code order; suspects outside every
 * district form one last row. The township name falls back to a "county level" label when the
 * suspect's district is the county itself.
 */
export function rollUpToTownships(ledger: readonly LedgerRow[]): SummaryRow[] {
  const groups = new Map<string, SummaryRow>();
  for (const r of ledger) {
    const key = r.districtCode ? r.districtCode.slice(0, 9) : '';
    let g = groups.get(key);
    if (!g) {
      g = { ...emptyRow(key ? `${key}000` : null), units: 0 };
      g.countyName = r.countyName;
      g.districtLevel = key ? 'township' : null;
      g.townshipName = !key ? LABELS.noDistrict : key.endsWith('000') ? LABELS.countyLevel : r.townshipName;
      groups.set(key, g);
    }
    g.countyName ??= r.countyName;
    if (key && !key.endsWith('000')) g.townshipName ??= r.townshipName;
    g.units += 1;
    add(g, r);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** Sums rows into one totals row (code null, named 合计). */
export function totalOf(rows: readonly LedgerRow[]): LedgerRow {
  const t = emptyRow(null);
  t.districtName = LABELS.total;
  for (const r of rows) add(t, r);
  return t;
}

/** Label of a leaf district in the ledger: village name, else the district's own name, else "no district". */
export function ledgerUnitName(r: LedgerRow): string {
  if (!r.districtCode) return LABELS.noDistrict;
  if (r.villageName) return r.villageName;
  if (r.districtLevel === 'township') return `${r.districtName ?? r.districtCode}${LABELS.townshipLevel}`;
  if (r.districtLevel === 'county') return `${r.districtName ?? r.districtCode}${LABELS.countyLevel}`;
  return r.districtName ?? r.districtCode;
}
