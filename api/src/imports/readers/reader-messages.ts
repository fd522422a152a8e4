/**
 * Reason codes and user-facing messages of the reader layer, zh-CN first, English second.
 *
 * One place for every code a reader can raise (ReaderError), attach to a layer (ReaderNote) or to a
 * row (SourceFeature.problem), so the API, the CLI and the web client show the same words.
 * Placeholders are written `{name}` and filled by {@link formatReaderMessage}.
 */

/** A translated message template. */
export interface ReaderMessage {
  zh: string;
  en: string;
}

/** Every reader code with its zh-CN / English template. */
export const READER_MESSAGES = {
  // ---- fatal errors (ReaderError.code) ----
  FILE_NOT_FOUND: { zh: '找不到文件 {file}', en: 'File not found: {file}' },
  FILE_UNREADABLE: { zh: '无法读取文件 {file}：{reason}', en: 'Cannot read {file}: {reason}' },
  FILE_TOO_LARGE: {
    zh: '文件 {file} 过大（{size} 字节，上限 {limit} 字节）',
    en: 'File {file} is too large ({size} bytes, limit {limit} bytes)',
  },
  UNSUPPORTED_FORMAT: {
    zh: '不支持的文件格式：{file}（支持 shp/zip/gpkg/geojson/csv/kml/kmz）',
    en: 'Unsupported file format: {file} (supported: shp, zip, gpkg, geojson, csv, kml, kmz)',
  },
  ZIP_INVALID: { zh: '压缩包损坏或不是 zip 文件：{file}（{reason}）', en: 'Corrupt or not a zip archive: {file} ({reason})' },
  ZIP_TOO_MANY_ENTRIES: {
    zh: '压缩包 {file} 内文件过多（超过 {limit} 个）',
    en: 'Archive {file} holds too many entries (more than {limit})',
  },
  ZIP_TOO_LARGE: {
    zh: '压缩包 {file} 解压后过大（{size} 字节，上限 {limit} 字节）',
    en: 'Archive {file} is too large once uncompressed ({size} bytes, limit {limit} bytes)',
  },
  ZIP_RATIO_TOO_HIGH: {
    zh: '压缩包 {file} 中的 {member} 压缩比异常（{ratio}:1，上限 {limit}:1），疑似压缩炸弹',
    en: 'Archive member {member} in {file} expands {ratio}:1 (limit {limit}:1); refused as a likely zip bomb',
  },
  ZIP_UNSAFE_ENTRY: {
    zh: '压缩包 {file} 中的 {member} 不安全（{reason}），已拒绝整个压缩包',
    en: 'Archive {file} holds an unsafe entry {member} ({reason}); the archive was refused',
  },
  ZIP_NO_LAYERS: {
    zh: '压缩包中没有 .shp 文件或其他可读的矢量文件：{file}',
    en: 'No .shp file (or other readable vector file) in archive {file}',
  },
  SHP_MISSING: {
    zh: '缺少 .shp 文件：{file}（只有 .dbf/.shx 无法读取图形）',
    en: 'The .shp file is missing for {file} (a .dbf/.shx alone holds no geometry)',
  },
  SHP_INVALID: { zh: '.shp 文件头无效：{file}（{reason}）', en: 'Invalid .shp header in {file} ({reason})' },
  SHP_CORRUPT: { zh: '.shp 文件在第 {row} 条记录处损坏：{file}（{reason}）', en: 'Corrupt .shp file {file} at record {row} ({reason})' },
  DBF_INVALID: { zh: '.dbf 文件无效：{file}（{reason}）', en: 'Invalid .dbf file {file} ({reason})' },
  SRS_REQUIRED: {
    zh: '无法确定 {file} 的坐标系：{reason}。请用 --srs 指定（例如 --srs EPSG:4547）',
    en: 'Cannot tell the coordinate system of {file}: {reason}. Pass it with --srs (e.g. --srs EPSG:4547)',
  },
  SRS_UNRECOGNIZED: {
    zh: '无法识别 {file} 中的坐标系定义（{reason}）。请用 --srs 指定 EPSG 代码',
    en: 'Unrecognised coordinate system definition in {file} ({reason}). Pass the EPSG code with --srs',
  },
  SRS_UNSUPPORTED: {
    zh: '不支持将 EPSG:{epsg} 转换到 CGCS2000（EPSG:4490）',
    en: 'Transforming EPSG:{epsg} to CGCS2000 (EPSG:4490) is not supported',
  },
  ENCODING_UNSUPPORTED: { zh: '不支持的字符编码：{encoding}', en: 'Unsupported character encoding: {encoding}' },
  LAYER_NOT_FOUND: { zh: '{file} 中没有名为 {layer} 的图层（现有：{layers}）', en: 'No layer named {layer} in {file} (available: {layers})' },
  GPKG_INVALID: { zh: 'GeoPackage 文件无效：{file}（{reason}）', en: 'Invalid GeoPackage {file} ({reason})' },
  GPKG_NO_LAYERS: { zh: 'GeoPackage {file} 中没有矢量要素图层', en: 'GeoPackage {file} holds no feature layer' },
  GEOJSON_INVALID: { zh: 'GeoJSON 无效：{file}（{reason}）', en: 'Invalid GeoJSON {file} ({reason})' },
  GEOJSON_TOO_LARGE: {
    zh: 'GeoJSON 文件 {file} 中有一个对象过大（{size} 字节，单个要素/对象上限 {limit} 字节，LANDWATCH_IMPORT_MAX_PARSE_MB）',
    en: 'GeoJSON file {file} holds one object too large to parse ({size} bytes; limit per feature/object {limit}, LANDWATCH_IMPORT_MAX_PARSE_MB)',
  },
  CSV_INVALID: { zh: 'CSV 文件无效：{file}（{reason}）', en: 'Invalid CSV file {file} ({reason})' },
  CSV_NO_GEOMETRY: {
    zh: 'CSV 文件 {file} 中找不到几何列（WKT 或 经度/纬度）；字段：{fields}',
    en: 'No geometry column (WKT, or longitude/latitude) found in CSV {file}; fields: {fields}',
  },
  CSV_FIELD_NOT_FOUND: { zh: 'CSV 文件 {file} 中没有字段 {field}', en: 'CSV file {file} has no field {field}' },
  KML_INVALID: { zh: 'KML 文件无效：{file}（{reason}）', en: 'Invalid KML file {file} ({reason})' },
  KMZ_NO_KML: { zh: 'KMZ 压缩包中没有 .kml 文件：{file}', en: 'No .kml file inside KMZ {file}' },

  // ---- layer notes (ReaderNote.code) ----
  ENCODING_OPTION: { zh: '按指定编码 {encoding} 读取属性', en: 'Attributes read as {encoding} (given by option)' },
  ENCODING_FROM_CPG: { zh: '按 .cpg 文件（{cpg}）使用编码 {encoding}', en: 'Encoding {encoding} taken from the .cpg file ({cpg})' },
  ENCODING_FROM_LDID: {
    zh: '按 .dbf 语言驱动标识（LDID {ldid}）使用编码 {encoding}',
    en: 'Encoding {encoding} taken from the .dbf language driver id (LDID {ldid})',
  },
  ENCODING_DETECTED: { zh: '未声明编码，检测为 {encoding}（{reason}）', en: 'No declared encoding; detected {encoding} ({reason})' },
  ENCODING_SUSPICIOUS: {
    zh: '声明的编码 {encoding} 可能有误：{reason}；如中文乱码请用 --encoding 指定',
    en: 'Declared encoding {encoding} may be wrong: {reason}; pass --encoding if text looks garbled',
  },
  CPG_INVALID: { zh: '.cpg 文件内容无效，已忽略（{reason}）', en: 'The .cpg file content is not a code page and was ignored ({reason})' },
  CPG_UNKNOWN: { zh: '.cpg 中的编码 {cpg} 无法识别，已忽略', en: 'Code page {cpg} in the .cpg file is unknown and was ignored' },
  CPG_WRONG_UTF8: {
    zh: '.cpg 声明 UTF-8，但属性内容不是有效的 UTF-8，已按 GBK 读取',
    en: 'The .cpg claims UTF-8 but the attribute bytes are not valid UTF-8; read as GBK instead',
  },
  PRJ_INVALID: { zh: '.prj 文件内容不是坐标系定义，已忽略（{reason}）', en: 'The .prj file holds no coordinate system definition and was ignored ({reason})' },
  SRS_FROM_PRJ: { zh: '坐标系 EPSG:{epsg}（来自 .prj：{detail}）', en: 'Coordinate system EPSG:{epsg} (from .prj: {detail})' },
  SRS_INFERRED: { zh: '按坐标范围推断坐标系为 EPSG:{epsg}（{detail}）', en: 'Coordinate system inferred from coordinate ranges as EPSG:{epsg} ({detail})' },
  SRS_MISMATCH: {
    zh: '.prj 中的坐标系与坐标不符：{reason}；请检查或用 --srs 指定',
    en: 'The .prj does not fit the coordinates: {reason}; check it or pass --srs',
  },
  SRS_OPTION: { zh: '按指定坐标系 EPSG:{epsg} 读取', en: 'Coordinate system EPSG:{epsg} given by option' },
  SRS_DEFAULT: { zh: '坐标系按 {format} 规范取经纬度，视为 CGCS2000（EPSG:4490）', en: '{format} coordinates are lon/lat by specification; taken as CGCS2000 (EPSG:4490)' },
  TOWGS84_MISSING: {
    zh: 'EPSG:{epsg} 是旧坐标系（{datum}），未配置七参数（TOWGS84），只做椭球间换算，误差可达数十米',
    en: 'EPSG:{epsg} uses a legacy datum ({datum}) and no TOWGS84 parameters are configured: only an ellipsoid change is applied, which can be tens of metres off',
  },
  SHX_MISSING: { zh: '缺少 .shx 索引文件，已按顺序读取 .shp', en: 'No .shx index file; the .shp was read sequentially' },
  DBF_MISSING: { zh: '缺少 .dbf 文件，要素没有属性', en: 'No .dbf file; features have no attributes' },
  RECORD_COUNT_MISMATCH: {
    zh: '.shp 有 {shp} 条记录而 .dbf 有 {dbf} 条，按顺序对应',
    en: 'The .shp holds {shp} records but the .dbf {dbf}; matched by position',
  },
  DELETED_RECORDS_SKIPPED: { zh: '跳过 .dbf 中标记删除的记录', en: 'Records marked deleted in the .dbf were skipped' },
  Z_DROPPED: { zh: '已舍弃 Z 值（高程），只保留平面坐标', en: 'Z values dropped; only 2D coordinates kept' },
  M_DROPPED: { zh: '已舍弃 M 值（测量值）', en: 'M (measure) values dropped' },
  FIELD_RENAMED: { zh: '字段名重复或为空，{from} 改名为 {to}', en: 'Duplicate or empty field name {from} renamed to {to}' },
  NUMBER_AS_TEXT: {
    zh: '字段 {field} 的数值超出安全整数范围，按文本保留',
    en: 'Values of field {field} exceed the safe integer range and were kept as text',
  },
  ZIP_NAMES_GBK: { zh: '压缩包内文件名按 GBK 解码', en: 'File names inside the archive were decoded as GBK' },
  ZIP_MEMBER_SKIPPED: { zh: '压缩包中的 {member} 不是可读图层，已跳过：{reason}', en: 'Archive member {member} is not a readable layer and was skipped: {reason}' },
  ZIP_ENTRIES_IGNORED: { zh: '压缩包中有 {count} 个文件未读取（{names}）', en: '{count} archive entries were not read ({names})' },
  KML_DEFAULT: { zh: 'KML 坐标按规范为 WGS84 经纬度，视为 CGCS2000（EPSG:4490）', en: 'KML coordinates are WGS84 lon/lat by specification; taken as CGCS2000 (EPSG:4490)' },
  GEOMETRY_COLUMN: { zh: '几何取自字段 {fields}', en: 'Geometry read from field(s) {fields}' },

  // ---- row problems (SourceFeature.problem.code) ----
  NAN_COORDINATE: { zh: '第 {row} 行坐标含 NaN 或无穷大', en: 'Row {row} has a NaN or infinite coordinate' },
  BAD_WKT: { zh: '第 {row} 行 WKT 无法解析：{reason}', en: 'Row {row}: WKT cannot be parsed ({reason})' },
  BAD_COORDINATE: { zh: '第 {row} 行坐标不是数字：{reason}', en: 'Row {row}: coordinate is not a number ({reason})' },
  BAD_GEOMETRY: { zh: '第 {row} 行几何数据损坏：{reason}', en: 'Row {row}: geometry data is corrupt ({reason})' },
  BAD_FEATURE: { zh: '第 {row} 行不是有效的 GeoJSON 要素：{reason}', en: 'Row {row} is not a valid GeoJSON feature ({reason})' },
  UNSUPPORTED_SHAPE: { zh: '第 {row} 行几何类型不支持：{reason}', en: 'Row {row}: unsupported geometry type ({reason})' },
} as const satisfies Record<string, ReaderMessage>;

/** A reader reason code. */
export type ReaderCode = keyof typeof READER_MESSAGES;

/** Values filled into `{name}` placeholders. */
export type MessageParams = Record<string, string | number | undefined>;

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}

/** The message for a code in one language, placeholders filled. */
export function readerMessage(code: ReaderCode, lang: 'zh' | 'en', params: MessageParams = {}): string {
  return fill(READER_MESSAGES[code][lang], params);
}

/** "English (中文)": the form used for ReaderError.message and note messages. */
export function formatReaderMessage(code: ReaderCode, params: MessageParams = {}): string {
  return `${readerMessage(code, 'en', params)} (${readerMessage(code, 'zh', params)})`;
}
