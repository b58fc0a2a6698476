/**
 * useThreadedWasm after a (single-threaded) wasm backend already holds tensors: it must leave that backend
 * alone. Replacing it freed every tensor on it — a model loaded while a busy machine had chosen one thread
 * died when a later call, on a quieter machine, chose the thread pool.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { threadedWasmInfo, useThreadedWasm } from './threaded-wasm.js';

describe('useThreadedWasm', () => {
  it('keeps an initialised wasm backend and the tensors on it', async () => {
    await tf.setBackend('wasm');
    const kept = tf.tensor1d([1, 2, 3]);
    expect(await useThreadedWasm(2)).toBeUndefined();
    expect(threadedWasmInfo()).toBeUndefined();
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(kept.dataSync())).toEqual([1, 2, 3]);
    kept.dispose(); // threw "Cannot read properties of null (reading '_free')" when the backend was replaced
    expect(tf.memory().numTensors).toBe(0);
  });

  it('so choosing wasm again says it stays single-threaded, and why', async () => {
    const kept = tf.tensor1d([4, 5]);
    const chosen = await selectBackend('wasm', () => {}, { wasmThreads: 2 });
    expect(chosen.reason).toContain('single-threaded: an earlier choice in this process started it so');
    expect(Array.from(kept.dataSync())).toEqual([4, 5]);
    kept.dispose();
  });
});
