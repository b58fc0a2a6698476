import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { mixSeed, SeededRandom } from './random.js';
import * as tf from './tf.js';

describe('SeededRandom', () => {
  it('draws the same values at the same position, whatever came before', () => {
    const a = new SeededRandom(tf, 5).at(1, 10, 0, 0);
    const first = [a.normal([3]).arraySync(), a.next(), a.integers([4], 3).arraySync()];
    const b = new SeededRandom(tf, 5);
    b.at(1, 9, 0, 0).normal([100]);
    b.at(1, 10, 0, 0);
    expect([b.normal([3]).arraySync(), b.next(), b.integers([4], 3).arraySync()]).toEqual(first);
  });

  it('differs between positions, calls and seeds; integers stay below n', () => {
    const r = new SeededRandom(tf, 5).at(1, 0);
    expect(r.uniform([4]).arraySync()).not.toEqual(r.uniform([4]).arraySync());
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 3, 2));
    const ints = new SeededRandom(tf, 1).at(0).integers([1000], 3).dataSync();
    expect(Math.max(...ints)).toBe(2);
    expect(Math.min(...ints)).toBe(0);
  });
});
