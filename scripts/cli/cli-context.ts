import { loadConfig, type Config } from '../../api/src/config.ts';
import type { Db } from '../../api/src/db/db.types.ts';
import { migrate } from '../../api/src/db/migrate.ts';
import { openDb } from '../../api/src/db/open-db.ts';

/** Options every command shares. */
export interface GlobalOptions {
  json?: boolean;
}

/** Loads the configuration (env + CLI overrides); ConfigError names the bad key. */
export function cliConfig(overrides: Parameters<typeof loadConfig>[1] = {}): Config {
  return loadConfig(process.env, { logLevel: process.env.LOG_LEVEL ?? 'warn', ...overrides });
}

/** Opens and migrates the configured database, runs `fn`, and always closes it. */
export async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}
