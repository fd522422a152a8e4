/**
 * Import benchmark (issue #3): BENCH_IMPORT_FEATURES (default 1,000,000) building polygons in
 * EPSG:4547 (CGCS2000 3° GK CM 114E), written once as a GBK Shapefile and once as a GeoJSON
 * FeatureCollection, each imported into the same PostGIS server in the same run by
 *  - LandWatch: `landwatch import FILE --kind building --json` as a child process (CLI start-up
 *    included), which also checks, repairs, hashes, measures (ellipsoidal m²) and versions every row;
 *  - GDAL: `ogr2ogr -f PostgreSQL --config PG_USE_COPY YES -t_srs EPSG:4490 -nlt PROMOTE_TO_MULTI`.
 * Prints features/s, peak RSS (GNU time) and LandWatch's throughput as a multiple of ogr2ogr's.
 * Needs DATABASE_URL, ogr2ogr and psql. Run: `npm run bench -- import`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { Rng } from '../scripts/demo-data/demo-prng.ts';
import { gdalPgSource, has, runMeasured, scratchDatabase } from './bench-util.ts';

const N = Number(process.env.BENCH_IMPORT_FEATURES ?? 1_000_000);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');


/**
 * Writes N footprints as newline-delimited GeoJSON in EPSG:4547: villages of rotated 6–20 m
 * rectangles and L-shapes on a jittered grid over ~60 × 60 km, then converts it with ogr2ogr.
 */
