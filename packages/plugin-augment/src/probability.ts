/**
 * The per-image probability every op takes: each image of the batch is augmented with probability `p`
 * (ADA-style), independently; p = 1 augments all (DiffAugment's setting) and skips the blend.
 */
import type { RandomSource, Tensor4D, TF } from '@ganforge/core';

export const probabilityOption = {
  p: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'Probability that an image is augmented by this op (drawn per image).' },
} as const;

/** `augmented` where a per-image draw falls below p, `images` elsewhere. Draws nothing when p is 0 or 1. */
export function blend(tf: TF, images: Tensor4D, augmented: Tensor4D, p: number, random: RandomSource): Tensor4D {
  if (p >= 1) return augmented;
  const n = images.shape[0];
  const mask = new Float32Array(n);
  if (p > 0) for (let i = 0; i < n; i++) mask[i] = random.next() < p ? 1 : 0;
  const m = tf.tensor4d(mask, [n, 1, 1, 1]);
  return tf.add(tf.mul(augmented, m), tf.mul(images, tf.sub(1, m))) as Tensor4D;
}
