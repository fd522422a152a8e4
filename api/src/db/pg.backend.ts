import { once } from 'node:events';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { streamInTransaction, type Db, type QueryResult, type Transaction } from './db.types.ts';

// Same value types on both backends: PGlite returns int8 as number, so pg does too. Counts and ids in
// LandWatch stay far below 2^53. numeric (areas) becomes a float here and in the PGlite backend.
// A `date` stays 'YYYY-MM-DD': a JS Date would shift survey epochs by the server's time zone.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    if (oid === 1082) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

function wrapClient(client: pg.PoolClient): Transaction {
  const q: Transaction = {
    async query<R>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await client.query({ text, values: values as unknown[], types });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await client.query({ text: sql, types });
    },
    stream<R>(text: string, values: readonly unknown[] = [], options: { batchSize?: number } = {}) {
      return streamInTransaction<R>(q, text, values, options.batchSize ?? 1000);
    },
    async copyFrom(copySql: string, data: string | Uint8Array) {
      const stream = client.query(copyFromStdin(copySql));
      const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([error]) => Promise.reject(error as Error))]);
      stream.end(data);
      await done;
      return stream.rowCount;
    },
  };
  return q;
}

/** Opens a pooled connection to a PostgreSQL/PostGIS server given a `postgres://` URL. */
export async function openPgDb(url: string, options: { poolSize?: number } = {}): Promise<Db> {
  // A new connection spends hundreds of milliseconds loading PostGIS before its first query: keep
  // idle ones for 5 minutes (pg's default is 10 s), so a map used after a pause is not slow again.
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, idleTimeoutMillis: 300_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Fail fast with the server's own message when the URL is wrong.
  const probe = await pool.connect();
  probe.release();

  async function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrapClient(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    kind: 'postgis',
    async query<R>(text: string, values: readonly unknown[] = []) {
      const result = await pool.query({ text, values: values as unknown[], types });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await pool.query({ text: sql, types });
    },
    async *stream<R>(text: string, values: readonly unknown[] = [], options: { batchSize?: number } = {}) {
      const client = await pool.connect();
      let ok = false;
      try {
        await client.query('BEGIN');
        yield* streamInTransaction<R>(wrapClient(client), text, values, options.batchSize ?? 1000);
        ok = true;
      } finally {
        await client.query(ok ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
        client.release();
      }
    },
    transaction,
    async close() {
      await pool.end();
    },
  };
}
