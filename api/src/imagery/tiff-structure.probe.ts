/**
 * Pre-flight of a TIFF file, done with small bounded reads before geotiff.js sees it: header, the IFD
 * chain (count, loops, bounds), the key tags of each directory, and — for the directories that will be
 * read — every tile/strip offset and byte count against the file size. Why: geotiff.js sizes buffers
 * from these numbers as stated, so a hostile file (huge dimensions, 2^63 strip counts, a 4 GiB block,
 * an IFD loop) would otherwise exhaust memory or spin forever.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ImageryError } from './imagery-errors.ts';
import type { RasterLimits } from './raster-limits.ts';

/** The tags of one image directory that decide how (and whether) it can be read. */
export interface TiffDirectory {
  index: number;
  offset: number;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number[];
  /** 1 unsigned int, 2 signed int, 3 IEEE float, 5/6 complex (per sample). */
  sampleFormat: number[];
  compression: number;
  photometric: number | null;
  /** 1 chunky (pixel-interleaved), 2 planar (band-sequential). */
  planar: number;
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  /** NewSubfileType bits: 1 reduced resolution (overview), 4 transparency mask. */
  subfileType: number;
  /** ExtraSamples values: 1 associated alpha, 2 unassociated alpha. */
  extraSamples: number[];
  /** Number of tiles/strips the tags promise (all planes). */
  blockCount: number;
  /** Decoded bytes of one full block. */
  blockBytes: number;
  /** 1 none, 2 horizontal differencing, 3 floating point. */
  predictor: number;
}

