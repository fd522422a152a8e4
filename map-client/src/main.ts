import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { fetchImagery, fetchMapConfig, fetchSuspectPoints, searchMap } from './api/api-client.ts';
import type { ImageryInfo, MapConfig, SearchHit, Suspect, SuspectDetail } from './api/api-types.ts';
import { byId } from './dom.ts';
import { getLanguage, onLanguageChange, setLanguage, t, translateDom } from './i18n/i18n.ts';
import { DeckLayers, HEXAGON_MAX_ZOOM } from './map/deck-overlay.ts';
import { ImageryCompare, type ImageryView } from './map/imagery-compare.ts';
import { markSelectedFeature, suspectFromTiles, wireMapInteractions } from './map/map-interactions.ts';
import { LAYER_STYLES } from './map/map-layers.ts';
import { buildStyle, createMap, setBasemapVisible, setGroupVisible, setTileParams } from './map/map-setup.ts';
import { Dashboard } from './panels/dashboard.ts';
import { DetailPanel } from './panels/detail-panel.ts';
import { renderLayerPanel } from './panels/layer-panel.ts';
import { SuspectList } from './panels/suspect-list.ts';
import { createStore, type AppState, type Store, type Tab } from './state/app-store.ts';
import { filterParams, formatHash, listParams, parseHash, type Lang } from './state/url-state.ts';
import { trackCursor } from './tools/cursor-coords.ts';
import { MeasureTool } from './tools/measure-tool.ts';
import { SearchBox } from './tools/search-box.ts';

type Bbox = [number, number, number, number];

/** Handle exposed as `window.landwatch` for the end-to-end tests and for debugging in the console. */
export interface LandWatchHandle {
  map: MapLibreMap;
  store: Store;
  deck: DeckLayers;
  /** Before/after imagery under the map, with the swipe. */
  imagery: ImageryCompare;
  /** Resolves when the map has loaded its style and first tiles. */
  ready: Promise<void>;
}

declare global {
  interface Window {
    landwatch?: LandWatchHandle;
  }
}

function storedLang(): Lang | null {
  try {
    const v = localStorage.getItem('landwatch.lang');
    return v === 'en' || v === 'zh-CN' ? v : null;
  } catch {
    return null;
  }
}

/** Query parameters per tile layer for the current state (filters, epoch, cache buster). */
function tileParams(state: AppState, bust?: string): Record<string, URLSearchParams> {
  const out: Record<string, URLSearchParams> = {};
  for (const g of LAYER_STYLES) {
    const p = g.name === 'suspects' ? filterParams(state.filters) : new URLSearchParams();
    if (g.name === 'building' && state.buildingEpoch) p.set('epoch', state.buildingEpoch);
    if (bust) p.set('v', bust);
    out[g.name] = p;
  }
  return out;
}

