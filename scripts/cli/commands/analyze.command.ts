import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { AnalysisRunResult } from '../../../api/src/analysis/analysis.service.ts';
import { toMu } from '../../../api/src/analysis/rule-catalog.ts';
import { cliConfig, withDb } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

interface AnalyzeCliOptions {
  full?: boolean;
  ruleset?: string;
}

/** `landwatch analyze [--full] [--ruleset PATH]`: runs the violation analysis and reports counts and timings. */
export function registerAnalyzeCommand(program: Command, output: () => Output): void {
  program
    .command('analyze')
    .description('Flag suspected illegal land use and construction with the ruleset / 违法用地与违法建设识别')
    .option('--full', 're-analyse everything (default: only what changed since the last run)')
    .option('--ruleset <path>', 'ruleset file (default data/rulesets/default.json)')
    .action(async (opts: AnalyzeCliOptions) => {
      const { runAnalysis } = await import('../../../api/src/analysis/analysis.service.ts');
      const config = cliConfig();
      const out = output();
      const bar = !out.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'analyze [{bar}] {percentage}% {message}', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(100, 0, { message: '' });
      let result: AnalysisRunResult;
      try {
        result = await withDb(config, (db) =>
          runAnalysis(db, {
            mode: opts.full ? 'full' : 'incremental',
            ruleset: opts.ruleset,
            progress: (p) => bar?.update(Math.round(p.fraction * 100), { message: p.message }),
          }),
        );
      } finally {
        bar?.stop();
      }
      out.result(result, describe(result));
    });
}

const fmt = (m2: number) => `${m2.toFixed(1)} m² (${toMu(m2).toFixed(2)} 亩)`;

function describe(r: AnalysisRunResult): string {
  const lines = [
    `Analysis run ${r.runId}: ${r.mode}${r.mode !== r.requestedMode ? ` (requested ${r.requestedMode})` : ''}, ruleset ${r.ruleset.version} (${r.ruleset.hash.slice(0, 12)})`,
    `  epochs: latest ${r.latestEpoch ?? 'none'}, baseline ${r.baselineEpoch ?? 'none'}`,
    `  subjects: ${r.subjects.total} in scope of analysis, ${r.subjects.analysed} evaluated now, ${r.subjects.newCount} new, ${r.subjects.grownCount} grown`,
    `  suspects: ${r.suspects.active} active (${r.suspects.created} new this run, ${r.suspects.deactivated} no longer flagged, ${r.suspects.reopened} reopened)`,
  ];
  for (const n of r.notes) lines.push(`  note ${n.code}: ${n.zh} / ${n.en}`);
  lines.push('  by rule (active suspects):');
  for (const rule of r.rules) {
    const s = r.suspects.byRule.find((b) => b.rule === rule.code);
    const state = rule.ran ? `${rule.findings} findings this run, ${rule.ms} ms` : `skipped: ${rule.skipped?.code}`;
    lines.push(`    ${rule.code.padEnd(17)} ${String(s?.suspects ?? 0).padStart(6)}  ${fmt(s?.overlapM2 ?? 0).padEnd(28)} ${rule.name.zh} — ${state}`);
  }
  lines.push('  by district (active suspects):');
  const shown = r.suspects.byDistrict.slice(0, 20);
  for (const d of shown) {
    lines.push(`    ${(d.code ?? '(none)').padEnd(13)} ${(d.name ?? '(outside every district)').padEnd(16)} ${String(d.suspects).padStart(6)} (${d.newCount} new)  ${fmt(d.areaM2)}`);
  }
  if (r.suspects.byDistrict.length > shown.length) lines.push(`    … ${r.suspects.byDistrict.length - shown.length} more districts (use --json)`);
  const steps = Object.entries(r.timings).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`  time: ${r.timings.total} ms (${steps})`);
  return lines.join('\n');
}
