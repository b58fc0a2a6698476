/**
 * dcgan/dcgan's balanced consistency regularization (option consistency, augmentations at the "consistency"
 * point): D's logits change less under the transformation with bCR than in the same run with a negligible λ;
 * consistency without any augmentation at that point is a coded error.
 */
import { describe, expect, it } from 'vitest';
import { trainSpec } from '../../packages/core/src/testing/index.js';
import { isGanforgeError } from '../../packages/core/src/errors.js';
import type { GanforgePlugin } from '../../packages/core/src/plugin/types.js';
import augment from '../../packages/plugin-augment/src/index.js';
import dcgan from '../../packages/plugin-dcgan/src/index.js';
import mnist from '../../packages/plugin-mnist/src/index.js';

const plugins = [dcgan, mnist, augment] as GanforgePlugin[];

function spec(consistency: number, withAugment = true) {
  return {
    name: 'bcr',
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 16 } } },
    models: {
      generator: { use: 'dcgan/generator', options: { width: 8, latentDim: 16 } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 8 } },
    },
    objective: { use: 'dcgan/dcgan', options: { consistency } },
    augment: withAugment ? [{ use: 'augment/translation', at: 'consistency', options: { ratio: 0.25 } }] : [],
    training: { batchSize: 8, steps: 10, seed: 5, backend: 'cpu', optimizers: { discriminator: { lr: 1e-2, beta1: 0.5 }, generator: { lr: 1e-12 } } },
    output: { sampleEvery: 1000, checkpointEvery: 1000, logEvery: 1000, export: false },
  };
}

const last = (xs: number[], k = 3) => xs.slice(-k).reduce((a, b) => a + b, 0) / k;

describe('bCR (dcgan/dcgan option consistency)', () => {
  it('makes D\'s logits more consistent under the transformation than a negligible λ', async () => {
    const gaps = async (lambda: number) => (await trainSpec(spec(lambda), { plugins })).steps.map((s) => s.losses['discriminator/consistency']!);
    const [strong, none] = [await gaps(10), await gaps(1e-9)];
    expect(strong.every(Number.isFinite) && none.every(Number.isFinite)).toBe(true);
    expect(last(strong)).toBeLessThan(0.5 * last(none));
  });

  it('refuses consistency without an augmentation at the "consistency" point', async () => {
    const error = await trainSpec({ ...spec(10, false), training: { ...spec(10).training, steps: 1 } }, { plugins }).catch((e: unknown) => e);
    expect(isGanforgeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no augmentation applies at the "consistency" point/);
  });
});
