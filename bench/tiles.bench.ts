/**
 * Tile benchmark: vector tiles through LandWatch's API (`GET /tiles/{layer}/{z}/{x}/{y}.mvt`, the real
 * `landwatch serve` as a child process, load from autocannon) against the same tiles straight from
 * PostGIS in pgbench with Martin's query shape
 *   ST_AsMVT(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true))
 *   WHERE geom && ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4490)
 * on the same database, in the same run, at the same connection counts; the API with its tile cache
 * off (LANDWATCH_TILE_CACHE_MB=0: every request renders) and on (the default 64 MiB). Both sides draw
 * tiles at random from one seeded list of tiles that hold data, take turns so other load on the
 * machine weighs on both, and are measured in steady state (the first seconds of each run, while new
 * connections load PostGIS and PROJ in their backends, are left out). Prints tiles/s, p50/p99 latency,
 * API/pgbench throughput (target ≥ 0.8 with the cache off) and the API's peak RSS (VmHWM). Then the
 * time from page load to the first suspect drawn on the demo map in headless Chromium.
 *
 * Needs DATABASE_URL (PostGIS), psql and pgbench; Chromium at /usr/bin/chromium for the last part.
 * `BENCH_TILE_BUILDINGS` (default 1,000,000), `BENCH_TILE_SECONDS` per configuration (16, as two
 * alternating runs), `BENCH_TILE_PER_ZOOM` distinct tiles per zoom (100), `BENCH_TILE_CONNECTIONS`
 * (8,32), `BENCH_TILE_LAYERS` (building,suspects),
 * `BENCH_TILE_GZIP=1` makes autocannon ask for gzip as browsers do, `BENCH_TILE_BROWSER=0` skips the
 * browser part. `npm run bench -- tiles` runs only this benchmark.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrate } from '../api/src/db/migrate.ts';
import { openPgDb } from '../api/src/db/pg.backend.ts';
import { has, scratchDatabase } from './bench-util.ts';
import { browserSkipReason, timeFirstSuspect } from './tiles-browser.ts';
import { generateTileScene, pickTiles, prng, type TileXyz } from './tiles-scene.ts';
import { startServe, type ServeChild } from './tiles-server.ts';

const BUILDINGS = Number(process.env.BENCH_TILE_BUILDINGS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_TILE_SECONDS ?? 16);
/** Each configuration runs in this many turns of SECONDS / ROUNDS, alternating with its peer. */
const ROUNDS = 2;
/** Seconds at the start of each run left out of the figures (connections warming up). */
const WARM_S = 2;
const PER_ZOOM = Number(process.env.BENCH_TILE_PER_ZOOM ?? 100);
const CONNECTIONS = (process.env.BENCH_TILE_CONNECTIONS ?? '8,32').split(',').map(Number);
const LAYERS = (process.env.BENCH_TILE_LAYERS ?? 'building,suspects').split(',');
const BROWSER = process.env.BENCH_TILE_BROWSER !== '0';
/** Send `Accept-Encoding: gzip` as browsers do (the API then compresses; pgbench gets raw MVT either way). */
const GZIP = process.env.BENCH_TILE_GZIP === '1';
const TARGET = 0.8;

/** A benched layer: its API name, the zooms asked, where its data is, and Martin's query for it. */
interface LayerBench {
  layer: 'building' | 'suspects';
  table: 'subject' | 'suspect';
  zooms: number[];
  note: string;
  /** Martin's statement for the tile whose z, x, y are these SQL expressions. */
  martin(z: string, x: string, y: string): string;
}

const BOX = (z: string, x: string, y: string) => `ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}, margin => 64.0 / 4096), 4490)`;
const MVT_GEOM = (z: string, x: string, y: string) => `ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(${z}, ${x}, ${y}), 4096, 64, true) AS geom`;

