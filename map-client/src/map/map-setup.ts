import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type SourceSpecification, type StyleSpecification, type VectorTileSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { MapConfig } from '../api/api-types.ts';
import type { MapView } from '../state/url-state.ts';
import { LAYER_STYLES } from './map-layers.ts';

// MapLibre starts its worker from a URL next to its own module; bundled, that file is wherever Vite
// put it, so tell MapLibre (the worker is self-contained and served from our origin: offline-safe).
setWorkerUrl(workerUrl);

/** Zoom ranges used when the server's config could not be read (same as the tile server's). */
const DEFAULT_ZOOMS: Record<string, [number, number]> = {
  district: [0, 16],
  building: [14, 18],
  change_patch: [10, 18],
};

/** Where the map opens without a view in the URL and without data: the whole of China. */
const CHINA: MapView = { center: [105, 35], zoom: 3.5 };

/** Absolute tile URL template of a layer with query parameters (filters, epoch, cache buster). */
export function tileUrl(name: string, params: URLSearchParams = new URLSearchParams()): string {
  const q = params.toString();
  return `${window.location.origin}/tiles/${name}/{z}/{x}/{y}.mvt${q ? `?${q}` : ''}`;
}

/**
 * The map style: a plain background, the optional basemap (raster, below everything), and one
 * vector source per LandWatch layer. No glyphs and no sprite: nothing is fetched from outside, and
 * Chinese text is shown in HTML popups and panels instead of map labels.
 */
export function buildStyle(config: MapConfig | null, initialParams: Record<string, URLSearchParams>, visible: Record<string, boolean>, showBasemap: boolean): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  const layers: StyleSpecification['layers'] = [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f3ef' } }];
  const basemap = config?.basemap;
  if (basemap) {
    sources.basemap = { type: 'raster', tiles: basemap.tiles, tileSize: 256, maxzoom: 18, attribution: basemap.attribution };
    layers.push({ id: 'basemap', type: 'raster', source: 'basemap', layout: { visibility: showBasemap ? 'visible' : 'none' } });
    if (basemap.labels) {
      sources['basemap-labels'] = { type: 'raster', tiles: basemap.labels, tileSize: 256, maxzoom: 18 };
      layers.push({ id: 'basemap-labels', type: 'raster', source: 'basemap-labels', layout: { visibility: showBasemap ? 'visible' : 'none' } });
    }
  }
  for (const group of LAYER_STYLES) {
    const info = config?.layers.find((l) => l.name === group.name);
    const [minzoom, maxzoom] = info ? [info.minzoom, info.maxzoom] : (DEFAULT_ZOOMS[group.name] ?? [8, 18]);
    sources[`lw-${group.name}`] = {
      type: 'vector',
      tiles: [tileUrl(group.name, initialParams[group.name])],
      minzoom,
      maxzoom,
      attribution: group.name === 'suspects' ? 'LandWatch 土地卫士' : undefined,
      // Feature ids are in the tiles; selection uses feature-state on them.
    };
    for (const layer of group.layers) {
      layers.push({ ...layer, layout: { ...('layout' in layer ? layer.layout : {}), visibility: visible[group.name] ? 'visible' : 'none' } } as (typeof layers)[number]);
    }
  }
  return { version: 8, name: 'LandWatch', sources, layers };
}

/** Creates the MapLibre map in `container` at `view` (or fitted to the data, or China). */
export function createMap(container: HTMLElement, style: StyleSpecification, view: MapView | undefined, bounds: MapConfig['bounds']): MapLibreMap {
  const initial = view ?? (bounds ? undefined : CHINA);
  const map = new MapLibreMap({
    container,
    style,
    center: initial?.center,
    zoom: initial?.zoom,
    bounds: initial ? undefined : (bounds ?? undefined),
    fitBoundsOptions: { padding: 40, maxZoom: 16 },
    maxZoom: 20,
    attributionControl: { compact: true },
    // Keeps the canvas readable for screenshots (tests, reports).
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.addControl(new NavigationControl({ showCompass: true }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  return map;
}

/** Points a layer's source at new tile parameters (filters changed, epoch switched, refresh). */
export function setTileParams(map: MapLibreMap, name: string, params: URLSearchParams): void {
  const source = map.getSource<VectorTileSource>(`lw-${name}`);
  source?.setTiles([tileUrl(name, params)]);
}

/** Shows or hides a layer group. */
export function setGroupVisible(map: MapLibreMap, name: string, visible: boolean): void {
  const group = LAYER_STYLES.find((g) => g.name === name);
  for (const layer of group?.layers ?? []) {
    if (map.getLayer(layer.id)) map.setLayoutProperty(layer.id, 'visibility', visible ? 'visible' : 'none');
  }
}

/** Shows or hides the configured basemap. */
export function setBasemapVisible(map: MapLibreMap, visible: boolean): void {
  for (const id of ['basemap', 'basemap-labels']) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}
