import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../db/db.types.ts';
import { ImageryService } from '../imagery/imagery.service.ts';
import { importFile } from '../imports/import.service.ts';
import { KINDS } from '../imports/kind-profiles.ts';
import type { Logger } from '../logger.ts';

/** The demo district shipped in data/demo/, as a bureau would deliver it. */
export const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/demo');

const manifestSchema = z.object({
  datasets: z.array(
    z.object({
      file: z.string(),
      kind: z.enum(KINDS),
      name: z.string(),
      epoch: z.string().optional(),
      layer: z.string().optional(),
      idField: z.string().optional(),
      widthField: z.string().optional(),
    }),
  ),
  /** Imagery dates registered after the datasets (for the map's swipe and suspect thumbnails). */
  imagery: z
    .array(z.object({ file: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), name: z.string().optional(), bands: z.string().optional() }))
    .default([]),
});

/** What loading the demo did, per dataset, and the analysis run (when analysis ran). */
export interface DemoReport {
  datasets: Array<{ file: string; kind: string; name: string; datasetId: number; features: number; rejected: number; noop: boolean }>;
  imagery: Array<{ file: string; date: string; imageryId: number; noop: boolean }>;
  analysis: unknown;
  ms: number;
}

/** Hook that analyses the database after the demo is imported (the analysis module plugs in here). */
export type AnalyseHook = (db: Db) => Promise<unknown>;

/**
 * Imports every dataset listed in data/demo/demo-manifest.json (an unchanged file is a no-op),
 * registers its imagery dates in place (the files stay in the demo folder; the same file again is a
 * no-op) and, when an analysis hook is given, analyses the result so a newcomer sees suspects at once.
 * `dataDir` is where imagery previews would go (the demo images are small enough to need none).
 */
export async function loadDemo(db: Db, logger: Logger, options: { analyse?: AnalyseHook; dir?: string; dataDir?: string } = {}): Promise<DemoReport> {
  const started = performance.now();
  const dir = options.dir ?? DEMO_DIR;
  const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(dir, 'demo-manifest.json'), 'utf8')));
  const report: DemoReport = { datasets: [], imagery: [], analysis: null, ms: 0 };
  for (const entry of manifest.datasets) {
    const { file, ...options_ } = entry;
    const layers = await importFile(db, path.join(dir, file), options_, { displayName: file });
    for (const l of layers) {
      report.datasets.push({ file, kind: l.kind, name: l.name, datasetId: l.datasetId, features: l.features, rejected: l.rejected, noop: l.noop });
      logger.info({ file, kind: l.kind, features: l.features, rejected: l.rejected, noop: l.noop }, 'demo dataset');
    }
  }
  if (manifest.imagery.length > 0) {
    const imagery = new ImageryService(db, options.dataDir ?? ':memory:');
    try {
      for (const entry of manifest.imagery) {
        const { record, noop } = await imagery.register([path.join(dir, entry.file)], { date: entry.date, name: entry.name, bands: entry.bands });
        report.imagery.push({ file: entry.file, date: record.acquired_on, imageryId: record.id, noop });
        logger.info({ file: entry.file, date: record.acquired_on, imageryId: record.id, noop }, 'demo imagery');
      }
    } finally {
      await imagery.close();
    }
  }
  if (options.analyse) report.analysis = await options.analyse(db);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** Loads the demo only into a database that holds no dataset yet; returns null otherwise. */
export async function loadDemoIfEmpty(db: Db, logger: Logger, options: { analyse?: AnalyseHook; dir?: string; dataDir?: string } = {}): Promise<DemoReport | null> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dataset');
  if ((rows[0]?.n ?? 0) > 0) {
    logger.info('database already holds data; demo not loaded');
    return null;
  }
  logger.info('empty database: loading the demo district (演示数据)');
  return loadDemo(db, logger, options);
}
