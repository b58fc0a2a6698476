/** Tests only: validate a spec object with the wgan, dcgan and test plugins and train it on cpu in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraining, type StepEvent, type TrainResult } from '@ganforge/core';
import { validateSpec } from '@ganforge/core/testing';
import dcganPlugin from '../../../plugin-dcgan/src/index.js';
import wganPlugin from '../index.js';
import { testPlugin } from './test-plugin.js';

export const plugins = [wganPlugin, dcganPlugin, testPlugin];

/** A tiny WGAN spec on 14x14 MNIST: dcgan/generator (width 8) and wgan-test/critic (wgan/critic, width 8); with `mlp`, MLPs on 7x7 MNIST. */
export function tinySpec(
  overrides: { objective?: object; losses?: object; critic?: object; steps?: number; batchSize?: number; mlp?: boolean; lr?: number } = {},
): Record<string, unknown> {
  return {
    name: 'wgan-tiny',
    data: { real: { use: 'wgan-test/mnist14', options: { maxPerDigit: 50, size: overrides.mlp ? 7 : 14 } } },
    models: overrides.mlp
      ? { generator: { use: 'wgan-test/mlp-generator' }, critic: { use: 'wgan-test/mlp-critic' } }
      : {
          generator: { use: 'dcgan/generator', options: { latentDim: 16, width: 8 } },
          critic: { use: 'wgan-test/critic', options: { width: 8, ...overrides.critic } },
        },
    objective: overrides.objective ?? { use: 'wgan/wgan-gp' },
    ...(overrides.losses ? { losses: overrides.losses } : {}),
    training: {
      batchSize: overrides.batchSize ?? 16,
      steps: overrides.steps ?? 2,
      seed: 1,
      backend: 'cpu',
      ...(overrides.lr ? { optimizers: { generator: { lr: overrides.lr }, critic: { lr: overrides.lr } } } : {}),
    },
    output: { logEvery: 1000, sampleEvery: 100000, checkpointEvery: 100000, export: false },
  };
}

/** `onStep` runs after every step, while the models are alive (the engine disposes them when the run ends). */
export async function trainTiny(spec: Record<string, unknown>, onStep?: (event: StepEvent) => void): Promise<{ result: TrainResult; steps: StepEvent[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-wgan-'));
  try {
    const { spec: resolved, registry, specDir } = await validateSpec(spec, { plugins, cwd: dir });
    const steps: StepEvent[] = [];
    const result = await runTraining({ spec: resolved, registry, specDir, cwd: dir, onStep: (event) => {
        steps.push(event);
        onStep?.(event);
      },
    });
    return { result, steps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
