import type { RejectRow } from './datasets.repository.ts';

/** Quotes a CSV field (RFC 4180). */
function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The reject report as CSV (UTF-8 with BOM so Excel shows Chinese): row, source id, code, message. */
export function rejectsToCsv(rows: RejectRow[]): string {
  const lines = ['row_number,source_id,layer,code,message'];
  for (const r of rows) lines.push([r.row_number, r.source_id, r.layer, r.code, r.message].map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The reject report as a GeoJSON FeatureCollection (EPSG:4490 lon/lat); geometry null when unreadable. */
export function rejectsToGeoJson(rows: RejectRow[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: r.geometry ? (JSON.parse(r.geometry) as unknown) : null,
      properties: { row_number: r.row_number, source_id: r.source_id, layer: r.layer, code: r.code, message: r.message },
    })),
  });
}
