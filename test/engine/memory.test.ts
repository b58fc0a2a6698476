import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '../../packages/core/src/engine/tf.js';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { cycleSpec } from './cycle-spec.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Tensor count after each step; the first step creates optimizer slots, so the count is flat from step 2. */
async function tensorCounts(spec: object): Promise<number[]> {
  const counts: number[] = [];
  await trainFixture(spec, tmp.dir, { outDir: `run-${Math.random().toString(36).slice(2)}`, onStep: () => void counts.push(tf.memory().numTensors) });
  return counts;
}

describe('memory', () => {
  it('keeps tf.memory().numTensors flat across 50 steps (GAN with EMA, clipping, repeats, augment-free)', async () => {
    const counts = await tensorCounts(
      tinyGanSpec({
        training: { steps: 50, ema: { model: 'generator', decay: 0.9 }, optimizers: { discriminator: { clipNorm: 1 } } },
        objective: { options: { criticRepeat: 2 } },
        output: { sampleEvery: 10, checkpointEvery: 10 },
      }),
    );
    expect(counts).toHaveLength(50);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('keeps it flat for an objective that keeps tensors across steps (two-by-two with a fake pool)', async () => {
    const counts = await tensorCounts(cycleSpec({ training: { steps: 50 }, output: { sampleEvery: 25, checkpointEvery: 25 } }));
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('releases everything when the run ends', async () => {
    const before = tf.memory().numTensors;
    await tensorCounts(tinyGanSpec({ training: { steps: 3 } }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
