import { defineConfig } from 'vitest/config';

// Database tests run on whichever backend DATABASE_URL selects (PGlite when unset); CI runs both.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'api/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The PGlite-vs-PostGIS comparison needs a server: it belongs to the DATABASE_URL pass only
    // (CI runs both passes), rather than showing up as a skip in the embedded one.
    exclude: ['**/node_modules/**', ...(process.env.DATABASE_URL ? [] : ['tests/integration/analysis/backends-agree.test.ts'])],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
