import type { Writable } from 'node:stream';
import { geojsonProperties } from '../export-columns.ts';
import type { ExportRecord } from '../exports.types.ts';
import { endStream, writeChunk, type FormatWriter } from './format-writer.ts';

/**
 * One Feature as JSON text. The geometry text comes from PostGIS (ST_AsGeoJSON, exterior rings
 * counter-clockwise) and is spliced in unparsed; a suspect always has one, null is defensive.
 */
export function geojsonFeature(r: ExportRecord): string {
  return `{"type":"Feature","id":${r.id},"geometry":${r.geometry ?? 'null'},"properties":${JSON.stringify(geojsonProperties(r))}}`;
}

/**
 * GeoJSON per RFC 7946: a FeatureCollection in lon/lat (CGCS2000, which RFC 7946 readers take as
 * WGS 84 — the two agree to well under a metre), no `crs` member, one feature per line.
 */
export function createGeojsonWriter(out: Writable): FormatWriter {
  let count = 0;
  return {
    async write(records) {
      if (records.length === 0) return;
      let chunk = count === 0 ? '{"type":"FeatureCollection","features":[\n' : '';
      for (const r of records) chunk += (count++ === 0 ? '' : ',\n') + geojsonFeature(r);
      if (chunk) await writeChunk(out, chunk);
    },
    async finish() {
      await writeChunk(out, count === 0 ? '{"type":"FeatureCollection","features":[]}\n' : '\n]}\n');
      await endStream(out);
    },
    async abort() {
      out.destroy();
    },
  };
}
