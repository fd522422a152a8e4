/**
 * Reads GeoTIFF rasters window by window with geotiff.js, after a bounded pre-flight of the file
 * (tiff-structure.probe.ts) and with bounded decoders (tiff-decoders.ts). Any data type GDAL calls
 * Byte/Int8/UInt16/Int16/UInt32/Int32/Float16/Float32/Float64, stripped or tiled, chunky or planar,
 * COG, and no-data from GDAL_NODATA, an internal mask IFD or an alpha band.
 */
import path from 'node:path';
import { fromFile, type GeoTIFF, type GeoTIFFImage, type TypedArray } from 'geotiff';
import { ImageryError } from './imagery-errors.ts';
import { epsgFromGeoKeys, resolveRasterCrs, type CrsResolver, type RasterCrs } from './raster-crs.ts';
import { type GeoTransform, type PixelWindow, type RasterGrid } from './raster-grid.ts';
import { DEFAULT_RASTER_LIMITS, type RasterLimits } from './raster-limits.ts';
import { COMPRESSION_NAMES, registerBoundedDecoders, SUPPORTED_COMPRESSIONS } from './tiff-decoders.ts';
import { checkBlocks, probeTiffStructure, type TiffDirectory } from './tiff-structure.probe.ts';

/** What a raster file holds, as far as LandWatch needs it. */
export interface RasterInfo {
  path: string;
  /** Basename, for messages. */
  file: string;
  width: number;
  height: number;
  /** Bands as GDAL counts them (an alpha band included). */
  bandCount: number;
  /** GDAL data type name, e.g. 'UInt16', 'Float32'. */
  dataType: string;
  compression: string;
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  /** Null when the file has no geotransform. */
  transform: GeoTransform | null;
  /** Null when the GeoKeys name no EPSG code (use an --srs override). */
  epsg: number | null;
  nodata: number | null;
  /** 0-based alpha band, or null. */
  alphaBand: number | null;
  hasMask: boolean;
  /** GDAL band descriptions from GDAL_METADATA (DESCRIPTION items), by 0-based band, when present. */
  descriptions: Array<string | null>;
  /** TIFF photometric interpretation (2 = RGB). */
  photometric: number | null;
}

/** One window of data: a Float32Array per requested band and a validity mask (1 = valid). */
export interface RasterWindowData {
  width: number;
  height: number;
  bands: Float32Array[];
  valid: Uint8Array;
}

