import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradients (the core's tf.ts does the same)
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../node/index.js';

let nodeInstalled = true;
try {
  await import('@tensorflow/tfjs-node' as string);
} catch {
  nodeInstalled = false;
}

describe('selectBackend', () => {
  it.skipIf(nodeInstalled)('auto picks threaded wasm with training kernels when tfjs-node is absent, saying why', async () => {
    const logs: string[] = [];
    const sel = await selectBackend('auto', (m) => logs.push(m), { wasmThreads: 2 });
    expect(sel.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(sel.threads).toBe(2);
    expect(sel.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(sel.skipped.map((s) => s.why)).toEqual(['not installed', 'not installed']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(logs.join('\n')).toMatch(/backend: wasm .*skipped tensorflow-gpu: not installed/);
    // It trains: a conv filter gradient runs on wasm.
    const g = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(tf.ones([2, 2, 1, 1])));
    expect(Array.from(g.dataSync())).toEqual([16, 12, 12, 9]);
    g.dispose();
  });

  it.skipIf(nodeInstalled)('an explicitly requested backend that cannot load throws GF_BACKEND_UNAVAILABLE', async () => {
    await expect(selectBackend('tensorflow')).rejects.toMatchObject({ code: 'GF_BACKEND_UNAVAILABLE', name: 'GanforgeError' });
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/tfjs-node-gpu|not installed/);
  });

  it('cpu on request', async () => {
    const sel = await selectBackend('cpu');
    expect(sel).toMatchObject({ name: 'cpu', tfBackend: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects unknown names', async () => {
    await expect(selectBackend('webgpu' as never)).rejects.toMatchObject({ code: 'GF_BACKEND_UNAVAILABLE' });
  });
});

describe('selectBackend gradients', () => {
  it('registers the training gradients for every backend, cpu included', async () => {
    await selectBackend('cpu');
    for (const k of ['Greater', 'DepthToSpace']) expect(tf.getGradient(k), k).toBeDefined();
    // WGAN-GP-style second order through LeakyRelu works on cpu.
    const g = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.grad((x: tf.Tensor) => tf.sum(tf.leakyRelu(tf.mul(x, w), 0.2)))(tf.tensor1d([1, -2])))))(tf.tensor1d([0.5, 3])));
    // d/dx = w * (xw > 0 ? 1 : 0.2) = [0.5, 0.6]; sum of squares' gradient w.r.t. w: [2*0.5*1, 2*0.6*0.2].
    expect(Array.from(g.dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 0.24]);
    g.dispose();
  });
});
