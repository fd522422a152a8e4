import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Queryable } from '../db/db.types.ts';
import { EXPORT_COLUMNS } from './export-columns.ts';
import { ExportAbortedError, ExportError, LABELS } from './export-messages.ts';
import { beijingDateStamp, toExportRecord } from './export-record.mapper.ts';
import { countExportRows, findDistrict, ledgerRows, streamExportRows } from './exports.repository.ts';
import { LEVEL_PREFIX, type ExportFormat, type ExportRecord, type ExportRequest, type ExportResult, type LedgerRow } from './exports.types.ts';
import { createCsvWriter, csvField } from './writers/csv.writer.ts';
import type { FormatWriter, WriterContext } from './writers/format-writer.ts';
import { createGeojsonWriter } from './writers/geojson.writer.ts';
import { createKmlWriter } from './writers/kml.writer.ts';
import { createShapefileExportWriter, type ShapefileExportWriter } from './writers/shapefile-export.writer.ts';
import { createXlsxWriter } from './writers/xlsx.writer.ts';

/** File extension of one exported file per format (a Shapefile's parts share its base name). */
export const FORMAT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { xlsx: 'xlsx', csv: 'csv', geojson: 'geojson', shp: 'shp', kml: 'kml' };

/** Media type of the download per format; Shapefile and by-district exports are zips. */
export const CONTENT_TYPES: Readonly<Record<ExportFormat | 'zip', string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  kml: 'application/vnd.google-earth.kml+xml',
  shp: 'application/zip',
  zip: 'application/zip',
};

/** An export that passed its checks and knows its file name; `run` writes it. */
export interface PreparedExport {
  request: ExportRequest;
  /** Download name, e.g. `两违图斑_440999101_20261127.xlsx`. */
  fileName: string;
  /** The same in ASCII (`suspects_440999101_20261127.xlsx`), for clients that ignore `filename*`. */
  asciiFileName: string;
  contentType: string;
  /** Suspects it will write (counted before streaming). */
  rows: number;
  /** Streams the export into `out` and ends it. On failure `out` is destroyed and the error rethrown. */
  run(out: Writable, options?: RunOptions): Promise<ExportResult>;
}

/** Knobs of one run. */
export interface RunOptions {
  /** Called after each batch with the rows written so far. */
  onProgress?: (rows: number) => void;
  /** Cursor batch size (default 1000). */
  batchSize?: number;
}

/** Characters Windows, zip tools or shells trip over in a file name. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || '_';
}

/**
 * Validates the district (ExportError 404 when the code names nothing), counts the rows and names
 * the file. Runs no long query: call it before sending any HTTP header.
 */
export async function prepareExport(db: Queryable, request: ExportRequest): Promise<PreparedExport> {
  const prefix = request.filter.districtPrefix;
  let districtName: string | null = null;
  if (prefix) {
    const found = await findDistrict(db, prefix);
    if (!found.known) throw new ExportError('DISTRICT_NOT_FOUND', 404, prefix, 'district');
    districtName = found.name;
  }
  const rows = await countExportRows(db, request.filter);
  const now = request.now ?? new Date();
  const zipped = request.byDistrict || request.format === 'shp';
  const scope = [prefix ?? LABELS.allDistricts, ...(request.byDistrict ? [LABELS.byDistrict] : [])].join('_');
  const base = `${LABELS.filePrefix}_${scope}_${beijingDateStamp(now)}`;
  const ext = zipped ? 'zip' : FORMAT_EXTENSIONS[request.format];
  const fileName = `${base}.${ext}`;
  const asciiFileName = ['suspects', prefix ?? 'all', ...(request.byDistrict ? ['by-district'] : []), beijingDateStamp(now)].join('_') + `.${ext}`;
  const title = [LABELS.title, prefix, districtName].filter(Boolean).join(' ');
  return {
    request,
    fileName,
    asciiFileName,
    contentType: CONTENT_TYPES[zipped ? 'zip' : request.format],
    rows,
    run: (out, options = {}) => runExport(db, { ...request, now }, { base, title }, out, options),
  };
}

interface Naming {
  base: string;
  title: string;
}

