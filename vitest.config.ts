import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['apps/server', 'packages/contracts', 'packages/api-client', 'apps/web', 'bench'],
  },
});
