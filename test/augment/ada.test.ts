/**
 * augment/ada through the unchanged engine: the DCGAN objective reports E[sign(D(real))], ADA moves p from
 * it, metrics.jsonl logs p, r_t and the signal, and p survives a checkpoint (stopped at 4 and resumed to 6
 * logs what 6 straight steps log).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainSpec } from '../../packages/core/src/testing/index.js';
import type { GanforgePlugin } from '../../packages/core/src/plugin/types.js';
import augment from '../../packages/plugin-augment/src/index.js';
import dcgan from '../../packages/plugin-dcgan/src/index.js';
import mnist from '../../packages/plugin-mnist/src/index.js';
import { tempDir } from '../engine/helpers.js';

const tmp = tempDir('gf-ada-');
afterAll(() => tmp.cleanup());
const plugins = [dcgan, mnist, augment] as GanforgePlugin[];

const spec = (steps: number, dir: string) => ({
  name: 'ada',
  data: { real: { use: 'mnist/digits', options: { maxPerDigit: 8 } } },
  models: {
    generator: { use: 'dcgan/generator', options: { width: 4, latentDim: 8 } },
    discriminator: { use: 'dcgan/discriminator', options: { width: 4 } },
  },
  objective: { use: 'dcgan/dcgan' },
  // target -1: any r_t but -1 is above it, so p rises by 8 / 32 per step until maxP.
  augment: [{ use: 'augment/ada', at: 'discriminator', options: { target: -1, adjustEvery: 1, imagesToFull: 32, maxP: 0.6, ops: ['flip', 'translation'] } }],
  training: { batchSize: 8, steps, seed: 4, backend: 'cpu' },
  output: { dir: join(tmp.dir, dir), checkpointEvery: 2, sampleEvery: 1000, logEvery: 1, export: false },
});

const log = (dir: string) =>
  readFileSync(join(tmp.dir, dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { step: number; losses: Record<string, number>; signals?: Record<string, number>; augment?: Record<string, number> });

describe('augment/ada in a DCGAN run', () => {
  it('adapts p from the reported signal and logs both in metrics.jsonl', async () => {
    await trainSpec(spec(6, 'straight'), { plugins, dir: tmp.dir });
    const records = log('straight');
    // p_k = min(0.6, p_{k-1} + 8/32 · sign(r_k − target)), from the r_t the run logged.
    let p = 0;
    const expected = records.map((r) => (p = Math.min(0.6, Math.max(0, p + 0.25 * Math.sign(r.signals!.realSign! + 1)))));
    expect(records.map((r) => r.augment?.['augment/ada.p'])).toEqual(expected);
    expect(expected.at(-1)).toBe(0.6);
    for (const r of records) {
      expect(r.signals!.realSign).toBeGreaterThanOrEqual(-1);
      expect(r.signals!.realSign).toBeLessThanOrEqual(1);
      expect(r.augment!['augment/ada.rt']).toBeCloseTo(r.signals!.realSign!, 6);
    }
  });

  it('keeps p across a checkpoint: stopped at 4 and resumed to 6 equals 6 straight', async () => {
    await trainSpec(spec(4, 'resumed'), { plugins, dir: tmp.dir });
    await trainSpec(spec(6, 'resumed'), { plugins, dir: tmp.dir, resume: join(tmp.dir, 'resumed') });
    const [straight, resumed] = [log('straight'), log('resumed')];
    expect(resumed.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(resumed.map((r) => r.augment)).toEqual(straight.map((r) => r.augment));
    for (const [i, r] of resumed.entries()) expect(r.losses.discriminator).toBeCloseTo(straight[i]!.losses.discriminator!, 5);
  });

  it('p = 0 vs p > 0 changes what D sees: the losses differ from the first adapted step on', async () => {
    const frozen = spec(3, 'frozen');
    frozen.augment[0]!.options.maxP = 0;
    await trainSpec(frozen, { plugins, dir: tmp.dir });
    const [adapted, fixed] = [log('straight'), log('frozen')];
    expect(fixed.map((r) => r.augment?.['augment/ada.p'])).toEqual([0, 0, 0]);
    // Step 1 runs at p = 0 in both; from step 2, ADA augments.
    expect(adapted[0]!.losses.discriminator).toBeCloseTo(fixed[0]!.losses.discriminator!, 6);
    expect(adapted[1]!.losses.discriminator).not.toBeCloseTo(fixed[1]!.losses.discriminator!, 6);
  });
});
