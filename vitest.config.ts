import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'luasocket-async/compat': fileURLToPath(new URL('./compat/index.ts', import.meta.url)),
      'luasocket-async/nixio': fileURLToPath(new URL('./nixio/index.ts', import.meta.url)),
      'luasocket-async': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files spend their time waiting on sockets, timers and child
    // processes, not on a core: on a small machine run more of them at once
    // than vitest's default of one fewer than the cores (a single file on two).
    maxWorkers: Math.max(4, availableParallelism()),
    // Under CI a JSON report of every project lets .ci/run print one plain summary line.
    reporters:
      process.env.CI === 'true'
        ? ['default', ['json', { outputFile: 'test-results.json' }]]
        : ['default'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'compat/**/*.ts', 'nixio/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
    // `npm run test:unit` runs the first alone; `npm test` runs them all.
    projects: [
      {
        // In-process tests over loopback sockets. A few start a plain `node -e`
        // peer that must be another process (a listener that never accepts, a
        // stale Unix socket file, a fresh process's NODE_DEBUG).
        extends: true,
        test: {
          name: 'unit',
          include: [
            'test/core/**/*.test.ts',
            'test/compat/**/*.test.ts',
            'test/nixio/**/*.test.ts',
          ],
        },
      },
      {
        // Tests whose other end is a program: LuaSocket under lua5.4, the
        // examples, the built package, tsc over the docs. They mostly wait on
        // those processes and on the network, so more of them run at once than
        // there are cores.
        extends: true,
        test: {
          name: 'integration',
          include: [
            'test/interop/**/*.test.ts',
            'test/examples/**/*.test.ts',
            'test/consumers/**/*.test.ts',
            'test/docs/**/*.test.ts',
          ],
          globalSetup: ['test/helpers/compile-examples.ts'],
        },
      },
      {
        // The hostile-network suites: a fault-injecting proxy between real
        // loopback peers, fuzzers against a model of LuaSocket's buffer, and
        // the short form of the stress runs (`npm run stress` is the long one).
        extends: true,
        test: {
          name: 'faults',
          include: [
            'test/faults/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
            'test/stress/**/*.test.ts',
          ],
        },
      },
      {
        // The compat tuple shapes, pinned with expectTypeOf and checked by tsc.
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/types/**/*.test-d.ts'] },
        },
      },
    ],
  },
});
