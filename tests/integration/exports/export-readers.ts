/**
 * Test helpers that run an export to a file and read files back with independent readers: GDAL's
 * ogr2ogr/ogrinfo (Shapefile, GeoJSON, KML, CSV) and fflate for zip listings.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Db } from '../../../api/src/db/db.types.ts';
import { exportQuerySchema, toExportRequest } from '../../../api/src/exports/export-request.ts';
import { prepareExport } from '../../../api/src/exports/exports.service.ts';
import type { ExportResult } from '../../../api/src/exports/exports.types.ts';

/** Fixed export clock: 2026-11-27 11:00 Beijing time. */
export const EXPORT_NOW = new Date('2026-11-27T03:00:00Z');

/** Runs an export with HTTP-style parameters into `dir`, under its default file name. */
export async function exportToFile(db: Db, query: Record<string, string>, dir: string, batchSize?: number): Promise<{ file: string; result: ExportResult; fileName: string }> {
  const prepared = await prepareExport(db, toExportRequest(exportQuerySchema.parse(query), EXPORT_NOW));
  const file = path.join(dir, `${Object.entries(query).map(([k, v]) => `${k}-${v}`).join('_').replace(/[:/]/g, '-')}__${prepared.fileName}`);
  const result = await prepared.run(createWriteStream(file), { batchSize });
  return { file, result, fileName: prepared.fileName };
}

/** A feature as ogr2ogr writes it to GeoJSON. */
export interface OgrFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}

/** Layer names of a GDAL data source (KML folders are layers). */
export function ogrLayers(source: string, openOptions: string[] = []): string[] {
  const out = execFileSync('ogrinfo', ['-ro', '-q', ...openOptions.flatMap((o) => ['-oo', o]), source], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\d+: (.*?)(?: \([^)]*\))?$/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n));
}

/** Every feature of one layer (default: all layers) as GDAL reads it, converted to GeoJSON by ogr2ogr. */
export function ogrFeatures(source: string, options: { layer?: string; openOptions?: string[]; config?: Record<string, string> } = {}): OgrFeature[] {
  const oo = [...(options.openOptions ?? []).flatMap((o) => ['-oo', o]), ...Object.entries(options.config ?? {}).flatMap(([k, v]) => ['--config', k, v])];
  const layers = options.layer ? [options.layer] : ogrLayers(source, options.openOptions);
  return layers.flatMap((layer) => {
    const text = execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...oo, source, layer], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return (JSON.parse(text) as { features: OgrFeature[] }).features;
  });
}

/** EPSG code GDAL identifies for a layer (the CRS's outermost ID), or null when it has none. */
export function ogrEpsg(source: string, layer?: string): number | null {
  const out = execFileSync('ogrinfo', ['-ro', '-so', source, ...(layer ? [layer] : ogrLayers(source).slice(0, 1))], { encoding: 'utf8' });
  // The CRS's own ID closes its WKT, after the IDs of its parts (datum, parameters).
  const wkt = out.split('Layer SRS WKT:')[1]?.split('\nData axis')[0] ?? '';
  const last = [...wkt.matchAll(/ID\["EPSG",(\d+)\]/g)].at(-1);
  return last ? Number(last[1]) : null;
}

/** Entries of a zip file: name → bytes. */
export async function unzipFile(file: string): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await readFile(file)));
}

/** Shoelace area of the first ring of every polygon of a GeoJSON (Multi)Polygon, in its units². */
export function planarArea(geometry: OgrFeature['geometry']): number {
  if (!geometry) return 0;
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  let total = 0;
  for (const rings of polys) {
    rings.forEach((ring, i) => {
      let s = 0;
      for (let k = 0; k < ring.length - 1; k++) s += (ring[k]?.[0] ?? 0) * (ring[k + 1]?.[1] ?? 0) - (ring[k + 1]?.[0] ?? 0) * (ring[k]?.[1] ?? 0);
      total += (i === 0 ? 1 : -1) * Math.abs(s / 2);
    });
  }
  return total;
}
