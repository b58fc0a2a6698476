/**
 * The Wasserstein loss (Arjovsky et al. 2017) on critic scores: the critic maximises
 * E[D(x)] - E[D(G(z))], an estimate of the Earth-Mover distance when D is 1-Lipschitz, and the
 * generator maximises E[D(G(z))]. Scores are unbounded (no sigmoid); keeping D Lipschitz is the
 * objective's job (weight clipping in wgan/wgan, a gradient penalty in wgan/wgan-gp).
 */
import { defineLoss, type Scalar } from '@ganforge/core';

export const wassersteinLoss = defineLoss({
  kind: 'adversarial',
  description: 'Wasserstein loss on critic scores: critic minimises mean D(fake) - mean D(real), generator minimises -mean D(fake).',
  build: ({ tf }) => ({
    discriminator: (real, fake) => tf.sub(tf.mean(fake) as Scalar, tf.mean(real) as Scalar),
    generator: (fake) => tf.neg(tf.mean(fake) as Scalar),
  }),
});
