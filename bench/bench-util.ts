import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';

/** Whether an executable is on PATH. */
export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Runs a command, returning wall time (ms) and the child's peak RSS (MiB) via GNU time when present. */
export function runMeasured(command: string, args: string[], env: Record<string, string> = {}): { ms: number; peakRssMb: number | null } {
  const t0 = performance.now();
  const useTime = has('/usr/bin/time');
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' })
    : spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const kb = useTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null };
}

/** Creates a scratch database on the server and returns its URL; `drop()` removes it. */
export async function scratchDatabase(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  execFileSync('psql', [u.toString(), '-qc', 'CREATE EXTENSION IF NOT EXISTS postgis']);
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Prints one result line: ours vs the peer, and the ratio (peer / ours > 1 means we are faster). */
export function report(name: string, ours: { ms: number; extra?: string }, peer: { name: string; ms: number; extra?: string } | string): void {
  if (typeof peer === 'string') {
    console.log(`${name}: LandWatch ${(ours.ms / 1000).toFixed(2)} s${ours.extra ? ` (${ours.extra})` : ''}; peer skipped: ${peer}`);
    return;
  }
  const ratio = ours.ms / peer.ms;
  console.log(
    `${name}: LandWatch ${(ours.ms / 1000).toFixed(2)} s${ours.extra ? ` (${ours.extra})` : ''} | ${peer.name} ${(peer.ms / 1000).toFixed(2)} s${peer.extra ? ` (${peer.extra})` : ''} | LandWatch/peer time ratio ${ratio.toFixed(2)}`,
  );
}

/**
 * A GDAL `PG:` connection string for a postgres:// URL, as key=value pairs: GDAL 3.6 mangles URI
 * forms (it appends application_name to the database name).
 */
export function gdalPgSource(url: string): string {
  const u = new URL(url);
  const password = u.password ? ` password=${decodeURIComponent(u.password)}` : '';
  return `PG:dbname=${decodeURIComponent(u.pathname.slice(1))} host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username) || 'postgres'}${password}`;
}
