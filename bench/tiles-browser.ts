/**
 * Bench helper for the tile benchmark: time from page load to the first suspect drawn on the demo
 * map in headless Chromium. Builds the web map as `npm run build` does (into a temporary folder),
 * runs `landwatch serve --demo` on the embedded database (what `npm start` runs), opens the map
 * in a fresh browser context each time and measures, with the page's own clock (performance.now(),
 * which starts at navigation), when MapLibre first reports a rendered feature of the suspects layer
 * (`queryRenderedFeatures`, checked every animation frame).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from './tiles-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

/** One page load: ms from navigation start to the map's `load`, and to the first suspect drawn. */
export interface FirstSuspect {
  loadMs: number;
  firstSuspectMs: number;
  suspectsDrawn: number;
}

/** Why the measurement cannot run here, or null. */
export function browserSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM}`;
  return null;
}

/** Runs `repeats` page loads against a fresh demo server; prints nothing, returns the loads. */
export async function timeFirstSuspect(repeats: number): Promise<{ loads: FirstSuspect[]; serverStartMs: number; buildMs: number }> {
  const { chromium } = await import('playwright-core');
  const dist = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-map-'));
  const t0 = performance.now();
  execFileSync('npx', ['vite', 'build', '--config', 'map-client/vite.config.ts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const buildMs = performance.now() - t0;
  // The embedded database in memory, as a first `npm start` would have it (demo loaded and analysed).
  const server = await startServe({ DATABASE_URL: '', LANDWATCH_DATA_DIR: ':memory:', LANDWATCH_MAP_DIST: dist }, ['--demo']);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const loads: FirstSuspect[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
      type Lw = {
        map: {
          getLayer(id: string): unknown;
          loaded(): boolean;
          queryRenderedFeatures(o: unknown): unknown[];
          once(ev: string, cb: () => void): void;
        };
      };
      // The map's `load` time, recorded by a listener installed as soon as the handle exists.
      await page.waitForFunction(() => Boolean((window as unknown as { landwatch?: unknown }).landwatch), null, { timeout: 120_000, polling: 'raf' });
      await page.evaluate(() => {
        const w = window as unknown as { landwatch: Lw; __lwLoad?: number };
        if (w.landwatch.map.loaded()) w.__lwLoad = performance.now();
        else w.landwatch.map.once('load', () => (w.__lwLoad = performance.now()));
      });
      const handle = await page.waitForFunction(
        () => {
          const lw = (window as unknown as { landwatch?: Lw }).landwatch;
          if (!lw || !lw.map.getLayer('suspects-fill')) return false;
          const n = lw.map.queryRenderedFeatures({ layers: ['suspects-fill'] }).length;
          return n > 0 ? { at: performance.now(), n } : false;
        },
        null,
        { timeout: 120_000, polling: 'raf' },
      );
      const hit = (await handle.jsonValue()) as { at: number; n: number };
      const loadMs = (await page.evaluate(() => (window as unknown as { __lwLoad?: number }).__lwLoad ?? Number.NaN)) as number;
      loads.push({ loadMs, firstSuspectMs: hit.at, suspectsDrawn: hit.n });
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    await rm(dist, { recursive: true, force: true });
  }
  return { loads, serverStartMs: server.startMs, buildMs };
}
