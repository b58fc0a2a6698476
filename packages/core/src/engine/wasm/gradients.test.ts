/**
 * The gradients registered by gradients.ts, against central finite differences (float32, so steps
 * and tolerances are loose) on wasm, and wasm against cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackends } from './testing/setup.js';

beforeAll(() => setupBackends());

/** Central differences of scalar f at x, for every entry of x. */
function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, eps = 1e-2): Float32Array {
  const v = x.dataSync().slice();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const at = (d: number) => tf.tidy(() => {
      const p = v.slice();
      p[i] = p[i]! + d;
      return f(tf.tensor(p, x.shape)).dataSync()[0]!;
    });
    out[i] = (at(eps) - at(-eps)) / (2 * eps);
  }
  return out;
}

function expectClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>, tol = 2e-2) {
  let scale = 0;
  for (let i = 0; i < numeric.length; i++) scale = Math.max(scale, Math.abs(numeric[i]!));
  expect(scale).toBeGreaterThan(1e-3);
  for (let i = 0; i < numeric.length; i++) expect(Math.abs(analytic[i]! - numeric[i]!)).toBeLessThan(tol * scale);
}

describe('MirrorPad gradient', () => {
  for (const mode of ['reflect', 'symmetric'] as const) {
    it(`${mode}: every gradient that lands in the mirrored border goes back onto its source pixel (finite differences, wasm = cpu)`, async () => {
      const paddings: [number, number][] = [[0, 0], [2, 1], [1, 2], [0, 0]];
      const w = () => tf.randomUniform([1, 7, 7, 2], -1, 1, 'float32', 3);
      const f = (xx: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(xx, paddings, mode), w())) as tf.Scalar;
      const grads: Float32Array[] = [];
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        const x0 = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 4);
        grads.push(tf.tidy(() => tf.grad(f)(x0)).dataSync() as Float32Array);
        expectClose(grads.at(-1)!, numericGrad(f, x0), 1e-2);
        x0.dispose();
      }
      expect(Array.from(grads[1]!)).toEqual(Array.from(grads[0]!));
    });
  }
});

describe('training gradients', () => {
  const x = () => tf.randomNormal([3, 2, 2, 3], 0, 1, 'float32', 5);
  const weights = () => tf.randomUniform([3, 2, 2, 3], -1, 1, 'float32', 6);
  // Training-mode batch norm, as GAN generators use it: batch statistics, gradients through them.
  const bn = (withAffine: boolean) => (xx: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    const y = withAffine
      ? tf.batchNorm(xx, mean, variance, tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([1.5, 0.5, -1]), 1e-3)
      : tf.batchNorm(xx, mean, variance, undefined, undefined, 1e-3);
    return tf.sum(tf.mul(y, weights())) as tf.Scalar;
  };

  for (const affine of [true, false]) {
    it(`batchNorm ${affine ? 'with' : 'without'} scale/offset: d/dx equals finite differences, wasm equals cpu`, async () => {
      const grads: Float32Array[] = [];
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        const x0 = x();
        grads.push(tf.tidy(() => tf.grad(bn(affine))(x0)).dataSync() as Float32Array);
        if (backend === 'wasm') expectClose(grads[1]!, numericGrad(bn(affine), x0));
        x0.dispose();
      }
      let diff = 0, scale = 0;
      grads[0]!.forEach((c, i) => { diff = Math.max(diff, Math.abs(c - grads[1]![i]!)); scale = Math.max(scale, Math.abs(c)); });
      expect(diff / scale).toBeLessThan(1e-4);
    });
  }

  it('batchNorm scale and offset gradients equal finite differences', async () => {
    await tf.setBackend('wasm');
    const x0 = x();
    const f = (scale: tf.Tensor, offset: tf.Tensor) => {
      const { mean, variance } = tf.moments(x0, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(x0, mean, variance, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3), weights())) as tf.Scalar;
    };
    const s = tf.tensor1d([1.5, 0.5, -1]), o = tf.tensor1d([0.1, -0.2, 0.3]);
    const [gs, go] = tf.grads(f)([s, o]);
    expectClose(gs!.dataSync(), numericGrad((ss) => f(ss, o), s));
    expectClose(go!.dataSync(), numericGrad((oo) => f(s, oo), o));
    tf.dispose([x0, s, o, gs!, go!]);
  });

  it('second order through tanh and sigmoid equals finite differences', async () => {
    await tf.setBackend('wasm');
    const xm = tf.randomUniform([4, 5], -1, 1, 'float32', 3);
    for (const act of [tf.tanh, tf.sigmoid, tf.exp] as ((t: tf.Tensor) => tf.Tensor)[]) {
      const pen = (w: tf.Tensor) => tf.sum(tf.square(tf.grad((xx: tf.Tensor) => tf.sum(act(tf.matMul(xx as tf.Tensor2D, w as tf.Tensor2D))))(xm))) as tf.Scalar;
      const w0 = tf.randomUniform([5, 3], -0.5, 0.5, 'float32', 4);
      expectClose(tf.grad(pen)(w0).dataSync(), numericGrad(pen, w0, 3e-3));
      w0.dispose();
    }
    xm.dispose();
  });

  it('depthToSpace gradient is the inverse permutation', async () => {
    await tf.setBackend('wasm');
    const x0 = tf.reshape(tf.range(0, 2 * 2 * 3 * 8), [2, 2, 3, 8]);
    const w = tf.randomUniform([2, 4, 6, 2], -1, 1, 'float32', 9);
    const f = (xx: tf.Tensor) => tf.sum(tf.mul(tf.depthToSpace(xx as tf.Tensor4D, 2), w)) as tf.Scalar;
    // d/dx sum(d2s(x) * w) = s2d(w): each x entry lands on exactly one w entry.
    const g = tf.grad(f)(x0).dataSync();
    const wv = w.dataSync();
    const y = tf.depthToSpace(x0 as tf.Tensor4D, 2).dataSync();
    y.forEach((xIndex, pos) => expect(g[xIndex]).toBe(wv[pos]));
    tf.dispose([x0, w]);
  });

  it('tile gradient sums the repetitions in a few kernels, first and second order equal finite differences', async () => {
    await tf.setBackend('wasm');
    const w = tf.randomUniform([2, 6, 3, 4], -1, 1, 'float32', 11);
    // Layer norm's pattern: per-image moments tiled to the activation's size, scale tiled over the batch.
    const f = (xx: tf.Tensor) => tf.sum(tf.mul(tf.tile(tf.tanh(xx), [1, 3, 3, 2]), w)) as tf.Scalar;
    const x0 = tf.randomUniform([2, 2, 1, 2], -1, 1, 'float32', 12);
    expectClose(tf.grad(f)(x0).dataSync(), numericGrad(f, x0, 3e-3));
    const pen = (xx: tf.Tensor) => tf.sum(tf.square(tf.grad(f)(xx))) as tf.Scalar;
    expectClose(tf.grad(pen)(x0).dataSync(), numericGrad(pen, x0, 3e-3));
    // tfjs' own gradient is one Slice + Add per repetition (18 here); this one a reshape and a sum per tiled axis.
    const profile = await tf.profile(() => tf.grad(f)(x0));
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).not.toContain('Slice');
    expect(kernels.filter((k) => k === 'Sum').length).toBe(1 + 3); // f's own sum + one per tiled axis
    tf.dispose([x0, w]);
  });
});
