/**
 * The original GAN loss (Goodfellow et al. 2014) on discriminator logits. The generator minimises
 * log(1 - D(G(z))), which saturates early in training; prefer "core/non-saturating" unless reproducing the paper.
 */
import { defineLoss } from '../plugin/define.js';
import type { Scalar } from '../plugin/types.js';
import { labelSmoothingSchema, logisticDiscriminatorLoss } from './sigmoid-cross-entropy.js';

export const minimaxLoss = defineLoss({
  kind: 'adversarial',
  description: 'Minimax GAN loss on logits: D maximises log D(x) + log(1 - D(G(z))), G minimises log(1 - D(G(z))).',
  optionsSchema: {
    type: 'object',
    properties: { labelSmoothing: labelSmoothingSchema },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const realTarget = 1 - (options.labelSmoothing ?? 0);
    return {
      discriminator: (real, fake) => logisticDiscriminatorLoss(tf, real, fake, realTarget),
      // log(1 - sigmoid(x)) = -softplus(x)
      generator: (fake) => tf.neg(tf.mean<Scalar>(tf.softplus(fake))),
    };
  },
});
