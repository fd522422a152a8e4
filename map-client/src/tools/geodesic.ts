/**
 * Geodesic lengths and areas on the CGCS2000 ellipsoid (a = 6378137 m, f = 1/298.257222101), for the
 * measure tool. Areas are ellipsoidal like official 椭球面积 (and PostGIS geography), not planar.
 * Pure functions on [lon, lat] degree pairs.
 */

const A = 6378137;
const F = 1 / 298.257222101;
const B = A * (1 - F);
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const RAD = Math.PI / 180;

/** Vincenty's inverse formula: metres between two points; falls back to a sphere if it does not converge. */
export function geodesicDistance(p: [number, number], q: [number, number]): number {
  const L = (q[0] - p[0]) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(p[1] * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(q[1] * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    const sinSigma = Math.sqrt((cosU2 * sinL) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) ** 2);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        bigB *
        sinSigma *
        (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      return B * bigA * (sigma - deltaSigma);
    }
  }
  // Nearly antipodal points: a great-circle distance is good enough for a measuring tool.
  const dLat = (q[1] - p[1]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(p[1] * RAD) * Math.cos(q[1] * RAD) * Math.sin(L / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a line through the points, in metres; 0 for fewer than two points. */
export function geodesicLength(points: ReadonlyArray<[number, number]>): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += geodesicDistance(points[i - 1]!, points[i]!);
  return total;
}

// Authalic (equal-area) sphere of the ellipsoid: q(φ) and the radius whose sphere has the same area.
function q(sinPhi: number): number {
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - E * sinPhi) / (1 + E * sinPhi)));
}
const QP = q(1);
const RQ = A * Math.sqrt(QP / 2);

/**
 * Area of a ring (closed or not) in m² on the ellipsoid: latitudes go to authalic latitudes, then the
 * spherical polygon area on the authalic sphere. Accurate to ~1e-6 relative for parcel-size rings.
 * 0 for fewer than three points. The sign of the winding is ignored.
 */
export function geodesicArea(ring: ReadonlyArray<[number, number]>): number {
  const pts = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1] ? ring.slice(0, -1) : ring;
  if (pts.length < 3) return 0;
  let sum = 0;
  for (let i = 0; i < pts.length; i++) {
    const [lon1, lat1] = pts[i]!;
    const [lon2, lat2] = pts[(i + 1) % pts.length]!;
    let dLon = (lon2 - lon1) * RAD;
    if (dLon > Math.PI) dLon -= 2 * Math.PI;
    if (dLon < -Math.PI) dLon += 2 * Math.PI;
    const sinBeta1 = q(Math.sin(lat1 * RAD)) / QP;
    const sinBeta2 = q(Math.sin(lat2 * RAD)) / QP;
    sum += dLon * (2 + sinBeta1 + sinBeta2);
  }
  return Math.abs((sum * RQ * RQ) / 2);
}
