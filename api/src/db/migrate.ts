import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.types.ts';

/** Folder of the numbered migrations shipped with LandWatch. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Any constant works; it only keeps two processes from migrating the same database at once.
const ADVISORY_LOCK_KEY = 4_490_2000;

/** One migration file on disk. */
export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** What `migrate` did: the versions it applied now (empty when up to date) and the current version. */
export interface MigrateResult {
  applied: Array<{ version: number; name: string; ms: number }>;
  current: number;
}

/** Reads `NNNN_name.sql` files from a folder, sorted by number; other files are ignored. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = (await readdir(dir)).filter((f) => FILE_PATTERN.test(f)).sort();
  const files: MigrationFile[] = [];
  for (const file of entries) {
    const [, version, name] = FILE_PATTERN.exec(file) as RegExpExecArray;
    const sql = await readFile(path.join(dir, file), 'utf8');
    files.push({ version: Number(version), name: name as string, sql, checksum: sha256(sql) });
  }
  const seen = new Set<number>();
  for (const m of files) {
    if (seen.has(m.version)) throw new Error(`Two migrations share number ${m.version} in ${dir}`);
    seen.add(m.version);
  }
  return files;
}

/**
 * Applies every pending migration, each in its own transaction, recorded in `schema_migration`.
 * A failing migration rolls back completely and stops the run (earlier ones stay applied).
 * Refuses to run when an applied migration's file has changed since.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = await readMigrations(dir);
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: MigrateResult['applied'] = [];
  for (const file of files) {
    const started = performance.now();
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migration WHERE version = $1', [
        file.version,
      ]);
      const done = rows[0];
      if (done) {
        if (done.checksum !== file.checksum) {
          throw new Error(
            `Migration ${pad(file.version)}_${file.name}.sql was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      try {
        await tx.exec(file.sql);
      } catch (error) {
        throw new Error(`Migration ${pad(file.version)}_${file.name}.sql failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await tx.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [
        file.version,
        file.name,
        file.checksum,
      ]);
      return true;
    });
    if (didApply) applied.push({ version: file.version, name: file.name, ms: Math.round(performance.now() - started) });
  }
  const { rows } = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migration');
  return { applied, current: rows[0]?.v ?? 0 };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}
