import { fetchDistrictStats } from '../api/api-client.ts';
import type { DistrictStats } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

const LEVELS = ['county', 'township', 'village'] as const;
type Level = (typeof LEVELS)[number];

/** The county and township codes that contain a 12-digit district code (GB/T 2260 + 3 + 3). */
export function ancestors(code: string): { county: string; township: string | null; village: string | null } {
  const county = `${code.slice(0, 6)}000000`;
  const township = code.slice(6, 9) === '000' ? null : `${code.slice(0, 9)}000`;
  const village = code.slice(9) === '000' ? null : code;
  return { county, township, village };
}

/**
 * The county → township → village selects of the list filters, filled from
 * GET /api/stats/districts (level=county, then parent=…). Calls `onChange` with the most specific
 * code chosen, or undefined for all. When the statistics route is missing the selects stay disabled.
 */
export class DistrictFilter {
  readonly element: HTMLElement;
  private readonly selects: Record<Level, HTMLSelectElement>;
  private options: Record<Level, DistrictStats[]> = { county: [], township: [], village: [] };
  private message: HTMLElement;
  private value: string | undefined;

  constructor(private readonly onChange: (code: string | undefined) => void) {
    const make = (level: Level) =>
      h('select', { id: `district-${level}`, disabled: true, onChange: () => void this.choose(level) });
    this.selects = { county: make('county'), township: make('township'), village: make('village') };
    this.message = h('p', { class: 'hint' });
    this.element = h('div', { class: 'district-filter' });
    this.render();
  }

  /** Re-draws labels in the current language (keeps the choice). */
  render(): void {
    this.element.replaceChildren(
      h('span', { class: 'label' }, t('filters.district')),
      ...LEVELS.map((l) => h('label', { class: 'inline' }, t(`filters.${l}`), ' ', this.selects[l])),
      this.message,
    );
    for (const level of LEVELS) this.fill(level);
  }

  /** Loads the counties and selects `code` (from the URL) if given. */
  async load(code: string | undefined): Promise<void> {
    const counties = await fetchDistrictStats({ level: 'county' });
    if (!counties.ok) {
      this.message.textContent = counties.missing ? t('filters.districtUnavailable') : t('list.error', { message: counties.message });
      return;
    }
    this.options.county = counties.data;
    this.fill('county');
    if (code) {
      const a = ancestors(code);
      this.selects.county.value = a.county;
      await this.loadChildren('county', a.county);
      if (a.township) {
        this.selects.township.value = a.township;
        await this.loadChildren('township', a.township);
        if (a.village) this.selects.village.value = a.village;
      }
      this.value = code;
    }
  }

  private fill(level: Level): void {
    const select = this.selects[level];
    const current = select.value;
    select.replaceChildren(
      h('option', { value: '' }, t('filters.all')),
      ...this.options[level].map((d) => h('option', { value: d.code }, `${d.name} (${d.total})`)),
    );
    select.value = current;
    select.disabled = this.options[level].length === 0;
  }

  private async loadChildren(level: Level, parent: string): Promise<void> {
    const next = LEVELS[LEVELS.indexOf(level) + 1];
    if (!next) return;
    const rows = await fetchDistrictStats({ level: next, parent });
    this.options[next] = rows.ok ? rows.data : [];
    this.fill(next);
  }

  private async choose(level: Level): Promise<void> {
    const code = this.selects[level].value;
    // Changing a level clears the levels below it.
    for (const below of LEVELS.slice(LEVELS.indexOf(level) + 1)) {
      this.options[below] = [];
      this.fill(below);
    }
    if (code) await this.loadChildren(level, code);
    const parentLevel = LEVELS[LEVELS.indexOf(level) - 1];
    this.value = code || (parentLevel ? this.selects[parentLevel].value || undefined : undefined);
    this.onChange(this.value);
  }

  /** Clears the choice (filters reset). */
  reset(): void {
    this.selects.county.value = '';
    this.options.township = [];
    this.options.village = [];
    this.fill('township');
    this.fill('village');
    this.value = undefined;
  }
}
