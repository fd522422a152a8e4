import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { Db, Queryable } from '../db/db.types.ts';
import { parseImportOptions, type ImportOptions } from './import-options.ts';
import { IMPORT_REASONS, ImportError, reasonMessage, type ImportReason } from './import-messages.ts';
import {
  createStage,
  findSameImport,
  firstStageRejects,
  firstStageRepairs,
  insertDatasetVersion,
  insertStageBatch,
  lockLayer,
  publishStage,
  summariseStage,
  validateStage,
  type Bounds,
  type StageRow,
  type StageWork,
} from './import.repository.ts';
import { checkStructure } from './geometry-structure.ts';
import { encodeWkbHex } from './geometry-wkb.encoder.ts';
import { DEFAULT_PASSAGE_WIDTHS_M, KIND_PROFILES, SUBJECT_KINDS, pickField, type Kind } from './kind-profiles.ts';
import { openSource } from './readers/open-source.ts';
import type { ReaderLimits, ReaderNote, SourceFeature, SourceLayer } from './readers/reader.types.ts';

/** CGCS2000's area of use around China (EPSG:4490), with a small margin; lon/lat degrees. */
export const CHINA_BOUNDS: Bounds = { minLon: 73, minLat: 3, maxLon: 136, maxLat: 54 };
const BATCH_SIZE = 2000;
/** Most features one layer may hold (a guard against runaway files); override per call. */
export const DEFAULT_MAX_FEATURES = 20_000_000;
const REPORT_LIMIT = 20;

/** Progress of an import, called after each batch. `total` is unknown for most streamed formats. */
export type ImportProgress = (p: { layer: string; done: number; total?: number }) => void;

/** What one layer's import did. */
export interface ImportLayerResult {
  datasetId: number;
  kind: Kind;
  name: string;
  version: number;
  file: string;
  layer: string;
  /** Features stored. */
  features: number;
  repaired: number;
  rejected: number;
  /** Source CRS, e.g. 'EPSG:4547', and how it was decided (prj, gpkg, option, inferred …). */
  srs: string;
  srsHow: string;
  encoding: string | null;
  encodingHow: string | null;
  /** True when the same bytes were already imported with the same options: nothing changed. */
  noop: boolean;
  supersededDatasetId: number | null;
  rejectsByCode: Record<string, number>;
  /** The first rejects (all of them are in import_reject / GET /api/datasets/{id}/rejects). */
  rejects: Array<{ row: number; sourceId: string | null; code: string; message: string }>;
  repairs: Array<{ row: number; sourceId: string | null; reason: string }>;
  notes: ReaderNote[];
  /** Extent of the stored features in EPSG:4490 [minLon, minLat, maxLon, maxLat], null when none. */
  bbox: [number, number, number, number] | null;
  ms: number;
  /** Where the time went (ms): reading + staging, checks + repairs, swapping in. */
  phases: { stageMs: number; validateMs: number; publishMs: number };
}

/**
 * Imports every layer of one file (or the `--layer` chosen) as new versions of their layers, all in
 * ONE transaction: rows are staged, checked, repaired and swapped in; any failure (or a kill) leaves
 * the database exactly as it was. The same bytes with the same options again are a reported no-op.
 */
