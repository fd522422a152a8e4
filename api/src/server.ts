import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.types.ts';
import { migrate, type MigrateResult } from './db/migrate.ts';
import { openDb } from './db/open-db.ts';
import { failInterruptedJobs } from './jobs/jobs.repository.ts';
import { JobService } from './jobs/jobs.service.ts';
import { createLogger, type Logger } from './logger.ts';

/** A running LandWatch server. */
export interface RunningServer {
  url: string;
  db: Db;
  jobs: JobService;
  server: Server;
  logger: Logger;
  migrations: MigrateResult;
  /** Milliseconds from the start call until listening, split by phase. */
  timings: { openDbMs: number; migrateMs: number; seedMs: number; totalMs: number };
  /** Graceful stop: no new connections, wait for requests and jobs (up to the timeout), close the DB. */
  stop(): Promise<void>;
}

/** Optional work between migrating and listening (the demo loader plugs in here). */
export type SeedHook = (ctx: { db: Db; jobs: JobService; logger: Logger; config: Config }) => Promise<unknown>;

/** Opens the database, applies migrations, runs the seed hook, and listens on config.host:port. */
export async function startServer(config: Config, options: { logger?: Logger; seed?: SeedHook } = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const t1 = performance.now();
  let server: Server | undefined;
  try {
    const migrations = await migrate(db);
    const t2 = performance.now();
    const interrupted = await failInterruptedJobs(db);
    if (interrupted > 0) logger.warn({ interrupted }, 'jobs interrupted by the previous stop were marked failed');
    const jobs = new JobService(db, logger);
    if (options.seed) await options.seed({ db, jobs, logger, config });
    const t3 = performance.now();
    const app = createApp({ db, config, logger, jobs });
    const listening = createServer(app);
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, config.host, () => resolve());
    });
    const address = listening.address() as AddressInfo;
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    const timings = {
      openDbMs: Math.round(t1 - t0),
      migrateMs: Math.round(t2 - t1),
      seedMs: Math.round(t3 - t2),
      totalMs: Math.round(performance.now() - t0),
    };
    logger.info({ url, db: db.kind, timings, migrationsApplied: migrations.applied.length }, 'LandWatch listening');
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
        listening.closeIdleConnections();
        const timer = setTimeout(() => listening.closeAllConnections(), config.shutdownTimeoutMs);
        await closed;
        clearTimeout(timer);
        await jobs.drain();
        await db.close();
        logger.info('LandWatch stopped');
      })());
    return { url, db, jobs, server: listening, logger, migrations, timings, stop };
  } catch (error) {
    server?.close();
    await db.close().catch(() => undefined);
    throw error;
  }
}
