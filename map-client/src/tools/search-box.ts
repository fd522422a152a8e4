import { searchMap } from '../api/api-client.ts';
import type { SearchHit } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

/**
 * The search box: suspect id, source id (BSM, JCBH, building id) or district name, answered by
 * GET /api/map-search. Enter picks the first hit; a click picks any.
 */
export class SearchBox {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hits: SearchHit[] = [];
  private seq = 0;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly results: HTMLElement,
    private readonly onPick: (hit: SearchHit) => void,
  ) {
    input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.search(), 250);
    });
    input.addEventListener('keydown', async (e) => {
      if (e.key === 'Escape') this.close();
      if (e.key !== 'Enter') return;
      e.preventDefault();
      clearTimeout(this.timer);
      await this.search();
      if (this.hits[0]) this.pick(this.hits[0]);
    });
  }

  private async search(): Promise<void> {
    const q = this.input.value.trim().replace(/^#/, '');
    const seq = ++this.seq;
    if (!q) return this.close();
    const res = await searchMap(q);
    if (seq !== this.seq) return;
    this.hits = res.ok ? res.data : [];
    this.results.hidden = false;
    this.results.replaceChildren(
      ...(this.hits.length === 0
        ? [h('li', { class: 'hint' }, res.ok ? t('search.none') : t('list.error', { message: res.message }))]
        : this.hits.map((hit) =>
            h(
              'li',
              { class: 'hit', tabindex: 0, onClick: () => this.pick(hit), onKeydown: (e: KeyboardEvent) => e.key === 'Enter' && this.pick(hit) },
              h('span', { class: 'tag' }, t(`search.type.${hit.type}`)),
              ' ',
              hit.type === 'suspect' ? `#${hit.id} ${hit.label ?? ''}` : (hit.label ?? hit.id),
              hit.detail ? h('span', { class: 'hint' }, ` ${hit.type === 'district' ? t(`filters.${hit.detail}`) : hit.type === 'suspect' ? hit.detail : t(`layers.${hit.detail.split(' ')[0]}`)}`) : null,
            ),
          )),
    );
  }

  private pick(hit: SearchHit): void {
    this.close();
    this.onPick(hit);
  }

  private close(): void {
    this.results.hidden = true;
    this.results.replaceChildren();
  }
}
