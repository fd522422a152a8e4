import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../../api/src/imagery/png.encoder.ts';
import { decodeLzw, decodePackBits, jpegFrameSize, zstdContentSize } from '../../../api/src/imagery/tiff-decoders.ts';

/** TIFF-flavour LZW encoder (MSB-first, early change), only to round-trip the decoder. */
function encodeLzw(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  let width = 9;
  const emit = (code: number) => {
    buf = (buf << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((buf >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buf &= (1 << bits) - 1;
  };
  let dict = new Map<string, number>();
  let next = 258;
  const reset = () => {
    dict = new Map();
    next = 258;
    width = 9;
  };
  emit(256);
  let w = String.fromCharCode(data[0] as number);
  for (let i = 1; i < data.length; i++) {
    const c = String.fromCharCode(data[i] as number);
    const wc = w + c;
    if (wc.length === 1 || dict.has(wc)) {
      w = wc;
      continue;
    }
    emit(w.length === 1 ? w.charCodeAt(0) : (dict.get(w) as number));
    dict.set(wc, next++);
    // The encoder widens one code later than the decoder, which learns each entry one code late.
    if (next === 1 << width && width < 12) width++;
    if (next >= 4093) {
      emit(256);
      reset();
    }
    w = c;
  }
  emit(w.length === 1 ? w.charCodeAt(0) : (dict.get(w) as number));
  emit(257);
  if (bits > 0) out.push((buf << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

describe('bounded TIFF codecs', () => {
  it('LZW round-trips repetitive and random data (KwKwK codes, width changes, clear codes)', () => {
    let s = 9;
    const random = Uint8Array.from({ length: 20_000 }, () => (s = (s * 69069 + 1) >>> 0) >>> 24);
    const runs = Uint8Array.from({ length: 20_000 }, (_, i) => (i % 700 < 400 ? 7 : i % 13));
    for (const data of [random, runs, new Uint8Array(5000).fill(0)]) {
      expect(Buffer.from(decodeLzw(encodeLzw(data), data.length)).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('LZW refuses to decode beyond the block size and old-style streams', () => {
    const data = new Uint8Array(4000).fill(3);
    expect(() => decodeLzw(encodeLzw(data), 1000)).toThrow(/more than the block size/);
    expect(() => decodeLzw(Uint8Array.from([0, 1, 2, 3]), 100)).toThrow(/old-style/);
  });

  it('PackBits decodes literals and runs and stops at the cap', () => {
    const input = Uint8Array.from([2, 10, 11, 12, 0xfd, 7, 0x80, 0, 9]);
    expect(Array.from(decodePackBits(input, 100))).toEqual([10, 11, 12, 7, 7, 7, 7, 9]);
    expect(decodePackBits(Uint8Array.from([0x81, 5]), 10).length).toBe(10);
  });

  it('reads the ZSTD frame content size and the JPEG frame size', () => {
    // magic, FHD = FCS 4 bytes (flag 2), single segment: window descriptor absent
    expect(zstdContentSize(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0x00, 0x00, 0x01, 0x00]))).toBe(65536);
    expect(zstdContentSize(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50]))).toBeNull();
    expect(() => zstdContentSize(Uint8Array.from([1, 2, 3, 4, 5, 6]))).toThrow(/magic/);
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x03, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0x00, 0x02, 0x00, 0x01]);
    expect(jpegFrameSize(jpeg)).toEqual({ height: 256, width: 512 });
  });
});

describe('PNG encoder', () => {
  it('writes a valid RGBA PNG: signature, IHDR, CRCs, and pixels that decode back', () => {
    const w = 7;
    const h = 5;
    const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const png = encodePng(rgba, w, h);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    let p = 8;
    const chunks: Array<{ type: string; data: Buffer }> = [];
    while (p < png.length) {
      const len = png.readUInt32BE(p);
      const type = png.toString('latin1', p + 4, p + 8);
      expect(png.readUInt32BE(p + 8 + len)).toBe(crc32(png, p + 4, p + 8 + len));
      chunks.push({ type, data: png.subarray(p + 8, p + 8 + len) });
      p += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([w, h, 8, 6]);
    const raw = inflateSync(chunks[1]!.data);
    const stride = w * 4;
    const back = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      expect(raw[y * (stride + 1)]).toBe(1); // filter "sub"
      for (let i = 0; i < stride; i++) {
        const left = i >= 4 ? (back[y * stride + i - 4] as number) : 0;
        back[y * stride + i] = ((raw[y * (stride + 1) + 1 + i] as number) + left) & 0xff;
      }
    }
    expect(Buffer.from(back).equals(Buffer.from(rgba))).toBe(true);
    expect(() => encodePng(new Uint8Array(3), 1, 1)).toThrow(RangeError);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
