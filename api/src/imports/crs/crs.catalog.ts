/**
 * The coordinate systems LandWatch understands, computed (not listed) from the EPSG numbering of the
 * Chinese Gauss-Krüger families, plus the proj4 definitions generated for them.
 *
 * Verified against PROJ 9.1's EPSG database (projinfo) — see tests/unit/imports/crs-catalog.test.ts:
 *   CGCS2000   6° zones 13–23 → 4491–4501 (FE zone·10⁶+500000), 6° CM 75E–135E → 4502–4512,
 *              3° zones 25–45 → 4513–4533 (FE zone·10⁶+500000), 3° CM 75E–135E → 4534–4554
 *   Xian 1980  6° zones 2327–2337, 6° CM 2338–2348, 3° zones 2349–2369, 3° CM 2370–2390
 *   Beijing 54 6° zones 21413–21423, 6° CM 21453–21463 (21473–21483 are the deprecated duplicates),
 *              3° zones 2401–2421, 3° CM 2422–2442
 * Central meridian: 3° zone n → 3n; 6° zone n → 6n−3. All: lat_0 0, k 1, FN 0.
 */

/** Geodetic datums handled here. */
export type DatumId = 'CGCS2000' | 'XIAN1980' | 'BEIJING1954' | 'WGS84';

/** Datum facts: ellipsoid (a in metres, inverse flattening) and its geographic EPSG code. */
export interface DatumInfo {
  id: DatumId;
  label: string;
  a: number;
  rf: number;
  geographicEpsg: number;
  /** proj4 ellipsoid parameters. */
  proj4Ellipsoid: string;
  /** True for datums that need a TOWGS84 (Bursa-Wolf) shift to reach CGCS2000. */
  legacy: boolean;
}

/** The datums, by id. Xian 1980 uses the IAG-75 ellipsoid (PROJ's IAU76). */
export const DATUMS: Record<DatumId, DatumInfo> = {
  CGCS2000: { id: 'CGCS2000', label: 'CGCS2000', a: 6378137, rf: 298.257222101, geographicEpsg: 4490, proj4Ellipsoid: '+ellps=GRS80', legacy: false },
  XIAN1980: { id: 'XIAN1980', label: 'Xian 1980', a: 6378140, rf: 298.257, geographicEpsg: 4610, proj4Ellipsoid: '+a=6378140 +rf=298.257', legacy: true },
  BEIJING1954: { id: 'BEIJING1954', label: 'Beijing 1954', a: 6378245, rf: 298.3, geographicEpsg: 4214, proj4Ellipsoid: '+ellps=krass', legacy: true },
  WGS84: { id: 'WGS84', label: 'WGS 84', a: 6378137, rf: 298.257223563, geographicEpsg: 4326, proj4Ellipsoid: '+ellps=WGS84', legacy: false },
};

/** First EPSG code of each Gauss-Krüger block, per datum. */
const GK_BLOCKS: Record<Exclude<DatumId, 'WGS84'>, { zone6: number; cm6: number; zone3: number; cm3: number }> = {
  CGCS2000: { zone6: 4491, cm6: 4502, zone3: 4513, cm3: 4534 },
  XIAN1980: { zone6: 2327, cm6: 2338, zone3: 2349, cm3: 2370 },
  BEIJING1954: { zone6: 21413, cm6: 21453, zone3: 2401, cm3: 2422 },
};
/** Deprecated Beijing 1954 6° CM duplicates (EPSG:21473–21483 "Gauss-Kruger 13N…23N"). */
const BEIJING_6_CM_DEPRECATED = 21473;

/** A CRS described by its parameters. */
export interface CrsDescription {
  epsg: number;
  datum: DatumId;
  kind: 'geographic' | 'gauss-kruger' | 'utm' | 'web-mercator';
  /** Degrees east (Gauss-Krüger, UTM). */
  centralMeridian?: number;
  /** Metres (Gauss-Krüger, UTM). */
  falseEasting?: number;
  falseNorthing?: number;
  scale?: number;
  /** Gauss-Krüger zone width in degrees, zone number, and whether eastings carry the zone prefix. */
  zoneWidth?: 3 | 6;
  zone?: number;
  zonePrefixed?: boolean;
  /** Human-readable name, e.g. 'CGCS2000 3° GK zone 38'. */
  name: string;
}

const ZONE_RANGE = { 3: [25, 45], 6: [13, 23] } as const;

/** Zone number of a central meridian (3° zone n → 3n; 6° zone n → 6n−3), or null when not one. */
export function zoneOfMeridian(width: 3 | 6, centralMeridian: number): number | null {
  const zone = width === 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6;
  const [lo, hi] = ZONE_RANGE[width];
  return Number.isInteger(zone) && zone >= lo && zone <= hi ? zone : null;
}

