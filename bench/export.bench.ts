/**
 * Export benchmark: `landwatch export` vs GDAL's ogr2ogr writing the same 100,000 suspects from the
 * same PostGIS database to the same format (XLSX, CSV, GeoJSON, Shapefile, KML), in the same run.
 * Both sides run as child processes, timed wall-clock with their peak RSS from GNU time, so the
 * memory figure is the whole process. Needs DATABASE_URL, ogr2ogr and psql.
 * `BENCH_EXPORT_SUSPECTS` changes the count, `BENCH_EXPORT_FORMATS=csv,xlsx` the formats;
 * `npm run bench -- export` runs only this benchmark.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { seedBulkSuspects } from '../tests/integration/exports/export-seed.ts';
import { gdalPgSource, has, report, scratchDatabase } from './bench-util.ts';

const N = Number(process.env.BENCH_EXPORT_SUSPECTS ?? 100_000);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The peer reads what LandWatch's export query reads (active, not dismissed suspects with district
// names, centroid, the four overlap areas and the run time, in district order); it skips only the
// Chinese labels LandWatch adds in Node. CSV and XLSX carry no geometry, as in LandWatch.
const PEER_COLUMNS = `s.id, s.source_id AS src_id, s.district_code AS xzqdm, dc.name AS qxmc, dt.name AS xzmc,
  CASE WHEN d.level = 'village' THEN d.name END AS cjmc, ST_X(ST_Centroid(s.geom)) AS center_lon, ST_Y(ST_Centroid(s.geom)) AS center_lat,
  s.subject_kind AS kind, s.epoch, s.is_new, s.area_m2, s.area_m2 / (10000.0 / 15) AS area_mu,
  o.jbnt_m2, o.gd_m2, o.td_m2, o.hx_m2, array_to_string(s.rules, ',') AS rules, s.severity, s.disposition AS disposal,
  s.status, s.ruleset_version AS ruleset, coalesce(r.finished_at, r.started_at)::text AS analysed`;
const peerSql = (withGeometry: boolean) => `SELECT ${PEER_COLUMNS}${withGeometry ? ', s.geom' : ''}
FROM suspect s
LEFT JOIN LATERAL (SELECT sum(f.overlap_m2) FILTER (WHERE f.rule = 'FARMLAND') AS jbnt_m2, sum(f.overlap_m2) FILTER (WHERE f.rule = 'CULTIVATED') AS gd_m2,
                          sum(f.overlap_m2) FILTER (WHERE f.rule = 'PASSAGE') AS td_m2, sum(f.overlap_m2) FILTER (WHERE f.rule = 'ECO_REDLINE') AS hx_m2
                   FROM finding f WHERE f.suspect_id = s.id) o ON true
LEFT JOIN district d ON d.code = s.district_code
LEFT JOIN district dc ON dc.code = left(s.district_code, 6) || '000000' AND dc.level = 'county'
LEFT JOIN district dt ON dt.code = left(s.district_code, 9) || '000' AND dt.level = 'township'
LEFT JOIN analysis_run r ON r.id = s.last_run_id
WHERE s.active AND s.status <> 'dismissed'
ORDER BY s.district_code, s.id`;

interface Measured {
  ms: number;
  peakRssMb: number | null;
  stdout: string;
}

/** Runs a command under GNU time (peak RSS in KiB on the last stderr line). */
function measure(command: string, args: string[], env: Record<string, string> = {}): Measured {
  const useTime = has('/usr/bin/time');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  const kb = useTime ? Number(r.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null, stdout: r.stdout };
}

const FORMATS = [
  { format: 'xlsx', driver: 'XLSX', ext: 'xlsx', geometry: false, lco: [] as string[] },
  { format: 'csv', driver: 'CSV', ext: 'csv', geometry: false, lco: ['WRITE_BOM=YES', 'LINEFORMAT=CRLF'] },
  { format: 'geojson', driver: 'GeoJSON', ext: 'geojson', geometry: true, lco: ['RFC7946=YES'] },
  { format: 'shp', driver: 'ESRI Shapefile', ext: 'shp', geometry: true, lco: ['ENCODING=UTF-8'] },
  { format: 'kml', driver: 'KML', ext: 'kml', geometry: true, lco: [] },
] as const;

/** Runs the export benchmark and prints one line per format. */
export async function benchExport(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !has('ogr2ogr') || !has('psql')) {
    console.log(`export: skipped (needs DATABASE_URL, ogr2ogr and psql; have DATABASE_URL=${Boolean(url)})`);
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-export-'));
  const scratch = await scratchDatabase(url, 'lw_bench_export');
  try {
    const db = await openPgDb(scratch.url);
    try {
      await migrate(db);
      await seedBulkSuspects(db, N, 500);
      await db.exec('ANALYZE');
    } finally {
      await db.close();
    }
    const env = { DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' };
    const cli = (args: string[]) => measure(process.execPath, [path.join(ROOT, 'scripts/landwatch.mjs'), '--json', 'export', ...args], env);
    // Start-up cost of the CLI (tsx, modules, connection) with an export of nothing.
    const idle = cli(['--format', 'csv', '--rule', 'EXPANSION', '--out', path.join(dir, 'idle.csv')]);
    console.log(`export: ${N} suspects, 500 villages; LandWatch CLI start-up + empty export ${(idle.ms / 1000).toFixed(2)} s, peak RSS ${idle.peakRssMb?.toFixed(0) ?? '?'} MiB`);
    const pgUrl = gdalPgSource(scratch.url);
    const only = process.env.BENCH_EXPORT_FORMATS?.split(',');
    for (const f of FORMATS.filter((x) => !only || only.includes(x.format))) {
      const ours = cli(['--format', f.format, '--out', path.join(dir, `ours.${f.format === 'shp' ? 'zip' : f.ext}`)]);
      const result = JSON.parse(ours.stdout) as { rows: number; bytes: number; ms: number };
      const peerOut = path.join(dir, `peer.${f.ext}`);
      const peer = measure('ogr2ogr', ['-f', f.driver, peerOut, pgUrl, '-sql', peerSql(f.geometry), '-nln', 'suspects', ...f.lco.flatMap((o) => ['-lco', o])]);
      const peerBytes = f.format === 'shp' ? (await stat(peerOut)).size + (await stat(peerOut.replace(/\.shp$/, '.dbf'))).size : (await stat(peerOut)).size;
      report(
        `export ${f.format.padEnd(7)} ${N} suspects`,
        { ms: ours.ms, extra: `${result.rows} rows, ${(result.bytes / 2 ** 20).toFixed(1)} MiB, export itself ${(result.ms / 1000).toFixed(2)} s, peak RSS ${ours.peakRssMb?.toFixed(0) ?? '?'} MiB` },
        { name: `ogr2ogr -f "${f.driver}"`, ms: peer.ms, extra: `${(peerBytes / 2 ** 20).toFixed(1)} MiB${f.format === 'shp' ? ' (.shp+.dbf, unzipped)' : ''}, peak RSS ${peer.peakRssMb?.toFixed(0) ?? '?'} MiB` },
      );
    }
  } finally {
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
