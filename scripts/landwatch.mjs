#!/usr/bin/env node
// The `landwatch` command. LandWatch runs its TypeScript sources directly through tsx (a runtime
// dependency), so `npx landwatch …` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli/landwatch.cli.ts');
