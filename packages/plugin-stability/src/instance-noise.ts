/**
 * "stability/instance-noise" (Sønderby et al. 2017, Arjovsky & Bottou 2017): Gaussian noise of standard
 * deviation `stddev` added to every image on its way into the discriminator, real and generated alike, so
 * the two distributions overlap and D's gradients stay informative early on. Put it at the objective's
 * discriminator point: `{ "use": "stability/instance-noise", "at": "discriminator", "options": { "stddev": 0.1 } }`.
 * The noise is drawn from the run's seeded, checkpointed augment stream; the gradient passes unchanged.
 */
import { defineAugmentation, type Tensor4D } from '@ganforge/core';

export const instanceNoise = defineAugmentation({
  description: 'Instance noise: adds N(0, stddev²) to every image the discriminator sees, real and generated (its gradient is the identity).',
  optionsSchema: {
    type: 'object',
    properties: {
      stddev: { type: 'number', minimum: 0, maximum: 10, default: 0.1, description: 'Noise standard deviation, in the data scale ([-1, 1] images: 0.1 is a common start).' },
    },
    additionalProperties: false,
  },
  build: ({ tf, options }) => (images, random) => {
    if (options.stddev === 0) return images;
    return tf.add(images, tf.mul(random.normal(images.shape), options.stddev)) as Tensor4D;
  },
});
