import { defineConfig } from 'vitest/config';

// End-to-end: the built editor, the real API and a real worker, driven through Chromium.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/stack.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
