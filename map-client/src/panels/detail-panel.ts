import { fetchSuspect, fetchSuspectThumbnails, type ApiResult } from '../api/api-client.ts';
import type { Finding, MatchedFeature, SuspectDetail, SuspectThumbnails, ThumbnailSide } from '../api/api-types.ts';
import { h, svg } from '../dom.ts';
import { formatArea, formatShare } from '../format/area-format.ts';
import { getLanguage, hasMessage, t } from '../i18n/i18n.ts';
import { RULE_COLORS } from '../map/map-layers.ts';
import { severityBadge, ruleNames } from './suspect-list.ts';

/** Tile attributes of a suspect: what the map knows when the detail route is not there (yet). */
export interface SuspectTileProps {
  id: number;
  severity?: string;
  rules?: string;
  status?: string;
  isNew?: boolean;
  district?: string;
  areaM2?: number;
}

/**
 * The name of a classification code: 三调 land classes (DLBM) for farmland and cultivated land,
 * 用地用海 2023 classes for planning zones — the same code means different things in the two
 * systems (0601), so the layer kind decides. Null when the code is not in the translation files.
 */
export function codeName(kind: string | undefined, code: string | null): string | null {
  if (!code) return null;
  if (kind === 'planning_zone') {
    const key = `planningUse.${code.slice(0, 2)}`;
    return hasMessage(key) ? t(key) : null;
  }
  const key = `landClass.${code}`;
  return hasMessage(key) ? t(key) : null;
}

/** What the detail panel needs from the page. */
export interface DetailPanelDeps {
  root: HTMLElement;
  exportUrl: string;
  /** Draws (or clears) the evidence on the map. */
  onEvidence: (detail: SuspectDetail | null) => void;
  /** Hovered finding → highlighted overlap. */
  onHighlight: (findingId: number | null) => void;
  /** Flies the map to the suspect. */
  onLocate: (bbox: [number, number, number, number]) => void;
  /** Attributes of the suspect in the loaded tiles, for the fallback view. */
  tileProps: (id: number) => SuspectTileProps | null;
}

/**
 * The detail panel: every finding with its overlap (highlighted on the map through deck.gl), m² and
 * 亩, share, the matched parcels' codes and names, the district, severity, disposition hint, and the
 * district export link. Falls back to the tile attributes while GET /api/suspects/:id is missing.
 */
export class DetailPanel {
  private detail: SuspectDetail | null = null;
  private fallback: SuspectTileProps | null = null;
  private message = '';
  private seq = 0;
  /** Before/after thumbnails of the site: undefined while loading, null when not served. */
  private thumbs: SuspectThumbnails | null | undefined = undefined;

  constructor(private readonly deps: DetailPanelDeps) {
    this.render();
  }

  /** The loaded detail (null while loading, on fallback, or with nothing selected). */
  current(): SuspectDetail | null {
    return this.detail;
  }

  /** Shows suspect `id` (null clears). Resolves when its data is in. */
  async show(id: number | null): Promise<SuspectDetail | null> {
    const seq = ++this.seq;
    this.detail = null;
    this.fallback = null;
    this.thumbs = undefined;
    this.message = '';
    this.deps.onEvidence(null);
    if (id === null) {
      this.render();
      return null;
    }
    this.message = t('list.loading');
    this.render();
    const thumbs = fetchSuspectThumbnails(id);
    const res = await fetchSuspect(id);
    if (seq !== this.seq) return null;
    void thumbs.then((r: ApiResult<SuspectThumbnails>) => {
      if (seq !== this.seq) return;
      this.thumbs = r.ok ? r.data : null;
      if (this.detail) this.render();
    });
    if (res.ok) {
      this.detail = res.data;
      this.message = '';
      this.deps.onEvidence(res.data);
    } else {
      this.fallback = this.deps.tileProps(id) ?? { id };
      this.message = res.missing ? t('detail.unavailable') : res.status === 404 ? t('detail.notFound', { id }) : t('list.error', { message: res.message });
    }
    this.render();
    return this.detail;
  }

  /** Re-draws in the current language. */
  render(): void {
    const root = this.deps.root;
    if (this.detail) root.replaceChildren(...this.renderDetail(this.detail));
    else if (this.fallback) root.replaceChildren(...this.renderFallback(this.fallback));
    else root.replaceChildren(h('p', { class: 'hint', id: 'detail-empty' }, this.message || t('detail.empty')));
  }

