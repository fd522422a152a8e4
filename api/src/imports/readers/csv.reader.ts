/**
 * CSV with a WKT column or longitude/latitude columns, streamed with csv-parse. Text is UTF-8 (with
 * or without BOM) or GBK, detected like DBF text unless --encoding says. Attribute values stay
 * strings (codes such as 001 keep their zeros); geometry columns are not repeated as attributes.
 * Row-level trouble (bad WKT, non-numeric coordinate) is reported on the feature, never thrown.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import wkx from 'wkx';
import type { ReaderNote, ReadOptions, SourceFeature, SourceLayer, SrsResolution } from './reader.types.ts';
import { ReaderError, reasonOf } from './reader-error.ts';
import { formatReaderMessage, type ReaderCode } from './reader-messages.ts';
import { streamError, type ByteSource } from './byte-source.ts';
import { makeFeature, normalizeGeometry } from './geometry.util.ts';
import { resolveSrs } from './srs.resolver.ts';
import { extendExtent, type Extent } from '../crs/srs.inference.ts';
import { UTF8, completeLength, createDecoder } from '../encoding/encoding-names.ts';
import { resolveEncoding } from '../encoding/encoding.resolver.ts';
import { Utf8Validator, type Utf8Verdict } from '../encoding/utf8.validator.ts';
import type { Geometry } from 'geojson';

const WKT_NAMES = ['wkt', 'geometry', 'the_geom', 'geom', 'wkt_geom', 'shape'];
const LON_NAMES = ['lon', 'lng', 'long', 'longitude', 'x', '经度', 'point_x'];
const LAT_NAMES = ['lat', 'latitude', 'y', '纬度', 'point_y'];

/** Where the geometry comes from. */
type GeometrySpec = { kind: 'wkt'; index: number } | { kind: 'lonlat'; lon: number; lat: number };

async function scanUtf8(source: ByteSource): Promise<Utf8Verdict> {
  const validator = new Utf8Validator();
  let carry = Buffer.alloc(0);
  try {
    for await (const raw of source.chunks()) {
      const chunk = carry.length ? Buffer.concat([carry, raw]) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const whole = completeLength(chunk, UTF8); // a character may straddle two chunks
      if (!validator.add(chunk.subarray(0, whole))) return 'invalid';
      carry = Buffer.from(chunk.subarray(whole));
    }
  } catch (error) {
    throw streamError(source, error);
  }
  if (carry.length && !validator.add(carry)) return 'invalid';
  return validator.verdict;
}

async function* decodedText(source: ByteSource, encoding: string): AsyncGenerator<string> {
  if (encoding === UTF8) {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of source.chunks()) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
    return;
  }
  let carry = Buffer.alloc(0);
  const decode = createDecoder(encoding);
  for await (const raw of source.chunks()) {
    const chunk = carry.length ? Buffer.concat([carry, raw]) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const whole = completeLength(chunk, encoding);
    yield decode(chunk.subarray(0, whole));
    carry = Buffer.from(chunk.subarray(whole));
  }
  if (carry.length) yield decode(carry);
}

