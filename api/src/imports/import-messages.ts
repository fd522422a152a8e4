/**
 * Reason codes of the import service with their user-facing messages, zh-CN first, English second.
 * Readers have their own codes in readers/reader-messages.ts; both end up in the same reject report.
 */
export const IMPORT_REASONS = {
  NULL_GEOMETRY: { zh: '要素没有几何', en: 'feature has no geometry' },
  EMPTY_GEOMETRY: { zh: '几何为空', en: 'geometry is empty' },
  NAN_COORDINATE: { zh: '坐标含 NaN 或无穷大', en: 'coordinate is NaN or infinite' },
  GEOMETRY_PARSE_ERROR: { zh: '几何无法解析', en: 'geometry could not be parsed' },
  WRONG_GEOMETRY_TYPE: { zh: '几何类型与图层类型不符', en: 'geometry type is wrong for this kind of layer' },
  TRANSFORM_FAILED: { zh: '坐标无法转换到 CGCS2000', en: 'coordinates could not be transformed to CGCS2000' },
  OUT_OF_RANGE: { zh: '坐标超出坐标系适用范围', en: 'coordinates fall outside the area of use of the coordinate system' },
  UNREPAIRABLE_GEOMETRY: { zh: '几何无效且无法修复', en: 'geometry is invalid and could not be repaired' },
  DUPLICATE_SOURCE_ID: { zh: '源编号重复', en: 'source id already used by an earlier row' },
  MISSING_WIDTH: { zh: '中心线缺少宽度', en: 'centre line has no usable width' },
  DEGENERATE_RING: { zh: '面的环点数不足', en: 'a polygon ring has too few positions' },
  DEGENERATE_LINE: { zh: '线的点数不足', en: 'a line has too few positions' },
  MALFORMED_GEOMETRY: { zh: '几何嵌套结构错误或过深', en: 'geometry nesting is malformed or too deep' },
} as const;

export type ImportReason = keyof typeof IMPORT_REASONS;

/** "中文 (English)" message for a reason code, with optional detail appended. */
export function reasonMessage(code: ImportReason, detail?: string): string {
  const r = IMPORT_REASONS[code];
  return `${r.zh} (${r.en})${detail ? `: ${detail}` : ''}`;
}

/** An import that cannot go on; names the file, row and field where known. Nothing was written. */
export class ImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly file?: string,
    readonly row?: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