  private row(label: string, value: string | Node | null | undefined): HTMLElement {
    return h('tr', {}, h('th', {}, label), h('td', {}, value ?? '—'));
  }

  private exportLink(district: string | null | undefined): HTMLElement {
    const params = new URLSearchParams({ format: 'xlsx' });
    if (district) params.set('district', district);
    return h('a', { class: 'export', id: 'export-link', href: `${this.deps.exportUrl}?${params.toString()}`, download: '' }, t('detail.export'));
  }

  private renderDetail(d: SuspectDetail): Node[] {
    const lang = getLanguage();
    const district = d.district ? [d.district.county?.name, d.district.township?.name, d.district.village?.name].filter(Boolean).join(' / ') || d.district.name : null;
    const disposition = d.disposition ? (lang === 'zh-CN' ? d.disposition.zh : d.disposition.en) : null;
    return [
      h(
        'header',
        { class: 'detail-head' },
        h('h2', { id: 'detail-title' }, t('detail.title', { id: d.id })),
        severityBadge(d.severity),
        h('span', { class: 'tag' }, t(`status.${d.status}`)),
        h('span', { class: 'tag' }, t(d.isNew ? 'list.new' : 'list.stock')),
        h('button', { type: 'button', class: 'small', onClick: () => this.deps.onLocate(d.bbox) }, t('detail.locate')),
      ),
      h('p', { class: 'disclaimer' }, t('detail.disclaimer')),
      h(
        'table',
        { class: 'facts' },
        h(
          'tbody',
          {},
          this.row(t('detail.rules'), ruleNames(d)),
          this.row(t('detail.subject'), `${t(`subjectKind.${d.subjectKind}`)} ${d.sourceId ?? ''}`),
          this.row(t('detail.epoch'), d.epoch),
          this.row(t('detail.area'), h('span', { id: 'detail-area' }, formatArea(d.areaM2, lang))),
          d.overlapM2 !== undefined ? this.row(t('detail.overlap'), formatArea(d.overlapM2, lang)) : null,
          this.row(t('detail.district'), district),
          this.row(t('detail.disposition'), disposition),
          this.row(t('detail.ruleset'), d.rulesetVersion),
          this.row(t('detail.updated'), d.updatedAt ? new Date(d.updatedAt).toLocaleString(lang) : null),
        ),
      ),
      this.renderThumbs(d),
      h('h3', {}, t('detail.findings'), ` (${d.findings.length})`),
      h('ol', { class: 'findings' }, d.findings.map((f) => this.renderFinding(f))),
      this.exportLink(d.district?.code),
    ].filter((n): n is HTMLElement => n !== null);
  }

  /**
   * Before/after thumbnails of the site with the suspect's outline drawn over them; a short note when
   * no imagery covers it; nothing at all when the imagery routes are not served.
   */
  private renderThumbs(d: SuspectDetail): HTMLElement | null {
    const th = this.thumbs;
    if (th === null) return null;
    const head = h('h3', {}, t('imagery.thumbs'));
    if (th === undefined) return h('section', { id: 'detail-thumbs', class: 'thumbs-section' }, head, h('p', { class: 'hint' }, t('imagery.thumbsLoading')));
    if (!th.before && !th.after) return h('section', { id: 'detail-thumbs', class: 'thumbs-section' }, head, h('p', { class: 'hint', id: 'detail-thumbs-none' }, t('imagery.thumbsNone')));
    const figure = (side: 'before' | 'after', info: ThumbnailSide | null) => {
      const caption = info ? t(side === 'before' ? 'imagery.thumbBefore' : 'imagery.thumbAfter', { date: info.date }) : t('imagery.thumbMissing', { when: t(`imagery.${side}`) });
      return h(
        'figure',
        { class: `thumb ${side}`, dataset: { side } },
        info
          ? h('div', { class: 'thumb-frame' }, h('img', { src: info.href, alt: caption, title: info.name, class: `thumb-img thumb-${side}`, decoding: 'async' }), outline(d, th.bbox))
          : h('div', { class: 'thumb-empty' }),
        h('figcaption', {}, caption),
      );
    };
    return h('section', { id: 'detail-thumbs', class: 'thumbs-section' }, head, h('div', { class: 'thumbs' }, figure('before', th.before), figure('after', th.after)));
  }

