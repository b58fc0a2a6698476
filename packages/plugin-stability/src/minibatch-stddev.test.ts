/**
 * MinibatchStddev: the appended map equals a float64 computation of ProGAN's statistic per group, is ~0 for a
 * collapsed batch (identical images) and not for a varied one (what lets D see mode collapse), handles batch
 * sizes the group size does not divide, and passes finite gradients on cpu and wasm.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import { minibatchStddevLayer } from './minibatch-stddev.js';

afterAll(() => useBackend('cpu'));
const layer = (groupSize: number) => new (minibatchStddevLayer(tf))({ groupSize }) as unknown as { apply(x: Tensor): Tensor };

/** ProGAN's statistic in float64: image i is member ⌊i / (n/g)⌋ of group i mod (n/g). */
function reference(x: Float32Array, [n, h, w, c]: number[], g: number): number[] {
  const groups = n! / g;
  const per = h! * w! * c!;
  return Array.from({ length: groups }, (_, k) => {
    let sum = 0;
    for (let p = 0; p < per; p++) {
      const values = Array.from({ length: g }, (_, m) => x[(m * groups + k) * per + p]!);
      const mean = values.reduce((a, b) => a + b, 0) / g;
      sum += Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / g + 1e-8);
    }
    return sum / per;
  });
}

describe('MinibatchStddev', () => {
  it('appends ProGAN\'s per-group statistic (float64 reference), one map per image', async () => {
    await useBackend('cpu');
    const x = tf.randomNormal([8, 3, 3, 2], 0, 1, 'float32', 1);
    const y = layer(4).apply(x);
    expect(y.shape).toEqual([8, 3, 3, 3]);
    const out = y.dataSync();
    const want = reference(x.dataSync() as Float32Array, x.shape, 4);
    for (let i = 0; i < 8; i++) for (let p = 0; p < 9; p++) expect(out[(i * 9 + p) * 3 + 2]).toBeCloseTo(want[i % 2]!, 5);
    // The original features pass through unchanged.
    expect(out[0]).toBe(x.dataSync()[0]);
    tf.dispose([x, y]);
  });

  it('is ~0 for a collapsed batch and clearly not for a varied one; odd batch sizes form smaller groups', () => {
    const same = tf.tile(tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 2), [6, 1, 1, 1]);
    const varied = tf.randomNormal([6, 4, 4, 3], 0, 1, 'float32', 3);
    const stat = (x: Tensor) => tf.tidy(() => layer(4).apply(x).dataSync()[3]!);
    expect(stat(same)).toBeLessThan(1e-3);
    expect(stat(varied)).toBeGreaterThan(0.5);
    const odd = layer(4).apply(tf.randomNormal([5, 2, 2, 1]));
    expect(odd.shape).toEqual([5, 2, 2, 2]);
    tf.dispose([same, varied, odd]);
  });

  it('passes finite, equal gradients on cpu and wasm', async () => {
    const gradOn = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 4);
      const g = tf.grad((input: Tensor) => tf.sum(tf.square(layer(2).apply(input))))(x);
      const values = Array.from(g.dataSync()) as number[];
      tf.dispose([x, g]);
      return values;
    };
    const [cpu, wasm] = [await gradOn('cpu'), await gradOn('wasm')];
    expect(cpu.every(Number.isFinite)).toBe(true);
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 4));
  });
});
