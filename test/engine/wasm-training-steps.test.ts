/**
 * Whole training steps on wasm (threaded, with our kernels) against the cpu backend: identical weights
 * and inputs, so the losses of the first 20 steps must agree to float32 round-off. Also: no tensor or
 * wasm-buffer leaks across steps, and the gradient-of-a-gradient (WGAN-GP) against finite differences.
 */
import { beforeAll, describe, expect, it } from 'vitest';
// The raw-ops GAN steps live with the benchmarks: a second GAN implementation is no part of the core's sources.
import { GAN_STEPS, type GanStep } from '../../bench/lib/gan-steps.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { setupBackends } from '../../packages/core/src/engine/wasm/testing/setup.js';

beforeAll(() => setupBackends());

async function losses(backend: string, make: () => GanStep, steps: number) {
  await tf.setBackend(backend);
  const s = make();
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) out.push(s.step(i));
  s.dispose();
  return out;
}

function maxRel(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => {
    m = Math.max(m, Math.abs(v - b[i]![j]!) / Math.max(Math.abs(b[i]![j]!), 1e-3));
  }));
  return m;
}

describe('training steps on wasm match cpu', () => {
  const cases: [keyof typeof GAN_STEPS, number][] = [['dcgan', 20], ['wgan-gp', 20], ['cyclegan', 4], ['srgan', 4]];
  for (const [name, steps] of cases) {
    it(`${name}: losses of the first ${steps} steps`, async () => {
      const make = GAN_STEPS[name] as () => GanStep;
      const cpu = await losses('cpu', make, steps);
      const wasm = await losses('wasm', make, steps);
      expect(cpu.flat().every(Number.isFinite)).toBe(true);
      // Losses move: the comparison is not between two constant sequences.
      expect(new Set(cpu.map((l) => l[0]!.toFixed(6))).size).toBeGreaterThan(1);
      expect(maxRel(wasm, cpu)).toBeLessThan(1e-4);
    });
  }

  it('steps leak no tensors and no wasm buffers', async () => {
    await tf.setBackend('wasm');
    for (const name of ['dcgan', 'wgan-gp'] as const) {
      const s = (GAN_STEPS[name] as () => GanStep)();
      s.step(0); // optimizers create their slots on the first step
      const tensors = tf.memory().numTensors, ids = tf.engine().backend.numDataIds();
      for (let i = 1; i < 4; i++) s.step(i);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(ids);
      s.dispose();
    }
  });
});

describe('second order (WGAN-GP penalty) on wasm', () => {
  // penalty(w) = mean_b (|d/dx sum D(x)|_b - 1)^2 with D = dense(lrelu(conv s2(x))): d penalty / d w
  // goes through Conv2DBackpropInput's gradient (Conv2D and Conv2DBackpropFilter) and LeakyRelu's.
  const B = 3, S = 6, C = 4;
  // LeakyRelu (as in real critics) for the comparison with cpu; tanh for finite differences, which a
  // kink inside the difference step would spoil.
  type Act = (t: tf.Tensor) => tf.Tensor;
  const lrelu: Act = (t) => tf.leakyRelu(t, 0.2);
  const penalty = (w: tf.Tensor4D, v: tf.Tensor2D, x: tf.Tensor4D, act: Act = lrelu) => {
    const D = (xx: tf.Tensor4D) => tf.matMul(tf.reshape(act(tf.conv2d(xx, w, 2, 'same')), [B, 9 * C]), v);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(D(xx as tf.Tensor4D)))(x);
    return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(g), [1, 2, 3])), 1)));
  };
  const inputs = () => ({
    w: tf.randomUniform([3, 3, 2, C], -0.5, 0.5, 'float32', 11) as tf.Tensor4D,
    v: tf.randomUniform([9 * C, 1], -0.5, 0.5, 'float32', 12) as tf.Tensor2D,
    x: tf.randomUniform([B, S, S, 2], -1, 1, 'float32', 13) as tf.Tensor4D,
  });
  const gradW = (act: Act = lrelu) => tf.tidy(() => {
    const { w, v, x } = inputs();
    return tf.grad((ww: tf.Tensor) => penalty(ww as tf.Tensor4D, v, x, act))(w);
  });

  it('equals the cpu backend and central finite differences', async () => {
    await tf.setBackend('cpu');
    const cpu = gradW().dataSync();
    await tf.setBackend('wasm');
    const wasm = gradW().dataSync();
    let diff = 0, scale = 0;
    cpu.forEach((c, i) => { diff = Math.max(diff, Math.abs(c - wasm[i]!)); scale = Math.max(scale, Math.abs(c)); });
    expect(scale).toBeGreaterThan(1e-3);
    expect(diff / scale).toBeLessThan(1e-4);

    // Finite differences in float64 are not available; float32 central differences with a step
    // large enough for round-off, on the entries with the largest gradients.
    const analytic = gradW(tf.tanh).dataSync();
    const { w, v, x } = inputs();
    const wv = w.dataSync().slice();
    const order = [...analytic.keys()].sort((a, b) => Math.abs(analytic[b]!) - Math.abs(analytic[a]!)).slice(0, 6);
    const eps = 1e-2;
    for (const i of order) {
      const at = (delta: number) => tf.tidy(() => {
        const p = wv.slice();
        p[i] = p[i]! + delta;
        return penalty(tf.tensor4d(p, w.shape), v, x, tf.tanh).dataSync()[0]!;
      });
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(fd - analytic[i]!)).toBeLessThan(1e-2 * Math.abs(analytic[i]!) + 1e-4);
    }
    tf.dispose([w, v, x]);
  });
});
