import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../api/src/db/db.types.ts';
import { loadDemo } from '../../api/src/demo/demo.service.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createTestApp } from '../helpers/test-app.ts';
import { createTestDb, TEST_BACKEND } from '../helpers/test-db.ts';
import { missingRequirement, PROJECT_ROOT } from '../helpers/test-env.ts';

// Before/after imagery on the demo district in real headless Chromium: the imagery control, the
// swipe, the opacity slider and the suspect thumbnails, against the real API with the demo loaded
// (its 2023 and 2025 images registered by loadDemo). Waits are conditions, never timings.
const CHROMIUM = '/usr/bin/chromium';
const skip = missingRequirement({ paths: [CHROMIUM] });
const ARTIFACTS = path.join(os.tmpdir(), 'landwatch-e2e');

type MapLike = {
  loaded(): boolean;
  areTilesLoaded(): boolean;
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  project(p: [number, number]): { x: number; y: number };
  jumpTo(o: unknown): void;
  getPaintProperty(layer: string, name: string): unknown;
  getCanvas(): HTMLCanvasElement;
};
type Handle = {
  map: MapLike;
  imagery: { mapOf(side: 'before' | 'after'): MapLike | null; position(): number };
};

let db: Db;
let server: Server;
let origin: string;
let browser: Browser;
let distDir: string;
let dataDir: string;
/** The planted new building on basic farmland (4,500 m²) and a change patch, with their centroids. */
let building: { id: number; lon: number; lat: number };
let patch: { id: number; lon: number; lat: number };
let imageryIds: { before: number; after: number };

async function suspect(sourceId: string): Promise<{ id: number; lon: number; lat: number }> {
  const { rows } = await db.query<{ id: number; lon: number; lat: number }>(
    'SELECT id, ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM suspect WHERE active AND source_id = $1',
    [sourceId],
  );
  expect(rows, sourceId).toHaveLength(1);
  return { id: Number(rows[0]!.id), lon: Number(rows[0]!.lon), lat: Number(rows[0]!.lat) };
}

/** Opens the map at a hash, waits until it is ready and settled; records imagery responses. */
async function openMap(hash: string): Promise<{ page: Page; requests: string[]; imagery: Array<{ url: string; status: number; type: string }> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const requests: string[] = [];
  const imagery: Array<{ url: string; status: number; type: string }> = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    if (r.url().includes('/imagery/')) imagery.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] ?? '' });
  });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${origin}/${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', null, { timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
  await page.waitForFunction(() => {
    const lw = (window as unknown as { landwatch?: Handle }).landwatch;
    return !!lw && lw.map.loaded() && lw.map.areTilesLoaded();
  }, null, { timeout: 60_000, polling: 100 });
  return { page, requests, imagery };
}

/** Waits until both imagery maps exist and have drawn their tiles. */
async function imageryDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const lw = (window as unknown as { landwatch: Handle }).landwatch;
    return (['before', 'after'] as const).every((s) => {
      const m = lw.imagery.mapOf(s);
      return !!m && m.loaded() && m.areTilesLoaded() && !!m.getPaintProperty('imagery', 'raster-opacity');
    });
  }, null, { timeout: 60_000, polling: 100 });
}

/** Mean RGB of a 5 × 5 patch of an imagery map's canvas around a lon/lat. */
async function canvasRgb(page: Page, side: 'before' | 'after', lonLat: [number, number]): Promise<number[]> {
  return page.evaluate(
    ([s, ll]) => {
      const m = (window as unknown as { landwatch: Handle }).landwatch.imagery.mapOf(s as 'before' | 'after')!;
      const src = m.getCanvas();
      const p = m.project(ll as [number, number]);
      const ratio = src.width / src.clientWidth;
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(src, 0, 0);
      const d = ctx.getImageData(Math.round(p.x * ratio) - 2, Math.round(p.y * ratio) - 2, 5, 5).data;
      const sum = [0, 0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 4; k++) sum[k]! += d[i + k]!;
      return sum.map((v) => v / 25);
    },
    [side, lonLat] as const,
  );
}

