import { describe, expect, it } from 'vitest';
import { ExportError } from '../../../api/src/exports/export-messages.ts';
import { DEFAULT_STATUSES, exportQuerySchema, normaliseDistrictCode, parseExportSrs, toExportRequest } from '../../../api/src/exports/export-request.ts';

const request = (q: Record<string, unknown>) => toExportRequest(exportQuerySchema.parse(q));

describe('normaliseDistrictCode', () => {
  it.each([
    ['440999101001', '440999101001'],
    ['440999101000', '440999101'],
    ['440999000000', '440999'],
    ['440900000000', '4409'],
    ['440000000000', '44'],
    ['440999101', '440999101'],
    ['440999000', '440999'],
    ['440999', '440999'],
    ['440900', '4409'],
    ['4409', '4409'],
    ['44', '44'],
  ])('%s → %s', (code, prefix) => {
    expect(normaliseDistrictCode(code)).toBe(prefix);
  });

  it.each(['4', '440', '44099', '4409991', '44099910', '4409991010', '44099910100', '4409991010011', '000000000000', '44x999'])('refuses %s', (code) => {
    expect(() => normaliseDistrictCode(code)).toThrow(ExportError);
  });
});

describe('parseExportSrs', () => {
  it('accepts CGCS2000 lon/lat and every 3° GK zone, with or without the EPSG: prefix', () => {
    expect(parseExportSrs(undefined)).toBe(4490);
    expect(parseExportSrs('EPSG:4490')).toBe(4490);
    expect(parseExportSrs('epsg:4513')).toBe(4513);
    expect(parseExportSrs('4554')).toBe(4554);
  });

  it.each(['EPSG:4326', 'EPSG:3857', 'EPSG:4512', 'EPSG:4555', 'EPSG:2383'])('refuses %s', (srs) => {
    expect(() => parseExportSrs(srs)).toThrow(/EPSG:4513–4554/);
  });
});

describe('export query', () => {
  it('defaults to active, not-dismissed suspects of every district, village-level split, UTF-8, EPSG:4490', () => {
    const r = request({ format: 'xlsx' });
    expect(r).toMatchObject({ format: 'xlsx', byDistrict: false, level: 'village', srid: 4490, encoding: 'utf-8' });
    expect(r.filter).toMatchObject({ active: true, statuses: [...DEFAULT_STATUSES], districtPrefix: undefined });
    expect(DEFAULT_STATUSES).not.toContain('dismissed');
  });

  it('splits lists given as a,b or repeated, and maps every filter', () => {
    const r = request({ format: 'shp', district: '440999101000', rule: ['FARMLAND,CULTIVATED', 'PASSAGE'], severity: 'serious', status: 'new,confirmed', active: 'all', srs: 'EPSG:4547', encoding: 'GBK', byDistrict: 'true', level: 'township', min_area_m2: '50', bbox: '113.9,22.8,114.1,23', epoch: '2025-06-30', is_new: 'false' });
    expect(r.filter).toEqual({
      districtPrefix: '440999101',
      rules: ['FARMLAND', 'CULTIVATED', 'PASSAGE'],
      severities: ['serious'],
      statuses: ['new', 'confirmed'],
      active: undefined,
      minAreaM2: 50,
      bbox: [113.9, 22.8, 114.1, 23],
      epoch: '2025-06-30',
      isNew: false,
    });
    expect(r).toMatchObject({ srid: 4547, encoding: 'gbk', byDistrict: true, level: 'township' });
  });

  it('accepts encoding aliases', () => {
    expect(request({ format: 'shp', encoding: 'cp936' }).encoding).toBe('gbk');
    expect(request({ format: 'shp', encoding: 'UTF8' }).encoding).toBe('utf-8');
  });

  it('refuses unknown parameters, formats and values', () => {
    expect(exportQuerySchema.safeParse({ format: 'csv', distirct: '44' }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ format: 'pdf' }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ format: 'csv', rule: 'FARMLAND,BOGUS' }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ format: 'csv', bbox: '114,23,113,22' }).success).toBe(false);
  });

  it('refuses a projected SRS or GBK outside Shapefile', () => {
    for (const format of ['geojson', 'kml', 'csv', 'xlsx']) {
      expect(() => request({ format, srs: 'EPSG:4547' })).toThrow(expect.objectContaining({ code: 'SRS_NOT_ALLOWED', status: 400 }));
      expect(() => request({ format, encoding: 'gbk' })).toThrow(expect.objectContaining({ code: 'ENCODING_NOT_ALLOWED' }));
    }
    expect(request({ format: 'geojson', srs: 'EPSG:4490' }).srid).toBe(4490);
  });
});
