import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { area, intersect } from '@turf/turf';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectChanges } from '../../../api/src/imagery/change-detector.ts';
import { openScene, type Scene } from '../../../api/src/imagery/imagery-scene.ts';
import { writeSyntheticScene } from '../../../api/src/imagery/synthetic-scene.generator.ts';
import { PLANTED_BLOCK, PLANTED_RING, writeSyntheticPair } from './synthetic-pair.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-cd-'));
let before: Scene;
let after: Scene;
beforeAll(async () => {
  const files = await writeSyntheticPair(dir);
  before = await openScene(files.before, { label: 'before' });
  after = await openScene(files.after, { label: 'after' });
});
afterAll(async () => {
  await before?.close();
  await after?.close();
  rmSync(dir, { recursive: true, force: true });
});

const polygonOf = (ring: Array<[number, number]>, holes: Array<Array<[number, number]>> = []): Polygon => ({ type: 'Polygon', coordinates: [ring, ...holes] });

describe('change detection on a planted synthetic pair (different CRS and grid per date)', () => {
  it('reads per-band files by Sentinel-2 names, a 4-band stack by band order, and dates from names', () => {
    expect(before.bandMapHow).toBe('file-names');
    expect(after.bandMapHow).toBe('band-order');
    expect([before.date, after.date]).toEqual(['2020-01-05', '2021-01-10']);
    expect([before.grid.crs.epsg, after.grid.crs.epsg]).toEqual([32649, 4326]);
  });

  it('finds the planted block with the right area and place, and the ring with its courtyard as a hole', async () => {
    const r = await detectChanges(before, after);
    expect(r.patches).toHaveLength(2);
    const [block, ring] = [...r.patches].sort((a, b) => a.properties.MJ - b.properties.MJ);
    const planted = polygonOf(PLANTED_BLOCK.ring);
    const plantedArea = area(planted);
    expect(block!.properties.MJ / plantedArea).toBeGreaterThan(0.93);
    expect(block!.properties.MJ / plantedArea).toBeLessThan(1.07);
    const overlap = area(intersect({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: planted }, { type: 'Feature', properties: {}, geometry: block!.geometry as Polygon }] })!);
    expect(overlap / (plantedArea + block!.properties.MJ - overlap)).toBeGreaterThan(0.85); // IoU
    const ringGeom = ring!.geometry as Polygon;
    expect(ringGeom.type).toBe('Polygon');
    expect(ringGeom.coordinates).toHaveLength(2);
    const hole = area(polygonOf(ringGeom.coordinates[1] as Array<[number, number]>));
    const plantedHole = area(polygonOf(PLANTED_RING.holes![0]!));
    expect(hole / plantedHole).toBeGreaterThan(0.8);
    expect(hole / plantedHole).toBeLessThan(1.25);
    // Attributes: dates, type, NDVI drop (vegetation/soil → roofs), confidence in [0, 1].
    expect(block!.properties).toMatchObject({ QSX: '2020-01-05', HSX: '2021-01-10', JCBH: expect.stringMatching(/^20200105-20210110-000\d$/) });
    expect(block!.properties.confidence).toBeGreaterThan(0);
    expect(block!.properties.confidence).toBeLessThanOrEqual(1);
    expect(typeof block!.properties.ndvi_before).toBe('number');
    // Radiometric normalisation found the after date's gain (1.15; bilinear resampling onto the other grid smooths its noise a little).
    for (const s of r.model.slope) {
      expect(s).toBeGreaterThan(1.05);
      expect(s).toBeLessThan(1.3);
    }
  });

  it('gives identical patches whatever the strip size (windowed processing is exact)', async () => {
    const whole = await detectChanges(before, after, { stripPixels: 10_000_000 });
    const strips = await detectChanges(before, after, { stripPixels: 3_000 });
    expect(strips.stats.changedPixels).toBe(whole.stats.changedPixels);
    expect(JSON.stringify(strips.patches)).toBe(JSON.stringify(whole.patches));
  });

  it('honours a threshold override and the minimum area', async () => {
    const strict = await detectChanges(before, after, { threshold: 1e6 });
    expect(strict.patches).toHaveLength(0);
    expect(strict.thresholdHow).toBe('option');
    const big = await detectChanges(before, after, { minAreaM2: 100_000 });
    expect(big.patches).toHaveLength(1);
    expect(big.stats.droppedBelowMinArea).toBe(1);
  });

  it('reports little on a pair with no change (no-change floor on the threshold)', async () => {
    const t: [number, number, number, number, number, number] = [800_000, 10, 0, 2_390_000, 0, -10];
    const quiet = mkdtempSync(path.join(dir, 'quiet-'));
    const [b] = await writeSyntheticScene(quiet, 'q_20200101', { width: 200, height: 200, transform: t, epsg: 32649, date: 'before', changes: [] });
    const [a] = await writeSyntheticScene(quiet, 'q_20210101', { width: 200, height: 200, transform: t, epsg: 32649, date: 'after', changes: [] });
    const sb = await openScene([b as string]);
    const sa = await openScene([a as string]);
    const r = await detectChanges(sb, sa);
    expect(r.threshold).toBeGreaterThanOrEqual(4.3);
    expect(r.stats.changedPixels / r.stats.comparedPixels).toBeLessThan(0.005);
    await sb.close();
    await sa.close();
  });

  it('refuses dates that do not overlap', async () => {
    const far = mkdtempSync(path.join(dir, 'far-'));
    const [f] = await writeSyntheticScene(far, 'far_20210101', { width: 20, height: 20, transform: [500_000, 10, 0, 2_000_000, 0, -10], epsg: 32649, date: 'after', changes: [] });
    const s = await openScene([f as string]);
    await expect(detectChanges(before, s)).rejects.toThrow(/do not overlap|disjoint/);
    await s.close();
  });
});