async function sniffDelimiter(source: ByteSource, encoding: string): Promise<string> {
  if (/\.(tsv|tab)$/i.test(source.path)) return '\t';
  let head = '';
  for await (const text of decodedText(source, encoding)) {
    head += text;
    if (head.includes('\n') || head.length > 65536) break;
  }
  const line = (head.split('\n', 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t', '|'].map((d) => [d, line.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

async function* records(source: ByteSource, encoding: string, delimiter: string): AsyncGenerator<{ values: string[]; line: number }> {
  const parser = parse({ delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true });
  const input = Readable.from(decodedText(source, encoding));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { values: rec.record, line: rec.info.lines };
    }
  } catch (error) {
    if (error instanceof ReaderError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new ReaderError('CSV_INVALID', source.path, { reason: reasonOf(error) }, line ? { row: line } : {}, error);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function findColumn(header: string[], wanted: string | undefined, candidates: string[], file: string): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  if (wanted !== undefined) {
    const i = lower.indexOf(wanted.trim().toLowerCase());
    if (i < 0) throw new ReaderError('CSV_FIELD_NOT_FOUND', file, {}, { field: wanted });
    return i;
  }
  for (const c of candidates) {
    const i = lower.indexOf(c);
    if (i >= 0) return i;
  }
  return -1;
}

function geometrySpec(header: string[], options: ReadOptions, file: string): GeometrySpec {
  const o = options.csv ?? {};
  if (o.wktField !== undefined) return { kind: 'wkt', index: findColumn(header, o.wktField, [], file) };
  if (o.lonField !== undefined || o.latField !== undefined) {
    return { kind: 'lonlat', lon: findColumn(header, o.lonField, LON_NAMES, file), lat: findColumn(header, o.latField, LAT_NAMES, file) };
  }
  const wkt = findColumn(header, undefined, WKT_NAMES, file);
  if (wkt >= 0) return { kind: 'wkt', index: wkt };
  const lon = findColumn(header, undefined, LON_NAMES, file);
  const lat = findColumn(header, undefined, LAT_NAMES, file);
  if (lon >= 0 && lat >= 0) return { kind: 'lonlat', lon, lat };
  throw new ReaderError('CSV_NO_GEOMETRY', file, { fields: header.join(', ') });
}

type RowGeometry = { geometry: Geometry | null; hadZ?: boolean; problem?: { code: ReaderCode; reason: string } };

function parseNumberCell(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|infinity|nan)$/i.test(t)) return null;
  if (/nan/i.test(t)) return Number.NaN;
  if (/inf/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function rowGeometry(values: string[], spec: GeometrySpec): RowGeometry {
  if (spec.kind === 'wkt') {
    const text = (values[spec.index] ?? '').trim();
    if (!text) return { geometry: null };
    let parsed: unknown;
    try {
      parsed = wkx.Geometry.parse(text).toGeoJSON();
    } catch (error) {
      return { geometry: null, problem: { code: 'BAD_WKT', reason: `${text.slice(0, 40)}: ${reasonOf(error)}` } };
    }
    const n = normalizeGeometry(parsed);
    return { geometry: n.geometry, hadZ: n.hadZ, ...(n.problem ? { problem: n.problem } : {}) };
  }
  const lonText = (values[spec.lon] ?? '').trim();
  const latText = (values[spec.lat] ?? '').trim();
  if (!lonText && !latText) return { geometry: null };
  const lon = parseNumberCell(lonText);
  const lat = parseNumberCell(latText);
  if (lon === null || lat === null) return { geometry: null, problem: { code: 'BAD_COORDINATE', reason: `"${lonText}", "${latText}"` } };
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return { geometry: null, problem: { code: 'NAN_COORDINATE', reason: `${lonText}, ${latText}` } };
  return { geometry: { type: 'Point', coordinates: [lon, lat] } };
}

function visit(extent: Extent | null, coords: unknown): Extent | null {
  if (!Array.isArray(coords)) return extent;
  if (typeof coords[0] === 'number') return extendExtent(extent, coords[0], coords[1] as number);
  for (const c of coords) extent = visit(extent, c);
  return extent;
}

/** Opens a CSV file as one layer. Throws ReaderError CSV_INVALID, CSV_NO_GEOMETRY, CSV_FIELD_NOT_FOUND, SRS_REQUIRED. */
export async function openCsvLayer(source: ByteSource, options: ReadOptions = {}): Promise<SourceLayer> {
  const notes: ReaderNote[] = [];
  const decision = await resolveEncoding({ file: source.path, option: options.encoding, scan: () => scanUtf8(source) });
  notes.push(...decision.notes);
  const encoding = decision.resolution.name;
  const delimiter = await sniffDelimiter(source, encoding);

  let header: string[] | null = null;
  for await (const rec of records(source, encoding, delimiter)) {
    header = rec.values;
    break;
  }
  if (!header) throw new ReaderError('CSV_INVALID', source.path, { reason: 'no header line / 没有表头' });
  const spec = geometrySpec(header, options, source.path);
  const geometryColumns = new Set(spec.kind === 'wkt' ? [spec.index] : [spec.lon, spec.lat]);
  const names: string[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    let name = h.replace(/^\uFEFF/, '').trim() || `FIELD_${i + 1}`;
    for (let k = 1; seen.has(name.toLowerCase()); k++) name = `${h.trim() || 'FIELD'}_${k}`;
    seen.add(name.toLowerCase());
    names.push(name);
  });
  const fields = names.filter((_, i) => !geometryColumns.has(i));
  notes.push({ code: 'GEOMETRY_COLUMN', message: formatReaderMessage('GEOMETRY_COLUMN', { fields: [...geometryColumns].map((i) => names[i]).join(', ') }) });

  const srs: SrsResolution = await resolveSrs({
    file: source.path,
    option: options.srs,
    notes,
    extent: async () => {
      let extent: Extent | null = null;
      let first = true;
      for await (const rec of records(source, encoding, delimiter)) {
        if (first) {
          first = false;
          continue;
        }
        const g = rowGeometry(rec.values, spec).geometry;
        if (g && 'coordinates' in g) extent = visit(extent, g.coordinates);
      }
      return extent;
    },
  });

  let consumed = false;
  return {
    file: source.path,
    layer: source.name.replace(/\.[^.]+$/, ''),
    srs,
    encoding: decision.resolution,
    fields,
    notes,
    features: () => {
      if (consumed) throw new Error(`features() of ${source.path} can be iterated once`);
      consumed = true;
      return (async function* (): AsyncGenerator<SourceFeature> {
        let row = 0;
        let zCount = 0;
        let first = true;
        try {
          for await (const rec of records(source, encoding, delimiter)) {
            if (first) {
              first = false;
              continue;
            }
            row++;
            const properties: Record<string, unknown> = {};
            names.forEach((name, i) => {
              if (!geometryColumns.has(i)) properties[name] = rec.values[i] ?? null;
            });
            const g = rowGeometry(rec.values, spec);
            if (g.hadZ) zCount++;
            yield makeFeature(row, properties, g.geometry, g.problem);
          }
        } finally {
          if (zCount) notes.push({ code: 'Z_DROPPED', message: formatReaderMessage('Z_DROPPED'), count: zCount });
        }
      })();
    },
  };
}
