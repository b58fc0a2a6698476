/**
 * Cutout (DiffAugment's `rand_cutout`): zeroes one square-ish patch of round(ratio * size) pixels per image,
 * centred at a uniform position (the patch may hang over the border, as in the paper's code).
 */
import { defineAugmentation, type Tensor4D, type TF } from '@ganforge/core';
import { blend, probabilityOption } from '../probability.js';
import { drawInt } from './translation.js';

/** Mask [n, h, w, 1]: 0 inside each image's patch (top-left corner at `corners[i]`, size ch × cw), 1 elsewhere. */
export function cutoutMask(n: number, h: number, w: number, ch: number, cw: number, corners: ReadonlyArray<readonly [number, number]>): Float32Array {
  const mask = new Float32Array(n * h * w).fill(1);
  for (let i = 0; i < n; i++) {
    const [y0, x0] = corners[i]!;
    for (let y = Math.max(0, y0); y < Math.min(h, y0 + ch); y++) mask.fill(0, (i * h + y) * w + Math.max(0, x0), (i * h + y) * w + Math.min(w, x0 + cw));
  }
  return mask;
}

export function cutout(tf: TF, images: Tensor4D, mask: Float32Array): Tensor4D {
  const [n, h, w] = images.shape;
  return tf.mul(images, tf.tensor4d(mask, [n, h, w, 1])) as Tensor4D;
}

export const cutoutOp = defineAugmentation({
  description: 'DiffAugment cutout: zeroes a patch of ratio × the image size at a random place in each image.',
  optionsSchema: {
    type: 'object',
    properties: {
      ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'Patch size as a share of the image size (the paper: 1/2).' },
      ...probabilityOption,
    },
    additionalProperties: false,
  },
  build: ({ tf, options }) => (images, random) => {
    const [n, h, w] = images.shape;
    const ch = Math.round(h * options.ratio), cw = Math.round(w * options.ratio);
    // The paper's centre ranges over [0, size + (1 - patch % 2)); the corner is centre - patch // 2.
    const corners = Array.from({ length: n }, () => [
      drawInt(random, 0, h - (ch % 2)) - Math.floor(ch / 2),
      drawInt(random, 0, w - (cw % 2)) - Math.floor(cw / 2),
    ] as const);
    return blend(tf, images, cutout(tf, images, cutoutMask(n, h, w, ch, cw, corners)), options.p, random);
  },
});
