/**
 * Seeded randomness whose state is a position, not a history: every draw's seed is derived from
 * (training seed, stream key, call index). The trainer moves the position to (step, phase, repeat) before
 * each phase, so the draws of step N are the same whether or not the run was resumed before step N, and
 * whichever backend runs (tfjs generates seeded random values in JavaScript on every backend).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { RandomSource, TF } from '../plugin/types.js';

/** Mixes integers into one unsigned 32-bit seed (splitmix/murmur finaliser per part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // Fold the high bits of parts beyond 32 bits (steps stay below 2^32 in practice, seeds below 2^31).
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0x27d4eb2f);
  }
  return h >>> 0;
}

/** A float in [0, 1) from a 32-bit seed (mulberry32, one round). */
export function unitFloat(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Stream keys, so draws for different purposes never share seeds. */
export const RANDOM_STREAM = { step: 1, sample: 2, data: 3, init: 4, augment: 5, check: 6 } as const;

export interface RandomPosition {
  key: number[];
  calls: number;
}

export class SeededRandom implements RandomSource {
  #key: number[];
  #calls = 0;

  constructor(
    private readonly tf: TF,
    readonly seed: number,
    key: number[] = [],
  ) {
    this.#key = key;
  }

  /**
   * A new, independent source at position `key` (call count 0): a position always yields the same draws,
   * and draws from one stream (augmentations) never shift another's (the phase's noise).
   */
  at(...key: number[]): SeededRandom {
    return new SeededRandom(this.tf, this.seed, key);
  }

  get position(): RandomPosition {
    return { key: [...this.#key], calls: this.#calls };
  }

  restore(position: RandomPosition): void {
    this.#key = [...position.key];
    this.#calls = position.calls;
  }

  /** The seed of the next draw; advances the call count. */
  nextSeed(): number {
    return mixSeed(this.seed, ...this.#key, this.#calls++);
  }

  normal(shape: number[]): Tensor {
    return this.tf.randomNormal(shape, 0, 1, 'float32', this.nextSeed());
  }

  uniform(shape: number[], min = 0, max = 1): Tensor {
    return this.tf.randomUniform(shape, min, max, 'float32', this.nextSeed());
  }

  integers(shape: number[], n: number): Tensor {
    // tfjs rounds int32 uniforms (so n itself could appear): floor a float draw and clamp instead.
    const seed = this.nextSeed();
    return this.tf.tidy(() =>
      this.tf.cast(this.tf.minimum(this.tf.floor(this.tf.randomUniform(shape, 0, n, 'float32', seed)), n - 1), 'int32'),
    );
  }

  next(): number {
    return unitFloat(this.nextSeed());
  }
}
