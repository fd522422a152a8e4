/**
 * GeoJSON (FeatureCollection, single Feature, bare geometry) and newline-delimited GeoJSON
 * (.geojsonl/.ndjson/.geojsons/.jsonl, RFC 8142 record separators). Both are streamed, twice (field
 * names, extent and crs first, then the features): a whole document through JsonFeatureSplitter,
 * one feature element at a time (each, and the other top-level members, bounded by
 * limits.maxParseBytes); sequences line by line. CRS: RFC 7946 says lon/lat → EPSG:4490 (how
 * 'geojson-default'); a legacy `crs` member naming EPSG is honoured; coordinates that are plainly not
 * lon/lat are inferred or refused.
 */
import type { ReaderNote, ReadOptions, SourceFeature, SourceLayer, SrsResolution } from './reader.types.ts';
import { FIELD_SAMPLE_FEATURES, GEOJSON_MAX_DEPTH, resolveLimits } from './reader-limits.ts';
import { ReaderError, RescanNeeded, reasonOf } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { streamError, type ByteSource } from './byte-source.ts';
import { JsonFeatureSplitter } from './json-feature.splitter.ts';
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

/** Whether text nests arrays/objects deeper than `max` (strings skipped); a linear scan, no recursion. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function parseLine(line: string, maxDepth = GEOJSON_MAX_DEPTH): RawFeature {
  // Checked before JSON.parse: the extent walk recurses, and a hostile line could nest thousands deep.
  if (nestsDeeperThan(line, maxDepth)) return { value: null, error: `nested deeper than ${maxDepth} levels` };
  try {
    return checkRecord(JSON.parse(line));
  } catch (error) {
    return { value: null, error: `invalid JSON: ${reasonOf(error)}` };
  }
}

const isSpaceCode = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, i: number): number {
  while (isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the string opening at `i` (escapes honoured), or -1. */
function stringEnd(text: string, i: number): number {
  for (let from = i + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just after the JSON value starting at `i` (brackets are known balanced: the splitter checked), or -1. */
function valueEnd(text: string, i: number): number {
  let c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i);
  if (c === 0x7b || c === 0x5b) return compositeEnd(text, i, c === 0x7b ? '{' : '[', c === 0x7b ? '}' : ']');
  for (; i < text.length; c = text.charCodeAt(++i)) if (c === 0x2c || c === 0x7d || c === 0x5d || isSpaceCode(c)) return i;
  return i;
}

/**
 * End of the object or array opening at `i`. In balanced JSON only brackets of the opener's own kind
 * (and strings, which may hold any bracket) decide where it closes, so native indexOf jumps over the
 * numbers of a geometry instead of a loop visiting every character (most of a feature's bytes).
 */
function compositeEnd(text: string, i: number, open: string, close: string): number {
  let depth = 1;
  let nextQuote = text.indexOf('"', i + 1);
  let nextOpen = text.indexOf(open, i + 1);
  let nextClose = text.indexOf(close, i + 1);
  for (;;) {
    if (nextClose < 0) return -1;
    if (nextQuote >= 0 && nextQuote < nextClose && (nextOpen < 0 || nextQuote < nextOpen)) {
      const after = stringEnd(text, nextQuote);
      if (after < 0) return -1;
      if (nextOpen >= 0 && nextOpen < after) nextOpen = text.indexOf(open, after);
      if (nextClose < after) nextClose = text.indexOf(close, after);
      nextQuote = text.indexOf('"', after);
    } else if (nextOpen >= 0 && nextOpen < nextClose) {
      depth++;
      nextOpen = text.indexOf(open, nextOpen + 1);
    } else {
      if (--depth === 0) return nextClose + 1;
      nextClose = text.indexOf(close, nextClose + 1);
    }
  }
}

/**
 * Calls `visit(key, start, end)` for each member of the JSON object text (value at start..end);
 * false when the text is not a plain object this simple walk can vouch for (escaped names, odd shape).
 */
function walkObject(text: string, visit: (key: string, start: number, end: number) => void): boolean {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return false;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) return skipSpace(text, i + 1) === text.length;
  for (; ; i = skipSpace(text, i + 1)) {
    const keyEnd = text.charCodeAt(i) === 0x22 ? text.indexOf('"', i + 1) : -1;
    const key = text.slice(i + 1, keyEnd);
    if (keyEnd < 0 || key.includes('\\')) return false;
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a) return false;
    const start = skipSpace(text, i + 1);
    const end = valueEnd(text, start);
    if (end < 0) return false;
    visit(key, start, end);
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === 0x7d) return skipSpace(text, i + 1) === text.length;
    if (text.charCodeAt(i) !== 0x2c) return false;
  }
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const NON_ASCII = /[\x80-\xff]/;

