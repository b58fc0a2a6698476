/**
 * The one tsup setup every package builds with: ESM for Node 20, types, source maps. A package passes only
 * what differs (the core has more entries).
 */
import { defineConfig, type Options } from 'tsup';

export function ganforgePackage(overrides: Options = {}) {
  return defineConfig({
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    ...overrides,
  });
}
