import { Router } from 'express';
import { z } from 'zod';
import { RULE_CODES, SEVERITIES } from '../analysis/rule-catalog.ts';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import { SUSPECT_STATUSES } from './suspect-status.ts';
import { findSuspect, findSuspects } from './suspects.service.ts';

/** `a,b` or repeated parameters → a list of allowed values. */
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const bbox = z
  .string()
  .transform((s) => s.split(',').map((p) => Number(p.trim())))
  .pipe(
    z
      .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .refine(([x0, y0, x1, y1]) => x0 <= x1 && y0 <= y1, 'must be minLon,minLat,maxLon,maxLat with min ≤ max'),
  );

const listQuery = z.object({
  district: z.string().regex(/^\d{1,12}$/, 'must be a district code or its leading digits').optional(),
  rule: list(RULE_CODES).optional(),
  severity: list(SEVERITIES).optional(),
  status: list(SUSPECT_STATUSES).optional(),
  min_area_m2: z.coerce.number().nonnegative().optional(),
  bbox: bbox.optional(),
  epoch: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').optional(),
  is_new: bool.optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  cursor: z.string().regex(/^\d{1,18}$/, 'must be the nextCursor of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'geojson']).default('json'),
});
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** GET /api/suspects (filters, keyset pages, JSON or GeoJSON) and GET /api/suspects/:id (with evidence). */
export function createSuspectsRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/api/suspects', async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const f = q.data;
    const geojson = f.format === 'geojson';
    const page = await findSuspects(deps.db, {
      districtPrefix: f.district,
      rules: f.rule,
      severities: f.severity,
      statuses: f.status,
      minAreaM2: f.min_area_m2,
      bbox: f.bbox as [number, number, number, number] | undefined,
      epoch: f.epoch,
      isNew: f.is_new,
      active: f.active === 'all' ? undefined : f.active === 'true',
      afterId: f.cursor === undefined ? undefined : Number(f.cursor),
      limit: f.limit,
      withGeometry: geojson,
    });
    if (page.nextCursor) {
      const next = new URLSearchParams(Object.entries(req.query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]])));
      next.set('cursor', page.nextCursor);
      res.links({ next: `/api/suspects?${next.toString()}` });
    }
    if (!geojson) {
      res.json(page);
      return;
    }
    res.type('application/geo+json').send(
      JSON.stringify({
        type: 'FeatureCollection',
        features: page.suspects.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.id, geometry, properties })),
        nextCursor: page.nextCursor,
      }),
    );
  });

  router.get('/api/suspects/:id', async (req, res) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const suspect = await findSuspect(deps.db, p.data.id);
    if (!suspect) throw HttpError.notFound(`Suspect ${p.data.id}`);
    res.json(suspect);
  });
  return router;
}
