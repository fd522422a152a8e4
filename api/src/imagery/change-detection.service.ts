/**
 * A change-detection run end to end: open the two dates (registered imagery or files), detect, write
 * the patches as GeoJSON (EPSG:4490) and import them as a `change_patch` dataset through the one
 * atomic import path (importFile), so the rules analyse them like any delivered patch layer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/db.types.ts';
import { importFile, type ImportLayerResult } from '../imports/import.service.ts';
import { detectChanges, type ChangeDetectionOptions, type ChangeDetectionResult } from './change-detector.ts';
import { openScene, type Scene } from './imagery-scene.ts';
import type { ImageryService } from './imagery.service.ts';

/** One date of a request: a registered imagery id, or files (with optional date, band map, CRS). */
export type DateInput = { imageryId: number } | { files: string[]; date?: string; bands?: string; srs?: number };

/** What to detect and where the result goes. */
export interface ChangeDetectionRequest {
  before: DateInput;
  after: DateInput;
  options?: Omit<ChangeDetectionOptions, 'progress' | 'collectMask'>;
  /** Also write the patches here as GeoJSON. */
  out?: string;
  /** Import the patches as a change_patch dataset (default true). */
  import?: boolean;
  /** Layer name; default "change-detection <before>_<after>" (a re-run supersedes the previous version). */
  name?: string;
  importedBy?: string;
}

/** What a run did. `dataset` is null when nothing was imported (no patches, or import off). */
export interface ChangeDetectionRun {
  before: { date: string; imageryId: number | null; files: string[] };
  after: { date: string; imageryId: number | null; files: string[] };
  patches: number;
  areaM2: number;
  threshold: number;
  thresholdHow: string;
  stats: ChangeDetectionResult['stats'];
  model: { slope: number[]; offset: number[]; samplePixels: number; pifPixels: number };
  out: string | null;
  dataset: ImportLayerResult | null;
  notes: string[];
}

async function open(input: DateInput, imagery: ImageryService, label: string): Promise<{ scene: Scene; owned: boolean; imageryId: number | null }> {
  if ('imageryId' in input) return { scene: await imagery.scene(input.imageryId), owned: false, imageryId: input.imageryId };
  const scene = await openScene(input.files, { date: input.date, bands: input.bands, srs: input.srs, label, crsResolver: imagery.crsResolver });
  return { scene, owned: true, imageryId: null };
}

/**
 * Runs detection and (by default) the import. Throws ImageryError for input problems and ImportError
 * when the import refuses the patches; nothing is stored then.
 */
export async function runChangeDetection(
  db: Db,
  imagery: ImageryService,
  req: ChangeDetectionRequest,
  progress?: (fraction: number, message: string) => void,
): Promise<ChangeDetectionRun> {
  const before = await open(req.before, imagery, 'before');
  let after: Awaited<ReturnType<typeof open>> | null = null;
  let tmp: string | null = null;
  try {
    after = await open(req.after, imagery, 'after');
    const result = await detectChanges(before.scene, after.scene, {
      ...req.options,
      progress: (p) => progress?.(0.9 * p.fraction, p.message),
    });
    const features = result.patches.map((f) => ({
      ...f,
      properties: { ...f.properties, QSX_YXID: before.imageryId, HSX_YXID: after?.imageryId ?? null },
    }));
    const geojson = JSON.stringify({ type: 'FeatureCollection', name: 'change_patches', features });
    if (req.out) await writeFile(req.out, geojson);
    const notes = [...before.scene.notes, ...after.scene.notes];
    let dataset: ImportLayerResult | null = null;
    if (req.import !== false && features.length > 0) {
      tmp = await mkdtemp(path.join(os.tmpdir(), 'lw-cd-'));
      const file = path.join(tmp, `change-patches-${before.scene.date}_${after.scene.date}.geojson`);
      await writeFile(file, geojson);
      progress?.(0.92, 'importing patches');
      const layers = await importFile(
        db,
        file,
        { kind: 'change_patch', name: req.name ?? `change-detection ${before.scene.date}_${after.scene.date}`, epoch: after.scene.date, srs: 'EPSG:4490', importedBy: req.importedBy },
        { displayName: path.basename(file) },
      );
      dataset = layers[0] ?? null;
    } else if (features.length === 0) {
      notes.push('no change patch found: nothing imported (未发现变化图斑)');
    }
    progress?.(1, `${features.length} patches`);
    return {
      before: { date: before.scene.date, imageryId: before.imageryId, files: before.scene.files.map((f) => f.path) },
      after: { date: after.scene.date, imageryId: after.imageryId, files: after.scene.files.map((f) => f.path) },
      patches: features.length,
      areaM2: Math.round(features.reduce((s, f) => s + f.properties.MJ, 0) * 100) / 100,
      threshold: result.threshold,
      thresholdHow: result.thresholdHow,
      stats: result.stats,
      model: { slope: result.model.slope, offset: result.model.offset, samplePixels: result.model.samplePixels, pifPixels: result.model.pifPixels },
      out: req.out ?? null,
      dataset,
      notes,
    };
  } finally {
    if (before.owned) await before.scene.close();
    if (after?.owned) await after.scene.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
