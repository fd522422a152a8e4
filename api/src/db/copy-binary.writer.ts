/**
 * Rows in PostgreSQL's binary COPY format (`COPY … FROM STDIN WITH (FORMAT binary)`): a header, then
 * per row a field count and length-prefixed fields in network byte order, then a trailer. Cheaper for
 * the server than the text format: no escapes to undo, numbers and bytea arrive as they are stored
 * (measured: 1,000,000 import rows 0.85 s against 1.27 s, plus 0.18 s to decode their hex geometry).
 * The caller writes fields in the order and types of the COPY column list.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export class CopyBinaryWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private at = 0;
  /** Rows begun so far. */
  rows = 0;

  constructor() {
    this.reset();
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(fields, this.at);
    this.at += 2;
    this.rows += 1;
    return this;
  }

  /** An int4 field. */
  int4(value: number): this {
    this.ensure(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeInt32BE(value, this.at + 4);
    this.at += 8;
    return this;
  }

  /** A boolean field. */
  bool(value: boolean): this {
    this.ensure(5);
    this.buf.writeInt32BE(1, this.at);
    this.buf[this.at + 4] = value ? 1 : 0;
    this.at += 5;
    return this;
  }

  /** A float8 field; null (and NaN/±Infinity, which no column here wants) as NULL. */
  float8(value: number | null): this {
    if (value === null || !Number.isFinite(value)) return this.nullField();
    this.ensure(12);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeDoubleBE(value, this.at + 4);
    this.at += 12;
    return this;
  }

  /** A text field (UTF-8); null as NULL. NUL characters are dropped: PostgreSQL text cannot hold them. */
  text(value: string | null): this {
    if (value === null) return this.nullField();
    const clean = value.includes('\u0000') ? value.split('\u0000').join('') : value;
    // At most 3 bytes per UTF-16 unit; the length is patched in after writing.
    this.ensure(4 + clean.length * 3);
    const n = this.buf.write(clean, this.at + 4, 'utf8');
    this.buf.writeInt32BE(n, this.at);
    this.at += 4 + n;
    return this;
  }

  /** A bytea field from `bytes` (copied now, so a reused scratch buffer may be passed); null as NULL. */
  bytes(bytes: Uint8Array | null): this {
    if (bytes === null) return this.nullField();
    this.ensure(4 + bytes.length);
    this.buf.writeInt32BE(bytes.length, this.at);
    this.buf.set(bytes, this.at + 4);
    this.at += 4 + bytes.length;
    return this;
  }

  /** A NULL field. */
  nullField(): this {
    this.ensure(4);
    this.buf.writeInt32BE(-1, this.at);
    this.at += 4;
    return this;
  }

  /** The finished COPY data (a copy); the writer starts over, empty. */
  finish(): Buffer {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.reset();
    return out;
  }

  private reset(): void {
    this.rows = 0;
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, SIGNATURE.length); // flags
    this.buf.writeInt32BE(0, SIGNATURE.length + 4); // header extension length
    this.at = SIGNATURE.length + 8;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
