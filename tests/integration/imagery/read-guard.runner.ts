/**
 * Child-process runner for the hostile-file test: opens one GeoTIFF and reads every band in strips,
 * then prints one JSON line {ok, code, message, maxRssMb}. Run under --max-old-space-size and a timeout,
 * so an unbounded allocation or a hang shows up as a dead child, not a dead test runner.
 */
import { openRaster } from '../../../api/src/imagery/geotiff.reader.ts';

const file = process.argv[2] as string;
let line: Record<string, unknown>;
try {
  const raster = await openRaster(file);
  const { width, height, bandCount } = raster.info;
  const rows = Math.max(1, Math.min(height, Math.floor(4_000_000 / width)));
  for (let y = 0; y < height; y += rows) await raster.read([0, y, width, Math.min(height, y + rows)], [...Array(bandCount).keys()]);
  await raster.close();
  line = { ok: true };
} catch (error) {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  line = { ok: false, name: e.name, code: e.code, message: String(e.message) };
}
line.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify(line)}\n`);
