import { rm, writeFile } from 'node:fs/promises';
import { BufferedFileWriter } from './buffered-file.writer.ts';
import { CPG_TEXT, encodeDbfHeader, encodeDbfRecord, encodeText, resolveDbfFields, type ResolvedDbfField } from './dbf.encoder.ts';
import { encodeShape, SHAPE_TYPE_CODE } from './shp-record.encoder.ts';
import type { BBox, DbfEncoding, DbfFieldDef, DbfRecord, ShapeKind, WritableGeometry } from './shapefile.types.ts';

export { CGCS2000_ESRI_PRJ, cgcs2000Gk3Params, cgcs2000Gk3Proj4, cgcs2000GkEsriPrj, type Gk3Params } from './esri-prj.builder.ts';
export type { BBox, DbfEncoding, DbfFieldDef, DbfRecord, DbfValue, ShapeKind, WritableGeometry } from './shapefile.types.ts';

/** Options of {@link ShapefileWriter.create}. */
export interface ShapefileWriterOptions {
  /** Path of the `.shp` (the extension is added when missing); `.shx/.dbf/.prj/.cpg` share its base name. */
  readonly path: string;
  /** One shape type per layer; see {@link ShapeKind}. */
  readonly shapeType: ShapeKind;
  /** DBF columns in order; names ≤ 10 bytes in `encoding`. At least one column is written (see below). */
  readonly fields: readonly DbfFieldDef[];
  /** DBF text encoding, default 'utf-8'. Named in the `.cpg`; GBK also sets LDID 0x4D. */
  readonly encoding?: DbfEncoding;
  /** WKT written verbatim as `.prj` (e.g. {@link cgcs2000GkEsriPrj}); no `.prj` when omitted. */
  readonly prj?: string;
  /** Last-update date stored in the DBF header; default now. Pass a fixed date for reproducible files. */
  readonly dbfDate?: Date;
  /** Replace existing files (default false: fail when any part exists). */
  readonly overwrite?: boolean;
  /** Buffered bytes per part before a disk write (default 1 MiB); bounds memory use. */
  readonly bufferBytes?: number;
}

/** What {@link ShapefileWriter.close} reports. */
export interface ShapefileWriteSummary {
  /** Records written (null shapes included). */
  readonly featureCount: number;
  /** Extent of all non-null shapes in layer units; null when there were none. */
  readonly bbox: BBox | null;
  /** Absolute or caller-relative paths of every file written (.shp, .shx, .dbf, .cpg and .prj). */
  readonly files: readonly string[];
}

const HEADER_BYTES = 100;

/**
 * Streaming ESRI Shapefile writer: features are appended one at a time and flushed in chunks, so
 * memory stays bounded whatever the feature count. Headers (.shp/.shx file length and bbox, DBF
 * record count) are patched on {@link close}. Coordinates are written as given (no reprojection).
 *
 * Usage: `const w = await ShapefileWriter.create({...}); for (...) await w.write(geom, props); await w.close();`
 * Calls must be sequential (await each `write`). On error call {@link abort} to remove partial files.
 */
export class ShapefileWriter {
  private count = 0;
  private bbox: BBox | null = null;
  private busy = false;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  private constructor(
    private readonly shp: BufferedFileWriter,
    private readonly shx: BufferedFileWriter,
    private readonly dbf: BufferedFileWriter,
    private readonly kind: ShapeKind,
    private readonly fields: readonly ResolvedDbfField[],
    private readonly encoding: DbfEncoding,
    private readonly dbfDate: Date,
    private readonly sidecars: readonly string[],
  ) {}

  /**
   * Validates the field list (throws before any file is created when a name is too long or a
   * width is out of range), then creates the five files with placeholder headers.
   */
  static async create(options: ShapefileWriterOptions): Promise<ShapefileWriter> {
    const encoding = options.encoding ?? 'utf-8';
    // A DBF without columns is unreadable by several tools; GDAL adds an "FID" column the same way.
    const defs = options.fields.length > 0 ? options.fields : [{ name: 'FID', type: 'N', length: 11 } as const];
    const fields = resolveDbfFields(defs, encoding);
    const base = options.path.replace(/\.shp$/i, '');
    const overwrite = options.overwrite ?? false;
    const flushAt = options.bufferBytes ?? 1 << 20;
    const dbfDate = options.dbfDate ?? new Date();
    const opened: BufferedFileWriter[] = [];
    const created: string[] = []; // only files this call created are removed on failure
    try {
      for (const ext of ['.shp', '.shx', '.dbf']) {
        opened.push(await BufferedFileWriter.open(base + ext, overwrite, flushAt));
        created.push(base + ext);
      }
      const sidecars = [base + '.cpg'];
      await writeFile(base + '.cpg', CPG_TEXT[encoding], { flag: overwrite ? 'w' : 'wx' });
      created.push(base + '.cpg');
      if (options.prj !== undefined) {
        await writeFile(base + '.prj', options.prj, { flag: overwrite ? 'w' : 'wx' });
        sidecars.push(base + '.prj');
      }
      const [shp, shx, dbf] = opened as [BufferedFileWriter, BufferedFileWriter, BufferedFileWriter];
      const w = new ShapefileWriter(shp, shx, dbf, options.shapeType, fields, encoding, dbfDate, sidecars);
      shp.append(Buffer.alloc(HEADER_BYTES));
      shx.append(Buffer.alloc(HEADER_BYTES));
      dbf.append(encodeDbfHeader(fields, 0, encoding, dbfDate));
      return w;
    } catch (err) {
      await Promise.all(opened.map((f) => f.discard()));
      await Promise.all(created.map((p) => rm(p, { force: true })));
      throw err;
    }
  }

