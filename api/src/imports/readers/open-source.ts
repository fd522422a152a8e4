/**
 * openSource: one entry point for every survey file. Dispatches by extension (then by content for
 * unknown extensions) to the shapefile, GeoPackage, GeoJSON, CSV and KML readers; a .zip is opened
 * as a bundle whose .shp files (in any folder, any case) and other vector files become layers.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ReaderNote, ReadOptions, SourceLayer } from './reader.types.ts';
import { resolveLimits } from './reader-limits.ts';
import { ReaderError } from './reader-error.ts';
import { formatReaderMessage, type ReaderCode } from './reader-messages.ts';
import { fileSource, type ByteSource } from './byte-source.ts';
import { listZip } from './zip.source.ts';
import { SHAPEFILE_SIDECARS, groupShapefileParts, openShapefileLayer, type ShapefileParts } from './shapefile.reader.ts';
import { openGeoPackage } from './geopackage.reader.ts';
import { openGeoJsonLayer } from './geojson.reader.ts';
import { openCsvLayer } from './csv.reader.ts';
import { openKmlLayer } from './kml.reader.ts';

type Format = 'shapefile' | 'zip' | 'kmz' | 'gpkg' | 'geojson' | 'csv' | 'kml';

const BY_EXTENSION: Record<string, Format> = {
  shp: 'shapefile', shx: 'shapefile', dbf: 'shapefile', prj: 'shapefile', cpg: 'shapefile',
  zip: 'zip', kmz: 'kmz', gpkg: 'gpkg',
  geojson: 'geojson', json: 'geojson', geojsonl: 'geojson', geojsons: 'geojson', ndjson: 'geojson', jsonl: 'geojson', geojsonseq: 'geojson',
  csv: 'csv', tsv: 'csv', kml: 'kml',
};

/** Errors meaning "this archive member is not a vector layer" (skipped with a note when others are). */
const NOT_A_LAYER = new Set<ReaderCode>(['CSV_NO_GEOMETRY', 'CSV_INVALID', 'GEOJSON_INVALID', 'KML_INVALID', 'GPKG_INVALID', 'GPKG_NO_LAYERS']);

function extensionOf(name: string): string {
  return (/\.([^./\\]+)$/.exec(name)?.[1] ?? '').toLowerCase();
}

/** Guesses the format of a file with an unknown extension from its first bytes. */
async function sniff(source: ByteSource): Promise<Format | null> {
  for await (const chunk of source.chunks()) {
    const head = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 512));
    if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
    if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3') return 'gpkg';
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('<')) return 'kml';
    if (text.startsWith('{') || text.startsWith('\x1e')) return 'geojson';
    return null;
  }
  return null;
}

/** Opens one non-shapefile source by format. */
async function openSingle(format: Format, source: ByteSource, options: ReadOptions): Promise<SourceLayer[]> {
  switch (format) {
    case 'gpkg':
      return openGeoPackage(source, options);
    case 'geojson':
      return [await openGeoJsonLayer(source, options)];
    case 'csv':
      return [await openCsvLayer(source, options)];
    case 'kml':
      return [await openKmlLayer(source, options)];
    default:
      throw new ReaderError('UNSUPPORTED_FORMAT', source.path);
  }
}

/** The .shp and its siblings in the same folder, matched case-insensitively. */
async function shapefileSiblings(filePath: string, displayPath: string, maxBytes: number): Promise<ShapefileParts> {
  const dir = path.dirname(filePath);
  const stem = path.basename(filePath).replace(/\.[^.]+$/, '').toLowerCase();
  const names = await readdir(dir).catch(() => [] as string[]);
  const sources: ByteSource[] = [];
  for (const name of names) {
    if (name.replace(/\.[^.]+$/, '').toLowerCase() !== stem) continue;
    const full = path.join(dir, name);
    sources.push(await fileSource(full, maxBytes, path.join(path.dirname(displayPath), name)));
  }
  return groupShapefileParts(sources)[0] ?? { layer: path.basename(filePath).replace(/\.[^.]+$/, '') };
}

