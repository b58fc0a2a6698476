/**
 * @ganforge/plugin-stability: tools that keep GAN training stable, for any architecture or objective plugin:
 * - layers, registered with the host's tf so exported models that use them reload: spectral normalization
 *   (SpectralConv2D, SpectralDense: Miyato et al. 2018) and minibatch standard deviation (MinibatchStddev:
 *   Karras et al. 2018). Architectures opt in through their own options (dcgan's discriminator
 *   `"spectralNorm": true`, `"minibatchStddev": 4`) and register these classes in their `layers` hook too;
 * - gradient penalties (WGAN-GP two-/one-sided, R1/R2) for objectives;
 * - self-conditioning for any objective: a categorical code carried by the generator's noise (generator-code.ts)
 *   and online pixel k-means that labels real images by cluster (pixel-clusters.ts, Liu et al. 2020's idea);
 * - the augmentation entry "stability/instance-noise".
 */
import { definePlugin } from '@ganforge/core';
import { instanceNoise } from './instance-noise.js';
import { minibatchStddevLayer } from './minibatch-stddev.js';
import { spectralNormLayers } from './spectral-norm.js';

export { gradientPenalty, gradientNorms, squaredGradientNorms, interpolate, PENALTIES, type PenaltyKind, type PenaltyResult } from './gradient-penalty.js';
export { codeFromNoise, codeSize, codesOf, fixCodeKernel, noiseWithCodes } from './generator-code.js';
export { PixelClusters } from './pixel-clusters.js';
export { checkClusterConditioning, labelValues } from './self-conditioning.js';
export { minibatchStddevLayer, type MinibatchStddevArgs, type MinibatchStddevLayer } from './minibatch-stddev.js';
export { spectralNormLayers, type SpectralNormLayers, type SpectralLayer, type SpectralConv2DArgs, type SpectralDenseArgs, type SymbolicLayer } from './spectral-norm.js';

// Bundled into dist by tsup, so the plugin runs where there is no file system (a browser page).
import pkg from '../package.json' with { type: 'json' };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'stability', core: '^0.1.0', apiVersion: 1 },
  augmentations: { 'instance-noise': instanceNoise },
  layers: (tf) => {
    const { SpectralConv2D, SpectralDense } = spectralNormLayers(tf);
    return [SpectralConv2D, SpectralDense, minibatchStddevLayer(tf)];
  },
});
