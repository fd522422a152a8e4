import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { migrate, readMigrations } from '../../../api/src/db/migrate.ts';
import { createTestDb } from '../../helpers/test-db.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await db.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [name]);
  return rows[0]?.r !== null && rows[0]?.r !== undefined;
}

describe('migrations', () => {
  it('has applied every shipped migration and is a no-op the second time', async () => {
    const shipped = await readMigrations();
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.current).toBe(shipped.at(-1)?.version);
    for (const table of ['dataset', 'district', 'constraint_feature', 'subject', 'analysis_run', 'finding', 'suspect', 'case_event', 'job']) {
      expect(await tableExists(table), table).toBe(true);
    }
  });

  it('creates GiST indexes on every geometry column that analysis overlays', async () => {
    const { rows } = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'");
    const names = rows.map((r) => r.indexname);
    for (const ix of ['constraint_feature_geom_gix', 'subject_geom_gix', 'district_geom_gix', 'suspect_geom_gix']) expect(names).toContain(ix);
  });

  it('applies each migration in its own transaction: a failing one leaves nothing half-applied', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-migr-'));
    await writeFile(path.join(dir, '9001_good.sql'), 'CREATE TABLE m_good (id int);');
    await writeFile(path.join(dir, '9002_bad.sql'), 'CREATE TABLE m_half (id int);\nSELECT * FROM no_such_table;');
    await expect(migrate(db, dir)).rejects.toThrow(/9002_bad\.sql failed.*no_such_table/);
    expect(await tableExists('m_good')).toBe(true);
    expect(await tableExists('m_half')).toBe(false);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migration WHERE version > 9000');
    expect(rows.map((r) => r.version)).toEqual([9001]);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-migr-'));
    await writeFile(path.join(dir, '9101_once.sql'), 'CREATE TABLE m_once (id int);');
    expect((await migrate(db, dir)).applied.map((m) => m.version)).toEqual([9101]);
    await writeFile(path.join(dir, '9101_once.sql'), 'CREATE TABLE m_once (id bigint);');
    await expect(migrate(db, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it('rejects two files with the same number', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-migr-'));
    await writeFile(path.join(dir, '9201_a.sql'), 'SELECT 1;');
    await writeFile(path.join(dir, '9201_b.sql'), 'SELECT 1;');
    await expect(readMigrations(dir)).rejects.toThrow(/share number 9201/);
  });
});