/** Opens every layer of a zip (or only options.layer: base name or member path). */
async function openZip(filePath: string, displayPath: string, options: ReadOptions, kmz: boolean): Promise<SourceLayer[]> {
  const limits = resolveLimits(options);
  const listing = await listZip(filePath, displayPath, limits);
  const members = listing.members;
  if (kmz) {
    const kml = members.find((m) => /^doc\.kml$/i.test(m.name)) ?? members.find((m) => extensionOf(m.name) === 'kml');
    if (!kml) throw new ReaderError('KMZ_NO_KML', displayPath);
    const layer = await openKmlLayer(kml, options, kml.path);
    layer.notes.unshift(...listing.notes);
    return [layer];
  }
  const groups = groupShapefileParts(members);
  const others = members.filter((m) => {
    const format = BY_EXTENSION[extensionOf(m.name)];
    return format !== undefined && format !== 'shapefile' && format !== 'zip';
  });
  const ignored = members.filter((m) => {
    const ext = extensionOf(m.name);
    return BY_EXTENSION[ext] === undefined && !SHAPEFILE_SIDECARS.has(ext);
  });
  const withShp = groups.filter((g) => g.shp);
  const orphans = groups.filter((g) => !g.shp && g.dbf);
  if (withShp.length === 0 && others.length === 0) {
    if (orphans[0]) throw new ReaderError('SHP_MISSING', orphans[0].dbf?.path ?? displayPath);
    throw new ReaderError('ZIP_NO_LAYERS', displayPath);
  }
  const wanted = options.layer?.toLowerCase();
  const matches = (layerName: string, memberPath: string) =>
    wanted === undefined || layerName.toLowerCase() === wanted || memberPath.toLowerCase().endsWith(`!/${wanted}`);
  const archiveNotes: ReaderNote[] = [...listing.notes];
  const skipped: ReaderError[] = [];
  const skip = (member: string, error: ReaderError) => {
    skipped.push(error);
    archiveNotes.push({ code: 'ZIP_MEMBER_SKIPPED', message: formatReaderMessage('ZIP_MEMBER_SKIPPED', { member, reason: error.message }) });
  };
  const layers: SourceLayer[] = [];
  // Shapefiles are what bureaus send: their errors (CRS, corrupt files) stop the import.
  for (const group of withShp) {
    if (matches(group.layer, group.shp?.path ?? '')) layers.push(await openShapefileLayer(group, options));
  }
  for (const member of others) {
    const format = BY_EXTENSION[extensionOf(member.name)] as Format;
    const memberMatches = matches(member.name.replace(/\.[^.]+$/, ''), member.path);
    try {
      if (format === 'gpkg' && !memberMatches) {
        // The wanted name may be a table inside the GeoPackage.
        layers.push(...(await openGeoPackage(member, options)));
      } else if (memberMatches) {
        layers.push(...(await openSingle(format, member, { ...options, layer: undefined })));
      }
    } catch (error) {
      if (error instanceof ReaderError && error.code === 'LAYER_NOT_FOUND' && format === 'gpkg') continue;
      // Attribute tables, metadata .json and the like travel beside shapefiles: not layers, not fatal.
      if (error instanceof ReaderError && NOT_A_LAYER.has(error.code) && wanted === undefined) {
        skip(member.path, error);
        continue;
      }
      throw error;
    }
  }
  if (layers.length === 0) {
    if (wanted !== undefined) {
      const available = [...withShp.map((g) => g.layer), ...others.map((m) => m.name)].join(', ');
      throw new ReaderError('LAYER_NOT_FOUND', displayPath, { layer: options.layer, layers: available });
    }
    throw skipped[0] ?? new ReaderError('ZIP_NO_LAYERS', displayPath);
  }
  for (const orphan of orphans) if (orphan.dbf) skip(orphan.dbf.path, new ReaderError('SHP_MISSING', orphan.dbf.path));
  if (ignored.length) {
    const names = ignored.slice(0, 5).map((m) => m.name).join(', ') + (ignored.length > 5 ? ', …' : '');
    archiveNotes.push({ code: 'ZIP_ENTRIES_IGNORED', message: formatReaderMessage('ZIP_ENTRIES_IGNORED', { count: ignored.length, names }), count: ignored.length });
  }
  for (const layer of layers) layer.notes.unshift(...archiveNotes);
  return layers;
}

/**
 * Opens a survey file and returns its layers (features not read yet). Formats: .shp (with
 * siblings), .zip (shapefiles and other vector files inside, nested folders, GBK names), .gpkg,
 * .geojson/.json, .geojsonl/.ndjson/.geojsons, .csv/.tsv, .kml, .kmz; unknown extensions are sniffed.
 * Throws ReaderError (code, file, message in English and Chinese) when the file cannot be read.
 */
export async function openSource(filePath: string, options: ReadOptions = {}): Promise<SourceLayer[]> {
  const limits = resolveLimits(options);
  const source = await fileSource(filePath, limits.maxFileBytes);
  let format: Format | null = BY_EXTENSION[extensionOf(filePath)] ?? null;
  if (format === null) format = await sniff(source);
  if (format === null) throw new ReaderError('UNSUPPORTED_FORMAT', filePath);
  if (format === 'zip' || format === 'kmz') return openZip(filePath, filePath, options, format === 'kmz');
  if (format === 'shapefile') {
    const parts = await shapefileSiblings(filePath, filePath, limits.maxFileBytes);
    if (options.layer !== undefined && options.layer.toLowerCase() !== parts.layer.toLowerCase()) {
      throw new ReaderError('LAYER_NOT_FOUND', filePath, { layer: options.layer, layers: parts.layer });
    }
    return [await openShapefileLayer(parts, options)];
  }
  return openSingle(format, source, options);
}
