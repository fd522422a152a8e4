import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db, Queryable, Transaction } from '../db/db.types.ts';
import { parseImportOptions, type ImportOptions } from './import-options.ts';
import { IMPORT_REASONS, ImportError, reasonMessage, type ImportReason } from './import-messages.ts';
import { createPartition, findSameOptionsImport, finishDataset, insertDatasetVersion, lockLayer, publishStage } from './import.repository.ts';
import { changedChoice, chooseFields, missingNamedField } from './field-choices.ts';
import { KIND_PROFILES, SUBJECT_KINDS, type Kind } from './kind-profiles.ts';
import { openSource } from './readers/open-source.ts';
import { RescanNeeded, type ReaderLimits, type ReaderNote, type ReadOptions, type SourceLayer } from './readers/reader.types.ts';
import { gaussKrugerAreaOf } from './crs/gk-area.calculator.ts';
import { certifierFor } from './simple-polygon.certifier.ts';
import { loadRows } from './row-loader.service.ts';
import { hashSource } from './source-hash.ts';
import {
  createStage,
  firstStageRejects,
  firstStageRepairs,
  rejectDuplicates,
  summariseStage,
  validateStage,
  type Bounds,
  type RouteTarget,
} from './stage.repository.ts';

/** CGCS2000's area of use around China (EPSG:4490), with a small margin; lon/lat degrees. */
export const CHINA_BOUNDS: Bounds = { minLon: 73, minLat: 3, maxLon: 136, maxLat: 54 };
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
  /** Where the time went (ms): reading + routing, checks + repairs + duplicates, swapping in. */
  phases: { stageMs: number; validateMs: number; publishMs: number };
  /** Chunks per path: routed by one statement, or row ranges halved down to a failing row (see stage.repository.ts). */
  chunks?: { routed: number; careful: number };
  /** Whether the source was read once, its fields chosen from its first features (a large GeoJSON FeatureCollection whose SRS is known before its features). */
  onePass?: boolean;
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
  hooks: { progress?: ImportProgress; displayName?: string; maxFeatures?: number; limits?: ReaderLimits; chunkRows?: number; fieldSampleFeatures?: number } = {},
): Promise<ImportLayerResult[]> {
  const options = parseImportOptions(rawOptions);
  if (!existsSync(filePath)) throw new ImportError('FILE_NOT_FOUND', `No such file: ${filePath} (文件不存在)`, filePath);
  const displayName = hooks.displayName ?? path.basename(filePath);
  // The hash runs beside the reader's first pass (a worker thread for large files), and beside the
  // load itself unless a version imported with the same options exists: only then can the import be a
  // no-op, and only then is the hash awaited before the load starts (a new layer's load starts at once
  // and its hash is written when the version is finished: 0.7 s earlier for 1M buildings' Shapefile).
  const hashing = hashSource(filePath);
  hashing.catch(() => undefined); // awaited below or inside the import: never an unhandled rejection
  const readOptions: ReadOptions = { srs: options.srs, encoding: options.encoding, layer: options.layer, limits: hooks.limits, fieldSampleFeatures: hooks.fieldSampleFeatures };
  const open = (fullScan: boolean) =>
    openSource(filePath, { ...readOptions, fullScan }).catch(async (error: unknown) => {
      await hashing.catch(() => undefined);
      throw error;
    });
  let layers = await open(false);
  // A field named by an option that the first features lack may still come later: read it all first.
  if (layers.some((l) => l.allFields && missingNamedField(l.fields, options))) layers = await open(true);
  if (layers.length === 0) throw new ImportError('NO_LAYERS', `${displayName} holds no vector layer (没有矢量图层)`, displayName);
  const started = performance.now();

  // Decide names and spot no-ops before opening the transaction.
  const plans = layers.map((layer) => {
    const name = options.name ? (layers.length > 1 ? `${options.name}/${layer.layer}` : options.name) : layer.layer;
    return { layer, name, optionsHash: hashOptions(options, layer.layer) };
  });
  const noops = new Map<number, ImportLayerResult>();
  for (const [i, plan] of plans.entries()) {
    const same = await findSameOptionsImport(db, { kind: options.kind, name: plan.name, optionsHash: plan.optionsHash });
    if (same && same.source_sha256 === (await hashing)) {
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
    // JIT compiles for longer than these statements run; the hash over a whole layer's source ids
    // (duplicate ids) spills to disk at the default 4 MB; the partition's index
    // builds at attach sort in memory with 256 MB and may use a parallel worker for the B-trees.
    await tx.exec("SET LOCAL jit = off; SET LOCAL work_mem = '128MB'; SET LOCAL maintenance_work_mem = '256MB'");
    const out: ImportLayerResult[] = [];
    for (const [i, plan] of plans.entries()) {
      const noop = noops.get(i);
      if (noop) {
        out.push(noop);
        continue;
      }
      const source = { sha256: hashing, optionsHash: plan.optionsHash, displayName };
      if (!plan.layer.allFields) {
        out.push(await importLayer(tx, plan.layer, plan.name, options, source, hooks));
        continue;
      }
      // Read in one pass on the strength of its first features: if the whole layer decides something
      // differently, its rows go back and it is read again in two passes (rare; never wrong).
      await tx.exec('SAVEPOINT lw_one_pass');
      try {
        out.push(await importLayer(tx, plan.layer, plan.name, options, source, hooks));
        await tx.exec('RELEASE SAVEPOINT lw_one_pass');
      } catch (error) {
        if (!(error instanceof RescanNeeded)) throw error;
        await tx.exec('ROLLBACK TO SAVEPOINT lw_one_pass; RELEASE SAVEPOINT lw_one_pass');
        const again = (await open(true)).find((l) => l.layer === plan.layer.layer);
        if (!again) throw error;
        out.push(await importLayer(tx, again, plan.name, options, source, hooks));
      }
    }
    return out;
  });
  const ms = Math.round(performance.now() - started);
  for (const r of results) if (!r.noop) r.ms = ms;
  return results;
}

