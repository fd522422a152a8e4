import type { Writable } from 'node:stream';
import { EXPORT_COLUMNS, textValue } from '../export-columns.ts';
import { LABELS } from '../export-messages.ts';
import type { ExportRecord } from '../exports.types.ts';
import { endStream, writeChunk, type FormatWriter, type WriterContext } from './format-writer.ts';

// Characters XML 1.0 forbids; delivered attribute text occasionally carries them.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Wraps text in CDATA; a `]]>` inside is split across two sections so it cannot end the first early. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(XML_FORBIDDEN, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

// KML colours are aabbggrr: red, orange and yellow outlines by severity, translucent fills.
const STYLES: Record<string, [string, string]> = {
  serious: ['ff0000ff', '550000ff'],
  general: ['ff0080ff', '550080ff'],
  light: ['ff00ffff', '5500ffff'],
  none: ['ff888888', '55888888'],
};

function styles(): string {
  return Object.entries(STYLES)
    .map(([id, [line, fill]]) => `<Style id="sev-${id}"><LineStyle><color>${line}</color><width>2</width></LineStyle><PolyStyle><color>${fill}</color></PolyStyle></Style>`)
    .join('\n');
}

type Ring = number[][];

function ringText(ring: Ring): string {
  return ring.map((p) => `${p[0]},${p[1]}`).join(' ');
}

/** KML geometry for GeoJSON Polygon/MultiPolygon text (lon/lat); '' when absent. */
export function kmlGeometry(geojson: string | null): string {
  if (!geojson) return '';
  const g = JSON.parse(geojson) as { type: string; coordinates: unknown };
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as Ring[][];
  const body = polygons
    .map((rings) => {
      const [outer, ...holes] = rings;
      if (!outer) return '';
      const inner = holes.map((h) => `<innerBoundaryIs><LinearRing><coordinates>${ringText(h)}</coordinates></LinearRing></innerBoundaryIs>`).join('');
      return `<Polygon><outerBoundaryIs><LinearRing><coordinates>${ringText(outer)}</coordinates></LinearRing></outerBoundaryIs>${inner}</Polygon>`;
    })
    .join('');
  return `<MultiGeometry>${body}</MultiGeometry>`;
}

// The balloon shows what a field team needs on site; every field is in the SchemaData anyway.
const BALLOON_KEYS = new Set<keyof ExportRecord>([
  'id', 'sourceId', 'districtCode', 'countyName', 'townshipName', 'villageName', 'subjectKindName', 'epoch', 'newOrStock',
  'areaM2', 'areaMu', 'farmlandMu', 'cultivatedMu', 'passageMu', 'redlineMu', 'ruleNamesText', 'severityName',
  'dispositionText', 'statusName', 'rulesetVersion', 'analysedAt',
]);
const BALLOON_COLUMNS = EXPORT_COLUMNS.filter((c) => BALLOON_KEYS.has(c.key));
const OVERLAP_KEYS = new Set<keyof ExportRecord>(['farmlandMu', 'cultivatedMu', 'passageMu', 'redlineMu']);

/** The HTML balloon of one suspect: a two-column table in Chinese (overlaps only where there are some). */
export function kmlDescription(r: ExportRecord): string {
  const rows = BALLOON_COLUMNS.filter((c) => !OVERLAP_KEYS.has(c.key) || (r[c.key] as number) > 0)
    .map((c) => `<tr><th align="left">${xmlEscape(c.zh)}</th><td>${xmlEscape(textValue(c, r))}</td></tr>`)
    .join('');
  return `<h3>${xmlEscape(LABELS.title)} ${r.id}</h3><table border="1" cellspacing="0" cellpadding="3">${rows}</table>`;
}

const SCHEMA_TYPES = { int: 'int', number: 'double', text: 'string', date: 'string', datetime: 'string' } as const;

/** The typed field list (KML 2.2 Schema): Chinese display names once per file, not per placemark. */
function schema(): string {
  const fields = EXPORT_COLUMNS.map((c) => `<SimpleField type="${SCHEMA_TYPES[c.type]}" name="${c.key}"><displayName>${xmlEscape(c.zh)}</displayName></SimpleField>`);
  return `<Schema name="suspect" id="suspect">${fields.join('')}</Schema>`;
}

/** One Placemark: Chinese name, HTML description, severity style, every field as SchemaData. */
export function kmlPlacemark(r: ExportRecord): string {
  const name = `${r.sourceId ?? r.id} ${r.ruleNamesText}`.trim();
  const data = EXPORT_COLUMNS.map((c) => `<SimpleData name="${c.key}">${xmlEscape(textValue(c, r))}</SimpleData>`).join('');
  return (
    `<Placemark id="suspect-${r.id}"><name>${xmlEscape(name)}</name>` +
    `<description>${cdata(kmlDescription(r))}</description>` +
    `<styleUrl>#sev-${r.severity && r.severity in STYLES ? r.severity : 'none'}</styleUrl>` +
    `<ExtendedData><SchemaData schemaUrl="#suspect">${data}</SchemaData></ExtendedData>${kmlGeometry(r.geometry)}</Placemark>\n`
  );
}

function folderName(r: ExportRecord): string {
  if (!r.districtCode) return LABELS.noDistrict;
  return `${r.villageName ?? r.districtName ?? r.districtCode}（${r.districtCode}）`;
}

/**
 * KML 2.2 for Google Earth-like tools and field apps: one Folder per district (rows arrive in
 * district order), placemarks styled by severity. Coordinates are lon/lat as KML requires.
 */
export function createKmlWriter(out: Writable, ctx: WriterContext): FormatWriter {
  let started = false;
  let folder: string | null | undefined; // undefined = no folder open yet
  const head = () =>
    '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n' +
    `<name>${xmlEscape(ctx.title)}</name>\n${styles()}\n${schema()}\n`;
  return {
    async write(records) {
      let chunk = started ? '' : head();
      started = true;
      for (const r of records) {
        const code = r.districtCode ?? null;
        if (code !== folder) {
          if (folder !== undefined) chunk += '</Folder>\n';
          chunk += `<Folder><name>${xmlEscape(folderName(r))}</name>\n`;
          folder = code;
        }
        chunk += kmlPlacemark(r);
      }
      await writeChunk(out, chunk);
    },
    async finish() {
      let chunk = started ? '' : head();
      started = true;
      if (folder !== undefined) chunk += '</Folder>\n';
      await writeChunk(out, `${chunk}</Document>\n</kml>\n`);
      await endStream(out);
    },
    async abort() {
      out.destroy();
    },
  };
}
