/**
 * Reason codes of the imagery module (reading GeoTIFFs, change detection, the imagery registry) with
 * their user-facing messages, zh-CN first, English second, and the one error type they travel in.
 */
export const IMAGERY_REASONS = {
  FILE_NOT_FOUND: { zh: '文件不存在', en: 'no such file', status: 400 },
  NOT_TIFF: { zh: '不是 TIFF 文件', en: 'not a TIFF file', status: 422 },
  TIFF_CORRUPT: { zh: 'TIFF 文件结构损坏', en: 'the TIFF structure is corrupt', status: 422 },
  TIFF_TRUNCATED: { zh: 'TIFF 文件被截断', en: 'the TIFF file is truncated', status: 422 },
  TOO_MANY_IFDS: { zh: 'TIFF 图像目录过多', en: 'too many image directories (IFDs)', status: 422 },
  TOO_MANY_PIXELS: { zh: '影像像素过多', en: 'the image has too many pixels', status: 422 },
  TOO_MANY_BANDS: { zh: '波段过多', en: 'too many bands', status: 422 },
  BLOCK_TOO_LARGE: { zh: '数据块过大', en: 'a tile or strip is too large', status: 422 },
  TOO_MANY_BLOCKS: { zh: '数据块过多', en: 'too many tiles or strips', status: 422 },
  UNSUPPORTED_COMPRESSION: { zh: '不支持的压缩方式', en: 'unsupported compression', status: 422 },
  UNSUPPORTED_DATA_TYPE: { zh: '不支持的数据类型', en: 'unsupported data type', status: 422 },
  DECODE_FAILED: { zh: '数据块解码失败', en: 'a tile or strip could not be decoded', status: 422 },
  NO_GEOREFERENCING: { zh: '影像没有地理参考', en: 'the image has no georeferencing', status: 422 },
  UNSUPPORTED_CRS: { zh: '不支持的坐标系', en: 'unsupported coordinate system', status: 422 },
  BAND_MAP_INVALID: { zh: '波段映射无效', en: 'invalid band map', status: 400 },
  BAND_MISSING: { zh: '缺少必需的波段', en: 'a required band is missing', status: 400 },
  DATE_MISSING: { zh: '无法确定影像日期', en: 'the imagery date is unknown', status: 400 },
  DATE_INVALID: { zh: '日期无效', en: 'invalid date', status: 400 },
  GRID_MISMATCH: { zh: '同一时相的波段文件网格不一致', en: 'band files of one date are on different grids', status: 422 },
  NO_OVERLAP: { zh: '两期影像没有重叠', en: 'the two dates do not overlap', status: 422 },
  RESOLUTION_MISMATCH: { zh: '两期影像分辨率相差过大', en: 'the two dates differ too much in resolution', status: 422 },
  NOT_ENOUGH_PIXELS: { zh: '有效像素不足，无法统计', en: 'too few valid pixels to estimate statistics', status: 422 },
  TOO_MANY_RUNS: { zh: '变化掩膜过于破碎', en: 'the change mask is too fragmented', status: 422 },
  INVALID_OPTION: { zh: '参数无效', en: 'invalid option', status: 400 },
  PATH_NOT_ALLOWED: { zh: '路径不在数据目录内', en: 'path is outside the data folder', status: 400 },
  IMAGERY_NOT_FOUND: { zh: '影像不存在', en: 'imagery not found', status: 404 },
} as const;

/** One reason code of the imagery module. */
export type ImageryReason = keyof typeof IMAGERY_REASONS;

/** "English detail (中文)" message for a reason code, prefixed by the file when known. */
export function imageryMessage(code: ImageryReason, detail?: string, file?: string): string {
  const r = IMAGERY_REASONS[code];
  const where = file ? `${file}: ` : '';
  return `${where}${r.en}${detail ? `: ${detail}` : ''} (${r.zh})`;
}

/**
 * Anything the imagery module refuses, with a stable code, the file (basename) and option it concerns.
 * Thrown by readers and services; the HTTP edge maps `status`, the CLI prints the message.
 */
export class ImageryError extends Error {
  readonly status: number;
  constructor(
    readonly code: ImageryReason,
    detail?: string,
    readonly file?: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(imageryMessage(code, detail, file));
    this.name = 'ImageryError';
    this.status = IMAGERY_REASONS[code].status;
  }
}
