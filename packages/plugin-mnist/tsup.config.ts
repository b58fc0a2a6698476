import { ganforgePackage } from '../../tsup.preset.js';

// Two entries: Node (reads the mnist package from disk) and browser (the app fetches the digits).
export default ganforgePackage({ entry: { index: 'src/index.ts', browser: 'src/browser.ts' }, splitting: true });
