import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, rfc5987Encode } from '../../../api/src/exports/content-disposition.ts';
import { columnMappingMarkdown, dbfFields, EXPORT_COLUMNS, geojsonProperties } from '../../../api/src/exports/export-columns.ts';
import { beijingDateStamp, beijingTime, roundTo, toExportRecord } from '../../../api/src/exports/export-record.mapper.ts';
import type { ExportRow, LedgerRow } from '../../../api/src/exports/exports.types.ts';
import { rollUpToTownships, totalOf } from '../../../api/src/exports/ledger-rollup.ts';
import { csvField } from '../../../api/src/exports/writers/csv.writer.ts';
import { createGeojsonWriter } from '../../../api/src/exports/writers/geojson.writer.ts';
import { cdata, kmlGeometry, xmlEscape } from '../../../api/src/exports/writers/kml.writer.ts';
import { encodeText } from '../../../api/src/shared/shapefile/dbf.encoder.ts';
import { PROJECT_ROOT } from '../../helpers/test-env.ts';

const row: ExportRow = {
  id: 7,
  source_id: 'JZ-7',
  district_code: '440999101001',
  district_name: '东湖社区',
  district_level: 'village',
  county_name: '临江区',
  township_name: '东湖街道',
  village_name: '东湖社区',
  lon: 114.00107214,
  lat: 22.90094812,
  subject_kind: 'building',
  epoch: '2025-06-30',
  is_new: true,
  area_m2: 1000,
  farmland_m2: 666.6666667,
  cultivated_m2: 0,
  passage_m2: 0,
  redline_m2: 0,
  rules: ['FARMLAND', 'NO_PERMIT'],
  severity: 'serious',
  disposition: 'DEMOLISH_RESTORE',
  status: 'in_progress',
  ruleset_version: '2025.1',
  analysed_at: new Date('2025-11-27T17:30:00Z'),
  geometry: '{"type":"MultiPolygon","coordinates":[[[[114,22.9],[114.1,22.9],[114.1,23],[114,22.9]],[[114.01,22.91],[114.02,22.92],[114.02,22.91],[114.01,22.91]]]]}',
};

describe('column mapping', () => {
  it('has unique keys, headers and DBF names of at most 10 bytes in UTF-8 and GBK', () => {
    for (const key of ['key', 'zh'] as const) expect(new Set(EXPORT_COLUMNS.map((c) => c[key])).size).toBe(EXPORT_COLUMNS.length);
    expect(new Set(dbfFields().map((f) => f.name.toUpperCase())).size).toBe(EXPORT_COLUMNS.length);
    for (const f of dbfFields()) {
      expect(encodeText(f.name, 'utf-8').length).toBeLessThanOrEqual(10);
      expect(encodeText(f.name, 'gbk').length).toBeLessThanOrEqual(10);
    }
  });

  it('renders the README table with every column, and the README carries the current table', () => {
    const md = columnMappingMarkdown();
    for (const c of EXPORT_COLUMNS) expect(md).toContain(`\`${c.dbf.name}\``);
    expect(md.split('\n')).toHaveLength(EXPORT_COLUMNS.length + 2);
    // The README's column mapping must match the code.
    const docs = [path.join(PROJECT_ROOT, 'README.md')].filter(existsSync).map((f) => readFileSync(f, 'utf8'));
    expect(docs.some((d) => d.includes(md)), 'README column mapping is out of date: paste columnMappingMarkdown()').toBe(true);
  });

  it('documents exactly the GeoJSON properties the writer emits', () => {
    const documented = EXPORT_COLUMNS.flatMap((c) => c.geojson ?? [c.key]).sort();
    expect(Object.keys(geojsonProperties(toExportRecord(row))).sort()).toEqual(documented);
  });
});

describe('records', () => {
  it('resolves Chinese names, 亩 and Beijing time', () => {
    const r = toExportRecord(row);
    expect(r.ruleNamesText).toBe('占用永久基本农田、未批先建');
    expect(r.rulesText).toBe('FARMLAND,NO_PERMIT');
    expect(r.severityName).toBe('情节严重');
    expect(r.statusName).toBe('处置中');
    expect(r.subjectKindName).toBe('建筑物');
    expect(r.newOrStock).toBe('新增');
    expect(r.areaMu).toBeCloseTo(1.5, 10);
    expect(r.farmlandMu).toBeCloseTo(1, 6);
    expect(r.analysedAt).toBe('2025-11-28 01:30:00'); // the next day in Beijing
    expect(r.dispositionText).toMatch(/^限期拆除/);
  });

  it('rounds half away from zero and stamps dates in Beijing', () => {
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(-0.125, 2)).toBe(-0.13);
    expect(roundTo(-0.001, 2)).toBe(0);
    expect(beijingTime(null)).toBeNull();
    expect(beijingDateStamp(new Date('2026-11-26T16:00:00Z'))).toBe('20261127');
  });
});

