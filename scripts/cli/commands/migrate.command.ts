import type { Command } from 'commander';
import { migrate } from '../../../api/src/db/migrate.ts';
import { openDb } from '../../../api/src/db/open-db.ts';
import { cliConfig } from '../cli-context.ts';
import type { Output } from '../cli-output.ts';

/** `landwatch migrate`: applies pending migrations and prints what it did. */
export function registerMigrateCommand(program: Command, output: () => Output): void {
  program
    .command('migrate')
    .description('Apply pending database migrations / 升级数据库结构')
    .action(async () => {
      const config = cliConfig();
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const result = await migrate(db);
        const text =
          result.applied.length === 0
            ? `Database is up to date (version ${result.current}, ${db.kind})`
            : `Applied ${result.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name} (${m.ms} ms)`).join(', ')}; now at version ${result.current} (${db.kind})`;
        output().result({ db: db.kind, ...result }, text);
      } finally {
        await db.close();
      }
    });
}
