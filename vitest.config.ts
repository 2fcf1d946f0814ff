import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'luasocket-async/compat': fileURLToPath(new URL('./compat/index.ts', import.meta.url)),
      'luasocket-async': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Under CI a JSON report lets .ci/run print one plain summary line.
    reporters:
      process.env.CI === 'true'
        ? ['default', ['json', { outputFile: 'test-results.json' }]]
        : ['default'],
    typecheck: {
      enabled: true,
      include: ['test/types/**/*.test-d.ts'],
    },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'compat/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
