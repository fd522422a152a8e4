import type { Writable } from 'node:stream';
import { EXPORT_COLUMNS, textValue } from '../export-columns.ts';
import type { ExportRecord } from '../exports.types.ts';
import { endStream, writeChunk, type FormatWriter } from './format-writer.ts';

/** Byte-order mark: without it Excel opens UTF-8 CSV as the system code page and garbles Chinese. */
const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR/LF or edge spaces; quotes doubled.
 * Text that Excel would run as a formula (=, +, @, a leading tab/CR, or - not followed by a number)
 * gets a leading apostrophe (OWASP "CSV injection"): the values come from delivered survey files.
 */
export function csvField(value: string, isText: boolean): string {
  let v = value;
  if (isText && v.length > 0 && (/^[=+@\t\r]/.test(v) || (v.startsWith('-') && !/^-\d+(\.\d+)?$/.test(v)))) v = `'${v}`;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The header line with the Chinese column names. */
export function csvHeader(): string {
  return EXPORT_COLUMNS.map((c) => csvField(c.zh, true)).join(',') + CRLF;
}

/** One suspect as a CSV line (CRLF-terminated). */
export function csvLine(r: ExportRecord): string {
  return EXPORT_COLUMNS.map((c) => csvField(textValue(c, r), c.type === 'text')).join(',') + CRLF;
}

/** CSV for Excel: UTF-8 with BOM, CRLF line ends, Chinese headers, one line per suspect. */
export function createCsvWriter(out: Writable): FormatWriter {
  let started = false;
  const header = () => {
    started = true;
    return BOM + csvHeader();
  };
  return {
    async write(records) {
      let chunk = started ? '' : header();
      for (const r of records) chunk += csvLine(r);
      await writeChunk(out, chunk);
    },
    async finish() {
      if (!started) await writeChunk(out, header());
      await endStream(out);
    },
    async abort() {
      out.destroy();
    },
  };
}