export async function makeSources(dir: string): Promise<{ shp: string; geojson: string }> {
  const seq = path.join(dir, 'buildings.geojsonl');
  const out = createWriteStream(seq);
  const rng = new Rng(4547); // every run writes the same town
  const rnd = () => rng.next();
  const side = Math.ceil(Math.sqrt(N));
  for (let i = 0; i < N; i++) {
    const cx = 470_000 + (i % side) * (60_000 / side) + rnd() * 20;
    const cy = 2_500_000 + Math.floor(i / side) * (60_000 / side) + rnd() * 20;
    const w = 6 + rnd() * 14;
    const h = 6 + rnd() * 10;
    const a = rnd() * Math.PI;
    const local: Array<[number, number]> =
      i % 5 === 0
        ? [[0, 0], [w, 0], [w, h / 2], [w / 2, h / 2], [w / 2, h], [0, h]]
        : [[0, 0], [w, 0], [w, h], [0, h]];
    const ring = local.map(([x, y]) => [
      Math.round((cx + x * Math.cos(a) - y * Math.sin(a)) * 1000) / 1000,
      Math.round((cy + x * Math.sin(a) + y * Math.cos(a)) * 1000) / 1000,
    ]);
    ring.push(ring[0] as number[]);
    const feature = {
      type: 'Feature',
      properties: { JZBH: `JZ${String(i).padStart(7, '0')}`, CS: 1 + (i % 6), JZMC: `东湖村${i % 300}号`, JGLX: i % 3 === 0 ? '砖混' : '钢混' },
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
    if (!out.write(`${JSON.stringify(feature)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const shp = path.join(dir, 'buildings.shp');
  const geojson = path.join(dir, 'buildings.geojson');
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=GBK', '-s_srs', 'EPSG:4547', '-a_srs', 'EPSG:4547', shp, seq]);
  execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-s_srs', 'EPSG:4547', '-a_srs', 'EPSG:4547', geojson, seq]);
  await rm(seq);
  return { shp, geojson };
}

interface Run {
  ms: number;
  peakRssMb: number | null;
  features: number;
  detail: string;
}

function landwatch(url: string, file: string): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, path.join(ROOT, 'scripts/landwatch.mjs'), 'import', file, '--kind', 'building', '--epoch', '2025-06-30', '--json'], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`landwatch import failed: ${r.stderr.slice(-2000)}`);
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  // One layer prints as an object; several as the first with `layers`.
  type LayerJson = { features: number; ms: number; phases: { stageMs: number; validateMs: number; publishMs: number } };
  const parsed = JSON.parse(r.stdout) as LayerJson & { layers?: LayerJson[] };
  const layer = parsed.layers?.[0] ?? parsed;
  const p = layer.phases;
  return {
    ms,
    peakRssMb: Number.isFinite(kb) ? kb / 1024 : null,
    features: layer.features,
    detail: `import ${(layer.ms / 1000).toFixed(1)} s: read+stage ${(p.stageMs / 1000).toFixed(1)}, check+repair ${(p.validateMs / 1000).toFixed(1)}, publish ${(p.publishMs / 1000).toFixed(1)}`,
  };
}

function ogr2ogr(url: string, file: string, table: string): Run {
  const run = runMeasured('ogr2ogr', ['-f', 'PostgreSQL', gdalPgSource(url), file, '--config', 'PG_USE_COPY', 'YES', '-t_srs', 'EPSG:4490', '-nlt', 'PROMOTE_TO_MULTI', '-nln', table]);
  const count = Number(execFileSync('psql', [url, '-Atc', `SELECT count(*) FROM ${table}`], { encoding: 'utf8' }).trim());
  return { ...run, features: count, detail: '' };
}

/** Writes every dirty buffer out now (CHECKPOINT needs a superuser or pg_checkpoint; without it the runs just start warm). */
function checkpoint(url: string): void {
  const r = spawnSync('psql', [url, '-qc', 'CHECKPOINT'], { encoding: 'utf8' });
  if (r.status !== 0) console.log(`import: CHECKPOINT refused (${r.stderr.trim()}); runs start without one`);
}

function line(label: string, ours: Run, peer: Run): void {
  const rate = (r: Run) => r.features / (r.ms / 1000);
  const rss = (r: Run) => (r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MiB`);
  console.log(
    `import ${label}: LandWatch ${(ours.ms / 1000).toFixed(1)} s, ${rate(ours).toFixed(0)} features/s, peak RSS ${rss(ours)} (${ours.features} stored; ${ours.detail})` +
      ` | ogr2ogr ${(peer.ms / 1000).toFixed(1)} s, ${rate(peer).toFixed(0)} features/s, peak RSS ${rss(peer)} (${peer.features} rows)` +
      ` | LandWatch throughput = ${(rate(ours) / rate(peer)).toFixed(2)}× ogr2ogr (target ≥ 1.0×, RSS ≤ 512 MB)`,
  );
}

/** Runs the import benchmark and prints one line per format. */
export async function benchImport(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !has('ogr2ogr') || !has('psql')) {
    console.log(`import: skipped (needs DATABASE_URL, ogr2ogr and psql; have DATABASE_URL=${Boolean(url)})`);
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-import-'));
  try {
    const t0 = performance.now();
    const files = await makeSources(dir);
    const mb = async (f: string) => ((await stat(f)).size / 2 ** 20).toFixed(0);
    console.log(`import: ${N} buildings generated in ${((performance.now() - t0) / 1000).toFixed(0)} s (.shp ${await mb(files.shp)} MiB + .dbf ${await mb(files.shp.replace(/shp$/, 'dbf'))} MiB; .geojson ${await mb(files.geojson)} MiB)`);
    for (const [label, file] of [['Shapefile (GBK, EPSG:4547)', files.shp], ['GeoJSON (EPSG:4547)', files.geojson]] as const) {
      const ours = await scratchDatabase(url, 'lw_bench_import_ours');
      const peer = await scratchDatabase(url, 'lw_bench_import_peer');
      try {
        const db = await openPgDb(ours.url);
        await migrate(db);
        await db.close();
        // Each import starts from a checkpoint: otherwise the second one would also pay for writing out
        // what the first left in shared buffers and WAL (~1 GB each), and whichever ran second lost.
        checkpoint(url);
        const ogr = ogr2ogr(peer.url, file, 'building_peer');
        checkpoint(url);
        const lw = landwatch(ours.url, file);
        line(label, lw, ogr);
      } finally {
        await ours.drop();
        await peer.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
