import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { mixSeed, SeededRandom } from './random.js';
import * as tf from './tf.js';

describe('SeededRandom', () => {
  it('draws the same values at the same position, whatever came before', () => {
    const a = new SeededRandom(tf, 5).at(1, 10, 0, 0);
    const first = [a.normal([3]).arraySync(), a.next(), a.integers([4], 3).arraySync()];
    const root = new SeededRandom(tf, 5);
    root.at(1, 9, 0, 0).normal([100]);
    const b = root.at(1, 10, 0, 0);
    expect([b.normal([3]).arraySync(), b.next(), b.integers([4], 3).arraySync()]).toEqual(first);
  });

  it('gives each stream its own state: draws from one never shift another', () => {
    const root = new SeededRandom(tf, 5);
    const alone = root.at(1, 3).normal([4]).arraySync();
    const phase = root.at(1, 3);
    const augment = root.at(5, 3);
    augment.uniform([50]);
    augment.next();
    expect(phase.normal([4]).arraySync()).toEqual(alone);
    expect(phase.position).toEqual({ key: [1, 3], calls: 1 });
    expect(augment.position).toEqual({ key: [5, 3], calls: 2 });
    // A restored position continues where the saved one was.
    const resumed = root.at(0);
    resumed.restore(augment.position);
    expect(resumed.next()).toBe(augment.next());
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
