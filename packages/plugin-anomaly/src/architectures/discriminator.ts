/**
 * GANomaly's discriminator: the encoder's trunk with two outputs, [logit, features]. The logit (one per
 * image, no sigmoid: the losses take logits) trains it; the features (the trunk's last map, flattened) are
 * what the generator's adversarial loss matches between real and reconstructed images (feature matching).
 */
import { defineArchitecture, type SymbolicTensor } from '@ganforge/core';
import { sizesFor, toVector, trunk, trunkOptions } from './trunk.js';

export const discriminator = defineArchitecture({
  description: 'GANomaly discriminator: image → [logit, features] (the encoder trunk; features for the feature-matching loss).',
  optionsSchema: { type: 'object', properties: { ...trunkOptions }, additionalProperties: false },
  build(ctx) {
    const { tf, options, name } = ctx;
    const { info, sizes } = sizesFor(ctx);
    const image = tf.input({ shape: info.shape, name: `${name}_image` });
    const h = trunk(tf, image, sizes, options, name, ctx.seed);
    const features = tf.layers.flatten({ name: `${name}_features` }).apply(h) as SymbolicTensor;
    const logit = toVector(tf, h, sizes.at(-1)!, 1, `${name}_logit`, ctx.seed + 100);
    return tf.model({ inputs: image, outputs: [logit, features], name });
  },
});
