/**
 * KML (and KMZ, zipped KML) as one layer of Placemarks: geometry via @tmcw/togeojson, properties =
 * name, description and ExtendedData (Data and SchemaData/SimpleData). KML is WGS 84 lon/lat by
 * specification → EPSG:4490 with how 'kml-default'. Style-derived values are not attributes.
 */
import { DOMParser } from '@xmldom/xmldom';
import { kmlGen } from '@tmcw/togeojson';
import type { ReaderNote, ReadOptions, SourceFeature, SourceLayer, SrsResolution } from './reader.types.ts';
import { resolveLimits } from './reader-limits.ts';
import { ReaderError, reasonOf } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { readAll, type ByteSource } from './byte-source.ts';
import { collapseCollection, makeFeature, normalizeGeometry } from './geometry.util.ts';
import { checkSrsOption } from './srs.resolver.ts';
import { UTF8, canonicalEncoding, createDecoder } from '../encoding/encoding-names.ts';

type XmlElement = {
  tagName: string;
  localName?: string | null;
  childNodes: { length: number; item(i: number): unknown };
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): { length: number; item(i: number): XmlElement | null };
  textContent: string | null;
};

/** Decodes KML bytes by BOM or the XML declaration's encoding (default UTF-8). */
export function decodeXml(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'UTF-16BE' };
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(bytes.subarray(0, 256).toString('latin1'))?.[1];
  const encoding = (declared && canonicalEncoding(declared)) || UTF8;
  const text = encoding === UTF8 ? bytes.toString('utf8') : createDecoder(encoding)(bytes);
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}

function directChild(node: XmlElement, name: string): XmlElement | undefined {
  for (let i = 0; i < node.childNodes.length; i++) {
    const c = node.childNodes.item(i) as XmlElement;
    if (c && (c.localName ?? c.tagName) === name) return c;
  }
  return undefined;
}

function directChildText(node: XmlElement, name: string): string | undefined {
  const c = directChild(node, name);
  return c ? (c.textContent ?? '').trim() : undefined;
}

type XmlNode = { nodeType: number; data?: string; nodeName?: string; attributes?: { length: number; item(i: number): { name: string; value: string } | null }; childNodes?: XmlElement['childNodes'] };

