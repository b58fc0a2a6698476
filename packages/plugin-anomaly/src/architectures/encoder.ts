/** GANomaly's encoder (G_E and the second encoder E): image → latent vector z. */
import { defineArchitecture } from '@ganforge/core';
import { sizesFor, toVector, trunk, trunkOptions } from './trunk.js';

export const encoder = defineArchitecture({
  description: 'GANomaly encoder: image → latent vector (DCGAN-style stride-2 convolutions, then a "valid" convolution to latentDim).',
  optionsSchema: {
    type: 'object',
    properties: {
      ...trunkOptions,
      latentDim: { type: 'integer', minimum: 1, maximum: 4096, default: 100, description: 'Size of z (the paper: 100). The decoder takes the same.' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const { info, sizes } = sizesFor(ctx);
    const image = tf.input({ shape: info.shape, name: `${name}_image` });
    const h = trunk(tf, image, sizes, options, name, ctx.seed);
    const z = toVector(tf, h, sizes.at(-1)!, options.latentDim, `${name}_z`, ctx.seed + 100);
    return tf.model({ inputs: image, outputs: z, name });
  },
});
