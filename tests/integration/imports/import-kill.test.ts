import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { openDb } from '../../../api/src/db/open-db.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { createTestProcessEnv } from '../../helpers/test-db.ts';
import { PROJECT_ROOT } from '../../helpers/test-env.ts';
import { square } from './import-fixtures.ts';

let processEnv: Awaited<ReturnType<typeof createTestProcessEnv>>;
beforeAll(async () => {
  processEnv = await createTestProcessEnv();
});
afterAll(async () => {
  await processEnv?.cleanup();
});

/** Newline-delimited GeoJSON with `n` small buildings. */
async function writeBuildings(n: number, lonOffset = 0): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-kill-'));
  const file = path.join(dir, 'buildings.geojsonl');
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const lon = 114 + lonOffset + (i % 500) * 0.0002;
    const lat = 22.8 + Math.floor(i / 500) * 0.0002;
    const ok = out.write(`${JSON.stringify({ type: 'Feature', properties: { JZBH: `K${i}` }, geometry: { type: 'Polygon', coordinates: square(lon, lat, 0.0001) } })}\n`);
    if (!ok) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return file;
}

async function snapshot(db: Db) {
  const datasets = (await db.query<{ id: number; version: number; status: string; feature_count: number }>("SELECT id, version, status, feature_count FROM dataset WHERE name = 'kill-test' ORDER BY id")).rows;
  const subjects = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subject')).rows[0]?.n;
  return { datasets, subjects };
}

describe('a killed import', () => {
  it('leaves the previous version untouched (SIGKILL mid-way)', async () => {
    const small = await writeBuildings(50);
    const first = await runCli(['--json', 'import', small, '--kind', 'building', '--epoch', '2024-01-01', '--name', 'kill-test'], processEnv.env);
    expect(first.code, first.stderr).toBe(0);

    const big = await writeBuildings(120_000, 0.2);
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/landwatch.mjs'), 'import', big, '--kind', 'building', '--epoch', '2025-01-01', '--name', 'kill-test'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...processEnv.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once the import has streamed 10,000+ rows into its staging table, well before it ends.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress seen: ${stderr}`)), 150_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = [...stderr.matchAll(/: (\d+) features read/g)].at(-1);
        if (m && Number(m[1]) >= 10_000) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`import ended before it could be killed: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const db = await openDb({ databaseUrl: processEnv.env.DATABASE_URL || undefined, dataDir: processEnv.env.LANDWATCH_DATA_DIR ?? ':memory:' });
    try {
      const after = await snapshot(db);
      expect(after.datasets).toEqual([{ id: expect.any(Number), version: 1, status: 'active', feature_count: 50 }]);
      expect(after.subjects).toBe(50);
    } finally {
      await db.close();
    }
    // And the layer can still be imported afterwards.
    const again = await runCli(['--json', 'import', small.replace('buildings.geojsonl', 'buildings.geojsonl'), '--kind', 'building', '--epoch', '2024-01-01', '--name', 'kill-test'], processEnv.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ noop: true, version: 1 });
    // Four CLI processes, each opening the database: on embedded PGlite each open costs seconds.
  }, 300_000);
});
