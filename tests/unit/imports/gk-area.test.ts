/**
 * The ellipsoidal area an import computes from CGCS2000 Gauss-Krüger grid coordinates
 * (crs/gk-area.calculator.ts) against independent oracles: the point scale factor against PROJ's own
 * (`proj -V`, areal scale to 10⁻⁸) in every 3° and 6° zone, and polygon areas against GeographicLib's
 * Planimeter on the CGCS2000 ellipsoid, for buildings, kilometre parcels with holes and multipolygons
 * whose parts lie tens of kilometres apart, near the central meridian and near the zone edge.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeEpsg, proj4Definition } from '../../../api/src/imports/crs/crs.catalog.ts';
import { gaussKrugerAreaOf, scaleFactorOf } from '../../../api/src/imports/crs/gk-area.calculator.ts';
import { missingRequirement } from '../../helpers/test-env.ts';

type LonLat = [number, number];
const skip = missingRequirement({ commands: ['proj', 'Planimeter'] });

/** Grid coordinates of lon/lat points by PROJ (`proj`, the zone's definition). */
function project(epsg: number, points: LonLat[]): number[][] {
  const def = proj4Definition(describeEpsg(epsg)!).split(' ');
  const out = execFileSync('proj', ['-f', '%.6f', ...def], { input: points.map(([lon, lat]) => `${lon} ${lat}`).join('\n'), encoding: 'utf8' });
  return out.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number));
}

/** PROJ's areal scale factor s = k² at a lon/lat point. */
function projArealScale(epsg: number, [lon, lat]: LonLat): { s: number; x: number; y: number } {
  const def = proj4Definition(describeEpsg(epsg)!).split(' ');
  const out = execFileSync('proj', ['-V', ...def], { input: `${lon} ${lat}`, encoding: 'utf8' });
  const num = (label: RegExp) => Number(label.exec(out)?.[1]);
  return { s: num(/Areal scale \(s\):\s+([\d.]+)/), x: num(/Easting \(x\):\s+([\d.]+)/), y: num(/Northing \(y\):\s+([\d.]+)/) };
}

/** GeographicLib's geodesic area (m²) of a lon/lat ring on GRS80 (= CGCS2000). */
function planimeter(ring: LonLat[]): number {
  const out = execFileSync('Planimeter', ['-e', '6378137', '1/298.257222101', '-p', '12'], { input: ring.map(([lon, lat]) => `${lat} ${lon}`).join('\n'), encoding: 'utf8' });
  return Math.abs(Number(out.trim().split(/\s+/)[2]));
}

/** A rectangle of w × h metres at (lon, lat), as lon/lat (small-offset degrees), counter-clockwise. */
function rect(lon: number, lat: number, w: number, h: number): LonLat[] {
  const dLon = w / (111_320 * Math.cos((lat * Math.PI) / 180));
  const dLat = h / 110_574;
  return [[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat]];
}

/** An irregular heptagon of ~r metres around (lon, lat). */
function blob(lon: number, lat: number, r: number): LonLat[] {
  const radii = [1, 0.7, 1.2, 0.9, 1.1, 0.6, 1];
  return radii.map((f, i) => {
    const a = (2 * Math.PI * i) / radii.length;
    return [lon + (f * r * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (f * r * Math.sin(a)) / 110_574] as LonLat;
  });
}

const closed = (ring: number[][]) => [...ring, ring[0] as number[]];

describe.skipIf(skip)('Gauss-Krüger grid areas (CGCS2000)', () => {
  it('scale factor k² agrees with PROJ areal scale to 2·10⁻⁸ in every 3° and 6° zone', () => {
    let checked = 0;
    for (const epsg of [...Array.from({ length: 21 }, (_, i) => 4513 + i), ...Array.from({ length: 11 }, (_, i) => 4491 + i), 4547]) {
      const desc = describeEpsg(epsg)!;
      const half = desc.zoneWidth === 6 ? 2.9 : 1.45;
      const scaleAt = scaleFactorOf(6378137, 1 / 298.257222101, desc.falseEasting!, 1);
      for (const lat of [18.3, 31, 47.5]) {
        for (const dl of [-half, 0.4, half]) {
          const p = projArealScale(epsg, [desc.centralMeridian! + dl, lat]);
          const { k } = scaleAt(p.x, p.y);
          expect(Math.abs(k * k - p.s), `EPSG:${epsg} at ${dl}° ${lat}°N`).toBeLessThan(2e-8);
          checked++;
        }
      }
    }
    expect(checked).toBe(33 * 9);
  });

  it('polygon areas agree with GeographicLib Planimeter (buildings 10⁻⁶, kilometre parcels 10⁻⁷)', () => {
    for (const epsg of [4513, 4526, 4533, 4547, 4496]) {
      const desc = describeEpsg(epsg)!;
      const areaOf = gaussKrugerAreaOf(epsg)!;
      const half = desc.zoneWidth === 6 ? 2.9 : 1.45;
      for (const lat of [21.2, 39.8]) {
        for (const dl of [0.05, half]) {
          const lon = desc.centralMeridian! + dl;
          for (const [label, ring, tolerance] of [
            ['building 12 × 9 m', rect(lon, lat, 12, 9), 1e-6],
            ['building blob r 15 m', blob(lon, lat, 15), 1e-6],
            ['parcel 1.2 × 0.8 km', rect(lon, lat, 1200, 800), 1e-7],
            ['parcel blob r 900 m', blob(lon, lat, 900), 1e-7],
          ] as const) {
            const ours = areaOf({ type: 'Polygon', coordinates: [closed(project(epsg, ring))] });
            const oracle = planimeter(ring);
            const rel = Math.abs((ours as number) - oracle) / oracle;
            expect(rel, `${label} in EPSG:${epsg} at ${lon.toFixed(2)}E ${lat}N`).toBeLessThan(tolerance);
          }
        }
      }
    }
  });

  it('multipolygons: holes of either winding, parts 40 km apart (10⁻⁷)', () => {
    const epsg = 4514; // zone 26, CM 78E
    const areaOf = gaussKrugerAreaOf(epsg)!;
    const west = rect(77.0, 36.0, 1500, 1000);
    const hole = rect(77.005, 36.002, 300, 200);
    const east = blob(77.45, 36.1, 700);
    const oracle = planimeter(west) - planimeter(hole) + planimeter(east);
    for (const holeRing of [closed(project(epsg, hole)), closed(project(epsg, hole)).reverse()]) {
      const ours = areaOf({ type: 'MultiPolygon', coordinates: [[closed(project(epsg, west)), holeRing], [closed(project(epsg, east))]] }) as number;
      expect(Math.abs(ours - oracle) / oracle).toBeLessThan(1e-7);
    }
  });

  it('answers null for other geometries and other grids', () => {
    expect(gaussKrugerAreaOf(4547)!({ type: 'LineString', coordinates: [[500000, 2500000], [500010, 2500000]] })).toBeNull();
    for (const epsg of [4490, 2383, 2435, 32650, 3857]) expect(gaussKrugerAreaOf(epsg), `EPSG:${epsg}`).toBeNull();
  });
});
