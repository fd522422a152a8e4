/**
 * Acceptance: the demo district, imported through the real importer and analysed with the default
 * ruleset, yields exactly the suspects that data/demo/truth.json lists (written by the generator's
 * independent reference evaluation), with their rules, areas, severity and village.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../api/src/analysis/analysis.service.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { DEMO_DIR, loadDemo } from '../../../api/src/demo/demo.service.ts';
import { createLogger } from '../../../api/src/logger.ts';
import { createTestDb } from '../../helpers/test-db.ts';

interface TruthCase {
  id: string;
  subject: { kind: 'building' | 'change_patch'; id: string };
  isNew: boolean;
  severity: string | null;
  village: { code: string } | null;
  findings: Array<{ rule: string; overlapM2: number; band: string }>;
}
const truth = JSON.parse(readFileSync(path.join(DEMO_DIR, 'truth.json'), 'utf8')) as {
  cases: TruthCase[];
  areas: { toleranceRelative: number; toleranceAbsoluteM2: number };
};

interface SuspectRow {
  id: number;
  subject_kind: string;
  source_id: string;
  rules: string[];
  severity: string;
  district_code: string;
  is_new: boolean;
}

let db: Db;
let suspects: SuspectRow[];
let findings: Array<{ suspect_id: number; rule: string; overlap_m2: number; severity: string }>;

beforeAll(async () => {
  db = await createTestDb();
  await loadDemo(db, createLogger('silent'), { analyse: (d) => runAnalysis(d, { mode: 'full' }) });
  suspects = (await db.query<SuspectRow>('SELECT id, subject_kind, source_id, rules, severity, district_code, is_new FROM suspect WHERE active')).rows;
  findings = (await db.query<{ suspect_id: number; rule: string; overlap_m2: number; severity: string }>(
    'SELECT f.suspect_id, f.rule, f.overlap_m2, f.severity FROM finding f JOIN suspect s ON s.id = f.suspect_id JOIN analysis_run r ON r.id = f.run_id WHERE s.active AND r.id = (SELECT max(id) FROM analysis_run WHERE status = $1)',
    ['succeeded'],
  )).rows;
}, 600_000);
afterAll(async () => {
  await db?.close();
});

const flagged = truth.cases.filter((c) => c.findings.length > 0);
const silent = truth.cases.filter((c) => c.findings.length === 0);

describe('demo district against its ground truth', () => {
  it('flags exactly the planted suspects, no more', () => {
    const expected = flagged.map((c) => `${c.subject.kind}:${c.subject.id}`).sort();
    const actual = suspects.map((s) => `${s.subject_kind}:${s.source_id}`).sort();
    expect(actual).toEqual(expected);
  });

  it.each(flagged.map((c) => [c.id, c] as const))('%s: rules, areas, severity, village', (_id, c) => {
    const s = suspects.find((x) => x.subject_kind === c.subject.kind && x.source_id === c.subject.id);
    expect(s, `suspect for ${c.subject.id}`).toBeDefined();
    if (!s) return;
    expect([...s.rules].sort()).toEqual(c.findings.map((f) => f.rule).sort());
    expect(s.severity).toBe(c.severity);
    expect(s.is_new).toBe(c.isNew);
    if (c.village) expect(s.district_code).toBe(c.village.code);
    for (const f of c.findings) {
      const got = findings.find((x) => x.suspect_id === s.id && x.rule === f.rule);
      expect(got, `${c.id} ${f.rule}`).toBeDefined();
      const tolerance = Math.max(truth.areas.toleranceAbsoluteM2, f.overlapM2 * truth.areas.toleranceRelative);
      expect(Math.abs((got?.overlap_m2 ?? 0) - f.overlapM2), `${c.id} ${f.rule} overlap m²`).toBeLessThanOrEqual(tolerance);
      expect(got?.severity, `${c.id} ${f.rule} severity band`).toBe(f.band);
    }
  });

  it.each(silent.map((c) => [c.id, c] as const))('%s stays silent', (_id, c) => {
    expect(suspects.find((x) => x.subject_kind === c.subject.kind && x.source_id === c.subject.id)).toBeUndefined();
  });
});