/** An open GeoTIFF. Reads are bounded by `limits.maxWindowPixels`. */
export interface RasterFile {
  readonly info: RasterInfo;
  /** The grid of the full-resolution image, given its CRS (from the file or an override). */
  grid(crs: RasterCrs): RasterGrid;
  /** Native typed arrays of the given 0-based bands (for oracles and exact values). */
  readNative(window: PixelWindow, bands: number[]): Promise<TypedArray[]>;
  /** Float32 data of the given 0-based bands plus validity (no-data, NaN, mask, alpha). */
  read(window: PixelWindow, bands: number[]): Promise<RasterWindowData>;
  /** The internal mask (1 = valid) for a window, or null when the file has none. */
  readMask(window: PixelWindow): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

const DATA_TYPES: Record<string, string> = {
  '1:8': 'Byte', '2:8': 'Int8', '1:16': 'UInt16', '2:16': 'Int16', '1:32': 'UInt32', '2:32': 'Int32',
  '3:16': 'Float16', '3:32': 'Float32', '3:64': 'Float64',
};

function dataTypeOf(dir: TiffDirectory, file: string): string {
  const formats = new Set(dir.sampleFormat);
  const bits = new Set(dir.bitsPerSample);
  if (formats.size > 1 || bits.size > 1) throw new ImageryError('UNSUPPORTED_DATA_TYPE', 'bands of different data types', file);
  const fmt = dir.sampleFormat[0] ?? 1;
  const bps = dir.bitsPerSample[0] ?? 8;
  if (fmt === 5 || fmt === 6) throw new ImageryError('UNSUPPORTED_DATA_TYPE', 'complex samples (SAR) are not optical imagery', file);
  const name = DATA_TYPES[`${fmt === 4 ? 1 : fmt}:${bps}`];
  if (name) return name;
  // Sub-byte and odd integer depths (1, 2, 4, 12 bits …) are unpacked by geotiff.js.
  if ((fmt === 1 || fmt === 4) && bps < 32 && bps !== 24) return bps < 8 ? 'Byte' : 'UInt16';
  throw new ImageryError('UNSUPPORTED_DATA_TYPE', `${bps}-bit ${fmt === 3 ? 'floating point' : 'integer'} samples`, file);
}

function checkCompression(dir: TiffDirectory, file: string): string {
  const name = SUPPORTED_COMPRESSIONS[dir.compression];
  if (!name) {
    const known = COMPRESSION_NAMES[dir.compression] ?? `code ${dir.compression}`;
    throw new ImageryError('UNSUPPORTED_COMPRESSION', `${known}; convert with gdal_translate -co COMPRESS=DEFLATE`, file);
  }
  // Subsampled YCbCr is only decodable inside JPEG (the JPEG decoder upsamples it).
  if (dir.photometric === 6 && dir.compression !== 7) {
    throw new ImageryError('UNSUPPORTED_DATA_TYPE', 'YCbCr samples outside JPEG; convert with gdal_translate -co PHOTOMETRIC=RGB', file);
  }
  // GDAL shows CMYK and CIE L*a*b* as converted RGB; these are print/colour-science files, not imagery.
  if (dir.photometric === 5 || (dir.photometric !== null && dir.photometric >= 8 && dir.photometric <= 10)) {
    throw new ImageryError('UNSUPPORTED_DATA_TYPE', `photometric interpretation ${dir.photometric} (CMYK or CIE L*a*b*)`, file);
  }
  return name;
}

/** Combinations geotiff.js decodes wrongly (found against gdalinfo -checksum): refused, not misread. */
function checkLayout(dir: TiffDirectory, littleEndian: boolean, file: string): void {
  if (!littleEndian && dir.predictor !== 1) {
    throw new ImageryError('UNSUPPORTED_DATA_TYPE', 'big-endian samples with a predictor; convert with gdal_translate', file);
  }
  if (dir.samplesPerPixel > 1 && dir.planar === 1 && (dir.bitsPerSample[0] ?? 8) < 8) {
    throw new ImageryError('UNSUPPORTED_DATA_TYPE', 'several sub-byte samples per pixel', file);
  }
}

/**
 * Opens a GeoTIFF for reading. Checks structure, limits, codec and data type first: throws
 * ImageryError (FILE_NOT_FOUND, NOT_TIFF, TIFF_CORRUPT, TIFF_TRUNCATED, TOO_MANY_*, BLOCK_TOO_LARGE,
 * UNSUPPORTED_*) naming the file. A file without georeferencing opens (transform null).
 */
export async function openRaster(filePath: string, limits: RasterLimits = DEFAULT_RASTER_LIMITS): Promise<RasterFile> {
  const file = path.basename(filePath);
  const structure = await probeTiffStructure(filePath, limits);
  const mainIndex = structure.directories.findIndex((d) => (d.subfileType & 5) === 0);
  const main = structure.directories[mainIndex];
  if (!main) throw new ImageryError('TIFF_CORRUPT', 'no full-resolution image directory', file);
  const dataType = dataTypeOf(main, file);
  const compression = checkCompression(main, file);
  checkLayout(main, structure.littleEndian, file);
  await checkBlocks(filePath, structure, main, limits);
  const maskDir = structure.directories.find((d) => (d.subfileType & 4) !== 0 && (d.subfileType & 1) === 0 && d.width === main.width && d.height === main.height);
  if (maskDir) {
    checkCompression(maskDir, file);
    await checkBlocks(filePath, structure, maskDir, limits);
  }
  await registerBoundedDecoders();
  let tiff: GeoTIFF;
  let image: GeoTIFFImage;
  let maskImage: GeoTIFFImage | null = null;
  try {
    tiff = await fromFile(filePath);
    image = await tiff.getImage(mainIndex);
    if (maskDir) maskImage = await tiff.getImage(maskDir.index);
  } catch (error) {
    throw wrap(error, file);
  }
  const info = await describeImage(image, main, { filePath, file, dataType, compression, hasMask: Boolean(maskDir) });
  return new GeoTiffRaster(info, tiff, image, maskImage, limits);
}

async function describeImage(
  image: GeoTIFFImage,
  main: TiffDirectory,
  meta: { filePath: string; file: string; dataType: string; compression: string; hasMask: boolean },
): Promise<RasterInfo> {
  const fd = image.getFileDirectory();
  let keys: Record<string, unknown> | null;
  try {
    keys = image.getGeoKeys() as Record<string, unknown> | null;
  } catch {
    keys = null; // broken GeoKeys: treat as ungeoreferenced (an --srs override can still place it)
  }
  const transform = await readTransform(fd, keys);
  const nodataText = fd.hasTag('GDAL_NODATA') ? String(await fd.loadValue('GDAL_NODATA')).replace(/\0/g, '').trim() : '';
  const nodata = nodataText === '' ? null : /^nan$/i.test(nodataText) ? Number.NaN : Number(nodataText);
  const alphaIndex = main.extraSamples.findIndex((v) => v === 1 || v === 2);
  const descriptions = new Array<string | null>(main.samplesPerPixel).fill(null);
  if (fd.hasTag('GDAL_METADATA')) {
    const xml = String((await fd.loadValue('GDAL_METADATA')) ?? '');
    for (const m of xml.matchAll(/<Item name="DESCRIPTION" sample="(\d+)"[^>]*>([^<]*)<\/Item>/g)) {
      const i = Number(m[1]);
      if (i < descriptions.length) descriptions[i] = (m[2] ?? '').trim() || null;
    }
  }
  return {
    path: path.resolve(meta.filePath),
    file: meta.file,
    width: main.width,
    height: main.height,
    bandCount: main.samplesPerPixel,
    dataType: meta.dataType,
    compression: meta.compression,
    tiled: main.tiled,
    blockWidth: main.blockWidth,
    blockHeight: main.blockHeight,
    transform,
    epsg: epsgFromGeoKeys(keys),
    nodata: nodata !== null && (Number.isFinite(nodata) || Number.isNaN(nodata)) ? nodata : null,
    alphaBand: alphaIndex >= 0 ? main.samplesPerPixel - main.extraSamples.length + alphaIndex : null,
    hasMask: meta.hasMask,
    descriptions,
    photometric: main.photometric,
  };
}

type Fd = ReturnType<GeoTIFFImage['getFileDirectory']>;

/** Geotransform from ModelTransformation, or ModelTiepoint + ModelPixelScale; PixelIsPoint shifted by half a pixel as GDAL does. */
async function readTransform(fd: Fd, keys: Record<string, unknown> | null): Promise<GeoTransform | null> {
  let t: GeoTransform | null = null;
  const matrix = fd.hasTag('ModelTransformation') ? Array.from((await fd.loadValue('ModelTransformation')) as ArrayLike<number>) : null;
  if (matrix && matrix.length >= 16) {
    t = [matrix[3] as number, matrix[0] as number, matrix[1] as number, matrix[7] as number, matrix[4] as number, matrix[5] as number];
  } else {
    const tie = fd.hasTag('ModelTiepoint') ? Array.from((await fd.loadValue('ModelTiepoint')) as ArrayLike<number>) : null;
    const scale = fd.hasTag('ModelPixelScale') ? Array.from((await fd.loadValue('ModelPixelScale')) as ArrayLike<number>) : null;
    if (tie && tie.length >= 6 && scale && scale.length >= 2) {
      const [i, j, , x, y] = tie as [number, number, number, number, number];
      const [sx, sy] = scale as [number, number];
      t = [x - i * sx, sx, 0, y + j * sy, 0, -sy];
    }
  }
  if (!t || !t.every(Number.isFinite) || t[1] * t[5] - t[2] * t[4] === 0) return null;
  if (keys && Number(keys.GTRasterTypeGeoKey) === 2) {
    t = [t[0] - 0.5 * t[1] - 0.5 * t[2], t[1], t[2], t[3] - 0.5 * t[4] - 0.5 * t[5], t[4], t[5]];
  }
  return t;
}

function wrap(error: unknown, file: string): Error {
  if (error instanceof ImageryError) return error.file ? error : new ImageryError(error.code, error.message.replace(/ \([^)]*\)$/, '').replace(/^[^:]*: /, ''), file);
  const message = error instanceof Error ? error.message : String(error);
  if (/Unknown compression|not supported/i.test(message)) return new ImageryError('UNSUPPORTED_COMPRESSION', message, file);
  return new ImageryError('DECODE_FAILED', message.slice(0, 300), file);
}

