import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.types.ts';
import { fromZodError } from '../http/error.middleware.ts';
import { HttpError } from '../http/http-error.ts';
import type { Logger } from '../logger.ts';
import { MAP_FILTERS, readBasemapConfig } from './map-config.ts';
import { searchMap, suspectPoints } from './map-search.repository.ts';
import { gzipOf } from './tile-cache.ts';
import { parseTileFilters, type TileFilters } from './tile-filters.ts';
import { isTileLayer, LAYER_DEFS, MAX_TILE_ZOOM, TILE_LAYERS, type TileLayerName } from './tile-layers.ts';
import { TileService } from './tiles.service.ts';
import { readAllBounds } from './tiles.repository.ts';

/** Most suspect points /api/map-points returns (the hexagon view aggregates them in the browser). */
const MAX_POINTS = 200_000;

/** MIME type of Mapbox vector tiles. */
export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';

// Browsers keep tiles but ask again each time (cheap: 304 from the ETag); data edits show at once.
const TILE_CACHE_CONTROL = 'public, no-cache';

const tileParams = z.object({
  z: z.coerce.number().int().min(0).max(MAX_TILE_ZOOM),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});
const searchQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(8),
});

function layerOf(req: Request): TileLayerName {
  const name = String(req.params.layer ?? '');
  if (!isTileLayer(name)) {
    throw new HttpError(404, 'UNKNOWN_LAYER', `No tile layer "${name}"; layers: ${TILE_LAYERS.join(', ')}`, { field: 'params.layer' });
  }
  return name;
}

function filtersOf(req: Request, layer: TileLayerName): TileFilters {
  const result = parseTileFilters(LAYER_DEFS[layer].source, layer, req.query);
  if (!result.ok) throw result.error;
  return result.filters;
}

/** Whether an If-None-Match header names this ETag (weak comparison, lists and `*` allowed). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * Vector tiles, TileJSON, and the map client's configuration and search:
 * GET /tiles/:layer/:z/:x/:y.mvt, GET /tiles/:layer.json, GET /api/map-config, GET /api/map-search,
 * GET /api/map-points.
 * `env` supplies the basemap settings (app.ts passes them from the validated config; default
 * process.env for tests); `deps.config.tileCacheMb` sizes the tile cache (0 = off; default 64 MiB);
 * `service` lets tests pick an encoder.
 */
export function createTilesRouter(
  deps: { db: Db; logger?: Logger; config?: Pick<Config, 'tileCacheMb'> },
  options: { service?: TileService; env?: Record<string, string | undefined> } = {},
): Router {
  const cacheBytes = deps.config ? Math.round(deps.config.tileCacheMb * 1024 * 1024) : undefined;
  const service = options.service ?? new TileService(deps.db, { logger: deps.logger, cacheBytes });
  const basemap = readBasemapConfig(options.env ?? process.env);
  const router = Router();

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (req: Request, res: Response) => {
    const layer = layerOf(req);
    const p = tileParams.safeParse(req.params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const { z: zoom, x, y } = p.data;
    const size = 2 ** zoom;
    if (x >= size || y >= size) {
      throw HttpError.badRequest('TILE_OUT_OF_RANGE', `Tile ${zoom}/${x}/${y} does not exist: x and y must be below ${size} at zoom ${zoom}`, {
        field: x >= size ? 'params.x' : 'params.y',
      });
    }
    const filters = filtersOf(req, layer);
    const tile = await service.tile(layer, { z: zoom, x, y }, filters);
    res.set({ ETag: tile.etag, 'Cache-Control': TILE_CACHE_CONTROL, Vary: 'Accept-Encoding', 'X-Tile-Cache': tile.cache });
    if (etagMatches(req.get('if-none-match'), tile.etag)) {
      res.status(304).end();
      return;
    }
    if (!tile.bytes) {
      res.status(204).end();
      return;
    }
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip' ? await gzipOf(tile.entry) : null;
    res.status(200).type(MVT_MEDIA_TYPE);
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.end(gzip ?? tile.bytes);
  });

  router.get('/tiles/:layer.json', async (req: Request, res: Response) => {
    const layer = layerOf(req);
    const filters = filtersOf(req, layer);
    const query = filters.canonical ? `?${filters.canonical}` : '';
    const doc = await service.tileJson(layer, `${origin(req)}/tiles/${layer}/{z}/{x}/{y}.mvt${query}`);
    res.set('Cache-Control', 'no-cache').json(doc);
  });

  router.get('/api/map-config', async (_req: Request, res: Response) => {
    const bounds = await readAllBounds(deps.db);
    res.set('Cache-Control', 'no-cache').json({
      basemap,
      bounds,
      layers: service.layers(),
      filters: MAP_FILTERS,
      exportUrl: '/api/exports/suspects',
    });
  });

  router.get('/api/map-search', async (req: Request, res: Response) => {
    const q = searchQuery.safeParse(req.query);
    if (!q.success) throw fromZodError(q.error, 'query');
    res.json({ results: await searchMap(deps.db, q.data.q, q.data.limit) });
  });

  router.get('/api/map-points', async (req: Request, res: Response) => {
    const filters = filtersOf(req, 'suspects');
    res.set('Cache-Control', 'no-cache').json(await suspectPoints(deps.db, filters.values, MAX_POINTS));
  });

  // Unknown paths under /tiles answer a problem document like /api does (not Express's HTML page).
  router.use('/tiles', (req: Request, _res: Response, next) => {
    next(new HttpError(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}; tiles are /tiles/{layer}/{z}/{x}/{y}.mvt`));
  });

  return router;
}
