/** Bits of the filter: 2^28 bits = 32 MiB, whatever the layer's size (memory must not grow with the file). */
const BITS = 2 ** 28;
const MASK = BITS - 1;
/** Probes per id. With 1,000,000 ids the chance that any id is wrongly reported as seen is about 1e-4. */
const PROBES = 6;

/**
 * Remembers the source ids of a layer in fixed memory (a Bloom filter) so that the import can skip
 * its duplicate-id pass over the whole layer (0.5 s per million rows in PostGIS) when no id can have
 * repeated. Errs only one way: `maybeRepeated` may be true without a real repeat (then the exact SQL
 * check runs and finds none), never false with one.
 */
export class SeenIds {
  private readonly bits = new Uint32Array(BITS / 32);
  /** True once an id came that every probe had already seen: possibly a repeat. */
  maybeRepeated = false;

  /** Records an id, setting `maybeRepeated` when it may have been recorded before. */
  add(id: string): void {
    // Two independent 32-bit string hashes (FNV-1a and a murmur-style mix), combined by double hashing.
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 13;
    }
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) | 1;
    let fresh = false;
    for (let k = 0; k < PROBES; k++) {
      const bit = (h1 + Math.imul(k, h2)) & MASK;
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      const bits = this.bits[word] as number;
      if ((bits & mask) === 0) {
        fresh = true;
        this.bits[word] = bits | mask;
      }
    }
    if (!fresh) this.maybeRepeated = true;
  }
}