/** Counts the bytes that pass, so the result can report the size of what was sent. */
function byteCounter(): Transform & { bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      t.bytes += chunk.length;
      callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

function geometryOutput(request: ExportRequest) {
  if (request.format === 'csv' || request.format === 'xlsx') return null;
  // 8 decimals of a degree ≈ 1 mm; 3 decimals of a metre = 1 mm.
  return { srid: request.srid, digits: request.srid === 4490 ? 8 : 3 };
}

function streamWriter(format: ExportFormat, out: Writable, ctx: WriterContext): FormatWriter {
  switch (format) {
    case 'csv':
      return createCsvWriter(out);
    case 'geojson':
      return createGeojsonWriter(out);
    case 'kml':
      return createKmlWriter(out, ctx);
    case 'xlsx':
      return createXlsxWriter(out, ctx);
    case 'shp':
      throw new Error('Shapefiles are written to a folder, not a stream');
  }
}

/** The DBF field list shipped beside every Shapefile (CSV with BOM, so Excel shows the Chinese). */
function fieldListCsv(): Buffer {
  const lines = [['DBF字段', '中文名称', 'KML 键', '说明'], ...EXPORT_COLUMNS.map((c) => [c.dbf.name, c.zh, c.key, c.en])].map((l) => l.map((v) => csvField(v, true)).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The by-district unit a record falls in (code prefix of the split level; null = no district). */
function unitKey(r: ExportRecord, digits: number): string | null {
  return r.districtCode ? r.districtCode.slice(0, digits) : null;
}

function unitName(r: ExportRecord, digits: number): string {
  if (!r.districtCode) return LABELS.noDistrict;
  if (digits === 6) return r.countyName ?? r.districtCode.slice(0, 6);
  if (digits === 9) return r.districtCode.slice(6, 9) === '000' ? `${r.countyName ?? ''}${LABELS.countyLevel}` : (r.townshipName ?? r.districtCode.slice(0, 9));
  if (r.villageName) return r.villageName;
  // A suspect placed in a township or county with no village polygon under it.
  const own = r.districtName ?? r.districtCode;
  if (r.districtCode.endsWith('000000')) return `${own}${LABELS.countyLevel}`;
  return r.districtCode.endsWith('000') ? `${own}${LABELS.townshipLevel}` : own;
}

async function runExport(db: Queryable, request: ExportRequest, naming: Naming, out: Writable, options: RunOptions): Promise<ExportResult> {
  const started = performance.now();
  const now = request.now as Date;
  // Aggregates first: on the embedded database a running cursor holds the only connection.
  const ledger: LedgerRow[] = request.format === 'xlsx' ? await ledgerRows(db, request.filter) : [];
  const counter = byteCounter();
  const files: string[] = [];
  let rows = 0;
  let tmp: string | null = null;
  let current: FormatWriter | null = null;
  const zip = request.byDistrict || request.format === 'shp' ? new yazl.ZipFile() : null;
  const sent = zip ? pipeline(zip.outputStream, counter, out) : pipeline(counter, out);
  sent.catch(() => undefined); // awaited below; a client that hangs up early must not be unhandled
  const ctxFor = (title: string, unit: string | null | undefined): WriterContext => ({
    title,
    now,
    ledger: unit === undefined ? ledger : ledger.filter((l) => (unit === null ? l.districtCode === null : l.districtCode?.startsWith(unit))),
  });
  const zipShapefile = async (w: ShapefileExportWriter, entryBase: string) => {
    for (const f of w.files) zip?.addFile(f, `${entryBase}${path.extname(f)}`, { mtime: now });
  };
  const open = async (fileBase: string, title: string, unit: string | null | undefined): Promise<FormatWriter> => {
    const ctx = ctxFor(title, unit);
    if (request.format === 'shp') {
      tmp ??= await mkdtemp(path.join(os.tmpdir(), 'lw-export-'));
      const dir = await mkdtemp(path.join(tmp, 'u-'));
      return createShapefileExportWriter({ dir, baseName: 'layer', srid: request.srid, encoding: request.encoding }, ctx);
    }
    if (!zip) return streamWriter(request.format, counter, ctx);
    const entry = new PassThrough();
    // An XLSX is itself a zip: storing it again compressed only costs time.
    zip.addReadStream(entry, `${fileBase}.${FORMAT_EXTENSIONS[request.format]}`, { mtime: now, compress: request.format !== 'xlsx' });
    return streamWriter(request.format, entry, ctx);
  };
  const close = async (w: FormatWriter, fileBase: string) => {
    await w.finish();
    if (request.format === 'shp') await zipShapefile(w as ShapefileExportWriter, fileBase);
    files.push(`${fileBase}.${FORMAT_EXTENSIONS[request.format]}`);
  };
  try {
    const digits = LEVEL_PREFIX[request.level];
    let unit: string | null | undefined; // undefined: no file open yet
    let unitBase = naming.base;
    if (!request.byDistrict) current = await open(naming.base, naming.title, undefined);
    for await (const batch of streamExportRows(db, request.filter, geometryOutput(request), options.batchSize)) {
      if (out.destroyed) throw new Error('the output stream was closed before the export finished');
      const records = batch.map(toExportRecord);
      if (!request.byDistrict) {
        await (current as FormatWriter).write(records);
      } else {
        // Rows come in district-code order, so each unit's rows are contiguous: cut at each change.
        let from = 0;
        for (let i = 0; i <= records.length; i++) {
          const r = records[i];
          const key = r ? unitKey(r, digits) : undefined;
          if (r && key === unit) continue;
          if (current && i > from) await current.write(records.slice(from, i));
          if (!r) break;
          if (current) await close(current, unitBase);
          unit = key;
          unitBase = safeFileName(`${key ?? ''}${key ? '_' : ''}${unitName(r, digits)}`);
          current = await open(unitBase, `${LABELS.title} ${key ?? ''} ${unitName(r, digits)}`.replace(/\s+/g, ' ').trim(), key);
          from = i;
        }
      }
      rows += records.length;
      options.onProgress?.(rows);
    }
    if (current) await close(current, unitBase);
    current = null;
    if (request.format === 'shp') zip?.addBuffer(fieldListCsv(), `${LABELS.fieldList}.csv`, { mtime: now });
    zip?.end();
    await sent;
    return { format: request.format, rows, files, bytes: counter.bytes, ms: Math.round(performance.now() - started) };
  } catch (error) {
    const receiverGone = out.destroyed && !(error instanceof ExportError);
    await (current as FormatWriter | null)?.abort();
    counter.destroy();
    out.destroy();
    throw receiverGone ? new ExportAbortedError(error) : error;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