describe('CSV fields', () => {
  it('quotes per RFC 4180 and neutralises formulas in text', () => {
    expect(csvField('a,b', true)).toBe('"a,b"');
    expect(csvField('say "hi"', true)).toBe('"say ""hi"""');
    expect(csvField('line\nbreak', true)).toBe('"line\nbreak"');
    expect(csvField('=1+1', true)).toBe("'=1+1");
    expect(csvField('@SUM(A1)', true)).toBe("'@SUM(A1)");
    expect(csvField('-2+3', true)).toBe("'-2+3");
    expect(csvField('-12.5', true)).toBe('-12.5');
    expect(csvField('-12.5', false)).toBe('-12.5');
    expect(csvField('东湖社区', true)).toBe('东湖社区');
  });
});

describe('KML', () => {
  it('escapes XML, strips forbidden characters and keeps CDATA closed', () => {
    expect(xmlEscape('a<b>&"\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
    expect(cdata('x]]>y')).toBe('<![CDATA[x]]]]><![CDATA[>y]]>');
  });

  it('writes polygons with holes as lon,lat coordinate lists', () => {
    const k = kmlGeometry(row.geometry);
    expect(k).toMatch(/^<MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>114,22.9 114.1,22.9 /);
    expect(k).toContain('<innerBoundaryIs>');
    expect(kmlGeometry(null)).toBe('');
  });
});

describe('GeoJSON writer', () => {
  it('writes an empty collection and a single feature as valid JSON', async () => {
    const collect = async (rows: ExportRow[]) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const w = createGeojsonWriter(out);
      await w.write([]);
      await w.write(rows.map(toExportRecord));
      await w.finish();
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { features: Array<{ id: number; properties: Record<string, unknown> }> };
    };
    expect((await collect([])).features).toEqual([]);
    const one = await collect([row]);
    expect(one.features[0]?.id).toBe(7);
    expect(one.features[0]?.properties).toMatchObject({ analysedAt: '2025-11-28T01:30:00+08:00', farmlandMu: 1, rules: ['FARMLAND', 'NO_PERMIT'] });
  });
});

describe('ledger roll-up', () => {
  const leaf = (code: string | null, total: number, extra: Partial<LedgerRow> = {}): LedgerRow => ({
    districtCode: code, districtName: null, districtLevel: 'village', countyName: '临江区', townshipName: code ? '东湖街道' : null, villageName: null,
    total, newCount: total, stockCount: 0, areaM2: 100 * total, light: total, general: 0, serious: 0, byRule: { FARMLAND: { count: total, areaM2: 10 * total } }, ...extra,
  });

  it('groups villages by township, puts no-district last, labels county-level rows, and totals', () => {
    const rows = rollUpToTownships([leaf('440999000000', 1), leaf('440999101001', 2), leaf('440999101002', 3), leaf(null, 4)]);
    expect(rows.map((r) => [r.districtCode, r.townshipName, r.total, r.units])).toEqual([
      ['440999000000', '（区县本级）', 1, 1],
      ['440999101000', '东湖街道', 5, 2],
      [null, '未落入行政区', 4, 1],
    ]);
    const t = totalOf(rows);
    expect(t.total).toBe(10);
    expect(t.byRule.FARMLAND).toEqual({ count: 10, areaM2: 100 });
  });
});

describe('Content-Disposition', () => {
  it('carries the Chinese name as RFC 5987 filename* and an ASCII fallback', () => {
    const header = attachmentDisposition('两违图斑_440999101_20261127.xlsx', 'suspects_440999101_20261127.xlsx');
    expect(header).toBe(`attachment; filename="suspects_440999101_20261127.xlsx"; filename*=UTF-8''${encodeURIComponent('两违图斑_440999101_20261127.xlsx')}`);
    expect(rfc5987Encode("a'(b)*")).toBe('a%27%28b%29%2A');
    expect(attachmentDisposition('x', 'a"b\\c').split(';')[1]).toBe(' filename="a_b_c"');
  });
});
