/**
 * The SRGAN discriminator (Ledig et al. 2017) for w = width and d = depth:
 * - 3x3 conv, w filters, stride 1, LeakyReLU 0.2 (no BN);
 * - d groups of width w·2^k (k = 0 … d-1): a 3x3 stride-1 conv (except in the first group, which the
 *   first layer stands for), then a 3x3 stride-2 conv, each with BN and LeakyReLU: for d = 4 the paper's
 *   k3n64s2, k3n128s1, k3n128s2, k3n256s1, k3n256s2, k3n512s1, k3n512s2;
 * - dense 1024 (option), LeakyReLU, dense 1: one logit per image (the sigmoid is in the loss).
 * Its input is the high-res stream's image size (96x96 in the paper: a 6x6x512 map before the dense layers).
 */
import { defineArchitecture, type SymbolicTensor } from '@ganforge/core';
import { kernels, streamInfo } from './common.js';

export const discriminator = defineArchitecture({
  description: 'SRGAN discriminator: 3x3 convs with BN and LeakyReLU 0.2, widths doubling at each stride 2, dense 1024, one logit.',
  optionsSchema: {
    type: 'object',
    properties: {
      width: { type: 'integer', minimum: 1, maximum: 1024, default: 64, description: 'Filters of the first convolution.' },
      depth: { type: 'integer', minimum: 1, maximum: 8, default: 4, description: 'Stride-2 groups, widths w, 2w, 4w, 8w… (the paper: 4, down to 1/16 of the size).' },
      dense: { type: 'integer', minimum: 1, maximum: 8192, default: 1024, description: 'Units of the hidden dense layer.' },
      leakySlope: { type: 'number', minimum: 0, maximum: 1, default: 0.2, description: 'Negative slope of LeakyReLU.' },
      stream: { type: 'string', default: 'hr', description: 'Data stream whose images it judges (input shape).' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const [height, width, channels] = streamInfo(ctx, options.stream, 'stream').shape;
    const kernel = kernels(tf, ctx.seed);
    const lrelu = (x: SymbolicTensor, layer: string) => tf.layers.leakyReLU({ alpha: options.leakySlope, name: layer }).apply(x) as SymbolicTensor;
    const block = (x: SymbolicTensor, filters: number, strides: number, layer: string) => {
      const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: kernel(), name: layer }).apply(x) as SymbolicTensor;
      return lrelu(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${layer}_bn` }).apply(c) as SymbolicTensor, `${layer}_lrelu`);
    };

    const image = tf.input({ shape: [height, width, channels], name: `${name}_image` });
    let h = tf.layers.conv2d({ filters: options.width, kernelSize: 3, padding: 'same', kernelInitializer: kernel(), name: `${name}_in` }).apply(image) as SymbolicTensor;
    h = lrelu(h, `${name}_in_lrelu`);
    for (let k = 0; k < options.depth; k++) {
      const filters = options.width * 2 ** k;
      if (k > 0) h = block(h, filters, 1, `${name}_g${k}_conv1`);
      h = block(h, filters, 2, `${name}_g${k}_conv2`);
    }
    h = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as SymbolicTensor;
    h = lrelu(tf.layers.dense({ units: options.dense, kernelInitializer: kernel(), name: `${name}_dense` }).apply(h) as SymbolicTensor, `${name}_dense_lrelu`);
    const logit = tf.layers.dense({ units: 1, kernelInitializer: kernel(), name: `${name}_logit` }).apply(h) as SymbolicTensor;
    return tf.model({ inputs: image, outputs: logit, name });
  },
});
