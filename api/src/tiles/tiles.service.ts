import type { Db } from '../db/db.types.ts';
import type { Logger } from '../logger.ts';
import { TileCache, tileEtag, type CachedTile } from './tile-cache.ts';
import { defaultEncoder, renderTile, type TileEncoder } from './tile-encoder.ts';
import type { TileFilters } from './tile-filters.ts';
import type { TileAddress } from './tile-sql.builder.ts';
import { LAYER_DEFS, TILE_LAYERS, type DataSource, type TileLayerName } from './tile-layers.ts';
import { pruneChanges, readBounds, readDataVersions, readEpochs, type Bounds } from './tiles.repository.ts';

/** Options of the tile service; all have defaults. */
export interface TileServiceOptions {
  /** Force an encoder (tests, benchmarks); default: ST_AsMVT on PostGIS, Node on PGlite. */
  encoder?: TileEncoder;
  /** Byte budget of the in-process tile cache; 0 disables it. Default 64 MiB. */
  cacheBytes?: number;
  /** tile_change rows older than this (seconds) are pruned, the newest per source kept. Default 3600. */
  pruneAfterSeconds?: number;
  logger?: Logger;
}

/** A tile as served: bytes (null = empty → 204), ETag, and whether the cache answered. */
export interface TileResult extends CachedTile {
  cache: 'hit' | 'miss' | 'off';
  /** The cache entry itself, where the gzipped copy is made once and kept (gzipOf). */
  entry: CachedTile;
}

/** A TileJSON 3.0.0 document. */
export type TileJson = Record<string, unknown> & { tilejson: '3.0.0'; tiles: string[] };

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Renders, caches and describes vector tiles. Before each tile it reads the data version of the
 * layer's tables (one small query on `tile_change`), so a tile is never served from cache after
 * the data behind it changed — whoever changed it (this process, the CLI, another server).
 */
export class TileService {
  readonly encoder: TileEncoder;
  readonly cache: TileCache;
  private readonly inflight = new Map<string, Promise<CachedTile>>();
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly options: TileServiceOptions = {},
  ) {
    this.encoder = options.encoder ?? defaultEncoder(db.kind);
    this.cache = new TileCache(options.cacheBytes ?? 64 * 1024 * 1024);
  }

  /** Data version per source table, as `count:maxId` strings; absent sources have never changed. */
  async dataVersions(): Promise<Map<DataSource, string>> {
    const rows = await readDataVersions(this.db);
    this.maybePrune();
    return new Map(rows.map((r) => [r.source as DataSource, `${r.n}:${r.last}`]));
  }

  /** The version of one layer: the versions of the tables it depends on, joined. */
  layerVersion(layer: TileLayerName, versions: Map<DataSource, string>): string {
    return LAYER_DEFS[layer].dependsOn.map((s) => versions.get(s) ?? '0').join('|');
  }

  /**
   * One tile of `layer` with validated `filters`. Below the layer's minzoom the tile is empty
   * without touching the database. Concurrent requests for the same tile share one rendering.
   */
  async tile(layer: TileLayerName, address: TileAddress, filters: TileFilters): Promise<TileResult> {
    if (address.z < LAYER_DEFS[layer].minzoom) {
      const empty: CachedTile = { bytes: null, etag: tileEtag(null) };
      return { ...empty, cache: 'off', entry: empty };
    }
    if (this.cache.maxBytes === 0) {
      // No cache: every request renders from the data as it is now, so there is no version to read
      // (one query less per tile) and no sharing of a rendering that began before a write. The
      // change log is still pruned now and then, so it stays small for servers that do cache.
      this.maybePrune();
      const bytes = await renderTile(this.db, this.encoder, layer, address, filters.values);
      const tile: CachedTile = { bytes, etag: tileEtag(bytes) };
      return { ...tile, cache: 'off', entry: tile };
    }
    const version = this.layerVersion(layer, await this.dataVersions());
    const key = `${layer}/${address.z}/${address.x}/${address.y}?${filters.canonical}#${version}`;
    const cached = this.cache.get(key);
    if (cached) return { ...cached, cache: 'hit', entry: cached };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = (async () => {
        const bytes = await renderTile(this.db, this.encoder, layer, address, filters.values);
        const tile: CachedTile = { bytes, etag: tileEtag(bytes) };
        this.cache.set(key, tile);
        return tile;
      })().finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const tile = await pending;
    return { ...tile, cache: 'miss', entry: tile };
  }

  /**
   * TileJSON 3.0.0 of a layer; `tilesUrl` is the absolute tile URL template (with the request's
   * filters in its query). Bounds are the layer's data extent, or the whole world when empty.
   */
  async tileJson(layer: TileLayerName, tilesUrl: string): Promise<TileJson> {
    const def = LAYER_DEFS[layer];
    const bounds = await readBounds(this.db, def.source, layer);
    const epochs = def.source === 'subject' ? await readEpochs(this.db, layer) : undefined;
    const box: Bounds = bounds ?? [-180, -85.0511, 180, 85.0511];
    const centerZoom = Math.max(def.minzoom, bounds ? 12 : 2);
    return {
      tilejson: '3.0.0',
      name: `${def.title.zh} ${def.title.en}`,
      description: `LandWatch 土地卫士 — ${def.title.en}. Geometry in EPSG:3857 tiles from CGCS2000 (EPSG:4490) data.`,
      version: '1.0.0',
      attribution: 'LandWatch 土地卫士',
      scheme: 'xyz',
      tiles: [tilesUrl],
      minzoom: def.minzoom,
      maxzoom: def.maxzoom,
      bounds: box,
      center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, centerZoom],
      vector_layers: [
        {
          id: layer,
          description: def.title.en,
          minzoom: def.minzoom,
          maxzoom: def.maxzoom,
          fields: Object.fromEntries(Object.entries(def.fields).map(([k, t]) => [k, `${t}: ${def.fieldDocs[k] ?? ''}`])),
        },
      ],
      ...(epochs ? { epochs } : {}),
    };
  }

  /** Every layer's name, titles and zoom range (the map client's layer list). */
  layers(): Array<{ name: TileLayerName; title: { zh: string; en: string }; minzoom: number; maxzoom: number }> {
    return TILE_LAYERS.map((name) => {
      const d = LAYER_DEFS[name];
      return { name, title: d.title, minzoom: d.minzoom, maxzoom: d.maxzoom };
    });
  }

  // Pruning runs at most every ten minutes, in the background: a failure costs nothing but a log line.
  private maybePrune(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    pruneChanges(this.db, this.options.pruneAfterSeconds ?? 3600).catch((error: unknown) => {
      this.options.logger?.warn({ err: error }, 'pruning tile_change failed');
    });
  }
}
