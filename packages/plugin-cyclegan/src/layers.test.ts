/**
 * The custom layers: values against a direct formula, forward values and gradients (w.r.t. input and weights)
 * on wasm equal to cpu (a conv bias before instance norm is left out: its gradient is 0 up to round-off), and a model using them survives tf's save/load (serialization through the registry).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayersModel, SymbolicTensor, Tensor } from '@ganforge/core';
import { forwardAndGradients, relativeError, tf, useBackend } from '@ganforge/core/testing';
import plugin from './index.js';
import { cycleganLayers, instanceNormPlain } from './layers.js';

const { InstanceNormalization, ReflectionPadding2D } = cycleganLayers(tf);

beforeAll(async () => {
  await useBackend('cpu');
  for (const cls of plugin.layers!(tf)) tf.serialization.registerClass(cls as never);
});

/** A small model: reflection pad 2 → conv 3x3 (no bias) → instance norm (non-trivial scale and offset) → sum with weights. */
function tinyModel(): LayersModel {
  const x = tf.input({ shape: [5, 6, 3] });
  let h = new ReflectionPadding2D({ padding: 2, name: 'pad' }).apply(x) as SymbolicTensor;
  h = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 1 }), name: 'conv' }).apply(h) as SymbolicTensor;
  h = new InstanceNormalization({ name: 'norm', gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.3, seed: 2 }), betaInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: 3 }) }).apply(h) as SymbolicTensor;
  return tf.model({ inputs: x, outputs: h });
}

const input = () => tf.randomUniform([2, 5, 6, 3], -1, 1, 'float32', 7);
const mask = () => tf.randomUniform([2, 7, 8, 4], -1, 1, 'float32', 8);

/** Output, d/dx and d/dweights of sum(model(x) * mask) on the active backend, as plain arrays. */
function forwardAndGrads(): Float32Array[] {
  const model = tinyModel();
  const arrays = forwardAndGradients(model, input, mask);
  model.dispose();
  return arrays;
}


describe('InstanceNormalization', () => {
  it('normalizes each sample and channel over H and W, then scales and offsets', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 3, 2], 3, 2, 'float32', 1);
      const layer = new InstanceNormalization({ gammaInitializer: tf.initializers.constant({ value: 2 }), betaInitializer: tf.initializers.constant({ value: 0.5 }) });
      const y = (layer as unknown as { apply(t: Tensor): Tensor }).apply(x);
      const { mean, variance } = tf.moments(y, [1, 2]);
      // mean 0.5 and std 2 (up to epsilon) per sample and channel.
      for (const v of mean.dataSync()) expect(v).toBeCloseTo(0.5, 4);
      for (const v of variance.dataSync()) expect(v).toBeCloseTo(4, 2);
      const xs = x.arraySync() as number[][][][];
      const ys = y.arraySync() as number[][][][];
      const values = xs[1]!.flatMap((row) => row.map((p) => p[0]!));
      const m = values.reduce((s, v) => s + v, 0) / values.length;
      const v = values.reduce((s, u) => s + (u - m) ** 2, 0) / values.length;
      expect(ys[1]![2]![1]![0]).toBeCloseTo(((xs[1]![2]![1]![0]! - m) / Math.sqrt(v + 1e-5)) * 2 + 0.5, 4);
    });
  });

  it('without affine it has no weights', () => {
    const x = tf.input({ shape: [4, 4, 2] });
    const layer = new InstanceNormalization({ affine: false });
    layer.apply(x);
    expect((layer as unknown as { weights: unknown[] }).weights).toHaveLength(0);
    expect(layer.getConfig()).toMatchObject({ epsilon: 1e-5, affine: false });
  });
});

/**
 * d/dx, d/dγ, d/dβ of sum(IN(x)·m) through the layer (closed-form gradient) and through autodiff of the plain
 * formula, on the active backend; and the tensor count before and after a few training-like steps.
 */
function layerVsPlain(affine: boolean, shape: [number, number, number, number]) {
  const layer = new InstanceNormalization({
    affine,
    gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 4 }),
    betaInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 5 }),
  });
  const x = tf.randomNormal(shape, 0.7, 2, 'float32', 9);
  const m = tf.randomUniform(shape, -1, 1, 'float32', 10);
  const apply = (t: Tensor) => (layer as unknown as { apply(t: Tensor): Tensor }).apply(t);
  apply(x).dispose();
  const weights = (layer as unknown as { trainableWeights: { read(): Tensor }[] }).trainableWeights.map((w) => w.read());
  const ours = (): Tensor[] => tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((xx: Tensor, ...ws: Tensor[]) => {
      void ws;
      return tf.sum(tf.mul(apply(xx), m));
    })([x, ...weights]);
    return [tf.clone(value), ...grads];
  });
  const plain = (): Tensor[] => tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((xx: Tensor, ...ws: Tensor[]) =>
      tf.sum(tf.mul(instanceNormPlain(tf, xx, 1e-5, ws[0], ws[1]), m)))([x, ...weights]);
    return [tf.clone(value), ...grads];
  });
  const a = ours(), b = plain();
  const arrays = [a, b].map((ts) => ts.map((t) => t.dataSync() as Float32Array));
  tf.dispose([...a, ...b]);
  // Training-like use: variableGrads over the weights, repeated; no tensors may be left behind.
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(apply(x), m)) as never, (weights.length ? weights : undefined) as never);
    tf.dispose([value, ...Object.values(grads)]);
  };
  let counts: number[] = [];
  if (affine) {
    step();
    counts = [0, 1, 2].map(() => (step(), tf.memory().numTensors));
  }
  tf.dispose([x, m]);
  (layer as unknown as { dispose(): void }).dispose();
  return { ours: arrays[0]!, plain: arrays[1]!, counts };
}

