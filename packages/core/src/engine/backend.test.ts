import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradients (the core's tf.ts does the same)
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';

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
