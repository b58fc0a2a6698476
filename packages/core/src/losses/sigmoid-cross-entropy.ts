/**
 * Binary cross-entropy on logits, written with softplus so large logits neither overflow nor lose the
 * gradient: -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).
 */
import type { Scalar, Tensor, TF } from '../plugin/types.js';

/** mean over the batch of BCE(sigmoid(logits), target), for a constant target in [0, 1]. */
export function sigmoidCrossEntropy(tf: TF, logits: Tensor, target: number): Scalar {
  if (target === 1) return tf.mean(tf.softplus(tf.neg(logits)));
  if (target === 0) return tf.mean(tf.softplus(logits));
  return tf.mean(tf.add(tf.mul(tf.softplus(tf.neg(logits)), target), tf.mul(tf.softplus(logits), 1 - target)));
}

/** The discriminator term both logit-based losses share: real images towards `realTarget`, fakes towards 0. */
export function logisticDiscriminatorLoss(tf: TF, real: Tensor, fake: Tensor, realTarget: number): Scalar {
  return tf.add(sigmoidCrossEntropy(tf, real, realTarget), sigmoidCrossEntropy(tf, fake, 0));
}

/** Options both logit-based adversarial losses share. */
export const labelSmoothingSchema = {
  type: 'number',
  minimum: 0,
  maximum: 0.5,
  default: 0,
  description: 'One-sided label smoothing: the discriminator aims at 1 - labelSmoothing for real images (0.1 is common).',
} as const;
