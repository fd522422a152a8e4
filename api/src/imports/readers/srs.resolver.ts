/**
 * Decides a layer's CRS from, in order: the --srs option, a .prj (or any CRS WKT), the coordinate
 * ranges. Shared by the shapefile, CSV and GeoPackage readers.
 */
import type { ReaderNote, SrsResolution } from './reader.types.ts';
import { ReaderError } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { describeEpsg } from '../crs/crs.catalog.ts';
import { mapWktToEpsg } from '../crs/prj.mapper.ts';
import { inferSrsFromExtent, type Extent } from '../crs/srs.inference.ts';

/**
 * Why the coordinates cannot be in `epsg` (e.g. a .prj saying CM 114E over 8-digit eastings), or
 * null when they fit or the CRS is not one checked here. A likely code is suggested from the ranges.
 */
export function srsMismatch(epsg: number, extent: Extent | null): string | null {
  const desc = describeEpsg(epsg);
  if (!desc || !extent || ![extent.minX, extent.minY, extent.maxX, extent.maxY].every(Number.isFinite)) return null;
  let bad = false;
  if (desc.kind === 'geographic') bad = extent.minX < -180 || extent.maxX > 180 || extent.minY < -90 || extent.maxY > 90;
  else if (desc.kind === 'gauss-kruger') {
    const lo = desc.zonePrefixed ? (desc.zone ?? 0) * 1e6 : 0;
    bad = extent.minX < lo || extent.maxX >= lo + 1e6;
  }
  if (!bad) return null;
  const guess = inferSrsFromExtent(extent);
  const hint = guess.kind === 'ok' ? `; the ranges look like EPSG:${guess.epsg} / 坐标范围像 EPSG:${guess.epsg}` : '';
  return `coordinates ${extent.minX},${extent.minY} – ${extent.maxX},${extent.maxY} do not fit EPSG:${epsg} (${desc.name}) / 坐标范围与 EPSG:${epsg} 不符${hint}`;
}

/** What is known about a layer's CRS. */
export interface SrsEvidence {
  /** The data file (named in errors). */
  file: string;
  /** The .prj file, when the WKT came from one (named in errors). */
  prjFile?: string;
  /** --srs EPSG code. */
  option?: number;
  /** CRS WKT text (.prj content, GeoPackage definition). */
  prj?: string;
  /** Extent of the data in source units, computed only when inference is needed. */
  extent: () => Promise<Extent | null>;
  /** Notes are appended here. */
  notes: ReaderNote[];
}

/** Checks an EPSG option value: a positive integer. */
export function checkSrsOption(file: string, epsg: number): number {
  if (!Number.isInteger(epsg) || epsg <= 0) {
    throw new ReaderError('SRS_UNRECOGNIZED', file, { reason: `--srs ${epsg} is not an EPSG code / 不是 EPSG 代码` });
  }
  return epsg;
}

/**
 * The CRS of a layer. Throws ReaderError SRS_UNRECOGNIZED (WKT that names no known CRS) or
 * SRS_REQUIRED (no usable WKT and coordinates that cannot be told apart, e.g. 6-digit eastings).
 */
export async function resolveSrs(evidence: SrsEvidence): Promise<SrsResolution> {
  const { notes } = evidence;
  if (evidence.option !== undefined) {
    const epsg = checkSrsOption(evidence.file, evidence.option);
    notes.push({ code: 'SRS_OPTION', message: formatReaderMessage('SRS_OPTION', { epsg }) });
    return { epsg, how: 'option' };
  }
  let inferenceDetail = 'no .prj / 没有 .prj';
  if (evidence.prj !== undefined) {
    const match = mapWktToEpsg(evidence.prj);
    if (match.kind === 'epsg') {
      notes.push({ code: 'SRS_FROM_PRJ', message: formatReaderMessage('SRS_FROM_PRJ', { epsg: match.epsg, detail: match.detail }) });
      // A .prj copied from another project is common: say so when the numbers cannot be in it.
      const mismatch = srsMismatch(match.epsg, await evidence.extent());
      if (mismatch) notes.push({ code: 'SRS_MISMATCH', message: formatReaderMessage('SRS_MISMATCH', { reason: mismatch }) });
      return { epsg: match.epsg, how: 'prj', detail: match.detail };
    }
    if (match.kind === 'unrecognized') {
      throw new ReaderError('SRS_UNRECOGNIZED', evidence.prjFile ?? evidence.file, { reason: match.reason });
    }
    notes.push({ code: 'PRJ_INVALID', message: formatReaderMessage('PRJ_INVALID', { reason: match.reason }) });
    inferenceDetail = 'unusable .prj / .prj 无效';
  }
  const inferred = inferSrsFromExtent(await evidence.extent());
  if (inferred.kind === 'need-srs') throw new ReaderError('SRS_REQUIRED', evidence.file, { reason: inferred.reason });
  const detail = `${inferenceDetail}; ${inferred.detail}`;
  notes.push({ code: 'SRS_INFERRED', message: formatReaderMessage('SRS_INFERRED', { epsg: inferred.epsg, detail }) });
  return { epsg: inferred.epsg, how: 'inferred', detail };
}
