import { Popup, type Map as MapLibreMap, type MapGeoJSONFeature } from 'maplibre-gl';
import { h } from '../dom.ts';
import { formatArea } from '../format/area-format.ts';
import { getLanguage, t } from '../i18n/i18n.ts';
import type { SuspectTileProps } from '../panels/detail-panel.ts';
import { LAYER_STYLES } from './map-layers.ts';

const SUSPECT_LAYERS = ['suspects-fill', 'suspects-line'];
const SUSPECT_SOURCE = { source: 'lw-suspects', sourceLayer: 'suspects' };

/** What map clicks do. */
export interface InteractionDeps {
  /** A suspect polygon was clicked. */
  onSelect: (id: number) => void;
  /** True while the measure tool owns the clicks. */
  isMeasuring: () => boolean;
}

function queryableLayers(map: MapLibreMap): string[] {
  return LAYER_STYLES.flatMap((g) => g.layers.map((l) => l.id)).filter((id) => map.getLayer(id) && !SUSPECT_LAYERS.includes(id));
}

/** Popup content for constraint/subject features under the cursor (HTML: Chinese text needs no glyphs). */
function featurePopup(features: MapGeoJSONFeature[]): HTMLElement {
  const seen = new Set<string>();
  const rows: HTMLElement[] = [];
  for (const f of features) {
    const key = `${f.sourceLayer}:${String(f.id)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = f.properties as Record<string, string | number | undefined>;
    const parts = [p.code, p.name, p.sourceId, p.epoch, p.level ? t(`filters.${p.level}`) : undefined].filter((v) => v !== undefined && v !== '');
    rows.push(h('li', {}, h('b', {}, t(`layers.${f.sourceLayer}`)), ' ', parts.join(' · ')));
    if (rows.length >= 6) break;
  }
  return h('ul', { class: 'popup-list' }, rows);
}

/**
 * Clicks and hovers on the map: a suspect click selects it; elsewhere a popup lists the features
 * under the cursor; hovering a suspect shows a tooltip (id, severity, area) and a pointer cursor.
 */
export function wireMapInteractions(map: MapLibreMap, deps: InteractionDeps): void {
  const tooltip = new Popup({ closeButton: false, closeOnClick: false, className: 'hover-tip', offset: 8 });
  const info = new Popup({ closeButton: true, maxWidth: '320px' });
  map.on('mousemove', (e) => {
    if (deps.isMeasuring()) return;
    const hit = map.getLayer('suspects-fill') ? map.queryRenderedFeatures(e.point, { layers: ['suspects-fill'] })[0] : undefined;
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
    if (!hit) {
      tooltip.remove();
      return;
    }
    const p = hit.properties as SuspectTileProps;
    tooltip
      .setLngLat(e.lngLat)
      .setDOMContent(h('div', {}, h('b', {}, `#${String(hit.id)}`), ` ${t(`severity.${p.severity ?? 'none'}`)}`, p.areaM2 !== undefined ? ` · ${formatArea(p.areaM2, getLanguage())}` : ''))
      .addTo(map);
  });
  map.on('click', (e) => {
    if (deps.isMeasuring()) return;
    const suspect = map.getLayer('suspects-fill') ? map.queryRenderedFeatures(e.point, { layers: ['suspects-fill'] })[0] : undefined;
    if (suspect && suspect.id !== undefined) {
      info.remove();
      deps.onSelect(Number(suspect.id));
      return;
    }
    const features = map.queryRenderedFeatures(e.point, { layers: queryableLayers(map) });
    if (features.length === 0) {
      info.remove();
      return;
    }
    info.setLngLat(e.lngLat).setDOMContent(featurePopup(features)).addTo(map);
  });
}

let selected: number | null = null;

/**
 * Outlines the selected suspect through feature-state (the tiles carry the ids). Idempotent: it only
 * touches the state when it differs, so calling it on every `idle` cannot start a repaint loop.
 */
export function markSelectedFeature(map: MapLibreMap, id: number | null): void {
  if (!map.getSource('lw-suspects')) return;
  if (selected !== null && selected !== id) map.setFeatureState({ ...SUSPECT_SOURCE, id: selected }, { selected: false });
  selected = id;
  if (id !== null && map.getFeatureState({ ...SUSPECT_SOURCE, id }).selected !== true) {
    map.setFeatureState({ ...SUSPECT_SOURCE, id }, { selected: true });
  }
}

/** A suspect's attributes from the loaded tiles, or null when its tile is not loaded. */
export function suspectFromTiles(map: MapLibreMap, id: number): SuspectTileProps | null {
  if (!map.getSource('lw-suspects')) return null;
  const f = map.querySourceFeatures('lw-suspects', { sourceLayer: 'suspects', filter: ['==', ['id'], id] })[0];
  return f ? ({ id, ...(f.properties as Omit<SuspectTileProps, 'id'>) } as SuspectTileProps) : null;
}
