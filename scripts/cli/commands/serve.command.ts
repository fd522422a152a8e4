import type { Command } from 'commander';
import { cliConfig } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

/** `landwatch serve`: runs the API and map until SIGTERM/SIGINT, then stops gracefully. */
export function registerServeCommand(program: Command, output: () => Output): void {
  program
    .command('serve')
    .description('Serve the API and the web map / 启动服务')
    .option('-p, --port <port>', 'TCP port (env PORT, default 3000)')
    .option('--host <host>', 'interface to bind (env HOST, default 127.0.0.1)')
    .option('--demo', 'load the demo district into an empty database first (env LANDWATCH_DEMO)')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const { startServer } = await import('../../../api/src/server.ts');
      const { runAnalysis } = await import('../../../api/src/analysis/analysis.service.ts');
      const { loadDemoIfEmpty } = await import('../../../api/src/demo/demo.service.ts');
      const config = cliConfig({
        logLevel: process.env.LOG_LEVEL ?? 'info',
        port: opts.port,
        host: opts.host,
        demo: opts.demo ? '1' : undefined,
      });
      const running = await startServer(config, {
        seed: config.demo ? (ctx) => loadDemoIfEmpty(ctx.db, ctx.logger, { analyse: (db) => runAnalysis(db, { mode: 'full' }) }) : undefined,
      });
      output().result(
        { url: running.url, db: running.db.kind, timings: running.timings },
        `LandWatch 土地卫士 is serving ${running.url} (database: ${running.db.kind}, ready in ${running.timings.totalMs} ms)`,
      );
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          running.logger.info({ signal }, 'stopping');
          running.stop().then(resolve, (error: unknown) => {
            running.logger.error({ err: error }, 'stop failed');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      });
    });
}
