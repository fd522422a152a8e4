import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import type { JobService } from '../../../api/src/jobs/jobs.service.ts';
import { lonLatToMercator, MERCATOR_HALF } from '../../../api/src/imagery/imagery-tile.renderer.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { PLANTED_BLOCK, writeSyntheticPair } from './synthetic-pair.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lw-imagery-api-'));
const sourceDir = mkdtempSync(path.join(os.tmpdir(), 'lw-imagery-src-'));
let db: Db;
let app: Express;
let jobs: JobService;
let pair: { before: string[]; after: string[] };
const ids: Record<'before' | 'after', number> = { before: 0, after: 0 };

beforeAll(async () => {
  db = await createTestDb();
  ({ app, jobs } = createTestApp(db, { LANDWATCH_DATA_DIR: dataDir }));
  pair = await writeSyntheticPair(sourceDir);
});
afterAll(async () => {
  await jobs?.drain();
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(sourceDir, { recursive: true, force: true });
});

async function finished(jobId: string): Promise<{ status: string; result: Record<string, unknown>; error: unknown }> {
  await jobs.drain();
  return (await request(app).get(`/api/jobs/${jobId}`).expect(200)).body;
}

/** Width, height and RGBA of one of our PNGs (filter "sub" rows). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  let p = 8;
  const idat: Buffer[] = [];
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < stride; i++) rgba[y * stride + i] = ((raw[y * (stride + 1) + 1 + i] as number) + (i >= 4 ? (rgba[y * stride + i - 4] as number) : 0)) & 0xff;
  }
  return { width, height, rgba };
}

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const [x, y] = lonLatToMercator(lon, lat);
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  return [Math.floor((x + MERCATOR_HALF) / size), Math.floor((MERCATOR_HALF - y) / size)];
}

const [blockLon, blockLat] = PLANTED_BLOCK.ring[0] as [number, number];

describe(`imagery registry, tiles and thumbnails over HTTP (${TEST_BACKEND})`, () => {
  it('registers uploads of each date as jobs (per-band files; a stack with a band map)', async () => {
    let req = request(app).post('/api/imagery').field('name', 'before S2');
    for (const f of pair.before) req = req.attach('file', f);
    const first = await req.expect(202);
    const a = await finished(first.body.jobId as string);
    expect(a.status, JSON.stringify(a.error)).toBe('succeeded');
    ids.before = (a.result.imagery as { id: number }).id;
    const second = await request(app).post('/api/imagery').field('date', '2021-01-10').field('bands', 'blue=1,green=2,red=3,nir=4').attach('file', pair.after[0] as string).expect(202);
    const b = await finished(second.body.jobId as string);
    expect(b.status, JSON.stringify(b.error)).toBe('succeeded');
    ids.after = (b.result.imagery as { id: number }).id;
    const bad = await request(app).post('/api/imagery').field('date', 'yesterday').attach('file', pair.after[0] as string).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('lists imagery with date, footprint and tile template, newest first', async () => {
    const res = await request(app).get('/api/imagery').expect(200);
    const list = res.body.imagery as Array<{ id: number; date: string; bbox: number[]; tiles: string; bands: string[] }>;
    expect(list.map((i) => i.date)).toEqual(['2021-01-10', '2020-01-05']);
    expect(list[1]).toMatchObject({ id: ids.before, tiles: `/imagery/${ids.before}/{z}/{x}/{y}.png` });
    expect(list[1]!.bbox[0]).toBeLessThan(blockLon);
    expect(list[1]!.bbox[2]).toBeGreaterThan(blockLon);
    expect((await request(app).get(`/api/imagery/${ids.before}`).expect(200)).body.stretch.red).toHaveLength(2);
    expect((await request(app).get('/api/imagery/999999').expect(404)).body.code).toBe('IMAGERY_NOT_FOUND');
  });

  it('serves valid 256 × 256 PNG tiles in Web Mercator, 204 outside, 304 on a matching ETag', async () => {
    const [x, y] = tileOf(blockLon, blockLat, 15);
    const res = await request(app).get(`/imagery/${ids.after}/15/${x}/${y}.png`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = decodePng(res.body as Buffer);
    expect([png.width, png.height]).toEqual([256, 256]);
    let opaque = 0;
    for (let i = 3; i < png.rgba.length; i += 4) if (png.rgba[i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(256 * 256 * 0.2);
    await request(app).get(`/imagery/${ids.after}/15/${x}/${y}.png`).set('If-None-Match', res.headers.etag as string).expect(304);
    await request(app).get(`/imagery/${ids.after}/15/0/0.png`).expect(204);
    await request(app).get(`/imagery/${ids.after}/3/9/9.png`).expect(400);
  });

  it('renders thumbnails of a box, by id and by date (before / after)', async () => {
    const bbox = [blockLon - 0.003, blockLat - 0.003, blockLon + 0.004, blockLat + 0.003].join(',');
    const byId = await request(app).get(`/api/imagery/${ids.before}/thumbnail.png?bbox=${bbox}&size=128`).expect(200);
    const { width, height } = decodePng(byId.body as Buffer);
    expect(Math.max(width, height)).toBe(128);
    const before = await request(app).get(`/api/imagery/thumbnail?bbox=${bbox}&date=2020-06-01&when=before`).expect(200);
    expect(before.headers['x-imagery-id']).toBe(String(ids.before));
    const after = await request(app).get(`/api/imagery/thumbnail?bbox=${bbox}&date=2020-06-01&when=after`).expect(200);
    expect(after.headers['x-imagery-date']).toBe('2021-01-10');
    await request(app).get('/api/imagery/thumbnail?bbox=10,10,10.1,10.1&date=2020-06-01').expect(404);
    expect((await request(app).get(`/api/imagery/${ids.before}/thumbnail.png?bbox=1,2,3`).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('runs change detection between registered dates as a job and imports the patches', async () => {
    const res = await request(app).post('/api/imagery/change-detections').send({ before: { imageryId: ids.before }, after: { imageryId: ids.after } }).expect(202);
    const job = await finished(res.body.jobId as string);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ patches: 2, dataset: { kind: 'change_patch', features: 2 } });
    const { rows } = await db.query<{ yx: string }>(`SELECT DISTINCT attrs ->> 'QSX_YXID' AS yx FROM subject WHERE kind = 'change_patch'`);
    expect(rows.map((r) => r.yx)).toEqual([String(ids.before)]);
  });

  it('accepts server paths inside the data folder only', async () => {
    const inside = path.join(dataDir, 'delivered');
    mkdirSync(inside, { recursive: true });
    for (const f of [...pair.before, ...pair.after]) copyFileSync(f, path.join(inside, path.basename(f)));
    const ok = await request(app)
      .post('/api/imagery/change-detections')
      .send({ before: { files: pair.before.map((f) => `delivered/${path.basename(f)}`) }, after: { files: [`delivered/${path.basename(pair.after[0] as string)}`] }, minAreaM2: 100_000, name: 'cd-from-paths' })
      .expect(202);
    expect((await finished(ok.body.jobId as string)).result).toMatchObject({ patches: 1 });
    for (const bad of ['../../../etc/passwd', '/etc/passwd']) {
      const res = await request(app).post('/api/imagery/change-detections').send({ before: { files: [bad] }, after: { imageryId: ids.after } }).expect(400);
      expect(res.body.code).toBe('PATH_NOT_ALLOWED');
    }
    await request(app).post('/api/imagery/change-detections').send({ before: { imageryId: 424242 }, after: { imageryId: ids.after } }).expect(404);
    await request(app).post('/api/imagery/change-detections').send({ before: { imageryId: ids.before } }).expect(400);
  });

  it('pairs a suspect with the imagery of its patch dates (QSX/HSX) for the detail thumbnails', async () => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO suspect (suspect_key, subject_id, subject_kind, source_id, epoch, area_m2, geom, geom_hash)
       SELECT 'test-' || s.id, s.id, s.kind, s.source_id, s.epoch, s.area_m2, s.geom, s.geom_hash
       FROM subject s WHERE s.kind = 'change_patch' ORDER BY s.area_m2 LIMIT 1 RETURNING id`,
    );
    const suspectId = Number(rows[0]!.id);
    const res = await request(app).get(`/api/imagery/suspects/${suspectId}/thumbnails?size=200`).expect(200);
    expect(res.body).toMatchObject({ suspectId, before: { imageryId: ids.before, date: '2020-01-05' }, after: { imageryId: ids.after, date: '2021-01-10' } });
    const png = await request(app).get(res.body.after.href as string).expect(200);
    expect(decodePng(png.body as Buffer).width).toBeLessThanOrEqual(200);
    await request(app).get('/api/imagery/suspects/987654/thumbnails').expect(404);
  });
});
