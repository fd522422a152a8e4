/**
 * Server-side paths named in HTTP requests must lie inside the data folder: resolved, with symbolic
 * links followed, then compared by prefix. No `..`, absolute path or link can reach beyond it.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ImageryError } from './imagery-errors.ts';

/**
 * The real path of `requested` (relative to `root`, or absolute) when it is inside `root`.
 * Throws PATH_NOT_ALLOWED otherwise, FILE_NOT_FOUND when it does not exist.
 */
export function resolveInside(root: string, requested: string): string {
  if (typeof requested !== 'string' || requested.length === 0 || requested.includes('\u0000')) {
    throw new ImageryError('PATH_NOT_ALLOWED', 'empty or malformed path', undefined, 'files');
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    throw new ImageryError('PATH_NOT_ALLOWED', 'the server has no data folder for imagery', undefined, 'files');
  }
  const candidate = path.resolve(realRoot, requested);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    // Say "not allowed" for outside paths even when they do not exist: never probe the file system for callers.
    if (!isInside(realRoot, candidate)) throw new ImageryError('PATH_NOT_ALLOWED', path.basename(requested), undefined, 'files');
    throw new ImageryError('FILE_NOT_FOUND', undefined, path.basename(requested), 'files');
  }
  if (!isInside(realRoot, real)) throw new ImageryError('PATH_NOT_ALLOWED', path.basename(requested), undefined, 'files');
  return real;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
