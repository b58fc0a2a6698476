/**
 * The WGAN critic: stride-2 convolutions that halve the size and double the channels, each with LeakyReLU,
 * then flatten → dense → one unbounded score per image (linear output, no sigmoid: a critic scores, it
 * does not classify).
 *
 * Normalisation: WGAN-GP penalises the gradient of each image's score w.r.t. that image alone, which batch
 * norm breaks by mixing the images of a batch; so "none" (the paper's MNIST critic) or "layer" (per image,
 * its larger critics). "batch" is for the weight-clipping WGAN only, and wgan/wgan-gp refuses a critic that has it.
 * Every layer here is twice differentiable in tfjs (LeakyReLU, layer norm, conv, dense), which the penalty needs.
 *
 * 28 px, width 64, depth 2: conv 4x4/2 → 14·14·64 → LeakyReLU → conv 4x4/2 → 7·7·128 → (norm) → LeakyReLU → flatten → dense 1.
 */
import { defineArchitecture, GanforgeError, type SymbolicTensor } from '@ganforge/core';

export const critic = defineArchitecture({
  description: 'WGAN critic: strided convolutions with LeakyReLU, layer norm (or none; batch norm only without a gradient penalty), a linear score per image.',
  optionsSchema: {
    type: 'object',
    properties: {
      stream: { type: 'string', default: 'real', description: 'Data stream whose images the critic scores (image size and channels come from it).' },
      width: {
        type: 'integer',
        minimum: 1,
        maximum: 4096,
        default: 64,
        description: 'Channels of the first convolution; each further one has twice as many.',
      },
      depth: {
        type: 'integer',
        minimum: 1,
        maximum: 8,
        description: 'Stride-2 convolutions. Default: as many as keep the smallest feature map at least 4 px (28 px: 2; 32 px: 3; 64 px: 4).',
      },
      kernelSize: { type: 'integer', minimum: 1, maximum: 9, default: 4, description: 'Kernel size of every convolution.' },
      leakySlope: { type: 'number', minimum: 0, maximum: 1, default: 0.2, description: 'Negative slope of LeakyReLU.' },
      normalization: {
        enum: ['none', 'layer', 'batch'],
        default: 'none',
        description: 'After every convolution but the first: "none" (the WGAN-GP paper\'s MNIST critic), "layer" (its larger critics), or "batch" (weight-clipping WGAN only).',
      },
      init: {
        enum: ['glorot', 'dcgan'],
        default: 'glorot',
        description: '"glorot": Glorot-uniform kernels; "dcgan": N(0, 0.02), as in the WGAN reference code.',
      },
    },
    additionalProperties: false,
  },
  build({ tf, options, name, data, seed }) {
    const streamName = options.stream;
    const info = data[streamName];
    if (!info) {
      throw new GanforgeError('GF_SPEC_REFERENCE', `Model "${name}" reads the data stream "${streamName}", which the spec does not define.`, {
        hint: `Set the model's options.stream to one of: ${Object.keys(data).map((s) => `"${s}"`).join(', ')}.`,
      });
    }
    const [height, widthPx, channels] = info.shape;
    const depth = options.depth ?? autoDepth(height, widthPx);
    if (depth === 0 || height % 2 ** depth !== 0 || widthPx % 2 ** depth !== 0) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" cannot halve ${widthPx}x${height} images ${depth || 'even once'} time(s) down to a whole feature map.`, {
        hint: 'Resize the data to 28, 32 or 64 px, or set options.depth to a count whose 2^depth divides both sides.',
      });
    }
    let nextSeed = seed;
    const kernel = () =>
      options.init === 'dcgan' ? tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: nextSeed++ }) : tf.initializers.glorotUniform({ seed: nextSeed++ });

    const image = tf.input({ shape: [height, widthPx, channels], name: `${name}_image` });
    let h: SymbolicTensor = image;
    for (let i = 0; i < depth; i++) {
      const norm = i > 0 ? options.normalization : 'none';
      h = tf.layers
        .conv2d({
          filters: options.width * 2 ** i,
          kernelSize: options.kernelSize,
          strides: 2,
          padding: 'same',
          // A normalisation that re-centres makes the bias redundant.
          useBias: norm === 'none',
          kernelInitializer: kernel(),
          name: `${name}_down${i}`,
        })
        .apply(h) as SymbolicTensor;
      if (norm === 'layer') {
        // Over height, width and channels of each image, like the reference code's layer norm over [C, H, W].
        h = tf.layers.layerNormalization({ axis: [1, 2, 3], epsilon: 1e-5, name: `${name}_down${i}_ln` }).apply(h) as SymbolicTensor;
      } else if (norm === 'batch') {
        h = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${name}_down${i}_bn` }).apply(h) as SymbolicTensor;
      }
      h = tf.layers.leakyReLU({ alpha: options.leakySlope, name: `${name}_down${i}_act` }).apply(h) as SymbolicTensor;
    }
    const features = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as SymbolicTensor;
    // One linear score per image: [batch, 1].
    const score = tf.layers.dense({ units: 1, kernelInitializer: kernel(), name: `${name}_score` }).apply(features) as SymbolicTensor;
    return tf.model({ inputs: image, outputs: score, name });
  },
});

function autoDepth(height: number, width: number): number {
  let depth = 0;
  const fits = (d: number) => height % 2 ** d === 0 && width % 2 ** d === 0 && Math.min(height, width) / 2 ** d >= 4;
  while (fits(depth + 1)) depth++;
  return depth;
}
