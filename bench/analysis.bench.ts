/**
 * Analysis benchmark on the seeded county of scripts/city-generator (default 200,000 buildings over two
 * epochs, 40,000 farmland/cultivated parcels, 10,000 passages; loaded straight into the analysis
 * tables), measured in one run:
 *  - LandWatch's full analysis (all rules, suspects published);
 *  - GeoPandas (Debian python3-geopandas) doing the farmland + passage overlay per building (sjoin +
 *    overlay, areas in GK metres), bench/farmland_overlay.py;
 *  - the single best hand-written PostGIS query for the farmland overlap (ST_Subdivide + GiST), the floor;
 *  - an incremental run after 1 % of the buildings moved.
 * On PostGIS when DATABASE_URL is set (a scratch database), else on embedded PGlite.
 * Sizes: BENCH_BUILDINGS (parcels and passages follow as /5 and /20), BENCH_PARCELS, BENCH_PASSAGES,
 * BENCH_SEED. The full county: BENCH_BUILDINGS=1000000 (200,000 parcels, 50,000 passages).
 * Run: `npx tsx bench/analysis.bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnalysis, type AnalysisRunResult } from '../api/src/analysis/analysis.service.ts';
import { workTableDdl, workTableMode } from '../api/src/analysis/work-table.ts';
import type { Db } from '../api/src/db/db.types.ts';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { openPgliteDb } from '../api/src/db/pglite.backend.ts';
import { exportCityLayers } from '../scripts/city-generator/city-export.writer.ts';
import { changeBuildings, citySize, generateCity, type CityIds } from '../scripts/city-generator/city.generator.ts';
import { has, report, scratchDatabase, timed } from './bench-util.ts';

const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const SIZE = citySize({
  seed: env('BENCH_SEED') ?? 1,
  buildings: env('BENCH_BUILDINGS') ?? 200_000,
  parcels: env('BENCH_PARCELS'),
  passages: env('BENCH_PASSAGES'),
});
const PYTHON = '/usr/bin/python3';
const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The floor: the best single hand-written query for the farmland overlap per building (basic farmland
 * and cultivated parcels 01xx, the layer GeoPandas gets): pieces + GiST, the ST_Within shortcut, and
 * the stored ellipsoidal area of a building wholly inside a piece. On PostgreSQL its pieces are an
 * UNLOGGED table, so that the query may use parallel workers as LandWatch's own statements do (a TEMP
 * table kept it serial: measured at 1M buildings, 6.1 s vs 3.4 s on two cores).
 */
