import { CopyBinaryWriter } from '../db/copy-binary.writer.ts';
import type { SourceAreaOf } from './crs/gk-area.calculator.ts';
import type { Transaction } from '../db/db.types.ts';
import { ImportError } from './import-messages.ts';
import { checkStructure } from './geometry-structure.ts';
import { encodeWkb } from './geometry-wkb.encoder.ts';
import { DEFAULT_PASSAGE_WIDTHS_M } from './kind-profiles.ts';
import type { SourceFeature, SourceLayer } from './readers/reader.types.ts';
import { SeenIds } from './seen-ids.filter.ts';
import type { PolygonCertifier } from './simple-polygon.certifier.ts';
import { copyChunk, routeChunk, type Bounds, type RouteCounts, type RouteTarget } from './stage.repository.ts';

/**
 * Rows per COPY chunk. Large enough that per-statement costs vanish, small enough that the first and
 * the last chunk (when only one side works) stay short and two chunks fit easily in memory.
 */
export const DEFAULT_CHUNK_ROWS = 20_000;
/** Rows between turns given to the event loop while a chunk is being built (see below). */
const YIELD_EVERY = 500;

/** Progress of a load, called after each chunk. */
export type LoadProgress = (done: number) => void;

/** What loading a layer's rows did. */
export interface LoadResult {
  /** Features read from the source. */
  read: number;
  /** Rows routed straight into the new partition. */
  published: number;
  /** Rows sent to the stage for checks and repairs. */
  staged: number;
  defaultedWidths: number;
  closedRings: number;
  /** False when no source id can have repeated (see SeenIds): the duplicate-id pass can be skipped. */
  maybeDuplicateIds: boolean;
  /** Chunks per path taken (see RouteCounts.path). */
  chunks: Record<RouteCounts['path'], number>;
}

/** How to turn a layer's features into rows. */
export interface LoadOptions {
  target: RouteTarget;
  srid: number;
  /** Ellipsoidal area (m²) from source coordinates, when the source CRS allows it (else PostGIS measures). */
  sourceArea?: SourceAreaOf | null;
  /** Certifies simple polygons valid after the transform (see simple-polygon.certifier.ts); null: PostGIS tests every row. */
  certify?: PolygonCertifier | null;
  bounds: Bounds;
  idField: string | null;
  widthField: string | undefined;
  codeField: string | null;
  maxFeatures: number;
  displayName: string;
  progress?: LoadProgress;
  /** Rows per chunk (default DEFAULT_CHUNK_ROWS); tests use tiny chunks to cross chunk boundaries. */
  chunkRows?: number;
}

/**
 * Streams a layer's features into the new version: rows are encoded in Node (structure checked, 2D
 * WKB, attributes as JSON), sent in chunks with binary COPY and routed by PostGIS — clean rows straight into
 * the partition, the rest to the stage. While PostGIS routes one chunk, Node reads and encodes the
 * next: the two cores work at the same time. At most two chunks are in memory.
 */
