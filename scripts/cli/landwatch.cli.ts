import { Command, CommanderError } from 'commander';
import { createOutput, reportError, type Output } from './cli-output.ts';
import { registerAnalyzeCommand } from './commands/analyze.command.ts';
import { registerDemoCommand } from './commands/demo.command.ts';
import { registerDetectChangesCommand } from './commands/detect-changes.command.ts';
import { registerExportCommand } from './commands/export.command.ts';
import { registerImageryCommand } from './commands/imagery.command.ts';
import { registerImportCommand } from './commands/import.command.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { registerServeCommand } from './commands/serve.command.ts';

const program = new Command();
program
  .name('landwatch')
  .description('LandWatch 土地卫士 — finds illegal land occupation and construction (两违) in survey data')
  .option('--json', 'print machine-readable JSON instead of text')
  .showHelpAfterError()
  .exitOverride();

const output = (): Output => createOutput(Boolean(program.opts<{ json?: boolean }>().json));
registerMigrateCommand(program, output);
registerServeCommand(program, output);
registerDemoCommand(program, output);
registerImportCommand(program, output);
registerImageryCommand(program, output);
registerDetectChangesCommand(program, output);
registerAnalyzeCommand(program, output);
registerExportCommand(program, output);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed help or its usage error; keep its exit code (0 for --help).
    process.exitCode = error.exitCode;
  } else {
    reportError(error, Boolean(program.opts<{ json?: boolean }>().json));
  }
}