/**
 * Field names of one feature as `collectFields` would find them, without decoding it as UTF-8 or
 * parsing its geometry and property values; false when it must be parsed whole. (Unlike a full
 * parse, this does not notice a feature that is broken JSON inside a value: its names still count.)
 */
function collectFieldsQuickly(fields: Map<string, true>, bytes: Buffer): boolean {
  // Latin-1 maps each byte to one char: the structure (ASCII) is intact; names are decoded below.
  const text = bytes.toString('latin1');
  let type: string | undefined;
  let hasId = false;
  let props: [number, number] | undefined;
  const plain = walkObject(text, (key, start, end) => {
    if (key === 'type') type = text.charCodeAt(start) === 0x22 ? text.slice(start + 1, end - 1) : '';
    else if (key === 'id') hasId = true;
    else if (key === 'properties') props = [start, end];
  });
  if (!plain || type === undefined || type.includes('\\')) return false;
  if (type !== 'Feature') return true; // a geometry (no fields) or not a feature (skipped)
  const keys: string[] = [];
  // Names that are array indices come first in a parsed object: leave those to JSON.parse.
  if (props && !(text.charCodeAt(props[0]) === 0x7b && walkObject(text.slice(props[0], props[1]), (key) => keys.push(key)))) return false;
  if (keys.some((key) => ARRAY_INDEX.test(key))) return false;
  if (hasId && !keys.includes('id')) fields.set('id', true);
  for (const key of keys) fields.set(NON_ASCII.test(key) ? Buffer.from(key, 'latin1').toString('utf8') : key, true);
  return true;
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

/** Feature elements of a document, a chunk's worth at a time (checked whole: ends with splitter.end()). */
async function* documentElements(source: ByteSource, splitter: JsonFeatureSplitter): AsyncGenerator<Buffer[]> {
  try {
    for await (const chunk of source.chunks()) {
      const elements = splitter.push(chunk);
      if (elements.length) yield elements;
    }
    splitter.end();
  } catch (error) {
    throw streamError(source, error);
  }
}

function newSplitter(source: ByteSource, maxParseBytes: number, maxDepth: number): JsonFeatureSplitter {
  return new JsonFeatureSplitter({ file: source.path, maxDepth, maxValueBytes: maxParseBytes });
}

/** Whether the first line of the file, on its own, is a Feature or geometry (newline-delimited GeoJSON saved as .json). */
async function firstLineIsFeature(source: ByteSource, maxBytes: number): Promise<boolean> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const raw of source.chunks()) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const lf = chunk.indexOf(0x0a);
    parts.push(lf < 0 ? chunk : chunk.subarray(0, lf));
    total += lf < 0 ? chunk.length : lf;
    if (total > maxBytes) return false;
    if (lf >= 0) break;
  }
  const first = Buffer.concat(parts, total).toString('utf8').replace(/^\uFEFF/, '');
  return parseLine(first).error === undefined;
}

/** What the first pass over a whole document found; `members`: the top-level ones but the features. */
interface DocumentScan {
  members: Map<string, unknown>;
  sawFeatures: boolean;
  fields: Map<string, true>;
  extent: Extent | null;
  extentComplete: boolean; // false: skipped for some features, as a `crs` member before them made it moot
  complete: boolean; // false: stopped after the sample of features it was asked for
}

