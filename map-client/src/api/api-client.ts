import type { DistrictStats, ImageryInfo, MapConfig, SearchHit, SuspectDetail, SuspectPage, SuspectPoint, SuspectThumbnails } from './api-types.ts';

/**
 * A call that may fail without breaking the page: `ok` with data, or why not. `missing` = the route
 * does not exist (yet) on this server — the suspects and stats API arrive with another module, and
 * the map must keep working (layers, tiles) until then.
 */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; missing: boolean; status: number; message: string };

async function getJson<T>(path: string, params?: URLSearchParams): Promise<ApiResult<T>> {
  const url = params && [...params.keys()].length > 0 ? `${path}?${params.toString()}` : path;
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (error) {
    return { ok: false, missing: false, status: 0, message: (error as Error).message };
  }
  if (res.ok) return { ok: true, data: (await res.json()) as T };
  let code = '';
  let message = res.statusText;
  try {
    const problem = (await res.json()) as { code?: string; detail?: string };
    code = problem.code ?? '';
    message = problem.detail ?? message;
  } catch {
    // not JSON: keep the status text
  }
  return { ok: false, missing: res.status === 404 && (code === 'ROUTE_NOT_FOUND' || code === ''), status: res.status, message };
}

/** Map configuration (basemap, layers, vocabularies, extent). */
export function fetchMapConfig(): Promise<ApiResult<MapConfig>> {
  return getJson<MapConfig>('/api/map-config');
}

/**
 * One page of suspects. `params` carries filters, bbox, cursor and limit. The page's list is read
 * from `items` (the contract of issue 5) or `suspects` (what the suspects module answers).
 */
export async function fetchSuspects(params: URLSearchParams): Promise<ApiResult<SuspectPage>> {
  const r = await getJson<Partial<SuspectPage> & { suspects?: SuspectPage['items'] }>('/api/suspects', params);
  if (!r.ok) return r;
  return { ok: true, data: { items: r.data.items ?? r.data.suspects ?? [], nextCursor: r.data.nextCursor ?? null, total: r.data.total } };
}

/** A suspect with findings and geometry. */
export function fetchSuspect(id: number): Promise<ApiResult<SuspectDetail>> {
  return getJson<SuspectDetail>(`/api/suspects/${id}`);
}

/**
 * District statistics at a level (county | township | village), optionally under a parent code;
 * rows may come bare or wrapped as `{ districts }`.
 */
export async function fetchDistrictStats(params: { level: string; parent?: string }): Promise<ApiResult<DistrictStats[]>> {
  const p = new URLSearchParams();
  p.set('level', params.level);
  if (params.parent) p.set('parent', params.parent);
  const r = await getJson<{ districts: DistrictStats[] } | DistrictStats[]>('/api/stats/districts', p);
  if (!r.ok) return r;
  return { ok: true, data: Array.isArray(r.data) ? r.data : (r.data.districts ?? []) };
}

/** Search suspects, districts and features. */
export async function searchMap(q: string): Promise<ApiResult<SearchHit[]>> {
  const r = await getJson<{ results: SearchHit[] }>('/api/map-search', new URLSearchParams({ q }));
  return r.ok ? { ok: true, data: r.data.results } : r;
}

/** Suspect centroids for the hexagon view, with the list's filters. */
export async function fetchSuspectPoints(filters: URLSearchParams): Promise<ApiResult<SuspectPoint[]>> {
  const r = await getJson<{ points: SuspectPoint[] }>('/api/map-points', filters);
  return r.ok ? { ok: true, data: r.data.points } : r;
}

/** Registered imagery dates, newest first (empty list when none are registered). */
export async function fetchImagery(): Promise<ApiResult<ImageryInfo[]>> {
  const r = await getJson<{ imagery: ImageryInfo[] }>('/api/imagery', new URLSearchParams({ limit: '200' }));
  return r.ok ? { ok: true, data: r.data.imagery } : r;
}

/** Before/after thumbnails of a suspect's site (`size` pixels on the long side). */
export function fetchSuspectThumbnails(id: number, size = 256): Promise<ApiResult<SuspectThumbnails>> {
  return getJson<SuspectThumbnails>(`/api/imagery/suspects/${id}/thumbnails`, new URLSearchParams({ size: String(size) }));
}
