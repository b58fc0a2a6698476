/**
 * The CycleGAN ResNet generator (Johnson et al. 2016, as used by Zhu et al. 2017), in the paper's notation
 * for w = width: c7s1-w, d2w, d4w, R4w × blocks, u2w, uw, c7s1-C.
 * - c7s1-k: reflection pad 3, 7x7 conv (stride 1) with k filters, norm, ReLU;
 * - dk: 3x3 conv, stride 2 (zero pad 1, as PyTorch's padding=1), norm, ReLU;
 * - Rk: residual block of two reflection-padded 3x3 convs with norm (ReLU after the first), added to its input;
 * - uk: 3x3 transposed conv, stride 2, norm, ReLU;
 * - the last c7s1 maps to the output channels with tanh and no norm.
 * It translates images of the `from` stream into images shaped like the `to` stream (same H, W; channels may differ).
 */
import { defineArchitecture, GanforgeError, type SymbolicTensor } from '@ganforge/core';
import { blocks, normOption, streamInfo, type Norm } from './blocks.js';

export const resnetGenerator = defineArchitecture({
  description: 'CycleGAN ResNet generator: c7s1-w, stride-2 downsamplings (two in the paper), residual blocks, as many upsamplings, c7s1-C with tanh (H, W divisible by 2^downsamplings).',
  optionsSchema: {
    type: 'object',
    properties: {
      width: { type: 'integer', minimum: 1, maximum: 4096, default: 64, description: 'Filters of the first layer (ngf); the downsamplings have 2x and 4x as many.' },
      blocks: { type: 'integer', minimum: 0, maximum: 64, default: 9, description: 'Residual blocks: 9 for 256 px images, 6 for 128 px (the paper).' },
      downsamplings: {
        type: 'integer',
        minimum: 0,
        maximum: 5,
        default: 2,
        description: 'Stride-2 convolutions before the residual blocks (and as many upsamplings after): 2 in the paper. Small images (28 px) keep more of their content with 1: a 14x14 bottleneck instead of 7x7, at the same cost per block.',
      },
      norm: normOption,
      from: { type: 'string', default: 'a', description: 'Data stream whose images it takes (input shape).' },
      to: { type: 'string', default: 'b', description: 'Data stream whose images it makes (output channels).' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const source = streamInfo(ctx, options.from, 'from');
    const target = streamInfo(ctx, options.to, 'to');
    const [height, width, channels] = source.shape;
    const downs = options.downsamplings;
    const factor = 2 ** downs;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" cannot translate ${width}x${height} images: the ResNet generator halves the size ${downs} times, so height and width must be divisible by ${factor}.`, {
        pointer: `/models/${name}`,
        hint: 'Resize the data (image-folder: options.size), e.g. to 128 or 256 px, or lower options.downsamplings.',
      });
    }
    if (options.blocks > 0 && (height / factor < 2 || width / factor < 2)) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" halves ${width}x${height} images ${downs} times down to ${width / factor}x${height / factor}: its residual blocks' reflection padding needs at least 2x2.`, {
        pointer: `/models/${name}/options/downsamplings`,
        hint: `Use at most ${Math.max(0, Math.floor(Math.log2(Math.min(height, width) / 2)))} downsamplings for these images.`,
      });
    }
    if (target.shape[0] !== height || target.shape[1] !== width) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" maps stream "${options.from}" (${width}x${height}) to "${options.to}" (${target.shape[1]}x${target.shape[0]}): the ResNet generator keeps the image size.`, {
        pointer: `/models/${name}`,
        hint: 'Give both data streams the same image size.',
      });
    }
    const norm = options.norm as Norm;
    const b = blocks(tf, ctx.seed, norm);
    // A bias only where no normalization follows (its mean subtraction would cancel it).
    const useBias = norm === 'none';
    const w = options.width;

    const image = tf.input({ shape: [height, width, channels], name: `${name}_image` });
    const relu = (x: SymbolicTensor, layer: string) => tf.layers.reLU({ name: layer }).apply(x) as SymbolicTensor;

    // c7s1-w
    let h = b.reflect(image, 3, `${name}_c7_pad`);
    h = b.conv(h, { filters: w, kernelSize: 7, useBias, name: `${name}_c7` });
    h = relu(b.norm(h, `${name}_c7_norm`), `${name}_c7_relu`);
    // d2w, d4w (for the paper's two downsamplings)
    for (let i = 1; i <= downs; i++) {
      h = b.zeroPad(h, 1, `${name}_down${i}_pad`);
      h = b.conv(h, { filters: w * 2 ** i, kernelSize: 3, strides: 2, useBias, name: `${name}_down${i}` });
      h = relu(b.norm(h, `${name}_down${i}_norm`), `${name}_down${i}_relu`);
    }
    // R4w × blocks (4w: w · 2^downsamplings)
    for (let i = 0; i < options.blocks; i++) {
      const block = `${name}_res${i}`;
      let r = b.reflect(h, 1, `${block}_pad1`);
      r = b.conv(r, { filters: w * factor, kernelSize: 3, useBias, name: `${block}_conv1` });
      r = relu(b.norm(r, `${block}_norm1`), `${block}_relu`);
      r = b.reflect(r, 1, `${block}_pad2`);
      r = b.conv(r, { filters: w * factor, kernelSize: 3, useBias, name: `${block}_conv2` });
      r = b.norm(r, `${block}_norm2`);
      h = tf.layers.add({ name: `${block}_add` }).apply([h, r]) as SymbolicTensor;
    }
    // u2w, uw
    for (let i = downs - 1; i >= 0; i--) {
      const layer = `${name}_up${downs - i}`;
      h = tf.layers
        .conv2dTranspose({ filters: w * 2 ** i, kernelSize: 3, strides: 2, padding: 'same', useBias, kernelInitializer: b.kernel(), name: layer })
        .apply(h) as SymbolicTensor;
      h = relu(b.norm(h, `${layer}_norm`), `${layer}_relu`);
    }
    // c7s1-C
    h = b.reflect(h, 3, `${name}_out_pad`);
    h = b.conv(h, { filters: target.shape[2], kernelSize: 7, useBias: true, name: `${name}_out` });
    const out = tf.layers.activation({ activation: 'tanh', name: `${name}_tanh` }).apply(h) as SymbolicTensor;
    return tf.model({ inputs: image, outputs: out, name });
  },
});
