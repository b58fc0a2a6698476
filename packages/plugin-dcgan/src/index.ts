/**
 * @ganforge/plugin-dcgan: DCGAN (Radford et al. 2016) and its conditional form (cGAN) for ganforge:
 * "dcgan/generator", "dcgan/discriminator" and the "dcgan/dcgan" objective.
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { minibatchStddevLayer, spectralNormLayers } from '@ganforge/plugin-stability';
import { discriminator } from './discriminator.js';
import { generator } from './generator.js';
import { dcganObjective } from './objective.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'dcgan', core: '^0.1.0', apiVersion: 1 },
  architectures: { generator, discriminator },
  objectives: { dcgan: dcganObjective },
  // The discriminator's `spectralNorm` and `minibatchStddev` layers, so exported models that use them reload with this plugin alone.
  layers: (tf) => {
    const { SpectralConv2D, SpectralDense } = spectralNormLayers(tf);
    return [SpectralConv2D, SpectralDense, minibatchStddevLayer(tf)];
  },
});
