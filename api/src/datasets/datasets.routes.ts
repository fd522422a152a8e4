import { mkdtempSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import { parseImportOptions } from '../imports/import-options.ts';
import { importFile } from '../imports/import.service.ts';
import { importLimitsFrom } from '../imports/import-limits.ts';
import { resolveLimits } from '../imports/readers/reader-limits.ts';
import { ReaderError, type ReaderLimits } from '../imports/readers/reader.types.ts';
import { listZip } from '../imports/readers/zip.source.ts';
import { ImportError } from '../imports/import-messages.ts';
import { KINDS } from '../imports/kind-profiles.ts';
import type { JobService } from '../jobs/jobs.service.ts';
import { getDataset, listDatasets, listRejects, listRepairs } from './datasets.repository.ts';
import { rejectsToCsv, rejectsToGeoJson } from './reject-report.ts';

const listQuery = z.object({
  kind: z.enum(KINDS).optional(),
  status: z.enum(['active', 'superseded', 'all']).default('active'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });
const rejectsQuery = z.object({ format: z.enum(['json', 'csv', 'geojson']).default('json') });

/** Multer's names arrive latin1-decoded; bureaus' files have Chinese names. */
function originalName(file: Express.Multer.File): string {
  const decoded = Buffer.from(file.originalname, 'latin1').toString('utf8');
  return path.basename(decoded.includes('\uFFFD') ? file.originalname : decoded).replace(/[\\/:*?"<>|]/g, '_').split('\u0000').join('');
}

/** Picks the file to import from an upload: a .shp among its sidecars, else the single file. */
function mainFile(names: string[]): string | undefined {
  return names.find((n) => /\.shp$/i.test(n)) ?? (names.length === 1 ? names[0] : names.find((n) => !/\.(dbf|shx|prj|cpg|qix|sbn|sbx|xml)$/i.test(n)));
}

/**
 * Dataset routes: POST /api/datasets (multipart upload → 202 + import job), GET /api/datasets,
 * GET /api/datasets/:id, GET /api/datasets/:id/rejects (json | csv | geojson).
 */
export function createDatasetsRouter(deps: { db: Db; jobs: JobService; config: Config }): Router {
  const limits = importLimitsFrom(deps.config);
  const router = Router();
  const uploadRoot = deps.config.dataDir === ':memory:' ? path.join(os.tmpdir(), 'landwatch-uploads') : path.resolve(deps.config.dataDir, 'uploads');
  const upload = multer({
    storage: multer.diskStorage({
      destination: (req, _file, cb) => {
        const r = req as Request & { uploadDir?: string };
        if (!r.uploadDir) {
          mkdir(uploadRoot, { recursive: true })
            .then(() => {
              r.uploadDir = mkdtempSync(path.join(uploadRoot, 'up-'));
              cb(null, r.uploadDir);
            })
            .catch((error: Error) => cb(error, ''));
        } else cb(null, r.uploadDir);
      },
      filename: (_req, file, cb) => cb(null, originalName(file)),
    }),
    limits: { fileSize: deps.config.maxUploadMb * 1024 * 1024, files: 20, fields: 30 },
  });

  const receive = (req: Request, res: Response, next: NextFunction) => {
    upload.array('file', 20)(req, res, (error: unknown) => {
      if (!error) return next();
      const uploadDir = (req as Request & { uploadDir?: string }).uploadDir;
      if (uploadDir) void rm(uploadDir, { recursive: true, force: true });
      if (error instanceof multer.MulterError) {
        const status = error.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
        return next(new HttpError(status, error.code, `${error.message}${error.code === 'LIMIT_FILE_SIZE' ? ` (limit ${deps.config.maxUploadMb} MiB)` : ''}`, { field: error.field }));
      }
      next(error);
    });
  };

  router.post('/api/datasets', receive, async (req, res) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const uploadDir = (req as Request & { uploadDir?: string }).uploadDir;
    const cleanup = () => (uploadDir ? rm(uploadDir, { recursive: true, force: true }) : Promise.resolve());
    try {
      if (files.length === 0) throw HttpError.badRequest('FILE_REQUIRED', 'Upload the survey file in the multipart field "file" (请上传文件)', { field: 'file' });
      const body = req.body as Record<string, string | undefined>;
      let options;
      try {
        options = parseImportOptions({
          kind: body.kind,
          name: body.name || undefined,
          epoch: body.epoch || undefined,
          srs: body.srs || undefined,
          encoding: body.encoding || undefined,
          idField: body.idField || body.id_field || undefined,
          widthField: body.widthField || body.width_field || undefined,
          layer: body.layer || undefined,
          strict: body.strict === 'true' || body.strict === '1',
        });
      } catch (error) {
        if (error instanceof ImportError) throw HttpError.badRequest(error.code, error.message, { field: error.field });
        throw error;
      }
      const names = files.map((f) => f.filename);
      const main = mainFile(names);
      if (!main || !uploadDir) throw HttpError.badRequest('FILE_REQUIRED', `Cannot tell which uploaded file to import among ${names.join(', ')}`, { field: 'file' });
      await preflightArchive(path.join(uploadDir, main), main, limits.reader);
      const job = await deps.jobs.start('import', { file: main, ...options }, async (ctx) => {
        try {
          const layers = await importFile(deps.db, path.join(uploadDir, main), options, {
            displayName: main,
            limits: limits.reader,
            maxFeatures: limits.maxFeatures,
            progress: (p) => ctx.progress(0.5, `${p.layer}: ${p.done} features read`),
          });
          return { layers };
        } finally {
          await cleanup();
        }
      });
      res.status(202).location(`/api/jobs/${job.id}`).json({ jobId: job.id, status: job.status, href: `/api/jobs/${job.id}` });
    } catch (error) {
      await cleanup();
      throw error;
    }
  });

  router.get('/api/datasets', async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const rows = await listDatasets(deps.db, { kind: q.data.kind, status: q.data.status === 'all' ? undefined : q.data.status, limit: q.data.limit });
    res.json({ datasets: rows });
  });

  router.get('/api/datasets/:id', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const dataset = await getDataset(deps.db, p.data.id);
    if (!dataset) throw HttpError.notFound(`Dataset ${p.data.id}`);
    const repairs = await listRepairs(deps.db, p.data.id, 100);
    res.json({ ...dataset, repairs });
  });

  router.get('/api/datasets/:id/rejects', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const q = rejectsQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    if (!(await getDataset(deps.db, p.data.id))) throw HttpError.notFound(`Dataset ${p.data.id}`);
    const rows = await listRejects(deps.db, p.data.id);
    if (q.data.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`dataset-${p.data.id}-rejects.csv`).send(rejectsToCsv(rows));
    } else if (q.data.format === 'geojson') {
      res.type('application/geo+json').attachment(`dataset-${p.data.id}-rejects.geojson`).send(rejectsToGeoJson(rows));
    } else {
      res.json({ rejects: rows.map(({ geometry: _g, ...r }) => r) });
    }
  });
  return router;
}

/** Archive limits (size, ratio, entry count, unsafe entries) answer the upload itself with a 4xx. */
const ARCHIVE_STATUS: Record<string, number> = {
  ZIP_TOO_LARGE: 413,
  ZIP_RATIO_TOO_HIGH: 413,
  ZIP_TOO_MANY_ENTRIES: 413,
  ZIP_UNSAFE_ENTRY: 400,
  ZIP_INVALID: 400,
};

/**
 * Reads a zip/kmz upload's central directory (fast, nothing decompressed) so that archive limits
 * fail the POST with 4xx problem+json rather than a failed job. Other files pass untouched.
 */
async function preflightArchive(filePath: string, displayName: string, readerLimits: ReaderLimits): Promise<void> {
  if (!/\.(zip|kmz)$/i.test(filePath)) return;
  try {
    await listZip(filePath, displayName, resolveLimits({ limits: readerLimits }));
  } catch (error) {
    if (error instanceof ReaderError && error.code in ARCHIVE_STATUS) {
      throw new HttpError(ARCHIVE_STATUS[error.code] as number, error.code, error.message, { file: displayName });
    }
    throw error;
  }
}
