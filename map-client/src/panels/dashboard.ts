import { fetchDistrictStats } from '../api/api-client.ts';
import type { DistrictStats } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { formatNumber, m2ToMu } from '../format/area-format.ts';
import { getLanguage, t } from '../i18n/i18n.ts';
import { RULE_COLORS, SEVERITY_COLORS } from '../map/map-layers.ts';
import { barChart } from './bar-chart.ts';

const NEW_COLOR = '#d7301f';
const STOCK_COLOR = '#fdbb84';
const CHART_WIDTH = 340;

/** What the dashboard needs from the page. */
export interface DashboardDeps {
  root: HTMLElement;
  /** A bar was clicked: filter the list and map to that district. */
  onDistrict: (code: string) => void;
}

/**
 * The district dashboard: counts (new vs stock) and areas per district, counts per rule and per
 * severity, as SVG bar charts. Starts at the counties; clicking a bar drills down to its townships,
 * then villages, and filters the list and map to it.
 */
export class Dashboard {
  private rows: DistrictStats[] = [];
  private trail: Array<{ code: string; name: string }> = [];
  private message = '';
  private loaded = false;

  constructor(private readonly deps: DashboardDeps) {}

  /** Loads the current level (first call: counties). */
  async load(): Promise<void> {
    const parent = this.trail[this.trail.length - 1];
    const level = ['county', 'township', 'village'][Math.min(this.trail.length, 2)]!;
    const res = await fetchDistrictStats(parent ? { level, parent: parent.code } : { level });
    this.loaded = true;
    if (res.ok) {
      this.rows = res.data;
      this.message = res.data.length === 0 ? t('dashboard.empty') : '';
    } else {
      this.rows = [];
      this.message = res.missing ? t('dashboard.unavailable', { status: res.status }) : t('list.error', { message: res.message });
    }
    this.render();
  }

  /** Loads on first show only. */
  async ensureLoaded(): Promise<void> {
    if (!this.loaded) await this.load();
  }

  private drill(row: DistrictStats): void {
    this.deps.onDistrict(row.code);
    if (row.level === 'village') return;
    this.trail.push({ code: row.code, name: row.name });
    void this.load();
  }

  /** Re-draws in the current language. */
  render(): void {
    const lang = getLanguage();
    const fmt = (v: number) => formatNumber(v, lang);
    const crumbs = h(
      'nav',
      { class: 'crumbs' },
      h('a', { href: '#', onClick: (e: Event) => { e.preventDefault(); this.trail = []; void this.load(); } }, t('dashboard.all')),
      this.trail.flatMap((c, i) => [' › ', h('a', { href: '#', onClick: (e: Event) => { e.preventDefault(); this.trail = this.trail.slice(0, i + 1); void this.load(); } }, c.name)]),
    );
    if (this.rows.length === 0) {
      this.deps.root.replaceChildren(h('h2', {}, t('dashboard.title')), crumbs, h('p', { class: 'notice', id: 'dashboard-message' }, this.message || t('list.loading')));
      return;
    }
    const total = this.rows.reduce((s, r) => s + r.total, 0);
    const newCount = this.rows.reduce((s, r) => s + r.newCount, 0);
    const areaM2 = this.rows.reduce((s, r) => s + r.areaM2, 0);
    const byRule = new Map<string, number>();
    const bySeverity = { serious: 0, general: 0, light: 0 };
    for (const r of this.rows) {
      for (const [rule, v] of Object.entries(r.byRule ?? {})) byRule.set(rule, (byRule.get(rule) ?? 0) + v.count);
      for (const s of ['serious', 'general', 'light'] as const) bySeverity[s] += r.bySeverity?.[s] ?? 0;
    }
    const districtRows = this.rows.map((r) => ({
      label: r.name,
      onClick: () => this.drill(r),
      segments: [
        { value: r.newCount, color: NEW_COLOR, title: `${r.name} ${t('dashboard.new')} ${fmt(r.newCount)}` },
        { value: r.stockCount, color: STOCK_COLOR, title: `${r.name} ${t('dashboard.stock')} ${fmt(r.stockCount)}` },
      ],
    }));
    const areaRows = this.rows.map((r) => ({ label: r.name, onClick: () => this.drill(r), segments: [{ value: m2ToMu(r.areaM2), color: '#6a51a3', title: `${r.name} ${formatNumber(m2ToMu(r.areaM2), lang, 2)}` }] }));
    const ruleRows = [...byRule.entries()].sort((a, b) => b[1] - a[1]).map(([rule, count]) => ({ label: t(`rule.${rule}`), segments: [{ value: count, color: RULE_COLORS[rule] ?? '#888', title: `${t(`rule.${rule}`)} ${fmt(count)}` }] }));
    const sevRows = (['serious', 'general', 'light'] as const).map((s) => ({ label: t(`severity.${s}`), segments: [{ value: bySeverity[s], color: SEVERITY_COLORS[s]!, title: `${t(`severity.${s}`)} ${fmt(bySeverity[s])}` }] }));
    this.deps.root.replaceChildren(
      h('h2', {}, t('dashboard.title')),
      crumbs,
      h(
        'p',
        { class: 'totals', id: 'dashboard-totals' },
        t('dashboard.totals', { total: fmt(total), new: fmt(newCount), stock: fmt(total - newCount), mu: formatNumber(m2ToMu(areaM2), lang, 2) }),
      ),
      h('h3', {}, t('dashboard.byDistrict')),
      h('p', { class: 'legend-inline' }, h('span', { class: 'swatch', style: { background: NEW_COLOR } }), t('dashboard.new'), ' ', h('span', { class: 'swatch', style: { background: STOCK_COLOR } }), t('dashboard.stock')),
      barChart(districtRows, { width: CHART_WIDTH, format: fmt, label: t('dashboard.byDistrict') }),
      h('h3', {}, t('dashboard.areaByDistrict')),
      barChart(areaRows, { width: CHART_WIDTH, format: (v) => formatNumber(v, lang, 1), label: t('dashboard.areaByDistrict') }),
      h('h3', {}, t('dashboard.byRule')),
      barChart(ruleRows, { width: CHART_WIDTH, format: fmt, label: t('dashboard.byRule') }),
      h('h3', {}, t('dashboard.bySeverity')),
      barChart(sevRows, { width: CHART_WIDTH, format: fmt, label: t('dashboard.bySeverity') }),
      h('p', { class: 'hint' }, t('dashboard.drill')),
    );
  }
}
