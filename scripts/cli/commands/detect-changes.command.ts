import { existsSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { ChangeDetectionRun, DateInput } from '../../../api/src/imagery/change-detection.service.ts';
import { ImageryError } from '../../../api/src/imagery/imagery-errors.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

interface DetectCliOptions {
  before: string;
  after: string;
  bands?: string;
  beforeBands?: string;
  afterBands?: string;
  beforeDate?: string;
  afterDate?: string;
  srs?: string;
  threshold?: string;
  thresholdMethod?: string;
  minAreaM2?: string;
  out?: string;
  name?: string;
  import: boolean;
}

function number(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ImageryError('INVALID_OPTION', `--${option} ${value} (a non-negative number)`, undefined, option);
  return n;
}

/** `imagery:12` → a registered imagery id; anything else → comma-separated files. */
function dateInput(value: string, bands: string | undefined, date: string | undefined, srs: number | undefined): DateInput {
  const m = /^imagery:(\d+)$/.exec(value.trim());
  if (m) return { imageryId: Number(m[1]) };
  const files = value.split(',').map((f) => f.trim()).filter(Boolean);
  return { files, bands, date, srs };
}

/**
 * `landwatch detect-changes --before A.tif[,B.tif…] --after … [--bands …] [--threshold …]
 * [--min-area-m2 …] [--out patches.geojson]`: finds change patches between two imagery dates and
 * imports them as a change_patch dataset.
 */
export function registerDetectChangesCommand(program: Command, output: () => Output): void {
  program
    .command('detect-changes')
    .description('Find change patches between two imagery dates and import them as a change_patch layer / 影像变化检测')
    .requiredOption('--before <files>', 'earlier date: GeoTIFF file(s), comma-separated (one multi-band file or one per band), or imagery:<id>')
    .requiredOption('--after <files>', 'later date: as --before; resampled onto the earlier grid when grids differ')
    .option('--bands <map>', 'band map for both dates: blue=B02,green=B03,red=B04,nir=B08 (file-name tokens) or blue=1,green=2,red=3,nir=4 (band numbers); guessed when absent')
    .option('--before-bands <map>', 'band map of the earlier date only')
    .option('--after-bands <map>', 'band map of the later date only')
    .option('--before-date <YYYY-MM-DD>', 'earlier date (default: from the file names)')
    .option('--after-date <YYYY-MM-DD>', 'later date (default: from the file names)')
    .option('--srs <EPSG:n>', 'CRS of files whose GeoKeys name none')
    .option('--threshold <sigma>', 'fixed change-magnitude threshold in noise σ units (default: automatic)')
    .option('--threshold-method <m>', 'automatic threshold: kittler-illingworth (default) or otsu')
    .option('--min-area-m2 <m2>', 'smallest patch kept, m² (default 200)')
    .option('--out <path>', 'also write the patches as GeoJSON (EPSG:4490)')
    .option('--name <name>', 'layer name of the change_patch dataset (default: change-detection <before>_<after>)')
    .option('--no-import', 'only detect (and write --out); store nothing in the database')
    .action(async (opts: DetectCliOptions) => {
      const { runChangeDetection } = await import('../../../api/src/imagery/change-detection.service.ts');
      const { ImageryService } = await import('../../../api/src/imagery/imagery.service.ts');
      const config = cliConfig();
      const out = output();
      const method = opts.thresholdMethod;
      if (method !== undefined && method !== 'kittler-illingworth' && method !== 'otsu') {
        throw new ImageryError('INVALID_OPTION', `--threshold-method ${method} (kittler-illingworth or otsu)`, undefined, 'threshold-method');
      }
      const srs = opts.srs ? Number(opts.srs.replace(/^EPSG:/i, '')) : undefined;
      if (srs !== undefined && !Number.isInteger(srs)) throw new ImageryError('INVALID_OPTION', `--srs ${opts.srs}`, undefined, 'srs');
      const before = dateInput(opts.before, opts.beforeBands ?? opts.bands, opts.beforeDate, srs);
      const after = dateInput(opts.after, opts.afterBands ?? opts.bands, opts.afterDate, srs);
      // Missing files fail here, before the database is opened (seconds for the embedded one).
      for (const d of [before, after]) if ('files' in d) for (const f of d.files) if (!existsSync(f)) throw new ImageryError('FILE_NOT_FOUND', undefined, path.basename(f), 'file');
      const options = { threshold: number(opts.threshold, 'threshold'), thresholdMethod: method as 'otsu' | undefined, minAreaM2: number(opts.minAreaM2, 'min-area-m2') };
      const bar = !out.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'detect-changes [{bar}] {percentage}% {message}', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(100, 0, { message: '' });
      let lastLine = -1;
      const progress = (fraction: number, message: string) => {
        if (bar) return bar.update(Math.round(fraction * 100), { message });
        // Without a terminal: a plain line every 10 %.
        const step = Math.floor(fraction * 10);
        if (!out.json && step > lastLine) {
          lastLine = step;
          process.stderr.write(`detect-changes: ${Math.round(fraction * 100)}% ${message}\n`);
        }
      };
      let run: ChangeDetectionRun;
      try {
        run = await withDb(config, async (db) => {
          const imagery = new ImageryService(db, config.dataDir);
          try {
            return await runChangeDetection(db, imagery, { before, after, options, out: opts.out, name: opts.name, import: opts.import }, progress);
          } finally {
            await imagery.close();
          }
        });
      } finally {
        bar?.stop();
      }
      out.result(run, describe(run));
    });
}

function describe(r: ChangeDetectionRun): string {
  const mu = (m2: number) => (m2 / (10000 / 15)).toFixed(2);
  const lines = [
    `Change detection ${r.before.date} → ${r.after.date}: ${r.patches} patches, ${r.areaM2.toFixed(1)} m² (${mu(r.areaM2)} 亩)`,
    `  threshold ${r.threshold.toFixed(2)} σ (${r.thresholdHow}); ${r.stats.changedPixels} changed of ${r.stats.comparedPixels} compared pixels; ${r.stats.droppedBelowMinArea} components below the minimum area`,
    `  grid ${r.stats.width} × ${r.stats.height}, bands ${r.stats.bands.join(', ')}, ${r.stats.ms} ms`,
  ];
  if (r.dataset) {
    const d = r.dataset;
    lines.push(`  imported: change_patch "${d.name}" version ${d.version} (dataset ${d.datasetId}): ${d.features} features, ${d.repaired} repaired, ${d.rejected} rejected${d.noop ? ' (already imported)' : ''}`);
  } else lines.push('  nothing imported');
  if (r.out) lines.push(`  GeoJSON: ${r.out}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
