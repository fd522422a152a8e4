/**
 * Tile/strip decoders with an output bound, registered into geotiff.js in place of its own for the
 * codecs where a corrupt block could ask for unbounded memory: DEFLATE (node:zlib with
 * maxOutputLength), LZW and PackBits (rewritten here with a cap), ZSTD (zstddec given the block size
 * as its output capacity) and JPEG (frame size checked against the tile). Why: geotiff.js decodes to
 * whatever size the compressed stream claims — for a ZSTD frame without a content size it even
 * allocates 2^64 bytes (GDAL's byte_zstd_corrupted.tif makes it grow the heap until the process dies).
 *
 * Not decodable here, refused by the reader with UNSUPPORTED_COMPRESSION before any read: old-style
 * JPEG (6), LERC (34887; its buffers are sized from the blob header), WebP (50001; needs a browser),
 * LZMA (34925), JPEG XL (50002), SGILog (34676), and any other code.
 */
import { inflateSync } from 'node:zlib';
import { addDecoder, BaseDecoder, getDecoder } from 'geotiff';
// geotiff.js's own dependency; imported to pass the output size, which geotiff.js leaves out.
import { ZSTDDecoder } from 'zstddec';
import { ImageryError } from './imagery-errors.ts';

/** TIFF compression codes this module reads, with their names (for messages and docs). */
export const SUPPORTED_COMPRESSIONS: Readonly<Record<number, string>> = {
  1: 'none',
  5: 'LZW',
  7: 'JPEG',
  8: 'DEFLATE',
  32773: 'PackBits',
  32946: 'DEFLATE (old code)',
  50000: 'ZSTD',
};

/** Names of compression codes refused, for the error message. */
export const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  2: 'CCITT RLE', 3: 'CCITT G3', 4: 'CCITT G4', 6: 'old-style JPEG', 34676: 'SGILog', 34677: 'SGILog24',
  34887: 'LERC', 34925: 'LZMA', 50001: 'WebP', 50002: 'JPEG XL', 52546: 'JPEG XL',
};

interface BoundedParameters {
  tileWidth: number;
  tileHeight: number;
  planarConfiguration: number;
  bitsPerSample: number[];
  predictor: number;
  samplesPerPixel: number;
  /** Decoded bytes of a full block: the most any block of this image may decode to. */
  expectedBytes: number;
  JPEGTables?: Uint8Array;
}

type FileDirectory = { loadValue(tag: string): Promise<unknown>; hasTag(tag: string): boolean };
type DecoderLike = { decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike | Promise<ArrayBufferLike> };
type DecoderClass = new (parameters: unknown) => DecoderLike;

async function boundedParameters(fd: FileDirectory): Promise<BoundedParameters> {
  const tiled = !fd.hasTag('StripOffsets');
  const width = Number(await fd.loadValue('ImageWidth'));
  const height = Number(await fd.loadValue('ImageLength'));
  const tileWidth = tiled ? Number(await fd.loadValue('TileWidth')) : width;
  const rows = tiled ? Number(await fd.loadValue('TileLength')) : Number((await fd.loadValue('RowsPerStrip')) ?? height);
  const tileHeight = Math.min(rows > 0 ? rows : height, tiled ? rows : height);
  const spp = Number((await fd.loadValue('SamplesPerPixel')) ?? 1);
  const bpsRaw = await fd.loadValue('BitsPerSample');
  const bitsPerSample = bpsRaw === undefined ? [1] : Array.from(bpsRaw as ArrayLike<number>, Number);
  const planarConfiguration = Number((await fd.loadValue('PlanarConfiguration')) ?? 1);
  const bitsPerPixel = planarConfiguration === 2 ? (bitsPerSample[0] ?? 8) : bitsPerSample.reduce((a, b) => a + b, 0) * (bitsPerSample.length === 1 ? spp : 1);
  return {
    tileWidth,
    tileHeight,
    planarConfiguration,
    bitsPerSample,
    predictor: Number((await fd.loadValue('Predictor')) ?? 1),
    samplesPerPixel: spp,
    expectedBytes: Math.ceil((tileWidth * bitsPerPixel) / 8) * tileHeight,
  };
}

function decodeFailed(detail: string): ImageryError {
  return new ImageryError('DECODE_FAILED', detail);
}

