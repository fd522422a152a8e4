/**
 * Which file and band holds blue, green, red, near-infrared (…) of one imagery date, and the date
 * itself: from an explicit `--bands` map, or guessed from file names (Sentinel-2 B02…, Landsat _B2…),
 * GDAL band descriptions and the photometric interpretation.
 */
import path from 'node:path';
import { ImageryError } from './imagery-errors.ts';

/** Spectral bands LandWatch understands. */
export const BAND_NAMES = ['blue', 'green', 'red', 'nir', 'swir1', 'swir2'] as const;
/** One spectral band. */
export type BandName = (typeof BAND_NAMES)[number];

/** Where one band lives: a file and its 0-based band index. */
export interface BandSource {
  file: string;
  band: number;
}

/** Band → source. Only the bands found are present. */
export type BandMap = Partial<Record<BandName, BandSource>>;

/** How a band map was decided, for reports. */
export interface BandMapResult {
  map: BandMap;
  how: 'option' | 'file-names' | 'descriptions' | 'photometric-rgb' | 'band-order';
  notes: string[];
}

/** Minimal facts about a file the guessing needs. */
export interface BandFileFacts {
  path: string;
  bandCount: number;
  descriptions: Array<string | null>;
  photometric: number | null;
  alphaBand: number | null;
}

const ALIASES: Record<string, BandName> = {
  blue: 'blue', b: 'blue', green: 'green', g: 'green', red: 'red', r: 'red', nir: 'nir', nir1: 'nir', swir1: 'swir1', swir2: 'swir2',
};

/** Sentinel-2 band ids by name. B8A (narrow NIR) is used only when B08 is absent. */
const SENTINEL2: Record<string, BandName> = { B02: 'blue', B03: 'green', B04: 'red', B08: 'nir', B8A: 'nir', B11: 'swir1', B12: 'swir2' };
const LANDSAT_OLI: Record<string, BandName> = { B2: 'blue', B3: 'green', B4: 'red', B5: 'nir', B6: 'swir1', B7: 'swir2' };
const LANDSAT_TM: Record<string, BandName> = { B1: 'blue', B2: 'green', B3: 'red', B4: 'nir', B5: 'swir1', B7: 'swir2' };

