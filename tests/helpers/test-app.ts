import type { Express } from 'express';
import { createApp } from '../../api/src/app.ts';
import { loadConfig, type Config } from '../../api/src/config.ts';
import type { Db } from '../../api/src/db/db.types.ts';
import { JobService } from '../../api/src/jobs/jobs.service.ts';
import { createLogger } from '../../api/src/logger.ts';

/** An app wired to a test database, with silent logs and no built map. */
export function createTestApp(db: Db, env: Record<string, string> = {}): { app: Express; jobs: JobService; config: Config } {
  const config = loadConfig({ LOG_LEVEL: 'silent', LANDWATCH_MAP_DIST: '/nonexistent-map-dist', ...env });
  const logger = createLogger('silent');
  const jobs = new JobService(db, logger);
  return { app: createApp({ db, config, logger, jobs }), jobs, config };
}

/** Every route the Express app serves, as `METHOD /path` with Express path syntax. */
export function listRoutes(app: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) out.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
