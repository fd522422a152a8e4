/**
 * The computed EPSG catalogue of Chinese Gauss-Krüger families against PROJ's own EPSG database
 * (projinfo), and coordinate-range inference.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeEpsg, gaussKrugerEpsg, proj4Definition } from '../../../api/src/imports/crs/crs.catalog.ts';
import { inferSrsFromExtent } from '../../../api/src/imports/crs/srs.inference.ts';
import { needs } from './corpus.helper.ts';

const run = promisify(execFile);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Every code the catalogue claims, by family. */
const FAMILIES: Record<string, number[]> = {
  'CGCS2000 6° zone': range(4491, 4501),
  'CGCS2000 6° CM': range(4502, 4512),
  'CGCS2000 3° zone': range(4513, 4533),
  'CGCS2000 3° CM': range(4534, 4554),
  'Xian 1980 6° zone': range(2327, 2337),
  'Xian 1980 6° CM': range(2338, 2348),
  'Xian 1980 3° zone': range(2349, 2369),
  'Xian 1980 3° CM': range(2370, 2390),
  'Beijing 1954 3° zone': range(2401, 2421),
  'Beijing 1954 3° CM': range(2422, 2442),
  'Beijing 1954 6° zone': range(21413, 21423),
  'Beijing 1954 6° CM': range(21453, 21463),
  'Beijing 1954 6° CM (deprecated)': range(21473, 21483),
};

/** proj4 parameters as a map, with the ellipsoid spelled as a,rf (PROJ writes +ellps names). */
function params(def: string): Map<string, string> {
  const ellipsoids: Record<string, [string, string]> = { GRS80: ['6378137', '298.257222101'], IAU76: ['6378140', '298.257'], krass: ['6378245', '298.3'] };
  const out = new Map<string, string>();
  for (const token of def.split(/\s+/)) {
    const m = /^\+(\w+)(?:=(.*))?$/.exec(token);
    if (!m || ['no_defs', 'type', 'units', 'towgs84'].includes(m[1] ?? '')) continue;
    if (m[1] === 'ellps') {
      const [a, rf] = ellipsoids[m[2] ?? ''] ?? ['?', '?'];
      out.set('a', a);
      out.set('rf', rf);
    } else out.set(m[1] ?? '', String(Number(m[2] ?? 'NaN')));
  }
  return out;
}

describe('crs catalogue against PROJ (projinfo)', () => {
  const env = needs({ tools: ['projinfo'] });
  for (const [family, codes] of Object.entries(FAMILIES)) {
    it.skipIf(env.skip)(`${family}: EPSG:${codes[0]}–${codes[codes.length - 1]} match PROJ's definitions`, async () => {
      env.check();
      for (const epsg of codes) {
        const desc = describeEpsg(epsg);
        expect(desc, `EPSG:${epsg}`).not.toBeNull();
        const { stdout } = await run('projinfo', [`EPSG:${epsg}`, '-o', 'PROJ', '-q']);
        const theirs = params(stdout.trim().split('\n').pop() ?? '');
        const ours = params(proj4Definition(desc!));
        expect(Object.fromEntries(ours), `EPSG:${epsg}`).toEqual(Object.fromEntries(theirs));
      }
    });
  }
});

describe('crs catalogue lookups', () => {
  it('finds codes from datum, zone width, meridian and prefix', () => {
    expect(gaussKrugerEpsg('CGCS2000', 3, 114, true)).toBe(4526);
    expect(gaussKrugerEpsg('CGCS2000', 3, 114, false)).toBe(4547);
    expect(gaussKrugerEpsg('CGCS2000', 6, 117, true)).toBe(4498);
    expect(gaussKrugerEpsg('CGCS2000', 6, 117, false)).toBe(4509);
    expect(gaussKrugerEpsg('XIAN1980', 3, 102, false)).toBe(2379);
    expect(gaussKrugerEpsg('BEIJING1954', 3, 114, true)).toBe(2414);
    expect(gaussKrugerEpsg('BEIJING1954', 6, 75, false)).toBe(21453);
    expect(gaussKrugerEpsg('CGCS2000', 3, 72, false)).toBeNull(); // outside 75E–135E
    expect(gaussKrugerEpsg('CGCS2000', 6, 114, true)).toBeNull(); // 114 is no 6° meridian
  });

  it('describes geographic codes and knows nothing of others', () => {
    expect(describeEpsg(4490)?.kind).toBe('geographic');
    expect(describeEpsg(4610)?.datum).toBe('XIAN1980');
    expect(describeEpsg(4214)?.datum).toBe('BEIJING1954');
    expect(describeEpsg(27700)).toBeNull();
    expect(describeEpsg(4555)).toBeNull(); // New Beijing is another datum
  });
});

describe('CRS inference from coordinate ranges', () => {
  it('8-digit eastings: zone prefix → CGCS2000 3° zone (zone 25 → 4513 … 45 → 4533)', () => {
    for (let zone = 25; zone <= 45; zone++) {
      const x = zone * 1e6 + 500000;
      const r = inferSrsFromExtent({ minX: x - 20000, maxX: x + 20000, minY: 2_500_000, maxY: 2_600_000 });
      expect(r.kind).toBe('ok');
      const epsg = r.kind === 'ok' ? r.epsg : 0;
      // Checked through the catalogue, not the same arithmetic: the code's false easting is the prefix.
      expect(describeEpsg(epsg)?.falseEasting).toBe(x);
      expect(describeEpsg(epsg)?.zoneWidth).toBe(3);
      expect(describeEpsg(epsg)?.datum).toBe('CGCS2000');
    }
  });

  it('8-digit eastings with a 6° zone prefix (13–23) → CGCS2000 6° zone', () => {
    const r = inferSrsFromExtent({ minX: 20_400_000, maxX: 20_600_000, minY: 3_000_000, maxY: 3_100_000 });
    expect(r).toMatchObject({ kind: 'ok' });
    expect(describeEpsg(r.kind === 'ok' ? r.epsg : 0)).toMatchObject({ zoneWidth: 6, zone: 20, centralMeridian: 117 });
  });

  it('lon/lat extents that overshoot ±180/±90 by float round-off are still lon/lat; by 1e-5° they are not', () => {
    expect(inferSrsFromExtent({ minX: -180.0000003, maxX: 180.000000335, minY: -90, maxY: 90.0000001 })).toMatchObject({ kind: 'ok', epsg: 4490 });
    expect(inferSrsFromExtent({ minX: -180, maxX: 180.00001, minY: -90, maxY: 90 }).kind).not.toBe('ok');
  });

  it('lon/lat → 4490; 6-digit eastings → need --srs; mixed prefixes → need --srs', () => {
    expect(inferSrsFromExtent({ minX: 113.7, maxX: 114.6, minY: 22.4, maxY: 22.9 })).toMatchObject({ kind: 'ok', epsg: 4490 });
    expect(inferSrsFromExtent({ minX: 400000, maxX: 600000, minY: 2_500_000, maxY: 2_600_000 }).kind).toBe('need-srs');
    expect(inferSrsFromExtent({ minX: 38_900_000, maxX: 39_100_000, minY: 2_500_000, maxY: 2_600_000 }).kind).toBe('need-srs');
    expect(inferSrsFromExtent({ minX: 12_500_000, maxX: 12_600_000, minY: 2_500_000, maxY: 2_600_000 }).kind).toBe('need-srs');
    expect(inferSrsFromExtent({ minX: Number.NaN, maxX: 1, minY: 0, maxY: 1 }).kind).toBe('need-srs');
    expect(inferSrsFromExtent(null)).toMatchObject({ kind: 'ok', epsg: 4490 });
  });
});
