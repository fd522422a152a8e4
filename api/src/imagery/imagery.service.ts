/**
 * The imagery registry: registering GeoTIFF dates (band map, date, stretch, preview, footprint),
 * listing them, and drawing them — Web Mercator PNG tiles for the map's before/after swipe and
 * thumbnails of a site for the suspect detail. Encoded tiles are cached in memory (LRU, 64 MiB);
 * an imagery id never changes content, so a tile's ETag is fixed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/db.types.ts';
import type { BandName } from './band-map.parser.ts';
import { ImageryError } from './imagery-errors.ts';
import { buildPreview } from './imagery-preview.builder.ts';
import { getImagery, insertImagery, listImagery, pickImagery, proj4FromDatabase, suspectSite, type ImageryFilter, type ImageryRecord } from './imagery.repository.ts';
import { openScene, type Scene } from './imagery-scene.ts';
import { lonLatToMercator, renderRgba, tileBounds, type RenderSource, type Stretch } from './imagery-tile.renderer.ts';
import { LruCache } from './lru.cache.ts';
import { encodePng } from './png.encoder.ts';
import type { CrsResolver } from './raster-crs.ts';
import { gridFootprint, pixelAreaM2, type RasterGrid } from './raster-grid.ts';

/** Options of a registration. */
export interface RegisterOptions {
  /** YYYY-MM-DD; from the file names when absent. */
  date?: string;
  bands?: string;
  name?: string;
  srs?: number;
  registeredBy?: string;
}

/** A registered imagery date as the API shows it (paths reduced to file names). */
export interface ImageryView {
  id: number;
  name: string;
  date: string;
  bbox: [number, number, number, number];
  srs: string;
  width: number;
  height: number;
  resolutionM: number;
  bands: BandName[];
  files: string[];
  tiles: string;
  registeredAt: Date;
}

/** Folder for uploads and previews: `<dataDir>/imagery`, or a temp folder for an in-memory database. */
export function imageryDir(dataDir: string): string {
  return dataDir === ':memory:' ? path.join(os.tmpdir(), 'landwatch-imagery') : path.resolve(dataDir, 'imagery');
}

/** The API view of a record. */
export function imageryView(r: ImageryRecord): ImageryView {
  return {
    id: r.id, name: r.name, date: r.acquired_on, bbox: r.bbox, srs: r.srs, width: r.width, height: r.height,
    resolutionM: Math.round(r.resolution_m * 100) / 100, bands: Object.keys(r.band_map) as BandName[],
    files: r.files.map((f) => path.basename(f)), tiles: `/imagery/${r.id}/{z}/{x}/{y}.png`, registeredAt: r.registered_at,
  };
}

