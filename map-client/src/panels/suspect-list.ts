import { fetchSuspects } from '../api/api-client.ts';
import type { MapConfig, Suspect, SuspectPoint } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { formatArea, formatNumber } from '../format/area-format.ts';
import { getLanguage, t } from '../i18n/i18n.ts';
import { SEVERITY_COLORS } from '../map/map-layers.ts';
import type { Store } from '../state/app-store.ts';
import { EXPORT_FORMATS, exportParams, listParams, SORT_KEYS, sortSuspects, type SortKey, type SuspectFilters } from '../state/url-state.ts';
import { DistrictFilter } from './district-filter.ts';

// Large pages: the list sorts what it has loaded, so the more it holds the better the order.
const PAGE_SIZE = 200;

/** The names of a suspect's rules in the UI language (from the API, or the translation files). */
export function ruleNames(s: Pick<Suspect, 'rules'> & Partial<Pick<Suspect, 'ruleNames'>>): string {
  const lang = getLanguage();
  const fromApi = s.ruleNames?.[lang === 'zh-CN' ? 'zh' : 'en'];
  const names = fromApi && fromApi.length === s.rules.length ? fromApi : s.rules.map((r) => t(`rule.${r}`));
  return names.join(lang === 'zh-CN' ? '、' : ', ');
}

/** A severity badge. */
export function severityBadge(severity: string | null): HTMLElement {
  return h('span', { class: `badge sev-${severity ?? 'none'}`, style: { background: SEVERITY_COLORS[severity ?? ''] ?? '#999' } }, t(`severity.${severity ?? 'none'}`));
}

/** What the list needs from the page. */
export interface SuspectListDeps {
  root: HTMLElement;
  store: Store;
  config: MapConfig | null;
  /** Current map bounds [w, s, e, n] for the "only in view" filter. */
  viewBounds: () => [number, number, number, number];
  /** Selects a suspect from the list (the page flies the map to it). */
  onPick: (s: Suspect) => void;
}

/**
 * The suspect list beside the map: filters (district tree, rule, severity, status, minimum area,
 * in view), sort, counts and keyset paging. The same filters drive the map's suspect layer.
 */
export class SuspectList {
  private items: Suspect[] = [];
  private nextCursor: string | null = null;
  private total: number | undefined;
  private status: 'idle' | 'loading' | 'missing' | 'error' = 'idle';
  private error = '';
  private loadSeq = 0;
  private severityCounts: Record<string, number> | null = null;
  private pointTotal: number | undefined;
  private readonly district: DistrictFilter;
  private readonly form = h('form', { class: 'filters', onSubmit: (e: Event) => e.preventDefault() });
  private readonly summary = h('div', { class: 'summary', id: 'suspect-count', 'aria-live': 'polite' });
  private readonly list = h('ol', { class: 'suspect-list', id: 'suspect-list' });
  private readonly footer = h('div', { class: 'list-footer' });

  constructor(private readonly deps: SuspectListDeps) {
    this.district = new DistrictFilter((code) => this.setFilters({ district: code }));
    deps.root.replaceChildren(this.form, this.summary, this.list, this.footer);
    this.render();
    void this.district.load(deps.store.get().filters.district);
  }

  private setFilters(patch: Partial<SuspectFilters>): void {
    this.deps.store.set({ filters: { ...this.deps.store.get().filters, ...patch } });
  }

  /**
   * Counts over every matching suspect, from the hexagon points (same filters): per severity, and the
   * total when the list API does not report one.
   */
  setSeverityCounts(points: SuspectPoint[] | null): void {
    this.pointTotal = points ? points.length : undefined;
    if (!points) this.severityCounts = null;
    else {
      const c: Record<string, number> = { serious: 0, general: 0, light: 0 };
      for (const p of points) {
        const key = ['light', 'general', 'serious'][p[3]];
        if (key) c[key] = (c[key] ?? 0) + 1;
      }
      this.severityCounts = c;
    }
    this.renderSummary();
  }

  /** Reloads the first page (filters, sort or view changed). */
  async reload(): Promise<void> {
    this.items = [];
    this.nextCursor = null;
    this.total = undefined;
    await this.loadPage(null);
  }

