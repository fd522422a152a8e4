/**
 * JsonFeatureSplitter: elements and members found whatever the chunking (1-byte, 7-byte … chunks),
 * strings with brackets/escapes, multibyte text split across chunks, and every structural error.
 */
import { describe, expect, it } from 'vitest';
import { JsonFeatureSplitter } from '../../../api/src/imports/readers/json-feature.splitter.ts';
import { ReaderError } from '../../../api/src/imports/readers/reader-error.ts';

interface Split {
  elements: string[];
  members: Record<string, unknown>;
  sawFeatures: boolean;
  splitter: JsonFeatureSplitter;
}

/** Splits `doc` fed in chunks of `size` bytes (0: one chunk). */
function split(doc: string | Uint8Array, size = 0, options: { maxDepth?: number; maxValueBytes?: number } = {}): Split {
  const bytes = typeof doc === 'string' ? Buffer.from(doc, 'utf8') : doc;
  const splitter = new JsonFeatureSplitter({ file: 'x.geojson', maxDepth: options.maxDepth ?? 64, maxValueBytes: options.maxValueBytes ?? 1 << 20 });
  const elements: string[] = [];
  const step = size || bytes.length || 1;
  for (let i = 0; i < bytes.length; i += step) elements.push(...splitter.push(bytes.subarray(i, i + step)).map((e) => e.toString('utf8')));
  splitter.end();
  return { elements, members: Object.fromEntries(splitter.members), sawFeatures: splitter.sawFeatures, splitter };
}

/** The ReaderError thrown by `run` (fails the test when nothing or something else is thrown). */
function errorOf(run: () => unknown): ReaderError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReaderError) return error;
    throw error;
  }
  throw new Error('expected a ReaderError');
}

const CHUNK_SIZES = [1, 2, 3, 5, 7, 13, 64, 0];

const features = [
  { type: 'Feature', properties: { 名称: '东湖村1号', note: 'brackets ]}[{ and "quotes" and \\ backslash\\', tail: 'ends with \\' }, geometry: { type: 'Point', coordinates: [114.1, 22.5] } },
  { type: 'Feature', id: 7, properties: { emoji: '𠮷😀', esc: '\u0001\n\t\\"', empty: '', nested: { a: [[], {}, [{}]] } }, geometry: null },
  { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } },
];
const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } };

