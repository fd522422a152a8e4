import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

// The web map: built into map-client/dist, which the API serves at /. Everything is bundled (MapLibre,
// its worker, deck.gl, translations): the built map fetches nothing from outside our origin.
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
});
