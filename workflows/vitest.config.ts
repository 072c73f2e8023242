import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/quiet-runtime.ts'],
    // Integration tests run real workflows on the dev server; the big-graph file takes minutes.
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