class GeoTiffRaster implements RasterFile {
  constructor(
    readonly info: RasterInfo,
    private readonly tiff: GeoTIFF,
    private readonly image: GeoTIFFImage,
    private readonly maskImage: GeoTIFFImage | null,
    private readonly limits: RasterLimits,
  ) {}

  grid(crs: RasterCrs): RasterGrid {
    if (!this.info.transform) throw new ImageryError('NO_GEOREFERENCING', 'no ModelTransformation or ModelTiepoint/ModelPixelScale tags (GCPs alone are not used: gdalwarp the file first)', this.info.file);
    return { width: this.info.width, height: this.info.height, transform: this.info.transform, crs };
  }

  private checkWindow(window: PixelWindow): void {
    const [x0, y0, x1, y1] = window;
    if (!(x0 >= 0 && y0 >= 0 && x1 <= this.info.width && y1 <= this.info.height && x1 > x0 && y1 > y0)) {
      throw new RangeError(`window ${window.join(',')} outside ${this.info.width} × ${this.info.height}`);
    }
    if ((x1 - x0) * (y1 - y0) > this.limits.maxWindowPixels) {
      throw new ImageryError('TOO_MANY_PIXELS', `a read of ${(x1 - x0) * (y1 - y0)} pixels at once (limit ${this.limits.maxWindowPixels})`, this.info.file);
    }
  }

