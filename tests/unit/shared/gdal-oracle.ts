/**
 * GDAL command-line tools as a test oracle. When `ogrinfo` is missing, tests skip with a printed
 * reason — unless LANDWATCH_REQUIRE_ALL=1 (CI), where importing this module fails the test file.
 */
import { execFileSync, spawnSync } from 'node:child_process';

function detect(): { ok: boolean; reason: string } {
  const r = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, reason: `ogrinfo not runnable (${r.error?.message ?? `exit ${r.status}`})` };
  return { ok: true, reason: r.stdout.trim() };
}

/** Whether GDAL's ogrinfo/ogr2ogr can be used; `reason` says why not (or the GDAL version). */
export const gdal = detect();

if (!gdal.ok) {
  if (process.env.LANDWATCH_REQUIRE_ALL === '1') throw new Error(`LANDWATCH_REQUIRE_ALL=1 but GDAL is unavailable: ${gdal.reason}`);
  console.warn(`[skip] GDAL oracle tests skipped: ${gdal.reason}`);
}

/** Runs ogrinfo with `args`; returns stdout (UTF-8). Throws when it exits non-zero. */
export function ogrinfo(...args: string[]): string {
  return execFileSync('ogrinfo', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** Minimal GeoJSON feature shape returned by {@link readWithGdal}. */
export interface OgrFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}

/** Reads a layer through `ogr2ogr -f GeoJSON /vsistdout/` (text decoded by GDAL, e.g. via .cpg). */
export function readWithGdal(path: string, ...extra: string[]): { features: OgrFeature[]; crs?: unknown } {
  const out = execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', path, ...extra], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(out) as { features: OgrFeature[]; crs?: unknown };
}
