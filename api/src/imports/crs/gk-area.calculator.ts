import type { Geometry } from '../readers/reader.types.ts';
import { DATUMS, describeEpsg } from './crs.catalog.ts';

/** Ellipsoidal area (m²) of a polygon or multipolygon given in a source CRS; null for other geometries. */
export type SourceAreaOf = (geometry: Geometry) => number | null;

/**
 * The ellipsoidal area of polygons delivered in a CGCS2000 Gauss-Krüger CRS, computed from their grid
 * coordinates, or null when `epsg` is not one (the caller leaves the area to PostGIS then).
 *
 * Why: `ST_Area(geom::geography)` was the costliest step of an import's route (4–5 µs a row of the
 * ~14 µs PostgreSQL spends on it, on one core), while the other core — Node, reading the file — had
 * time to spare. Gauss-Krüger is conformal, so a grid area element is the ellipsoid's times k², k the
 * point scale factor; k varies by ~3·10⁻⁴ across a 3° zone and by ~10⁻⁹ across a building. The
 * area is the grid area (shoelace) over k² at the polygon's centroid, with the second-order term for
 * the spread of eastings (parts of a multipolygon far apart). Against GeographicLib's geodesic area
 * of the transformed vertices (what PostGIS returns) it agrees to ~10⁻⁸ of the area for buildings and
 * parcels (tests/unit/imports/gk-area.test.ts, PROJ's own scale factors as the oracle for k).
 *
 * Only CGCS2000 zones qualify: for Xian 1980 and Beijing 1954 grids the datum shift to CGCS2000
 * (and the other ellipsoid) would have to be carried through; those keep PostGIS's area.
 */
export function gaussKrugerAreaOf(epsg: number): SourceAreaOf | null {
  const desc = describeEpsg(epsg);
  if (!desc || desc.kind !== 'gauss-kruger' || desc.datum !== 'CGCS2000') return null;
  const scale = scaleFactorOf(DATUMS.CGCS2000.a, 1 / DATUMS.CGCS2000.rf, desc.falseEasting ?? 500000, desc.scale ?? 1);
  return (geometry) => {
    if (geometry.type === 'Polygon') return multiPolygonArea([geometry.coordinates], scale);
    if (geometry.type === 'MultiPolygon') return multiPolygonArea(geometry.coordinates, scale);
    return null;
  };
}

/** Point scale factor pieces of a transverse Mercator grid at grid coordinates (metres). */
interface ScaleAt {
  /** k at (easting, northing), and ρν there (m², the Gaussian radius squared at the footpoint). */
  (easting: number, northing: number): { k: number; rhoNu: number };
}

/**
 * k of a transverse Mercator projection (lat_0 0, false northing 0) from grid coordinates: the
 * footpoint latitude by the standard series in μ (Snyder, Map Projections 1987, eq. 3-26), then
 * k = k0·(1 + u²/2 + u⁴/24), u = x/(k0·√(ρν)) — the series of cosh u, exact on the sphere. Error
 * < 10⁻¹⁰ within 3° of the central meridian.
 */
export function scaleFactorOf(a: number, f: number, falseEasting: number, k0: number): ScaleAt {
  const e2 = f * (2 - f);
  const e4 = e2 * e2;
  const e6 = e4 * e2;
  const muDivisor = a * (1 - e2 / 4 - (3 * e4) / 64 - (5 * e6) / 256);
  const s = Math.sqrt(1 - e2);
  const e1 = (1 - s) / (1 + s);
  const c2 = (3 * e1) / 2 - (27 * e1 ** 3) / 32;
  const c4 = (21 * e1 ** 2) / 16 - (55 * e1 ** 4) / 32;
  const c6 = (151 * e1 ** 3) / 96;
  const c8 = (1097 * e1 ** 4) / 512;
  return (easting, northing) => {
    const mu = northing / k0 / muDivisor;
    const phi = mu + c2 * Math.sin(2 * mu) + c4 * Math.sin(4 * mu) + c6 * Math.sin(6 * mu) + c8 * Math.sin(8 * mu);
    const sin = Math.sin(phi);
    const w = 1 - e2 * sin * sin;
    const nu = a / Math.sqrt(w);
    const rho = (a * (1 - e2)) / (w * Math.sqrt(w));
    const rhoNu = rho * nu;
    const x = (easting - falseEasting) / k0;
    const u2 = (x * x) / rhoNu;
    return { k: k0 * (1 + u2 / 2 + (u2 * u2) / 24), rhoNu: rhoNu * k0 * k0 };
  };
}

/**
 * Σ outer − Σ holes of grid areas, each shoelace taken about the polygon's first vertex (absolute
 * eastings of zone-prefixed grids are ~4·10⁷ m: products of those would cancel away a building's
 * area), with the first and second moments in x for the centroid and the spread. 0 for an empty geometry.
 */
function multiPolygonArea(polygons: number[][][][], scaleAt: ScaleAt): number {
  let area = 0;
  let mx = 0; // ∫x dA about (x0, y0)
  let mxx = 0; // ∫x² dA about (x0, y0)
  const origin = polygons[0]?.[0]?.[0];
  if (!origin) return 0;
  const x0 = origin[0] as number;
  const y0 = origin[1] as number;
  for (const polygon of polygons) {
    for (let r = 0; r < polygon.length; r++) {
      const ring = polygon[r] as number[][];
      let a2 = 0;
      let m = 0;
      let mm = 0;
      const n = ring.length;
      for (let i = 0; i < n; i++) {
        const p = ring[i] as number[];
        const q = ring[i + 1 === n ? 0 : i + 1] as number[];
        const xi = (p[0] as number) - x0;
        const yi = (p[1] as number) - y0;
        const xj = (q[0] as number) - x0;
        const yj = (q[1] as number) - y0;
        const cross = xi * yj - xj * yi;
        a2 += cross;
        m += cross * (xi + xj);
        mm += cross * (xi * xi + xi * xj + xj * xj);
      }
      // Orientation differs between formats: outer rings count positive, holes negative, whatever their winding.
      const sign = (r === 0 ? 1 : -1) * Math.sign(a2);
      area += (sign * a2) / 2;
      mx += (sign * m) / 6;
      mxx += (sign * mm) / 12;
    }
  }
  if (area <= 0) return 0;
  const cx = mx / area;
  const variance = Math.max(0, mxx / area - cx * cx);
  // k depends on the northing only through the footpoint's radii: 1 km moves it by ~10⁻¹⁰, so the
  // first vertex's northing serves.
  const { k, rhoNu } = scaleAt(x0 + cx, y0);
  // ∫ dA / k² ≈ A·(1/k_c² − var(x)/ρν): 1/cosh²u has second derivative −2 at small u.
  return area * (1 / (k * k) - variance / rhoNu);
}