  /** Records written so far. */
  get featureCount(): number {
    return this.count;
  }

  /**
   * Appends one feature: geometry in layer coordinates (null → null shape) and its attributes.
   * Throws on a geometry that does not fit the layer type or a value that does not fit its field;
   * the feature is then not written and the writer stays usable.
   */
  async write(geometry: WritableGeometry | null, properties: DbfRecord = {}): Promise<void> {
    if (this.state !== 'open') throw new Error(`ShapefileWriter is ${this.state}`);
    if (this.busy) throw new Error('ShapefileWriter.write() called before the previous call resolved');
    // Encode everything first so a bad value leaves no half-written record behind.
    const shape = encodeShape(this.kind, geometry, this.count);
    const record = encodeDbfRecord(this.fields, properties, this.encoding);
    const header = Buffer.alloc(8);
    header.writeInt32BE(this.count + 1, 0); // record numbers are 1-based
    header.writeInt32BE(shape.content.length / 2, 4); // lengths in 16-bit words
    const index = Buffer.alloc(8);
    index.writeInt32BE(this.shp.position / 2, 0);
    index.writeInt32BE(shape.content.length / 2, 4);
    this.shp.append(header);
    this.shp.append(shape.content);
    this.shx.append(index);
    this.dbf.append(record);
    this.count++;
    if (shape.bbox) this.bbox = this.bbox ? union(this.bbox, shape.bbox) : [...shape.bbox];
    if (this.shp.needsFlush || this.shx.needsFlush || this.dbf.needsFlush) {
      this.busy = true;
      try {
        await Promise.all([this.shp.flush(), this.shx.flush(), this.dbf.flush()]);
      } finally {
        this.busy = false;
      }
    }
  }

  /** Writes the final headers and the DBF end-of-file marker, closes all files. */
  async close(): Promise<ShapefileWriteSummary> {
    if (this.state !== 'open') throw new Error(`ShapefileWriter is ${this.state}`);
    this.state = 'closed';
    this.dbf.append(Buffer.from([0x1a]));
    const bbox = this.bbox ?? [0, 0, 0, 0];
    const shpLength = this.shp.position;
    const shxLength = this.shx.position;
    await this.shp.writeAt(0, mainHeader(SHAPE_TYPE_CODE[this.kind], shpLength, bbox));
    await this.shx.writeAt(0, mainHeader(SHAPE_TYPE_CODE[this.kind], shxLength, bbox));
    await this.dbf.writeAt(0, encodeDbfHeader(this.fields, this.count, this.encoding, this.dbfDate));
    await Promise.all([this.shp.close(), this.shx.close(), this.dbf.close()]);
    return {
      featureCount: this.count,
      bbox: this.bbox,
      files: [this.shp.path, this.shx.path, this.dbf.path, ...this.sidecars],
    };
  }

  /** Closes and deletes every part written so far. Safe to call after a failed write. */
  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    const wasOpen = this.state === 'open';
    this.state = 'aborted';
    if (wasOpen) await Promise.all([this.shp.discard(), this.shx.discard(), this.dbf.discard()]);
    await Promise.all([this.shp.path, this.shx.path, this.dbf.path, ...this.sidecars].map((p) => rm(p, { force: true })));
  }
}

/**
 * Convenience: writes all `features` (sync or async iterable) to one shapefile and closes it;
 * removes the partial files and rethrows when anything fails.
 */
export async function writeShapefile(
  options: ShapefileWriterOptions,
  features: Iterable<{ geometry: WritableGeometry | null; properties?: DbfRecord }> | AsyncIterable<{ geometry: WritableGeometry | null; properties?: DbfRecord }>,
): Promise<ShapefileWriteSummary> {
  const w = await ShapefileWriter.create(options);
  try {
    for await (const f of features) await w.write(f.geometry, f.properties ?? {});
    return await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  }
}

/** Byte length of `text` in the DBF encoding; lets callers size C fields. */
export function dbfByteLength(text: string, encoding: DbfEncoding): number {
  return encodeText(text, encoding).length;
}

function union(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

function mainHeader(shapeType: number, fileBytes: number, bbox: BBox): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(fileBytes / 2, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(shapeType, 32);
  bbox.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
  return h; // Z and M ranges stay 0 for 2D shapes
}
