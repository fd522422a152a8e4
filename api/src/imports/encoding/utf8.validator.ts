/**
 * Incremental check "are all these text bytes valid UTF-8?", used to detect the encoding of DBF and
 * CSV text when nothing declares it.
 */

/** The verdict over all bytes seen. */
export type Utf8Verdict = 'ascii' | 'utf8' | 'invalid';

/**
 * Accumulates a verdict over many byte strings (e.g. DBF field values). `allowCutTail` tolerates an
 * incomplete sequence at the very end of a value: DBF widths are bytes and can cut a character.
 */
export class Utf8Validator {
  private nonAscii = false;
  private bad = false;

  /** Feeds one value; returns false once the bytes are known not to be UTF-8. */
  add(bytes: Uint8Array, allowCutTail = false): boolean {
    if (this.bad) return false;
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      const b = bytes[i] ?? 0;
      if (b < 0x80) {
        i++;
        continue;
      }
      this.nonAscii = true;
      let need: number;
      let min: number;
      if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
      else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
      else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
      else return this.fail();
      let cp = b & (0x3f >> need);
      let k = 1;
      for (; k <= need && i + k < n; k++) {
        const c = bytes[i + k] ?? 0;
        if ((c & 0xc0) !== 0x80) return this.fail();
        cp = (cp << 6) | (c & 0x3f);
      }
      if (k <= need) return allowCutTail ? true : this.fail(); // sequence runs past the end
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return this.fail();
      i += need + 1;
    }
    return true;
  }

  /** 'invalid' once any value failed; else 'utf8' when a non-ASCII byte was seen, else 'ascii'. */
  get verdict(): Utf8Verdict {
    if (this.bad) return 'invalid';
    return this.nonAscii ? 'utf8' : 'ascii';
  }

  private fail(): false {
    this.bad = true;
    return false;
  }
}

/** Verdict for one buffer (e.g. a whole CSV file). */
export function utf8Verdict(bytes: Uint8Array, allowCutTail = false): Utf8Verdict {
  const v = new Utf8Validator();
  v.add(bytes, allowCutTail);
  return v.verdict;
}
