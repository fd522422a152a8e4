/**
 * A small streaming GeoTIFF writer (classic TIFF, pixel-interleaved strips, no compression or
 * DEFLATE, EPSG GeoKeys, GDAL_NODATA). Rows come from a callback strip by strip, so a 10,000 ×
 * 10,000 test or demo scene is written in bounded memory. Used by tests, benchmarks and generators of
 * demo imagery; GDAL reads its files (tests check with gdalinfo).
 */
import { open } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import type { GeoTransform } from './raster-grid.ts';

/** Sample types the writer supports. */
export type WriterDataType = 'Byte' | 'UInt16' | 'Int16' | 'Float32';

/** What to write. `rows(y0, y1)` returns one array per band holding rows y0..y1-1, row-major. */
export interface GeoTiffSpec {
  width: number;
  height: number;
  bands: number;
  dataType: WriterDataType;
  transform: GeoTransform;
  /** EPSG code; geographic codes (4326, 4490, …) are written as such when `geographic` is true. */
  epsg: number;
  geographic: boolean;
  nodata?: number;
  compress?: 'none' | 'deflate';
  rowsPerStrip?: number;
  /** Photometric RGB for 3-band byte images (the first three bands are R, G, B). */
  rgb?: boolean;
  rows: (y0: number, y1: number) => ArrayLike<number>[];
}

const TYPES: Record<WriterDataType, { bits: number; format: number; bytes: number }> = {
  Byte: { bits: 8, format: 1, bytes: 1 },
  UInt16: { bits: 16, format: 1, bytes: 2 },
  Int16: { bits: 16, format: 2, bytes: 2 },
  Float32: { bits: 32, format: 3, bytes: 4 },
};

interface Tag {
  tag: number;
  type: 2 | 3 | 4 | 12; // ASCII, SHORT, LONG, DOUBLE
  values: number[] | string;
}

function interleave(spec: GeoTiffSpec, bands: ArrayLike<number>[], n: number): Buffer {
  const t = TYPES[spec.dataType];
  const out = Buffer.alloc(n * spec.bands * t.bytes);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < spec.bands; b++) {
      const v = (bands[b] as ArrayLike<number>)[i] as number;
      if (spec.dataType === 'Byte') out[o] = v;
      else if (spec.dataType === 'UInt16') out.writeUInt16LE(Math.max(0, Math.min(65535, Math.round(v))), o);
      else if (spec.dataType === 'Int16') out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v))), o);
      else out.writeFloatLE(v, o);
      o += t.bytes;
    }
  }
  return out;
}

/** Writes `spec` to `file`. Resolves when the file is complete; throws on I/O errors. */
export async function writeGeoTiff(file: string, spec: GeoTiffSpec): Promise<void> {
  const t = TYPES[spec.dataType];
  const rowsPerStrip = Math.max(1, Math.min(spec.height, spec.rowsPerStrip ?? Math.max(1, Math.floor(65536 / (spec.width * spec.bands * t.bytes)))));
  const handle = await open(file, 'w');
  try {
    let pos = 8;
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let y0 = 0; y0 < spec.height; y0 += rowsPerStrip) {
      const y1 = Math.min(spec.height, y0 + rowsPerStrip);
      const raw = interleave(spec, spec.rows(y0, y1), (y1 - y0) * spec.width);
      const data = spec.compress === 'deflate' ? deflateSync(raw) : raw;
      await handle.write(data, 0, data.length, pos);
      offsets.push(pos);
      counts.push(data.length);
      pos += data.length;
    }
    if (pos > 0xffff_ff00) throw new RangeError('image too large for classic TIFF');
    const [x0, dx, rx, y0, ry, dy] = spec.transform;
    const geoKeys = [1, 1, 0, 3, 1024, 0, 1, spec.geographic ? 2 : 1, 1025, 0, 1, 1, spec.geographic ? 2048 : 3072, 0, 1, spec.epsg];
    const extra = spec.bands - (spec.rgb ? 3 : 1);
    const tags: Tag[] = [
      { tag: 256, type: 4, values: [spec.width] },
      { tag: 257, type: 4, values: [spec.height] },
      { tag: 258, type: 3, values: new Array<number>(spec.bands).fill(t.bits) },
      { tag: 259, type: 3, values: [spec.compress === 'deflate' ? 8 : 1] },
      { tag: 262, type: 3, values: [spec.rgb ? 2 : 1] },
      { tag: 273, type: 4, values: offsets },
      { tag: 277, type: 3, values: [spec.bands] },
      { tag: 278, type: 4, values: [rowsPerStrip] },
      { tag: 279, type: 4, values: counts },
      { tag: 284, type: 3, values: [1] },
      ...(extra > 0 ? [{ tag: 338, type: 3 as const, values: new Array<number>(extra).fill(0) }] : []),
      { tag: 339, type: 3, values: new Array<number>(spec.bands).fill(t.format) },
      ...(rx === 0 && ry === 0
        ? [
            { tag: 33550, type: 12 as const, values: [dx, -dy, 0] },
            { tag: 33922, type: 12 as const, values: [0, 0, 0, x0, y0, 0] },
          ]
        : [{ tag: 34264, type: 12 as const, values: [dx, rx, 0, x0, ry, dy, 0, y0, 0, 0, 0, 0, 0, 0, 0, 1] }]),
      { tag: 34735, type: 3, values: geoKeys },
      ...(spec.nodata !== undefined ? [{ tag: 42113, type: 2 as const, values: `${spec.nodata}\0` }] : []),
    ];
    const ifdAt = pos + (pos % 2);
    const ifdSize = 2 + tags.length * 12 + 4;
    let dataAt = ifdAt + ifdSize;
    const ifd = Buffer.alloc(ifdSize);
    const blobs: Buffer[] = [];
    ifd.writeUInt16LE(tags.length, 0);
    tags.forEach((tag, i) => {
      const e = 2 + i * 12;
      const size = tag.type === 2 ? 1 : tag.type === 3 ? 2 : tag.type === 4 ? 4 : 8;
      const count = tag.values.length;
      const bytes = Buffer.alloc(count * size);
      if (typeof tag.values === 'string') bytes.write(tag.values, 'latin1');
      else tag.values.forEach((v, k) => (tag.type === 3 ? bytes.writeUInt16LE(v, k * 2) : tag.type === 4 ? bytes.writeUInt32LE(v, k * 4) : bytes.writeDoubleLE(v, k * 8)));
      ifd.writeUInt16LE(tag.tag, e);
      ifd.writeUInt16LE(tag.type, e + 2);
      ifd.writeUInt32LE(count, e + 4);
      if (bytes.length <= 4) bytes.copy(ifd, e + 8);
      else {
        ifd.writeUInt32LE(dataAt, e + 8);
        blobs.push(bytes);
        dataAt += bytes.length + (bytes.length % 2);
        if (bytes.length % 2) blobs.push(Buffer.alloc(1));
      }
    });
    ifd.writeUInt32LE(0, ifdSize - 4);
    const header = Buffer.from([0x49, 0x49, 42, 0, 0, 0, 0, 0]);
    header.writeUInt32LE(ifdAt, 4);
    await handle.write(header, 0, 8, 0);
    await handle.write(Buffer.concat([ifd, ...blobs]), 0, dataAt - ifdAt, ifdAt);
  } finally {
    await handle.close();
  }
}