const clipLeft = (page: Page) => page.evaluate(() => /inset\(0px 0px 0px (\d+)px\)/.exec(document.getElementById('imagery-after')!.style.clipPath)?.[1] ?? null);

describe.skipIf(skip)(`before/after imagery in headless Chromium (${TEST_BACKEND})`, () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    distDir = path.join(ARTIFACTS, `dist-imagery-${process.pid}`);
    execFileSync('npx', ['vite', 'build', '--config', 'map-client/vite.config.ts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'lw-e2e-imagery-'));
    db = await createTestDb();
    const report = await loadDemo(db, createLogger('silent'), { analyse: (d) => runAnalysis(d, { mode: 'full' }), dataDir });
    imageryIds = { before: report.imagery.find((i) => i.date === '2023-06-20')!.imageryId, after: report.imagery.find((i) => i.date === '2025-07-05')!.imageryId };
    building = await suspect('JZ25-01247');
    patch = await suspect('JC440999-2025-005');
    const { app } = createTestApp(db, { LANDWATCH_MAP_DIST: distDir, LANDWATCH_DATA_DIR: dataDir });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('draws the 2023 and 2025 images under the map from our own tiles, split by a draggable swipe', async () => {
    const { page, requests, imagery } = await openMap(`#map=17/${building.lat.toFixed(5)}/${building.lon.toFixed(5)}`);
    // The control offers the registered dates; the default pair is the oldest and the newest.
    expect(await page.inputValue('#imagery-before-select')).toBe(String(imageryIds.before));
    expect(await page.inputValue('#imagery-after-select')).toBe(String(imageryIds.after));
    expect(await page.textContent('#imagery-before-select')).toContain('2023-06-20');
    expect(await page.isVisible('#swipe-divider')).toBe(false);

    await page.check('#imagery-toggle');
    await imageryDrawn(page);
    for (const id of [imageryIds.before, imageryIds.after]) {
      const tiles = imagery.filter((r) => new RegExp(`/imagery/${id}/\\d+/\\d+/\\d+\\.png$`).test(r.url));
      expect(tiles.some((r) => r.status === 200 && r.type === 'image/png'), `raster tiles of imagery ${id}`).toBe(true);
    }
    // The new building: farmland in 2023, a bright roof in 2025, drawn by the two imagery maps.
    const before = await canvasRgb(page, 'before', [building.lon, building.lat]);
    const after = await canvasRgb(page, 'after', [building.lon, building.lat]);
    expect(after[3], 'after map drew something').toBe(255);
    expect(after[0]! + after[1]! + after[2]!, `before ${before.join(',')} after ${after.join(',')}`).toBeGreaterThan(before[0]! + before[1]! + before[2]! + 150);

    // Swipe: "after" is clipped to the right of the divider, which starts in the middle.
    expect(await page.isVisible('#swipe-divider')).toBe(true);
    const width = (await page.locator('.map-wrap').boundingBox())!.width;
    const x0 = Number(await clipLeft(page));
    expect(x0).toBeCloseTo(width / 2, -1);
    const handle = (await page.locator('#swipe-divider .swipe-handle').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 200, handle.y + handle.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Number(await clipLeft(page))).toBeGreaterThan(x0 + 190);
    expect(Number(await clipLeft(page))).toBeLessThan(x0 + 210);
    const divider = (await page.locator('#swipe-divider').boundingBox())!;
    const wrap = (await page.locator('.map-wrap').boundingBox())!;
    expect(divider.x + divider.width / 2 - wrap.x).toBeCloseTo(Number(await clipLeft(page)), -1);
    // The keyboard moves it too (2 % a step).
    const p0 = await page.evaluate(() => (window as unknown as { landwatch: Handle }).landwatch.imagery.position());
    await page.focus('#swipe-divider .swipe-handle');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.evaluate(() => (window as unknown as { landwatch: Handle }).landwatch.imagery.position())).toBeCloseTo(p0 - 0.02, 5);

    // The imagery maps follow the main map.
    await page.evaluate(() => (window as unknown as { landwatch: Handle }).landwatch.map.jumpTo({ zoom: 15.5 }));
    await expect.poll(() => page.evaluate(() => (window as unknown as { landwatch: Handle }).landwatch.imagery.mapOf('after')!.getZoom())).toBeCloseTo(15.5, 5);

    const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside, 'imagery must work offline').toEqual([]);
    const shot = path.join(ARTIFACTS, 'map-imagery-swipe.png');
    await page.screenshot({ path: shot });
    console.info(`[e2e] screenshot ${shot}`);
    await page.close();
  });

  it('sets the raster opacity with the slider, shows one date, and hides the imagery again', async () => {
    const { page } = await openMap(`#map=16/${building.lat.toFixed(5)}/${building.lon.toFixed(5)}`);
    await page.check('#imagery-toggle');
    await imageryDrawn(page);
    const opacity = (side: 'before' | 'after') =>
      page.evaluate((s) => (window as unknown as { landwatch: Handle }).landwatch.imagery.mapOf(s)!.getPaintProperty('imagery', 'raster-opacity'), side);
    expect(await opacity('after')).toBe(1);
    await page.locator('#imagery-opacity').evaluate((el: HTMLInputElement) => {
      el.value = '40';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect.poll(() => opacity('after')).toBeCloseTo(0.4, 5);
    expect(await opacity('before')).toBeCloseTo(0.4, 5);
    expect(await page.textContent('#imagery-opacity-value')).toBe('40%');

    // "After only": no divider, no clip, the before map hidden.
    await page.selectOption('#imagery-mode', 'after');
    await expect.poll(() => page.isVisible('#swipe-divider')).toBe(false);
    expect(await page.evaluate(() => document.getElementById('imagery-after')!.style.clipPath)).toBe('none');
    expect(await page.isVisible('#imagery-before')).toBe(false);
    expect(await page.isVisible('#imagery-after')).toBe(true);

    await page.uncheck('#imagery-toggle');
    await expect.poll(() => page.isVisible('#imagery-after')).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { landwatch: { map: { getPaintProperty(l: string, p: string): unknown } } }).landwatch.map.getPaintProperty('background', 'background-opacity'))).toBe(1);
    await page.close();
  });

  it('shows before/after thumbnails of a planted new building and of a change patch in the detail panel', async () => {
    for (const s of [building, patch]) {
      const { page } = await openMap(`#map=16/${s.lat.toFixed(5)}/${s.lon.toFixed(5)}&suspect=${s.id}`);
      await expect.poll(() => page.textContent('#detail-title')).toContain(`#${s.id}`);
      await expect.poll(() => page.locator('#detail-thumbs img').count(), { timeout: 30_000 }).toBe(2);
      await page.waitForFunction(
        () => [...document.querySelectorAll<HTMLImageElement>('#detail-thumbs img')].every((img) => img.complete && img.naturalWidth > 0),
        null,
        { timeout: 30_000, polling: 100 },
      );
      const sizes = await page.$$eval('#detail-thumbs img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
      expect(sizes.every((w) => w >= 128)).toBe(true);
      const captions = await page.$$eval('#detail-thumbs figcaption', (els) => els.map((e) => e.textContent ?? ''));
      expect(captions).toEqual(['前时相 2023-06-20', '后时相 2025-07-05']);
      expect(await page.locator('#detail-thumbs .thumb-outline path').count()).toBe(2);
      if (s === building) {
        const shot = path.join(ARTIFACTS, 'map-imagery-thumbnails.png');
        await page.screenshot({ path: shot });
        console.info(`[e2e] screenshot ${shot}`);
      }
      await page.close();
    }
  });
});
