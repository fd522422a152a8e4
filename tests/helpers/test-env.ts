import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the LandWatch checkout. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared test corpora (`../shared/data` beside the checkout); absent on a user's fresh clone. */
export const SHARED_DATA = path.resolve(PROJECT_ROOT, '../shared/data');

/** True in CI: nothing may be skipped (LANDWATCH_REQUIRE_ALL=1). */
export const REQUIRE_ALL = process.env.LANDWATCH_REQUIRE_ALL === '1';

/** Whether an executable is on PATH. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides whether a test that needs something external (a tool, the shared corpora) must be skipped.
 * Returns a reason to skip (printed), or null to run. Under LANDWATCH_REQUIRE_ALL=1 a missing
 * requirement throws instead, so CI can never pass by skipping.
 */
export function missingRequirement(requirements: { commands?: string[]; paths?: string[] }): string | null {
  const missing = [
    ...(requirements.commands ?? []).filter((c) => !hasCommand(c)).map((c) => `command ${c}`),
    ...(requirements.paths ?? []).filter((p) => !existsSync(p)).map((p) => `path ${p}`),
  ];
  if (missing.length === 0) return null;
  const reason = `needs ${missing.join(', ')}`;
  if (REQUIRE_ALL) throw new Error(`LANDWATCH_REQUIRE_ALL=1 but this test ${reason}`);
  console.warn(`[skipped] ${reason}`);
  return reason;
}
