/**
 * The non-saturating GAN loss (Goodfellow et al. 2014, section 3; the DCGAN default): the generator
 * maximises log D(G(z)) instead of minimising log(1 - D(G(z))), which gives strong gradients early on.
 */
import { defineLoss } from '../plugin/define.js';
import { labelSmoothingSchema, logisticDiscriminatorLoss, sigmoidCrossEntropy } from './sigmoid-cross-entropy.js';

export const nonSaturatingLoss = defineLoss({
  kind: 'adversarial',
  description: 'Non-saturating GAN loss on logits (binary cross-entropy): G maximises log D(G(z)).',
  optionsSchema: {
    type: 'object',
    properties: { labelSmoothing: labelSmoothingSchema },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const realTarget = 1 - (options.labelSmoothing ?? 0);
    return {
      discriminator: (real, fake) => logisticDiscriminatorLoss(tf, real, fake, realTarget),
      generator: (fake) => sigmoidCrossEntropy(tf, fake, 1),
    };
  },
});
