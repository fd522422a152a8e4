import { Map as MapLibreMap, type ExpressionSpecification, type RasterLayerSpecification } from 'maplibre-gl';
import type { ImageryInfo } from '../api/api-types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

/** How the imagery is shown: one date, or both with a swipe (before left, after right). */
export type ImageryMode = 'swipe' | 'before' | 'after';

/** What to show: the two dates (either may be absent), the mode, raster opacity 0–1. */
export interface ImageryView {
  before: ImageryInfo | null;
  after: ImageryInfo | null;
  mode: ImageryMode;
  opacity: number;
}

type Side = 'before' | 'after';
const LAYER = 'imagery';
/** Share of their opacity the main map's fills keep over imagery. */
const FILL_DIM = 0.25;

/**
 * Before/after imagery under the main map, with a swipe. MapLibre cannot clip one layer, so each
 * date is drawn by its own raster-only map (not interactive, camera copied from the main map on
 * every move) in a container BELOW the main map; the "after" container is clipped with CSS
 * `clip-path` to the right of a draggable divider. The main map's background goes transparent while
 * imagery is shown, so its vector layers (suspects, parcels) stay on top across the whole width.
 * Plain DOM and WebGL: works in headless Chromium without a GPU. Tiles come from our own server.
 */
export class ImageryCompare {
  private readonly maps: Partial<Record<Side, MapLibreMap>> = {};
  private readonly shown: Record<Side, number | null> = { before: null, after: null };
  private readonly containers: Record<Side, HTMLDivElement>;
  private readonly divider: HTMLDivElement;
  private readonly dates: Record<Side, HTMLSpanElement>;
  private view: ImageryView | null = null;
  /** Fill layers dimmed while imagery is shown → their own fill-opacity. */
  private readonly dimmed = new Map<string, number | ExpressionSpecification>();
  /** Divider position as a fraction of the map's width. */
  private fraction = 0.5;

  constructor(
    private readonly main: MapLibreMap,
    private readonly wrap: HTMLElement,
  ) {
    this.containers = {
      before: h('div', { id: 'imagery-before', class: 'imagery-map', hidden: true }),
      after: h('div', { id: 'imagery-after', class: 'imagery-map', hidden: true }),
    };
    const handle = h('div', { class: 'swipe-handle', role: 'slider', tabindex: 0, 'aria-valuemin': 0, 'aria-valuemax': 100 });
    this.dates = { before: h('span', { class: 'swipe-date before' }), after: h('span', { class: 'swipe-date after' }) };
    this.divider = h('div', { id: 'swipe-divider', class: 'swipe-divider', hidden: true }, handle, this.dates.before, this.dates.after);
    wrap.prepend(this.containers.before, this.containers.after);
    wrap.append(this.divider);
    this.wireDivider(handle);
    main.on('move', () => this.syncCamera());
    main.on('resize', () => {
      for (const m of Object.values(this.maps)) m.resize();
      this.applyClip();
    });
  }

  /** Shows imagery as `view` says, or hides it (null). */
  set(view: ImageryView | null): void {
    this.view = view;
    const on = view !== null && (view.before !== null || view.after !== null);
    // Transparent main map while imagery is on: its canvas then only holds the vector layers.
    if (this.main.getLayer('background')) this.main.setPaintProperty('background', 'background-opacity', on ? 0 : 1);
    this.dimFills(on);
    for (const side of ['before', 'after'] as const) {
      const info = on ? this.visibleInfo(side) : null;
      this.containers[side].hidden = info === null;
      if (info) this.draw(side, info, view!.opacity);
    }
    this.divider.hidden = !(on && view!.mode === 'swipe' && view!.before && view!.after);
    this.dates.before.textContent = view?.before ? `◀ ${view.before.date}` : '';
    this.dates.after.textContent = view?.after ? `${view.after.date} ▶` : '';
    this.applyClip();
  }

  /**
   * Fills of the main map (parcels, suspects) at a quarter of their opacity while imagery is shown,
   * so the ground shows through them; outlines stay as they are. Restores the style's values after.
   */
  private dimFills(on: boolean): void {
    if (on === this.dimmed.size > 0) return;
    for (const layer of this.main.getStyle()?.layers ?? []) {
      if (layer.type !== 'fill') continue;
      if (on) {
        // The style only uses numbers and expressions here (no legacy functions).
        const original = (this.main.getPaintProperty(layer.id, 'fill-opacity') ?? 1) as number | ExpressionSpecification;
        this.dimmed.set(layer.id, original);
        this.main.setPaintProperty(layer.id, 'fill-opacity', ['*', FILL_DIM, original]);
      } else if (this.dimmed.has(layer.id)) {
        this.main.setPaintProperty(layer.id, 'fill-opacity', this.dimmed.get(layer.id));
      }
    }
    if (!on) this.dimmed.clear();
  }