/** The outline of a TIFF file: byte order, BigTIFF, directories in chain order. */
export interface TiffStructure {
  file: string;
  fileSize: number;
  littleEndian: boolean;
  bigTiff: boolean;
  directories: TiffDirectory[];
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
const TAG = {
  NewSubfileType: 254, ImageWidth: 256, ImageLength: 257, BitsPerSample: 258, Compression: 259, Photometric: 262,
  StripOffsets: 273, SamplesPerPixel: 277, RowsPerStrip: 278, StripByteCounts: 279, PlanarConfiguration: 284,
  Predictor: 317, TileWidth: 322, TileLength: 323, TileOffsets: 324, TileByteCounts: 325, ExtraSamples: 338, SampleFormat: 339,
} as const;

interface Entry {
  type: number;
  count: number;
  /** File offset of the values, or of the inline value field. */
  valueOffset: number;
}

/** Reads header and IFD chain; throws ImageryError (NOT_TIFF, TIFF_CORRUPT, TOO_MANY_IFDS, …). */
export async function probeTiffStructure(filePath: string, limits: RasterLimits): Promise<TiffStructure> {
  const file = path.basename(filePath);
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch {
    throw new ImageryError('FILE_NOT_FOUND', undefined, file);
  }
  try {
    const fileSize = (await handle.stat()).size;
    const reader = new BoundedReader(handle, fileSize, file);
    const head = await reader.bytes(0, Math.min(16, fileSize));
    if (head.length < 8) throw new ImageryError('NOT_TIFF', 'file shorter than a TIFF header', file);
    const order = head.toString('latin1', 0, 2);
    if (order !== 'II' && order !== 'MM') throw new ImageryError('NOT_TIFF', 'no II/MM byte-order mark', file);
    const le = order === 'II';
    reader.littleEndian = le;
    const magic = le ? head.readUInt16LE(2) : head.readUInt16BE(2);
    if (magic !== 42 && magic !== 43) throw new ImageryError('NOT_TIFF', `magic number ${magic}`, file);
    const bigTiff = magic === 43;
    reader.bigTiff = bigTiff;
    if (bigTiff && (head.length < 16 || (le ? head.readUInt16LE(4) : head.readUInt16BE(4)) !== 8)) {
      throw new ImageryError('TIFF_CORRUPT', 'BigTIFF header with an offset size other than 8', file);
    }
    let next = bigTiff ? reader.u64(head, 8) : reader.u32(head, 4);
    const seen = new Set<number>();
    const directories: TiffDirectory[] = [];
    while (next !== 0) {
      if (seen.has(next)) throw new ImageryError('TIFF_CORRUPT', `IFD chain loops back to offset ${next}`, file);
      if (directories.length >= limits.maxIfds) throw new ImageryError('TOO_MANY_IFDS', `more than ${limits.maxIfds}`, file);
      seen.add(next);
      const { entries, nextOffset } = await readIfd(reader, next, limits);
      directories.push(await describe(reader, entries, directories.length, next, limits));
      next = nextOffset;
    }
    if (directories.length === 0) throw new ImageryError('TIFF_CORRUPT', 'no image directory', file);
    return { file, fileSize, littleEndian: le, bigTiff, directories };
  } finally {
    await handle.close();
  }
}

/**
 * Checks that every tile/strip of one directory lies inside the file and is no larger than the limit.
 * Reads the offset and byte-count arrays in chunks (their length was already bounded by maxBlocks).
 */
export async function checkBlocks(filePath: string, structure: TiffStructure, dir: TiffDirectory, limits: RasterLimits): Promise<void> {
  const handle = await open(filePath, 'r');
  try {
    const reader = new BoundedReader(handle, structure.fileSize, structure.file);
    reader.littleEndian = structure.littleEndian;
    reader.bigTiff = structure.bigTiff;
    const { entries } = await readIfd(reader, dir.offset, limits);
    const offsets = entries.get(dir.tiled ? TAG.TileOffsets : TAG.StripOffsets);
    const counts = entries.get(dir.tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
    if (!offsets) throw new ImageryError('TIFF_CORRUPT', `IFD ${dir.index} has no ${dir.tiled ? 'TileOffsets' : 'StripOffsets'}`, structure.file);
    if (offsets.count < dir.blockCount) {
      throw new ImageryError('TIFF_CORRUPT', `IFD ${dir.index} lists ${offsets.count} blocks, its size needs ${dir.blockCount}`, structure.file);
    }
    for (const e of [offsets, counts]) {
      if (e && e.type !== 1 && e.type !== 3 && e.type !== 4 && e.type !== 16) {
        throw new ImageryError('TIFF_CORRUPT', `IFD ${dir.index} stores block offsets or sizes as TIFF type ${e.type} (must be an unsigned integer type)`, structure.file);
      }
    }
    if (!counts || counts.count < dir.blockCount) {
      throw new ImageryError('TIFF_CORRUPT', `IFD ${dir.index} lists ${counts?.count ?? 0} block byte counts, its size needs ${dir.blockCount}`, structure.file);
    }
    const CHUNK = 65_536;
    for (let start = 0; start < dir.blockCount; start += CHUNK) {
      const n = Math.min(CHUNK, dir.blockCount - start);
      const offs = await reader.values(offsets, start, n);
      const lens = await reader.values(counts, start, n);
      for (let i = 0; i < n; i++) {
        const o = offs[i] as number;
        const len = lens[i] as number;
        if (len > limits.maxStoredBlockBytes) {
          throw new ImageryError('BLOCK_TOO_LARGE', `block ${start + i} stores ${len} bytes (limit ${limits.maxStoredBlockBytes})`, structure.file);
        }
        // A zero offset with zero length is a sparse (all-nodata) block, which GDAL writes on purpose.
        if (len > 0 && o + len > structure.fileSize) {
          throw new ImageryError('TIFF_TRUNCATED', `block ${start + i} ends at byte ${o + len}, the file has ${structure.fileSize}`, structure.file);
        }
      }
    }
  } finally {
    await handle.close();
  }
}

async function readIfd(reader: BoundedReader, offset: number, limits: RasterLimits): Promise<{ entries: Map<number, Entry>; nextOffset: number }> {
  const big = reader.bigTiff;
  const countBytes = await reader.bytes(offset, big ? 8 : 2);
  const n = big ? reader.u64(countBytes, 0) : reader.u16(countBytes, 0);
  if (n === 0) throw new ImageryError('TIFF_CORRUPT', `empty IFD at offset ${offset}`, reader.file);
  if (n > limits.maxIfdEntries) throw new ImageryError('TIFF_CORRUPT', `IFD at offset ${offset} claims ${n} entries`, reader.file);
  const entrySize = big ? 20 : 12;
  const base = offset + (big ? 8 : 2);
  const body = await reader.bytes(base, n * entrySize + (big ? 8 : 4));
  const entries = new Map<number, Entry>();
  for (let i = 0; i < n; i++) {
    const p = i * entrySize;
    const tag = reader.u16(body, p);
    const type = reader.u16(body, p + 2);
    const count = big ? reader.u64(body, p + 4) : reader.u32(body, p + 4);
    const size = TYPE_SIZES[type];
    if (size === undefined) continue; // unknown types are skipped, as libtiff does
    const inline = size * count <= (big ? 8 : 4);
    const valueOffset = inline ? base + p + (big ? 12 : 8) : big ? reader.u64(body, p + 12) : reader.u32(body, p + 8);
    entries.set(tag, { type, count, valueOffset });
  }
  const nextOffset = big ? reader.u64(body, n * entrySize) : reader.u32(body, n * entrySize);
  return { entries, nextOffset };
}

async function describe(reader: BoundedReader, entries: Map<number, Entry>, index: number, offset: number, limits: RasterLimits): Promise<TiffDirectory> {
  const one = async (tag: number, fallback?: number): Promise<number> => {
    const e = entries.get(tag);
    if (!e || e.count === 0) {
      if (fallback === undefined) throw new ImageryError('TIFF_CORRUPT', `IFD ${index} lacks required tag ${tag}`, reader.file);
      return fallback;
    }
    return (await reader.values(e, 0, 1))[0] as number;
  };
  const list = async (tag: number, n: number, fallback: number): Promise<number[]> => {
    const e = entries.get(tag);
    if (!e || e.count === 0) return new Array<number>(n).fill(fallback);
    const got = await reader.values(e, 0, Math.min(e.count, n));
    return Array.from({ length: n }, (_, i) => got[Math.min(i, got.length - 1)] as number);
  };
  const width = await one(TAG.ImageWidth);
  const height = await one(TAG.ImageLength);
  const samplesPerPixel = await one(TAG.SamplesPerPixel, 1);
  if (width <= 0 || height <= 0) throw new ImageryError('TIFF_CORRUPT', `IFD ${index} has size ${width} × ${height}`, reader.file);
  if (width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels) {
    throw new ImageryError('TOO_MANY_PIXELS', `IFD ${index} is ${width} × ${height} (limits: ${limits.maxDimension} per side, ${limits.maxPixels} pixels)`, reader.file);
  }
  if (samplesPerPixel < 1 || samplesPerPixel > limits.maxBands) {
    throw new ImageryError('TOO_MANY_BANDS', `IFD ${index} has ${samplesPerPixel} samples per pixel (limit ${limits.maxBands})`, reader.file);
  }
  const bitsPerSample = await list(TAG.BitsPerSample, samplesPerPixel, 1);
  const sampleFormat = await list(TAG.SampleFormat, samplesPerPixel, 1);
  const compression = await one(TAG.Compression, 1);
  const photometric = entries.has(TAG.Photometric) ? await one(TAG.Photometric) : null;
  const planar = await one(TAG.PlanarConfiguration, 1);
  const tiled = entries.has(TAG.TileWidth) || entries.has(TAG.TileOffsets);
  const blockWidth = tiled ? await one(TAG.TileWidth) : width;
  const rowsPerStrip = tiled ? 0 : await one(TAG.RowsPerStrip, height);
  const blockHeight = tiled ? await one(TAG.TileLength) : Math.min(Math.max(rowsPerStrip, 1), height);
  if (blockWidth <= 0 || blockHeight <= 0) throw new ImageryError('TIFF_CORRUPT', `IFD ${index} has blocks of ${blockWidth} × ${blockHeight}`, reader.file);
  const planes = planar === 2 ? samplesPerPixel : 1;
  const bitsPerBlockPixel = planar === 2 ? (bitsPerSample[0] ?? 8) : bitsPerSample.reduce((a, b) => a + b, 0);
  const blockBytes = Math.ceil((blockWidth * bitsPerBlockPixel) / 8) * blockHeight;
  if (blockBytes > limits.maxBlockBytes) {
    throw new ImageryError('BLOCK_TOO_LARGE', `IFD ${index} has ${blockWidth} × ${blockHeight} blocks of ${blockBytes} bytes (limit ${limits.maxBlockBytes})`, reader.file);
  }
  const blockCount = Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight) * planes;
  if (blockCount > limits.maxBlocks) {
    throw new ImageryError('TOO_MANY_BLOCKS', `IFD ${index} needs ${blockCount} tiles/strips (limit ${limits.maxBlocks})`, reader.file);
  }
  const extra = entries.get(TAG.ExtraSamples);
  const extraSamples = extra ? await reader.values(extra, 0, Math.min(extra.count, samplesPerPixel)) : [];
  return {
    index, offset, width, height, samplesPerPixel, bitsPerSample, sampleFormat, compression, photometric, planar, tiled,
    blockWidth, blockHeight, subfileType: await one(TAG.NewSubfileType, 0), extraSamples, blockCount, blockBytes,
    predictor: await one(TAG.Predictor, 1),
  };
}

/** Reads ranges of a file, refusing any range past its end (a truncated or lying file). */
class BoundedReader {
  littleEndian = true;
  bigTiff = false;
  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    readonly file: string,
  ) {}

