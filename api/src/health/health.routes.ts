import { Router } from 'express';
import type { Db } from '../db/db.types.ts';
import { readPostgisVersion } from './health.repository.ts';

/** Body of GET /api/health. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  db: { kind: Db['kind']; postgis?: string; error?: string };
}

/** GET /api/health: 200 with the database kind and PostGIS version, or 503 when the database fails. */
export function createHealthRouter(db: Db): Router {
  const router = Router();
  router.get('/api/health', async (_req, res) => {
    try {
      const postgis = await readPostgisVersion(db);
      const body: HealthReport = { status: 'ok', db: { kind: db.kind, postgis } };
      res.json(body);
    } catch (error) {
      const body: HealthReport = { status: 'unavailable', db: { kind: db.kind, error: (error as Error).message } };
      res.status(503).json(body);
    }
  });
  return router;
}
