/**
 * Generates the demo district (data/demo): `npx tsx scripts/demo-data/generate-demo.ts
 * [--out DIR] [--seed N] [--clean] [--verify]`. Seeded and deterministic: the same seed writes
 * byte-identical files on every machine (no clock, no Math.random, fixed file dates).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderManifest, renderReadme, renderTruthJson, renderTruthMd } from './demo-docs.ts';
import { writeDemoImagery } from './demo-imagery.ts';
import { writeDemoFiles } from './demo-output.ts';
import { buildDemoWorld, DEFAULT_SEED, unexpectedFindings, type DemoWorld } from './demo-world.ts';

/** The committed demo folder. */
export const DEMO_OUT_DIR = resolve(fileURLToPath(new URL('../../data/demo', import.meta.url)));

/** Options of {@link generateDemo}. */
export interface GenerateDemoOptions {
  /** Output folder; created when missing. */
  readonly outDir: string;
  readonly seed?: number;
  /** Delete everything in outDir first (so renamed outputs leave no stale files). */
  readonly clean?: boolean;
}

/**
 * Builds, verifies and writes the demo. Returns the file names written (relative to outDir) and
 * the world with its checked cases. Throws when a planted case does not hold.
 */
export async function generateDemo(options: GenerateDemoOptions): Promise<{ files: string[]; demo: DemoWorld }> {
  const demo = buildDemoWorld(options.seed ?? DEFAULT_SEED);
  if (options.clean) {
    for (const f of readdirSafe(options.outDir)) rmSync(join(options.outDir, f), { recursive: true, force: true });
  }
  mkdirSync(options.outDir, { recursive: true });
  const files = await writeDemoFiles(options.outDir, demo.world);
  files.push(...(await writeDemoImagery(options.outDir, demo.world)));
  const docs: [string, string][] = [
    ['README.md', renderReadme(demo)],
    ['TRUTH.md', renderTruthMd(demo)],
    ['truth.json', renderTruthJson(demo)],
    ['demo-manifest.json', renderManifest()],
  ];
  for (const [name, text] of docs) {
    writeFileSync(join(options.outDir, name), text);
    files.push(name);
  }
  return { files: files.sort(), demo };
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function parseArgs(argv: readonly string[]): { outDir: string; seed: number; clean: boolean; verify: boolean } | null {
  const out = { outDir: DEMO_OUT_DIR, seed: DEFAULT_SEED, clean: false, verify: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return null;
    else if (a === '--out') out.outDir = resolve(argv[++i] ?? '');
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--clean') out.clean = true;
    else if (a === '--verify') out.verify = true;
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (!Number.isInteger(out.seed)) throw new Error('--seed needs an integer');
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.log('usage: npx tsx scripts/demo-data/generate-demo.ts [--out DIR] [--seed N] [--clean] [--verify]\n' +
      '  --out     output folder (default data/demo)\n  --seed    PRNG seed (default ' + DEFAULT_SEED + ')\n' +
      '  --clean   empty the output folder first\n  --verify  also prove that no unplanted subject has a finding (slow)');
    return;
  }
  const { files, demo } = await generateDemo({ outDir: args.outDir, seed: args.seed, clean: args.clean });
  console.log(`wrote ${files.length} files to ${args.outDir}: ${demo.cases.length} planted cases, ` +
    `${demo.world.buildings2023.length} + ${demo.world.buildings2025.length} buildings`);
  if (args.verify) {
    const extra = unexpectedFindings(demo);
    if (extra.length > 0) throw new Error(`unplanted subjects with findings: ${extra.join('; ')}`);
    console.log('verified: no unplanted subject has a finding');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