/** Registry and renderer over one database. One instance per app (it owns caches and open files). */
export class ImageryService {
  private readonly tiles = new LruCache<string, Buffer | null>(64 * 1024 * 1024, (b) => (b ? b.length : 64));
  private readonly sources = new LruCache<number, Promise<{ source: RenderSource; scene: () => Promise<Scene> }>>(16);
  private readonly scenes = new LruCache<number, Promise<Scene>>(8, () => 1, (_k, s) => void s.then((x) => x.close()).catch(() => undefined));

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
  ) {}

  /** proj4 definitions for EPSG codes outside the built-in catalogue, from PostGIS. */
  readonly crsResolver: CrsResolver = (epsg) => proj4FromDatabase(this.db, epsg);

  /**
   * Registers the files of one date (in place: paths are stored absolute). The same files and band
   * map again return the existing record with `noop: true`. Throws ImageryError (BAND_MISSING when
   * red, green or blue is absent — tiles are true colour — and any reader error).
   */
  async register(files: string[], options: RegisterOptions, progress?: (fraction: number) => void): Promise<{ record: ImageryRecord; noop: boolean }> {
    const paths = files.map((f) => path.resolve(f));
    for (const p of paths) if (!existsSync(p)) throw new ImageryError('FILE_NOT_FOUND', undefined, path.basename(p), 'file');
    const scene = await openScene(paths, { bands: options.bands, date: options.date, srs: options.srs, label: 'imagery', crsResolver: this.crsResolver });
    try {
      for (const b of ['red', 'green', 'blue'] as const) {
        if (!scene.bands.includes(b)) throw new ImageryError('BAND_MISSING', `true-colour tiles need red, green and blue; found ${scene.bands.join(', ')} (pass --bands)`, undefined, 'bands');
      }
      const used = paths.filter((p) => Object.values(scene.bandMap).some((s) => s.file === p));
      const bandMap: ImageryRecord['band_map'] = {};
      for (const [band, s] of Object.entries(scene.bandMap) as Array<[BandName, { file: string; band: number }]>) bandMap[band] = { file: used.indexOf(s.file), band: s.band };
      const sha256 = await hashImagery(used, bandMap, scene.date);
      const existing = (await listImagery(this.db, { sha256, limit: 1 }))[0];
      if (existing) return { record: existing, noop: true };
      const built = await buildPreview(scene, { progress });
      let preview: ImageryRecord['preview'] = null;
      if (!built.fullResolution) {
        const dir = path.join(imageryDir(this.dataDir), 'previews');
        await mkdir(dir, { recursive: true });
        const file = path.join(dir, `${sha256.slice(0, 24)}.rgba`);
        await writeFile(file, built.preview.rgba);
        preview = { file, width: built.preview.width, height: built.preview.height };
      }
      const grid = scene.grid;
      const id = await insertImagery(this.db, {
        name: options.name ?? path.basename(used[0] as string).replace(/\.[^.]+$/, ''),
        acquired_on: scene.date,
        files: used,
        band_map: bandMap,
        srs: `EPSG:${grid.crs.epsg}`,
        proj4: grid.crs.proj4,
        width: grid.width,
        height: grid.height,
        geotransform: grid.transform,
        resolution_m: Math.sqrt(pixelAreaM2(grid, grid.width / 2, grid.height / 2)),
        stretch: built.stretch,
        preview,
        footprint: { type: 'Polygon', coordinates: [gridFootprint(grid)] },
        sha256,
        notes: scene.notes,
        registered_by: options.registeredBy ?? null,
      });
      return { record: (await getImagery(this.db, id)) as ImageryRecord, noop: false };
    } finally {
      await scene.close();
    }
  }

  /** Registered imagery, newest first; empty when none. */
  list(filter: ImageryFilter = {}): Promise<ImageryRecord[]> {
    return listImagery(this.db, filter);
  }

  /** One record; throws IMAGERY_NOT_FOUND when unknown. */
  async get(id: number): Promise<ImageryRecord> {
    const r = await getImagery(this.db, id);
    if (!r) throw new ImageryError('IMAGERY_NOT_FOUND', `imagery ${id}`, undefined, 'id');
    return r;
  }

  /** The registered date opened as a scene (shared; do not close it — the cache does). */
  async scene(id: number): Promise<Scene> {
    const hit = this.scenes.get(id);
    if (hit) return hit;
    const record = await this.get(id);
    const opening = openScene(record.files, { bandMap: record.band_map, date: record.acquired_on, srs: Number(record.srs.replace('EPSG:', '')), crsResolver: this.crsResolver });
    // A failed open is not cached: the next request tries again (the file may have been restored).
    opening.catch(() => this.scenes.delete(id));
    this.scenes.set(id, opening);
    return opening;
  }

  private async source(id: number): Promise<RenderSource> {
    let hit = this.sources.get(id);
    if (!hit) {
      hit = (async () => {
        const r = await this.get(id);
        const grid: RasterGrid = {
          width: r.width, height: r.height, transform: r.geotransform,
          crs: { epsg: Number(r.srs.replace('EPSG:', '')), proj4: r.proj4, geographic: /longlat|latlong/.test(r.proj4) },
        };
        const preview = r.preview && existsSync(r.preview.file) ? { rgba: new Uint8Array(await readFile(r.preview.file)), width: r.preview.width, height: r.preview.height } : null;
        const scene = () => this.scene(id);
        return { source: { grid, reader: scene, stretch: r.stretch as Stretch, preview }, scene };
      })();
      hit.catch(() => this.sources.delete(id));
      this.sources.set(id, hit);
    }
    return (await hit).source;
  }

  /**
   * PNG of tile z/x/y (256 × 256, EPSG:3857), or null when the tile does not touch the image (→ 204).
   * Throws IMAGERY_NOT_FOUND for an unknown id.
   */
  async tile(id: number, z: number, x: number, y: number): Promise<Buffer | null> {
    const key = `${id}/${z}/${x}/${y}`;
    const cached = this.tiles.get(key);
    if (cached !== undefined) return cached;
    const bounds = tileBounds(z, x, y);
    const record = await this.get(id);
    const [mx0, my0] = lonLatToMercator(record.bbox[0], record.bbox[1]);
    const [mx1, my1] = lonLatToMercator(record.bbox[2], record.bbox[3]);
    let png: Buffer | null = null;
    if (bounds[0] < mx1 && mx0 < bounds[2] && bounds[1] < my1 && my0 < bounds[3]) {
      const rgba = await renderRgba(await this.source(id), bounds, 256, 256);
      png = rgba ? encodePng(rgba, 256, 256) : null;
    }
    this.tiles.set(key, png);
    return png;
  }

  /**
   * PNG of a lon/lat box (EPSG:4490) of one imagery date, `size` pixels on the long side, in Web
   * Mercator proportions; null when the box misses the image.
   */
  async thumbnail(id: number, bbox: [number, number, number, number], size: number): Promise<Buffer | null> {
    const [x0, y0] = lonLatToMercator(bbox[0], bbox[1]);
    const [x1, y1] = lonLatToMercator(bbox[2], bbox[3]);
    const w = x1 - x0;
    const h = y1 - y0;
    const width = w >= h ? size : Math.max(1, Math.round((size * w) / h));
    const height = h > w ? size : Math.max(1, Math.round((size * h) / w));
    const rgba = await renderRgba(await this.source(id), [x0, y0, x1, y1], width, height);
    return rgba ? encodePng(rgba, width, height) : null;
  }

  /** The imagery covering a box's centre suited to a date (see pickImagery); null when none. */
  pick(bbox: [number, number, number, number], date: string, mode: 'before' | 'after' | 'nearest') {
    return pickImagery(this.db, bbox, date, mode);
  }

  /**
   * Before/after imagery for a suspect's site: with QSX/HSX dates (change patches) the imagery nearest
   * each, `before` always older than `after`; otherwise `after` = the first imagery on or after the
   * suspect's epoch (else the latest) and `before` = the latest before `after`. The box is the suspect's bbox padded by 50 % (≥ 150 m).
   * Null when the suspect is unknown; a side is null when no imagery covers the site.
   */
  async suspectPair(suspectId: number): Promise<{ bbox: [number, number, number, number]; before: { id: number; acquired_on: string; name: string } | null; after: { id: number; acquired_on: string; name: string } | null } | null> {
    const site = await suspectSite(this.db, suspectId);
    if (!site) return null;
    const bbox = padBox(site.bbox);
    if (site.qsx && site.hsx) {
      const after = await this.pick(bbox, site.hsx, 'nearest');
      let before = await this.pick(bbox, site.qsx, 'nearest');
      // The date nearest QSX can be the "after" image itself (QSX closer to it than to any older
      // image): then the latest image before it is the honest "before".
      if (before && after && before.acquired_on >= after.acquired_on) before = await this.pick(bbox, after.acquired_on, 'before');
      return { bbox, before, after };
    }
    const after = (await this.pick(bbox, site.epoch ?? '1900-01-01', 'after')) ?? (await this.pick(bbox, '9999-12-31', 'before'));
    const before = after ? await this.pick(bbox, after.acquired_on, 'before') : null;
    return { bbox, before, after };
  }

  /** Closes open files and empties caches. */
  async close(): Promise<void> {
    this.tiles.clear();
    this.sources.clear();
    this.scenes.clear();
  }
}

/** A lon/lat box grown by half its size on each side, at least ~150 m, so the site has context. */
export function padBox([x0, y0, x1, y1]: [number, number, number, number]): [number, number, number, number] {
  const minPad = 150 / 111_320;
  const px = Math.max((x1 - x0) * 0.5, minPad / Math.max(0.2, Math.cos((((y0 + y1) / 2) * Math.PI) / 180)));
  const py = Math.max((y1 - y0) * 0.5, minPad);
  return [x0 - px, y0 - py, x1 + px, y1 + py];
}

/** sha256 over the date, the band map and the bytes of the files: the identity of a registration. */
async function hashImagery(files: string[], bandMap: ImageryRecord['band_map'], date: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([date, Object.entries(bandMap).sort(([a], [b]) => a.localeCompare(b))]));
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      createReadStream(f)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => resolve())
        .on('error', reject);
    });
  }
  return hash.digest('hex');
}
