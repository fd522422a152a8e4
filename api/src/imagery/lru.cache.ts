/**
 * A small least-recently-used cache bounded by total size (bytes, or any weight), used for encoded
 * imagery tiles and open scenes. `onEvict` lets owners close what falls out.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly weigh: (v: V) => number = () => 1,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  /** The value, refreshed as most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores a value, evicting the least recently used entries beyond the capacity. */
  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.weight;
      this.map.delete(key);
    }
    const weight = this.weigh(value);
    this.map.set(key, { value, weight });
    this.total += weight;
    for (const [k, v] of this.map) {
      if (this.total <= this.capacity || this.map.size <= 1) break;
      this.map.delete(k);
      this.total -= v.weight;
      this.onEvict?.(k, v.value);
    }
  }

  /** Removes one entry without calling onEvict (the caller owns it). */
  delete(key: K): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.total -= hit.weight;
    this.map.delete(key);
  }

  /** Removes every entry (calling onEvict for each). */
  clear(): void {
    for (const [k, v] of this.map) this.onEvict?.(k, v.value);
    this.map.clear();
    this.total = 0;
  }
}
