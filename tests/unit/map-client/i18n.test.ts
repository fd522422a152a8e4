import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CODES, SEVERITIES } from '../../../api/src/analysis/rule-catalog.ts';
import { STATUSES } from '../../../api/src/tiles/tile-filters.ts';
import { TILE_LAYERS } from '../../../api/src/tiles/tile-layers.ts';
import { flattenMessages, MESSAGES, t } from '../../../map-client/src/i18n/i18n.ts';
import { SORT_KEYS } from '../../../map-client/src/state/url-state.ts';
import { PROJECT_ROOT } from '../../helpers/test-env.ts';

const zh = flattenMessages(MESSAGES['zh-CN']);
const en = flattenMessages(MESSAGES.en);
const CLIENT = path.join(PROJECT_ROOT, 'map-client');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|html)$/.test(name) ? [p] : [];
  });
}

describe('translations (map-client/src/i18n)', () => {
  it('zh-CN and en have exactly the same keys, none empty', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [k, v] of [...zh, ...en]) expect(v.trim(), k).not.toBe('');
  });

  it('use the same {placeholders} in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of zh) expect(names(en.get(k) ?? ''), k).toEqual(names(v));
  });

  it('hold every key the code and the page use literally', () => {
    const used = new Set<string>();
    for (const file of sources(CLIENT)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([a-zA-Z0-9_.]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/label: '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('name every rule, severity, status, layer, district level and sort order', () => {
    const needed = [
      ...RULE_CODES.map((r) => `rule.${r}`),
      ...SEVERITIES.map((s) => `severity.${s}`),
      ...STATUSES.map((s) => `status.${s}`),
      ...TILE_LAYERS.map((l) => `layers.${l}`),
      ...['county', 'township', 'village'].map((l) => `filters.${l}`),
      ...SORT_KEYS.map((s) => `sort.${s}`),
      ...['suspect', 'district', 'feature', 'subject'].map((s) => `search.type.${s}`),
      'subjectKind.building',
      'subjectKind.change_patch',
    ];
    expect(needed.filter((k) => !zh.has(k))).toEqual([]);
  });

  it('fills placeholders and falls back to zh-CN, then to the key', () => {
    expect(t('list.count', { total: 12 }, 'zh-CN')).toBe('共 12 个疑似图斑');
    expect(t('list.count', { total: 12 }, 'en')).toBe('12 suspects');
    expect(t('no.such.key', {}, 'en')).toBe('no.such.key');
    expect(t('app.title', {}, 'zh-CN')).toBe('土地卫士');
  });
});
