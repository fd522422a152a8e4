/**
 * GeoJSON (FeatureCollection, single Feature, bare geometry) and newline-delimited GeoJSON
 * (.geojsonl/.ndjson/.geojsons/.jsonl, RFC 8142 record separators). A whole document is parsed in
 * memory up to limits.maxParseBytes (no streaming JSON parser is installed); sequences are streamed
 * line by line. CRS: RFC 7946 says lon/lat → EPSG:4490 (how 'geojson-default'); a legacy `crs`
 * member naming EPSG is honoured; coordinates that are plainly not lon/lat are inferred or refused.
 */
import type { ReaderNote, ReadOptions, SourceFeature, SourceLayer, SrsResolution } from './reader.types.ts';
import { resolveLimits } from './reader-limits.ts';
import { ReaderError, reasonOf } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { readAll, streamError, type ByteSource } from './byte-source.ts';
import { makeFeature, normalizeGeometry } from './geometry.util.ts';
import { checkSrsOption } from './srs.resolver.ts';
import { extendExtent, inferSrsFromExtent, type Extent } from '../crs/srs.inference.ts';

const SEQUENCE_EXTENSIONS = /\.(geojsonl|geojsons|ndjson|jsonl|geojsonseq)$/i;
const RS = 0x1e;

/** Splits a stream into lines (LF or RS separated, CR stripped), skipping blank ones. */
async function* lines(source: ByteSource, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): string | null => {
    if (pendingBytes === 0) return null;
    const text = decoder.decode(Buffer.concat(pending, pendingBytes)).replace(/^\uFEFF/, '').trim();
    pending = [];
    pendingBytes = 0;
    return text || null;
  };
  try {
    for await (const raw of source.chunks()) {
      const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b !== 0x0a && b !== RS) continue;
        pending.push(chunk.subarray(start, i));
        pendingBytes += i - start;
        start = i + 1;
        const line = flush();
        if (line !== null) yield line;
      }
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw new ReaderError('GEOJSON_TOO_LARGE', source.path, { size: pendingBytes, limit: maxLineBytes });
    }
  } catch (error) {
    throw streamError(source, error);
  }
  const last = flush();
  if (last !== null) yield last;
}

interface RawFeature {
  value: unknown;
  /** Set when the record is not a Feature/geometry (or not JSON). */
  error?: string;
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Properties of a raw feature, with its `id` member first when properties have none. */
function propertiesOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  const f = value as { type?: string; id?: unknown; properties?: unknown };
  if (f.type !== 'Feature') return {};
  const props = typeof f.properties === 'object' && f.properties !== null && !Array.isArray(f.properties) ? (f.properties as Record<string, unknown>) : {};
  return f.id !== undefined && !('id' in props) ? { id: f.id, ...props } : props;
}

function geometryOf(value: unknown): unknown {
  const v = value as { type?: string; geometry?: unknown };
  return v.type === 'Feature' ? v.geometry : value;
}

function checkRecord(value: unknown): RawFeature {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { value, error: 'not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (type === 'Feature' || (typeof type === 'string' && GEOMETRY_TYPES.has(type))) return { value };
  return { value, error: `type ${String(type)} is not a Feature` };
}

function parseLine(line: string): RawFeature {
  try {
    return checkRecord(JSON.parse(line));
  } catch (error) {
    return { value: null, error: `invalid JSON: ${reasonOf(error)}` };
  }
}

/** EPSG code named by a legacy `crs` member ('urn:ogc:def:crs:EPSG::4547', 'EPSG:4547'); 4326 for CRS84. */
export function epsgOfCrsMember(crs: unknown): number | null {
  const name = (crs as { properties?: { name?: unknown } } | null)?.properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS:?84$/i.test(name)) return 4326;
  const m = /EPSG:(?:[\d.]*:)?:?(\d+)$/i.exec(name);
  return m ? Number(m[1]) : null;
}

function visitExtent(extent: Extent | null, coords: unknown): Extent | null {
  if (!Array.isArray(coords)) return extent;
  if (typeof coords[0] === 'number') {
    const [x, y] = coords as number[];
    return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? extendExtent(extent, x, y) : extent;
  }
  for (const c of coords) extent = visitExtent(extent, c);
  return extent;
}

function geometryExtent(extent: Extent | null, geometry: unknown): Extent | null {
  const g = geometry as { coordinates?: unknown; geometries?: unknown[] } | null;
  if (!g || typeof g !== 'object') return extent;
  if (Array.isArray(g.geometries)) for (const part of g.geometries) extent = geometryExtent(extent, part);
  return visitExtent(extent, g.coordinates);
}

