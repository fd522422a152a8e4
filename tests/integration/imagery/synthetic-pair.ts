/**
 * A small synthetic before/after pair for the imagery tests: before in UTM 49N (EPSG:32649, 10 m,
 * one file per band, Sentinel-2 names), after in EPSG:4326 on a different, slightly finer grid (one
 * 4-band file), with two planted changes near Beihai: a 300 × 200 m block and a 400 × 400 m ring
 * around an unchanged 160 × 160 m courtyard.
 */
import proj4 from 'proj4';
import { writeSyntheticScene, type PlantedChange } from '../../../api/src/imagery/synthetic-scene.generator.ts';

const UTM49 = '+proj=utm +zone=49 +datum=WGS84 +units=m +no_defs';
const X0 = 800_000;
const Y0 = 2_390_000;
const toLonLat = (x: number, y: number) => proj4(UTM49, 'WGS84', [x, y]) as [number, number];
const rect = (ax: number, ay: number, bx: number, by: number): Array<[number, number]> => [toLonLat(ax, ay), toLonLat(bx, ay), toLonLat(bx, by), toLonLat(ax, by), toLonLat(ax, ay)];

/** The planted block (60,000 m² on the UTM grid). */
export const PLANTED_BLOCK: PlantedChange = { ring: rect(X0 + 300, Y0 - 700, X0 + 600, Y0 - 500) };
/** The planted ring: 160,000 m² outside, a 25,600 m² unchanged courtyard. */
export const PLANTED_RING: PlantedChange = { ring: rect(X0 + 1000, Y0 - 1600, X0 + 1400, Y0 - 1200), holes: [rect(X0 + 1120, Y0 - 1480, X0 + 1280, Y0 - 1320)] };

/** Writes the pair into `dir`; returns the before files (4) and the after file (1). */
export async function writeSyntheticPair(dir: string, options: { changes?: PlantedChange[]; sameGrid?: boolean } = {}): Promise<{ before: string[]; after: string[] }> {
  const changes = options.changes ?? [PLANTED_BLOCK, PLANTED_RING];
  const before = await writeSyntheticScene(dir, 'S2_20200105_T49QCD', { width: 200, height: 200, transform: [X0, 10, 0, Y0, 0, -10], epsg: 32649, date: 'before', changes, perBandFiles: true });
  const [lon0, lat0] = toLonLat(X0 - 100, Y0 + 100);
  const after = options.sameGrid
    ? await writeSyntheticScene(dir, 'S2_20210110_T49QCD', { width: 200, height: 200, transform: [X0, 10, 0, Y0, 0, -10], epsg: 32649, date: 'after', changes, perBandFiles: true })
    : await writeSyntheticScene(dir, 'GF_20210110_stack', { width: 230, height: 230, transform: [lon0, 0.0000925, 0, lat0, 0, -0.0000905], epsg: 4326, date: 'after', changes });
  return { before, after };
}
