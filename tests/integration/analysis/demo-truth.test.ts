/**
 * The demo district (data/demo, imported the way `landwatch demo` does) analysed with the default
 * ruleset reproduces data/demo/truth.json exactly: the same suspects, rules, areas (±1 % or ±0.5 m²),
 * severities, villages and new/stock, and nothing for any other subject.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis, type AnalysisRunResult } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { importFile } from '../../../api/src/imports/import.service.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';
import { PROJECT_ROOT } from '../../helpers/test-env.ts';

const DEMO = path.join(PROJECT_ROOT, 'data/demo');

interface TruthCase {
  id: string;
  subject: { kind: string; id: string };
  isNew: boolean;
  village: { code: string } | null;
  severity: string | null;
  findings: Array<{ rule: string; overlapM2: number; band: string }>;
}
interface Truth {
  cases: TruthCase[];
  areas: { toleranceRelative: number; toleranceAbsoluteM2: number };
}

const truth = JSON.parse(readFileSync(path.join(DEMO, 'truth.json'), 'utf8')) as Truth;
const manifest = JSON.parse(readFileSync(path.join(DEMO, 'demo-manifest.json'), 'utf8')) as {
  datasets: Array<{ file: string; kind: string; name: string; idField?: string; layer?: string; widthField?: string; epoch?: string }>;
};

interface Actual {
  source_id: string;
  subject_kind: string;
  is_new: boolean;
  severity: string;
  district_code: string | null;
  findings: Array<{ rule: string; overlap_m2: number; severity: string }>;
}

let db: Db;
let run: AnalysisRunResult;
let actual: Map<string, Actual>;

beforeAll(async () => {
  db = await createTestDb();
  for (const d of manifest.datasets) {
    await importFile(db, path.join(DEMO, d.file), { kind: d.kind, name: d.name, idField: d.idField, layer: d.layer, widthField: d.widthField, epoch: d.epoch });
  }
  run = await runAnalysis(db, { mode: 'full' });
  const { rows } = await db.query<Actual>(
    `SELECT su.source_id, su.subject_kind, su.is_new, su.severity, su.district_code,
            (SELECT json_agg(json_build_object('rule', f.rule, 'overlap_m2', f.overlap_m2, 'severity', f.severity) ORDER BY f.rule)
             FROM finding f WHERE f.suspect_id = su.id) AS findings
     FROM suspect su WHERE su.active`,
  );
  actual = new Map(rows.map((r) => [`${r.subject_kind}:${r.source_id}`, r]));
}, 600_000);
afterAll(async () => {
  await db?.close();
});

describe(`demo district on ${TEST_BACKEND}`, () => {
  it('compares the latest epoch with the baseline', () => {
    expect(run.latestEpoch).toBe('2025-06-30');
    expect(run.baselineEpoch).toBe('2023-06-30');
  });

  it('flags exactly the planted cases, and nothing else', () => {
    const expected = truth.cases.filter((c) => c.findings.length > 0).map((c) => `${c.subject.kind}:${c.subject.id}`);
    expect([...actual.keys()].sort()).toEqual(expected.sort());
  });

  for (const c of truth.cases) {
    it(`${c.id}`, () => {
      const got = actual.get(`${c.subject.kind}:${c.subject.id}`);
      if (c.findings.length === 0) {
        expect(got, `${c.id} must not be flagged`).toBeUndefined();
        return;
      }
      expect(got, `${c.id} must be flagged`).toBeDefined();
      const a = got as Actual;
      expect(a.findings.map((f) => f.rule).sort(), c.id).toEqual(c.findings.map((f) => f.rule).sort());
      for (const e of c.findings) {
        const f = a.findings.find((x) => x.rule === e.rule);
        const tol = Math.max(truth.areas.toleranceAbsoluteM2, e.overlapM2 * truth.areas.toleranceRelative);
        expect(Math.abs((f?.overlap_m2 ?? 0) - e.overlapM2), `${c.id} ${e.rule}: ${f?.overlap_m2} vs ${e.overlapM2}`).toBeLessThanOrEqual(tol);
        expect(f?.severity, `${c.id} ${e.rule} band`).toBe(e.band);
      }
      expect(a.severity, `${c.id} severity`).toBe(c.severity);
      expect(a.is_new, `${c.id} new/stock`).toBe(c.isNew);
      expect(a.district_code, `${c.id} village`).toBe(c.village?.code);
    });
  }
});
