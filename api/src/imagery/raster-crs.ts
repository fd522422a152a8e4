/**
 * Coordinate systems of rasters: EPSG code from GeoTIFF GeoKeys, a proj4 definition for it, and
 * converters to CGCS2000 lon/lat (EPSG:4490) and Web Mercator (EPSG:3857).
 *
 * Definitions come from the import module's catalogue (CGCS2000/Xian 1980/Beijing 1954 Gauss-Krüger,
 * WGS 84 UTM, 4326, 4490, 3857) and, for any other code, from an optional resolver (the services pass
 * one reading PostGIS's spatial_ref_sys, which knows ~8,500 codes).
 */
import proj4 from 'proj4';
import { describeEpsg, proj4Definition } from '../imports/crs/crs.catalog.ts';
import { ImageryError } from './imagery-errors.ts';

/** A resolved raster CRS. */
export interface RasterCrs {
  /** EPSG code. */
  epsg: number;
  /** proj4 definition used for every transform. */
  proj4: string;
  /** True for lon/lat degrees (transform units are degrees). */
  geographic: boolean;
}

/** Looks up a proj4 definition for an EPSG code the built-in catalogue lacks; null when unknown. */
export type CrsResolver = (epsg: number) => Promise<string | null>;

const USER_DEFINED = 32767;
const CGCS2000_LONLAT = '+proj=longlat +ellps=GRS80 +no_defs';
const WEB_MERCATOR = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs';

/** EPSG code named by GeoKeys (projected or geographic), or null when the keys name none. */
export function epsgFromGeoKeys(keys: Record<string, unknown> | null): number | null {
  if (!keys) return null;
  const model = Number(keys.GTModelTypeGeoKey);
  const projected = Number(keys.ProjectedCSTypeGeoKey);
  const geographic = Number(keys.GeographicTypeGeoKey);
  if (model === 1 || (!model && projected)) return projected && projected !== USER_DEFINED ? projected : null;
  if (model === 2 || (!model && geographic)) return geographic && geographic !== USER_DEFINED ? geographic : null;
  return null;
}

/**
 * Resolves an EPSG code to a RasterCrs. Throws UNSUPPORTED_CRS (naming the file) when neither the
 * catalogue nor the resolver knows the code.
 */
export async function resolveRasterCrs(epsg: number, file: string, resolver?: CrsResolver): Promise<RasterCrs> {
  const desc = describeEpsg(epsg);
  if (desc) return { epsg, proj4: proj4Definition(desc), geographic: desc.kind === 'geographic' };
  const def = resolver ? await resolver(epsg) : null;
  if (!def) {
    throw new ImageryError('UNSUPPORTED_CRS', `EPSG:${epsg} is not known here; reproject with gdalwarp -t_srs EPSG:4490 or pass --srs`, file, 'srs');
  }
  return { epsg, proj4: def, geographic: /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(def) };
}

/** (x, y) in one CRS → (x, y) in another; NaN when the point cannot be transformed. */
export type PointTransform = (x: number, y: number) => [number, number];

const cache = new Map<string, PointTransform>();

function converter(from: string, to: string): PointTransform {
  const key = `${from}→${to}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let fn: PointTransform;
  if (from === to) fn = (x, y) => [x, y];
  else {
    const c = proj4(from, to);
    fn = (x, y) => {
      try {
        const [a, b] = c.forward([x, y]) as [number, number];
        return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : [Number.NaN, Number.NaN];
      } catch {
        return [Number.NaN, Number.NaN];
      }
    };
  }
  cache.set(key, fn);
  return fn;
}

/** Whether two CRSs are the same for resampling (same code, or same definition). */
export function sameCrs(a: RasterCrs, b: RasterCrs): boolean {
  return a.epsg === b.epsg || a.proj4 === b.proj4 || (isLonLatWgs(a) && isLonLatWgs(b));
}

/** 4326 and 4490 differ by well under a metre for this work (DOMAIN.md): treat them as one. */
function isLonLatWgs(c: RasterCrs): boolean {
  return c.epsg === 4326 || c.epsg === 4490;
}

/** Transform between two raster CRSs (identity when {@link sameCrs}). */
export function crsTransform(from: RasterCrs, to: RasterCrs): PointTransform {
  return sameCrs(from, to) ? (x, y) => [x, y] : converter(from.proj4, to.proj4);
}

/** Raster CRS → CGCS2000 lon/lat degrees (EPSG:4490). */
export function toCgcs2000(from: RasterCrs): PointTransform {
  return isLonLatWgs(from) ? (x, y) => [x, y] : converter(from.proj4, CGCS2000_LONLAT);
}

/** CGCS2000 lon/lat → raster CRS. */
export function fromCgcs2000(to: RasterCrs): PointTransform {
  return isLonLatWgs(to) ? (x, y) => [x, y] : converter(CGCS2000_LONLAT, to.proj4);
}

/** Web Mercator metres (EPSG:3857) → raster CRS. */
export function fromWebMercator(to: RasterCrs): PointTransform {
  if (to.epsg === 3857) return (x, y) => [x, y];
  const toLonLat = (x: number, y: number): [number, number] => [
    (x / 6378137) * (180 / Math.PI),
    (Math.atan(Math.sinh(y / 6378137)) * 180) / Math.PI,
  ];
  if (isLonLatWgs(to)) return toLonLat;
  const fromLonLat = converter(CGCS2000_LONLAT, to.proj4);
  return (x, y) => {
    const [lon, lat] = toLonLat(x, y);
    return fromLonLat(lon, lat);
  };
}

/** The WGS 84 / Pseudo-Mercator definition (EPSG:3857). */
export const WEB_MERCATOR_PROJ4 = WEB_MERCATOR;
