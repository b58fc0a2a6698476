/**
 * Flips and 90° rotations (the geometric part of ADA's pipeline). Each image is flipped / rotated by its own
 * draw; the batch is transformed whole and the results picked per image with masks, so gradients flow.
 */
import { defineAugmentation, type Tensor4D, type TF } from '@ganforge/core';
import { probabilityOption } from '../probability.js';
import { drawInt } from './translation.js';

/** Images rotated by k × 90° counter-clockwise (k = 0..3); square images only for odd k. */
export function rotate90(tf: TF, x: Tensor4D, k: number): Tensor4D {
  switch (((k % 4) + 4) % 4) {
    case 0: return x;
    case 1: return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1) as Tensor4D;
    case 2: return tf.reverse(x, [1, 2]) as Tensor4D;
    default: return tf.transpose(tf.reverse(x, 1), [0, 2, 1, 3]) as Tensor4D;
  }
}

/** Picks, per image i, variant choice[i] (choice[i] = -1 keeps the original). */
function pick(tf: TF, images: Tensor4D, variants: Tensor4D[], choice: number[]): Tensor4D {
  const n = images.shape[0];
  let out = images;
  variants.forEach((variant, v) => {
    const m = Float32Array.from({ length: n }, (_, i) => (choice[i] === v ? 1 : 0));
    if (!m.some((x) => x === 1)) return;
    const mask = tf.tensor4d(m, [n, 1, 1, 1]);
    out = tf.add(tf.mul(variant, mask), tf.mul(out, tf.sub(1, mask))) as Tensor4D;
  });
  return out;
}

export const flip = defineAugmentation({
  description: 'Horizontal flip of each image with probability p (default 0.5).',
  optionsSchema: {
    type: 'object',
    properties: { ...probabilityOption, p: { ...probabilityOption.p, default: 0.5 } },
    additionalProperties: false,
  },
  build: ({ tf, options }) => (images, random) => {
    const choice = Array.from({ length: images.shape[0] }, () => (random.next() < options.p ? 0 : -1));
    return pick(tf, images, [tf.reverse(images, 2) as Tensor4D], choice);
  },
});

export const rotate = defineAugmentation({
  description: 'Rotation by a random multiple of 90° (1, 2 or 3 quarter turns, uniformly) of each image with probability p. Square images only.',
  optionsSchema: { type: 'object', properties: { ...probabilityOption }, additionalProperties: false },
  build: ({ tf, options }) => (images, random) => {
    const [n, h, w] = images.shape;
    const choice = Array.from({ length: n }, () => (random.next() < options.p ? drawInt(random, 0, 2) : -1));
    const variants = [1, 2, 3].map((k) => (k % 2 === 1 && h !== w ? images : rotate90(tf, images, k)));
    if (h !== w) for (let i = 0; i < n; i++) if (choice[i] === 0 || choice[i] === 2) choice[i] = 1; // only 180° keeps the shape
    return pick(tf, images, variants, choice);
  },
});