  private renderFinding(f: Finding): HTMLElement {
    const lang = getLanguage();
    const name = f.ruleName ? (lang === 'zh-CN' ? f.ruleName.zh : f.ruleName.en) : t(`rule.${f.rule}`);
    return h(
      'li',
      {
        class: 'finding',
        dataset: { rule: f.rule, id: String(f.id) },
        onMouseenter: () => this.deps.onHighlight(f.id),
        onMouseleave: () => this.deps.onHighlight(null),
      },
      h('div', { class: 'row' }, h('span', { class: 'swatch', style: { background: RULE_COLORS[f.rule] ?? '#f0f' } }), h('b', {}, name)),
      h('div', { class: 'meta' }, `${t('detail.overlap')}: `, h('span', { class: 'overlap' }, formatArea(f.overlapM2, lang)), ` · ${t('detail.share')} ${formatShare(f.share, lang)}`),
      f.matched.length > 0
        ? h(
            'table',
            { class: 'matched' },
            h('thead', {}, h('tr', {}, h('th', {}, t('detail.sourceId')), h('th', {}, t('detail.code')), h('th', {}, t('detail.codeName')))),
            h('tbody', {}, f.matched.map((m) => this.renderMatched(m))),
          )
        : h('p', { class: 'hint' }, t('detail.noMatched')),
    );
  }

  private renderMatched(m: MatchedFeature): HTMLElement {
    const known = codeName(m.kind, m.code);
    const delivered = m.name ?? (typeof m.attrs?.DLMC === 'string' ? m.attrs.DLMC : null);
    const label = [delivered, known && known !== delivered ? `(${known})` : null].filter(Boolean).join(' ');
    return h('tr', {}, h('td', {}, m.sourceId ?? String(m.featureId)), h('td', {}, m.code ?? '—'), h('td', {}, label || '—'));
  }

  private renderFallback(p: SuspectTileProps): Node[] {
    const lang = getLanguage();
    const rules = (p.rules ?? '').split(',').filter(Boolean);
    return [
      h('header', { class: 'detail-head' }, h('h2', { id: 'detail-title' }, t('detail.title', { id: p.id })), severityBadge(p.severity ?? null), p.status ? h('span', { class: 'tag' }, t(`status.${p.status}`)) : null),
      h('p', { class: 'notice', id: 'detail-unavailable' }, this.message),
      h(
        'table',
        { class: 'facts' },
        h(
          'tbody',
          {},
          this.row(t('detail.rules'), rules.length > 0 ? ruleNames({ rules }) : null),
          this.row(t('detail.area'), p.areaM2 !== undefined ? h('span', { id: 'detail-area' }, formatArea(p.areaM2, lang)) : null),
          this.row(t('detail.district'), p.district),
          p.isNew !== undefined ? this.row(t('detail.newOrStock'), t(p.isNew ? 'list.new' : 'list.stock')) : null,
        ),
      ),
      this.exportLink(p.district),
    ];
  }
}

/** Web Mercator y of a latitude (unitless; only ratios matter). */
const mercY = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/**
 * The suspect's outline as an SVG over a thumbnail of `bbox` (the thumbnail is in Web Mercator
 * proportions, so y is projected the same way). Null without geometry.
 */
function outline(d: SuspectDetail, bbox: [number, number, number, number]): SVGSVGElement | null {
  const g = d.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  const [x0, y0, x1, y1] = bbox;
  const top = mercY(y1);
  // Units: 1000 across the box; Mercator y in degrees of longitude so both axes share the scale.
  const sx = 1000 / (x1 - x0);
  const toY = (lat: number) => (((top - mercY(lat)) * 180) / Math.PI) * sx;
  const hgt = Math.max(1, Math.round(toY(y0)));
  const path = polys
    .flatMap((poly) => poly.map((ring) => 'M' + ring.map(([lon, lat]) => `${((lon! - x0) * sx).toFixed(1)},${toY(lat!).toFixed(1)}`).join('L') + 'Z'))
    .join('');
  return svg('svg', { class: 'thumb-outline', viewBox: `0 0 1000 ${hgt}`, preserveAspectRatio: 'none' }, svg('path', { d: path }));
}
