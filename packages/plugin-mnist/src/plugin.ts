/** The plugin object, platform-free: the entries (index.ts for Node and browser.ts add the way to the digits). */
import { definePlugin } from '@ganforge/core';
import { mnistDataset } from './mnist-dataset.js';
// Bundled into dist by tsup, so the plugin runs where there is no file system (a browser page).
import pkg from '../package.json' with { type: 'json' };

export const mnistPlugin = definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'mnist', core: '^0.1.0', apiVersion: 1 },
  datasets: { digits: mnistDataset },
});
