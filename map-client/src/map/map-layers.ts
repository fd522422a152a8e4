import type { AddLayerObject, ExpressionSpecification } from 'maplibre-gl';

/** Severity colours, lightest first (also used by the list, the detail and the dashboard). */
export const SEVERITY_COLORS: Record<string, string> = { light: '#fdae61', general: '#f46d43', serious: '#b2182b' };
/** Colours per rule for evidence highlighting and the dashboard. */
export const RULE_COLORS: Record<string, string> = {
  FARMLAND: '#e6ab02',
  CULTIVATED: '#66a61e',
  ECO_REDLINE: '#e7298a',
  PASSAGE: '#1f78b4',
  OUTSIDE_BOUNDARY: '#7570b3',
  ZONE_USE: '#d95f02',
  NO_PERMIT: '#a6761d',
  REBUILD: '#1b1b1b',
};
/** Outline colour of the selected suspect. */
export const SELECTED_COLOR = '#00b8d9';

/** One entry of the legend: a swatch and what it means. */
export interface LegendEntry {
  /** i18n key of the label. */
  label: string;
  fill?: string;
  line?: string;
  dashed?: boolean;
}

/** A map layer group the panel toggles: its tile layer, style layers and legend. */
export interface LayerStyle {
  /** Tile layer name (= source id suffix and MVT layer name). */
  name: string;
  /** Shown when the map opens. */
  visibleByDefault: boolean;
  legend: LegendEntry[];
  /** MapLibre style layers drawing it (source `lw-<name>`, source-layer `<name>`). */
  layers: AddLayerObject[];
}

function fillAndLine(name: string, fill: string, fillOpacity: number, line: string, width = 1, dash?: number[]): AddLayerObject[] {
  const source = `lw-${name}`;
  return [
    { id: `${name}-fill`, type: 'fill', source, 'source-layer': name, paint: { 'fill-color': fill, 'fill-opacity': fillOpacity } },
    {
      id: `${name}-line`,
      type: 'line',
      source,
      'source-layer': name,
      paint: { 'line-color': line, 'line-width': width, ...(dash ? { 'line-dasharray': dash } : {}) },
    },
  ];
}

// Planning use codes (用地用海 2023), first two digits: colours after the planning map convention.
const PLANNING_FILL: ExpressionSpecification = [
  'match',
  ['slice', ['coalesce', ['get', 'code'], ''], 0, 2],
  '01', '#f5e79e',
  '02', '#c7e9b4',
  '03', '#41ab5d',
  '04', '#addd8e',
  '05', '#7fcdbb',
  '07', '#fdae6b',
  '08', '#fb6a4a',
  '09', '#e7298a',
  '10', '#9e9ac8',
  '11', '#bcbddc',
  '12', '#969696',
  '13', '#6baed6',
  '14', '#74c476',
  '17', '#9ecae1',
  '#dadaeb',
];

