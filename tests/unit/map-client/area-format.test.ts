import { describe, expect, it } from 'vitest';
import { formatArea, formatLength, formatLonLat, formatMu, formatShare, m2ToMu } from '../../../map-client/src/format/area-format.ts';
import { geodesicArea, geodesicDistance, geodesicLength } from '../../../map-client/src/tools/geodesic.ts';

describe('area formatting (map-client/src/format/area-format.ts)', () => {
  it('converts m² to 亩 (1 亩 = 10000/15 m²)', () => {
    expect(m2ToMu(10000 / 15)).toBe(1);
    expect(m2ToMu(10000)).toBeCloseTo(15, 10);
  });

  it('shows m² and 亩 together, in each language', () => {
    expect(formatArea(1234.56, 'zh-CN')).toBe('1,235 m²（1.85 亩）');
    expect(formatArea(1234.56, 'en')).toBe('1,235 m² (1.85 mu)');
    expect(formatArea(66.7, 'zh-CN')).toBe('66.7 m²（0.10 亩）');
    expect(formatArea(0, 'en')).toBe('0 m² (0.00 mu)');
    expect(formatMu(13668, 'zh-CN')).toBe('20.50 亩');
  });

  it('adds hectares from 10 ha up', () => {
    expect(formatArea(123456, 'zh-CN')).toBe('123,456 m²（185.18 亩, 12.35 公顷）');
    expect(formatArea(123456, 'en')).toBe('123,456 m² (185.18 mu, 12.35 ha)');
  });

  it('formats lengths, shares and CGCS2000 coordinates', () => {
    expect(formatLength(12.34, 'en')).toBe('12.3 m');
    expect(formatLength(1234.5, 'en')).toBe('1,235 m');
    expect(formatLength(22665.2, 'zh-CN')).toBe('22.67 km');
    expect(formatShare(0.4567, 'en')).toBe('45.7%');
    expect(formatLonLat(114.05, 22.55)).toBe('114.050000°E 22.550000°N');
    expect(formatLonLat(-70.5, -33.25)).toBe('70.500000°W 33.250000°S');
  });
});

// Reference values from PostGIS: ST_Area/ST_Length(geometry::geography) (Karney, WGS84 ≈ CGCS2000).
describe('geodesic measuring (map-client/src/tools/geodesic.ts)', () => {
  it('matches PostGIS geography areas: a parcel to 1e-6, tens of km to 1e-4', () => {
    const parcel: Array<[number, number]> = [[114.05, 22.55], [114.051, 22.55], [114.051, 22.5508], [114.05, 22.5508]];
    expect(Math.abs(geodesicArea(parcel) / 9112.295393168926 - 1)).toBeLessThan(1e-6);
    const big: Array<[number, number]> = [[113.9, 22.4], [114.3, 22.45], [114.2, 22.8], [113.95, 22.7], [113.9, 22.4]];
    expect(Math.abs(geodesicArea(big) / 1224206763.3231087 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(geodesicArea([[0, 0], [1, 0], [1, 1], [0, 1]]) / 12308778361.063595 - 1)).toBeLessThan(1e-4);
  });

  it('ignores winding and needs three points for an area', () => {
    const ring: Array<[number, number]> = [[114.05, 22.55], [114.051, 22.55], [114.051, 22.5508]];
    expect(geodesicArea(ring)).toBeCloseTo(geodesicArea([...ring].reverse()), 6);
    expect(geodesicArea(ring.slice(0, 2))).toBe(0);
  });

  it('matches PostGIS geography lengths to a millimetre', () => {
    expect(geodesicLength([[114.05, 22.55], [114.06, 22.56], [114.2, 22.7]])).toBeCloseTo(22665.21518602931, 3);
    expect(geodesicLength([[114.05, 22.55]])).toBe(0);
    expect(geodesicDistance([114.05, 22.55], [114.05, 22.55])).toBe(0);
    // Nearly antipodal: Vincenty does not converge; the fallback still answers half the globe.
    expect(geodesicDistance([0, 0], [179.7, 0.5]) / 1000).toBeGreaterThan(19_900);
  });
});