// The attributes are the ones the API puts in its tiles, so both sides send the same features.
const BENCHES: LayerBench[] = [
  {
    layer: 'building',
    table: 'subject',
    // The API draws buildings from z14 (tile-layers.ts minzoom): z12–13 building tiles are empty
    // by design (the map shows suspects as hexagons there) and answered without a query.
    zooms: [14, 15, 16, 17],
    note: 'z14–17 (the building layer starts at z14; z12–13 answer 204 without a query)',
    martin: (z, x, y) =>
      `SELECT ST_AsMVT(tile, 'building', 4096, 'geom', 'id') FROM (SELECT id, source_id AS "sourceId", epoch::text AS epoch, ${MVT_GEOM(z, x, y)} FROM subject WHERE kind = 'building' AND geom && ${BOX(z, x, y)}) AS tile`,
  },
  {
    layer: 'suspects',
    table: 'suspect',
    zooms: [12, 13, 14, 15, 16, 17],
    note: 'z12–17',
    martin: (z, x, y) =>
      `SELECT ST_AsMVT(tile, 'suspects', 4096, 'geom', 'id') FROM (SELECT id, severity, array_to_string(rules, ',') AS rules, status, is_new AS "isNew", district_code AS district, round(area_m2)::bigint AS "areaM2", ${MVT_GEOM(z, x, y)} FROM suspect WHERE active AND geom && ${BOX(z, x, y)}) AS tile`,
  },
];

/** Completed tiles of one run: end time (s, any origin), latency (ms), and whether it succeeded. */
interface Sample {
  end: number;
  ms: number;
  ok: boolean;
}

/** One measured configuration. */
interface Run {
  tilesPerSec: number;
  p50: number;
  p99: number;
  n: number;
  bad: number;
}

const fmt = (r: Run) => `${r.tilesPerSec.toFixed(1).padStart(7)} tiles/s  p50 ${r.p50.toFixed(0).padStart(5)} ms  p99 ${r.p99.toFixed(0).padStart(5)} ms  (${r.n} tiles${r.bad ? `, ${r.bad} failed` : ''})`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * The steady state of runs: tiles completed after the first WARM_S seconds of each run (new
 * connections on both sides load PostGIS and PROJ in their server backend first), over that time.
 */
function steady(runs: Sample[][]): Run {
  let n = 0;
  let bad = 0;
  let seconds = 0;
  const ms: number[] = [];
  for (const samples of runs) {
    if (samples.length === 0) continue;
    const first = Math.min(...samples.map((x) => x.end - x.ms / 1000));
    const last = Math.max(...samples.map((x) => x.end));
    const from = first + WARM_S;
    seconds += Math.max(0, last - from);
    for (const x of samples) {
      if (x.end < from) continue;
      if (!x.ok) {
        bad++;
        continue;
      }
      n++;
      ms.push(x.ms);
    }
  }
  ms.sort((a, b) => a - b);
  return { tilesPerSec: seconds > 0 ? n / seconds : Number.NaN, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), n, bad };
}

/** pgbench: `-c connections -j 2 -T seconds`, prepared statements like Martin; every transaction from its log. */
async function runPgbench(url: string, script: string, connections: number, seconds: number): Promise<Sample[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-bench-pgbench-'));
  try {
    const file = path.join(dir, 'tile.sql');
    await writeFile(file, script);
    const r = spawnSync(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', file, '--log', `--log-prefix=${path.join(dir, 'log')}`, url],
      { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 24 },
    );
    if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
    // Log lines: client_id transaction_no time(µs) script_no time_epoch(s) time_us (end of the transaction).
    const samples: Sample[] = [];
    for (const f of (await readdir(dir)).filter((x) => x.startsWith('log'))) {
      for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) {
        const c = line.split(' ');
        if (c.length < 6) continue;
        const latency = c[2]!;
        samples.push({ end: Number(c[4]) + Number(c[5]) / 1e6, ms: latency === 'failed' ? 0 : Number(latency) / 1000, ok: latency !== 'failed' });
      }
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * autocannon against the API; each request takes a tile drawn at random from the list (seeded), as
 * pgbench's `random(1, N)` does, so both sides see the same mix. Every response is recorded.
 */
async function runApi(origin: string, paths: string[], connections: number, seconds: number): Promise<Sample[]> {
  const rand = prng(connections * 7919 + paths.length);
  const samples: Sample[] = [];
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        timeout: 120,
        headers: GZIP ? { 'accept-encoding': 'gzip' } : {},
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[Math.floor(rand() * paths.length)]! }) }],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else {
          for (let i = 0; i < result.errors + result.timeouts; i++) samples.push({ end: performance.now() / 1000, ms: 0, ok: false });
          resolve();
        }
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      samples.push({ end: performance.now() / 1000, ms: responseTime, ok: status >= 200 && status < 300 });
    });
  });
  return samples;
}

