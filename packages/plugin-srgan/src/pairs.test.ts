/**
 * The objectives on a stream with ready low-res pairs (DataInfo.pair / Batch.pair): the generator's input is
 * the pair, not a bicubic downscale of the HR batch, in both SRResNet and both SRGAN phases; pairs whose size
 * ratio is not the generator's factor are a coded spec conflict.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, isGanforgeError, type Batch, type LayersModel, type PairwiseLoss, type AdversarialLoss, type StepContext, type Tensor, type Tensor4D } from '@ganforge/core';
import { tf, useBackend } from '@ganforge/core/testing';
import { srganObjective, srresnetObjective } from './objective.js';

beforeAll(() => useBackend('cpu'));

/** A generator that repeats each pixel 2x2 (so its output shows exactly which input it got). */
const nearest = (): LayersModel => tf.sequential({ layers: [tf.layers.upSampling2d({ inputShape: [null, null, 3] as unknown as number[], size: [2, 2] })] });
const judge = (): LayersModel => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 3] }), tf.layers.dense({ units: 1 })] });

const data = (pair?: [number, number, number]) => ({ hr: { size: 4, shape: [8, 8, 3] as [number, number, number], ...(pair ? { pair: { shape: pair } } : {}) } });
const log = { info() {}, warn() {}, debug() {} };

/** Each content-loss call's prediction, copied out. */
let seen: number[][] = [];
const content: PairwiseLoss = (prediction) => {
  seen.push(Array.from(prediction.dataSync()));
  return tf.mean(tf.square(prediction)) as ReturnType<PairwiseLoss>;
};
const adversarial: AdversarialLoss = { discriminator: (r, f) => tf.mean(tf.sub(f, r)) as never, generator: (f) => tf.mean(f) as never };
afterEach(() => {
  seen = [];
});

function step(batch: () => Batch): StepContext {
  return { tf, step: 0, repeat: 0, batch, random: {} as never, augment: (x: Tensor4D) => x, keep: <T extends Tensor>(t: T) => t, report() {} } as unknown as StepContext;
}

describe('srgan objectives on LR/HR pairs', () => {
  const hr = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 1) as Tensor4D;
  const lr = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 2) as Tensor4D;
  const expected = Array.from((tf.image.resizeNearestNeighbor(lr, [8, 8]) as Tensor).dataSync());

  it('srresnet feeds the generator the batch\'s pair', async () => {
    const program = await srresnetObjective.setup({
      tf,
      options: { downsample: 'matlab' },
      models: { generator: nearest() },
      losses: { content: { kind: 'pairwise', use: 'test', weight: 1, fn: content } },
      data: data([4, 4, 3]),
      log,
    });
    tf.tidy(() => program.phases[0]!.loss(step(() => ({ x: hr, pair: lr }))));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(expected);
    // Without a pair (a stream without pairs), the input is the bicubic downscale: another image.
    const plain = await srresnetObjective.setup({ tf, options: { downsample: 'matlab' }, models: { generator: nearest() }, losses: { content: { kind: 'pairwise', use: 'test', weight: 1, fn: content } }, data: data(), log });
    tf.tidy(() => plain.phases[0]!.loss(step(() => ({ x: hr }))));
    expect(seen[1]).not.toEqual(expected);
  });

  it('srgan feeds the pair in both phases, the generator phase reusing the discriminator phase\'s batch', async () => {
    const program = await srganObjective.setup({
      tf,
      options: { downsample: 'matlab' },
      models: { generator: nearest(), discriminator: judge() },
      losses: { content: { kind: 'pairwise', use: 'test', weight: 1, fn: content }, adversarial: { kind: 'adversarial', use: 'test', weight: 1e-3, fn: adversarial } },
      data: data([4, 4, 3]),
      log,
    });
    let draws = 0;
    const context = step(() => {
      draws++;
      return { x: hr, pair: lr };
    });
    for (const phase of program.phases) tf.tidy(() => phase.loss(context));
    program.phases[1]!.afterUpdate?.(context);
    expect(draws).toBe(1);
    expect(seen).toEqual([expected]);
    program.dispose?.();
  });

  it('pairs whose ratio is not the generator\'s factor: GF_SPEC_CONFLICT (exit 2), naming both', async () => {
    const error = await Promise.resolve()
      .then(() => srresnetObjective.setup({ tf, options: { downsample: 'matlab' }, models: { generator: nearest() }, losses: { content: { kind: 'pairwise', use: 'test', weight: 1, fn: content } }, data: data([2, 2, 3]), log }))
      .catch((e: unknown) => e);
    expect(isGanforgeError(error)).toBe(true);
    const { code, message } = error as Error & { code: Parameters<typeof exitCodeOf>[0] };
    expect(code).toBe('GF_SPEC_CONFLICT');
    expect(exitCodeOf(code)).toBe(2);
    expect(message).toMatch(/pairs of 2x2x3 for its 8x8x3 images \(4x smaller\), but the generator upscales by 2/);
  });
});