export async function importFile(
  db: Db,
  filePath: string,
  rawOptions: unknown,
  hooks: { progress?: ImportProgress; displayName?: string; maxFeatures?: number; limits?: ReaderLimits } = {},
): Promise<ImportLayerResult[]> {
  const options = parseImportOptions(rawOptions);
  if (!existsSync(filePath)) throw new ImportError('FILE_NOT_FOUND', `No such file: ${filePath} (文件不存在)`, filePath);
  const displayName = hooks.displayName ?? path.basename(filePath);
  const layers = await openSource(filePath, { srs: options.srs, encoding: options.encoding, layer: options.layer, limits: hooks.limits });
  if (layers.length === 0) throw new ImportError('NO_LAYERS', `${displayName} holds no vector layer (没有矢量图层)`, displayName);
  const sha256 = await hashSource(filePath);
  const started = performance.now();

  // Decide names and spot no-ops before opening the transaction.
  const plans = layers.map((layer) => {
    const name = options.name ? (layers.length > 1 ? `${options.name}/${layer.layer}` : options.name) : layer.layer;
    return { layer, name, optionsHash: hashOptions(options, layer.layer) };
  });
  const noops = new Map<number, ImportLayerResult>();
  for (const [i, plan] of plans.entries()) {
    const same = await findSameImport(db, { kind: options.kind, name: plan.name, sha256, optionsHash: plan.optionsHash });
    if (same) {
      noops.set(i, {
        datasetId: same.id,
        kind: options.kind,
        name: plan.name,
        version: same.version,
        file: displayName,
        layer: plan.layer.layer,
        features: same.feature_count,
        repaired: same.repaired_count,
        rejected: same.rejected_count,
        srs: same.source_srs ?? `EPSG:${plan.layer.srs.epsg}`,
        srsHow: plan.layer.srs.how,
        encoding: same.encoding,
        encodingHow: plan.layer.encoding?.how ?? null,
        noop: true,
        supersededDatasetId: null,
        rejectsByCode: {},
        rejects: [],
        repairs: [],
        notes: [{ code: 'ALREADY_IMPORTED', message: `Same file and options as version ${same.version}: nothing to do (已导入，无变化)` }],
        bbox: null,
        ms: 0,
        phases: { stageMs: 0, validateMs: 0, publishMs: 0 },
      });
    }
  }
  if (noops.size === plans.length) return plans.map((_, i) => noops.get(i) as ImportLayerResult);

  const results = await db.transaction(async (tx) => {
    // JIT compiles for longer than these statements run; the sorts and hashes over a whole layer
    // (publish ORDER BY, duplicate ids) spill to disk at the default 4 MB.
    await tx.exec("SET LOCAL jit = off; SET LOCAL work_mem = '128MB'");
    const out: ImportLayerResult[] = [];
    for (const [i, plan] of plans.entries()) {
      const noop = noops.get(i);
      if (noop) {
        out.push(noop);
        continue;
      }
      out.push(
        await importLayer(tx, plan.layer, plan.name, options, { sha256, optionsHash: plan.optionsHash, displayName }, hooks.progress, hooks.maxFeatures ?? DEFAULT_MAX_FEATURES),
      );
    }
    return out;
  });
  const ms = Math.round(performance.now() - started);
  for (const r of results) if (!r.noop) r.ms = ms;
  return results;
}