/** Whether a legacy `crs` member settles the SRS by itself (see decideSrs), so no extent is needed. */
function crsSettles(crs: unknown): boolean {
  const epsg = epsgOfCrsMember(crs);
  return epsg !== null && epsg !== 4326 && epsg !== 4490;
}

/**
 * First pass over a whole document: field names, and the extent unless the SRS is settled anyway —
 * mode 'srs-given', or 'auto' with a `crs` member before the features naming a projected EPSG —
 * then only each feature's properties are parsed. 'sequence' when the file turns out to be
 * newline-delimited GeoJSON. With `sample`, stops once that many features were read (complete: false).
 */
async function scanDocument(
  source: ByteSource,
  maxParseBytes: number,
  mode: 'srs-given' | 'auto' | 'extent',
  maxDepth = GEOJSON_MAX_DEPTH,
  sample = Number.POSITIVE_INFINITY,
): Promise<DocumentScan | 'sequence'> {
  const splitter = newSplitter(source, maxParseBytes, maxDepth);
  const fields = new Map<string, true>();
  let extent: Extent | null = null;
  let extentComplete = true;
  let complete = true;
  let read = 0;
  try {
    scan: for await (const elements of documentElements(source, splitter)) {
      const quick = mode === 'srs-given' || (mode === 'auto' && crsSettles(splitter.members.get('crs')));
      if (quick) extentComplete = false;
      for (const bytes of elements) {
        if (read++ === sample) {
          complete = false;
          break scan;
        }
        if (quick && collectFieldsQuickly(fields, bytes)) continue;
        const record = parseLine(bytes.toString('utf8'));
        if (record.error) continue;
        collectFields(fields, record.value);
        if (!quick) extent = geometryExtent(extent, geometryOf(record.value));
      }
    }
  } catch (error) {
    // Newline-delimited GeoJSON saved as .json: the first line parses on its own.
    if (splitter.trailingContent && (await firstLineIsFeature(source, maxParseBytes))) return 'sequence';
    throw error;
  }
  return { members: splitter.members, sawFeatures: splitter.sawFeatures, fields, extent, extentComplete, complete };
}

/**
 * Opens a GeoJSON or GeoJSON-sequence file as one layer. Throws ReaderError GEOJSON_INVALID,
 * GEOJSON_TOO_LARGE, SRS_REQUIRED.
 */
