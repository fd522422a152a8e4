import iconv from 'iconv-lite';
import type { DbfEncoding, DbfFieldDef, DbfRecord, DbfValue } from './shapefile.types.ts';

/** dBase language driver id (header byte 29). 0x4D = CP936/GBK, read by GDAL when there is no .cpg. */
export const DBF_LDID: Readonly<Record<DbfEncoding, number>> = { gbk: 0x4d, 'utf-8': 0x00 };

/** Text written to the `.cpg` sidecar, which GDAL, QGIS and ArcGIS read before the LDID byte. */
export const CPG_TEXT: Readonly<Record<DbfEncoding, string>> = { gbk: 'GBK', 'utf-8': 'UTF-8' };

const MAX_FIELDS = 255;
const MAX_RECORD_BYTES = 65535;

/** A field definition after validation, with its byte width and encoded name. */
export interface ResolvedDbfField {
  readonly name: string;
  readonly type: 'C' | 'N' | 'D' | 'L';
  readonly length: number;
  readonly decimals: number;
  readonly nameBytes: Buffer;
}

/** Encodes text in the DBF encoding (unencodable characters become '?', as iconv-lite does). */
export function encodeText(text: string, encoding: DbfEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk');
}

/**
 * Longest prefix of `bytes` of at most `max` bytes that ends on a character boundary, so a
 * truncated value never ends in half of a multibyte character. Returns `bytes` when it fits.
 */
export function truncateAtCharBoundary(bytes: Buffer, max: number, encoding: DbfEncoding): Buffer {
  if (bytes.length <= max) return bytes;
  if (encoding === 'utf-8') {
    let end = max;
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    return bytes.subarray(0, end);
  }
  // GBK is not self-synchronising: walk from the start, lead bytes 0x81–0xFE take two bytes.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const step = b >= 0x81 && b <= 0xfe ? 2 : 1;
    if (i + step > max) break;
    i += step;
  }
  return bytes.subarray(0, i);
}

/**
 * Validates field definitions for the given encoding and resolves widths. Throws an Error naming
 * the offending field when a name is empty, longer than 10 bytes, unencodable or duplicated, or a
 * width is out of range.
 */
export function resolveDbfFields(fields: readonly DbfFieldDef[], encoding: DbfEncoding): ResolvedDbfField[] {
  if (fields.length > MAX_FIELDS) throw new Error(`DBF allows at most ${MAX_FIELDS} fields, got ${fields.length}`);
  const seen = new Set<string>();
  const resolved = fields.map((f): ResolvedDbfField => {
    const nameBytes = encodeText(f.name, encoding);
    if (f.name.length === 0 || f.name.includes('\0')) throw new Error(`DBF field name ${JSON.stringify(f.name)} is empty or contains NUL`);
    if (nameBytes.length > 10) {
      throw new Error(`DBF field name "${f.name}" is ${nameBytes.length} bytes in ${encoding.toUpperCase()}; at most 10 bytes are allowed`);
    }
    if (encoding === 'gbk' && iconv.decode(nameBytes, 'gbk') !== f.name) {
      throw new Error(`DBF field name "${f.name}" cannot be encoded in GBK`);
    }
    // GDAL and ArcGIS match field names case-insensitively, so "Name" and "NAME" would collide.
    const key = f.name.toUpperCase();
    if (seen.has(key)) throw new Error(`DBF field name "${f.name}" is duplicated (names are case-insensitive)`);
    seen.add(key);
    switch (f.type) {
      case 'C':
        checkInt(f.name, 'length', f.length, 1, 254);
        return { name: f.name, type: 'C', length: f.length, decimals: 0, nameBytes };
      case 'N': {
        checkInt(f.name, 'length', f.length, 1, 32);
        const decimals = f.decimals ?? 0;
        checkInt(f.name, 'decimals', decimals, 0, 15);
        if (decimals > 0 && decimals > f.length - 2) throw new Error(`DBF field "${f.name}": N(${f.length},${decimals}) leaves no room for the integer part`);
        return { name: f.name, type: 'N', length: f.length, decimals, nameBytes };
      }
      case 'D':
        return { name: f.name, type: 'D', length: 8, decimals: 0, nameBytes };
      case 'L':
        return { name: f.name, type: 'L', length: 1, decimals: 0, nameBytes };
    }
  });
  const recordLength = 1 + resolved.reduce((s, f) => s + f.length, 0);
  if (recordLength > MAX_RECORD_BYTES) throw new Error(`DBF record would be ${recordLength} bytes; at most ${MAX_RECORD_BYTES} are allowed`);
  return resolved;
}

