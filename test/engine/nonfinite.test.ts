import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GanforgeError } from '../../packages/core/src/errors.js';
import { nodeStorage } from '../../packages/core/src/node/storage.js';
import { readCheckpoint } from '../../packages/core/src/run/checkpoint.js';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a NaN loss', () => {
  it('stops training with the step and phase named, keeping the last good checkpoint', async () => {
    const spec = tinyGanSpec({ objective: { options: { nanAtStep: 6 } }, output: { dir: 'nan', checkpointEvery: 3 } });
    const error = await trainFixture(spec, tmp.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GanforgeError);
    const e = error as GanforgeError;
    expect(e.code).toBe('GF_TRAIN_NONFINITE');
    expect(e.message).toMatch(/Loss "generator" became NaN at step 7, phase "generator"/);
    expect(e.message).toMatch(/last good checkpoint is .*step-000000006 \(step 6\)/);
    const checkpoints = join(tmp.dir, 'nan', 'checkpoints');
    expect(readdirSync(checkpoints)).toEqual(['step-000000003', 'step-000000006']);
    expect((await readCheckpoint(nodeStorage('/'), join(checkpoints, 'step-000000006'))).step).toBe(6);
  });
});
