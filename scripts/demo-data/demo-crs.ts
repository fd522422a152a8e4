/**
 * Coordinates of the demo district. The generator works in local metres; files carry EPSG:4547
 * (CGCS2000 3° GK CM 114E, false easting 500000) or EPSG:4490 lon/lat.
 */
import proj4 from 'proj4';
import { cgcs2000Gk3Proj4 } from '../../api/src/shared/shapefile/esri-prj.builder.ts';
import type { MPoly, Pt } from './demo-geometry.ts';

/** EPSG:4547 easting of local x = 0 (≈ 114.03°E). */
export const GK_X0 = 503_000;
/** EPSG:4547 northing of local y = 0 (≈ 22.90°N). */
export const GK_Y0 = 2_533_000;

const GK_4547 = cgcs2000Gk3Proj4(4547) as string;
// CGCS2000 and GRS80 share a and 1/f, so GRS80 stands for the CGCS2000 ellipsoid here.
const LONLAT = '+proj=longlat +ellps=GRS80 +no_defs';
// proj4js returns NaN for laea unless x_0/y_0 are given explicitly.
const LAEA = '+proj=laea +lat_0=22.91 +lon_0=114.05 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs';
const gkToLonLat = proj4(GK_4547, LONLAT);
const lonLatToLaea = proj4(LONLAT, LAEA);

/** Local metres → EPSG:4547 easting/northing. */
export function toGk(p: Pt): Pt {
  return [GK_X0 + p[0], GK_Y0 + p[1]];
}

/** Local metres → EPSG:4490 lon/lat degrees. */
export function toLonLat(p: Pt): Pt {
  const [lon, lat] = gkToLonLat.forward([GK_X0 + p[0], GK_Y0 + p[1]]) as [number, number];
  return [lon, lat];
}

/**
 * Ellipsoidal (CGCS2000) area in m², the 椭球面积 bureaus report: vertices go local → EPSG:4547 →
 * lon/lat → an ellipsoidal Lambert azimuthal EQUAL-AREA plane centred on the township, where the
 * planar area is the ellipsoidal area. Checked against SpatiaLite's geodesic ST_Area(g, 1) to
 * ~2·10⁻⁹; differences to PostGIS ST_Area(geography) come only from straight-vs-geodesic edges
 * (sub-mm² here). Returns 0 for the empty geometry.
 */
export function ellipsoidalArea(mp: MPoly): number {
  let s = 0;
  for (const poly of mp) {
    poly.forEach((ring, i) => {
      const pts = ring.map((p) => lonLatToLaea.forward(toLonLat(p)) as [number, number]);
      let a = 0;
      for (let k = 0; k < pts.length; k++) {
        const p = pts[k] as Pt;
        const q = pts[(k + 1) % pts.length] as Pt;
        a += p[0] * q[1] - q[0] * p[1];
      }
      s += i === 0 ? Math.abs(a / 2) : -Math.abs(a / 2);
    });
  }
  return s;
}

/** m² per 亩 (1 亩 = 10000/15 m²). */
export const M2_PER_MU = 10000 / 15;
