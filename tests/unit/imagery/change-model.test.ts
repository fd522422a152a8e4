import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeMagnitude, fitChangeModel, invertSymmetric } from '../../../api/src/imagery/change-model.ts';
import { resolveInside } from '../../../api/src/imagery/data-path.guard.ts';
import type { SceneWindow } from '../../../api/src/imagery/imagery-scene.ts';

function window(w: number, h: number, f: (band: number, x: number, y: number) => number): SceneWindow {
  const bands = ['blue', 'green', 'red', 'nir'] as const;
  const data: SceneWindow['data'] = {};
  bands.forEach((b, k) => (data[b] = Float32Array.from({ length: w * h }, (_, i) => f(k, i % w, Math.floor(i / w)))));
  return { width: w, height: h, data, valid: new Uint8Array(w * h).fill(1) };
}
const noise = (k: number, x: number, y: number, s: number) => Math.sin(x * 12.9898 + y * 78.233 + k * 37.719 + s) * 43758.5453 % 1;

describe('change model', () => {
  it('inverts a symmetric matrix', () => {
    const m = [4, 1, 0, 1, 3, 1, 0, 1, 2];
    const inv = invertSymmetric(m, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const v = [0, 1, 2].reduce((s, k) => s + (m[i * 3 + k] as number) * (inv[k * 3 + j] as number), 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 6);
      }
    }
  });

  it('recovers a linear radiometric change on unchanged pixels and flags the changed block', () => {
    const w = 120;
    const h = 120;
    const base = (k: number, x: number, y: number) => 1000 + 300 * k + 400 * Math.sin(x / 7 + k) * Math.cos(y / 9) + 20 * noise(k, x, y, 1);
    const before = window(w, h, base);
    const changed = (x: number, y: number) => x >= 40 && x < 70 && y >= 50 && y < 80;
    const after = window(w, h, (k, x, y) => (changed(x, y) ? 3000 : base(k, x, y) + 20 * noise(k, x, y, 2)) * 1.2 + 50);
    const { model, magnitudes } = fitChangeModel([{ before, after, rowStart: 0, rowEnd: h }], ['blue', 'green', 'red', 'nir'], { pifQuantile: 0.5, smoothingRadius: 1 });
    model.slope.forEach((s) => expect(s).toBeCloseTo(1.2, 1));
    expect(magnitudes.length).toBe(w * h);
    const m = changeMagnitude(before, after, model).magnitude;
    const inside = m[65 * w + 55] as number;
    const outside = m[10 * w + 10] as number;
    expect(inside).toBeGreaterThan(10 * outside);
  });

  it('refuses a sample with too few valid pixels', () => {
    const a = window(5, 5, () => 1);
    a.valid.fill(0);
    expect(() => fitChangeModel([{ before: a, after: a, rowStart: 0, rowEnd: 5 }], ['blue'], { pifQuantile: 0.5, smoothingRadius: 1 })).toThrow(/valid in both dates/);
  });
});

describe('data-folder path guard', () => {
  it('accepts files inside, refuses traversal, absolute paths and symlinks leading out', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lw-guard-'));
    mkdirSync(path.join(root, 'imagery'));
    writeFileSync(path.join(root, 'imagery', 'a.tif'), 'x');
    symlinkSync('/etc', path.join(root, 'escape'));
    expect(resolveInside(root, 'imagery/a.tif')).toMatch(/imagery\/a\.tif$/);
    expect(resolveInside(root, path.join(root, 'imagery', 'a.tif'))).toMatch(/a\.tif$/);
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'escape/passwd', 'imagery/../../x']) {
      expect(() => resolveInside(root, bad), bad).toThrow(/outside the data folder/);
    }
    expect(() => resolveInside(root, 'imagery/missing.tif')).toThrow(/no such file/);
    rmSync(root, { recursive: true, force: true });
  });
});
