/**
 * Byte-level splitter of a whole GeoJSON document (FeatureCollection, single Feature, bare geometry).
 *
 * It does not tokenise: it only follows strings (and their escapes) and bracket nesting, which is
 * enough to find the members of the top-level object and the elements of its "features" array.
 * Each element comes out as its own UTF-8 bytes (decoded and JSON.parse'd by the caller); every other
 * top-level member is parsed here and kept in `members`. Works on bytes, so a multibyte character
 * or an element split across chunks is simply carried over. Memory: one element / member at a time,
 * each bounded by `maxValueBytes`; nesting is refused beyond `maxDepth` before anything is built.
 *
 * Structural damage (unbalanced brackets, truncation, garbage between elements, top level not an
 * object) is a ReaderError GEOJSON_INVALID; an oversized element or member is GEOJSON_TOO_LARGE. An
 * element that is balanced but not valid JSON is passed on as is: the caller decides what it means.
 */
import { ReaderError } from './reader-error.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const BOM = [0xef, 0xbb, 0xbf];

// Where the splitter stands between bytes.
const BEFORE_ROOT = 0; // BOM / whitespace, expecting '{'
const KEY_OR_CLOSE = 1; // just after '{': a key or '}'
const KEY = 2; // after ',' between members: a key is required
const IN_KEY = 3;
const COLON_NEXT = 4;
const VALUE_NEXT = 5;
const IN_MEMBER = 6;
const AFTER_MEMBER = 7; // ',' or '}'
const ELEMENT_OR_CLOSE = 8; // just after the '[' of "features": an element or ']'
const ELEMENT = 9; // after ',' between elements: an element is required
const IN_ELEMENT = 10;
const AFTER_ELEMENT = 11; // ',' or ']'
const AFTER_ROOT = 12; // whitespace only

