/**
 * The demo's before/after imagery: `loadDemo` registers both dates (idempotently), the pixels of the
 * later date are bright new roofs over every planted new building and unchanged roofs over stock
 * ones (read back from the GeoTIFFs with the geotiff package, not our reader), and a suspect's
 * thumbnails pair the 2023 and 2025 dates — for change patches too, whose QSX lies nearer 2025.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { fromFile } from 'geotiff';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { DEMO_DIR, loadDemo, type DemoReport } from '../../../api/src/demo/demo.service.ts';
import type { JobService } from '../../../api/src/jobs/jobs.service.ts';
import { createLogger } from '../../../api/src/logger.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';

interface TruthCase {
  id: string;
  subject: { kind: 'building' | 'change_patch'; id: string };
  isNew: boolean;
  findings: unknown[];
}
const truth = JSON.parse(readFileSync(path.join(DEMO_DIR, 'truth.json'), 'utf8')) as { cases: TruthCase[] };
const manifest = JSON.parse(readFileSync(path.join(DEMO_DIR, 'demo-manifest.json'), 'utf8')) as { imagery: Array<{ file: string; date: string }> };
const BEFORE = { file: 'imagery_2023-06-20.tif', date: '2023-06-20' };
const AFTER = { file: 'imagery_2025-07-05.tif', date: '2025-07-05' };

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lw-demo-imagery-'));
let db: Db;
let app: Express;
let jobs: JobService;
let report: DemoReport;

beforeAll(async () => {
  db = await createTestDb();
  report = await loadDemo(db, createLogger('silent'), { analyse: (d) => runAnalysis(d, { mode: 'full' }), dataDir });
  ({ app, jobs } = createTestApp(db, { LANDWATCH_DATA_DIR: dataDir }));
}, 600_000);
afterAll(async () => {
  await jobs?.drain();
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The suspect of a planted case: its id and a point inside it in EPSG:4547 metres. */
async function suspectOf(c: TruthCase): Promise<{ id: number; x: number; y: number }> {
  const { rows } = await db.query<{ id: number; x: number; y: number }>(
    `SELECT s.id, ST_X(p) AS x, ST_Y(p) AS y
     FROM suspect s, LATERAL (SELECT ST_Transform(ST_PointOnSurface(s.geom), 4547) AS p) q
     WHERE s.active AND s.subject_kind = $1 AND s.source_id = $2`,
    [c.subject.kind, c.subject.id],
  );
  expect(rows, `suspect of ${c.id}`).toHaveLength(1);
  const r = rows[0]!;
  return { id: Number(r.id), x: Number(r.x), y: Number(r.y) };
}

/** Blue, green, red, NIR of the pixel holding an EPSG:4547 point, read with the geotiff package. */
async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const tiff = await fromFile(path.join(DEMO_DIR, file));
  try {
    const image = await tiff.getImage();
    const [ox, oy] = image.getOrigin() as [number, number];
    const [rx, ry] = image.getResolution() as [number, number];
    const col = Math.floor((x - ox) / rx);
    const row = Math.floor((y - oy) / ry);
    expect(col >= 0 && row >= 0 && col < image.getWidth() && row < image.getHeight(), `${x},${y} inside ${file}`).toBe(true);
    const bands = (await image.readRasters({ window: [col, row, col + 1, row + 1] })) as unknown as ArrayLike<number>[];
    return Array.from({ length: 4 }, (_, b) => Number(bands[b]![0]));
  } finally {
    tiff.close();
  }
}

const newBuildings = truth.cases.filter((c) => c.subject.kind === 'building' && c.isNew && c.findings.length > 0);
const RED = 2;

