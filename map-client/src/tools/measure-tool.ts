import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { h } from '../dom.ts';
import { formatArea, formatLength } from '../format/area-format.ts';
import { getLanguage, t } from '../i18n/i18n.ts';
import type { DeckLayers } from '../map/deck-overlay.ts';
import { geodesicArea, geodesicLength } from './geodesic.ts';

/** What is being measured. */
export type MeasureMode = 'off' | 'length' | 'area';

/**
 * The measure tool: click to add points, double-click (or the finish button) to stop. Lengths in m,
 * areas in m² and 亩, both geodesic on the CGCS2000 ellipsoid. The sketch is drawn by deck.gl.
 */
export class MeasureTool {
  private mode: MeasureMode = 'off';
  private points: Array<[number, number]> = [];
  private hover: [number, number] | null = null;
  private finished = false;

  constructor(
    private readonly map: MapLibreMap,
    private readonly deck: DeckLayers,
    private readonly output: HTMLElement,
  ) {
    map.on('click', (e: MapMouseEvent) => {
      if (this.mode === 'off' || this.finished) return;
      this.points.push([e.lngLat.lng, e.lngLat.lat]);
      this.draw();
    });
    map.on('mousemove', (e: MapMouseEvent) => {
      if (this.mode === 'off' || this.finished || this.points.length === 0) return;
      this.hover = [e.lngLat.lng, e.lngLat.lat];
      this.draw();
    });
    map.on('dblclick', (e: MapMouseEvent) => {
      if (this.mode === 'off') return;
      e.preventDefault();
      this.finish();
    });
  }

  /** Whether a measurement is in progress (map clicks then add points instead of selecting). */
  get active(): boolean {
    return this.mode !== 'off' && !this.finished;
  }

  /** Starts measuring a length or an area, clearing the previous sketch. */
  start(mode: Exclude<MeasureMode, 'off'>): void {
    this.mode = mode;
    this.points = [];
    this.hover = null;
    this.finished = false;
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    this.draw();
  }

  /** Ends the current measurement, keeping its result on screen. */
  finish(): void {
    this.finished = true;
    this.hover = null;
    this.map.getCanvas().style.cursor = '';
    // Re-enable after this event, or the finishing double-click would still zoom.
    setTimeout(() => this.map.doubleClickZoom.enable(), 0);
    this.draw();
  }

  /** Removes the sketch and the result. */
  clear(): void {
    this.mode = 'off';
    this.points = [];
    this.hover = null;
    this.finished = false;
    this.map.doubleClickZoom.enable();
    this.map.getCanvas().style.cursor = '';
    this.draw();
  }

  /** Re-draws the sketch and the result text (also after a language switch). */
  draw(): void {
    const pts = this.hover ? [...this.points, this.hover] : this.points;
    const features: Parameters<DeckLayers['setSketch']>[0] = pts.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
    if (this.mode === 'area' && pts.length >= 3) {
      features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...pts, pts[0]!]] }, properties: {} });
    } else if (pts.length >= 2) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: pts }, properties: {} });
    }
    this.deck.setSketch(this.mode === 'off' ? [] : features);
    const lang = getLanguage();
    if (this.mode === 'off') {
      this.output.replaceChildren();
      this.output.hidden = true;
      return;
    }
    this.output.hidden = false;
    const lines: HTMLElement[] = [];
    if (this.mode === 'length') {
      lines.push(h('div', { id: 'measure-result' }, t('measure.result', { label: t('measure.length'), value: formatLength(geodesicLength(pts), lang) })));
    } else {
      const ring = pts.length >= 3 ? [...pts, pts[0]!] : pts;
      lines.push(h('div', { id: 'measure-result' }, t('measure.result', { label: t('measure.area'), value: formatArea(geodesicArea(pts), lang) })));
      lines.push(h('div', { class: 'hint' }, t('measure.result', { label: t('measure.perimeter'), value: formatLength(geodesicLength(ring), lang) })));
    }
    if (!this.finished) lines.push(h('div', { class: 'hint' }, t('measure.hint')));
    if (!this.finished) lines.push(h('button', { type: 'button', class: 'small', onClick: () => this.finish() }, t('measure.finish')));
    this.output.replaceChildren(...lines);
  }
}
