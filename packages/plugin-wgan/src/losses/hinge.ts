/**
 * The hinge GAN loss (Lim & Ye 2017; Miyato et al. 2018, SN-GAN; BigGAN): the discriminator only
 * learns from real outputs below +margin and fake outputs above -margin; the generator raises the
 * score of its images, as in WGAN.
 */
import { defineLoss, type Scalar } from '@ganforge/core';

export const hingeLoss = defineLoss({
  kind: 'adversarial',
  description: 'Hinge loss: D minimises mean relu(m - D(x)) + mean relu(m + D(G(z))), G minimises -mean D(G(z)).',
  optionsSchema: {
    type: 'object',
    properties: {
      margin: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'm: scores beyond ±m on the right side cost the discriminator nothing.' },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const { margin } = options;
    return {
      discriminator: (real, fake) =>
        tf.add(tf.mean(tf.relu(tf.sub(margin, real))) as Scalar, tf.mean(tf.relu(tf.add(fake, margin))) as Scalar),
      generator: (fake) => tf.neg(tf.mean(fake) as Scalar),
    };
  },
});
