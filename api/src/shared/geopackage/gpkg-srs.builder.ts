import { cgcs2000Gk3Params } from '../shapefile/esri-prj.builder.ts';

/** One row of gpkg_spatial_ref_sys. */
export interface GpkgSrs {
  /** srs_id used by layers (by convention the EPSG code). */
  readonly srsId: number;
  /** Human-readable name. */
  readonly srsName: string;
  /** Defining authority, e.g. 'EPSG'. */
  readonly organization: string;
  /** Code in that authority. */
  readonly organizationCoordsysId: number;
  /** OGC WKT1 definition (GDAL reads EPSG codes first and the WKT as a fallback). */
  readonly definition: string;
  readonly description?: string;
}

const GEOGCS_4490 =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],' +
  'AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],' +
  'AUTHORITY["EPSG","4490"]]';

/** EPSG:4490 (CGCS2000 geographic) as registered in a GeoPackage; coordinates lon, lat in degrees. */
export const GPKG_SRS_4490: GpkgSrs = {
  srsId: 4490,
  srsName: 'China Geodetic Coordinate System 2000',
  organization: 'EPSG',
  organizationCoordsysId: 4490,
  definition: GEOGCS_4490,
  description: 'CGCS2000 geographic 2D, longitude/latitude in degrees',
};

/** EPSG:4326 row required by the GeoPackage specification. */
export const GPKG_SRS_4326: GpkgSrs = {
  srsId: 4326,
  srsName: 'WGS 84 geodetic',
  organization: 'EPSG',
  organizationCoordsysId: 4326,
  definition:
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
    'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],' +
    'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
  description: 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
};

/**
 * gpkg_spatial_ref_sys row for a CGCS2000 3° Gauss-Krüger EPSG code (4513–4554), with the WKT1
 * GDAL writes for it (e.g. 4547 → "CGCS2000 / 3-degree Gauss-Kruger CM 114E"). Coordinates are
 * easting, northing in metres. Throws a RangeError for any other code.
 */
export function gpkgSrsForCgcs2000Gk3(epsg: number): GpkgSrs {
  const p = cgcs2000Gk3Params(epsg);
  if (!p) throw new RangeError(`EPSG:${epsg} is not a CGCS2000 3-degree Gauss-Kruger code (4513–4554)`);
  const name = p.zonePrefixed
    ? `CGCS2000 / 3-degree Gauss-Kruger zone ${p.zone}`
    : `CGCS2000 / 3-degree Gauss-Kruger CM ${p.centralMeridian}E`;
  const definition =
    `PROJCS["${name}",${GEOGCS_4490},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],` +
    `PARAMETER["central_meridian",${p.centralMeridian}],PARAMETER["scale_factor",1],PARAMETER["false_easting",${p.falseEasting}],` +
    `PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","${epsg}"]]`;
  return { srsId: epsg, srsName: name, organization: 'EPSG', organizationCoordsysId: epsg, definition };
}
