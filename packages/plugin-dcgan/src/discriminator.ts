/**
 * The DCGAN discriminator: stride-2 convolutions that halve the size and double the channels, each with
 * LeakyReLU (batch norm optional, never on the first layer, as in the paper), then flatten → dense → one
 * logit per image (no sigmoid: the losses take logits).
 * Conditional: "projection" adds <embed(y), features> to the logit (Miyato & Koyama 2018); "concat"
 * appends a learned per-class map to the image as an extra channel.
 *
 * 28 px, width 64, depth 2: conv 4x4/2 → 14·14·64 → LeakyReLU → conv 4x4/2 → 7·7·128 → LeakyReLU → flatten → dense 1.
 */
import { defineArchitecture, GanforgeError, type SymbolicTensor } from '@ganforge/core';
import { minibatchStddevLayer, spectralNormLayers } from '@ganforge/plugin-stability';
import { embed, labelInput, layerFactory } from './layers.js';
import { commonOptions, layoutFor, requireClasses } from './layout.js';

export const discriminator = defineArchitecture({
  description: 'DCGAN discriminator (logit output) for 28/32/64 px, 1 or 3 channels; optional projection or concat conditioning (cGAN).',
  optionsSchema: {
    type: 'object',
    properties: {
      ...commonOptions,
      activation: { enum: ['relu', 'leakyRelu'], default: 'leakyRelu', description: 'Hidden activation (the paper: LeakyReLU 0.2).' },
      batchNorm: { type: 'boolean', default: false, description: 'Batch norm after every convolution but the first.' },
      spectralNorm: {
        type: 'boolean',
        default: false,
        description: 'Spectral normalization of every convolution and the logit layer (Miyato et al. 2018; @ganforge/plugin-stability): kernels divided by their largest singular value, estimated by one power-iteration step per training call from a vector saved with the model.',
      },
      minibatchStddev: {
        type: 'integer',
        minimum: 0,
        maximum: 64,
        default: 0,
        description: 'Minibatch standard deviation before the logit (Karras et al. 2018; @ganforge/plugin-stability): one extra feature map with the average spread of the features over groups of this many images (ProGAN: 4), against mode collapse. 0: off.',
      },
      outputs: {
        type: 'integer',
        minimum: 1,
        maximum: 4096,
        default: 1,
        description: 'Units of the final dense layer: 1 logit for a discriminator; K logits make it a classifier, e.g. the code recognizer "q" of dcgan/dcgan (InfoGAN).',
      },
      classes: {
        type: 'integer',
        minimum: 1,
        maximum: 100000,
        description: 'Label values a conditional discriminator embeds. Default: the data stream\'s classes; for a self-conditioned discriminator (dcgan/dcgan with a generator code and a model "q"), the code\'s size, and the data needs no labels.',
      },
      conditional: {
        enum: ['none', 'projection', 'concat'],
        default: 'none',
        description: 'Take a class label as second input: "projection" (projection discriminator) or "concat" (label map as an extra image channel).',
      },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const layout = layoutFor(ctx);
    const layers = layerFactory(tf, ctx.seed, options.init, options.leakySlope);

    const image = tf.input({ shape: [layout.height, layout.width, layout.channels], name: `${name}_image` });
    const inputs: SymbolicTensor[] = [image];
    let label: SymbolicTensor | undefined;
    let classes = 0;
    if (options.conditional !== 'none') {
      classes = options.classes ?? requireClasses(ctx, layout, options.conditional);
      label = labelInput(tf, name);
      inputs.push(label);
    }

    let h: SymbolicTensor = image;
    if (label && options.conditional === 'concat') {
      const pixels = layout.height * layout.width;
      const vector = embed(tf, layers, label, classes, pixels, `${name}_label_map`);
      const map = tf.layers.reshape({ targetShape: [layout.height, layout.width, 1], name: `${name}_label_map_reshape` }).apply(vector) as SymbolicTensor;
      h = tf.layers.concatenate({ name: `${name}_image_and_label` }).apply([image, map]) as SymbolicTensor;
    }
    const spectral = options.spectralNorm ? spectralNormLayers(tf) : undefined;
    for (let i = 0; i < layout.depth; i++) {
      const withNorm = options.batchNorm && i > 0;
      const conv = {
        filters: options.width * 2 ** i,
        kernelSize: options.kernelSize,
        strides: 2,
        padding: 'same' as const,
        // A bias only where no batch norm follows (the first layer never has one), unless set explicitly.
        useBias: options.bias ?? !withNorm,
        kernelInitializer: layers.kernel(),
        name: `${name}_down${i}`,
      };
      h = (spectral ? new spectral.SpectralConv2D({ ...conv, seed: ctx.seed + i }) : tf.layers.conv2d(conv)).apply(h) as SymbolicTensor;
      if (withNorm) h = layers.batchNorm(h, `${name}_down${i}_bn`);
      h = layers.activation(h, options.activation, `${name}_down${i}_act`);
    }
    if (options.minibatchStddev > 0) h = new (minibatchStddevLayer(tf))({ groupSize: options.minibatchStddev, name: `${name}_mbstd` }).apply(h) as SymbolicTensor;
    const features = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as SymbolicTensor;
    const dense = { units: options.outputs, kernelInitializer: layers.kernel(), name: `${name}_logit` };
    let logit = (spectral ? new spectral.SpectralDense({ ...dense, seed: ctx.seed + layout.depth }) : tf.layers.dense(dense)).apply(features) as SymbolicTensor;
    if (label && options.conditional === 'projection') {
      if (options.outputs !== 1) {
        throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" has ${options.outputs} outputs, but a projection discriminator adds its label term to one logit.`, {
          hint: 'Use outputs 1 with conditional "projection", or conditional "concat".',
        });
      }
      const size = features.shape[1] as number;
      const embedded = embed(tf, layers, label, classes, size, `${name}_label_projection`);
      const projection = tf.layers.dot({ axes: 1, name: `${name}_projection` }).apply([features, embedded]) as SymbolicTensor;
      logit = tf.layers.add({ name: `${name}_logit_plus_projection` }).apply([logit, projection]) as SymbolicTensor;
    }
    // One logit per image: [batch, 1] (or [batch, outputs]).
    return tf.model({ inputs, outputs: logit, name });
  },
});
