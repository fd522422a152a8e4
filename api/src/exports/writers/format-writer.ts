/**
 * The contract every export format implements, and the small stream helpers they share. Writers
 * receive records batch by batch (one database cursor batch at a time) and must not hold more
 * than a batch: that is what keeps a 100,000-suspect export in bounded memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ExportRecord, LedgerRow } from '../exports.types.ts';

/** One file being written in one format. */
export interface FormatWriter {
  /** Appends a batch of records; resolves when the sink can take more (backpressure). */
  write(records: readonly ExportRecord[]): Promise<void>;
  /** Completes the file and ends its sink; resolves when every byte was handed over. */
  finish(): Promise<void>;
  /** Abandons the file (after an error); never throws. */
  abort(): Promise<void>;
}

/** What a writer may need beyond the rows. */
export interface WriterContext {
  /** Document title, e.g. `两违疑似图斑 440999101 东湖街道`. */
  title: string;
  /** Aggregates of the leaf districts of this file (XLSX summary and ledger); [] for other formats. */
  ledger: readonly LedgerRow[];
  /** Export time (XLSX core properties, DBF header date). */
  now: Date;
}

/** Writes a chunk and waits for 'drain' when the sink's buffer is full; rejects if the sink failed or closed. */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (out.destroyed) throw new Error('the output stream was closed before the export finished');
  if (out.write(chunk)) return;
  await waitForDrain(out);
}

/** Waits until a sink that reported a full buffer drains (resolves at once when it is not full). */
export async function waitForDrain(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return;
  if (out.destroyed) throw new Error('the output stream was closed before the export finished');
  const ac = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }).then(() => {
        if (out.writableNeedDrain) throw new Error('the output stream was closed before the export finished');
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** Ends a sink and resolves once all data is flushed ('finish'); rejects on its 'error'. */
export async function endStream(out: Writable): Promise<void> {
  if (out.writableFinished) return;
  const done = once(out, 'finish');
  out.end();
  await done;
}