function checkInt(field: string, what: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`DBF field "${field}": ${what} ${v} is outside ${min}–${max}`);
}

/**
 * The DBF header (file header + field descriptors + 0x0D terminator) for `recordCount` records.
 * `date` is the last-update date stored in bytes 1–3 (UTC parts).
 */
export function encodeDbfHeader(fields: readonly ResolvedDbfField[], recordCount: number, encoding: DbfEncoding, date: Date): Buffer {
  const headerLength = 32 + 32 * fields.length + 1;
  const buf = Buffer.alloc(headerLength);
  buf[0] = 0x03; // dBase III without memo
  buf[1] = Math.max(0, Math.min(255, date.getUTCFullYear() - 1900));
  buf[2] = date.getUTCMonth() + 1;
  buf[3] = date.getUTCDate();
  buf.writeUInt32LE(recordCount >>> 0, 4);
  buf.writeUInt16LE(headerLength, 8);
  buf.writeUInt16LE(dbfRecordLength(fields), 10);
  buf[29] = DBF_LDID[encoding];
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    f.nameBytes.copy(buf, at); // rest of the 11 bytes stays NUL
    buf[at + 11] = f.type.charCodeAt(0);
    buf[at + 16] = f.length;
    buf[at + 17] = f.decimals;
  });
  buf[headerLength - 1] = 0x0d;
  return buf;
}

/** Bytes per record: the deletion flag plus all field widths. */
export function dbfRecordLength(fields: readonly ResolvedDbfField[]): number {
  return 1 + fields.reduce((s, f) => s + f.length, 0);
}

/**
 * One record (deletion flag ' ' + fixed-width values). Text is truncated to the field width at a
 * character boundary; a number too wide for its N field throws a RangeError (silently writing a
 * wrong number would be worse than failing the export).
 */
export function encodeDbfRecord(fields: readonly ResolvedDbfField[], values: DbfRecord, encoding: DbfEncoding): Buffer {
  const buf = Buffer.alloc(dbfRecordLength(fields), 0x20);
  let at = 1;
  for (const f of fields) {
    const v = values[f.name];
    const bytes = encodeValue(f, v, encoding);
    if (f.type === 'N') bytes.copy(buf, at + f.length - bytes.length); // numbers right-aligned
    else bytes.copy(buf, at);
    at += f.length;
  }
  return buf;
}

function encodeValue(f: ResolvedDbfField, v: DbfValue, encoding: DbfEncoding): Buffer {
  if (v === null || v === undefined) return Buffer.from(f.type === 'L' ? '?' : '', 'latin1');
  switch (f.type) {
    case 'C':
      return truncateAtCharBoundary(encodeText(textOf(v), encoding), f.length, encoding);
    case 'N':
      return Buffer.from(formatNumber(f, v), 'latin1');
    case 'D':
      return Buffer.from(formatDate(f.name, v), 'latin1');
    case 'L':
      if (typeof v !== 'boolean') throw new TypeError(`DBF field "${f.name}" (L) expects a boolean, got ${typeof v}`);
      return Buffer.from(v ? 'T' : 'F', 'latin1');
  }
}

function textOf(v: Exclude<DbfValue, null | undefined>): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

function formatNumber(f: ResolvedDbfField, v: Exclude<DbfValue, null | undefined>): string {
  let text: string;
  if (typeof v === 'bigint') {
    text = f.decimals > 0 ? `${v}.${'0'.repeat(f.decimals)}` : `${v}`;
  } else {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (typeof v !== 'number' && Number.isNaN(n)) throw new TypeError(`DBF field "${f.name}" (N) expects a number, got ${JSON.stringify(v)}`);
    if (!Number.isFinite(n)) return ''; // NaN/Infinity have no DBF form: write null
    text = n.toFixed(f.decimals);
    if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  }
  if (text.length > f.length) throw new RangeError(`DBF field "${f.name}": value ${text} does not fit N(${f.length},${f.decimals})`);
  return text;
}

function formatDate(name: string, v: Exclude<DbfValue, null | undefined>): string {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new RangeError(`DBF field "${name}" (D): invalid Date`);
    const y = v.getUTCFullYear();
    return `${String(y).padStart(4, '0')}${String(v.getUTCMonth() + 1).padStart(2, '0')}${String(v.getUTCDate()).padStart(2, '0')}`;
  }
  const m = typeof v === 'string' ? /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim()) : null;
  if (!m) throw new TypeError(`DBF field "${name}" (D) expects a Date or "YYYY-MM-DD", got ${JSON.stringify(v)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new RangeError(`DBF field "${name}" (D): ${JSON.stringify(v)} is not a calendar date`);
  return `${m[1]}${m[2]}${m[3]}`;
}
