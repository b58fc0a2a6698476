import { ganforgePackage } from '../../tsup.preset.js';

export default ganforgePackage({
  entry: { index: 'src/index.ts', browser: 'src/browser.ts', portable: 'src/portable.ts', testing: 'src/testing/index.ts', cli: 'src/cli/main.ts', 'spec-schema': 'src/spec/schema.ts' },
  dts: { entry: { index: 'src/index.ts', browser: 'src/browser.ts', portable: 'src/portable.ts', testing: 'src/testing/index.ts' } },
  splitting: true,
});
