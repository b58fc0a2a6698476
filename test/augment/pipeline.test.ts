/**
 * @ganforge/plugin-augment through the unchanged engine: a DCGAN spec with a DiffAugment pipeline at the
 * discriminator point trains (resolving the plugin by name, as users' specs do), the pipeline changes what D
 * sees, tensors do not leak, and a misspelt op is a coded error with a did-you-mean.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { exitCodeOf, type ErrorCode } from '../../packages/core/src/errors.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { tempDir } from '../engine/helpers.js';

const tmp = tempDir('gf-augment-');
const repo = fileURLToPath(new URL('../..', import.meta.url));
afterAll(() => tmp.cleanup());

const pipeline = [
  { use: 'augment/color', at: 'discriminator' },
  { use: 'augment/translation', at: 'discriminator', options: { ratio: 0.125 } },
  { use: 'augment/cutout', at: 'discriminator', options: { ratio: 0.5, p: 0.5 } },
];

function tinySpec(augment: object[], dir: string, steps = 4): object {
  return {
    name: 'tiny-augment',
    plugins: ['dcgan', 'mnist', 'augment'],
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 8 } } },
    models: {
      generator: { use: 'dcgan/generator', options: { latentDim: 8, width: 4 } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 4 } },
    },
    objective: { use: 'dcgan/dcgan' },
    augment,
    training: { batchSize: 8, steps, seed: 5, backend: 'cpu' },
    output: { dir: join(tmp.dir, dir), sampleEvery: 1000, checkpointEvery: 1000, export: false },
  };
}

async function train(spec: object, onStep?: () => void) {
  const { spec: resolved, registry, specDir } = await validateSpec(spec, { cwd: repo });
  const losses: Record<string, number>[] = [];
  await runTraining({ spec: resolved, registry, specDir, cwd: repo, onStep: (e) => { losses.push(e.losses); onStep?.(); } });
  return losses;
}

describe('plugin-augment in a spec', () => {
  it('trains with a pipeline at the discriminator, which changes what D sees, without leaking tensors', async () => {
    const counts: number[] = [];
    const augmented = await train(tinySpec(pipeline, 'with', 8), () => counts.push(tf.memory().numTensors));
    const plain = await train(tinySpec([], 'without', 8));
    expect(augmented).toHaveLength(8);
    for (const l of augmented) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
    // Same seed and data: only the augmentations differ, so the first step's D loss already differs.
    expect(augmented[0]!.discriminator).not.toBeCloseTo(plain[0]!.discriminator!, 6);
    expect(counts.at(-1)).toBe(counts[2]);
  });

  it('is deterministic: the same seed gives the same losses', async () => {
    const a = await train(tinySpec(pipeline, 'again-1', 3));
    const b = await train(tinySpec(pipeline, 'again-2', 3));
    expect(a).toEqual(b);
  });

  it('names a misspelt op with a did-you-mean, exit 2', async () => {
    const error = await validateSpec(tinySpec([{ use: 'augment/translate', at: 'discriminator' }], 'bad'), { cwd: repo }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GF_ENTRY_UNKNOWN' });
    expect(String((error as Error).message)).toMatch(/augment\/translation/);
    expect(exitCodeOf((error as { code: ErrorCode }).code)).toBe(2);
  });
});
