/**
 * Streaming dBase (.dbf) reader for shapefile attributes. Written here rather than taken from the
 * `shapefile` package so that text is decoded with the resolved encoding per field (GBK, UTF-8 with
 * fields cut mid-character), deleted records are known, and numbers/dates come out like GDAL's.
 */
import type { ReaderNote } from './reader.types.ts';
import { ReaderError } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import { ChunkReader, streamError, type ByteSource } from './byte-source.ts';
import { completeLength, createDecoder, type BytesDecoder } from '../encoding/encoding-names.ts';
import { Utf8Validator, type Utf8Verdict } from '../encoding/utf8.validator.ts';

/** One field descriptor. `offset` is the byte offset inside a record (after the deletion flag). */
export interface DbfField {
  rawName: Uint8Array;
  type: string;
  length: number;
  decimals: number;
  offset: number;
}

/** The parsed header. */
export interface DbfHeader {
  version: number;
  recordCount: number;
  headerLength: number;
  recordLength: number;
  /** Language driver id (byte 29), 0 when unset. */
  ldid: number;
  fields: DbfField[];
}

/** One record: deleted flag and values keyed by (decoded, de-duplicated) field name. */
export interface DbfRecord {
  deleted: boolean;
  values: Record<string, unknown>;
}

const SPACE = 0x20;

function trimBytes(bytes: Uint8Array): Uint8Array {
  let start = 0;
  let end = bytes.length;
  while (start < end && (bytes[start] === SPACE || bytes[start] === 0)) start++;
  while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === 0)) end--;
  return bytes.subarray(start, end);
}

/** Reads and checks the header; ReaderError DBF_INVALID when it is not a dBase table. */
export async function readDbfHeader(source: ByteSource): Promise<DbfHeader> {
  const reader = new ChunkReader(source.chunks());
  try {
    const head = await reader.read(32);
    if (head.length < 32) throw new ReaderError('DBF_INVALID', source.path, { reason: 'file shorter than its header / 文件比文件头还短' });
    const recordCount = head.readUInt32LE(4);
    const headerLength = head.readUInt16LE(8);
    const recordLength = head.readUInt16LE(10);
    if (headerLength < 33 || recordLength < 1) {
      throw new ReaderError('DBF_INVALID', source.path, { reason: `header length ${headerLength}, record length ${recordLength}` });
    }
    const rest = await reader.read(headerLength - 32);
    const fields: DbfField[] = [];
    let offset = 1;
    for (let p = 0; p + 32 <= rest.length && rest[p] !== 0x0d; p += 32) {
      const block = rest.subarray(p, p + 32);
      let nameEnd = 0;
      while (nameEnd < 11 && block[nameEnd] !== 0) nameEnd++;
      const type = String.fromCharCode(block[11] ?? 0x43).toUpperCase();
      const length = block[16] ?? 0;
      fields.push({ rawName: Uint8Array.from(block.subarray(0, nameEnd)), type, length, decimals: block[17] ?? 0, offset });
      offset += length;
    }
    if (offset > recordLength) {
      throw new ReaderError('DBF_INVALID', source.path, { reason: `fields need ${offset} bytes but records have ${recordLength}` });
    }
    return { version: head[0] ?? 0, recordCount, headerLength, recordLength, ldid: head[29] ?? 0, fields };
  } catch (error) {
    throw streamError(source, error);
  } finally {
    await reader.close();
  }
}

/** Text-like field types whose bytes are decoded (and checked when detecting the encoding). */
function isText(type: string): boolean {
  return type === 'C' || type === 'M' || type === 'V' || type === 'W';
}

/** UTF-8 verdict over all field names and text values; stops early at the first invalid byte. */
export async function scanDbfText(source: ByteSource, header: DbfHeader): Promise<Utf8Verdict> {
  const validator = new Utf8Validator();
  for (const f of header.fields) validator.add(f.rawName, true);
  const textFields = header.fields.filter((f) => isText(f.type));
  if (textFields.length === 0 || validator.verdict === 'invalid') return validator.verdict;
  const reader = new ChunkReader(source.chunks());
  try {
    await reader.skip(header.headerLength);
    for (let i = 0; i < header.recordCount; i++) {
      const rec = await reader.read(header.recordLength);
      if (rec.length < header.recordLength || rec[0] === 0x1a) break;
      for (const f of textFields) {
        if (!validator.add(trimBytes(rec.subarray(f.offset, f.offset + f.length)), true)) return 'invalid';
      }
    }
  } catch (error) {
    throw streamError(source, error);
  } finally {
    await reader.close();
  }
  return validator.verdict;
}

/** Decoded field names, de-duplicated GDAL-style (NAME, NAME_1 …), with notes for renames. */
export function decodeFieldNames(header: DbfHeader, encoding: string): { names: string[]; notes: ReaderNote[] } {
  const decode = createDecoder(encoding);
  const seen = new Set<string>();
  const names: string[] = [];
  const notes: ReaderNote[] = [];
  header.fields.forEach((f, i) => {
    const raw = trimBytes(f.rawName);
    const decoded = decode(raw.subarray(0, completeLength(raw, encoding))).trim();
    let name = decoded || `FIELD_${i + 1}`;
    for (let k = 1; seen.has(name.toLowerCase()); k++) name = `${decoded || 'FIELD'}_${k}`;
    if (name !== decoded) notes.push({ code: 'FIELD_RENAMED', message: formatReaderMessage('FIELD_RENAMED', { from: decoded || '""', to: name }) });
    seen.add(name.toLowerCase());
    names.push(name);
  });
  return { names, notes };
}

