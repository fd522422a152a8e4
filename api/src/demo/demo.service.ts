import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../db/db.types.ts';
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
});

/** What loading the demo did, per dataset, and the analysis run (when analysis ran). */
export interface DemoReport {
  datasets: Array<{ file: string; kind: string; name: string; datasetId: number; features: number; rejected: number; noop: boolean }>;
  analysis: unknown;
  ms: number;
}

/** Hook that analyses the database after the demo is imported (the analysis module plugs in here). */
export type AnalyseHook = (db: Db) => Promise<unknown>;

/**
 * Imports every dataset listed in data/demo/demo-manifest.json (an unchanged file is a no-op) and,
 * when an analysis hook is given, analyses the result so a newcomer sees suspects at once.
 */
export async function loadDemo(db: Db, logger: Logger, options: { analyse?: AnalyseHook; dir?: string } = {}): Promise<DemoReport> {
  const started = performance.now();
  const dir = options.dir ?? DEMO_DIR;
  const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(dir, 'demo-manifest.json'), 'utf8')));
  const report: DemoReport = { datasets: [], analysis: null, ms: 0 };
  for (const entry of manifest.datasets) {
    const { file, ...options_ } = entry;
    const layers = await importFile(db, path.join(dir, file), options_, { displayName: file });
    for (const l of layers) {
      report.datasets.push({ file, kind: l.kind, name: l.name, datasetId: l.datasetId, features: l.features, rejected: l.rejected, noop: l.noop });
      logger.info({ file, kind: l.kind, features: l.features, rejected: l.rejected, noop: l.noop }, 'demo dataset');
    }
  }
  if (options.analyse) report.analysis = await options.analyse(db);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** Loads the demo only into a database that holds no dataset yet; returns null otherwise. */
export async function loadDemoIfEmpty(db: Db, logger: Logger, options: { analyse?: AnalyseHook; dir?: string } = {}): Promise<DemoReport | null> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dataset');
  if ((rows[0]?.n ?? 0) > 0) {
    logger.info('database already holds data; demo not loaded');
    return null;
  }
  logger.info('empty database: loading the demo district (演示数据)');
  return loadDemo(db, logger, options);
}
