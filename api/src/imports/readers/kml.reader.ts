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

function parseKml(text: string, file: string): { doc: unknown; placemarks: XmlElement[]; all: XmlElement[] } {
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
  if (doc) unprefixKml(doc as unknown as DomElement);
  if (!doc || doc.getElementsByTagName('kml').length + doc.getElementsByTagName('Document').length + doc.getElementsByTagName('Placemark').length === 0) {
    throw new ReaderError('KML_INVALID', file, { reason: errors[0] ?? 'no <kml> element / 没有 kml 元素' });
  }
  // Non-conformant <MultiPolygon>/<MultiLineString>/<MultiPoint> (no such KML elements; GDAL reads
  // them, OSGeo/gdal#4031): read as the <MultiGeometry> they stand for.
  for (const tag of ['MultiPolygon', 'MultiLineString', 'MultiPoint']) {
    const found = doc.getElementsByTagName(tag);
    const nodes: XmlElement[] = [];
    for (let i = 0; i < found.length; i++) nodes.push(found.item(i) as XmlElement);
    for (const node of nodes) renameElement(node as unknown as DomElement, 'MultiGeometry');
  }
  const list = doc.getElementsByTagName('Placemark');
  const all: XmlElement[] = [];
  const placemarks: XmlElement[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = list.item(i);
    if (!p) continue;
    all.push(p);
    if (!insidePlacemark(p as unknown as DomElement)) placemarks.push(p);
  }
  return { doc, placemarks, all };
}

type DomElement = {
  parentNode: DomElement | null;
  nodeType: number;
  localName?: string | null;
  tagName?: string;
  namespaceURI?: string | null;
  prefix?: string | null;
  firstChild: DomElement | null;
  nextSibling: DomElement | null;
  attributes?: { length: number; item(i: number): { name: string; value: string; namespaceURI?: string | null } | null };
  setAttributeNS(ns: string | null, name: string, value: string): void;
  ownerDocument: { createElementNS(ns: string | null, name: string): DomElement };
  appendChild(c: DomElement): void;
  replaceChild(n: DomElement, o: DomElement): void;
};

/** A <Placemark> inside another Placemark (e.g. in its MultiGeometry) is no feature (GDAL skips it). */
function insidePlacemark(node: DomElement): boolean {
  for (let p = node.parentNode; p && p.nodeType === 1; p = p.parentNode) if ((p.localName ?? p.tagName) === 'Placemark') return true;
  return false;
}

/** Replaces an element by one named `name` (same namespace, attributes and children). */
function renameElement(node: DomElement, name: string): DomElement {
  const renamed = node.ownerDocument.createElementNS(node.namespaceURI ?? null, name);
  for (let i = 0; i < (node.attributes?.length ?? 0); i++) {
    const a = node.attributes?.item(i);
    if (a) renamed.setAttributeNS(a.namespaceURI ?? null, a.name, a.value);
  }
  while (node.firstChild) renamed.appendChild(node.firstChild);
  node.parentNode?.replaceChild(renamed, node);
  return renamed;
}

const KML_NAMESPACE = /^http:\/\/(www\.opengis\.net\/kml\/|earth\.google\.com\/kml\/)/;

/** `<kml:Placemark>` and the like (KML elements written with a prefix) → unprefixed names, as GDAL reads them. */
function unprefixKml(node: DomElement): void {
  const children: DomElement[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
  for (let child of children) {
    if (child.nodeType !== 1) continue;
    if (child.prefix && KML_NAMESPACE.test(child.namespaceURI ?? '')) child = renameElement(child, child.localName ?? '');
    unprefixKml(child);
  }
}

/** Opens KML text (already extracted from a KMZ where needed) as one layer. Throws ReaderError KML_INVALID. */
export async function openKmlLayer(source: ByteSource, options: ReadOptions = {}, displayFile = source.path): Promise<SourceLayer> {
  const limits = resolveLimits(options);
  const { text, encoding } = decodeXml(await readAll(source, limits.maxParseBytes));
  const { doc, placemarks, all } = parseKml(text, displayFile);
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
          // kmlGen yields one feature per Placemark element (nested ones too), in document order,
          // before any overlay; `all` lists the same elements, `placemarks` the real features.
          let index = 0;
          for (const feature of kmlGen(doc as Document, { skipNullGeometry: false })) {
            if (index >= all.length) break;
            const placemark = all[index++] as XmlElement;
            if (placemark !== placemarks[row]) continue;
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
