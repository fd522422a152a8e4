import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSource, sourceFiles } from '../../../api/src/imports/source-hash.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('source hash', () => {
  it('hashes a Shapefile with its sidecars, in a fixed order, on the main thread when small', async () => {
    const shp = path.join(dir, 'a.shp');
    const parts = { shp: Buffer.from('shp bytes'), dbf: Buffer.from('dbf bytes'), prj: Buffer.from('prj bytes') };
    await writeFile(shp, parts.shp);
    await writeFile(path.join(dir, 'a.prj'), parts.prj);
    await writeFile(path.join(dir, 'a.dbf'), parts.dbf);
    expect(sourceFiles(shp).map((f) => path.basename(f))).toEqual(['a.shp', 'a.dbf', 'a.prj']);
    expect(await hashSource(shp)).toBe(sha(parts.shp, parts.dbf, parts.prj));
  });

  it('gives the same hash from the worker thread for a large file, and names the file when it cannot read it', async () => {
    const big = path.join(dir, 'big.geojson');
    const bytes = Buffer.alloc(33 * 2 ** 20);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    await writeFile(big, bytes);
    expect(await hashSource(big)).toBe(sha(bytes));
    await expect(hashSource(path.join(dir, 'missing.geojson'))).rejects.toThrow(/missing\.geojson/);
  });
});
