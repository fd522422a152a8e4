/**
 * `npm run bench`: every benchmark, each printing LandWatch's time next to a peer measured in the same
 * run (ogr2ogr, GeoPandas, pgbench, …) and their ratio. Benchmarks are never part of `npm test`.
 * Every `bench/<name>.bench.ts` exporting a `bench*` function is one (import, analysis, export,
 * change-detection, tiles); `npm run bench -- tiles` runs only `tiles.bench.ts`.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
console.log(`LandWatch benchmarks on ${process.env.DATABASE_URL ? 'PostGIS (DATABASE_URL)' : 'no DATABASE_URL'}; node ${process.version}`);
for (const file of files) {
  const name = file.replace('.bench.ts', '');
  if (only.length > 0 && !only.includes(name)) continue;
  const mod = (await import(path.join(here, file))) as Record<string, unknown>;
  const fn = Object.values(mod).find((v): v is () => Promise<void> => typeof v === 'function' && v.name.startsWith('bench'));
  if (!fn) {
    console.log(`${name}: no bench* export`);
    continue;
  }
  await fn();
}
