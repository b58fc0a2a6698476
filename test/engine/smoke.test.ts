import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { augmentCalls, tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a tiny GAN run', () => {
  it('writes the run folder: spec, metrics, samples, checkpoints, exported generator', async () => {
    const { result, steps } = await trainFixture(tinyGanSpec({ output: { dir: 'out/run', logEvery: 2, sampleEvery: 5, checkpointEvery: 4 } }), tmp.dir);
    expect(result.step).toBe(10);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Object.keys(steps[0]!.losses).sort()).toEqual(['discriminator', 'discriminator/fake', 'discriminator/real', 'generator']);
    const dir = join(tmp.dir, 'out/run');
    expect(result.runDir).toBe(dir);
    expect(JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')).name).toBe('tiny-gan');
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([2, 4, 6, 8, 10]);
    expect(lines[0]).toMatchObject({ step: 2, lr: { discriminator: 0.01, generator: 0.01 } });
    expect(readdirSync(join(dir, 'samples'))).toEqual(['step-000000005.png', 'step-000000010.png']);
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual(['step-000000004', 'step-000000008', 'step-000000010']);
    expect(existsSync(join(dir, 'generator/model.json'))).toBe(true);
    expect(existsSync(join(dir, 'generator/weights.bin'))).toBe(true);
  });

  it('derives steps from epochs over the first stream', async () => {
    const spec = tinyGanSpec({ output: { dir: 'out/epochs', export: false } });
    const { result } = await trainFixture({ ...spec, training: { batchSize: 8, epochs: 0.5, backend: 'cpu' } }, tmp.dir);
    expect(result.totalSteps).toBe(3); // ceil(0.5 × 40 / 8)
  });

  it('applies "data" augmentations to each batch of their streams and "discriminator" ones where the objective asks', async () => {
    const spec = {
      ...tinyGanSpec({ training: { steps: 3 }, output: { dir: 'out/augment', export: false } }),
      augment: [
        { use: 'tiny/counting', options: { key: 'data' }, at: 'data' },
        { use: 'tiny/counting', options: { key: 'other-stream' }, at: 'data', streams: ['elsewhere'] },
        { use: 'tiny/counting', options: { key: 'disc' }, at: 'discriminator' },
      ],
      data: { real: { use: 'tiny/blobs', options: { size: 40 } }, elsewhere: { use: 'tiny/blobs', options: { size: 8 } } },
    };
    const { result } = await trainFixture(spec, tmp.dir);
    expect(result.step).toBe(3);
    expect(augmentCalls).toMatchObject({ data: 3, disc: 6 }); // one real batch per step; D sees real and fake
    expect(augmentCalls['other-stream']).toBeUndefined();
  });
});
