/**
 * "srgan/perceptual": the content loss of SRGAN (Ledig et al. 2017, eq. 5) — the mean squared distance between
 * feature maps of the upscaled and the real image — with a packaged feature net instead of VGG19 (no hub
 * download): features/photo-features.ts. `perceptualLoss(net, tap)` builds the same loss from any other
 * net's tap, so a plugin that ships a better feature net adds its own entry in three lines.
 */
import { defineLoss, type LayersModel, type PairwiseLoss, type Scalar, type Tensor, type TF } from '@ganforge/core';
import { FEATURE_TAPS, loadPhotoFeatures } from '../features/photo-features.js';

/** mean((φ(prediction) − φ(target))²) × rescale, φ = output `tap` of `net` (frozen: its weights are in no optimizer group). */
export function perceptualLoss(tf: TF, net: LayersModel, tap: number, rescale = 1): PairwiseLoss {
  return (prediction, target) => {
    const features = (x: Tensor) => (net.apply(x, { training: false }) as Tensor[])[tap]!;
    const distance = tf.mean(tf.squaredDifference(features(prediction), features(target))) as Scalar;
    return rescale === 1 ? distance : (tf.mul(distance, rescale) as Scalar);
  };
}

export const perceptualLossEntry = defineLoss({
  kind: 'pairwise',
  description: 'Perceptual content loss: MSE between feature maps of the packaged photo feature net (SRGAN\'s VGG loss, with a small net that installs offline).',
  optionsSchema: {
    type: 'object',
    properties: {
      layer: { enum: [...FEATURE_TAPS], default: 'block2', description: 'Feature tap: "block1" (full size, 16 maps), "block2" (1/2 size, 32: the default, like SRGAN\'s VGG22), "block3" (1/4, 64: like VGG54, more texture).' },
      rescale: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, default: 1, description: 'Multiplies the distance (SRGAN rescales VGG features by 1/12.75).' },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const { model } = loadPhotoFeatures(tf);
    return perceptualLoss(tf, model, FEATURE_TAPS.indexOf(options.layer ?? 'block2'), options.rescale ?? 1);
  },
});
