import { open, type FileHandle } from 'node:fs/promises';

/** Largest byte size we let a shapefile part reach: 32-bit offsets, and many readers stop at 2 GiB. */
export const MAX_PART_BYTES = 0x7fffffff;

/**
 * Append-only file with an in-memory buffer of bounded size and positional patching, so a
 * writer can stream records and rewrite its header once the totals are known.
 */
export class BufferedFileWriter {
  private chunks: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;

  private constructor(
    private readonly handle: FileHandle,
    /** Path of the file being written. */
    readonly path: string,
    private readonly flushAt: number,
  ) {}

  /**
   * Opens `path` for writing. With `overwrite` false the call fails (EEXIST) when the file exists,
   * so a caller cannot silently clobber a sibling delivery.
   */
  static async open(path: string, overwrite: boolean, flushAt: number): Promise<BufferedFileWriter> {
    const handle = await open(path, overwrite ? 'w' : 'wx');
    return new BufferedFileWriter(handle, path, flushAt);
  }

  /** Bytes appended so far (flushed or not) = offset of the next append. */
  get position(): number {
    return this.written + this.pendingBytes;
  }

  /** True when the buffer has reached its flush threshold. */
  get needsFlush(): boolean {
    return this.pendingBytes >= this.flushAt;
  }

  /** Queues bytes at the end of the file (copied lazily: the caller must not reuse `bytes`). */
  append(bytes: Uint8Array): void {
    if (this.position + bytes.length > MAX_PART_BYTES) {
      throw new RangeError(`${this.path} would exceed 2 GiB; write large layers as GeoPackage instead`);
    }
    this.chunks.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /** Writes buffered bytes to disk. */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.chunks, this.pendingBytes);
    this.chunks = [];
    this.pendingBytes = 0;
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset, this.written + offset);
      offset += bytesWritten;
    }
    this.written += data.length;
  }

  /** Overwrites bytes at `position` (already flushed region, e.g. a header). */
  async writeAt(position: number, bytes: Uint8Array): Promise<void> {
    await this.flush();
    await this.handle.write(bytes, 0, bytes.length, position);
  }

  /** Flushes and closes the handle. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes the handle without flushing (used when aborting). */
  async discard(): Promise<void> {
    this.chunks = [];
    this.pendingBytes = 0;
    await this.handle.close().catch(() => undefined);
  }
}
