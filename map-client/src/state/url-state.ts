/**
 * What the page URL's hash holds, so a link restores the analyst's view: the map view, the selected
 * suspect, the language and the list filters. Pure functions: no DOM, unit-tested.
 *
 * Format: `#map=ZOOM/LAT/LON&suspect=ID&lang=en&rule=FARMLAND&severity=serious,general&…`
 * (zoom/lat/lon order as on openstreetmap.org). Unknown or malformed parts are ignored.
 */

/** The map view: centre [lon, lat] in degrees (CGCS2000 ≈ WGS84) and zoom. */
export interface MapView {
  center: [number, number];
  zoom: number;
}

/** Sort orders the suspect list offers. */
export const SORT_KEYS = ['area_desc', 'area_asc', 'severity', 'newest', 'id'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The suspect list filters (the map's suspect layer follows the same ones). */
export interface SuspectFilters {
  /** 12-digit district code (county, township or village). */
  district?: string;
  rule?: string;
  severity?: string[];
  status?: string;
  /** Minimum area in m². */
  minArea?: number;
  /** Only suspects in the current map view. */
  inView?: boolean;
  sort?: SortKey;
}

/** Languages of the UI. */
export type Lang = 'zh-CN' | 'en';

/** Everything the hash can carry. */
export interface UrlState {
  view?: MapView;
  suspect?: number;
  lang?: Lang;
  filters: SuspectFilters;
}

const CODE = /^[A-Z_]{2,32}$/;
const WORD = /^[a-z_]{2,32}$/;

function parseView(value: string | null): MapView | undefined {
  if (!value) return undefined;
  const parts = value.split('/').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return undefined;
  const [zoom, lat, lon] = parts as [number, number, number];
  if (zoom < 0 || zoom > 24 || lat < -90 || lat > 90 || lon < -180 || lon > 180) return undefined;
  return { center: [lon, lat], zoom };
}

/** Parses a location hash (with or without the leading '#'). Never throws. */
export function parseHash(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: UrlState = { filters: {} };
  const view = parseView(params.get('map'));
  if (view) state.view = view;
  const suspect = Number(params.get('suspect'));
  if (Number.isInteger(suspect) && suspect > 0) state.suspect = suspect;
  const lang = params.get('lang');
  if (lang === 'en' || lang === 'zh-CN') state.lang = lang;
  const f = state.filters;
  const district = params.get('district');
  if (district && /^\d{12}$/.test(district)) f.district = district;
  const rule = params.get('rule');
  if (rule && CODE.test(rule)) f.rule = rule;
  const severity = (params.get('severity') ?? '').split(',').filter((s) => WORD.test(s));
  if (severity.length > 0) f.severity = severity;
  const status = params.get('status');
  if (status && WORD.test(status)) f.status = status;
  const minArea = Number(params.get('minArea'));
  if (params.has('minArea') && Number.isFinite(minArea) && minArea > 0) f.minArea = minArea;
  if (params.get('inView') === '1') f.inView = true;
  const sort = params.get('sort');
  if (sort && (SORT_KEYS as readonly string[]).includes(sort)) f.sort = sort as SortKey;
  return state;
}

/** Decimals for lat/lon at a zoom: about a pixel's worth, no more (short, stable URLs). */
export function coordinateDecimals(zoom: number): number {
  return Math.max(2, Math.min(7, Math.ceil((zoom * Math.LN2 + Math.log(512 / 360)) / Math.LN10)));
}

/** Formats the state as a hash string starting with '#'; omits what is unset. */
export function formatHash(state: UrlState): string {
  const parts: string[] = [];
  if (state.view) {
    const { zoom, center } = state.view;
    const d = coordinateDecimals(zoom);
    parts.push(`map=${Number(zoom.toFixed(2))}/${center[1].toFixed(d)}/${center[0].toFixed(d)}`);
  }
  if (state.suspect !== undefined) parts.push(`suspect=${state.suspect}`);
  if (state.lang && state.lang !== 'zh-CN') parts.push(`lang=${state.lang}`);
  const f = state.filters;
  if (f.district) parts.push(`district=${f.district}`);
  if (f.rule) parts.push(`rule=${f.rule}`);
  if (f.severity && f.severity.length > 0) parts.push(`severity=${[...f.severity].sort().join(',')}`);
  if (f.status) parts.push(`status=${f.status}`);
  if (f.minArea) parts.push(`minArea=${f.minArea}`);
  if (f.inView) parts.push('inView=1');
  if (f.sort && f.sort !== 'area_desc') parts.push(`sort=${f.sort}`);
  return `#${parts.join('&')}`;
}

/**
 * The leading digits every code inside a district shares: a 12-digit code loses its trailing zero
 * groups (village 3, township 3, county 2, city 2 digits): `440305001000` → `440305001`.
 */
export function districtPrefix(code: string): string {
  for (const n of [2, 4, 6, 9]) if (/^0*$/.test(code.slice(n))) return code.slice(0, n);
  return code;
}

/**
 * Query parameters for the suspect tiles and points from the filters (rule, severity, status,
 * district prefix, minArea). List-only settings (sort, inView) are left out.
 */
export function filterParams(filters: SuspectFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (filters.district) p.set('district', districtPrefix(filters.district));
  if (filters.rule) p.set('rule', filters.rule);
  if (filters.severity && filters.severity.length > 0) p.set('severity', [...filters.severity].sort().join(','));
  if (filters.status) p.set('status', filters.status);
  if (filters.minArea) p.set('minArea', String(filters.minArea));
  return p;
}

/**
 * Query parameters for GET /api/suspects: the same filters, with the minimum area under both the
 * name of the contract (minArea) and the one the suspects module reads (min_area_m2).
 */
export function listParams(filters: SuspectFilters): URLSearchParams {
  const p = filterParams(filters);
  if (filters.minArea) p.set('min_area_m2', String(filters.minArea));
  return p;
}

/** Export formats offered beside the list (GET /api/exports/suspects). */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'shp', 'geojson', 'kml'] as const;

/**
 * Query for GET /api/exports/suspects with the list's filters. Only names the export route accepts
 * (it refuses unknown ones, so a typo cannot silently export every district).
 */
export function exportParams(filters: SuspectFilters, format: (typeof EXPORT_FORMATS)[number]): URLSearchParams {
  const p = new URLSearchParams({ format });
  if (filters.district) p.set('district', districtPrefix(filters.district));
  if (filters.rule) p.set('rule', filters.rule);
  if (filters.severity && filters.severity.length > 0) p.set('severity', [...filters.severity].sort().join(','));
  if (filters.status) p.set('status', filters.status);
  if (filters.minArea) p.set('min_area_m2', String(filters.minArea));
  return p;
}

const SEVERITY_RANK: Record<string, number> = { serious: 3, general: 2, light: 1 };

/**
 * Orders suspects for the list. The suspects API pages in id order and has no sort parameter, so
 * the list sorts what it has loaded (the panel says so when more pages exist).
 */
export function sortSuspects<T extends { id: number; areaM2: number; severity: string | null; updatedAt?: string }>(items: readonly T[], sort: SortKey): T[] {
  const by: Record<SortKey, (a: T, b: T) => number> = {
    area_desc: (a, b) => b.areaM2 - a.areaM2 || a.id - b.id,
    area_asc: (a, b) => a.areaM2 - b.areaM2 || a.id - b.id,
    severity: (a, b) => (SEVERITY_RANK[b.severity ?? ''] ?? 0) - (SEVERITY_RANK[a.severity ?? ''] ?? 0) || b.areaM2 - a.areaM2 || a.id - b.id,
    newest: (a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || b.id - a.id,
    id: (a, b) => a.id - b.id,
  };
  return [...items].sort(by[sort]);
}