async function floorQuery(db: Db, ids: CityIds): Promise<{ buildings: number; m2: number }> {
  return db.transaction(async (tx) => {
    // Without JIT, as LandWatch runs: PostgreSQL would spend longer compiling than executing.
    await tx.exec('SET LOCAL jit = off');
    // Held as the analysis holds its work tables (TEMP on PGlite, UNLOGGED for the run on PostgreSQL).
    const mode = workTableMode(db.kind);
    await tx.exec(workTableDdl('CREATE TEMP TABLE bench_piece (id bigint, g geometry) ON COMMIT DROP', mode));
    await tx.query(
      `INSERT INTO bench_piece SELECT id, ST_Subdivide(geom, 128) FROM constraint_feature
       WHERE dataset_id = $1 OR (dataset_id = $2 AND left(code, 2) = '01')`,
      [ids.farmland, ids.cultivated],
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
    if (mode === 'unlogged') await tx.exec('DROP TABLE bench_piece');
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
  passages?: number;
  buildings_on_passages?: number;
  passage_m2?: number;
}

/** Runs the GeoPandas overlay; returns its JSON, or a reason it could not run. */
function geopandasPeer(files: { buildings: string; farmland: string; passages: string }): { result: PeerResult; peakRssMb: number | null } | string {
  const probe = spawnSync(PYTHON, ['-c', 'import geopandas'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `${PYTHON} cannot import geopandas (apt-get install -y python3-geopandas): ${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)}`;
  }
  const timeCmd = has('/usr/bin/time');
  const args = [path.join(HERE, 'farmland_overlay.py'), files.buildings, files.farmland, files.passages];
  const run = timeCmd
    ? spawnSync('/usr/bin/time', ['-f', '%M', PYTHON, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) return `GeoPandas failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const kb = timeCmd ? Number(run.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { result: JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as PeerResult, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null };
}

function ruleLine(r: AnalysisRunResult, rule: string): string {
  const b = r.suspects.byRule.find((x) => x.rule === rule);
  return `${rule} ${b?.suspects ?? 0} / ${(b?.overlapM2 ?? 0).toFixed(0)} m²`;
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
    // The scratch database must start empty (a template1 someone filled would add layers to the city).
    const { rows: existing } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dataset');
    if (existing[0]?.n) throw new Error(`the scratch database already holds ${existing[0].n} datasets (is template1 empty?)`);
    const gen = await timed(() => generateCity(db, SIZE));
    const ids = gen.value;
    const c = ids.counts;
    console.log(
      `analysis: ${db.kind}; city seed ${SIZE.seed}: ${c.latest} buildings (baseline ${c.baseline}: ${c.buildings_new} new, ${c.buildings_grown} grown, ` +
        `${c.buildings_demolished} demolished), ${(c.farmland ?? 0) + (c.cultivated ?? 0)} farmland/cultivated parcels, ${c.passages} passages, ` +
        `${c.villages} villages; generated in ${s(gen.ms)}`,
    );
    const files = await exportCityLayers(db, ids, dir);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const full = await timed(() => runAnalysis(db, { mode: 'full' }));
    clearInterval(sampler);
    const f = full.value;
    console.log(
      `  LandWatch full analysis: ${s(full.ms)} — ${f.subjects.total} subjects, ${f.findings} findings, ${f.suspects.active} suspects; ` +
        `${['FARMLAND', 'CULTIVATED', 'PASSAGE'].map((rule) => ruleLine(f, rule)).join(', ')}; ` +
        `node peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    const steps = Object.entries(f.timings).filter(([k]) => k !== 'total').sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  slowest steps: ${steps.map(([k, v]) => `${k} ${v} ms`).join(', ')}`);

    const floor = await timed(() => floorQuery(db, ids));
    console.log(
      `  floor (one hand-written farmland + cultivated overlap query): ${s(floor.ms)} — ${floor.value.buildings} buildings / ${floor.value.m2.toFixed(0)} m² (no thresholds)`,
    );

    const peer = geopandasPeer(files);
    if (typeof peer === 'string') {
      report('analysis vs GeoPandas (farmland + passage overlay)', { ms: full.ms, extra: 'all rules' }, peer);
    } else {
      const p = peer.result;
      report(
        'analysis vs GeoPandas (farmland + passage overlay)',
        { ms: full.ms, extra: 'all 9 rules + publishing' },
        {
          name: `GeoPandas ${p.geopandas} overlay`,
          ms: p.overlay_s * 1000,
          extra:
            `sjoin + overlay: farmland ${p.buildings_on_farmland} buildings / ${p.overlap_m2.toFixed(0)} m², ` +
            `passages ${p.buildings_on_passages ?? 0} / ${(p.passage_m2 ?? 0).toFixed(0)} m², reading ${p.read_s.toFixed(2)} s not counted` +
            `${peer.peakRssMb ? `, peak RSS ${peer.peakRssMb.toFixed(0)} MiB` : ''}`,
        },
      );
      console.log(`  GeoPandas overlay / LandWatch full = ${((p.overlay_s * 1000) / full.ms).toFixed(1)}× (target ≥ 10×)`);
    }
    console.log(`  LandWatch full / floor = ${(full.ms / floor.ms).toFixed(2)}× (target ≤ 3×)`);

    await changeBuildings(db, ids.latest, 0.01);
    const inc = await timed(() => runAnalysis(db, { mode: 'incremental' }));
    const incSteps = Object.entries(inc.value.timings).filter(([k]) => k !== 'total').sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(
      `  incremental after moving 1 % of buildings: ${s(inc.ms)} (${inc.value.mode}, ${inc.value.subjects.analysed} of ${inc.value.subjects.total} subjects evaluated) = ` +
        `${((100 * inc.ms) / full.ms).toFixed(1)} % of the full run (target ≤ 5 %)`,
    );
    console.log(`  incremental slowest steps: ${incSteps.map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  } finally {
    await db.close();
    await scratch?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchAnalysis();
