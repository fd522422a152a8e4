import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads one `.sql` file that sits beside the calling module (`sqlFile(import.meta.url, 'sql/x.sql')`).
 * Read once at import time, so a missing file fails at start-up, not mid-request.
 */
export function sqlFile(moduleUrl: string, relativePath: string): string {
  return readFileSync(path.join(path.dirname(fileURLToPath(moduleUrl)), relativePath), 'utf8');
}
