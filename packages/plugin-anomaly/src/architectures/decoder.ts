/**
 * GANomaly's decoder (G_D): latent vector z → image, the encoder mirrored: a transposed convolution from
 * 1x1 to the smallest map, then stride-2 transposed convolutions with batch norm and ReLU, tanh at the end.
 * 28 px, width 32: z → 7x7x64 → 14x14x32 → 28x28x1.
 */
import { defineArchitecture, type SymbolicTensor } from '@ganforge/core';
import { initializers, sizesFor, trunkOptions } from './trunk.js';

export const decoder = defineArchitecture({
  description: 'GANomaly decoder: latent vector → image (transposed convolutions, batch norm, ReLU, tanh), the encoder mirrored.',
  optionsSchema: {
    type: 'object',
    properties: {
      ...trunkOptions,
      latentDim: { type: 'integer', minimum: 1, maximum: 4096, default: 100, description: 'Size of z: the encoder\'s latentDim.' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const { info, sizes } = sizesFor(ctx);
    const init = initializers(tf, ctx.seed);
    const z = tf.input({ shape: [options.latentDim], name: `${name}_z` });
    let h = tf.layers.reshape({ targetShape: [1, 1, options.latentDim], name: `${name}_z_map` }).apply(z) as SymbolicTensor;
    const depth = sizes.length - 1;
    const norm = (x: SymbolicTensor, label: string) =>
      options.batchNorm ? (tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: init.gamma(), name: `${name}_${label}_bn` }).apply(x) as SymbolicTensor) : x;
    const relu = (x: SymbolicTensor, label: string) => tf.layers.reLU({ name: `${name}_${label}_act` }).apply(x) as SymbolicTensor;
    const smallest = sizes.at(-1)!;
    h = tf.layers.conv2dTranspose({ filters: options.width * 2 ** (depth - 1), kernelSize: smallest, padding: 'valid', useBias: !options.batchNorm, kernelInitializer: init.kernel(), name: `${name}_project` }).apply(h) as SymbolicTensor;
    h = relu(norm(h, 'project'), 'project');
    for (let i = depth - 2; i >= 0; i--) {
      h = tf.layers.conv2dTranspose({ filters: options.width * 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: !options.batchNorm, kernelInitializer: init.kernel(), name: `${name}_up${i}` }).apply(h) as SymbolicTensor;
      h = relu(norm(h, `up${i}`), `up${i}`);
    }
    h = tf.layers.conv2dTranspose({ filters: info.shape[2], kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init.kernel(), name: `${name}_out` }).apply(h) as SymbolicTensor;
    const image = tf.layers.activation({ activation: 'tanh', name: `${name}_tanh` }).apply(h) as SymbolicTensor;
    return tf.model({ inputs: z, outputs: image, name });
  },
});
