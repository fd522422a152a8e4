/**
 * Binary morphology on a row-major 0/1 mask with a square structuring element of half-width r
 * (r = 1 → 3 × 3). Edges replicate the nearest pixel, so a patch touching the image border is neither
 * eaten nor grown there. Separable (rows then columns), O(pixels · r).
 */

function pass(src: Uint8Array, w: number, h: number, r: number, take: 'min' | 'max'): Uint8Array {
  const tmp = new Uint8Array(src.length);
  const out = new Uint8Array(src.length);
  const pick = take === 'min' ? 0 : 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let v = 1 - pick;
      for (let d = -r; d <= r; d++) {
        const xx = x + d < 0 ? 0 : x + d >= w ? w - 1 : x + d;
        if (src[row + xx] === pick) {
          v = pick;
          break;
        }
      }
      tmp[row + x] = v;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 1 - pick;
      for (let d = -r; d <= r; d++) {
        const yy = y + d < 0 ? 0 : y + d >= h ? h - 1 : y + d;
        if (tmp[yy * w + x] === pick) {
          v = pick;
          break;
        }
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

/** Erosion: a pixel stays 1 only when its whole (2r+1)² neighbourhood is 1. */
export function erode(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return r <= 0 ? mask.slice() : pass(mask, w, h, r, 'min');
}

/** Dilation: a pixel becomes 1 when any pixel of its (2r+1)² neighbourhood is 1. */
export function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return r <= 0 ? mask.slice() : pass(mask, w, h, r, 'max');
}

/** Opening (erode, then dilate): removes specks and spurs narrower than 2r+1 pixels. */
export function open(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return dilate(erode(mask, w, h, r), w, h, r);
}

/** Closing (dilate, then erode): fills pinholes and gaps narrower than 2r+1 pixels. */
export function close(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return erode(dilate(mask, w, h, r), w, h, r);
}

/** Rows of context a strip needs on each side so opening r1 then closing r2 match a whole-image run. */
export function morphologyHalo(openRadius: number, closeRadius: number): number {
  return 2 * openRadius + 2 * closeRadius;
}
