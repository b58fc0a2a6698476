/** Evaluation during training (spec.evaluation): scored on the held-out split, best step kept in <run>/best/. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStorage } from '../../packages/core/src/node/storage.js';
import { listCheckpoints } from '../../packages/core/src/run/checkpoint.js';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('evaluation during training', () => {
  it('scores every N steps and at the end, and keeps the best step', async () => {
    const spec = {
      ...tinyGanSpec({ data: { validationSplit: 0.25 }, output: { dir: 'eval' } }),
      evaluation: { every: 4, samples: 10, metrics: { gap: { use: 'tiny/mean-gap' } }, keepBest: { metric: 'gap' } },
    };
    const { result } = await trainFixture(spec, tmp.dir);
    const evaluations = JSON.parse(readFileSync(join(result.runDir, 'evaluations.json'), 'utf8'));
    expect(evaluations.history.map((r: { step: number }) => r.step)).toEqual([4, 8, 10]);
    const best = evaluations.history.reduce((a: { metrics: { gap: { value: number } } }, b: typeof a) => (b.metrics.gap.value < a.metrics.gap.value ? b : a));
    expect(evaluations.best).toMatchObject({ step: best.step, mode: 'min' });
    expect((await listCheckpoints(nodeStorage('/'), join(result.runDir, 'best'))).map((c) => c.step)).toEqual([best.step]);
    expect(existsSync(join(result.runDir, 'best', 'generator', 'model.json'))).toBe(true);
  });
});
