/**
 * The core's one small seeded generator of uniform numbers: Marsaglia's xorshift32 (shifts 13, 17, 5) on
 * a 32-bit state. For index draws in plain JavaScript that must be a pure function of a seed (data
 * shuffles, metric subsets); tensor randomness goes through SeededRandom (random.ts) instead.
 * Its outputs are pinned by xorshift.test.ts: the data order, hence every run's batches, depends on them.
 */

/**
 * Uniform numbers in [0, 1), each the next 32-bit state divided by 2³². The seed is taken as an
 * unsigned 32-bit integer; 0 is the generator's fixed point, so seed 0 starts from `zeroSeed` (non-zero)
 * instead.
 */
export function xorshift32(seed: number, zeroSeed = 1): () => number {
  let state = seed >>> 0 || zeroSeed >>> 0;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}
