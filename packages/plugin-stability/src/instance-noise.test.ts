/** stability/instance-noise: adds N(0, σ²) (seeded), passes gradients unchanged, σ = 0 is the identity. */
import { describe, expect, it } from 'vitest';
import type { RandomSource, Tensor, Tensor4D } from '@ganforge/core';
import { entryOptions, tf, useBackend } from '@ganforge/core/testing';
import { instanceNoise } from './instance-noise.js';

const random = (seed: number): RandomSource => ({
  normal: (shape) => tf.randomNormal(shape, 0, 1, 'float32', seed),
  uniform: (shape, min = 0, max = 1) => tf.randomUniform(shape, min, max, 'float32', seed),
  integers: (shape, n) => tf.randomUniform(shape, 0, n, 'int32', seed),
  next: () => 0.5,
});

describe('stability/instance-noise', () => {
  it('adds noise of the asked standard deviation, seeded, with an identity gradient', async () => {
    await useBackend('cpu');
    const augment = instanceNoise.build({ tf, options: entryOptions(instanceNoise, { stddev: 0.2 }) });
    const x = tf.zeros([4, 16, 16, 1]) as Tensor4D;
    const y = augment(x, random(1));
    const values = Array.from(y.dataSync());
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.18);
    expect(std).toBeLessThan(0.22);
    expect(Array.from(augment(x, random(1)).dataSync())).toEqual(values);
    const grad = tf.grad((input: Tensor) => tf.sum(tf.mul(augment(input as Tensor4D, random(2)), 3)))(x);
    expect(new Set(grad.dataSync()).size).toBe(1);
    expect(grad.dataSync()[0]).toBe(3);
    const off = instanceNoise.build({ tf, options: entryOptions(instanceNoise, { stddev: 0 }) });
    expect(off(x, random(1))).toBe(x);
    tf.dispose([x, y, grad]);
  });
});