export async function loadRows(tx: Transaction, layer: SourceLayer, o: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    read: 0,
    published: 0,
    staged: 0,
    defaultedWidths: 0,
    closedRings: 0,
    maybeDuplicateIds: false,
    chunks: { routed: 0, careful: 0 },
  };
  const seenIds = o.idField ? new SeenIds() : null;
  let pending: Promise<RouteCounts> | null = null;
  const settle = async (): Promise<void> => {
    if (!pending) return;
    const counts = await pending;
    pending = null;
    result.published += counts.published;
    result.staged += counts.staged;
    result.chunks[counts.path] += 1;
    o.progress?.(result.published + result.staged);
  };
  const send = (data: Buffer, rowNumbers: number[]): Promise<RouteCounts> =>
    copyChunk(tx, data).then(() => routeChunk(tx, o.target, { srid: o.srid, bounds: o.bounds, rowNumbers }));

  const chunkRows = o.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const chunk = new CopyBinaryWriter();
  let rowNumbers: number[] = [];
  try {
    for await (const feature of layer.features()) {
      result.read += 1;
      if (result.read > o.maxFeatures) {
        throw new ImportError('FEATURE_LIMIT', `${layer.layer} holds more than ${o.maxFeatures} features; nothing was imported (要素数量超过上限)`, o.displayName, feature.rowNumber);
      }
      encodeRow(chunk, feature, o, result, seenIds);
      rowNumbers.push(feature.rowNumber);
      if (rowNumbers.length >= chunkRows) {
        await settle();
        pending = send(chunk.finish(), rowNumbers);
        rowNumbers = [];
      } else if (rowNumbers.length % YIELD_EVERY === 0) {
        // A reader whose data is already buffered never gives the event loop a turn: the chunk being
        // copied would sit half-sent in the socket buffer, and the database would idle while we read.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await settle();
    if (rowNumbers.length > 0) {
      pending = send(chunk.finish(), rowNumbers);
      await settle();
    }
  } finally {
    // A failure while a chunk is in flight: let it finish (its error is not the one to report).
    if (pending) await (pending as Promise<RouteCounts>).catch(() => undefined);
  }
  result.maybeDuplicateIds = seenIds?.maybeRepeated ?? false;
  return result;
}

/** One COPY row (the columns of copy-chunk.sql): row number, source id, attributes JSON, WKB, width m, problem code, message, area m², certified. */
function encodeRow(
  out: CopyBinaryWriter,
  feature: SourceFeature,
  o: LoadOptions,
  tally: { defaultedWidths: number; closedRings: number },
  seenIds: SeenIds | null,
): void {
  const props = feature.properties;
  const rawId = o.idField ? props[o.idField] : undefined;
  const sourceId = rawId === undefined || rawId === null || String(rawId).trim() === '' ? null : String(rawId).trim();
  if (sourceId !== null) seenIds?.add(sourceId);
  let problemCode = feature.problem?.code ?? null;
  let problemMessage = feature.problem?.message ?? null;
  let geomWkb: Buffer | null = null;
  let areaM2: number | null = null;
  let certified = false;
  if (feature.geometry && !problemCode) {
    const structure = checkStructure(feature.geometry);
    tally.closedRings += structure.closedRings;
    if (structure.problem) {
      problemCode = structure.problem.code;
      problemMessage = structure.problem.message;
    } else {
      geomWkb = encodeWkb(feature.geometry);
      if (geomWkb === null) {
        problemCode = 'NAN_COORDINATE';
        problemMessage = null;
        tally.closedRings -= structure.closedRings;
      } else {
        if (o.sourceArea) areaM2 = o.sourceArea(feature.geometry);
        if (o.certify) certified = o.certify(feature.geometry);
      }
    }
  }
  let widthM: number | null = null;
  if (feature.geometry && feature.geometry.type.endsWith('LineString')) {
    const raw = o.widthField ? Number(props[o.widthField]) : Number.NaN;
    if (Number.isFinite(raw) && raw > 0 && raw < 1000) widthM = raw;
    else {
      tally.defaultedWidths += 1;
      widthM = defaultWidth(o.codeField ? props[o.codeField] : undefined);
    }
  }
  // geomWkb is the encoder's scratch buffer: bytes() copies it before the next feature is encoded.
  out.row(9).int4(feature.rowNumber).text(sourceId).text(attrsJson(props)).bytes(geomWkb).float8(widthM).text(problemCode).text(problemMessage).float8(areaM2).bool(certified);
}

function defaultWidth(type: unknown): number {
  const t = String(type ?? '').toLowerCase();
  if (/fire|消防/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.fire_lane as number;
  if (/river|河|水/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.river as number;
  if (/road|路|道/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.road as number;
  return DEFAULT_PASSAGE_WIDTHS_M.default as number;
}

/** JSON of the attributes as delivered; NUL characters are dropped (jsonb cannot hold them), bigints become strings. */
export function attrsJson(props: Record<string, unknown>): string {
  // A replacer makes JSON.stringify several times slower: use it only for the rare row that needs it.
  for (const key in props) {
    const v = props[key];
    if (typeof v === 'bigint' || (typeof v === 'string' && v.includes('\u0000'))) return JSON.stringify(props, cleanValue);
  }
  return JSON.stringify(props);
}

function cleanValue(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && v.includes('\u0000')) return v.split('\u0000').join('');
  return v;
}
