import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: 'tests/e2e',
    include: ['**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