async function importLayer(
  tx: Queryable,
  layer: SourceLayer,
  name: string,
  options: ImportOptions,
  source: { sha256: string; optionsHash: string; displayName: string },
  progress?: ImportProgress,
  maxFeatures = DEFAULT_MAX_FEATURES,
): Promise<ImportLayerResult> {
  const profile = KIND_PROFILES[options.kind];
  const srid = layer.srs.epsg;
  const bounds = await boundsFor(tx, srid, source.displayName);
  const idField = resolveIdField(layer, options, source.displayName);
  const widthField = profile.accepts.includes('line') ? (options.widthField ?? pickField(layer.fields, profile.widthFields ?? [])) : undefined;
  if (options.widthField && !layer.fields.includes(options.widthField)) {
    throw new ImportError('UNKNOWN_FIELD', `--width-field ${options.widthField} is not a field of ${layer.layer} (fields: ${layer.fields.join(', ')})`, source.displayName, undefined, options.widthField);
  }
  const codeField = pickField(layer.fields, profile.codeFields) ?? null;
  const nameField = pickField(layer.fields, profile.nameFields) ?? null;

  const t0 = performance.now();
  await lockLayer(tx, options.kind, name);
  await createStage(tx);
  const notes: ReaderNote[] = [];
  let defaultedWidths = 0;
  let closedRings = 0;
  let done = 0;
  let batch: StageRow[] = [];
  // One batch is written while the next is read: the reader's CPU (Node) and the database's
  // (parsing, transforming) overlap instead of taking turns. At most two batches are in memory.
  let writing: Promise<unknown> = Promise.resolve(null);
  const work: StageWork = { basic: 0, range: 0, repair: 0 };
  const flush = async (rows: StageRow[]): Promise<void> => {
    const failure = await writing;
    if (failure) throw failure;
    writing = insertStageBatch(tx, rows, srid, bounds).then(
      (counts) => {
        work.basic += counts.basic;
        work.range += counts.range;
        work.repair += counts.repair;
        done += rows.length;
        progress?.({ layer: layer.layer, done });
        return null;
      },
      (error: unknown) => error,
    );
  };
  let read = 0;
  for await (const feature of layer.features()) {
    const row = toStageRow(feature, idField, widthField, codeField);
    if (row.widthDefaulted) defaultedWidths += 1;
    closedRings += row.closedRings;
    batch.push(row.stage);
    read += 1;
    if (read > maxFeatures) {
      throw new ImportError('FEATURE_LIMIT', `${layer.layer} holds more than ${maxFeatures} features; nothing was imported (要素数量超过上限)`, source.displayName, feature.rowNumber);
    }
    if (batch.length >= BATCH_SIZE) {
      await flush(batch);
      batch = [];
    } else if (batch.length % 250 === 0) {
      // A reader whose data is already buffered never gives the event loop a turn: the batch being
      // written would sit half-sent in the socket buffer, and the database would idle while we read.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  await flush(batch);
  const failure = await writing;
  if (failure) throw failure;
  if (closedRings > 0) {
    notes.push({ code: 'RING_CLOSED', count: closedRings, message: `${closedRings} unclosed polygon rings were closed (未闭合的环已闭合)` });
  }
  if (defaultedWidths > 0) {
    notes.push({
      code: 'WIDTH_DEFAULTED',
      count: defaultedWidths,
      message: `${defaultedWidths} centre lines had no usable width${widthField ? ` in ${widthField}` : ''}; default widths by type were used (road 6 m, fire lane 4 m, river 10 m)`,
    });
  }

  const t1 = performance.now();
  await validateStage(tx, { acceptsLines: profile.accepts.includes('line'), bounds, work });
  const t2 = performance.now();
  const summary = await summariseStage(tx);
  const rejectsByCode: Record<string, number> = {};
  for (const s of summary) if (s.code !== '') rejectsByCode[s.code] = s.n;
  const firstRejects = (await firstStageRejects(tx, REPORT_LIMIT)).map((r) => ({
    row: r.row_number,
    sourceId: r.source_id,
    code: r.code,
    message: messageFor(r.code, r.detail),
  }));
  if (options.strict && firstRejects.length > 0) {
    const first = firstRejects[0] as (typeof firstRejects)[number];
    throw new ImportError(
      'STRICT_REJECT',
      `${first.code}: ${first.message} (--strict: nothing was imported 严格模式：未导入任何数据)`,
      `${source.displayName}${layer.file.includes('!') ? ` (${layer.layer})` : ''}`,
      first.row,
    );
  }
  const repairs = (await firstStageRepairs(tx, REPORT_LIMIT)).map((r) => ({ row: r.row_number, sourceId: r.source_id, reason: r.reason }));
  const allNotes = [...layer.notes, ...notes];
  const version = await insertDatasetVersion(tx, {
    kind: options.kind,
    name,
    epoch: options.epoch ?? null,
    sourceFile: source.displayName,
    sourceLayer: layer.layer,
    sha256: source.sha256,
    optionsHash: source.optionsHash,
    srs: `EPSG:${srid}`,
    srsHow: layer.srs.how + (layer.srs.detail ? `: ${layer.srs.detail}` : ''),
    encoding: layer.encoding?.name ?? null,
    encodingHow: layer.encoding?.how ?? null,
    report: { notes: allNotes, rejectsByCode, idField, codeField, nameField, widthField: widthField ?? null, fields: layer.fields },
    importedBy: options.importedBy ?? null,
  });
  const published = await publishStage(tx, {
    datasetId: version.id,
    supersededId: version.supersededId,
    kind: options.kind,
    isSubject: SUBJECT_KINDS.has(options.kind),
    epoch: options.epoch ?? null,
    codeField,
    nameField,
    codeSystem: profile.codeSystem ?? null,
    layer: layer.layer,
    messages: allMessages(),
  });
  return {
    datasetId: version.id,
    kind: options.kind,
    name,
    version: version.version,
    file: source.displayName,
    layer: layer.layer,
    features: published.features,
    repaired: published.repaired,
    rejected: published.rejected,
    srs: `EPSG:${srid}`,
    srsHow: layer.srs.how,
    encoding: layer.encoding?.name ?? null,
    encodingHow: layer.encoding?.how ?? null,
    noop: false,
    supersededDatasetId: version.supersededId,
    rejectsByCode,
    rejects: firstRejects,
    repairs,
    notes: allNotes,
    bbox: published.bbox,
    ms: 0,
    phases: { stageMs: Math.round(t1 - t0), validateMs: Math.round(t2 - t1), publishMs: Math.round(performance.now() - t2) },
  };
}

function resolveIdField(layer: SourceLayer, options: ImportOptions, displayName: string): string | null {
  if (options.idField) {
    const hit = pickField(layer.fields, [options.idField]);
    if (!hit) {
      throw new ImportError(
        'UNKNOWN_FIELD',
        `--id-field ${options.idField} is not a field of ${layer.layer} (fields: ${layer.fields.join(', ')}) (字段不存在)`,
        displayName,
        undefined,
        options.idField,
      );
    }
    return hit;
  }
  return pickField(layer.fields, KIND_PROFILES[options.kind].idFields) ?? null;
}

/** Area of use for the range check: China, narrowed to the zone for Gauss-Krüger/TM CRSs. */
async function boundsFor(tx: Queryable, srid: number, displayName: string): Promise<Bounds> {
  const { rows } = await tx.query<{ proj4text: string | null }>('SELECT proj4text FROM spatial_ref_sys WHERE srid = $1', [srid]);
  const def = rows[0];
  if (!def) {
    throw new ImportError('UNKNOWN_SRS', `EPSG:${srid} is not a coordinate system this database knows (未知坐标系); pass --srs EPSG:<code>`, displayName, undefined, 'srs');
  }
  const lon0 = /\+proj=tmerc\b/.test(def.proj4text ?? '') ? /\+lon_0=(-?[\d.]+)/.exec(def.proj4text ?? '')?.[1] : undefined;
  if (lon0 === undefined) return CHINA_BOUNDS;
  const cm = Number(lon0);
  // A 6° zone reaches 3° either side of its meridian; allow half a degree for edge overlap.
  return { ...CHINA_BOUNDS, minLon: Math.max(CHINA_BOUNDS.minLon, cm - 3.5), maxLon: Math.min(CHINA_BOUNDS.maxLon, cm + 3.5) };
}

function toStageRow(
  feature: SourceFeature,
  idField: string | null,
  widthField: string | undefined,
  codeField: string | null,
): { stage: StageRow; widthDefaulted: boolean; closedRings: number } {
  const props = feature.properties;
  const rawId = idField ? props[idField] : undefined;
  const sourceId = rawId === undefined || rawId === null || String(rawId).trim() === '' ? null : String(rawId).trim();
  let problemCode = feature.problem?.code ?? null;
  let problemMessage = feature.problem?.message ?? null;
  let geomWkb: string | null = null;
  let closedRings = 0;
  if (feature.geometry && !problemCode) {
    const structure = checkStructure(feature.geometry);
    closedRings = structure.closedRings;
    if (structure.problem) {
      problemCode = structure.problem.code;
      problemMessage = structure.problem.message;
    } else {
      geomWkb = encodeWkbHex(feature.geometry);
      if (geomWkb === null) {
        problemCode = 'NAN_COORDINATE';
        problemMessage = null;
        closedRings = 0;
      }
    }
  }
  let widthM: number | null = null;
  let widthDefaulted = false;
  if (feature.geometry && /LineString/.test(feature.geometry.type)) {
    const raw = widthField ? Number(props[widthField]) : Number.NaN;
    if (Number.isFinite(raw) && raw > 0 && raw < 1000) widthM = raw;
    else {
      widthDefaulted = true;
      widthM = defaultWidth(codeField ? props[codeField] : undefined);
    }
  }
  return {
    stage: { rowNumber: feature.rowNumber, sourceId, attrsJson: attrsJson(props), geomWkb, widthM, problemCode, problemMessage },
    widthDefaulted,
    closedRings,
  };
}

function defaultWidth(type: unknown): number {
  const t = String(type ?? '').toLowerCase();
  if (/fire|消防/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.fire_lane as number;
  if (/river|河|水/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.river as number;
  if (/road|路|道/.test(t)) return DEFAULT_PASSAGE_WIDTHS_M.road as number;
  return DEFAULT_PASSAGE_WIDTHS_M.default as number;
}

/** JSON of the attributes as delivered; NUL characters are dropped (jsonb cannot hold them). */
function attrsJson(props: Record<string, unknown>): string {
  return JSON.stringify(props, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'string' && v.includes('\u0000')) return v.split('\u0000').join('');
    return v;
  });
}

function messageFor(code: string, detail: string | null): string {
  if (code in IMPORT_REASONS) return reasonMessage(code as ImportReason, detail ?? undefined);
  return detail ?? code;
}

function allMessages(): Record<string, string> {
  return Object.fromEntries(Object.keys(IMPORT_REASONS).map((c) => [c, reasonMessage(c as ImportReason)]));
}

/** sha256 of the source bytes; a .shp includes its sidecar files, so a changed .dbf is a new version. */
async function hashSource(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  const files = [filePath];
  if (/\.shp$/i.test(filePath)) {
    const base = filePath.slice(0, -4);
    for (const ext of ['dbf', 'shx', 'prj', 'cpg', 'DBF', 'SHX', 'PRJ', 'CPG']) if (existsSync(`${base}.${ext}`)) files.push(`${base}.${ext}`);
  }
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      createReadStream(f)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => resolve())
        .on('error', reject);
    });
  }
  return hash.digest('hex');
}

function hashOptions(options: ImportOptions, layer: string): string {
  const { importedBy: _ignored, strict: _strict, ...rest } = options;
  const canonical = JSON.stringify(Object.entries({ ...rest, layer }).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('hex');
}
