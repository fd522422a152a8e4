// Builds the web map before `npm start` when map-client/dist is missing or older than its sources,
// so `npm install && npm start` serves the real map without a separate build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'map-client/dist/index.html');
const src = path.join(root, 'map-client');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(path.join(src, 'index.html'))) process.exit(0);
if (existsSync(dist) && statSync(dist).mtimeMs >= newest(src)) process.exit(0);
console.error('Building the web map (map-client) …');
const result = spawnSync('npx', ['vite', 'build', '--config', 'map-client/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
