import path from 'node:path';
import { CGCS2000_ESRI_PRJ, cgcs2000GkEsriPrj } from '../../shared/shapefile/esri-prj.builder.ts';
import { ShapefileWriter } from '../../shared/shapefile/shapefile.writer.ts';
import type { DbfRecord, WritableGeometry } from '../../shared/shapefile/shapefile.types.ts';
import { dbfFields, dbfValue, EXPORT_COLUMNS } from '../export-columns.ts';
import type { ExportRecord } from '../exports.types.ts';
import type { FormatWriter, WriterContext } from './format-writer.ts';

/** Where a Shapefile goes: a folder and the base name its five parts share. */
export interface ShapefileTarget {
  dir: string;
  baseName: string;
  srid: number;
  encoding: 'utf-8' | 'gbk';
}

/** A Shapefile writer that also tells which files it wrote once finished (to zip them). */
export interface ShapefileExportWriter extends FormatWriter {
  /** Paths of .shp/.shx/.dbf/.cpg/.prj after {@link FormatWriter.finish}; [] before. */
  readonly files: readonly string[];
}

/** `.prj` text: Esri WKT for EPSG:4490 or the CGCS2000 3° GK zone (4513–4554). */
export function prjFor(srid: number): string {
  return srid === 4490 ? CGCS2000_ESRI_PRJ : cgcs2000GkEsriPrj(srid);
}

function dbfRecord(r: ExportRecord): DbfRecord {
  const out: Record<string, string | number | null> = {};
  for (const c of EXPORT_COLUMNS) out[c.dbf.name] = dbfValue(c, r);
  return out;
}

/**
 * A polygon Shapefile through the shared streaming writer: geometry in the target SRID (transformed
 * in SQL), DBF in UTF-8 or GBK with the documented ≤ 10-byte field names, `.cpg` and `.prj`.
 */
export async function createShapefileExportWriter(target: ShapefileTarget, ctx: WriterContext): Promise<ShapefileExportWriter> {
  const writer = await ShapefileWriter.create({
    path: path.join(target.dir, `${target.baseName}.shp`),
    shapeType: 'polygon',
    fields: dbfFields(),
    encoding: target.encoding,
    prj: prjFor(target.srid),
    dbfDate: ctx.now,
    overwrite: true,
  });
  let files: readonly string[] = [];
  return {
    get files() {
      return files;
    },
    async write(records) {
      for (const r of records) {
        const geometry = r.geometry ? (JSON.parse(r.geometry) as WritableGeometry) : null;
        await writer.write(geometry, dbfRecord(r));
      }
    },
    async finish() {
      files = (await writer.close()).files;
    },
    async abort() {
      await writer.abort().catch(() => undefined);
    },
  };
}
