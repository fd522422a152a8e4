import type { Command } from 'commander';
import { createLogger } from '../../../api/src/logger.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

/** `landwatch demo`: imports the demo district (data/demo) and analyses it. */
export function registerDemoCommand(program: Command, output: () => Output): void {
  program
    .command('demo')
    .description('Load the demo district from data/demo and analyse it / 加载演示数据')
    .action(async () => {
      const { runAnalysis } = await import('../../../api/src/analysis/analysis.service.ts');
      const { loadDemo } = await import('../../../api/src/demo/demo.service.ts');
      const config = cliConfig();
      const logger = createLogger(config.logLevel);
      const report = await withDb(config, (db) => loadDemo(db, logger, { analyse: (d) => runAnalysis(d, { mode: 'full' }) }));
      output().result(
        report,
        report.datasets
          .map((d) => `${d.kind.padEnd(20)} ${d.name.padEnd(28)} ${d.noop ? 'unchanged' : `${d.features} features`}`)
          .join('\n') + `\nanalysis: ${JSON.stringify(summariseAnalysis(report.analysis))}`,
      );
    });
}

function summariseAnalysis(result: unknown): unknown {
  const r = result as { runId: number; suspects: { active: number }; findings: number } | null;
  return r ? { run: r.runId, findings: r.findings, activeSuspects: r.suspects.active } : null;
}
