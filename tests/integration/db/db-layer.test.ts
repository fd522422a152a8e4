import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBinaryWriter } from '../../../api/src/db/copy-binary.writer.ts';
import type { Db } from '../../../api/src/db/db.types.ts';
import { createTestDb, TEST_BACKEND } from '../../helpers/test-db.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe(`Db layer on ${TEST_BACKEND}`, () => {
  it('reports its kind and runs PostGIS', async () => {
    expect(db.kind).toBe(TEST_BACKEND);
    const { rows } = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    expect(rows[0]?.v).toMatch(/^3\.(\d+)\./);
    expect(Number(rows[0]?.v.split('.')[1])).toBeGreaterThanOrEqual(3);
  });

  it('passes $n parameters and returns the same value types on both backends', async () => {
    const { rows } = await db.query<{ n: number; big: number; num: number; d: string; t: string; j: unknown }>(
      "SELECT $1::int AS n, 9007199254740::int8 AS big, 1.25::numeric AS num, DATE '2025-06-30' AS d, $2::text AS t, '{\"a\":[1]}'::jsonb AS j",
      [42, '南山区'],
    );
    expect(rows[0]).toEqual({ n: 42, big: 9007199254740, num: 1.25, d: '2025-06-30', t: '南山区', j: { a: [1] } });
  });

  it('transforms CGCS2000 GK CM 114E to EPSG:4490 with PROJ', async () => {
    const { rows } = await db.query<{ x: number; y: number }>(
      'SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_Transform(ST_SetSRID(ST_Point(500000, 2433800.4777), 4547), 4490) AS p',
    );
    expect(rows[0]?.x).toBeCloseTo(114, 7);
    expect(rows[0]?.y).toBeCloseTo(22, 6);
  });

  it('commits a transaction and rolls one back on throw', async () => {
    await db.exec('CREATE TABLE t_tx (v int)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_tx VALUES ($1)', [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_tx VALUES ($1)', [2]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query<{ v: number }>('SELECT v FROM t_tx ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual([1]);
  });

  it('streams a large result in batches through a cursor', async () => {
    let total = 0;
    let batches = 0;
    for await (const batch of db.stream<{ g: number }>('SELECT g FROM generate_series(1, $1::int) g', [2500], { batchSize: 1000 })) {
      batches += 1;
      total += batch.reduce((s, r) => s + r.g, 0);
    }
    expect(batches).toBe(3);
    expect(total).toBe((2500 * 2501) / 2);
  });

  it('yields nothing for an empty result', async () => {
    const seen: unknown[] = [];
    for await (const batch of db.stream('SELECT 1 WHERE false')) seen.push(batch);
    expect(seen).toEqual([]);
  });

  it('closes the cursor when the consumer stops early, and the database stays usable', async () => {
    let first: number | undefined;
    for await (const batch of db.stream<{ g: number }>('SELECT g FROM generate_series(1, 100000) g', [], { batchSize: 10 })) {
      first = batch[0]?.g;
      break;
    }
    expect(first).toBe(1);
    const { rows } = await db.query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0]?.one).toBe(1);
  });

  it('runs other queries while a stream is open (they wait or run beside it)', async () => {
    const iterator = db.stream<{ g: number }>('SELECT g FROM generate_series(1, 30) g', [], { batchSize: 10 })[Symbol.asyncIterator]();
    const firstBatch = await iterator.next();
    expect(firstBatch.value?.[0]?.g).toBe(1);
    const other = db.query<{ x: number }>('SELECT 7 AS x');
    const rest: number[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(...r.value.map((row) => row.g));
    expect(rest).toHaveLength(20);
    expect((await other).rows[0]?.x).toBe(7);
  });

  it('streams inside a transaction', async () => {
    const sum = await db.transaction(async (tx) => {
      let s = 0;
      for await (const batch of tx.stream<{ g: number }>('SELECT g FROM generate_series(1, 50) g', [], { batchSize: 7 })) {
        s += batch.reduce((a, r) => a + r.g, 0);
      }
      return s;
    });
    expect(sum).toBe(1275);
  });

  it('refuses an invalid polygon in a feature table (the guard against the PGlite zero-rows trap)', async () => {
    const { rows } = await db.query<{ id: number }>(
      "INSERT INTO dataset (kind, name, version, source_file, source_sha256, options_hash) VALUES ('basic_farmland', 'x', 1, 'x.shp', repeat('a', 64), 'o') RETURNING id",
    );
    const bowtie = 'SRID=4490;MULTIPOLYGON(((114 22,114.01 22.01,114.01 22,114 22.01,114 22)))';
    await expect(
      db.query("INSERT INTO constraint_feature (dataset_id, kind, row_number, geom, area_m2) VALUES ($1, 'basic_farmland', 1, $2::geometry, 1)", [
        rows[0]?.id,
        bowtie,
      ]),
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses an invalid polygon written through subject, by INSERT or by UPDATE, and takes valid ones', async () => {
    const { rows } = await db.query<{ id: number }>(
      "INSERT INTO dataset (kind, name, version, source_file, source_sha256, options_hash) VALUES ('building', 'v', 1, 'v.shp', repeat('c', 64), 'o') RETURNING id",
    );
    const square = 'SRID=4490;MULTIPOLYGON(((114 22,114.01 22,114.01 22.01,114 22.01,114 22)))';
    const bowtie = 'SRID=4490;MULTIPOLYGON(((114 22,114.01 22.01,114.01 22,114 22.01,114 22)))';
    const insert = (geom: string, row: number) =>
      db.query("INSERT INTO subject (dataset_id, kind, row_number, geom, geom_hash, area_m2) VALUES ($1, 'building', $2, $3::geometry, 'h', 1)", [rows[0]?.id, row, geom]);
    await insert(square, 1);
    await expect(insert(bowtie, 2)).rejects.toThrow(/check constraint/);
    await expect(db.query('UPDATE subject SET geom = $2::geometry WHERE dataset_id = $1', [rows[0]?.id, bowtie])).rejects.toThrow(/check constraint/);
    const { rows: kept } = await db.query<{ valid: boolean; n: number }>('SELECT bool_and(ST_IsValid(geom)) AS valid, count(*)::int AS n FROM subject WHERE dataset_id = $1', [rows[0]?.id]);
    expect(kept[0]).toEqual({ valid: true, n: 1 });
  });

  it('keeps case_event append-only', async () => {
    const { rows: ds } = await db.query<{ id: number }>(
      "INSERT INTO dataset (kind, name, version, source_file, source_sha256, options_hash) VALUES ('building', 'b', 1, 'b.shp', repeat('b', 64), 'o') RETURNING id",
    );
    const { rows: s } = await db.query<{ id: number }>(
      "INSERT INTO suspect (suspect_key, subject_kind, area_m2, geom, geom_hash) VALUES ('k1', 'building', 10, 'SRID=4490;MULTIPOLYGON(((114 22,114.001 22,114.001 22.001,114 22)))', 'h') RETURNING id",
    );
    expect(ds[0]?.id).toBeGreaterThan(0);
    await db.query("INSERT INTO case_event (suspect_id, actor, type) VALUES ($1, 'tester', 'note')", [s[0]?.id]);
    await expect(db.query("UPDATE case_event SET note = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM case_event')).rejects.toThrow(/append-only/);
  });
  it('bulk-loads with COPY in a transaction, binary and text: NULLs, Chinese text, bytes; a bad row fails the statement', async () => {
    const values = ['南山区\t东湖村', 'line\nbreak\r', 'back\\slash \\N', 'nul\u0000gone', '', null];
    const writer = new CopyBinaryWriter();
    values.forEach((v, i) => writer.row(4).int4(i + 1).text(v).float8(i === 5 ? Number.NaN : i * 1.5).bytes(i === 5 ? null : Uint8Array.of(0, 255, i)));
    const binary = writer.finish();
    const copySql = 'COPY lw_copy_probe (n, t, x, b) FROM STDIN';
    const loaded = await db.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE lw_copy_probe (n int, t text, x float8, b bytea) ON COMMIT DROP');
      expect(await tx.copyFrom(`${copySql} WITH (FORMAT binary)`, binary)).toBe(values.length);
      expect(await tx.copyFrom(copySql, '7\ttext format\t2.5\t\\\\x00ff\n')).toBe(1);
      await tx.exec('SAVEPOINT bad_copy');
      await expect(tx.copyFrom(copySql, '8\tok\t1\t\\N\n9\tok\tnot-a-number\t\\N\n')).rejects.toThrow(/not-a-number/);
      await tx.exec('ROLLBACK TO SAVEPOINT bad_copy');
      return (await tx.query<{ n: number; t: string | null; x: number | null; b: string | null }>("SELECT n, t, x, encode(b, 'hex') AS b FROM lw_copy_probe ORDER BY n")).rows;
    });
    expect(loaded).toEqual([
      { n: 1, t: '南山区\t东湖村', x: 0, b: '00ff00' },
      { n: 2, t: 'line\nbreak\r', x: 1.5, b: '00ff01' },
      { n: 3, t: 'back\\slash \\N', x: 3, b: '00ff02' },
      { n: 4, t: 'nulgone', x: 4.5, b: '00ff03' },
      { n: 5, t: '', x: 6, b: '00ff04' },
      { n: 6, t: null, x: null, b: null },
      { n: 7, t: 'text format', x: 2.5, b: '00ff' },
    ]);
  });
});
