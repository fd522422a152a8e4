import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A square polygon ring of `side` degrees with its lower-left corner at (lon, lat), EPSG:4490. */
export function square(lon: number, lat: number, side = 0.0005): number[][][] {
  return [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]];
}

/** A GeoJSON Feature with a polygon, or any geometry given. */
export function feature(properties: Record<string, unknown>, geometry: unknown): Record<string, unknown> {
  return { type: 'Feature', properties, geometry };
}

/** Writes a FeatureCollection to a temp file (optionally with a legacy `crs` member) and returns its path. */
export async function writeGeoJson(name: string, features: unknown[], crsEpsg?: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-imp-'));
  const file = path.join(dir, name);
  const doc: Record<string, unknown> = { type: 'FeatureCollection', features };
  if (crsEpsg) doc.crs = { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crsEpsg}` } };
  await writeFile(file, JSON.stringify(doc));
  return file;
}
