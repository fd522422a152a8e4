/**
 * Where the shared test corpora and oracle tools are, and the skip rule: a missing corpus folder or
 * tool skips the test with a printed reason, except under LANDWATCH_REQUIRE_ALL=1 (CI), where the
 * test runs and fails instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (/work/main in development). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The shared corpora: ../shared/data relative to the project root. */
export const corpusRoot = path.resolve(projectRoot, '../shared/data');
/** True when nothing may be skipped (CI). */
export const REQUIRE_ALL = process.env.LANDWATCH_REQUIRE_ALL === '1';
/** Golden/expected files of these tests. */
export const fixturesDir = path.resolve(projectRoot, 'tests/fixtures/imports');
/** UPDATE=1 rewrites golden files instead of comparing. */
export const UPDATE = process.env.UPDATE === '1';

/** Absolute path inside the corpus. */
export function corpus(...parts: string[]): string {
  return path.join(corpusRoot, ...parts);
}

/** True when an executable is on PATH. */
export function hasTool(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, name)));
}

/** What a test needs: corpus sub-folders and command-line tools. */
export interface Needs {
  corpus?: string[];
  tools?: string[];
}

/** The outcome of checking needs: `skip` for it.skipIf, `check()` to call first inside the test. */
export interface NeedsCheck {
  skip: boolean;
  reason: string | null;
  check(): void;
}

const printed = new Set<string>();

/**
 * Checks a test's needs. Missing → skip (reason printed once), unless LANDWATCH_REQUIRE_ALL=1:
 * then skip is false and check() throws, so the test fails with the reason.
 */
export function needs(what: Needs): NeedsCheck {
  const missing: string[] = [];
  for (const sub of what.corpus ?? []) if (!existsSync(corpus(sub))) missing.push(`corpus folder ${corpus(sub)}`);
  for (const tool of what.tools ?? []) if (!hasTool(tool)) missing.push(`tool ${tool} (not on PATH)`);
  const reason = missing.length ? `missing ${missing.join(', ')}` : null;
  if (reason && !REQUIRE_ALL && !printed.has(reason)) {
    printed.add(reason);
    console.warn(`[imports tests] skipped: ${reason}`);
  }
  return {
    skip: reason !== null && !REQUIRE_ALL,
    reason,
    check() {
      if (reason) throw new Error(`LANDWATCH_REQUIRE_ALL=1 but ${reason}`);
    },
  };
}
