import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db.types.ts';

/** How to reach the database: a server URL, or the embedded one in a folder (or in memory). */
export interface DbTarget {
  /** `postgres://…`; when set, the pg backend is used. */
  databaseUrl?: string;
  /** Folder for the embedded database; `:memory:` keeps it in memory. */
  dataDir: string;
}

/** Opens the backend the target names: PostGIS over `pg` when a URL is given, PGlite otherwise. */
export async function openDb(target: DbTarget): Promise<Db> {
  // Each backend is loaded only when used: PGlite's WebAssembly PostgreSQL alone costs ~50 MiB of
  // memory, which a process talking to a PostGIS server should not carry.
  if (target.databaseUrl) return (await import('./pg.backend.ts')).openPgDb(target.databaseUrl);
  const { openPgliteDb } = await import('./pglite.backend.ts');
  if (target.dataDir === ':memory:') return openPgliteDb();
  const dataDir = path.resolve(target.dataDir, 'pgdata');
  // PGlite creates its own folder but not the parents (a fresh ./.landwatch on first start).
  await mkdir(path.dirname(dataDir), { recursive: true });
  return openPgliteDb({ dataDir });
}
