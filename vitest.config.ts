import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests exercise the core's sources, and plugins loaded during tests see the same module instance.
    alias: [
      { find: /^@ganforge\/core$/, replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
      { find: /^@ganforge\/core\/testing$/, replacement: fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // tfjs keeps global engine state: one process per test file keeps files independent.
    pool: 'forks',
    // Node's host is the default for callers that pass none (as in @ganforge/core's Node entry).
    setupFiles: ['test/node-host.setup.ts'],
    // Type-level tests of the public API (define* inference); a type error fails `pnpm test`.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
