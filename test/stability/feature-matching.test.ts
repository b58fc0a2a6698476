/**
 * dcgan/dcgan's featureMatching loss role: with the discriminator frozen (lr ~0) and no adversarial term, the
 * generator trained on feature matching alone brings the batch-mean features of its fakes towards the reals'
 * (the logged part falls); off by default; a projection discriminator (no single feature vector) is a coded
 * error.
 */
import { describe, expect, it } from 'vitest';
import { trainSpec } from '../../packages/core/src/testing/index.js';
import { exitCodeOf, isGanforgeError } from '../../packages/core/src/errors.js';
import type { GanforgePlugin } from '../../packages/core/src/plugin/types.js';
import dcgan from '../../packages/plugin-dcgan/src/index.js';
import mnist from '../../packages/plugin-mnist/src/index.js';

const plugins = [dcgan, mnist] as GanforgePlugin[];

function spec(o: { fm?: number; conditional?: boolean; steps?: number } = {}) {
  return {
    name: 'fm',
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 16 } } },
    models: {
      generator: { use: 'dcgan/generator', options: { width: 8, latentDim: 16, conditional: o.conditional ? 'concat' : 'none' } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 8, conditional: o.conditional ? 'projection' : 'none' } },
    },
    objective: { use: 'dcgan/dcgan' },
    losses: { adversarial: { use: 'core/non-saturating', weight: 0 }, ...(o.fm !== undefined ? { featureMatching: { use: 'core/mse', weight: o.fm } } : {}) },
    training: {
      batchSize: 16,
      steps: o.steps ?? 12,
      seed: 2,
      backend: 'cpu',
      optimizers: { generator: { lr: 4e-3, beta1: 0.5 }, discriminator: { lr: 1e-12 } },
    },
    output: { sampleEvery: 1000, checkpointEvery: 1000, logEvery: 1000, export: false },
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('feature matching (dcgan/dcgan role featureMatching)', () => {
  it('pulls the fakes\' mean discriminator features towards the reals\' when on; is off by default', async () => {
    const { steps } = await trainSpec(spec({ fm: 1 }), { plugins });
    const fm = steps.map((s) => s.losses['generator/feature_matching']!);
    expect(fm.every(Number.isFinite)).toBe(true);
    expect(mean(fm.slice(-3))).toBeLessThan(0.5 * mean(fm.slice(0, 3)));
    const off = await trainSpec(spec({ steps: 3 }), { plugins });
    expect(Object.keys(off.steps[0]!.losses).some((k) => k.includes('feature_matching'))).toBe(false);
  });

  it('refuses a projection discriminator (no single feature vector) with a coded error', async () => {
    const error = await trainSpec(spec({ fm: 1, conditional: true, steps: 1 }), { plugins }).catch((e: unknown) => e);
    expect(isGanforgeError(error)).toBe(true);
    expect((error as { code: 'GF_SPEC_CONFLICT' }).code).toBe('GF_SPEC_CONFLICT');
    expect(exitCodeOf('GF_SPEC_CONFLICT')).toBe(2);
    expect((error as Error).message).toMatch(/Feature matching reads the features/);
  });
});
