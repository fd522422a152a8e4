import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGERY_REASONS } from '../../../api/src/imagery/imagery-errors.ts';
import { missingRequirement, PROJECT_ROOT, SHARED_DATA } from '../../helpers/test-env.ts';

const GCORE = path.join(SHARED_DATA, 'geotiff/gdal-gcore');
const skip = missingRequirement({ paths: [GCORE] });
const HEAP_MB = 512;
const TIMEOUT_MS = 60_000;

/** Every hostile file of GDAL's test corpus (by the names the corpus MANIFEST warns about), plus a few more block-count bombs. */
function hostileFiles(): string[] {
  const pattern = /^(huge|excessive-memory)|corrupted|truncated|^toomanyblocks|^tiled_bad_offset|above_32bit|^scanline_more|^strip_larger|^tiff_dos|webp_huge|^unknown_compression/;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (/\.tif$/i.test(e.name) && pattern.test(e.name)) out.push(path.join(dir, e.name));
    }
  };
  walk(GCORE);
  return out.sort();
}

function runGuarded(file: string): Promise<{ exit: number | null; signal: string | null; line: Record<string, unknown> | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', path.join(PROJECT_ROOT, 'tests/integration/imagery/read-guard.runner.ts'), file], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (exit, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1);
      let line: Record<string, unknown> | null;
      try {
        line = last ? (JSON.parse(last) as Record<string, unknown>) : null;
      } catch {
        line = null;
      }
      resolve({ exit, signal, line, stderr: err.slice(-2000) });
    });
  });
}

describe.skipIf(skip)('hostile GeoTIFFs become clear errors under a memory and time guard', () => {
  const files = skip ? [] : hostileFiles();

  it('finds the hostile files of the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files.map((f) => [path.relative(GCORE, f), f]))('%s', async (_name, file) => {
    const r = await runGuarded(file);
    expect(r.signal, `killed (timeout ${TIMEOUT_MS} ms or crash): ${r.stderr}`).toBeNull();
    expect(r.exit, r.stderr).toBe(0);
    expect(r.line).not.toBeNull();
    const line = r.line as { ok: boolean; code?: string; message?: string; maxRssMb: number };
    expect(line.maxRssMb).toBeLessThan(HEAP_MB + 150);
    // Every one of these is broken or beyond the limits: it must be refused, by a known reason code, naming the file.
    expect(line.ok).toBe(false);
    expect(Object.keys(IMAGERY_REASONS)).toContain(line.code);
    expect(line.message).toContain(path.basename(file));
  }, TIMEOUT_MS + 10_000);
});
