/**
 * @ganforge/plugin-typeset: typeset digits as a ganforge dataset ("typeset/digits"), rendered offline from
 * open fonts shipped by npm packages, normalized like MNIST (the other domain of an MNIST ↔ typeset CycleGAN).
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { typesetDataset } from './typeset-dataset.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'typeset', core: '^0.1.0', apiVersion: 1 },
  datasets: { digits: typesetDataset },
});

export { FONTS, type FontInfo, type FontStyle } from './fonts.js';