function parseNumber(text: string, field: DbfField, onUnsafe: () => void): number | string | null {
  if (!text || /^[*.\s-]*$/.test(text)) return null; // blank or overflow asterisks: no value
  if (/^[-+]?(nan|inf|infinity)$/i.test(text)) return null; // written by some tools for "no value"
  const value = Number(text.replace(/,/, '.'));
  if (!Number.isFinite(value)) return text; // not a number at all: keep what was written
  if (field.decimals === 0 && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    onUnsafe();
    return text; // an 18-digit code would lose its last digits as a double
  }
  return value;
}

/** 'YYYYMMDD' (and the 'MM/DD/YYYY', 'YYYY-MM-DD' some writers put in D fields) → 'YYYY-MM-DD'. */
function parseDate(t: string): string | null {
  if (!t || /^0+$/.test(t)) return null;
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(t) ?? /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(t);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  return m ? `${m[3]}-${m[1]}-${m[2]}` : t;
}

/** The value of field `field` of record `rec` (the whole record: fields are read in place). */
function parseValue(rec: Buffer, field: DbfField, decode: BytesDecoder, encoding: string, asciiSafe: boolean, onUnsafe: () => void): unknown {
  if (field.type === 'N' || field.type === 'F') {
    const plain = plainInteger(rec, field.offset, field.offset + field.length);
    if (plain !== null) return plain;
  } else if (asciiSafe && isText(field.type)) {
    // Codes, ids and numbers kept as text are plain ASCII in every encoding here: no decoder needed.
    const ascii = plainAscii(rec, field.offset, field.offset + field.length);
    if (ascii !== undefined) return ascii;
  }
  const bytes = rec.subarray(field.offset, field.offset + field.length);
  switch (field.type) {
    case 'N':
    case 'F':
      return parseNumber(Buffer.from(trimBytes(bytes)).toString('latin1'), field, onUnsafe);
    case 'D':
      return parseDate(Buffer.from(trimBytes(bytes)).toString('latin1'));
    case 'L': {
      const c = String.fromCharCode(bytes[0] ?? 0x3f);
      if ('TtYy'.includes(c)) return true;
      if ('FfNn'.includes(c)) return false;
      return null;
    }
    case 'I':
    case '+':
      return bytes.length === 4 ? Buffer.from(bytes).readInt32LE(0) : null;
    case 'O':
      return bytes.length === 8 ? Buffer.from(bytes).readDoubleLE(0) : null;
    case 'B':
      // Visual FoxPro double when 8 bytes wide; dBase III binary memo reference otherwise.
      return bytes.length === 8 ? Buffer.from(bytes).readDoubleLE(0) : Buffer.from(bytes).toString('latin1').trim() || null;
    default: {
      const t = trimBytes(bytes);
      if (t.length === 0) return null;
      return decode(t.subarray(0, completeLength(t, encoding)));
    }
  }
}

/** True when the decoder reads printable ASCII bytes as themselves (not so for UTF-16 or EBCDIC). */
function decodesAsciiAsItself(decode: BytesDecoder): boolean {
  const printable = Buffer.from(Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i));
  try {
    return decode(printable) === printable.toString('latin1');
  } catch {
    return false;
  }
}

/**
 * A text field whose bytes, blanks and NULs trimmed, are all ASCII: its value read in place (null when
 * empty); undefined when a byte ≥ 0x80 needs the decoder.
 */
function plainAscii(rec: Buffer, start: number, end: number): string | null | undefined {
  while (start < end && (rec[start] === SPACE || rec[start] === 0)) start++;
  while (end > start && (rec[end - 1] === SPACE || rec[end - 1] === 0)) end--;
  if (start === end) return null;
  for (let i = start; i < end; i++) if ((rec[i] as number) >= 0x80) return undefined;
  return rec.toString('latin1', start, end);
}

/**
 * A field holding only blanks around an optionally signed run of at most 15 digits (the common case:
 * counts, codes, floors), as a number; null for anything else, which parseNumber then reads.
 */
function plainInteger(rec: Buffer, start: number, end: number): number | null {
  let i = start;
  while (i < end && rec[i] === SPACE) i++;
  let negative = false;
  if (i < end && rec[i] === 0x2d) {
    negative = true;
    i++;
  }
  const first = i;
  let value = 0;
  while (i < end) {
    const c = rec[i] as number;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    i++;
  }
  const digits = i - first;
  while (i < end && (rec[i] === SPACE || rec[i] === 0)) i++;
  if (i !== end || digits === 0 || digits > 15) return null;
  return negative ? -value : value;
}

