import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** A rendered tile as cached: its bytes (null = empty tile, answered 204) and a weak ETag. */
export interface CachedTile {
  bytes: Buffer | null;
  etag: string;
  /** gzip of `bytes`, made on the first request that accepts it (shared by concurrent ones). */
  gzip?: Promise<Buffer>;
}

/** Weak ETag of a tile's content (weak: the same tile goes out plain or gzipped). */
export function tileEtag(bytes: Buffer | null): string {
  if (!bytes) return 'W/"empty"';
  return `W/"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
}

/** Tiles smaller than this go out uncompressed: gzip would not pay for its header. */
const GZIP_MIN_BYTES = 512;

/**
 * The gzipped bytes of a tile (computed once per cache entry), or null when not worth it. zlib runs
 * on libuv's thread pool: a building tile of a megabyte takes tens of milliseconds to compress, and
 * gzipSync would stall every other request for that long (with the cache off, on every request).
 */
export async function gzipOf(tile: CachedTile): Promise<Buffer | null> {
  if (!tile.bytes || tile.bytes.length < GZIP_MIN_BYTES) return null;
  const pending = (tile.gzip ??= gzipAsync(tile.bytes));
  try {
    return await pending;
  } catch (error) {
    if (tile.gzip === pending) delete tile.gzip;
    throw error;
  }
}

// Map/key bookkeeping per entry, so thousands of empty tiles still count against the budget.
const ENTRY_OVERHEAD = 160;

/**
 * An in-process LRU of rendered tiles bounded by bytes. Keys carry the data version of the layer, so
 * a change in the data makes old entries unreachable; they age out as new tiles push them out.
 */
export class TileCache {
  private readonly entries = new Map<string, { tile: CachedTile; size: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  /** `maxBytes` = 0 disables caching (every request renders). */
  constructor(readonly maxBytes: number) {}

  /** The cached tile for `key`, marking it recently used; undefined when absent. */
  get(key: string): CachedTile | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.tile;
  }

  /** Stores a tile, evicting the least recently used ones beyond the byte budget. */
  set(key: string, tile: CachedTile): void {
    // Half the raw size is reserved for the gzip copy made later (MVT compresses to about a third).
    const size = Math.ceil((tile.bytes?.length ?? 0) * 1.5) + key.length * 2 + ENTRY_OVERHEAD;
    if (this.maxBytes === 0 || size > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    this.entries.set(key, { tile, size });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.size;
    }
  }

  /** Entries and bytes held, for diagnostics. */
  stats(): { entries: number; bytes: number; hits: number; misses: number } {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
