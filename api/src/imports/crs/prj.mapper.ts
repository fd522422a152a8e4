/**
 * Maps a .prj / CRS WKT (Esri WKT1, GDAL WKT1 with AUTHORITY, WKT2) to an EPSG code.
 *
 * An AUTHORITY/ID naming EPSG wins. Otherwise the CRS is identified by what defines it — datum
 * (name, checked against its ellipsoid), projection method, central meridian, false easting, scale —
 * never by the PROJCS name alone. The name only breaks the one true tie: a 6° CM zone (FE 500000)
 * has the same parameters as the 3° CM zone on that meridian (e.g. EPSG:4502 ≡ EPSG:4534).
 */
import { DATUMS, type DatumId, describeEpsg, gaussKrugerEpsg } from './crs.catalog.ts';
import {
  WktSyntaxError, child, children, descendant, isNode, nameOf, normalizeName, numberArg, parseWkt, type WktNode,
} from './wkt.parser.ts';

/** Result of mapping: an EPSG code with a human-readable reason, or why not. */
export type PrjMatch =
  | { kind: 'epsg'; epsg: number; detail: string }
  | { kind: 'unrecognized'; reason: string }
  | { kind: 'invalid'; reason: string };

const PROJECTED = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'];
const GEOGRAPHIC = ['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'GEODETICCRS', 'BASEGEOGCRS', 'BASEGEODCRS'];
const TOLERANCE = 1e-7;

function near(a: number | undefined, b: number, tol = TOLERANCE): boolean {
  return a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

/** EPSG code from AUTHORITY["EPSG","n"] (WKT1) or ID["EPSG",n] (WKT2) directly under `node`. */
function authorityCode(node: WktNode): number | null {
  for (const auth of children(node, 'AUTHORITY', 'ID')) {
    const [org, code] = auth.args;
    if (typeof org === 'string' && org.toUpperCase() === 'EPSG') {
      const n = Number(code);
      if (Number.isInteger(n) && n > 0) return n;
    }
  }
  return null;
}

/** Datum of a geographic CRS node, by datum name confirmed by the ellipsoid; null when unknown. */
function identifyDatum(geog: WktNode): { id: DatumId; name: string } | { id: null; name: string } {
  const datum = child(geog, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE');
  const name = nameOf(datum);
  const spheroid = datum ? child(datum, 'SPHEROID', 'ELLIPSOID') : undefined;
  const a = numberArg(spheroid, 1);
  const rf = numberArg(spheroid, 2);
  const n = normalizeName(name);
  const ellipsoidIs = (id: DatumId) => near(a, DATUMS[id].a, 1e-9) && near(rf, DATUMS[id].rf, 1e-9);
  let id: DatumId | null = null;
  if (n.includes('newbeijing')) id = null; // "New Beijing" (EPSG:4555) is another datum
  else if (/china2000|cgcs2000|chinageodeticcoordinatesystem2000/.test(n)) id = 'CGCS2000';
  else if (/xian1980|xian80/.test(n)) id = 'XIAN1980';
  else if (/beijing1954|beijing54/.test(n)) id = 'BEIJING1954';
  else if (/wgs1984|wgs84|worldgeodeticsystem1984/.test(n)) id = 'WGS84';
  else if (ellipsoidIs('XIAN1980')) id = 'XIAN1980'; // the IAG-75 ellipsoid is used by Xian 1980 only
  if (id && !ellipsoidIs(id)) return { id: null, name: `${name} (ellipsoid ${a}/${rf} does not match)` };
  if (id) {
    const primem = child(geog, 'PRIMEM', 'PRIMEMERIDIAN');
    if (primem && !near(numberArg(primem, 1) ?? 0, 0)) return { id: null, name: `${name} (prime meridian not Greenwich)` };
  }
  return id ? { id, name } : { id: null, name };
}

/** Projection parameters by normalized name (WKT1 PARAMETER under PROJCS, WKT2 under CONVERSION). */
function parameters(projcs: WktNode): Map<string, number> {
  const holder = child(projcs, 'CONVERSION', 'DERIVINGCONVERSION') ?? projcs;
  const out = new Map<string, number>();
  for (const p of children(holder, 'PARAMETER')) {
    const value = numberArg(p, 1);
    if (value !== undefined) out.set(normalizeName(nameOf(p)), value);
  }
  return out;
}

function param(params: Map<string, number>, fallback: number, ...names: string[]): number {
  for (const name of names) {
    const v = params.get(name);
    if (v !== undefined) return v;
  }
  return fallback;
}

function methodName(projcs: WktNode): string {
  const projection = child(projcs, 'PROJECTION');
  if (projection) return normalizeName(nameOf(projection));
  const conversion = child(projcs, 'CONVERSION', 'DERIVINGCONVERSION');
  return normalizeName(nameOf(conversion ? child(conversion, 'METHOD', 'PROJECTION') : undefined));
}

/** Linear unit factor in metres of a projected CRS (1 when not stated). */
function linearUnit(projcs: WktNode): number {
  const unit = child(projcs, 'UNIT', 'LENGTHUNIT');
  if (unit) return numberArg(unit, 1) ?? 1;
  for (const axis of children(projcs, 'AXIS')) {
    const axisUnit = child(axis, 'LENGTHUNIT', 'UNIT');
    if (axisUnit) return numberArg(axisUnit, 1) ?? 1;
  }
  return 1;
}

/** 3° or 6° for a CM-style (FE 500000) zone whose meridian fits both; decided by the name. */
function cmZoneWidth(name: string, centralMeridian: number): { width: 3 | 6; ambiguous: boolean } {
  if (centralMeridian % 6 !== 3) return { width: 3, ambiguous: false };
  if (/3degree|3deg/.test(normalizeName(name))) return { width: 3, ambiguous: false };
  // Esri and EPSG name 6° CM zones "…_GK_CM_117E" / "… Gauss-Kruger CM 117E" and 3° ones "…3_Degree…".
  if (/(^|[^a-z])gk([^a-z]|$)|gauss/i.test(name)) return { width: 6, ambiguous: false };
  return { width: 3, ambiguous: true };
}

function mapProjected(projcs: WktNode): PrjMatch {
  const geog = child(projcs, ...GEOGRAPHIC);
  if (!geog) return { kind: 'unrecognized', reason: 'no geographic CRS inside the projected CRS' };
  const datum = identifyDatum(geog);
  const method = methodName(projcs);
  const params = parameters(projcs);
  const unit = linearUnit(projcs);
  if (!near(unit, 1, 1e-9)) return { kind: 'unrecognized', reason: `linear unit is not the metre (${unit})` };
  const cm = param(params, 0, 'centralmeridian', 'longitudeofnaturalorigin', 'longitudeofcenter', 'longitudeoforigin');
  const fe = param(params, 0, 'falseeasting', 'eastingatfalseorigin');
  const fn = param(params, 0, 'falsenorthing', 'northingatfalseorigin');
  const k = param(params, 1, 'scalefactor', 'scalefactoratnaturalorigin');
  const lat0 = param(params, 0, 'latitudeoforigin', 'latitudeofnaturalorigin', 'latitudeofcenter');
  const projName = nameOf(projcs);
  const paramText = `datum ${datum.name}, CM ${cm}, FE ${fe}, FN ${fn}, k ${k}`;
  if (!datum.id) return { kind: 'unrecognized', reason: `datum not recognised: ${datum.name}` };

  if (/pseudomercator|mercatorauxiliarysphere/.test(method) && datum.id === 'WGS84') {
    return { kind: 'epsg', epsg: 3857, detail: `Web Mercator (${paramText})` };
  }
  const isTm = /^(transversemercator|gausskruger|gausskrueger|gaussschreibertransversemercator|tmerc)$/.test(method);
  if (!isTm) return { kind: 'unrecognized', reason: `projection ${method || 'missing'} is not Transverse Mercator / Gauss-Kruger` };
  if (!near(lat0, 0)) return { kind: 'unrecognized', reason: `latitude of origin ${lat0} is not 0` };

  if (datum.id === 'WGS84') {
    const zone = (cm + 183) / 6;
    if (near(k, 0.9996) && near(fe, 500000) && Number.isInteger(zone) && zone >= 1 && zone <= 60 && (near(fn, 0) || near(fn, 1e7))) {
      const epsg = (near(fn, 0) ? 32600 : 32700) + zone;
      return { kind: 'epsg', epsg, detail: `WGS 84 UTM zone ${zone} (${paramText})` };
    }
    return { kind: 'unrecognized', reason: `WGS 84 transverse Mercator that is not UTM (${paramText})` };
  }
  if (!near(k, 1) || !near(fn, 0)) return { kind: 'unrecognized', reason: `not a Chinese Gauss-Kruger zone (${paramText})` };
  const cmRounded = Math.round(cm);
  if (!near(cm, cmRounded, 1e-9)) return { kind: 'unrecognized', reason: `central meridian ${cm} is not a zone meridian` };

  let epsg: number | null = null;
  let ambiguity = '';
  if (near(fe, 500000)) {
    const { width, ambiguous } = cmZoneWidth(projName, cmRounded);
    epsg = gaussKrugerEpsg(datum.id, width, cmRounded, false);
    if (ambiguous) ambiguity = '; same parameters as the 6° CM zone, taken as 3°';
  } else {
    const zone = (fe - 500000) / 1e6;
    if (Number.isInteger(zone)) {
      if (zone * 3 === cmRounded) epsg = gaussKrugerEpsg(datum.id, 3, cmRounded, true);
      else if (zone * 6 - 3 === cmRounded) epsg = gaussKrugerEpsg(datum.id, 6, cmRounded, true);
    }
  }
  if (epsg === null) return { kind: 'unrecognized', reason: `false easting and central meridian match no Gauss-Kruger zone (${paramText})` };
  const desc = describeEpsg(epsg);
  return { kind: 'epsg', epsg, detail: `${desc?.name ?? `EPSG:${epsg}`} (${paramText}${ambiguity})` };
}

function mapGeographic(geog: WktNode): PrjMatch {
  const datum = identifyDatum(geog);
  if (!datum.id) return { kind: 'unrecognized', reason: `datum not recognised: ${datum.name}` };
  const unit = child(geog, 'UNIT', 'ANGLEUNIT') ?? descendant(geog, 'ANGLEUNIT');
  const factor = numberArg(unit, 1);
  if (factor !== undefined && !near(factor, Math.PI / 180, 1e-9)) return { kind: 'unrecognized', reason: `angular unit is not the degree (${factor})` };
  const epsg = DATUMS[datum.id].geographicEpsg;
  return { kind: 'epsg', epsg, detail: `${DATUMS[datum.id].label} geographic (datum ${datum.name})` };
}

/** Unwraps BOUNDCRS / COMPD_CS / COMPOUNDCRS to the horizontal CRS. */
function horizontal(node: WktNode): WktNode {
  if (node.keyword === 'BOUNDCRS') {
    const source = child(node, 'SOURCECRS');
    const inner = source?.args.find(isNode);
    return inner ? horizontal(inner) : node;
  }
  if (node.keyword === 'COMPD_CS' || node.keyword === 'COMPOUNDCRS') {
    const inner = node.args.find((a): a is WktNode => isNode(a) && [...PROJECTED, ...GEOGRAPHIC].includes(a.keyword));
    return inner ?? node;
  }
  return node;
}

/**
 * Maps CRS WKT text to an EPSG code. `invalid` = not WKT at all (e.g. an HTML page in a .prj);
 * `unrecognized` = a CRS this code cannot name (the caller asks the user for --srs).
 */
export function mapWktToEpsg(text: string): PrjMatch {
  let root: WktNode;
  try {
    root = parseWkt(text.trim());
  } catch (error) {
    const reason = error instanceof WktSyntaxError ? error.message : String(error);
    return { kind: 'invalid', reason: `not WKT: ${reason}` };
  }
  const crs = horizontal(root);
  const isProjected = PROJECTED.includes(crs.keyword);
  const isGeographic = GEOGRAPHIC.includes(crs.keyword);
  if (!isProjected && !isGeographic) return { kind: 'unrecognized', reason: `${crs.keyword} is not a projected or geographic CRS` };
  const authority = authorityCode(crs);
  if (authority !== null) {
    const desc = describeEpsg(authority);
    return { kind: 'epsg', epsg: authority, detail: `AUTHORITY EPSG:${authority}${desc ? ` (${desc.name})` : ''}` };
  }
  return isProjected ? mapProjected(crs) : mapGeographic(crs);
}
