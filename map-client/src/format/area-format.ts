import type { Lang } from '../state/url-state.ts';

/** Square metres in one 亩 (mu): 10000/15. */
export const M2_PER_MU = 10000 / 15;
/** Square metres in one hectare (公顷). */
export const M2_PER_HECTARE = 10000;

/** m² → 亩. */
export function m2ToMu(m2: number): number {
  return m2 / M2_PER_MU;
}

function locale(lang: Lang): string {
  return lang === 'zh-CN' ? 'zh-CN' : 'en-US';
}

/**
 * A number with grouping and at most `decimals` fraction digits (at least `minDecimals`), in the UI
 * language's style.
 */
export function formatNumber(value: number, lang: Lang, decimals = 0, minDecimals = 0): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: decimals, minimumFractionDigits: Math.min(minDecimals, decimals) }).format(value);
}

/** m² for display: one decimal below 100 m², whole square metres above. */
export function formatM2(m2: number, lang: Lang): string {
  return `${formatNumber(m2, lang, m2 < 100 ? 1 : 0)} m²`;
}

/** 亩 for display, always two decimals (how verification tables report them). */
export function formatMu(m2: number, lang: Lang): string {
  return `${formatNumber(m2ToMu(m2), lang, 2, 2)} ${lang === 'zh-CN' ? '亩' : 'mu'}`;
}

/**
 * An area in both units bureaus use: `1,234 m²（1.85 亩）` in Chinese, `1,234 m² (1.85 mu)` in
 * English; hectares are added from 10 ha up, where m² stop being readable.
 */
export function formatArea(m2: number, lang: Lang): string {
  const ha = m2 >= 10 * M2_PER_HECTARE ? `, ${formatNumber(m2 / M2_PER_HECTARE, lang, 2, 2)} ${lang === 'zh-CN' ? '公顷' : 'ha'}` : '';
  return lang === 'zh-CN' ? `${formatM2(m2, lang)}（${formatMu(m2, lang)}${ha}）` : `${formatM2(m2, lang)} (${formatMu(m2, lang)}${ha})`;
}

/** A length in metres, switching to km from 10 km. */
export function formatLength(m: number, lang: Lang): string {
  return m >= 10_000 ? `${formatNumber(m / 1000, lang, 2)} km` : `${formatNumber(m, lang, m < 100 ? 1 : 0)} m`;
}

/** A share 0..1 as a percentage. */
export function formatShare(share: number, lang: Lang): string {
  return `${formatNumber(share * 100, lang, 1)}%`;
}

/** Longitude/latitude in degrees with 6 decimals (≈ 0.1 m), labelled for CGCS2000. */
export function formatLonLat(lon: number, lat: number): string {
  const ew = lon >= 0 ? 'E' : 'W';
  const ns = lat >= 0 ? 'N' : 'S';
  return `${Math.abs(lon).toFixed(6)}°${ew} ${Math.abs(lat).toFixed(6)}°${ns}`;
}