/** Markup of a node without namespace declarations, elements always closed explicitly (as GDAL writes it). */
function markup(node: XmlNode): string {
  if (node.nodeType !== 1) return node.data ?? '';
  const attrs: string[] = [];
  for (let i = 0; i < (node.attributes?.length ?? 0); i++) {
    const a = node.attributes?.item(i);
    if (a && !a.name.startsWith('xmlns')) attrs.push(` ${a.name}="${a.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
  }
  let inner = '';
  for (let i = 0; i < (node.childNodes?.length ?? 0); i++) inner += markup(node.childNodes?.item(i) as XmlNode);
  return `<${node.nodeName}${attrs.join('')}>${inner}</${node.nodeName}>`;
}

/** A description's content: CDATA/text as is, inline XHTML markup kept (not flattened to text). */
function descriptionOf(placemark: XmlElement): string | undefined {
  const d = directChild(placemark, 'description');
  if (!d) return undefined;
  let out = '';
  for (let i = 0; i < d.childNodes.length; i++) out += markup(d.childNodes.item(i) as XmlNode);
  return out.trim();
}

/** ExtendedData names of a Placemark in document order (Data@name, SimpleData@name). */
function extendedDataNames(placemark: XmlElement): string[] {
  const names: string[] = [];
  for (const tag of ['Data', 'SimpleData']) {
    const list = placemark.getElementsByTagName(tag);
    for (let i = 0; i < list.length; i++) {
      const name = list.item(i)?.getAttribute('name');
      if (name) names.push(name);
    }
  }
  return names;
}

function parseKml(text: string, file: string): { doc: unknown; placemarks: XmlElement[] } {
  const errors: string[] = [];
  let doc: { getElementsByTagName(name: string): { length: number; item(i: number): XmlElement | null } } | undefined;
  try {
    doc = new DOMParser({
      onError: (level: string, message: string) => {
        if (level === 'fatalError') errors.push(message);
      },
    }).parseFromString(text, 'text/xml') as unknown as typeof doc;
  } catch (error) {
    throw new ReaderError('KML_INVALID', file, { reason: reasonOf(error) }, {}, error);
  }
  if (!doc || doc.getElementsByTagName('kml').length + doc.getElementsByTagName('Document').length + doc.getElementsByTagName('Placemark').length === 0) {
    throw new ReaderError('KML_INVALID', file, { reason: errors[0] ?? 'no <kml> element / 没有 kml 元素' });
  }
  const list = doc.getElementsByTagName('Placemark');
  const placemarks: XmlElement[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = list.item(i);
    if (p) placemarks.push(p);
  }
  return { doc, placemarks };
}

/** Opens KML text (already extracted from a KMZ where needed) as one layer. Throws ReaderError KML_INVALID. */
export async function openKmlLayer(source: ByteSource, options: ReadOptions = {}, displayFile = source.path): Promise<SourceLayer> {
  const limits = resolveLimits(options);
  const { text, encoding } = decodeXml(await readAll(source, limits.maxParseBytes));
  const { doc, placemarks } = parseKml(text, displayFile);
  const notes: ReaderNote[] = [];
  let srs: SrsResolution;
  if (options.srs !== undefined) {
    srs = { epsg: checkSrsOption(displayFile, options.srs), how: 'option' };
    notes.push({ code: 'SRS_OPTION', message: formatReaderMessage('SRS_OPTION', { epsg: srs.epsg }) });
  } else {
    srs = { epsg: 4490, how: 'kml-default', detail: 'KML is WGS 84 lon/lat' };
    notes.push({ code: 'KML_DEFAULT', message: formatReaderMessage('KML_DEFAULT') });
  }

  const extended = placemarks.map(extendedDataNames);
  const fieldSet = new Set<string>();
  placemarks.forEach((p, i) => {
    if (directChildText(p, 'name') !== undefined) fieldSet.add('name');
    if (directChildText(p, 'description') !== undefined) fieldSet.add('description');
    for (const n of extended[i] ?? []) fieldSet.add(n);
  });

  let consumed = false;
  return {
    file: displayFile,
    layer: source.name.replace(/\.[^.]+$/, ''),
    srs,
    encoding: { name: encoding, how: 'default' },
    fields: [...fieldSet],
    notes,
    features: () => {
      if (consumed) throw new Error(`features() of ${displayFile} can be iterated once`);
      consumed = true;
      return (async function* (): AsyncGenerator<SourceFeature> {
        let zCount = 0;
        let row = 0;
        try {
          // kmlGen yields one feature per Placemark, in document order, before any overlay.
          for (const feature of kmlGen(doc as Document, { skipNullGeometry: false })) {
            if (row >= placemarks.length) break;
            const placemark = placemarks[row] as XmlElement;
            row++;
            const tg = (feature.properties ?? {}) as Record<string, unknown>;
            const properties: Record<string, unknown> = {};
            const name = directChildText(placemark, 'name');
            if (name !== undefined) properties.name = name;
            const description = descriptionOf(placemark);
            if (description !== undefined) properties.description = description;
            for (const key of extended[row - 1] ?? []) properties[key] = tg[key] ?? null;
            const normalized = normalizeGeometry(feature.geometry);
            if (normalized.hadZ) zCount++;
            yield makeFeature(row, properties, collapseCollection(normalized.geometry), normalized.problem);
          }
        } finally {
          if (zCount) notes.push({ code: 'Z_DROPPED', message: formatReaderMessage('Z_DROPPED'), count: zCount });
        }
      })();
    },
  };
}
