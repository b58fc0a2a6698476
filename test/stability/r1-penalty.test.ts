/**
 * dcgan/dcgan's R1/R2 penalties (options r1, r2, penaltyEvery): with R1 the discriminator's gradient norm on
 * real images ends far below the same run's with a negligible γ (which logs the norm but has no effect);
 * lazy regularization takes the penalty only every k-th step; R2 is logged on generated images.
 */
import { describe, expect, it } from 'vitest';
import { trainSpec } from '../../packages/core/src/testing/index.js';
import type { GanforgePlugin } from '../../packages/core/src/plugin/types.js';
import dcgan from '../../packages/plugin-dcgan/src/index.js';
import mnist from '../../packages/plugin-mnist/src/index.js';

const plugins = [dcgan, mnist] as GanforgePlugin[];

function spec(objective: Record<string, number>, steps: number) {
  return {
    name: 'r1',
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 16 } } },
    models: {
      generator: { use: 'dcgan/generator', options: { width: 8, latentDim: 16 } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 8 } },
    },
    objective: { use: 'dcgan/dcgan', options: objective },
    training: { batchSize: 8, steps, seed: 4, backend: 'cpu', optimizers: { discriminator: { lr: 1e-2, beta1: 0.5 }, generator: { lr: 1e-12 } } },
    output: { sampleEvery: 1000, checkpointEvery: 1000, logEvery: 1000, export: false },
  };
}

const last = (xs: number[], k = 3) => xs.slice(-k).reduce((a, b) => a + b, 0) / k;

describe('R1 / R2 (dcgan/dcgan options)', () => {
  it('R1 keeps the gradient norm on reals small; a negligible γ does not', async () => {
    // The generator is frozen and D learns fast, so without the penalty D sharpens and its gradients grow.
    const norms = async (r1: number) => (await trainSpec(spec({ r1 }, 10), { plugins })).steps.map((s) => s.losses['discriminator/r1_norm']!);
    const [strong, none] = [await norms(10), await norms(1e-9)];
    expect(strong.every(Number.isFinite) && none.every(Number.isFinite)).toBe(true);
    expect(last(strong)).toBeLessThan(0.5 * last(none));
  });

  it('takes the penalties every k-th step only (lazy), R2 on generated images', async () => {
    const { steps } = await trainSpec(spec({ r1: 1, r2: 1, penaltyEvery: 4 }, 8), { plugins });
    const withR1 = steps.filter((s) => 'discriminator/r1' in s.losses).length;
    const withR2 = steps.filter((s) => 'discriminator/r2_norm' in s.losses).length;
    expect(withR1).toBe(2);
    expect(withR2).toBe(2);
  });
});
