import { describe, expect, it } from 'vitest';
import { significantPrefix } from '../../../api/src/stats/stats.service.ts';

describe('significantPrefix', () => {
  it('keeps the digits that name a district at its level', () => {
    expect(significantPrefix('440000000000')).toBe('44');
    expect(significantPrefix('440300000000')).toBe('4403');
    expect(significantPrefix('440305000000')).toBe('440305');
    expect(significantPrefix('440305001000')).toBe('440305001');
    expect(significantPrefix('440305001002')).toBe('440305001002');
    expect(significantPrefix('440305100000')).toBe('440305100');
  });
});
