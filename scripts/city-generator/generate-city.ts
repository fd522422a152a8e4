/**
 * CLI: generates the seeded benchmark county (city.generator.ts) into a database and optionally writes
 * its buildings, farmland + cultivated parcels and passages as GeoJSON for peers (GeoPandas).
 *
 *   npx tsx scripts/city-generator/generate-city.ts --seed 1 --buildings 1000000 [--parcels N] [--passages N] [--out DIR]
 *
 * The database is DATABASE_URL (a PostGIS server; migrated first, and it should be empty) or, without
 * it, the embedded PGlite in LANDWATCH_DATA_DIR. Layers go straight into the tables the analysis reads,
 * as the importer would leave them (see city.generator.ts); nothing goes through files unless --out.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '../../api/src/db/migrate.ts';
import { openPgDb } from '../../api/src/db/pg.backend.ts';
import { openPgliteDb } from '../../api/src/db/pglite.backend.ts';
import { generateCity, citySize } from './city.generator.ts';
import { exportCityLayers } from './city-export.writer.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      buildings: { type: 'string', default: '100000' },
      parcels: { type: 'string' },
      passages: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: generate-city.ts --seed N --buildings N [--parcels N] [--passages N] [--out DIR]  (DATABASE_URL or embedded PGlite)');
    return;
  }
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
    return n;
  };
  const size = citySize({
    seed: num('seed', values.seed) ?? 1,
    buildings: num('buildings', values.buildings) ?? 100_000,
    parcels: num('parcels', values.parcels),
    passages: num('passages', values.passages),
  });
  const url = process.env.DATABASE_URL;
  const db = url ? await openPgDb(url) : await openPgliteDb({ dataDir: process.env.LANDWATCH_DATA_DIR ?? './.landwatch/db' });
  try {
    await migrate(db);
    const t0 = performance.now();
    const ids = await generateCity(db, size);
    console.log(`city seed ${size.seed}: ${JSON.stringify(ids.counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${db.kind})`);
    if (values.out) {
      await mkdir(values.out, { recursive: true });
      const files = await exportCityLayers(db, ids, values.out);
      console.log(`wrote ${Object.values(files).map((f) => path.relative(process.cwd(), f)).join(', ')}`);
    }
  } finally {
    await db.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
