/**
 * Golden summary of how every file of the upload-oddity and China admin corpora is read: layers,
 * CRS and how, encoding and how, fields, note codes, counts, problems — or the error code.
 * A regression guard over the reader decisions; `UPDATE=1 npx vitest run tests/unit/imports` rewrites
 * tests/fixtures/imports/corpus-summary.golden.json (review the diff before committing).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../api/src/imports/readers/open-source.ts';
import { ReaderError } from '../../../api/src/imports/readers/reader.types.ts';
import { UPDATE, corpus, corpusRoot, fixturesDir, needs } from './corpus.helper.ts';

const GOLDEN = path.join(fixturesDir, 'corpus-summary.golden.json');

function listFiles(): string[] {
  const out: string[] = [];
  const sjs = corpus('vector', 'shapefile-js', 'test-data');
  for (const f of readdirSync(sjs).sort()) if (/\.(zip|shp)$/i.test(f)) out.push(path.join(sjs, f));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const f = entry.name;
      const full = path.join(dir, f);
      if (entry.isDirectory()) walk(full);
      else if (/\.(shp|dbf)$/i.test(f) && !(f.endsWith('.dbf') && existsSync(full.replace(/\.dbf$/, '.shp')))) out.push(full);
    }
  };
  walk(corpus('china-admin'));
  return out;
}

async function summarize(file: string): Promise<unknown> {
  try {
    const layers = await openSource(file);
    const out = [];
    for (const layer of layers) {
      let features = 0;
      const problems: Record<string, number> = {};
      let first: Record<string, unknown> | null = null;
      for await (const f of layer.features()) {
        features++;
        if (f.problem) problems[f.problem.code] = (problems[f.problem.code] ?? 0) + 1;
        first ??= f.properties;
      }
      out.push({
        file: path.relative(corpusRoot, layer.file),
        layer: layer.layer,
        srs: `${layer.srs.epsg} ${layer.srs.how}`,
        encoding: layer.encoding ? `${layer.encoding.name} ${layer.encoding.how}` : null,
        fields: layer.fields,
        notes: layer.notes.map((n) => (n.count ? `${n.code}:${n.count}` : n.code)),
        features,
        problems,
        first,
      });
    }
    return out;
  } catch (error) {
    if (error instanceof ReaderError) return { error: error.code, file: path.relative(corpusRoot, error.file) };
    throw error;
  }
}

describe('corpus summary (golden)', () => {
  const env = needs({ corpus: ['vector/shapefile-js', 'china-admin'] });
  it.skipIf(env.skip)('reads every upload-oddity and China admin file as recorded', async () => {
    env.check();
    const summary: Record<string, unknown> = {};
    for (const file of listFiles()) summary[path.relative(corpusRoot, file)] = await summarize(file);
    if (UPDATE || !existsSync(GOLDEN)) {
      mkdirSync(fixturesDir, { recursive: true });
      writeFileSync(GOLDEN, `${JSON.stringify(summary, null, 1)}\n`);
      if (!UPDATE) throw new Error(`golden file was missing and has been written: ${GOLDEN}; review it and run again`);
      return;
    }
    expect(summary).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });
});
