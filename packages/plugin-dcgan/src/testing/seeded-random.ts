/** Tests only: a RandomSource whose every draw is seeded (seed, seed + 1, …), so objective phases repeat exactly. */
import type { RandomSource } from '@ganforge/core';
import { tf } from '@ganforge/core/testing';

export function seededRandom(seed: number): RandomSource {
  let s = seed;
  return {
    normal: (shape) => tf.randomNormal(shape, 0, 1, 'float32', s++),
    uniform: (shape, min = 0, max = 1) => tf.randomUniform(shape, min, max, 'float32', s++),
    integers: (shape, n) => tf.randomUniform(shape, 0, n, 'int32', s++),
    next: () => ((s++ * 9301 + 49297) % 233280) / 233280,
  };
}