/** Widest text field whose values are remembered (the key is the field's raw bytes; GDAL writes strings 80 wide, Esri up to 254). */
const MEMO_FIELD_WIDTH = 254;
/** Values remembered per field; lookups after which a field that rarely repeats stops being remembered. */
const MEMO_ENTRIES = 4096;
/** Key bytes remembered per field (~3 times that in memory with the values): 30 wide fields stay ~25 MB. */
const MEMO_KEY_BYTES = 256 * 1024;

/**
 * Decoded values of one text field, keyed by the field's raw bytes (as a latin1 string):
 * survey tables repeat a handful of land-use and structure names (水田, 旱地, 砖混 …) in every row, and
 * decoding GBK costs several times a lookup. Identical bytes decode identically, so a remembered value
 * is exactly what decoding would give. A field whose values hardly repeat (names, ids) is dropped from
 * memory after MEMO_ENTRIES lookups.
 */
class TextMemo {
  private readonly values = new Map<string, unknown>();
  private lookups = 0;
  private hits = 0;
  private keyBytes = 0;
  on = true;

  /**
   * The value remembered for `key`, or undefined. After MEMO_ENTRIES lookups the memo stays on only if
   * at least half of them were hits.
   */
  lookup(key: string): unknown {
    const value = this.values.get(key);
    if (value !== undefined) this.hits++;
    if (++this.lookups === MEMO_ENTRIES && this.hits * 2 < this.lookups) {
      this.on = false;
      this.values.clear();
      this.keyBytes = 0;
    }
    return value;
  }

  /** Remembers a decoded value, while the memo is on and within its entry and byte budgets. */
  remember(key: string, value: unknown): void {
    if (!this.on || this.values.size >= MEMO_ENTRIES || this.keyBytes + key.length > MEMO_KEY_BYTES) return;
    this.values.set(key, value);
    this.keyBytes += key.length;
  }
}

/** Streams records in file order; `next()` returns null at the end (or at the 0x1A end marker). */
export class DbfRecordReader {
  private readonly reader: ChunkReader;
  private readonly decode: BytesDecoder;
  private readonly fieldNames: string[];
  private readonly onUnsafe: Array<() => void>;
  private readonly asciiSafe: boolean;
  private readonly memos: Array<TextMemo | null>;
  private index = 0;
  private started = false;
  private readonly unsafe = new Set<string>();
  /** Records actually present (may be fewer than the header's count when the file is cut short). */
  recordsRead = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly header: DbfHeader,
    names: string[],
    private readonly encoding: string,
  ) {
    this.reader = new ChunkReader(source.chunks());
    this.decode = createDecoder(encoding);
    this.asciiSafe = decodesAsciiAsItself(this.decode);
    // Per field once, not per record: a million records × fields closures showed in profiles.
    this.fieldNames = header.fields.map((_, i) => names[i] ?? `FIELD_${i + 1}`);
    this.onUnsafe = this.fieldNames.map((name) => () => this.unsafe.add(name));
    this.memos = header.fields.map((f) => (isText(f.type) && f.length <= MEMO_FIELD_WIDTH ? new TextMemo() : null));
  }

  /**
   * The next record when it is already buffered (and is not the end), else undefined with nothing
   * consumed: next() then reads it. Spares a promise per record.
   */
  nextBuffered(): DbfRecord | undefined {
    if (!this.started || this.index >= this.header.recordCount) return undefined;
    if (!this.reader.buffered(this.header.recordLength) || this.reader.byteAt(0) === 0x1a) return undefined;
    return this.decodeRecord(this.reader.readBuffered(this.header.recordLength) as Buffer);
  }

  /** The next record, or null. */
  async next(): Promise<DbfRecord | null> {
    try {
      if (!this.started) {
        this.started = true;
        await this.reader.skip(this.header.headerLength);
      }
      if (this.index >= this.header.recordCount) return null;
      const length = this.header.recordLength;
      const rec = await this.reader.read(length);
      if (rec.length < length || rec[0] === 0x1a) return null;
      return this.decodeRecord(rec);
    } catch (error) {
      throw streamError(this.source, error);
    }
  }

  private decodeRecord(rec: Buffer): DbfRecord {
    try {
      this.index++;
      this.recordsRead++;
      const values: Record<string, unknown> = {};
      const fields = this.header.fields;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i] as DbfField;
        const memo = this.memos[i] as TextMemo | null;
        const key = memo?.on ? rec.toString('latin1', f.offset, f.offset + f.length) : null;
        let value = key === null ? undefined : (memo as TextMemo).lookup(key);
        if (value === undefined) {
          value = parseValue(rec, f, this.decode, this.encoding, this.asciiSafe, this.onUnsafe[i] as () => void);
          if (key !== null) (memo as TextMemo).remember(key, value);
        }
        values[this.fieldNames[i] as string] = value;
      }
      return { deleted: rec[0] === 0x2a, values };
    } catch (error) {
      throw streamError(this.source, error);
    }
  }

  /** Notes gathered while reading (numbers kept as text). */
  notes(): ReaderNote[] {
    return [...this.unsafe].map((field) => ({ code: 'NUMBER_AS_TEXT', message: formatReaderMessage('NUMBER_AS_TEXT', { field }) }));
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
