import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBackend, seeded, setupBackends } from '../testing/setup.js';

beforeAll(() => setupBackends());

describe('wasm LeakyRelu and its fused gradient', () => {
  for (const alpha of [0.2, 0.01, 0]) {
    it(`alpha ${alpha}: values and gradients equal the cpu backend bit for bit`, async () => {
      const f = () => {
        const x = tf.concat([tf.reshape(seeded([5, 7], 1), [-1]), tf.tensor1d([0, -0, 1e-30, -1e-30])]);
        const dy = seeded(x.shape, 2);
        const [y, g] = [tf.leakyRelu(x, alpha), tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(xx, alpha), dy)))(x)];
        return [y, g];
      };
      const wasm = await onBackend('wasm', f);
      const cpu = await onBackend('cpu', f);
      expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
      expect(Array.from(wasm[1]!)).toEqual(Array.from(cpu[1]!));
    });
  }

  it('uses the fused kernel on wasm, and its second-order gradient equals cpu', async () => {
    await tf.setBackend('wasm');
    const prof = await tf.profile(() => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.leakyRelu(x, 0.2)))(seeded([4, 4], 1))));
    expect(prof.kernelNames).toContain('GanforgeLeakyReluGrad');
    expect(prof.kernelNames).not.toContain('Select');
    // d/dw sum((d/dx sum(lrelu(x w) v))^2): the gradient of the gradient flows through the fused kernel.
    const f = () => {
      const x = seeded([3, 4], 3), v = seeded([4, 2], 4), w0 = seeded([4, 4], 5);
      return tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.grad((xx: tf.Tensor) =>
        tf.sum(tf.matMul(tf.leakyRelu(tf.matMul(xx as tf.Tensor2D, w as tf.Tensor2D), 0.2), v)))(x))))(w0);
    };
    const [w] = await onBackend('wasm', f);
    const [c] = await onBackend('cpu', f);
    expect(Math.max(...Array.from(c!).map(Math.abs))).toBeGreaterThan(1e-3);
    Array.from(c!).forEach((cv, i) => expect(Math.abs(cv - w![i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(cv))));
  });
});