describe('InstanceNormalization closed-form gradient', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const affine of [true, false]) {
      it(`equals autodiff of the plain formula on ${backend} (d/dx${affine ? ', d/dγ, d/dβ' : ''}), no tensors left behind`, async () => {
        await useBackend(backend);
        expect(tf.getBackend()).toBe(backend);
        try {
          const { ours, plain, counts } = layerVsPlain(affine, [3, 5, 6, 4]);
          expect(ours).toHaveLength(affine ? 4 : 2);
          ours.forEach((values, i) => {
            expect(values.some((v) => v !== 0), `tensor ${i}`).toBe(true);
            expect(relativeError(values, plain[i]!), `tensor ${i}`).toBeLessThan(2e-5);
          });
          if (affine) expect(new Set(counts).size, `numTensors ${counts}`).toBe(1);
        } finally {
          await useBackend('cpu');
        }
      });
    }
  }

  it('a gradient of a gradient (penalty through the layer) uses the plain formula and equals it', () => {
    const layer = new InstanceNormalization({ gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 4 }) });
    const apply = (t: Tensor) => (layer as unknown as { apply(t: Tensor): Tensor }).apply(t);
    const x = tf.randomNormal([2, 4, 3, 2], 0, 1, 'float32', 11);
    const m = tf.randomUniform([2, 4, 3, 2], -1, 1, 'float32', 12);
    apply(x).dispose();
    const gamma = (layer as unknown as { trainableWeights: { read(): Tensor }[] }).trainableWeights[0]!.read();
    const penalty = (norm: (t: Tensor) => Tensor): Float32Array => {
      const g = tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const dx = tf.grad((xx: Tensor) => tf.sum(tf.mul(tf.square(norm(xx)), m)))(x);
          return tf.sum(tf.square(dx)) as never;
        }, [gamma] as never);
        return grads[(gamma as unknown as { name: string }).name]!;
      });
      const values = g.dataSync() as Float32Array;
      g.dispose();
      return values;
    };
    const ours = penalty(apply);
    const plain = penalty((t) => instanceNormPlain(tf, t, 1e-5, gamma, (layer as unknown as { trainableWeights: { read(): Tensor }[] }).trainableWeights[1]!.read()));
    expect(ours.some((v) => v !== 0)).toBe(true);
    expect(relativeError(ours, plain)).toBeLessThan(1e-5);
    tf.dispose([x, m]);
    (layer as unknown as { dispose(): void }).dispose();
  });
});

describe('ReflectionPadding2D', () => {
  it('mirrors without repeating the edge, and computes its output shape', () => {
    const x = tf.input({ shape: [4, 5, 1] });
    const layer = new ReflectionPadding2D({ padding: [1, 2] });
    expect((layer.apply(x) as SymbolicTensor).shape).toEqual([null, 6, 9, 1]);
    const y = tf.tidy(() => (layer as unknown as { apply(t: Tensor): Tensor }).apply(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1])));
    expect(y.shape).toEqual([1, 4, 8, 1]);
    // Rows mirrored around the first and last row, columns around the first and last column.
    expect([...y.dataSync()].slice(0, 16)).toEqual([7, 6, 5, 6, 7, 8, 7, 6, 3, 2, 1, 2, 3, 4, 3, 2]);
    expect(layer.getConfig()).toMatchObject({ padding: [1, 2] });
  });
});

describe('cpu and wasm agree', () => {
  it('forward values and gradients (input, conv kernel, norm scale and offset)', async () => {
    await useBackend('cpu');
    const cpu = forwardAndGrads();
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = forwardAndGrads();
    await useBackend('cpu');
    expect(cpu).toHaveLength(2 + 3);
    cpu.forEach((values, i) => {
      expect(values.some((v) => v !== 0)).toBe(true);
      expect(relativeError(wasm[i]!, values), `tensor ${i}`).toBeLessThan(1e-4);
    });
  });
});

describe('serialization', () => {
  it('a model with both layers saves and reloads with tf.loadLayersModel, computing the same', async () => {
    const model = tinyModel();
    let saved: { modelTopology: unknown; weightSpecs: unknown; weightData: unknown } | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts: unknown) => {
      saved = artifacts as never;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as never));
    expect(loaded.layers.map((l: { getClassName(): string }) => l.getClassName())).toEqual(['InputLayer', 'ReflectionPadding2D', 'Conv2D', 'InstanceNormalization']);
    const values = (m: LayersModel) => {
      const y = tf.tidy(() => m.predict(input()) as Tensor);
      const data = [...y.dataSync()];
      y.dispose();
      return data;
    };
    const a = values(model);
    const b = values(loaded);
    expect(b).toEqual(a);
    model.dispose();
    loaded.dispose();
  });
});
