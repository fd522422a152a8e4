import { describe, expect, it } from 'vitest';
import type { BandReader, SceneWindow } from '../../../api/src/imagery/imagery-scene.ts';
import { lonLatToMercator, MERCATOR_HALF, renderRgba, tileBounds, type RenderSource } from '../../../api/src/imagery/imagery-tile.renderer.ts';
import { WEB_MERCATOR_PROJ4 } from '../../../api/src/imagery/raster-crs.ts';
import type { RasterGrid } from '../../../api/src/imagery/raster-grid.ts';

// A 512 × 512 image in EPSG:3857 covering exactly tile z1/x1/y0 (the north-east quarter of the world).
const grid: RasterGrid = { width: 512, height: 512, transform: [0, MERCATOR_HALF / 512, 0, MERCATOR_HALF, 0, -MERCATOR_HALF / 512], crs: { epsg: 3857, proj4: WEB_MERCATOR_PROJ4, geographic: false } };

function source(): RenderSource & { reads: number } {
  const src = {
    reads: 0,
    grid,
    stretch: { red: [0, 100], green: [0, 100], blue: [0, 100] } as RenderSource['stretch'],
    // Preview painted pure green; the full-resolution reader answers red, so we can tell which was used.
    preview: { rgba: Uint8Array.from({ length: 128 * 128 * 4 }, (_, i) => (i % 4 === 1 || i % 4 === 3 ? 255 : 0)), width: 128, height: 128 },
    reader: async (): Promise<BandReader> => ({
      grid,
      bands: ['red', 'green', 'blue'],
      async read([x0, y0, x1, y1]): Promise<SceneWindow> {
        src.reads++;
        const n = (x1 - x0) * (y1 - y0);
        return { width: x1 - x0, height: y1 - y0, data: { red: new Float32Array(n).fill(100), green: new Float32Array(n), blue: new Float32Array(n) }, valid: new Uint8Array(n).fill(1) };
      },
    }),
  };
  return src;
}

describe('Web Mercator tile maths', () => {
  it('maps tiles and lon/lat to EPSG:3857 metres', () => {
    expect(tileBounds(0, 0, 0)).toEqual([-MERCATOR_HALF, -MERCATOR_HALF, MERCATOR_HALF, MERCATOR_HALF]);
    expect(tileBounds(1, 1, 0)).toEqual([0, 0, MERCATOR_HALF, MERCATOR_HALF]);
    expect(lonLatToMercator(180, 0)[0]).toBeCloseTo(MERCATOR_HALF, 6);
    expect(lonLatToMercator(0, 85.05112878)[1]).toBeCloseTo(MERCATOR_HALF, 0);
  });
});

describe('imagery tile renderer', () => {
  it('draws zoomed-out tiles from the preview, without reading the file', async () => {
    const src = source();
    const rgba = (await renderRgba(src, tileBounds(1, 1, 0), 256, 256)) as Uint8Array;
    expect(Array.from(rgba.subarray(0, 4))).toEqual([0, 255, 0, 255]);
    expect(src.reads).toBe(0);
  });

  it('draws zoomed-in tiles from the full-resolution file with the stretch applied', async () => {
    const src = source();
    const rgba = (await renderRgba(src, tileBounds(3, 4, 0), 256, 256)) as Uint8Array;
    expect(Array.from(rgba.subarray(0, 4))).toEqual([255, 0, 0, 255]);
    expect(src.reads).toBe(1);
  });

  it('leaves pixels off the image transparent and answers null for a tile that misses it', async () => {
    const src = source();
    expect(await renderRgba(src, tileBounds(1, 0, 1), 256, 256)).toBeNull();
    const world = (await renderRgba(src, tileBounds(0, 0, 0), 256, 256)) as Uint8Array;
    expect(world[(10 * 256 + 10) * 4 + 3]).toBe(0); // north-west quarter: off the image
    expect(world[(10 * 256 + 200) * 4 + 3]).toBe(255); // north-east quarter: on it
  });
});