  private async loadPage(cursor: string | null): Promise<void> {
    const seq = ++this.loadSeq;
    const { filters } = this.deps.store.get();
    const params = listParams(filters);
    params.set('limit', String(PAGE_SIZE));
    params.set('format', 'json');
    if (filters.inView) params.set('bbox', this.deps.viewBounds().map((v) => v.toFixed(6)).join(','));
    if (cursor) params.set('cursor', cursor);
    this.status = 'loading';
    this.renderSummary();
    const res = await fetchSuspects(params);
    if (seq !== this.loadSeq) return; // a newer request superseded this one
    if (res.ok) {
      this.items = cursor ? [...this.items, ...res.data.items] : res.data.items;
      this.nextCursor = res.data.nextCursor;
      if (res.data.total !== undefined) this.total = res.data.total;
      this.status = 'idle';
    } else {
      this.status = res.missing ? 'missing' : 'error';
      this.error = res.missing ? String(res.status) : res.message;
    }
    this.renderItems();
    this.renderSummary();
  }

  /** Re-draws everything (language switch, first render). */
  render(): void {
    this.renderForm();
    this.district.render();
    this.renderSummary();
    this.renderItems();
  }

  private renderForm(): void {
    const f = this.deps.store.get().filters;
    const vocab = this.deps.config?.filters ?? { rules: [], severities: ['light', 'general', 'serious'], statuses: [] };
    const select = (id: string, label: string, value: string | undefined, options: Array<[string, string]>, onChange: (v: string) => void) =>
      h(
        'label',
        { class: 'inline' },
        label,
        ' ',
        h(
          'select',
          { id, onChange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
          h('option', { value: '' }, t('filters.all')),
          options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
        ),
      );
    this.form.replaceChildren(
      this.district.element,
      select('filter-rule', t('filters.rule'), f.rule, vocab.rules.map((r) => [r, t(`rule.${r}`)]), (v) => this.setFilters({ rule: v || undefined })),
      h(
        'fieldset',
        { class: 'severity-filter' },
        h('legend', {}, t('filters.severity')),
        [...vocab.severities].reverse().map((s) =>
          h(
            'label',
            { class: 'inline' },
            h('input', {
              type: 'checkbox',
              value: s,
              id: `filter-severity-${s}`,
              checked: f.severity?.includes(s) ?? false,
              onChange: (e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                const set = new Set(this.deps.store.get().filters.severity ?? []);
                if (on) set.add(s);
                else set.delete(s);
                this.setFilters({ severity: set.size > 0 ? [...set] : undefined });
              },
            }),
            t(`severity.${s}`),
          ),
        ),
      ),
      select('filter-status', t('filters.status'), f.status, vocab.statuses.map((s) => [s, t(`status.${s}`)]), (v) => this.setFilters({ status: v || undefined })),
      h(
        'label',
        { class: 'inline' },
        t('filters.minArea'),
        ' ',
        h('input', {
          type: 'number',
          id: 'filter-min-area',
          min: 0,
          step: 10,
          value: f.minArea ?? '',
          onChange: (e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            this.setFilters({ minArea: Number.isFinite(v) && v > 0 ? v : undefined });
          },
        }),
      ),
      h(
        'label',
        { class: 'inline' },
        h('input', { type: 'checkbox', id: 'filter-in-view', checked: f.inView ?? false, onChange: (e: Event) => this.setFilters({ inView: (e.target as HTMLInputElement).checked || undefined }) }),
        t('filters.inView'),
      ),
      select('filter-sort', t('filters.sort'), f.sort ?? 'area_desc', SORT_KEYS.map((k) => [k, t(`sort.${k}`)]), (v) => this.setFilters({ sort: (v || 'area_desc') as SortKey })),
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          id: 'filter-reset',
          onClick: () => {
            this.district.reset();
            this.deps.store.set({ filters: {} });
          },
        },
        t('filters.reset'),
      ),
    );
  }

  /** Export of the list as filtered (XLSX by default), for leaders' spreadsheets and field apps. */
  private exportControl(): HTMLElement {
    const filters = this.deps.store.get().filters;
    const base = this.deps.config?.exportUrl ?? '/api/exports/suspects';
    const link = h('a', { id: 'list-export', class: 'export', download: '', href: `${base}?${exportParams(filters, 'xlsx').toString()}` }, t('list.export'));
    const format = h(
      'select',
      {
        id: 'list-export-format',
        'aria-label': t('list.exportFormat'),
        onChange: (e: Event) => {
          const value = (e.target as HTMLSelectElement).value as (typeof EXPORT_FORMATS)[number];
          link.setAttribute('href', `${base}?${exportParams(this.deps.store.get().filters, value).toString()}`);
        },
      },
      EXPORT_FORMATS.map((f) => h('option', { value: f }, f.toUpperCase())),
    );
    return h('div', { class: 'list-export' }, format, ' ', link);
  }

  private renderSummary(): void {
    const lang = getLanguage();
    const parts: Array<string | HTMLElement> = [];
    if (this.status === 'missing') parts.push(h('p', { class: 'notice', id: 'list-unavailable' }, t('list.unavailable', { status: this.error })));
    else if (this.status === 'error') parts.push(h('p', { class: 'notice error' }, t('list.error', { message: this.error })));
    else {
      // In view, the list covers less than the points (which follow the filters only).
      const inView = this.deps.store.get().filters.inView;
      const total = this.total ?? (this.nextCursor === null ? this.items.length : inView ? undefined : this.pointTotal);
      parts.push(
        h('strong', {}, total === undefined ? t('list.countUnknown', { shown: formatNumber(this.items.length, lang) }) : t('list.count', { total: formatNumber(total, lang) })),
      );
      if (this.status === 'loading') parts.push(' ', h('span', { class: 'hint' }, t('list.loading')));
      if (this.nextCursor !== null && this.items.length > 0) parts.push(h('div', { class: 'hint' }, t('list.sortedLoaded', { shown: formatNumber(this.items.length, lang) })));
    }
    parts.push(this.exportControl());
    if (this.severityCounts) {
      parts.push(
        h(
          'div',
          { class: 'severity-counts' },
          (['serious', 'general', 'light'] as const).map((s) => h('span', {}, severityBadge(s), ` ${formatNumber(this.severityCounts?.[s] ?? 0, lang)}`)),
        ),
      );
    }
    this.summary.replaceChildren(...parts);
  }

  private renderItems(): void {
    const lang = getLanguage();
    const selected = this.deps.store.get().selectedId;
    if (this.items.length === 0 && this.status === 'idle') {
      this.list.replaceChildren(h('li', { class: 'empty' }, t('list.empty')));
    } else {
      this.list.replaceChildren(
        ...sortSuspects(this.items, this.deps.store.get().filters.sort ?? 'area_desc').map((s) =>
          h(
            'li',
            {
              class: `suspect-item${s.id === selected ? ' selected' : ''}`,
              dataset: { id: String(s.id) },
              tabindex: 0,
              onClick: () => this.deps.onPick(s),
              onKeydown: (e: KeyboardEvent) => {
                if (e.key === 'Enter') this.deps.onPick(s);
              },
            },
            h('div', { class: 'row' }, severityBadge(s.severity), h('b', {}, `#${s.id}`), h('span', { class: 'rules' }, ruleNames(s))),
            h(
              'div',
              { class: 'meta' },
              h('span', { class: 'area' }, formatArea(s.areaM2, lang)),
              ' · ',
              s.district?.village?.name ?? s.district?.name ?? '—',
              ' · ',
              t(s.isNew ? 'list.new' : 'list.stock'),
              ' · ',
              t(`status.${s.status}`),
            ),
          ),
        ),
      );
    }
    this.footer.replaceChildren(
      this.nextCursor ? h('button', { type: 'button', id: 'load-more', onClick: () => void this.loadPage(this.nextCursor) }, t('list.more')) : '',
    );
  }

  /** Marks the selected item and scrolls it into view. */
  markSelected(id: number | null): void {
    this.list.querySelectorAll<HTMLElement>('.suspect-item').forEach((el) => {
      const on = Number(el.dataset.id) === id;
      el.classList.toggle('selected', on);
      if (on) el.scrollIntoView({ block: 'nearest' });
    });
  }
}
