import { mkdtempSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import { ImportError } from '../imports/import-messages.ts';
import type { JobService } from '../jobs/jobs.service.ts';
import { runChangeDetection, type DateInput } from './change-detection.service.ts';
import { resolveInside } from './data-path.guard.ts';
import { ImageryError } from './imagery-errors.ts';
import { imageryDir, imageryView, ImageryService } from './imagery.service.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const srs = z.string().regex(/^(EPSG:)?\d{4,6}$/i, 'must be EPSG:<code>').transform((v) => Number(v.replace(/^EPSG:/i, '')));
const bboxText = z
  .string()
  .transform((v) => v.split(',').map(Number))
  .refine((v) => v.length === 4 && v.every(Number.isFinite) && (v[0] as number) < (v[2] as number) && (v[1] as number) < (v[3] as number), 'must be minLon,minLat,maxLon,maxLat')
  .transform((v) => v as [number, number, number, number]);
const idParam = z.object({ id: z.coerce.number().int().positive() });
const tileParams = z.object({ id: z.coerce.number().int().positive(), z: z.coerce.number().int().min(0).max(24), x: z.coerce.number().int().min(0), y: z.coerce.number().int().min(0) });
const listQuery = z.object({ from: isoDate.optional(), to: isoDate.optional(), bbox: bboxText.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });
const size = z.coerce.number().int().min(16).max(1024).default(256);
const thumbQuery = z.object({ bbox: bboxText, size });
const pickQuery = z.object({ bbox: bboxText, date: isoDate, when: z.enum(['before', 'after', 'nearest']).default('nearest'), size });
const registerFields = z.object({ date: isoDate.optional(), bands: z.string().trim().max(200).optional(), name: z.string().trim().min(1).max(200).optional(), srs: srs.optional() });
const dateInput = z.union([
  z.object({ imageryId: z.number().int().positive() }).strict(),
  z.object({ files: z.array(z.string().min(1).max(1000)).min(1).max(20), date: isoDate.optional(), bands: z.string().max(200).optional(), srs: srs.optional() }).strict(),
]);
const detectBody = z
  .object({
    before: dateInput,
    after: dateInput,
    threshold: z.number().positive().max(1e6).optional(),
    thresholdMethod: z.enum(['kittler-illingworth', 'otsu']).optional(),
    minAreaM2: z.number().min(0).max(1e9).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** ImageryError → HttpError with its status; ImportError → 422; anything else unchanged. */
function asHttp(error: unknown): unknown {
  if (error instanceof ImageryError) return new HttpError(error.status, error.code, error.message, { file: error.file, field: error.field });
  if (error instanceof ImportError) return new HttpError(422, error.code, error.message, { file: error.file, field: error.field });
  return error;
}

/** Multer's names arrive latin1-decoded; keep the UTF-8 name and drop path characters. */
function uploadName(file: Express.Multer.File): string {
  const decoded = Buffer.from(file.originalname, 'latin1').toString('utf8');
  return path.basename(decoded.includes('\uFFFD') ? file.originalname : decoded).replace(/[\\/:*?"<>|]/g, '_').split('\u0000').join('');
}

/**
 * Imagery routes: registry (POST/GET /api/imagery…), raster tiles (GET /imagery/:id/:z/:x/:y.png),
 * thumbnails of a site, and change-detection jobs (POST /api/imagery/change-detections).
 */
export function createImageryRouter(deps: { db: Db; jobs: JobService; config: Config }): Router {
  const router = Router();
  const service = new ImageryService(deps.db, deps.config.dataDir);
  const root = deps.config.dataDir === ':memory:' ? imageryDir(':memory:') : path.resolve(deps.config.dataDir);
  const uploadRoot = path.join(imageryDir(deps.config.dataDir), 'uploads');
  const upload = multer({
    storage: multer.diskStorage({
      destination: (req, _file, cb) => {
        const r = req as Request & { uploadDir?: string };
        if (r.uploadDir) return cb(null, r.uploadDir);
        mkdir(uploadRoot, { recursive: true })
          .then(() => {
            r.uploadDir = mkdtempSync(path.join(uploadRoot, 'up-'));
            cb(null, r.uploadDir);
          })
          .catch((error: Error) => cb(error, ''));
      },
      filename: (_req, file, cb) => cb(null, uploadName(file)),
    }),
    limits: { fileSize: deps.config.maxUploadMb * 1024 * 1024, files: 20, fields: 20 },
  });
  const receive = (req: Request, res: Response, next: NextFunction) => {
    upload.array('file', 20)(req, res, (error: unknown) => {
      if (!error) return next();
      const dir = (req as Request & { uploadDir?: string }).uploadDir;
      if (dir) void rm(dir, { recursive: true, force: true });
      if (error instanceof multer.MulterError) {
        return next(new HttpError(error.code === 'LIMIT_FILE_SIZE' ? 413 : 400, error.code, error.message, { field: error.field }));
      }
      next(error);
    });
  };

  router.post('/api/imagery', receive, async (req, res) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const dir = (req as Request & { uploadDir?: string }).uploadDir;
    const cleanup = () => (dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve());
    try {
      if (files.length === 0 || !dir) throw HttpError.badRequest('FILE_REQUIRED', 'Upload the GeoTIFF file(s) in the multipart field "file" (请上传影像文件)', { field: 'file' });
      const fields = registerFields.safeParse(Object.fromEntries(Object.entries(req.body as Record<string, string>).filter(([, v]) => v !== '')));
      if (!fields.success) throw fromZodError(fields.error, 'body');
      const paths = files.map((f) => path.join(dir, f.filename));
      const job = await deps.jobs.start('imagery-register', { files: files.map((f) => f.filename), ...fields.data }, async (ctx) => {
        try {
          const { record, noop } = await service.register(paths, fields.data, (f) => ctx.progress(f, 'reading'));
          // The same bytes were already registered elsewhere: the upload copy is not needed.
          if (noop) await cleanup();
          return { imagery: imageryView(record), noop };
        } catch (error) {
          await cleanup();
          throw error;
        }
      });
      res.status(202).location(`/api/jobs/${job.id}`).json({ jobId: job.id, status: job.status, href: `/api/jobs/${job.id}` });
    } catch (error) {
      await cleanup();
      throw asHttp(error);
    }
  });

  router.get('/api/imagery', async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const rows = await service.list({ from: q.data.from, to: q.data.to, bbox: q.data.bbox, limit: q.data.limit });
    res.json({ imagery: rows.map(imageryView) });
  });

  router.get('/api/imagery/thumbnail', async (req, res) => {
    const q = pickQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const hit = await service.pick(q.data.bbox, q.data.date, q.data.when);
    if (!hit) throw new HttpError(404, 'IMAGERY_NOT_FOUND', `No registered imagery covers this place ${q.data.when} ${q.data.date} (没有覆盖该位置的影像)`);
    const png = await service.thumbnail(hit.id, q.data.bbox, q.data.size).catch((e: unknown) => Promise.reject(asHttp(e)));
    res.set({ 'X-Imagery-Id': String(hit.id), 'X-Imagery-Date': hit.acquired_on, 'Cache-Control': 'public, max-age=300' });
    if (!png) return void res.status(204).end();
    res.type('image/png').send(png);
  });

  router.get('/api/imagery/suspects/:id/thumbnails', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const s = size.safeParse(req.query.size);
    if (!s.success) throw fromZodError(s.error, 'query');
    const pair = await service.suspectPair(p.data.id);
    if (!pair) throw HttpError.notFound(`Suspect ${p.data.id}`);
    const side = (hit: { id: number; acquired_on: string; name: string } | null) =>
      hit ? { imageryId: hit.id, date: hit.acquired_on, name: hit.name, href: `/api/imagery/${hit.id}/thumbnail.png?bbox=${pair.bbox.map((v) => v.toFixed(7)).join(',')}&size=${s.data}`, tiles: `/imagery/${hit.id}/{z}/{x}/{y}.png` } : null;
    res.json({ suspectId: p.data.id, bbox: pair.bbox, before: side(pair.before), after: side(pair.after) });
  });

  router.post('/api/imagery/change-detections', async (req, res) => {
    const b = detectBody.safeParse(req.body);
    if (!b.success) throw fromZodError(b.error, 'body');
    let before: DateInput;
    let after: DateInput;
    try {
      // Paths are checked now, so a request naming /etc/passwd fails with 400 instead of a failed job.
      const resolve = (d: DateInput): DateInput => ('files' in d ? { ...d, files: d.files.map((f) => resolveInside(root, f)) } : d);
      before = resolve(b.data.before);
      after = resolve(b.data.after);
      for (const d of [before, after]) if ('imageryId' in d) await service.get(d.imageryId);
    } catch (error) {
      throw asHttp(error);
    }
    const { threshold, thresholdMethod, minAreaM2, name } = b.data;
    const job = await deps.jobs.start('change-detection', b.data, async (ctx) =>
      runChangeDetection(deps.db, service, { before, after, name, options: { threshold, thresholdMethod, minAreaM2 } }, (f, m) => ctx.progress(f, m)),
    );
    res.status(202).location(`/api/jobs/${job.id}`).json({ jobId: job.id, status: job.status, href: `/api/jobs/${job.id}` });
  });

  router.get('/api/imagery/:id/thumbnail.png', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const q = thumbQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const png = await service.thumbnail(p.data.id, q.data.bbox, q.data.size).catch((e: unknown) => Promise.reject(asHttp(e)));
    res.set('Cache-Control', 'public, max-age=86400');
    if (!png) return void res.status(204).end();
    res.type('image/png').send(png);
  });

  router.get('/api/imagery/:id', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const r = await service.get(p.data.id).catch((e: unknown) => Promise.reject(asHttp(e)));
    res.json({ ...imageryView(r), stretch: r.stretch, notes: r.notes, bandMap: r.band_map });
  });

  router.get('/imagery/:id/:z/:x/:y.png', async (req, res) => {
    const p = tileParams.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const { id, z, x, y } = p.data;
    if (x >= 2 ** z || y >= 2 ** z) throw HttpError.badRequest('TILE_OUT_OF_RANGE', `tile ${z}/${x}/${y} does not exist`, { field: 'params' });
    const r = await service.get(id).catch((e: unknown) => Promise.reject(asHttp(e)));
    // The content of an imagery id never changes: a fixed ETag, cached for a day by browsers.
    const etag = `"img-${r.sha256.slice(0, 16)}-${z}-${x}-${y}"`;
    res.set({ ETag: etag, 'Cache-Control': 'public, max-age=86400' });
    if (req.headers['if-none-match'] === etag) return void res.status(304).end();
    const png = await service.tile(id, z, x, y).catch((e: unknown) => Promise.reject(asHttp(e)));
    if (!png) return void res.status(204).end();
    res.type('image/png').send(png);
  });

  return router;
}
