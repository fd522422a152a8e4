import en from './en.json' with { type: 'json' };
import zh from './zh-CN.json' with { type: 'json' };
import type { Lang } from '../state/url-state.ts';

/** A translation file: nested objects of strings. */
export interface Messages {
  [key: string]: string | Messages;
}

/** Every language's messages; zh-CN is the reference (the map is Chinese first). */
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zh as Messages, en: en as Messages };

/** Flattens nested messages to `a.b.c` keys. */
export function flattenMessages(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flattenMessages(v, key)) out.set(kk, vv);
  }
  return out;
}

const FLAT: Record<Lang, Map<string, string>> = { 'zh-CN': flattenMessages(MESSAGES['zh-CN']), en: flattenMessages(MESSAGES.en) };
let current: Lang = 'zh-CN';
const listeners = new Set<(lang: Lang) => void>();

/** The UI language. */
export function getLanguage(): Lang {
  return current;
}

/** Switches the UI language and tells every subscriber (panels re-render). */
export function setLanguage(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  for (const l of listeners) l(lang);
}

/** Calls `fn` after each language switch; returns the unsubscribe function. */
export function onLanguageChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The message for `key` in the current language with `{name}` placeholders filled. A key missing
 * in the language falls back to zh-CN, then to the key itself (visible, so it gets noticed).
 */
export function t(key: string, params: Record<string, string | number> = {}, lang: Lang = current): string {
  const text = FLAT[lang].get(key) ?? FLAT['zh-CN'].get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Whether a key exists (optional vocabularies: land-class codes, disposition codes …). */
export function hasMessage(key: string, lang: Lang = current): boolean {
  return FLAT[lang].has(key);
}

/**
 * Fills elements marked `data-i18n` (text), `data-i18n-title`, `data-i18n-placeholder` and
 * `data-i18n-aria-label` under `root` with the current language.
 */
export function translateDom(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n ?? '');
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-title]').forEach((el) => {
    el.title = t(el.dataset.i18nTitle ?? '');
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder ?? '');
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel ?? ''));
  });
}
