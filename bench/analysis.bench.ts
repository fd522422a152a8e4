/**
 * Analysis benchmark: a synthetic town (default 20,000 buildings × 2,000 irregular farmland parcels,
 * two epochs) analysed by LandWatch (all rules, suspects published), next to
 *  - GeoPandas (Debian python3-geopandas) doing only the FARMLAND overlay: overlay(intersection) +
 *    area in GK metres, summed per building;
 *  - the single best hand-written PostGIS query for the farmland overlap (ST_Subdivide + GiST), the floor;
 *  - an incremental run after 1 % of the buildings moved.
 * On PostGIS when DATABASE_URL is set (a scratch database), else on embedded PGlite.
 * Sizes: BENCH_BUILDINGS, BENCH_PARCELS, BENCH_PASSAGES. Run: `npx tsx bench/analysis.bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnalysis, type AnalysisRunResult } from '../api/src/analysis/analysis.service.ts';
import type { Db } from '../api/src/db/db.types.ts';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { openPgliteDb } from '../api/src/db/pglite.backend.ts';
import { generateScene, moveSomeBuildings, type SceneIds } from './analysis-scene.ts';
import { has, report, scratchDatabase, timed } from './bench-util.ts';

const SIZE = {
  buildings: Number(process.env.BENCH_BUILDINGS ?? 20_000),
  parcels: Number(process.env.BENCH_PARCELS ?? 2_000),
  passages: Number(process.env.BENCH_PASSAGES ?? 50),
};
const PYTHON = '/usr/bin/python3';
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Writes one query's rows ({id, geometry GeoJSON text}) as a GeoJSON FeatureCollection file. */
async function exportGeoJson(db: Db, file: string, idName: string, sql: string, values: unknown[]): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('{"type":"FeatureCollection","features":[\n');
  let first = true;
  for await (const batch of db.stream<{ id: number; geometry: string }>(sql, values, { batchSize: 5000 })) {
    for (const row of batch) {
      await write(`${first ? '' : ',\n'}{"type":"Feature","properties":{"${idName}":${row.id}},"geometry":${row.geometry}}`);
      first = false;
    }
  }
  await write('\n]}\n');
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * The floor: the best single hand-written query for the farmland overlap per building: pieces + GiST,
 * the ST_Within shortcut, and the stored ellipsoidal area of a building wholly inside a piece.
 */
async function floorQuery(db: Db, ids: SceneIds): Promise<{ buildings: number; m2: number }> {
  return db.transaction(async (tx) => {
    // Without JIT, as LandWatch runs: PostgreSQL would spend longer compiling than executing.
    await tx.exec('SET LOCAL jit = off');
    await tx.exec('CREATE TEMP TABLE bench_piece ON COMMIT DROP AS SELECT 0::bigint AS id, NULL::geometry AS g WITH NO DATA');
    await tx.query(
      "INSERT INTO bench_piece SELECT id, ST_Subdivide(geom, 128) FROM constraint_feature WHERE dataset_id = $1 AND kind = 'basic_farmland'",
      [ids.farmland],
    );
    await tx.exec('CREATE INDEX ON bench_piece USING gist (g); ANALYZE bench_piece');
    const { rows } = await tx.query<{ buildings: number; m2: number }>(
      `SELECT count(DISTINCT s.id)::int AS buildings,
              coalesce(sum(CASE WHEN ST_Within(s.geom, p.g) THEN s.area_m2
                                ELSE ST_Area(ST_CollectionExtract(ST_Intersection(s.geom, p.g), 3)::geography) END), 0) AS m2
       FROM subject s JOIN bench_piece p ON p.g && s.geom AND ST_Intersects(p.g, s.geom)
       WHERE s.dataset_id = $1`,
      [ids.latest],
    );
    return rows[0] as { buildings: number; m2: number };
  });
}

interface PeerResult {
  geopandas: string;
  read_s: number;
  overlay_s: number;
  pairs: number;
  buildings_on_farmland: number;
  overlap_m2: number;
}

