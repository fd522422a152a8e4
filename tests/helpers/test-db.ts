import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { Db } from '../../api/src/db/db.types.ts';
import { openPgDb } from '../../api/src/db/pg.backend.ts';
import { openPgliteDb } from '../../api/src/db/pglite.backend.ts';
import { withDatabase } from './global-setup.ts';

let counter = 0;

/** Which backend the test run uses: PostGIS when DATABASE_URL is set, PGlite otherwise. */
export const TEST_BACKEND: Db['kind'] = process.env.DATABASE_URL ? 'postgis' : 'pglite';

/**
 * A fresh, migrated, empty database for one test file: a new database cloned from the migrated
 * template on the PostGIS server, or a PGlite instance started from the migrated snapshot.
 * Closing it drops the server database.
 */
export async function createTestDb(): Promise<Db> {
  const hash = process.env.LANDWATCH_TEST_SCHEMA_HASH;
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lw_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE lw_template_${hash}`);
    await admin.end();
    const db = await openPgDb(withDatabase(url, name), { poolSize: 4 });
    return {
      ...db,
      kind: db.kind,
      async close() {
        await db.close();
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const template = process.env.LANDWATCH_TEST_PGLITE_TEMPLATE;
  if (!template) throw new Error('global setup did not prepare a PGlite template');
  const bytes = await readFile(template);
  return openPgliteDb({ loadDataDir: new Blob([bytes]) });
}

/**
 * Environment for a child process (CLI, server) with its own empty database: a fresh database on the
 * PostGIS server (DATABASE_URL), or a temporary folder for an on-disk PGlite database.
 */
export async function createTestProcessEnv(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lw_proc_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return {
      env: { DATABASE_URL: withDatabase(url, name) },
      async cleanup() {
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const { mkdtemp, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-proc-'));
  return {
    env: { LANDWATCH_DATA_DIR: dir, DATABASE_URL: '' },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
