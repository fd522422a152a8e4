import type { Db } from '../db/db.types.ts';
import type { Logger } from '../logger.ts';
import { insertJob, selectJob, updateJob, type JobRecord } from './jobs.repository.ts';

/** What a running job may report. */
export interface JobContext {
  readonly id: string;
  /** Reports progress (0..1) and an optional message; writes are throttled to a few per second. */
  progress(fraction: number, message?: string): void;
}

/** Errors carrying a reason code (and file/row/field) keep them in the job's stored error. */
interface CodedError {
  code?: unknown;
  message: string;
  file?: unknown;
  row?: unknown;
  field?: unknown;
  details?: unknown;
}

/**
 * Runs long work (imports, analyses, exports) in the background of this process and keeps its
 * state in the `job` table so `GET /api/jobs/{id}` can report it.
 */
export class JobService {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /** Registers the job, starts `work` without awaiting it, and returns the queued record. */
  async start<T>(type: string, params: unknown, work: (ctx: JobContext) => Promise<T>): Promise<JobRecord> {
    const job = await insertJob(this.db, type, params);
    const run = this.run(job.id, work).finally(() => this.running.delete(run));
    this.running.add(run);
    return job;
  }

  /** The job, or null when unknown. */
  get(id: string): Promise<JobRecord | null> {
    return selectJob(this.db, id);
  }

  /** Resolves when every job started so far has finished (graceful stop, tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run<T>(id: string, work: (ctx: JobContext) => Promise<T>): Promise<void> {
    let lastWrite = 0;
    let pendingWrite: Promise<void> = Promise.resolve();
    const ctx: JobContext = {
      id,
      progress: (fraction, message) => {
        const now = Date.now();
        if (now - lastWrite < 250 && fraction < 1) return;
        lastWrite = now;
        const progress = Math.max(0, Math.min(1, fraction));
        pendingWrite = pendingWrite.then(() => updateJob(this.db, id, { progress, message }).catch(() => undefined));
      },
    };
    try {
      await updateJob(this.db, id, { status: 'running' });
      const result = await work(ctx);
      await pendingWrite;
      await updateJob(this.db, id, { status: 'succeeded', progress: 1, result: result ?? null });
    } catch (error) {
      await pendingWrite;
      const e = error as CodedError;
      const stored = {
        code: typeof e.code === 'string' ? e.code : 'JOB_FAILED',
        message: e.message ?? String(error),
        ...(e.file !== undefined ? { file: e.file } : {}),
        ...(e.row !== undefined ? { row: e.row } : {}),
        ...(e.field !== undefined ? { field: e.field } : {}),
        ...(e.details !== undefined ? { details: e.details } : {}),
      };
      if (stored.code === 'JOB_FAILED') this.logger.error({ err: error, jobId: id }, 'job failed');
      await updateJob(this.db, id, { status: 'failed', error: stored }).catch((err: unknown) =>
        this.logger.error({ err, jobId: id }, 'could not record job failure'),
      );
    }
  }
}
