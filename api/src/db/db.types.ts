/**
 * The one database interface LandWatch code talks to. Two backends implement it with the same SQL:
 * native PostgreSQL/PostGIS through `pg` (servers, CI) and embedded PGlite + PostGIS (the default).
 */

/** Which backend answers: a real PostGIS server or the embedded PGlite build. */
export type DbKind = 'postgis' | 'pglite';

/** Rows of a query. `int8` and `numeric` columns arrive as JS numbers on both backends. */
export interface QueryResult<R> {
  rows: R[];
  /** Rows returned or affected; 0 when nothing matched. */
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$n` parameters. */
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Streams the rows of one query through a server-side cursor (`DECLARE … CURSOR`, `FETCH n`),
   * so memory stays bounded whatever the result size. Yields batches; yields nothing for no rows.
   * Breaking out of the loop closes the cursor.
   */
  stream<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    options?: { batchSize?: number },
  ): AsyncIterable<R[]>;
}

/** An open transaction: everything a Queryable does, plus bulk loading with COPY. */
export interface Transaction extends Queryable {
  /**
   * Runs one `COPY <table> (<columns>) FROM STDIN [WITH (FORMAT binary)]` statement with `data` as its
   * whole input (text format as a string, binary format as bytes: see CopyBinaryWriter). Returns the
   * rows copied. A row PostgreSQL cannot read fails the whole statement, as COPY always does.
   */
  copyFrom(copySql: string, data: string | Uint8Array): Promise<number>;
}

/** A database handle: queries, transactions, streaming, and close. */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /**
   * Runs `fn` inside BEGIN … COMMIT; any throw rolls back everything and re-throws.
   * Nested calls are not supported: pass the `tx` down instead.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Closes connections (pg pool) or the embedded database (flushing it to disk). */
  close(): Promise<void>;
}

let cursorCounter = 0;

/** A fresh cursor name; names are only unique per session, which is all a cursor needs. */
export function nextCursorName(): string {
  cursorCounter = (cursorCounter + 1) % 1_000_000_000;
  return `lw_cursor_${cursorCounter}`;
}

/**
 * Streams a query inside an already-open transaction with DECLARE/FETCH. Shared by both backends
 * because both speak the same SQL; the caller owns the transaction.
 */
export async function* streamInTransaction<R>(
  tx: Pick<Queryable, 'query' | 'exec'>,
  text: string,
  values: readonly unknown[],
  batchSize: number,
): AsyncGenerator<R[]> {
  const cursor = nextCursorName();
  await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`, values);
  try {
    for (;;) {
      const { rows } = await tx.query<R>(`FETCH ${batchSize} FROM ${cursor}`);
      if (rows.length === 0) break;
      yield rows;
      if (rows.length < batchSize) break;
    }
  } finally {
    await tx.exec(`CLOSE ${cursor}`);
  }
}
