/**
 * Esri-flavoured WKT1 for `.prj` files, byte for byte as ArcGIS (and PROJ's WKT1_ESRI output)
 * writes it for CGCS2000. Such files carry no EPSG code; GDAL identifies them (EPSG:4490,
 * EPSG:4513–4554) from the names and parameters.
 */

const GEOGCS_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** `.prj` text for EPSG:4490 (CGCS2000 geographic, lon/lat degrees). */
export const CGCS2000_ESRI_PRJ = GEOGCS_CGCS2000;

/** Parameters of a CGCS2000 3° Gauss-Krüger CRS. */
export interface Gk3Params {
  /** EPSG code, 4513–4554. */
  readonly epsg: number;
  /** 3° zone number 25–45 (central meridian = 3 × zone). */
  readonly zone: number;
  /** Central meridian, degrees east. */
  readonly centralMeridian: number;
  /** False easting in metres: zone × 10⁶ + 500000 for the zone-prefixed codes, else 500000. */
  readonly falseEasting: number;
  /** True for EPSG:4513–4533 (eastings carry the zone number, e.g. 38 500 000). */
  readonly zonePrefixed: boolean;
}

/**
 * Parameters for CGCS2000 3° GK EPSG codes: 4513–4533 are zones 25–45 with the zone prefix in the
 * false easting; 4534–4554 are the same meridians (75°E–135°E) with false easting 500000.
 * Returns null for any other code.
 */
export function cgcs2000Gk3Params(epsg: number): Gk3Params | null {
  if (!Number.isInteger(epsg)) return null;
  if (epsg >= 4513 && epsg <= 4533) {
    const zone = epsg - 4513 + 25;
    return { epsg, zone, centralMeridian: 3 * zone, falseEasting: zone * 1_000_000 + 500_000, zonePrefixed: true };
  }
  if (epsg >= 4534 && epsg <= 4554) {
    const zone = epsg - 4534 + 25;
    return { epsg, zone, centralMeridian: 3 * zone, falseEasting: 500_000, zonePrefixed: false };
  }
  return null;
}

/**
 * Esri `.prj` for a CGCS2000 3° GK EPSG code (4513–4554), e.g. 4547 →
 * `PROJCS["CGCS2000_3_Degree_GK_CM_114E",…]` and 4526 → `PROJCS["CGCS2000_3_Degree_GK_Zone_38",…]`
 * with False_Easting 38500000. Throws a RangeError for any other code.
 */
export function cgcs2000GkEsriPrj(epsg: number): string {
  const p = cgcs2000Gk3Params(epsg);
  if (!p) throw new RangeError(`EPSG:${epsg} is not a CGCS2000 3-degree Gauss-Kruger code (4513–4554)`);
  const name = p.zonePrefixed ? `CGCS2000_3_Degree_GK_Zone_${p.zone}` : `CGCS2000_3_Degree_GK_CM_${p.centralMeridian}E`;
  return (
    `PROJCS["${name}",${GEOGCS_CGCS2000},PROJECTION["Gauss_Kruger"],` +
    `PARAMETER["False_Easting",${p.falseEasting}.0],PARAMETER["False_Northing",0.0],` +
    `PARAMETER["Central_Meridian",${p.centralMeridian}.0],PARAMETER["Scale_Factor",1.0],` +
    `PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
  );
}

/** proj4 definition string for a CGCS2000 3° GK EPSG code (4513–4554); null for any other code. */
export function cgcs2000Gk3Proj4(epsg: number): string | null {
  const p = cgcs2000Gk3Params(epsg);
  // CGCS2000's ellipsoid has GRS80's a and 1/f, which is all a projection needs.
  return p ? `+proj=tmerc +lat_0=0 +lon_0=${p.centralMeridian} +k=1 +x_0=${p.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs` : null;
}
