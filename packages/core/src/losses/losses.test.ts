import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../engine/tf.js';
import type { AdversarialLoss, LossDefinition, PairwiseLoss, TF } from '../plugin/types.js';
import { corePlugin } from '../builtin/plugin.js';
import { l1Loss } from './l1.js';
import { minimaxLoss } from './minimax.js';
import { mseLoss } from './mse.js';
import { nonSaturatingLoss } from './non-saturating.js';

const host = tf as unknown as TF;
const adversarial = (def: LossDefinition, options: Record<string, unknown> = {}) =>
  (def.build as (ctx: unknown) => AdversarialLoss)({ tf: host, options });
const pairwise = (def: LossDefinition) => (def.build as (ctx: unknown) => PairwiseLoss)({ tf: host, options: {} });

// Discriminator logits; softplus(x) = ln(1 + e^x) by hand:
// softplus(-2) = 0.126928, softplus(1) = 1.313262, softplus(0.5) = 0.974077, softplus(-3) = 0.048587,
// softplus(-0.5) = 0.474077, softplus(3) = 3.048587, softplus(2) = 2.126928, softplus(-1) = 0.313262.
const real = () => tf.tensor1d([2, -1]);
const fake = () => tf.tensor1d([0.5, -3]);
const value = (t: tf.Tensor) => t.dataSync()[0]!;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('core adversarial losses', () => {
  it('are registered under the core namespace with their kinds', () => {
    expect(corePlugin.losses.minimax.kind).toBe('adversarial');
    expect(corePlugin.losses['non-saturating'].kind).toBe('adversarial');
    expect(corePlugin.losses.l1.kind).toBe('pairwise');
    expect(corePlugin.losses.mse.kind).toBe('pairwise');
  });

  it('non-saturating: D = mean softplus(-real) + mean softplus(fake), G = mean softplus(-fake)', () => {
    const loss = adversarial(nonSaturatingLoss);
    // (0.126928 + 1.313262) / 2 + (0.974077 + 0.048587) / 2
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(1.231427, 5);
    // (0.474077 + 3.048587) / 2
    expect(value(loss.generator(fake()))).toBeCloseTo(1.761332, 5);
  });

  it('minimax: same D loss, G = mean log(1 - sigmoid(fake)) = -mean softplus(fake)', () => {
    const loss = adversarial(minimaxLoss);
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(1.231427, 5);
    expect(value(loss.generator(fake()))).toBeCloseTo(-0.511332, 5);
  });

  it('label smoothing moves the real target to 1 - s', () => {
    const loss = adversarial(nonSaturatingLoss, { labelSmoothing: 0.1 });
    // real: (0.9*0.126928 + 0.1*2.126928 + 0.9*1.313262 + 0.1*0.313262) / 2 = 0.770095; fake as before 0.511332
    expect(value(loss.discriminator(real(), fake()))).toBeCloseTo(1.281427, 5);
  });

  it('stay finite with gradients for huge logits', () => {
    const loss = adversarial(nonSaturatingLoss);
    const x = tf.tensor1d([-200, 200]);
    const { value: v, grad } = tf.valueAndGrad((t: tf.Tensor) => loss.generator(t))(x);
    expect(Number.isFinite(value(v))).toBe(true);
    expect([...grad.dataSync()].every(Number.isFinite)).toBe(true);
    // d/dx mean softplus(-x) = -sigmoid(-x)/2: -0.5 at x=-200, 0 at x=200
    expect([...grad.dataSync()].map((g) => Math.round(g * 1000) / 1000)).toEqual([-0.5, -0]);
  });
});

describe('core pairwise losses', () => {
  const prediction = () => tf.tensor2d([[1, 2], [3, 4]]);
  const target = () => tf.tensor2d([[0, 2], [5, 1]]);

  it('l1 is the mean absolute difference', () => {
    // |1| + 0 + |-2| + |3| = 6, / 4
    expect(value(pairwise(l1Loss)(prediction(), target()))).toBeCloseTo(1.5, 6);
  });

  it('mse is the mean squared difference', () => {
    // 1 + 0 + 4 + 9 = 14, / 4
    expect(value(pairwise(mseLoss)(prediction(), target()))).toBeCloseTo(3.5, 6);
  });
});
