import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pixelScores } from '../../../api/src/imagery/accuracy.metrics.ts';
import { detectChanges } from '../../../api/src/imagery/change-detector.ts';
import { openRaster } from '../../../api/src/imagery/geotiff.reader.ts';
import { openScene } from '../../../api/src/imagery/imagery-scene.ts';
import { missingRequirement, SHARED_DATA } from '../../helpers/test-env.ts';

// OSCD change labels are CC BY-NC-SA: read from the shared corpus at test time, never copied here.
const OSCD = path.join(SHARED_DATA, 'imagery/oscd');
const skip = missingRequirement({ paths: [path.join(OSCD, 'beihai/cm'), path.join(OSCD, 'hongkong/cm'), path.join(OSCD, 'chongqing')] });

const files = (city: string, n: number) => readdirSync(path.join(OSCD, city, `imgs_${n}`)).filter((f) => f.endsWith('.tif')).map((f) => path.join(OSCD, city, `imgs_${n}`, f));

async function run(city: string) {
  const before = await openScene(files(city, 1), { label: 'before' });
  const after = await openScene(files(city, 2), { label: 'after' });
  try {
    return await detectChanges(before, after, { collectMask: true });
  } finally {
    await before.close();
    await after.close();
  }
}

/**
 * Floors set from what was measured (docs/change-detection.md): Beihai F1 0.428, Hong Kong 0.487 with
 * the automatic threshold. Plain change-vector analysis with Otsu scores 0.21 / 0.35 and fails them.
 */
describe.skipIf(skip)('accuracy on OSCD (pixel F1 against the cm/ labels)', () => {
  it.each([
    ['beihai', 0.4],
    ['hongkong', 0.45],
  ])('%s reaches F1 ≥ %s with the automatic threshold', async (city, floor) => {
    const r = await run(city);
    const cm = await openRaster(path.join(OSCD, city, 'cm', `${city}-cm.tif`));
    const [labels] = await cm.readNative([0, 0, cm.info.width, cm.info.height], [0]);
    await cm.close();
    // The tif labels are 1 (no change) and 2 (change).
    const s = pixelScores(r.mask as Uint8Array, labels as ArrayLike<number>, (v) => v === 2);
    console.info(`${city}: F1 ${s.f1.toFixed(3)}, precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, threshold ${r.threshold.toFixed(2)} (${r.thresholdHow}), ${r.patches.length} patches`);
    expect(s.f1).toBeGreaterThanOrEqual(floor);
    expect(s.precision).toBeGreaterThan(0.25);
    expect(s.recall).toBeGreaterThan(0.4);
  });

  it('runs on Chongqing (no labels) and flags a plausible share of it', async () => {
    const r = await run('chongqing');
    const share = r.stats.changedPixels / r.stats.comparedPixels;
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.25);
  });
});
