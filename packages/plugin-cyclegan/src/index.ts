/**
 * @ganforge/plugin-cyclegan: CycleGAN (Zhu et al. 2017) for ganforge: "cyclegan/resnet-generator",
 * "cyclegan/patchgan", the "cyclegan/lsgan" loss, the "cyclegan/cyclegan" objective, and the custom layers
 * InstanceNormalization and ReflectionPadding2D (registered with the host's tf, so exported models reload).
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { resnetGenerator } from './generator.js';
import { cycleganLayers } from './layers.js';
import { lsganLoss } from './lsgan.js';
import { cycleganObjective } from './objective.js';
import { patchgan } from './patchgan.js';

export { cycleganLayers, type CycleganLayers, type InstanceNormalizationArgs, type ReflectionPadding2DArgs } from './layers.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'cyclegan', core: '^0.1.0', apiVersion: 1 },
  architectures: { 'resnet-generator': resnetGenerator, patchgan },
  objectives: { cyclegan: cycleganObjective },
  losses: { lsgan: lsganLoss },
  layers: (tf) => {
    const { InstanceNormalization, ReflectionPadding2D } = cycleganLayers(tf);
    return [InstanceNormalization, ReflectionPadding2D];
  },
});
