/**
 * Reported areas against independent computations on the same shapes: a hand-made square of known
 * size, GeographicLib's Planimeter on the CGCS2000 ellipsoid (within 0.1 %), and @turf/area, which is
 * spherical (within 0.5 %).
 */
import { execFileSync } from 'node:child_process';
import { area as turfArea } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { missingRequirement } from '../../helpers/test-env.ts';
import { insertLayer, metresToLonLat, rectM } from './scene-loader.ts';

type Ring = Array<[number, number]>;

/** Ellipsoidal area (m²) of one ring by GeographicLib's Planimeter on GRS80 (= CGCS2000). */
function planimeter(ring: Ring): number {
  const input = ring.slice(0, -1).map(([lon, lat]) => `${lat} ${lon}`).join('\n');
  const out = execFileSync('Planimeter', ['-e', '6378137', '1/298.257222101', '-p', '9'], { input, encoding: 'utf8' });
  return Math.abs(Number(out.trim().split(/\s+/)[2]));
}

function multiPolygonArea(geometry: { type: string; coordinates: Ring[][] | Ring[] }, ringArea: (r: Ring) => number): number {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][];
  return polygons.reduce((sum, rings) => sum + ringArea(rings[0] as Ring) - rings.slice(1).reduce((h, r) => h + ringArea(r), 0), 0);
}

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  const ll = (x: number, y: number) => metresToLonLat(x, y);
  // Farmland with a diagonal edge and a hole, so overlaps are not axis-aligned rectangles.
  const farmland = {
    type: 'Polygon' as const,
    coordinates: [
      [ll(0, 0), ll(1000, 0), ll(1000, 600), ll(0, 1000), ll(0, 0)],
      [ll(600, 100), ll(600, 200), ll(700, 200), ll(700, 100), ll(600, 100)],
    ],
  };
  await insertLayer(db, { kind: 'basic_farmland', name: 'jbnt', features: [{ id: 'F1', code: '0101', geometry: farmland }] });
  await insertLayer(db, {
    kind: 'building',
    name: 'jz2024',
    epoch: '2024-06-30',
    features: [
      // 100 m × 100 m, wholly on farmland: exactly 10 000 m² by construction.
      { id: 'SQUARE', geometry: rectM(10, 10, 100, 100) },
      // An irregular pentagon across the diagonal edge.
      { id: 'PENTA', geometry: { type: 'Polygon', coordinates: [[ll(400, 700), ll(520, 690), ll(560, 820), ll(470, 900), ll(380, 830), ll(400, 700)]] } },
      // A notched block across the hole.
      { id: 'NOTCH', geometry: { type: 'Polygon', coordinates: [[ll(560, 60), ll(760, 60), ll(760, 240), ll(660, 240), ll(660, 150), ll(560, 150), ll(560, 60)]] } },
    ],
  });
  // A 300 m change patch half off the farmland's east side.
  await insertLayer(db, { kind: 'change_patch', name: 'wp', features: [{ id: 'BIG', geometry: rectM(850, 200, 300, 300) }] });
  await runAnalysis(db, { mode: 'full' });
});
afterAll(async () => {
  await db?.close();
});

async function findings(): Promise<Array<{ subject: string; overlap_m2: number; geometry: { type: string; coordinates: Ring[][] } }>> {
  const { rows } = await db.query<{ subject: string; overlap_m2: number; geometry: string }>(
    `SELECT s.source_id AS subject, f.overlap_m2, ST_AsGeoJSON(f.overlap_geom, 12) AS geometry
     FROM finding f JOIN subject s ON s.id = f.subject_id WHERE f.rule = 'FARMLAND' ORDER BY s.source_id`,
  );
  return rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as { type: string; coordinates: Ring[][] } }));
}

describe(`ellipsoidal areas on ${TEST_BACKEND}`, () => {
  it('flags the four shapes', async () => {
    expect((await findings()).map((f) => f.subject)).toEqual(['BIG', 'NOTCH', 'PENTA', 'SQUARE']);
  });

  it('measures a 100 m square as 10 000 m² (0.01 %)', async () => {
    const square = (await findings()).find((f) => f.subject === 'SQUARE');
    expect(Math.abs((square?.overlap_m2 ?? 0) - 10_000)).toBeLessThan(1);
  });

  it('matches @turf/area (spherical) within 0.5 %', async () => {
    for (const f of await findings()) {
      const turf = turfArea({ type: 'Feature', properties: {}, geometry: f.geometry as never });
      expect(Math.abs(f.overlap_m2 - turf) / turf, f.subject).toBeLessThan(0.005);
    }
  });

  it("matches GeographicLib's Planimeter on the CGCS2000 ellipsoid within 0.1 %", async (ctx) => {
    if (missingRequirement({ commands: ['Planimeter'] })) return ctx.skip();
    for (const f of await findings()) {
      const oracle = multiPolygonArea(f.geometry, planimeter);
      expect(Math.abs(f.overlap_m2 - oracle) / oracle, `${f.subject}: ${f.overlap_m2} vs ${oracle}`).toBeLessThan(0.001);
    }
  });
});
