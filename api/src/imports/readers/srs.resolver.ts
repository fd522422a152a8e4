/**
 * Decides a layer's CRS from, in order: the --srs option, a .prj (or any CRS WKT), the coordinate
 * ranges. Shared by the shapefile, CSV and GeoPackage readers.
 */
import type { ReaderNote, SrsResolution } from './reader.types.ts';
import { ReaderError } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { mapWktToEpsg } from '../crs/prj.mapper.ts';
import { inferSrsFromExtent, type Extent } from '../crs/srs.inference.ts';

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