function token(name: string, id: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9])${id}([^A-Za-z0-9]|$)`, 'i').test(name);
}

/**
 * Parses `--bands blue=B02,green=B03,red=B04,nir=B08` (values name per-band files by a token of their
 * file name) or `--bands blue=1,green=2,red=3,nir=4` (1-based bands of one multi-band file).
 * Throws BAND_MAP_INVALID naming the problem.
 */
export function parseBandSpec(spec: string, files: BandFileFacts[]): BandMap {
  const map: BandMap = {};
  const pairs = spec.split(',').map((p) => p.trim()).filter(Boolean);
  if (pairs.length === 0) throw new ImageryError('BAND_MAP_INVALID', 'empty --bands', undefined, 'bands');
  for (const pair of pairs) {
    const m = /^([A-Za-z0-9_]+)\s*=\s*([A-Za-z0-9_.-]+)$/.exec(pair);
    const band = m ? ALIASES[(m[1] as string).toLowerCase()] : undefined;
    if (!m || !band) throw new ImageryError('BAND_MAP_INVALID', `"${pair}" (expected e.g. red=B04 or red=3; bands: ${BAND_NAMES.join(', ')})`, undefined, 'bands');
    const value = m[2] as string;
    if (/^\d+$/.test(value)) {
      const index = Number(value) - 1;
      if (files.length !== 1) throw new ImageryError('BAND_MAP_INVALID', `${pair}: a band number needs exactly one multi-band file per date, got ${files.length}`, undefined, 'bands');
      const f = files[0] as BandFileFacts;
      if (index < 0 || index >= f.bandCount) throw new ImageryError('BAND_MAP_INVALID', `${pair}: ${path.basename(f.path)} has bands 1–${f.bandCount}`, undefined, 'bands');
      map[band] = { file: f.path, band: index };
    } else {
      const hits = files.filter((f) => token(path.basename(f.path).replace(/\.[^.]+$/, ''), value));
      if (hits.length !== 1) {
        throw new ImageryError('BAND_MAP_INVALID', `${pair}: ${hits.length === 0 ? 'no' : 'more than one'} file name contains "${value}" (${files.map((f) => path.basename(f.path)).join(', ')})`, undefined, 'bands');
      }
      map[band] = { file: (hits[0] as BandFileFacts).path, band: 0 };
    }
  }
  return map;
}

/**
 * Guesses the band map of one date. One file per band: Sentinel-2 (B02, B03, B04, B08, B8A, B11,
 * B12) or Landsat (…_B2 …; OLI numbering when the name says LC08/LC09, TM/ETM+ otherwise) tokens in
 * the file names. One multi-band file: GDAL band descriptions naming the bands, else photometric RGB
 * (red, green, blue), else 4+ bands read as blue, green, red, NIR — the order of GF-1/GF-2/ZY-3,
 * PlanetScope and most Sentinel-2 stacks — with a note saying so. Throws BAND_MAP_INVALID when no rule fits.
 */
export function guessBandMap(files: BandFileFacts[]): BandMapResult {
  if (files.length > 1 || files.every((f) => f.bandCount === 1)) {
    const map: BandMap = {};
    for (const f of files) {
      const name = path.basename(f.path).replace(/\.[^.]+$/, '');
      const landsat = /(^|[^A-Za-z0-9])L[COTEM]0\d/i.test(name);
      const table = landsat ? (/L[CO]0[89]/i.test(name) ? LANDSAT_OLI : LANDSAT_TM) : SENTINEL2;
      for (const [id, band] of Object.entries(table)) {
        if (token(name, id) && !(band === 'nir' && id === 'B8A' && map.nir)) map[band] = { file: f.path, band: 0 };
      }
      const word = Object.keys(ALIASES).find((a) => a.length > 1 && token(name, a));
      if (word && !Object.values(map).some((s) => s.file === f.path)) map[ALIASES[word] as BandName] = { file: f.path, band: 0 };
    }
    if (Object.keys(map).length === 0) {
      throw new ImageryError('BAND_MAP_INVALID', `cannot tell the bands from the file names (${files.map((f) => path.basename(f.path)).join(', ')}); pass --bands blue=…,green=…,red=…,nir=…`, undefined, 'bands');
    }
    return { map, how: 'file-names', notes: [] };
  }
  const f = files[0] as BandFileFacts;
  const byDescription: BandMap = {};
  f.descriptions.forEach((d, i) => {
    if (!d) return;
    const key = d.toLowerCase().replace(/[^a-z0-9]/g, '');
    const band = ALIASES[key] ?? SENTINEL2[d.toUpperCase()];
    if (band) byDescription[band] = { file: f.path, band: i };
  });
  if (Object.keys(byDescription).length >= 3) return { map: byDescription, how: 'descriptions', notes: [] };
  const dataBands = f.bandCount - (f.alphaBand !== null ? 1 : 0);
  if (f.photometric === 2 && dataBands === 3) {
    return { map: { red: { file: f.path, band: 0 }, green: { file: f.path, band: 1 }, blue: { file: f.path, band: 2 } }, how: 'photometric-rgb', notes: [] };
  }
  if (dataBands >= 4) {
    return {
      map: { blue: { file: f.path, band: 0 }, green: { file: f.path, band: 1 }, red: { file: f.path, band: 2 }, nir: { file: f.path, band: 3 } },
      how: 'band-order',
      notes: [`${path.basename(f.path)}: bands 1–4 taken as blue, green, red, NIR (the usual order of GF/ZY/Planet/Sentinel-2 stacks); pass --bands to say otherwise`],
    };
  }
  if (dataBands === 3) {
    return { map: { red: { file: f.path, band: 0 }, green: { file: f.path, band: 1 }, blue: { file: f.path, band: 2 } }, how: 'band-order', notes: [`${path.basename(f.path)}: 3 bands taken as red, green, blue`] };
  }
  throw new ImageryError('BAND_MAP_INVALID', `${path.basename(f.path)} has ${f.bandCount} band(s); pass --bands`, undefined, 'bands');
}

/**
 * The acquisition date in a file name: YYYYMMDD (as in T49QCD_20161209T031122_B02) or YYYY-MM-DD,
 * years 1972–2099, a real calendar day. Null when the name holds none.
 */
export function dateFromName(filePath: string): string | null {
  const name = path.basename(filePath);
  for (const m of name.matchAll(/(?:^|[^0-9])((?:19[7-9]\d|20\d\d))-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?![0-9])/g)) {
    const iso = `${m[1]}-${m[2]}-${m[3]}`;
    if (isCalendarDate(iso)) return iso;
  }
  return null;
}

/** Whether a YYYY-MM-DD string is a real calendar date. */
export function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
}

/** The date of one imagery date: the option, else the one date all its file names agree on. */
export function resolveDate(files: string[], option: string | undefined, label: string): string {
  if (option !== undefined) {
    if (!isCalendarDate(option)) throw new ImageryError('DATE_INVALID', `${label} date "${option}" (YYYY-MM-DD)`, undefined, 'date');
    return option;
  }
  const dates = new Set(files.map(dateFromName).filter((d): d is string => d !== null));
  if (dates.size === 1) return [...dates][0] as string;
  throw new ImageryError(
    'DATE_MISSING',
    dates.size === 0 ? `no date in the ${label} file names; pass it (YYYY-MM-DD)` : `the ${label} file names hold several dates (${[...dates].join(', ')}); pass one`,
    undefined,
    'date',
  );
}
