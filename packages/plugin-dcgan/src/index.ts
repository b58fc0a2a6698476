/**
 * @ganforge/plugin-dcgan: DCGAN (Radford et al. 2016) and its conditional form (cGAN) for ganforge:
 * "dcgan/generator", "dcgan/discriminator" and the "dcgan/dcgan" objective.
 */
import { definePlugin } from '@ganforge/core';
import { minibatchStddevLayer, spectralNormLayers } from '@ganforge/plugin-stability';
import { discriminator } from './discriminator.js';
import { generator } from './generator.js';
import { dcganObjective } from './objective.js';

// Bundled into dist by tsup, so the plugin runs where there is no file system (a browser page).
import pkg from '../package.json' with { type: 'json' };

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