function decideSrs(file: string, option: number | undefined, crsEpsg: number | null, extent: Extent | null, notes: ReaderNote[]): SrsResolution {
  if (option !== undefined) {
    const epsg = checkSrsOption(file, option);
    notes.push({ code: 'SRS_OPTION', message: formatReaderMessage('SRS_OPTION', { epsg }) });
    return { epsg, how: 'option' };
  }
  if (crsEpsg !== null && crsEpsg !== 4326 && crsEpsg !== 4490) {
    return { epsg: crsEpsg, how: 'prj', detail: `GeoJSON crs member EPSG:${crsEpsg}` };
  }
  const inferred = inferSrsFromExtent(extent);
  if (inferred.kind === 'ok' && inferred.epsg === 4490) {
    notes.push({ code: 'SRS_DEFAULT', message: formatReaderMessage('SRS_DEFAULT', { format: 'GeoJSON' }) });
    return { epsg: 4490, how: 'geojson-default', detail: crsEpsg ? `crs member EPSG:${crsEpsg} (lon/lat)` : 'RFC 7946 lon/lat' };
  }
  // Coordinates that are not lon/lat although RFC 7946 says they must be: a GK export without `crs`.
  if (inferred.kind === 'need-srs') throw new ReaderError('SRS_REQUIRED', file, { reason: inferred.reason });
  notes.push({ code: 'SRS_INFERRED', message: formatReaderMessage('SRS_INFERRED', { epsg: inferred.epsg, detail: inferred.detail }) });
  return { epsg: inferred.epsg, how: 'inferred', detail: inferred.detail };
}

function collectFields(fields: Map<string, true>, value: unknown): void {
  for (const key of Object.keys(propertiesOf(value))) fields.set(key, true);
}

async function sniffSequence(source: ByteSource): Promise<boolean> {
  if (SEQUENCE_EXTENSIONS.test(source.path)) return true;
  for await (const chunk of source.chunks()) {
    const head = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 64)).toString('latin1').replace(/^\xEF\xBB\xBF/, '');
    return head.trimStart().charCodeAt(0) === RS;
  }
  return false;
}

/**
 * Opens a GeoJSON or GeoJSON-sequence file as one layer. Throws ReaderError GEOJSON_INVALID,
 * GEOJSON_TOO_LARGE, SRS_REQUIRED.
 */
export async function openGeoJsonLayer(source: ByteSource, options: ReadOptions = {}): Promise<SourceLayer> {
  const limits = resolveLimits(options);
  const notes: ReaderNote[] = [];
  const layerName = source.name.replace(/\.[^.]+$/, '');
  let records: () => AsyncIterable<RawFeature>;
  let crsEpsg: number | null = null;

  let sequence = await sniffSequence(source);
  let document: unknown;
  if (!sequence) {
    if (source.size > limits.maxParseBytes) throw new ReaderError('GEOJSON_TOO_LARGE', source.path, { size: source.size, limit: limits.maxParseBytes });
    const text = (await readAll(source, limits.maxParseBytes)).toString('utf8').replace(/^\uFEFF/, '');
    try {
      document = JSON.parse(text);
    } catch (error) {
      // Newline-delimited GeoJSON saved as .json: the first line parses on its own.
      const first = text.split('\n', 1)[0] ?? '';
      if (parseLine(first).error === undefined && text.trim().includes('\n')) sequence = true;
      else throw new ReaderError('GEOJSON_INVALID', source.path, { reason: reasonOf(error) }, {}, error);
    }
  }
  if (sequence) {
    records = async function* () {
      for await (const line of lines(source, limits.maxParseBytes)) yield parseLine(line);
    };
  } else {
    const root = document as { type?: unknown; features?: unknown; crs?: unknown } | null;
    if (typeof root !== 'object' || root === null) throw new ReaderError('GEOJSON_INVALID', source.path, { reason: 'not a JSON object' });
    let items: unknown[];
    if (root.type === 'FeatureCollection') {
      if (!Array.isArray(root.features)) throw new ReaderError('GEOJSON_INVALID', source.path, { reason: 'FeatureCollection without a features array' });
      items = root.features;
    } else if (root.type === 'Feature' || (typeof root.type === 'string' && GEOMETRY_TYPES.has(root.type))) {
      items = [root];
    } else {
      throw new ReaderError('GEOJSON_INVALID', source.path, { reason: `type ${String(root.type)} is not GeoJSON` });
    }
    crsEpsg = epsgOfCrsMember(root.crs);
    records = async function* () {
      for (const item of items) yield checkRecord(item);
    };
  }

  // First pass: field names and extent (a sequence is streamed twice, never held in memory).
  const fieldSet = new Map<string, true>();
  let extent: Extent | null = null;
  for await (const record of records()) {
    if (record.error) continue;
    collectFields(fieldSet, record.value);
    if (options.srs === undefined) extent = geometryExtent(extent, geometryOf(record.value));
  }
  const srs = decideSrs(source.path, options.srs, crsEpsg, extent, notes);

  let consumed = false;
  return {
    file: source.path,
    layer: layerName,
    srs,
    encoding: { name: 'UTF-8', how: 'default' },
    fields: [...fieldSet.keys()],
    notes,
    features: () => {
      if (consumed) throw new Error(`features() of ${source.path} can be iterated once`);
      consumed = true;
      return (async function* (): AsyncGenerator<SourceFeature> {
        let row = 0;
        let zCount = 0;
        try {
          for await (const record of records()) {
            row++;
            if (record.error) {
              yield makeFeature(row, {}, null, { code: 'BAD_FEATURE', reason: record.error });
              continue;
            }
            const normalized = normalizeGeometry(geometryOf(record.value));
            if (normalized.hadZ) zCount++;
            yield makeFeature(row, propertiesOf(record.value), normalized.geometry, normalized.problem);
          }
        } finally {
          if (zCount) notes.push({ code: 'Z_DROPPED', message: formatReaderMessage('Z_DROPPED'), count: zCount });
        }
      })();
    },
  };
}
