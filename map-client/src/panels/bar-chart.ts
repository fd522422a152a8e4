import { svg } from '../dom.ts';

/** One part of a bar (stacked bars have several). */
export interface BarSegment {
  value: number;
  color: string;
  /** Tooltip text. */
  title: string;
}

/** One bar: its label, segments, and what a click does. */
export interface BarRow {
  label: string;
  segments: BarSegment[];
  onClick?: () => void;
}

/** Layout of a horizontal bar chart, in SVG user units (pure: unit-tested). */
export interface BarLayout {
  height: number;
  bars: Array<{ y: number; segments: Array<{ x: number; width: number }>; total: number }>;
}

const LABEL_W = 96;
const VALUE_W = 64;
const ROW_H = 22;

/**
 * Positions of stacked horizontal bars scaled to the largest total. Zero and negative values take
 * no width; an all-zero chart draws empty bars rather than dividing by zero.
 */
export function layoutBars(rows: ReadonlyArray<{ segments: ReadonlyArray<{ value: number }> }>, width: number): BarLayout {
  const totals = rows.map((r) => r.segments.reduce((s, seg) => s + Math.max(0, seg.value), 0));
  const max = Math.max(0, ...totals);
  const plot = Math.max(10, width - LABEL_W - VALUE_W);
  return {
    height: rows.length * ROW_H + 4,
    bars: rows.map((r, i) => {
      let x = LABEL_W;
      const segments = r.segments.map((seg) => {
        const w = max > 0 ? (Math.max(0, seg.value) / max) * plot : 0;
        const out = { x, width: w };
        x += w;
        return out;
      });
      return { y: i * ROW_H + 2, segments, total: totals[i] ?? 0 };
    }),
  };
}

/**
 * A horizontal (stacked) bar chart as SVG: no chart library, text stays selectable, each segment
 * has a tooltip, bars with onClick are buttons (keyboard too).
 */
export function barChart(rows: BarRow[], options: { width: number; format: (v: number) => string; label: string }): SVGSVGElement {
  const layout = layoutBars(rows, options.width);
  const root = svg('svg', { width: options.width, height: layout.height, viewBox: `0 0 ${options.width} ${layout.height}`, role: 'img', 'aria-label': options.label, class: 'bar-chart' });
  rows.forEach((row, i) => {
    const bar = layout.bars[i]!;
    const g = svg('g', { class: row.onClick ? 'bar clickable' : 'bar' });
    if (row.onClick) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.addEventListener('click', row.onClick);
      g.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') row.onClick?.();
      });
    }
    const label = svg('text', { x: LABEL_W - 6, y: bar.y + 14, 'text-anchor': 'end', class: 'bar-label' }, row.label.length > 8 ? `${row.label.slice(0, 8)}…` : row.label);
    label.append(svg('title', {}, row.label));
    g.append(label);
    row.segments.forEach((seg, j) => {
      const pos = bar.segments[j]!;
      const rect = svg('rect', { x: pos.x, y: bar.y + 2, width: Math.max(0, pos.width), height: ROW_H - 6, fill: seg.color, rx: 2 });
      rect.append(svg('title', {}, seg.title));
      g.append(rect);
    });
    const end = bar.segments.length > 0 ? bar.segments[bar.segments.length - 1]!.x + bar.segments[bar.segments.length - 1]!.width : LABEL_W;
    g.append(svg('text', { x: end + 4, y: bar.y + 14, class: 'bar-value' }, options.format(bar.total)));
    root.append(g);
  });
  return root;
}