/** Central meridian (degrees) of a zone. */
export function meridianOfZone(width: 3 | 6, zone: number): number {
  return width === 3 ? 3 * zone : 6 * zone - 3;
}

/**
 * EPSG code of a Gauss-Krüger CRS, or null when the combination has none (e.g. a central meridian
 * outside 75E–135E). `zonePrefixed`: false easting = zone·10⁶ + 500000 rather than 500000.
 */
export function gaussKrugerEpsg(datum: DatumId, width: 3 | 6, centralMeridian: number, zonePrefixed: boolean): number | null {
  if (datum === 'WGS84') return null;
  const zone = zoneOfMeridian(width, centralMeridian);
  if (zone === null) return null;
  const block = GK_BLOCKS[datum];
  const first = ZONE_RANGE[width][0];
  if (width === 3) return (zonePrefixed ? block.zone3 : block.cm3) + zone - first;
  return (zonePrefixed ? block.zone6 : block.cm6) + zone - first;
}

function gkName(datum: DatumId, width: 3 | 6, zone: number, prefixed: boolean): string {
  const cm = meridianOfZone(width, zone);
  return `${DATUMS[datum].label} ${width}° GK ${prefixed ? `zone ${zone}` : `CM ${cm}E`}`;
}

function gk(epsg: number, datum: DatumId, width: 3 | 6, zone: number, prefixed: boolean): CrsDescription {
  const cm = meridianOfZone(width, zone);
  return {
    epsg, datum, kind: 'gauss-kruger', centralMeridian: cm, falseEasting: prefixed ? zone * 1e6 + 500000 : 500000,
    falseNorthing: 0, scale: 1, zoneWidth: width, zone, zonePrefixed: prefixed, name: gkName(datum, width, zone, prefixed),
  };
}

/** Describes an EPSG code this module handles, or null for any other code. */
export function describeEpsg(epsg: number): CrsDescription | null {
  for (const datum of Object.values(DATUMS)) {
    if (datum.geographicEpsg === epsg) return { epsg, datum: datum.id, kind: 'geographic', name: `${datum.label} geographic` };
  }
  for (const [datum, block] of Object.entries(GK_BLOCKS) as [Exclude<DatumId, 'WGS84'>, (typeof GK_BLOCKS)['CGCS2000']][]) {
    const ranges: [number, 3 | 6, boolean][] = [[block.zone6, 6, true], [block.cm6, 6, false], [block.zone3, 3, true], [block.cm3, 3, false]];
    if (datum === 'BEIJING1954') ranges.push([BEIJING_6_CM_DEPRECATED, 6, false]);
    for (const [first, width, prefixed] of ranges) {
      const [lo, hi] = ZONE_RANGE[width];
      if (epsg >= first && epsg <= first + hi - lo) return gk(epsg, datum, width, lo + epsg - first, prefixed);
    }
  }
  if (epsg === 3857) return { epsg, datum: 'WGS84', kind: 'web-mercator', name: 'WGS 84 / Pseudo-Mercator' };
  if ((epsg > 32600 && epsg <= 32660) || (epsg > 32700 && epsg <= 32760)) {
    const zone = epsg % 100;
    const south = epsg > 32700;
    return {
      epsg, datum: 'WGS84', kind: 'utm', centralMeridian: zone * 6 - 183, falseEasting: 500000, falseNorthing: south ? 10_000_000 : 0,
      scale: 0.9996, zone, name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
    };
  }
  return null;
}

/**
 * proj4 definition of a described CRS. `towgs84` (3 or 7 values, PROJ convention: metres,
 * arc-seconds, ppm; position vector) is added for legacy datums only.
 */
export function proj4Definition(desc: CrsDescription, towgs84?: readonly number[]): string {
  const datum = DATUMS[desc.datum];
  const shift = towgs84 && datum.legacy ? ` +towgs84=${towgs84.join(',')}` : '';
  switch (desc.kind) {
    case 'geographic':
      return `+proj=longlat ${datum.proj4Ellipsoid}${shift} +no_defs`;
    case 'web-mercator':
      return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs';
    case 'utm':
    case 'gauss-kruger':
      return `+proj=tmerc +lat_0=0 +lon_0=${desc.centralMeridian} +k=${desc.scale} +x_0=${desc.falseEasting} +y_0=${desc.falseNorthing} ${datum.proj4Ellipsoid}${shift} +units=m +no_defs`;
  }
}
