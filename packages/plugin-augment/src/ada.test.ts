/**
 * augment/ada's controller: p moves toward keeping E[sign(D(real))] at the target, by
 * batch × adjustEvery / imagesToFull per adjustment, within [0, maxP]; p = 0 leaves images alone; its state
 * round-trips; without the objective's "realSign" signal it is a coded error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RandomSource, Tensor4D } from '@ganforge/core';
import { entryOptions, tf, useBackend } from '@ganforge/core/testing';
import { ada } from './ada.js';

/** A seeded RandomSource (an LCG for JavaScript draws, tf's seeded ops for tensors). */
class SeededRandom implements RandomSource {
  #state: number;
  constructor(_tf: unknown, seed: number) {
    this.#state = seed * 2654435761 + 1;
  }
  next(): number {
    this.#state = (Math.imul(this.#state, 1664525) + 1013904223) >>> 0;
    return this.#state / 2 ** 32;
  }
  normal(shape: number[]) {
    return tf.randomNormal(shape, 0, 1, 'float32', Math.floor(this.next() * 1e6));
  }
  uniform(shape: number[], min = 0, max = 1) {
    return tf.randomUniform(shape, min, max, 'float32', Math.floor(this.next() * 1e6));
  }
  integers(shape: number[], n: number) {
    return tf.cast(tf.floor(this.uniform(shape, 0, n)), 'int32');
  }
}

beforeAll(() => useBackend('cpu'));

const build = (options: Record<string, unknown>) => ada.build({ tf, options: entryOptions(ada, options) });
const images = () => tf.randomUniform([8, 6, 6, 1], -1, 1, 'float32', 1) as Tensor4D;

describe('augment/ada', () => {
  it('raises p while D overfits (r_t above target), lowers it otherwise, by batch × adjustEvery / imagesToFull', () => {
    const augment = build({ target: 0.6, adjustEvery: 2, imagesToFull: 160 });
    const random = new SeededRandom(tf, 1);
    tf.dispose(augment(images(), random)); // the batch size (8) is learnt from the images
    const p = () => augment.values!().p!;
    augment.observe!({ realSign: 0.9 }, 1);
    expect(p()).toBe(0); // adjusts every 2 steps
    augment.observe!({ realSign: 0.7 }, 2);
    expect(p()).toBeCloseTo((8 * 2) / 160, 12);
    expect(augment.values!().rt).toBeCloseTo(0.8, 12);
    augment.observe!({ realSign: 0.2 }, 3);
    augment.observe!({ realSign: 0.4 }, 4);
    expect(p()).toBeCloseTo(0, 12);
    augment.observe!({ realSign: 0.1 }, 5);
    augment.observe!({ realSign: 0.1 }, 6);
    expect(p()).toBe(0); // never below 0
    for (let s = 7; s <= 40; s++) augment.observe!({ realSign: 1 }, s);
    expect(p()).toBe(1); // nor above maxP
  });

  it('leaves images alone at p = 0 and augments some of them at p > 0, with finite gradients', () => {
    const x = images();
    const random = new SeededRandom(tf, 2);
    const none = build({ initialP: 0 })(x, random);
    expect(none).toBe(x);
    const some = build({ initialP: 0.5, ops: ['flip'] })(x, random);
    const changed = tf.sum(tf.cast(tf.greater(tf.max(tf.abs(tf.sub(some, x)), [1, 2, 3]), 1e-6), 'float32')).dataSync()[0]!;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(8);
    const g = tf.grad((input: Tensor4D) => tf.sum(build({ initialP: 1, ops: ['translation', 'color'] })(input, new SeededRandom(tf, 3))))(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, some, g]);
  });

  it('saves and restores its state', () => {
    const a = build({ adjustEvery: 3, imagesToFull: 100 });
    tf.dispose(a(images(), new SeededRandom(tf, 1)));
    for (let s = 1; s <= 4; s++) a.observe!({ realSign: 0.9 }, s);
    const b = build({ adjustEvery: 3, imagesToFull: 100 });
    b.state!.load(JSON.parse(JSON.stringify(a.state!.save())));
    for (let s = 5; s <= 6; s++) {
      a.observe!({ realSign: 0.9 }, s);
      b.observe!({ realSign: 0.9 }, s);
    }
    expect(b.values!()).toEqual(a.values!());
    expect(a.values!().p).toBeCloseTo((2 * 8 * 3) / 100, 12);
  });

  it('needs the realSign signal', () => {
    const augment = build({});
    expect(() => augment.observe!({}, 1)).toThrow(expect.objectContaining({ code: 'GF_SPEC_CONFLICT', exitCode: 2 }));
  });
});
