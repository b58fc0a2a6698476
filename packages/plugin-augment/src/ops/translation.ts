/**
 * Translation with zero padding (DiffAugment's `rand_translation`): each image moves by a whole number of
 * pixels (ty, tx), each drawn uniformly from [-s, s], s = round(ratio * size); out[y, x] = in[y + ty, x + tx],
 * zero outside. Zero is mid-gray for [-1, 1] data, as in the paper's code. Differentiable: pad, then slice.
 */
import { defineAugmentation, type RandomSource, type Tensor4D, type TF } from '@ganforge/core';
import { blend, probabilityOption } from '../probability.js';

/** Uniform integer in [lo, hi] from a [0, 1) draw. */
export const drawInt = (random: RandomSource, lo: number, hi: number) => lo + Math.min(hi - lo, Math.floor(random.next() * (hi - lo + 1)));

export function translate(tf: TF, images: Tensor4D, shifts: ReadonlyArray<readonly [number, number]>, sh: number, sw: number): Tensor4D {
  const [n, h, w, c] = images.shape;
  const padded = tf.pad(images, [[0, 0], [sh, sh], [sw, sw], [0, 0]]);
  const parts = Array.from({ length: n }, (_, i) => tf.slice(padded, [i, sh + shifts[i]![0], sw + shifts[i]![1], 0], [1, h, w, c]));
  return (n === 1 ? parts[0]! : tf.concat(parts, 0)) as Tensor4D;
}

export const translation = defineAugmentation({
  description: 'DiffAugment translation: shifts each image by up to ratio × its size (whole pixels, zero padding).',
  optionsSchema: {
    type: 'object',
    properties: {
      ratio: { type: 'number', minimum: 0, maximum: 1, default: 0.125, description: 'Largest shift as a share of the image size (the paper: 1/8).' },
      ...probabilityOption,
    },
    additionalProperties: false,
  },
  build: ({ tf, options }) => (images, random) => {
    const [n, h, w] = images.shape;
    const sh = Math.round(h * options.ratio), sw = Math.round(w * options.ratio);
    const shifts = Array.from({ length: n }, () => [drawInt(random, -sh, sh), drawInt(random, -sw, sw)] as const);
    return blend(tf, images, translate(tf, images, shifts, sh, sw), options.p, random);
  },
});
