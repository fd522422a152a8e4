import { describe, expect, it } from 'vitest';
import { dateFromName, guessBandMap, parseBandSpec, resolveDate, type BandFileFacts } from '../../../api/src/imagery/band-map.parser.ts';

const file = (p: string, bandCount = 1, extra: Partial<BandFileFacts> = {}): BandFileFacts => ({ path: p, bandCount, descriptions: new Array(bandCount).fill(null), photometric: 1, alphaBand: null, ...extra });
const s2 = ['B02', 'B03', 'B04', 'B08'].map((b) => file(`/d/T49QCD_20161209T031122_${b}.tif`));

describe('band map', () => {
  it('maps per-band files by file-name tokens', () => {
    const map = parseBandSpec('blue=B02,green=B03,red=B04,nir=B08', s2);
    expect(map.red).toEqual({ file: '/d/T49QCD_20161209T031122_B04.tif', band: 0 });
    expect(map.nir?.file).toMatch(/B08\.tif$/);
  });

  it('maps 1-based band numbers of one multi-band file', () => {
    const map = parseBandSpec('blue=1,green=2,red=3,nir=4,swir1=5', [file('/d/gf2.tif', 5)]);
    expect(map.swir1).toEqual({ file: '/d/gf2.tif', band: 4 });
    expect(map.blue?.band).toBe(0);
  });

  it('names the problem in a bad spec', () => {
    expect(() => parseBandSpec('purple=1', [file('/d/a.tif', 4)])).toThrow(/purple=1/);
    expect(() => parseBandSpec('red=9', [file('/d/a.tif', 4)])).toThrow(/bands 1–4/);
    expect(() => parseBandSpec('red=B05', s2)).toThrow(/no file name contains "B05"/);
    expect(() => parseBandSpec('red=3', s2)).toThrow(/exactly one multi-band file/);
  });

  it('guesses Sentinel-2, Landsat 8 and Landsat 5 names', () => {
    expect(Object.keys(guessBandMap(s2).map).sort()).toEqual(['blue', 'green', 'nir', 'red']);
    const oli = guessBandMap(['B2', 'B3', 'B4', 'B5'].map((b) => file(`/d/LC08_L1TP_123045_20200101_${b}.TIF`)));
    expect(oli.map.nir?.file).toMatch(/_B5\.TIF$/);
    const tm = guessBandMap(['B1', 'B2', 'B3', 'B4'].map((b) => file(`/d/LT05_L1TP_123045_19950101_${b}.TIF`)));
    expect(tm.map.blue?.file).toMatch(/_B1\.TIF$/);
    expect(tm.map.nir?.file).toMatch(/_B4\.TIF$/);
  });

  it('guesses a multi-band file from descriptions, photometric RGB or band order (with a note)', () => {
    expect(guessBandMap([file('/d/x.tif', 4, { descriptions: ['Blue', 'Green', 'Red', 'NIR'] })]).how).toBe('descriptions');
    const rgb = guessBandMap([file('/d/rgb.tif', 4, { photometric: 2, alphaBand: 3 })]);
    expect(rgb).toMatchObject({ how: 'photometric-rgb', map: { red: { band: 0 }, blue: { band: 2 } } });
    const stack = guessBandMap([file('/d/stack.tif', 4)]);
    expect(stack.how).toBe('band-order');
    expect(stack.notes[0]).toMatch(/--bands/);
    expect(() => guessBandMap([file('/d/one.tif', 1)])).toThrow(/cannot tell the bands/);
  });

  it('reads dates from file names and options', () => {
    expect(dateFromName('T49QCD_20161209T031122_B02.tif')).toBe('2016-12-09');
    expect(dateFromName('GF2_PMS1_E109.5_N21.6_2021-03-05_L1A.tif')).toBe('2021-03-05');
    expect(dateFromName('S2A_OPER_MSI_L1C_TL_SGS__20160927T081713_A006607_T49QHE_B02.tif')).toBe('2016-09-27');
    expect(dateFromName('scene_20211345.tif')).toBeNull();
    expect(resolveDate(['a_20200101.tif'], undefined, 'before')).toBe('2020-01-01');
    expect(resolveDate(['x.tif'], '2020-02-29', 'before')).toBe('2020-02-29');
    expect(() => resolveDate(['x.tif'], '2021-02-29', 'before')).toThrow(/DATE|date/);
    expect(() => resolveDate(['x.tif'], undefined, 'after')).toThrow(/no date in the after file names/);
    expect(() => resolveDate(['a_20200101.tif', 'b_20200202.tif'], undefined, 'after')).toThrow(/several dates/);
  });
});
