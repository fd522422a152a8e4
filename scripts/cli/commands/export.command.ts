import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { RULE_CODES, SEVERITIES } from '../../../api/src/analysis/rule-catalog.ts';
import { describeQueryError, exportQuerySchema, toExportRequest } from '../../../api/src/exports/export-request.ts';
import { EXPORT_FORMATS, type ExportResult } from '../../../api/src/exports/exports.types.ts';
import { SUSPECT_STATUSES } from '../../../api/src/suspects/suspect-status.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

interface ExportCliOptions {
  format: string;
  out: string;
  district?: string;
  byDistrict?: boolean;
  level?: string;
  rule?: string;
  severity?: string;
  status?: string;
  active?: string;
  minAreaM2?: string;
  bbox?: string;
  epoch?: string;
  isNew?: string;
  srs?: string;
  encoding?: string;
}

/** A bad option, reported like the API's 400 (code + field). */
class CliOptionError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string) {
    super(message);
  }
}

/** The CLI spelling of a query parameter: `min_area_m2` → `--min-area-m2`, `byDistrict` → `--by-district`. */
function cliOptionName(key: string): string {
  return `--${key.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `--out` names a file, or an existing folder (or one ending in /) that receives the default file name. */
async function resolveOut(out: string, fileName: string): Promise<string> {
  const isDir = out.endsWith('/') || out.endsWith(path.sep) || (await stat(out).then((s) => s.isDirectory(), () => false));
  const target = isDir ? path.join(out, fileName) : out;
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  return path.resolve(target);
}

/**
 * `landwatch export --format F --out PATH [filters]`: writes the suspect list of a district (or all)
 * as XLSX, CSV, GeoJSON, Shapefile (zip) or KML, or a zip with one file per district. The file is
 * written under a temporary name and renamed at the end, so a failed export leaves no half file.
 */
export function registerExportCommand(program: Command, output: () => Output): void {
  program
    .command('export')
    .description('Export suspect lists per district, with the community ledger (台账) in XLSX / 导出疑似图斑清单与台账')
    .requiredOption('--format <format>', `file format: ${EXPORT_FORMATS.join(', ')} (shp = zipped Shapefile)`)
    .requiredOption('--out <path>', 'file to write, or a folder (then named 两违图斑_<district>_<YYYYMMDD>.<ext>)')
    .option('--district <code>', 'district code or prefix: county 6, township 9, village 12 digits')
    .option('--by-district', 'a zip with one file per district unit (see --level)')
    .option('--level <level>', 'unit of --by-district: county, township or village', 'village')
    .option('--rule <codes>', `any of these rules, comma-separated: ${RULE_CODES.join(', ')}`)
    .option('--severity <list>', `any of: ${SEVERITIES.join(', ')}`)
    .option('--status <list>', `any of: ${SUSPECT_STATUSES.join(', ')} (default: all but dismissed)`)
    .option('--active <which>', 'true (still flagged by the latest run), false or all', 'true')
    .option('--min-area-m2 <m2>', 'smallest subject area in m²')
    .option('--bbox <box>', 'minLon,minLat,maxLon,maxLat (EPSG:4490)')
    .option('--epoch <YYYY-MM-DD>', 'survey epoch')
    .option('--is-new <bool>', 'true = new since the baseline (增量), false = stock (存量)')
    .option('--srs <EPSG:n>', 'Shapefile coordinates: EPSG:4490 (default) or a CGCS2000 3° GK zone EPSG:4513–4554')
    .option('--encoding <enc>', 'Shapefile DBF text encoding: utf-8 (default) or gbk')
    .action(async (opts: ExportCliOptions) => {
      const { prepareExport } = await import('../../../api/src/exports/exports.service.ts');
      const query = Object.fromEntries(
        Object.entries({
          format: opts.format,
          district: opts.district,
          rule: opts.rule,
          severity: opts.severity,
          status: opts.status,
          active: opts.active,
          min_area_m2: opts.minAreaM2,
          bbox: opts.bbox,
          epoch: opts.epoch,
          is_new: opts.isNew,
          srs: opts.srs,
          encoding: opts.encoding,
          byDistrict: opts.byDistrict ? 'true' : undefined,
          level: opts.level,
        }).filter(([, v]) => v !== undefined),
      );
      const parsed = exportQuerySchema.safeParse(query);
      if (!parsed.success) throw new CliOptionError(describeQueryError(parsed.error, cliOptionName));
      const request = toExportRequest(parsed.data);
      const config = cliConfig();
      const out = output();
      const { result, file } = await withDb(config, async (db) => {
        const prepared = await prepareExport(db, request);
        const file = await resolveOut(opts.out, prepared.fileName);
        const partial = `${file}.partial-${process.pid}`;
        const bar = !out.json && process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: 'export [{bar}] {value}/{total} suspects', stream: process.stderr }, cliProgress.Presets.shades_classic)
          : null;
        bar?.start(prepared.rows, 0);
        try {
          const result = await prepared.run(createWriteStream(partial), { onProgress: (n) => bar?.update(n) });
          await rename(partial, file);
          return { result, file };
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        } finally {
          bar?.stop();
        }
      });
      out.result({ file, ...result }, describe(file, result));
    });
}

function describe(file: string, r: ExportResult): string {
  const size = r.bytes >= 1 << 20 ? `${(r.bytes / 2 ** 20).toFixed(1)} MiB` : `${(r.bytes / 1024).toFixed(1)} KiB`;
  const lines = [`Exported ${r.rows} suspects as ${r.format.toUpperCase()} to ${file} (${size}, ${(r.ms / 1000).toFixed(1)} s)`];
  if (r.files.length > 1) lines.push(`  ${r.files.length} files: ${r.files.slice(0, 5).join(', ')}${r.files.length > 5 ? ', …' : ''}`);
  return lines.join('\n');
}
