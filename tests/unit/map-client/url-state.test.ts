import { describe, expect, it } from 'vitest';
import { coordinateDecimals, districtPrefix, filterParams, formatHash, listParams, parseHash, sortSuspects } from '../../../map-client/src/state/url-state.ts';

describe('URL state (map-client/src/state/url-state.ts)', () => {
  it('reads the view, the suspect, the language and the filters from the hash', () => {
    const s = parseHash('#map=14/22.9/114.0&suspect=12&lang=en&district=440305001000&rule=FARMLAND&severity=serious,general&status=new&minArea=500&inView=1&sort=severity');
    expect(s).toEqual({
      view: { zoom: 14, center: [114.0, 22.9] },
      suspect: 12,
      lang: 'en',
      filters: { district: '440305001000', rule: 'FARMLAND', severity: ['serious', 'general'], status: 'new', minArea: 500, inView: true, sort: 'severity' },
    });
  });

  it('ignores malformed or hostile parts instead of failing', () => {
    expect(parseHash('')).toEqual({ filters: {} });
    expect(parseHash('#map=99/1/2&suspect=-3&lang=fr')).toEqual({ filters: {} });
    expect(parseHash('#map=14/95/114')).toEqual({ filters: {} });
    expect(parseHash('#map=a/b/c&suspect=1.5&district=4403%27&rule=drop%20table&severity=<b>&minArea=-1&sort=random')).toEqual({ filters: {} });
  });

  it('writes a short hash that reads back to the same state (round trip)', () => {
    const hash = formatHash({ view: { zoom: 14.25, center: [114.0512345, 22.5498765] }, suspect: 7, lang: 'zh-CN', filters: { severity: ['serious', 'light'], rule: 'NO_PERMIT' } });
    expect(hash).toBe('#map=14.25/22.54988/114.05123&suspect=7&rule=NO_PERMIT&severity=light,serious');
    const back = parseHash(hash);
    expect(back.suspect).toBe(7);
    expect(back.view?.zoom).toBe(14.25);
    expect(back.view?.center[0]).toBeCloseTo(114.0512345, 4);
    expect(back.filters).toEqual({ rule: 'NO_PERMIT', severity: ['light', 'serious'] });
    expect(formatHash({ filters: {} })).toBe('#');
  });

  it('keeps about a pixel of precision per zoom', () => {
    expect(coordinateDecimals(3)).toBeLessThan(coordinateDecimals(18));
    expect(coordinateDecimals(18)).toBeGreaterThanOrEqual(6);
    expect(coordinateDecimals(0)).toBe(2);
  });

  it('turns district codes into prefixes and filters into tile and list parameters', () => {
    expect(districtPrefix('440305001001')).toBe('440305001001');
    expect(districtPrefix('440305001000')).toBe('440305001');
    expect(districtPrefix('440305000000')).toBe('440305');
    expect(districtPrefix('440300000000')).toBe('4403');
    expect(districtPrefix('440000000000')).toBe('44');
    const f = { district: '440305000000', severity: ['serious', 'general'], minArea: 100, sort: 'id' as const, inView: true };
    expect(filterParams(f).toString()).toBe('district=440305&severity=general%2Cserious&minArea=100');
    expect(listParams(f).toString()).toBe('district=440305&severity=general%2Cserious&minArea=100&min_area_m2=100');
  });

  it('sorts loaded suspects by area, severity, recency or id', () => {
    const items = [
      { id: 1, areaM2: 50, severity: 'light', updatedAt: '2025-01-02T00:00:00Z' },
      { id: 2, areaM2: 500, severity: 'general', updatedAt: '2025-01-01T00:00:00Z' },
      { id: 3, areaM2: 200, severity: 'serious', updatedAt: '2025-01-03T00:00:00Z' },
    ];
    const ids = (sort: Parameters<typeof sortSuspects>[1]) => sortSuspects(items, sort).map((s) => s.id);
    expect(ids('area_desc')).toEqual([2, 3, 1]);
    expect(ids('area_asc')).toEqual([1, 3, 2]);
    expect(ids('severity')).toEqual([3, 2, 1]);
    expect(ids('newest')).toEqual([3, 1, 2]);
    expect(ids('id')).toEqual([1, 2, 3]);
  });
});
