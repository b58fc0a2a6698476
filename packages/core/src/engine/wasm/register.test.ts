import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels, wasmTrainingKernelNames } from './register.js';

describe('registerWasmTrainingKernels', () => {
  it('is idempotent and keeps the stock kernels it replaces restorable', () => {
    const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc;
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(registerWasmTrainingKernels(tf).sort()).toEqual(wasmTrainingKernelNames().sort());
    const ours = tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc;
    expect(ours).not.toBe(stockInput);
    expect(registerWasmTrainingKernels(tf)).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(ours);
    unregisterWasmTrainingKernels(tf);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(stockInput);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    registerWasmTrainingKernels(tf);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('registers the gradients tfjs lacks', () => {
    registerWasmTrainingKernels(tf);
    for (const k of ['Greater', 'Less', 'Equal', 'LogicalNot', 'DepthToSpace']) expect(tf.getGradient(k), k).toBeDefined();
  });
});
