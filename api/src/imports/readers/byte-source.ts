/**
 * Byte sources: a file on disk or a member of a zip, read as a fresh sequential stream each time,
 * so every reader works the same on both. Plus ChunkReader, exact-length reads over such a stream.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ReaderError, reasonOf } from './reader-error.ts';

/** A readable file, on disk or inside an archive. */
export interface ByteSource {
  /** Display path: as given for files, 'archive.zip!/dir/x.shp' for zip members. */
  readonly path: string;
  /** File name (last path segment), decoded. */
  readonly name: string;
  /** Size in bytes (uncompressed). */
  readonly size: number;
  /** Real path on disk when the source is a plain file (GeoPackage needs it); undefined in archives. */
  readonly localPath?: string;
  /** A new sequential stream of the bytes, from the start. */
  chunks(): AsyncIterable<Uint8Array>;
}

/** A ByteSource for a file on disk; ReaderError FILE_NOT_FOUND / FILE_TOO_LARGE when it cannot be used. */
export async function fileSource(filePath: string, maxBytes: number, displayPath = filePath): Promise<ByteSource> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new ReaderError('FILE_UNREADABLE', displayPath, { reason: 'not a regular file / 不是普通文件' });
    size = info.size;
  } catch (error) {
    if (error instanceof ReaderError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ReaderError('FILE_NOT_FOUND', displayPath);
    throw new ReaderError('FILE_UNREADABLE', displayPath, { reason: reasonOf(error) }, {}, error);
  }
  if (size > maxBytes) throw new ReaderError('FILE_TOO_LARGE', displayPath, { size, limit: maxBytes });
  return {
    path: displayPath,
    name: path.basename(filePath),
    size,
    localPath: filePath,
    chunks: () => createReadStream(filePath, { highWaterMark: 1 << 20 }),
  };
}

/** A ByteSource over bytes already in memory (tests, small members). */
export function bufferSource(displayPath: string, bytes: Uint8Array): ByteSource {
  return {
    path: displayPath,
    name: displayPath.split(/[/!]/).pop() ?? displayPath,
    size: bytes.length,
    chunks: async function* () {
      yield bytes;
    },
  };
}

/** Reads a whole source into memory, refusing more than `maxBytes` (ReaderError FILE_TOO_LARGE). */
export async function readAll(source: ByteSource, maxBytes: number): Promise<Buffer> {
  if (source.size > maxBytes) throw new ReaderError('FILE_TOO_LARGE', source.path, { size: source.size, limit: maxBytes });
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of source.chunks()) {
    total += chunk.length;
    if (total > maxBytes) throw new ReaderError('FILE_TOO_LARGE', source.path, { size: total, limit: maxBytes });
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts, total);
}

/**
 * Exact-length reads over a chunk stream (the stream is pulled lazily). Used for the binary
 * formats (.shp, .shx, .dbf), which are read record by record without loading the file.
 */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private done = false;
  /** Bytes consumed so far (offset in the file of the next read). */
  position = 0;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  private get available(): number {
    return this.buffer.length - this.offset;
  }

  private async fill(n: number): Promise<void> {
    if (this.available >= n || this.done) return;
    const parts: Buffer[] = [this.buffer.subarray(this.offset)];
    let have = this.available;
    while (have < n) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      parts.push(chunk);
      have += chunk.length;
    }
    this.buffer = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, have);
    this.offset = 0;
  }

  /** The next `n` bytes; fewer at end of stream, an empty buffer when nothing is left. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.take(n);
  }

  /**
   * The next `n` bytes when they are already buffered, else null (nothing consumed): with buffered(),
   * lets a reader take a record without the promise of read() (a million records read three ways cost
   * seconds of microtask turns).
   */
  readBuffered(n: number): Buffer | null {
    return this.available >= n ? this.take(n) : null;
  }

  /**
   * Whether `n` bytes are buffered; with byteAt/int32BEAt/consume, lets a reader look at a record's
   * header without a Buffer view per look (a view costs ~0.1 µs; a record took five).
   */
  buffered(n: number): boolean {
    return this.available >= n;
  }

  /** The buffered byte `skip` bytes ahead (check buffered() first). */
  byteAt(skip: number): number {
    return this.buffer[this.offset + skip] as number;
  }

  /** The buffered big-endian int32 `skip` bytes ahead (check buffered() first). */
  int32BEAt(skip: number): number {
    return this.buffer.readInt32BE(this.offset + skip);
  }

  /** Consumes `n` buffered bytes without returning them (check buffered() first). */
  consume(n: number): void {
    this.offset += n;
    this.position += n;
  }

  private take(n: number): Buffer {
    const take = Math.min(n, this.available);
    const out = this.buffer.subarray(this.offset, this.offset + take);
    this.offset += take;
    this.position += take;
    return out;
  }

  /** Skips `n` bytes (without keeping them); returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.available === 0) {
        await this.fill(1);
        if (this.available === 0) break;
      }
      const step = Math.min(left, this.available);
      this.offset += step;
      this.position += step;
      left -= step;
    }
    return n - left;
  }

  /** Stops the underlying stream (safe to call twice). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }
}

/** Wraps a stream error (I/O, zip CRC, truncated member) as a ReaderError naming the file. */
export function streamError(source: ByteSource, error: unknown): ReaderError {
  if (error instanceof ReaderError) return error;
  return new ReaderError('FILE_UNREADABLE', source.path, { reason: reasonOf(error) }, {}, error);
}