  /** Moves the divider to a fraction (0–1) of the map's width. */
  setPosition(fraction: number): void {
    this.fraction = Math.min(1, Math.max(0, fraction));
    this.applyClip();
  }

  /** Divider position, 0–1. */
  position(): number {
    return this.fraction;
  }

  /** The raster-only map drawing a side (created on first use), for tests and debugging. */
  mapOf(side: Side): MapLibreMap | null {
    return this.maps[side] ?? null;
  }

  /** The date a side shows in the current mode, or null. */
  private visibleInfo(side: Side): ImageryInfo | null {
    const v = this.view;
    if (!v) return null;
    if (v.mode === 'swipe') return v[side] ?? null;
    return v.mode === side ? v[side] : null;
  }

  private draw(side: Side, info: ImageryInfo, opacity: number): void {
    const map = this.ensureMap(side);
    const apply = () => {
      if (this.shown[side] !== info.id) {
        if (map.getLayer(LAYER)) map.removeLayer(LAYER);
        if (map.getSource(LAYER)) map.removeSource(LAYER);
        map.addSource(LAYER, {
          type: 'raster',
          tiles: [`${window.location.origin}${info.tiles}`],
          tileSize: 256,
          bounds: info.bbox,
          maxzoom: 19,
        });
        const layer: RasterLayerSpecification = { id: LAYER, type: 'raster', source: LAYER, paint: { 'raster-opacity': opacity, 'raster-fade-duration': 0 } };
        map.addLayer(layer);
        this.shown[side] = info.id;
      } else {
        map.setPaintProperty(LAYER, 'raster-opacity', opacity);
      }
      map.resize();
      this.syncCamera();
    };
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }

  private ensureMap(side: Side): MapLibreMap {
    let map = this.maps[side];
    if (!map) {
      this.containers[side].hidden = false;
      map = new MapLibreMap({
        container: this.containers[side],
        style: { version: 8, sources: {}, layers: [] },
        center: this.main.getCenter(),
        zoom: this.main.getZoom(),
        bearing: this.main.getBearing(),
        pitch: this.main.getPitch(),
        interactive: false,
        attributionControl: false,
        maxZoom: 20,
        canvasContextAttributes: { preserveDrawingBuffer: true },
      });
      this.maps[side] = map;
    }
    return map;
  }

  private syncCamera(): void {
    const camera = { center: this.main.getCenter(), zoom: this.main.getZoom(), bearing: this.main.getBearing(), pitch: this.main.getPitch() };
    for (const m of Object.values(this.maps)) m.jumpTo(camera);
  }

  /** Clips the "after" map to the right of the divider (swipe), or not at all (after only). */
  private applyClip(): void {
    const width = this.wrap.clientWidth;
    const x = Math.round(width * this.fraction);
    const swipe = this.view?.mode === 'swipe' && !!this.view.before && !!this.view.after;
    this.containers.after.style.clipPath = swipe ? `inset(0 0 0 ${x}px)` : 'none';
    this.divider.style.left = `${x}px`;
    this.divider.dataset.position = this.fraction.toFixed(3);
    const handle = this.divider.querySelector<HTMLElement>('.swipe-handle')!;
    handle.setAttribute('aria-valuenow', String(Math.round(this.fraction * 100)));
    handle.setAttribute('aria-label', t('imagery.divider'));
    handle.title = t('imagery.dividerHint');
  }

  private wireDivider(handle: HTMLElement): void {
    const fromEvent = (e: PointerEvent) => {
      const r = this.wrap.getBoundingClientRect();
      this.setPosition((e.clientX - r.left) / Math.max(1, r.width));
    };
    let dragging = false;
    this.divider.addEventListener('pointerdown', (e) => {
      dragging = true;
      this.divider.setPointerCapture(e.pointerId);
      this.divider.classList.add('dragging');
      e.preventDefault();
    });
    this.divider.addEventListener('pointermove', (e) => {
      if (dragging) fromEvent(e);
    });
    const stop = (e: PointerEvent) => {
      if (!dragging) return;
      dragging = false;
      this.divider.classList.remove('dragging');
      if (this.divider.hasPointerCapture(e.pointerId)) this.divider.releasePointerCapture(e.pointerId);
    };
    this.divider.addEventListener('pointerup', stop);
    this.divider.addEventListener('pointercancel', stop);
    handle.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 0.1 : 0.02;
      if (e.key === 'ArrowLeft') this.setPosition(this.fraction - step);
      else if (e.key === 'ArrowRight') this.setPosition(this.fraction + step);
      else return;
      e.preventDefault();
    });
  }
}
