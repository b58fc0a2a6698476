/** What both networks share: seeded N(0, 0.02) initializers, the normalization choice, and stream lookup. */
import { GanforgeError, type ArchitectureContext, type DataInfo, type SymbolicTensor, type TF } from '@ganforge/core';
import { cycleganLayers } from './layers.js';

export type Norm = 'instance' | 'batch' | 'none';

export const normOption = {
  enum: ['instance', 'batch', 'none'],
  default: 'instance',
  description: 'Normalization after hidden convolutions: "instance" (the paper), "batch", or "none".',
} as const;

export interface Blocks {
  /** Kernel initializer N(0, 0.02) with a fresh seed per layer (the paper's init_type "normal"). */
  kernel(): ReturnType<TF['initializers']['randomNormal']>;
  norm(x: SymbolicTensor, name: string): SymbolicTensor;
  reflect(x: SymbolicTensor, padding: number, name: string): SymbolicTensor;
  zeroPad(x: SymbolicTensor, padding: number, name: string): SymbolicTensor;
  conv(x: SymbolicTensor, args: { filters: number; kernelSize: number; strides?: number; useBias: boolean; name: string }): SymbolicTensor;
}

export function blocks(tf: TF, seed: number, norm: Norm): Blocks {
  let next = seed;
  const kernel = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: next++ });
  const { InstanceNormalization, ReflectionPadding2D } = cycleganLayers(tf);
  return {
    kernel,
    norm(x, name) {
      if (norm === 'none') return x;
      // Scales start at N(1, 0.02), offsets at 0, as the paper's code initializes its norm layers.
      const gammaInitializer = tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: next++ });
      if (norm === 'instance') return new InstanceNormalization({ name, epsilon: 1e-5, gammaInitializer }).apply(x) as SymbolicTensor;
      return tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5, gammaInitializer }).apply(x) as SymbolicTensor;
    },
    reflect: (x, padding, name) => new ReflectionPadding2D({ padding, name }).apply(x) as SymbolicTensor,
    zeroPad: (x, padding, name) => tf.layers.zeroPadding2d({ padding, name }).apply(x) as SymbolicTensor,
    conv: (x, { filters, kernelSize, strides = 1, useBias, name }) =>
      tf.layers.conv2d({ filters, kernelSize, strides, padding: 'valid', useBias, kernelInitializer: kernel(), name }).apply(x) as SymbolicTensor,
  };
}

/** A data stream's shape by name; a name the spec does not define is a located spec error. */
export function streamInfo(ctx: ArchitectureContext<unknown>, stream: string, option: string): DataInfo {
  const info = ctx.data[stream];
  if (!info) {
    throw new GanforgeError('GF_SPEC_REFERENCE', `Model "${ctx.name}" reads the data stream "${stream}" (options.${option}), which the spec does not define.`, {
      pointer: `/models/${ctx.name}/options/${option}`,
      hint: `Set options.${option} to one of: ${Object.keys(ctx.data).map((s) => `"${s}"`).join(', ')}.`,
    });
  }
  return info;
}
