/**
 * Exports over many cursor batches: every row arrives once, in district order, and by-district
 * files are cut correctly where a district spans a batch boundary. (The 100,000-row memory bound
 * is measured by `npm run bench export`.)
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { strFromU8 } from 'fflate';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { missingRequirement } from '../../helpers/test-env.ts';
import { exportToFile, ogrFeatures, unzipFile } from './export-readers.ts';
import { seedBulkSuspects } from './export-seed.ts';

const N = 2500;
const VILLAGES = 15;
const BATCH = 97; // prime, so district runs straddle batch boundaries
let db: Db;
let dir: string;
const gdalMissing = missingRequirement({ commands: ['ogr2ogr', 'ogrinfo'] });

beforeAll(async () => {
  db = await createTestDb();
  await seedBulkSuspects(db, N, VILLAGES);
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-exports-stream-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('streamed exports', () => {
  it('stops the cursor when the client hangs up, and the database serves the next request', async () => {
    const { app } = createTestApp(db);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const firstChunk = await new Promise<number>((resolve, reject) => {
        const req = http.get(`http://127.0.0.1:${port}/api/exports/suspects?format=kml`, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.length);
            req.destroy(); // hang up after the first bytes
          });
        });
        req.on('error', () => undefined);
        setTimeout(() => reject(new Error('no data')), 60_000);
      });
      expect(firstChunk).toBeGreaterThan(0);
      // On the embedded database a stream holds the only connection: a leaked cursor would hang this.
      const next = await fetch(`http://127.0.0.1:${port}/api/exports/suspects?format=csv&district=440999001001`, { signal: AbortSignal.timeout(60_000) });
      expect(next.status).toBe(200);
      expect((await next.text()).split('\r\n').length).toBeGreaterThan(100);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('writes every row once, in district then id order, across many batches', async () => {
    const { file, result } = await exportToFile(db, { format: 'geojson' }, dir, BATCH);
    expect(result.rows).toBe(N);
    const features = (JSON.parse(await readFile(file, 'utf8')) as { features: Array<{ id: number; properties: { districtCode: string } }> }).features;
    expect(new Set(features.map((f) => f.id)).size).toBe(N);
    const keys = features.map((f) => `${f.properties.districtCode}:${String(f.id).padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('cuts a by-district zip at district changes inside batches', async () => {
    const { file, result } = await exportToFile(db, { format: 'geojson', byDistrict: 'true' }, dir, BATCH);
    expect(result.files).toHaveLength(VILLAGES);
    const entries = await unzipFile(file);
    let total = 0;
    for (const [name, bytes] of Object.entries(entries)) {
      const features = (JSON.parse(strFromU8(bytes)) as { features: Array<{ properties: { districtCode: string } }> }).features;
      total += features.length;
      expect(features.length).toBeGreaterThanOrEqual(Math.floor(N / VILLAGES));
      for (const f of features) expect(name.startsWith(f.properties.districtCode)).toBe(true);
    }
    expect(total).toBe(N);
  });

  it('streams XLSX and Shapefile of all rows', async () => {
    const xlsx = await exportToFile(db, { format: 'xlsx' }, dir, BATCH);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.file);
    expect(wb.getWorksheet('图斑明细')?.actualRowCount).toBe(N + 1);
    expect(wb.getWorksheet('村（社区）台账')?.actualRowCount).toBe(VILLAGES + 2);
    expect(wb.getWorksheet('汇总')?.actualRowCount).toBe(2 + 2);
    const shp = await exportToFile(db, { format: 'shp' }, dir, BATCH);
    expect(shp.result.rows).toBe(N);
    if (gdalMissing) return;
    expect(ogrFeatures(`/vsizip/${shp.file}`)).toHaveLength(N);
  });
});