describe('JsonFeatureSplitter: elements whatever the chunking', () => {
  const pretty = JSON.stringify({ type: 'FeatureCollection', name: '建筑', crs, features }, null, 2);
  const compact = JSON.stringify({ type: 'FeatureCollection', features, crs, bbox: [0, 0, 1, 1] });

  for (const size of CHUNK_SIZES) {
    it(`${size || 'one'}-byte chunks: every element exactly, members parsed (crs before and after features)`, () => {
      for (const doc of [pretty, compact]) {
        const out = split(doc, size);
        expect(out.elements.map((e) => JSON.parse(e))).toEqual(features);
        expect(out.members).toMatchObject({ type: 'FeatureCollection', crs });
        expect(out.sawFeatures).toBe(true);
        expect(out.splitter.count).toBe(3);
      }
      expect(split(compact, size).members.bbox).toEqual([0, 0, 1, 1]);
      expect(split(pretty, size).members.name).toBe('建筑');
    });
  }

  it('hands elements over as the exact source text (no re-serialising)', () => {
    const doc = '{"features":[ {"a" : 1.50} ,\n\t{"b":"\\u4e2d"} ],"type":"FeatureCollection"}';
    for (const size of CHUNK_SIZES) expect(split(doc, size).elements).toEqual(['{"a" : 1.50}', '{"b":"\\u4e2d"}']);
  });

  it('Chinese text split inside a character, at every offset', () => {
    const doc = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '东湖村一组（南）' }, geometry: null }] });
    const bytes = Buffer.from(doc);
    for (let cut = 1; cut < bytes.length; cut++) {
      const splitter = new JsonFeatureSplitter({ file: 'x', maxDepth: 64, maxValueBytes: 1 << 20 });
      const out = [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut))];
      splitter.end();
      expect(out.map((e) => JSON.parse(e.toString('utf8')).properties.名称)).toEqual(['东湖村一组（南）']);
    }
  });

  it('strings holding brackets, escaped quotes and trailing backslashes do not end elements', () => {
    const doc = String.raw`{"type":"FeatureCollection","features":[{"s":"]}"},{"s":"\"]}\""},{"s":"\\"},{"s":"\\\"}"},{"s":"a\\\\"}]}`;
    for (const size of CHUNK_SIZES) {
      expect(split(doc, size).elements.map((e) => JSON.parse(e).s)).toEqual([']}', '"]}"', '\\', '\\"}', 'a\\\\']);
    }
  });

  it('empty features array, scalars as elements, a UTF-8 BOM (even split)', () => {
    expect(split('{"type":"FeatureCollection","features":[]}')).toMatchObject({ elements: [], sawFeatures: true });
    expect(split('{"features":[ ],"type":"FeatureCollection"}', 1)).toMatchObject({ elements: [], sawFeatures: true });
    expect(split('{"features":[1, null ,"x",-2.5e3,true]}', 1).elements).toEqual(['1', 'null', '"x"', '-2.5e3', 'true']);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"type":"FeatureCollection","features":[{}]}')]);
    expect(split(bom, 1).elements).toEqual(['{}']);
    expect(split(bom).members).toEqual({ type: 'FeatureCollection' });
  });

  it('a top-level Feature or geometry: its members, no features', () => {
    const feature = { type: 'Feature', id: 'x-1', properties: { a: '[{' }, geometry: { type: 'LineString', coordinates: [[114, 22], [114.1, 22.1]] } };
    for (const size of CHUNK_SIZES) {
      const out = split(JSON.stringify(feature, null, 1), size);
      expect(out).toMatchObject({ elements: [], members: feature, sawFeatures: false });
    }
    expect(split('{"type":"Point","coordinates":[1,2]}', 3).members).toEqual({ type: 'Point', coordinates: [1, 2] });
    // "features" that is not an array is an ordinary member (the reader then refuses the collection).
    expect(split('{"type":"FeatureCollection","features":{"a":1}}')).toMatchObject({ sawFeatures: false, members: { features: { a: 1 } } });
    expect(split('{}')).toMatchObject({ elements: [], members: {}, sawFeatures: false });
  });
});

