import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { analysisOpenApi } from './analysis/analysis.openapi.ts';
import { createAnalysisRouter } from './analysis/analysis.routes.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.types.ts';
import { datasetsOpenApi } from './datasets/datasets.openapi.ts';
import { createDatasetsRouter } from './datasets/datasets.routes.ts';
import { exportsOpenApi } from './exports/exports.openapi.ts';
import { createExportsRouter } from './exports/exports.routes.ts';
import { healthOpenApi } from './health/health.openapi.ts';
import { createHealthRouter } from './health/health.routes.ts';
import { imageryOpenApi } from './imagery/imagery.openapi.ts';
import { createImageryRouter } from './imagery/imagery.routes.ts';
import { errorHandler, notFoundHandler } from './http/error.middleware.ts';
import { buildOpenApiDocument, createOpenApiRouter, openApiOpenApi, type OpenApiFragment } from './http/openapi.ts';
import { PLACEHOLDER_PAGE } from './http/placeholder-page.ts';
import { jobsOpenApi } from './jobs/jobs.openapi.ts';
import { createJobsRouter } from './jobs/jobs.routes.ts';
import type { JobService } from './jobs/jobs.service.ts';
import type { Logger } from './logger.ts';
import { createStatsRouter } from './stats/stats.routes.ts';
import { statsOpenApi } from './stats/stats.openapi.ts';
import { createSuspectsRouter } from './suspects/suspects.routes.ts';
import { suspectsOpenApi } from './suspects/suspects.openapi.ts';
import { tilesOpenApi } from './tiles/tiles.openapi.ts';
import { createTilesRouter } from './tiles/tiles.routes.ts';

/** Everything the app needs from outside; tests pass their own. */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  jobs: JobService;
  /** Version reported in the OpenAPI document. */
  version?: string;
}

/** One domain module's contribution: its routes (with full paths) and their OpenAPI description. */
export interface AppModule {
  router: Router;
  openapi: OpenApiFragment;
}

/** The domain modules mounted by the app, in order. Each module owns its paths. */
export function createModules(deps: AppDeps): AppModule[] {
  return [
    { router: createHealthRouter(deps.db), openapi: healthOpenApi },
    { router: createJobsRouter(deps.jobs), openapi: jobsOpenApi },
    { router: createDatasetsRouter(deps), openapi: datasetsOpenApi },
    {
      router: createTilesRouter(deps, {
        env: {
          LANDWATCH_BASEMAP_URL: deps.config.basemapUrl,
          LANDWATCH_BASEMAP_CRS: deps.config.basemapCrs,
          LANDWATCH_TIANDITU_TOKEN: deps.config.tiandituToken,
        },
      }),
      openapi: tilesOpenApi,
    },
    { router: createAnalysisRouter(deps), openapi: analysisOpenApi },
    { router: createSuspectsRouter(deps), openapi: suspectsOpenApi },
    { router: createStatsRouter(deps), openapi: statsOpenApi },
    { router: createImageryRouter(deps), openapi: imageryOpenApi },
    { router: createExportsRouter(deps), openapi: exportsOpenApi },
  ];
}

/** Builds the Express app (no listen): JSON API under /api, the built map at /, problem+json errors. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/api/health' } }));
  app.use('/api', express.json({ limit: '10mb' }));

  const modules = createModules(deps);
  const document = buildOpenApiDocument([openApiOpenApi, ...modules.map((m) => m.openapi)], deps.version ?? '0.1.0');
  app.use(createOpenApiRouter(document));
  for (const m of modules) app.use(m.router);
  app.use('/api', notFoundHandler);

  const dist = path.resolve(deps.config.mapDist);
  const index = path.join(dist, 'index.html');
  if (existsSync(index)) {
    app.use(express.static(dist, { index: 'index.html', maxAge: '1h' }));
    // Deep links (/suspects/123?…) load the single-page map.
    app.get(/^\/(?!api\/|tiles\/|imagery\/).*/, (_req, res) => res.sendFile(index));
  } else {
    app.get('/', (_req, res) => res.type('html').send(PLACEHOLDER_PAGE));
  }
  app.use(errorHandler(deps.logger));
  return app;
}