export async function openGeoJsonLayer(source: ByteSource, options: ReadOptions = {}): Promise<SourceLayer> {
  const limits = resolveLimits(options);
  const notes: ReaderNote[] = [];
  const layerName = source.name.replace(/\.[^.]+$/, '');
  // Batches of records; text or bytes are a feature parsed only when its turn comes (dies young).
  let records: () => AsyncIterable<(RawFeature | string | Buffer)[]>;
  let crsEpsg: number | null = null;
  let fieldSet = new Map<string, true>();
  let extent: Extent | null = null;
  // Field names of every feature read while the layer is read (single-pass reads only).
  let seenFields: Map<string, true> | null = null;

  const mode = options.srs === undefined ? 'auto' : 'srs-given';
  const sample = options.fullScan ? Number.POSITIVE_INFINITY : (options.fieldSampleFeatures ?? FIELD_SAMPLE_FEATURES);
  let scan = (await sniffSequence(source)) ? 'sequence' : await scanDocument(source, limits.maxParseBytes, mode, limits.maxJsonDepth, sample);
  // One pass instead of two: a FeatureCollection whose SRS is settled before its features (--srs, or a
  // projected `crs` member first) needs a first pass only for its field names. Those of its first
  // features answer now (`fields`), the rest are collected as it is read (`allFields`), and the import
  // checks that they decide nothing differently. Anything else gets the whole first pass, as before.
  let onePass = false;
  if (scan !== 'sequence' && !scan.complete) {
    onePass = scan.members.get('type') === 'FeatureCollection' && scan.sawFeatures && (options.srs !== undefined || crsSettles(scan.members.get('crs')));
    if (!onePass) scan = await scanDocument(source, limits.maxParseBytes, mode, limits.maxJsonDepth);
  }
  if (scan === 'sequence') {
    records = async function* () {
      for await (const line of lines(source, limits.maxParseBytes)) yield [line];
    };
    // First pass: field names and extent (streamed, never held in memory).
    for await (const [item] of records()) {
      const record = typeof item === 'string' ? parseLine(item, limits.maxJsonDepth) : (item as RawFeature | undefined);
      if (!record || record.error) continue;
      collectFields(fieldSet, record.value);
      if (options.srs === undefined) extent = geometryExtent(extent, geometryOf(record.value));
    }
  } else {
    const type = scan.members.get('type');
    if (type === 'FeatureCollection') {
      if (!scan.sawFeatures) throw new ReaderError('GEOJSON_INVALID', source.path, { reason: 'FeatureCollection without a features array' });
      fieldSet = scan.fields;
      extent = scan.extent;
      if (!scan.extentComplete && options.srs === undefined && !crsSettles(scan.members.get('crs'))) {
        // A projected `crs` before the features, then another one (last wins) that does not settle the SRS.
        const full = await scanDocument(source, limits.maxParseBytes, 'extent', limits.maxJsonDepth);
        if (full !== 'sequence') extent = full.extent;
      }
      records = async function* () {
        for await (const elements of documentElements(source, newSplitter(source, limits.maxParseBytes, limits.maxJsonDepth))) yield elements;
      };
      if (onePass) {
        const seen = new Map<string, true>();
        seenFields = seen;
        const decided = { type: 'FeatureCollection', crs: epsgOfCrsMember(scan.members.get('crs')) };
        records = async function* () {
          const splitter = newSplitter(source, limits.maxParseBytes, limits.maxJsonDepth);
          for await (const elements of documentElements(source, splitter)) yield elements;
          // Members after the features (the last of a repeated member wins) were not sampled.
          if (splitter.members.get('type') !== decided.type) throw new RescanNeeded(source.path, 'its type member changed after the features');
          if (options.srs === undefined && epsgOfCrsMember(splitter.members.get('crs')) !== decided.crs) {
            throw new RescanNeeded(source.path, 'another crs member follows the features');
          }
        };
      }
    } else if (type === 'Feature' || (typeof type === 'string' && GEOMETRY_TYPES.has(type))) {
      // A single feature: its members (each within maxParseBytes) are all there is to it.
      const root = Object.fromEntries(scan.members);
      collectFields(fieldSet, root);
      if (options.srs === undefined) extent = geometryExtent(extent, geometryOf(root));
      records = async function* () {
        yield [checkRecord(root)];
      };
    } else {
      throw new ReaderError('GEOJSON_INVALID', source.path, { reason: `type ${String(type)} is not GeoJSON` });
    }
    crsEpsg = epsgOfCrsMember(scan.members.get('crs'));
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
    ...(seenFields ? { allFields: () => [...(seenFields as Map<string, true>).keys()] } : {}),
    features: () => {
      if (consumed) throw new Error(`features() of ${source.path} can be iterated once`);
      consumed = true;
      return (async function* (): AsyncGenerator<SourceFeature> {
        let row = 0;
        let zCount = 0;
        try {
          for await (const batch of records()) {
            for (const item of batch) {
              const record = typeof item === 'string' ? parseLine(item, limits.maxJsonDepth) : Buffer.isBuffer(item) ? parseLine(item.toString('utf8'), limits.maxJsonDepth) : item;
              row++;
              if (record.error) {
                yield makeFeature(row, {}, null, { code: 'BAD_FEATURE', reason: record.error });
                continue;
              }
              const normalized = normalizeGeometry(geometryOf(record.value));
              if (normalized.hadZ) zCount++;
              const properties = propertiesOf(record.value);
              if (seenFields) for (const key of Object.keys(properties)) seenFields.set(key, true);
              yield makeFeature(row, properties, normalized.geometry, normalized.problem);
            }
          }
        } finally {
          if (zCount) notes.push({ code: 'Z_DROPPED', message: formatReaderMessage('Z_DROPPED'), count: zCount });
        }
      })();
    },
  };
}
