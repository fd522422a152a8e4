import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { streamInTransaction, type Db, type Queryable, type QueryResult, type Transaction as LwTransaction } from './db.types.ts';

/** Where the embedded database lives: a folder on disk, memory, or a snapshot to start from. */
export interface PgliteOpenOptions {
  /** Folder for the data files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from instead of an empty cluster (fast test databases). */
  loadDataDir?: Blob | File;
}

// Same value types as the pg backend: int8/numeric → number, date → 'YYYY-MM-DD' string.
const parsers = {
  20: (value: string) => Number(value),
  1700: (value: string) => Number(value),
  1082: (value: string) => value,
};

// Lets dumpPglite reach the PGlite instance behind a Db without widening the Db interface.
const PGLITE = Symbol.for('landwatch.pglite');

type PgliteQueryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

function wrap(target: PgliteQueryable): Pick<Queryable, 'query' | 'exec'> {
  return {
    async query<R>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await target.query<R>(text, values as unknown[]);
      return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

function wrapTransaction(tx: Transaction): LwTransaction {
  const base = wrap(tx);
  const q: LwTransaction = {
    ...base,
    stream<R>(text: string, values: readonly unknown[] = [], options: { batchSize?: number } = {}) {
      return streamInTransaction<R>(base, text, values, options.batchSize ?? 1000);
    },
    async copyFrom(copySql: string, data: string | Uint8Array) {
      // PGlite has no client protocol for COPY: its input is a blob read as the file '/dev/blob'.
      const fromBlob = copySql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'");
      if (fromBlob === copySql) throw new Error(`not a COPY … FROM STDIN statement: ${copySql.slice(0, 80)}`);
      // Bytes here are Node Buffers, backed by a plain ArrayBuffer (never shared memory).
      const result = await tx.query(fromBlob, [], { blob: new Blob([data as string | Uint8Array<ArrayBuffer>]) });
      return result.affectedRows ?? 0;
    },
  };
  return q;
}

/**
 * Runs `produce` while the consumer pulls: each emitted batch is handed over and `produce` waits
 * until the consumer asks for the next one (or stops, in which case `emit` resolves false).
 * PGlite has one connection, so a stream must keep its transaction mutex for its whole life;
 * this turns that callback-shaped lock into an async generator.
 */
async function* handOff<R>(produce: (emit: (batch: R[]) => Promise<boolean>) => Promise<void>): AsyncGenerator<R[]> {
  type Pending = { batch: R[]; resume: (more: boolean) => void };
  let pending: Pending | null = null;
  let current: Pending | null = null;
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const work = produce(
    (batch) =>
      new Promise<boolean>((resume) => {
        pending = { batch, resume };
        signal();
      }),
  )
    .catch((error: unknown) => {
      failure = error ?? new Error('stream failed');
    })
    .finally(() => {
      finished = true;
      signal();
    });
  try {
    for (;;) {
      while (!pending && !finished) await new Promise<void>((resolve) => (wake = resolve));
      const next = pending as Pending | null;
      if (!next) break;
      pending = null;
      current = next;
      yield next.batch;
      current = null;
      next.resume(true);
    }
  } finally {
    (current as Pending | null)?.resume(false);
    (pending as Pending | null)?.resume(false);
    await work;
  }
  if (failure) throw failure;
}

/** Opens (creating if needed) the embedded PGlite database with the PostGIS extension loaded. */
export async function openPgliteDb(options: PgliteOpenOptions = {}): Promise<Db> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { postgis },
    parsers,
  });
  const base = wrap(pglite);
  const db: Db & { [PGLITE]: PGlite } = {
    kind: 'pglite',
    [PGLITE]: pglite,
    ...base,
    stream<R>(text: string, values: readonly unknown[] = [], streamOptions: { batchSize?: number } = {}) {
      return handOff<R>(async (emit) => {
        await pglite.transaction(async (tx) => {
          for await (const batch of streamInTransaction<R>(wrap(tx), text, values, streamOptions.batchSize ?? 1000)) {
            if (!(await emit(batch))) break;
          }
        });
      });
    },
    transaction<T>(fn: (tx: LwTransaction) => Promise<T>) {
      return pglite.transaction((tx) => fn(wrapTransaction(tx)));
    },
    async close() {
      await pglite.close();
    },
  };
  return db;
}

/** Dumps an embedded database to a tarball that `openPgliteDb({ loadDataDir })` can start from. */
export async function dumpPglite(db: Db): Promise<Blob> {
  const inner = (db as Db & { [PGLITE]?: PGlite })[PGLITE];
  if (!inner) throw new Error('dumpPglite needs a PGlite-backed Db');
  return inner.dumpDataDir('none');
}
