import { describe, expect, it } from 'vitest';
import { signedArea, simplifyRing, traceRuns, type PixelRing } from '../../../api/src/imagery/polygon-tracer.ts';

/** Runs [y, x0, x1) of a picture ('#' = set). */
function runsOf(rows: string[]): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  rows.forEach((row, y) => {
    for (const m of row.matchAll(/#+/g)) runs.push([y, m.index as number, (m.index as number) + m[0].length]);
  });
  return runs;
}

const area = (r: PixelRing) => Math.abs(signedArea(r));

describe('polygon tracing on pixel edges', () => {
  it('traces a rectangle as its four corners', () => {
    const [p] = traceRuns(runsOf(['....', '.###', '.###']), 0);
    expect(p?.holes).toEqual([]);
    expect(p!.shell[0]).toEqual(p!.shell.at(-1));
    expect(p!.shell.slice(0, -1).map(String).sort()).toEqual(['1,1', '1,3', '4,1', '4,3']);
    expect(signedArea(p!.shell)).toBe(6);
  });

  it('follows pixel edges, not a hull: an L keeps its notch', () => {
    const [p] = traceRuns(runsOf(['#..', '#..', '###']), 0);
    expect(area(p!.shell)).toBe(5);
    expect(p!.shell.length - 1).toBe(6);
  });

  it('traces a component with a hole: one shell, one hole, areas exact', () => {
    const [p, extra] = traceRuns(runsOf(['#####', '#...#', '#...#', '#####']), 0);
    expect(extra).toBeUndefined();
    expect(area(p!.shell)).toBe(20);
    expect(p!.holes).toHaveLength(1);
    expect(area(p!.holes[0]!)).toBe(6);
    expect(signedArea(p!.holes[0]!)).toBeLessThan(0);
    expect(area(p!.shell) - area(p!.holes[0]!)).toBe(14);
  });

  it('lets a hole touch the shell at a diagonal vertex without crossing (valid OGC rings)', () => {
    // Outside pixel (0,0) and hole pixel (1,1) meet diagonally at vertex (1,1): a saddle.
    const rows = ['.###', '#..#', '####'];
    const polys = traceRuns(runsOf(rows), 0);
    expect(polys).toHaveLength(1);
    const [p] = polys;
    const pixels = rows.join('').split('').filter((c) => c === '#').length;
    expect(area(p!.shell) - p!.holes.reduce((s, h) => s + area(h), 0)).toBe(pixels);
    expect(p!.holes).toHaveLength(1);
    expect(p!.shell).toContainEqual([1, 1]);
    expect(p!.holes[0]).toContainEqual([1, 1]);
    for (const ring of [p!.shell, ...p!.holes]) {
      const seen = new Set(ring.slice(0, -1).map(([x, y]) => `${x},${y}`));
      expect(seen.size).toBe(ring.length - 1); // no ring visits a vertex twice
    }
  });

  it('keeps two holes apart and both inside', () => {
    const [p] = traceRuns(runsOf(['#######', '#.###.#', '#######']), 0);
    expect(p!.holes).toHaveLength(2);
    expect(p!.holes.map(area)).toEqual([1, 1]);
  });

  it('simplifies staircases within the tolerance and never below a triangle', () => {
    const stair: PixelRing = [[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [3, 2], [3, 3], [0, 3], [0, 0]];
    const simplified = simplifyRing(stair, 0.45);
    // Every original vertex stays within the tolerance of the simplified ring.
    const dist = ([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]) => {
      const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
      return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
    };
    for (const v of stair) expect(Math.min(...simplified.slice(0, -1).map((a, i) => dist(v, a, simplified[i + 1]!)))).toBeLessThanOrEqual(0.45);
    const straight = simplifyRing(stair, 0.8);
    expect(straight.length).toBeLessThan(stair.length);
    expect(straight.length).toBeGreaterThanOrEqual(4);
    const tiny: PixelRing = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(simplifyRing(tiny, 5)).toEqual(tiny);
  });

  it('returns nothing for no runs', () => {
    expect(traceRuns([])).toEqual([]);
  });
});
