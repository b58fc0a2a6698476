/**
 * The least-squares GAN loss (Mao et al. 2017) on raw discriminator outputs: squared distance to target
 * values instead of cross-entropy, which keeps gradients alive for fakes far on the right side of the
 * boundary. Defaults are the paper's 0-1 coding (a = 0 fake, b = 1 real, c = 1 the generator's target);
 * the paper's other choice, a = -1, b = 1, c = 0, minimises the Pearson chi-squared divergence.
 */
import { defineLoss, type Scalar, type Tensor } from '@ganforge/core';

export const lsganLoss = defineLoss({
  kind: 'adversarial',
  description: 'Least-squares GAN loss: D minimises ½(D(x) - b)² + ½(D(G(z)) - a)², G minimises ½(D(G(z)) - c)².',
  optionsSchema: {
    type: 'object',
    properties: {
      realTarget: { type: 'number', default: 1, description: 'b: the value D is pushed to on real images.' },
      fakeTarget: { type: 'number', default: 0, description: 'a: the value D is pushed to on generated images.' },
      generatorTarget: { type: 'number', default: 1, description: 'c: the value G wants D to give its images.' },
    },
    additionalProperties: false,
  },
  build({ tf, options }) {
    const { realTarget, fakeTarget, generatorTarget } = options;
    const halfSquaredError = (output: Tensor, target: number): Scalar => tf.mul(tf.mean(tf.square(tf.sub(output, target))) as Scalar, 0.5);
    return {
      discriminator: (real, fake) => tf.add(halfSquaredError(real, realTarget), halfSquaredError(fake, fakeTarget)),
      generator: (fake) => halfSquaredError(fake, generatorTarget),
    };
  },
});
