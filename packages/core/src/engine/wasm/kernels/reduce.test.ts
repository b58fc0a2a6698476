import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBackend, relErr, seeded, setupBackends } from '../testing/setup.js';

beforeAll(() => setupBackends());

describe('wasm Sum and Mean', () => {
  const cases: [number[], number | number[], boolean][] = [
    [[4, 5, 6, 7], [0, 1, 2], false],
    [[4, 5, 6, 7], [2, 0, 1], true],
    [[4, 5, 6, 7], [0], false],
    [[9, 3], 0, true],
    [[4, 5, 6, 7], [1, 2], false], // a block before the last axis (instance norm's statistics)
    [[4, 5, 6, 7], [2, 1], true],
    [[4, 5, 6, 7], [1], true],
    [[4, 5, 6, 7], [0, 2], false], // not contiguous: stock kernel
    [[4, 128, 32, 17], [1, 2], true], // a block, but large: stock kernel
    [[4, 5, 6, 7], [0, 1, 2, 3], false], // everything: stock kernel
    [[4, 5, 6, 7], -1, true],
  ];
  for (const op of ['sum', 'mean'] as const) {
    for (const [shape, axis, keepDims] of cases) {
      it(`${op} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)} keepDims ${keepDims} equals cpu`, async () => {
        const f = () => {
          const y = tf[op](seeded(shape, 4), axis, keepDims);
          return tf.concat([tf.reshape(y, [-1]), tf.tensor1d(y.shape.length ? y.shape : [0])]);
        };
        const [w] = await onBackend('wasm', f);
        const [c] = await onBackend('cpu', f);
        expect(relErr(w!, c!)).toBeLessThan(1e-5);
      });
    }
  }
});
