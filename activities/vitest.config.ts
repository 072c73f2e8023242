import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Command tests wait for real processes (timeouts, SIGTERM→SIGKILL grace).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