  async readNative(window: PixelWindow, bands: number[]): Promise<TypedArray[]> {
    this.checkWindow(window);
    for (const b of bands) if (b < 0 || b >= this.info.bandCount) throw new ImageryError('BAND_MISSING', `band ${b + 1} of ${this.info.bandCount}`, this.info.file);
    // JPEG-in-TIFF YCbCr arrives from geotiff.js as Y, Cb, Cr; GDAL (and every viewer) shows RGB.
    const ycbcr = this.info.photometric === 6 && this.info.bandCount >= 3;
    const samples = ycbcr ? [...new Set([0, 1, 2, ...bands])] : bands;
    let data: TypedArray[];
    try {
      data = Array.from((await this.image.readRasters({ window, samples, interleave: false })) as ArrayLike<TypedArray>);
    } catch (error) {
      throw wrap(error, this.info.file);
    }
    if (!ycbcr) return data;
    ycbcrToRgb(data[0] as TypedArray, data[1] as TypedArray, data[2] as TypedArray);
    return bands.map((b) => data[samples.indexOf(b)] as TypedArray);
  }

  async readMask(window: PixelWindow): Promise<Uint8Array | null> {
    if (!this.maskImage) return null;
    this.checkWindow(window);
    try {
      const data = (await this.maskImage.readRasters({ window, samples: [0], interleave: false })) as unknown as TypedArray[];
      const m = data[0] as TypedArray;
      const out = new Uint8Array(m.length);
      for (let i = 0; i < m.length; i++) out[i] = (m[i] as number) !== 0 ? 1 : 0;
      return out;
    } catch (error) {
      throw wrap(error, this.info.file);
    }
  }

  async read(window: PixelWindow, bands: number[]): Promise<RasterWindowData> {
    const alpha = this.info.alphaBand;
    const wanted = alpha !== null && !bands.includes(alpha) ? [...bands, alpha] : bands;
    const native = await this.readNative(window, wanted);
    const n = (window[2] - window[0]) * (window[3] - window[1]);
    const valid = (await this.readMask(window)) ?? new Uint8Array(n).fill(1);
    const nodata = this.info.nodata;
    const out: Float32Array[] = [];
    for (let k = 0; k < bands.length; k++) {
      const src = native[k] as TypedArray;
      const dst = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i] as number;
        dst[i] = v;
        if (v !== v || v === nodata) valid[i] = 0; // NaN is never data
      }
      out.push(dst);
    }
    if (alpha !== null) {
      const a = native[wanted.indexOf(alpha)] as TypedArray;
      for (let i = 0; i < n; i++) if ((a[i] as number) === 0) valid[i] = 0;
    }
    return { width: window[2] - window[0], height: window[3] - window[1], bands: out, valid };
  }

  async close(): Promise<void> {
    await this.tiff.close?.();
  }
}

/** JFIF YCbCr → RGB in place (8-bit, full range), rounded and clamped as libjpeg does. */
function ycbcrToRgb(y: TypedArray, cb: TypedArray, cr: TypedArray): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0; i < y.length; i++) {
    const Y = y[i] as number;
    const Cb = (cb[i] as number) - 128;
    const Cr = (cr[i] as number) - 128;
    y[i] = clamp(Y + 1.402 * Cr);
    cb[i] = clamp(Y - 0.344136 * Cb - 0.714136 * Cr);
    cr[i] = clamp(Y + 1.772 * Cb);
  }
}

/** Convenience: the CRS of a raster from its GeoKeys (or an override EPSG code). */
export async function rasterCrs(raster: RasterFile, override?: number, resolver?: CrsResolver): Promise<RasterCrs> {
  const epsg = override ?? raster.info.epsg;
  if (!epsg) throw new ImageryError('UNSUPPORTED_CRS', 'the GeoKeys name no EPSG code (user-defined CRS); pass --srs EPSG:<code>', raster.info.file, 'srs');
  return resolveRasterCrs(epsg, raster.info.file, resolver);
}
