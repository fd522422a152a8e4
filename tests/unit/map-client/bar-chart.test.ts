import { describe, expect, it } from 'vitest';
import { layoutBars } from '../../../map-client/src/panels/bar-chart.ts';

describe('bar chart layout (map-client/src/panels/bar-chart.ts)', () => {
  it('scales stacked bars to the largest total', () => {
    const layout = layoutBars([{ segments: [{ value: 2 }, { value: 2 }] }, { segments: [{ value: 1 }, { value: 0 }] }], 360);
    const [a, b] = layout.bars;
    expect(a!.total).toBe(4);
    expect(b!.total).toBe(1);
    const full = a!.segments[0]!.width + a!.segments[1]!.width;
    expect(b!.segments[0]!.width).toBeCloseTo(full / 4, 9);
    expect(a!.segments[1]!.x).toBeCloseTo(a!.segments[0]!.x + a!.segments[0]!.width, 9);
    expect(b!.y).toBeGreaterThan(a!.y);
  });

  it('draws empty bars for all-zero or negative data instead of dividing by zero', () => {
    const layout = layoutBars([{ segments: [{ value: 0 }] }, { segments: [{ value: -5 }] }], 300);
    for (const bar of layout.bars) for (const s of bar.segments) expect(s.width).toBe(0);
    expect(layoutBars([], 300).bars).toEqual([]);
  });
});
