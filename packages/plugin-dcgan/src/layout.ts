/**
 * What generator and discriminator share: the options both take, and how the data's image shape fixes the
 * number of stride-2 layers and the channels of each.
 */
import { GanforgeError, type ArchitectureContext, type DataInfo } from '@ganforge/core';

/** Options schema parts common to both networks (defaults that differ are set where each is defined). */
export const commonOptions = {
  stream: {
    type: 'string',
    default: 'real',
    description: 'Data stream whose images this network makes or judges (image size, channels, classes come from it).',
  },
  width: {
    type: 'integer',
    minimum: 1,
    maximum: 4096,
    default: 64,
    description: 'Channels of the hidden layer at the highest resolution; each layer one stride closer to the smallest feature map has twice as many.',
  },
  depth: {
    type: 'integer',
    minimum: 1,
    maximum: 8,
    description: 'Stride-2 (de)convolutions. Default: as many as keep the smallest feature map at least 4 px (28 px: 2, i.e. 7x7; 32 px: 3; 64 px: 4).',
  },
  kernelSize: { type: 'integer', minimum: 1, maximum: 9, default: 4, description: 'Kernel size of every (de)convolution.' },
  leakySlope: { type: 'number', minimum: 0, maximum: 1, default: 0.2, description: 'Negative slope of LeakyReLU.' },
  bias: { type: 'boolean', description: 'Biases in hidden layers. Default: only where no batch norm follows (it would cancel them).' },
  init: {
    enum: ['dcgan', 'glorot'],
    default: 'dcgan',
    description: '"dcgan": weights N(0, 0.02) and batch-norm scales N(1, 0.02), as in the paper; "glorot": Glorot-uniform.',
  },
} as const;

export interface Layout {
  height: number;
  width: number;
  channels: number;
  /** Stride-2 layers. */
  depth: number;
  /** Size of the smallest feature map. */
  baseHeight: number;
  baseWidth: number;
  numClasses?: number;
}

/** Image shape of the network's stream and the stride-2 layer count that fits it. */
export function layoutFor(ctx: ArchitectureContext<{ stream: string; depth?: number }>): Layout {
  const streamName = ctx.options.stream;
  const info: DataInfo | undefined = ctx.data[streamName];
  if (!info) {
    throw new GanforgeError('GF_SPEC_REFERENCE', `Model "${ctx.name}" reads the data stream "${streamName}", which the spec does not define.`, {
      hint: `Set the model's options.stream to one of: ${Object.keys(ctx.data).map((s) => `"${s}"`).join(', ')}.`,
    });
  }
  const [height, width, channels] = info.shape;
  const fits = (d: number) => height % 2 ** d === 0 && width % 2 ** d === 0;
  let depth = ctx.options.depth;
  if (depth === undefined) {
    depth = 0;
    while (fits(depth + 1) && Math.min(height, width) / 2 ** (depth + 1) >= 4) depth++;
    if (depth === 0) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${ctx.name}" cannot fit ${width}x${height} images: DCGAN halves the size per layer, and ${width}x${height} cannot be halved to a 4 px or larger feature map.`, {
        hint: 'Resize the data to 28, 32 or 64 px (image-folder: options.size), or set options.depth.',
      });
    }
  } else if (!fits(depth)) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${ctx.name}" has depth ${depth}, but ${width}x${height} images cannot be halved ${depth} times.`, {
      hint: `Use a depth whose 2^depth divides both sides (for ${width}x${height}: leave depth out to pick one), or resize the data.`,
    });
  }
  return { height, width, channels, depth, baseHeight: height / 2 ** depth, baseWidth: width / 2 ** depth, numClasses: info.numClasses };
}

/** Classes of a conditional network's stream; a conditional network on unlabelled data is a spec mistake. */
export function requireClasses(ctx: ArchitectureContext<unknown>, layout: Layout, mode: string): number {
  if (layout.numClasses === undefined || layout.numClasses < 1) {
    throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${ctx.name}" is conditional ("${mode}"), but its data stream has no labels.`, {
      hint: 'Use a labelled dataset (mnist/digits, or core/image-folder with one sub-folder per class), or set options.conditional to "none".',
    });
  }
  return layout.numClasses;
}
