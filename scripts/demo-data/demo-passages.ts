/**
 * Public passages: road and fire-lane centre lines with a width (KD, metres; empty on one village
 * road so the importer's default applies) and the river management range as a polygon.
 */
import type { MPoly } from './demo-geometry.ts';
import { DEFAULT_WIDTH, LINES } from './demo-layout.ts';
import type { PassageArea, PassageLine } from './demo.types.ts';

/** Centre lines of roads and fire lanes. */
export function buildPassageLines(): PassageLine[] {
  return LINES.map((l) => ({ bsm: '', type: l.type, name: l.name, width: l.width, line: l.line.map(([x, y]) => [x, y]) }));
}

/** The river management range (河道管理范围) as a passage polygon. */
export function buildRiverAreas(corridor: MPoly): PassageArea[] {
  return [{ bsm: '440999H0001', name: '禾溪河道管理范围', geom: corridor }];
}

/** Half of the width that applies to a line (KD, or the type's default when KD is empty). */
export function halfWidth(l: PassageLine): number {
  return (l.width ?? DEFAULT_WIDTH[l.type]) / 2;
}
