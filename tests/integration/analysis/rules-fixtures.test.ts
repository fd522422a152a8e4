/**
 * Golden fixtures per rule and edge case (tests/fixtures/rules/<rule>/<case>.json): input layers in
 * EPSG:4490 (or a GK zone) + the findings expected, written by hand from each case's metre layout.
 * The set of (rule, subject) pairs must match exactly; areas within the tolerance (default 0.1 %).
 * `UPDATE=1` rewrites the expected overlapM2 values with the measured ones — never which findings exist.
 * Runs on PGlite, and on PostGIS when DATABASE_URL is set.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { PROJECT_ROOT } from '../../helpers/test-env.ts';
import { insertLayer, resetDatabase, type LayerInput } from './scene-loader.ts';

const FIXTURES = path.join(PROJECT_ROOT, 'tests/fixtures/rules');
const UPDATE = process.env.UPDATE === '1';

interface ExpectedFinding {
  rule: string;
  subject: string;
  overlapM2: number;
  tolerancePct?: number;
  share?: number;
  matched?: string[];
}

interface Fixture {
  description: string;
  layout: string;
  rules?: string[];
  layers: LayerInput[];
  expected: ExpectedFinding[];
  suspects?: Array<{ subject: string; isNew?: boolean; severity?: string; disposition?: string }>;
  notes?: string[];
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(path.join(FIXTURES, d.name))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ rule: d.name.toUpperCase(), name: f.replace(/\.json$/, ''), file: path.join(FIXTURES, d.name, f) })),
  );

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe(`rule fixtures on ${TEST_BACKEND}`, () => {
  it('has a fixture folder for every rule', () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(
      new Set(['FARMLAND', 'CULTIVATED', 'ECO_REDLINE', 'PASSAGE', 'ZONE_USE', 'REBUILD', 'OUTSIDE_BOUNDARY', 'NO_PERMIT', 'EXPANSION']),
    );
  });

  for (const c of cases) {
    it(`${c.rule} / ${c.name}`, async () => {
      const fx = JSON.parse(readFileSync(c.file, 'utf8')) as Fixture;
      await resetDatabase(db);
      for (const layer of fx.layers) await insertLayer(db, layer);
      const result = await runAnalysis(db, { mode: 'full' });
      const rules = fx.rules ?? [c.rule];
      const { rows } = await db.query<{ rule: string; subject: string; overlap_m2: number; share: number; matched: Array<{ sourceId: string }> }>(
        `SELECT f.rule, s.source_id AS subject, f.overlap_m2, f.share, f.matched
         FROM finding f JOIN subject s ON s.id = f.subject_id JOIN suspect su ON su.id = f.suspect_id
         WHERE su.active AND f.rule = ANY($1) ORDER BY f.rule, s.source_id`,
        [rules],
      );
      const key = (r: { rule: string; subject: string }) => `${r.rule}:${r.subject}`;
      expect(rows.map(key).sort(), `${fx.description}\n${fx.layout}`).toEqual(fx.expected.map(key).sort());

      let changed = false;
      for (const e of fx.expected) {
        const actual = rows.find((r) => key(r) === key(e));
        if (!actual) continue;
        if (UPDATE && Math.abs(actual.overlap_m2 - e.overlapM2) > 1e-6) {
          e.overlapM2 = Math.round(actual.overlap_m2 * 1e4) / 1e4;
          changed = true;
        }
        const tol = (e.overlapM2 * (e.tolerancePct ?? 0.1)) / 100;
        expect(Math.abs(actual.overlap_m2 - e.overlapM2), `${key(e)}: ${actual.overlap_m2} m² vs ${e.overlapM2} m²`).toBeLessThanOrEqual(tol);
        if (e.share !== undefined) expect(actual.share, `${key(e)} share`).toBeCloseTo(e.share, 3);
        if (e.matched) expect(actual.matched.map((m) => m.sourceId).sort(), `${key(e)} matched`).toEqual([...e.matched].sort());
      }
      if (changed) {
        // Same layout as the authored files: one coordinate pair per line.
        const text = JSON.stringify(fx, null, 1).replace(/\[\s+(-?[\d.e-]+),\s+(-?[\d.e-]+)\s+\]/g, '[$1, $2]');
        writeFileSync(c.file, `${text}\n`);
      }

      for (const s of fx.suspects ?? []) {
        const { rows: sus } = await db.query<{ is_new: boolean; severity: string; disposition: string }>(
          'SELECT su.is_new, su.severity, su.disposition FROM suspect su JOIN subject s ON s.id = su.subject_id WHERE s.source_id = $1 AND su.active',
          [s.subject],
        );
        expect(sus, `suspect of ${s.subject}`).toHaveLength(1);
        const got = sus[0] as { is_new: boolean; severity: string; disposition: string };
        if (s.isNew !== undefined) expect(got.is_new, `${s.subject} isNew`).toBe(s.isNew);
        if (s.severity) expect(got.severity, `${s.subject} severity`).toBe(s.severity);
        if (s.disposition) expect(got.disposition, `${s.subject} disposition`).toBe(s.disposition);
      }
      for (const n of fx.notes ?? []) expect(result.notes.map((x) => x.code)).toContain(n);
    });
  }
});