/** Runs the tile benchmark and prints its table. */
export async function benchTiles(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !has('pgbench') || !has('psql')) {
    console.log(`tiles: skipped (needs DATABASE_URL pointing at PostGIS, pgbench and psql; have DATABASE_URL=${Boolean(url)}, pgbench=${has('pgbench')}, psql=${has('psql')})`);
  } else {
    await benchTileThroughput(url);
  }
  if (!BROWSER) return;
  const skip = browserSkipReason();
  if (skip) {
    console.log(`tiles: first suspect drawn: skipped (${skip})`);
    return;
  }
  const { loads, serverStartMs, buildMs } = await timeFirstSuspect(3);
  const sorted = [...loads].sort((a, b) => a.firstSuspectMs - b.firstSuspectMs);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `tiles: first suspect drawn on the demo map (serve --demo, embedded PGlite; map built in ${(buildMs / 1000).toFixed(1)} s, server ready in ${(serverStartMs / 1000).toFixed(1)} s), headless Chromium, 3 fresh page loads:`,
  );
  console.log(
    `  page load → first suspect drawn: median ${median.firstSuspectMs.toFixed(0)} ms (runs ${loads.map((l) => l.firstSuspectMs.toFixed(0)).join(', ')} ms; map 'load' at ${loads.map((l) => l.loadMs.toFixed(0)).join(', ')} ms; ${median.suspectsDrawn} suspect features in the first frame)`,
  );
}

