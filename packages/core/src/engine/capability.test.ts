import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKernels, checkTrainingStep, missingKernels, recordKernels } from './capability.js';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './wasm/register.js';

const convStep = () => {
  const w = tf.variable(tf.ones([2, 2, 1, 2]));
  const opt = tf.train.sgd(0.1);
  return () => {
    tf.tidy(() => { opt.minimize(() => tf.sum(tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')) as tf.Scalar, false, [w]); });
  };
};

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => registerWasmTrainingKernels(tf));

describe('kernel capability', () => {
  it('records the kernels a step dispatches', async () => {
    registerWasmTrainingKernels(tf);
    const kernels = await recordKernels(tf, convStep());
    expect(kernels).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'Sum']));
    expect(kernels).not.toContain('Conv2DBackpropInput'); // x is a constant: no input gradient
  });

  it('names missing kernels and the backends that have them', () => {
    unregisterWasmTrainingKernels(tf);
    const missing = missingKernels(tf, 'wasm', ['Conv2D', 'Conv2DBackpropFilter', 'NoSuchKernel']);
    expect(missing).toEqual([
      { kernel: 'Conv2DBackpropFilter', availableOn: ['cpu'] },
      { kernel: 'NoSuchKernel', availableOn: [] },
    ]);
    expect(() => checkKernels(tf, 'wasm', ['Conv2D'])).not.toThrow();
    try {
      checkKernels(tf, 'wasm', ['Conv2D', 'Conv2DBackpropFilter']);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'GF_BACKEND_MISSING_KERNEL' });
      expect(String((e as Error).message)).toMatch(/Conv2DBackpropFilter \(available on cpu\)/);
    }
  });

  it('turns a step that stops at a missing kernel into GF_BACKEND_MISSING_KERNEL listing all of them', async () => {
    unregisterWasmTrainingKernels(tf);
    await expect(checkTrainingStep(tf, convStep)).rejects.toMatchObject({
      code: 'GF_BACKEND_MISSING_KERNEL',
      message: expect.stringMatching(/wasm backend lacks a kernel .*Conv2DBackpropFilter/),
    });
    expect(tf.getBackend()).toBe('wasm');
    registerWasmTrainingKernels(tf);
    await expect(checkTrainingStep(tf, convStep)).resolves.toMatchObject({ backend: 'wasm' });
  });
});
