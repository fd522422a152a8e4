/**
 * Polygons of a 4-connected component traced along pixel edges (not a hull): every boundary edge
 * between a set and an unset pixel becomes a directed edge with the component on its right, and the
 * edges are chained into rings — the outer shell and one ring per hole. Where two diagonal pixels of
 * the component meet at a vertex (a saddle) the chain turns towards the empty side, so every ring
 * bounds one 4-connected empty region: the shell and a hole (or two holes) then touch at that point
 * instead of one ring touching itself, which is what OGC validity asks. Then Douglas–Peucker with a
 * tolerance below half a pixel and those touching vertices pinned, so rings that are one pixel apart
 * cannot cross.
 */

/** A ring of [x, y] pixel-corner positions, closed (first = last). */
export type PixelRing = Array<[number, number]>;

/** Shell and holes of one polygon, in pixel-corner coordinates (y down). */
export interface PixelPolygon {
  shell: PixelRing;
  holes: PixelRing[];
}

const DX = [1, 0, -1, 0]; // E, S, W, N (y grows downwards)
const DY = [0, 1, 0, -1];

/**
 * Traces one component given as runs [y, x0, x1) (x1 exclusive). Returns its polygon(s): one for a
 * 4-connected component; rings whose orientation says "outer" beyond the first become further
 * polygons rather than being lost. Empty when there are no runs.
 */
export function traceRuns(runs: Array<[number, number, number]>, simplifyTolerance = 0.45): PixelPolygon[] {
  if (runs.length === 0) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [y, x0, x1] of runs) {
    minX = Math.min(minX, x0);
    maxX = Math.max(maxX, x1 - 1);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  // Local mask with a one-pixel empty border, so every boundary edge has an outside pixel.
  const w = maxX - minX + 3;
  const h = maxY - minY + 3;
  const mask = new Uint8Array(w * h);
  for (const [y, x0, x1] of runs) mask.fill(1, (y - minY + 1) * w + (x0 - minX + 1), (y - minY + 1) * w + (x1 - minX + 1));
  const vw = w + 1;
  const out = new Uint8Array(vw * (h + 1));
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      if (!mask[y * w + x]) continue;
      if (!mask[(y - 1) * w + x]) out[y * vw + x]! |= 1; // top edge, eastwards
      if (!mask[y * w + x + 1]) out[y * vw + x + 1]! |= 2; // right edge, southwards
      if (!mask[(y + 1) * w + x]) out[(y + 1) * vw + x + 1]! |= 4; // bottom edge, westwards
      if (!mask[y * w + x - 1]) out[(y + 1) * vw + x]! |= 8; // left edge, northwards
    }
  }
  const rings: PixelRing[] = [];
  const visits = new Uint8Array(out.length);
  for (let v = 0; v < out.length; v++) {
    while (out[v]) {
      const bits = out[v] as number;
      const startDir = bits & 1 ? 0 : bits & 2 ? 1 : bits & 4 ? 2 : 3;
      const ring: PixelRing = [];
      let at = v;
      let dir = startDir;
      out[at]! &= ~(1 << dir);
      for (;;) {
        if ((visits[at] as number) < 2) visits[at]! += 1;
        const nx = (at % vw) + (DX[dir] as number);
        const ny = Math.floor(at / vw) + (DY[dir] as number);
        at = ny * vw + nx;
        let next = -1;
        let closed = false;
        // Left first: towards the empty side (the component is on the right of every edge).
        for (const c of [(dir + 3) % 4, dir, (dir + 1) % 4]) {
          if (at === v && c === startDir) {
            closed = true;
            next = c;
            break;
          }
          if ((out[at] as number) & (1 << c)) {
            next = c;
            break;
          }
        }
        if (next < 0) throw new Error('pixel boundary does not close (internal error)');
        if (next !== dir) ring.push([nx + minX - 1, ny + minY - 1]);
        if (closed) break;
        out[at]! &= ~(1 << next);
        dir = next;
      }
      ring.push(ring[0] as [number, number]);
      rings.push(ring);
    }
  }
  // Vertices where rings touch (visited twice) must survive simplification.
  const pinned = new Set<string>();
  visits.forEach((n, vi) => {
    if (n > 1) pinned.add(`${(vi % vw) + minX - 1},${Math.floor(vi / vw) + minY - 1}`);
  });
  const simplified = rings.map((r) => (simplifyTolerance > 0 ? simplifyRing(r, simplifyTolerance, pinned) : r));
  const shells: PixelPolygon[] = [];
  const holes: PixelRing[] = [];
  simplified.forEach((r, i) => (signedArea(rings[i] as PixelRing) > 0 ? shells.push({ shell: r, holes: [] }) : holes.push(r)));
  shells.sort((a, b) => signedArea(b.shell) - signedArea(a.shell));
  // A 4-connected component has exactly one shell; holes go to the shell that contains them.
  for (const hole of holes) {
    const owner = shells.length === 1 ? shells[0] : (shells.find((s) => holeInside(hole, s.shell)) ?? shells[0]);
    owner?.holes.push(hole);
  }
  return shells;
}

/** Shoelace area in pixel coordinates (y down): > 0 for shells as traced here, < 0 for holes. */
export function signedArea(ring: PixelRing): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/** Whether a hole lies in a shell, tested at the centre of the first pixel edge of the hole (never on the shell). */
function holeInside(hole: PixelRing, shell: PixelRing): boolean {
  const [ax, ay] = hole[0] as [number, number];
  const [bx, by] = hole[1] as [number, number];
  return pointInRing((ax + bx) / 2 + (by - ay) * 0.01, (ay + by) / 2 + (ax - bx) * 0.01, shell);
}

function pointInRing(x: number, y: number, ring: PixelRing): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Douglas–Peucker on a closed ring, keeping pinned vertices and the vertex farthest from the first as
 * anchors. Returns the ring unchanged when simplification would leave fewer than 4 positions.
 */
export function simplifyRing(ring: PixelRing, tolerance: number, pinned: Set<string> = new Set()): PixelRing {
  const pts = ring.slice(0, -1);
  if (pts.length <= 4) return ring;
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  let far = 0;
  let best = -1;
  const [x0, y0] = pts[0] as [number, number];
  pts.forEach(([x, y], i) => {
    const d = (x - x0) ** 2 + (y - y0) ** 2;
    if (d > best) {
      best = d;
      far = i;
    }
    if (pinned.has(`${x},${y}`)) keep[i] = 1;
  });
  keep[far] = 1;
  const anchors = [...keep.keys()].filter((i) => keep[i]);
  anchors.push(pts.length); // wrap to the first vertex
  const at = (i: number) => pts[i % pts.length] as [number, number];
  const stack: Array<[number, number]> = [];
  for (let a = 0; a + 1 < anchors.length; a++) stack.push([anchors[a] as number, anchors[a + 1] as number]);
  while (stack.length) {
    const [i, j] = stack.pop() as [number, number];
    if (j - i < 2) continue;
    const [ax, ay] = at(i);
    const [bx, by] = at(j);
    const len = Math.hypot(bx - ax, by - ay) || 1;
    let worst = -1;
    let wi = -1;
    for (let k = i + 1; k < j; k++) {
      const [px, py] = at(k);
      const d = Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (d > worst) {
        worst = d;
        wi = k;
      }
    }
    if (worst > tolerance) {
      keep[wi] = 1;
      stack.push([i, wi], [wi, j]);
    }
  }
  const outRing = pts.filter((_, i) => keep[i]);
  if (outRing.length < 3) return ring;
  outRing.push(outRing[0] as [number, number]);
  return outRing;
}
