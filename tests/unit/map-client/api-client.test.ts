import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchDistrictStats, fetchSuspects } from '../../../map-client/src/api/api-client.ts';

function respond(status: number, body: unknown, type = 'application/json') {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('API client (map-client/src/api/api-client.ts)', () => {
  it('reads a suspect page under `items` (issue contract) or `suspects` (suspects module)', async () => {
    vi.stubGlobal('fetch', respond(200, { suspects: [{ id: 1 }], nextCursor: '1' }));
    const a = await fetchSuspects(new URLSearchParams({ limit: '1' }));
    expect(a).toEqual({ ok: true, data: { items: [{ id: 1 }], nextCursor: '1', total: undefined } });
    vi.stubGlobal('fetch', respond(200, { items: [{ id: 2 }], nextCursor: null, total: 1 }));
    const b = await fetchSuspects(new URLSearchParams());
    expect(b).toEqual({ ok: true, data: { items: [{ id: 2 }], nextCursor: null, total: 1 } });
  });

  it('tells a missing route (not built yet) from a missing suspect or a failure', async () => {
    vi.stubGlobal('fetch', respond(404, { code: 'ROUTE_NOT_FOUND', detail: 'No route for GET /api/suspects' }, 'application/problem+json'));
    expect(await fetchSuspects(new URLSearchParams())).toMatchObject({ ok: false, missing: true, status: 404 });
    vi.stubGlobal('fetch', respond(404, { code: 'NOT_FOUND', detail: 'Suspect 9 not found' }, 'application/problem+json'));
    expect(await fetchSuspects(new URLSearchParams())).toMatchObject({ ok: false, missing: false, status: 404, message: 'Suspect 9 not found' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new Error('network down'))));
    expect(await fetchSuspects(new URLSearchParams())).toEqual({ ok: false, missing: false, status: 0, message: 'network down' });
  });

  it('asks district statistics with an explicit level and unwraps `{ districts }`', async () => {
    const fetchMock = respond(200, { level: 'township', districts: [{ code: '440305001000' }] });
    vi.stubGlobal('fetch', fetchMock);
    const r = await fetchDistrictStats({ level: 'township', parent: '440305000000' });
    expect(r).toEqual({ ok: true, data: [{ code: '440305001000' }] });
    expect(String((fetchMock.mock.calls as unknown as Array<[string]>)[0]![0])).toBe('/api/stats/districts?level=township&parent=440305000000');
  });
});
