import { defineConfig } from 'vitest/config';

// Only the benchmarks' own logic is tested here; the benchmarks themselves are not tests.
export default defineConfig({ test: { include: ['**/*.test.ts'] } });
