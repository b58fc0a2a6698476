/**
 * SRResNet (Ledig et al. 2017), the SRGAN generator, for w = width and B = blocks:
 * - 9x9 conv, w filters, PReLU;
 * - B residual blocks: 3x3 conv, BN, PReLU, 3x3 conv, BN, added to the block's input (batchNorm false: no BN,
 *   convs with biases, as EDSR);
 * - 3x3 conv, BN, added to the first conv's output (the long skip);
 * - log2(scale) upsampling stages: 3x3 conv to 4w, PixelShuffle ×2 (depth-to-space), PReLU;
 * - 9x9 conv to the stream's channels, tanh (images in [-1, 1]) or linear; with skip "bilinear", plus the
 *   bilinearly upscaled input (global residual learning; not in the paper).
 * PReLU is per channel (tfjs' PReLU with sharedAxes [1, 2]), slopes starting at 0.25 as PyTorch's.
 * Fully convolutional: the input is [null, null, C], so the trained net upscales images of any size.
 */
import { defineArchitecture, type SymbolicTensor } from '@ganforge/core';
import { kernels, streamInfo } from './common.js';
import { srganLayers } from './layers.js';

export const srresnet = defineArchitecture({
  description: 'SRResNet / SRGAN generator: 9x9 conv + PReLU, residual blocks with BN, pixel-shuffle ×2 stages, 9x9 conv; upscales images of any size.',
  optionsSchema: {
    type: 'object',
    properties: {
      width: { type: 'integer', minimum: 1, maximum: 1024, default: 64, description: 'Feature maps of the residual trunk (the paper: 64).' },
      blocks: { type: 'integer', minimum: 0, maximum: 64, default: 16, description: 'Residual blocks (the paper: 16).' },
      batchNorm: { type: 'boolean', default: true, description: 'Batch norm in the residual blocks and the trunk (the paper). false: none, as EDSR (Lim et al. 2017) found better for super-resolution; convs then get biases.' },
      scale: { enum: [2, 4], default: 4, description: 'Upscaling factor: 2 or 4 (one pixel-shuffle ×2 stage per factor 2).' },
      skip: {
        enum: ['none', 'bilinear'],
        default: 'none',
        description:
          '"bilinear": add the bilinearly upscaled input to the output (global residual learning, as VDSR), so the net learns only what interpolation misses and starts near its quality: far fewer steps to beat bicubic on a small budget. Not in the paper ("none"). The output is then linear (outputActivation is ignored).',
      },
      outputActivation: { enum: ['tanh', 'linear'], default: 'tanh', description: 'Last activation: "tanh" for images in [-1, 1] (data scale "tanh"), "linear" for none.' },
      stream: { type: 'string', default: 'hr', description: 'Data stream whose channel count it takes and makes.' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const channels = streamInfo(ctx, options.stream, 'stream').shape[2];
    const kernel = kernels(tf, ctx.seed);
    const { PixelShuffle } = srganLayers(tf);
    const w = options.width;
    const conv = (x: SymbolicTensor, filters: number, kernelSize: number, useBias: boolean, layer: string) =>
      tf.layers.conv2d({ filters, kernelSize, padding: 'same', useBias, kernelInitializer: kernel(), name: layer }).apply(x) as SymbolicTensor;
    const norm = options.batchNorm;
    const bn = (x: SymbolicTensor, layer: string) => (norm ? (tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: layer }).apply(x) as SymbolicTensor) : x);
    const prelu = (x: SymbolicTensor, layer: string) =>
      tf.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: tf.initializers.constant({ value: 0.25 }), name: layer }).apply(x) as SymbolicTensor;
    const add = (a: SymbolicTensor, b: SymbolicTensor, layer: string) => tf.layers.add({ name: layer }).apply([a, b]) as SymbolicTensor;

    const image = tf.input({ shape: [null, null, channels], name: `${name}_lr` });
    const head = prelu(conv(image, w, 9, true, `${name}_in`), `${name}_in_prelu`);
    let h = head;
    for (let i = 0; i < options.blocks; i++) {
      const block = `${name}_res${i}`;
      // No conv bias before a batch norm (its mean subtraction cancels it).
      let r = prelu(bn(conv(h, w, 3, !norm, `${block}_conv1`), `${block}_bn1`), `${block}_prelu`);
      r = bn(conv(r, w, 3, !norm, `${block}_conv2`), `${block}_bn2`);
      h = add(h, r, `${block}_add`);
    }
    h = add(head, bn(conv(h, w, 3, !norm, `${name}_trunk`), `${name}_trunk_bn`), `${name}_skip`);
    for (let i = 0; i < Math.log2(options.scale); i++) {
      const stage = `${name}_up${i}`;
      h = conv(h, 4 * w, 3, true, `${stage}_conv`);
      h = new PixelShuffle({ blockSize: 2, name: `${stage}_shuffle` }).apply(h) as SymbolicTensor;
      h = prelu(h, `${stage}_prelu`);
    }
    h = conv(h, channels, 9, true, `${name}_out`);
    if (options.skip === 'bilinear') {
      const upscaled = tf.layers.upSampling2d({ size: [options.scale, options.scale], interpolation: 'bilinear', name: `${name}_bilinear` }).apply(image) as SymbolicTensor;
      return tf.model({ inputs: image, outputs: add(upscaled, h, `${name}_plus_bilinear`), name });
    }
    const out = tf.layers.activation({ activation: options.outputActivation, name: `${name}_${options.outputActivation}` }).apply(h) as SymbolicTensor;
    return tf.model({ inputs: image, outputs: out, name });
  },
});
