import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { openDb } from '../../../api/src/db/open-db.ts';
import { runChangeDetection } from '../../../api/src/imagery/change-detection.service.ts';
import { ImageryService } from '../../../api/src/imagery/imagery.service.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { createTestDb, createTestProcessEnv, TEST_BACKEND } from '../../helpers/test-db.ts';
import { writeSyntheticPair } from './synthetic-pair.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-cd-import-'));
let pair: { before: string[]; after: string[] };
let db: Db;
beforeAll(async () => {
  pair = await writeSyntheticPair(dir);
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The active change_patch layer and its subjects, checked the same way for both runs. */
async function checkStored(target: Db, name: string): Promise<void> {
  const { rows: datasets } = await target.query<{ id: number; feature_count: number; epoch: string; repaired_count: number; status: string }>(
    `SELECT id, feature_count, to_char(epoch, 'YYYY-MM-DD') AS epoch, repaired_count, status FROM dataset WHERE kind = 'change_patch' AND name = $1`,
    [name],
  );
  expect(datasets).toHaveLength(1);
  expect(datasets[0]).toMatchObject({ feature_count: 2, epoch: '2021-01-10', repaired_count: 0, status: 'active' });
  const { rows } = await target.query<{ source_id: string; valid: boolean; area_m2: number; mj: number; qsx: string; holes: number }>(
    `SELECT source_id, ST_IsValid(geom) AS valid, area_m2, (attrs ->> 'MJ')::float8 AS mj, attrs ->> 'QSX' AS qsx,
            ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes
     FROM subject WHERE dataset_id = $1 AND kind = 'change_patch' ORDER BY area_m2`,
    [datasets[0]!.id],
  );
  expect(rows).toHaveLength(2);
  for (const r of rows) {
    expect(r.valid).toBe(true);
    expect(r.source_id).toMatch(/^20200105-20210110-\d{4}$/);
    expect(r.qsx).toBe('2020-01-05');
    // Spherical MJ vs PostGIS's ellipsoidal area_m2: well within 1 %.
    expect(Math.abs(r.area_m2 - r.mj) / r.area_m2).toBeLessThan(0.01);
  }
  expect(rows.map((r) => Number(r.holes))).toEqual([0, 1]);
}

describe(`detect-changes → change_patch dataset through the atomic import (${TEST_BACKEND})`, () => {
  it('imports the patches in-process, and a re-run with the same result is a no-op', async () => {
    const imagery = new ImageryService(db, ':memory:');
    const req = { before: { files: pair.before }, after: { files: pair.after } };
    const run = await runChangeDetection(db, imagery, req);
    expect(run.patches).toBe(2);
    expect(run.dataset).toMatchObject({ kind: 'change_patch', features: 2, rejected: 0, srs: 'EPSG:4490' });
    await checkStored(db, 'change-detection 2020-01-05_2021-01-10');
    const again = await runChangeDetection(db, imagery, req);
    expect(again.dataset?.noop).toBe(true);
    await imagery.close();
  });

  it('documents detect-changes and imagery with --help', async () => {
    for (const args of [['detect-changes', '--help'], ['imagery', 'add', '--help'], ['imagery', 'list', '--help']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage: landwatch/);
    }
    expect((await runCli(['detect-changes', '--before', 'a.tif'])).stderr).toMatch(/--after/);
  });

  it('runs as `landwatch detect-changes` with --out and --json, storing the same layer', async () => {
    const env = await createTestProcessEnv();
    try {
      const out = path.join(dir, 'patches.geojson');
      const run = await runCli(['--json', 'detect-changes', '--before', pair.before.join(','), '--after', pair.after.join(','), '--min-area-m2', '500', '--out', out], env.env);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { patches: number; dataset: { features: number; name: string }; threshold: number };
      expect(report.patches).toBe(2);
      expect(report.dataset.features).toBe(2);
      const geojson = JSON.parse(readFileSync(out, 'utf8')) as { features: Array<{ properties: { HSX: string } }> };
      expect(geojson.features).toHaveLength(2);
      expect(geojson.features[0]?.properties.HSX).toBe('2021-01-10');
      const stored = await openDb({ databaseUrl: env.env.DATABASE_URL || undefined, dataDir: env.env.LANDWATCH_DATA_DIR ?? ':memory:' });
      try {
        await checkStored(stored, report.dataset.name);
      } finally {
        await stored.close();
      }
      const bad = await runCli(['--json', 'detect-changes', '--before', pair.before.join(','), '--after', '/nonexistent/x_20210101.tif', '--no-import'], env.env);
      expect(bad.code).not.toBe(0);
      expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('FILE_NOT_FOUND');
    } finally {
      await env.cleanup();
    }
  }, 240_000);
});
