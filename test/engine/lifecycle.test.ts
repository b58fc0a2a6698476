/**
 * The run lifecycle: the loop emits start, step, sample, checkpoint, evaluate and end, in order, to the run's
 * own listeners and to the caller's; augmentation points and the EMA model come from the objective's
 * declarations; augmentations draw from a random stream of their own.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunListener } from '../../packages/core/src/engine/lifecycle.js';
import type { GanforgeError } from '../../packages/core/src/errors.js';
import { definePlugin, PLUGIN_API_VERSION } from '../../packages/core/src/index.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { tinyGanSpec, tinyPlugin } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture, validated } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('lifecycle events', () => {
  it('reach listeners in order, each after the run wrote what the event announces', async () => {
    const seen: string[] = [];
    const recorder: RunListener = {
      name: 'recorder',
      start: ({ startStep, totalSteps }) => void seen.push(`start ${startStep}/${totalSteps}`),
      step: ({ step }) => void seen.push(`step ${step}`),
      sample: ({ step, file }) => void seen.push(`sample ${step} ${existsSync(file)}`),
      checkpoint: ({ step, dir }) => void seen.push(`checkpoint ${step} ${existsSync(dir)}`),
      end: ({ step, interrupted }) => void seen.push(`end ${step} ${interrupted}`),
    };
    const spec = tinyGanSpec({ training: { steps: 4 }, output: { dir: 'events', sampleEvery: 2, checkpointEvery: 4, logEvery: 1 } });
    await trainFixture(spec, tmp.dir, { listeners: [recorder] });
    expect(seen).toEqual([
      'start 0/4',
      'step 1',
      'sample 2 true',
      'step 2',
      'step 3',
      'sample 4 true',
      'checkpoint 4 true',
      'step 4',
      'end 4 false',
    ]);
  });
});

describe('what the objective declares', () => {
  it('names the EMA model when the spec names none', async () => {
    const { spec } = await validated(tinyGanSpec({ training: { ema: { decay: 0.9 } } }), tmp.dir);
    expect(spec.training.ema).toMatchObject({ model: 'generator', decay: 0.9 });
    const silent = definePlugin({
      meta: { name: 'ganforge-plugin-silent', version: '1.0.0', namespace: 'silent', core: '*', apiVersion: PLUGIN_API_VERSION },
      objectives: { gan: { ...tinyPlugin.objectives.gan, ema: undefined } },
    });
    const error = (await validateSpec({ ...tinyGanSpec({ training: { ema: {} } }), objective: { use: 'silent/gan' } }, { plugins: [tinyPlugin, silent], cwd: tmp.dir }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toMatchObject({ code: 'GF_SPEC_MISSING_KEY', pointer: '/training/ema' });
  });

  it('lists the augmentation points a spec may use; another name is a located reference error', async () => {
    const spec = { ...tinyGanSpec(), augment: [{ use: 'tiny/counting', at: 'discriminatr' }] };
    const error = (await validated(spec, tmp.dir).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toMatchObject({ code: 'GF_SPEC_REFERENCE', pointer: '/augment/0/at', exitCode: 2 });
    expect(error.message).toMatch(/not an augmentation point of tiny\/gan\. Did you mean "discriminator"\?/);
  });

  it('an objective applying augmentations at a point it did not declare is its own bug (exit 1)', async () => {
    const sloppy = definePlugin({
      meta: { name: 'ganforge-plugin-sloppy', version: '1.0.0', namespace: 'sloppy', core: '*', apiVersion: PLUGIN_API_VERSION },
      objectives: {
        gan: {
          ...tinyPlugin.objectives.gan,
          setup: async (ctx) => {
            const program = await tinyPlugin.objectives.gan.setup(ctx);
            const [d, g] = program.phases;
            return { ...program, phases: [{ ...d!, loss: (s) => d!.loss({ ...s, augment: (x) => s.augment(x, 'critic') }) }, g!] };
          },
        },
      },
    });
    const spec = { ...tinyGanSpec({ output: { dir: 'sloppy' } }), objective: { use: 'sloppy/gan' } };
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins: [tinyPlugin, sloppy], cwd: tmp.dir });
    const { runTraining } = await import('../../packages/core/src/engine/run-training.js');
    const error = (await runTraining({ spec: resolved, registry, specDir, cwd: tmp.dir }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toMatchObject({ code: 'GF_PLUGIN_HOOK', hook: 'augment', exitCode: 1 });
    expect(error.message).toMatch(/point "critic", which it does not declare \(augmentPoints: discriminator\)/);
  });
});

describe('random streams', () => {
  it("an augmentation's draws leave the phases' noise, and so the losses, unchanged", async () => {
    const run = (draws: number) =>
      trainFixture(
        { ...tinyGanSpec({ training: { steps: 3 }, output: { dir: `draws-${draws}`, export: false } }), augment: [{ use: 'tiny/counting', options: { key: `draws-${draws}`, draws }, at: 'data' }] },
        tmp.dir,
      );
    const quiet = await run(0);
    const noisy = await run(5);
    expect(noisy.steps.map((s) => s.losses)).toEqual(quiet.steps.map((s) => s.losses));
  });
});
