/**
 * PGlite and native PostGIS give the same suspects and findings for the same town. Runs in the
 * PostGIS pass (DATABASE_URL set), opening an embedded database beside it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { migrate } from '../../../api/src/db/migrate.ts';
import { openPgliteDb } from '../../../api/src/db/pglite.backend.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { loadTown, makeTown, snapshot } from './scenario.ts';

const onPostgis = Boolean(process.env.DATABASE_URL);
let postgis: Db;
let pglite: Db;

beforeAll(async () => {
  if (!onPostgis) return;
  postgis = await createTestDb();
  // The PGlite pass leaves a migrated snapshot behind (global-setup); a fresh migrate takes much longer.
  const template = path.join(os.tmpdir(), 'landwatch-test', `pglite-template-${process.env.LANDWATCH_TEST_SCHEMA_HASH}.tar`);
  pglite = existsSync(template) ? await openPgliteDb({ loadDataDir: new Blob([await readFile(template)]) }) : await openPgliteDb();
  await migrate(pglite);
  for (const db of [postgis, pglite]) {
    await loadTown(db, makeTown(3, 200));
    await runAnalysis(db, { mode: 'full' });
  }
}, 300_000);
afterAll(async () => {
  await postgis?.close();
  await pglite?.close();
});

/**
 * How close numbers must be. PGlite snaps overlays to a 1e-9° grid (≤ 0.05 mm; see overlayGridSize),
 * PostGIS does not: areas may differ by ~1e-5 relative, coordinates by a grid step, plus the snapshot's
 * rounding (0.001 m², 1e-8°).
 */
const TOLERANCE: Record<string, (v: number) => number> = {
  area_m2: (v) => Math.abs(v) * 2e-5 + 0.002,
  overlap_m2: (v) => Math.abs(v) * 2e-5 + 0.002,
  share: () => 2e-5,
  xmin: () => 2e-8,
  ymax: () => 2e-8,
};

function split(rows: unknown[]): { exact: unknown[]; numbers: Array<{ key: string; v: number }> } {
  const numbers: Array<{ key: string; v: number }> = [];
  const exact = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row as Record<string, unknown>).map(([k, v]) => {
        if (k in TOLERANCE) {
          numbers.push({ key: k, v: Number(v) });
          return [k, '#'];
        }
        return [k, v];
      }),
    ),
  );
  return { exact, numbers };
}

// vitest.config.ts includes this file only in the PostGIS pass (it needs both backends); CI runs both.
describe('PGlite and PostGIS agree', () => {
  it('on every suspect and finding of a town', async () => {
    const a = await snapshot(postgis, false);
    const b = await snapshot(pglite, false);
    expect(a.suspects.length).toBeGreaterThan(30);
    for (const part of ['suspects', 'findings'] as const) {
      const x = split(a[part]);
      const y = split(b[part]);
      expect(x.exact).toEqual(y.exact);
      x.numbers.forEach(({ key, v }, i) => {
        const other = y.numbers[i]?.v as number;
        expect(Math.abs(v - other), `${part} ${key}: ${v} vs ${other}`).toBeLessThanOrEqual((TOLERANCE[key] as (n: number) => number)(v));
      });
    }
  });
});
