import { DISPOSITIONS, ruleNames, SEVERITY_NAMES, toMu, type DispositionCode, type Severity } from '../analysis/rule-catalog.ts';
import { NEW_STOCK_NAMES, STATUS_NAMES, SUBJECT_KIND_NAMES } from './export-messages.ts';
import type { ExportRecord, ExportRow } from './exports.types.ts';

// China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and does not
// depend on the server's time zone or ICU data.
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** An instant as Beijing time text `YYYY-MM-DD HH:mm:ss`; null stays null. */
export function beijingTime(at: Date | string | null): string | null {
  if (at === null) return null;
  const ms = (at instanceof Date ? at : new Date(at)).getTime();
  if (Number.isNaN(ms)) return null;
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The calendar date in Beijing as `YYYYMMDD` (export file names). */
export function beijingDateStamp(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * A Date whose UTC fields show Beijing wall time: spreadsheet cells have no time zone, and exceljs
 * writes the UTC fields, so the cell then reads as the bureau's local time.
 */
export function beijingWallClock(at: Date | string | null): Date | null {
  if (at === null) return null;
  const ms = (at instanceof Date ? at : new Date(at)).getTime();
  return Number.isNaN(ms) ? null : new Date(ms + BEIJING_OFFSET_MS);
}

/** Maps a database row to the record every writer consumes (Chinese names resolved once here). */
export function toExportRecord(r: ExportRow): ExportRecord {
  const names = ruleNames(r.rules).zh;
  const disposition = r.disposition && r.disposition in DISPOSITIONS ? DISPOSITIONS[r.disposition as DispositionCode].zh : r.disposition;
  const severityName = r.severity ? (SEVERITY_NAMES[r.severity as Severity]?.zh ?? r.severity) : null;
  return {
    id: r.id,
    sourceId: r.source_id,
    districtCode: r.district_code,
    districtName: r.district_name,
    countyName: r.county_name,
    townshipName: r.township_name,
    villageName: r.village_name,
    centroidLon: r.lon,
    centroidLat: r.lat,
    subjectKind: r.subject_kind,
    subjectKindName: SUBJECT_KIND_NAMES[r.subject_kind] ?? r.subject_kind,
    epoch: r.epoch,
    isNew: r.is_new,
    newOrStock: r.is_new ? NEW_STOCK_NAMES.new : NEW_STOCK_NAMES.stock,
    areaM2: r.area_m2,
    areaMu: toMu(r.area_m2),
    farmlandM2: r.farmland_m2,
    farmlandMu: toMu(r.farmland_m2),
    cultivatedM2: r.cultivated_m2,
    cultivatedMu: toMu(r.cultivated_m2),
    passageM2: r.passage_m2,
    passageMu: toMu(r.passage_m2),
    redlineM2: r.redline_m2,
    redlineMu: toMu(r.redline_m2),
    rules: r.rules,
    rulesText: r.rules.join(','),
    ruleNames: names,
    ruleNamesText: names.join('、'),
    severity: r.severity,
    severityName,
    disposition: r.disposition,
    dispositionText: disposition,
    status: r.status,
    statusName: STATUS_NAMES[r.status] ?? r.status,
    rulesetVersion: r.ruleset_version,
    analysedAt: beijingTime(r.analysed_at),
    analysedAtDate: beijingWallClock(r.analysed_at),
    geometry: r.geometry,
  };
}

/** Rounds to `digits` decimals (half away from zero, as reports do); -0 becomes 0. */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.sign(value) * Math.round(Math.abs(value) * f) / f;
  return r === 0 ? 0 : r;
}
