import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { loadTown, makeTown } from './scenario.ts';

/**
 * A test database holding the synthetic town (scenario.ts) for the tests of one file: created before
 * them, closed after. Call at the top of the file; the returned function gives the open database.
 */
export function townDatabase(): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await createTestDb();
    await loadTown(db, makeTown());
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('the town database is not open yet (use it inside a test)');
    return db;
  };
}
