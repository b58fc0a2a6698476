/**
 * The convolutional trunk GANomaly's encoders and discriminator share (Akçay et al. 2018, after DCGAN):
 * stride-2 4x4 convolutions that halve the size and double the channels, LeakyReLU 0.2, batch norm on
 * all but the first, until the map is at most 8 px; then one convolution as wide as the map ("valid") to a
 * 1x1 vector. 28 px, width 32: 28 → 14 (32) → 7 (64) → 7x7 conv → 1x1.
 * The decoder mirrors it with transposed convolutions.
 */
import { GanforgeError, type ArchitectureContext, type DataInfo, type SymbolicTensor, type TF } from '@ganforge/core';

export interface TrunkOptions {
  width: number;
  batchNorm: boolean;
  stream?: string;
}

export const trunkOptions = {
  width: { type: 'integer', minimum: 1, maximum: 1024, default: 32, description: 'Channels of the first convolution (doubled at each halving; the paper: 64).' },
  batchNorm: { type: 'boolean', default: true, description: 'Batch norm after every convolution but the first (the paper: on).' },
  stream: { type: 'string', description: "Data stream whose images it takes (default: the first; its shape sets the model's input)." },
} as const;

/** The sizes a trunk passes through: e.g. [28, 14, 7]. Images must be square, with a side that halves evenly down to at most 8. */
export function sizesFor(ctx: ArchitectureContext<TrunkOptions>): { info: DataInfo; sizes: number[] } {
  const streams = Object.keys(ctx.data);
  const stream = ctx.options.stream ?? streams[0]!;
  const info = ctx.data[stream];
  if (!info) {
    throw new GanforgeError('GF_SPEC_REFERENCE', `Model "${ctx.name}" takes images of data stream "${stream}", which the spec does not define (streams: ${streams.join(', ')}).`, {
      pointer: `/models/${ctx.name}/options/stream`,
    });
  }
  const [h, w] = info.shape;
  const sizes = [h];
  while (sizes.at(-1)! > 8 && sizes.at(-1)! % 2 === 0) sizes.push(sizes.at(-1)! / 2);
  if (h !== w || sizes.at(-1)! > 8 || sizes.length < 2) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${ctx.name}" needs square images whose side halves evenly down to 8 px or less (e.g. 28, 32, 64), but stream "${stream}" gives ${h}x${w}.`, {
      pointer: `/data/${stream}`,
      hint: 'Resize the images (core/image-folder "size") to 28, 32 or 64.',
    });
  }
  return { info, sizes };
}

/** DCGAN initializers: N(0, 0.02) kernels, N(1, 0.02) batch-norm scales, a fresh seed per layer. */
export function initializers(tf: TF, seed: number) {
  let next = seed;
  return {
    kernel: () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: next++ }),
    gamma: () => tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: next++ }),
  };
}

/** Input → the last feature map before the final "valid" convolution (e.g. 7x7x64 for 28 px, width 32). */
export function trunk(tf: TF, x: SymbolicTensor, sizes: number[], options: TrunkOptions, name: string, seed: number): SymbolicTensor {
  const init = initializers(tf, seed);
  let h = x;
  for (let i = 0; i < sizes.length - 1; i++) {
    const norm = options.batchNorm && i > 0;
    h = tf.layers.conv2d({ filters: options.width * 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: !norm, kernelInitializer: init.kernel(), name: `${name}_down${i}` }).apply(h) as SymbolicTensor;
    // PyTorch's batch-norm defaults (momentum 0.1 there = 0.9 here, eps 1e-5), as the paper's code.
    if (norm) h = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: init.gamma(), name: `${name}_down${i}_bn` }).apply(h) as SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_down${i}_act` }).apply(h) as SymbolicTensor;
  }
  return h;
}

/** The final "valid" convolution as wide as the map, flattened: [batch, units]. */
export function toVector(tf: TF, h: SymbolicTensor, size: number, units: number, name: string, seed: number): SymbolicTensor {
  const conv = tf.layers.conv2d({ filters: units, kernelSize: size, padding: 'valid', useBias: false, kernelInitializer: initializers(tf, seed).kernel(), name }).apply(h) as SymbolicTensor;
  return tf.layers.flatten({ name: `${name}_flat` }).apply(conv) as SymbolicTensor;
}