/** Runs the GeoPandas overlay; returns its JSON, or a reason it could not run. */
function geopandasPeer(buildings: string, farmland: string): { result: PeerResult; peakRssMb: number | null } | string {
  const probe = spawnSync(PYTHON, ['-c', 'import geopandas'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `${PYTHON} cannot import geopandas (apt-get install -y python3-geopandas): ${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)}`;
  }
  const timeCmd = has('/usr/bin/time');
  const args = [path.join(HERE, 'farmland_overlay.py'), buildings, farmland];
  const run = timeCmd
    ? spawnSync('/usr/bin/time', ['-f', '%M', PYTHON, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) return `GeoPandas failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const kb = timeCmd ? Number(run.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { result: JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as PeerResult, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null };
}

function farmlandTotal(r: AnalysisRunResult): number {
  return r.suspects.byRule.find((b) => b.rule === 'FARMLAND')?.overlapM2 ?? 0;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the analysis benchmark and prints its lines. */
export async function benchAnalysis(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const scratch = url ? await scratchDatabase(url, 'lw_bench_analysis') : null;
  const db = scratch ? await openPgDb(scratch.url) : await openPgliteDb();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-analysis-'));
  try {
    await migrate(db);
    const gen = await timed(() => generateScene(db, SIZE));
    const ids = gen.value;
    console.log(
      `analysis: ${db.kind}; town of ${SIZE.buildings} buildings (2 epochs) × ${SIZE.parcels} farmland parcels × ${SIZE.passages} passages generated in ${s(gen.ms)}`,
    );

    const buildingsFile = path.join(dir, 'buildings.geojson');
    const farmlandFile = path.join(dir, 'farmland.geojson');
    await exportGeoJson(db, buildingsFile, 'bid', 'SELECT id, ST_AsGeoJSON(geom, 9) AS geometry FROM subject WHERE dataset_id = $1 ORDER BY id', [ids.latest]);
    await exportGeoJson(db, farmlandFile, 'fid', 'SELECT id, ST_AsGeoJSON(geom, 9) AS geometry FROM constraint_feature WHERE dataset_id = $1 ORDER BY id', [ids.farmland]);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const full = await timed(() => runAnalysis(db, { mode: 'full' }));
    clearInterval(sampler);
    const f = full.value;
    console.log(
      `  LandWatch full analysis: ${s(full.ms)} — ${f.subjects.total} subjects, ${f.findings} findings, ${f.suspects.active} suspects; ` +
        `FARMLAND ${f.suspects.byRule.find((b) => b.rule === 'FARMLAND')?.suspects ?? 0} buildings / ${farmlandTotal(f).toFixed(0)} m²; ` +
        `node peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    const steps = Object.entries(f.timings).filter(([k]) => k !== 'total').sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`  slowest steps: ${steps.map(([k, v]) => `${k} ${v} ms`).join(', ')}`);

    const floor = await timed(() => floorQuery(db, ids));
    console.log(`  floor (one hand-written farmland query): ${s(floor.ms)} — ${floor.value.buildings} buildings / ${floor.value.m2.toFixed(0)} m² (no thresholds)`);

    const peer = geopandasPeer(buildingsFile, farmlandFile);
    if (typeof peer === 'string') {
      report('analysis vs GeoPandas (FARMLAND overlay)', { ms: full.ms, extra: 'all rules' }, peer);
    } else {
      const p = peer.result;
      report(
        'analysis vs GeoPandas (FARMLAND overlay)',
        { ms: full.ms, extra: 'all 9 rules + publishing' },
        {
          name: `GeoPandas ${p.geopandas} overlay`,
          ms: p.overlay_s * 1000,
          extra: `FARMLAND only, ${p.buildings_on_farmland} buildings / ${p.overlap_m2.toFixed(0)} m², reading ${p.read_s.toFixed(2)} s not counted${peer.peakRssMb ? `, peak RSS ${peer.peakRssMb.toFixed(0)} MiB` : ''}`,
        },
      );
      console.log(`  GeoPandas overlay / LandWatch full = ${((p.overlay_s * 1000) / full.ms).toFixed(1)}× (target ≥ 10×)`);
    }
    console.log(`  LandWatch full / floor = ${(full.ms / floor.ms).toFixed(2)}× (target ≤ 3×)`);

    await moveSomeBuildings(db, ids.latest, 0.01);
    const inc = await timed(() => runAnalysis(db, { mode: 'incremental' }));
    console.log(
      `  incremental after moving 1 % of buildings: ${s(inc.ms)} (${inc.value.mode}, ${inc.value.subjects.analysed} of ${inc.value.subjects.total} subjects evaluated) = ` +
        `${((100 * inc.ms) / full.ms).toFixed(1)} % of the full run (target ≤ 5 %)`,
    );
  } finally {
    await db.close();
    await scratch?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchAnalysis();
