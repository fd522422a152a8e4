/**
 * The columns of a suspect export, in order, with their Chinese header (XLSX, CSV, KML), stable
 * English key (GeoJSON properties, KML ExtendedData) and ≤ 10-byte ASCII DBF name (Shapefile).
 * This table is the one source of the mapping; the README's table is generated from it.
 */
import type { DbfFieldDef } from '../shared/shapefile/shapefile.types.ts';
import { roundTo } from './export-record.mapper.ts';
import type { ExportRecord } from './exports.types.ts';

/** How a column's values are typed and written. */
export type ColumnType = 'int' | 'number' | 'text' | 'date' | 'datetime';

/** One exported column. */
export interface ExportColumn {
  /** Field of the record the value comes from; also the KML Data name (stable English key). */
  key: keyof ExportRecord;
  /** GeoJSON properties carrying this value when they differ from `key` (codes beside names). */
  geojson?: string[];
  /** Header in XLSX and CSV, display name in KML. */
  zh: string;
  /** DBF column; names are ASCII so they fit 10 bytes in both UTF-8 and GBK. */
  dbf: DbfFieldDef;
  type: ColumnType;
  /** Decimals written to CSV, GeoJSON and DBF (numbers only). */
  decimals?: number;
  /** XLSX number format and column width (characters). */
  numFmt?: string;
  width: number;
  /** What the column holds (README). */
  en: string;
}

const text = (name: string, length: number): DbfFieldDef => ({ name, type: 'C', length });
const num = (name: string, length: number, decimals: number): DbfFieldDef => ({ name, type: 'N', length, decimals });
const M2 = '#,##0.00';
const MU = '0.00';

function areaPair(key: 'farmland' | 'cultivated' | 'passage' | 'redline', zh: string, dbf: string, en: string): ExportColumn[] {
  return [
    { key: `${key}M2`, zh: `占${zh}面积（平方米）`, dbf: num(`${dbf}_M2`, 15, 2), type: 'number', decimals: 2, numFmt: M2, width: 14, en: `overlap with ${en}, m²` },
    { key: `${key}Mu`, zh: `占${zh}面积（亩）`, dbf: num(`${dbf}_MU`, 13, 4), type: 'number', decimals: 4, numFmt: MU, width: 12, en: `overlap with ${en}, 亩` },
  ];
}

/** Every column of the detail table, in order. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'id', zh: '疑似图斑编号', dbf: num('ID', 12, 0), type: 'int', numFmt: '0', width: 10, en: 'suspect id (LandWatch, stable across runs)' },
  { key: 'sourceId', zh: '原始编号', dbf: text('SRC_ID', 64), type: 'text', width: 18, en: 'id in the delivered layer (JCBH, BSM, …)' },
  { key: 'districtCode', zh: '行政区代码', dbf: text('XZQDM', 12), type: 'text', width: 15, en: '12-digit code of the suspect’s district' },
  { key: 'countyName', zh: '区县', dbf: text('QXMC', 60), type: 'text', width: 12, en: 'county (区/县) name' },
  { key: 'townshipName', zh: '乡镇（街道）', dbf: text('XZMC', 60), type: 'text', width: 14, en: 'township (街道/镇/乡) name' },
  { key: 'villageName', zh: '村（社区）', dbf: text('CJMC', 60), type: 'text', width: 14, en: 'village/community name' },
  { key: 'centroidLon', zh: '中心点经度', dbf: num('CENTER_LON', 13, 7), type: 'number', decimals: 7, numFmt: '0.0000000', width: 13, en: 'centroid longitude, CGCS2000 (EPSG:4490)' },
  { key: 'centroidLat', zh: '中心点纬度', dbf: num('CENTER_LAT', 12, 7), type: 'number', decimals: 7, numFmt: '0.0000000', width: 12, en: 'centroid latitude, CGCS2000 (EPSG:4490)' },
  { key: 'subjectKindName', geojson: ['subjectKind', 'subjectKindName'], zh: '对象类型', dbf: text('KIND', 16), type: 'text', width: 10, en: '建筑物 (building) or 变化图斑 (change patch)' },
  { key: 'epoch', zh: '调查时点', dbf: { name: 'EPOCH', type: 'D' }, type: 'date', numFmt: 'yyyy-mm-dd', width: 12, en: 'survey epoch or imagery date' },
  { key: 'newOrStock', geojson: ['isNew'], zh: '新增/存量', dbf: text('NEW_STOCK', 8), type: 'text', width: 10, en: '新增 (new since the baseline) or 存量 (stock) (GeoJSON: boolean)' },
  { key: 'areaM2', zh: '图斑面积（平方米）', dbf: num('AREA_M2', 15, 2), type: 'number', decimals: 2, numFmt: M2, width: 14, en: 'ellipsoidal area, m²' },
  { key: 'areaMu', zh: '图斑面积（亩）', dbf: num('AREA_MU', 13, 4), type: 'number', decimals: 4, numFmt: MU, width: 12, en: 'area, 亩 (1 亩 = 10000/15 m²)' },
  ...areaPair('farmland', '永久基本农田', 'JBNT', 'permanent basic farmland (rule FARMLAND)'),
  ...areaPair('cultivated', '耕地', 'GD', 'cultivated land outside basic farmland (rule CULTIVATED)'),
  ...areaPair('passage', '公共通道', 'TD', 'public passages (rule PASSAGE)'),
  ...areaPair('redline', '生态保护红线', 'HX', 'the ecological red line (rule ECO_REDLINE)'),
  { key: 'rulesText', geojson: ['rules'], zh: '违法类型代码', dbf: text('RULES', 120), type: 'text', width: 22, en: 'rule codes, comma-separated (GeoJSON: array)' },
  { key: 'ruleNamesText', geojson: ['ruleNames'], zh: '违法类型', dbf: text('RULE_NAMES', 254), type: 'text', width: 30, en: 'rule names (Chinese), 、-separated (GeoJSON: array)' },
  { key: 'severityName', geojson: ['severity', 'severityName'], zh: '情节', dbf: text('SEVERITY', 16), type: 'text', width: 10, en: '情节较轻/一般/严重 (light/general/serious)' },
  { key: 'dispositionText', geojson: ['disposition', 'dispositionText'], zh: '处置建议', dbf: text('DISPOSAL', 254), type: 'text', width: 40, en: 'disposition hint (Land Administration Law Art. 77)' },
  { key: 'statusName', geojson: ['status', 'statusName'], zh: '状态', dbf: text('STATUS', 16), type: 'text', width: 10, en: '待核查/已确认/已排除/处置中/已办结' },
  { key: 'rulesetVersion', zh: '规则集版本', dbf: text('RULESET', 40), type: 'text', width: 12, en: 'ruleset version of the last run that flagged it' },
  { key: 'analysedAt', geojson: ['analysedAt'], zh: '分析时间', dbf: text('ANALYSED', 19), type: 'datetime', numFmt: 'yyyy-mm-dd hh:mm:ss', width: 20, en: 'time of that run, Beijing time (GeoJSON: ISO 8601 with +08:00)' },
];

/** DBF field definitions of the Shapefile export, in column order. */
export function dbfFields(): DbfFieldDef[] {
  return EXPORT_COLUMNS.map((c) => c.dbf);
}

