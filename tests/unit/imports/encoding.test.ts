/**
 * Encoding resolution: .cpg labels, LDID byte, detection, overrides — on the derived GBK variants
 * (first value must read 南山区) and the UTF-8 files without .cpg (must not be read as GBK).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseCpg } from '../../../api/src/imports/encoding/cpg.parser.ts';
import { canonicalEncoding, completeLength, createDecoder } from '../../../api/src/imports/encoding/encoding-names.ts';
import { resolveEncoding } from '../../../api/src/imports/encoding/encoding.resolver.ts';
import { encodingForLdid } from '../../../api/src/imports/encoding/ldid.table.ts';
import { Utf8Validator, utf8Verdict } from '../../../api/src/imports/encoding/utf8.validator.ts';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { collect } from './gdal-oracle.helper.ts';
import { corpus, needs } from './corpus.helper.ts';

describe('.cpg labels', () => {
  it('maps the labels seen in the wild', () => {
    const cases: [string, string][] = [
      ['GBK', 'GBK'], ['936', 'GBK'], ['CP936', 'GBK'], ['cp936\r\n', 'GBK'], ['ANSI', 'GBK'], ['GB2312', 'GBK'],
      ['UTF-8', 'UTF-8'], ['UTF8', 'UTF-8'], ['utf-8\n', 'UTF-8'], ['65001', 'UTF-8'], ['\uFEFFUTF-8', 'UTF-8'],
      ['1252', 'windows-1252'], ['ANSI 1252', 'windows-1252'], ['ANSI 1250', 'windows-1250'], ['ISO 88591', 'ISO-8859-1'],
      ['88591', 'ISO-8859-1'], ['GB18030', 'GB18030'], ['950', 'Big5'], ['437', 'CP437'],
    ];
    for (const [label, want] of cases) expect(parseCpg(Buffer.from(label, 'utf8')), label).toMatchObject({ kind: 'ok', encoding: want });
  });

  it('ignores garbage (an HTML page) and unknown labels, saying which', () => {
    const html = Buffer.from('<!DOCTYPE html><html><head><meta charset="utf-8"/><title>x</title></head><body></body></html>'.repeat(3));
    expect(parseCpg(html).kind).toBe('invalid');
    expect(parseCpg(Buffer.from('<html>')).kind).toBe('invalid');
    expect(parseCpg(Buffer.alloc(0)).kind).toBe('invalid');
    expect(parseCpg(Buffer.from('KLINGON-9'))).toMatchObject({ kind: 'unknown', label: 'KLINGON-9' });
  });
});

describe('LDID byte, UTF-8 validation, cut characters', () => {
  it('maps the common language driver ids', () => {
    expect(encodingForLdid(0x4d)).toBe('GBK');
    expect(encodingForLdid(0x7a)).toBe('GBK');
    expect(encodingForLdid(0x4f)).toBe('Big5');
    expect(encodingForLdid(0x03)).toBe('windows-1252');
    expect(encodingForLdid(0xc9)).toBe('windows-1251');
    expect(encodingForLdid(0)).toBeNull();
    expect(encodingForLdid(0x57)).toBeNull(); // "ANSI": no code page named
  });

  it('tells ASCII, UTF-8 and GBK bytes apart; tolerates a character cut at the end of a field', () => {
    const gbk = iconv.encode('南山区', 'gbk');
    const utf8 = Buffer.from('南山区', 'utf8');
    expect(utf8Verdict(Buffer.from('abc'))).toBe('ascii');
    expect(utf8Verdict(utf8)).toBe('utf8');
    expect(utf8Verdict(gbk)).toBe('invalid');
    expect(utf8Verdict(utf8.subarray(0, 8))).toBe('invalid');
    expect(utf8Verdict(utf8.subarray(0, 8), true)).toBe('utf8');
    expect(utf8Verdict(Buffer.from([0xc0, 0x80]))).toBe('invalid'); // overlong
    expect(utf8Verdict(Buffer.from([0xed, 0xa0, 0x80]))).toBe('invalid'); // surrogate
    const v = new Utf8Validator();
    v.add(Buffer.from('ok'));
    v.add(gbk);
    expect(v.verdict).toBe('invalid');
  });

  it('drops a character cut by the field width instead of emitting U+FFFD', () => {
    const utf8 = Buffer.from('黑龙江省', 'utf8').subarray(0, 10); // 3 whole characters + 1 byte
    expect(completeLength(utf8, 'UTF-8')).toBe(9);
    expect(createDecoder('UTF-8')(utf8.subarray(0, completeLength(utf8, 'UTF-8')))).toBe('黑龙江');
    const gbk = iconv.encode('黑龙江省', 'gbk').subarray(0, 7);
    expect(completeLength(gbk, 'GBK')).toBe(6);
    expect(createDecoder('GBK')(gbk.subarray(0, 6))).toBe('黑龙江');
    expect(completeLength(Buffer.from('ab'), 'GBK')).toBe(2);
  });

  it('decodes GBK through TextDecoder and DOS code pages through iconv-lite', () => {
    expect(createDecoder('GBK')(iconv.encode('深圳市南山区', 'gbk'))).toBe('深圳市南山区');
    expect(createDecoder('CP437')(Buffer.from([0x82]))).toBe('é');
    expect(canonicalEncoding('gbk')).toBe('GBK');
    expect(canonicalEncoding('no-such-thing')).toBeNull();
  });
});

describe('resolveEncoding rules', () => {
  const scan = (v: 'ascii' | 'utf8' | 'invalid') => async () => v;
  it('option over everything; unknown option is an error', async () => {
    const r = await resolveEncoding({ file: 'x.dbf', option: 'gbk', cpg: { kind: 'ok', encoding: 'UTF-8', label: 'UTF-8' }, ldid: 0x4d, scan: scan('utf8') });
    expect(r.resolution).toEqual({ name: 'GBK', how: 'option' });
    await expect(resolveEncoding({ file: 'x.dbf', option: 'klingon', scan: scan('ascii') })).rejects.toMatchObject({ code: 'ENCODING_UNSUPPORTED', file: 'x.dbf' });
  });
  it('.cpg claiming UTF-8 over invalid bytes → GBK with a note; LDID next; else detect', async () => {
    const wrong = await resolveEncoding({ file: 'x', cpg: { kind: 'ok', encoding: 'UTF-8', label: 'UTF-8' }, scan: scan('invalid') });
    expect(wrong.resolution).toEqual({ name: 'GBK', how: 'detected' });
    expect(wrong.notes.map((n) => n.code)).toContain('CPG_WRONG_UTF8');
    expect((await resolveEncoding({ file: 'x', ldid: 0x4d, scan: scan('invalid') })).resolution).toEqual({ name: 'GBK', how: 'ldid' });
    expect((await resolveEncoding({ file: 'x', scan: scan('utf8') })).resolution).toEqual({ name: 'UTF-8', how: 'detected' });
    expect((await resolveEncoding({ file: 'x', scan: scan('invalid') })).resolution).toEqual({ name: 'GBK', how: 'detected' });
    expect((await resolveEncoding({ file: 'x', ldid: 0x57, scan: scan('utf8') })).resolution).toEqual({ name: 'UTF-8', how: 'detected' });
    const suspicious = await resolveEncoding({ file: 'x', cpg: { kind: 'ok', encoding: 'GBK', label: 'GBK' }, scan: scan('utf8') });
    expect(suspicious.resolution.how).toBe('cpg');
    expect(suspicious.notes.map((n) => n.code)).toContain('ENCODING_SUSPICIOUS');
  });
});

describe('encoding on the China admin corpora', () => {
  const env = needs({ corpus: ['china-admin'] });
  const expected: Record<string, { how: string; note: string }> = {
    'cpg-936': { how: 'cpg', note: 'ENCODING_FROM_CPG' },
    'cpg-ANSI': { how: 'cpg', note: 'ENCODING_FROM_CPG' },
    'cpg-CP936': { how: 'cpg', note: 'ENCODING_FROM_CPG' },
    'cpg-GBK': { how: 'cpg', note: 'ENCODING_FROM_CPG' },
    'cpg-UTF8-WRONG': { how: 'detected', note: 'CPG_WRONG_UTF8' },
    ldid77_nocpg: { how: 'ldid', note: 'ENCODING_FROM_LDID' },
    nocpg_ldid0: { how: 'detected', note: 'ENCODING_DETECTED' },
  };

  it.skipIf(env.skip)('reads 南山区 first in every derived GBK variant, saying how it decided', async () => {
    env.check();
    const dir = corpus('china-admin', 'derived-encodings');
    const shps = readdirSync(dir).filter((f) => f.endsWith('.shp'));
    expect(shps).toHaveLength(7);
    for (const shp of shps) {
      const variant = /gbk_(.*)\.shp$/.exec(shp)?.[1] ?? '';
      const [layer] = await openSource(path.join(dir, shp));
      expect(layer?.encoding, shp).toEqual({ name: 'GBK', how: expected[variant]?.how });
      expect(layer?.notes.map((n) => n.code), shp).toContain(expected[variant]?.note);
      const features = await collect(layer!);
      expect(features[0]?.properties.name, shp).toBe('南山区');
      expect(features[0]?.properties.ctname, shp).toBe('深圳市');
    }
  });

  it.skipIf(env.skip)('does not call the UTF-8 DBFs without .cpg GBK (admin-2020)', async () => {
    env.check();
    const files = ['city-districts/深圳市.shp', 'city-districts/杭州市.shp', 'province-cities/北京市.shp', 'province-cities/浙江省.shp'];
    for (const file of files) {
      const [layer] = await openSource(corpus('china-admin', 'admin-2020', file));
      expect(layer?.encoding, file).toEqual({ name: 'UTF-8', how: 'detected' });
      const features = await collect(layer!);
      const names = features.map((f) => String(f.properties.name));
      expect(names.every((n) => /^[\u4e00-\u9fff]+$/.test(n)), names.join(',')).toBe(true);
    }
  });

  it.skipIf(env.skip)('--encoding overrides a correct .cpg (and then reads mojibake, as asked)', async () => {
    env.check();
    const [layer] = await openSource(corpus('china-admin', 'derived-encodings', 'shenzhen_gk38_gbk_cpg-GBK.shp'), { encoding: 'utf-8' });
    expect(layer?.encoding).toEqual({ name: 'UTF-8', how: 'option' });
    const [first] = await collect(layer!);
    expect(first?.properties.name).not.toBe('南山区');
  });
});
