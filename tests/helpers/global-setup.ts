import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, readMigrations } from '../../api/src/db/migrate.ts';
import { openPgDb } from '../../api/src/db/pg.backend.ts';
import { dumpPglite, openPgliteDb } from '../../api/src/db/pglite.backend.ts';

/**
 * Prepares one migrated template per schema version, so each test file gets a fresh database fast:
 * a template database on the PostGIS server (DATABASE_URL), or a PGlite snapshot tarball on disk.
 */
export default async function setup(): Promise<void> {
  const migrations = await readMigrations();
  const hash = createHash('sha256')
    .update(migrations.map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 12);
  process.env.LANDWATCH_TEST_SCHEMA_HASH = hash;
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `lw_template_${hash}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        await admin.query(`CREATE DATABASE ${template}`);
        const db = await openPgDb(withDatabase(url, template), { poolSize: 1 });
        try {
          await migrate(db);
        } catch (error) {
          await db.close();
          await admin.query(`DROP DATABASE IF EXISTS ${template}`);
          throw error;
        }
        await db.close();
      }
    } finally {
      await admin.end();
    }
    return;
  }
  const dir = path.join(os.tmpdir(), 'landwatch-test');
  const file = path.join(dir, `pglite-template-${hash}.tar`);
  process.env.LANDWATCH_TEST_PGLITE_TEMPLATE = file;
  if (existsSync(file)) return;
  await mkdir(dir, { recursive: true });
  const db = await openPgliteDb();
  await migrate(db);
  const blob = await dumpPglite(db);
  await db.close();
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
  await rename(partial, file);
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
