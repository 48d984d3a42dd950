import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Most test time is spent waiting (DynamoDB Local's JVM, chromium, child processes), so one
    // worker more than the cores keeps them busy; vitest's default (cores - 1) runs one file at a
    // time on a 2-core machine: 6 min instead of 4.5 (issue 12).
    maxWorkers: availableParallelism() + 1,
  },
});
