import type { ImageryInfo, MapConfig } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { LAYER_STYLES, type LegendEntry } from '../map/map-layers.ts';
import type { Store } from '../state/app-store.ts';

/** What the layer panel needs from the page. */
export interface LayerPanelDeps {
  root: HTMLElement;
  store: Store;
  config: MapConfig | null;
  /** Epochs of the building layer (from its TileJSON), oldest first. */
  epochs: string[];
  /** Reloads every tile layer (after edits made elsewhere). */
  onRefresh: () => void;
  /** Registered imagery, newest first (empty: none registered; null: the registry is not served). */
  imagery: ImageryInfo[] | null;
}

function swatch(entry: LegendEntry): HTMLElement {
  return h('span', {
    class: 'swatch',
    style: {
      background: entry.fill ?? 'transparent',
      borderColor: entry.line ?? entry.fill ?? '#999',
      borderStyle: entry.dashed ? 'dashed' : 'solid',
    },
  });
}

/**
 * The layer panel: a toggle and legend per layer (with the zoom from which it draws), the building
 * epoch, the hexagon view, the optional basemap with its GCJ-02 warning, and the before/after
 * imagery control (dates, swipe or one date, opacity).
 */
export function renderLayerPanel(deps: LayerPanelDeps): void {
  const { root, store, config } = deps;
  const state = store.get();
  const minzoom = (name: string) => config?.layers.find((l) => l.name === name)?.minzoom ?? 0;
  const groups = [...LAYER_STYLES].reverse().map((g) => {
    const id = `layer-toggle-${g.name}`;
    const z = minzoom(g.name);
    return h(
      'li',
      { class: 'layer-item', dataset: { layer: g.name } },
      h(
        'label',
        { for: id },
        h('input', {
          type: 'checkbox',
          id,
          checked: state.visible[g.name] ?? false,
          onChange: (e: Event) => store.set({ visible: { ...store.get().visible, [g.name]: (e.target as HTMLInputElement).checked } }),
        }),
        // One legend entry: its swatch sits by the name; several (severities) get their own lines.
        g.legend.length === 1 ? swatch(g.legend[0]!) : null,
        h('span', { class: 'layer-name' }, t(`layers.${g.name}`)),
      ),
      g.legend.length > 1 ? h('ul', { class: 'legend' }, g.legend.map((entry) => h('li', {}, swatch(entry), t(entry.label)))) : null,
      z > 0 ? h('div', { class: 'hint' }, t('layers.minzoomHint', { zoom: z })) : null,
      g.name === 'building' && deps.epochs.length > 0
        ? h(
            'label',
            { class: 'inline' },
            t('layers.epoch'),
            ' ',
            h(
              'select',
              {
                id: 'building-epoch',
                onChange: (e: Event) => store.set({ buildingEpoch: (e.target as HTMLSelectElement).value || null }),
              },
              h('option', { value: '', selected: state.buildingEpoch === null }, t('layers.allEpochs')),
              deps.epochs.map((ep) => h('option', { value: ep, selected: state.buildingEpoch === ep }, ep)),
            ),
          )
        : null,
      g.name === 'suspects'
        ? h(
            'label',
            { class: 'inline' },
            h('input', {
              type: 'checkbox',
              id: 'hexagon-toggle',
              checked: state.hexagons,
              onChange: (e: Event) => store.set({ hexagons: (e.target as HTMLInputElement).checked }),
            }),
            t('layers.hexagons'),
          )
        : null,
    );
  });

  const basemap = config?.basemap;
  const basemapSection = h(
    'section',
    { class: 'basemap' },
    h('h3', {}, t('layers.basemap')),
    basemap
      ? h(
          'label',
          {},
          h('input', { type: 'checkbox', id: 'basemap-toggle', checked: state.basemap, onChange: (e: Event) => store.set({ basemap: (e.target as HTMLInputElement).checked }) }),
          basemap.provider === 'tianditu' ? t('layers.tianditu') : `${t('layers.customBasemap')} (${basemap.attribution})`,
        )
      : h('p', { class: 'hint' }, t('layers.basemapNone')),
    basemap?.shifted ? h('p', { class: 'warning', id: 'gcj02-warning', role: 'alert' }, t('layers.gcjWarning')) : null,
  );

  const imagery = imageryControl(deps);

  root.replaceChildren(
    h('h2', {}, t('layers.title')),
    h('ul', { class: 'layer-list' }, groups),
    h('button', { type: 'button', id: 'refresh-layers', class: 'small', onClick: deps.onRefresh }, t('layers.refresh')),
    basemapSection,
    imagery,
  );
}

const label = (i: ImageryInfo): string => `${i.date} ${i.name}`;

/** The imagery section: show/hide, the before and after dates, swipe or one date, opacity. */
function imageryControl(deps: LayerPanelDeps): HTMLElement {
  const { store } = deps;
  const list = deps.imagery ?? [];
  const state = store.get().imagery;
  const patch = (p: Partial<typeof state>) => store.set({ imagery: { ...store.get().imagery, ...p } });
  if (list.length === 0) {
    return h(
      'section',
      { class: 'imagery' },
      h('h3', {}, t('layers.imagery')),
      h('label', { class: 'disabled' }, h('input', { type: 'checkbox', id: 'imagery-toggle', disabled: true }), t('layers.imageryToggle')),
      h('p', { class: 'hint', id: 'imagery-none' }, t(deps.imagery === null ? 'imagery.unavailable' : 'imagery.none')),
    );
  }
  const select = (id: string, selected: number | null, onPick: (v: number | null) => void) =>
    h(
      'select',
      { id, onChange: (e: Event) => onPick(Number((e.target as HTMLSelectElement).value) || null) },
      h('option', { value: '', selected: selected === null }, t('imagery.noDate')),
      list.map((i) => h('option', { value: String(i.id), selected: selected === i.id }, label(i))),
    );
  const percent = Math.round(state.opacity * 100);
  const opacityValue = h('output', { id: 'imagery-opacity-value' }, `${percent}%`);
  return h(
    'section',
    { class: 'imagery' },
    h('h3', {}, t('layers.imagery')),
    h('label', {}, h('input', { type: 'checkbox', id: 'imagery-toggle', checked: state.on, onChange: (e: Event) => patch({ on: (e.target as HTMLInputElement).checked }) }), t('layers.imageryToggle')),
    h('label', { for: 'imagery-before-select' }, t('imagery.before'), select('imagery-before-select', state.beforeId, (v) => patch({ beforeId: v }))),
    h('label', { for: 'imagery-after-select' }, t('imagery.after'), select('imagery-after-select', state.afterId, (v) => patch({ afterId: v }))),
    h(
      'label',
      { for: 'imagery-mode' },
      t('imagery.mode'),
      h(
        'select',
        { id: 'imagery-mode', onChange: (e: Event) => patch({ mode: (e.target as HTMLSelectElement).value as typeof state.mode }) },
        (['swipe', 'before', 'after'] as const).map((m) => h('option', { value: m, selected: state.mode === m }, t(`imagery.modes.${m}`))),
      ),
    ),
    h(
      'label',
      { for: 'imagery-opacity' },
      t('imagery.opacity'),
      h('input', {
        type: 'range', id: 'imagery-opacity', min: '0', max: '100', step: '5', value: String(percent),
        onInput: (e: Event) => {
          const v = Number((e.target as HTMLInputElement).value);
          opacityValue.textContent = `${v}%`;
          patch({ opacity: v / 100 });
        },
      }),
      opacityValue,
    ),
    h('p', { class: 'hint' }, t('imagery.swipeHint')),
  );
}
