import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { STAT_LEVELS, statsByDistrict } from './stats.service.ts';

const query = z.object({
  level: z.enum(STAT_LEVELS).default('county'),
  parent: z.string().regex(/^\d{2,12}$/, 'must be a district code').optional(),
});

/** GET /api/stats/districts?level=county|township|village&parent=CODE */
export function createStatsRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/api/stats/districts', async (req, res) => {
    const q = query.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    res.json(await statsByDistrict(deps.db, q.data.level, q.data.parent ?? null));
  });
  return router;
}
