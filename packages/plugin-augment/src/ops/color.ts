/**
 * DiffAugment's color ops (Zhao et al. 2020, `rand_brightness`, `rand_saturation`, `rand_contrast`), on
 * images scaled to [-1, 1] as in the paper's code, one random factor per image:
 *   brightness: x + (u - 0.5)                       u ~ U[0, 1)
 *   saturation: (x - mean_c(x)) * 2u + mean_c(x)     mean over channels (a no-op for grayscale)
 *   contrast:   (x - mean_chw(x)) * (u + 0.5) + mean_chw(x)
 */
import { defineAugmentation, type Augment, type RandomSource, type Tensor4D, type TF } from '@ganforge/core';
import { blend, probabilityOption } from '../probability.js';

export type ColorOp = 'brightness' | 'saturation' | 'contrast';

export function applyColor(tf: TF, op: ColorOp, x: Tensor4D, u: Tensor4D): Tensor4D {
  switch (op) {
    case 'brightness':
      return tf.add(x, tf.sub(u, 0.5)) as Tensor4D;
    case 'saturation': {
      const mean = tf.mean(x, 3, true);
      return tf.add(tf.mul(tf.sub(x, mean), tf.mul(u, 2)), mean) as Tensor4D;
    }
    case 'contrast': {
      const mean = tf.mean(x, [1, 2, 3], true);
      return tf.add(tf.mul(tf.sub(x, mean), tf.add(u, 0.5)), mean) as Tensor4D;
    }
  }
}

function colorAugment(tf: TF, ops: readonly ColorOp[], p: number): Augment {
  return (images: Tensor4D, random: RandomSource) => {
    let x = images;
    for (const op of ops) x = applyColor(tf, op, x, random.uniform([images.shape[0], 1, 1, 1]) as Tensor4D);
    return blend(tf, images, x, p, random);
  };
}

const single = (op: ColorOp, description: string) =>
  defineAugmentation({
    description,
    optionsSchema: { type: 'object', properties: { ...probabilityOption }, additionalProperties: false },
    build: ({ tf, options }) => colorAugment(tf, [op], options.p),
  });

export const brightness = single('brightness', 'DiffAugment brightness: adds a random offset in [-0.5, 0.5) per image ([-1, 1] data).');
export const saturation = single('saturation', 'DiffAugment saturation: scales each pixel\'s distance from its channel mean by a random factor in [0, 2) per image.');
export const contrast = single('contrast', 'DiffAugment contrast: scales the distance from the image mean by a random factor in [0.5, 1.5) per image.');
export const color = defineAugmentation({
  description: 'DiffAugment "color": brightness, then saturation, then contrast, as in the paper\'s code.',
  optionsSchema: { type: 'object', properties: { ...probabilityOption }, additionalProperties: false },
  build: ({ tf, options }) => colorAugment(tf, ['brightness', 'saturation', 'contrast'], options.p),
});
