import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Geometry, SuspectPoint } from '../api/api-types.ts';
import { RULE_COLORS, SELECTED_COLOR } from './map-layers.ts';

/** Below this zoom suspects are shown as hexagons (counts), above it as polygons from the tiles. */
export const HEXAGON_MAX_ZOOM = 12;

/** GeoJSON feature handed to deck.gl. */
interface GeoFeature {
  type: 'Feature';
  geometry: Geometry;
  properties: Record<string, unknown>;
}

/** Evidence drawn for the selected suspect: its outline and one overlap area per finding. */
export interface Evidence {
  outline: Geometry | null;
  findings: Array<{ id: number; rule: string; geometry: Geometry | null }>;
}

function hexToRgb(hex: string, alpha = 255): [number, number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

// Light yellow → dark red, matching the severity colours of the polygons.
const HEX_COLORS: Array<[number, number, number]> = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

/**
 * deck.gl on top of MapLibre (MapboxOverlay): evidence highlighting, the hexagon view of suspects at
 * low zoom, and the measure tool's sketch. Holds each part and redraws them together.
 */
export class DeckLayers {
  readonly overlay: MapboxOverlay;
  private points: SuspectPoint[] = [];
  private hexagonsEnabled = true;
  private evidence: Evidence | null = null;
  private highlightedFinding: number | null = null;
  private sketch: GeoFeature[] = [];

  constructor(private readonly map: MapLibreMap) {
    this.overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    map.addControl(this.overlay);
    map.on('zoomend', () => this.redraw());
  }

  /** Suspect points for the hexagons (already filtered like the list). */
  setPoints(points: SuspectPoint[]): void {
    this.points = points;
    this.redraw();
  }

  /** Turns the hexagon view on or off. */
  setHexagonsEnabled(enabled: boolean): void {
    this.hexagonsEnabled = enabled;
    this.redraw();
  }

  /** Whether hexagons are on screen now (enabled, below their zoom, with points). */
  hexagonsShown(): boolean {
    return this.hexagonsEnabled && this.points.length > 0 && this.map.getZoom() < HEXAGON_MAX_ZOOM;
  }

  /** Evidence of the selected suspect; null clears it. */
  setEvidence(evidence: Evidence | null): void {
    this.evidence = evidence;
    this.highlightedFinding = null;
    this.redraw();
  }

  /** Emphasises one finding's overlap (hovered in the detail panel); null for none. */
  highlightFinding(id: number | null): void {
    this.highlightedFinding = id;
    this.redraw();
  }

  /** The measure tool's sketch (points, line, polygon) as GeoJSON features. */
  setSketch(features: GeoFeature[]): void {
    this.sketch = features;
    this.redraw();
  }

  /** Rebuilds the deck layers from the current parts. */
  redraw(): void {
    const layers: Layer[] = [];
    if (this.hexagonsEnabled && this.points.length > 0) {
      layers.push(
        new HexagonLayer<SuspectPoint>({
          id: 'suspect-hexagons',
          data: this.points,
          visible: this.map.getZoom() < HEXAGON_MAX_ZOOM,
          getPosition: (p) => [p[1], p[2]],
          // Serious suspects weigh more: a hexagon of a few serious cases outranks many light ones.
          getColorWeight: (p) => 1 + Math.max(0, p[3]),
          colorAggregation: 'SUM',
          radius: 400,
          coverage: 0.9,
          extruded: false,
          opacity: 0.7,
          colorRange: HEX_COLORS,
          pickable: false,
        }),
      );
    }
    const ev = this.evidence;
    if (ev) {
      const features: GeoFeature[] = [];
      for (const f of ev.findings) {
        if (f.geometry) features.push({ type: 'Feature', geometry: f.geometry, properties: { kind: 'overlap', rule: f.rule, id: f.id } });
      }
      if (ev.outline) features.push({ type: 'Feature', geometry: ev.outline, properties: { kind: 'outline' } });
      const hi = this.highlightedFinding;
      layers.push(
        new GeoJsonLayer<Record<string, unknown>>({
          id: 'evidence',
          data: features as never,
          filled: true,
          stroked: true,
          lineWidthUnits: 'pixels',
          getFillColor: (f) => {
            const p = (f as unknown as GeoFeature).properties;
            if (p.kind === 'outline') return [0, 0, 0, 0];
            return hexToRgb(RULE_COLORS[String(p.rule)] ?? '#ff00ff', hi === null || hi === p.id ? 150 : 40);
          },
          getLineColor: (f) => {
            const p = (f as unknown as GeoFeature).properties;
            return p.kind === 'outline' ? hexToRgb(SELECTED_COLOR) : hexToRgb(RULE_COLORS[String(p.rule)] ?? '#ff00ff');
          },
          getLineWidth: (f) => ((f as unknown as GeoFeature).properties.kind === 'outline' ? 3 : hi === (f as unknown as GeoFeature).properties.id ? 3 : 1.5),
          updateTriggers: { getFillColor: [hi], getLineWidth: [hi] },
        }),
      );
    }
    if (this.sketch.length > 0) {
      layers.push(
        new GeoJsonLayer({
          id: 'measure',
          data: { type: 'FeatureCollection', features: this.sketch } as never,
          filled: true,
          stroked: true,
          pointType: 'circle',
          getFillColor: [0, 120, 255, 50],
          getLineColor: [0, 90, 200, 255],
          getPointRadius: 4,
          pointRadiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getLineWidth: 2,
        }),
      );
    }
    this.overlay.setProps({ layers });
  }
}