/** Options of {@link JsonFeatureSplitter}. */
export interface SplitterOptions {
  /** Display path of the file, for ReaderError. */
  file: string;
  /** Deepest bracket nesting accepted, the top-level object counting as 1 (its features as 3). */
  maxDepth: number;
  /** Largest single element or member, and largest total of the non-feature members, in bytes. */
  maxValueBytes: number;
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** Bytes a bare scalar (number, true, false, null, or a typo of those) may hold. */
const isScalarByte = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x2b || b === 0x2e;

function show(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Push-driven splitter: feed chunks with {@link push} (each returns the feature elements completed
 * in it, as bytes), then call {@link end}. Afterwards `members` holds the other top-level members.
 */
export class JsonFeatureSplitter {
  /** Top-level members other than the "features" array, parsed, in file order. */
  readonly members = new Map<string, unknown>();
  /** Whether a top-level "features" member holding an array was found. */
  sawFeatures = false;
  /** Feature elements emitted so far. */
  count = 0;
  /** Set when non-blank content follows the top-level value (the error thrown then says so too). */
  trailingContent = false;

  private readonly file: string;
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly stack: Uint8Array;
  private state = BEFORE_ROOT;
  private offset = 0; // file offset of the current chunk's first byte
  private depth = 0;
  private base = 0; // depth at which the value being scanned ends
  private inString = false;
  private escape = false;
  private scalar = false;
  private key = '';
  private memberBytes = 0;
  // The value being captured: its start in the current chunk (-1: none) and the earlier chunks' part.
  private capStart = -1;
  private capParts: Buffer[] = [];
  private capBytes = 0;
  private capOffset = 0;
  private lastBytes = 0; // size of the value last taken
  private keyBytes = 0; // size of the current member name

  constructor(options: SplitterOptions) {
    this.file = options.file;
    this.maxDepth = options.maxDepth;
    this.maxBytes = options.maxValueBytes;
    this.stack = new Uint8Array(options.maxDepth + 2);
  }

  /** Feeds the next chunk; returns the UTF-8 bytes of every feature element completed in it. */
  push(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const state = this.state;
      if (state === IN_ELEMENT || state === IN_MEMBER || state === IN_KEY) {
        const end = this.scalar ? this.scanScalar(buf, i, n) : this.scanValue(buf, i, n);
        if (end < 0) break; // the value goes on in the next chunk
        const bytes = this.take(buf, end);
        if (state === IN_ELEMENT) {
          out.push(bytes);
          this.count++;
          this.state = AFTER_ELEMENT;
        } else if (state === IN_MEMBER) {
          this.addMember(bytes.toString('utf8'));
          this.state = AFTER_MEMBER;
        } else {
          this.key = this.parseKey(bytes.toString('utf8'));
          this.keyBytes = this.lastBytes;
          this.state = COLON_NEXT;
        }
        i = end;
        continue;
      }
      const b = buf[i] as number;
      if (isSpace(b)) {
        i++;
        continue;
      }
      i = this.punctuation(state, b, buf, i);
    }
    if (this.capStart >= 0) this.carry(buf);
    this.offset += n;
    return out;
  }

  /** Ends the input; ReaderError GEOJSON_INVALID when the document is not complete. */
  end(): void {
    if (this.state === AFTER_ROOT) return;
    if (this.state === BEFORE_ROOT) this.fail('the file holds no JSON value');
    if (this.state === IN_ELEMENT) this.fail(`the file ends inside feature ${this.count + 1} (truncated?)`);
    if (this.state === AFTER_ELEMENT || this.state === ELEMENT || this.state === ELEMENT_OR_CLOSE) {
      this.fail(`the file ends inside the features array, after feature ${this.count} (truncated?)`);
    }
    this.fail(`the file ends inside the top-level object${this.key ? ` (member "${this.key}")` : ''} (truncated?)`);
  }

  /** Handles one non-blank byte outside any value; returns the next index. */
  private punctuation(state: number, b: number, buf: Buffer, i: number): number {
    const at = this.offset + i;
    switch (state) {
      case BEFORE_ROOT:
        if (at < 3 && b === BOM[at]) return i + 1;
        if (b !== LBRACE) this.fail(`the top level is not a JSON object (starts with ${show(b)})`);
        this.depth = 1;
        this.stack[1] = LBRACE;
        this.state = KEY_OR_CLOSE;
        return i + 1;
      case KEY_OR_CLOSE:
      case KEY:
        if (b === RBRACE && state === KEY_OR_CLOSE) return this.closeRoot(i);
        if (b !== QUOTE) this.fail(`expected a member name at byte ${at}, found ${show(b)}`);
        this.begin(i, 1, true);
        this.state = IN_KEY;
        return i + 1;
      case COLON_NEXT:
        if (b !== COLON) this.fail(`expected ':' after member "${this.key}" at byte ${at}, found ${show(b)}`);
        this.state = VALUE_NEXT;
        return i + 1;
      case VALUE_NEXT:
        if (b === LBRACKET && this.key === 'features') {
          if (this.sawFeatures) this.fail('two "features" members');
          this.sawFeatures = true;
          this.open(2, LBRACKET, at);
          this.state = ELEMENT_OR_CLOSE;
          return i + 1;
        }
        this.startValue(b, i, 1, `member "${this.key}"`);
        this.state = IN_MEMBER;
        return i + 1;
      case AFTER_MEMBER:
        if (b === COMMA) this.state = KEY;
        else if (b === RBRACE) return this.closeRoot(i);
        else this.fail(`expected ',' or '}' after member "${this.key}" at byte ${at}, found ${show(b)}`);
        return i + 1;
      case ELEMENT_OR_CLOSE:
      case ELEMENT:
        if (b === RBRACKET && state === ELEMENT_OR_CLOSE) return this.closeFeatures(i);
        if (b === RBRACKET || b === COMMA) this.fail(`missing feature ${this.count + 1} at byte ${at} (stray ${show(b)})`);
        this.startValue(b, i, 2, `feature ${this.count + 1}`);
        this.state = IN_ELEMENT;
        return i + 1;
      case AFTER_ELEMENT:
        if (b === COMMA) this.state = ELEMENT;
        else if (b === RBRACKET) return this.closeFeatures(i);
        else this.fail(`unexpected ${show(b)} at byte ${at} after feature ${this.count} (expected ',' or ']')`);
        return i + 1;
      default:
        this.trailingContent = true;
        return this.fail(`unexpected ${show(b)} at byte ${at} after the end of the top-level object`);
    }
  }

  private closeRoot(i: number): number {
    this.depth = 0;
    this.state = AFTER_ROOT;
    return i + 1;
  }

  private closeFeatures(i: number): number {
    this.depth = 1;
    this.state = AFTER_MEMBER;
    return i + 1;
  }

  private open(depth: number, bracket: number, at: number): void {
    if (depth > this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels at byte ${at}${this.where()}`);
    this.depth = depth;
    this.stack[depth] = bracket;
  }

  /** Starts capturing the value whose first byte is `b`, at `base` depth. */
  private startValue(b: number, i: number, base: number, what: string): void {
    if (b === LBRACE || b === LBRACKET) {
      this.begin(i, base, false);
      this.open(base + 1, b, this.offset + i);
    } else if (b === QUOTE) {
      this.begin(i, base, true);
    } else if (isScalarByte(b)) {
      this.begin(i, base, false);
      this.scalar = true;
    } else {
      this.fail(`${what} at byte ${this.offset + i} starts with ${show(b)}`);
    }
  }

  private begin(i: number, base: number, inString: boolean): void {
    this.capStart = i;
    this.capOffset = this.offset + i;
    this.capParts = [];
    this.capBytes = 0;
    this.base = base;
    this.depth = base;
    this.inString = inString;
    this.escape = false;
    this.scalar = false;
  }

  /**
   * Scans a string or container value from `start`; returns the index just after its last byte, or
   * -1 when the chunk ends first. The hot loop: state lives in locals while it runs.
   */
  private scanValue(buf: Buffer, start: number, n: number): number {
    const stack = this.stack;
    const base = this.base;
    const maxDepth = this.maxDepth;
    let depth = this.depth;
    let inString = this.inString;
    let i = start;
    if (this.escape) {
      this.escape = false;
      i++;
    }
    for (; i < n; i++) {
      const b = buf[i] as number;
      if (inString) {
        if (b === QUOTE) {
          inString = false;
          if (depth === base) {
            this.inString = false;
            return i + 1;
          }
        } else if (b === BACKSLASH && ++i === n) this.escape = true;
        continue;
      }
      if (b === QUOTE) inString = true;
      else if (b === LBRACE || b === LBRACKET) {
        if (++depth > maxDepth) this.fail(`nested deeper than ${maxDepth} levels at byte ${this.offset + i}${this.where()}`);
        stack[depth] = b;
      } else if (b === RBRACE || b === RBRACKET) {
        if (stack[depth] !== b - 2) {
          this.fail(`unbalanced brackets: ${show(b)} at byte ${this.offset + i} closes ${show(stack[depth] as number)}${this.where()}`);
        }
        if (--depth === base) {
          this.depth = depth;
          return i + 1;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    return -1;
  }

  /** Scans a bare scalar; returns the index of the byte that ends it (not consumed), or -1. */
  private scanScalar(buf: Buffer, start: number, n: number): number {
    for (let i = start; i < n; i++) {
      const b = buf[i] as number;
      if (isScalarByte(b)) continue;
      if (isSpace(b) || b === COMMA || b === RBRACE || b === RBRACKET) return i;
      this.fail(`unexpected ${show(b)} at byte ${this.offset + i}${this.where()}`);
    }
    return -1;
  }

  /** " (feature N)" / " (member "x")" for messages about the value being scanned. */
  private where(): string {
    if (this.state === IN_ELEMENT || this.state === ELEMENT || this.state === ELEMENT_OR_CLOSE) return ` (feature ${this.count + 1})`;
    return this.state === IN_KEY ? '' : ` (member "${this.key}")`;
  }

  /** The captured value ending before `end` (a view of the chunk when it lies in it); the capture is reset. */
  private take(buf: Buffer, end: number): Buffer {
    const start = this.capStart;
    const size = this.capBytes + end - start;
    this.checkSize(size);
    this.capStart = -1;
    this.lastBytes = size;
    if (this.capParts.length === 0) return buf.subarray(start, end);
    const parts = this.capParts;
    parts.push(buf.subarray(start, end));
    this.capParts = [];
    this.capBytes = 0;
    return Buffer.concat(parts, size);
  }

  /** Keeps (a copy of) the unfinished value's bytes of this chunk for the next one. */
  private carry(buf: Buffer): void {
    const part = Buffer.from(buf.subarray(this.capStart));
    this.capParts.push(part);
    this.capBytes += part.length;
    this.capStart = 0; // the value goes on from the start of the next chunk
    this.checkSize(this.capBytes);
  }

  private checkSize(size: number): void {
    if (size > this.maxBytes) {
      throw new ReaderError('GEOJSON_TOO_LARGE', this.file, { size, limit: this.maxBytes });
    }
  }

  private parseKey(text: string): string {
    try {
      return JSON.parse(text) as string;
    } catch (error) {
      return this.fail(`bad member name at byte ${this.capOffset}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private addMember(text: string): void {
    this.memberBytes += this.keyBytes + this.lastBytes;
    if (this.memberBytes > this.maxBytes) throw new ReaderError('GEOJSON_TOO_LARGE', this.file, { size: this.memberBytes, limit: this.maxBytes });
    try {
      this.members.set(this.key, JSON.parse(text));
    } catch (error) {
      this.fail(`member "${this.key}" at byte ${this.capOffset}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private fail(reason: string): never {
    throw new ReaderError('GEOJSON_INVALID', this.file, { reason });
  }
}
