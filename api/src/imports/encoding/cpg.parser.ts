/**
 * Reads a shapefile .cpg (code page) file: a one-line label such as "GBK", "936", "UTF-8", "ANSI 1252".
 */
import { canonicalEncoding } from './encoding-names.ts';

/** What a .cpg said: a usable encoding, an unknown label, or content that is no code page at all. */
export type CpgResult =
  | { kind: 'ok'; encoding: string; label: string }
  | { kind: 'unknown'; label: string }
  | { kind: 'invalid'; reason: string };

// A code page label is short and plain; anything longer (e.g. an HTML page saved as .cpg) is not one.
const MAX_LABEL_BYTES = 64;

/**
 * Parses .cpg content. Returns `invalid` for garbage (HTML, binary, several lines), `unknown` for a
 * plausible label this code cannot decode, else the canonical encoding (see canonicalEncoding).
 */
export function parseCpg(content: Uint8Array): CpgResult {
  if (content.length === 0) return { kind: 'invalid', reason: 'empty file' };
  if (content.length > MAX_LABEL_BYTES) return { kind: 'invalid', reason: `${content.length} bytes, not a code page label` };
  let text = Buffer.from(content).toString('latin1');
  if (text.startsWith('\xEF\xBB\xBF')) text = text.slice(3);
  const label = text.trim();
  if (!label) return { kind: 'invalid', reason: 'blank file' };
  if (/[\r\n]/.test(label) || !/^[\x20-\x7e]+$/.test(label) || /[<>{}]/.test(label)) {
    return { kind: 'invalid', reason: 'not a one-line code page label' };
  }
  const encoding = canonicalEncoding(label);
  return encoding ? { kind: 'ok', encoding, label } : { kind: 'unknown', label };
}
