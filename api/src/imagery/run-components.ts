/**
 * Streaming connected-component labelling (4-connectivity) of a binary mask fed row by row as runs
 * of set pixels, with union–find over runs. Memory is proportional to the number of runs, never to
 * the image size, which is what lets a 10,000 × 10,000 pair be processed in strips. Each run carries
 * sums of per-pixel values (magnitude, brightness, NDVI before/after) so components get their means.
 */
import { ImageryError } from './imagery-errors.ts';

/** Per-pixel values summed over each component (any may be absent; absent NDVI sums stay 0). */
export interface RowValues {
  magnitude: Float32Array;
  brightness: Float32Array;
  ndviBefore?: Float32Array;
  ndviAfter?: Float32Array;
}

/** One connected component: pixel count, bounding box (inclusive) and value sums, with its runs. */
export interface Component {
  pixels: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sumMagnitude: number;
  sumBrightness: number;
  sumNdviBefore: number;
  sumNdviAfter: number;
  /** Pixels with a finite NDVI in both dates. */
  ndviPixels: number;
  /** Run indices, for {@link RunLabeller.runsOf}. */
  runs: Int32Array;
}

const SUMS = 5; // magnitude, brightness, ndvi before, ndvi after, ndvi count

/** Labels runs as rows arrive (rows must come in increasing y, each row once). */
export class RunLabeller {
  private n = 0;
  private cap = 1024;
  private ry = new Int32Array(this.cap);
  private rx0 = new Int32Array(this.cap);
  private rx1 = new Int32Array(this.cap);
  private parent = new Int32Array(this.cap);
  private sums = new Float32Array(this.cap * SUMS);
  private prevStart = 0;
  private prevEnd = 0;
  private lastY = -2;

  constructor(private readonly maxRuns: number) {}

  /** Number of runs so far. */
  get runCount(): number {
    return this.n;
  }

  private grow(): void {
    if (this.n >= this.maxRuns) {
      throw new ImageryError('TOO_MANY_RUNS', `more than ${this.maxRuns} runs of changed pixels; raise --threshold or check that the two dates are co-registered`);
    }
    if (this.n < this.cap) return;
    const cap = Math.min(this.maxRuns, this.cap * 2);
    const g = <T extends Int32Array | Float32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.ry = g(this.ry, cap);
    this.rx0 = g(this.rx0, cap);
    this.rx1 = g(this.rx1, cap);
    this.parent = g(this.parent, cap);
    this.sums = g(this.sums, cap * SUMS);
    this.cap = cap;
  }

  private find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i] as number] as number;
      i = p[i] as number;
    }
    return i;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }

  /** Adds row `y` of a mask: pixels mask[offset + x] for x in [0, width), with values at the same offsets. */
  addRow(y: number, mask: Uint8Array, offset: number, width: number, values: RowValues): void {
    const start = this.n;
    let x = 0;
    while (x < width) {
      if (!mask[offset + x]) {
        x++;
        continue;
      }
      const x0 = x;
      const s = new Float64Array(SUMS);
      while (x < width && mask[offset + x]) {
        const p = offset + x;
        const m = values.magnitude[p] as number;
        if (m === m) s[0]! += m;
        const b = values.brightness[p] as number;
        if (b === b) s[1]! += b;
        const nb = values.ndviBefore?.[p];
        const na = values.ndviAfter?.[p];
        if (nb !== undefined && na !== undefined && nb === nb && na === na) {
          s[2]! += nb;
          s[3]! += na;
          s[4]! += 1;
        }
        x++;
      }
      this.grow();
      const r = this.n++;
      this.ry[r] = y;
      this.rx0[r] = x0;
      this.rx1[r] = x;
      this.parent[r] = r;
      this.sums.set(s, r * SUMS);
    }
    // Link with the previous row's runs when the rows are adjacent (4-connectivity: x ranges overlap).
    if (y === this.lastY + 1) {
      let i = this.prevStart;
      for (let c = start; c < this.n; c++) {
        while (i < this.prevEnd && (this.rx1[i] as number) <= (this.rx0[c] as number)) i++;
        for (let j = i; j < this.prevEnd && (this.rx0[j] as number) < (this.rx1[c] as number); j++) this.union(c, j);
      }
    }
    this.prevStart = start;
    this.prevEnd = this.n;
    this.lastY = y;
  }

  /** Resolves the labels into components (in order of their first run: top to bottom). */
  finish(): Component[] {
    const label = new Int32Array(this.n).fill(-1);
    const comps: Component[] = [];
    const counts: number[] = [];
    for (let r = 0; r < this.n; r++) {
      const root = this.find(r);
      let c = label[root] as number;
      if (c < 0) {
        c = comps.length;
        label[root] = c;
        comps.push({ pixels: 0, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, sumMagnitude: 0, sumBrightness: 0, sumNdviBefore: 0, sumNdviAfter: 0, ndviPixels: 0, runs: new Int32Array(0) });
        counts.push(0);
      }
      label[r] = c;
      counts[c]! += 1;
      const comp = comps[c] as Component;
      const y = this.ry[r] as number;
      const x0 = this.rx0[r] as number;
      const x1 = this.rx1[r] as number;
      comp.pixels += x1 - x0;
      comp.minX = Math.min(comp.minX, x0);
      comp.maxX = Math.max(comp.maxX, x1 - 1);
      comp.minY = Math.min(comp.minY, y);
      comp.maxY = Math.max(comp.maxY, y);
      const o = r * SUMS;
      comp.sumMagnitude += this.sums[o] as number;
      comp.sumBrightness += this.sums[o + 1] as number;
      comp.sumNdviBefore += this.sums[o + 2] as number;
      comp.sumNdviAfter += this.sums[o + 3] as number;
      comp.ndviPixels += this.sums[o + 4] as number;
    }
    comps.forEach((comp, c) => (comp.runs = new Int32Array(counts[c] as number)));
    const fill = new Int32Array(comps.length);
    for (let r = 0; r < this.n; r++) {
      const c = label[r] as number;
      (comps[c] as Component).runs[fill[c]!++] = r;
    }
    return comps;
  }

  /** The runs of a component as [y, x0, x1) triples. */
  runsOf(component: Component): Array<[number, number, number]> {
    return Array.from(component.runs, (r) => [this.ry[r] as number, this.rx0[r] as number, this.rx1[r] as number]);
  }
}
