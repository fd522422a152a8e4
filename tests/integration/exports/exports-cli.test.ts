/** `landwatch export` as a real child process against its own database holding the seeded scene. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../api/src/db/migrate.ts';
import { openDb } from '../../../api/src/db/open-db.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { createTestProcessEnv } from '../../helpers/test-db.ts';
import { unzipFile } from './export-readers.ts';
import { seedExportScene } from './export-seed.ts';

let processEnv: Awaited<ReturnType<typeof createTestProcessEnv>>;
let out: string;
beforeAll(async () => {
  processEnv = await createTestProcessEnv();
  const db = await openDb({ databaseUrl: processEnv.env.DATABASE_URL || undefined, dataDir: processEnv.env.LANDWATCH_DATA_DIR ?? ':memory:' });
  try {
    await migrate(db);
    await seedExportScene(db);
  } finally {
    await db.close();
  }
  out = await mkdtemp(path.join(os.tmpdir(), 'lw-export-cli-'));
});
afterAll(async () => {
  await processEnv?.cleanup();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('landwatch export', () => {
  it('documents its options', async () => {
    const help = await runCli(['export', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--format', '--district', '--by-district', '--rule', '--severity', '--status', '--srs', '--encoding', '--out']) expect(help.stdout).toContain(option);
  });

  it('writes a district CSV into a folder under its default name and reports JSON', async () => {
    const run = await runCli(['--json', 'export', '--format', 'csv', '--district', '440999101000', '--out', `${out}/`], processEnv.env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { file: string; rows: number; format: string };
    expect(report.rows).toBe(3);
    expect(path.basename(report.file)).toMatch(/^两违图斑_440999101_\d{8}\.csv$/);
    expect((await readFile(report.file, 'utf8')).split('\r\n')[1]).toMatch(/^1,JZ-0001,440999101001,临江区,东湖街道,东湖社区,/);
  });

  it('writes a by-district GBK Shapefile zip to a named file', async () => {
    const file = path.join(out, 'nested', 'by-township.zip');
    const run = await runCli(['export', '--format', 'shp', '--by-district', '--level', 'township', '--encoding', 'gbk', '--srs', 'EPSG:4547', '--out', file], processEnv.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Exported 6 suspects as SHP to .*by-township\.zip/);
    const names = Object.keys(await unzipFile(file));
    expect(names).toContain('440999101_东湖街道.dbf');
    expect(names).toContain('440999102_南山镇.prj');
  });

  it('fails with one line naming the problem, and leaves no partial file', async () => {
    const bad = await runCli(['export', '--format', 'pdf', '--out', path.join(out, 'x.pdf')], processEnv.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^landwatch: error: .*format/);
    const unknown = await runCli(['--json', 'export', '--format', 'csv', '--district', '440999109', '--out', path.join(out, 'y.csv')], processEnv.env);
    expect(unknown.code).not.toBe(0);
    expect((JSON.parse(unknown.stdout) as { error: { code: string } }).error.code).toBe('DISTRICT_NOT_FOUND');
    expect(existsSync(path.join(out, 'y.csv'))).toBe(false);
    expect((await readdir(out)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