const severityColor: ExpressionSpecification = [
  'match',
  ['get', 'severity'],
  'light', SEVERITY_COLORS.light!,
  'general', SEVERITY_COLORS.general!,
  'serious', SEVERITY_COLORS.serious!,
  '#888888',
];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/** Every layer group, bottom to top. */
export const LAYER_STYLES: LayerStyle[] = [
  {
    name: 'district',
    visibleByDefault: true,
    legend: [{ label: 'layers.district', line: '#555555', dashed: true }],
    layers: [
      {
        id: 'district-line',
        type: 'line',
        source: 'lw-district',
        'source-layer': 'district',
        paint: {
          'line-color': '#555555',
          'line-width': ['match', ['get', 'level'], 'county', 2.5, 'township', 1.5, 0.8],
          'line-dasharray': [3, 2],
        },
      },
    ],
  },
  {
    name: 'planning_zone',
    visibleByDefault: false,
    legend: [{ label: 'layers.planning_zone', fill: '#fdae6b', line: '#8c6d31' }],
    layers: [
      { id: 'planning_zone-fill', type: 'fill', source: 'lw-planning_zone', 'source-layer': 'planning_zone', paint: { 'fill-color': PLANNING_FILL, 'fill-opacity': 0.45 } },
      { id: 'planning_zone-line', type: 'line', source: 'lw-planning_zone', 'source-layer': 'planning_zone', paint: { 'line-color': '#8c6d31', 'line-width': 0.6 } },
    ],
  },
  { name: 'cultivated_land', visibleByDefault: true, legend: [{ label: 'layers.cultivated_land', fill: '#a6d96a', line: '#4d9221' }], layers: fillAndLine('cultivated_land', '#a6d96a', 0.4, '#4d9221', 0.8) },
  { name: 'basic_farmland', visibleByDefault: true, legend: [{ label: 'layers.basic_farmland', fill: '#fee08b', line: '#c9a227' }], layers: fillAndLine('basic_farmland', '#fee08b', 0.55, '#c9a227', 1) },
  { name: 'ecological_redline', visibleByDefault: true, legend: [{ label: 'layers.ecological_redline', fill: '#fcbba1', line: '#e31a1c' }], layers: fillAndLine('ecological_redline', '#fcbba1', 0.35, '#e31a1c', 1.5) },
  { name: 'public_passage', visibleByDefault: false, legend: [{ label: 'layers.public_passage', fill: '#c6dbef', line: '#4292c6' }], layers: fillAndLine('public_passage', '#c6dbef', 0.6, '#4292c6', 0.8) },
  { name: 'permit', visibleByDefault: true, legend: [{ label: 'layers.permit', fill: '#9ecae1', line: '#08519c', dashed: true }], layers: fillAndLine('permit', '#9ecae1', 0.2, '#08519c', 1.5, [2, 2]) },
  { name: 'demolished_site', visibleByDefault: false, legend: [{ label: 'layers.demolished_site', fill: '#bf812d', line: '#543005' }], layers: fillAndLine('demolished_site', '#bf812d', 0.35, '#543005', 1) },
  {
    name: 'development_boundary',
    visibleByDefault: true,
    legend: [{ label: 'layers.development_boundary', line: '#6a3d9a', dashed: true }],
    layers: [
      { id: 'development_boundary-line', type: 'line', source: 'lw-development_boundary', 'source-layer': 'development_boundary', paint: { 'line-color': '#6a3d9a', 'line-width': 2.5, 'line-dasharray': [4, 2] } },
    ],
  },
  { name: 'building', visibleByDefault: true, legend: [{ label: 'layers.building', fill: '#737373', line: '#252525' }], layers: fillAndLine('building', '#737373', 0.55, '#252525', 0.5) },
  { name: 'change_patch', visibleByDefault: true, legend: [{ label: 'layers.change_patch', fill: '#fa9fb5', line: '#c51b8a' }], layers: fillAndLine('change_patch', '#fa9fb5', 0.15, '#c51b8a', 1.8) },
  {
    name: 'suspects',
    visibleByDefault: true,
    legend: [
      { label: 'severity.serious', fill: SEVERITY_COLORS.serious, line: '#67000d' },
      { label: 'severity.general', fill: SEVERITY_COLORS.general, line: '#67000d' },
      { label: 'severity.light', fill: SEVERITY_COLORS.light, line: '#67000d' },
    ],
    layers: [
      { id: 'suspects-fill', type: 'fill', source: 'lw-suspects', 'source-layer': 'suspects', paint: { 'fill-color': severityColor, 'fill-opacity': ['case', selected, 0.8, 0.6] } },
      {
        id: 'suspects-line',
        type: 'line',
        source: 'lw-suspects',
        'source-layer': 'suspects',
        paint: { 'line-color': ['case', selected, SELECTED_COLOR, '#67000d'], 'line-width': ['case', selected, 4, 1.2] },
      },
    ],
  },
];

/** The style layer ids of a layer group. */
export function styleLayerIds(name: string): string[] {
  return LAYER_STYLES.find((l) => l.name === name)?.layers.map((l) => l.id) ?? [];
}
