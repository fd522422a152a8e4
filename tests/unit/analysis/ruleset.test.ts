import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOG, RULE_CODES, RUN_NOTES, ruleNames, toMu } from '../../../api/src/analysis/rule-catalog.ts';
import { DEFAULT_RULESET_PATH, loadRuleset, parseRuleset, RulesetError } from '../../../api/src/analysis/ruleset.schema.ts';

const raw = JSON.parse(readFileSync(DEFAULT_RULESET_PATH, 'utf8')) as Record<string, unknown> & { rules: Record<string, Record<string, unknown>> };
const clone = () => JSON.parse(JSON.stringify(raw)) as typeof raw;

describe('default ruleset', () => {
  it('validates and carries the agreed thresholds', async () => {
    const r = await loadRuleset();
    expect(r.version).toBe('2025.1');
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.rule('FARMLAND')).toEqual({ enabled: true, minOverlapM2: 5, minShare: 0.02, bands: { generalMu: 5, seriousMu: 10 } });
    expect(r.rule('CULTIVATED').bands).toEqual({ generalMu: 10, seriousMu: 20 });
    expect(r.rule('NO_PERMIT').bands).toEqual({ generalMu: 20, seriousMu: 40 });
    expect(r.file.rules.ZONE_USE.forbiddenCodes).toEqual(['01', '03', '14', '17']);
    expect(r.file.rules.CULTIVATED.codes).toEqual(['0101', '0102', '0103']);
    expect(r.file.buildingMatch.minOverlapRatio).toBe(0.5);
    expect(r.file.expansion).toEqual({ minGrowthShare: 0.3, minGrowthM2: 50 });
    expect([...r.file.disposition.demolishRules].sort()).toEqual(['ECO_REDLINE', 'FARMLAND', 'OUTSIDE_BOUNDARY', 'ZONE_USE']);
  });

  it('has one entry per rule of the catalogue', () => {
    expect(Object.keys(raw.rules).sort()).toEqual([...RULE_CODES].sort());
  });
});

describe('ruleset validation', () => {
  it('names every bad field', () => {
    const bad = clone();
    (bad.defaults as Record<string, unknown>).minShare = 2;
    (bad.rules.FARMLAND as Record<string, unknown>).severityBands = 'nowhere';
    (bad.rules.ZONE_USE as Record<string, unknown>).forbiddenCodes = ['0%'];
    try {
      parseRuleset(bad, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RulesetError);
      const fields = (error as RulesetError).problems.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['defaults.minShare', 'rules.FARMLAND.severityBands', 'rules.ZONE_USE.forbiddenCodes.0']));
    }
  });

  it('rejects unknown keys and a missing rule', () => {
    const extra = clone();
    (extra.rules.FARMLAND as Record<string, unknown>).minOverlap = 3;
    expect(() => parseRuleset(extra)).toThrow(/minOverlap/);
    const missing = clone();
    delete missing.rules.EXPANSION;
    expect(() => parseRuleset(missing)).toThrow(/rules\.EXPANSION/);
  });

  it('hashes content, not formatting or key order', () => {
    const a = parseRuleset(raw);
    const reordered = Object.fromEntries(Object.entries(clone()).reverse());
    expect(parseRuleset(reordered).hash).toBe(a.hash);
    const changed = clone();
    (changed.defaults as Record<string, unknown>).minOverlapM2 = 6;
    expect(parseRuleset(changed).hash).not.toBe(a.hash);
  });

  it('reports an unreadable file as a ruleset error', async () => {
    await expect(loadRuleset('/nonexistent/ruleset.json')).rejects.toBeInstanceOf(RulesetError);
  });
});

describe('rule catalogue', () => {
  it('names every rule and note in Chinese and English', () => {
    for (const code of RULE_CODES) {
      expect(RULE_CATALOG[code].code).toBe(code);
      expect(RULE_CATALOG[code].name.zh).toMatch(/\p{Script=Han}/u);
      expect(RULE_CATALOG[code].name.en).toMatch(/^[A-Z]/);
    }
    for (const n of Object.values(RUN_NOTES)) expect(n.zh && n.en).toBeTruthy();
    expect(ruleNames(['FARMLAND', 'NO_PERMIT']).zh).toEqual(['占用永久基本农田', '未批先建']);
  });

  it('converts m² to 亩 (1 亩 = 10000/15 m²)', () => {
    expect(toMu(10000 / 15)).toBeCloseTo(1, 12);
    expect(toMu(3333.35)).toBeCloseTo(5.000025, 6);
  });
});
