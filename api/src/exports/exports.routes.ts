import { Router } from 'express';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import { attachmentDisposition } from './content-disposition.ts';
import { ExportAbortedError, ExportError } from './export-messages.ts';
import { exportQuerySchema, toExportRequest } from './export-request.ts';
import { prepareExport, type PreparedExport } from './exports.service.ts';

/**
 * GET /api/exports/suspects?format=xlsx|csv|geojson|shp|kml&district=…&rule=…&severity=…&status=…
 * &srs=…&encoding=…&byDistrict=true&level=…: the suspect list as a download, streamed from a
 * database cursor. Everything is checked before the first byte, so a bad request gets a
 * problem+json 400/404; a failure mid-stream can only cut the connection (the status is sent).
 */
export function createExportsRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/api/exports/suspects', async (req, res) => {
    const q = exportQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    let prepared: PreparedExport;
    try {
      prepared = await prepareExport(deps.db, toExportRequest(q.data));
    } catch (error) {
      if (error instanceof ExportError) throw new HttpError(error.status, error.code, error.message, { field: error.field });
      throw error;
    }
    res.status(200);
    res.setHeader('Content-Type', prepared.contentType);
    res.setHeader('Content-Disposition', attachmentDisposition(prepared.fileName, prepared.asciiFileName));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-LandWatch-Rows', String(prepared.rows));
    try {
      await prepared.run(res);
    } catch (error) {
      // Headers are out, so the only way to tell the client is to cut the connection. A client that
      // hung up is not a fault of ours; anything else is logged in full.
      if (error instanceof ExportAbortedError) req.log.info({ url: req.originalUrl }, 'export cancelled by the client');
      else req.log.error({ err: error, url: req.originalUrl }, 'export failed mid-stream');
      if (!res.destroyed) res.destroy();
    }
  });
  return router;
}
