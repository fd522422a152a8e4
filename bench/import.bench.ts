/**
 * Import benchmark: LandWatch's importer vs GDAL's ogr2ogr loading the same GBK Shapefile
 * (CGCS2000 GK CM 114E) into the same PostGIS server, both reprojecting to EPSG:4490 and making
 * geometry valid, in one transaction each. Needs DATABASE_URL, ogr2ogr and psql.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { importFile } from '../api/src/imports/import.service.ts';
import { has, report, runMeasured, scratchDatabase, timed } from './bench-util.ts';

const N = Number(process.env.BENCH_IMPORT_FEATURES ?? 100_000);

async function makeShapefile(dir: string): Promise<string> {
  const geojson = path.join(dir, 'buildings.geojsonl');
  const out = createWriteStream(geojson);
  for (let i = 0; i < N; i++) {
    const lon = 113.9 + (i % 1000) * 0.0002;
    const lat = 22.7 + Math.floor(i / 1000) * 0.0002;
    const d = 0.00008 + (i % 7) * 0.00001;
    const ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d * 0.8], [lon, lat + d], [lon, lat]];
    const line = JSON.stringify({ type: 'Feature', properties: { JZBH: `JZ${i}`, CS: 1 + (i % 6), JZMC: `东湖村${i % 300}号` }, geometry: { type: 'Polygon', coordinates: [ring] } });
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const shp = path.join(dir, 'buildings.shp');
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=GBK', '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547', shp, geojson]);
  return shp;
}

/** Runs the import benchmark and prints its line. */
export async function benchImport(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !has('ogr2ogr') || !has('psql')) {
    console.log(`import: skipped (needs DATABASE_URL, ogr2ogr and psql; have DATABASE_URL=${Boolean(url)})`);
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-import-'));
  try {
    const shp = await makeShapefile(dir);
    const ours = await scratchDatabase(url, 'lw_bench_import_ours');
    const peer = await scratchDatabase(url, 'lw_bench_import_peer');
    try {
      const db = await openPgDb(ours.url);
      await migrate(db);
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const run = await timed(() => importFile(db, shp, { kind: 'building', epoch: '2025-06-30' }));
      clearInterval(sampler);
      await db.close();
      const features = run.value[0]?.features ?? 0;
      const gdal = runMeasured('ogr2ogr', [
        '-f', 'PostgreSQL', `PG:${peer.url.replace(/^postgres(ql)?:\/\//, 'postgresql://')}`, shp,
        '-nln', 'building_peer', '-t_srs', 'EPSG:4490', '-nlt', 'PROMOTE_TO_MULTI', '-makevalid',
        '-lco', 'GEOMETRY_NAME=geom', '-gt', 'unlimited',
      ], { PG_USE_COPY: 'YES' });
      report(
        `import ${N} buildings (GBK shapefile, EPSG:4547 → 4490)`,
        { ms: run.ms, extra: `${features} stored, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, ${(features / (run.ms / 1000)).toFixed(0)} features/s` },
        { name: 'ogr2ogr -makevalid (COPY)', ms: gdal.ms, extra: gdal.peakRssMb ? `peak RSS ${gdal.peakRssMb.toFixed(0)} MiB` : undefined },
      );
    } finally {
      await ours.drop();
      await peer.drop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
