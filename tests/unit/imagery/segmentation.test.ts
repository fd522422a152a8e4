import { describe, expect, it } from 'vitest';
import { close, dilate, erode, open } from '../../../api/src/imagery/binary-morphology.ts';
import { RunLabeller } from '../../../api/src/imagery/run-components.ts';
import { kittlerIllingworthThreshold, otsuThreshold } from '../../../api/src/imagery/threshold.selector.ts';

function mask(rows: string[]): { m: Uint8Array; w: number; h: number } {
  const w = (rows[0] as string).length;
  return { m: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)), w, h: rows.length };
}
const show = (m: Uint8Array, w: number) => Array.from({ length: m.length / w }, (_, y) => Array.from(m.subarray(y * w, y * w + w), (v) => (v ? '#' : '.')).join(''));

/** Deterministic normal samples (Box–Muller on a fixed LCG). */
function normals(n: number, mean: number, sd: number, seed = 1): number[] {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('thresholds', () => {
  it('split a bimodal sample between its modes; Kittler–Illingworth stays near the small class', () => {
    const values = Float32Array.from([...normals(9500, 2, 1, 3), ...normals(500, 12, 2, 5)]);
    const ki = kittlerIllingworthThreshold(values) as number;
    const otsu = otsuThreshold(values) as number;
    expect(ki).toBeGreaterThan(4.5);
    expect(ki).toBeLessThan(9);
    expect(otsu).toBeGreaterThan(4);
    expect(otsu).toBeLessThan(10);
  });

  it('return null for constant or too few values', () => {
    expect(otsuThreshold(new Float32Array(100).fill(3))).toBeNull();
    expect(kittlerIllingworthThreshold(Float32Array.from([1]))).toBeNull();
  });
});

describe('binary morphology', () => {
  it('opening removes specks and one-pixel spurs, closing fills pinholes', () => {
    const { m, w, h } = mask(['#.........', '..........', '...#####..', '...#####..', '...#####..', '..........', '......##..', '..........']);
    expect(show(open(m, w, h, 1), w)).toEqual(['..........', '..........', '...#####..', '...#####..', '...#####..', '..........', '..........', '..........']);
    const hole = mask(['.......', '.......', '..###..', '..#.#..', '..###..', '.......', '.......']);
    expect(show(close(hole.m, hole.w, hole.h, 1), hole.w)[3]).toBe('..###..');
  });

  it('replicates edges: a patch on the border is neither eaten nor grown there', () => {
    const { m, w, h } = mask(['###..', '###..', '###..', '.....']);
    expect(show(erode(m, w, h, 1), w)).toEqual(['##...', '##...', '.....', '.....']);
    expect(show(dilate(m, w, h, 1), w)[3]).toBe('####.');
  });
});

describe('run labelling', () => {
  it('joins a U shape into one component, keeps diagonal neighbours apart, sums values', () => {
    const { m, w, h } = mask(['#.#..#', '#.#...', '###.#.', '......']);
    const labeller = new RunLabeller(1000);
    const ones = new Float32Array(w * h).fill(1);
    for (let y = 0; y < h; y++) labeller.addRow(y, m, y * w, w, { magnitude: ones, brightness: ones });
    const comps = labeller.finish();
    expect(comps.map((c) => c.pixels).sort((a, b) => a - b)).toEqual([1, 1, 7]);
    const u = comps.find((c) => c.pixels === 7);
    expect(u).toMatchObject({ minX: 0, maxX: 2, minY: 0, maxY: 2, sumMagnitude: 7 });
    expect(labeller.runsOf(u!).length).toBe(5);
  });

  it('refuses more runs than the limit with TOO_MANY_RUNS', () => {
    const { m, w } = mask(['#.#.#.#.#.#.#.#.#.#.']);
    const z = new Float32Array(w);
    const enough = new RunLabeller(10);
    enough.addRow(0, m, 0, w, { magnitude: z, brightness: z });
    expect(enough.runCount).toBe(10);
    expect(() => new RunLabeller(4).addRow(0, m, 0, w, { magnitude: z, brightness: z })).toThrow(/too fragmented/);
  });
});
