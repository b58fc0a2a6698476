/**
 * The least-squares adversarial loss as CycleGAN's code uses it (Mao et al. 2017, targets 1 real / 0 fake on
 * raw patch scores): D minimises ½[mean((D(real) - 1)²) + mean(D(fake)²)] (halved, "slowing D's learning
 * relative to G" as the paper says), G minimises mean((D(G(x)) - 1)²).
 */
import { defineLoss, type Scalar, type Tensor } from '@ganforge/core';

export const lsganLoss = defineLoss({
  kind: 'adversarial',
  description: 'CycleGAN least-squares GAN loss: D ½[mean((D(real)-1)²) + mean(D(fake)²)], G mean((D(fake)-1)²).',
  build({ tf }) {
    const squaredError = (output: Tensor, target: number): Scalar => tf.mean(tf.square(tf.sub(output, target))) as Scalar;
    return {
      discriminator: (real, fake) => tf.mul(tf.add(squaredError(real, 1), squaredError(fake, 0)), 0.5),
      generator: (fake) => squaredError(fake, 1),
    };
  },
});