  async bytes(offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ImageryError('TIFF_TRUNCATED', `needs bytes ${offset}–${offset + length}, the file has ${this.size}`, this.file);
    }
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, offset);
    if (bytesRead < length) throw new ImageryError('TIFF_TRUNCATED', `short read at ${offset}`, this.file);
    return buf;
  }

  u16(b: Buffer, p: number): number {
    return this.littleEndian ? b.readUInt16LE(p) : b.readUInt16BE(p);
  }

  u32(b: Buffer, p: number): number {
    return this.littleEndian ? b.readUInt32LE(p) : b.readUInt32BE(p);
  }

  /** A 64-bit offset or count; values beyond 2^53 cannot be real in any file we accept. */
  u64(b: Buffer, p: number): number {
    const v = this.littleEndian ? b.readBigUInt64LE(p) : b.readBigUInt64BE(p);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ImageryError('TIFF_CORRUPT', `64-bit value ${v} at ${p} is beyond any file size`, this.file);
    return Number(v);
  }

  /** `n` integer values of an entry starting at element `start` (SHORT, LONG, LONG8 and signed forms). */
  async values(e: Entry, start: number, n: number): Promise<number[]> {
    const size = TYPE_SIZES[e.type] ?? 1;
    if (start + n > e.count) throw new ImageryError('TIFF_CORRUPT', `tag holds ${e.count} values, ${start + n} needed`, this.file);
    const buf = await this.bytes(e.valueOffset + start * size, n * size);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const p = i * size;
      switch (e.type) {
        case 1: case 7: out[i] = buf[p] as number; break;
        case 6: out[i] = buf.readInt8(p); break;
        case 3: out[i] = this.u16(buf, p); break;
        case 8: out[i] = this.littleEndian ? buf.readInt16LE(p) : buf.readInt16BE(p); break;
        case 4: case 13: out[i] = this.u32(buf, p); break;
        case 9: out[i] = this.littleEndian ? buf.readInt32LE(p) : buf.readInt32BE(p); break;
        case 16: case 18: out[i] = this.u64(buf, p); break;
        case 17: out[i] = Number(this.littleEndian ? buf.readBigInt64LE(p) : buf.readBigInt64BE(p)); break;
        default: throw new ImageryError('TIFF_CORRUPT', `tag of type ${e.type} where an integer was expected`, this.file);
      }
    }
    return out;
  }
}