async function buildingEpochs(): Promise<string[]> {
  try {
    const res = await fetch('/tiles/building.json');
    return res.ok ? (((await res.json()) as { epochs?: string[] }).epochs ?? []) : [];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const url = parseHash(window.location.hash);
  setLanguage(url.lang ?? storedLang() ?? 'zh-CN');
  const configRes = await fetchMapConfig();
  const config: MapConfig | null = configRes.ok ? configRes.data : null;
  const epochs = await buildingEpochs();
  const imageryRes = await fetchImagery();
  // Newest first from the API; the default pair is the oldest (before) and the newest (after).
  const imageryList: ImageryInfo[] | null = imageryRes.ok ? imageryRes.data : null;
  const newest = imageryList?.[0] ?? null;
  const oldest = imageryList && imageryList.length > 1 ? imageryList[imageryList.length - 1]! : null;

  const store = createStore({
    lang: getLanguage(),
    filters: url.filters,
    selectedId: url.suspect ?? null,
    tab: url.suspect ? 'detail' : 'list',
    visible: Object.fromEntries(LAYER_STYLES.map((g) => [g.name, g.visibleByDefault])),
    buildingEpoch: epochs.length > 0 ? epochs[epochs.length - 1]! : null,
    hexagons: true,
    basemap: config?.basemap != null,
    imagery: { on: false, beforeId: oldest?.id ?? null, afterId: newest?.id ?? null, mode: oldest ? 'swipe' : 'after', opacity: 1 },
  });
  const state0 = store.get();
  const map = createMap(byId('map'), buildStyle(config, tileParams(state0), state0.visible, state0.basemap), url.view, config?.bounds ?? null);
  const deck = new DeckLayers(map);
  const imagery = new ImageryCompare(map, byId('map').parentElement!);
  const ready = new Promise<void>((resolve) => map.once('load', () => resolve()));
  window.landwatch = { map, store, deck, imagery, ready };
  const imageryView = (s: AppState): ImageryView | null => {
    if (!s.imagery.on || !imageryList) return null;
    const find = (id: number | null) => imageryList.find((i) => i.id === id) ?? null;
    return { before: find(s.imagery.beforeId), after: find(s.imagery.afterId), mode: s.imagery.mode, opacity: s.imagery.opacity };
  };

  const flyTo = (bbox: Bbox) => {
    if (bbox[0] === bbox[2] && bbox[1] === bbox[3]) map.flyTo({ center: [bbox[0], bbox[1]], zoom: 17 });
    else map.fitBounds(bbox, { padding: 80, maxZoom: 18, duration: 800 });
  };
  const viewBounds = (): Bbox => {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  };

  // Panels ------------------------------------------------------------------------------------
  const refresh = () => {
    const bust = Date.now().toString(36);
    const params = tileParams(store.get(), bust);
    for (const g of LAYER_STYLES) setTileParams(map, g.name, params[g.name]!);
    void list.reload();
    void loadPoints();
  };
  const layerPanel = () => renderLayerPanel({ root: byId('layer-panel'), store, config, epochs, onRefresh: refresh, imagery: imageryList });
  const list = new SuspectList({
    root: byId('tab-list'),
    store,
    config,
    viewBounds,
    onPick: (s: Suspect) => {
      store.set({ selectedId: s.id, tab: 'detail' });
      flyTo(s.bbox);
    },
  });
  const detail = new DetailPanel({
    root: byId('tab-detail'),
    exportUrl: config?.exportUrl ?? '/api/exports/suspects',
    onEvidence: (d: SuspectDetail | null) =>
      deck.setEvidence(d ? { outline: d.geometry, findings: d.findings.map((f) => ({ id: f.id, rule: f.rule, geometry: f.geometry })) } : null),
    onHighlight: (id) => deck.highlightFinding(id),
    onLocate: flyTo,
    tileProps: (id) => suspectFromTiles(map, id),
  });
  const dashboard = new Dashboard({
    root: byId('tab-dashboard'),
    onDistrict: (code) => store.set({ filters: { ...store.get().filters, district: code } }),
  });
  const measure = new MeasureTool(map, deck, byId('measure-output'));
  new SearchBox(byId<HTMLInputElement>('search-input'), byId('search-results'), (hit: SearchHit) => {
    if (hit.type === 'suspect') store.set({ selectedId: Number(hit.id), tab: 'detail' });
    flyTo(hit.bbox);
  });
  const drawCoords = trackCursor(map, byId('cursor-coords'));
  wireMapInteractions(map, {
    onSelect: (id) => store.set({ selectedId: id, tab: 'detail' }),
    isMeasuring: () => measure.active,
  });

  byId('measure-length').addEventListener('click', () => measure.start('length'));
  byId('measure-area').addEventListener('click', () => measure.start('area'));
  byId('measure-clear').addEventListener('click', () => measure.clear());
  byId('lang-switch').addEventListener('click', () => store.set({ lang: store.get().lang === 'zh-CN' ? 'en' : 'zh-CN' }));
  document.querySelectorAll<HTMLButtonElement>('.tabs [data-tab]').forEach((b) =>
    b.addEventListener('click', () => store.set({ tab: b.dataset.tab as Tab })),
  );

  // Points for the hexagon view and the per-severity counts (same filters as list and tiles).
  let pointsSeq = 0;
  const loadPoints = async () => {
    const seq = ++pointsSeq;
    const res = await fetchSuspectPoints(filterParams(store.get().filters));
    if (seq !== pointsSeq) return;
    deck.setPoints(res.ok ? res.data : []);
    list.setSeverityCounts(res.ok ? res.data : null);
    updateZoomHint();
  };
  const updateZoomHint = () => {
    const hint = byId('zoom-hint');
    hint.hidden = !deck.hexagonsShown();
    hint.textContent = t('map.hexagonHint', { zoom: HEXAGON_MAX_ZOOM });
  };

  // URL ----------------------------------------------------------------------------------------
  let hashTimer: ReturnType<typeof setTimeout> | undefined;
  const writeHash = () => {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => {
      const s = store.get();
      const c = map.getCenter();
      const hash = formatHash({ view: { center: [c.lng, c.lat], zoom: map.getZoom() }, suspect: s.selectedId ?? undefined, lang: s.lang, filters: s.filters });
      if (hash !== window.location.hash) window.history.replaceState(null, '', hash);
    }, 150);
  };
  window.addEventListener('hashchange', () => {
    const next = parseHash(window.location.hash);
    if (next.view) map.jumpTo({ center: next.view.center, zoom: next.view.zoom });
    if (next.lang && next.lang !== store.get().lang) store.set({ lang: next.lang });
    if ((next.suspect ?? null) !== store.get().selectedId) store.set({ selectedId: next.suspect ?? null, tab: next.suspect ? 'detail' : store.get().tab });
  });

  // State → UI ---------------------------------------------------------------------------------
  const showTab = (tab: Tab) => {
    for (const name of ['list', 'detail', 'dashboard'] as const) byId(`tab-${name}`).hidden = name !== tab;
    document.querySelectorAll<HTMLButtonElement>('.tabs [data-tab]').forEach((b) => {
      b.classList.toggle('active', b.dataset.tab === tab);
      b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    });
    if (tab === 'dashboard') void dashboard.ensureLoaded();
  };
  const applyLanguage = (lang: Lang) => {
    setLanguage(lang);
    document.documentElement.lang = lang;
    document.title = t('app.documentTitle');
    translateDom(document.body);
    try {
      localStorage.setItem('landwatch.lang', lang);
    } catch {
      // private mode: the URL still carries the language
    }
  };
  onLanguageChange(() => {
    layerPanel();
    list.render();
    detail.render();
    dashboard.render();
    measure.draw();
    drawCoords();
    updateZoomHint();
  });
  store.subscribe((s, prev) => {
    if (s.lang !== prev.lang) applyLanguage(s.lang);
    if (s.filters !== prev.filters) {
      // Tiles and points follow the filters only; the list also follows sort and "in view".
      if (filterParams(s.filters).toString() !== filterParams(prev.filters).toString()) {
        setTileParams(map, 'suspects', tileParams(s).suspects!);
        void loadPoints();
      }
      if (listParams(s.filters).toString() !== listParams(prev.filters).toString() || s.filters.inView !== prev.filters.inView) void list.reload();
      list.render();
    }
    if (s.selectedId !== prev.selectedId) {
      markSelectedFeature(map, s.selectedId);
      list.markSelected(s.selectedId);
      void detail.show(s.selectedId);
    }
    if (s.tab !== prev.tab) showTab(s.tab);
    if (s.buildingEpoch !== prev.buildingEpoch) setTileParams(map, 'building', tileParams(s).building!);
    if (s.hexagons !== prev.hexagons) {
      deck.setHexagonsEnabled(s.hexagons);
      updateZoomHint();
    }
    // The basemap is drawn by the main map, over the imagery maps: hidden while imagery is shown.
    if (s.basemap !== prev.basemap || s.imagery.on !== prev.imagery.on) setBasemapVisible(map, s.basemap && !s.imagery.on);
    if (s.imagery !== prev.imagery) imagery.set(imageryView(s));
    for (const name of Object.keys(s.visible)) if (s.visible[name] !== prev.visible[name]) setGroupVisible(map, name, s.visible[name] ?? false);
    writeHash();
  });

  let viewTimer: ReturnType<typeof setTimeout> | undefined;
  map.on('moveend', () => {
    writeHash();
    updateZoomHint();
    if (store.get().filters.inView) {
      clearTimeout(viewTimer);
      viewTimer = setTimeout(() => void list.reload(), 300);
    }
  });

  applyLanguage(store.get().lang);
  layerPanel();
  showTab(store.get().tab);
  void list.reload();
  void loadPoints();
  await ready;
  markSelectedFeature(map, store.get().selectedId);
  const first = store.get().selectedId;
  if (first !== null) {
    const d = await detail.show(first);
    if (!url.view) {
      if (d) flyTo(d.bbox);
      else {
        const hit = await searchMap(String(first));
        const found = hit.ok ? hit.data.find((x) => x.type === 'suspect' && x.id === String(first)) : undefined;
        if (found) flyTo(found.bbox);
      }
    }
  }
  // Re-apply the selection outline if a source reload (filters, refresh) dropped its state.
  map.on('idle', () => markSelectedFeature(map, store.get().selectedId));
  writeHash();
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  console.error(error);
  document.body.dataset.ready = 'error';
  const note = document.createElement('p');
  note.className = 'fatal';
  note.textContent = `${t('app.fatal')} ${(error as Error).message}`;
  document.body.prepend(note);
});