describe('JsonFeatureSplitter: structural errors → GEOJSON_INVALID', () => {
  const doc = JSON.stringify({ type: 'FeatureCollection', crs, features: features.slice(0, 2) });

  it('every truncation of a document is refused at end()', () => {
    const bytes = Buffer.from(doc);
    for (let cut = 0; cut < bytes.length; cut++) {
      const error = errorOf(() => split(bytes.subarray(0, cut), 7));
      expect(error.code).toBe('GEOJSON_INVALID');
    }
    expect(errorOf(() => split(doc.slice(0, doc.lastIndexOf('"geometry"')))).message).toMatch(/ends inside feature 2 \(truncated\?\)/);
    expect(errorOf(() => split(`${doc.slice(0, doc.lastIndexOf('}') - 1)},`)).message).toMatch(/ends inside the features array, after feature 2/);
    expect(errorOf(() => split('')).message).toMatch(/no JSON value/);
  });

  it('garbage between elements, missing or trailing commas, stray brackets', () => {
    const cases: [string, RegExp][] = [
      ['{"features":[{"a":1} x {"b":2}]}', /unexpected 'x' at byte 21 after feature 1/],
      ['{"features":[{"a":1}{"b":2}]}', /unexpected '\{' at byte 20 after feature 1/],
      ['{"features":[{"a":1},]}', /missing feature 2/],
      ['{"features":[,{"a":1}]}', /missing feature 1/],
      ['{"features":[{"a":1}}]}', /unexpected '\}' at byte 20 after feature 1/],
      ['{"features":[{"a":[1,2}}]}', /unbalanced brackets: '\}' at byte 22 closes '\[' \(feature 1\)/],
      ['{"features":[{"a":1}]]', /expected ',' or '\}' after member "features"/],
      ['{"type":"FeatureCollection" "features":[]}', /expected ',' or '\}' after member "type"/],
      ['{"type" "x"}', /expected ':' after member "type"/],
      ['{"type":"x",}', /expected a member name/],
      ['{type:"x"}', /expected a member name at byte 1/],
      ['{"features":[{"a":1}],"features":[]}', /two "features" members/],
      ['{"features":[{"a":1},@]}', /feature 2 at byte 21 starts with '@'/],
      ['{"type":"Feature","geometry":nul!}', /unexpected '!'/],
      ['{"crs":{"a":1,}}', /member "crs" at byte 7/],
    ];
    for (const [text, message] of cases) {
      for (const size of [1, 0]) {
        const error = errorOf(() => split(text, size));
        expect(error.code, text).toBe('GEOJSON_INVALID');
        expect(error.message, text).toMatch(message);
      }
    }
  });

  it('the top level must be one object', () => {
    for (const text of ['[{"type":"Feature"}]', '"FeatureCollection"', '42', 'null', 'x']) {
      expect(errorOf(() => split(text)).message).toMatch(/top level is not a JSON object/);
    }
    const trailing = errorOf(() => split('{"type":"Feature","geometry":null}\n{"type":"Feature","geometry":null}\n', 5));
    expect(trailing.message).toMatch(/after the end of the top-level object/);
    const splitter = new JsonFeatureSplitter({ file: 'x', maxDepth: 64, maxValueBytes: 100 });
    expect(() => splitter.push(Buffer.from('{"type":"Feature"}  {'))).toThrow(ReaderError);
    expect(splitter.trailingContent).toBe(true);
    expect(split('{"type":"Feature"} \r\n\t ').members).toEqual({ type: 'Feature' });
  });

  it('too-deep nesting is refused while scanning, before anything is built', () => {
    expect(split(`{"features":[${'['.repeat(62)}${']'.repeat(62)}]}`).elements).toHaveLength(1); // depth 64: accepted
    const deep = errorOf(() => split(`{"features":[${'['.repeat(63)}${']'.repeat(63)}]}`, 7));
    expect(deep).toMatchObject({ code: 'GEOJSON_INVALID', message: expect.stringMatching(/nested deeper than 64 levels at byte 75 \(feature 1\)/) });
    // A hostile 50 MB of '[' is refused at byte ~77 (the rest is never looked at).
    const hostile = Buffer.alloc(50 << 20, '[');
    const splitter = new JsonFeatureSplitter({ file: 'x', maxDepth: 64, maxValueBytes: 1 << 20 });
    splitter.push(Buffer.from('{"type":"Feature","geometry":'));
    expect(() => splitter.push(hostile)).toThrow(/nested deeper than 64 levels at byte 92 \(member "geometry"\)/);
    expect(errorOf(() => split('{"a":[[[{}]]]}', 0, { maxDepth: 4 })).message).toMatch(/nested deeper than 4 levels/);
  });
});

describe('JsonFeatureSplitter: size limits → GEOJSON_TOO_LARGE', () => {
  it('one element, one member or all members over maxValueBytes', () => {
    const big = `{"features":[{"a":"${'x'.repeat(200)}"},{"b":1}]}`;
    expect(split(big, 7, { maxValueBytes: 300 }).elements).toHaveLength(2);
    for (const size of [7, 0]) {
      expect(errorOf(() => split(big, size, { maxValueBytes: 100 }))).toMatchObject({ code: 'GEOJSON_TOO_LARGE' });
      expect(errorOf(() => split(`{"name":"${'x'.repeat(200)}","features":[]}`, size, { maxValueBytes: 100 }))).toMatchObject({ code: 'GEOJSON_TOO_LARGE' });
    }
    // Many small members add up (a single Feature is bounded as a whole).
    const members = Array.from({ length: 20 }, (_, i) => `"m${i}":"${'y'.repeat(10)}"`).join(',');
    expect(errorOf(() => split(`{${members}}`, 0, { maxValueBytes: 200 }))).toMatchObject({ code: 'GEOJSON_TOO_LARGE' });
    // The features array itself is not bounded: only each element.
    const many = `{"features":[${Array.from({ length: 100 }, () => '{"a":"0123456789"}').join(',')}]}`;
    expect(split(many, 64, { maxValueBytes: 50 }).elements).toHaveLength(100);
  });
});
