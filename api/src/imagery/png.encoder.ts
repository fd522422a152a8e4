/**
 * A minimal PNG writer for 8-bit RGBA images (tiles, thumbnails): signature, IHDR, one zlib IDAT
 * (node:zlib deflate; each row with filter 0 "none" or 1 "sub", whichever compresses better is not
 * worth the time — "sub" alone halves most imagery tiles), IEND, with CRC-32 per chunk.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG uses) of some bytes. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}

/**
 * Encodes `rgba` (width × height × 4 bytes, row-major, straight alpha) as a PNG file.
 * Throws RangeError when the buffer does not match the size.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number, level = 6): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError(`RGBA buffer of ${rgba.length} bytes for ${width} × ${height}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const s = y * stride;
    raw[o] = 1; // "sub": each byte minus the same channel of the pixel to its left
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = ((rgba[s + i] as number) - (i >= 4 ? (rgba[s + i - 4] as number) : 0)) & 0xff;
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', new Uint8Array(0))]);
}

/** A fully transparent PNG of a size (for callers that must answer with an image). */
export function transparentPng(width: number, height: number): Buffer {
  return encodePng(new Uint8Array(width * height * 4), width, height);
}
