/**
 * The DCGAN generator (Radford et al. 2016): noise → dense → smallest feature map, then stride-2 transposed
 * convolutions that double the size and halve the channels, each with batch norm and (Leaky)ReLU, and a
 * final transposed convolution to the image's channels with tanh. Conditional: a label embedding is
 * concatenated to the noise (cGAN, Mirza & Osindero 2014).
 *
 * 28 px, width 64, depth 2: z(100) → dense 7·7·128 → BN → act → convT 4x4/2 → 14·14·64 → BN → act → convT 4x4/2 → 28·28·1 → tanh.
 */
import { defineArchitecture, GanforgeError, type SymbolicTensor } from '@ganforge/core';
import { codeFromNoise, fixCodeKernel } from '@ganforge/plugin-stability';
import { embed, labelInput, layerFactory } from './layers.js';
import { commonOptions, layoutFor, requireClasses } from './layout.js';

export const generator = defineArchitecture({
  description: 'DCGAN generator for 28/32/64 px, 1 or 3 channels, configurable width/depth; optional label embedding (cGAN).',
  optionsSchema: {
    type: 'object',
    properties: {
      ...commonOptions,
      latentDim: { type: 'integer', minimum: 1, maximum: 4096, default: 100, description: 'Size of the noise vector z.' },
      activation: { enum: ['relu', 'leakyRelu'], default: 'relu', description: 'Hidden activation (the paper: ReLU).' },
      batchNorm: { type: 'boolean', default: true, description: 'Batch norm after every hidden layer.' },
      output: { enum: ['tanh', 'sigmoid', 'linear'], default: 'tanh', description: 'Output activation: tanh for data scaled to [-1, 1], sigmoid for [0, 1].' },
      conditional: {
        enum: ['none', 'concat'],
        default: 'none',
        description: '"concat": take a class label as second input, embed it and concatenate it to the noise (needs labelled data).',
      },
      labelEmbedding: { type: 'integer', minimum: 1, maximum: 4096, default: 50, description: 'Size of the label embedding (conditional only).' },
      codes: {
        type: 'integer',
        minimum: 0,
        maximum: 256,
        default: 0,
        description: 'InfoGAN categorical code (Chen et al. 2016): K values, read from the first K noise values (one-hot of their argmax), fed with the noise. Pair it with a model "q" in dcgan/dcgan, which learns to recover the code. No labels are read; the model stays noise → image. 0: off.',
      },
      refine: {
        type: 'integer',
        minimum: 0,
        maximum: 4,
        default: 0,
        description: 'Stride-1 3x3 convolutions (with batch norm and the activation) after each hidden upsampling: more depth at the same resolution, for little compute at 28 px. 0: the paper\'s net.',
      },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const layout = layoutFor(ctx);
    const { depth } = layout;
    const bias = options.bias ?? !options.batchNorm;
    const layers = layerFactory(tf, ctx.seed, options.init, options.leakySlope);
    const channelsAt = (i: number) => options.width * 2 ** (depth - 1 - i);

    const noise = tf.input({ shape: [options.latentDim], name: `${name}_noise` });
    const inputs: SymbolicTensor[] = [noise];
    let h: SymbolicTensor = noise;
    if (options.codes > 0) {
      if (options.codes > options.latentDim) {
        throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" reads its ${options.codes}-value code from its first ${options.codes} noise values, but latentDim is ${options.latentDim}.`, {
          hint: 'Use a latentDim of at least codes.',
        });
      }
      h = tf.layers.concatenate({ name: `${name}_noise_and_code` }).apply([codeFromNoise(tf, noise, options.codes, name), noise]) as SymbolicTensor;
    }
    if (options.conditional === 'concat') {
      const classes = requireClasses(ctx, layout, options.conditional);
      const label = labelInput(tf, name);
      inputs.push(label);
      const embedded = embed(tf, layers, label, classes, options.labelEmbedding, `${name}_label_embedding`);
      h = tf.layers.concatenate({ name: `${name}_noise_and_label` }).apply([h, embedded]) as SymbolicTensor;
    }

    const base = channelsAt(0);
    h = tf.layers
      .dense({ units: layout.baseHeight * layout.baseWidth * base, useBias: bias, kernelInitializer: layers.kernel(), name: `${name}_project` })
      .apply(h) as SymbolicTensor;
    h = tf.layers.reshape({ targetShape: [layout.baseHeight, layout.baseWidth, base], name: `${name}_reshape` }).apply(h) as SymbolicTensor;
    if (options.batchNorm) h = layers.batchNorm(h, `${name}_project_bn`);
    h = layers.activation(h, options.activation, `${name}_project_act`);

    for (let i = 1; i < depth; i++) {
      h = upsample(h, channelsAt(i), bias, `${name}_up${i}`);
      if (options.batchNorm) h = layers.batchNorm(h, `${name}_up${i}_bn`);
      h = layers.activation(h, options.activation, `${name}_up${i}_act`);
      for (let r = 1; r <= options.refine; r++) {
        h = tf.layers
          .conv2d({ filters: channelsAt(i), kernelSize: 3, padding: 'same', useBias: bias, kernelInitializer: layers.kernel(), name: `${name}_up${i}_refine${r}` })
          .apply(h) as SymbolicTensor;
        if (options.batchNorm) h = layers.batchNorm(h, `${name}_up${i}_refine${r}_bn`);
        h = layers.activation(h, options.activation, `${name}_up${i}_refine${r}_act`);
      }
    }
    h = upsample(h, layout.channels, true, `${name}_to_image`);
    h = tf.layers.activation({ activation: options.output, name: `${name}_${options.output}` }).apply(h) as SymbolicTensor;
    const model = tf.model({ inputs, outputs: h, name });
    if (options.codes > 0) fixCodeKernel(tf, model, options.codes, options.latentDim);
    return model;

    function upsample(x: SymbolicTensor, filters: number, useBias: boolean, layerName: string): SymbolicTensor {
      return tf.layers
        .conv2dTranspose({ filters, kernelSize: options.kernelSize, strides: 2, padding: 'same', useBias, kernelInitializer: layers.kernel(), name: layerName })
        .apply(x) as SymbolicTensor;
    }
  },
});
