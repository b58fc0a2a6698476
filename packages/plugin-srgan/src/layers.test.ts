/**
 * PixelShuffle and PReLU (tfjs' own, per channel): PixelShuffle equals tf.depthToSpace in values and gradients;
 * forward values and gradients
 * (w.r.t. input, conv kernel and bias, PReLU slopes) on wasm equal cpu; and a model with both survives tf's
 * save/load (serialization through the registry).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayersModel, SymbolicTensor, Tensor, Tensor4D } from '@ganforge/core';
import { forwardAndGradients, relativeError, tf, useBackend } from '@ganforge/core/testing';
import plugin from './index.js';
import { srganLayers } from './layers.js';

const { PixelShuffle } = srganLayers(tf);

beforeAll(async () => {
  await useBackend('cpu');
  for (const cls of plugin.layers!(tf)) tf.serialization.registerClass(cls as never);
});

/** conv 3x3 to 8 channels → PixelShuffle ×2 → PReLU (per channel, slopes N(0.25, 0.2)): [5, 6, 3] → [10, 12, 2]. */
function tinyModel(): LayersModel {
  const x = tf.input({ shape: [null, null, 3] });
  let h = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: 1 }), biasInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: 4 }), name: 'conv' }).apply(x) as SymbolicTensor;
  h = new PixelShuffle({ blockSize: 2, name: 'shuffle' }).apply(h) as SymbolicTensor;
  h = tf.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: tf.initializers.randomNormal({ mean: 0.25, stddev: 0.2, seed: 2 }), name: 'prelu' }).apply(h) as SymbolicTensor;
  return tf.model({ inputs: x, outputs: h });
}

const input = () => tf.randomUniform([2, 5, 6, 3], -1, 1, 'float32', 7);
const mask = () => tf.randomUniform([2, 10, 12, 2], -1, 1, 'float32', 8);

/** Output, d/dx and d/dweights of sum(model(x) * mask) on the active backend, as plain arrays. */
function forwardAndGrads(): Float32Array[] {
  const model = tinyModel();
  const arrays = forwardAndGradients(model, input, mask);
  model.dispose();
  return arrays;
}


describe('PixelShuffle', () => {
  it('equals tf.depthToSpace (TensorFlow\'s channel order) for blocks 2 and 3, and computes its output shape', () => {
    for (const b of [2, 3]) {
      const diff = tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 4, b * b * 2], 0, 1, 'float32', b) as Tensor4D;
        const layer = new PixelShuffle({ blockSize: b });
        const y = layer.apply(x) as Tensor;
        expect(y.shape).toEqual([2, 3 * b, 4 * b, 2]);
        return tf.max(tf.abs(tf.sub(y, tf.depthToSpace(x, b)))).dataSync()[0]!;
      });
      expect(diff).toBe(0);
    }
    const layer = new PixelShuffle({ blockSize: 2 });
    expect((layer.apply(tf.input({ shape: [null, 5, 12] })) as SymbolicTensor).shape).toEqual([null, null, 10, 3]);
    expect(layer.getConfig()).toMatchObject({ blockSize: 2 });
    expect(() => new PixelShuffle({ blockSize: 2 }).apply(tf.input({ shape: [4, 4, 6] }))).toThrow(/divisible by 4/);
  });

  it('its gradient equals tf.depthToSpace\'s (which tfjs-core 4.22 lacks; the core\'s engine registers one)', () => {
    const diff = tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 2, 8], 0, 1, 'float32', 5) as Tensor4D;
      const m = tf.randomNormal([2, 6, 4, 2], 0, 1, 'float32', 6);
      const ours = tf.grad((t: Tensor) => tf.sum(tf.mul(new PixelShuffle({ blockSize: 2 }).apply(t) as Tensor, m)))(x);
      const theirs = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.depthToSpace(t as Tensor4D, 2), m)))(x);
      return tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!;
    });
    expect(diff).toBe(0);
  });
});

describe('cpu and wasm agree', () => {
  it('forward values and gradients through conv, PixelShuffle and per-channel PReLU', async () => {
    await useBackend('cpu');
    const cpu = forwardAndGrads();
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = forwardAndGrads();
    await useBackend('cpu');
    // y, dx, conv kernel, conv bias, PReLU slopes ([1, 1, 2]: one per channel).
    expect(cpu.map((a) => a.length)).toEqual([2 * 10 * 12 * 2, 2 * 5 * 6 * 3, 3 * 3 * 3 * 8, 8, 2]);
    cpu.forEach((values, i) => {
      expect(values.some((v) => v !== 0)).toBe(true);
      expect(relativeError(wasm[i]!, values), `tensor ${i}`).toBeLessThan(1e-4);
    });
  });
});

describe('serialization', () => {
  it('a model with PixelShuffle and PReLU saves and reloads with tf.loadLayersModel, computing the same', async () => {
    const model = tinyModel();
    let saved: unknown;
    await model.save(tf.io.withSaveHandler(async (artifacts: unknown) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as never));
    expect(loaded.layers.map((l: { getClassName(): string }) => l.getClassName())).toEqual(['InputLayer', 'Conv2D', 'PixelShuffle', 'PReLU']);
    const values = (m: LayersModel) => {
      const y = tf.tidy(() => m.predict(input()) as Tensor);
      const data = [...y.dataSync()];
      y.dispose();
      return data;
    };
    expect(values(loaded)).toEqual(values(model));
    model.dispose();
    loaded.dispose();
  });
});
