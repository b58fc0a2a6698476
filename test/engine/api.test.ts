/** The programmatic API as the README shows it: train(spec, { plugins, signal, onStep, onSample }) and loadGenerator(runDir).sample(n). */
import { afterAll, describe, expect, it } from 'vitest';
import { loadGenerator, train, type SampleEvent, type StepEvent } from '@ganforge/core';
import { tinyGanSpec, tinyPlugin } from '../fixtures/engine/tiny-plugin.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('train() and loadGenerator()', () => {
  it('train a spec object with plugins and callbacks, then sample the result', async () => {
    const steps: StepEvent[] = [];
    const samples: SampleEvent[] = [];
    const result = await train(tinyGanSpec({ training: { steps: 6 }, output: { dir: 'api', sampleEvery: 3 } }), {
      plugins: [tinyPlugin],
      cwd: tmp.dir,
      onStep: (e) => void steps.push(e),
      onSample: (e) => void samples.push(e),
    });
    expect(result).toMatchObject({ step: 6, totalSteps: 6, interrupted: false });
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps[5]).toMatchObject({ totalSteps: 6, lr: { generator: 0.01, discriminator: 0.01 } });
    expect(samples.map((e) => e.step)).toEqual([3, 6]);
    expect(samples[0]!.images.shape).toEqual([4, 4, 4, 1]);

    const generator = await loadGenerator(result.runDir);
    const images = generator.sample(5);
    expect(images.shape).toEqual([5, 4, 4, 1]);
    images.dispose();
    generator.dispose();
  });

  it('stops on an abort signal with a checkpoint, and a validation error rejects with its code', async () => {
    const controller = new AbortController();
    const result = await train(tinyGanSpec({ training: { steps: 50 }, output: { dir: 'api-abort' } }), {
      plugins: [tinyPlugin],
      cwd: tmp.dir,
      signal: controller.signal,
      onStep: (e) => void (e.step === 2 && controller.abort()),
    });
    expect(result).toMatchObject({ step: 2, interrupted: true });
    expect(result.checkpoint).toMatch(/step-000000002$/);
    await expect(train({ name: 'x' }, { cwd: tmp.dir })).rejects.toMatchObject({ code: 'GF_SPEC_MISSING_KEY' });
  });
});
