import { Router } from 'express';
import { HttpError } from '../http/http-error.ts';
import type { JobService } from './jobs.service.ts';

/** GET /api/jobs/:id — state, progress, result or error of a background job. */
export function createJobsRouter(jobs: JobService): Router {
  const router = Router();
  router.get('/api/jobs/:id', async (req, res) => {
    const job = await jobs.get(req.params.id);
    if (!job) throw HttpError.notFound(`Job ${req.params.id}`);
    res.json(job);
  });
  return router;
}
