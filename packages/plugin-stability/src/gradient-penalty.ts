/**
 * Gradient penalties that keep a critic near 1-Lipschitz, each on per-image gradient norms: the gradient
 * of the summed scores w.r.t. the batch is, row by row, the gradient of each image's own score (the critic
 * has no batch norm), and its L2 norm is taken over every axis but the batch axis, one norm per image.
 * A single norm over the whole batch would be the classic bug: it grows with the batch and penalises the wrong thing.
 *
 * - "two-sided" (Gulrajani et al. 2017): E[(‖∇D(x̂)‖ - t)²] on random interpolates x̂ = εx + (1-ε)G(z).
 * - "one-sided" (same paper, appendix): E[max(0, ‖∇D(x̂)‖ - t)²], only norms above t cost.
 * - "r1" (Mescheder et al. 2018): ½ E[‖∇D(x)‖²] on real images.
 *
 * The penalty runs inside the phase's loss, which the engine differentiates w.r.t. the critic's weights:
 * a gradient of a gradient. tfjs records the inner tf.grad's backward ops on the outer tape, so this works
 * for layers whose gradients are themselves differentiable (conv, dense, LeakyReLU, ReLU, layer norm).
 */
import type { Scalar, Tensor, Tensor1D, Tensor4D, TF } from '@ganforge/core';

export const PENALTIES = ['two-sided', 'one-sided', 'r1'] as const;
export type PenaltyKind = (typeof PENALTIES)[number];

/** Keeps sqrt differentiable where a gradient is exactly zero; shifts a norm of 1 by 5e-13. */
const NORM_EPSILON = 1e-12;

/** ‖∇ₓ score(x)ᵢ‖₂ for each image i: the squared gradient summed over all axes but the batch axis. */
export function squaredGradientNorms(tf: TF, score: (images: Tensor4D) => Tensor, images: Tensor4D): Tensor1D {
  const gradient = tf.grad((x: Tensor4D) => tf.sum(score(x)) as Scalar)(images) as Tensor4D;
  const axes = gradient.shape.map((_: number, axis: number) => axis).slice(1);
  return tf.sum(tf.square(gradient), axes) as Tensor1D;
}

export function gradientNorms(tf: TF, score: (images: Tensor4D) => Tensor, images: Tensor4D): Tensor1D {
  return tf.sqrt(tf.add(squaredGradientNorms(tf, score, images), NORM_EPSILON));
}

/** x̂ = real + ε (fake - real), one ε ~ U[0, 1) per image. */
export function interpolate(tf: TF, real: Tensor4D, fake: Tensor4D, epsilon: Tensor): Tensor4D {
  return tf.add(real, tf.mul(epsilon, tf.sub(fake, real)));
}

export interface PenaltyResult {
  /** The penalty before its weight λ. */
  value: Scalar;
  /** Mean per-image gradient norm where the penalty was taken (logged: it should settle near the target). */
  meanNorm: Scalar;
}

/** The penalty `kind` at `images` (interpolates for the two Gulrajani variants, reals for R1). */
export function gradientPenalty(tf: TF, kind: PenaltyKind, score: (images: Tensor4D) => Tensor, images: Tensor4D, target: number): PenaltyResult {
  if (kind === 'r1') {
    const squared = squaredGradientNorms(tf, score, images);
    return { value: tf.mul(tf.mean(squared) as Scalar, 0.5), meanNorm: tf.mean(tf.sqrt(tf.add(squared, NORM_EPSILON))) as Scalar };
  }
  const norms = gradientNorms(tf, score, images);
  const excess = tf.sub(norms, target);
  const value = tf.mean(tf.square(kind === 'one-sided' ? tf.relu(excess) : excess)) as Scalar;
  return { value, meanNorm: tf.mean(norms) as Scalar };
}
