import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBackend, relErr, seeded, setupBackends } from '../testing/setup.js';
import { CONV_CASES, convInfo, referenceGrads } from './conv-cases.js';

beforeAll(() => setupBackends());

function run(c: (typeof CONV_CASES)[number]) {
  const info = convInfo(c);
  return () => {
    const filter = seeded([c.k[0], c.k[1], c.ci, c.co], 3), dy = seeded(info.outShape, 2);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x, dilations: c.dilations ?? 1 };
    return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  };
}

describe('wasm Conv2DBackpropInput', () => {
  for (const c of CONV_CASES) {
    it(`matches the reference${c.dilations ? '' : ' and the cpu backend'}: ${c.name}`, async () => {
      const [wasm] = await onBackend('wasm', run(c));
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

  it('leaves no tensors or wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const f = run(CONV_CASES[3]!);
    tf.dispose(tf.tidy(f));
    const ids = tf.engine().backend.numDataIds(), tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(f));
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
