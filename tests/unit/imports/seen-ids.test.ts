import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../../api/src/imports/seen-ids.filter.ts';

describe('SeenIds', () => {
  it('never misses a repeated id, wherever it comes', () => {
    for (const [first, again] of [['JZ0000001', 'JZ0000001'], ['', ''], ['南山区东湖村-17', '南山区东湖村-17']] as const) {
      const seen = new SeenIds();
      for (let i = 0; i < 1000; i++) seen.add(`other-${i}`);
      seen.add(first);
      expect(seen.maybeRepeated).toBe(false);
      for (let i = 1000; i < 2000; i++) seen.add(`other-${i}`);
      seen.add(again);
      expect(seen.maybeRepeated).toBe(true);
    }
  });

  it('reports no repeat for a million distinct ids of the shapes surveys use', () => {
    const seen = new SeenIds();
    for (let i = 0; i < 1_000_000; i++) seen.add(i % 2 ? `JZ${String(i).padStart(7, '0')}` : `4403051010010${i}`);
    expect(seen.maybeRepeated).toBe(false);
  });
});
