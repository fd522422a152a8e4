import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { listRejects } from '../../../api/src/datasets/datasets.repository.ts';
import { rejectsToCsv, rejectsToGeoJson } from '../../../api/src/datasets/reject-report.ts';
import type { ImportLayerResult } from '../../../api/src/imports/import.service.ts';
import { importLimitsFrom } from '../../../api/src/imports/import-limits.ts';
import { KINDS } from '../../../api/src/imports/kind-profiles.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

interface ImportCliOptions {
  kind: string;
  name?: string;
  epoch?: string;
  srs?: string;
  encoding?: string;
  idField?: string;
  widthField?: string;
  layer?: string;
  strict?: boolean;
  rejects?: string;
}

/** `landwatch import <file…> --kind K …`: imports survey files, each atomically, and reports. */
export function registerImportCommand(program: Command, output: () => Output): void {
  program
    .command('import')
    .description('Import survey files as new layer versions / 导入调查数据')
    .argument('<file...>', '.zip, .shp, .gpkg, .geojson/.geojsonl, .csv, .kml/.kmz')
    .requiredOption('--kind <kind>', `layer kind: ${KINDS.join(', ')}`)
    .option('--name <name>', 'layer name (default: the file or layer name)')
    .option('--epoch <YYYY-MM-DD>', 'survey epoch (required for buildings)')
    .option('--srs <EPSG:n>', 'source coordinate system; overrides .prj and inference')
    .option('--encoding <gbk|utf-8>', 'attribute text encoding; overrides .cpg and detection')
    .option('--id-field <field>', 'field holding the source id (BSM, JCBH …)')
    .option('--width-field <field>', 'field holding a centre line width in metres (passages)')
    .option('--layer <layer>', 'import only this layer (GeoPackage table, shapefile in a zip)')
    .option('--strict', 'fail the whole import on the first rejected feature')
    .option('--rejects <path>', 'write the full reject report to this .csv or .geojson file')
    .action(async (files: string[], opts: ImportCliOptions) => {
      const { importFile } = await import('../../../api/src/imports/import.service.ts');
      const config = cliConfig();
      const limits = importLimitsFrom(config);
      const out = output();
      const results: ImportLayerResult[] = [];
      await withDb(config, async (db) => {
        for (const file of files) {
          const bar = !out.json && process.stderr.isTTY ? new cliProgress.SingleBar({ format: `${file} {layer} {value} features`, stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
          bar?.start(0, 0, { layer: '' });
          // Without a terminal (logs, CI) progress goes out as plain lines every 5,000 features.
          let lastLine = 0;
          const line = !out.json && !bar ? (p: { layer: string; done: number }) => {
            if (p.done - lastLine >= 5000) {
              lastLine = p.done;
              process.stderr.write(`${file} [${p.layer}]: ${p.done} features read\n`);
            }
          } : undefined;
          try {
            const layers = await importFile(
              db,
              file,
              { ...opts, strict: Boolean(opts.strict), rejects: undefined },
              { progress: (p) => (bar ? bar.update(p.done, { layer: p.layer }) : line?.(p)), limits: limits.reader, maxFeatures: limits.maxFeatures },
            );
            results.push(...layers);
          } finally {
            bar?.stop();
          }
        }
        if (opts.rejects) {
          const rows = (await Promise.all(results.filter((r) => !r.noop).map((r) => listRejects(db, r.datasetId)))).flat();
          await writeFile(opts.rejects, /\.geojson$/i.test(opts.rejects) ? rejectsToGeoJson(rows) : rejectsToCsv(rows));
        }
      });
      const first = results[0] as ImportLayerResult;
      out.result(results.length === 1 ? first : { ...first, layers: results }, results.map(describe).join('\n'));
    });
}

function describe(r: ImportLayerResult): string {
  if (r.noop) return `${r.file} [${r.layer}] → ${r.kind} "${r.name}": already imported as version ${r.version} (dataset ${r.datasetId}); nothing changed`;
  const lines = [
    `${r.file} [${r.layer}] → ${r.kind} "${r.name}" version ${r.version} (dataset ${r.datasetId}): ${r.features} features, ${r.repaired} repaired, ${r.rejected} rejected`,
    `  CRS ${r.srs} (${r.srsHow}), encoding ${r.encoding ?? 'n/a'}${r.encodingHow ? ` (${r.encodingHow})` : ''}, ${r.ms} ms`,
  ];
  for (const n of r.notes) lines.push(`  note ${n.code}: ${n.message}`);
  for (const [code, n] of Object.entries(r.rejectsByCode)) lines.push(`  rejected ${n} × ${code}`);
  for (const x of r.rejects.slice(0, 5)) lines.push(`    row ${x.row}${x.sourceId ? ` (${x.sourceId})` : ''}: ${x.message}`);
  for (const x of r.repairs.slice(0, 5)) lines.push(`  repaired row ${x.row}${x.sourceId ? ` (${x.sourceId})` : ''}: ${x.reason}`);
  return lines.join('\n');
}
