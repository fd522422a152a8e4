import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ImageryError } from '../../../api/src/imagery/imagery-errors.ts';
import type { ImageryView } from '../../../api/src/imagery/imagery.service.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

interface AddOptions {
  date?: string;
  bands?: string;
  name?: string;
  srs?: string;
}

/**
 * `landwatch imagery add FILE… [--date D] [--bands …] [--name N]` registers one imagery date for the
 * map (tiles, swipe, thumbnails) and for detect-changes (imagery:<id>); `landwatch imagery list`.
 */
export function registerImageryCommand(program: Command, output: () => Output): void {
  const imagery = program.command('imagery').description('Imagery registry for the map and change detection / 影像管理');

  imagery
    .command('add')
    .description('Register GeoTIFF file(s) of one date (files stay where they are) / 登记影像')
    .argument('<file...>', 'one multi-band GeoTIFF, or one GeoTIFF per band')
    .option('--date <YYYY-MM-DD>', 'acquisition date (default: from the file names)')
    .option('--bands <map>', 'band map, e.g. red=3,green=2,blue=1,nir=4 or blue=B02,green=B03,red=B04,nir=B08 (default: guessed)')
    .option('--name <name>', 'display name (default: the first file name)')
    .option('--srs <EPSG:n>', 'CRS of files whose GeoKeys name none')
    .action(async (files: string[], opts: AddOptions) => {
      const { imageryView, ImageryService } = await import('../../../api/src/imagery/imagery.service.ts');
      const config = cliConfig();
      const out = output();
      const srs = opts.srs ? Number(opts.srs.replace(/^EPSG:/i, '')) : undefined;
      if (srs !== undefined && !Number.isInteger(srs)) throw new ImageryError('INVALID_OPTION', `--srs ${opts.srs}`, undefined, 'srs');
      const bar = !out.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'imagery add [{bar}] {percentage}%', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(100, 0);
      let result: { imagery: ImageryView; noop: boolean };
      try {
        result = await withDb(config, async (db) => {
          const service = new ImageryService(db, config.dataDir);
          try {
            const { record, noop } = await service.register(files, { date: opts.date, bands: opts.bands, name: opts.name, srs, registeredBy: process.env.USER }, (f) => bar?.update(Math.round(f * 100)));
            return { imagery: imageryView(record), noop };
          } finally {
            await service.close();
          }
        });
      } finally {
        bar?.stop();
      }
      const v = result.imagery;
      out.result(
        result,
        `${result.noop ? 'Already registered' : 'Registered'} imagery ${v.id} "${v.name}" of ${v.date}: ${v.width} × ${v.height} px, ${v.resolutionM} m, ${v.srs}, bands ${v.bands.join(', ')}\n` +
          `  bbox ${v.bbox.map((n) => n.toFixed(5)).join(', ')} (EPSG:4490)\n  tiles ${v.tiles}\n  detect-changes: --before imagery:${v.id} or --after imagery:${v.id}`,
      );
    });

  imagery
    .command('list')
    .description('List registered imagery, newest first / 影像列表')
    .action(async () => {
      const { imageryView, ImageryService } = await import('../../../api/src/imagery/imagery.service.ts');
      const config = cliConfig();
      const out = output();
      const rows = await withDb(config, async (db) => (await new ImageryService(db, config.dataDir).list()).map(imageryView));
      out.result(
        { imagery: rows },
        rows.length === 0 ? 'No imagery registered (landwatch imagery add FILE… --date YYYY-MM-DD)' : rows.map((v) => `${String(v.id).padStart(4)}  ${v.date}  ${v.name}  ${v.width} × ${v.height} px  ${v.resolutionM} m  ${v.srs}`).join('\n'),
      );
    });
}
