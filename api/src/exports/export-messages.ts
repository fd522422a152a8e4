/**
 * Reason codes, user-facing messages and the Chinese labels of exported values, in one place
 * (zh-CN first, English second). Writers and routes refer to these constants only.
 */
import type { Bilingual } from '../analysis/rule-catalog.ts';

/** Why an export request was refused. Each maps to an HTTP status (400 unless noted). */
export const EXPORT_REASONS = {
  BAD_FORMAT: { zh: '不支持的导出格式', en: 'unsupported export format' },
  BAD_DISTRICT: { zh: '行政区代码应为 2、4、6、9 或 12 位数字', en: 'a district code has 2, 4, 6, 9 or 12 digits' },
  DISTRICT_NOT_FOUND: { zh: '没有这个行政区', en: 'no such district' },
  BAD_SRS: {
    zh: '坐标系只能是 EPSG:4490 或 CGCS2000 3 度带高斯-克吕格投影 EPSG:4513–4554',
    en: 'the coordinate system must be EPSG:4490 or a CGCS2000 3° Gauss-Krüger zone, EPSG:4513–4554',
  },
  SRS_NOT_ALLOWED: {
    zh: 'GeoJSON（RFC 7946）和 KML 只能用经纬度；投影坐标只用于 Shapefile',
    en: 'GeoJSON (RFC 7946) and KML are always lon/lat; a projected --srs applies to Shapefile only',
  },
  ENCODING_NOT_ALLOWED: {
    zh: 'GBK 编码只用于 Shapefile 的属性表（DBF）；其他格式一律 UTF-8',
    en: 'GBK applies to the Shapefile attribute table (DBF) only; other formats are always UTF-8',
  },
} as const satisfies Record<string, Bilingual>;

/** A reason code of {@link EXPORT_REASONS}. */
export type ExportReason = keyof typeof EXPORT_REASONS;

/** An export that cannot start; nothing was written. `status` is the HTTP status to answer with. */
export class ExportError extends Error {
  constructor(
    readonly code: ExportReason,
    readonly status: 400 | 404,
    detail?: string,
    readonly field?: string,
  ) {
    super(`${EXPORT_REASONS[code].zh} (${EXPORT_REASONS[code].en})${detail ? `: ${detail}` : ''}`);
    this.name = 'ExportError';
  }
}

/** The receiver went away (client hung up, disk closed) before the export finished: not a server fault. */
export class ExportAbortedError extends Error {
  constructor(cause: unknown) {
    super('the output stream was closed before the export finished', { cause });
    this.name = 'ExportAbortedError';
  }
}

/** Chinese names of suspect statuses (the case workflow's states). Unknown values are passed through. */
export const STATUS_NAMES: Readonly<Record<string, string>> = {
  new: '待核查',
  confirmed: '已确认',
  dismissed: '已排除',
  in_progress: '处置中',
  resolved: '已办结',
};

/** Chinese names of subject kinds. */
export const SUBJECT_KIND_NAMES: Readonly<Record<string, string>> = {
  building: '建筑物',
  change_patch: '变化图斑',
};

/** Increment (新增, new since the baseline epoch) versus stock (存量). */
export const NEW_STOCK_NAMES = { new: '新增', stock: '存量' } as const;

/** Label of suspects that fall in no district, and of the summary's totals row. */
export const LABELS = {
  noDistrict: '未落入行政区',
  countyLevel: '（区县本级）',
  townshipLevel: '（乡镇本级）',
  total: '合计',
  allDistricts: '全部',
  byDistrict: '分行政区',
  filePrefix: '两违图斑',
  title: '两违疑似图斑',
  sheetSummary: '汇总',
  sheetLedger: '村（社区）台账',
  sheetDetail: '图斑明细',
  fieldList: '字段说明',
} as const;