/** DEFLATE through node:zlib, never producing more than the block's size (plus a little slack). */
class BoundedDeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const { expectedBytes } = this.parameters as unknown as BoundedParameters;
    try {
      const out = inflateSync(new Uint8Array(buffer), { maxOutputLength: expectedBytes + 4096 });
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
    } catch (error) {
      throw decodeFailed(`DEFLATE stream: ${(error as Error).message}`);
    }
  }
}

/** TIFF LZW (MSB-first codes, early change), with the output capped at the block size. */
export function decodeLzw(input: Uint8Array, maxOut: number): Uint8Array {
  if (input.length >= 2 && input[0] === 0 && ((input[1] as number) & 1) === 1) {
    throw new ImageryError('UNSUPPORTED_COMPRESSION', 'old-style (pre-TIFF 6) LZW');
  }
  const out = new Uint8Array(maxOut);
  const entryOff = new Int32Array(4096);
  const entryLen = new Int32Array(4096);
  let outPos = 0;
  let width = 9;
  let next = 258;
  let prevOff = -1;
  let prevLen = 0;
  let bitBuf = 0;
  let bitCount = 0;
  let inPos = 0;
  for (;;) {
    while (bitCount < width && inPos < input.length) {
      bitBuf = ((bitBuf << 8) | (input[inPos++] as number)) >>> 0;
      bitCount += 8;
    }
    if (bitCount < width) break; // ran out of input without EOI: keep what was decoded, as libtiff does
    const code = (bitBuf >>> (bitCount - width)) & ((1 << width) - 1);
    bitCount -= width;
    bitBuf &= (1 << bitCount) - 1;
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      next = 258;
      prevOff = -1;
      continue;
    }
    const start = outPos;
    let len: number;
    if (prevOff < 0) {
      if (code > 255) throw decodeFailed(`LZW code ${code} right after a clear code`);
      if (outPos >= maxOut) throw decodeFailed('LZW data decodes to more than the block size');
      out[outPos++] = code;
      len = 1;
    } else {
      if (code < 256) {
        if (outPos >= maxOut) throw decodeFailed('LZW data decodes to more than the block size');
        out[outPos++] = code;
        len = 1;
      } else if (code < next) {
        len = entryLen[code] as number;
        if (outPos + len > maxOut) throw decodeFailed('LZW data decodes to more than the block size');
        out.copyWithin(outPos, entryOff[code] as number, (entryOff[code] as number) + len);
        outPos += len;
      } else if (code === next) {
        len = prevLen + 1;
        if (outPos + len > maxOut) throw decodeFailed('LZW data decodes to more than the block size');
        out.copyWithin(outPos, prevOff, prevOff + prevLen);
        out[outPos + prevLen] = out[prevOff] as number;
        outPos += len;
      } else {
        throw decodeFailed(`LZW code ${code} beyond the dictionary (${next})`);
      }
      // New entry: the previous string plus the first byte of this one, which follows it in `out`.
      if (next < 4096) {
        entryOff[next] = prevOff;
        entryLen[next] = prevLen + 1;
        next++;
      }
    }
    prevOff = start;
    prevLen = len;
    if (next === (1 << width) - 1 && width < 12) width++;
  }
  return out.subarray(0, outPos);
}

class BoundedLzwDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const { expectedBytes } = this.parameters as unknown as BoundedParameters;
    const out = decodeLzw(new Uint8Array(buffer), expectedBytes);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

/** PackBits run-length decoding, capped at the block size. */
export function decodePackBits(input: Uint8Array, maxOut: number): Uint8Array {
  const out = new Uint8Array(maxOut);
  let o = 0;
  let i = 0;
  while (i < input.length && o < maxOut) {
    const n = ((input[i++] as number) << 24) >> 24;
    if (n >= 0) {
      const count = Math.min(n + 1, input.length - i, maxOut - o);
      out.set(input.subarray(i, i + count), o);
      o += count;
      i += n + 1;
    } else if (n !== -128) {
      if (i >= input.length) break;
      const value = input[i++] as number;
      const count = Math.min(1 - n, maxOut - o);
      out.fill(value, o, o + count);
      o += count;
    }
  }
  return out.subarray(0, o);
}

class BoundedPackBitsDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const { expectedBytes } = this.parameters as unknown as BoundedParameters;
    const out = decodePackBits(new Uint8Array(buffer), expectedBytes);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