describe('demo imagery', () => {
  it('the manifest lists the 2023 and 2025 dates, and loading registers both with their dates', async () => {
    expect(manifest.imagery.map((i) => ({ file: i.file, date: i.date }))).toEqual([BEFORE, AFTER]);
    expect(report.imagery.map(({ file, date, noop }) => ({ file, date, noop }))).toEqual([
      { ...BEFORE, noop: false },
      { ...AFTER, noop: false },
    ]);
    const res = await request(app).get('/api/imagery').expect(200);
    const list = res.body.imagery as Array<{ id: number; date: string; bands: string[]; srs: string; resolutionM: number; bbox: number[]; width: number }>;
    expect(list.map((i) => i.date)).toEqual([AFTER.date, BEFORE.date]);
    for (const i of list) {
      expect(i.srs).toBe('EPSG:4547');
      expect(i.bands).toEqual(expect.arrayContaining(['blue', 'green', 'red', 'nir']));
      expect(i.resolutionM).toBeGreaterThan(4.9);
      expect(i.resolutionM).toBeLessThan(5.1);
      // The township near 114.05°E, 22.91°N.
      expect(i.bbox[0]).toBeLessThan(114.04);
      expect(i.bbox[2]).toBeGreaterThan(114.07);
      expect(i.bbox[1]).toBeLessThan(22.91);
      expect(i.bbox[3]).toBeGreaterThan(22.92);
    }
  });

  it('registering the demo imagery again changes nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-demo-imagery-again-'));
    try {
      for (const f of [BEFORE.file, AFTER.file]) copyFileSync(path.join(DEMO_DIR, f), path.join(dir, f));
      writeFileSync(path.join(dir, 'demo-manifest.json'), JSON.stringify({ datasets: [], imagery: manifest.imagery }));
      const again = await loadDemo(db, createLogger('silent'), { dir, dataDir });
      expect(again.imagery.map((i) => i.noop)).toEqual([true, true]);
      expect(again.imagery.map((i) => i.imageryId)).toEqual(report.imagery.map((i) => i.imageryId));
      expect((await request(app).get('/api/imagery').expect(200)).body.imagery).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every planted new building is a bright new roof in 2025 and absent in 2023', async () => {
    expect(newBuildings.length).toBeGreaterThanOrEqual(10);
    for (const c of newBuildings) {
      const s = await suspectOf(c);
      const before = await pixel(BEFORE.file, s.x, s.y);
      const after = await pixel(AFTER.file, s.x, s.y);
      // New roofs are ~2850 in red; crops, grass and soil under 1200 (a footprint may only partly
      // cover the pixel, so the margin is generous; stock roofs only get the 4 % brightening).
      expect(after[RED]! - before[RED]! * 1.04, `${c.id} red ${before[RED]} → ${after[RED]}`).toBeGreaterThan(400);
    }
  });

  it('a stock building looks the same on both dates (but for the 4 % brightening)', async () => {
    const stock = truth.cases.find((c) => c.id === 'farmland_stock')!;
    const s = await suspectOf(stock);
    const before = await pixel(BEFORE.file, s.x, s.y);
    const after = await pixel(AFTER.file, s.x, s.y);
    for (let b = 0; b < 4; b++) expect(after[b]! / before[b]!, `band ${b + 1}`).toBeCloseTo(1.04, 1);
  });

  it('thumbnails of a new building and of a change patch pair the 2023 and 2025 dates, and differ', async () => {
    const cases = [newBuildings.find((c) => c.id === 'farmland_general')!, truth.cases.find((c) => c.id === 'cultivated_serious_patch')!];
    for (const c of cases) {
      const s = await suspectOf(c);
      const res = await request(app).get(`/api/imagery/suspects/${s.id}/thumbnails?size=128`).expect(200);
      expect(res.body.before?.date, c.id).toBe(BEFORE.date);
      expect(res.body.after?.date, c.id).toBe(AFTER.date);
      const before = await request(app).get(res.body.before.href).expect(200).expect('Content-Type', 'image/png');
      const after = await request(app).get(res.body.after.href).expect(200).expect('Content-Type', 'image/png');
      expect(before.body.length).toBeGreaterThan(100);
      expect(Buffer.compare(before.body as Buffer, after.body as Buffer), c.id).not.toBe(0);
    }
  });

  it('serves raster tiles of both dates over the township', async () => {
    // z15 tile of 114.05°E, 22.91°N.
    const n = 2 ** 15;
    const x = Math.floor(((114.05 + 180) / 360) * n);
    const lat = (22.91 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
    for (const i of report.imagery) await request(app).get(`/imagery/${i.imageryId}/15/${x}/${y}.png`).expect(200).expect('Content-Type', 'image/png');
  });
});
