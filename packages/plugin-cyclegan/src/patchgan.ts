/**
 * The 70x70 PatchGAN discriminator (Isola et al. 2017; CycleGAN's D): 4x4 convolutions with LeakyReLU 0.2,
 * C64 (no norm) - C128 - C256 (stride 2, padding 1) - C512 (stride 1) - a 1-channel 4x4 conv: one raw score
 * per overlapping 70x70 patch ([batch, H/8 - 2, W/8 - 2, 1] for `layers` 3), for a least-squares loss.
 * `layers` stride-2 convolutions in all, widths doubling up to 8x `width`, as the paper's NLayerDiscriminator.
 */
import { defineArchitecture, GanforgeError, type SymbolicTensor } from '@ganforge/core';
import { blocks, normOption, streamInfo, type Norm } from './blocks.js';

export const patchgan = defineArchitecture({
  description: 'CycleGAN 70x70 PatchGAN discriminator: 4x4 convs with LeakyReLU 0.2, C64-C128-C256-C512-1, one score per patch.',
  optionsSchema: {
    type: 'object',
    properties: {
      width: { type: 'integer', minimum: 1, maximum: 4096, default: 64, description: 'Filters of the first convolution (ndf).' },
      layers: { type: 'integer', minimum: 1, maximum: 8, default: 3, description: 'Stride-2 convolutions (3: the 70x70 PatchGAN; receptive field grows with it).' },
      norm: normOption,
      leakySlope: { type: 'number', minimum: 0, maximum: 1, default: 0.2, description: 'Negative slope of LeakyReLU.' },
      stream: { type: 'string', default: 'a', description: 'Data stream whose images it judges (input shape).' },
    },
    additionalProperties: false,
  },
  build(ctx) {
    const { tf, options, name } = ctx;
    const [height, width, channels] = streamInfo(ctx, options.stream, 'stream').shape;
    const n = options.layers;
    // Sizes after every conv: k4 s2 p1 halves (floor), k4 s1 p1 loses one pixel; twice at the end.
    let size = Math.min(height, width);
    for (let i = 0; i < n; i++) size = Math.floor((size + 2 - 4) / 2) + 1;
    if (size - 2 < 1) {
      throw new GanforgeError('GF_SPEC_CONFLICT', `Model "${name}" cannot judge ${width}x${height} images with ${n} stride-2 layers: the patch map would be empty.`, {
        pointer: `/models/${name}/options/layers`,
        hint: `Use fewer layers (options.layers), or larger images (${2 ** (n + 2)} px or more for ${n} layers).`,
      });
    }
    const norm = options.norm as Norm;
    const b = blocks(tf, ctx.seed, norm);
    const lrelu = (x: SymbolicTensor, layer: string) => tf.layers.leakyReLU({ alpha: options.leakySlope, name: layer }).apply(x) as SymbolicTensor;

    const image = tf.input({ shape: [height, width, channels], name: `${name}_image` });
    let h: SymbolicTensor = image;
    for (let i = 0; i <= n; i++) {
      // n stride-2 convs, then one stride-1 conv; the first has no normalization.
      const strides = i < n ? 2 : 1;
      const filters = options.width * Math.min(2 ** i, 8);
      const withNorm = i > 0 && norm !== 'none';
      h = b.zeroPad(h, 1, `${name}_c${i}_pad`);
      h = b.conv(h, { filters, kernelSize: 4, strides, useBias: !withNorm, name: `${name}_c${i}` });
      if (i > 0) h = b.norm(h, `${name}_c${i}_norm`);
      h = lrelu(h, `${name}_c${i}_lrelu`);
    }
    h = b.zeroPad(h, 1, `${name}_out_pad`);
    const score = b.conv(h, { filters: 1, kernelSize: 4, useBias: true, name: `${name}_out` });
    return tf.model({ inputs: image, outputs: score, name });
  },
});
