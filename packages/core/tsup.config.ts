import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', cli: 'src/cli/main.ts', 'spec-schema': 'src/spec/schema.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: true,
});
