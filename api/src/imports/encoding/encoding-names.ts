/**
 * Encoding labels as they appear in .cpg files, DBF language drivers and user options, mapped to one
 * canonical name each, and decoders for them (WHATWG TextDecoder, iconv-lite for DOS code pages).
 */
import iconv from 'iconv-lite';

/** Canonical name of UTF-8. */
export const UTF8 = 'UTF-8';
/** Canonical name of GBK (CP936); decoded with the GB18030 decoder, a superset. */
export const GBK = 'GBK';

// Windows/DOS code page numbers → canonical names. 936 is GBK, what Chinese ArcGIS calls "ANSI".
const CODE_PAGES: Record<number, string> = {
  65001: UTF8,
  936: GBK,
  54936: 'GB18030',
  950: 'Big5',
  932: 'Shift_JIS',
  949: 'EUC-KR',
  874: 'windows-874',
  1250: 'windows-1250',
  1251: 'windows-1251',
  1252: 'windows-1252',
  1253: 'windows-1253',
  1254: 'windows-1254',
  1255: 'windows-1255',
  1256: 'windows-1256',
  1257: 'windows-1257',
  1258: 'windows-1258',
  437: 'CP437',
  737: 'CP737',
  850: 'CP850',
  852: 'CP852',
  857: 'CP857',
  860: 'CP860',
  861: 'CP861',
  863: 'CP863',
  865: 'CP865',
  866: 'CP866',
  10000: 'macintosh',
  20936: 'GB2312',
  28591: 'ISO-8859-1',
  28592: 'ISO-8859-2',
  28595: 'ISO-8859-5',
  28597: 'ISO-8859-7',
  28605: 'ISO-8859-15',
};

// Names (lower-case, spaces/underscores removed) → canonical names.
const NAMED: Record<string, string> = {
  'utf-8': UTF8,
  utf8: UTF8,
  gbk: GBK,
  cp936: GBK,
  ms936: GBK,
  'windows-936': GBK,
  gb2312: GBK, // GB2312 text is a subset of GBK; decoding as GBK is lossless and tolerates extensions
  'euc-cn': GBK,
  gb18030: 'GB18030',
  big5: 'Big5',
  cp950: 'Big5',
  'shift-jis': 'Shift_JIS',
  shiftjis: 'Shift_JIS',
  sjis: 'Shift_JIS',
  'euc-kr': 'EUC-KR',
  latin1: 'ISO-8859-1',
  'iso-8859-1': 'ISO-8859-1',
  iso88591: 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  '88591': 'ISO-8859-1',
};

/**
 * Canonical encoding name for a label ('GBK', '936', 'CP936', 'UTF8', '65001', 'ANSI 1252',
 * 'windows-1250', 'ISO 88591' …), or null when unknown or not decodable here.
 * A bare 'ANSI' means the writer's Windows code page; Chinese data is written on CP936, so → GBK.
 */
export function canonicalEncoding(label: string): string | null {
  const raw = label.trim().replace(/^\uFEFF/, '');
  if (!raw) return null;
  const compact = raw.toLowerCase().replace(/[\s_]+/g, '');
  if (compact === 'ansi') return GBK;
  const dashed = raw.toLowerCase().replace(/[\s_]+/g, '-');
  const named = NAMED[compact] ?? NAMED[dashed];
  if (named) return named;
  const number = /^(?:ansi|cp|windows|win|ibm|oem|codepage|dos|ms)?-?(\d{3,5})$/.exec(compact);
  if (number) return CODE_PAGES[Number(number[1])] ?? null;
  const iso = /^iso-?8859-?(\d{1,2})$/.exec(compact);
  if (iso) return isDecodable(`ISO-8859-${iso[1]}`) ? `ISO-8859-${iso[1]}` : null;
  return isDecodable(raw) ? raw : null;
}

/** True when a decoder exists for this canonical name (TextDecoder with full ICU, or iconv-lite). */
export function isDecodable(name: string): boolean {
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return iconv.encodingExists(name);
  }
}

/** True for the GBK family (GBK, GB2312, GB18030), where Chinese survey data lives. */
export function isGbkFamily(name: string): boolean {
  return /^(gbk|gb2312|gb18030|cp936)$/i.test(name);
}

/** Decodes bytes in a canonical encoding; invalid sequences become U+FFFD. Throws for unknown names. */
export type BytesDecoder = (bytes: Uint8Array) => string;

/** A decoder function for a canonical encoding name (see {@link canonicalEncoding}). */
export function createDecoder(name: string): BytesDecoder {
  try {
    const decoder = new TextDecoder(name === GBK ? 'gbk' : name);
    return (bytes) => decoder.decode(bytes);
  } catch {
    if (!iconv.encodingExists(name)) throw new RangeError(`Unsupported encoding ${name}`);
    return (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  }
}

/**
 * Length of `bytes` without a multi-byte character cut off at the end (DBF fields are cut at a byte
 * width, which can split a character). Only UTF-8 and the GBK family are handled; others are returned whole.
 */
export function completeLength(bytes: Uint8Array, name: string): number {
  const n = bytes.length;
  if (name === UTF8) {
    // Walk back over continuation bytes to the last lead byte and check its sequence is complete.
    let i = n - 1;
    let cont = 0;
    while (i >= 0 && cont < 3 && ((bytes[i] ?? 0) & 0xc0) === 0x80) {
      i--;
      cont++;
    }
    if (i < 0) return n;
    const lead = bytes[i] ?? 0;
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    return need > cont ? i : n;
  }
  if (isGbkFamily(name)) {
    // Forward scan: the field starts on a character boundary; a byte >= 0x81 opens a two-byte pair,
    // or a GB18030 four-byte sequence when the second byte is a digit 0x30-0x39.
    let i = 0;
    while (i < n) {
      const b = bytes[i] ?? 0;
      let len = 1;
      if (b >= 0x81) {
        const second = bytes[i + 1];
        len = second !== undefined && second >= 0x30 && second <= 0x39 ? 4 : 2;
      }
      if (i + len > n) return i;
      i += len;
    }
    return n;
  }
  return n;
}
