/** How a command reports: human text on a terminal, or one JSON document with --json. */
export interface Output {
  json: boolean;
  /** Prints the result: `data` as JSON with --json, otherwise the human-readable `text`. */
  result(data: unknown, text: string): void;
  /** Progress/info lines for humans (stderr, so stdout stays clean for pipes); silent with --json. */
  info(text: string): void;
}

/** Creates the output helper for one invocation. */
export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, text) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
    },
    info(text) {
      if (!json) process.stderr.write(`${text}\n`);
    },
  };
}

/** The parts of an error a user needs: reason code, message, and where (file, row, field). */
export interface ErrorSummary {
  code: string;
  message: string;
  file?: string;
  row?: number;
  field?: string;
}

/** Extracts code/message/location from anything thrown. */
export function summariseError(error: unknown): ErrorSummary {
  const e = (error ?? {}) as Partial<ErrorSummary> & { message?: string; problems?: unknown };
  const summary: ErrorSummary = {
    code: typeof e.code === 'string' ? e.code : 'ERROR',
    message: (typeof e.message === 'string' && e.message) || String(error),
  };
  if (typeof e.file === 'string') summary.file = e.file;
  if (typeof e.row === 'number') summary.row = e.row;
  if (typeof e.field === 'string') summary.field = e.field;
  return summary;
}

/** Prints an error as one line (or a JSON document with --json) and sets a non-zero exit code. */
export function reportError(error: unknown, json: boolean): void {
  const s = summariseError(error);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: s })}\n`);
  } else {
    const where = [s.file, s.row !== undefined ? `row ${s.row}` : undefined, s.field ? `field ${s.field}` : undefined]
      .filter(Boolean)
      .join(', ');
    // The reason code as in the HTTP problem's `code`, so a script can tell failures apart.
    const code = s.code !== 'ERROR' ? ` [${s.code}]` : '';
    process.stderr.write(`landwatch: error: ${where ? `${where}: ` : ''}${s.message.split('\n')[0]}${code}\n`);
  }
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
