/**
 * Change-detection benchmark: LandWatch's detector (normalisation, Mahalanobis magnitude, threshold,
 * morphology, components, polygons) on the OSCD pairs and on a generated 10,000 × 10,000 4-band pair,
 * each run in a child process so its wall time and peak RSS (GNU time) are its own. Accuracy on OSCD
 * is printed next to plain change-vector analysis (z-scored bands, Otsu) computed in the same run.
 * Peer: GDAL computing a plain CVA magnitude sqrt(Σ (after − before)²) through VRT pixel functions
 * (diff, mul, sum, sqrt) and gdal_translate — raster algebra only, no normalisation, threshold or
 * polygons; gdal_calc.py would be the usual tool but needs python3-gdal, which is not installed here.
 *
 *   npm run bench -- change-detection          (BENCH_CD_SIZE=4000 for a quicker large pair)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pixelScores } from '../api/src/imagery/accuracy.metrics.ts';
import { detectChanges } from '../api/src/imagery/change-detector.ts';
import { openRaster } from '../api/src/imagery/geotiff.reader.ts';
import { openScene } from '../api/src/imagery/imagery-scene.ts';
import { writeSyntheticScene } from '../api/src/imagery/synthetic-scene.generator.ts';
import { otsuThreshold } from '../api/src/imagery/threshold.selector.ts';
import { has, report, runMeasured } from './bench-util.ts';

const here = fileURLToPath(import.meta.url);
const OSCD = path.resolve(path.dirname(here), '../../shared/data/imagery/oscd');
const SIZE = Number(process.env.BENCH_CD_SIZE ?? 10_000);

interface ChildResult {
  patches: number;
  threshold: number;
  ms: number;
  f1?: number;
  precision?: number;
  recall?: number;
}

/** Child mode: detect, score against labels when given, print one JSON line. */
async function child(args: { before: string[]; after: string[]; labels?: string }): Promise<void> {
  const before = await openScene(args.before, { label: 'before' });
  const after = await openScene(args.after, { label: 'after' });
  const t0 = performance.now();
  const r = await detectChanges(before, after, { collectMask: Boolean(args.labels) });
  const out: ChildResult = { patches: r.patches.length, threshold: r.threshold, ms: performance.now() - t0 };
  if (args.labels && r.mask) {
    const cm = await openRaster(args.labels);
    const [labels] = await cm.readNative([0, 0, cm.info.width, cm.info.height], [0]);
    Object.assign(out, pixelScores(r.mask, labels as ArrayLike<number>, (v) => v === 2));
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** Our detector in a child process, with its stdout (bench-util's runMeasured keeps only time and RSS). */
function ours(args: { before: string[]; after: string[]; labels?: string }): { ms: number; peakRssMb: number | null; result: ChildResult } {
  const file = path.join(os.tmpdir(), `lw-bench-cd-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(args));
  const useTime = has('/usr/bin/time');
  const cmd = [process.execPath, '--import', 'tsx', here, '--lw-child', file];
  const t0 = performance.now();
  const run = useTime ? spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { encoding: 'utf8' }) : spawnSync(cmd[0] as string, cmd.slice(1), { encoding: 'utf8' });
  const ms = performance.now() - t0;
  rmSync(file, { force: true });
  if (run.status !== 0) throw new Error(`detector child failed: ${run.stderr}`);
  const kb = useTime ? Number(run.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null, result: JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as ChildResult };
}

/** Plain CVA over z-scored bands with Otsu (the baseline), pixel F1. */
async function baselineF1(before: string[], after: string[], labels: string): Promise<number> {
  const b = await openScene(before);
  const a = await openScene(after);
  const { alignTo } = await import('../api/src/imagery/grid-aligner.ts');
  const aligned = alignTo(a, b.grid);
  const win: [number, number, number, number] = [0, 0, b.grid.width, b.grid.height];
  const [wb, wa] = await Promise.all([b.read(win), aligned.read(win, b.bands)]);
  const n = b.grid.width * b.grid.height;
  const mag = new Float32Array(n);
  for (const band of b.bands) {
    const z = (x: Float32Array) => {
      let s = 0;
      let q = 0;
      for (const v of x) s += v;
      const m = s / x.length;
      for (const v of x) q += (v - m) ** 2;
      const sd = Math.sqrt(q / x.length) || 1;
      return (v: number) => (v - m) / sd;
    };
    const za = z(wb.data[band] as Float32Array);
    const zb = z(wa.data[band] as Float32Array);
    for (let i = 0; i < n; i++) mag[i]! += (zb((wa.data[band] as Float32Array)[i] as number) - za((wb.data[band] as Float32Array)[i] as number)) ** 2;
  }
  for (let i = 0; i < n; i++) mag[i] = Math.sqrt(mag[i] as number);
  const t = otsuThreshold(mag) as number;
  const cm = await openRaster(labels);
  const [lab] = await cm.readNative(win, [0]);
  await Promise.all([b.close(), a.close(), cm.close()]);
  return pixelScores(Uint8Array.from(mag, (m) => (m > t ? 1 : 0)), lab as ArrayLike<number>, (v) => v === 2).f1;
}

/** GDAL peer: VRT pixel functions for sqrt(Σ (a_i − b_i)²), materialised by gdal_translate. */
function gdalCva(dir: string, before: string[], after: string[], width: number, height: number): { ms: number; peakRssMb: number | null } {
  const src = (f: string, b: number) => `<SimpleSource><SourceFilename relativeToVRT="0">${f}</SourceFilename><SourceBand>${b}</SourceBand></SimpleSource>`;
  const ds = (body: string) => `<VRTDataset rasterXSize="${width}" rasterYSize="${height}">${body}</VRTDataset>`;
  const derived = (fn: string, sources: string, band = 1) => `<VRTRasterBand dataType="Float32" band="${band}" subClass="VRTDerivedRasterBand"><PixelFunctionType>${fn}</PixelFunctionType><SourceTransferType>Float32</SourceTransferType>${sources}</VRTRasterBand>`;
  const bandOf = (files: string[], i: number): [string, number] => (files.length === 1 ? [files[0] as string, i] : [files[i - 1] as string, 1]);
  for (let i = 1; i <= 4; i++) {
    writeFileSync(path.join(dir, `d${i}.vrt`), ds(derived('diff', src(...bandOf(after, i)) + src(...bandOf(before, i)))));
    writeFileSync(path.join(dir, `s${i}.vrt`), ds(derived('mul', src(path.join(dir, `d${i}.vrt`), 1).repeat(2))));
  }
  writeFileSync(path.join(dir, 'sum.vrt'), ds(derived('sum', [1, 2, 3, 4].map((i) => src(path.join(dir, `s${i}.vrt`), 1)).join(''))));
  writeFileSync(path.join(dir, 'mag.vrt'), ds(derived('sqrt', src(path.join(dir, 'sum.vrt'), 1))));
  return runMeasured('gdal_translate', ['-q', '-co', 'TILED=YES', path.join(dir, 'mag.vrt'), path.join(dir, 'mag.tif')]);
}

const mb = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} MiB`);

/** Runs the change-detection benchmark and prints its lines. */
export async function benchChangeDetection(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-cd-'));
  try {
    for (const city of ['beihai', 'hongkong']) {
      const folder = path.join(OSCD, city);
      let files: { before: string[]; after: string[] };
      try {
        const list = (n: number) => readdirSync(path.join(folder, `imgs_${n}`)).filter((f) => f.endsWith('.tif')).map((f) => path.join(folder, `imgs_${n}`, f));
        files = { before: list(1), after: list(2) };
      } catch {
        console.log(`change-detection ${city}: skipped (no OSCD corpus at ${folder})`);
        continue;
      }
      const labels = path.join(folder, 'cm', `${city}-cm.tif`);
      const run = ours({ ...files, labels });
      const base = await baselineF1(files.before, files.after, labels);
      const r = run.result;
      const extra = `F1 ${r.f1?.toFixed(3)} P ${r.precision?.toFixed(3)} R ${r.recall?.toFixed(3)}, ${r.patches} patches, peak RSS ${mb(run.peakRssMb)}; plain CVA+Otsu F1 ${base.toFixed(3)}`;
      if (city === 'beihai' && has('gdal_translate')) {
        const peer = gdalCva(dir, files.before, files.after, 772, 902);
        report(`change-detection OSCD ${city}`, { ms: run.ms, extra }, { name: 'GDAL VRT CVA magnitude', ms: peer.ms, extra: `peak RSS ${mb(peer.peakRssMb)}` });
      } else report(`change-detection OSCD ${city}`, { ms: run.ms, extra }, 'different grids per date: the GDAL peer would need a gdalwarp step first');
    }
    const t: [number, number, number, number, number, number] = [700_000, 10, 0, 2_400_000, 0, -10];
    const g0 = performance.now();
    const before = await writeSyntheticScene(dir, 'big_20200101', { width: SIZE, height: SIZE, transform: t, epsg: 32649, date: 'before', changes: [], rowsPerStrip: 64 });
    const after = await writeSyntheticScene(dir, 'big_20210101', { width: SIZE, height: SIZE, transform: t, epsg: 32649, date: 'after', changes: [], rowsPerStrip: 64 });
    console.log(`change-detection ${SIZE}×${SIZE}: generated the 4-band UInt16 pair in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed below)`);
    const run = ours({ before, after });
    const extra = `${run.result.patches} patches, peak RSS ${mb(run.peakRssMb)} (limit 1024 MiB)`;
    if (has('gdal_translate')) {
      const peer = gdalCva(dir, before, after, SIZE, SIZE);
      report(`change-detection synthetic ${SIZE}×${SIZE}`, { ms: run.ms, extra }, { name: 'GDAL VRT CVA magnitude', ms: peer.ms, extra: `peak RSS ${mb(peer.peakRssMb)}` });
    } else report(`change-detection synthetic ${SIZE}×${SIZE}`, { ms: run.ms, extra }, 'gdal_translate not installed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--lw-child') {
  const { readFileSync } = await import('node:fs');
  await child(JSON.parse(readFileSync(process.argv[3] as string, 'utf8')) as { before: string[]; after: string[]; labels?: string });
}
