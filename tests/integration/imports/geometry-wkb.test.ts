import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { encodeWkb } from '../../../api/src/imports/geometry-wkb.encoder.ts';
import type { Geometry } from '../../../api/src/imports/readers/reader.types.ts';
import { createTestDb } from '../../helpers/test-db.ts';

/** The encoder's WKB as hex, the way PostGIS reads it back here. */
const hexWkb = (g: Geometry): string | null => encodeWkb(g)?.toString('hex') ?? null;

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

const ring = [[114, 22], [114.001, 22], [114.001, 22.001], [114, 22.001], [114, 22]];
const hole = [[114.0002, 22.0002], [114.0004, 22.0002], [114.0004, 22.0004], [114.0002, 22.0002]];
const CASES: Geometry[] = [
  { type: 'Point', coordinates: [114.5, 22.5] },
  { type: 'LineString', coordinates: [[114, 22], [114.1, 22.1], [114.2, 22.05]] },
  { type: 'Polygon', coordinates: [ring, hole] },
  { type: 'MultiPoint', coordinates: [[114, 22], [115, 23]] },
  { type: 'MultiLineString', coordinates: [[[114, 22], [114.1, 22.1]], [[115, 23], [115.1, 23.1]]] },
  { type: 'MultiPolygon', coordinates: [[ring], [ring.map(([x, y]) => [(x as number) + 1, y as number])]] },
  { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'Polygon', coordinates: [ring] }] },
  { type: 'MultiPolygon', coordinates: [] },
];

describe('encodeWkbHex', () => {
  it.each(CASES.map((g) => [g.type, g] as const))('%s reads back in PostGIS as the same geometry', async (_type, geometry) => {
    const hex = hexWkb(geometry);
    expect(hex).not.toBeNull();
    const { rows } = await db.query<{ gj: string }>("SELECT ST_AsGeoJSON(ST_GeomFromWKB(decode($1, 'hex')), 15) AS gj", [hex]);
    expect(JSON.parse(rows[0]?.gj as string)).toEqual(geometry);
  });

  it('drops Z and M (the stage is 2D) and keeps the exact doubles', async () => {
    const hex = hexWkb({ type: 'LineString', coordinates: [[489725.226281388953794, 2511318.462812131270766, 12.5, 7], [1e-9, -0.1, 3]] });
    const { rows } = await db.query<{ gj: string; dims: number }>("SELECT ST_AsGeoJSON(g, 17) AS gj, ST_NDims(g) AS dims FROM (SELECT ST_GeomFromWKB(decode($1, 'hex')) AS g) x", [hex]);
    expect(rows[0]?.dims).toBe(2);
    expect(JSON.parse(rows[0]?.gj as string).coordinates).toEqual([[489725.226281388953794, 2511318.462812131270766], [1e-9, -0.1]]);
  });

  it('answers null for NaN or infinite coordinates anywhere', () => {
    expect(hexWkb({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, Number.NaN], [0, 0]]] })).toBeNull();
    expect(hexWkb({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [Number.POSITIVE_INFINITY, 1] }] })).toBeNull();
    // …and the next call starts clean.
    expect(hexWkb({ type: 'Point', coordinates: [1, 2] })).toBe('0101000000000000000000f03f0000000000000040');
  });

  it('grows its buffer for a geometry larger than the initial scratch space', async () => {
    const big: number[][] = Array.from({ length: 20_000 }, (_, i) => [114 + Math.cos(i / 3183) * 0.01, 22 + Math.sin(i / 3183) * 0.01]);
    big.push(big[0] as number[]);
    const hex = hexWkb({ type: 'Polygon', coordinates: [big] }) as string;
    expect(hex.length).toBe(2 * (9 + 4 + 20_001 * 16));
    const { rows } = await db.query<{ n: number }>("SELECT ST_NPoints(ST_GeomFromWKB(decode($1, 'hex'))) AS n", [hex]);
    expect(rows[0]?.n).toBe(20_001);
  });
});