async function benchTileThroughput(url: string): Promise<void> {
  const scratch = await scratchDatabase(url, 'lw_bench_tiles');
  const servers: ServeChild[] = [];
  try {
    const db = await openPgDb(scratch.url);
    const lists = new Map<string, TileXyz[]>();
    const sizes = new Map<string, { nonEmpty: number; avg: number; max: number; sum: number }>();
    try {
      await migrate(db);
      const t0 = performance.now();
      const scene = await generateTileScene(db, BUILDINGS);
      console.log(
        `tiles: ${scene.buildings.toLocaleString('en')} buildings and ${scene.suspects.toLocaleString('en')} suspects generated in ${((performance.now() - t0) / 1000).toFixed(0)} s over [${scene.bbox.map((v) => v.toFixed(3)).join(', ')}] (EPSG:4490); each figure: ${ROUNDS} × ${SECONDS / ROUNDS} s runs (pgbench and API alternating), the first ${WARM_S} s of each left out; autocannon${GZIP ? ' (Accept-Encoding: gzip)' : ''} and pgbench -j 2 on this machine`,
      );
      for (const b of BENCHES.filter((x) => LAYERS.includes(x.layer))) {
        const tiles = await pickTiles(db, b.table, b.zooms, PER_ZOOM, 5);
        lists.set(b.layer, tiles);
        await db.exec(`CREATE TABLE bench_tile_${b.layer} (i int PRIMARY KEY, z int NOT NULL, x int NOT NULL, y int NOT NULL)`);
        await db.query(`INSERT INTO bench_tile_${b.layer} SELECT i, z, x, y FROM unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS t(z, x, y, i)`, [
          tiles.map((t) => t.z),
          tiles.map((t) => t.x),
          tiles.map((t) => t.y),
        ]);
      }
      await db.exec('ANALYZE');
      // One pass over every tile in SQL: warms the server's buffers and measures the tiles.
      for (const b of BENCHES.filter((x) => LAYERS.includes(x.layer))) {
        const { rows } = await db.query<{ nonEmpty: number; avg: number; max: number; sum: number }>(
          `SELECT count(*) FILTER (WHERE n > 0) AS "nonEmpty", avg(n)::float8 AS avg, max(n) AS max, sum(n)::float8 AS sum
           FROM bench_tile_${b.layer} t, LATERAL (SELECT coalesce(length((${b.martin('t.z', 't.x', 't.y')})), 0) AS n) s`,
        );
        sizes.set(b.layer, rows[0]!);
      }
    } finally {
      await db.close();
    }

    for (const b of BENCHES.filter((x) => LAYERS.includes(x.layer))) {
      const tiles = lists.get(b.layer)!;
      const paths = tiles.map((t) => `/tiles/${b.layer}/${t.z}/${t.x}/${t.y}.mvt`);
      const script = `\\set i random(1, ${tiles.length})\nSELECT z, x, y FROM bench_tile_${b.layer} WHERE i = :i \\gset\n${b.martin(':z', ':x', ':y')};\n`;
      const size = sizes.get(b.layer)!;
      console.log(
        `tiles ${b.layer} ${b.note}: ${tiles.length} distinct tiles (${PER_ZOOM} per zoom, where features are), ${size.nonEmpty} with data; MVT ${(size.avg / 1024).toFixed(1)} KiB mean, ${(size.max / 1024).toFixed(0)} KiB max, ${(size.sum / 2 ** 20).toFixed(1)} MiB in all`,
      );
      // Cache off: pgbench and the API take turns (ROUNDS each per connection count), so the other
      // load on this machine weighs on both alike.
      const off = await startServe({ DATABASE_URL: scratch.url, LANDWATCH_TILE_CACHE_MB: '0' });
      servers.push(off);
      await runApi(off.origin, paths, 4, 3); // warm-up: modules, JIT
      const peers = new Map<number, Run>();
      for (const c of CONNECTIONS) {
        const peerRuns: Sample[][] = [];
        const apiRuns: Sample[][] = [];
        for (let round = 0; round < ROUNDS; round++) {
          peerRuns.push(await runPgbench(scratch.url, script, c, SECONDS / ROUNDS));
          apiRuns.push(await runApi(off.origin, paths, c, SECONDS / ROUNDS));
        }
        const peer = steady(peerRuns);
        const api = steady(apiRuns);
        peers.set(c, peer);
        const ratio = api.tilesPerSec / peer.tilesPerSec;
        console.log(`  c=${String(c).padEnd(3)} pgbench, Martin's query      ${fmt(peer)}`);
        console.log(`  c=${String(c).padEnd(3)} API, tile cache off          ${fmt(api)}  API/pgbench ${ratio.toFixed(2)}× ${ratio >= TARGET ? '≥' : '<'} ${TARGET}`);
      }
      const offRss = off.peakRssMb();
      await off.stop();
      const on = await startServe({ DATABASE_URL: scratch.url });
      servers.push(on);
      await runApi(on.origin, paths, 4, 3); // warm-up, as above
      for (const c of CONNECTIONS) {
        const api = steady([await runApi(on.origin, paths, c, SECONDS / ROUNDS)]);
        console.log(`  c=${String(c).padEnd(3)} API, tile cache on (64 MiB)  ${fmt(api)}  API/pgbench ${(api.tilesPerSec / peers.get(c)!.tilesPerSec).toFixed(2)}×`);
      }
      const onRss = on.peakRssMb();
      await on.stop();
      console.log(`  API peak RSS: ${offRss?.toFixed(0) ?? '?'} MiB with the cache off, ${onRss?.toFixed(0) ?? '?'} MiB with it on`);
    }
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await scratch.drop();
  }
}