/** A column's value for CSV/KML text: numbers rounded to the column's decimals, null → ''. */
export function textValue(c: ExportColumn, r: ExportRecord): string {
  const v = r[c.key];
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return c.decimals !== undefined ? roundTo(v, c.decimals).toFixed(c.decimals) : String(v);
  return String(v);
}

/** A column's value for the DBF record (numbers rounded; dates as YYYY-MM-DD; null stays null). */
export function dbfValue(c: ExportColumn, r: ExportRecord): string | number | null {
  const v = r[c.key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return c.decimals !== undefined ? roundTo(v, c.decimals) : v;
  return String(v);
}

/**
 * The GeoJSON properties of a record: stable English keys, codes beside their Chinese names,
 * arrays for rules, numbers rounded like the other formats.
 */
export function geojsonProperties(r: ExportRecord): Record<string, unknown> {
  const n = (v: number, d: number) => roundTo(v, d);
  return {
    id: r.id,
    sourceId: r.sourceId,
    districtCode: r.districtCode,
    countyName: r.countyName,
    townshipName: r.townshipName,
    villageName: r.villageName,
    centroidLon: n(r.centroidLon, 7),
    centroidLat: n(r.centroidLat, 7),
    subjectKind: r.subjectKind,
    subjectKindName: r.subjectKindName,
    epoch: r.epoch,
    isNew: r.isNew,
    areaM2: n(r.areaM2, 2),
    areaMu: n(r.areaMu, 4),
    farmlandM2: n(r.farmlandM2, 2),
    farmlandMu: n(r.farmlandMu, 4),
    cultivatedM2: n(r.cultivatedM2, 2),
    cultivatedMu: n(r.cultivatedMu, 4),
    passageM2: n(r.passageM2, 2),
    passageMu: n(r.passageMu, 4),
    redlineM2: n(r.redlineM2, 2),
    redlineMu: n(r.redlineMu, 4),
    rules: r.rules,
    ruleNames: r.ruleNames,
    severity: r.severity,
    severityName: r.severityName,
    disposition: r.disposition,
    dispositionText: r.dispositionText,
    status: r.status,
    statusName: r.statusName,
    rulesetVersion: r.rulesetVersion,
    analysedAt: r.analysedAt ? `${r.analysedAt.replace(' ', 'T')}+08:00` : null,
  };
}

/** The column mapping as a Markdown table (README and the field list shipped in Shapefile zips). */
export function columnMappingMarkdown(): string {
  const lines = ['| GeoJSON property | KML Data name | XLSX/CSV header | DBF field | DBF type | meaning |', '|---|---|---|---|---|---|'];
  for (const c of EXPORT_COLUMNS) {
    const type = c.dbf.type === 'N' ? `N(${c.dbf.length},${c.dbf.decimals ?? 0})` : c.dbf.type === 'C' ? `C(${c.dbf.length})` : c.dbf.type;
    const key = (c.geojson ?? [c.key]).map((k) => `\`${k}\``).join(' + ');
    lines.push(`| ${key} | \`${c.key}\` | ${c.zh} | \`${c.dbf.name}\` | ${type} | ${c.en} |`);
  }
  return lines.join('\n');
}
