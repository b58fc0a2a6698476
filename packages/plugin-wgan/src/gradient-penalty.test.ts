/**
 * Conformance of the gradient penalty: per-image gradient norms against finite differences, the penalty's
 * own gradient w.r.t. the critic's weights (a gradient of a gradient) against finite differences, and the
 * three penalty kinds against their formulas.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayersModel, Scalar, Tensor, Tensor4D, Variable } from '@ganforge/core';
import { critic } from './critic.js';
import { gradientNorms, gradientPenalty, interpolate } from '@ganforge/plugin-stability';
import { buildModel, tf, useBackend } from '@ganforge/core/testing';

const SIZE = 8;
const BATCH = 3;
const info = { size: 10, shape: [SIZE, SIZE, 1] as [number, number, number] };

beforeAll(() => useBackend());

function tinyCritic(normalization: 'layer' | 'none'): LayersModel {
  return buildModel(critic, { options: { width: 3, depth: 2, normalization, kernelSize: 3 }, data: { real: info }, name: 'critic' });
}

const scoreWith = (model: LayersModel) => (images: Tensor4D) => model.apply(images, { training: true }) as Tensor;
const images = () => tf.randomNormal([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 3) as Tensor4D;

/** ‖∂score_i/∂x_i‖ per image by central differences, one pixel at a time for all images at once (no batch norm: images are independent). */
function finiteDifferenceNorms(score: (x: Tensor4D) => Tensor, x: Tensor4D, eps = 1e-3): number[] {
  const base = x.dataSync();
  const pixels = SIZE * SIZE;
  const squared = new Array<number>(BATCH).fill(0);
  for (let p = 0; p < pixels; p++) {
    const shifted = (delta: number) => {
      const data = Float32Array.from(base);
      for (let i = 0; i < BATCH; i++) data[i * pixels + p]! += delta;
      return tf.tidy(() => score(tf.tensor4d(data, x.shape as [number, number, number, number])).dataSync());
    };
    const up = shifted(eps);
    const down = shifted(-eps);
    for (let i = 0; i < BATCH; i++) squared[i]! += ((up[i]! - down[i]!) / (2 * eps)) ** 2;
  }
  return squared.map(Math.sqrt);
}

describe('per-image gradient norms', () => {
  for (const normalization of ['layer', 'none'] as const) {
    it(`match finite differences, one norm per image (critic with normalization "${normalization}")`, () => {
      const model = tinyCritic(normalization);
      const x = images();
      const norms = [...gradientNorms(tf, scoreWith(model), x).dataSync()];
      expect(norms).toHaveLength(BATCH);
      const expected = finiteDifferenceNorms(scoreWith(model), x);
      for (let i = 0; i < BATCH; i++) expect(norms[i]!).toBeCloseTo(expected[i]!, 3);
      // Not one norm over the batch: the per-image norms differ, and none equals the batch-wide norm.
      const batchNorm = Math.hypot(...expected);
      expect(new Set(norms.map((n) => n.toFixed(4))).size).toBe(BATCH);
      for (const n of norms) expect(Math.abs(n - batchNorm)).toBeGreaterThan(1e-3);
    });
  }
});

describe('the gradient penalty', () => {
  it('its gradient w.r.t. the critic weights (second order, through LeakyReLU and layer norm) matches finite differences', () => {
    const model = tinyCritic('layer');
    const real = images();
    const fake = tf.randomNormal([BATCH, SIZE, SIZE, 1], 0.5, 1, 'float32', 4) as Tensor4D;
    const eps = tf.tensor4d([0.2, 0.5, 0.9], [BATCH, 1, 1, 1]);
    const at = interpolate(tf, real, fake, eps);
    const penalty = () => gradientPenalty(tf, 'two-sided', scoreWith(model), at, 1).value as Scalar;
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: Variable }).val);
    const { grads } = tf.variableGrads(penalty, variables);
    let checked = 0;
    for (const variable of variables) {
      const analytic = grads[variable.name];
      // The last dense bias does not change any input gradient: its second-order gradient is absent (zero).
      if (!analytic) continue;
      const original = variable.dataSync().slice() as Float32Array;
      const analyticValues = analytic.dataSync() as Float32Array;
      // The entry with the largest gradient, where float32 differences are most reliable.
      let index = 0;
      analyticValues.forEach((v, i) => {
        if (Math.abs(v) > Math.abs(analyticValues[index]!)) index = i;
      });
      const at = (delta: number) => {
        const values = original.slice();
        values[index]! += delta;
        variable.assign(tf.tensor(values, variable.shape));
        return penalty().dataSync()[0]!;
      };
      const h = 1e-3;
      const numeric = (at(h) - at(-h)) / (2 * h);
      variable.assign(tf.tensor(original, variable.shape));
      expect(analyticValues[index]!, variable.name).toBeCloseTo(numeric, 2);
      expect(Math.abs(analyticValues[index]! - numeric), variable.name).toBeLessThan(0.05 * Math.abs(numeric) + 1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('two-sided is mean (‖g‖ - t)², one-sided only counts norms above t, r1 is ½ mean ‖g‖² (on the images given)', () => {
    const model = tinyCritic('none');
    const x = images();
    const score = scoreWith(model);
    const norms = [...gradientNorms(tf, score, x).dataSync()];
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const target = mean(norms); // some above, some below
    const twoSided = gradientPenalty(tf, 'two-sided', score, x, target);
    expect(twoSided.value.dataSync()[0]).toBeCloseTo(mean(norms.map((n) => (n - target) ** 2)), 5);
    expect(twoSided.meanNorm.dataSync()[0]).toBeCloseTo(target, 5);
    const oneSided = gradientPenalty(tf, 'one-sided', score, x, target).value.dataSync()[0]!;
    expect(oneSided).toBeCloseTo(mean(norms.map((n) => Math.max(0, n - target) ** 2)), 5);
    expect(oneSided).toBeLessThan(twoSided.value.dataSync()[0]!);
    expect(gradientPenalty(tf, 'one-sided', score, x, Math.max(...norms) + 1).value.dataSync()[0]).toBe(0);
    expect(gradientPenalty(tf, 'r1', score, x, 1).value.dataSync()[0]).toBeCloseTo(0.5 * mean(norms.map((n) => n * n)), 5);
  });

  it('interpolates lie on the line from real to fake, one ε per image', () => {
    const real = tf.zeros([2, 2, 2, 1]) as Tensor4D;
    const fake = tf.ones([2, 2, 2, 1]) as Tensor4D;
    const x = interpolate(tf, real, fake, tf.tensor4d([0.25, 0.75], [2, 1, 1, 1]));
    expect([...x.dataSync()]).toEqual([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
  });
});
