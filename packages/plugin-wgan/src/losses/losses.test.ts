import { beforeAll, describe, expect, it } from 'vitest';
import type { AdversarialLoss, LossDefinition, Tensor } from '@ganforge/core';
import plugin from '../index.js';
import { entryOptions, tf, useBackend } from '@ganforge/core/testing';

const build = (def: LossDefinition, options: Record<string, unknown> = {}) =>
  (def.build as (ctx: unknown) => AdversarialLoss)({ tf, options: entryOptions(def, options) });
// Critic / discriminator outputs, one per image.
const real = () => tf.tensor2d([[2], [-1]]);
const fake = () => tf.tensor2d([[0.5], [-3]]);
const value = (t: Tensor) => t.dataSync()[0]!;

beforeAll(() => useBackend());

describe('adversarial losses of the wgan plugin', () => {
  it('are registered as adversarial losses under wgan/', () => {
    expect(Object.keys(plugin.losses).sort()).toEqual(['hinge', 'lsgan', 'wasserstein']);
    for (const loss of Object.values(plugin.losses)) expect(loss.kind).toBe('adversarial');
  });

  it('wasserstein: critic mean(fake) - mean(real), generator -mean(fake)', () => {
    const loss = build(plugin.losses.wasserstein);
    // mean(fake) = -1.25, mean(real) = 0.5
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(-1.75, 6);
    expect(value(loss.generator(fake()))).toBeCloseTo(1.25, 6);
  });

  it('lsgan: ½ mean (D(x) - 1)² + ½ mean D(G(z))², generator ½ mean (D(G(z)) - 1)²', () => {
    const loss = build(plugin.losses.lsgan);
    // real: ((2-1)² + (-1-1)²)/2 = 2.5 → 1.25; fake: (0.25 + 9)/2 = 4.625 → 2.3125
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(3.5625, 6);
    // ((0.5-1)² + (-3-1)²)/2 = 8.125 → 4.0625
    expect(value(loss.generator(fake()))).toBeCloseTo(4.0625, 6);
  });

  it('lsgan takes the paper\'s other coding a = -1, b = 1, c = 0', () => {
    const loss = build(plugin.losses.lsgan, { fakeTarget: -1, realTarget: 1, generatorTarget: 0 });
    // real 1.25 as before; fake: ((1.5)² + (-2)²)/2 = 3.125 → 1.5625
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(2.8125, 6);
    // (0.25 + 9)/2 → 2.3125
    expect(value(loss.generator(fake()))).toBeCloseTo(2.3125, 6);
  });

  it('hinge: mean relu(1 - D(x)) + mean relu(1 + D(G(z))), generator -mean D(G(z))', () => {
    const loss = build(plugin.losses.hinge);
    // real: relu(-1) = 0, relu(2) = 2 → 1; fake: relu(1.5) = 1.5, relu(-2) = 0 → 0.75
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(1.75, 6);
    expect(value(loss.generator(fake()))).toBeCloseTo(1.25, 6);
    // margin 3: real: relu(1) + relu(4) → 2.5; fake: relu(3.5) + relu(0) → 1.75
    expect(value(build(plugin.losses.hinge, { margin: 3 }).discriminator(real(), fake()))).toBeCloseTo(4.25, 6);
  });
});
