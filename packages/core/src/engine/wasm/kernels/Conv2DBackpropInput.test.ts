import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBackend, relErr, seeded, setupBackends } from '../testing/setup.js';
import { CONV_CASES, convInfo, referenceGrads } from './conv-cases.js';
import { forceConv2DBackpropInputPath, inputGradPath, type InputGradPath } from './Conv2DBackpropInput.js';

beforeAll(() => setupBackends());
afterAll(() => forceConv2DBackpropInputPath(undefined));

function run(c: (typeof CONV_CASES)[number]) {
  const info = convInfo(c);
  return () => {
    const filter = seeded([c.k[0], c.k[1], c.ci, c.co], 3), dy = seeded(info.outShape, 2);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x, dilations: c.dilations ?? 1 };
    return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  };
}

describe('wasm Conv2DBackpropInput', () => {
  // Every case on both paths: sub-pixel phases (stride-1 XNNPACK convolutions) and cols = dy . W^T + col2im.
  for (const path of ['phases', 'gemm'] as InputGradPath[]) {
    for (const c of CONV_CASES) {
      it(`${path}: matches the reference${c.dilations ? '' : ' and the cpu backend'}: ${c.name}`, async () => {
        forceConv2DBackpropInputPath(path);
        const [wasm] = await onBackend('wasm', run(c));
        forceConv2DBackpropInputPath(undefined);
        const info = convInfo(c);
        const [w, dy] = await onBackend('cpu', () => [seeded([c.k[0], c.k[1], c.ci, c.co], 3), seeded(info.outShape, 2)]);
        const { dX } = referenceGrads(c, new Float32Array(c.x.reduce((a, b) => a * b)), dy!, w!);
        expect(relErr(wasm!, dX)).toBeLessThan(1e-5);
        if (!c.dilations) {
          // tfjs' own kernels take no dilations for the gradients (conv2d's gradient rejects dilation > 1).
          const [cpu] = await onBackend('cpu', run(c));
          expect(relErr(wasm!, cpu!)).toBeLessThan(1e-4);
        }
      });
    }
  }

  it('chooses the product + col2im where the phases waste work and cols are small, the phases otherwise', () => {
    const path = (x: [number, number, number, number], k: number, co: number, s: number, pad: 'same' | 'valid') =>
      inputGradPath(tf.backend_util.computeConv2DInfo(x, [k, k, x[3], co], s, 1, pad));
    expect(path([4, 9, 9, 64], 3, 64, 1, 'valid')).toBe('gemm'); // CycleGAN residual conv (after reflection padding)
    expect(path([4, 34, 34, 1], 7, 16, 1, 'valid')).toBe('gemm'); // CycleGAN input 7x7 conv
    expect(path([8, 5, 5, 128], 4, 256, 1, 'valid')).toBe('gemm'); // PatchGAN stride-1 conv on a 2x2 map
    expect(path([4, 14, 14, 32], 3, 64, 2, 'same')).toBe('gemm'); // CycleGAN downsampling / transposed conv
    expect(path([64, 28, 28, 1], 4, 64, 2, 'same')).toBe('gemm'); // DCGAN G2 (1 channel)
    expect(path([4, 34, 34, 16], 7, 1, 1, 'valid')).toBe('phases'); // one output channel
    expect(path([16, 16, 16, 32], 3, 32, 1, 'same')).toBe('phases'); // SRGAN: 'same', nothing wasted
    expect(path([16, 64, 64, 32], 3, 32, 2, 'same')).toBe('phases'); // SRGAN D stride 2: cols too large
    expect(path([64, 14, 14, 64], 4, 128, 2, 'same')).toBe('phases'); // DCGAN G1: cols too large
  });

  for (const path of ['phases', 'gemm'] as InputGradPath[]) {
    it(`${path}: leaves no tensors or wasm buffers behind`, async () => {
      await tf.setBackend('wasm');
      forceConv2DBackpropInputPath(path);
      try {
        const f = run(CONV_CASES[3]!);
        tf.dispose(tf.tidy(f));
        const ids = tf.engine().backend.numDataIds(), tensors = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(f));
        expect(tf.engine().backend.numDataIds()).toBe(ids);
        expect(tf.memory().numTensors).toBe(tensors);
      } finally {
        forceConv2DBackpropInputPath(undefined);
      }
    });
  }
});