/** Frame_Content_Size of the first ZSTD frame, or null when the frame does not state it. */
export function zstdContentSize(data: Uint8Array): number | null {
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    throw decodeFailed('ZSTD block without a frame magic number');
  }
  const fhd = data[4] as number;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const didSize = [0, 1, 2, 4][fhd & 3] as number;
  const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : ([0, 2, 4, 8][fcsFlag] as number);
  if (fcsSize === 0) return null;
  let p = 5 + (single ? 0 : 1) + didSize;
  if (p + fcsSize > data.length) throw decodeFailed('ZSTD frame header is truncated');
  let value = 0;
  for (let k = 0; k < fcsSize; k++) value += (data[p++] as number) * 2 ** (8 * k);
  return fcsSize === 2 ? value + 256 : value;
}

/** Height and width of the first JPEG frame (SOFn marker), or null when there is none. */
export function jpegFrameSize(data: Uint8Array): { width: number; height: number } | null {
  let p = 2; // after SOI
  while (p + 4 <= data.length) {
    if (data[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = data[p + 1] as number;
    if (marker === 0xff || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const len = ((data[p + 2] as number) << 8) | (data[p + 3] as number);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && p + 9 <= data.length) {
      return { height: ((data[p + 5] as number) << 8) | (data[p + 6] as number), width: ((data[p + 7] as number) << 8) | (data[p + 8] as number) };
    }
    if (marker === 0xda) return null; // start of scan without a frame header
    p += 2 + len;
  }
  return null;
}

let registration: Promise<void> | null = null;

/**
 * Replaces geotiff.js's decoders for the bounded codecs (idempotent; the first call does the work).
 * Must be awaited before reading; the reader does.
 */
export function registerBoundedDecoders(): Promise<void> {
  registration ??= register();
  return registration;
}

async function register(): Promise<void> {
  const probe = { tileWidth: 1, tileHeight: 1, planarConfiguration: 1, bitsPerSample: [8], predictor: 1 };
  const zstd = new ZSTDDecoder();
  await zstd.init();
  // geotiff.js's own JPEG decoder, kept to run after the frame-size check below.
  const Jpeg = (await getDecoder(7, probe)).constructor as DecoderClass;

  class BoundedZstdDecoder extends BaseDecoder {
    override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
      const { expectedBytes } = this.parameters as unknown as BoundedParameters;
      const input = new Uint8Array(buffer);
      const stated = zstdContentSize(input);
      if (stated !== null && stated > expectedBytes) throw decodeFailed(`ZSTD frame claims ${stated} bytes, the block holds ${expectedBytes}`);
      const out = zstd.decode(input, expectedBytes);
      // ZSTD_decompress reports errors as a negative size, which leaves an empty result.
      if (out.length === 0) throw decodeFailed('ZSTD frame could not be decompressed');
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
    }
  }

  class BoundedJpegDecoder extends BaseDecoder {
    private readonly inner: DecoderLike;
    constructor(parameters: BoundedParameters) {
      super(parameters as never);
      this.inner = new Jpeg(parameters);
    }
    override async decodeBlock(buffer: ArrayBufferLike): Promise<ArrayBufferLike> {
      const { tileWidth, tileHeight } = this.parameters as unknown as BoundedParameters;
      const frame = jpegFrameSize(new Uint8Array(buffer));
      if (frame && (frame.width > tileWidth + 16 || frame.height > tileHeight + 16)) {
        throw decodeFailed(`JPEG frame of ${frame.width} × ${frame.height} in a ${tileWidth} × ${tileHeight} block`);
      }
      return this.inner.decodeBlock(buffer);
    }
  }

  type ParameterFn = Parameters<typeof addDecoder>[2];
  const params = ((fd: FileDirectory) => boundedParameters(fd)) as unknown as ParameterFn;
  const jpegParams = (async (fd: FileDirectory) => ({ ...(await boundedParameters(fd)), JPEGTables: await fd.loadValue('JPEGTables') })) as unknown as ParameterFn;
  addDecoder([8, 32946], async () => BoundedDeflateDecoder, params, false);
  addDecoder(5, async () => BoundedLzwDecoder, params, false);
  addDecoder(32773, async () => BoundedPackBitsDecoder, params, false);
  addDecoder(50000, async () => BoundedZstdDecoder, params, false);
  addDecoder(7, async () => BoundedJpegDecoder as never, jpegParams, false);
}
