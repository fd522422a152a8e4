/**
 * Types shared by the export module: the request, the rows the database streams, and the records
 * writers consume. Areas are ellipsoidal m² (亩 derived), lon/lat are CGCS2000 (EPSG:4490).
 */

/** File formats LandWatch exports suspect lists to. */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'geojson', 'shp', 'kml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** District levels a by-district export can split at (code prefix of 6, 9 or 12 digits). */
export const SPLIT_LEVELS = ['county', 'township', 'village'] as const;
export type SplitLevel = (typeof SPLIT_LEVELS)[number];

/** Digits of the code prefix that identifies a unit of each level. */
export const LEVEL_PREFIX: Readonly<Record<SplitLevel, number>> = { county: 6, township: 9, village: 12 };

/** Which suspects to export; every member optional (undefined = no filter). */
export interface ExportFilter {
  /** Normalised district code prefix (2, 4, 6, 9 or 12 digits). */
  districtPrefix?: string;
  /** Any of these rule codes. */
  rules?: string[];
  severities?: string[];
  /** Statuses to include; default every status except `dismissed`. */
  statuses?: string[];
  /** true (default) = only suspects the latest run still flags; undefined = all. */
  active?: boolean;
  /** Smallest subject area, m². */
  minAreaM2?: number;
  /** [minLon, minLat, maxLon, maxLat], EPSG:4490: suspects whose bbox meets it. */
  bbox?: [number, number, number, number];
  /** Survey epoch `YYYY-MM-DD`. */
  epoch?: string;
  /** true = new since the baseline (增量), false = stock (存量). */
  isNew?: boolean;
}

/** A validated export request. */
export interface ExportRequest {
  format: ExportFormat;
  filter: ExportFilter;
  /** A zip with one file per district unit. */
  byDistrict: boolean;
  /** Unit of a by-district split (default village/community). */
  level: SplitLevel;
  /** Output SRID of Shapefile geometry: 4490, or a CGCS2000 3° GK zone 4513–4554. */
  srid: number;
  /** DBF text encoding (Shapefile only). */
  encoding: 'utf-8' | 'gbk';
  /** Clock for file names and the DBF header date; default now. */
  now?: Date;
}

/** One suspect as the export query returns it. */
export interface ExportRow {
  id: number;
  source_id: string | null;
  district_code: string | null;
  district_name: string | null;
  district_level: string | null;
  county_name: string | null;
  township_name: string | null;
  village_name: string | null;
  lon: number;
  lat: number;
  subject_kind: string;
  epoch: string | null;
  is_new: boolean;
  area_m2: number;
  farmland_m2: number;
  cultivated_m2: number;
  passage_m2: number;
  redline_m2: number;
  rules: string[];
  severity: string | null;
  disposition: string | null;
  status: string;
  ruleset_version: string | null;
  analysed_at: Date | string | null;
  /** GeoJSON geometry text in the output SRID, when asked for. */
  geometry: string | null;
}

/**
 * One suspect ready for writing: codes and their Chinese names, areas in m² and 亩, times as
 * Beijing time text. Keys are the stable English keys of the GeoJSON properties.
 */
export interface ExportRecord {
  id: number;
  sourceId: string | null;
  districtCode: string | null;
  /** Name of the suspect's own district (any level); used for file and folder names. */
  districtName: string | null;
  countyName: string | null;
  townshipName: string | null;
  villageName: string | null;
  centroidLon: number;
  centroidLat: number;
  subjectKind: string;
  subjectKindName: string;
  epoch: string | null;
  isNew: boolean;
  newOrStock: string;
  areaM2: number;
  areaMu: number;
  farmlandM2: number;
  farmlandMu: number;
  cultivatedM2: number;
  cultivatedMu: number;
  passageM2: number;
  passageMu: number;
  redlineM2: number;
  redlineMu: number;
  rules: string[];
  rulesText: string;
  ruleNames: string[];
  ruleNamesText: string;
  severity: string | null;
  severityName: string | null;
  disposition: string | null;
  dispositionText: string | null;
  status: string;
  statusName: string;
  rulesetVersion: string | null;
  /** Beijing time, `YYYY-MM-DD HH:mm:ss`. */
  analysedAt: string | null;
  /** The same instant as a Date (XLSX writes real date cells). */
  analysedAtDate: Date | null;
  geometry: string | null;
}

/** Aggregates of one leaf district (the suspect's own district code) for the summary and ledger. */
export interface LedgerRow {
  districtCode: string | null;
  districtName: string | null;
  districtLevel: string | null;
  countyName: string | null;
  townshipName: string | null;
  villageName: string | null;
  total: number;
  newCount: number;
  stockCount: number;
  areaM2: number;
  light: number;
  general: number;
  serious: number;
  /** Per rule: suspects with a finding of the rule, and the summed overlap (m²). */
  byRule: Record<string, { count: number; areaM2: number }>;
}

/** What an export did. */
export interface ExportResult {
  format: ExportFormat;
  rows: number;
  /** Files written (inside the zip for Shapefile and by-district exports). */
  files: string[];
  bytes: number;
  ms: number;
}
