/**
 * Our proj4-based transform to EPSG:4490 against PROJ's cs2cs using the EPSG database, for every
 * CGCS2000 3° zone (4513–4554), the 6° zones and samples of the legacy families; plus the forward
 * check points of the CRS corpus and a TOWGS84 case. Tolerance: 1 cm on the ground.
 */
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeEpsg, proj4Definition } from '../../../api/src/imports/crs/crs.catalog.ts';
import { createTransformer, parseTowgs84, transformGeometry } from '../../../api/src/imports/crs/crs.transformer.ts';
import { corpus, needs } from './corpus.helper.ts';

const runFile = promisify(execFile);
const TOLERANCE_M = 0.01;
const M_PER_DEG = 111_320;

/** Runs cs2cs with lines on stdin; returns the first two numbers of each output line. */
function cs2cs(args: string[], input: string[]): Promise<[number, number][]> {
  return new Promise((resolve, reject) => {
    const child = spawn('cs2cs', ['-f', '%.10f', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cs2cs ${args.join(' ')} exited ${code}: ${err}`));
      resolve(out.trim().split('\n').map((line) => line.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]));
    });
    child.stdin.end(`${input.join('\n')}\n`);
  });
}

/** True when the EPSG definition (per projinfo) lists northing first. */
async function northingFirst(epsg: number): Promise<boolean> {
  const { stdout } = await runFile('projinfo', [`EPSG:${epsg}`, '-o', 'WKT2_2019', '-q']);
  const first = /AXIS\["([^"]*)",\s*(\w+)/.exec(stdout);
  return first?.[2]?.toLowerCase() === 'north';
}

/** Ground distance in metres between two lon/lat points (small differences). */
function groundError(a: [number, number], b: [number, number]): number {
  const dLat = (a[1] - b[1]) * M_PER_DEG;
  const dLon = (a[0] - b[0]) * M_PER_DEG * Math.cos((b[1] * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

/** Test points around a zone's meridian (1.4° off for 3° zones, 2.9° for 6° zones). */
function pointsFor(epsg: number): [number, number][] {
  const desc = describeEpsg(epsg)!;
  const cm = desc.centralMeridian ?? 0;
  const off = desc.zoneWidth === 6 ? 2.9 : 1.4;
  const pts: [number, number][] = [];
  for (const lat of [18.25, 30, 41.5, 53]) for (const dl of [-off, -0.3, 0, 0.77, off]) pts.push([cm + dl, lat]);
  return pts;
}

/**
 * Compares our transformer with cs2cs for one code: forward-project test points with cs2cs
 * (4490 → code), then check (1) our inverse returns the original lon/lat, (2) it equals cs2cs's inverse.
 */
async function checkCode(epsg: number, geographic: number): Promise<string[]> {
  const errors: string[] = [];
  const ne = await northingFirst(epsg);
  const lonlat = pointsFor(epsg);
  // EPSG:4490/4610/4214 take lat,lon; projected Chinese codes give northing,easting (checked above).
  const projected = await cs2cs([`EPSG:${geographic}`, `EPSG:${epsg}`], lonlat.map(([lon, lat]) => `${lat} ${lon}`));
  const en = projected.map(([a, b]) => (ne ? [b, a] : [a, b]) as [number, number]);
  const back = await cs2cs([`EPSG:${epsg}`, 'EPSG:4490'], en.map(([e, n]) => (ne ? `${n} ${e}` : `${e} ${n}`)));
  const transform = createTransformer(epsg);
  en.forEach(([e, n], i) => {
    const ours = transform(e, n);
    const theirs: [number, number] = [back[i]?.[1] ?? Number.NaN, back[i]?.[0] ?? Number.NaN]; // 4490 out: lat lon
    const original = lonlat[i] as [number, number];
    const vsCs2cs = groundError(ours, theirs);
    const vsOriginal = groundError(ours, original);
    if (!(vsCs2cs <= TOLERANCE_M)) errors.push(`EPSG:${epsg} ${e},${n}: ${vsCs2cs.toFixed(4)} m from cs2cs`);
    if (!(vsOriginal <= TOLERANCE_M)) errors.push(`EPSG:${epsg} ${e},${n}: ${vsOriginal.toFixed(4)} m from the forward input`);
  });
  return errors;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('transform to EPSG:4490 against cs2cs', () => {
  const env = needs({ tools: ['cs2cs', 'projinfo'] });
  const cases: [string, number[], number][] = [
    ['every CGCS2000 3° zone, zone-prefixed (4513–4533)', range(4513, 4533), 4490],
    ['every CGCS2000 3° zone, CM (4534–4554)', range(4534, 4554), 4490],
    ['CGCS2000 6° zones (4491–4512)', range(4491, 4512), 4490],
    ['Xian 1980 GK samples (no datum shift: PROJ ballpark)', [2327, 2338, 2349, 2360, 2369, 2370, 2379, 2390], 4610],
    ['Beijing 1954 GK samples (no datum shift: PROJ ballpark)', [2401, 2414, 2421, 2422, 2435, 2442, 21413, 21420, 21453, 21460], 4214],
  ];
  for (const [name, codes, geographic] of cases) {
    it.skipIf(env.skip)(`${name}: within 1 cm`, async () => {
      env.check();
      const errors = (await Promise.all(codes.map((c) => checkCode(c, geographic)))).flat();
      expect(errors).toEqual([]);
    });
  }

  it.skipIf(env.skip)('applies TOWGS84 like PROJ does (Xian 1980 CM 114E with 7 parameters)', async () => {
    env.check();
    const towgs84 = [24.5, -123.7, -94.3, 0.25, -0.31, 1.12, -2.1]; // made up, but plausible in size
    const transform = createTransformer(2382, { towgs84 });
    expect(transform.notes).toEqual([]);
    const src = proj4Definition(describeEpsg(2382)!, towgs84);
    const pts: [number, number][] = [[500000, 2_500_000], [380000, 3_300_000], [620000, 4_400_000]];
    const theirs = await cs2cs([...src.split(' '), '+to', '+proj=longlat', '+ellps=GRS80', '+towgs84=0,0,0', '+no_defs'], pts.map(([e, n]) => `${e} ${n}`));
    pts.forEach(([e, n], i) => {
      const t = theirs[i] as [number, number]; // longlat output: lon lat
      expect(groundError(transform(e, n), t)).toBeLessThan(TOLERANCE_M);
    });
    // And the shift is real: tens of metres away from the unshifted result.
    expect(groundError(createTransformer(2382)(500000, 2_500_000), transform(500000, 2_500_000))).toBeGreaterThan(50);
  });
});

describe('gk_forward_points.csv (lon/lat projected by gdaltransform on the same datum)', () => {
  const env = needs({ corpus: ['crs'] });
  it.skipIf(env.skip)('inverts every check point within 1 cm', () => {
    env.check();
    const lines = readFileSync(corpus('crs', 'gk_forward_points.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(700);
    const errors: string[] = [];
    const cache = new Map<number, ReturnType<typeof createTransformer>>();
    for (const line of lines) {
      const [code, , , lon, lat, easting, northing] = line.split(',');
      const epsg = Number(code);
      const t = cache.get(epsg) ?? createTransformer(epsg);
      cache.set(epsg, t);
      const got = t(Number(easting), Number(northing));
      // The easting/northing are rounded to 0.1 mm; 1 cm is far above that.
      const err = groundError(got, [Number(lon), Number(lat)]);
      if (!(err <= TOLERANCE_M)) errors.push(`${line}: ${err.toFixed(4)} m`);
    }
    expect(errors).toEqual([]);
  });
});

describe('transformer API', () => {
  it('warns when a legacy datum has no TOWGS84, passes CGCS2000 lon/lat through', () => {
    expect(createTransformer(2379).notes.map((n) => n.code)).toEqual(['TOWGS84_MISSING']);
    expect(createTransformer(4214).notes.map((n) => n.code)).toEqual(['TOWGS84_MISSING']);
    expect(createTransformer(4547).notes).toEqual([]);
    expect(createTransformer(4490)(113.5, 22.5)).toEqual([113.5, 22.5]);
  });

  it('refuses codes it cannot transform, and bad TOWGS84 text', () => {
    expect(() => createTransformer(27700)).toThrow(/EPSG:27700/);
    expect(() => parseTowgs84('1,2')).toThrow(RangeError);
    expect(parseTowgs84('1 2 3')).toEqual([1, 2, 3]);
  });

  it('transforms whole geometries, keeping their shape', () => {
    const t = createTransformer(4526);
    const g = transformGeometry(
      { type: 'MultiPolygon', coordinates: [[[[38500000, 2500000], [38501000, 2500000], [38501000, 2501000], [38500000, 2500000]]]] },
      t,
    );
    expect(g.type).toBe('MultiPolygon');
    const ring = g.coordinates[0]?.[0] ?? [];
    expect(ring).toHaveLength(4);
    expect(ring[0]).toEqual(t(38500000, 2500000));
    expect(ring[0]?.[0]).toBeCloseTo(114, 9);
    const gc = transformGeometry({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [38500000, 2500000] }] }, t);
    expect(gc.geometries[0]).toEqual({ type: 'Point', coordinates: t(38500000, 2500000) });
  });
});
