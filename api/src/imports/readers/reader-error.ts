/**
 * The one error type of the reader layer: clear, user-facing, naming the file (and row/field when known).
 */
import { formatReaderMessage, type MessageParams, type ReaderCode } from './reader-messages.ts';

/** Where a reader error happened, besides the file. */
export interface ReaderErrorPlace {
  row?: number;
  field?: string;
}

/**
 * A fatal reader problem (the whole file or layer cannot be read). `message` is "English (中文)";
 * `code` is one of READER_MESSAGES; `file` is the path as the user gave it (zip members as 'a.zip!/x.shp').
 */
export class ReaderError extends Error {
  readonly code: ReaderCode;
  readonly file: string;
  readonly row?: number;
  readonly field?: string;

  constructor(code: ReaderCode, file: string, params: MessageParams = {}, place: ReaderErrorPlace = {}, cause?: unknown) {
    super(formatReaderMessage(code, { file, ...params, row: place.row, field: place.field }), cause === undefined ? undefined : { cause });
    this.name = 'ReaderError';
    this.code = code;
    this.file = file;
    if (place.row !== undefined) this.row = place.row;
    if (place.field !== undefined) this.field = place.field;
  }
}

/** A short reason from any thrown value, for the `{reason}` placeholder. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Thrown while a layer read in one pass (`SourceLayer.allFields`) is being read, when what was decided
 * from its first features does not hold for the whole file (another `crs` member after the features):
 * the import reads it again with `fullScan`.
 */
export class RescanNeeded extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}; read again in two passes`);
    this.name = 'RescanNeeded';
  }
}