async function importLayer(
  tx: Transaction,
  layer: SourceLayer,
  name: string,
  options: ImportOptions,
  source: { sha256: Promise<string>; optionsHash: string; displayName: string },
  hooks: { progress?: ImportProgress; maxFeatures?: number; chunkRows?: number },
): Promise<ImportLayerResult> {
  const { progress } = hooks;
  const profile = KIND_PROFILES[options.kind];
  const srid = layer.srs.epsg;
  const bounds = await boundsFor(tx, srid, source.displayName);
  const choices = chooseFields(layer, options, source.displayName);
  const { idField, widthField, codeField, nameField } = choices;
  const isSubject = SUBJECT_KINDS.has(options.kind);
  const parent = isSubject ? 'subject' : 'constraint_feature';

  const t0 = performance.now();
  await lockLayer(tx, options.kind, name);
  // The version row comes first: its id names the partition the rows are routed into. Its report is
  // written when the import finishes; a failure rolls the row back with everything else.
  const version = await insertDatasetVersion(tx, {
    kind: options.kind,
    name,
    epoch: options.epoch ?? null,
    sourceFile: source.displayName,
    sourceLayer: layer.layer,
    optionsHash: source.optionsHash,
    srs: `EPSG:${srid}`,
    srsHow: layer.srs.how + (layer.srs.detail ? `: ${layer.srs.detail}` : ''),
    encoding: layer.encoding?.name ?? null,
    encodingHow: layer.encoding?.how ?? null,
    report: {},
    importedBy: options.importedBy ?? null,
  });
  await createStage(tx);
  await createPartition(tx, parent, version.id);
  const target: RouteTarget = isSubject
    ? { parent: 'subject', datasetId: version.id, kind: options.kind, epoch: options.epoch ?? null }
    : { parent: 'constraint_feature', datasetId: version.id, kind: options.kind, codeField, codeSystem: profile.codeSystem ?? null, nameField };
  const loaded = await loadRows(tx, layer, {
    target,
    srid,
    sourceArea: gaussKrugerAreaOf(srid),
    certify: certifierFor(srid),
    bounds,
    idField,
    widthField,
    codeField,
    maxFeatures: hooks.maxFeatures ?? DEFAULT_MAX_FEATURES,
    chunkRows: hooks.chunkRows,
    displayName: source.displayName,
    progress: progress ? (done) => progress({ layer: layer.layer, done }) : undefined,
  });
  const notes: ReaderNote[] = [];
  if (loaded.closedRings > 0) {
    notes.push({ code: 'RING_CLOSED', count: loaded.closedRings, message: `${loaded.closedRings} unclosed polygon rings were closed (未闭合的环已闭合)` });
  }
  if (loaded.defaultedWidths > 0) {
    notes.push({
      code: 'WIDTH_DEFAULTED',
      count: loaded.defaultedWidths,
      message: `${loaded.defaultedWidths} centre lines had no usable width${widthField ? ` in ${widthField}` : ''}; default widths by type were used (road 6 m, fire lane 4 m, river 10 m)`,
    });
  }

  const t1 = performance.now();
  await validateStage(tx, { acceptsLines: profile.accepts.includes('line'), bounds, staged: loaded.staged });
  // Every row's id passed through the loader's filter: when none can have repeated, the exact
  // duplicate pass over the whole layer is skipped.
  const movedDuplicates = loaded.maybeDuplicateIds ? await rejectDuplicates(tx, parent, version.id) : 0;
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
  const fromStage = await publishStage(tx, {
    datasetId: version.id,
    supersededId: version.supersededId,
    kind: options.kind,
    isSubject,
    epoch: options.epoch ?? null,
    codeField,
    nameField,
    codeSystem: profile.codeSystem ?? null,
    layer: layer.layer,
    messages: allMessages(),
  });
  // A layer read in one pass chose its fields from its first features: the whole layer must agree.
  const fields = layer.allFields?.() ?? layer.fields;
  if (layer.allFields) {
    const changed = changedChoice(choices, chooseFields({ layer: layer.layer, fields }, options, source.displayName));
    if (changed) throw new RescanNeeded(source.displayName, `its ${changed} is decided by a field that appears only after its first features`);
  }
  const report = { notes: allNotes, rejectsByCode, idField, codeField, nameField, widthField: widthField ?? null, fields };
  const published = await finishDataset(tx, parent, version.id, loaded.published - movedDuplicates + fromStage, report, await source.sha256);
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
    chunks: loaded.chunks,
    onePass: layer.allFields !== undefined,
  };
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

function messageFor(code: string, detail: string | null): string {
  if (code in IMPORT_REASONS) return reasonMessage(code as ImportReason, detail ?? undefined);
  return detail ?? code;
}

function allMessages(): Record<string, string> {
  return Object.fromEntries(Object.keys(IMPORT_REASONS).map((c) => [c, reasonMessage(c as ImportReason)]));
}

function hashOptions(options: ImportOptions, layer: string): string {
  const { importedBy: _ignored, strict: _strict, ...rest } = options;
  const canonical = JSON.stringify(Object.entries({ ...rest, layer }).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('hex');
}
